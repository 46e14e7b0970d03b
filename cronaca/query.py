"""Questions an analyst asks of the stored facts: the one Python API the CLI, HTTP API and pages share.

Why here and not in the store: the store answers narrow, indexed questions (``FactFilter``); this
module turns what a person types ("Mosca", "Corea del Nord", "2024-11") into those questions,
and shapes the answers (evidence with highlight spans, dyad counts by PLOVER quad class). Bad input
raises ``QueryError`` with a message fit to show as is.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from .facts import interval
from .gazetteer import is_country_code, load_places
from .lang import get_language, shared_data, supported_languages
from .model import EVENT_TYPES, STATUSES, Event, Fact, Record
from .read import validate_date
from .store import ActorRef, FactFilter, SearchHit, Store

# PLOVER's own quad categories (shared/data/plover-gsr-cameo/README_PLOVER.md), as
# cronaca/lang/plover.yaml numbers them for the 16 types coded here (SANCTION: verbal conflict).
QUAD_NAMES = {1: "verbal_cooperation", 2: "material_cooperation", 3: "verbal_conflict",
              4: "material_conflict"}
QUAD_CLASSES: dict[str, tuple[str, ...]] = {
    name: tuple(t for t, entry in shared_data("plover")["types"].items() if entry["quad"] == number)
    for number, name in QUAD_NAMES.items()}
QUAD_OF = {t: quad for quad, types in QUAD_CLASSES.items() for t in types}
PERIODS = ("month", "quarter", "year")
GAZETTEER_KINDS = {"country", "adjective", "seat", "body"}  # forms that stand for a state or body


class QueryError(ValueError):
    """The question cannot be asked as given (unknown actor or fact, bad date, bad option)."""


# -- actors --------------------------------------------------------------------------------------

@cache
def _actor_forms() -> dict[str, frozenset[ActorRef]]:
    """Lower-cased surface form -> the actors it may name, over every supported language."""
    forms: dict[str, set[ActorRef]] = defaultdict(set)
    countries = dict(shared_data("countries"))
    bodies = countries.pop("bodies", {}) or {}
    for code, entry in {**countries, **bodies}.items():
        ref = ActorRef("country", code)
        forms[code.lower()].add(ref)
        forms[str(entry["name"]).lower()].add(ref)
    for code in supported_languages():
        for place in load_places(get_language(code)):
            if place.kind in GAZETTEER_KINDS:
                forms[place.text.lower()].add(ActorRef("country", place.country))
    for person in shared_data("actors").get("people") or []:
        ref = ActorRef("name", person["name"])
        for form in [person["name"], *(person.get("aliases") or [])]:
            forms[form.lower()].add(ref)
    return {form: frozenset(refs) for form, refs in forms.items()}


def resolve_actor(store: Store, text: str) -> ActorRef:
    """An ISO3/body code, a country, seat or demonym in any supported language, a known person,
    or any actor name seen in the stored facts."""
    wanted = text.strip()
    if is_country_code(wanted):  # no need to load the gazetteers (~0.2 s) for "RUS"
        return ActorRef("country", wanted)
    refs = _actor_forms().get(wanted.lower())
    if refs and len(refs) == 1:
        return next(iter(refs))
    if refs:
        options = ", ".join(sorted(r.value for r in refs))
        raise QueryError(f"actor {text!r} is ambiguous: it may be {options}")
    stored = store.has_actor_name(wanted) if wanted else None
    if stored is None:
        raise QueryError(f"unknown actor {text!r}: give an ISO3 code (RUS), a country, capital or "
                         f"demonym (Russia, Mosca, russo) or a name seen in the facts")
    return ActorRef("name", stored)


# -- dates and options ---------------------------------------------------------------------------

def date_bound(value: str | None, *, end: bool = False) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as the first (or, with ``end``, last) day it covers."""
    if value is None:
        return None
    try:
        checked = validate_date(value)
    except ValueError as exc:
        raise QueryError(str(exc)) from None
    lo, hi = interval(checked) or (None, None)
    if lo is None or hi is None:
        raise QueryError(f"invalid date {value!r}")
    return (hi if end else lo).isoformat()


def _types(types: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    wanted = tuple(t.strip().upper() for t in types or ())
    unknown = [t for t in wanted if t not in EVENT_TYPES]
    if unknown:
        raise QueryError(f"unknown event type {unknown[0]!r} (choose from: {', '.join(EVENT_TYPES)})")
    return wanted


# -- facts ---------------------------------------------------------------------------------------

def timeline(store: Store, actors: list[str] | tuple[str, ...] = (), date_from: str | None = None,
             date_to: str | None = None, types: list[str] | tuple[str, ...] | None = None,
             limit: int | None = None) -> list[Fact]:
    """Facts in date order involving the actor (source or target); with two actors, the dyad in
    either direction. Dates filter on the fact's best date interval (else its first report)."""
    if len(actors) > 2:
        raise QueryError("a timeline takes at most two actors")
    refs = tuple(resolve_actor(store, a) for a in actors)
    where = FactFilter(actors=refs, date_from=date_bound(date_from),
                       date_to=date_bound(date_to, end=True), types=_types(types))
    if where.date_from and where.date_to and where.date_from > where.date_to:
        raise QueryError(f"--from {date_from} is after --to {date_to}")
    return store.find_facts(where, limit)


def facts(store: Store, contested: bool | None = None, status: str | None = None,
          actor: str | None = None, source: str | None = None, limit: int | None = None) -> list[Fact]:
    """Facts in date order: contested or not, with a mention of ``status``, involving ``actor``,
    or told by ``source`` (an outlet or speaker name)."""
    if status is not None and status not in STATUSES:
        raise QueryError(f"unknown status {status!r} (choose from: {', '.join(STATUSES)})")
    refs = (resolve_actor(store, actor),) if actor else ()
    where = FactFilter(actors=refs, contested=contested, status=status, source=source)
    return store.find_facts(where, limit)


@dataclass(slots=True)
class Highlight:
    """A span to highlight, relative to the evidence sentence."""

    start: int
    end: int
    kind: str  # trigger | source | target | time


@dataclass(slots=True)
class Evidence:
    """One mention of a fact as its article tells it."""

    doc: str
    event: str
    title: str | None
    outlet: str | None
    published: str | None
    status: str
    attribution: list[str]
    sentence_start: int
    sentence_end: int
    text: str
    highlights: list[Highlight] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "event": self.event, "title": self.title, "outlet": self.outlet,
                "published": self.published, "status": self.status, "attribution": self.attribution,
                "sentence": {"start": self.sentence_start, "end": self.sentence_end},
                "text": self.text,
                "highlights": [{"start": h.start, "end": h.end, "kind": h.kind} for h in self.highlights]}


def fact(store: Store, fact_id: str, limit: int | None = None) -> tuple[Fact, list[Evidence]]:
    """A fact and, for each mention (the first ``limit`` in publication order), its sentence with
    the trigger, actors and time located."""
    found = store.get_fact(fact_id.strip())
    if found is None:
        raise QueryError(f"unknown fact {fact_id!r}")
    records: dict[str, Record | None] = {}
    evidence: list[Evidence] = []
    for m in found.mentions[:limit]:
        if m.doc not in records:
            records[m.doc] = store.get_record(m.doc)
        record = records[m.doc]
        if record is None:
            continue
        event = next((e for e in record.events if e.id == m.event), None)
        start, end = m.sentence.start, m.sentence.end
        evidence.append(Evidence(
            doc=m.doc, event=m.event, title=record.doc.title, outlet=m.outlet or record.doc.source,
            published=m.published, status=m.status, attribution=[s.name for s in m.attribution],
            sentence_start=start, sentence_end=end, text=record.doc.text[start:end],
            highlights=_highlights(record, event, start, end) if event else []))
    return found, evidence


def _highlights(record: Record, event: Event, start: int, end: int) -> list[Highlight]:
    """Trigger by offsets; actors and time by the entity/timex spans of the sentence that carry
    their text (actors have no offsets in the contract), else by their first occurrence."""
    sentence = record.doc.text[start:end]
    spans = [Highlight(event.trigger.start - start, event.trigger.end - start, "trigger")]

    def locate(surface: str | None, kind: str, candidates: list[tuple[int, int, str]]) -> None:
        if not surface:
            return
        for s, e, text in candidates:
            if start <= s and e <= end and text == surface:
                spans.append(Highlight(s - start, e - start, kind))
                return
        at = sentence.find(surface)
        if at >= 0:
            spans.append(Highlight(at, at + len(surface), kind))

    entities = [(e.start, e.end, e.text) for e in record.entities]
    for role in ("source", "target"):
        for actor in getattr(event, role):
            locate(actor.text, role, entities)
    if event.date is not None:
        locate(event.date.text, "time", [(t.start, t.end, t.text) for t in record.timexes])
    spans.sort(key=lambda h: (h.start, h.end))
    kept: list[Highlight] = []
    for h in spans:  # no overlaps: the trigger, placed first at equal starts, wins
        if h.end > h.start and (not kept or h.start >= kept[-1].end):
            kept.append(h)
    return kept


# -- actors seen ---------------------------------------------------------------------------------

@dataclass(slots=True)
class ActorSummary:
    """An actor as the stored records name it."""

    name: str
    mentions: int = 0
    roles: dict[str, int] = field(default_factory=dict)    # source/target -> event mentions
    sectors: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)       # surface forms seen in the text

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "mentions": self.mentions, "roles": self.roles,
                "sectors": self.sectors, "countries": self.countries, "kinds": self.kinds,
                "aliases": self.aliases}


def actors(store: Store, country: str | None = None) -> list[ActorSummary]:
    """Actors of the stored events, most mentioned first, with what the texts call them.
    Reads every record: a report, not an interactive query."""
    code = None
    if country:
        ref = resolve_actor(store, country)
        if ref.kind != "country":
            raise QueryError(f"{country!r} is not a country or international body")
        code = ref.value
    counts: dict[str, Counter] = defaultdict(Counter)
    seen: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for record in store.iter_records():
        for event in record.events:
            for role in ("source", "target"):
                for a in getattr(event, role):
                    name = a.name or a.text
                    if not name or (code and a.country != code):
                        continue
                    counts[name][role] += 1
                    info = seen[name]
                    for key, value in (("sectors", a.sector), ("countries", a.country),
                                       ("kinds", a.kind), ("aliases", a.text)):
                        if value:
                            info[key][value] += 1
        for entity in record.entities:
            if entity.name in counts and entity.text:
                seen[entity.name]["aliases"][entity.text] += 1
    result = [ActorSummary(name=name, mentions=sum(roles.values()), roles=dict(sorted(roles.items())),
                           **{key: [v for v, _ in seen[name][key].most_common()]
                              for key in ("sectors", "countries", "kinds", "aliases")})
              for name, roles in counts.items()]
    return sorted(result, key=lambda s: (-s.mentions, s.name))


# -- dyads ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class DyadPeriod:
    """Facts between two actors in one period, by PLOVER quad class."""

    period: str
    counts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, **self.counts}


def dyad(store: Store, a: str, b: str, by: str = "month") -> list[DyadPeriod]:
    """Counts of facts (not mentions) between ``a`` and ``b`` per period and quad class, every
    period from the first to the last present. A fact falls in the period of its best date; when
    that date is coarser than the period ("2021" by month), in the period of its first report if
    that lies inside the date, else in the period where the date starts; with no best date, in the
    period of its first report."""
    if by not in PERIODS:
        raise QueryError(f"unknown period {by!r} (choose from: {', '.join(PERIODS)})")
    refs = (resolve_actor(store, a), resolve_actor(store, b))
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in store.fact_dates(FactFilter(actors=refs)):
        period = _period_of(row.date_value, row.date_mod, row.first_seen, by)
        if period is not None and row.type in QUAD_OF:
            counts[period][QUAD_OF[row.type]] += 1
    if not counts:
        return []
    periods = _period_range(min(counts), max(counts), by)
    return [DyadPeriod(p, {quad: counts[p][quad] for quad in QUAD_CLASSES}) for p in periods]


def _period_of(value: str | None, mod: str | None, first_seen: str | None, by: str) -> str | None:
    span = interval(value, mod)
    seen = interval(first_seen)
    if span is None:
        return _period_label(seen[0], by) if seen else None
    lo, hi = (_period_label(d, by) for d in span)
    if lo == hi:
        return lo
    if seen and span[0] <= seen[0] and seen[1] <= span[1]:
        return _period_label(seen[0], by)
    return lo


def _period_label(day: date, by: str) -> str:
    if by == "year":
        return f"{day.year}"
    if by == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def _period_range(first: str, last: str, by: str) -> list[str]:
    """Every period label from ``first`` to ``last``, so gaps show as zeros."""
    def ordinal(label: str) -> int:
        year = int(label[:4])
        if by == "year":
            return year
        part = int(label[-1]) if by == "quarter" else int(label[5:7])
        return year * (4 if by == "quarter" else 12) + part - 1

    per_year = {"year": 1, "quarter": 4, "month": 12}[by]
    labels = []
    for n in range(ordinal(first), ordinal(last) + 1):
        year, part = divmod(n, per_year)
        labels.append(str(n) if by == "year" else
                      f"{year}-Q{part + 1}" if by == "quarter" else f"{year}-{part + 1:02d}")
    return labels


# -- search --------------------------------------------------------------------------------------

def search(store: Store, text: str, limit: int = 20) -> list[SearchHit]:
    """Articles and evidence sentences containing every word of ``text``, best match first."""
    if not text.strip():
        raise QueryError("nothing to search for")
    if limit < 1:
        raise QueryError("--limit must be at least 1")
    return store.search(text, limit)
