"""Sentences and tokens.

Tokens come from spaCy's rule-based tokenizer for the language (no model needed). Sentences
end at line breaks (headlines and paragraphs carry no final stop) and at ``.!?…`` followed by
space and an upper-case letter, a digit or an opening quote, unless the word before the stop is
a known abbreviation of the language (``segment.yaml``).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import spacy
from spacy.tokens import Doc

from ..document import Document, Sentence, Token
from ..lang import LanguageData

_APOSTROPHES = str.maketrans({"’": "'", "`": "'", "ʼ": "'"})
_STOP = re.compile(r"[.!?…]+[\"”»’)]*(?=\s+[\"“«(\-–—]?[A-ZÀ-ÖØ-Þ0-9])")
_LINE = re.compile(r"\n+")
# Chunks whose tokenization spaCy remembers: ~220 bytes each, so at most ~22 MB per language.
TOKENIZER_CACHE = 100_000


def normalize(text: str) -> str:
    """Lower-case and fold typographic apostrophes; keeps accents and length."""
    return text.lower().translate(_APOSTROPHES)


@cache
def tokenizer(lang: str) -> Callable[[str], Doc]:
    """spaCy's rule-based tokenizer of the language, for article text.

    Its vocabulary computes no lexical attributes (shape, stop word, ``like_num``, …): nothing
    here reads them, and computing them for every word the vocabulary has not seen yet took
    almost half of tokenization. Hence ``Token.is_space`` is never set: test the text instead.

    spaCy caches how each space-delimited chunk splits, but only the first ``max_cache_size``
    chunks it meets (10,000 by default: about 100 articles' worth), then tokenizes all others
    anew; a larger bound makes tokenizing unseen articles almost twice as fast. Dictionary
    forms go through another instance (``entities.surface_tokenizer``) and take no room here.
    """
    nlp = spacy.blank(lang)
    vocab: Any = nlp.vocab  # Any: spaCy's type stubs lack the two attributes set here
    tok: Any = nlp.tokenizer
    vocab.lex_attr_getters = {}
    tok.max_cache_size = TOKENIZER_CACHE
    return tok


def _lowered(text: str) -> tuple[str, str] | None:
    """``text.lower()`` and ``normalize(text)``, when every token's forms are slices of them.

    Lower-casing is per character except for a final capital sigma, and only "İ" changes
    length; texts with either are lower-cased token by token instead (None).
    """
    lower = text.lower()
    if len(lower) != len(text) or "Σ" in text:
        return None
    return lower, lower.translate(_APOSTROPHES)


class Segmenter:
    name = "segment"

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        data = lang.data("segment")
        self.abbreviations = {a.lower().rstrip(".") for a in data.get("abbreviations", [])}
        self.tokenizer = tokenizer(lang.code)

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        bounds = self.sentence_bounds(text)
        lowered = _lowered(text)  # lowered once: slicing is cheaper than lower() per token
        tokens: list[Token] = []
        sentences: list[Sentence] = []
        si = 0
        first = 0
        for t in self.tokenizer(text):  # one tokenizer call per document: it is the hot path
            word = t.text
            if word.isspace():
                continue
            start = t.idx
            while si < len(bounds) and start >= bounds[si][1]:
                sentences.append(Sentence(i=si, start=bounds[si][0], end=bounds[si][1],
                                          token_start=first, token_end=len(tokens)))
                si += 1
                first = len(tokens)
            if si >= len(bounds):
                break
            end = start + len(word)
            if lowered is not None:
                lower, norm = lowered[0][start:end], lowered[1][start:end]
            else:
                lower, norm = word.lower(), normalize(word)
            # i, text, start, end, sent, lower, norm: positional, as keywords cost twice as much
            tokens.append(Token(len(tokens), word, start, end, si, lower, norm))
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
                word = _last_word(line[cut:m.start()])
                last = word.replace("’", "'").rsplit("'", 1)[-1]  # "L'art."
                if word and last.lower().rstrip(".") in self.abbreviations:
                    continue
                if len(word) == 1 and word.isupper():
                    continue  # an initial: "J. Biden"
                bounds.append((line_start + cut, line_start + m.end()))
                cut = m.end()
            bounds.append((line_start + cut, line_start + len(line)))
        return [piece for s, e in bounds if text[s:e].strip() for piece in _cap(text, *_strip(text, s, e))]


def _last_word(text: str) -> str:
    """The word ending ``text`` ("" when it ends with a space): scans from the end only."""
    return text.rsplit(None, 1)[-1] if text and not text[-1].isspace() else ""


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
