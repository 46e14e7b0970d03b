"""``cronaca train`` on a slice of the corpus: every model is written, they learn, and training is
deterministic. (The shipped models are trained on the whole corpus; CI does not retrain them.)"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from cronaca.corpus import load_corpus, split_of
from cronaca.document import Document
from cronaca.features import featurizer
from cronaca.pipeline import Pipeline
from cronaca.train import MODEL_FILES, _best_labels, bio, sequences, span_scores, train
from cronaca.trained import load_models


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("models")
    return out, train("it", out_dir=out, docs=60, log=lambda _: None)


def test_training_writes_every_model_with_its_thresholds_and_figures(small):
    out, report = small
    assert all((out / name).is_file() for name in MODEL_FILES)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert {"trigger_add", "trigger_drop", "trigger_bare", "role_fill", "role_override",
            "status_override"} <= set(meta["thresholds"])
    assert meta["version"] == report["version"]
    assert report["events_test"]["gold_events"] > 0 and "reliability" in report["events_test"]


def test_the_taggers_learn_the_sentences_they_were_trained_on(small):
    out, _ = small
    models = load_models(out)
    corpus = load_corpus()
    first_docs: list[str] = []
    for s in corpus:
        if s.doc not in first_docs:
            first_docs.append(s.doc)
    seen = [s for s in corpus if s.doc in set(first_docs[:60]) and split_of(s.doc) == "train"]
    features = featurizer("it")
    seqs = sequences(seen, Pipeline.for_language("it", models=None))
    ner = span_scores([q.entities for q in seqs],
                      models.ner.chain.decode([features.ner_sequence(q.tokens, q.gazetteer) for q in seqs]))
    best = _best_labels(models.triggers.chain)
    triggers = span_scores([q.triggers for q in seqs],
                           best([features.trigger_sequence(q.tokens, q.gazetteer) for q in seqs]))
    assert ner["f1"] > 0.8 and triggers["f1"] > 0.6, (ner, triggers)


def test_numpy_decoding_gives_crfsuites_labels(small):
    """The stages decode with the weights in numpy; CRFsuite itself must agree on every sentence."""
    out, _ = small
    models = load_models(out)
    corpus = [s for s in load_corpus() if split_of(s.doc) == "dev"][:150]
    features = featurizer("it")
    seqs = sequences(corpus, Pipeline.for_language("it", models=None))
    ner = [features.ner_sequence(q.tokens, q.gazetteer) for q in seqs]
    assert models.ner.chain.decode(ner) == [models.ner.tagger.tag(x.strings()) for x in ner]
    triggers = [features.trigger_sequence(q.tokens, q.gazetteer) for q in seqs]
    tagger = models.triggers.tagger
    worst = 0.0
    for x, probs in zip(triggers, models.triggers.chain.probabilities(triggers)):
        for k, token in enumerate(x.strings()):
            tagger.set([token])
            expected = [tagger.marginal(label, 0) for label in models.triggers.chain.labels]
            worst = max(worst, max(abs(a - b) for a, b in zip(expected, probs[k].tolist())))
    assert worst < 1e-4


def test_training_is_deterministic(tmp_path):
    def digest(folder: Path) -> list[str]:
        return [hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in MODEL_FILES]

    train("it", out_dir=tmp_path / "a", docs=12, log=lambda _: None)
    train("it", out_dir=tmp_path / "b", docs=12, log=lambda _: None)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_gold_spans_become_bio_tags_over_tokens():
    doc = Pipeline.for_language("it", models=None)(Document(text="I carabinieri hanno arrestato Mario Rossi."),
                                                   until="segment")
    tags = bio(doc.tokens, [(30, 41, "PER"), (20, 29, "COERCE"), (3, 12, "X")])
    assert tags == ["O", "O", "O", "B-COERCE", "B-PER", "I-PER", "O"]


def test_train_without_a_corpus_is_one_clear_line(tmp_path):
    from typer.testing import CliRunner

    from cronaca.cli import app

    result = CliRunner().invoke(app, ["train", "--corpus", str(tmp_path), "--out", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert result.output.strip().endswith("no corpus here (data/*.jsonl); give the repository's corpus/ folder")
    assert not (tmp_path / "m").exists()
