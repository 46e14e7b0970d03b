"""KIND / NERMuD (and CoNLL-style) token-per-line NER files.

Each sentence is detokenized into plain text with character spans for its gold entities, so the
extractor sees ordinary prose. The rule: one space between tokens, except none after an elided
article (``dell'``), before closing punctuation, after opening brackets, and inside paired
straight quotes.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "}", "»", "”", "%", "…", "'"}
_NO_SPACE_AFTER = {"(", "[", "{", "«", "“"}


@dataclass
class KindSentence:
    index: int  # position of the sentence in its file, 0-based
    tokens: list[str]
    tags: list[str]
    text: str = ""
    offsets: list[tuple[int, int]] = field(default_factory=list)

    def entities(self) -> list[tuple[int, int, str]]:
        """Gold spans ``(start, end, type)`` over ``text`` from the IOB2 tags."""
        spans: list[tuple[int, int, str]] = []
        current: list | None = None
        for (s, e), tag in zip(self.offsets, self.tags):
            if tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[2] != tag[2:])):
                if current:
                    spans.append(tuple(current))
                current = [s, e, tag[2:]]
            elif tag.startswith("I-") and current:
                current[1] = e
            else:
                if current:
                    spans.append(tuple(current))
                current = None
        if current:
            spans.append(tuple(current))
        return spans


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    open_quote = False
    prev = ""
    for i, tok in enumerate(tokens):
        space = i > 0
        if tok in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER:
            space = False
        if prev.endswith(("'", "’")) and len(prev) > 1:
            space = False
        if tok == '"':
            space = space and not open_quote
            open_quote = not open_quote
        elif prev == '"' and open_quote:
            space = False
        if space:
            parts.append(" ")
            pos += 1
        offsets.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
        prev = tok
    return "".join(parts), offsets


def read_kind(path: str | Path, sep: str = "\t") -> Iterator[KindSentence]:
    """Sentences of a two-column token/IOB file (KIND, NERMuD, Europarl CoNLL)."""
    tokens: list[str] = []
    tags: list[str] = []
    index = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("-DOCSTART-"):
                if tokens:
                    yield _sentence(index, tokens, tags)
                    index += 1
                    tokens, tags = [], []
                continue
            cols = line.split(sep) if sep in line else line.split()
            tokens.append(cols[0])
            tags.append(cols[-1] if len(cols) > 1 else "O")
    if tokens:
        yield _sentence(index, tokens, tags)


def _sentence(index: int, tokens: list[str], tags: list[str]) -> KindSentence:
    text, offsets = detokenize(tokens)
    return KindSentence(index=index, tokens=tokens, tags=tags, text=text, offsets=offsets)
