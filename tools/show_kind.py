"""Print KIND / NERMuD sentences with their 0-based index, for annotators of eval/*.jsonl.

The dev set holds no text, only sentence indices and character offsets into the text that
``cronaca.corpora.kind.read_kind`` rebuilds, so annotators need to see exactly that text and its
offsets. Examples::

    python tools/show_kind.py WN_dev.tsv --grep arrest --grep manifest
    python tools/show_kind.py WN_dev.tsv --index 417 --context 1
    python tools/show_kind.py WN_dev.tsv --index 417 --span "ha arrestato" --span "Milano"
    python tools/show_kind.py WN_dev.tsv --check eval/wikinews_dev.jsonl

A bare file name is looked up in ``../shared/data/kind/evalita-2023`` (relative to the repo root).
"""
from __future__ import annotations

import argparse
import json
import re
import signal
import sys
from pathlib import Path

from cronaca.corpora.kind import KindSentence, read_kind

_REPO = Path(__file__).resolve().parents[1]
_SHARED_DATA = _REPO.parent / "shared" / "data"
_DEFAULT_DIR = _SHARED_DATA / "kind" / "evalita-2023"


def resolve(path: str) -> Path:
    """Accept a real path, a path relative to ../shared/data, or a bare evalita-2023 file name."""
    for candidate in (Path(path), _SHARED_DATA / path, _DEFAULT_DIR / path):
        if candidate.is_file():
            return candidate
    sys.exit(f"no such KIND file: {path}")


def show(sentence: KindSentence, label: str = "") -> None:
    print(f"[{sentence.index}]{label} ({len(sentence.text)} chars) {sentence.text}")


def show_spans(sentence: KindSentence, needles: list[str]) -> None:
    """Print ``[start, end]`` of every occurrence of each needle, ready to paste as a span."""
    for needle in needles:
        hits = [m.start() for m in re.finditer(re.escape(needle), sentence.text)]
        if not hits:
            print(f"    {needle!r}: not found")
        for start in hits:
            print(f"    {needle!r}: [{start}, {start + len(needle)}]")


def check(path: Path, jsonl: Path) -> int:
    """Print each gold item's sentence and the text under its evidence spans; count bad spans."""
    sentences = {s.index: s for s in read_kind(path)}
    bad = 0
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        sentence = sentences.get(item["sentence"])
        if sentence is None:
            print(f"{item['id']}: sentence {item['sentence']} missing")
            bad += 1
            continue
        print(f"{item['id']} [{sentence.index}] {sentence.text}")
        for event in item.get("events", []):
            start, end = event["evidence_span"]
            ok = 0 <= start < end <= len(sentence.text)
            bad += not ok
            flag = "" if ok else "  <-- BAD SPAN"
            optional = " (optional)" if event.get("optional") else ""
            actors = f"{event['source'].get('country')} -> {event['target'].get('country')}"
            print(f"    {'/'.join(event['type'])} {actors} {event['status']}{optional}: "
                  f"{sentence.text[start:end]!r}{flag}")
        for timex in item.get("timexes", []):
            start, end = timex["span"]
            print(f"    TIMEX {sentence.text[start:end]!r} = {timex['value']}")
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="KIND tsv file (bare name, path, or path under ../shared/data)")
    parser.add_argument("--grep", action="append", default=[],
                        help="case-insensitive regex; a sentence is shown if any --grep matches (repeatable)")
    parser.add_argument("--index", type=int, action="append", default=[], help="show this sentence (repeatable)")
    parser.add_argument("--range", help="show sentences START:END (end exclusive)")
    parser.add_argument("--context", type=int, default=0, help="also show N sentences before each hit")
    parser.add_argument("--span", action="append", default=[], help="print offsets of this substring in shown sentences")
    parser.add_argument("--min-len", type=int, default=0, help="skip sentences shorter than this many characters")
    parser.add_argument("--check", type=Path, help="a gold .jsonl: print each item's text under its spans")
    args = parser.parse_args()
    if hasattr(signal, "SIGPIPE"):  # quiet exit when piped into head/less
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    path = resolve(args.file)
    if args.check:
        sys.exit(1 if check(path, args.check) else 0)

    sentences = list(read_kind(path))
    patterns = [re.compile(g, re.IGNORECASE) for g in args.grep]
    wanted = set(args.index)
    if args.range:
        start, _, end = args.range.partition(":")
        wanted.update(range(int(start or 0), int(end or len(sentences))))
    for sentence in sentences:
        if len(sentence.text) < args.min_len:
            continue
        hit = sentence.index in wanted or any(p.search(sentence.text) for p in patterns)
        if not hit:
            continue
        for before in sentences[max(0, sentence.index - args.context):sentence.index]:
            show(before, " ctx")
        show(sentence)
        show_spans(sentence, args.span)
        if args.context:
            print()


if __name__ == "__main__":
    main()
