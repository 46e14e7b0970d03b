"""Shallow syntax over a sentence's tokens and mentions, shared by events, attribution and status.

No parser is needed for what news sentences ask of us: which preposition heads the phrase an
actor sits in ("alla posizione della Russia" → ``a``), which actors are coordinated ("Mosca e
Pyongyang"), where clauses and quotations begin and end. The function words come from the
language's ``syntax.yaml``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .document import Document, Mention, Sentence, Token
from .lang import LanguageData
from .lexicon import PhraseIndex

ACTOR_TYPES = {"PER", "ORG", "NOM", "LOC", "NORP"}


@dataclass
class SentenceSyntax:
    sentence: Sentence
    tokens: list[Token]
    actors: list[Mention]
    norms: list[str] = field(init=False)  # per token: its norm, read by every per-token scan
    prep: dict[int, str] = field(default_factory=dict)  # id(mention) -> immediate preposition
    head_prep: dict[int, str] = field(default_factory=dict)  # id(mention) -> heading preposition
    chain: dict[int, list[Mention]] = field(default_factory=dict)  # id(mention) -> its coordination
    clause: list[int] = field(default_factory=list)  # per token (sentence-relative): clause number
    quoted: list[bool] = field(default_factory=list)  # per token: inside quotation marks
    _by_token: dict[int, Mention] | None = None

    def __post_init__(self) -> None:
        self.norms = [t.norm for t in self.tokens]

    def local(self, token_i: int) -> int:
        return token_i - self.sentence.token_start

    def actor_at(self, token_i: int) -> Mention | None:
        if self._by_token is None:
            self._by_token = {i: m for m in self.actors for i in range(m.token_start, m.token_end)}
        return self._by_token.get(token_i)


class Syntax:
    def __init__(self, lang: LanguageData) -> None:
        data = lang.data("syntax")
        self.prep_base: dict[str, str] = {}
        for base, forms in data.get("prepositions", {}).items():
            for f in forms:
                self.prep_base[f] = base
        # Multi-word prepositions by their last word, longest first: ``prep_span`` reads them
        # backwards from the word before a mention, so one lookup finds the few that can match.
        self.multiword_preps: dict[str, list[tuple[list[str], str]]] = {}
        for words, base in sorted(
                ((phrase.split(), base) for base, phrases in data.get("multiword_prepositions", {}).items()
                 for phrase in phrases), key=lambda x: -len(x[0])):
            if words:
                self.multiword_preps.setdefault(words[-1], []).append((words, base))
        self.articles = set(data.get("articles", []))
        self.fillers = set(data.get("fillers", []))
        self.determiners = set(data.get("determiners", []))
        self.infinitive_endings = tuple(data.get("infinitive_endings", []))
        roles = lang.data("roles")
        # Words of role phrases, allowed inside a coordination: "Putin e il leader nordcoreano Kim".
        self.role_words = {w.lower() for r in roles.get("roles", []) for t in r.get("text", []) for w in t.split()}
        self.coordinators = set(data.get("coordinators", []))
        breaks = data.get("clause_breaks", [])
        self.clause_breaks = PhraseIndex(breaks)
        self.purpose_markers = [p.split() for p in data.get("purpose_markers", [])]
        self.quote_open = set(data.get("quote_open", []))
        self.quote_close = set(data.get("quote_close", []))
        self.passive_aux = set(data.get("passive_auxiliaries", []))
        self.participle_endings = tuple(data.get("participle_endings", []))
        self.anaphoric_objects = set(data.get("anaphoric_objects", []))
        self.anaphoric_nouns = set(data.get("anaphoric_nouns", []))

    # -- per-token helpers ------------------------------------------------------------------
    def prep_span(self, tokens: list[Token], i: int, lo: int) -> tuple[str | None, int]:
        """The base preposition right before token ``i`` (articles skipped) and where it starts."""
        j = i - 1
        while j >= lo and tokens[j].norm in self.articles:
            j -= 1
        if j < lo:
            return None, i
        norm = tokens[j].norm
        for words, multiword_base in self.multiword_preps.get(norm, ()):
            start = j - len(words) + 1
            if start >= lo and [t.norm for t in tokens[start:j + 1]] == words:
                return multiword_base, start
        base = self.prep_base.get(norm)
        return (base, j) if base else (None, i)

    def head_prep(self, tokens: list[Token], prep: str | None, start: int, lo: int) -> str:
        """The preposition heading the phrase that ``prep_span`` found ``prep`` (at ``start``)
        for, through genitive chains: in "alla posizione della Russia" Russia's phrase is headed
        by ``a``; in "la decisione della Federazione Russa" by none (a bare noun phrase)."""
        for _ in range(3):
            if prep != "di":
                break
            k = start - 1  # the noun the genitive hangs on
            if k < lo or not tokens[k].text.isalpha() or tokens[k].is_title:
                break
            upper, upper_start = self.prep_span(tokens, k, lo)
            if upper is None:
                return "none"
            prep, start = upper, upper_start
        return prep or "none"

    def is_modifier(self, ss: "SentenceSyntax", m: Mention) -> bool:
        """A demonym or an acronym right after a common noun modifies it ("i soldati russi",
        "la sicurezza USA"): it is not a subject of its own."""
        k = ss.local(m.token_start)
        if k == 0:
            return False
        prev = ss.tokens[k - 1]
        after_noun = prev.text.isalpha() and prev.text.islower() and prev.norm not in self.articles \
            and prev.norm not in self.coordinators and prev.norm not in self.fillers
        if m.type == "NORP":
            return not prev.is_title and prev.norm not in self.articles
        return after_noun and m.text.isupper() and len(m.text) <= 4

    def in_role_description(self, ss: "SentenceSyntax", m: Mention) -> bool:
        """"il segretario del Consiglio di sicurezza russo, Sergei Shoigu": the body named after a
        role word describes the person that follows; it is not coordinated with anyone."""
        k = ss.local(m.token_start)
        if k < 2 or self.prep_base.get(ss.tokens[k - 1].norm) != "di":
            return False
        return ss.tokens[k - 2].norm in self.role_words

    def is_participle(self, token: Token) -> bool:
        return token.norm.endswith(self.participle_endings)

    # -- sentence analysis ----------------------------------------------------------------------
    def analyze(self, doc: Document) -> list[SentenceSyntax]:
        if doc.syntax:
            return doc.syntax
        result = []
        actors_by_sent: dict[int, list[Mention]] = {}
        for m in doc.mentions:
            if m.type in ACTOR_TYPES:
                sent = doc.tokens[m.token_start].sent if m.token_start < len(doc.tokens) else -1
                actors_by_sent.setdefault(sent, []).append(m)
        for s in doc.sentences:
            toks = doc.tokens[s.token_start:s.token_end]
            ss = SentenceSyntax(sentence=s, tokens=toks, actors=actors_by_sent.get(s.i, []))
            self._clauses_and_quotes(ss)
            self._preps(doc.tokens, ss)
            self._chains(doc.tokens, ss)
            result.append(ss)
        doc.syntax = result
        return result

    def _clauses_and_quotes(self, ss: SentenceSyntax) -> None:
        """Number each token's clause and mark the tokens inside quotation marks."""
        clause = 0
        inside = False
        norms = ss.norms
        for k, t in enumerate(ss.tokens):
            if t.text in self.quote_open and not inside:
                inside = True
                clause += 1
            elif t.text in self.quote_close and inside:
                inside = False
                clause += 1
            elif norms[k] in self.clause_breaks.by_first and self.clause_breaks.match(norms, k):
                clause += 1
            ss.clause.append(clause)
            ss.quoted.append(inside)

    def _preps(self, tokens: list[Token], ss: SentenceSyntax) -> None:
        lo = ss.sentence.token_start
        for m in ss.actors:
            prep, start = self.prep_span(tokens, m.token_start, lo)
            ss.prep[id(m)] = prep or "none"
            ss.head_prep[id(m)] = self.head_prep(tokens, prep, start, lo)

    def _chains(self, tokens: list[Token], ss: SentenceSyntax) -> None:
        """Group actors joined by coordinators ("Mosca e Pyongyang", "A, B e C", "Putin e il leader
        nordcoreano Kim"); the chain shares its first member's preposition. Demonyms only chain with
        demonyms, and a list joined by commas alone is no coordination."""
        chains: list[list[Mention]] = []
        joints: list[set[str]] = []
        for m in sorted(ss.actors, key=lambda x: x.start):
            if m.type == "NORP" and self.is_modifier(ss, m) or self.in_role_description(ss, m):
                ss.chain[id(m)] = [m]  # "il leader nordcoreano Kim": part of a description
                continue
            if chains:
                prev = chains[-1][-1]
                between = tokens[prev.token_end:m.token_start]
                words = {t.norm for t in between}
                if between and (prev.type == "NORP") == (m.type == "NORP") \
                        and words & self.coordinators \
                        and all(t.norm in self.coordinators or t.norm in self.articles or t.norm in self.role_words
                                or ss.actor_at(t.i) is not None for t in between):
                    chains[-1].append(m)
                    joints[-1] |= words & self.coordinators
                    continue
            chains.append([m])
            joints.append(set())
        split: list[list[Mention]] = []
        for chain, joint in zip(chains, joints):
            if len(chain) > 1 and joint <= {","}:
                split.extend([m] for m in chain)
            else:
                split.append(chain)
        chains = split
        for chain in chains:
            first = ss.prep.get(id(chain[0]), "none")
            for m in chain:
                ss.chain[id(m)] = chain
                if ss.prep.get(id(m)) == "none" and first != "none":
                    ss.prep[id(m)] = first
                    ss.head_prep[id(m)] = ss.head_prep.get(id(chain[0]), first)
