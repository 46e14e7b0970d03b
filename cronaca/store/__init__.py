"""Where records are kept: a small, storage-agnostic interface and ``open_store``.

Why an interface: the command line and later tools (queries, exports) only add batches, read
records and facts back and ask the narrow questions of ``FactFilter``, so SQLite today can be
swapped for PostgreSQL without touching them. Article ids are content hashes, so storing the same
article twice is a no-op (ingest is idempotent).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from ..model import Fact, Record


class StoreError(RuntimeError):
    """The store cannot be opened or used (e.g. a database made by a newer cronaca)."""


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor filter as the store sees it: a country/body code, or an actor's name."""

    kind: str   # "country" | "name"
    value: str  # "RUS", or "Vladimir Putin" (matched case-insensitively)


@dataclass(frozen=True, slots=True)
class FactFilter:
    """Which facts a query wants. With two actors: the dyad, in either direction."""

    actors: tuple[ActorRef, ...] = ()
    date_from: str | None = None   # ISO day; facts whose date interval reaches it
    date_to: str | None = None     # ISO day; facts whose date interval starts by it
    types: tuple[str, ...] = ()
    contested: bool | None = None
    status: str | None = None      # facts with at least one mention of this status
    source: str | None = None      # an outlet or speaker behind the fact (case-insensitive)


@dataclass(frozen=True, slots=True)
class FactDate:
    """The little a dyad count needs of a fact."""

    type: str
    date_value: str | None
    date_mod: str | None
    first_seen: str | None


@dataclass(slots=True)
class SearchHit:
    """One full-text match: a whole article, or one evidence sentence and the facts it supports."""

    article_id: str
    title: str | None
    outlet: str | None
    published: str | None
    start: int | None              # sentence span; None when the article as a whole matched
    end: int | None
    text: str                      # the sentence, or the article's opening
    score: float
    facts: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PreparedRecord:
    """A record already turned into what storing it writes (``Store.prepare``): work that needs
    no database, done where the record was extracted so that the single writer only inserts."""

    article_id: str   # the content hash of the article's text
    events: int       # how many event mentions it holds


@dataclass(frozen=True, slots=True)
class Failure:
    """A quarantined input: where it came from (``line`` None for a whole file) and why it failed."""

    id: int
    path: str
    line: int | None
    reason: str
    time: str


class Store(ABC):
    """Articles, their records and the facts fused from them; every batch is all or nothing."""

    @classmethod
    @abstractmethod
    def prepare(cls, record: Record) -> PreparedRecord:
        """What ``add_batch`` writes for ``record``, computed without a database: pure and
        picklable, so an extraction process can call it and hand the result to the writer."""

    @abstractmethod
    def add_batch(self, records: Iterable[Record | PreparedRecord], *,
                  facts: bool = True) -> tuple[int, int]:
        """Store ``records`` (as extracted, or as ``prepare`` made them) in one transaction,
        updating the facts their events touch (unless ``facts`` is false: bulk loads call
        ``rebuild_facts`` once at the end); returns ``(new, already_present)``."""

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
    def iter_records(self) -> Iterator[Record]:
        """Every stored record, with its text, in storage order."""

    # -- facts -----------------------------------------------------------------------------------

    @abstractmethod
    def rebuild_facts(self, *, refresh_keys: bool = False, processes: int = 1) -> int:
        """Recompute every fact and link from the stored event mentions (with ``refresh_keys``,
        their fusion keys too, from the records), fusing in up to ``processes`` processes;
        returns the number of facts. Incremental maintenance in ``add_batch`` must give the
        same result."""

    @abstractmethod
    def rebuild_search(self) -> None:
        """Recompute the full-text index from the stored articles and records."""

    @abstractmethod
    def iter_facts(self) -> Iterator[Fact]:
        """Every fact, in date order."""

    @abstractmethod
    def get_fact(self, fact_id: str) -> Fact | None: ...

    @abstractmethod
    def count_facts(self) -> int: ...

    @abstractmethod
    def find_facts(self, where: FactFilter, limit: int | None = None) -> list[Fact]:
        """Facts matching ``where`` in date order (best date, else first seen), at most ``limit``."""

    @abstractmethod
    def fact_dates(self, where: FactFilter) -> list[FactDate]:
        """Type and dates of the facts matching ``where`` (for counts over time)."""

    @abstractmethod
    def has_actor_name(self, name: str) -> str | None:
        """The stored spelling of an actor name of some fact (case-insensitive), or ``None``."""

    @abstractmethod
    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over article titles and texts and evidence sentences, best first."""

    @abstractmethod
    def close(self) -> None: ...

    # -- quarantine and size (ingest) ------------------------------------------------------------

    @abstractmethod
    def failures(self) -> list[Failure]:
        """Every quarantined input, oldest first."""

    @abstractmethod
    def update_failures(self, add: Iterable[tuple[str, int | None, str]],
                        remove: Iterable[int] = ()) -> None:
        """In one transaction, quarantine ``add`` (path, line, reason) and release the failures
        whose ids are in ``remove`` (inputs that now succeed, or are quarantined again)."""

    @abstractmethod
    def stats(self) -> dict[str, int | None]:
        """Counts of articles, event mentions, facts (None without a facts table) and failures,
        and the bytes the database takes on disk (WAL included)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def store_class(path: str | Path) -> type[Store]:
    """The kind of store at ``path``, without opening it (extraction workers ask for ``prepare``)."""
    from .sqlite import SqliteStore

    if isinstance(path, str) and "://" in path:
        raise StoreError(f"unsupported store address {path!r}: only SQLite database files for now")
    return SqliteStore


def open_store(path: str | Path) -> Store:
    """Open (creating and migrating as needed) the store at ``path``, a SQLite database file."""
    return store_class(path)(path)


__all__ = ["ActorRef", "FactDate", "FactFilter", "Failure", "PreparedRecord", "SearchHit", "Store",
           "StoreError", "open_store", "store_class"]
