"""The SQLite store (stdlib ``sqlite3``): WAL mode, foreign keys, versioned migrations.

Migrations are the numbered ``NNNN_name.sql`` files beside this module, applied in order at
open, each in its own transaction together with its row in ``schema_version``; a later version
adds a file, and old databases catch up the next time they are opened.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..model import Actor, Event, Record
from ..pipeline import content_id
from . import Store, StoreError

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
            self._migrate(load_migrations() if migrations is None else list(migrations))
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
        self._conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                           " name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        latest = migrations[-1].version if migrations else 0
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

    # -- writes ------------------------------------------------------------------------------

    def add_batch(self, records: Iterable[Record]) -> tuple[int, int]:
        new = present = 0
        now = _now()
        try:
            with self._transaction():
                for record in records:
                    article_id = content_id(record.doc.text)
                    if self._exists(article_id):
                        present += 1
                        continue
                    self._insert(article_id, record, now)
                    new += 1
        except sqlite3.Error as exc:
            raise StoreError(f"batch not stored: {exc}") from exc
        return new, present

    def _insert(self, article_id: str, record: Record, now: str) -> None:
        doc = record.doc
        self._conn.execute(
            "INSERT INTO articles (id, doc_id, text, title, published, lang, url, source,"
            " ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article_id, doc.id or article_id, doc.text, doc.title, doc.published, doc.lang,
             doc.url, doc.source, now))
        data = record.to_dict()
        del data["doc"]["text"]  # kept once, in articles.text
        self._conn.execute("INSERT INTO records (article_id, record) VALUES (?, ?)",
                           (article_id, json.dumps(data, ensure_ascii=False)))
        self._conn.executemany(
            "INSERT INTO event_mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?, ?, ?, ?)", [_event_row(article_id, e) for e in record.events])

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

    def close(self) -> None:
        self._conn.close()


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any error: all or nothing."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _first(actors: list[Actor]) -> Actor | None:
    return actors[0] if actors else None


def _event_row(article_id: str, e: Event) -> tuple:
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
    )
