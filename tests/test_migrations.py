"""Schema versions: a database written by version 1 (no facts) opens, upgrades and gets its facts."""
from __future__ import annotations

import json
import time
import sqlite3
from pathlib import Path

from test_facts_store import story

from cronaca.facts import build_facts, fusion_key
from cronaca.model import Record
from cronaca.store import ActorRef, FactFilter, open_store
from cronaca.store.sqlite import MIGRATIONS_DIR, _fact_query, load_migrations

V1_COLUMNS = ("article_id, event_id, type, mode, source_country, source_name, target_country,"
              " target_name, status, date_value, date_mod, sentence_start, sentence_end,"
              " trigger_start, trigger_end, trigger_text, attribution")


def write_v1_database(db: Path, records: list[Record]) -> None:
    """What cronaca 0.1 wrote: the 0001 schema only, rows in its shape, schema_version 1."""
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                 " applied_at TEXT NOT NULL)")
    conn.executescript((MIGRATIONS_DIR / "0001_initial.sql").read_text(encoding="utf-8"))
    conn.execute("INSERT INTO schema_version VALUES (1, 'initial', '2025-06-01T00:00:00+00:00')")
    for r in records:
        conn.execute("INSERT INTO articles (id, doc_id, text, title, published, lang, source,"
                     " ingested_at) VALUES (?, ?, ?, ?, ?, 'it', ?, '2025-06-01')",
                     (r.doc.id, r.doc.id, r.doc.text, r.doc.title, r.doc.published, r.doc.source))
        data = r.to_dict()
        del data["doc"]["text"]
        conn.execute("INSERT INTO records VALUES (?, ?)", (r.doc.id, json.dumps(data)))
        for e in r.events:
            src, tgt = (e.source or [None])[0], (e.target or [None])[0]
            conn.execute(f"INSERT INTO event_mentions ({V1_COLUMNS}) VALUES"
                         " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (r.doc.id, e.id, e.type, e.mode, src and src.country, src and src.name,
                          tgt and tgt.country, tgt and tgt.name, e.status, e.date and e.date.value,
                          e.date and e.date.mod, e.sentence.start, e.sentence.end, e.trigger.start,
                          e.trigger.end, e.trigger.text, "[]"))
    conn.commit()
    conn.close()


def test_a_version_1_database_opens_upgrades_and_has_facts(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    records = story()
    write_v1_database(db, records)
    expected = sorted((f.to_dict() for f in build_facts(records)), key=lambda d: d["id"])
    with open_store(db) as store:
        assert store.schema_version == len(load_migrations()) >= 2
        assert store.count_articles() == len(records)
        upgraded = sorted((f.to_dict() for f in store.iter_facts()), key=lambda d: d["id"])
        assert upgraded == expected  # built at the first open
        assert store.search("droni Mosca")  # and indexed for search
        assert store.rebuild_facts() == len(expected)
        assert sorted((f.to_dict() for f in store.iter_facts()), key=lambda d: d["id"]) == expected
    conn = sqlite3.connect(db)
    keys = dict(((a, e), k) for a, e, k in conn.execute(
        "SELECT article_id, event_id, fusion_key FROM event_mentions"))
    assert keys == {(r.doc.id, e.id): fusion_key(e) for r in records for e in r.events}
    assert conn.execute("SELECT COUNT(*) FROM pending_work").fetchone()[0] == 0


def test_an_empty_version_1_database_upgrades_without_work(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    write_v1_database(db, [])
    with open_store(db) as store:
        assert store.count_facts() == 0
        assert store.add_batch(story()[:2]) == (2, 0)
        assert store.count_facts() > 0


def test_upgraded_and_new_databases_have_the_same_schema(tmp_path: Path) -> None:
    write_v1_database(tmp_path / "old.db", [])
    open_store(tmp_path / "old.db").close()
    open_store(tmp_path / "new.db").close()

    def schema(db: Path) -> list[tuple]:
        conn = sqlite3.connect(db)
        return sorted(conn.execute("SELECT type, name, tbl_name FROM sqlite_master"
                                   " WHERE name NOT LIKE 'sqlite_%'").fetchall())

    assert schema(tmp_path / "old.db") == schema(tmp_path / "new.db")


def test_fact_queries_use_indexes(tmp_path: Path) -> None:
    """No query of the query API scans the facts table (what keeps them fast on 1M mentions)."""
    db = tmp_path / "x.db"
    open_store(db).close()
    conn = sqlite3.connect(db)
    filters = [FactFilter(actors=(ActorRef("country", "RUS"), ActorRef("country", "PRK"))),
               FactFilter(actors=(ActorRef("name", "Vladimir Putin"),)),
               FactFilter(contested=True), FactFilter(source="ANSA")]
    for where in filters:
        sql, params = _fact_query("f.fact", where)
        steps = [r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
        assert all("INDEX" in s for s in steps if s.startswith(("SCAN", "SEARCH"))), steps


def test_keys_made_by_another_fusion_key_are_recomputed_on_open(tmp_path: Path) -> None:
    """A cronaca whose fusion_key changed recomputes the stored keys and the facts: an ingest's
    rebuild trusts event_mentions.fusion_key, so a stale key would split or merge facts."""
    db = tmp_path / "x.db"
    records = story()
    with open_store(db) as store:
        store.add_batch(records)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE event_mentions SET fusion_key = 'stale|key|'")
    conn.execute("UPDATE meta SET value = 'an older fusion_key' WHERE name = 'fusion_keys'")
    conn.commit()
    conn.close()
    expected = sorted((f.to_dict() for f in build_facts(records)), key=lambda d: d["id"])
    with open_store(db) as store:
        assert sorted((f.to_dict() for f in store.iter_facts()), key=lambda d: d["id"]) == expected
        store.rebuild_facts()  # the keys it trusts are right again
        assert sorted((f.to_dict() for f in store.iter_facts()), key=lambda d: d["id"]) == expected
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM event_mentions WHERE fusion_key = 'stale|key|'"
                        ).fetchone()[0] == 0


def test_opening_a_store_to_read_takes_no_write_lock(tmp_path: Path) -> None:
    """Readers open the store while an ingest holds the write lock (a long rebuild included)."""
    db = tmp_path / "x.db"
    with open_store(db) as store:
        store.add_batch(story()[:2])
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        with open_store(db) as reader:
            assert reader.count_articles() == 2
        assert time.monotonic() - started < 5
    finally:
        writer.execute("ROLLBACK")
        writer.close()
