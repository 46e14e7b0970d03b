"""Sentences and tokens.

Tokens come from spaCy's rule-based tokenizer for the language (no model needed). Sentences
end at line breaks (headlines and paragraphs carry no final stop) and at ``.!?…`` followed by
space and an upper-case letter, a digit or an opening quote, unless the word before the stop is
a known abbreviation of the language (``segment.yaml``).
"""
from __future__ import annotations

import re
from functools import cache

import spacy

from ..document import Document, Sentence, Token
from ..lang import LanguageData

_APOSTROPHES = str.maketrans({"’": "'", "`": "'", "ʼ": "'"})
_STOP = re.compile(r"[.!?…]+[\"”»’)]*(?=\s+[\"“«(\-–—]?[A-ZÀ-ÖØ-Þ0-9])")
_LINE = re.compile(r"\n+")


def normalize(text: str) -> str:
    """Lower-case and fold typographic apostrophes; keeps accents and length."""
    return text.lower().translate(_APOSTROPHES)


@cache
def _tokenizer(lang: str):
    return spacy.blank(lang).tokenizer


class Segmenter:
    name = "segment"

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        data = lang.data("segment")
        self.abbreviations = {a.lower().rstrip(".") for a in data.get("abbreviations", [])}
        self.tokenizer = _tokenizer(lang.code)

    def __call__(self, doc: Document) -> Document:
        bounds = self.sentence_bounds(doc.text)
        tokens: list[Token] = []
        sentences: list[Sentence] = []
        si = 0
        first = 0
        for t in self.tokenizer(doc.text):  # one tokenizer call per document: it is the hot path
            if t.is_space:
                continue
            start = t.idx
            while si < len(bounds) and start >= bounds[si][1]:
                sentences.append(Sentence(i=si, start=bounds[si][0], end=bounds[si][1],
                                          token_start=first, token_end=len(tokens)))
                si += 1
                first = len(tokens)
            if si >= len(bounds):
                break
            tokens.append(Token(i=len(tokens), text=t.text, start=start, end=start + len(t.text),
                                sent=si, lower=t.text.lower(), norm=normalize(t.text)))
        while si < len(bounds):
            sentences.append(Sentence(i=si, start=bounds[si][0], end=bounds[si][1],
                                      token_start=first, token_end=len(tokens)))
            si += 1
            first = len(tokens)
        doc.tokens, doc.sentences = tokens, sentences
        return doc

    def sentence_bounds(self, text: str) -> list[tuple[int, int]]:
        bounds: list[tuple[int, int]] = []
        pos = 0
        for line in _LINE.split(text):
            line_start = text.index(line, pos) if line else pos
            pos = line_start + len(line)
            cut = 0
            for m in _STOP.finditer(line):
                word = re.search(r"(\S+)$", line[cut:m.start()])
                last = word.group(1).replace("’", "'").rsplit("'", 1)[-1] if word else ""  # "L'art."
                if word and last.lower().rstrip(".") in self.abbreviations:
                    continue
                if word and len(word.group(1)) == 1 and word.group(1).isupper():
                    continue  # an initial: "J. Biden"
                bounds.append((line_start + cut, line_start + m.end()))
                cut = m.end()
            bounds.append((line_start + cut, line_start + len(line)))
        return [piece for s, e in bounds if text[s:e].strip() for piece in _cap(text, *_strip(text, s, e))]


MAX_SENTENCE = 1500  # characters; longer "sentences" (lists, text without stops) are cut


def _cap(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an overlong sentence at its last ";", "," or space before the limit, so that the work
    of the later stages, which grows with sentence length, stays bounded."""
    pieces = []
    while end - start > MAX_SENTENCE:
        window = text[start:start + MAX_SENTENCE]
        cut = max(window.rfind(";"), window.rfind(","))
        if cut < MAX_SENTENCE // 2:
            cut = window.rfind(" ")
        cut = start + (cut + 1 if cut > 0 else MAX_SENTENCE)
        pieces.append(_strip(text, start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        pieces.append((start, end))
    return [p for p in pieces if p[1] > p[0]]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
