"""Facts: event mentions fused into happenings, with their history, sources, contest and links.

Why this shape: the same happening is reported many times (GDELT counts each report as a new
event); an analyst wants it once, with every report behind it and how its status moved over time.

Fusion (``fuse``) is a pure function of the mentions, independent of their order, so adding articles
one at a time gives the same facts as rebuilding from scratch:
- mentions fuse only under the same ``fusion_key``: type family (AID and MOBILIZE are one family:
  troop deployments are reported as either), source and target countries (unordered for meetings,
  cooperation and agreements);
- inside a key, mentions whose time anchors (their own date, else their article's publication
  date, as an interval) lie within a tolerance of each other are the same happening (single
  linkage): half a year for ongoing matters (aid, deployments, support), a week for one-off
  happenings (meetings, attacks, arrests), which also split when dated to days more than a week
  apart; no happening spans more than a year; mentions with no anchor join the key's earliest.
Links come from inside one article (``derive_links``): an accusation points to the act it alleges,
a denial to the accusation and the act it denies, and a counter-claim in the same sentence to the
claim it disputes. ``settle`` writes the links onto the facts and marks a fact ``contested`` when its
own mentions disagree (one denies what another states) or a denial points to it.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate

from .model import (
    Actor,
    Event,
    EventDate,
    Fact,
    FactLink,
    FactMention,
    HistoryEntry,
    Record,
    Span,
)

FAMILIES = {"MOBILIZE": "AID"}
SYMMETRIC = {"CONSULT", "COOPERATE", "AGREE"}
DATE_TOLERANCE = timedelta(days=183)  # an ongoing matter (aid, deployments, support) is one happening
ONE_OFF_TOLERANCE = timedelta(days=7)  # a meeting, an attack, an arrest: reports within a week
MAX_SPAN = timedelta(days=366)  # no happening chains on for more than a year of reports
POSITIVE = {"asserted", "reported", "confirmed", "alleged"}
SAME_OCCASION_DAYS = 7  # one-off happenings dated to exact days further apart are two occasions
ONE_OFF = {"CONSULT", "AGREE", "ASSAULT", "COERCE", "PROTEST", "RETREAT", "SANCTION", "REJECT", "ACCUSE"}
SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
MOD_MONTHS = {"START": (1, 4), "MID": (5, 8), "END": (9, 12)}
LINKING = ("ACCUSE", "REJECT")  # an article links facts only through an accusation or a denial
INVERSE = {"accused_by": "accuses", "accuses": "accused_by", "denied_by": "denies", "denies": "denied_by"}


@dataclass(frozen=True)
class MentionInput:
    """One stored event mention: what fusion needs to know about it."""

    doc: str
    published: str | None
    outlet: str | None
    event: Event


def mentions_of(record: Record, outlet: str | None = None) -> list[MentionInput]:
    return [MentionInput(doc=record.doc.id, published=record.doc.published,
                         outlet=outlet if outlet is not None else record.doc.source, event=e)
            for e in record.events]


FUSION_KEYS = "1"  # fusion_key's version: change it with the function, stores then recompute keys


def fusion_key(event: Event) -> str:
    family = FAMILIES.get(event.type, event.type)
    src = sorted({a.country for a in event.source if a.country})
    tgt = sorted({a.country for a in event.target if a.country})
    if not src and not tgt:  # nothing to fuse on: names, or the mention alone
        names = sorted({(a.name or a.text).lower() for a in event.source + event.target if a.name or a.text})
        return f"{family}|names:{'+'.join(names)}|"
    if event.type in SYMMETRIC:
        return f"{family}|{'+'.join(sorted(set(src) | set(tgt)))}|<>"
    return f"{family}|{'+'.join(src)}|{'+'.join(tgt)}"


# -- time anchors -------------------------------------------------------------------------------
@lru_cache(maxsize=65_536)  # fusion asks for the same few thousand dates again and again
def interval(value: str | None, mod: str | None = None) -> tuple[date, date] | None:
    """The calendar interval of an ISO-like value ("2024", "2024-08", "2025-W22", "2024-SU", "199")."""
    if not value or "X" in value:
        return None
    try:
        if len(value) == 3 and value.isdigit():  # a decade: "199"
            y = int(value) * 10
            return date(y, 1, 1), date(y + 9, 12, 31)
        if len(value) == 4 and value.isdigit():
            y = int(value)
            lo, hi = MOD_MONTHS.get(mod or "", (1, 12))
            return date(y, lo, 1), _month_end(y, hi)
        y = int(value[:4])
        rest = value[5:]
        if rest.startswith("W"):
            start = date.fromisocalendar(y, int(rest[1:3]), 1)
            return start, start + timedelta(days=6)
        if rest in SEASONS:
            lo, hi = SEASONS[rest]
            return date(y, lo, 1), _month_end(y + (hi - 1) // 12, (hi - 1) % 12 + 1)
        if len(rest) == 2:
            m = int(rest)
            return date(y, m, 1), _month_end(y, m)
        d = date.fromisoformat(value[:10])
        return d, d
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def anchor(m: MentionInput) -> tuple[date, date] | None:
    if m.event.date is not None:
        found = interval(m.event.date.value, m.event.date.mod)
        if found:
            return found
    return interval(m.published)


# -- fusion -------------------------------------------------------------------------------------
def fuse(mentions: Iterable[MentionInput]) -> list[Fact]:
    by_key: dict[str, list[MentionInput]] = defaultdict(list)
    for m in mentions:
        key = fusion_key(m.event)
        if key.endswith("|names:|"):
            key += f"{m.doc}#{m.event.id}"
        by_key[key].append(m)
    facts: list[Fact] = []
    for key in sorted(by_key):
        for cluster in _clusters(by_key[key]):
            facts.append(_fact(key, cluster))
    return facts


def _order(m: MentionInput) -> tuple:
    return (m.doc, _event_number(m.event.id))


@lru_cache(maxsize=4096)  # ids repeat in every record ("e1", "e2", …): a few hundred in all
def _event_number(event_id: str) -> tuple:
    digits = "".join(ch for ch in event_id if ch.isdigit())
    return (int(digits) if digits else 0, event_id)


def _clusters(mentions: list[MentionInput]) -> list[list[MentionInput]]:
    """Happenings of one key. Mentions dated by their own text chain into happenings; a mention
    with no date of its own joins the happening that began closest to its publication (within the
    tolerances), else it starts one with the undated reports published around the same time."""
    own = sorted(((own_interval(m), m) for m in mentions if own_interval(m) is not None),
                 key=lambda am: (am[0][0], am[0][1], _order(am[1])))
    clusters: list[list[MentionInput]] = []
    spans: list[list[date]] = []  # [start, end] of each happening
    days: set[date] = set()  # the exact days the current happening is dated to by its mentions
    for (lo, hi), m in own:
        day = _exact_day(m)
        clash = day is not None and days and all(abs((day - d).days) > SAME_OCCASION_DAYS for d in days)
        if not spans or lo > spans[-1][1] + _tolerance(m) or clash or lo > spans[-1][0] + MAX_SPAN:
            clusters.append([])
            spans.append([lo, hi])
            days = set()
        clusters[-1].append(m)
        spans[-1][1] = max(spans[-1][1], hi)
        if day is not None:
            days.add(day)
    starts = [lo for lo, _ in spans]  # in order: a happening begins with its earliest mention
    reach = list(accumulate((hi for _, hi in spans), max))  # the latest end up to each happening
    loose: list[tuple[tuple[date, date] | None, MentionInput]] = []
    for m in sorted((m for m in mentions if own_interval(m) is None), key=lambda m: (m.published or "", _order(m))):
        told = interval(m.published)
        if told is None:
            loose.append((None, m))
            continue
        # the happenings that begin by the end of its window and end after its start; bisecting
        # skips those entirely before or after it (a long-running key has thousands)
        after = told[0] - _tolerance(m, undated=True)
        first, end = bisect_left(reach, after), bisect_right(starts, told[1] + _tolerance(m))
        near = [i for i in range(first, end) if spans[i][1] >= after]
        if near:  # the happening closest to when it was told, earlier ones first on a tie
            clusters[min(near, key=lambda i: (abs((spans[i][0] - told[0]).days), spans[i][0]))].append(m)
        else:
            loose.append((told, m))
    end: date | None = None
    for told, m in loose:  # undated reports with nothing before them: grouped by publication
        if told is None:  # neither dated nor published: the key's first happening
            if not clusters:
                clusters.append([])
            clusters[0].append(m)
            continue
        if end is None or told[0] > end + _tolerance(m):
            clusters.append([])
        clusters[-1].append(m)
        end = told[1] if end is None else max(end, told[1])
    return [c for c in clusters if c]


def own_interval(m: MentionInput) -> tuple[date, date] | None:
    """The interval the mention's own text dates it to (not its publication)."""
    return interval(m.event.date.value, m.event.date.mod) if m.event.date is not None else None


def _tolerance(m: MentionInput, undated: bool = False) -> timedelta:
    one_off = FAMILIES.get(m.event.type, m.event.type) in ONE_OFF
    if undated:
        return DATE_TOLERANCE if one_off else MAX_SPAN
    return ONE_OFF_TOLERANCE if one_off else DATE_TOLERANCE


def _exact_day(m: MentionInput) -> date | None:
    """The day a one-off happening (a meeting, an attack, an arrest) is dated to in the text: two
    such days more than a week apart are two happenings ("il secondo incontro in due settimane")."""
    if FAMILIES.get(m.event.type, m.event.type) not in ONE_OFF or m.event.date is None:
        return None
    span = interval(m.event.date.value, m.event.date.mod)
    return span[0] if span and span[0] == span[1] else None


def _fact(key: str, cluster: list[MentionInput]) -> Fact:
    ordered = sorted(cluster, key=lambda m: (m.published or "", _order(m)))
    earliest = min(cluster, key=lambda m: ((anchor(m) or (date.max, date.max))[0], _order(m)))
    events = [m.event for m in cluster]
    fact_id = "f" + hashlib.sha1(f"{key}#{earliest.doc}#{earliest.event.id}".encode()).hexdigest()[:12]
    types = Counter(e.type for e in events)
    top = max(types.values())
    ftype = next(e.type for e in (m.event for m in sorted(cluster, key=_order)) if types[e.type] == top)
    modes = Counter(e.mode for e in events if e.mode)
    statuses = {e.status for e in events}
    published = sorted(m.published for m in cluster if m.published)
    outlets, speakers = _sources(cluster)
    return Fact(
        id=fact_id, type=ftype, mode=modes.most_common(1)[0][0] if modes else None,
        source=_actors(e.source for e in events), target=_actors(e.target for e in events),
        date=_best_date(cluster),
        mentions=[FactMention(doc=m.doc, event=m.event.id, published=m.published, status=m.event.status,
                              attribution=list(m.event.attribution), sentence=Span(m.event.sentence.start,
                                                                                    m.event.sentence.end),
                              date=m.event.date, outlet=m.outlet) for m in ordered],
        history=_history(cluster), outlets=outlets, speakers=speakers,
        independent=_independent(cluster),
        contested="denied" in statuses and bool(statuses & POSITIVE),
        first_seen=published[0] if published else None, last_seen=published[-1] if published else None,
    )


def _actors(groups: Iterable[list[Actor]]) -> list[Actor]:
    """The participants named across mentions, most often named first, one per name and country."""
    counts: Counter = Counter()
    best: dict[tuple, Actor] = {}
    for group in groups:
        for a in group:
            key = ((a.name or a.text or "").lower(), a.country)
            if not key[0] and not a.country:
                continue
            counts[key] += 1
            if key not in best or (a.text and not best[key].text):
                best[key] = a
    named = sorted(counts, key=lambda k: (-counts[k], k[1] or "", k[0]))
    # an inferred, unnamed actor only stands in when nobody with its country is named
    countries_named = {k[1] for k in named if k[0]}
    return [best[k] for k in named if k[0] or k[1] not in countries_named][:5]


def _best_date(cluster: list[MentionInput]) -> EventDate | None:
    """The date most mentions give, preferring those not merely hypothetical or denied."""
    candidates = [m.event.date for m in cluster if m.event.date and m.event.date.value
                  and m.event.status not in ("hypothetical", "denied")]
    candidates = candidates or [m.event.date for m in cluster if m.event.date and m.event.date.value]
    if not candidates:
        return None
    counts = Counter((d.value, d.mod) for d in candidates)
    top = max(counts.values())
    value, mod = min((k for k in counts if counts[k] == top),
                     key=lambda k: (interval(k[0], k[1]) or (date.max, date.max))[0])
    return EventDate(value=value, mod=mod)


def _history(cluster: list[MentionInput]) -> list[HistoryEntry]:
    """Status over time: for each status, when it was first told and by whom. The article's own
    narration ("asserted") adds nothing once someone has alleged, confirmed or denied it."""
    by_status: dict[str, list[MentionInput]] = defaultdict(list)
    for m in cluster:
        by_status[m.event.status].append(m)
    if len(by_status) > 1:
        by_status.pop("asserted", None)
    entries: list[tuple[tuple, HistoryEntry]] = []
    for status, ms in by_status.items():
        first = min(ms, key=lambda m: ((anchor(m) or (date.max, date.max))[0], _order(m)))
        when = first.event.date.value if first.event.date and first.event.date.value else first.published
        names: list[str] = []
        for m in sorted(ms, key=lambda m: ((anchor(m) or (date.max, date.max))[0], _order(m))):
            for s in m.event.attribution or []:
                if s.name not in names:
                    names.append(s.name)
            if not m.event.attribution and m.outlet and m.outlet not in names:
                names.append(m.outlet)
        entries.append((((anchor(first) or (date.max, date.max))[0], status), HistoryEntry(status, when, names)))
    return [e for _, e in sorted(entries, key=lambda x: x[0])]


def _sources(cluster: list[MentionInput]) -> tuple[list[str], list[str]]:
    outlets: list[str] = []
    speakers: list[str] = []
    for m in sorted(cluster, key=lambda m: (m.published or "", _order(m))):
        if m.outlet and m.outlet not in outlets:
            outlets.append(m.outlet)
        for s in m.event.attribution:
            target = outlets if s.sector == "MED" else speakers
            if s.name not in target:
                target.append(s.name)
    return outlets, speakers


def _independent(cluster: list[MentionInput]) -> int:
    """How many sources are independent of each other: speakers and media of one country count
    once (a leader and his state agency are one voice); outlets of unknown origin count apart."""
    origins: set[str] = set()
    for m in cluster:
        if m.event.attribution:
            for s in m.event.attribution:
                origins.add(s.country or f"name:{s.name.lower()}")
        elif m.outlet:
            origins.add(f"outlet:{m.outlet.lower()}")
    return len(origins)


# -- links --------------------------------------------------------------------------------------
def derive_links(article: list[MentionInput], fact_of: Mapping[tuple[str, str], str]) -> list[tuple[str, str, str]]:
    """The links between facts one article evidences: each of them starts from one of its
    ``LINKING`` mentions (who accuses whom of what, who denies it)."""
    links: set[tuple[str, str, str]] = set()

    def add(frm: MentionInput, rel: str, to: MentionInput) -> None:
        a, b = fact_of.get((frm.doc, frm.event.id)), fact_of.get((to.doc, to.event.id))
        if a and b and a != b:
            links.add((a, rel, b))
            links.add((b, INVERSE[rel], a))

    accusations = [m for m in article if m.event.type == "ACCUSE"]
    accused: dict[int, list[MentionInput]] = defaultdict(list)
    for a in accusations:
        src, tgt = _countries(a.event.source), _countries(a.event.target)
        for e in article:
            if e is a or e.event.type in ("ACCUSE", "REJECT") or e.event.status != "alleged":
                continue
            said_by = _countries(e.event.attribution)
            if _same_sentence(a, e) or (_countries(e.event.source) & tgt and said_by & src):
                add(e, "accused_by", a)
                accused[id(a)].append(e)
    for r in (m for m in article if m.event.type == "REJECT"):
        src, tgt = _countries(r.event.source), _countries(r.event.target)
        found = False
        for x in article:
            if x is r or x.event.type == "REJECT":
                continue
            if x.event.type == "ACCUSE" and _countries(x.event.source) & tgt and (
                    _countries(x.event.target) & src or any(_parties(e) & src for e in accused[id(x)])):
                add(x, "denied_by", r)  # the accused (or a party to the act) denies the accusation
                for e in accused[id(x)]:
                    add(e, "denied_by", r)
                found = True
            elif _same_sentence(r, x) and (_countries(x.event.attribution) | _countries(x.event.source)) & tgt:
                add(x, "denied_by", r)  # "X afferma …, anche se Y insiste …": a counter-claim
                found = True
            elif x.event.status == "alleged" and _parties(x) & src and _countries(x.event.attribution) & tgt:
                add(x, "denied_by", r)
                found = True
        if not found:  # "Lo stato maggiore ha smentito l'annuncio": the latest claim before it
            earlier = [x for x in article if x.event.sentence.start < r.event.sentence.start
                       and x.event.type != "REJECT" and not _countries(x.event.attribution) & src
                       and (_countries(x.event.attribution) | _countries(x.event.source)) & tgt]
            claims = [x for x in earlier if x.event.attribution or x.event.status in ("reported", "confirmed")]
            if claims:
                add(max(claims, key=lambda x: x.event.trigger.start), "denied_by", r)
    return sorted(links)


def _parties(m: MentionInput) -> set[str]:
    return _countries(m.event.source) | _countries(m.event.target)


def _countries(actors) -> set[str]:
    return {a.country for a in actors if a.country}


def _same_sentence(a: MentionInput, b: MentionInput) -> bool:
    return a.event.sentence.start == b.event.sentence.start and a.doc == b.doc


def settle(facts: list[Fact], links: Iterable[tuple[str, str, str]]) -> None:
    by_fact: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for frm, rel, to in links:
        by_fact[frm].add((rel, to))
    for fact in facts:
        own = {m.status for m in fact.mentions}
        fact.links = [FactLink(rel=rel, fact=to) for rel, to in sorted(by_fact.get(fact.id, ()))]
        denied = any(link.rel == "denied_by" for link in fact.links)
        fact.contested = ("denied" in own and bool(own & POSITIVE)) or (denied and bool(own & POSITIVE))


def build_facts(records: Iterable[Record], outlets: Mapping[str, str | None] | None = None) -> list[Fact]:
    """Facts of a set of records from scratch: fuse, link, settle (what ``rebuild`` does)."""
    mentions: list[MentionInput] = []
    by_doc: dict[str, list[MentionInput]] = defaultdict(list)
    for record in records:
        ms = mentions_of(record, (outlets or {}).get(record.doc.id))
        mentions.extend(ms)
        by_doc[record.doc.id].extend(ms)
    facts = fuse(mentions)
    fact_of = {(m.doc, m.event): f.id for f in facts for m in f.mentions}
    links = [link for doc in sorted(by_doc) for link in derive_links(by_doc[doc], fact_of)]
    settle(facts, links)
    return facts
