"""The query API over stored facts: actor names in any language, timelines, filters, evidence,
dyad counts by PLOVER quad class, full-text search and the actors seen."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_facts_store import story

from cronaca import query
from cronaca.model import EVENT_TYPES, Actor, DocInfo, Event, EventDate, Record, Span, Trigger
from cronaca.pipeline import content_id
from cronaca.query import QueryError
from cronaca.store import ActorRef, Store, open_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(tmp_path_factory.mktemp("q") / "story.db") as s:
        s.add_batch(story())
        yield s


def by_type(facts: list) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in facts:
        out.setdefault(f.type, []).append(f)
    return out


@pytest.mark.parametrize(("text", "expected"), [
    ("RUS", ActorRef("country", "RUS")), ("Russia", ActorRef("country", "RUS")),
    ("russia", ActorRef("country", "RUS")), ("Mosca", ActorRef("country", "RUS")),
    ("Moscow", ActorRef("country", "RUS")), ("Cremlino", ActorRef("country", "RUS")),
    ("Corea del Nord", ActorRef("country", "PRK")), ("North Korea", ActorRef("country", "PRK")),
    ("Pyongyang", ActorRef("country", "PRK")), ("EU", ActorRef("country", "EU")),
    ("Nazioni Unite", ActorRef("country", "UN")), ("Putin", ActorRef("name", "Vladimir Putin")),
    ("Kim Jong Un", ActorRef("name", "Kim Jong-un")),
    ("Giornalisti Locali", ActorRef("name", "giornalisti locali")),  # only seen in the store
])
def test_resolve_actor(store: Store, text: str, expected: ActorRef) -> None:
    assert query.resolve_actor(store, text) == expected


@pytest.mark.parametrize(("text", "message"), [("Corea", "ambiguous"), ("Narnia", "unknown actor"),
                                                ("", "unknown actor")])
def test_resolve_actor_refuses(store: Store, text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        query.resolve_actor(store, text)


def test_timeline_of_a_dyad_in_either_direction_and_in_date_order(store: Store) -> None:
    found = query.timeline(store, ["Teheran", "Mosca"])
    assert [f.id for f in found] == [f.id for f in query.timeline(store, ["RUS", "Iran"])]
    assert sorted(by_type(found)) == ["AID", "CONSULT"]
    starts = [(f.date.value if f.date else f.first_seen) for f in found]
    assert starts == sorted(starts)
    one = query.timeline(store, ["IRN"])
    assert {"SANCTION", "COERCE", "AID", "ACCUSE", "REJECT"} <= set(by_type(one))
    assert all("IRN" in {a.country for a in f.source + f.target} for f in one)


def test_timeline_filters(store: Store) -> None:
    assert {f.type for f in query.timeline(store, ["IRN"], date_from="2023")} \
        == {"SANCTION", "CONSULT", "COERCE"}
    assert {f.type for f in query.timeline(store, ["IRN"], date_to="2022-09")} == {"ACCUSE", "REJECT"}
    assert [f.type for f in query.timeline(store, types=["aid"])] == ["AID"]
    assert len(query.timeline(store, limit=2)) == 2
    assert len(query.timeline(store)) == store.count_facts()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"date_from": "2023-02-30"}, "invalid date"), ({"date_to": "ieri"}, "invalid date"),
    ({"date_from": "2024", "date_to": "2023"}, "after"), ({"types": ["WAR"]}, "unknown event type"),
    ({"actors": ["RUS", "UKR", "IRN"]}, "at most two"),
])
def test_timeline_bad_input(store: Store, kwargs: dict, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        query.timeline(store, **kwargs)


def test_facts_filters(store: Store) -> None:
    contested = query.facts(store, contested=True)
    assert contested and all(f.contested for f in contested)
    assert {f.type for f in contested} == {"AID", "ACCUSE", "ASSAULT"}
    assert {f.id for f in query.facts(store, contested=False)}.isdisjoint(f.id for f in contested)
    (denied,) = query.facts(store, status="denied")
    assert denied.type == "AID"
    assert all(any(a.country == "UKR" for a in f.source + f.target)
               for f in query.facts(store, actor="Ucraina"))
    assert all("ANSA" in f.outlets for f in query.facts(store, source="ansa"))
    assert {f.type for f in query.facts(store, source="Volodymyr Zelensky")} == {"ACCUSE", "AID"}
    with pytest.raises(QueryError, match="unknown status"):
        query.facts(store, status="rumoured")


def test_fact_evidence_locates_trigger_actors_and_time(store: Store) -> None:
    aid = query.facts(store, status="denied")[0]
    fact, evidence = query.fact(store, aid.id)
    assert fact == aid and len(evidence) == len(aid.mentions) == 5
    records = {r.doc.id: r for r in store.iter_records()}
    for e in evidence:
        record = records[e.doc]
        assert e.text == record.doc.text[e.sentence_start:e.sentence_end]
        trigger = next(ev.trigger for ev in record.events if ev.id == e.event)
        (h,) = [h for h in e.highlights if h.kind == "trigger"]
        assert e.text[h.start:h.end] == trigger.text
    first = evidence[0]
    assert first.outlet == "ANSA" and first.attribution == ["Volodymyr Zelensky"]
    assert {first.text[h.start:h.end] for h in first.highlights} == {"Teheran", "fornire", "Mosca"}
    with pytest.raises(QueryError, match="unknown fact"):
        query.fact(store, "f000000000000")


def test_quad_classes_follow_plover_and_cover_every_type() -> None:
    coded = [t for types in query.QUAD_CLASSES.values() for t in types]
    assert sorted(coded) == sorted(EVENT_TYPES)
    assert query.QUAD_OF["SANCTION"] == "verbal_conflict"  # PLOVER's own grouping
    assert query.QUAD_OF["RETREAT"] == "material_cooperation"


def test_dyad_counts_facts_per_period_with_gaps(store: Store) -> None:
    rows = query.dyad(store, "Iran", "Russia", by="month")
    assert [r.period for r in rows] == ["2022-11", "2022-12", "2023-01"]
    assert rows[0].counts == {"verbal_cooperation": 0, "material_cooperation": 1,  # five reports, one fact
                              "verbal_conflict": 0, "material_conflict": 0}
    assert sum(rows[1].counts.values()) == 0
    assert rows[2].counts["verbal_cooperation"] == 1  # the meeting told twice
    assert [(r.period, r.counts["verbal_conflict"]) for r in query.dyad(store, "EU", "IRN", by="quarter")] \
        == [("2023-Q1", 1)]
    assert [r.period for r in query.dyad(store, "IRN", "RUS", by="year")] == ["2022", "2023"]
    with pytest.raises(QueryError, match="unknown period"):
        query.dyad(store, "IRN", "RUS", by="week")


def agreement(when: str, published: str) -> Record:
    text = f"{when} la Francia ha firmato un accordo con la Germania."
    at = text.index("firmato")
    return Record(doc=DocInfo(id=content_id(text), text=text, published=published, source="x"), events=[
        Event(id="v1", type="AGREE", trigger=Trigger("firmato", at, at + 7), sentence=Span(0, len(text)),
              source=[Actor("la Francia", "France", "state", "FRA", "GOV")],
              target=[Actor("la Germania", "Germany", "state", "DEU", "GOV")],
              date=EventDate(when[-4:], None, when))])


@pytest.mark.parametrize(("when", "published", "by_month"), [
    ("Nel 2021", "2023-05-04", "2021-01"),    # reported later: where the date starts
    ("Nel 2023", "2023-05-04", "2023-05"),    # reported inside the year: when first reported
])
def test_dyad_places_a_coarse_date(tmp_path: Path, when: str, published: str, by_month: str) -> None:
    with open_store(tmp_path / "d.db") as store:
        store.add_batch([agreement(when, published)])
        assert [r.period for r in query.dyad(store, "FRA", "DEU", by="year")] == [when[-4:]]
        assert [r.period for r in query.dyad(store, "FRA", "DEU", by="month")][-1] == by_month
        _, (evidence,) = query.fact(store, next(store.iter_facts()).id)
        assert {(evidence.text[h.start:h.end], h.kind) for h in evidence.highlights} == {
            (when, "time"), ("la Francia", "source"), ("firmato", "trigger"), ("la Germania", "target")}


def test_search_sentences_lead_to_facts(store: Store) -> None:
    hits = query.search(store, "citta ucraine")  # accents are optional
    assert hits and "città ucraine" in hits[0].text
    sentence_hits = [h for h in hits if h.start is not None]
    assert sentence_hits
    facts = {f.id: f.type for f in query.facts(store)}
    assert {facts[i] for h in sentence_hits for i in h.facts} == {"ACCUSE", "AID"}
    assert query.search(store, '"droni" (Mosca*', limit=3)  # query syntax is not interpreted
    assert query.search(store, "parola assente") == []
    with pytest.raises(QueryError):
        query.search(store, "  ")


def test_actors_with_counts_roles_and_aliases(store: Store) -> None:
    found = {a.name: a for a in query.actors(store)}
    iran = found["Iran"]
    assert iran.countries == ["IRN"] and "Teheran" in iran.aliases
    assert iran.roles["source"] >= 6 and iran.mentions == sum(iran.roles.values())
    only = query.actors(store, country="Iran")
    assert only and all(a.countries == ["IRN"] for a in only)
    with pytest.raises(QueryError, match="not a country"):
        query.actors(store, country="Putin")
