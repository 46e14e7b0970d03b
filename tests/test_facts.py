"""Facts: the fusion rules on small hand-built mentions, and the issue's bars on the seed articles.

The hand-built mentions pin each rule alone (keys, time windows, stable ids, independence,
contest); the seeds show the rules on real extractor output, as the issue's bars require.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from cronaca.facts import MentionInput, build_facts, fuse, fusion_key, settle
from cronaca.model import Actor, Event, EventDate, Fact, Record, Source, Span, Trigger
from cronaca.pipeline import extract
from cronaca.read import Article, read_inputs

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_000 = "000_9f3edf0df59c1803.txt"
SEED_004 = "004_8393216312377e60.txt"

RUSSIA = Actor("Mosca", "Russia", "state", "RUS", "GOV")
NORTH_KOREA = Actor("Pyongyang", "North Korea", "state", "PRK", "GOV")
KIM = Source("Kim Jong-un", "person", "PRK", "GOV", "ha detto")
KCNA = Source("KCNA", "organization", "PRK", "MED", "ha riferito")
NIS = Source("Nis", "organization", "KOR", "GOV", "secondo")


def mention(doc: str, n: int, type_: str, source: Actor, target: Actor, date: str | None = None,
            published: str | None = "2024-11-01", status: str = "asserted",
            attribution: list[Source] | None = None, outlet: str | None = None) -> MentionInput:
    event = Event(id=f"v{n}", type=type_, trigger=Trigger("x", 10 * n, 10 * n + 1),
                  sentence=Span(10 * n, 10 * n + 9), source=[source], target=[target],
                  date=EventDate(date) if date else None, attribution=attribution or [], status=status)
    return MentionInput(doc=doc, published=published, outlet=outlet or doc, event=event)


def test_meetings_fuse_either_way_and_deployments_across_aid_and_mobilize() -> None:
    assert fusion_key(mention("a", 1, "CONSULT", RUSSIA, NORTH_KOREA).event) == \
        fusion_key(mention("b", 1, "CONSULT", NORTH_KOREA, RUSSIA).event)
    assert fusion_key(mention("a", 1, "AID", NORTH_KOREA, RUSSIA).event) == \
        fusion_key(mention("b", 1, "MOBILIZE", NORTH_KOREA, RUSSIA).event)
    assert fusion_key(mention("a", 1, "AID", NORTH_KOREA, RUSSIA).event) != \
        fusion_key(mention("b", 1, "AID", RUSSIA, NORTH_KOREA).event)  # who helps whom matters


def test_reports_months_apart_fuse_and_years_apart_do_not() -> None:
    facts = fuse([mention("a", 1, "AID", NORTH_KOREA, RUSSIA, "2024-10"),
                  mention("b", 1, "MOBILIZE", NORTH_KOREA, RUSSIA, "2024-12-10"),
                  mention("c", 1, "AID", NORTH_KOREA, RUSSIA, "2022-09")])
    assert sorted(len(f.mentions) for f in facts) == [1, 2]
    (late,) = [f for f in facts if len(f.mentions) == 2]
    assert late.type == "AID" and late.first_seen == late.last_seen == "2024-11-01"


def test_a_fact_keeps_its_id_when_later_reports_arrive_in_any_order() -> None:
    first = mention("a", 1, "AID", NORTH_KOREA, RUSSIA, "2024-10", published="2024-10-18")
    later = [mention(doc, 1, "AID", NORTH_KOREA, RUSSIA, "2024-11", published="2024-11-02")
             for doc in ("b", "c", "d")]
    (alone,) = fuse([first])
    everything = [first, *later]
    random.Random(5).shuffle(everything)
    (grown,) = fuse(everything)
    assert grown.id == alone.id and len(grown.mentions) == 4
    assert [m.doc for m in grown.mentions] == ["a", "b", "c", "d"]  # in publication order


def test_a_leader_and_his_state_agency_are_one_independent_source() -> None:
    (fact,) = fuse([mention("a", 1, "SUPPORT", NORTH_KOREA, RUSSIA, status="reported", attribution=[KIM, KCNA]),
                    mention("b", 1, "SUPPORT", NORTH_KOREA, RUSSIA, status="reported", attribution=[KCNA]),
                    mention("c", 1, "SUPPORT", NORTH_KOREA, RUSSIA, outlet="Agenzia Tirrena"),
                    mention("d", 1, "SUPPORT", NORTH_KOREA, RUSSIA, outlet="Radio Laguna")])
    assert fact.independent == 3  # North Korea, and two outlets in their own voice
    assert fact.outlets[-2:] == ["Agenzia Tirrena", "Radio Laguna"] and "KCNA" in fact.outlets
    assert fact.speakers == ["Kim Jong-un"]


def test_history_orders_statuses_in_time_with_who_told_each() -> None:
    (fact,) = fuse([mention("b", 1, "AID", NORTH_KOREA, RUSSIA, "2025-04", published="2025-04-28",
                            status="confirmed", attribution=[KCNA]),
                    mention("a", 1, "AID", NORTH_KOREA, RUSSIA, "2024-10", published="2024-10-18",
                            status="alleged", attribution=[NIS]),
                    mention("c", 1, "AID", NORTH_KOREA, RUSSIA, published="2025-05-01")])
    assert [(h.status, h.date, h.by) for h in fact.history] == [
        ("alleged", "2024-10", ["Nis"]), ("confirmed", "2025-04", ["KCNA"])]  # plain narration adds nothing
    assert not fact.contested


def test_a_denial_link_contests_only_what_someone_states() -> None:
    claim, denial = fuse([mention("a", 1, "ASSAULT", RUSSIA, NORTH_KOREA, "2025-04", status="reported"),
                          mention("a", 2, "REJECT", NORTH_KOREA, RUSSIA, "2025-04")])
    settle([claim, denial], [(claim.id, "denied_by", denial.id), (denial.id, "denies", claim.id)])
    assert claim.contested and not denial.contested
    assert [(link.rel, link.fact) for link in claim.links] == [("denied_by", denial.id)]
    (feared,) = fuse([mention("b", 1, "AID", RUSSIA, NORTH_KOREA, status="hypothetical")])
    settle([feared], [(feared.id, "denied_by", denial.id)])
    assert not feared.contested


# -- the bars on the seed articles --------------------------------------------------------
@pytest.fixture(scope="module")
def seeds() -> tuple[dict[str, Record], list[Fact]]:
    folder = SHARED / "seeds"
    if not folder.is_dir():
        pytest.skip(f"seed articles not found at {folder}")
    records = {a.source: extract(a.text, lang=a.lang, published=a.published, title=a.title, source=a.source)
               for a in read_inputs([folder], published="2025-06-05") if isinstance(a, Article)}
    if {SEED_000, SEED_004} - set(records):
        pytest.skip(f"seed articles {SEED_000} and {SEED_004} not found in {folder}")
    return records, build_facts(records.values())


def told_in(facts: list[Fact], record: Record) -> list[Fact]:
    return [f for f in facts if any(m.doc == record.doc.id for m in f.mentions)]


def countries(actors: list[Actor]) -> set[str]:
    return {a.country for a in actors if a.country}


def linked(fact: Fact, rel: str, facts: list[Fact]) -> list[Fact]:
    by_id = {f.id: f for f in facts}
    return [by_id[link.fact] for link in fact.links if link.rel == rel]


def test_seed_dates_come_from_the_header_or_the_flag(seeds: tuple[dict[str, Record], list[Fact]]) -> None:
    records, _ = seeds
    assert records[SEED_000].doc.published == "2025-06-05"
    assert records[SEED_004].doc.published == "2023-01"


def test_seed_troop_deployment_is_one_fact_alleged_then_confirmed(
        seeds: tuple[dict[str, Record], list[Fact]]) -> None:
    records, facts = seeds
    (fact,) = [f for f in told_in(facts, records[SEED_000]) if f.type in ("AID", "MOBILIZE")
               and countries(f.source) == {"PRK"} and countries(f.target) == {"RUS"}]
    assert len(fact.mentions) >= 3
    statuses = [h.status for h in fact.history]
    alleged = fact.history[statuses.index("alleged")]
    confirmed = fact.history[statuses.index("confirmed")]
    assert statuses.index("alleged") < statuses.index("confirmed")
    assert alleged.date.startswith("2024") and confirmed.date == "2025-04"
    assert {"Volodymyr Zelensky", "funzionari sudcoreani"} <= set(alleged.by)
    assert {"Mosca", "Russia"} & set(confirmed.by) and {"Pyongyang", "Corea del Nord"} & set(confirmed.by)
    assert not told_in([fact], records[SEED_004])  # the 2022 weapons supply is another happening


def test_seed_kursk_retaken_is_contested_by_ukraine(seeds: tuple[dict[str, Record], list[Fact]]) -> None:
    records, facts = seeds
    (claim,) = [f for f in told_in(facts, records[SEED_000]) if f.type == "ASSAULT"
                and countries(f.source) == {"RUS"} and f.date and f.date.value == "2025-04"]
    assert claim.contested
    assert [m.status for m in claim.mentions] == ["reported"]
    (denial,) = linked(claim, "denied_by", facts)
    assert denial.type == "REJECT" and countries(denial.source) == {"UKR"}


def test_seed_unconditional_support_twice_is_one_fact(seeds: tuple[dict[str, Record], list[Fact]]) -> None:
    records, facts = seeds
    text = records[SEED_000].doc.text
    # (the war the sentence recalls is a spurious ASSAULT of the trigger tagger, left out here:
    # what this test checks is that both support mentions fuse)
    support = [f for f in told_in(facts, records[SEED_000]) if f.type == "SUPPORT"
               and any("sostegno incondizionato" in text[m.sentence.start:m.sentence.end] for m in f.mentions)]
    assert len(support) == 1
    (fact,) = support
    assert fact.type == "SUPPORT" and countries(fact.source) == {"PRK"} and countries(fact.target) == {"RUS"}
    assert len(fact.mentions) == 2 and fact.independent == 1  # Kim, as told by his state agency


def test_seed_alleged_weapons_supply_is_linked_to_accusation_and_denial(
        seeds: tuple[dict[str, Record], list[Fact]]) -> None:
    records, facts = seeds
    (supply,) = [f for f in told_in(facts, records[SEED_004]) if f.type == "AID"
                 and countries(f.source) == {"PRK"} and countries(f.target) == {"RUS"}]
    assert {m.status for m in supply.mentions} == {"alleged"}
    (accusation,) = linked(supply, "accused_by", facts)
    assert accusation.type == "ACCUSE" and "USA" in countries(accusation.source)
    (denial,) = linked(supply, "denied_by", facts)
    assert denial.type == "REJECT" and countries(denial.source) == {"PRK"}
    assert supply.contested
    assert any(link.rel == "denies" and link.fact == supply.id for link in denial.links)
