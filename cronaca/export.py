"""Exports: stored records and facts as files that other tools read.

Why these formats: analysts live in pandas, DuckDB and Spark (flat CSV and Parquet tables), in
PLOVER-based pipelines (PLOVER-style JSON event records) and in GDELT tooling (a TSV shaped like the
GDELT 2.0 event table). ``jsonl`` keeps the contract's own records, losslessly.

Two granularities: ``export_mentions`` writes one row per event mention (every report, as GDELT
counts them); ``export_facts`` one row per fact (a happening once, with its number of mentions and
of independent sources). Both stream their input: rows are written as they come (Parquet buffers
one row group), never the whole set in memory. Output is atomic: everything goes to a temporary
file in OUT's folder which replaces OUT only when complete, so a failure mid-way leaves no partial
OUT and keeps an existing one intact.

The CAMEO root, quad class and Goldstein values are data: ``cronaca/lang/plover.yaml``.

GDELT differences, where our knowledge and GDELT's conventions do not meet:
- Actor country codes are CAMEO codes, ISO 3166-1 alpha-3 for most countries; the exceptions we
  know (Romania ROM, East Timor TMP) are translated. International bodies use CAMEO's IGO codes
  where plover.yaml lists them (UN = IGOUNO, known group UNO), plain ``IGO`` otherwise, and have
  no country code. Actor codes are country + our sector (GOV, MIL, …: CAMEO role codes already).
- EventCode and EventBaseCode are the root's base code ("040"): PLOVER keeps only the root.
- QuadClass follows GDELT's split by CAMEO root (root 16, reduce relations, is material
  conflict); the CSV/Parquet/PLOVER ``quad_class`` follows PLOVER's table (SANCTION is verbal).
- Geography: GDELT uses FIPS 10-4 country codes; plover.yaml maps the ones we know, others stay
  empty. We have no coordinates or ADM codes; ActionGeo_Type is 1 for a country, 4 for anything
  else named. Facts carry no place, so their geography is empty.
- SQLDATE is the event's own date at its granularity (day 01 for a month, 0101 for a year, the
  Monday of an ISO week), else the publication date. FractionDate = Year + ((month-1)*30 + day)/365
  as in GDELT's codebook. DATEADDED is the publication date (first seen, for facts) at 000000, since
  the store keeps no ingest time; AvgTone is empty; IsRootEvent is 1 for a mention in the lead
  paragraph, 0 for facts. SOURCEURL is the article URL, else its outlet, else its id.
- GLOBALEVENTID is a stable 63-bit integer hashed from the mention ("doc#event") or fact id.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import IO, Any

from . import __version__
from .lang import shared_data
from .model import Actor, Event, Fact, Record

FORMATS = ("jsonl", "csv", "parquet", "plover", "gdelt")
ROW_GROUP = 50_000  # Parquet rows per row group: what is buffered in memory at most
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{field}" for n in (1, 2) for field in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
        "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{geo}_{field}" for geo in ("Actor1Geo", "Actor2Geo", "ActionGeo") for field in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)
# flat table columns and their Parquet types (str, int, float, bool)
MENTION_COLUMNS: dict[str, str] = {
    "doc_id": "str", "published": "str", "outlet": "str", "url": "str", "event_id": "str",
    "type": "str", "mode": "str", "cameo_root": "str", "quad_class": "int",
    "source_name": "str", "source_country": "str", "source_sector": "str", "source_countries": "str",
    "target_name": "str", "target_country": "str", "target_sector": "str", "target_countries": "str",
    "date_value": "str", "date_mod": "str", "date_text": "str", "place_name": "str",
    "place_country": "str", "status": "str", "certainty": "str", "polarity": "str",
    "confidence": "float", "attribution": "str", "trigger_text": "str", "trigger_start": "int",
    "trigger_end": "int", "sentence_start": "int", "sentence_end": "int", "evidence": "str",
}
FACT_COLUMNS: dict[str, str] = {
    "fact_id": "str", "type": "str", "mode": "str", "cameo_root": "str", "quad_class": "int",
    "source_name": "str", "source_country": "str", "source_countries": "str",
    "target_name": "str", "target_country": "str", "target_countries": "str",
    "date_value": "str", "date_mod": "str", "first_seen": "str", "last_seen": "str",
    "n_mentions": "int", "n_articles": "int", "independent_sources": "int", "contested": "bool",
    "history": "str", "outlets": "str", "speakers": "str", "links": "str",
}
JOIN = ";"  # separator of list-valued cells
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2}))?")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n")
_SENTENCE_END = (".", "!", "?", "\u00bb", '"', "\u201d")
_TSV_UNSAFE = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


class ExportError(ValueError):
    """An export that cannot be made (unknown format, missing dependency)."""


# -- codes (plover.yaml) -----------------------------------------------------------------------
@dataclass(frozen=True)
class Codes:
    """PLOVER -> CAMEO/GDELT code tables, read once from ``cronaca/lang/plover.yaml``."""

    roots: dict[str, str]  # type -> default CAMEO root
    mode_roots: dict[tuple[str, str], str]  # (type, mode) -> CAMEO root
    quads: dict[str, int]  # type -> PLOVER quad class
    gdelt_quads: dict[str, int]  # root -> GDELT QuadClass
    goldstein: dict[str, float]  # root -> Goldstein value
    cameo_countries: dict[str, str]  # ISO3 -> CAMEO code where they differ
    gdelt_bodies: dict[str, tuple[str, str]]  # body code -> (GDELT actor code, known group)
    fips: dict[str, str]  # ISO3 -> FIPS 10-4
    countries: dict[str, dict[str, str]]  # ISO3 -> {iso2, name}
    bodies: frozenset[str]

    def cameo_root(self, event_type: str, mode: str | None) -> str | None:
        return self.mode_roots.get((event_type, mode or "")) or self.roots.get(event_type)


@cache
def codes() -> Codes:
    data = shared_data("plover")
    places = shared_data("countries")
    types = data["types"]
    gdelt = data["gdelt"]
    return Codes(
        roots={t: v["cameo"] for t, v in types.items()},
        mode_roots={(t, m): r for t, v in types.items() for m, r in (v.get("modes") or {}).items()},
        quads={t: int(v["quad"]) for t, v in types.items()},
        gdelt_quads={r: int(v["gdelt_quad"]) for r, v in data["cameo_roots"].items()},
        goldstein={r: float(v["goldstein"]) for r, v in data["cameo_roots"].items()},
        cameo_countries=dict(gdelt.get("cameo_countries") or {}),
        gdelt_bodies={b: (v["code"], v["group"]) for b, v in (gdelt.get("bodies") or {}).items()},
        fips=dict(gdelt.get("fips") or {}),
        countries={k: v for k, v in places.items() if k != "bodies"},
        bodies=frozenset(places.get("bodies") or ()),
    )


# -- small helpers -----------------------------------------------------------------------------
def _first(actors: list[Actor]) -> Actor | None:
    return actors[0] if actors else None


def _name(actor: Actor | None) -> str | None:
    return (actor.name or actor.text) if actor else None


def _countries(actors: list[Actor]) -> str:
    return JOIN.join(dict.fromkeys(a.country for a in actors if a.country))


def _evidence(record: Record, event: Event) -> str:
    return record.doc.text[event.sentence.start:event.sentence.end]


def mention_id(record: Record, event: Event) -> str:
    """The export id of one event mention: unique across articles."""
    return f"{record.doc.id}#{event.id}"


def stable_int(key: str) -> int:
    """A positive 63-bit integer from a string id: GLOBALEVENTID that survives re-exports."""
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") >> 1


def first_day(value: str | None) -> date | None:
    """The first day of an ISO 8601 value at its granularity ("2025" -> 2025-01-01)."""
    if not value:
        return None
    m = _ISO_DATE.match(value)
    if m is None:
        return None
    year, month, day, week = m.groups()
    try:
        if week:
            return date.fromisocalendar(int(year), int(week), 1)
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


# -- flat rows (CSV, Parquet) ------------------------------------------------------------------
def mention_rows(records: Iterable[Record]) -> Iterator[dict[str, Any]]:
    """One flat row per event of each record (``MENTION_COLUMNS``)."""
    c = codes()
    for record in records:
        doc = record.doc
        for e in record.events:
            src, tgt = _first(e.source), _first(e.target)
            root = c.cameo_root(e.type, e.mode)
            yield {
                "doc_id": doc.id, "published": doc.published, "outlet": doc.source, "url": doc.url,
                "event_id": e.id, "type": e.type, "mode": e.mode, "cameo_root": root,
                "quad_class": c.quads.get(e.type),
                "source_name": _name(src), "source_country": src.country if src else None,
                "source_sector": src.sector if src else None, "source_countries": _countries(e.source),
                "target_name": _name(tgt), "target_country": tgt.country if tgt else None,
                "target_sector": tgt.sector if tgt else None, "target_countries": _countries(e.target),
                "date_value": e.date.value if e.date else None,
                "date_mod": e.date.mod if e.date else None,
                "date_text": e.date.text if e.date else None,
                "place_name": e.place.name if e.place else None,
                "place_country": e.place.country if e.place else None,
                "status": e.status, "certainty": e.certainty, "polarity": e.polarity,
                "confidence": round(e.confidence, 3),
                "attribution": JOIN.join(s.name for s in e.attribution),
                "trigger_text": e.trigger.text, "trigger_start": e.trigger.start,
                "trigger_end": e.trigger.end, "sentence_start": e.sentence.start,
                "sentence_end": e.sentence.end, "evidence": _evidence(record, e),
            }


def fact_rows(facts: Iterable[Fact]) -> Iterator[dict[str, Any]]:
    """One flat row per fact (``FACT_COLUMNS``); history reads "alleged@2024;confirmed@2025-04"."""
    c = codes()
    for f in facts:
        src, tgt = _first(f.source), _first(f.target)
        yield {
            "fact_id": f.id, "type": f.type, "mode": f.mode, "cameo_root": c.cameo_root(f.type, f.mode),
            "quad_class": c.quads.get(f.type),
            "source_name": _name(src), "source_country": src.country if src else None,
            "source_countries": _countries(f.source),
            "target_name": _name(tgt), "target_country": tgt.country if tgt else None,
            "target_countries": _countries(f.target),
            "date_value": f.date.value if f.date else None, "date_mod": f.date.mod if f.date else None,
            "first_seen": f.first_seen, "last_seen": f.last_seen,
            "n_mentions": len(f.mentions), "n_articles": len({m.doc for m in f.mentions}),
            "independent_sources": f.independent, "contested": f.contested,
            "history": JOIN.join(f"{h.status}@{h.date or ''}" for h in f.history),
            "outlets": JOIN.join(f.outlets), "speakers": JOIN.join(f.speakers),
            "links": JOIN.join(f"{link.rel}:{link.fact}" for link in f.links),
        }


# -- PLOVER-style records ----------------------------------------------------------------------
def _plover_actors(actors: list[Actor]) -> list[dict[str, Any]]:
    """PLOVER actor objects (actorText, code, sector): code is ISO3, ``IGO`` for a body."""
    c = codes()
    out = []
    for a in actors:
        code = a.country if a.country in c.countries else "IGO" if a.country in c.bodies else ""
        item: dict[str, Any] = {"actorText": a.text, "code": code}
        if a.sector:
            item["sector"] = a.sector
        if a.name:
            item["actorName"] = a.name
        out.append(item)
    return out


def plover_mention(record: Record, event: Event) -> dict[str, Any]:
    """One event mention as a PLOVER-style record (field names of PLOVER's gold records), plus
    cronaca's extensions: status, certainty, polarity, confidence, attribution, cameo, quadClass."""
    c = codes()
    doc = record.doc
    item: dict[str, Any] = {
        "id": mention_id(record, event),
        "date": (event.date.value if event.date and event.date.value else doc.published) or "",
        "source": _plover_actors(event.source), "target": _plover_actors(event.target),
        "event": event.type, "mode": event.mode or "", "context": "",
        "eventText": event.trigger.text,
    }
    if event.place:
        loc: dict[str, Any] = {"name": event.place.name}
        iso2 = c.countries.get(event.place.country or "", {}).get("iso2")
        if iso2:
            loc["country code"] = iso2
        item["eventLoc"] = loc
    item.update({
        "text": _evidence(record, event), "language": doc.lang, "publication": doc.source or "",
        "url": doc.url, "coder": "cronaca", "version": __version__,
        "status": event.status, "certainty": event.certainty, "polarity": event.polarity,
        "confidence": round(event.confidence, 3),
        "attribution": [{"name": s.name, "cue": s.cue} for s in event.attribution],
        "cameo": c.cameo_root(event.type, event.mode), "quadClass": c.quads.get(event.type),
    })
    return item


def plover_fact(fact: Fact) -> dict[str, Any]:
    """One fact as a PLOVER-style record, with its mention count, sources, history and contest."""
    c = codes()
    return {
        "id": fact.id, "date": (fact.date.value if fact.date and fact.date.value else fact.first_seen) or "",
        "dateMod": fact.date.mod if fact.date else None,
        "source": _plover_actors(fact.source), "target": _plover_actors(fact.target),
        "event": fact.type, "mode": fact.mode or "", "context": "",
        "coder": "cronaca", "version": __version__,
        "cameo": c.cameo_root(fact.type, fact.mode), "quadClass": c.quads.get(fact.type),
        "mentions": len(fact.mentions), "articles": len({m.doc for m in fact.mentions}),
        "sources": {"outlets": fact.outlets, "speakers": fact.speakers, "independent": fact.independent},
        "history": [{"status": h.status, "date": h.date, "by": h.by} for h in fact.history],
        "contested": fact.contested, "firstSeen": fact.first_seen, "lastSeen": fact.last_seen,
        "links": [{"rel": link.rel, "fact": link.fact} for link in fact.links],
    }


# -- GDELT 2.0 event rows ----------------------------------------------------------------------
def _gdelt_actor(actor: Actor | None) -> list[str]:
    """The 10 GDELT actor columns: Code, Name, CountryCode, KnownGroupCode, Ethnic, Religion1,
    Religion2, Type1, Type2, Type3."""
    if actor is None:
        return [""] * 10
    c = codes()
    sector = actor.sector or ""
    country = group = ""
    if actor.country in c.countries:
        country = c.cameo_countries.get(actor.country, actor.country)
        code = country + sector
    elif actor.country in c.gdelt_bodies:
        code, group = c.gdelt_bodies[actor.country]
        sector = "IGO"
    elif actor.country:
        code = sector = "IGO"
    else:
        code = sector
    return [code, (_name(actor) or "").upper(), country, group, "", "", "", sector, "", ""]


def _gdelt_dates(day: date | None) -> list[str]:
    if day is None:
        return ["", "", "", ""]
    fraction = day.year + ((day.month - 1) * 30 + day.day) / 365
    return [day.strftime("%Y%m%d"), day.strftime("%Y%m"), str(day.year), f"{fraction:.4f}"]


def _gdelt_event(event_type: str, mode: str | None) -> list[str]:
    """EventCode, EventBaseCode, EventRootCode, QuadClass, GoldsteinScale."""
    c = codes()
    root = c.cameo_root(event_type, mode)
    if root is None:
        return ["", "", "", "", ""]
    return [root + "0", root + "0", root, str(c.gdelt_quads[root]), str(c.goldstein[root])]


def _gdelt_geo(name: str | None, country: str | None) -> list[str]:
    """The 8 geography columns (Type, FullName, CountryCode, ADM1, ADM2, Lat, Long, FeatureID)."""
    if not name:
        return [""] * 8
    c = codes()
    known = c.countries.get(country or "")
    is_country = known is not None and known.get("name", "").casefold() == name.casefold()
    full = name if is_country or known is None else f"{name}, {known.get('name')}"
    return ["1" if is_country else "4", full, c.fips.get(country or "", ""), "", "", "", "", ""]


def _added(published: str | None) -> str:
    day = first_day(published)
    return day.strftime("%Y%m%d000000") if day else ""


def _lead_end(text: str) -> int:
    """Where the lead paragraph ends (GDELT's IsRootEvent): the first paragraph, or the second
    when the first is a title line (one line without a sentence end)."""
    first = _PARAGRAPH_BREAK.search(text, len(text) - len(text.lstrip()))
    if first is None:
        return len(text)
    head = text[:first.start()].strip()
    if "\n" in head or head.endswith(_SENTENCE_END):
        return first.start()
    second = _PARAGRAPH_BREAK.search(text, first.end())
    return second.start() if second else len(text)


def gdelt_mention_rows(records: Iterable[Record]) -> Iterator[list[str]]:
    """One 61-column GDELT row per event mention (NumMentions = NumSources = NumArticles = 1)."""
    for record in records:
        doc = record.doc
        lead = _lead_end(doc.text)
        for e in record.events:
            day = first_day(e.date.value if e.date else None) or first_day(doc.published)
            place = e.place
            yield [
                str(stable_int(mention_id(record, e))), *_gdelt_dates(day),
                *_gdelt_actor(_first(e.source)), *_gdelt_actor(_first(e.target)),
                "1" if e.sentence.start < lead else "0", *_gdelt_event(e.type, e.mode),
                "1", "1", "1", "", *([""] * 16),
                *_gdelt_geo(place.name if place else None, place.country if place else None),
                _added(doc.published), doc.url or doc.source or doc.id,
            ]


def gdelt_fact_rows(facts: Iterable[Fact]) -> Iterator[list[str]]:
    """One 61-column GDELT row per fact: NumMentions = its mentions, NumSources = its independent
    sources, NumArticles = its distinct articles."""
    for f in facts:
        day = first_day(f.date.value if f.date else None) or first_day(f.first_seen)
        earliest = min(f.mentions, key=lambda m: (m.published or "9999", m.doc), default=None)
        url = (earliest.outlet or earliest.doc) if earliest else ""
        yield [
            str(stable_int(f.id)), *_gdelt_dates(day),
            *_gdelt_actor(_first(f.source)), *_gdelt_actor(_first(f.target)),
            "0", *_gdelt_event(f.type, f.mode),
            str(len(f.mentions)), str(f.independent), str(len({m.doc for m in f.mentions})), "",
            *([""] * 24), _added(f.first_seen), url,
        ]


# -- writing -----------------------------------------------------------------------------------
@contextmanager
def atomic_path(out: str | Path) -> Iterator[Path]:
    """A temporary path beside ``out`` that replaces ``out`` only if the block completes."""
    out = Path(out)
    tmp = out.parent / f".{out.name}.{secrets.token_hex(6)}.part"
    tmp.open("xb").close()  # claim the name; created with the usual permissions (umask)
    try:
        yield tmp
        with tmp.open("rb") as fh:  # on disk before it takes OUT's name
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def _text_out(out: str | Path) -> Iterator[IO[str]]:
    with atomic_path(out) as tmp:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            yield fh


def _write_json_lines(items: Iterable[dict[str, Any]], out: str | Path) -> int:
    n = 0
    with _text_out(out) as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
            n += 1
    return n


def _write_csv(rows: Iterable[dict[str, Any]], columns: dict[str, str], out: str | Path) -> int:
    n = 0
    with _text_out(out) as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


def _write_tsv(rows: Iterable[list[str]], out: str | Path, header: bool) -> int:
    n = 0
    with _text_out(out) as fh:
        if header:
            fh.write("\t".join(GDELT_COLUMNS) + "\n")
        for row in rows:
            fh.write("\t".join(cell.translate(_TSV_UNSAFE) for cell in row) + "\n")
            n += 1
    return n


def _write_parquet(rows: Iterable[dict[str, Any]], columns: dict[str, str], out: str | Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ExportError("parquet export needs pyarrow (pip install pyarrow)") from None
    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([(name, types[kind]) for name, kind in columns.items()])
    n = 0
    with atomic_path(out) as tmp:
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            batch: list[dict[str, Any]] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= ROW_GROUP:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    n += len(batch)
                    batch.clear()
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
    return n


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (choose from: {', '.join(FORMATS)})")


def export_mentions(records: Iterable[Record], fmt: str, out: str | Path, header: bool = False) -> int:
    """Write one item per event mention of ``records`` (``jsonl``: one record per article) to
    ``out`` atomically; returns how many lines/rows were written. ``header`` adds GDELT's column
    names as a first line (the other tabular formats always have one)."""
    _check(fmt)
    writers: dict[str, Callable[[], int]] = {
        "jsonl": lambda: _write_json_lines((r.to_dict() for r in records), out),
        "csv": lambda: _write_csv(mention_rows(records), MENTION_COLUMNS, out),
        "parquet": lambda: _write_parquet(mention_rows(records), MENTION_COLUMNS, out),
        "plover": lambda: _write_json_lines(
            (plover_mention(r, e) for r in records for e in r.events), out),
        "gdelt": lambda: _write_tsv(gdelt_mention_rows(records), out, header),
    }
    return writers[fmt]()


def export_facts(facts: Iterable[Fact], fmt: str, out: str | Path, header: bool = False) -> int:
    """Write one item per fact to ``out`` atomically; returns how many were written."""
    _check(fmt)
    writers: dict[str, Callable[[], int]] = {
        "jsonl": lambda: _write_json_lines((f.to_dict() for f in facts), out),
        "csv": lambda: _write_csv(fact_rows(facts), FACT_COLUMNS, out),
        "parquet": lambda: _write_parquet(fact_rows(facts), FACT_COLUMNS, out),
        "plover": lambda: _write_json_lines((plover_fact(f) for f in facts), out),
        "gdelt": lambda: _write_tsv(gdelt_fact_rows(facts), out, header),
    }
    return writers[fmt]()
