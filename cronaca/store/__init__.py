"""Where records are kept: a small, storage-agnostic interface and ``open_store``.

Why an interface: the command line and later tools (facts, exports) only add batches and read
records back, so SQLite today can be swapped for PostgreSQL without touching them. Article ids
are content hashes, so storing the same article twice is a no-op (ingest is idempotent).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from ..model import Record


class StoreError(RuntimeError):
    """The store cannot be opened or used (e.g. a database made by a newer cronaca)."""


class Store(ABC):
    """Articles and their records; every write of a batch is all or nothing."""

    @abstractmethod
    def add_batch(self, records: Iterable[Record]) -> tuple[int, int]:
        """Store ``records`` in one transaction; returns ``(new, already_present)``."""

    @abstractmethod
    def has(self, article_id: str) -> bool:
        """Whether the article (content hash ``sha256:…`` or its record's ``doc.id``) is stored."""

    @abstractmethod
    def get_record(self, article_id: str) -> Record | None:
        """The stored record of an article, with its text, or ``None``."""

    @abstractmethod
    def count_articles(self) -> int: ...

    @abstractmethod
    def count_events(self) -> int: ...

    @abstractmethod
    def record_failure(self, path: str, line: int | None, reason: str) -> None:
        """Remember an input that could not be read or extracted."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def open_store(path: str | Path) -> Store:
    """Open (creating and migrating as needed) the store at ``path``, a SQLite database file."""
    from .sqlite import SqliteStore

    if isinstance(path, str) and "://" in path:
        raise StoreError(f"unsupported store address {path!r}: only SQLite database files for now")
    return SqliteStore(path)


__all__ = ["Store", "StoreError", "open_store"]
