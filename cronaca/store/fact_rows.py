"""Facts as the SQLite store's rows, and the fusion of one rebuild partition into them.

Why a module of its own: a rebuild fuses its partitions in other processes, which import only
this (the fusion code and the data model, not the extraction pipeline) and hand rows back to the
one process that writes.
"""
from __future__ import annotations

import json
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context

from ..facts import MentionInput, fuse, fusion_key, interval
from ..model import Event, Fact

# (article id, published, outlet, event JSON): one mention as the rebuild reads it
RawMention = tuple[str, str | None, str | None, str]


@dataclass(slots=True)
class FactRows:
    """The rows of the ``facts``, ``fact_mentions``, ``fact_actors`` and ``fact_sources`` tables."""

    facts: list[tuple] = field(default_factory=list)
    mentions: list[tuple] = field(default_factory=list)
    actors: list[tuple] = field(default_factory=list)
    sources: list[tuple] = field(default_factory=list)


def fact_rows(facts: Iterable[Fact], key_of: dict[tuple[str, str], str]) -> FactRows:
    """The rows of ``facts``; ``key_of`` gives each mention's fusion key, ``(article, event)``."""
    rows = FactRows()
    for f in facts:
        first = f.mentions[0]
        lo_hi = (interval(f.date.value, f.date.mod) if f.date else None) or interval(f.first_seen)
        statuses = "|" + "|".join(sorted({m.status for m in f.mentions})) + "|"
        rows.facts.append((
            f.id, key_of[(first.doc, first.event)], f.type, f.mode,
            f.date and f.date.value, f.date and f.date.mod,
            lo_hi and lo_hi[0].isoformat(), lo_hi and lo_hi[1].isoformat(),
            f.first_seen, f.last_seen, statuses, int(f.contested), f.independent,
            len(f.mentions), fact_json(f)))
        rows.mentions += [(f.id, m.doc, m.event) for m in f.mentions]
        rows.actors += [(f.id, role, a.country, a.sector, a.name or a.text)
                        for role, actors in (("source", f.source), ("target", f.target))
                        for a in actors]
        rows.sources += [(f.id, "outlet", o) for o in f.outlets]
        rows.sources += [(f.id, "speaker", s) for s in f.speakers]
    return rows


def fact_json(fact: Fact) -> str:
    return json.dumps(fact.to_dict(), ensure_ascii=False)


def mention_of(raw: RawMention) -> MentionInput:
    doc, published, outlet, event = raw
    return MentionInput(doc=doc, published=published, outlet=outlet,
                        event=Event.from_dict(json.loads(event)))


def keys_of(mentions: Iterable[MentionInput]) -> dict[tuple[str, str], str]:
    """Each mention's fusion key, by ``(article, event)``."""
    return {(m.doc, m.event.id): fusion_key(m.event) for m in mentions}


def fuse_partition(raw: list[RawMention]) -> FactRows:
    """Fuse the mentions of one rebuild partition (every mention of its fusion keys)."""
    mentions = [mention_of(r) for r in raw]
    return fact_rows(fuse(mentions), keys_of(mentions))


def fuse_partitions(partitions: Iterator[list[RawMention]], processes: int = 1) -> Iterator[FactRows]:
    """``fuse_partition`` of each partition, in order; with ``processes`` > 1 in that many
    processes, reading at most that many partitions ahead (so memory stays bounded)."""
    if processes <= 1:
        yield from map(fuse_partition, partitions)
        return
    with ProcessPoolExecutor(processes, mp_context=get_context("spawn"),
                             initializer=_ignore_interrupts) as pool:
        pending: list[Future[FactRows]] = []
        for raw in partitions:
            pending.append(pool.submit(fuse_partition, raw))
            if len(pending) >= processes:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def _ignore_interrupts() -> None:
    """Ctrl-C reaches every process of the terminal's group: the one that owns the rebuild
    decides (an ingest lets it finish), so the fusing processes do not die of it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
