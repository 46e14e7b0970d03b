"""Checks that the Wikinews gold sets (dev and devtest) are well formed over the shared KIND corpus.

The sets store only sentence indices and offsets, so a corpus update or a typo silently breaks
scoring; these tests rebuild the texts with the project's own reader and validate every reference
against the record contract (types, statuses, country codes, spans). Every check runs on both sets.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from cronaca.corpora.kind import read_kind

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
# Each set: its file and the id prefix (with zero padding) its items are named by.
GOLD_SETS = {
    "dev": (REPO / "eval" / "wikinews_dev.jsonl", "wn-dev-{:04d}"),
    "devtest": (REPO / "eval" / "wikinews_devtest.jsonl", "wn-train-{:05d}"),
}

PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
STATUSES = {"asserted", "reported", "alleged", "denied", "confirmed", "hypothetical"}
SECTORS = {"GOV", "MIL", "MED", "IGO", "REB", "CVL", "BUS", "OPP", "JUD", "LEG", None}
BODY_CODES = {"UN", "NATO", "EU", "IAEA", "MSMT", "AU", "OSCE", "WHO", "ICC"}
ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?|-W\d{2})?$")
DATE_MODS = {"START", "MID", "END", "APPROX", None}
# "reported" means a named source states it (denials and confirmations may come from unnamed ones).
SOURCED = {"reported"}


def _items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@lru_cache(maxsize=None)
def _texts(corpus: str) -> dict[int, str]:
    path = SHARED / "data" / corpus
    if not path.is_file():
        pytest.skip(f"corpus {corpus} not in ../shared")
    return {s.index: s.text for s in read_kind(path)}


@pytest.fixture(scope="module", params=sorted(GOLD_SETS))
def gold_set(request) -> tuple[str, list[dict]]:
    """(id pattern, items) of one gold set; every test taking ``items`` runs once per set."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    path, id_pattern = GOLD_SETS[request.param]
    return id_pattern, _items(path)


@pytest.fixture(scope="module")
def items(gold_set) -> list[dict]:
    return gold_set[1]


def _events(items: list[dict]):
    for item in items:
        for event in item["events"]:
            yield item, event


def test_ids_unique_and_named_after_sentence(gold_set):
    id_pattern, items = gold_set
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    for item in items:
        assert item["id"] == id_pattern.format(item["sentence"])
        assert item["corpus"] == items[0]["corpus"], item["id"]


def test_counts_of_event_and_empty_items(items):
    with_events = sum(1 for item in items if item["events"])
    assert with_events >= 60
    assert len(items) - with_events >= 10


def test_every_item_refers_to_an_existing_sentence(items):
    for item in items:
        texts = _texts(item["corpus"])
        assert item["sentence"] in texts, item["id"]
        assert texts[item["sentence"]].strip(), item["id"]
        if "context" in item:
            assert item["context"] == item["sentence"] - 1, item["id"]


def test_only_references_no_text_is_stored(items):
    """The corpus text must not be copied into the project: items hold indices and offsets only."""
    item_keys = {"id", "corpus", "sentence", "context", "published", "events", "timexes"}
    event_keys = {"type", "mode", "source", "target", "date", "date_mod", "place", "attribution", "status",
                  "evidence_span", "optional", "note"}
    for item in items:
        assert set(item) <= item_keys, (item["id"], set(item) - item_keys)
        for event in item["events"]:
            assert set(event) == event_keys, (item["id"], set(event) ^ event_keys)
        for timex in item["timexes"]:
            assert set(timex) == {"span", "value"}, item["id"]


def test_evidence_spans_inside_text_and_trimmed(items):
    for item, event in _events(items):
        text = _texts(item["corpus"])[item["sentence"]]
        start, end = event["evidence_span"]
        assert 0 <= start < end <= len(text), (item["id"], event["evidence_span"])
        covered = text[start:end]
        assert covered == covered.strip(), (item["id"], covered)


def test_timex_spans_and_values(items):
    for item in items:
        text = _texts(item["corpus"])[item["sentence"]]
        for timex in item["timexes"]:
            start, end = timex["span"]
            assert 0 <= start < end <= len(text), (item["id"], timex)
            assert timex["value"] is None or ISO_DATE.match(timex["value"]), (item["id"], timex)


def test_types_statuses_and_flags(items):
    for item, event in _events(items):
        types = event["type"]
        assert types and set(types) <= PLOVER_TYPES, (item["id"], types)
        assert len(types) == len(set(types)), (item["id"], types)
        assert event["status"] in STATUSES, (item["id"], event["status"])
        assert isinstance(event["optional"], bool)
        assert isinstance(event["attribution"], list) and all(isinstance(a, str) and a for a in event["attribution"])
        if event["status"] in SOURCED:
            assert event["attribution"], (item["id"], event["status"])


def test_actors_use_contract_codes(items):
    for item, event in _events(items):
        actors = [event["source"], event["target"]]
        for actor in actors:
            assert set(actor) == {"country", "sector", "name"}, item["id"]
            country = actor["country"]
            assert country is None or re.fullmatch(r"[A-Z]{3}", country) or country in BODY_CODES, (item["id"], country)
            assert actor["sector"] in SECTORS, (item["id"], actor["sector"])
        assert any(v is not None for actor in actors for v in actor.values()), (item["id"], "event without an actor")


def test_dates_are_iso_without_publication_date(items):
    for item, event in _events(items):
        assert item["published"] is None
        assert event["date"] is None or ISO_DATE.match(event["date"]), (item["id"], event["date"])
        assert event["date_mod"] in DATE_MODS, (item["id"], event["date_mod"])


def test_set_is_varied(items):
    types = Counter(t for _, event in _events(items) for t in event["type"][:1])
    statuses = Counter(event["status"] for _, event in _events(items))
    countries = {event[side]["country"] for _, event in _events(items) for side in ("source", "target")}
    assert len(types) >= 12
    assert {"asserted", "reported", "alleged", "hypothetical", "confirmed", "denied"} <= set(statuses)
    assert len(countries - {None, "ITA"}) >= 15


def test_devtest_shares_no_sentence_with_dev():
    """The devtest set must stay untouched by tuning: none of its sentences may also sit in the dev set."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    dev_path, devtest_path = GOLD_SETS["dev"][0], GOLD_SETS["devtest"][0]
    dev_texts = {_texts(item["corpus"])[item["sentence"]] for item in _items(dev_path)}
    devtest_texts = {_texts(item["corpus"])[item["sentence"]] for item in _items(devtest_path)}
    assert not dev_texts & devtest_texts


def test_show_kind_prints_index_text_and_spans():
    corpus = SHARED / "data" / "kind" / "evalita-2023" / "WN_dev.tsv"
    if not corpus.is_file():
        pytest.skip("../shared is absent")
    sentence = _texts("kind/evalita-2023/WN_dev.tsv")[878]
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "show_kind.py"), "WN_dev.tsv", "--index", "878", "--span", "arrestato"],
        capture_output=True, text=True, check=True)
    start = sentence.index("arrestato")
    assert f"[878] ({len(sentence)} chars) {sentence}" in result.stdout
    assert f"'arrestato': [{start}, {start + 9}]" in result.stdout


def test_show_kind_check_flags_bad_spans(tmp_path):
    corpus = SHARED / "data" / "kind" / "evalita-2023" / "WN_dev.tsv"
    if not corpus.is_file():
        pytest.skip("../shared is absent")
    bad = {"id": "x", "sentence": 878, "events": [{"type": ["COERCE"], "status": "asserted", "evidence_span": [5, 99999],
                                                  "source": {}, "target": {}}], "timexes": []}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "tools" / "show_kind.py"), "WN_dev.tsv", "--check", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "BAD SPAN" in result.stdout
