"""Scoring against gold files (``cronaca.evaluate``): exact counts on a tiny gold file of our own
sentences, the matching rules, errors on malformed gold, and the level reached on the seeds.

The expected numbers for ``fixtures/gold_sentences.jsonl`` follow by hand from the matching rules:
  s1 SANCTION USA→RUS            strict match
  s2 SUPPORT JPN→PHL (+ context) strict match; the context's THREATEN is not scored; timex ok
  s3 REJECT RUS + optional AID   strict match; the system's AID hits the optional gold: not counted
  s4 a football result           no gold, no system event
  s5 SANCTION, gold source LVA   loose match only (system says LTU); gold status deliberately wrong
  s6 gold THREATEN on "criticato" missed; the system's ACCUSE is spurious
  s7 AID IRN→RUS, "ha riferito la Tass"; an optional CONSULT nobody finds costs nothing
Strict: gold 6, predicted 6, matched 4 → P = R = F1 = 0.667. Loose: matched 5 → F1 = 0.833.
Status over the 5 loose matches: 4 right (s5 wrong) → 0.8; attribution 5/5; dates 5/5; timex 1/1.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cronaca.evaluate import GoldError, evaluate_gold, reliability
from cronaca.pipeline import Pipeline

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "gold_sentences.jsonl"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="module")
def fixture_result() -> dict:
    """Scored with the rule stages alone, so the hand-derived counts do not move with retraining."""
    return evaluate_gold(FIXTURE, pipeline=Pipeline.for_language("it", models=None))


def test_overall_scores_of_the_tiny_gold_file(fixture_result: dict) -> None:
    assert fixture_result["items"] == 7
    assert fixture_result["overall"] == {
        "event_precision": 0.667, "event_recall": 0.667, "event_f1": 0.667, "event_f1_loose": 0.833,
        "status_accuracy": 0.8, "attribution_accuracy": 1.0, "date_accuracy": 1.0,
        "timex_value_accuracy": 1.0, "gold_events": 6, "system_events": 6, "matched_events": 4,
        "gold_timexes": 1, "calibration_error": fixture_result["overall"]["calibration_error"],
    }


def test_errors_are_classified(fixture_result: dict) -> None:
    """s5's source is wrong (LTU for LVA), s6's THREATEN has an ACCUSE on its trigger (wrong
    type) and that ACCUSE is spurious."""
    errors = fixture_result["errors"]
    assert errors == {"trigger_missed": 0, "wrong_type": 1, "source_missing": 0, "source_wrong": 1,
                      "target_missing": 0, "target_wrong": 0, "spurious": 1}


def test_reliability_table_and_calibration_error() -> None:
    pairs = [(0.95, True)] * 9 + [(0.95, False)] + [(0.25, False)] * 3 + [(0.25, True)]
    table, ece = reliability(pairs)
    assert table == [{"bin": "0.2-0.3", "events": 4, "confidence": 0.25, "accuracy": 0.25},
                     {"bin": "0.9-1.0", "events": 10, "confidence": 0.95, "accuracy": 0.9}]
    assert ece == round((4 * 0.0 + 10 * 0.05) / 14, 3)
    assert reliability([]) == ([], None)


def test_the_fixture_reports_one_confidence_per_scored_event(fixture_result: dict) -> None:
    rows = fixture_result["reliability"]
    # the 6 scored system events, and s3's AID that strictly matches an optional gold event: right
    assert sum(r["events"] for r in rows) == 7
    assert all(0.0 <= r["accuracy"] <= 1.0 for r in rows)


def test_per_type_counts(fixture_result: dict) -> None:
    counts = {t: (s["gold"], s["predicted"], s["matched"]) for t, s in fixture_result["by_type"].items()}
    assert counts == {"ACCUSE": (0, 1, 0), "AID": (1, 1, 1), "REJECT": (1, 1, 1),
                      "SANCTION": (2, 2, 1), "SUPPORT": (1, 1, 1), "THREATEN": (1, 0, 0)}
    assert fixture_result["by_type"]["SANCTION"]["f1"] == 0.5


def test_mistakes_name_what_went_wrong(fixture_result: dict) -> None:
    by_item: dict[str, list[dict]] = {}
    for m in fixture_result["mistakes"]:
        by_item.setdefault(m["item"], []).append(m)
    assert sorted(by_item) == ["s5", "s6"]
    (loose,) = by_item["s5"]
    assert loose["countries"]["gold"] == ["LVA", "RUS"]
    assert loose["countries"]["system"] == [["LTU"], ["RUS"]]
    assert loose["status"] == {"gold": "reported", "system": "asserted"}
    assert {"missed": "ha criticato il Giappone", "type": ["THREATEN"], "item": "s6"} in by_item["s6"]
    assert any(m.get("spurious") == "ACCUSE" and m["trigger"] == "criticato" for m in by_item["s6"])


def _write(tmp_path: Path, *items: dict | str) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(i if isinstance(i, str) else json.dumps(i, ensure_ascii=False)
                              for i in items) + "\n", encoding="utf-8")
    return path


def _one(text: str, types: list[str], source: str | None, target: str | None, evidence: str) -> dict:
    return {"id": "x", "text": text, "published": "2025-06-05", "events": [{
        "type": types, "source": {"country": source}, "target": {"country": target}, "date": None,
        "attribution": [], "status": "asserted", "evidence": evidence}]}


def test_symmetric_types_match_with_source_and_target_swapped(tmp_path: Path) -> None:
    gold = _write(tmp_path, _one("L'incontro tra Vladimir Putin e Xi Jinping si è svolto a Pechino.",
                                 ["CONSULT"], "CHN", "RUS", "L'incontro tra Vladimir Putin e Xi Jinping"))
    assert evaluate_gold(gold)["overall"]["matched_events"] == 1


def test_directed_types_do_not_match_when_swapped(tmp_path: Path) -> None:
    gold = _write(tmp_path, _one("Gli Stati Uniti hanno sanzionato la Russia.", ["SANCTION"], "RUS", "USA",
                                 "hanno sanzionato la Russia"))
    overall = evaluate_gold(gold)["overall"]
    assert (overall["matched_events"], overall["event_f1"], overall["event_f1_loose"]) == (0, 0.0, 1.0)


def test_alternative_type_and_null_country_match(tmp_path: Path) -> None:
    gold = _write(tmp_path, _one("Gli Stati Uniti hanno sanzionato la Russia.", ["COERCE", "SANCTION"],
                                 None, "RUS", "sanzionato"))
    result = evaluate_gold(gold)
    assert result["overall"]["matched_events"] == 1
    # the match counts for the gold's first type, not for the system's
    assert result["by_type"]["COERCE"]["matched"] == 1
    assert "SANCTION" not in result["by_type"]  # no gold and, once re-counted, no prediction of it


def test_trigger_outside_the_evidence_does_not_match(tmp_path: Path) -> None:
    gold = _write(tmp_path, _one("Gli Stati Uniti hanno sanzionato la Russia.", ["SANCTION"], "USA", "RUS",
                                 "Gli Stati Uniti hanno"))
    overall = evaluate_gold(gold)["overall"]
    assert (overall["gold_events"], overall["system_events"], overall["matched_events"]) == (1, 1, 0)


@pytest.mark.parametrize("mod, accuracy", [("END", 1.0), ("START", 0.0), (None, 1.0)])
def test_date_agreement_needs_the_modifier_when_gold_gives_one(tmp_path: Path, mod: str | None,
                                                               accuracy: float) -> None:
    item = _one("Alla fine del 2024 gli Stati Uniti hanno sanzionato la Russia.", ["SANCTION"], "USA", "RUS",
                "gli Stati Uniti hanno sanzionato la Russia")
    item["events"][0].update(date="2024", date_mod=mod)
    assert evaluate_gold(_write(tmp_path, item))["overall"]["date_accuracy"] == accuracy


def test_malformed_json_line_names_file_and_line(tmp_path: Path) -> None:
    good = _one("Gli Stati Uniti hanno sanzionato la Russia.", ["SANCTION"], "USA", "RUS", "sanzionato")
    gold = _write(tmp_path, good, "", '{"id": "broken", "text": "senza fine"')
    with pytest.raises(GoldError, match=re.escape(f"{gold}:3:")):
        evaluate_gold(gold)


def test_gold_item_without_text_names_file_and_line(tmp_path: Path) -> None:
    gold = _write(tmp_path, {"id": "no-text", "published": "2025-06-05", "events": []})
    with pytest.raises(GoldError, match=re.escape(f"{gold}:1:")):
        evaluate_gold(gold)


def test_evidence_not_in_the_text_is_an_error(tmp_path: Path) -> None:
    gold = _write(tmp_path, _one("Gli Stati Uniti hanno sanzionato la Russia.", ["SANCTION"], "USA", "RUS",
                                 "la Francia ha sanzionato"))
    with pytest.raises(GoldError, match="la Francia ha sanzionato"):
        evaluate_gold(gold)


def test_corpus_item_needs_a_corpus_root(tmp_path: Path) -> None:
    gold = _write(tmp_path, {"id": "c1", "corpus": "kind/whatever.tsv", "sentence": 0, "events": []})
    with pytest.raises(GoldError, match="corpus"):
        evaluate_gold(gold)


def test_seeds_reach_the_agreed_level() -> None:
    gold = SHARED / "data" / "gold" / "seeds.jsonl"
    if not gold.is_file():
        pytest.skip(f"seed gold not found at {gold}")
    overall = evaluate_gold(gold, seeds_dir=SHARED / "seeds")["overall"]
    assert overall["event_f1"] >= 0.7, overall
    assert overall["status_accuracy"] >= 0.8, overall
    assert overall["attribution_accuracy"] >= 0.8, overall
    assert overall["timex_value_accuracy"] >= 0.85, overall
