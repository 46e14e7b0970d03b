"""The working document that pipeline stages read and annotate.

A stage takes a ``Document`` and adds its layer (tokens, mentions, timexes, events, …); the
final ``Document.to_record()`` turns the layers into the contract's ``Record``.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .model import DocInfo, Entity, Event, Record, Timex


@dataclass(slots=True)
class Token:
    i: int
    text: str
    start: int
    end: int
    sent: int = 0
    lower: str = ""
    norm: str = ""  # lower-cased, curly apostrophes folded to "'", accents kept

    @property
    def is_title(self) -> bool:
        return self.text[:1].isupper()


@dataclass(slots=True)
class Sentence:
    i: int
    start: int
    end: int
    token_start: int
    token_end: int  # exclusive


@dataclass(slots=True)
class Mention:
    """A named or nominal mention, resolved (when possible) to an actor.

    ``type`` is the NER type (PER/LOC/ORG/NORP). ``kind``/``country``/``sector`` are the actor
    it stands for: "Mosca" is a LOC whose actor is Russia's government (``stands_for='GOV'``).
    """

    start: int
    end: int
    text: str
    type: str
    token_start: int
    token_end: int
    name: str | None = None
    kind: str | None = None
    country: str | None = None
    sector: str | None = None
    role: str | None = None  # why it resolved so: "country", "demonym", "seat", "person", "role", …
    source: str = "gazetteer"  # "gazetteer", "rule", "model"


@dataclass(slots=True)
class TriggerProposal:
    """A trigger the trained tagger found: tokens ``[token_start, token_end)``, its likeliest type
    and that type's probability at its first token, and every type it gives at least 5%."""

    token_start: int
    token_end: int
    type: str
    probability: float
    types: dict[str, float] = field(default_factory=dict)


@dataclass
class Document:
    text: str
    lang: str = "it"
    published: str | None = None
    id: str = ""
    title: str | None = None
    source: str | None = None
    url: str | None = None
    tokens: list[Token] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    # The record's named entities when a trained tagger decided them (stages.ner); else mentions.
    entities: list[Mention] | None = None
    # Trigger proposals of the trained tagger (stages.triggers), read by the events stage.
    triggers: list["TriggerProposal"] = field(default_factory=list)
    # Per token, the tagger's probability that it begins no trigger (empty without a tagger).
    no_trigger: list[float] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Per event (keyed by ``id(event)``: the attribution stage renumbers events), what the events
    # stage weighed to find it (rule or tagger, arguments found): the calibrator's features.
    event_votes: dict[int, list[str]] = field(default_factory=dict)
    # Per-sentence tense guess ("past", "present", "future"), filled by the timex stage.
    tense: dict[int, str] = field(default_factory=dict)
    # Per-sentence shallow syntax (cronaca.syntax), computed once and shared by later stages.
    syntax: list = field(default_factory=list)
    # Cue words found by the attribution stage, reused by the status stage.
    cues: list = field(default_factory=list)
    # Optional spaCy Doc from an installed statistical pipeline (extra signal only).
    spacy_doc: object | None = None
    _starts: list[int] | None = field(default=None, repr=False)
    _by_start: dict[int, Token] | None = field(default=None, repr=False)

    def sentence_of(self, char: int) -> Sentence | None:
        """The sentence holding a character offset (binary search: called per event and cue)."""
        if self._starts is None or len(self._starts) != len(self.sentences):
            self._starts = [s.start for s in self.sentences]
        i = bisect_right(self._starts, char) - 1
        if i >= 0 and char < self.sentences[i].end:
            return self.sentences[i]
        return None

    def token_at(self, char: int) -> Token | None:
        """The token starting at a character offset."""
        if self._by_start is None or len(self._by_start) != len(self.tokens):
            self._by_start = {t.start: t for t in self.tokens}
        return self._by_start.get(char)

    def sentence_tokens(self, s: Sentence) -> list[Token]:
        return self.tokens[s.token_start:s.token_end]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def to_record(self) -> Record:
        entities = [
            Entity(id=f"e{i}", text=m.text, start=m.start, end=m.end, type=m.type,
                   name=m.name, country=m.country, sector=m.sector)
            for i, m in enumerate(self.mentions if self.entities is None else self.entities, 1)
        ]
        info = DocInfo(id=self.id, text=self.text, lang=self.lang, title=self.title,
                       published=self.published, source=self.source, url=self.url)
        return Record(doc=info, entities=entities, timexes=list(self.timexes),
                      events=list(self.events))
