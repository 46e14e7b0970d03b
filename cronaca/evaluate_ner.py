"""Named-entity scores on token/IOB2 corpora (KIND, NERMuD, Europarl CoNLL).

Each sentence is detokenized (``cronaca.corpora.kind``), run through the pipeline up to the
entity tagger, and its PER/LOC/ORG entities are compared with the gold spans by exact offsets.
NORP and nominal (NOM) mentions are not named entities and are not scored.

    python -m cronaca.evaluate_ner /path/to/WN_dev.tsv --lang it --limit 200
"""
from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path

from .corpora.kind import read_kind
from .document import Document
from .pipeline import get_pipeline

TYPES = ("PER", "LOC", "ORG")


def _scores(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}


def predict(text: str, lang: str = "it", nominal_orgs: bool = False) -> set[tuple[int, int, str]]:
    """The scored spans the pipeline finds in one sentence.

    ``nominal_orgs`` also scores nominal institutions ("governo tedesco", "polizia francese":
    NOM mentions of kind organization) as ORG, which is how KIND annotates them.
    """
    doc = get_pipeline(lang)(Document(text=text, lang=lang), until="ner")
    named = doc.mentions if doc.entities is None else doc.entities
    spans = {(m.start, m.end, m.type) for m in named if m.type in TYPES}
    if nominal_orgs:
        spans |= {(m.start, m.end, "ORG") for m in doc.mentions
                  if m.type == "NOM" and m.kind == "organization"}
    return spans


def score(pairs: Iterable[tuple[set, set]]) -> tuple[int, dict[str, dict[str, int]]]:
    """Count true/false positives and false negatives per type over (gold, predicted) pairs."""
    counts = {t: {"tp": 0, "fp": 0, "fn": 0} for t in TYPES}
    n = 0
    for gold, pred in pairs:
        n += 1
        gold = {g for g in gold if g[2] in TYPES}
        for _, _, t in gold & pred:
            counts[t]["tp"] += 1
        for _, _, t in pred - gold:
            counts[t]["fp"] += 1
        for _, _, t in gold - pred:
            counts[t]["fn"] += 1
    return n, counts


def evaluate_ner(path: Path, lang: str = "it", limit: int | None = None,
                 nominal_orgs: bool = False) -> dict:
    """Exact-span precision, recall and F1 per type and micro-averaged over PER/LOC/ORG."""
    def pairs():
        for sent in read_kind(path):
            if limit is not None and sent.index >= limit:
                break
            yield set(sent.entities()), predict(sent.text, lang, nominal_orgs)

    n, counts = score(pairs())
    total = {k: sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")}
    return {"file": str(path), "sentences": n, "overall": _scores(**total),
            "by_type": {t: _scores(**counts[t]) for t in TYPES}}


def errors(path: Path, lang: str = "it", limit: int | None = None) -> Iterable[dict]:
    """Sentences where prediction and gold differ, for error analysis."""
    for sent in read_kind(path):
        if limit is not None and sent.index >= limit:
            break
        gold, pred = set(sent.entities()), predict(sent.text, lang)
        if gold != pred:
            show = lambda spans: sorted((sent.text[s:e], t) for s, e, t in spans)  # noqa: E731
            yield {"text": sent.text, "missed": show(gold - pred), "wrong": show(pred - gold)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--lang", default="it")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--nominal-orgs", action="store_true",
                        help="score nominal institutions (NOM of kind organization) as ORG")
    parser.add_argument("--errors", action="store_true", help="print the sentences with errors")
    args = parser.parse_args(argv)
    if args.errors:
        for err in errors(args.path, args.lang, args.limit):
            print(json.dumps(err, ensure_ascii=False))
        return
    print(json.dumps(evaluate_ner(args.path, args.lang, args.limit, args.nominal_orgs), indent=2))


if __name__ == "__main__":
    main()
