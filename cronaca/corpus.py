"""The project's own annotated corpus: reading, span resolution and validation.

Annotators write spans as strings of the sentence (``"Kim#2"`` for a later occurrence, see
``corpus/GUIDELINES.md``); this module turns them into character offsets once, checks every
code against the contract, and hands the trainers and the evaluator typed sentences. Problems are
reported as ``FILE:LINE: reason`` so an annotation batch can be fixed where it is wrong.
"""
from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from cronaca.lang import shared_data
from cronaca.model import EVENT_TYPES, STATUSES

ENTITY_TYPES = ("PER", "LOC", "ORG", "NORP")
SECTORS = ("GOV", "MIL", "MED", "IGO", "REB", "CVL", "BUS", "OPP", "JUD", "LEG")
KINDS = ("person", "organization", "state", "group")
MODS = ("START", "MID", "END", "APPROX")
SPLITS = ("train", "dev", "test")
_OCCURRENCE = re.compile(r"^(.*?)#(\d+)$", re.S)
_DATE_VALUE = re.compile(r"^\d{4}(-(\d{2}(-\d{2})?|W\d{2}|Q[1-4]))?$")
_PUBLISHED = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class CorpusError(ValueError):
    """An annotation that does not fit the guidelines, with its file and line."""


@cache
def actor_codes() -> frozenset[str]:
    """Every country and international-body code an actor may carry."""
    data = shared_data("countries")
    return frozenset(k for k in data if k != "bodies") | frozenset(data.get("bodies", {}))


@dataclass(slots=True)
class CorpusActor:
    start: int | None  # None: not named in the sentence
    end: int | None
    name: str | None
    country: str | None
    sector: str | None
    kind: str | None


@dataclass(slots=True)
class CorpusEvent:
    type: str
    alt: list[str]
    mode: str | None
    trigger: tuple[int, int]
    source: CorpusActor | None
    target: CorpusActor | None
    status: str
    attribution: list[str]
    date: str | None
    place: str | None
    optional: bool


@dataclass(slots=True)
class CorpusSentence:
    id: str
    doc: str
    published: str | None
    text: str
    entities: list[tuple[int, int, str]] = field(default_factory=list)
    events: list[CorpusEvent] = field(default_factory=list)
    timexes: list[tuple[int, int, str | None, str | None]] = field(default_factory=list)
    origin: str = ""  # "wikinews" or "written"
    line: int = 0
    file: str = ""


def find_span(text: str, ref: str) -> tuple[int, int]:
    """Offsets of ``ref`` in ``text``: the first occurrence, or the n-th for ``"words#n"``."""
    nth = 1
    m = _OCCURRENCE.match(ref)
    if m and m.group(1) and ref not in text:  # "canale #2" written in the text stays literal
        ref, nth = m.group(1), int(m.group(2))
    if not ref.strip():
        raise ValueError("empty span")
    start = -1
    for _ in range(nth):
        start = text.find(ref, start + 1)
        if start < 0:
            raise ValueError(f"{ref!r} (occurrence {nth}) is not in the text")
    return start, start + len(ref)


def _actor(text: str, raw: Any, where: str) -> CorpusActor | None:
    if raw is None:
        return None
    if isinstance(raw, list):  # several actors: the first one is the event's actor
        if not raw:
            return None
        raw = raw[0]
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: an actor is an object or null")
    span_text = raw.get("text") or ""
    start = end = None
    if span_text:
        start, end = find_span(text, span_text)
    country, sector, kind = raw.get("country"), raw.get("sector"), raw.get("kind")
    if country is not None and country not in actor_codes():
        raise ValueError(f"{where}: unknown country code {country!r}")
    if sector is not None and sector not in SECTORS:
        raise ValueError(f"{where}: unknown sector {sector!r}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"{where}: unknown kind {kind!r}")
    name = raw.get("name") or (text[start:end] if start is not None else None)
    return CorpusActor(start, end, name, country, sector, kind)


def _event(text: str, raw: dict) -> CorpusEvent:
    if not isinstance(raw, dict):
        raise ValueError("an event is an object")
    etype = raw.get("type")
    if etype not in EVENT_TYPES:
        raise ValueError(f"unknown event type {etype!r}")
    alt = raw.get("alt") or []
    bad = [t for t in alt if t not in EVENT_TYPES]
    if bad:
        raise ValueError(f"unknown alternative types {bad}")
    status = raw.get("status")
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    trigger = find_span(text, raw.get("trigger") or "")
    attribution = []
    for item in raw.get("attribution") or []:
        if isinstance(item, str):
            attribution.append(item)
        elif isinstance(item, dict) and (item.get("name") or item.get("text")):
            attribution.append(item.get("name") or item.get("text"))
        else:
            raise ValueError("an attribution item is a name or an object with a name")
    if status == "reported" and not attribution:
        raise ValueError("a reported event names its source in attribution")
    date = raw.get("date")
    if date is not None and not _DATE_VALUE.match(str(date)):
        raise ValueError(f"date {date!r} is not an ISO value")
    place = raw.get("place")
    if place:
        find_span(text, place)
    return CorpusEvent(
        type=etype, alt=list(alt), mode=raw.get("mode"), trigger=trigger,
        source=_actor(text, raw.get("source"), "source"),
        target=_actor(text, raw.get("target"), "target"),
        status=status, attribution=attribution, date=date, place=place or None,
        optional=bool(raw.get("optional")))


def parse_sentence(raw: dict, origin: str = "") -> CorpusSentence:
    """One annotated line as a typed sentence; ``ValueError`` says what is wrong."""
    for key in ("id", "doc", "text"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ValueError(f"missing {key!r}")
    text = raw["text"]
    published = raw.get("published")
    if published is not None and not _PUBLISHED.match(str(published)):
        raise ValueError(f"published {published!r} is not YYYY-MM-DD")
    entities = []
    for item in raw.get("entities") or []:
        if not (isinstance(item, list) and len(item) == 2 and item[1] in ENTITY_TYPES):
            raise ValueError(f"entity {item!r} is not [string, PER|LOC|ORG|NORP]")
        start, end = find_span(text, item[0])
        entities.append((start, end, item[1]))
    if len({(s, e) for s, e, _ in entities}) != len(entities):
        raise ValueError("the same entity span is annotated twice")
    timexes = []
    for item in raw.get("timexes") or []:
        if not (isinstance(item, list) and 2 <= len(item) <= 3):
            raise ValueError(f"timex {item!r} is not [string, value, mod]")
        value, mod = item[1], item[2] if len(item) == 3 else None
        if value is not None and not _DATE_VALUE.match(str(value)):
            raise ValueError(f"timex value {value!r} is not an ISO value")
        if mod is not None and mod not in MODS:
            raise ValueError(f"timex mod {mod!r} is not one of {MODS}")
        start, end = find_span(text, item[0])
        timexes.append((start, end, value, mod))
    events = []
    for i, ev in enumerate(raw.get("events") or []):
        try:
            events.append(_event(text, ev))
        except ValueError as exc:
            raise ValueError(f"event {i + 1}: {exc}") from None
    return CorpusSentence(id=raw["id"], doc=raw["doc"], published=published, text=text,
                          entities=entities, events=events, timexes=timexes,
                          origin=raw.get("origin") or origin)


def _parsed_lines(path: Path, origin: str = "") -> Iterator[tuple[str, CorpusSentence | str]]:
    """Each non-blank line of a file as ``(FILE:LINE, sentence)``, or ``(FILE:LINE, reason)``."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                sentence = parse_sentence(json.loads(line), origin)
            except (ValueError, TypeError) as exc:
                yield where, str(exc)
                continue
            sentence.line, sentence.file = lineno, str(path)
            yield where, sentence


def read_file(path: str | Path, origin: str = "") -> Iterator[CorpusSentence]:
    """Sentences of one corpus file; the first bad line raises ``CorpusError`` with its place."""
    for where, parsed in _parsed_lines(Path(path), origin):
        if isinstance(parsed, str):
            raise CorpusError(f"{where}: {parsed}")
        yield parsed


def validate(paths: Iterable[str | Path]) -> list[str]:
    """Every problem in the given files, as ``FILE:LINE: reason`` lines (empty: all good)."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        for where, parsed in _parsed_lines(Path(path)):
            if isinstance(parsed, str):
                problems.append(f"{where}: {parsed}")
                continue
            if parsed.id in seen:
                problems.append(f"{where}: id {parsed.id!r} already used at {seen[parsed.id]}")
            seen[parsed.id] = where
    return problems


CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"


def corpus_files(root: Path = CORPUS_DIR) -> list[Path]:
    """The annotated files of the corpus, in a fixed order."""
    return sorted((root / "data").glob("*.jsonl"))


def load_corpus(root: Path = CORPUS_DIR) -> list[CorpusSentence]:
    """Every sentence of the corpus; the origin is taken from the file name's prefix."""
    sentences: list[CorpusSentence] = []
    for path in corpus_files(root):
        origin = "wikinews" if path.name.startswith("wn") else "written"
        sentences.extend(read_file(path, origin))
    return sentences


def split_of(doc: str) -> str:
    """The fixed split of a document: a stable hash of its id, 80/10/10."""
    import zlib

    bucket = zlib.crc32(doc.encode("utf-8")) % 10
    return "test" if bucket == 0 else "dev" if bucket == 1 else "train"


def counts(sentences: Iterable[CorpusSentence]) -> dict[str, Any]:
    """Sentences, events by type and status, empty sentences: the figures the corpus README gives."""
    from collections import Counter

    by_type: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    n_sentences = n_empty = 0
    for s in sentences:
        n_sentences += 1
        n_empty += not s.events
        for e in s.events:
            by_type[e.type] += 1
            by_status[e.status] += 1
    return {"sentences": n_sentences, "no_event": n_empty, "events": sum(by_type.values()),
            "types": dict(sorted(by_type.items())), "statuses": dict(sorted(by_status.items()))}


def agreement(first: Iterable[CorpusSentence], second: Iterable[CorpusSentence]) -> dict[str, Any]:
    """Inter-annotator agreement over the sentences both annotated: entity spans (exact, typed),
    event triggers (overlapping), trigger and type, and on the events both found, status and the
    countries of source and target; Cohen's kappa for "the sentence has an event"."""
    a = {s.id: s for s in first}
    b = {s.id: s for s in second}
    shared = sorted(a.keys() & b.keys())
    ent = [0, 0, 0]  # both, only first, only second
    trig = [0, 0, 0]
    typed = [0, 0, 0]
    status = source = target = paired = 0
    has = [[0, 0], [0, 0]]
    for sid in shared:
        x, y = a[sid], b[sid]
        ex, ey = set(x.entities), set(y.entities)
        ent[0] += len(ex & ey)
        ent[1] += len(ex - ey)
        ent[2] += len(ey - ex)
        has[bool(x.events)][bool(y.events)] += 1
        used: set[int] = set()
        for e in x.events:
            match = next((j for j, f in enumerate(y.events) if j not in used
                          and e.trigger[0] < f.trigger[1] and f.trigger[0] < e.trigger[1]), None)
            if match is None:
                continue
            used.add(match)
            f = y.events[match]
            paired += 1
            typed[0] += e.type == f.type or e.type in f.alt or f.type in e.alt
            status += e.status == f.status
            source += _country(e.source) == _country(f.source)
            target += _country(e.target) == _country(f.target)
        trig[0] += len(used)
        trig[1] += len(x.events) - len(used)
        trig[2] += len(y.events) - len(used)
        typed[1] += len(x.events) - len(used)
        typed[2] += len(y.events) - len(used)
    typed[1] += paired - typed[0]
    typed[2] += paired - typed[0]
    n = len(shared)
    observed = (has[0][0] + has[1][1]) / n if n else 0.0
    p_first, p_second = (has[1][0] + has[1][1]) / n if n else 0.0, (has[0][1] + has[1][1]) / n if n else 0.0
    expected = p_first * p_second + (1 - p_first) * (1 - p_second)
    return {"sentences": n, "entities_f1": _f1(*ent), "triggers_f1": _f1(*trig),
            "trigger_type_f1": _f1(*typed), "events_paired": paired,
            "status_agreement": round(status / paired, 3) if paired else None,
            "source_country_agreement": round(source / paired, 3) if paired else None,
            "target_country_agreement": round(target / paired, 3) if paired else None,
            "has_event_kappa": round((observed - expected) / (1 - expected), 3) if expected < 1 else None}


def _country(actor: CorpusActor | None) -> str | None:
    return actor.country if actor else None


def _f1(both: int, only_first: int, only_second: int) -> float | None:
    total = 2 * both + only_first + only_second
    return round(2 * both / total, 3) if total else None


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("validate", "stats", "agreement"):
        print("usage: python -m cronaca.corpus validate|stats FILE... | agreement FIRST SECOND",
              file=sys.stderr)
        return 2
    if argv[0] == "agreement":
        if len(argv) != 3:
            print("usage: python -m cronaca.corpus agreement FIRST SECOND", file=sys.stderr)
            return 2
        first, second = (list(read_file(path)) for path in argv[1:3])
        print(json.dumps(agreement(first, second), indent=1))
        return 0
    if argv[0] == "stats":
        sentences = [s for path in argv[1:] for s in read_file(path)]
        print(json.dumps(counts(sentences), indent=1))
        return 0
    problems = validate(argv[1:])
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
