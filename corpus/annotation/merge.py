"""Join an annotation batch (id + annotations) with its input texts into a corpus file.

    python corpus/annotation/merge.py corpus/work/wn_input_1.jsonl corpus/work/wn_ann_1.jsonl corpus/data/wn_1.jsonl
"""
import json
import sys

inputs, anns, out = sys.argv[1:4]
texts = {}
order = []
for line in open(inputs, encoding="utf-8"):
    d = json.loads(line)
    texts[d["id"]] = d
    order.append(d["id"])
ann = {}
for n, line in enumerate(open(anns, encoding="utf-8"), 1):
    if not line.strip():
        continue
    try:
        d = json.loads(line)
    except json.JSONDecodeError as exc:
        sys.exit(f"{anns}:{n}: {exc}")
    if d["id"] not in texts:
        sys.exit(f"{anns}:{n}: unknown id {d['id']}")
    ann[d["id"]] = d
with open(out, "w", encoding="utf-8") as fh:
    for i in order:
        if i not in ann:
            continue
        src, a = texts[i], ann[i]
        row = {"id": i, "doc": src["doc"], "published": None, "text": src["text"],
               "entities": a.get("entities", []), "events": a.get("events", []),
               "timexes": a.get("timexes", [])}
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
print(f"{len(ann)} of {len(order)} sentences annotated -> {out}")
