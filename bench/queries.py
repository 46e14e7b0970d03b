"""Query latency on a large store: 1,000,000 synthetic event mentions, then the analyst's queries.

Why synthetic: no corpus of a million extracted mentions exists yet, and the point is the store's
indexes and the query code, not extraction. The records are realistic in shape: ~5 events per
article (sentences written from templates, with entity and timex spans), a few hundred actors
(states, armed forces and named people of ~150 countries, a few countries much more in the news
than others), dates over 2018-2025, every happening reported by several articles, statuses with
attribution, and accusation/denial pairs so facts get links and some are contested.

The database is built through the store's own code: ``add_batch(records, facts=False)`` in
batches (articles, records, event rows, search index), then ``rebuild_facts()`` once.

    .venv/bin/python bench/queries.py                      # 1M mentions (~200,000 articles)
    .venv/bin/python bench/queries.py --mentions 50000     # a quick run
    .venv/bin/python bench/queries.py --db big.db --keep   # keep the database for later runs
    .venv/bin/python bench/queries.py --db big.db --reuse  # time the queries on a kept database
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cronaca import query  # noqa: E402
from cronaca.lang import shared_data  # noqa: E402
from cronaca.model import (Actor, DocInfo, Entity, Event, EventDate, Record, Source, Span,  # noqa: E402
                           Timex, Trigger)
from cronaca.pipeline import content_id  # noqa: E402
from cronaca.store import open_store  # noqa: E402
from cronaca.store.sqlite import SqliteStore  # noqa: E402

START = date(2018, 1, 1)
DAYS = (date(2025, 12, 31) - START).days
MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
          "settembre", "ottobre", "novembre", "dicembre")
# type -> (weight, Italian verb phrase used as the trigger)
TYPES = {
    "CONSULT": (16, "ha incontrato"), "ACCUSE": (10, "ha accusato"),
    "ASSAULT": (10, "ha attaccato"), "SUPPORT": (8, "ha sostenuto"),
    "REQUEST": (7, "ha chiesto aiuto a"), "AGREE": (6, "ha firmato un accordo con"),
    "COOPERATE": (6, "collabora con"), "AID": (6, "ha inviato aiuti a"),
    "REJECT": (5, "ha respinto le richieste di"), "THREATEN": (5, "ha minacciato"),
    "SANCTION": (5, "ha imposto sanzioni a"), "COERCE": (4, "ha arrestato cittadini di"),
    "MOBILIZE": (3, "ha schierato truppe contro"), "PROTEST": (3, "ha protestato contro"),
    "CONCEDE": (3, "ha fatto concessioni a"), "RETREAT": (3, "ha ritirato le truppe da"),
}
STATUSES = (("asserted", 52), ("reported", 30), ("alleged", 8), ("denied", 2), ("confirmed", 4),
            ("hypothetical", 4))
OUTLETS = tuple(f"outlet-{i:02d}" for i in range(40))
FILLER = ("La notizia è stata ripresa dalle principali agenzie internazionali nel corso della giornata. "
          "Gli osservatori attendono nuovi sviluppi nelle prossime settimane. ")


class World:
    """Actors and happenings the synthetic articles report."""

    def __init__(self, rng: random.Random, happenings: int) -> None:
        self.rng = rng
        countries = {k: v for k, v in shared_data("countries").items() if k != "bodies"}
        codes = sorted(countries)
        rng.shuffle(codes)
        codes = codes[:150]
        self.countries = codes
        # a few countries are in the news far more than others (Zipf-like weights)
        self.weights = [1 / (rank + 1) ** 0.9 for rank in range(len(codes))]
        self.actors: dict[str, list[Actor]] = {}
        for rank, code in enumerate(codes):
            name = countries[code]["name"]
            group = [Actor(name, name, "state", code, "GOV")]
            if rank < 80:
                group.append(Actor(f"le forze armate di {name}", f"forze armate ({name})", "group",
                                   code, "MIL"))
            self.actors[code] = group
        for person in shared_data("actors").get("people") or []:
            if person.get("country") in self.actors:
                self.actors[person["country"]].append(
                    Actor(person["name"], person["name"], "person", person["country"], person.get("sector")))
        types = list(TYPES)
        type_weights = [TYPES[t][0] for t in types]
        self.happenings: list[tuple[str, Actor, Actor, date]] = []
        for _ in range(happenings):
            src, tgt = rng.choices(codes, self.weights, k=2)
            while tgt == src:
                tgt = rng.choices(codes, self.weights)[0]
            kind = rng.choices(types, type_weights)[0]
            self.happenings.append((kind, rng.choice(self.actors[src]), rng.choice(self.actors[tgt]),
                                    START + timedelta(days=rng.randrange(DAYS))))
        self.happenings.sort(key=lambda h: h[3])

    @property
    def actor_count(self) -> int:
        return sum(len(group) for group in self.actors.values())


def _date_text(day: date, rng: random.Random) -> tuple[str, str]:
    """A timex as news writes it, and its value at that granularity."""
    if rng.random() < 0.6:
        return f"il {day.day} {MONTHS[day.month - 1]} {day.year}", day.isoformat()
    return f"nel {MONTHS[day.month - 1]} {day.year}", f"{day.year}-{day.month:02d}"


def make_article(world: World, index: int, events: int) -> Record:
    """One article: ``events`` happenings close in time, one sentence each, sometimes an
    accusation with the alleged act and its denial."""
    rng = world.rng
    at = rng.randrange(len(world.happenings))
    picks = [world.happenings[min(len(world.happenings) - 1, at + rng.randrange(60))] for _ in range(events)]
    parts: list[str] = []
    evs: list[Event] = []
    entities: list[Entity] = []
    timexes: list[Timex] = []
    pos = 0

    def sentence(kind: str, src: Actor, tgt: Actor, day: date, status: str,
                 speaker: Actor | None, cue: str | None) -> None:
        nonlocal pos
        verb = TYPES[kind][1]
        when, value = _date_text(day, rng)
        said = f" secondo {speaker.text}" if speaker is not None else ""
        text = f"{src.text[0].upper()}{src.text[1:]} {verb} {tgt.text} {when}{said}. "
        start = pos
        s_end = start + len(src.text)
        v_start = s_end + 1
        t_start = v_start + len(verb) + 1
        d_start = t_start + len(tgt.text) + 1
        eid = f"e{len(entities) + 1}"
        entities.append(Entity(eid, src.text, start, s_end, "PER" if src.kind == "person" else "LOC",
                               src.name, src.country, src.sector))
        entities.append(Entity(f"e{len(entities) + 1}", tgt.text, t_start, t_start + len(tgt.text),
                               "PER" if tgt.kind == "person" else "LOC", tgt.name, tgt.country, tgt.sector))
        timexes.append(Timex(when, d_start, d_start + len(when), value))
        attribution = [] if speaker is None else [
            Source(speaker.name or speaker.text, speaker.kind, speaker.country, speaker.sector, cue)]
        evs.append(Event(id=f"v{len(evs) + 1}", type=kind,
                         trigger=Trigger(verb, v_start, v_start + len(verb)),
                         sentence=Span(start, start + len(text) - 1), source=[src], target=[tgt],
                         date=EventDate(value, None, when), attribution=attribution, status=status,
                         confidence=0.7))
        parts.append(text)
        pos += len(text)

    for kind, src, tgt, day in picks:
        status = rng.choices([s for s, _ in STATUSES], [w for _, w in STATUSES])[0]
        speaker = rng.choice(world.actors[rng.choice(world.countries[:40])]) if status != "asserted" else None
        sentence(kind, src, tgt, day, status, speaker, "ha detto" if speaker else None)
    if rng.random() < 0.05:  # an accusation, the act it alleges, and the denial
        kind, accused, victim, day = picks[0]
        accuser = rng.choice(world.actors[rng.choice(world.countries[:30])])
        if accuser.country not in (accused.country, victim.country):
            sentence("ACCUSE", accuser, accused, day, "reported", accuser, "ha accusato")
            sentence(kind, accused, victim, day, "alleged", accuser, "ha accusato")
            sentence("REJECT", accused, accuser, day, "reported", accused, "ha negato")
    text = "".join(parts) + FILLER
    published = max(p[3] for p in picks) + timedelta(days=rng.randrange(4))
    title = f"{picks[0][1].name} e {picks[0][2].name}: notizia {index}"
    return Record(doc=DocInfo(id=content_id(text), text=text, lang="it", title=title,
                              published=published.isoformat(), source=rng.choice(OUTLETS)),
                  entities=entities, timexes=timexes, events=evs)


def build(db: Path, mentions: int, seed: int, batch: int) -> dict[str, Any]:
    rng = random.Random(seed)
    started = time.perf_counter()
    world = World(rng, happenings=max(10, mentions // 3))
    total = articles = 0
    generate = insert = 0.0
    with open_store(db) as store:
        assert isinstance(store, SqliteStore)
        while total < mentions:
            t0 = time.perf_counter()
            records = []
            while total < mentions and len(records) < batch:
                record = make_article(world, articles, min(rng.randint(3, 7), mentions - total))
                records.append(record)
                total += len(record.events)
                articles += 1
            t1 = time.perf_counter()
            store.add_batch(records, facts=False)
            generate += t1 - t0
            insert += time.perf_counter() - t1
        t2 = time.perf_counter()
        store.rebuild_facts()
        fuse_seconds = time.perf_counter() - t2
        store._conn.execute("ANALYZE")
    return {"articles": articles, "mentions": total, "actors": world.actor_count,
            "generate_s": round(generate, 1), "insert_s": round(insert, 1),
            "rebuild_facts_s": round(fuse_seconds, 1),
            "build_total_s": round(time.perf_counter() - started, 1)}


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median and worst of ``repeat`` runs in milliseconds, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 1), round(max(times), 1), result


def measure(db: Path, repeat: int) -> dict[str, Any]:
    with open_store(db) as store:
        conn = store._conn  # type: ignore[attr-defined]
        counts = {"articles": store.count_articles(), "mentions": store.count_events(),
                  "facts": store.count_facts(),
                  "contested": conn.execute("SELECT COUNT(*) FROM facts WHERE contested = 1").fetchone()[0],
                  "links": conn.execute("SELECT COUNT(*) FROM fact_links").fetchone()[0]}
        sizes = [r[0] for r in conn.execute("SELECT n_mentions FROM facts ORDER BY n_mentions")]
        counts["mentions_per_fact"] = {"median": sizes[len(sizes) // 2], "p99": sizes[int(len(sizes) * 0.99)],
                                       "max": sizes[-1]}
        # the most reported dyad of countries, as an analyst would ask for it: by name
        a, b = conn.execute("SELECT x.country, y.country FROM fact_actors x JOIN fact_actors y"
                            " ON y.fact_id = x.fact_id AND x.role = 'source' AND y.role = 'target'"
                            " WHERE x.country < y.country GROUP BY 1, 2 ORDER BY COUNT(*) DESC"
                            " LIMIT 1").fetchone()
        names = {code: entry["name"] for code, entry in shared_data("countries").items() if code != "bodies"}
        typical = conn.execute("SELECT id, n_mentions FROM facts WHERE n_mentions = ? LIMIT 1",
                               (counts["mentions_per_fact"]["median"],)).fetchone()
        largest = conn.execute("SELECT id, n_mentions FROM facts ORDER BY n_mentions DESC LIMIT 1").fetchone()
        person = conn.execute("SELECT name FROM fact_actors f WHERE name IN (SELECT name FROM fact_actors"
                              " WHERE sector = 'GOV' AND name LIKE '% %' LIMIT 50) LIMIT 1").fetchone()[0]
        questions: dict[str, Callable[[], Any]] = {
            f"timeline dyad {names[a]} / {names[b]}": lambda: query.timeline(store, [names[a], names[b]]),
            f"timeline dyad {a} / {b}, 2023 only": lambda: query.timeline(store, [a, b], "2023", "2023"),
            "contested facts (first 100)": lambda: query.facts(store, contested=True, limit=100),
            "contested facts (all)": lambda: query.facts(store, contested=True),
            f"fact with its mentions (typical: {typical[1]})": lambda: query.fact(store, typical[0]),
            f"fact with its mentions (largest: {largest[1]}), first 100":
                lambda: query.fact(store, largest[0], 100),
            f"fact with its mentions (largest: {largest[1]})": lambda: query.fact(store, largest[0]),
            f"dyad {a} / {b} by month": lambda: query.dyad(store, a, b, "month"),
            f"search '{person} accordo'": lambda: query.search(store, f"{person} accordo", 20),
            "search 'sanzioni'": lambda: query.search(store, "sanzioni", 20),
        }
        timings = {}
        for label, fn in questions.items():
            median, worst, result = timed(fn, repeat)
            n = len(result[1]) if isinstance(result, tuple) else len(result)
            timings[label] = {"median_ms": median, "max_ms": worst, "results": n}
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return {"counts": counts, "queries": timings, "db_bytes": size, "db_mb": round(size / 2**20, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentions", type=int, default=1_000_000, help="event mentions to generate")
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the database after the run")
    parser.add_argument("--reuse", action="store_true", help="time the queries on --db as it is")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query (median reported)")
    parser.add_argument("--batch", type=int, default=2000, help="articles per add_batch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.reuse and (args.db is None or not args.db.exists()):
        parser.error("--reuse needs an existing --db")
    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="cronaca-bench-")
        args.db = Path(tmp.name) / "bench.db"
    elif args.db.exists() and not args.reuse:
        parser.error(f"{args.db} exists: remove it, or pass --reuse to time the queries on it")
    report: dict[str, Any] = {"database": str(args.db)}
    if not args.reuse:
        report["build"] = build(args.db, args.mentions, args.seed, args.batch)
    report.update(measure(args.db, args.repeat))
    if tmp is not None and not args.keep:
        tmp.cleanup()
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    if "build" in report:
        b = report["build"]
        print(f"built {b['mentions']:,} mentions in {b['articles']:,} articles ({b['actors']} actors) in "
              f"{b['build_total_s']} s: generate {b['generate_s']} s, add_batch {b['insert_s']} s, "
              f"rebuild_facts {b['rebuild_facts_s']} s")
    c = report["counts"]
    print(f"{c['facts']:,} facts ({c['contested']:,} contested, {c['links']:,} link rows); mentions per "
          f"fact: median {c['mentions_per_fact']['median']}, p99 {c['mentions_per_fact']['p99']}, "
          f"max {c['mentions_per_fact']['max']}; database {report['db_mb']} MB")
    for label, t in report["queries"].items():
        print(f"  {label:<55} {t['median_ms']:>8.1f} ms (max {t['max_ms']:.1f})  {t['results']} results")


if __name__ == "__main__":
    main()
