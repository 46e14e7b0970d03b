"""Scoring the extractor against gold files in the format of ``shared/data/gold`` (``cronaca eval``).

Three kinds of gold item are read: a whole article (``file`` in the seeds folder, ``published``),
a sentence given as ``text`` (with an optional preceding ``context``), and a sentence referred to
by position in a token-per-line corpus (``corpus``, ``sentence``, optional ``context`` index;
evidence as ``evidence_span`` offsets), so the project's own dev set holds no corpus text.

Matching: a system event matches a gold event when its trigger overlaps the gold evidence and its
type is one of the gold types; the strict match (the event score) also needs the gold source and
target countries among the system's (a null gold country accepts any; for symmetric types,
meetings, cooperation, agreements, source and target may be swapped). Optional gold events may be
found or not without penalty. Status, attribution and date accuracy are measured over the gold
events the system found (type match). Attribution elements match by name (a shared word) or, for
unnamed groups and states, by country and sector.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .corpora.kind import KindSentence, read_kind
from .corpus import CorpusActor, CorpusError, CorpusSentence, corpus_files, load_corpus, split_of
from .document import Document
from .model import Event, Record
from .pipeline import Pipeline, content_id, get_pipeline
from .read import Article, read_inputs

SYMMETRIC = {"CONSULT", "COOPERATE", "AGREE"}
_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = {"di", "del", "della", "dei", "degli", "delle", "il", "la", "lo", "i", "gli", "le", "e", "of", "the"}


class GoldError(ValueError):
    pass


@dataclass
class Item:
    where: str  # "file:line" of the gold item, for error messages
    id: str
    text: str
    scored: tuple[int, int]  # the part of text whose events are scored
    published: str | None
    events: list[dict]
    timexes: list[dict]


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0

    def scores(self) -> dict[str, Any]:
        p = self.matched / self.predicted if self.predicted else None
        r = self.matched / self.gold if self.gold else None
        f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        return {"precision": _round(p), "recall": _round(r), "f1": _round(f),
                "gold": self.gold, "predicted": self.predicted, "matched": self.matched}


@dataclass
class Counts:
    strict: Tally = field(default_factory=Tally)
    loose: Tally = field(default_factory=Tally)
    by_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    status: list[bool] = field(default_factory=list)
    attribution: list[bool] = field(default_factory=list)
    date: list[bool] = field(default_factory=list)
    timex: list[bool] = field(default_factory=list)
    mistakes: list[dict] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=lambda: {k: 0 for k in ERROR_CLASSES})
    confidence: list[tuple[float, bool]] = field(default_factory=list)  # per system event: right?


ERROR_CLASSES = ("trigger_missed", "wrong_type", "source_missing", "source_wrong", "target_missing",
                 "target_wrong", "spurious")
RELIABILITY_BINS = 10


def evaluate_gold(gold: Path, seeds_dir: Path | None = None, corpus_root: Path | None = None,
                  lang: str = "it", pipeline: Pipeline | None = None) -> dict[str, Any]:
    """Run the extractor over every gold item and score it (see the module docstring)."""
    items = list(load_gold(Path(gold), seeds_dir, corpus_root))
    return {"gold": str(gold), **evaluate_items(items, lang, pipeline)}


def evaluate_corpus(split: str, lang: str = "it", pipeline: Pipeline | None = None,
                    sentences: list[CorpusSentence] | None = None) -> dict[str, Any]:
    """Score the extractor on one split of the project's corpus (``corpus/``)."""
    if sentences is None and not corpus_files():
        raise CorpusError("no corpus found (corpus/data/*.jsonl): run from a checkout of the repository")
    chosen = [s for s in (sentences if sentences is not None else load_corpus()) if split_of(s.doc) == split]
    return {"gold": f"corpus:{split}", **evaluate_items(corpus_items(chosen), lang, pipeline)}


def evaluate_items(items: list[Item], lang: str = "it",
                   pipeline: Callable[[Document], Document] | None = None) -> dict[str, Any]:
    """Scores, error classes and the confidence reliability table over gold items."""
    run = pipeline or get_pipeline(lang)
    counts = Counts()
    for item in items:
        doc = Document(text=item.text, lang=lang, published=item.published, id=content_id(item.text))
        _score_item(item, run(doc).to_record(), counts, lang)
    overall = {
        "event_precision": counts.strict.scores()["precision"],
        "event_recall": counts.strict.scores()["recall"],
        "event_f1": counts.strict.scores()["f1"],
        "event_f1_loose": counts.loose.scores()["f1"],
        "status_accuracy": _mean(counts.status),
        "attribution_accuracy": _mean(counts.attribution),
        "date_accuracy": _mean(counts.date),
        "timex_value_accuracy": _mean(counts.timex),
        "gold_events": counts.strict.gold, "system_events": counts.strict.predicted,
        "matched_events": counts.strict.matched, "gold_timexes": len(counts.timex),
    }
    table, ece = reliability(counts.confidence)
    overall["calibration_error"] = ece
    return {"items": len(items), "overall": overall,
            "by_type": {t: counts.by_type[t].scores() for t in sorted(counts.by_type)
                        if counts.by_type[t].gold or counts.by_type[t].predicted},
            "errors": dict(counts.errors), "reliability": table, "mistakes": counts.mistakes}


def reliability(pairs: list[tuple[float, bool]]) -> tuple[list[dict[str, Any]], float | None]:
    """Events by confidence bin with how often they were right, and the expected calibration
    error (the bins' gaps between confidence and accuracy, weighted by their sizes)."""
    bins: list[list[tuple[float, bool]]] = [[] for _ in range(RELIABILITY_BINS)]
    for conf, right in pairs:
        bins[min(int(conf * RELIABILITY_BINS), RELIABILITY_BINS - 1)].append((conf, right))
    table, gap = [], 0.0
    for i, b in enumerate(bins):
        if not b:
            continue
        conf = sum(c for c, _ in b) / len(b)
        acc = sum(r for _, r in b) / len(b)
        gap += len(b) * abs(conf - acc)
        table.append({"bin": f"{i / RELIABILITY_BINS:.1f}-{(i + 1) / RELIABILITY_BINS:.1f}",
                      "events": len(b), "confidence": round(conf, 3), "accuracy": round(acc, 3)})
    return table, (round(gap / len(pairs), 3) if pairs else None)


def corpus_items(sentences: list[CorpusSentence]) -> list[Item]:
    """Corpus sentences as gold items: the previous sentence of the same document is the
    context, each event's evidence spans its trigger and the actors named in the sentence."""
    items: list[Item] = []
    previous: dict[str, CorpusSentence] = {}
    for s in sentences:
        before = previous.get(s.doc)
        previous[s.doc] = s
        context = before.text if before is not None else None
        base = len(context) + 1 if context else 0
        full = f"{context}\n{s.text}" if context else s.text
        events = []
        for e in s.events:
            spans = [e.trigger] + [(a.start, a.end) for a in (e.source, e.target)
                                   if a is not None and a.start is not None]
            lo, hi = min(x[0] for x in spans), max(x[1] for x in spans)
            if hi - lo > 200:
                lo, hi = e.trigger
            events.append({
                "type": [e.type] + [t for t in e.alt if t != e.type],
                "source": _gold_actor(e.source), "target": _gold_actor(e.target),
                "date": e.date, "date_mod": None, "attribution": e.attribution, "status": e.status,
                "evidence_span": [lo, hi], "optional": e.optional, "_base": base})
        timexes = [{"span": [a, b], "value": v, "mod": m, "_base": base} for a, b, v, m in s.timexes]
        items.append(Item(f"{s.file}:{s.line}", s.id, full, (base, len(full)), s.published, events, timexes))
    return items


def _gold_actor(a: CorpusActor | None) -> dict[str, Any] | None:
    return None if a is None else {"country": a.country, "sector": a.sector, "name": a.name}


# -- reading gold -----------------------------------------------------------------------------------
def load_gold(path: Path, seeds_dir: Path | None, corpus_root: Path | None):
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                yield _item(raw, path, seeds_dir, corpus_root, f"{path}:{number}")
            except (json.JSONDecodeError, KeyError, TypeError, IndexError) as exc:
                raise GoldError(f"{path}:{number}: bad gold item: {exc}") from None


def _item(raw: dict, path: Path, seeds_dir: Path | None, corpus_root: Path | None, where: str) -> Item:
    iid = raw.get("id", "?")
    if "file" in raw:
        folder = seeds_dir or path.parent
        article = next((a for a in read_inputs([folder / raw["file"]]) if isinstance(a, Article)), None)
        if article is None:
            raise GoldError(f"{where}: item {iid}: cannot read {folder / raw['file']}")
        published = raw.get("published") or article.published
        return Item(where, iid, article.text, (0, len(article.text)), published,
                    raw.get("events", []), raw.get("timexes", []))
    if "corpus" in raw:
        if corpus_root is None:
            raise GoldError(f"{where}: item {iid} refers to a corpus: give --corpus-root")
        sentences = _corpus(str(Path(corpus_root) / raw["corpus"]))
        text = sentences[raw["sentence"]].text
        context = sentences[raw["context"]].text if raw.get("context") is not None else None
    else:
        text, context = raw["text"], raw.get("context")
    base = len(context) + 1 if context else 0
    full = f"{context}\n{text}" if context else text
    events = [dict(e, _base=base) for e in raw.get("events", [])]
    timexes = [dict(t, _base=base) for t in raw.get("timexes", [])]
    return Item(where, iid, full, (base, len(full)), raw.get("published"), events, timexes)


@cache
def _corpus(path: str) -> list[KindSentence]:
    return list(read_kind(path))


# -- scoring ----------------------------------------------------------------------------------------
def _score_item(item: Item, record: Record, counts: Counts, lang: str) -> None:
    lo, hi = item.scored
    system = [e for e in record.events if lo <= e.trigger.start < hi]
    golds = []
    for g in item.events:
        span = _evidence_span(item.text, g)
        if span is None:
            raise GoldError(f"{item.where}: item {item.id}: evidence not found in text: {g.get('evidence')!r}")
        golds.append((g, span))
    # one-to-one matching, required gold events before optional ones: strict, then loose
    order = sorted(range(len(golds)), key=lambda gi: bool(golds[gi][0].get("optional")))
    strict = _match(golds, order, system, strict=True)
    loose = dict(strict)
    loose.update(_match(golds, [gi for gi in order if gi not in strict],
                        [e for e in system if id(e) not in {id(x) for x in strict.values()}], strict=False))

    required = [gi for gi, (g, _) in enumerate(golds) if not g.get("optional")]
    optional_hits_strict = {id(strict[gi]) for gi, (g, _) in enumerate(golds) if g.get("optional") and gi in strict}
    optional_hits_loose = {id(loose[gi]) for gi, (g, _) in enumerate(golds) if g.get("optional") and gi in loose}
    counts.strict.gold += len(required)
    counts.strict.predicted += len([e for e in system if id(e) not in optional_hits_strict])
    counts.strict.matched += sum(1 for gi in required if gi in strict)
    counts.loose.gold += len(required)
    counts.loose.predicted += len([e for e in system if id(e) not in optional_hits_loose])
    counts.loose.matched += sum(1 for gi in required if gi in loose)
    for e in system:
        if id(e) not in optional_hits_strict:
            counts.by_type[e.type].predicted += 1
    for gi in required:
        g, span = golds[gi]
        t = counts.by_type[g["type"][0]]
        t.gold += 1
        if gi in strict:
            t.matched += 1
            if strict[gi].type != g["type"][0]:  # matched under an alternative type
                counts.by_type[strict[gi].type].predicted -= 1
                t.predicted += 1
        if gi in loose:
            e = loose[gi]
            ok_status = e.status == g.get("status")
            ok_attr = _attribution_agrees(g.get("attribution") or [], e, lang)
            ok_date = _date_agrees(g, e)
            counts.status.append(ok_status)
            counts.attribution.append(ok_attr)
            counts.date.append(ok_date)
            if not (ok_status and ok_attr and ok_date and gi in strict):
                counts.mistakes.append(_mistake(item, g, e, gi in strict, ok_status, ok_attr, ok_date))
        else:
            counts.mistakes.append({"item": item.id, "missed": _evidence_text(item.text, span),
                                    "type": g["type"]})
        if gi not in strict:
            counts.errors[_error_class(g, span, loose.get(gi), system)] += 1
    right = {id(x) for x in strict.values()}
    for e in system:
        if id(e) not in optional_hits_loose or id(e) in right:
            counts.confidence.append((e.confidence, id(e) in right))
        if id(e) not in right and id(e) not in optional_hits_loose \
                and id(e) not in {id(x) for x in loose.values()}:
            counts.errors["spurious"] += 1
            counts.mistakes.append({"item": item.id, "spurious": e.type, "trigger": e.trigger.text,
                                    "source": [a.country for a in e.source],
                                    "target": [a.country for a in e.target]})
    _score_timexes(item, record, counts)


def _error_class(g: dict, span: tuple[int, int], found: Event | None, system: list[Event]) -> str:
    """Why a required gold event was not matched strictly: the first thing that went wrong."""
    if found is None:
        return "wrong_type" if any(_overlaps(e, span) for e in system) else "trigger_missed"
    source_missing = not any(a.country for a in found.source)
    country = (g.get("source") or {}).get("country")
    if country is not None and country not in {a.country for a in found.source}:
        return "source_missing" if source_missing else "source_wrong"
    return "target_missing" if not any(a.country for a in found.target) else "target_wrong"


def _match(golds: list, order: list[int], system: list[Event], strict: bool) -> dict[int, Event]:
    found: dict[int, Event] = {}
    used: set[int] = set()
    for gi in order:
        g, span = golds[gi]
        cand = [e for e in system if id(e) not in used and _overlaps(e, span) and e.type in g["type"]
                and (not strict or _countries_agree(g, e))]
        if cand:
            best = min(cand, key=lambda e: abs(e.trigger.start - span[0]))
            used.add(id(best))
            found[gi] = best
    return found


def _evidence_span(text: str, g: dict) -> tuple[int, int] | None:
    base = g.get("_base", 0)
    if "evidence_span" in g:
        s, e = g["evidence_span"]
        return base + s, base + e
    evidence = g.get("evidence")
    if not evidence:
        return None
    at = text.find(evidence, base)
    if at < 0:
        at = text.find(evidence)
    return (at, at + len(evidence)) if at >= 0 else None


def _evidence_text(text: str, span: tuple[int, int]) -> str:
    return text[span[0]:span[1]][:120]


def _overlaps(e: Event, span: tuple[int, int]) -> bool:
    return e.trigger.start < span[1] and e.trigger.end > span[0]


def _countries_agree(g: dict, e: Event) -> bool:
    src = (g.get("source") or {}).get("country")
    tgt = (g.get("target") or {}).get("country")
    sys_src = {a.country for a in e.source}
    sys_tgt = {a.country for a in e.target}
    direct = (src is None or src in sys_src) and (tgt is None or tgt in sys_tgt)
    if direct or e.type not in SYMMETRIC:
        return direct
    return (src is None or src in sys_tgt) and (tgt is None or tgt in sys_src)


def _date_agrees(g: dict, e: Event) -> bool:
    value = e.date.value if e.date else None
    if value != g.get("date"):
        return False
    return g.get("date_mod") is None or (e.date is not None and e.date.mod == g.get("date_mod"))


def _attribution_agrees(gold: list[str], e: Event, lang: str) -> bool:
    system = e.attribution
    if len(gold) != len(system):
        return False
    for name, src in zip(gold, system):
        if _words(name) & _words(src.name):
            continue
        country, sector = _resolve_name(name, lang)
        if country is None or country != src.country:
            return False
        if sector and src.sector and sector != src.sector:
            return False
    return True


def _words(name: str | None) -> set[str]:
    return {w for w in _WORD.findall((name or "").lower()) if w not in _STOP and len(w) > 1}


@cache
def _resolve_name(name: str, lang: str) -> tuple[str | None, str | None]:
    """Country and sector of a gold source name, read by our own entity stages."""
    doc = get_pipeline(lang)(Document(text=name, lang=lang), until="actors")
    for m in doc.mentions:
        if m.country:
            return m.country, m.sector or ("GOV" if m.role in ("country", "seat") else None)
    return None, None


def _score_timexes(item: Item, record: Record, counts: Counts) -> None:
    cursor = item.scored[0]
    for g in item.timexes:
        base = g.get("_base", 0)
        if "span" in g:
            s, e = base + g["span"][0], base + g["span"][1]
        else:
            at = item.text.find(g["text"], cursor)
            if at < 0:
                counts.timex.append(False)
                continue
            s, e = at, at + len(g["text"])
            cursor = e
        hit = next((t for t in record.timexes if t.start < e and t.end > s), None)
        ok = hit is not None and hit.value == g.get("value") and (
            g.get("mod") is None or hit.mod == g.get("mod"))
        counts.timex.append(ok)
        if not ok:
            counts.mistakes.append({"item": item.id, "timex": item.text[s:e], "gold": g.get("value"),
                                    "system": hit.value if hit else None})


def _mistake(item: Item, g: dict, e: Event, strict: bool, ok_status: bool, ok_attr: bool,
             ok_date: bool) -> dict:
    out: dict[str, Any] = {"item": item.id, "trigger": e.trigger.text, "type": e.type}
    if not strict:
        out["countries"] = {"gold": [(g.get("source") or {}).get("country"), (g.get("target") or {}).get("country")],
                            "system": [[a.country for a in e.source], [a.country for a in e.target]]}
    if not ok_status:
        out["status"] = {"gold": g.get("status"), "system": e.status}
    if not ok_attr:
        out["attribution"] = {"gold": g.get("attribution"), "system": [s.name for s in e.attribution]}
    if not ok_date:
        out["date"] = {"gold": [g.get("date"), g.get("date_mod")],
                       "system": [e.date.value, e.date.mod] if e.date else None}
    return out


def _mean(values: list[bool]) -> float | None:
    return _round(sum(values) / len(values)) if values else None


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)
