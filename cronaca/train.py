"""Training every shipped model from the project's corpus (``cronaca train``).

The corpus (``corpus/data``) is split by document (``corpus.split_of``). On the train split:
the entity tagger and the trigger tagger (CRFsuite, L-BFGS: deterministic, minutes on a laptop
CPU, a few MB each), then the status model on the events the pipeline finds there. On the dev
split: the voting thresholds between rules and tagger, the status override threshold, and the
confidence calibrator. The test split is only scored. Everything lands in one folder
(``cronaca/models/<lang>`` by default) with ``meta.json`` holding thresholds and figures.
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycrfsuite

from .corpus import CORPUS_DIR, CorpusError, CorpusSentence, corpus_files, load_corpus, split_of
from .document import Document, Token
from .evaluate import corpus_items, evaluate_items, _match
from .crf import ChainModel
from .features import Featurizer, SequenceFeatures, featurizer, mention_tags
from .pipeline import Pipeline, content_id
from .stages.ner import spans_from_tags
from .stages.status import status_features
from .trained import MODELS_DIR, load_models

MODEL_FILES = ("ner.crfsuite", "triggers.crfsuite", "roles.crfsuite", "status.crfsuite", "calibration.crfsuite",
               "meta.json")
CRF_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}
# The trigger tagger is a token classifier (one-token items, the chain's transitions unused):
# L1 keeps it as small and sparse as the entity tagger.
TOKEN_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150}
CLASSIFIER_PARAMS = {"c1": 0.0, "c2": 1.0, "max_iterations": 200}
ADD_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
# The tagger vetoes a lexicon trigger only when it is all but certain (the rules' readings of a
# word in context are right more often than a tagger that saw the word in a few hundred sentences).
DROP_GRID = (0.95, 0.99, 1.1)
BARE_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.1)
RETYPE_GRID = (0.6, 0.7, 0.8, 0.9, 1.1)
ROLE_FILL_GRID = (0.3, 0.5, 0.7, 1.1)
ROLE_OVERRIDE_GRID = (0.6, 0.8, 0.9, 1.1)
OVERRIDE_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.1)
ENTITY_LABELS = ("PER", "LOC", "ORG")


@dataclass
class Sequence:
    """One segmented sentence of the corpus with its gold tags."""

    split: str
    tokens: list[Token]
    gazetteer: list[str]  # the rule stages' mention tags
    entities: list[str]  # gold BIO over PER/LOC/ORG
    triggers: list[str]  # gold BIO over event types


def bio(tokens: list[Token], spans: list[tuple[int, int, str]]) -> list[str]:
    """Gold character spans as BIO tags over tokens (a span that cuts a token is dropped)."""
    tags = ["O"] * len(tokens)
    for start, end, label in spans:
        inside = [i for i, t in enumerate(tokens) if t.start >= start and t.end <= end]
        if not inside or any(tags[i] != "O" for i in inside):
            continue
        tags[inside[0]] = f"B-{label}"
        for i in inside[1:]:
            tags[i] = f"I-{label}"
    return tags


def sequences(sentences: list[CorpusSentence], rules: Pipeline) -> list[Sequence]:
    """Every corpus sentence segmented and tagged by the rule stages, with its gold tags."""
    out: list[Sequence] = []
    for s in sentences:
        doc = rules(Document(text=s.text, lang=rules.lang.code, published=s.published), until="actors")
        entity_spans = [(a, b, t) for a, b, t in s.entities if t in ENTITY_LABELS]
        # optional events (background, debatable) are left untagged: found or not, they score
        # nothing, and a tagger that learns them proposes every war recalled in passing
        trigger_spans = [(e.trigger[0], e.trigger[1], e.type) for e in s.events if not e.optional]
        for sent in doc.sentences:
            tokens = doc.tokens[sent.token_start:sent.token_end]
            if not tokens:
                continue
            inside = [m for m in doc.mentions if sent.token_start <= m.token_start and m.token_end <= sent.token_end]
            out.append(Sequence(split_of(s.doc), tokens, mention_tags(tokens, inside, sent.token_start),
                                bio(tokens, entity_spans), bio(tokens, trigger_spans)))
    return out


def train_crf(items: list[tuple[list[list[str]], list[str]]], path: Path, params: dict[str, Any]) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in items:
        trainer.append(xseq, yseq)
    trainer.set_params(params)
    trainer.train(str(path))


def span_scores(gold: list[list[str]], predicted: list[list[str]]) -> dict[str, float]:
    """Exact-span precision, recall and F1 of BIO sequences (type included)."""
    tp = fp = fn = 0
    for g, p in zip(gold, predicted):
        gs, ps = set(spans_from_tags(g)), set(spans_from_tags(p))
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "gold": tp + fn}


def corpus_version(root: Path) -> str:
    """A digest of the corpus files the models were trained on (any annotation change moves it)."""
    digest = hashlib.sha256()
    for path in corpus_files(root):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def train(lang: str = "it", corpus_root: Path = CORPUS_DIR, out_dir: Path | None = None,
          docs: int | None = None, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Train every model and write them with ``meta.json`` into ``out_dir``; returns the report.

    ``docs`` keeps only the first documents of the corpus (a quick run for tests)."""
    out_dir = Path(out_dir) if out_dir else MODELS_DIR / lang
    if not corpus_files(corpus_root):
        raise CorpusError(f"{corpus_root}: no corpus here (data/*.jsonl); give the repository's corpus/ folder")
    sentences = load_corpus(corpus_root)
    if docs is not None:
        keep: list[str] = []
        for s in sentences:
            if s.doc not in keep:
                keep.append(s.doc)
        wanted = set(keep[:docs])
        sentences = [s for s in sentences if s.doc in wanted]
    features = featurizer(lang)
    rules = Pipeline.for_language(lang, models=None)
    log(f"corpus: {len(sentences)} sentences")
    seqs = sequences(sentences, rules)
    by_split = {name: [q for q in seqs if q.split == name] for name in ("train", "dev", "test")}
    report: dict[str, Any] = {"version": corpus_version(corpus_root), "sentences": len(sentences),
                              "splits": {k: len(v) for k, v in by_split.items()}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # 1. taggers
        ner_x = {k: [features.ner_sequence(q.tokens, q.gazetteer) for q in v] for k, v in by_split.items()}
        trig_x = {k: [features.trigger_sequence(q.tokens, q.gazetteer) for q in v] for k, v in by_split.items()}
        train_crf([(x.strings(), q.entities) for x, q in zip(ner_x["train"], by_split["train"])],
                  work / "ner.crfsuite", CRF_PARAMS)
        log("trained the entity tagger")
        train_crf([([f], [y]) for x, q in zip(trig_x["train"], by_split["train"])
                   for f, y in zip(x.strings(), q.triggers)], work / "triggers.crfsuite", TOKEN_PARAMS)
        log("trained the trigger tagger")
        (work / "meta.json").write_text(json.dumps({"thresholds": {}}), encoding="utf-8")
        models = load_models(work)
        for name, tag, xs, gold in (("ner", models.ner.chain.decode, ner_x, "entities"),
                                    ("triggers", _best_labels(models.triggers.chain), trig_x, "triggers")):
            report[name] = {split: span_scores([getattr(q, gold) for q in by_split[split]], tag(xs[split]))
                            for split in ("dev", "test")}
            log(f"{name}: {report[name]}")
        # 2. voting thresholds, on dev
        pipeline = Pipeline.for_language(lang, models=models)
        train_sentences = [s for s in sentences if split_of(s.doc) == "train"]
        items = {split: corpus_items([s for s in sentences if split_of(s.doc) == split])
                 for split in ("train", "dev", "test")}
        events = next(s for s in pipeline.stages if s.name == "events")
        dev_run = _resumable(items["dev"], pipeline, lang)

        def f1() -> float:
            return evaluate_items(items["dev"], lang, dev_run)["overall"]["event_f1"] or 0.0

        def set_triggers(add: float, drop: float, bare: float) -> None:
            events.add_above, events.drop_above, events.bare_above = add, drop, bare

        score, (add, drop, bare) = _tune([(a, d, b) for a in ADD_GRID for d in DROP_GRID for b in BARE_GRID
                                          if b >= a], set_triggers, f1)
        _, (retype,) = _tune([(r,) for r in RETYPE_GRID], lambda r: setattr(events, "retype_above", r), f1)
        thresholds = {"trigger_add": add, "trigger_drop": drop, "trigger_bare": bare, "trigger_retype": retype}
        log(f"thresholds: {thresholds} (dev F1 {score})")
        # 3. argument roles on the train split's gold triggers; their thresholds on dev
        _train_classifier(_role_examples(train_sentences, items["train"], pipeline, lang), work / "roles.crfsuite")
        events.roles = load_models(work).roles

        def set_roles(fill: float, override: float) -> None:
            events.role_fill_above, events.role_override_above = fill, override

        score, (fill, override) = _tune([(f, o) for f in ROLE_FILL_GRID for o in ROLE_OVERRIDE_GRID], set_roles, f1)
        thresholds.update(role_fill=fill, role_override=override)
        log(f"roles: fill above {fill}, override above {override} (dev F1 {score})")
        # 4. status model on the train split's found events; its threshold on dev
        _train_classifier(_status_examples(items["train"], pipeline, features, lang), work / "status.crfsuite")
        status_stage = next(s for s in pipeline.stages if s.name == "status")
        status_stage.model, status_stage.features = load_models(work).status, features
        def status_accuracy() -> float:
            return evaluate_items(items["dev"], lang, dev_run)["overall"]["status_accuracy"] or 0.0

        accuracy, (override,) = _tune([(t,) for t in OVERRIDE_GRID],
                                      lambda t: setattr(status_stage, "override_above", t), status_accuracy)
        thresholds["status_override"] = override
        log(f"status override above {override} (dev accuracy {accuracy})")
        # 5. confidence calibrator on dev
        _train_classifier(_calibration_examples(items["dev"], pipeline, lang), work / "calibration.crfsuite")
        (work / "meta.json").write_text(json.dumps({"thresholds": thresholds}), encoding="utf-8")
        models = load_models(work)
        final = Pipeline.for_language(lang, models=models)
        for split in ("dev", "test"):
            result = evaluate_items(items[split], lang, final)
            report[f"events_{split}"] = {**result["overall"], "errors": result["errors"],
                                         "reliability": result["reliability"]}
            log(f"events {split}: {result['overall']}")
        report["thresholds"] = thresholds
        _publish(work, out_dir, report)
    return report


def _best_labels(model: ChainModel) -> Callable[[list[SequenceFeatures]], list[list[str]]]:
    """A token classifier's likeliest label for each token of each sentence."""
    def tag(sentences: list[SequenceFeatures]) -> list[list[str]]:
        return [[model.labels[j] for j in probs.argmax(axis=1).tolist()]
                for probs in model.probabilities(sentences)]
    return tag


def _tune(grid: list[tuple], apply: Callable[..., None], score: Callable[[], float]) -> tuple[float, tuple]:
    """Apply each setting of ``grid`` and keep the first with the highest dev score (ties keep
    the earlier, so the search is deterministic); the winner stays applied."""
    best: tuple[float, tuple] = (-1.0, grid[0])
    for setting in grid:
        apply(*setting)
        value = score()
        if value > best[0] + 1e-9:
            best = (value, setting)
    apply(*best[1])
    return best


def _resumable(items, pipeline: Pipeline, lang: str) -> Callable[[Document], Document]:
    """The pipeline over these items with the stages before ``events`` run once: tuning the
    events and status thresholds reruns only what they change."""
    prepared: dict[str, Document] = {}
    for item in items:
        doc = Document(text=item.text, lang=lang, published=item.published, id=content_id(item.text))
        prepared[doc.id] = pipeline(doc, until="timex")

    def run(doc: Document) -> Document:
        fresh = copy.copy(prepared[doc.id])
        fresh.events, fresh.event_votes, fresh.cues, fresh.syntax = [], {}, [], []
        return pipeline(fresh, start="events")

    return run


def _role_examples(sentences: list[CorpusSentence], items, pipeline: Pipeline,
                   lang: str) -> list[tuple[list[str], str]]:
    """(features of a gold trigger and a mention of its sentence, the mention's gold role)."""
    events = next(stage for stage in pipeline.stages if stage.name == "events")
    examples = []
    for sentence, item in zip(sentences, items):
        base = item.scored[0]
        doc = pipeline(Document(text=item.text, lang=lang, published=item.published), until="timex")
        syntax = events.syntax.analyze(doc)
        for e in sentence.events:
            token = next((t for t in doc.tokens if t.start <= base + e.trigger[0] < t.end), None)
            ss = next((x for x in syntax if token is not None
                       and x.sentence.token_start <= token.i < x.sentence.token_end), None)
            if token is None or ss is None:
                continue
            k = ss.local(token.i)
            c = events.candidate_at(ss, k, k + 1, e.type)
            events._arguments(doc, ss, c)
            spans = {role: (base + a.start, base + a.end) for role, a in (("source", e.source), ("target", e.target))
                     if a is not None and a.start is not None}
            for m in ss.actors:
                if m.token_start <= token.i < m.token_end:
                    continue
                label = next((role for role, (lo, hi) in spans.items() if m.start < hi and lo < m.end), "none")
                examples.append((events.role_features(ss, c, m), label))
    return examples


def _status_examples(items, pipeline: Pipeline, features: Featurizer, lang: str) -> list[tuple[list[str], str]]:
    """(features, gold status) for every gold event the pipeline finds with the right type."""
    examples = []
    for item in items:
        doc = pipeline(Document(text=item.text, lang=lang, published=item.published))
        system = [e for e in doc.events if item.scored[0] <= e.trigger.start < item.scored[1]]
        golds = [(g, (g["_base"] + g["evidence_span"][0], g["_base"] + g["evidence_span"][1])) for g in item.events]
        for gi, e in _match(golds, list(range(len(golds))), system, strict=False).items():
            x = status_features(features, doc, e, e.status)
            if x is not None:
                examples.append((x, golds[gi][0]["status"]))
    return examples


def _calibration_examples(items, pipeline: Pipeline, lang: str) -> list[tuple[list[str], str]]:
    """(what the events stage weighed, whether the event is strictly right) for every event."""
    examples = []
    for item in items:
        doc = pipeline(Document(text=item.text, lang=lang, published=item.published))
        system = [e for e in doc.events if item.scored[0] <= e.trigger.start < item.scored[1]]
        golds = [(g, (g["_base"] + g["evidence_span"][0], g["_base"] + g["evidence_span"][1])) for g in item.events]
        right = {id(e) for e in _match(golds, list(range(len(golds))), system, strict=True).values()}
        examples += [(doc.event_votes[id(e)], "1" if id(e) in right else "0") for e in system
                     if id(e) in doc.event_votes]  # counter-claims of the attribution stage have none
    return examples


def _train_classifier(examples: list[tuple[list[str], str]], path: Path) -> None:
    train_crf([([x], [y]) for x, y in examples], path, CLASSIFIER_PARAMS)


def _publish(work: Path, out_dir: Path, report: dict[str, Any]) -> None:
    """Write the models and meta.json into ``out_dir``, each file replaced atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = json.loads((work / "meta.json").read_text(encoding="utf-8"))
    meta.update({"version": report["version"], "report": report})
    (work / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for name in MODEL_FILES:
        tmp = out_dir / f".{name}.tmp"
        tmp.write_bytes((work / name).read_bytes())
        os.replace(tmp, out_dir / name)

