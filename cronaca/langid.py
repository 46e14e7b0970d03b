"""Language identification by function words.

Why not a statistical model: news text is full of function words, so counting the frequent
articles, prepositions and auxiliaries of each language is reliable on a single sentence, costs
one dict lookup per word and needs no download. The word lists are data
(``cronaca/lang/<code>/detect.yaml``); the candidates are the languages that have such a file.
"""
from __future__ import annotations

import re
from functools import cache

from .lang import LANG_DIR, get_language

_WORD = re.compile(r"[^\W\d_]+")
_SCAN_CHARS = 4000  # the opening of an article is plenty


@cache
def _word_table() -> tuple[tuple[str, ...], dict[str, tuple[int, ...]]]:
    """Languages with a detect.yaml, and for each word the indices of the languages it marks."""
    codes = tuple(sorted(p.name for p in LANG_DIR.iterdir() if (p / "detect.yaml").is_file()))
    table: dict[str, list[int]] = {}
    for index, code in enumerate(codes):
        for word in get_language(code).data("detect").get("words", []):
            table.setdefault(str(word).lower(), []).append(index)
    return codes, {w: tuple(ix) for w, ix in table.items()}


def detectable_languages() -> tuple[str, ...]:
    """The language codes :func:`detect_language` can return."""
    return _word_table()[0]


def language_scores(text: str) -> dict[str, int]:
    """How many words of ``text`` (its opening) are function words of each language."""
    codes, table = _word_table()
    counts = [0] * len(codes)
    for word in _WORD.findall(text[:_SCAN_CHARS].lower()):
        for index in table.get(word, ()):
            counts[index] += 1
    return dict(zip(codes, counts, strict=True))


def detect_language(text: str, default: str = "it") -> str:
    """The best-scoring language of ``text``; ``default`` when no function word is found or on a tie."""
    scores = language_scores(text)
    best = max(scores.values(), default=0)
    winners = [code for code, score in scores.items() if score == best]
    return winners[0] if best > 0 and len(winners) == 1 else default
