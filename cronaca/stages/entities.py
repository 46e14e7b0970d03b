"""Named mentions: people, organizations, places and demonyms.

Dictionaries first (the place gazetteer, ``organizations.yaml``, the shared ``actors.yaml``),
matched over tokens with a trie of normalized word pieces, leftmost-longest.
Names no list knows come from rules over capitalized token runs, typed by cue words kept in
``names.yaml`` (first names, organization heads, place context). An installed spaCy
statistical pipeline, when there is one, only fills spans both missed.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import spacy

from ..document import Document, Mention, Token
from ..gazetteer import country_name, load_places, load_regions
from ..lang import LanguageData, shared_data
from .segment import normalize

# Higher wins when two dictionary entries cover the same tokens.
_PRIORITY = {"person": 6, "country": 5, "seat": 5, "organization": 4, "body": 3, "place": 2,
             "demonym": 1}
_MODEL_TYPES = {"PER": "PER", "PERSON": "PER", "LOC": "LOC", "GPE": "LOC", "ORG": "ORG"}


def pieces(text: str) -> list[tuple[str, bool]]:
    """The word pieces of a token, split at hyphens, each with "starts with a capital".

    "Jong-un" and "Jong Un" both give the pieces ``jong``, ``un``, so the trie matches either.
    """
    return [(normalize(p), p[:1].isupper()) for p in text.split("-") if p]


def token_pieces(tokens: list[Token]) -> list[list[tuple[str, bool]]]:
    """``pieces`` of every token, reusing the segmenter's normalized form when there is no hyphen."""
    return [[(t.norm, t.text[:1].isupper())] if "-" not in t.text else pieces(t.text)
            for t in tokens]


@dataclass(slots=True)
class Entry:
    """One surface form of a dictionary item, as word pieces."""

    keys: tuple[str, ...]
    caps: tuple[bool, ...]  # pieces that must be capitalized in the text (case-sensitive forms)
    type: str
    role: str
    name: str | None
    kind: str | None
    country: str | None
    sector: str | None
    priority: int
    extra: dict | None = None  # what a caller attached (role ids of a role noun, …)
    lower_only: bool = False  # "russo" the adjective, not "Russo" the surname


@dataclass(slots=True)
class _Node:
    """A trie node: the entries spelled by the word pieces leading to it, best first."""

    entries: list[Entry] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)


class TokenTrie:
    """Surface forms as a trie of normalized word pieces; the longest form matching wins."""

    def __init__(self, tokenize: Callable[[str], Iterable[str]]) -> None:
        self.tokenize = tokenize
        self.index: dict[str, list[Entry]] = defaultdict(list)  # by first piece, longest first
        self.root = _Node()
        # (first piece, capitalized in the text) pairs that can start an entry, so that a
        # lower-case "la" is dismissed at once though many "La …" forms are listed
        self.starts: set[tuple[str, bool]] = set()

    def add(self, surface: str, *, case_sensitive: bool, **fields: Any) -> None:
        parts = [p for tok in self.tokenize(surface) for p in pieces(tok)]
        if not parts:
            return
        keys = tuple(k for k, _ in parts)
        caps = tuple(c and case_sensitive for _, c in parts)
        self.index[keys[0]].append(Entry(keys=keys, caps=caps, **fields))

    def freeze(self) -> None:
        """Sort candidates longest first; a form listed for several countries keeps none."""
        for first, cands in self.index.items():
            countries: dict[tuple, set] = defaultdict(set)
            for e in cands:
                countries[(e.keys, e.type, e.role)].add(e.country)
            kept: dict[tuple, Entry] = {}
            for e in cands:
                key = (e.keys, e.type, e.role, e.caps)
                if key in kept:
                    continue
                if len(countries[(e.keys, e.type, e.role)]) > 1:
                    e.country = None
                    e.name = None if e.type != "PER" else e.name
                kept[key] = e
            self.index[first] = sorted(kept.values(), key=lambda e: (-len(e.keys), -e.priority))
            for e in self.index[first]:  # highest priority first at each node
                node = self.root
                for piece in e.keys:
                    node = node.children.setdefault(piece, _Node())
                node.entries.append(e)
                self.starts.update((first, cap) for cap in (False, True) if _case_fits(e, 0, cap))

    def match(self, doc_pieces: list[list[tuple[str, bool]]], i: int, end: int) -> tuple[Entry, int] | None:
        """The longest entry starting at token ``i`` (not past ``end``) and the token after it.

        Entries end with a token: after each, the first entry of the node reached whose
        capitals fit the text's is kept, until the text leaves the trie.
        """
        if not doc_pieces[i] or doc_pieces[i][0] not in self.starts:
            return None
        best: tuple[Entry, int] | None = None
        node = self.root
        caps: list[bool] = []
        j = i
        while j < end and node.children:
            toks = doc_pieces[j]
            j += 1
            if not toks:  # a bare hyphen between pieces: "Jong - un"
                continue
            for key, cap in toks:
                child = node.children.get(key)
                if child is None:
                    return best
                node = child
                caps.append(cap)
            for entry in node.entries:
                if all(_case_fits(entry, k, cap) for k, cap in enumerate(caps)):
                    best = (entry, j)
                    break
        return best


def _case_fits(entry: Entry, k: int, cap: bool) -> bool:
    """Whether a text piece, capitalized or not, may stand for the entry's ``k``-th piece."""
    return not (entry.caps[k] and not cap) and not (entry.lower_only and cap)


@cache
def _stop_words(code: str) -> frozenset[str]:
    """spaCy's stop words of the language: a capitalized one opening a sentence is no name."""
    return frozenset(normalize(w) for w in spacy.blank(code).Defaults.stop_words)


@cache
def surface_tokenizer(code: str) -> Callable[[str], list[str]]:
    """Dictionary forms are split like article text (same spaCy rules), so tokens line up."""
    tok = spacy.blank(code).tokenizer
    return lambda text: [t.text for t in tok(text) if not t.is_space]


def _load_model(code: str) -> Callable[[str], Any] | None:
    """An installed spaCy statistical pipeline for the language, if any (never downloaded)."""
    for size in ("lg", "md", "sm"):
        name = f"{code}_core_news_{size}"
        if spacy.util.is_package(name):
            return spacy.load(name, disable=["parser", "lemmatizer", "tagger", "morphologizer"])
    return None


def _lower_set(values: Iterable[str] | None) -> set[str]:
    return {normalize(v) for v in values or ()}


class EntityRecognizer:
    """Fills ``doc.mentions`` (sorted, non-overlapping) with PER, LOC, ORG and NORP mentions."""

    name = "entities"

    def __init__(self, lang: LanguageData, model: Callable[[str], Any] | None = None) -> None:
        self.lang = lang
        self.tokenize = surface_tokenizer(lang.code)
        self.trie = TokenTrie(self.tokenize)
        self._add_places(lang)
        self._add_organizations(lang.data("organizations") or {})
        self._add_people(shared_data("actors") or {})
        self.trie.freeze()
        self.patterns = self._patterns(lang.data("organizations") or {})
        cues = lang.data("names") or {}
        self.first_names = _lower_set(cues.get("first_names"))
        self.particles = _lower_set(cues.get("name_particles"))
        self.org_heads = _lower_set(cues.get("org_heads"))
        self.org_suffixes = _lower_set(cues.get("org_suffixes"))
        self.org_heads_lower = _lower_set(cues.get("org_heads_lower"))
        self.org_connectors = _lower_set(cues.get("org_connectors"))
        self.loc_heads = _lower_set(cues.get("loc_heads"))
        self.loc_tails = _lower_set(cues.get("loc_tails"))
        self.loc_nouns = _lower_set(cues.get("loc_nouns"))
        self.street_nouns = _lower_set(cues.get("street_nouns"))
        self.of_words = _lower_set(cues.get("of_words"))
        self.loc_suffixes = tuple(sorted(_lower_set(cues.get("loc_suffixes")), key=len, reverse=True))
        self.loc_context = self._phrases(cues.get("loc_context"))
        self.per_context = _lower_set(cues.get("per_context"))
        self.per_after = _lower_set(cues.get("per_after"))
        self.not_names = _lower_set(cues.get("not_names"))
        self.stop_words = _stop_words(lang.code)
        self.list_joiners = _lower_set(cues.get("list_joiners"))
        self.cap_particles = _lower_set(cues.get("cap_particles"))
        self.portfolios = _lower_set(cues.get("portfolios"))
        self.standalone_orgs = _lower_set(cues.get("standalone_orgs"))
        self.name_suffixes = set(cues.get("name_suffixes") or ())
        self.misc_words = _lower_set(cues.get("misc_words"))
        self.common_words = _lower_set(cues.get("common_words"))
        self.model = model if model is not None else _load_model(lang.code)

    # -- dictionaries ---------------------------------------------------------------------------

    def _add_places(self, lang: LanguageData) -> None:
        for p in load_places(lang):
            if p.kind == "adjective":
                self.trie.add(p.text, case_sensitive=False, type="NORP", role="demonym",
                              name=country_name(p.country) or p.country, kind="state",
                              country=p.country, sector=None, priority=_PRIORITY["demonym"],
                              lower_only=p.text.islower())
            elif p.kind == "body":
                self.trie.add(p.text, case_sensitive=True, type="ORG", role="body",
                              name=country_name(p.country) or p.text, kind="organization",
                              country=p.country, sector=p.sector or "IGO", priority=_PRIORITY["body"])
            elif p.kind in ("country", "seat"):
                self.trie.add(p.text, case_sensitive=True, type="LOC", role=p.kind,
                              name=country_name(p.country) or p.text, kind="state",
                              country=p.country, sector=p.sector if p.kind == "seat" else None,
                              priority=_PRIORITY[p.kind])
            else:
                self.trie.add(p.text, case_sensitive=True, type="LOC", role="place", name=p.text,
                              kind=None, country=p.country, sector=None, priority=_PRIORITY["place"])
        for region in load_regions(lang):  # continents, seas: places of no single country
            self.trie.add(region, case_sensitive=True, type="LOC", role="place", name=region,
                          kind=None, country=None, sector=None, priority=_PRIORITY["place"])

    def _add_organizations(self, data: dict) -> None:
        for org in data.get("organizations") or []:
            for surface in {org["name"], *(org.get("aliases") or [])}:
                self.trie.add(surface, case_sensitive=True, type="ORG", role="organization",
                              name=org["name"], kind="organization", country=org.get("country"),
                              sector=org.get("sector"), priority=_PRIORITY["organization"])

    def _add_people(self, data: dict) -> None:
        for person in data.get("people") or []:
            for surface in {person["name"], *(person.get("aliases") or [])}:
                self.trie.add(surface, case_sensitive=True, type="PER", role="person",
                              name=person["name"], kind="person", country=person.get("country"),
                              sector=person.get("sector"), priority=_PRIORITY["person"])

    def _patterns(self, data: dict) -> dict[str, list[tuple[tuple[str, ...], dict]]]:
        """"Tribunale di" + a capitalized place: head word pieces indexed by the first."""
        index: dict[str, list[tuple[tuple[str, ...], dict]]] = defaultdict(list)
        for pat in data.get("patterns") or []:
            keys = tuple(k for tok in self.tokenize(pat["head"]) for k, _ in pieces(tok))
            index[keys[0]].append((keys, pat))
        for cands in index.values():
            cands.sort(key=lambda c: -len(c[0]))
        return index

    def _phrases(self, values: Iterable[str] | None) -> set[tuple[str, ...]]:
        return {tuple(normalize(t) for t in self.tokenize(v)) for v in values or ()}

    # -- recognition ----------------------------------------------------------------------------

    def __call__(self, doc: Document) -> Document:
        tokens = doc.tokens
        doc_pieces = token_pieces(tokens)
        mentions: list[Mention] = []
        unnamed: list[int] = []  # capitalized words left untyped, for the surname pass
        for sent in doc.sentences:
            shouting = _all_caps(tokens[sent.token_start:sent.token_end])
            found = self._dictionary(doc, doc_pieces, sent.token_start, sent.token_end, shouting)
            if not shouting:  # in an all-caps headline a capital tells nothing
                found += self._rules(doc, found, sent.token_start, sent.token_end, unnamed)
            mentions += self._with_place_nouns(doc, found, sent.token_start)
        mentions.sort(key=lambda m: m.start)
        mentions = self._known_surnames(doc, mentions, unnamed)
        if self.model is not None:
            mentions = self._model_mentions(doc, mentions)
        doc.mentions = mentions
        return doc

    def _dictionary(self, doc: Document, doc_pieces: list, start: int, end: int,
                    shouting: bool) -> list[Mention]:
        found: list[Mention] = []
        trie_starts = self.trie.starts
        # Most tokens start no dictionary form nor pattern: one lookup each skips them.
        starts = [k for k, first in enumerate(doc_pieces[start:end], start)
                  if first and (first[0] in trie_starts or first[0][0] in self.patterns)]
        i = start
        for k in starts:
            if k < i:
                continue  # inside the span just matched or skipped
            i = k
            hit = self.trie.match(doc_pieces, i, end)
            pat = self._pattern(doc, doc_pieces, i, end)
            if pat and (hit is None or pat[1] > hit[1]):
                found.append(pat[0])
                i = pat[1]
            elif hit and not shouting and (
                    self._ordinary_word(doc, i, hit[1], start, end)
                    or self._inside_unknown_name(doc, hit[0], i, hit[1], start, end, found)):
                i = hit[1]
            elif hit:
                entry, j = hit
                if entry.type == "PER" and j == i + 1 and not shouting:
                    i = self._given_names_before(doc, i, start, found)
                found.append(_mention(doc, i, j, entry.type, name=entry.name, kind=entry.kind,
                                      country=entry.country, sector=entry.sector, role=entry.role,
                                      source="gazetteer"))
                i = j
        return found

    def _ordinary_word(self, doc: Document, i: int, j: int, start: int, end: int) -> bool:
        """A one-word name that is also a common word, opening the sentence ("Nato a Roma")."""
        tok = doc.tokens[i]
        return (i == start and j == i + 1 and tok.norm in self.common_words and not tok.text.isupper()
                and not (j < end and doc.tokens[j].norm in self.per_after))

    def _given_names_before(self, doc: Document, i: int, start: int, found: list[Mention]) -> int:
        """Where a listed surname's full name begins: "Sergej Viktorovič Lavrov"."""
        tokens = doc.tokens
        limit = found[-1].token_end if found else start
        k = i
        while k - 1 >= limit and self._is_name_token(tokens[k - 1]) \
                and tokens[k - 1].end + 1 == tokens[k].start \
                and tokens[k - 1].norm not in self.not_names \
                and not (k - 1 == start and tokens[k - 1].norm in self.stop_words):
            k -= 1
        return k

    def _inside_unknown_name(self, doc: Document, entry: Entry, i: int, j: int, start: int,
                             end: int, found: list[Mention]) -> bool:
        """A listed word that is only part of a longer, unlisted person's name: "Kim" in
        "Kim Kardashian", the town "Ferrara" in "Giovanni Ferrara"."""
        tokens = doc.tokens
        if entry.type == "PER" and j == i + 1 and j < end:
            nxt = tokens[j]
            return self._is_name_token(nxt) and nxt.norm not in self.not_names \
                and nxt.start == tokens[i].end + 1
        if entry.type == "LOC" and entry.role in ("place", "seat") and i > start:
            prev = tokens[i - 1]  # "Giovanni Ferrara", "Lucio D'Andria"
            return (prev.norm in self.first_names or prev.norm in self.cap_particles) \
                and prev.is_title and not (found and found[-1].token_end == i)
        return False

    def _is_place(self, piece: str) -> bool:
        return any(e.keys == (piece,) and e.type == "LOC" for e in self.trie.index.get(piece, ()))

    def _pattern(self, doc: Document, doc_pieces: list, i: int, end: int) -> tuple[Mention, int] | None:
        """"Tribunale di" + a capitalized place name: an organization of that place."""
        first = doc_pieces[i]
        if not first or (not doc.tokens[i].is_title and first[0][0] not in self.org_heads_lower):
            return None
        for keys, pat in self.patterns.get(first[0][0], ()):
            j, k = i, 0
            while k < len(keys) and j < end \
                    and [p for p, _ in doc_pieces[j]] == list(keys[k:k + len(doc_pieces[j])]):
                k += len(doc_pieces[j])
                j += 1
            if k != len(keys) or j >= end:
                continue
            place = self.trie.match(doc_pieces, j, end)
            if place and place[0].type == "LOC":
                stop, country = place[1], place[0].country
            else:
                stop, country = j, pat.get("country")
                while stop < end and self._is_cap(doc.tokens[stop]):
                    stop += 1
            if stop == j:
                continue
            return _mention(doc, i, stop, "ORG", name=None, kind="organization", country=country,
                            sector=pat.get("sector"), role="organization", source="rule"), stop
        return None

    def _is_cap(self, tok: Token) -> bool:
        return tok.text[:1].isupper() and tok.text[:1].isalpha() and tok.norm not in self.not_names

    def _rules(self, doc: Document, found: list[Mention], start: int, end: int,
               unnamed: list[int]) -> list[Mention]:
        """Capitalized runs outside dictionary matches, typed by cue words; one-word runs left
        untyped go to ``unnamed``."""
        covered = {t for m in found for t in range(m.token_start, m.token_end)}
        tokens = doc.tokens
        out: list[Mention] = []
        untyped: list[int] = []
        # Most words cannot open a name: a cheap test (capital, hyphen, particle) skips them.
        maybe = [k for k, t in enumerate(tokens[start:end], start)
                 if t.text[:1].isupper() or "-" in t.text or t.norm in self.particles]
        i = start
        for k in maybe:
            if k < i or k in covered \
                    or not (self._is_name_token(tokens[k]) or self._particle_start(tokens, k, end)):
                continue
            i = k
            j = self._extend(tokens, i, end, covered)
            if i == start and tokens[i].norm in self.stop_words \
                    and tokens[i].norm not in self.first_names and not self._cap_particle(tokens, i, j):
                i += 1  # "Fuori Roma": a common word opening the sentence
            while i < j and (tokens[i].norm in self.not_names or tokens[i].norm.endswith("mente")
                             or tokens[i].norm in self.portfolios) \
                    and not self._cap_particle(tokens, i, j):
                i += 1  # "Il", "Ma", "Presidente", "Sicuramente", "Lavoro" opening a run
            for a, b in self._split_at_first_names(tokens, i, j):
                mention = self._typed(doc, a, b, start, end)
                if mention:
                    out.append(mention)
                elif b - a == 1:
                    unnamed.append(a)
                    if a > start:
                        untyped.append(a)
            i = max(j, i + 1)
        return out + self._coordinated(doc, found + out, untyped)

    def _coordinated(self, doc: Document, known: list[Mention], untyped: list[int]) -> list[Mention]:
        """"Cattenom, Civaux e Flamanville": a name in a list takes the type of its neighbours."""
        ends = {m.token_end: m.type for m in known if m.type in ("PER", "LOC", "ORG")}
        starts = {m.token_start: m.type for m in known if m.type in ("PER", "LOC", "ORG")}
        tokens = doc.tokens
        out: list[Mention] = []
        for order in (untyped, list(reversed(untyped))):
            for i in order:
                if i in starts:
                    continue
                left = ends.get(i - 1) if tokens[i - 1].norm in self.list_joiners else None
                right = starts.get(i + 2) if i + 2 < len(tokens) and \
                    tokens[i + 1].norm in self.list_joiners else None
                kind = left or right
                if kind is None:
                    continue
                m = _mention(doc, i, i + 1, kind, name=None, kind=_KIND[kind], country=None,
                             sector=None, role="name", source="rule")
                out.append(m)
                starts[i], ends[i + 1] = kind, kind
        return out

    def _cap_particle(self, tokens: list[Token], i: int, end: int) -> bool:
        """"Di" in "Luigi Di Maio", "D'" in "D'Alema": a capitalized particle before a name."""
        tok = tokens[i]
        return tok.text[:1].isupper() and tok.norm in self.cap_particles and i + 1 < end \
            and tokens[i + 1].text[:1].isupper() and tokens[i + 1].norm not in self.not_names

    def _particle_start(self, tokens: list[Token], i: int, end: int) -> bool:
        """"von Wogau", "de Palacio": a name particle opening a surname."""
        return tokens[i].norm in self.particles and i + 1 < end \
            and tokens[i + 1].text[:1].isupper() and tokens[i + 1].norm not in self.not_names

    def _split_at_first_names(self, tokens: list[Token], i: int, j: int) -> list[tuple[int, int]]:
        """"Venezuela Hugo Chávez", "Morta Terri Schiavo": a first name after a word that is no
        first name starts a new name."""
        parts, a = [], i
        for k in range(i + 1, j - 1):  # the first name must open a name of two words or more
            prev = tokens[k - 1]
            if tokens[k].norm in self.first_names and prev.norm not in self.first_names \
                    and prev.norm not in self.loc_heads and prev.norm not in self.cap_particles \
                    and self._is_name_token(prev) and self._is_name_token(tokens[k + 1]):
                parts.append((a, k))
                a = k
        parts.append((a, j))
        return [(x, y) for x, y in parts if x < y]

    def _is_name_token(self, tok: Token) -> bool:
        """Capitalized, or a particle glued to a capitalized name ("al-Maliki")."""
        first = tok.text[:1]
        if first.isupper() and first.isalpha():
            return True
        if "-" not in tok.text:
            return False
        head, _, rest = tok.text.partition("-")
        return head.lower() in self.particles and rest[:1].isupper()

    def _extend(self, tokens: list[Token], i: int, end: int, covered: set[int]) -> int:
        """The end of the capitalized run starting at ``i``: names joined by particles, hyphens,
        and (inside an organization's or a place's name) connectors such as "di", "dell'"."""
        j = i + 1
        is_org = tokens[i].norm in self.org_heads
        is_place = tokens[i].norm in self.loc_heads  # "Isola del Giglio", "Valle d'Aosta"
        while j < end and j not in covered:
            tok = tokens[j]
            if tok.text in self.name_suffixes and not is_org:
                j += 1
                break
            if self._is_name_token(tok) and (tok.norm not in self.not_names
                                             or self._cap_particle(tokens, j, end)):
                if tok.norm in self.portfolios and not is_org:
                    break  # "il ministro del Lavoro Mario Rossi"
                is_org = is_org or tok.norm in self.org_heads
                j += 1
                continue
            glued = tok.start == tokens[j - 1].end
            if tok.text == "-" and glued and j + 1 < end and tokens[j + 1].start == tok.end \
                    and tokens[j + 1].text[:1].isalpha():
                j += 2  # "Jong-un" split as Jong / - / un
                continue
            joiner = self.org_connectors if is_org or is_place else self.particles
            nxt = j + 1
            while nxt < end and tokens[nxt].norm in joiner and nxt - j < 3:
                nxt += 1
            if tok.norm in joiner and nxt < end and nxt not in covered \
                    and self._is_name_token(tokens[nxt]) and tokens[nxt].norm not in self.not_names:
                j = nxt
                continue
            break
        return j

    def _typed(self, doc: Document, i: int, j: int, s_start: int, s_end: int) -> Mention | None:
        tokens = doc.tokens
        run = tokens[i:j]
        norms = [t.norm for t in run]
        caps_only = [t for t in run if self._is_name_token(t)]
        before = tokens[i - 1].norm if i > s_start else ""
        before2 = tuple(t.norm for t in tokens[max(s_start, i - 3):i])
        kind: str | None = None
        if any(n in self.misc_words for n in norms):
            return None
        if norms[0] in self.first_names and not (len(run) > 1 and norms[-1] in self.org_suffixes):
            kind = "PER"  # "Gianni Verdi", though "Verdi" is also a party
        elif (len(caps_only) > 1 and any(n in self.org_heads for n in norms)) \
                or (len(run) > 1 and norms[-1] in self.org_suffixes):
            kind = "ORG"
        elif norms[0] in self.particles:
            kind = "PER"
        elif before in self.per_context:
            kind = "PER"
        elif (norms[0] in self.loc_heads or norms[-1] in self.loc_tails) and len(run) > 1:
            kind = "LOC"
        elif len(caps_only) > 1 and norms[1] in self.first_names:
            kind = "PER"
        elif len(run) == 1 and _is_acronym(run[0].text) and self._code_after_place(doc, i, j):
            kind = "LOC"  # "Vernio (PO)": the code of the province or state after a town
        elif len(run) == 1 and (_is_acronym(run[0].text) or
                                (norms[0] in self.standalone_orgs and i > s_start)):
            kind = "ORG"
        elif any(before2[-n:] in self.loc_context for n in (1, 2, 3) if len(before2) >= n) \
                or self._place_noun_before(doc, i, s_start) is not None:
            kind = "LOC"
        elif len(run) == 1 and "-" in run[0].text and any(
                self._is_place(p) for p, _ in pieces(run[0].text)):
            kind = "LOC"  # "Roma-Lido", a line or a district named after places
        elif norms[-1].endswith(self.loc_suffixes) and len(run) == 1:
            kind = "LOC"
        elif len(caps_only) >= 2 and all(t.text.isalpha() and not t.text.isupper() for t in caps_only):
            kind = "PER"
        elif j < s_end and tokens[j].norm in self.per_after:
            kind = "PER"
        if kind is None:
            return None
        if i == s_start and len(run) == 1 and kind != "ORG" and norms[0] not in self.first_names:
            if not (j < s_end and tokens[j].norm in self.per_after):
                return None  # a capital that only opens the sentence
        # "l'università di Nottingham": a lower-case head word before "di X" joins the name.
        if kind in ("LOC", "ORG") and i - 2 >= s_start and tokens[i - 1].norm in self.org_connectors \
                and tokens[i - 2].norm in self.org_heads_lower:
            i, kind = i - 2, "ORG"
        return _mention(doc, i, j, kind, name=None, kind=_KIND[kind], country=None, sector=None,
                        role="name", source="rule")

    def _code_after_place(self, doc: Document, i: int, j: int) -> bool:
        tokens = doc.tokens
        return len(tokens[i].text) == 2 and i >= 2 and j < len(tokens) \
            and tokens[i - 1].text == "(" and tokens[j].text == ")" \
            and tokens[i - 2].text[:1].isupper() and tokens[i - 2].text[:1].isalpha()

    def _place_noun_before(self, doc: Document, i: int, start: int) -> int | None:
        """The token of "golfo" in "golfo del Messico", "via" in "via Roma", if any."""
        k = i - 1
        if k >= start and doc.tokens[k].norm in self.of_words:
            k -= 1
        if k < start or doc.tokens[k].norm not in self.loc_nouns:
            return None
        # "la Regione Lombardia" with a capital is the institution, not the territory
        return None if doc.tokens[k].is_title and doc.tokens[k].norm in self.standalone_orgs else k

    def _with_place_nouns(self, doc: Document, found: list[Mention], start: int) -> list[Mention]:
        """A place grows over the common noun naming it: the gulf, not Mexico; the airport of
        Moscow stands for no government. A rule mention of the noun alone ("Regione") goes."""
        by_token = {t: m for m in found for t in range(m.token_start, m.token_end)}
        out: dict[int, Mention] = {id(m): m for m in found}
        for m in found:
            if m.type != "LOC":
                continue
            k = self._place_noun_before(doc, m.token_start, start)
            if k is None:
                continue
            inside = {id(by_token[t]) for t in range(k, m.token_start) if t in by_token}
            if any(out[i].source != "rule" or out[i].token_start < k for i in inside if i in out):
                continue
            for i in inside:
                out.pop(i, None)
            # "piazza di Spagna", "corso Francia": a street named after a country is not in it
            named_after_country = doc.tokens[k].norm in self.street_nouns and m.role == "country"
            country = None if named_after_country else m.country
            out[id(m)] = _mention(doc, k, m.token_end, "LOC", name=None, kind=None,
                                  country=country, sector=None, role="place", source=m.source)
        return list(out.values())

    def _known_surnames(self, doc: Document, mentions: list[Mention],
                        unnamed: list[int]) -> list[Mention]:
        """A one-word rule mention or untyped capitalized word equal to a word of an earlier
        person's name is that person: "Rossi" after "Mario Rossi"."""
        tokens = doc.tokens
        words: dict[str, int] = {}  # word of a person's name -> where that person is first named
        for m in mentions:
            if m.type == "PER" and m.token_end - m.token_start > 1:
                for t in tokens[m.token_start:m.token_end]:
                    words.setdefault(t.norm, m.start)
        if not words:
            return mentions
        for m in mentions:
            if m.source == "rule" and m.token_end - m.token_start == 1 \
                    and words.get(tokens[m.token_start].norm, m.start) < m.start:
                m.type, m.kind = "PER", "person"
        covered = {t for m in mentions for t in range(m.token_start, m.token_end)}
        added = [_mention(doc, i, i + 1, "PER", name=None, kind="person", country=None,
                          sector=None, role="name", source="rule")
                 for i in unnamed if i not in covered
                 and words.get(tokens[i].norm, tokens[i].start) < tokens[i].start]
        return sorted(mentions + added, key=lambda m: m.start) if added else mentions

    def _model_mentions(self, doc: Document, mentions: list[Mention]) -> list[Mention]:
        """Entities of the statistical pipeline over tokens no other mention covers."""
        parsed = self.model(doc.text)
        doc.spacy_doc = parsed
        covered = {t for m in mentions for t in range(m.token_start, m.token_end)}
        by_start = {t.start: t.i for t in doc.tokens}
        by_end = {t.end: t.i for t in doc.tokens}
        for ent in parsed.ents:
            etype = _MODEL_TYPES.get(ent.label_)
            i, last = by_start.get(ent.start_char), by_end.get(ent.end_char)
            if etype is None or i is None or last is None:
                continue
            if any(t in covered for t in range(i, last + 1)):
                continue
            mentions.append(_mention(doc, i, last + 1, etype, name=None, kind=_KIND[etype],
                                     country=None, sector=None, role="name", source="model"))
            covered.update(range(i, last + 1))
        mentions.sort(key=lambda m: m.start)
        return mentions


_KIND = {"PER": "person", "ORG": "organization", "LOC": None}


def _all_caps(tokens: list[Token]) -> bool:
    """A headline in capitals: most of its words are upper-case."""
    words = [t.text for t in tokens if len(t.text) > 1 and t.text[0].isalpha()]
    return len(words) >= 3 and len([w for w in words if w.isupper()]) > 0.6 * len(words)


def _is_acronym(text: str) -> bool:
    """"ONU", "F.B.I." — not "H1N1" nor a Roman numeral ("XXXII")."""
    letters = text.replace(".", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper() \
        and not set(letters) <= set("IVXLCDM")


def _mention(doc: Document, i: int, j: int, type_: str, **fields: Any) -> Mention:
    start, end = doc.tokens[i].start, doc.tokens[j - 1].end
    text = doc.text[start:end]
    if fields.get("name") is None and type_ != "NORP":
        fields["name"] = text
    return Mention(start=start, end=end, text=text, type=type_, token_start=i, token_end=j, **fields)
