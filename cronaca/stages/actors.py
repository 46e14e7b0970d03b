"""Actors: what each mention stands for (country, sector, and the person behind a role).

Three steps over the mentions of the entity stage, with role and group nouns from
``roles.yaml``:
1. role appositives give a person the country and sector of the office named with them
   ("il viceministro degli Esteri russo Andrey Rudenko", "Mario Rossi, portavoce del …");
2. a group or office noun with a demonym or a country becomes a nominal (``NOM``) mention
   ("l'esercito ucraino", "funzionari USA"), absorbing the mentions inside it;
3. light coreference: a surname alone takes the full person mentioned earlier, and a role
   alone ("il presidente russo") the person holding it, from the article or ``actors.yaml``.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ..document import Document, Mention
from ..lang import LanguageData, shared_data
from .entities import Entry, TokenTrie, pieces, surface_tokenizer, token_pieces
from .segment import normalize

_EVIDENCE_TYPES = ("NORP", "LOC", "ORG")
_MAX_MODIFIER_WORDS = 2  # lower-case words allowed between a role noun and its country
_MAX_SPAN = 9  # tokens from the role noun to the end of its modifiers


@dataclass(slots=True)
class _Phrase:
    """A role or group noun phrase with what follows it up to its country."""

    start: int  # token of the noun
    end: int  # token after the last modifier that counted
    entry: Entry
    country: str | None  # from a demonym, a country, a seat or an organization
    place_country: str | None  # from a town or region ("il procuratore di Milano"): persons only
    org_sector: str | None  # sector of an organization named inside ("portavoce del Cremlino")
    named_org: bool = False  # an organization's name inside: "il presidente della Consob"
    inner: tuple[int, Entry] | None = None  # a group noun inside: "soldati dell'esercito cinese"
    head_end: int = 0  # token after the role/group noun itself


class ActorResolver:
    """Gives mentions their actor: fills ``country``/``sector``/``name`` of persons from their
    roles, adds ``NOM`` mentions for group and office phrases, and links later mentions."""

    name = "actors"

    def __init__(self, lang: LanguageData) -> None:
        self.lang = lang
        tokenize = surface_tokenizer(lang.code)
        self.trie = TokenTrie(tokenize)
        data = lang.data("roles") or {}
        for role in data.get("roles") or []:
            for text in role["text"]:
                self.trie.add(text, case_sensitive=False, type="NOM", role="role", name=None,
                              kind="person", country=None, sector=role.get("sector"), priority=2,
                              extra={"ids": tuple(role.get("ids") or ()),
                                     "inherit": bool(role.get("inherit"))})
        for group in data.get("groups") or []:
            for text in group["text"]:
                self.trie.add(text, case_sensitive=False, type="NOM", role="group", name=None,
                              kind=group.get("kind", "group"), country=None,
                              sector=group.get("sector"), priority=1, extra=None)
        self.trie.freeze()
        # The first word pieces of the role and group nouns (split as the trie splits them): a
        # token starting with another piece starts no phrase, and is passed over without a lookup.
        texts = [t for entry in (data.get("roles") or []) + (data.get("groups") or []) for t in entry["text"]]
        self.first_pieces = frozenset(parts[0][0] for text in texts
                                      if (parts := [p for tok in tokenize(text) for p in pieces(tok)]))
        # English puts the demonym first ("the Ukrainian army"), Italian after ("l'esercito ucraino").
        self.demonym_before = bool(data.get("demonym_before"))
        cues = lang.data("names") or {}
        self.of_words = {normalize(w) for w in cues.get("of_words") or ()}
        self.determiners = {normalize(w) for w in cues.get("determiners") or ()}
        self.joiners = {normalize(w) for w in cues.get("list_joiners") or ()}
        self.holders = _role_holders(shared_data("actors") or {})
        syntax = lang.data("syntax") or {}
        self.definite = {normalize(w) for w in syntax.get("articles") or ()} | {
            normalize(w) for forms in (syntax.get("prepositions") or {}).values() for w in forms
            if "'" in w or len(w) > 2 and w[-1] in "aeiol"}

    def __call__(self, doc: Document) -> Document:
        doc_pieces = token_pieces(doc.tokens)
        by_token: dict[int, Mention] = {}
        for m in doc.mentions:
            for t in range(m.token_start, m.token_end):
                by_token[t] = m
        # Where the scan below stops: a mention's tokens, and tokens that may start a noun.
        first_pieces = self.first_pieces
        stops = sorted(set(by_token).union([i for i, p in enumerate(doc_pieces)
                                            if p and p[0][0] in first_pieces]))
        people_roles: list[tuple[Mention, tuple[str, ...]]] = []  # persons with the role they hold
        noms: list[tuple[Mention, tuple[str, ...]]] = []
        for sent in doc.sentences:
            i = sent.token_start
            while i < sent.token_end:
                m = by_token.get(i)
                demonym = None
                if m is not None and m.type == "NORP" and self.demonym_before and m.country:
                    demonym, i = m, m.token_end
                elif m is not None and (m.type != "ORG" or not self._retargeted(m, by_token)):
                    i = m.token_end
                    continue
                hit = self.trie.match(doc_pieces, i, sent.token_end) if i < sent.token_end else None
                if hit is None:
                    if demonym is None:  # on to the next token where something may start
                        k = bisect_right(stops, i)
                        i = stops[k] if k < len(stops) else sent.token_end
                    continue
                phrase = self._phrase(doc, doc_pieces, hit[0], i, hit[1], sent.token_end, by_token)
                phrase.head_end = hit[1]
                if demonym is not None:
                    phrase.start, phrase.country = demonym.token_start, demonym.country
                i = self._resolve(doc, phrase, sent.token_start, by_token, people_roles, noms)
        self._coreference(doc, people_roles, noms)
        doc.mentions.sort(key=lambda m: m.start)
        return doc

    @staticmethod
    def _retargeted(org: Mention, by_token: dict[int, Mention]) -> bool:
        """An organization name followed by a demonym is another country's office:
        "il ministero della Difesa francese" is read again as a group phrase."""
        nxt = by_token.get(org.token_end)
        return nxt is not None and nxt.type == "NORP" and nxt.token_start == org.token_end

    # -- step 1 and 2 ---------------------------------------------------------------------------

    def _phrase(self, doc: Document, doc_pieces: list, entry: Entry, start: int, end: int,
                stop: int, by_token: dict[int, Mention]) -> _Phrase:
        """Read the modifiers after a role/group noun: "degli Esteri russo", "del Cremlino"."""
        tokens = doc.tokens
        country: str | None = None
        place_country: str | None = None
        org_country: str | None = None
        named_org = False
        after_of = False  # an "of" word read: "il presidente della Consob", not "i ribelli Houthi"
        inner: tuple[int, Entry] | None = None
        org_sector: str | None = None
        last = end
        j, words = end, 0
        while j < stop and j - start < _MAX_SPAN:
            m = by_token.get(j)
            tok = tokens[j]
            if m is not None and m.type == "NORP" and self.demonym_before:
                # "a spokesman for the French defense ministry": the demonym and its noun
                group = self.trie.match(doc_pieces, m.token_end, stop)
                if group is None or group[0].role != "group":
                    break
                country = country or m.country
                org_sector = org_sector or group[0].sector
                j = last = group[1]
                break
            if m is not None:
                if m.type not in _EVIDENCE_TYPES or (m.type != "NORP" and words):
                    break  # "il governo in Tunisia" is no Tunisian government
                if m.role == "place":
                    place_country = place_country or m.country
                elif m.type in ("NORP", "LOC") and m.country and country is None:
                    country = m.country
                    if m.role == "seat":
                        org_sector = org_sector or m.sector
                elif m.type == "ORG":
                    named_org = named_org or after_of
                    org_country = org_country or m.country
                    org_sector = org_sector or m.sector
                elif m.type == "LOC":
                    break
                j = last = m.token_end
                if country:
                    break
                continue
            if tok.norm in self.of_words or tok.norm in self.determiners:
                after_of = after_of or tok.norm in self.of_words
                j += 1
                continue
            sub = self.trie.match(doc_pieces, j, stop)
            if sub is not None and sub[0].role == "group":
                org_sector = org_sector or sub[0].sector
                inner = inner or (j, sub[0])
                j = last = sub[1]
                continue
            if tok.text[:1].isalpha() and words < _MAX_MODIFIER_WORDS and not self.demonym_before \
                    and tok.norm not in self.joiners:
                words += 1
                j += 1
                continue
            break
        return _Phrase(start=start, end=last, entry=entry, country=country or org_country,
                       place_country=place_country, org_sector=org_sector, named_org=named_org,
                       inner=inner)

    def _resolve(self, doc: Document, phrase: _Phrase, sent_start: int,
                 by_token: dict[int, Mention], people_roles: list, noms: list) -> int:
        """Apply a phrase as an appositive or a nominal mention; return the next token to read."""
        entry, info = phrase.entry, phrase.entry.extra
        sector = entry.sector
        if info and info["inherit"] and phrase.org_sector:
            sector = phrase.org_sector
        if info is not None:
            person = self._appositive(doc, phrase, sent_start, by_token)
            if person is not None:
                if person.role == "name":  # a name no list knows: the role tells who it is
                    person.role, person.sector = "role", sector
                person.country = person.country or phrase.country or phrase.place_country
                person.sector = person.sector or sector
                people_roles.append((person, info["ids"]))
                return max(phrase.end, phrase.start + 1)
        if phrase.named_org:
            return phrase.start + 1
        if phrase.country is None:
            if entry.role == "group" and self._definite(doc, phrase.start, sent_start):
                return self._bare_group(doc, phrase, by_token)
            return phrase.start + 1
        if phrase.inner is not None:  # the innermost group names the actor
            phrase.start, entry = phrase.inner
            sector, info = entry.sector, entry.extra
        start_char = doc.tokens[phrase.start].start
        end_char = doc.tokens[phrase.end - 1].end
        absorbed = {id(m) for m in doc.mentions
                    if m.start >= start_char and m.end <= end_char}
        doc.mentions = [m for m in doc.mentions if id(m) not in absorbed]
        nom = Mention(start=start_char, end=end_char, text=doc.text[start_char:end_char],
                      type="NOM", token_start=phrase.start, token_end=phrase.end, name=None,
                      kind=entry.kind, country=phrase.country, sector=sector,
                      role=entry.role, source="rule")
        doc.mentions.append(nom)
        for t in range(phrase.start, phrase.end):
            by_token[t] = nom
        if info is not None:
            noms.append((nom, info["ids"]))
        return phrase.end

    def _definite(self, doc: Document, start: int, sent_start: int) -> bool:
        """"la polizia", "dai carabinieri": a group named with a definite determiner is a known actor."""
        return start > sent_start and doc.tokens[start - 1].norm in self.definite

    def _bare_group(self, doc: Document, phrase: _Phrase, by_token: dict[int, Mention]) -> int:
        """A group with no country in the text ("la polizia"): a nominal actor whose country the
        events stage takes from the sentence's place or the story."""
        start_char = doc.tokens[phrase.start].start
        end_char = doc.tokens[phrase.head_end - 1].end
        if any(by_token.get(t) is not None for t in range(phrase.start, phrase.head_end)):
            return phrase.start + 1
        nom = Mention(start=start_char, end=end_char, text=doc.text[start_char:end_char], type="NOM",
                      token_start=phrase.start, token_end=phrase.head_end, name=None,
                      kind=phrase.entry.kind, country=None, sector=phrase.entry.sector,
                      role="group", source="rule")
        doc.mentions.append(nom)
        for t in range(phrase.start, phrase.head_end):
            by_token[t] = nom
        return phrase.head_end

    def _appositive(self, doc: Document, phrase: _Phrase, sent_start: int,
                    by_token: dict[int, Mention]) -> Mention | None:
        """The person a role phrase describes: right after it, or before it across a comma."""
        after = by_token.get(phrase.end)
        if after is not None and after.type == "PER" and after.token_start == phrase.end:
            return after
        before = phrase.start - 1
        while before >= sent_start and doc.tokens[before].norm in self.determiners:
            before -= 1
        if before - 1 >= sent_start and doc.tokens[before].text in (",", "("):
            m = by_token.get(before - 1)
            if m is not None and m.type == "PER":
                return m
        return None

    # -- step 3 ---------------------------------------------------------------------------------

    def _coreference(self, doc: Document, people_roles: list, noms: list) -> None:
        people: list[Mention] = []
        for m in doc.mentions:
            if m.type != "PER":
                continue
            words = m.text.split()
            if len(words) == 1:  # "Orlov" after "Pavel Orlov": the latest person with that word
                earlier = next((p for p in reversed(people)
                                if p.name and p.name != m.text and words[0] in p.name.split()), None)
                if earlier is not None:
                    m.name, m.kind = earlier.name, earlier.kind
                    m.country = earlier.country or m.country
                    m.sector = earlier.sector or m.sector
                    continue
            people.append(m)
        year = int(doc.published[:4]) if doc.published and doc.published[:4].isdigit() else None
        for nom, ids in noms:
            nom.name = self._holder(nom, ids, people_roles, year)

    def _holder(self, nom: Mention, ids: tuple[str, ...], people_roles: list,
                year: int | None) -> str | None:
        """The person holding the role of a role-only phrase: mentioned earlier, else the dictionary's
        holder of that role and country in office in the publication year (or now), the newest
        one in a year of handover; None when two holders tie."""
        for person, pids in reversed(people_roles):
            if person.start < nom.start and person.country == nom.country and set(pids) & set(ids):
                return person.name
        for role_id in ids:
            holders = [(years[0] if years else 0, name)
                       for name, years in self.holders.get((role_id, nom.country), ())
                       if _in_office(years, year)]
            if not holders:
                continue
            holders.sort(reverse=True)  # in a year of handover, the newcomer
            if len(holders) > 1 and holders[0][0] == holders[1][0]:
                return None
            return holders[0][1]
        return None


def _role_holders(data: dict) -> dict[tuple[str, str], list[tuple[str, list]]]:
    holders: dict[tuple[str, str], list[tuple[str, list]]] = {}
    for person in data.get("people") or []:
        if person.get("role") and person.get("country"):
            key = (person["role"], person["country"])
            holders.setdefault(key, []).append((person["name"], person.get("years") or []))
    return holders


def _in_office(years: list, year: int | None) -> bool:
    """Without a publication year, only those still in office count."""
    start = years[0] if years else None
    end = years[1] if len(years) > 1 else None
    if year is None:
        return end is None
    return (start is None or start <= year) and (end is None or year <= end)


