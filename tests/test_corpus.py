"""The project's own corpus: every file valid, the size and coverage the extraction issue asks
for, fixed document splits, and no sentence taken from evaluation data."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from cronaca.corpora.kind import read_kind
from cronaca.corpus import (CorpusError, agreement, corpus_files, counts, find_span, load_corpus,
                            parse_sentence, read_file, split_of, validate)
from cronaca.model import EVENT_TYPES

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_every_corpus_file_validates():
    files = corpus_files()
    assert files, "corpus/data holds no annotated file"
    assert validate(files) == []


def test_the_corpus_has_the_size_and_coverage_the_issue_asks_for(corpus):
    figures = counts(corpus)
    assert figures["sentences"] >= 4000
    assert figures["events"] >= 3000
    assert figures["no_event"] >= 1000
    assert set(figures["types"]) == set(EVENT_TYPES)
    assert min(figures["types"].values()) >= 80, figures["types"]
    assert set(figures["statuses"]) == {"asserted", "reported", "alleged", "denied", "confirmed", "hypothetical"}


def test_splits_are_by_document_and_hold_every_kind_of_text(corpus):
    by_doc: dict[str, set[str]] = {}
    for s in corpus:
        by_doc.setdefault(s.doc, set()).add(split_of(s.doc))
    assert all(len(splits) == 1 for splits in by_doc.values())
    sizes = Counter(split_of(s.doc) for s in corpus)
    assert sizes["train"] > 6 * sizes["test"] > 0 and sizes["dev"] > 0
    for origin in ("wikinews", "written"):
        assert {split_of(s.doc) for s in corpus if s.origin == origin} == {"train", "dev", "test"}


def test_ids_are_unique(corpus):
    ids = Counter(s.id for s in corpus)
    assert [i for i, n in ids.items() if n > 1] == []


def _sentences_of_text(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"(?<=[.!?»\"])\s+", text) if len(p.strip()) > 30]


def test_no_corpus_sentence_comes_from_evaluation_data(corpus, shared_dir):
    """Seeds, KIND dev/test, Europarl, MEANTIME and the project's dev/devtest items never train."""
    data = shared_dir / "data"
    banned: set[str] = set()
    for path in (data / "kind/evalita-2023/WN_dev.tsv", data / "kind/dataset/wikinews_test.tsv"):
        banned |= {s.text for s in read_kind(path)}
    banned |= {s.text for s in read_kind(data / "europarl-ner-it/it-europarl.test.conll02", sep=" ")}
    wn_train = list(read_kind(data / "kind/evalita-2023/WN_train.tsv"))
    for gold in ("wikinews_dev.jsonl", "wikinews_devtest.jsonl"):
        for line in (REPO / "eval" / gold).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if "WN_train" in item["corpus"]:
                banned.add(wn_train[item["sentence"]].text)
                if item.get("context") is not None:
                    banned.add(wn_train[item["context"]].text)
    seed_text = " ".join(p.read_text(encoding="utf-8") for p in sorted((shared_dir / "seeds").glob("*.txt")))
    seed_sentences = set(_sentences_of_text(seed_text))
    meantime = " ".join(p.read_text(encoding="utf-8", errors="replace")
                        for p in (data / "meantime-factuality-en/conll_gold_all").glob("*.conll"))
    leaked = [s.id for s in corpus if s.text in banned or s.text in seed_sentences
              or (len(s.text) > 40 and (s.text in seed_text or s.text in meantime))]
    assert leaked == []


def test_wikinews_sentences_are_verbatim_kind_train_text(corpus, shared_dir):
    """Wikinews sentences keep the raw text of WN_train (CC BY 2.5) and nothing else of it."""
    wn_train = {s.index: s.text for s in read_kind(shared_dir / "data/kind/evalita-2023/WN_train.tsv")}
    wikinews = [s for s in corpus if s.origin == "wikinews"]
    assert wikinews
    assert [s.id for s in wikinews if wn_train.get(int(s.id.split("-")[1])) != s.text] == []


def test_spans_are_strings_with_an_occurrence_number():
    text = "Kim ha incontrato Putin; poi Kim è ripartito."
    assert find_span(text, "Kim") == (0, 3)
    assert find_span(text, "Kim#2") == (29, 32)
    with pytest.raises(ValueError, match="occurrence 3"):
        find_span(text, "Kim#3")
    assert find_span("Il canale #2 trasmette", "canale #2") == (3, 12)


def test_a_bad_annotation_names_its_file_and_line(tmp_path):
    good = {"id": "a", "doc": "d", "text": "La polizia ha arrestato Mario Rossi.",
            "entities": [["Mario Rossi", "PER"]],
            "events": [{"trigger": "arrestato", "type": "COERCE", "status": "asserted",
                        "source": {"text": "La polizia", "country": "ITA", "sector": "GOV", "kind": "organization"},
                        "target": {"text": "Mario Rossi", "country": "ITA", "kind": "person"}}]}
    bad = dict(good, id="b", events=[dict(good["events"][0], type="ARREST")])
    worse = dict(good, id="c", events=[dict(good["events"][0], source={"text": "i carabinieri"})])
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in (good, bad, worse)) + "\n", encoding="utf-8")
    problems = validate([path])
    assert problems == [f"{path}:2: event 1: unknown event type 'ARREST'",
                        f"{path}:3: event 1: 'i carabinieri' (occurrence 1) is not in the text"]
    with pytest.raises(CorpusError, match=r"batch.jsonl:2:"):
        list(read_file(path))
    sentence = parse_sentence(good)
    assert sentence.events[0].source.country == "ITA" and sentence.events[0].trigger == (14, 23)


def test_a_reported_event_must_name_its_source():
    raw = {"id": "a", "doc": "d", "text": "Secondo Kyiv, Mosca ha attaccato Odessa.",
           "events": [{"trigger": "attaccato", "type": "ASSAULT", "status": "reported", "attribution": []}]}
    with pytest.raises(ValueError, match="names its source"):
        parse_sentence(raw)


def test_agreement_counts_what_two_annotators_share():
    text = "La polizia ha arrestato Mario Rossi a Roma."
    first = parse_sentence({"id": "a", "doc": "d", "text": text,
                            "entities": [["Mario Rossi", "PER"], ["Roma", "LOC"]],
                            "events": [{"trigger": "arrestato", "type": "COERCE", "status": "asserted",
                                        "source": {"text": "La polizia", "country": "ITA"}}]})
    second = parse_sentence({"id": "a", "doc": "d", "text": text, "entities": [["Mario Rossi", "PER"]],
                             "events": [{"trigger": "arrestato", "type": "COERCE", "status": "alleged",
                                         "source": {"text": "La polizia", "country": None}}]})
    result = agreement([first], [second])
    assert result["entities_f1"] == round(2 / 3, 3)
    assert result["triggers_f1"] == 1.0 and result["trigger_type_f1"] == 1.0
    assert result["status_agreement"] == 0.0 and result["source_country_agreement"] == 0.0
