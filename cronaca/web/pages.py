"""Server-rendered HTML pages of the analyst workspace: home, article, timeline, fact, actors, search.

Why server-rendered: a page is a link a colleague can open anywhere, with no internet and no
JavaScript; every filter is a query parameter, so the URL reproduces the view. The pages ask the
same Python API as the CLI and the JSON API (``cronaca.query``) and only shape its answers for HTML.
Bad parameters give a 400 page and unknown ids a 404 page, never a server error.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, wraps
from itertools import islice, pairwise
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from .. import query
from ..lang import shared_data
from ..model import EVENT_TYPES, Actor, Fact, Record
from ..store import FactFilter, Store, StoreError
from .app import get_store

router = APIRouter(include_in_schema=False)  # HTML for people; the JSON API documents itself
templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
StoreDep = Annotated[Store, Depends(get_store)]

# Colours a fact or mention takes on the pages; "contested" is a property of a fact, not a mention.
STATUS_LEGEND: dict[str, str] = {
    "asserted": "the article states it in its own voice",
    "reported": "a named source states it as fact",
    "alleged": "an accusation, suspicion or speculation",
    "confirmed": "a source, often a party to it, confirms it",
    "denied": "a source says it is false or did not happen",
    "contested": "one source asserts or reports it while another denies it",
    "hypothetical": "feared, planned, possible, future or conditional",
}
LINK_LABELS = {"accused_by": "accused by", "accuses": "accuses", "denied_by": "denied by",
               "denies": "denies"}
TIMELINE_LIMIT, TIMELINE_MAX = 500, 5000
SEARCH_LIMIT, SEARCH_MAX = 20, 200
ACTORS_SHOWN = 500
HOME_ARTICLES = 50
CUE_REACH = 300  # characters around an event's sentence where its attribution cue may stand
TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
MAX_PARAM_CHARS = 200
_WORDS = re.compile(r"\w+")
_NUMBER = re.compile(r"[0-9]{1,6}")  # ASCII digits only: int() of "²" or of 5000 digits fails


class BadParameter(ValueError):
    """A query parameter the page cannot use; shown to the person as a 400 page."""


# -- helpers shared by the templates -------------------------------------------------------------

@cache
def _country_names() -> dict[str, str]:
    countries = dict(shared_data("countries"))
    bodies = countries.pop("bodies", {}) or {}
    return {code: str(entry["name"]) for code, entry in {**countries, **bodies}.items()}


def actor_label(actor: Actor) -> str:
    """"North Korea (PRK MIL)": the resolved name, with country and sector when known."""
    name = actor.name or actor.text or _country_names().get(actor.country or "", "unnamed")
    tags = " ".join(t for t in (actor.country, actor.sector) if t)
    return f"{name} ({tags})" if tags and tags != name else name


def actors_label(actors: Iterable[Actor]) -> str:
    return ", ".join(actor_label(a) for a in actors) or "—"


def date_label(value: str | None, mod: str | None = None) -> str:
    if not value:
        return "undated"
    return f"{value} ({mod.lower()})" if mod else value


def fact_status(fact: Fact) -> str:
    """The colour of a fact: contested, else its latest status in the history, else the most
    frequent status of its mentions."""
    if fact.contested:
        return "contested"
    if fact.history:
        return fact.history[-1].status
    counts = Counter(m.status for m in fact.mentions)
    return counts.most_common(1)[0][0] if counts else "asserted"


def fact_title(fact: Fact) -> str:
    kind = f"{fact.type}/{fact.mode}" if fact.mode else fact.type
    return f"{kind}: {actors_label(fact.source)} → {actors_label(fact.target)}"


def article_title(record: Record) -> str:
    """The record's title, else the article's first line (news files open with the headline)."""
    if record.doc.title:
        return record.doc.title
    first = next((line.strip() for line in record.doc.text.splitlines() if line.strip()), "")
    return (first[:117] + "…") if len(first) > 120 else first or record.doc.id[:19]


def here(request: Request) -> str:
    """This page's address without scheme and host: a link that reproduces the view anywhere."""
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def with_param(request: Request, name: str, value: str) -> str:
    """This page's address with one parameter set, the other filters kept."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != name]
    return f"{request.url.path}?{urlencode([*kept, (name, value)])}"


templates.env.globals.update(status_legend=STATUS_LEGEND, link_labels=LINK_LABELS,
                             event_types=EVENT_TYPES, date_label=date_label, here=here,
                             with_param=with_param)
templates.env.filters.update(actor=actor_label, actors=actors_label, fact_status=fact_status,
                             fact_title=fact_title)


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def _problem(request: Request, status: int, message: str) -> HTMLResponse:
    titles = {400: "Bad request", 404: "Not found", 503: "Store unavailable"}
    return _page(request, "error.html", {"title": titles.get(status, "Error"), "status": status,
                                         "message": message}, status)


def _one(request: Request, name: str) -> str | None:
    """A single-valued parameter; blank means absent (HTML forms send empty fields)."""
    values = [v.strip() for v in request.query_params.getlist(name) if v.strip()]
    if len(values) > 1:
        raise BadParameter(f"parameter {name!r} was given {len(values)} times; give it once")
    if values and len(values[0]) > MAX_PARAM_CHARS:
        raise BadParameter(f"parameter {name!r} is longer than {MAX_PARAM_CHARS} characters")
    return values[0] if values else None


def _int(request: Request, name: str, default: int, most: int) -> int:
    raw = _one(request, name)
    if raw is None:
        return default
    if not _NUMBER.fullmatch(raw) or not 1 <= int(raw) <= most:
        raise BadParameter(f"{name} must be a whole number from 1 to {most}, not {raw[:20]!r}")
    return int(raw)


def _flag(request: Request, name: str) -> bool | None:
    raw = _one(request, name)
    if raw is None or raw.lower() == "any":
        return None
    if raw.lower() in TRUE_WORDS | FALSE_WORDS:
        return raw.lower() in TRUE_WORDS
    raise BadParameter(f"{name} must be true, false or any, not {raw!r}")


def _html_errors(endpoint: Callable[..., HTMLResponse]) -> Callable[..., HTMLResponse]:
    """A page endpoint whose bad parameter or question is a 400 page and whose unreadable store
    is a 503 page (the application's own handlers answer JSON, for the API)."""
    @wraps(endpoint)
    def page(**params: Any) -> HTMLResponse:
        try:
            return endpoint(**params)
        except (BadParameter, query.QueryError) as exc:
            return _problem(params["request"], 400, str(exc))
        except StoreError as exc:
            return _problem(params["request"], 503, f"the database cannot be read: {exc}")
    return page


# -- home ----------------------------------------------------------------------------------------

@dataclass(slots=True)
class ArticleRow:
    id: str
    title: str
    published: str | None
    outlet: str | None
    events: int


def _articles(store: Store, limit: int) -> list[ArticleRow]:
    """The first stored articles. Adapter: the store has no article listing, so this reads the
    first ``limit`` records in storage order."""
    return [ArticleRow(r.doc.id, article_title(r), r.doc.published, r.doc.source, len(r.events))
            for r in islice(store.iter_records(), limit)]


@router.get("/", response_class=HTMLResponse)
@_html_errors
def home(request: Request, store: StoreDep) -> HTMLResponse:
    counts = {"articles": store.count_articles(), "event mentions": store.count_events(),
              "facts": store.count_facts()}
    return _page(request, "home.html", {"title": "cronaca", "counts": counts,
                                        "articles": _articles(store, HOME_ARTICLES),
                                        "article_limit": HOME_ARTICLES})


# -- article -------------------------------------------------------------------------------------

@dataclass(slots=True)
class Segment:
    """A stretch of text under one unchanging set of highlights."""

    text: str
    classes: str = ""
    label: str = ""
    events: str = ""  # ids of the events whose trigger covers it


@dataclass(slots=True)
class Region:
    """A part of the article: an evidence sentence (with an anchor) or the text between them."""

    anchor: str | None
    events: str
    segments: list[Segment] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    css: str
    label: str
    event: str = ""


def _word(phrase: str) -> str:
    """A pattern for ``phrase`` as whole words (a quotation-mark cue has no word edges)."""
    head = r"\b" if phrase[0].isalnum() else ""
    tail = r"\b" if phrase[-1].isalnum() else ""
    return f"{head}{re.escape(phrase)}{tail}"


def _cue_marks(record: Record) -> list[_Mark]:
    """Attribution cues carry no offsets: find each cue as a word in its event's sentence, else
    the nearest occurrence within ``CUE_REACH`` characters of it ("…, lo ha riferito la Kcna")."""
    marks: list[_Mark] = []
    text = record.doc.text
    for event in record.events:
        start, end = event.sentence.start, event.sentence.end
        for source in event.attribution:
            if not source.cue:
                continue
            cue = re.compile(_word(source.cue), re.IGNORECASE)
            found = cue.search(text, start, end)
            if found is None:
                near = list(cue.finditer(text, max(0, start - CUE_REACH), end + CUE_REACH))
                found = min(near, key=lambda m: min(abs(m.start() - end), abs(start - m.end())),
                            default=None)
            if found:
                marks.append(_Mark(found.start(), found.end(), "cue",
                                   f"attribution cue: {source.name}"))
    return marks


def _marks(record: Record) -> list[_Mark]:
    marks = [_Mark(e.start, e.end, f"ent ent-{e.type.lower()}",
                   f"{e.type} {e.name or e.text}" + (f" ({e.country})" if e.country else ""))
             for e in record.entities]
    marks += [_Mark(t.start, t.end, "time", f"time: {t.value or 'unresolved'}") for t in record.timexes]
    marks += [_Mark(e.trigger.start, e.trigger.end, "trigger", f"{e.type} ({e.status})", e.id)
              for e in record.events]
    marks += _cue_marks(record)
    size = len(record.doc.text)
    return [m for m in marks if 0 <= m.start < m.end <= size]


def anchor_id(span: tuple[int, int]) -> str:
    """The element id of an evidence sentence: fact pages link to ``#s-START-END``."""
    return f"s-{span[0]}-{span[1]}"


def evidence_spans(record: Record) -> dict[str, tuple[int, int]]:
    """Each event's evidence sentence as the page marks it; sentences that overlap (a
    segmentation quirk) merge into one, so that sentence elements nest and stay unique."""
    size = len(record.doc.text)
    spans = sorted({(e.sentence.start, e.sentence.end) for e in record.events
                    if 0 <= e.sentence.start < e.sentence.end <= size})
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    spans_of: dict[str, tuple[int, int]] = {}
    for e in record.events:
        group = next((g for g in merged if g[0] <= e.sentence.start < g[1]), None)
        if group is not None:
            spans_of[e.id] = (group[0], group[1])
    return spans_of


def article_regions(record: Record, evidence: dict[str, tuple[int, int]],
             active_event: str | None) -> list[Region]:
    """The article cut at every highlight and evidence-sentence boundary, so that highlights
    nest inside sentence anchors; overlapping highlights share a segment and their classes."""
    text = record.doc.text
    marks = _marks(record)
    sentences: dict[tuple[int, int], list[str]] = {}
    for event_id, span in evidence.items():
        sentences.setdefault(span, []).append(event_id)
    kept = sorted(sentences)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks),
                   *(s for span in kept for s in span)})
    opening: dict[int, list[_Mark]] = {}
    for m in marks:
        opening.setdefault(m.start, []).append(m)
    regions: list[Region] = []
    spans = iter(kept)
    sentence = next(spans, None)
    active: list[_Mark] = []
    for a, b in pairwise(cuts):
        active = [m for m in active if m.end > a] + opening.get(a, [])
        if sentence and a >= sentence[1]:
            sentence = next(spans, None)
        inside = sentence is not None and sentence[0] <= a < sentence[1]
        anchor = anchor_id(sentence) if inside and sentence else None
        if not regions or regions[-1].anchor != anchor:
            ids = " ".join(sentences[sentence]) if inside and sentence else ""
            regions.append(Region(anchor, ids))
        events = " ".join(m.event for m in active if m.event)
        classes = " ".join(dict.fromkeys(c for m in active for c in m.css.split()))
        if active_event and active_event in events.split():
            classes += " is-active"
        regions[-1].segments.append(Segment(text[a:b], classes, "; ".join(m.label for m in active),
                                            events))
    return regions


@router.get("/articles/{article_id}", response_class=HTMLResponse)
@_html_errors
def article(request: Request, article_id: str, store: StoreDep) -> HTMLResponse:
    record = store.get_record(article_id)
    if record is None:
        return _problem(request, 404, f"no article with id {article_id!r}")
    active = _one(request, "event")
    if active and all(e.id != active for e in record.events):
        raise BadParameter(f"the article has no event {active!r}")
    evidence = evidence_spans(record)
    anchors = {event_id: anchor_id(span) for event_id, span in evidence.items()}
    return _page(request, "article.html", {
        "title": article_title(record), "record": record, "active_event": active,
        "active_anchor": anchors.get(active or ""), "anchors": anchors,
        "regions": article_regions(record, evidence, active)})


# -- timeline ------------------------------------------------------------------------------------

@dataclass(slots=True)
class Period:
    label: str
    anchor: str
    facts: list[Fact] = field(default_factory=list)

    def statuses(self) -> list[tuple[str, int]]:
        """How many of its facts have each colour, in the legend's order."""
        counts = Counter(fact_status(f) for f in self.facts)
        return [(status, counts[status]) for status in STATUS_LEGEND if counts[status]]


def _period(fact: Fact) -> str:
    """The month (or year) of a fact's best date, else the month it was first reported."""
    value = fact.date.value if fact.date and fact.date.value else None
    if value and len(value) >= 7 and value[4] == "-" and value[5:7].isdigit():
        return value[:7]
    if value:
        return value[:4]
    return f"reported {fact.first_seen[:7]}" if fact.first_seen else "undated"


@dataclass(slots=True)
class TimelineFilters:
    """The timeline's query parameters, as the form shows them again."""

    actors: list[str]
    types: list[str]
    date_from: str | None
    date_to: str | None
    source: str | None
    status: str | None
    contested: bool | None

    @classmethod
    def parse(cls, request: Request) -> TimelineFilters:
        params = request.query_params
        return cls(actors=[a.strip() for a in params.getlist("actor") if a.strip()],
                   types=list(dict.fromkeys(t.strip().upper() for t in params.getlist("type")
                                            if t.strip())),
                   date_from=_one(request, "from"), date_to=_one(request, "to"),
                   source=_one(request, "source"), status=_one(request, "status"),
                   contested=_flag(request, "contested"))


def _find_facts(store: Store, wanted: TimelineFilters, limit: int) -> list[Fact]:
    """``query.timeline`` plus the source, status and contested filters of ``query.facts``.
    Adapter: the query API has no single call taking them all; the store's filter does."""
    if len(wanted.actors) > 2:
        raise BadParameter("a timeline takes at most two actors")
    unknown = [t for t in wanted.types if t not in EVENT_TYPES]
    if unknown:
        raise BadParameter(f"unknown event type {unknown[0]!r}")
    status, contested = wanted.status, wanted.contested
    if status == "contested":  # a property of facts, offered beside the mention statuses
        status, contested = None, True
    if status is not None and status not in STATUS_LEGEND:
        raise BadParameter(f"unknown status {status!r} (choose from: {', '.join(STATUS_LEGEND)})")
    where = FactFilter(actors=tuple(query.resolve_actor(store, a) for a in wanted.actors),
                       date_from=query.date_bound(wanted.date_from),
                       date_to=query.date_bound(wanted.date_to, end=True), types=tuple(wanted.types),
                       contested=contested, status=status, source=wanted.source)
    if where.date_from and where.date_to and where.date_from > where.date_to:
        raise BadParameter(f"from {wanted.date_from} is after to {wanted.date_to}")
    return store.find_facts(where, limit)


def _actor_heading(store: Store, given: str) -> str:
    ref = query.resolve_actor(store, given)
    name = _country_names().get(ref.value) if ref.kind == "country" else None
    return f"{name} ({ref.value})" if name else ref.value


@router.get("/timeline", response_class=HTMLResponse)
@_html_errors
def timeline(request: Request, store: StoreDep) -> HTMLResponse:
    wanted = TimelineFilters.parse(request)
    limit = _int(request, "limit", TIMELINE_LIMIT, TIMELINE_MAX)
    found = _find_facts(store, wanted, limit + 1)
    truncated = len(found) > limit
    periods: list[Period] = []
    for f in found[:limit]:  # consecutive facts of one period share a heading; date order is kept
        label = _period(f)
        if not periods or periods[-1].label != label:
            periods.append(Period(label, f"p-{len(periods)}"))
        periods[-1].facts.append(f)
    headings = [_actor_heading(store, a) for a in wanted.actors]
    speakers = sorted({s for f in found for s in f.outlets + f.speakers})
    by = _one(request, "by") or "month"
    dyad = query.dyad(store, wanted.actors[0], wanted.actors[1], by) if len(wanted.actors) == 2 else []
    return _page(request, "timeline.html", {
        "title": "Timeline: " + (" ↔ ".join(headings) if headings else "all actors"),
        "filters": wanted, "limit": limit,
        "periods": periods, "count": min(len(found), limit),
        "tallest": max((len(p.facts) for p in periods), default=1),
        "truncated": truncated, "speakers": speakers, "by": by, "dyad": dyad,
        "quads": list(query.QUAD_CLASSES),
        "widest": max((sum(p.counts.values()) for p in dyad), default=1)})


# -- fact ----------------------------------------------------------------------------------------

@dataclass(slots=True)
class EvidenceView:
    """One mention with its sentence cut into plain and highlighted pieces."""

    evidence: query.Evidence
    headline: str
    pieces: list[tuple[str, str]]  # (text, highlight kind or "")


def _pieces(evidence: query.Evidence) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    at = 0
    for h in evidence.highlights:  # sorted and non-overlapping (query.fact)
        if h.start > at:
            pieces.append((evidence.text[at:h.start], ""))
        pieces.append((evidence.text[h.start:h.end], h.kind))
        at = h.end
    if at < len(evidence.text):
        pieces.append((evidence.text[at:], ""))
    return pieces


@router.get("/facts/{fact_id}", response_class=HTMLResponse)
@_html_errors
def fact(request: Request, fact_id: str, store: StoreDep) -> HTMLResponse:
    try:
        found, evidence = query.fact(store, fact_id)
    except query.QueryError as exc:  # the one question fact() can fail: no such fact
        return _problem(request, 404, str(exc))
    linked = [(link, store.get_fact(link.fact)) for link in found.links]
    headlines: dict[str, str] = {}
    for e in evidence:  # untitled articles are named by their first line, as in the article view
        if e.title is None and e.doc not in headlines:
            record = store.get_record(e.doc)
            headlines[e.doc] = article_title(record) if record else e.doc[:19]
    return _page(request, "fact.html", {
        "title": f"Fact {found.id}: {fact_title(found)}", "fact": found,
        "evidence": [EvidenceView(e, e.title or headlines[e.doc], _pieces(e)) for e in evidence],
        "linked": linked})


# -- actors and search ---------------------------------------------------------------------------

@router.get("/actors", response_class=HTMLResponse)
@_html_errors
def actors(request: Request, store: StoreDep) -> HTMLResponse:
    country = _one(request, "country")
    found = query.actors(store, country)
    return _page(request, "actors.html", {
        "title": f"Actors of {_actor_heading(store, country)}" if country else "Actors",
        "country": country, "actors": found[:ACTORS_SHOWN], "total": len(found)})


def _marked(text: str, pattern: re.Pattern[str] | None) -> list[tuple[str, bool]]:
    """``text`` as (piece, matches a searched word) pairs."""
    if pattern is None:
        return [(text, False)]
    pieces: list[tuple[str, bool]] = []
    at = 0
    for m in pattern.finditer(text):
        if m.start() > at:
            pieces.append((text[at:m.start()], False))
        pieces.append((m.group(), True))
        at = m.end()
    pieces.append((text[at:], False))
    return [p for p in pieces if p[0]]


@router.get("/search", response_class=HTMLResponse)
@_html_errors
def search(request: Request, store: StoreDep) -> HTMLResponse:
    text = _one(request, "q")
    limit = _int(request, "limit", SEARCH_LIMIT, SEARCH_MAX)
    hits = query.search(store, text, limit) if text else []
    words = _WORDS.findall(text or "")
    pattern = re.compile("|".join(map(re.escape, words)), re.IGNORECASE) if words else None
    return _page(request, "search.html", {
        "title": f"Search: {text}" if text else "Search", "q": text or "", "limit": limit,
        "hits": [(h, _marked(h.text, pattern)) for h in hits]})
