"""Facts in the store: incremental maintenance in add_batch equals a rebuild from scratch.

The story fixture below (Iranian drones for Russia, 2022-2023) is hand-built records of short
Italian articles written for these tests, so links, history and contest do not depend on
extraction quality; the example articles (cronaca/examples, tests/fixtures/story) add real
extractor output on top.
"""
from __future__ import annotations

import random
import sqlite3
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from cronaca import cli
from cronaca.facts import build_facts
from cronaca.model import (
    Actor,
    DocInfo,
    Event,
    EventDate,
    Record,
    Source,
    Span,
    Trigger,
)
from cronaca.pipeline import content_id, extract
from cronaca.read import Article, read_inputs
from cronaca.store import StoreError, open_store
from cronaca.store import sqlite as sqlite_store

EXAMPLES = Path(cli.__file__).parent / "examples"
STORY = Path(__file__).parent / "fixtures" / "story"  # twelve articles of one story, extracted
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

IRAN = Actor("Teheran", "Iran", "state", "IRN", "GOV")
RUSSIA = Actor("Mosca", "Russia", "state", "RUS", "GOV")
UKRAINE = Actor("Kiev", "Ukraine", "state", "UKR", "GOV")
EU = Actor("l'Unione europea", "European Union", "organization", "EU", "IGO")
ZELENSKY = Source("Volodymyr Zelensky", "person", "UKR", "GOV", "ha accusato")
TEHERAN = Source("Iran", "state", "IRN", "GOV", "ha negato")
US_INTEL = Source("intelligence statunitense", "organization", "USA", "GOV", "secondo")
KREMLIN = Source("Russia", "state", "RUS", "GOV", "afferma")


def event(text: str, n: int, type_: str, trigger: str, source: list[Actor], target: list[Actor],
          date: str | None = None, status: str = "asserted", attribution: list[Source] | None = None,
          mode: str | None = None) -> Event:
    """An event whose trigger is the first occurrence of ``trigger`` in the article text."""
    at = text.index(trigger)
    start = text.rfind(".", 0, at) + 1
    end = text.find(".", at) + 1 or len(text)
    return Event(id=f"v{n}", type=type_, mode=mode, trigger=Trigger(trigger, at, at + len(trigger)),
                 sentence=Span(start, end), source=source, target=target,
                 date=EventDate(date, None, None) if date else None,
                 attribution=attribution or [], status=status)


def article(text: str, published: str, outlet: str, *specs: tuple) -> Record:
    record = Record(doc=DocInfo(id=content_id(text), text=text, published=published, source=outlet,
                                title=text.split(".")[0]))
    record.events = [event(text, i, *spec[:-1], **spec[-1]) if isinstance(spec[-1], dict)
                     else event(text, i, *spec) for i, spec in enumerate(specs, 1)]
    return record


def story() -> list[Record]:
    """Twelve short articles about one story, in publication order."""
    t = [
        "Zelensky ha accusato Teheran di fornire droni a Mosca per colpire le città ucraine. "
        "Il governo iraniano ha negato tutto.",
        "Teheran ha negato ogni accusa: nessun drone è stato venduto alla Russia, dice il governo.",
        "Secondo l'intelligence statunitense l'Iran ha consegnato centinaia di droni a Mosca in autunno.",
        "Il governo iraniano ha ammesso di avere inviato alcuni droni alla Russia prima della guerra.",
        "Teheran conferma: alcuni droni sono stati inviati in Russia mesi prima dell'invasione.",
        "L'Unione europea ha imposto sanzioni all'Iran per la fornitura di droni.",
        "I ministri degli Esteri di Russia e Iran si sono incontrati a Teheran giovedì.",
        "Colloqui a Teheran tra i capi della diplomazia russa e iraniana, incontrati giovedì.",
        "Mosca ha bombardato Kiev nella notte con decine di droni.",
        "La Russia afferma di avere respinto l'attacco ucraino, ma Kiev smentisce la versione russa.",
        "A Teheran la polizia ha arrestato decine di manifestanti.",
        "Un portavoce ha incontrato i giornalisti locali.",
    ]
    anon = Actor("un portavoce", "un portavoce", "person", None, None)
    press = Actor("i giornalisti", "giornalisti locali", "group", None, None)
    cvl = Actor("manifestanti", "manifestanti", "group", "IRN", "CVL")
    return [
        article(t[0], "2022-09-20", "ANSA",
                ("ACCUSE", "accusato", [UKRAINE], [IRAN], "2022-09", "reported", [ZELENSKY]),
                ("AID", "fornire", [IRAN], [RUSSIA], "2022-09", "alleged", [ZELENSKY], {"mode": "military"}),
                ("REJECT", "negato", [IRAN], [UKRAINE], "2022-09", "reported", [TEHERAN])),
        article(t[1], "2022-09-22", "Rai News",
                ("REJECT", "negato", [IRAN], [UKRAINE], "2022-09", "reported", [TEHERAN]),
                ("AID", "venduto", [IRAN], [RUSSIA], None, "denied", [TEHERAN])),
        article(t[2], "2022-10-05", "Il Post",
                ("AID", "consegnato", [IRAN], [RUSSIA], "2022-10", "reported", [US_INTEL],
                 {"mode": "military"})),
        article(t[3], "2022-11-05", "Agenzia Nova",
                ("AID", "inviato", [IRAN], [RUSSIA], "2022-11", "confirmed", [TEHERAN])),
        article(t[4], "2022-11-06", "ANSA",
                ("AID", "inviati", [IRAN], [RUSSIA], "2022-11", "confirmed", [TEHERAN])),
        article(t[5], "2023-01-10", "Rai News",
                ("SANCTION", "imposto", [EU], [IRAN], "2023-01-10")),
        article(t[6], "2023-01-13", "ANSA",
                ("CONSULT", "incontrati", [RUSSIA], [IRAN], "2023-01-12")),
        article(t[7], "2023-01-13", "Il Post",
                ("CONSULT", "Colloqui", [IRAN], [RUSSIA], "2023-01-12")),
        article(t[8], "2023-03-01", "Il Post",
                ("ASSAULT", "bombardato", [RUSSIA], [UKRAINE], "2023-02-28")),
        article(t[9], "2023-03-02", "Agenzia Nova",
                ("ASSAULT", "respinto", [RUSSIA], [UKRAINE], "2023-03", "reported", [KREMLIN]),
                ("REJECT", "smentisce", [UKRAINE], [RUSSIA], "2023-03", "reported",
                 [Source("Ukraine", "state", "UKR", "GOV", "smentisce")])),
        article(t[10], "2023-06-01", "ANSA", ("COERCE", "arrestato", [IRAN], [cvl])),
        article(t[11], "2023-06-02", "Blog", ("CONSULT", "incontrato", [anon], [press])),
    ]


def extracted(folder: Path, published: str | None = None) -> list[Record]:
    return [extract(a.text, lang=a.lang, published=a.published, title=a.title, source=a.source)
            for a in read_inputs([folder], published=published) if isinstance(a, Article)]


@pytest.fixture(scope="module")
def examples() -> list[Record]:
    return extracted(EXAMPLES) + extracted(STORY)


def derived(db: Path) -> dict[str, list[tuple]]:
    """Every row the facts machinery derives, in a canonical order."""
    conn = sqlite3.connect(db)
    queries = {
        "facts": "SELECT * FROM facts",
        "fact_mentions": "SELECT * FROM fact_mentions",
        "fact_actors": "SELECT * FROM fact_actors",
        "fact_sources": "SELECT * FROM fact_sources",
        "fact_links": "SELECT * FROM fact_links",
        "keys": "SELECT article_id, event_id, fusion_key FROM event_mentions",
    }
    rows = {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}
    conn.close()
    return rows


def ingest_one_by_one(db: Path, records: list[Record]) -> dict[str, list[tuple]]:
    with open_store(db) as store:
        for record in records:
            store.add_batch([record])
    return derived(db)


def rebuilt(db: Path, records: list[Record]) -> dict[str, list[tuple]]:
    with open_store(db) as store:
        store.add_batch(records, facts=False)
        assert store.count_facts() == 0
        store.rebuild_facts()
    return derived(db)


def test_story_facts_dedupe_history_contest_and_links(tmp_path: Path) -> None:
    records = story()
    with open_store(tmp_path / "s.db") as store:
        store.add_batch(records)
        facts = list(store.iter_facts())
    by_type: dict[str, list] = {}
    for f in facts:
        by_type.setdefault(f.type, []).append(f)
    (aid,) = by_type["AID"]  # five reports in four outlets, one happening
    assert len(aid.mentions) == 5 and aid.outlets == ["ANSA", "Rai News", "Il Post", "Agenzia Nova"]
    assert [(h.status, h.by) for h in aid.history] == [
        ("alleged", ["Volodymyr Zelensky"]), ("denied", ["Iran"]),
        ("reported", ["intelligence statunitense"]), ("confirmed", ["Iran"])]
    assert aid.contested and aid.date.value == "2022-11"
    (consult,) = [f for f in by_type["CONSULT"] if f.source and f.source[0].country]
    assert len(consult.mentions) == 2  # the meeting told twice is one fact
    (accuse,) = by_type["ACCUSE"]
    denial = next(f for f in by_type["REJECT"] if f.source[0].country == "IRN")
    assert len(denial.mentions) == 2  # denied in two articles
    assert {(link.rel, link.fact) for link in aid.links} == {("accused_by", accuse.id),
                                                              ("denied_by", denial.id)}
    assert {(link.rel, link.fact) for link in accuse.links} == {("accuses", aid.id),
                                                                 ("denied_by", denial.id)}
    assert ("denies", aid.id) in {(link.rel, link.fact) for link in denial.links}
    kursk_like = [f for f in by_type["ASSAULT"] if any(m.status == "reported" for m in f.mentions)]
    assert kursk_like and all(f.contested for f in kursk_like)  # "… ma Kiev smentisce"
    assert not any(f.contested for f in by_type["SANCTION"] + by_type["COERCE"])


def test_store_facts_equal_build_facts(tmp_path: Path) -> None:
    records = story()
    with open_store(tmp_path / "s.db") as store:
        store.add_batch(records)
        stored = sorted((f.to_dict() for f in store.iter_facts()), key=lambda d: d["id"])
    expected = sorted((f.to_dict() for f in build_facts(records)), key=lambda d: d["id"])
    assert stored == expected


@pytest.mark.parametrize("order", ["forward", "reversed", "shuffled"])
def test_incremental_equals_rebuild_on_the_story(tmp_path: Path, order: str) -> None:
    records = story()
    if order == "reversed":
        records.reverse()
    elif order == "shuffled":
        random.Random(7).shuffle(records)
    incremental = ingest_one_by_one(tmp_path / "inc.db", records)
    assert incremental["fact_links"] and incremental["facts"]
    assert incremental == rebuilt(tmp_path / "full.db", story())


def test_incremental_equals_rebuild_on_the_examples(tmp_path: Path, examples: list[Record]) -> None:
    records = examples + story()
    random.Random(3).shuffle(records)
    incremental = ingest_one_by_one(tmp_path / "inc.db", records)
    assert len(incremental["facts"]) > 20
    assert incremental == rebuilt(tmp_path / "full.db", records)
    with open_store(tmp_path / "inc.db") as store:  # rebuilding in place changes nothing
        store.rebuild_facts()
    assert derived(tmp_path / "inc.db") == incremental


def test_incremental_equals_rebuild_with_the_seeds(tmp_path: Path, examples: list[Record]) -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"seed articles not found at {seeds}")
    records = extracted(seeds, published="2025-06-05") + examples
    batches = [records[i:i + 3] for i in range(0, len(records), 3)]
    with open_store(tmp_path / "inc.db") as store:
        for batch in batches:
            store.add_batch(batch)
    assert derived(tmp_path / "inc.db") == rebuilt(tmp_path / "full.db", records)


@pytest.mark.parametrize("processes", [1, 2])
def test_rebuild_in_many_tiny_partitions_equals_build_facts(tmp_path: Path, examples: list[Record],
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           processes: int) -> None:
    """The bounded-memory rebuild (a few mentions fused at a time, two articles read at a time),
    in one process or fusing in two, gives the facts, links and contest of fusing everything at
    once."""
    text = "Due esplosioni nella notte. Poi un incendio al porto."
    unnamed = article(text, "2023-04-02", "ANSA", ("ASSAULT", "esplosioni", [], []),
                      ("ASSAULT", "incendio", [], []))  # keyed on nothing: never fused
    records = story() + examples + [unnamed]
    monkeypatch.setattr(sqlite_store, "PARTITION_MENTIONS", 3)
    monkeypatch.setattr(sqlite_store, "REBUILD_BATCH", 2)
    db = tmp_path / "tiny.db"
    with open_store(db) as store:
        store.add_batch(records, facts=False)
        assert store.count_events() > 30  # so more than ten partitions
        store.rebuild_facts(processes=processes)
        stored = sorted((f.to_dict() for f in store.iter_facts()), key=lambda d: d["id"])
    expected = sorted((f.to_dict() for f in build_facts(records)), key=lambda d: d["id"])
    assert stored == expected
    assert any(d["links"] for d in stored) and any(d["contested"] for d in stored)
    assert derived(db) == ingest_one_by_one(tmp_path / "inc.db", records)


def test_a_repeated_article_changes_no_fact(tmp_path: Path) -> None:
    records = story()
    db = tmp_path / "s.db"
    with open_store(db) as store:
        store.add_batch(records)
        before = derived(db)
        assert store.add_batch(records[:3]) == (0, 3)
    assert derived(db) == before


def test_a_failing_batch_leaves_the_facts_as_they_were(tmp_path: Path) -> None:
    records = story()
    db = tmp_path / "s.db"
    with open_store(db) as store:
        store.add_batch(records[:6])
        before = derived(db)
        broken = records[6]
        broken.events.append(broken.events[0])  # a repeated event id: the insert fails
        with pytest.raises(StoreError):
            store.add_batch(records[6:])
    assert derived(db) == before


def test_get_fact_iter_records_and_counts(tmp_path: Path) -> None:
    records = story()
    with open_store(tmp_path / "s.db") as store:
        store.add_batch(records)
        facts = list(store.iter_facts())
        assert store.count_facts() == len(facts) == len({f.id for f in facts})
        first = facts[0]
        assert store.get_fact(first.id) == first
        assert store.get_fact("f-none") is None
        assert list(store.iter_records()) == records
        dates = [f.date.value if f.date else f.first_seen for f in facts]
        assert dates[0].startswith("2022-09") and dates[-1].startswith("2023-06")


def test_a_fusing_process_that_dies_leaves_the_facts_as_they_were(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "s.db"
    with open_store(db) as store:
        store.add_batch(story())
        before = derived(db)

        def died(*_: object, **__: object) -> None:
            raise BrokenProcessPool("a child process terminated abruptly")

        monkeypatch.setattr(sqlite_store, "fuse_partitions", died)
        with pytest.raises(StoreError, match="a fusing process died"):
            store.rebuild_facts(processes=2)
    assert derived(db) == before
