"""Word lists of a language, expanded into surface forms once, looked up per token in O(1).

Verb lemmas in the data files ("accusare", "fornire/isc") are inflected with the language's
``morphology.yaml`` so the lexicon author writes lemmas, not every conjugated form. Irregular
forms are listed beside the lemma (``forms: [...]``).
"""
from __future__ import annotations

from collections.abc import Iterable

from .lang import LanguageData


class Morphology:
    def __init__(self, lang: LanguageData) -> None:
        data = lang.data("morphology") or {}
        self.classes: dict[str, dict] = data.get("verb_classes", {})
        self.variants: dict[str, list[str]] = data.get("stem_variants", {})
        self.reflexive = data.get("reflexive_suffix")
        # English-style data may have no classes: then a lemma only matches its listed forms.

    def verb_forms(self, lemma: str, verb_class: str | None = None) -> set[str]:
        lemma = lemma.lower()
        if self.reflexive and lemma.endswith(self.reflexive) and len(lemma) > 4:
            lemma = lemma[: -len(self.reflexive)] + "e"  # dimetter-si -> dimettere
        forms = {lemma}
        cls_name = verb_class or next(
            (name for name, c in self.classes.items()
             if name == c.get("ending") and lemma.endswith(c["ending"])), None)
        cls = self.classes.get(cls_name) if cls_name else None
        if not cls or not lemma.endswith(cls["ending"]):
            return forms
        stem = lemma[: -len(cls["ending"])]
        stems = {stem}
        for tail, alts in self.variants.items():
            if stem.endswith(tail):
                stems.update(stem[: -len(tail)] + alt for alt in alts)
        for s in stems:
            forms.update(s + suffix for suffix in cls["suffixes"])
        return forms


def parse_lemma(entry: str) -> tuple[str, str | None]:
    """``"fornire/isc"`` -> ``("fornire", "isc")``."""
    lemma, _, cls = entry.partition("/")
    return lemma.strip(), (cls.strip() or None)


def expand_verbs(morph: Morphology, entries: Iterable[str | dict]) -> set[str]:
    """Surface forms of verb entries: ``"accusare"``, ``"fornire/isc"`` or
    ``{verb: "dimettersi", forms: [dimesso, dimessa]}`` for irregular forms
    (``forms_only: true`` for verbs too irregular to inflect, like "dire").
    Generated forms shorter than four letters are dropped: "d-i", "d-a" are not "dire"."""
    out: set[str] = set()
    for entry in entries:
        if isinstance(entry, dict):
            if not entry.get("forms_only"):
                out |= {f for f in morph.verb_forms(*parse_lemma(entry["verb"])) if len(f) >= 4}
            out.update(f.lower() for f in entry.get("forms", []))
        else:
            out |= {f for f in morph.verb_forms(*parse_lemma(entry)) if len(f) >= 4}
    return out


class PhraseIndex:
    """Multi-word phrases looked up by their first word, longest first, so checking a token
    costs one dict lookup instead of a scan of every phrase."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.by_first: dict[str, list[list[str]]] = {}
        for phrase in phrases:
            words = phrase.lower().split()
            if words:
                self.by_first.setdefault(words[0], []).append(words)
        for options in self.by_first.values():
            options.sort(key=len, reverse=True)

    def match(self, norms: list[str], k: int) -> list[str] | None:
        """The longest phrase starting at ``norms[k]``, or None."""
        for words in self.by_first.get(norms[k], ()):
            if norms[k:k + len(words)] == words:
                return words
        return None
