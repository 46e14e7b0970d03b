"""Pydantic models of the HTTP API: the record and fact shapes of ``shared/spec/events.md``.

Why a second copy of ``cronaca.model``: the dataclasses are the working types of the pipeline and
store; these models are the published contract of ``/openapi.json``, so that clients (and
schemathesis) can check every answer. Responses are the dataclasses' ``to_dict`` output, sent
as is for speed: tests/test_api.py and tests/test_schemathesis.py hold them to these models
(``extra="forbid"``: a field added to the dataclasses must be added here too).
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..lang import supported_languages
from ..model import CERTAINTIES, EVENT_TYPES, POLARITIES, STATUSES
from ..read import AUTO

EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Certainty = Literal[CERTAINTIES]  # type: ignore[valid-type]
Polarity = Literal[POLARITIES]  # type: ignore[valid-type]
Language = Literal[(*supported_languages(), AUTO)]  # type: ignore[valid-type]

DATE_PATTERN = r"^[1-9][0-9]{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
MAX_TEXT_CHARS = 200_000  # a long article is 10-50 thousand characters; extraction time grows faster


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- the record (spec: "One article in, one record out") ----------------------------------------

class Actor(_Model):
    text: str
    name: str | None = None
    kind: str | None = Field(None, description="person | organization | state | group")
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 or a body's code (UN, NATO…)")
    sector: str | None = Field(None, description="GOV, MIL, MED, IGO, REB, CVL, BUS, OPP, JUD, LEG")


class Source(_Model):
    """One link of an attribution chain, innermost speaker first."""

    name: str
    kind: str | None = None
    country: str | None = None
    sector: str | None = None
    cue: str | None = None


class Entity(_Model):
    id: str
    text: str
    start: int
    end: int
    type: str = Field(description="PER | LOC | ORG | NORP (or another type)")
    name: str | None = None
    country: str | None = None
    sector: str | None = None


class Timex(_Model):
    text: str
    start: int
    end: int
    value: str | None
    type: str = "DATE"
    mod: str | None = None


class Span(_Model):
    start: int
    end: int


class Trigger(_Model):
    text: str
    start: int
    end: int


class EventDate(_Model):
    value: str | None
    mod: str | None = None
    text: str | None = None


class Place(_Model):
    name: str
    country: str | None = None


class Event(_Model):
    id: str
    type: EventType
    mode: str | None = None
    trigger: Trigger
    sentence: Span
    source: list[Actor]
    target: list[Actor]
    date: EventDate | None
    place: Place | None
    attribution: list[Source]
    status: Status
    certainty: Certainty
    polarity: Polarity
    confidence: float


class DocInfo(_Model):
    """Article metadata; ``text`` is the string every offset of the record points into."""

    id: str
    text: str
    lang: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None


class Record(_Model):
    doc: DocInfo
    entities: list[Entity]
    timexes: list[Timex]
    events: list[Event]


# -- facts (spec: "Facts: the same event across mentions and articles") -------------------------

class FactDate(_Model):
    value: str | None
    mod: str | None = None


class FactMention(_Model):
    doc: str
    event: str
    published: str | None
    status: Status
    attribution: list[Source]
    sentence: Span
    date: EventDate | None = None
    outlet: str | None = None


class HistoryEntry(_Model):
    status: Status
    date: str | None
    by: list[str]


class FactSources(_Model):
    outlets: list[str]
    speakers: list[str]
    independent: int


class FactLink(_Model):
    rel: str = Field(description="accused_by | accuses | denied_by | denies")
    fact: str


class Fact(_Model):
    id: str
    type: EventType
    mode: str | None
    source: list[Actor]
    target: list[Actor]
    date: FactDate | None
    mentions: list[FactMention]
    history: list[HistoryEntry]
    sources: FactSources
    contested: bool
    first_seen: str | None
    last_seen: str | None
    links: list[FactLink]


class Highlight(_Model):
    """A span to highlight, relative to the evidence sentence."""

    start: int
    end: int
    kind: str = Field(description="trigger | source | target | time")


class Evidence(_Model):
    doc: str
    event: str
    title: str | None
    outlet: str | None
    published: str | None
    status: Status
    attribution: list[str]
    sentence: Span
    text: str
    highlights: list[Highlight]


class FactDetail(_Model):
    fact: Fact
    evidence: list[Evidence]


# -- other query answers ------------------------------------------------------------------------

class ActorSummary(_Model):
    name: str
    mentions: int
    roles: dict[str, int]
    sectors: list[str]
    countries: list[str]
    kinds: list[str]
    aliases: list[str]


class DyadPeriod(_Model):
    """Facts between two actors in one period, by PLOVER quad class."""

    period: str
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int


class SearchHit(_Model):
    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    start: int | None = Field(description="sentence span; null when the article as a whole matched")
    end: int | None
    text: str
    score: float
    facts: list[str]


class ArticleSummary(_Model):
    id: str = Field(description="the record's doc.id (the content hash unless the input gave one)")
    title: str | None
    published: str | None
    source: str | None
    lang: str
    url: str | None
    chars: int
    events: int


class ArticlePage(_Model):
    total: int
    offset: int
    limit: int
    items: list[ArticleSummary]


class ArticleDetail(_Model):
    article: ArticleSummary
    record: Record


class Stats(_Model):
    articles: int
    events: int
    facts: int
    ingest: bool = Field(description="whether POST /api/articles is enabled")


class ErrorResponse(_Model):
    detail: str


# -- requests -----------------------------------------------------------------------------------

class ArticleIn(_Model):
    """An article to extract (``/api/extract``) or store (``/api/articles``)."""

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)
    lang: Language = Field(  # type: ignore[valid-type]
        "it", description="a supported language code, or 'auto' to detect it")
    published: str | None = Field(None, pattern=DATE_PATTERN,
                                  description="publication date: YYYY, YYYY-MM or YYYY-MM-DD "
                                              "(an impossible day such as 2025-02-30 is a 400)")
    title: str | None = Field(None, max_length=1000)
    source: str | None = Field(None, max_length=1000, description="outlet")
    url: str | None = Field(None, max_length=4000)


class IngestResult(_Model):
    id: str = Field(description="the article's content hash")
    new: bool = Field(description="false when the same text was already stored")
    events: int
