"""The event record contract (``shared/spec/events.md``) as Python types.

Every other module speaks these types; ``to_dict`` gives exactly the JSON shape of the spec
and ``from_dict`` reads it back, so records survive a round trip through the store and exports.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

def _actor_dict(a: "Actor") -> dict[str, Any]:
    return {"text": a.text, "name": a.name, "kind": a.kind, "country": a.country, "sector": a.sector}


def _source_dict(s: "Source") -> dict[str, Any]:
    return {"name": s.name, "kind": s.kind, "country": s.country, "sector": s.sector, "cue": s.cue}


def _date_dict(d: "EventDate | None") -> dict[str, Any] | None:
    return None if d is None else {"value": d.value, "mod": d.mod, "text": d.text}


EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
STATUSES = ("asserted", "reported", "alleged", "denied", "confirmed", "hypothetical")
CERTAINTIES = ("certain", "probable", "possible", "underspecified")
POLARITIES = ("positive", "negative")


@dataclass(slots=True)
class Actor:
    """A participant of an event, resolved to country and sector."""

    text: str
    name: str | None = None
    kind: str | None = None  # person | organization | state | group
    country: str | None = None
    sector: str | None = None


@dataclass(slots=True)
class Source:
    """One link of an attribution chain: who says it, and with which cue."""

    name: str
    kind: str | None = None
    country: str | None = None
    sector: str | None = None
    cue: str | None = None


@dataclass(slots=True)
class Entity:
    id: str
    text: str
    start: int
    end: int
    type: str  # PER | LOC | ORG | NORP
    name: str | None = None
    country: str | None = None
    sector: str | None = None


@dataclass(slots=True)
class Timex:
    text: str
    start: int
    end: int
    value: str | None
    type: str = "DATE"  # DATE | DURATION | SET | TIME
    mod: str | None = None  # START | MID | END | APPROX


@dataclass(slots=True)
class Span:
    start: int
    end: int


@dataclass(slots=True)
class Trigger:
    text: str
    start: int
    end: int


@dataclass(slots=True)
class EventDate:
    value: str | None
    mod: str | None = None
    text: str | None = None


@dataclass(slots=True)
class Place:
    name: str
    country: str | None = None


@dataclass(slots=True)
class Event:
    id: str
    type: str
    trigger: Trigger
    sentence: Span
    mode: str | None = None
    source: list[Actor] = field(default_factory=list)
    target: list[Actor] = field(default_factory=list)
    date: EventDate | None = None
    place: Place | None = None
    attribution: list[Source] = field(default_factory=list)
    status: str = "asserted"
    certainty: str = "certain"
    polarity: str = "positive"
    confidence: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "mode": self.mode,
            "trigger": {"text": self.trigger.text, "start": self.trigger.start, "end": self.trigger.end},
            "sentence": {"start": self.sentence.start, "end": self.sentence.end},
            "source": [_actor_dict(a) for a in self.source],
            "target": [_actor_dict(a) for a in self.target],
            "date": _date_dict(self.date),
            "place": {"name": self.place.name, "country": self.place.country} if self.place else None,
            "attribution": [_source_dict(s) for s in self.attribution],
            "status": self.status, "certainty": self.certainty, "polarity": self.polarity,
            "confidence": round(self.confidence, 3),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            id=d["id"], type=d["type"], mode=d.get("mode"),
            trigger=Trigger(**d["trigger"]), sentence=Span(**d["sentence"]),
            source=[Actor(**a) for a in d.get("source") or []],
            target=[Actor(**a) for a in d.get("target") or []],
            date=EventDate(**d["date"]) if d.get("date") else None,
            place=Place(**d["place"]) if d.get("place") else None,
            attribution=[Source(**s) for s in d.get("attribution") or []],
            status=d.get("status", "asserted"), certainty=d.get("certainty", "certain"),
            polarity=d.get("polarity", "positive"), confidence=d.get("confidence", 0.5),
        )


@dataclass(slots=True)
class DocInfo:
    """Article metadata; ``text`` is the exact string every offset of the record points into."""

    id: str
    text: str
    lang: str = "it"
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Record:
    """One article in, one record out."""

    doc: DocInfo
    entities: list[Entity] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": asdict(self.doc),
            "entities": [{"id": e.id, "text": e.text, "start": e.start, "end": e.end, "type": e.type,
                          "name": e.name, "country": e.country, "sector": e.sector} for e in self.entities],
            "timexes": [{"text": t.text, "start": t.start, "end": t.end, "value": t.value, "type": t.type,
                         "mod": t.mod} for t in self.timexes],
            "events": [e.to_dict() for e in self.events],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        return cls(
            doc=DocInfo(**d["doc"]),
            entities=[Entity(**e) for e in d.get("entities") or []],
            timexes=[Timex(**t) for t in d.get("timexes") or []],
            events=[Event.from_dict(e) for e in d.get("events") or []],
        )


# -- facts: the same happening across mentions and articles (spec section "Facts") --------------
@dataclass(slots=True)
class FactMention:
    """One event mention inside a fact, with what is needed to trace it back to its sentence."""

    doc: str
    event: str
    published: str | None
    status: str
    attribution: list[Source] = field(default_factory=list)
    sentence: Span = field(default_factory=lambda: Span(0, 0))
    date: EventDate | None = None
    outlet: str | None = None  # the article's source (outlet or file name)

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "event": self.event, "published": self.published,
                "status": self.status, "attribution": [_source_dict(s) for s in self.attribution],
                "sentence": {"start": self.sentence.start, "end": self.sentence.end},
                "date": _date_dict(self.date), "outlet": self.outlet}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FactMention:
        return cls(doc=d["doc"], event=d["event"], published=d.get("published"), status=d["status"],
                   attribution=[Source(**s) for s in d.get("attribution") or []],
                   sentence=Span(**d["sentence"]) if d.get("sentence") else Span(0, 0),
                   date=EventDate(**d["date"]) if d.get("date") else None, outlet=d.get("outlet"))


@dataclass(slots=True)
class HistoryEntry:
    status: str
    date: str | None
    by: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FactLink:
    rel: str  # accused_by | accuses | denied_by | denies
    fact: str


@dataclass(slots=True)
class Fact:
    id: str
    type: str
    mode: str | None
    source: list[Actor]
    target: list[Actor]
    date: EventDate | None
    mentions: list[FactMention]
    history: list[HistoryEntry] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    independent: int = 0
    contested: bool = False
    first_seen: str | None = None
    last_seen: str | None = None
    links: list[FactLink] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "mode": self.mode,
            "source": [_actor_dict(a) for a in self.source], "target": [_actor_dict(a) for a in self.target],
            "date": {"value": self.date.value, "mod": self.date.mod} if self.date else None,
            "mentions": [m.to_dict() for m in self.mentions],
            "history": [{"status": h.status, "date": h.date, "by": list(h.by)} for h in self.history],
            "sources": {"outlets": self.outlets, "speakers": self.speakers,
                        "independent": self.independent},
            "contested": self.contested, "first_seen": self.first_seen, "last_seen": self.last_seen,
            "links": [{"rel": link.rel, "fact": link.fact} for link in self.links],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Fact:
        sources = d.get("sources") or {}
        return cls(
            id=d["id"], type=d["type"], mode=d.get("mode"),
            source=[Actor(**a) for a in d.get("source") or []],
            target=[Actor(**a) for a in d.get("target") or []],
            date=EventDate(**d["date"]) if d.get("date") else None,
            mentions=[FactMention.from_dict(m) for m in d.get("mentions") or []],
            history=[HistoryEntry(**h) for h in d.get("history") or []],
            outlets=list(sources.get("outlets") or []), speakers=list(sources.get("speakers") or []),
            independent=sources.get("independent", 0), contested=bool(d.get("contested")),
            first_seen=d.get("first_seen"), last_seen=d.get("last_seen"),
            links=[FactLink(**link) for link in d.get("links") or []],
        )
