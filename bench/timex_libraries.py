"""Compare date extraction/normalisation: cronaca's TimexTagger, dateparser, Recognizers-Text.

Gold: the Microsoft Recognizers-Text datetime spec files (Italian, and English for contrast)
in ``../shared/data/recognizers-text-datetime-specs`` and the seed articles' gold timexes.

    .venv/bin/python bench/timex_libraries.py [--rt-python /tmp/rtvenv/bin/python]

Recognizers-Text is not a project dependency: install ``recognizers-text-suite`` into a
separate venv and pass its interpreter with ``--rt-python`` (or ``RT_PYTHON``); the script runs
itself there as a worker. A library that is not installed is skipped. Results are written to
``bench/results/timex_libraries.md``.

Scoring: a system span matches a gold span when they overlap (each used once); precision,
recall and F1 count matched spans. Value accuracy is over matched spans whose gold has a value:
our values must equal the gold ISO value (or one of its past/future readings); dateparser and
Recognizers-Text return day-precision dates, which are truncated to the gold's granularity
before comparing (generous to them). A gold range that is exactly one calendar year, decade,
month or ISO week also accepts its ISO value ("1970-01-01/1980-01-01" → "197").
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SPECS = SHARED / "data" / "recognizers-text-datetime-specs"
SPEC_FILES = ("DateExtractor", "DatePeriodExtractor", "DateParser", "DatePeriodParser")
DEFAULT_REFERENCE = "2016-11-07"  # the reference date of the Recognizers-Text specs
CULTURES = {"it": "it-it", "en": "en-us"}

Span = tuple[int, int, list[str]]  # start, end, candidate values


@dataclass
class Case:
    text: str
    reference: str  # publication / reference date, "YYYY-MM-DD" or "YYYY-MM"
    gold: list[tuple[int, int, set[str] | None]]  # None: extraction-only gold


@dataclass
class Score:
    cases: int = 0
    gold: int = 0
    system: int = 0
    matched: int = 0
    exact: int = 0
    comparable: int = 0
    correct: int = 0
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def row(self, name: str) -> str:
        p = self.matched / self.system if self.system else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        value = f"{self.correct}/{self.comparable} ({self.correct / self.comparable:.0%})" \
            if self.comparable else "–"
        speed = f"{self.gold / self.seconds:,.0f}" if self.seconds else "–"
        return (f"| {name} | {self.gold} | {self.system} | {p:.2f} | {r:.2f} | {f:.2f} | "
                f"{self.exact / self.gold if self.gold else 0:.2f} | {value} | {self.seconds:.2f} | "
                f"{speed} |")


# -- gold -----------------------------------------------------------------------------------------

def _fill(timex: str, day: str) -> str | None:
    """A spec timex with unknown parts (``XXXX-11``) made concrete from a resolution date."""
    if re.fullmatch(r"[\dX]{4}", timex):
        return day[:4]
    if re.fullmatch(r"[\dX]{4}-[\dX]{2}", timex):
        return day[:7]
    if re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}", timex) or re.fullmatch(r"[\dX]{4}-WXX-\d", timex):
        return day[:10]
    if re.fullmatch(r"[\dX]{4}-W[\dX]{2}", timex):
        iso = date.fromisoformat(day[:10]).isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    if re.fullmatch(r"[\dX]{4}-(SP|SU|FA|WI)", timex):
        return day[:4] + timex[4:]
    return None


def _iso_period(start: str, end: str) -> str | None:
    """A resolution range that is exactly one calendar unit, as the ISO value TIMEX3 uses for it
    ("1970-01-01/1980-01-01" → "197")."""
    try:
        a, b = date.fromisoformat(start[:10]), date.fromisoformat(end[:10])
    except ValueError:
        return None
    if a.month == a.day == b.month == b.day == 1:
        if b.year - a.year == 1:
            return f"{a.year}"
        if b.year - a.year == 10 and a.year % 10 == 0:
            return f"{a.year // 10}"
    if a.day == b.day == 1 and (b.year * 12 + b.month) - (a.year * 12 + a.month) == 1:
        return f"{a.year}-{a.month:02d}"
    if a.isoweekday() == 1 and (b - a).days == 7:
        iso = a.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    return None


def _acceptable(value: dict) -> set[str]:
    timex = value.get("Timex") or ""
    out: set[str] = set()
    if timex and "X" not in timex and not timex.startswith("("):
        out.add(timex)
    for key in ("PastResolution", "FutureResolution"):
        res = value.get(key) or {}
        if res.get("startDate") and res.get("endDate"):
            out.add(f"{res['startDate']}/{res['endDate']}")
            period = _iso_period(res["startDate"], res["endDate"])
            if period:
                out.add(period)
        if timex.startswith("("):
            continue
        if res.get("date") or res.get("startDate"):
            filled = _fill(timex, res.get("date") or res["startDate"])
            if filled:
                out.add(filled)
    return out


def load_spec(path: Path) -> list[Case]:
    cases = []
    for item in json.loads(path.read_text(encoding="utf-8-sig")):
        ref = ((item.get("Context") or {}).get("ReferenceDateTime") or DEFAULT_REFERENCE)[:10]
        gold = [(r["Start"], r["Start"] + r["Length"],
                 _acceptable(r["Value"]) if "Value" in r else None)
                for r in item.get("Results") or [] if "Start" in r]
        cases.append(Case(item["Input"], ref, gold))
    return cases


def load_seeds() -> list[Case]:
    cases = []
    for line in (SHARED / "data" / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line) if line.strip() else {}
        if "timexes" not in item or "file" not in item:
            continue
        text = (SHARED / "seeds" / item["file"]).read_text(encoding="utf-8")
        header = re.match(r"\s*date\s+(\d{4}(?:-\d{2}){0,2})\s+", text)
        if header:
            text = text[header.end():]
        gold, cursor = [], {}
        for t in item["timexes"]:
            start = text.find(t["text"], cursor.get(t["text"], 0))
            cursor[t["text"]] = start + 1
            gold.append((start, start + len(t["text"]), {t["value"]} if t["value"] else set()))
        cases.append(Case(text, item.get("published") or header.group(1), gold))
    return cases


# -- systems --------------------------------------------------------------------------------------

def _reference_datetime(reference: str) -> datetime:
    parts = [int(p) for p in reference.split("-")] + [15, 15]
    return datetime(parts[0], parts[1], parts[2] if reference.count("-") == 2 else 15)


def run_cronaca(cases: list[Case], lang: str) -> tuple[list[list[Span]], float]:
    from cronaca.document import Document
    from cronaca.lang import get_language
    from cronaca.stages.segment import Segmenter
    from cronaca.stages.timex import TimexTagger

    language = get_language(lang)
    segment, tag = Segmenter(language), TimexTagger(language)
    out = []
    start = time.perf_counter()
    for case in cases:
        doc = tag(segment(Document(text=case.text, lang=lang, published=case.reference)))
        out.append([(t.start, t.end, [t.value] if t.value else []) for t in doc.timexes])
    return out, time.perf_counter() - start


def run_dateparser(cases: list[Case], lang: str) -> tuple[list[list[Span]], float] | None:
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None
    out = []
    start = time.perf_counter()
    for case in cases:
        found = search_dates(case.text, languages=[lang], settings={
            "RELATIVE_BASE": _reference_datetime(case.reference), "PREFER_DATES_FROM": "past"}) or []
        spans, cursor = [], 0
        for text, when in found:
            at = case.text.find(text, cursor)
            if at < 0:
                at = case.text.find(text)
            cursor = at + len(text)
            spans.append((at, at + len(text), [when.date().isoformat()]))
        out.append(spans)
    return out, time.perf_counter() - start


def rt_worker(culture: str) -> None:
    """Runs inside the Recognizers-Text venv: cases on stdin, spans and timing on stdout."""
    from recognizers_date_time import DateTimeRecognizer

    recognizer = DateTimeRecognizer()
    try:
        recognizer.get_datetime_model(culture, fallback_to_default_culture=False)
        native, error = True, ""
    except ValueError as exc:
        native, error = False, str(exc)
    model = recognizer.get_datetime_model(culture, fallback_to_default_culture=True)
    cases = json.load(sys.stdin)
    results = []
    start = time.perf_counter()
    for case in cases:
        ref = datetime.fromisoformat(case["reference"] if case["reference"].count("-") == 2
                                     else case["reference"] + "-15")
        spans = []
        for r in model.parse(case["text"], ref):
            values = []
            for v in (r.resolution or {}).get("values", []):
                if "start" in v and "end" in v:
                    values.append(f"{v['start'][:10]}/{v['end'][:10]}")
                values.extend(x for x in (v.get("timex"), v.get("value"), v.get("start")) if x)
            spans.append((r.start, r.end + 1, values))
        results.append(spans)
    json.dump({"results": results, "seconds": time.perf_counter() - start, "native": native,
               "error": error}, sys.stdout)


def run_rt(cases: list[Case], lang: str, python: str | None) -> tuple[list[list[Span]], float, dict] | None:
    if not python:
        return None
    payload = json.dumps([{"text": c.text, "reference": c.reference} for c in cases])
    proc = subprocess.run([python, __file__, "--rt-worker", CULTURES[lang]], input=payload,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(f"recognizers-text worker failed: {proc.stderr[-500:]}", file=sys.stderr)
        return None
    data = json.loads(proc.stdout)
    return data["results"], data["seconds"], {"native": data["native"], "error": data["error"]}


# -- scoring --------------------------------------------------------------------------------------

def _truncate_like(value: str, gold: str) -> str | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    if re.fullmatch(r"\d{4}", gold):
        return value[:4]
    if re.fullmatch(r"\d{4}-\d{2}", gold):
        return value[:7]
    if re.fullmatch(r"\d{4}-W\d{2}", gold):
        iso = date.fromisoformat(value).isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    return None


def _value_ok(values: list[str], acceptable: set[str], lenient: bool) -> bool:
    if not acceptable:  # gold value null (unresolvable): right only if the system gives none
        return not values
    for v in values:
        if v in acceptable:
            return True
        if lenient and any(_truncate_like(v, g) in acceptable for g in acceptable):
            return True
    return False


def score(cases: list[Case], outputs: list[list[Span]], seconds: float, lenient: bool) -> Score:
    s = Score(cases=len(cases), seconds=seconds)
    for case, spans in zip(cases, outputs):
        s.gold += len(case.gold)
        s.system += len(spans)
        free = list(spans)
        for start, end, acceptable in case.gold:
            hit = next((sp for sp in free if sp[0] < end and start < sp[1]), None)
            if hit is None:
                s.misses.append(case.text[start:end])
                continue
            free.remove(hit)
            s.matched += 1
            s.exact += (hit[0], hit[1]) == (start, end)
            if acceptable is not None:
                s.comparable += 1
                s.correct += _value_ok(hit[2], acceptable, lenient)
    return s


def throughput_section(articles: list[Case]) -> list[str]:
    """Whole articles (the seeds, repeated): what the pipeline budget is about."""
    size = sum(len(c.text) for c in articles)
    rows = ["## Throughput on whole articles", "",
            f"The {len(articles)} seed articles ({size / len(articles) / 1000:.1f} KB on average), "
            "repeated; cronaca includes sentence/token segmentation.", "",
            "| system | articles/s | KB/s |", "|---|---:|---:|"]
    for name, runner, repeats in (("cronaca segment + timex", run_cronaca, 200),
                                  ("dateparser search_dates", run_dateparser, 5)):
        batch = articles * repeats
        result = runner(batch, "it")
        if result is None:
            rows.append(f"| {name} | skipped: not installed | |")
            continue
        seconds = result[1]
        rows.append(f"| {name} | {len(batch) / seconds:,.0f} | {size * repeats / 1000 / seconds:,.0f} |")
    return rows + [""]


HEADER = ("| system | gold | found | P | R | F1 | exact span | value acc. | seconds | gold expr/s |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rt-python", default=os.environ.get("RT_PYTHON"),
                        help="python of a venv with recognizers-text-suite installed")
    parser.add_argument("--rt-worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "timex_libraries.md")
    args = parser.parse_args()
    if args.rt_worker:
        rt_worker(args.rt_worker)
        return
    if not SPECS.exists():
        sys.exit(f"gold not found: {SPECS}")
    sys.path.insert(0, str(ROOT))

    sets: list[tuple[str, str, list[Case]]] = []
    for lang, folder in (("it", "Italian"), ("en", "English")):
        for name in SPEC_FILES:
            path = SPECS / folder / f"{name}.json"
            if path.exists():
                sets.append((f"{folder}/{name}", lang, load_spec(path)))
    if (SHARED / "data" / "gold" / "seeds.jsonl").exists():
        sets.append(("seeds (gold timexes)", "it", load_seeds()))

    lines = ["# Date libraries on Italian (and English) date expressions", "",
             f"Command: `.venv/bin/python bench/timex_libraries.py"
             f"{' --rt-python ' + args.rt_python if args.rt_python else ''}`  ",
             f"Run: {datetime.now().isoformat(timespec='seconds')}, Python {sys.version.split()[0]}, "
             "one CPU core.", "", (__doc__ or "").split("\n\n")[-1].strip(), ""]
    rt_notes: dict = {}
    for title, lang, cases in sets:
        print(f"{title}: {len(cases)} cases", file=sys.stderr)
        lines += [f"## {title} ({len(cases)} inputs)", "", HEADER]
        runs = [("cronaca TimexTagger", run_cronaca(cases, lang), False)]
        dp = run_dateparser(cases, lang)
        runs.append(("dateparser", dp, True))
        rt = run_rt(cases, lang, args.rt_python)
        if rt:
            rt_notes[lang] = rt[2]
            label = "recognizers-text" + ("" if rt[2]["native"] else " (English fallback)")
            runs.append((label, rt[:2], True))
        else:
            runs.append(("recognizers-text", None, True))
        scores = []
        for name, result, lenient in runs:
            if result is None:
                lines.append(f"| {name} | skipped: not installed | | | | | | | | |")
                continue
            scores.append(score(cases, result[0], result[1], lenient))
            lines.append(scores[-1].row(name))
        ours = scores[0]
        if ours.misses:
            lines += ["", f"cronaca misses ({len(ours.misses)}): "
                      + ", ".join(f"“{m}”" for m in ours.misses[:25])
                      + (" …" if len(ours.misses) > 25 else "")]
        lines.append("")
    if (SHARED / "data" / "gold" / "seeds.jsonl").exists():
        lines += throughput_section(load_seeds())
    if rt_notes:
        lines += ["## Recognizers-Text and Italian", ""]
        for lang, note in rt_notes.items():
            lines.append(f"- `{CULTURES[lang]}`: native DateTimeModel: {note['native']}"
                         + (f" (`{note['error']}`)" if note["error"] else ""))
        lines.append("")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
