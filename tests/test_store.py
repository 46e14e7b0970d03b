"""The SQLite store: idempotence, all-or-nothing batches, schema versions and migrations."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from cronaca.model import Actor, DocInfo, Event, EventDate, Place, Record, Source, Span, Trigger
from cronaca.pipeline import content_id
from cronaca.store import StoreError, open_store
from cronaca.store.sqlite import Migration, SqliteStore, load_migrations


def make_record(text: str, events: int = 1, doc_id: str | None = None, event_id: str = "v{}") -> Record:
    """A record built by hand, so these tests do not depend on extraction quality."""
    trigger_at = text.index("incontrato")
    evs = [Event(id=event_id.format(i), type="CONSULT", mode="visit",
                 trigger=Trigger("incontrato", trigger_at, trigger_at + 10),
                 sentence=Span(0, len(text)),
                 source=[Actor("Putin", "Vladimir Putin", "person", "RUS", "GOV")],
                 target=[Actor("Kim", "Kim Jong-un", "person", "PRK", "GOV")],
                 date=EventDate("2024-06-19", None, "mercoledì"), place=Place("Pyongyang", "PRK"),
                 attribution=[Source("KCNA", "organization", "PRK", "MED", "ha riferito")],
                 status="reported")
           for i in range(1, events + 1)]
    return Record(doc=DocInfo(id=doc_id or content_id(text), text=text, lang="it", title="Titolo",
                              published="2024-06-20", source="prova.txt"), events=evs)


def texts(n: int, prefix: str = "Notizia") -> list[str]:
    return [f"{prefix} {i}: mercoledì Putin ha incontrato Kim." for i in range(n)]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


def test_add_batch_stores_articles_records_and_events(db: Path) -> None:
    records = [make_record(t, events=2) for t in texts(3)]
    with open_store(db) as store:
        assert store.add_batch(records) == (3, 0)
        assert (store.count_articles(), store.count_events()) == (3, 6)
        assert store.has(records[0].doc.id) and not store.has("sha256:nope")
        assert store.get_record(records[1].doc.id) == records[1]  # full round trip, text included
        assert store.get_record("sha256:nope") is None
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT type, mode, source_country, source_sector, source_name, target_country,"
                       " status, date_value, place_name, trigger_start, trigger_end, attribution"
                       " FROM event_mentions WHERE event_id = 'v1' LIMIT 1").fetchone()
    start = texts(1)[0].index("incontrato")
    assert row[:11] == ("CONSULT", "visit", "RUS", "GOV", "Vladimir Putin", "PRK", "reported",
                        "2024-06-19", "Pyongyang", start, start + 10)
    assert json.loads(row[11])[0]["name"] == "KCNA"
    stored = json.loads(conn.execute("SELECT record FROM records LIMIT 1").fetchone()[0])
    assert "text" not in stored["doc"]  # the text is kept once, in articles


def test_ingest_is_idempotent(db: Path) -> None:
    records = [make_record(t) for t in texts(4)]
    with open_store(db) as store:
        assert store.add_batch(records[:2]) == (2, 0)
        assert store.add_batch(records) == (2, 2)
        assert store.add_batch(records) == (0, 4)
        assert store.add_batch(records[:1] * 3) == (0, 3)
        assert (store.count_articles(), store.count_events()) == (4, 4)
    with open_store(db) as store:  # and across sessions
        assert store.add_batch(records) == (0, 4)


def test_duplicates_inside_one_batch_are_stored_once(db: Path) -> None:
    record = make_record(texts(1)[0])
    with open_store(db) as store:
        assert store.add_batch([record, record]) == (1, 1)


def test_article_id_is_the_content_hash_and_a_given_id_still_finds_it(db: Path) -> None:
    text = texts(1)[0]
    record = make_record(text, doc_id="agency-42")
    with open_store(db) as store:
        store.add_batch([record])
        assert store.has(content_id(text)) and store.has("agency-42")
        assert store.get_record("agency-42").doc.id == "agency-42"
        # the same text under another id is the same article
        assert store.add_batch([make_record(text, doc_id="other-id")]) == (0, 1)
    ids = sqlite3.connect(db).execute("SELECT id, doc_id FROM articles").fetchall()
    assert ids == [(content_id(text), "agency-42")]


def test_a_failing_batch_writes_nothing_and_earlier_batches_stay(db: Path) -> None:
    first = [make_record(t) for t in texts(3, "Prima")]
    second = [make_record(t) for t in texts(3, "Seconda")]
    # the third record repeats an event id: its insert fails after two good records were written
    second.append(make_record("Terza: Putin ha incontrato Kim.", events=2, event_id="v1"))
    with open_store(db) as store:
        assert store.add_batch(first) == (3, 0)
        with pytest.raises(StoreError, match="batch not stored: UNIQUE constraint failed"):
            store.add_batch(second)
        assert (store.count_articles(), store.count_events()) == (3, 3)
        assert not any(store.has(r.doc.id) for r in second)
        assert all(store.get_record(r.doc.id) == r for r in first)
        # the store is usable after the rollback
        assert store.add_batch(second[:3]) == (3, 0)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 6


def test_record_failure(db: Path) -> None:
    with open_store(db) as store:
        store.record_failure("feed.jsonl", 7, "malformed JSON")
        store.record_failure("img.txt", None, "binary file")
    rows = sqlite3.connect(db).execute("SELECT path, line, reason, time FROM failures ORDER BY id").fetchall()
    assert [r[:3] for r in rows] == [("feed.jsonl", 7, "malformed JSON"), ("img.txt", None, "binary file")]
    assert all(r[3].startswith("20") for r in rows)


def test_wal_mode_foreign_keys_and_schema_version(db: Path) -> None:
    with open_store(db) as store:
        assert isinstance(store, SqliteStore)
        assert store.schema_version == len(load_migrations()) >= 1
        assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            store._conn.execute("INSERT INTO records VALUES ('sha256:missing', '{}')")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = conn.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall()
    assert versions[0] == (1, "initial")


def test_migrations_bring_an_old_database_up_to_date(db: Path) -> None:
    base = load_migrations()
    with SqliteStore(db, migrations=base) as store:
        store.add_batch([make_record(texts(1)[0])])
    later = Migration(len(base) + 1, "later_facts", """
        -- a table a later version adds, filled from existing data
        CREATE TABLE later_facts (id INTEGER PRIMARY KEY, type TEXT NOT NULL);
        INSERT INTO later_facts (type) SELECT DISTINCT type FROM event_mentions;
        CREATE TRIGGER later_facts_no_empty BEFORE INSERT ON later_facts
        WHEN NEW.type = '' BEGIN SELECT RAISE(ABORT, 'empty type'); END;
    """)
    with SqliteStore(db, migrations=[*base, later]) as store:
        assert store.schema_version == later.version
        assert store.count_articles() == 1
        assert store._conn.execute("SELECT type FROM later_facts").fetchall() == [("CONSULT",)]
    with SqliteStore(db, migrations=[*base, later]) as store:  # applied once only
        assert store._conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == later.version


def test_a_failing_migration_leaves_the_database_as_it_was(db: Path) -> None:
    base = load_migrations()
    SqliteStore(db, migrations=base).close()
    broken = Migration(len(base) + 1, "broken",
                       "CREATE TABLE extra (x INTEGER);\nINSERT INTO nowhere VALUES (1);")
    with pytest.raises(StoreError, match=r"migration \d+ \(broken\) failed: no such table: nowhere"):
        SqliteStore(db, migrations=[*base, broken])
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == len(base)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'extra'").fetchone() is None


def test_a_database_from_a_newer_version_is_refused(db: Path) -> None:
    base = load_migrations()
    SqliteStore(db, migrations=[*base, Migration(len(base) + 1, "future", "CREATE TABLE f (x);")]).close()
    with pytest.raises(StoreError, match="newer"):
        open_store(db)


def test_migration_files_must_be_numbered_in_sequence(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("CREATE TABLE a (x);")
    (tmp_path / "0003_c.sql").write_text("CREATE TABLE c (x);")
    with pytest.raises(StoreError, match="out of sequence"):
        load_migrations(tmp_path)


def test_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a sqlite database at all, just some bytes" * 100)
    with pytest.raises(StoreError):
        open_store(bad)
