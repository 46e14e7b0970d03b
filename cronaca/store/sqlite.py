"""The SQLite store (stdlib ``sqlite3``): WAL mode, foreign keys, versioned migrations.

Migrations are the numbered ``NNNN_name.sql`` files beside this module, applied in order at
open, each in its own transaction together with its row in ``schema_version``; a later version
adds a file, and old databases catch up the next time they are opened. Work SQL cannot do (fusion
keys computed by Python, facts) is queued by a migration in ``pending_work`` and done right after.

Facts are maintained incrementally inside ``add_batch`` (same transaction): the fusion keys K of
the new events are re-fused from all their stored mentions, the links evidenced by every article
with a mention in K are derived again, and every fact those touch is settled. Because ``fuse`` is
a pure function of a key's mentions and a link only ever touches facts mentioned by the article
that evidences it, this equals ``rebuild_facts`` from scratch (tests/test_facts_store.py).
"""
from __future__ import annotations

import json
import re
import sqlite3
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..facts import (
    FUSION_KEYS,
    LINKING,
    MentionInput,
    derive_links,
    fuse,
    fusion_key,
    settle,
)
from ..model import Actor, Event, Fact, Record
from ..pipeline import content_id
from . import (
    ActorRef,
    FactDate,
    FactFilter,
    Failure,
    PreparedRecord,
    SearchHit,
    Store,
    StoreError,
)
from .fact_rows import (
    FactRows,
    RawMention,
    fact_json,
    fact_rows,
    fuse_partitions,
    keys_of,
    mention_of,
)

SNIPPET_CHARS = 240
PARTITION_MENTIONS = 10_000  # rebuild: about this many mentions are fused at once (per process:
                             # ~40 MB while fused)
REBUILD_BATCH = 1_000  # rebuild: articles (or linked facts) read per batch
# The event mentions as fusion reads them: (article, published, outlet, event JSON)
MENTIONS = ("SELECT m.article_id, a.published, a.source, m.event FROM event_mentions m"
            " JOIN articles a ON a.id = m.article_id")
_WORD_CHARS = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")

MIGRATIONS_DIR = Path(__file__).parent


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(folder: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The ``NNNN_name.sql`` files of ``folder`` in version order (versions must be 1, 2, 3, …)."""
    migrations = [Migration(int(p.name[:4]), p.stem[5:], p.read_text(encoding="utf-8"))
                  for p in sorted(folder.glob("[0-9][0-9][0-9][0-9]_*.sql"))]
    for expected, migration in enumerate(migrations, 1):
        if migration.version != expected:
            raise StoreError(f"migration {migration.version} ({migration.name}) out of sequence")
    return migrations


def _statements(sql: str) -> Iterator[str]:
    """Complete SQL statements of a script (``sqlite3.complete_statement`` knows triggers)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer
            buffer = ""
    leftover = [ln for ln in buffer.splitlines() if ln.strip() and not ln.strip().startswith("--")]
    if leftover:
        raise StoreError(f"incomplete SQL statement in migration: {buffer.strip()[:60]!r}")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class SqliteRows(PreparedRecord):
    """The rows one record becomes (``SqliteStore.prepare``)."""

    article: tuple                 # the articles row, less ingested_at
    record: str                    # the record as JSON, less the text
    event_rows: list[tuple]        # event_mentions rows
    evidence: list[tuple[int, int]]  # distinct evidence sentences, in order (search index)


class SqliteStore(Store):
    """One SQLite file; ``migrations`` defaults to the packaged ones (tests pass their own)."""

    def __init__(self, path: str | Path, migrations: Sequence[Migration] | None = None) -> None:
        self.path = Path(path)
        try:
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE … COMMIT/ROLLBACK)
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from None
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.create_function("cronaca_partition", 3, _partition, deterministic=True)
            self._migrate(load_migrations() if migrations is None else list(migrations))
            self._do_pending_work()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(f"cannot open database {self.path}: {exc}") from None
        except BaseException:
            self._conn.close()
            raise

    # -- schema ------------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        row = self._conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return row[0] or 0

    def _migrate(self, migrations: list[Migration]) -> None:
        latest = migrations[-1].version if migrations else 0
        if self._table_exists("schema_version") and self.schema_version == latest:
            return  # up to date: no write lock taken, so readers open during an ingest
        self._conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                           " name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        with self._transaction():  # IMMEDIATE: two processes opening at once migrate once
            current = self.schema_version
            if current > latest:
                raise StoreError(f"database {self.path} has schema version {current}, newer than "
                                 f"this cronaca knows ({latest}); upgrade cronaca")
            for migration in migrations:
                if migration.version > current:
                    try:
                        for statement in _statements(migration.sql):
                            self._conn.execute(statement)
                    except sqlite3.Error as exc:
                        raise StoreError(f"migration {migration.version} ({migration.name}) "
                                         f"failed: {exc}") from exc
                    self._conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                                       (migration.version, migration.name, _now()))

    def _transaction(self) -> _Transaction:
        return _Transaction(self._conn)

    def _do_pending_work(self) -> None:
        """Finish what a migration queued (a database written by an older version) and recompute
        fusion keys made by another version of ``fusion_key``. Checked before taking the write
        lock, so that opening a store to read it never waits for an ingest."""
        if not self._table_exists("meta") or not self._pending_work():
            return
        with self._transaction():
            pending = self._pending_work()
            if pending & {"rebuild", "fusion_keys"}:
                self._rebuild_facts(refresh_keys=True)
            if "rebuild" in pending:
                self._rebuild_search()
            self._conn.execute("DELETE FROM pending_work")
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES ('fusion_keys', ?)", (FUSION_KEYS,))

    def _pending_work(self) -> set[str]:
        pending = {r[0] for r in self._conn.execute("SELECT name FROM pending_work")}
        made_by = self._conn.execute("SELECT value FROM meta WHERE name = 'fusion_keys'").fetchone()
        if made_by != (FUSION_KEYS,):
            stored = self._conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None
            pending.add("fusion_keys" if stored else "meta")
        return pending

    def _table_exists(self, name: str) -> bool:
        return self._conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                                  (name,)).fetchone() is not None

    # -- writes ------------------------------------------------------------------------------

    @classmethod
    def prepare(cls, record: Record) -> SqliteRows:
        doc = record.doc
        article_id = content_id(doc.text)
        data = record.to_dict()
        del data["doc"]["text"]  # kept once, in articles.text
        return SqliteRows(
            article_id=article_id, events=len(record.events),
            article=(article_id, doc.id or article_id, doc.text, doc.title, doc.published,
                     doc.lang, doc.url, doc.source),
            record=json.dumps(data, ensure_ascii=False),
            event_rows=[_event_row(article_id, e, json.dumps(d, ensure_ascii=False))
                        for e, d in zip(record.events, data["events"], strict=True)],
            evidence=sorted({(e.sentence.start, e.sentence.end) for e in record.events}))

    def add_batch(self, records: Iterable[Record | PreparedRecord], *,
                  facts: bool = True) -> tuple[int, int]:
        new_ids: list[str] = []
        present = 0
        now = _now()
        try:
            with self._transaction():
                for record in records:
                    rows = record if isinstance(record, SqliteRows) else self.prepare(record)
                    if self._exists(rows.article_id):
                        present += 1
                        continue
                    self._insert(rows, now)
                    new_ids.append(rows.article_id)
                if facts and new_ids:
                    self._update_facts(new_ids)
        except sqlite3.Error as exc:
            raise StoreError(f"batch not stored: {exc}") from exc
        return len(new_ids), present

    def _insert(self, rows: SqliteRows, now: str) -> None:
        self._conn.execute(
            "INSERT INTO articles (id, doc_id, text, title, published, lang, url, source,"
            " ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (*rows.article, now))
        self._conn.execute("INSERT INTO records (article_id, record) VALUES (?, ?)",
                           (rows.article_id, rows.record))
        self._conn.executemany(
            "INSERT INTO event_mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows.event_rows)
        _, _, text, title, *_ = rows.article
        self._index_article(rows.article_id, title, text, rows.evidence)

    def record_failure(self, path: str, line: int | None, reason: str) -> None:
        try:
            with self._transaction():
                self._conn.execute("INSERT INTO failures (path, line, reason, time)"
                                   " VALUES (?, ?, ?, ?)", (path, line, reason, _now()))
        except sqlite3.Error as exc:
            raise StoreError(f"failure not recorded: {exc}") from exc

    # -- reads -------------------------------------------------------------------------------

    def _exists(self, article_id: str) -> bool:
        return self._conn.execute("SELECT 1 FROM articles WHERE id = ?",
                                  (article_id,)).fetchone() is not None

    def has(self, article_id: str) -> bool:
        return self._conn.execute("SELECT 1 FROM articles WHERE id = ? OR doc_id = ? LIMIT 1",
                                  (article_id, article_id)).fetchone() is not None

    def get_record(self, article_id: str) -> Record | None:
        row = self._conn.execute(
            "SELECT r.record, a.text FROM records r JOIN articles a ON a.id = r.article_id"
            " WHERE a.id = ? OR a.doc_id = ? LIMIT 1", (article_id, article_id)).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        data["doc"]["text"] = row[1]
        return Record.from_dict(data)

    def count_articles(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def count_events(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM event_mentions").fetchone()[0]

    def iter_records(self) -> Iterator[Record]:
        rows = self._conn.execute("SELECT r.record, a.text FROM records r JOIN articles a"
                                  " ON a.id = r.article_id ORDER BY a.rowid")
        for record, text in rows:
            data = json.loads(record)
            data["doc"]["text"] = text
            yield Record.from_dict(data)

    # -- facts: maintenance ------------------------------------------------------------------

    def rebuild_facts(self, *, refresh_keys: bool = False, processes: int = 1) -> int:
        try:
            with self._transaction():
                self._rebuild_facts(refresh_keys, processes)
        except sqlite3.Error as exc:
            raise StoreError(f"facts not rebuilt: {exc}") from exc
        except BrokenProcessPool as exc:
            raise StoreError(f"facts not rebuilt: a fusing process died ({exc}); the stored "
                             "facts are as they were") from exc
        return self.count_facts()

    def rebuild_search(self) -> None:
        try:
            with self._transaction():
                self._rebuild_search()
        except sqlite3.Error as exc:
            raise StoreError(f"search index not rebuilt: {exc}") from exc

    def _rebuild_facts(self, refresh_keys: bool = False, processes: int = 1) -> None:
        """Every fact from scratch in bounded memory (one transaction, as the caller holds it):
        mentions are split into partitions by their stored fusion keys (recomputed first from
        the records with ``refresh_keys``), fusion runs one partition at a time (in as many
        ``processes`` at once, the reading and writing staying here), and links are
        derived article batch by article batch. Equal to fusing, linking and settling all
        mentions at once, because mentions of different keys never fuse and a link is evidenced
        inside one article."""
        for table in ("fact_links", "fact_sources", "fact_actors", "fact_mentions", "facts"):
            self._conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        if refresh_keys:
            for by_doc in self._article_batches():
                self._refresh_keys(keys_of(m for ms in by_doc.values() for m in ms))
        total = self._conn.execute("SELECT COUNT(*) FROM event_mentions").fetchone()[0]
        partitions = max(1, -(-total // PARTITION_MENTIONS))
        self._conn.execute("DROP TABLE IF EXISTS temp._partitions")
        self._conn.execute("CREATE TEMP TABLE _partitions (part INTEGER, article_id TEXT, event_id TEXT,"
                           " PRIMARY KEY (part, article_id, event_id)) WITHOUT ROWID")
        self._conn.execute("INSERT INTO _partitions SELECT cronaca_partition(fusion_key, article_id, ?),"
                           " article_id, event_id FROM event_mentions", (partitions,))
        parts = (self._partition_mentions(part) for part in range(partitions))
        for rows in fuse_partitions(parts, processes):
            self._write_fact_rows(rows)
        self._conn.execute("DROP TABLE temp._partitions")
        for by_doc in self._article_batches(linking_only=True):
            lo, hi = min(by_doc), max(by_doc)
            fact_of = {(a, e): f for a, e, f in self._conn.execute(
                "SELECT article_id, event_id, fact_id FROM fact_mentions"
                " WHERE article_id >= ? AND article_id <= ?", (lo, hi))}
            self._insert_links(by_doc, fact_of)
        self._settle_linked()

    def _article_batches(self, linking_only: bool = False) -> Iterator[dict[str, list[MentionInput]]]:
        """The mentions of every stored article (with ``linking_only``, of those with a mention
        that can link facts), ``REBUILD_BATCH`` articles at a time, in id order (each batch is
        fetched whole, so the caller may write between batches)."""
        linking = (" AND id IN (SELECT article_id FROM event_mentions WHERE type IN"
                   f" ({', '.join('?' * len(LINKING))}))") if linking_only else ""
        after = ""
        while True:
            ids = [r[0] for r in self._conn.execute(
                f"SELECT id FROM articles WHERE id > ?{linking} ORDER BY id LIMIT ?",
                (after, *(LINKING if linking_only else ()), REBUILD_BATCH))]
            if not ids:
                return
            after = ids[-1]
            wanted = set(ids)
            yield _mentions_of_rows(row for row in self._conn.execute(
                f"{MENTIONS} WHERE m.article_id >= ? AND m.article_id <= ? ORDER BY m.article_id,"
                " m.rowid", (ids[0], ids[-1])) if row[0] in wanted)

    def _partition_mentions(self, part: int) -> list[RawMention]:
        """The mentions assigned to one partition, undecoded."""
        return self._conn.execute(
            f"{MENTIONS} JOIN _partitions p ON p.article_id = m.article_id AND p.event_id = m.event_id"
            " WHERE p.part = ? ORDER BY m.article_id, m.rowid", (part,)).fetchall()

    def _settle_linked(self) -> None:
        """Write links and contest onto the facts that have links, a batch at a time; a fact
        without links already has the ``contested`` that ``fuse`` gave it."""
        after = ""
        while True:
            ids = [r[0] for r in self._conn.execute(
                "SELECT DISTINCT fact_id FROM fact_links WHERE fact_id > ? ORDER BY fact_id LIMIT ?",
                (after, REBUILD_BATCH))]
            if not ids:
                return
            after = ids[-1]
            self._fill_temp("_touched", ids)
            facts = [Fact.from_dict(json.loads(r[0])) for r in self._conn.execute(
                "SELECT fact FROM facts WHERE id IN (SELECT id FROM _touched)")]
            settle(facts, self._conn.execute("SELECT fact_id, rel, other_fact_id FROM fact_links"
                                             " WHERE fact_id IN (SELECT id FROM _touched)").fetchall())
            self._conn.executemany("UPDATE facts SET contested = ?, fact = ? WHERE id = ?",
                                   [(int(f.contested), fact_json(f), f.id) for f in facts])

    def _refresh_keys(self, key_of: dict[tuple[str, str], str]) -> None:
        """Store the fusion keys of a batch of articles' mentions, ``(article, event) -> key``
        (filling them in for old databases, correcting them when the key function changed)."""
        if not key_of:
            return
        docs = [doc for doc, _ in key_of]
        stored = {(a, e): k for a, e, k in self._conn.execute(
            "SELECT article_id, event_id, fusion_key FROM event_mentions"
            " WHERE article_id >= ? AND article_id <= ?", (min(docs), max(docs)))}
        changed = [(key, doc, event) for (doc, event), key in key_of.items()
                   if stored.get((doc, event)) != key]
        self._conn.executemany("UPDATE event_mentions SET fusion_key = ? WHERE article_id = ?"
                               " AND event_id = ?", changed)

    def _update_facts(self, new_ids: list[str]) -> None:
        """Re-fuse the keys K of the new articles' events, re-link the articles A with a mention
        in K, settle what that touches; only rows that differ are written."""
        conn = self._conn
        self._fill_temp("_new_articles", new_ids)
        keys = {r[0] for r in conn.execute(
            "SELECT DISTINCT fusion_key FROM event_mentions WHERE article_id IN"
            " (SELECT id FROM _new_articles)")}
        if not keys:
            return
        self._fill_temp("_keys", keys)
        self._fill_temp("_articles", (r[0] for r in conn.execute(
            "SELECT DISTINCT article_id FROM event_mentions WHERE fusion_key IN (SELECT id FROM _keys)")))
        by_doc = self._mentions_by_article("_articles")
        key_of = keys_of(m for ms in by_doc.values() for m in ms)
        facts = fuse(m for ms in by_doc.values() for m in ms if key_of[(m.doc, m.event.id)] in keys)
        fresh = {f.id: f for f in facts}
        fact_of = {(m.doc, m.event): f.id for f in facts for m in f.mentions}
        for article_id, event_id, fact_id in conn.execute(  # the other keys' facts stay as they are
                "SELECT article_id, event_id, fact_id FROM fact_mentions"
                " WHERE article_id IN (SELECT id FROM _articles)"):
            fact_of.setdefault((article_id, event_id), fact_id)

        links = {(frm, rel, to, article_id) for article_id in by_doc
                 for frm, rel, to in derive_links(by_doc[article_id], fact_of)}
        old_links = set(conn.execute("SELECT fact_id, rel, other_fact_id, article_id FROM fact_links"
                                     " WHERE article_id IN (SELECT id FROM _articles)"))
        conn.executemany("DELETE FROM fact_links WHERE fact_id = ? AND rel = ? AND other_fact_id = ?"
                         " AND article_id = ?", old_links - links)
        conn.executemany("INSERT INTO fact_links VALUES (?, ?, ?, ?)", sorted(links - old_links))

        old = dict(conn.execute("SELECT id, fact FROM facts WHERE key IN (SELECT id FROM _keys)"))
        relinked = {end for frm, _, to, _ in links ^ old_links for end in (frm, to)}
        self._fill_temp("_touched", relinked - fresh.keys() - old.keys())
        others = [Fact.from_dict(json.loads(r[0])) for r in conn.execute(
            "SELECT fact FROM facts WHERE id IN (SELECT id FROM _touched)")]
        before = {f.id: (f.links, f.contested) for f in others}
        self._fill_temp("_touched", fresh.keys() | before.keys())
        settle(facts + others, conn.execute("SELECT DISTINCT fact_id, rel, other_fact_id FROM fact_links"
                                            " WHERE fact_id IN (SELECT id FROM _touched)").fetchall())

        changed = [f for f in facts if f.id not in old or Fact.from_dict(json.loads(old[f.id])) != f]
        self._fill_temp("_replaced", (old.keys() - fresh.keys()) | {f.id for f in changed if f.id in old})
        for table in ("fact_sources", "fact_actors", "fact_mentions"):
            conn.execute(f"DELETE FROM {table} WHERE fact_id IN (SELECT id FROM _replaced)")  # noqa: S608
        conn.execute("DELETE FROM facts WHERE id IN (SELECT id FROM _replaced)")
        self._insert_facts(changed, key_of)
        conn.executemany("UPDATE facts SET contested = ?, fact = ? WHERE id = ?",
                         [(int(f.contested), fact_json(f), f.id) for f in others
                          if before[f.id] != (f.links, f.contested)])

    def _fill_temp(self, name: str, values: Iterable[str]) -> None:
        """A temporary one-column table: ``IN (SELECT id FROM name)`` for any number of values."""
        self._conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} (id TEXT PRIMARY KEY)")
        self._conn.execute(f"DELETE FROM {name}")  # noqa: S608 - internal names only
        self._conn.executemany(f"INSERT OR IGNORE INTO {name} VALUES (?)",  # noqa: S608
                               ((v,) for v in values))

    def _mentions_by_article(self, temp: str) -> dict[str, list[MentionInput]]:
        """The mentions of the articles listed in the temporary table ``temp``."""
        return _mentions_of_rows(self._conn.execute(
            f"{MENTIONS} WHERE m.article_id IN (SELECT id FROM {temp})"
            " ORDER BY m.article_id, m.rowid"))

    def _insert_links(self, by_doc: dict[str, list[MentionInput]],
                      fact_of: dict[tuple[str, str], str]) -> None:
        """Derive and store the links each article evidences."""
        self._conn.executemany("INSERT INTO fact_links VALUES (?, ?, ?, ?)", [
            (frm, rel, to, article_id) for article_id in sorted(by_doc)
            for frm, rel, to in derive_links(by_doc[article_id], fact_of)])

    def _insert_facts(self, facts: list[Fact], key_of: dict[tuple[str, str], str]) -> None:
        self._write_fact_rows(fact_rows(facts, key_of))

    def _write_fact_rows(self, rows: FactRows) -> None:
        conn = self._conn
        conn.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         rows.facts)
        conn.executemany("INSERT INTO fact_mentions VALUES (?, ?, ?)", rows.mentions)
        conn.executemany("INSERT INTO fact_actors VALUES (?, ?, ?, ?, ?)", rows.actors)
        conn.executemany("INSERT INTO fact_sources VALUES (?, ?, ?)", rows.sources)

    # -- search index ------------------------------------------------------------------------

    def _index_article(self, article_id: str, title: str | None, text: str,
                       sentences: Iterable[tuple[int, int]]) -> None:
        """One search row for the article, one for each distinct evidence sentence."""
        insert_doc = "INSERT INTO search_docs (article_id, start, end) VALUES (?, ?, ?)"
        insert_fts = "INSERT INTO search_fts (rowid, title, body) VALUES (?, ?, ?)"
        rowid = self._conn.execute(insert_doc, (article_id, None, None)).lastrowid
        self._conn.execute(insert_fts, (rowid, title or "", text))
        for start, end in sorted(set(sentences)):
            rowid = self._conn.execute(insert_doc, (article_id, start, end)).lastrowid
            self._conn.execute(insert_fts, (rowid, "", text[start:end]))

    def _rebuild_search(self) -> None:
        self._conn.execute("DELETE FROM search_docs")
        self._conn.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
        spans: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for article_id, start, end in self._conn.execute(
                "SELECT article_id, sentence_start, sentence_end FROM event_mentions"):
            spans[article_id].add((start, end))
        for article_id, title, text in self._conn.execute("SELECT id, title, text FROM articles"):
            self._index_article(article_id, title, text, spans.get(article_id, ()))

    # -- facts: reads -------------------------------------------------------------------------

    def iter_facts(self) -> Iterator[Fact]:
        for (data,) in self._conn.execute("SELECT fact FROM facts ORDER BY date_lo NULLS LAST, id"):
            yield Fact.from_dict(json.loads(data))

    def get_fact(self, fact_id: str) -> Fact | None:
        row = self._conn.execute("SELECT fact FROM facts WHERE id = ?", (fact_id,)).fetchone()
        return Fact.from_dict(json.loads(row[0])) if row else None

    def count_facts(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM facts").fetchone()[0]

    def find_facts(self, where: FactFilter, limit: int | None = None) -> list[Fact]:
        sql, params = _fact_query("f.fact", where)
        sql += " ORDER BY f.date_lo NULLS LAST, f.id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [Fact.from_dict(json.loads(r[0])) for r in self._conn.execute(sql, params)]

    def fact_dates(self, where: FactFilter) -> list[FactDate]:
        sql, params = _fact_query("f.type, f.date_value, f.date_mod, f.first_seen", where)
        return [FactDate(*row) for row in self._conn.execute(sql, params)]

    def has_actor_name(self, name: str) -> str | None:
        row = self._conn.execute("SELECT name FROM fact_actors WHERE name = ? COLLATE NOCASE LIMIT 1",
                                 (name,)).fetchone()
        return row[0] if row else None

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        query = _fts_query(text)
        if not query:
            return []
        rows = self._conn.execute(
            "SELECT d.article_id, d.start, d.end, s.rank, a.title, a.source, a.published,"
            " CASE WHEN d.start IS NULL THEN substr(a.text, 1, ?)"
            " ELSE substr(a.text, d.start + 1, d.end - d.start) END"
            " FROM (SELECT rowid, rank FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?) s"
            " JOIN search_docs d ON d.id = s.rowid JOIN articles a ON a.id = d.article_id"
            " ORDER BY s.rank", (SNIPPET_CHARS, query, limit)).fetchall()
        hits = []
        for article_id, start, end, rank, title, outlet, published, snippet in rows:
            facts = [] if start is None else [r[0] for r in self._conn.execute(
                "SELECT DISTINCT fm.fact_id FROM event_mentions em JOIN fact_mentions fm"
                " ON fm.article_id = em.article_id AND fm.event_id = em.event_id"
                " WHERE em.article_id = ? AND em.sentence_start = ? AND em.sentence_end = ?"
                " ORDER BY fm.fact_id", (article_id, start, end))]
            hits.append(SearchHit(article_id, title, outlet, published, start, end, snippet,
                                  round(-rank, 4), facts))
        return hits

    def close(self) -> None:
        self._conn.close()

    # -- quarantine and size (ingest) --------------------------------------------------------

    def failures(self) -> list[Failure]:
        return [Failure(*row) for row in self._conn.execute(
            "SELECT id, path, line, reason, time FROM failures ORDER BY id")]

    def update_failures(self, add: Iterable[tuple[str, int | None, str]],
                        remove: Iterable[int] = ()) -> None:
        now = _now()
        try:
            with self._transaction():
                self._conn.executemany("DELETE FROM failures WHERE id = ?", ((i,) for i in remove))
                self._conn.executemany("INSERT INTO failures (path, line, reason, time)"
                                       " VALUES (?, ?, ?, ?)",
                                       ((path, line, reason, now) for path, line, reason in add))
        except sqlite3.Error as exc:
            raise StoreError(f"failures not recorded: {exc}") from exc

    def stats(self) -> dict[str, int | None]:
        def count(table: str) -> int | None:
            if not self._table_exists(table):
                return None
            return self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608

        files = (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm"))
        return {"articles": count("articles"), "event_mentions": count("event_mentions"),
                "facts": count("facts"), "failures": count("failures"),
                "database_bytes": sum(f.stat().st_size for f in files if f.exists())}


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any error: all or nothing."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _mentions_of_rows(rows: Iterable[RawMention]) -> dict[str, list[MentionInput]]:
    """Mentions by article from ``MENTIONS`` rows (one per mention, an article's together)."""
    by_doc: dict[str, list[MentionInput]] = {}
    for row in rows:
        by_doc.setdefault(row[0], []).append(mention_of(row))
    return by_doc


def _partition(key: str, doc: str, partitions: int) -> int:
    """The rebuild partition of a mention of article ``doc`` with fusion key ``key``: all mentions
    of one key share one, except that mentions keyed on no country and no name, which ``fuse``
    never joins, spread by article (a stable hash, so a partition is the same in every process)."""
    if key.endswith("|names:|"):
        key += doc
    return zlib.crc32(key.encode("utf-8")) % partitions


def _actor_clause(ref: ActorRef) -> tuple[str, str]:
    """The fact_actors condition for one actor, with its parameter."""
    if ref.kind == "country":
        return "country = ?", ref.value
    return "name = ? COLLATE NOCASE", ref.value


def _fact_query(columns: str, where: FactFilter) -> tuple[str, list]:
    """``SELECT columns FROM facts f WHERE …`` for a filter; the indexes in 0002 serve each part."""
    clauses: list[str] = []
    params: list = []
    if len(where.actors) == 1:
        cond, value = _actor_clause(where.actors[0])
        clauses.append(f"f.id IN (SELECT fact_id FROM fact_actors WHERE {cond})")
        params.append(value)
    elif len(where.actors) == 2:
        (cond_a, a), (cond_b, b) = (_actor_clause(r) for r in where.actors)
        clauses.append("f.id IN (SELECT x.fact_id FROM fact_actors x JOIN fact_actors y"
                       f" ON y.fact_id = x.fact_id WHERE x.{cond_a} AND y.{cond_b}"
                       " AND x.role <> y.role)")
        params += [a, b]
    elif where.actors:
        raise ValueError("at most two actors (a dyad) can be queried at once")
    if where.date_from:
        clauses.append("f.date_hi >= ?")
        params.append(where.date_from)
    if where.date_to:
        clauses.append("f.date_lo <= ?")
        params.append(where.date_to)
    if where.types:
        clauses.append(f"f.type IN ({', '.join('?' * len(where.types))})")
        params += list(where.types)
    if where.contested is not None:
        clauses.append("f.contested = ?")
        params.append(int(where.contested))
    if where.status:
        clauses.append("instr(f.statuses, ?) > 0")
        params.append(f"|{where.status}|")
    if where.source:
        clauses.append("f.id IN (SELECT fact_id FROM fact_sources WHERE name = ? COLLATE NOCASE)")
        params.append(where.source)
    sql = f"SELECT {columns} FROM facts f"  # noqa: S608 - columns and clauses are fixed strings
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    return sql, params


def _fts_query(text: str) -> str:
    """Words of free text as an FTS5 query that all must match (no query syntax to trip on)."""
    return " ".join(f'"{w}"' for w in _WORD_CHARS.findall(text))


def _first(actors: list[Actor]) -> Actor | None:
    return actors[0] if actors else None


def _event_row(article_id: str, e: Event, event_json: str) -> tuple:
    src, tgt = _first(e.source), _first(e.target)
    return (
        article_id, e.id, e.type, e.mode,
        src and src.country, src and src.sector, src and (src.name or src.text),
        tgt and tgt.country, tgt and tgt.sector, tgt and (tgt.name or tgt.text),
        e.status, e.certainty, e.polarity, e.confidence,
        e.date and e.date.value, e.date and e.date.mod,
        e.place and e.place.name, e.place and e.place.country,
        e.sentence.start, e.sentence.end, e.trigger.start, e.trigger.end, e.trigger.text,
        json.dumps([asdict(s) for s in e.attribution], ensure_ascii=False),
        fusion_key(e), event_json,
    )
