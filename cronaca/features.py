"""Token and event features for the trained stages, shared by training and extraction.

One ``Featurizer`` per language, built from that language's data files (articles, prepositions,
negations, reporting cues) and the rule lexicon of event triggers, so what the rules know becomes
evidence the models weigh ("let rules and models vote") and nothing Italian lives in code.
Lemmas come from simplemma, a maintained lemmatizer with its dictionaries in the wheel.
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import cache, lru_cache

import simplemma

from .document import Document, Mention, Token
from .lang import LanguageData, get_language


NER_CONTEXT = (-2, -1, 1, 2)  # the neighbours whose words a token's NER features include
TRIGGER_CONTEXT = (-3, -2, -1, 1, 2, 3)
_NOTHING = {d: f"w{d}=<>" for d in TRIGGER_CONTEXT}  # a neighbour beyond the sentence


def shape(text: str) -> str:
    """Word shape with repeats collapsed: "Kim" → "Xx", "G7" → "Xd", "l'" → "x'"."""
    out: list[str] = []
    for ch in text:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out[:6])


class Featurizer:
    """Features of tokens for the NER and trigger taggers and of events for the status model."""

    def __init__(self, lang: LanguageData) -> None:
        from .stages.events import TriggerLexicon

        self.code = lang.code
        syntax = lang.data("syntax")
        cues = lang.data("cues")
        self.articles = set(syntax.get("articles", []))
        self.prepositions = {f for forms in syntax.get("prepositions", {}).values() for f in forms}
        self.negations = set(cues.get("negations", []))
        self.conditionals = set(cues.get("reportive_conditional", []))
        self.future_endings = tuple(cues.get("future_endings", []))
        lexicon = TriggerLexicon(lang)
        self.lexicon = {form: sorted({f"{s.type}/{s.pos}" for s in specs})
                        for form, specs in lexicon.by_form.items()}
        # word classes of the language's name lists: a title before a name, an organisation's
        # head noun, a first name, a geographic noun, a word that follows a person's name
        names = lang.data("names")
        self.word_class: dict[str, str] = {}
        for label, key in (("title", "per_context"), ("orghead", "org_heads"), ("orghead", "org_heads_lower"),
                           ("orghead", "standalone_orgs"), ("loc", "loc_nouns"), ("loc", "loc_heads"),
                           ("first", "first_names"), ("after_person", "per_after"), ("misc", "misc_words")):
            for word in names.get(key) or []:
                if isinstance(word, str) and " " not in word:
                    self.word_class.setdefault(word.lower(), label)
        self.lemma = lru_cache(maxsize=200_000)(self._lemma)
        self._status_words = self._cue_words(cues)

    def _lemma(self, norm: str) -> str:
        try:
            return simplemma.lemmatize(norm, lang=self.code)
        except ValueError:  # a language simplemma lacks: the word is its own lemma
            return norm

    @staticmethod
    def _cue_words(cues: dict) -> dict[str, str]:
        """Single words of the status and attribution cue lists, with the list they come from."""
        words: dict[str, str] = {}

        def add(value: object, label: str) -> None:
            if isinstance(value, str):
                if " " not in value.strip():
                    words.setdefault(value.strip().lower(), label)
            elif isinstance(value, dict):
                for key, sub in value.items():
                    add(sub, f"{label}.{key}" if label.count(".") < 1 else label)
            elif isinstance(value, list):
                for sub in value:
                    add(sub, label)

        for name in ("status_verbs", "status_nouns", "modals", "status_modifiers", "according_to",
                     "reportive_conditional", "negations"):
            add(cues.get(name), name)
        for entry in cues.get("speech_verbs", []):
            if isinstance(entry, dict):
                for form in entry.get("forms", []):
                    words.setdefault(form.lower(), "speech")
                if entry.get("verb"):
                    words.setdefault(entry["verb"].lower(), "speech")
            elif isinstance(entry, str):
                words.setdefault(entry.lower(), "speech")
        return words

    # -- NER ------------------------------------------------------------------------------------
    def ner_sequence(self, tokens: list[Token], gazetteer: list[str]) -> SequenceFeatures:
        """Per token: its form and shape, its neighbours', and the rule stage's tag (``B-LOC``…)."""
        keys = [(t.norm, t.text) for t in tokens]
        parts = [self._ner_word(*key) for key in keys]
        n = len(tokens)
        before, after = _adjacent_tags("g", gazetteer)
        other: list[list[str]] = []
        previous = "<>"
        for i, (_, _, shp) in enumerate(parts):
            g = gazetteer[i]
            word = keys[i][0]
            f = ["b", "g=" + g, f"sg={shp}|{g}", f"w-1w={previous}|{word}"]
            previous = word
            if i:
                f.append(before[i - 1])
            else:
                f.append("first")
            if i + 1 < n:
                f.append(after[i + 1])
            if i < 2 or i >= n - 2:
                _beyond(f, i, n, NER_CONTEXT)
            other.append(f)
        return SequenceFeatures(keys, [(own, ctx) for own, ctx, _ in parts], NER_CONTEXT, other)

    @lru_cache(maxsize=200_000)  # noqa: B019 (one Featurizer per language, kept for the process)
    def _ner_word(self, w: str, text: str) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]], str]:
        """A word's own NER features, what it lends its neighbours at each distance, its shape."""
        shp = shape(text)
        cls = self.word_class.get(w, "-")
        own = (f"w={w}", f"s={shp}", f"p3={w[:3]}", f"p4={w[:4]}", f"x2={w[-2:]}", f"x3={w[-3:]}", f"x4={w[-4:]}",
               f"c={cls}")
        ctx = {d: (f"w{d}={w}", f"s{d}={shp}", f"c{d}={cls}") if d in (-1, 1) else (f"w{d}={w}",)
               for d in NER_CONTEXT}
        return own, ctx, shp

    # -- triggers -------------------------------------------------------------------------------
    def trigger_sequence(self, tokens: list[Token], entity_tags: list[str]) -> SequenceFeatures:
        """Per token: form, lemma, the rule lexicon's readings, context words and entities, and
        whether a negation or a hearsay conditional stands just before it."""
        words = [t.norm for t in tokens]
        parts = [self._trigger_word(w) for w in words]
        n = len(words)
        before, after = _adjacent_tags("e", entity_tags)
        other: list[list[str]] = []
        last_negation = last_conditional = -10
        for i, w in enumerate(words):
            prev = words[i - 1] if i else "<>"
            f = ["b", "e=" + entity_tags[i], f"bi={prev}|{parts[i][2]}"]
            if i:
                f.append(before[i - 1])
            if i + 1 < n:
                f.append(after[i + 1])
            if i < 3 or i >= n - 3:
                _beyond(f, i, n, TRIGGER_CONTEXT)
            if tokens[i].text[:1].isupper():
                f.append("cap")
            if prev in self.articles:
                f.append("after_article")
            elif prev in self.prepositions:
                f.append("after_prep")
            if i - last_negation <= 3:  # a negation among the three words before
                f.append("neg")
            if i - last_conditional <= 3:
                f.append("cond")
            if w in self.negations:
                last_negation = i
            if w in self.conditionals:
                last_conditional = i
            other.append(f)
        return SequenceFeatures(words, [(own, ctx) for own, ctx, _ in parts], TRIGGER_CONTEXT, other)

    @lru_cache(maxsize=200_000)  # noqa: B019 (one Featurizer per language, kept for the process)
    def _trigger_word(self, w: str) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]], str]:
        """A word's own trigger features, what it lends its neighbours at each distance, its lemma."""
        lemma = self.lemma(w)
        readings = self.lexicon.get(w, ())
        own = (f"w={w}", f"l={lemma}", f"p5={w[:5]}", f"p6={w[:6]}", f"x3={w[-3:]}", f"x4={w[-4:]}",
               *(x for r in readings for x in (f"lex={r}", f"lext={r.split('/')[0]}")))
        ctx: dict[int, tuple[str, ...]] = {}
        for d in TRIGGER_CONTEXT:
            near = (f"w{d}={w}",) if abs(d) <= 2 else ()
            lexical = tuple(f"lex{d}={r}" for r in readings) if abs(d) == 1 else ()
            ctx[d] = (*near, f"l{d}={lemma}", *lexical)
        return own, ctx, lemma

    # -- status ---------------------------------------------------------------------------------
    def status_features(self, sentence_tokens: list[Token], k: int, etype: str,
                        has_attribution: bool) -> list[str]:
        """Features of one event for the status model: the trigger, the cue words of its
        sentence with their side and distance, the verb forms around it."""
        words = [t.norm for t in sentence_tokens]
        trig = words[k]
        f = ["b", f"t={etype}", f"tw={self.lemma(trig)}", f"attr={has_attribution}"]
        if trig.endswith(self.future_endings):
            f.append("future_form")
        for j, w in enumerate(words):
            label = self._status_words.get(w)
            if label is None:
                continue
            d = j - k
            side = "L" if d < 0 else "R"
            near = "n" if abs(d) <= 4 else "f"
            f.append(f"cue={label}")
            f.append(f"cue={label}/{side}{near}")
            f.append(f"cw={w}/{side}")
        for d in (-3, -2, -1, 1):
            j = k + d
            if 0 <= j < len(words):
                f.append(f"w{d}={words[j]}")
        if '"' in words[:k] or "«" in words[:k] or "“" in words[:k]:
            f.append("quoted_before")
        return f


def _adjacent_tags(label: str, tags: list[str]) -> tuple[list[str], list[str]]:
    """Each token's tag as its next token sees it (``e-1=…``) and as its previous one does (``e1=…``)."""
    return [f"{label}-1={t}" for t in tags], [f"{label}1={t}" for t in tags]


def _beyond(f: list[str], i: int, n: int, context: tuple[int, ...]) -> None:
    """A feature for each context position of token ``i`` that lies beyond the sentence."""
    for d in context:
        if not 0 <= i + d < n:
            f.append(_NOTHING[d])


@dataclass
class SequenceFeatures:
    """A sentence's tagger features in two parts. Each token's word (``keys[i]``) has its own
    features and lends its neighbours some at each distance of ``context``; both are cached per
    word, and a model can cache their summed weights per word too. ``other`` holds the features
    that depend on more than the word (tags, bigrams, cues)."""

    keys: list[Hashable]
    words: list[tuple[tuple[str, ...], dict[int, tuple[str, ...]]]]
    context: tuple[int, ...]
    other: list[list[str]]

    def __len__(self) -> int:
        return len(self.keys)

    def strings(self) -> list[list[str]]:
        """Every feature of each token as one list of strings."""
        n = len(self.words)
        out: list[list[str]] = []
        for i, (own, _) in enumerate(self.words):
            f = [*own]
            for d in self.context:
                j = i + d
                if 0 <= j < n:
                    f.extend(self.words[j][1][d])
            f.extend(self.other[i])
            out.append(f)
        return out


def mentions_by_sentence(doc: Document) -> dict[int, list[Mention]]:
    """The document's mentions grouped by the sentence they lie in (one pass: linear in the text)."""
    grouped: dict[int, list[Mention]] = {}
    for m in doc.mentions:
        if 0 <= m.token_start < len(doc.tokens):
            grouped.setdefault(doc.tokens[m.token_start].sent, []).append(m)
    return grouped


def mention_tags(tokens: list[Token], mentions: list[Mention], offset: int) -> list[str]:
    """BIO tags of mentions over a sentence's tokens (``offset``: the sentence's first token)."""
    tags = ["O"] * len(tokens)
    for m in mentions:
        lo, hi = m.token_start - offset, m.token_end - offset
        if lo < 0 or hi > len(tokens):
            continue
        label = m.type if m.role is None else f"{m.type}.{m.role}"
        tags[lo] = f"B-{label}"
        for i in range(lo + 1, hi):
            tags[i] = f"I-{label}"
    return tags


@cache
def featurizer(code: str) -> Featurizer:
    """The language's featurizer, built once and shared by the stages (and their word caches)."""
    return Featurizer(get_language(code))
