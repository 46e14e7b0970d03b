"""The query commands: JSON output in the spec's Facts shape, Rich output, charts, and bad input
as one line on stderr with exit code 2."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_facts_store import story
from typer.testing import CliRunner

from cronaca.cli import app
from cronaca.model import Fact
from cronaca.store import open_store

runner = CliRunner()
FACT_KEYS = {"id", "type", "mode", "source", "target", "date", "mentions", "history", "sources",
             "contested", "first_seen", "last_seen", "links"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "story.db"
    with open_store(path) as store:
        store.add_batch(story())
    return str(path)


def run(db: str, *args: str):
    return runner.invoke(app, [*args, "--db", db])


def as_json(db: str, *args: str):
    result = run(db, *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_timeline_json_is_facts_in_date_order(db: str) -> None:
    facts = as_json(db, "timeline", "Teheran", "Russia")
    assert [f["type"] for f in facts] == ["AID", "CONSULT"]
    assert all(set(f) == FACT_KEYS for f in facts)
    assert Fact.from_dict(facts[0]).to_dict() == facts[0]
    assert facts[0]["sources"]["independent"] >= 2
    assert [f["type"] for f in as_json(db, "timeline", "IRN", "--from", "2023", "--type", "SANCTION")] \
        == ["SANCTION"]


def test_timeline_table(db: str) -> None:
    result = runner.invoke(app, ["timeline", "IRN", "RUS", "--db", db], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert "AID/military" in result.stdout and "alleged 2022-09 → denied" in result.stdout


def test_facts_contested_json(db: str) -> None:
    facts = as_json(db, "facts", "--contested")
    assert facts and all(f["contested"] for f in facts) and all(set(f) == FACT_KEYS for f in facts)
    assert [f["type"] for f in as_json(db, "facts", "--status", "denied", "--actor", "Mosca")] == ["AID"]
    assert {f["type"] for f in as_json(db, "facts", "--source", "Rai News")} == {"AID", "REJECT", "SANCTION"}


def test_fact_shows_every_mention_with_its_sentence(db: str) -> None:
    fact_id = as_json(db, "facts", "--status", "denied")[0]["id"]
    data = as_json(db, "fact", fact_id)
    assert data["fact"]["id"] == fact_id and len(data["evidence"]) == 5
    assert {h["kind"] for h in data["evidence"][0]["highlights"]} == {"trigger", "source", "target"}
    assert [e["event"] for e in as_json(db, "fact", fact_id, "--limit", "2")["evidence"]] \
        == [e["event"] for e in data["evidence"][:2]]
    result = runner.invoke(app, ["fact", fact_id, "--db", db], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert "Zelensky ha accusato Teheran di fornire droni a Mosca" in result.stdout
    assert "contested" in result.stdout and "accused_by" in result.stdout


def test_actors_dyad_search_and_rebuild(db: str, tmp_path: Path) -> None:
    actors = {a["name"]: a for a in as_json(db, "actors", "--country", "Teheran")}
    assert set(actors) == {"Iran", "manifestanti"}
    rows = as_json(db, "dyad", "IRN", "RUS", "--by", "year")
    assert rows == [{"period": "2022", "verbal_cooperation": 0, "material_cooperation": 1,
                     "verbal_conflict": 0, "material_conflict": 0},
                    {"period": "2023", "verbal_cooperation": 1, "material_cooperation": 0,
                     "verbal_conflict": 0, "material_conflict": 0}]
    hits = as_json(db, "search", "sanzioni", "--limit", "5")
    assert hits and all("sanzioni" in h["text"] for h in hits)
    result = run(db, "rebuild")
    assert result.exit_code == 0 and "9 facts from 16 mentions in 12 articles" in result.stdout


def test_dyad_plot_writes_a_png(db: str, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    chart = tmp_path / "dyad.png"
    result = run(db, "dyad", "Iran", "Russia", "--by", "month", "--plot", str(chart))
    assert result.exit_code == 0, result.stderr
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 5000


@pytest.mark.parametrize(("args", "message"), [
    (["fact", "f123"], "unknown fact 'f123'"),
    (["timeline", "Narnia"], "unknown actor 'Narnia'"),
    (["timeline", "RUS", "--from", "2024-02-30"], "invalid date"),
    (["timeline", "RUS", "--type", "WAR"], "unknown event type"),
    (["facts", "--status", "maybe"], "unknown status"),
    (["facts", "--actor", "Corea"], "ambiguous"),
    (["dyad", "RUS", "IRN", "--by", "week"], "unknown period"),
    (["actors", "--country", "Putin"], "not a country"),
    (["search", " "], "nothing to search for"),
])
def test_bad_input_is_one_line_and_exit_2(db: str, args: list[str], message: str) -> None:
    result = run(db, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("cronaca: error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_a_missing_database_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    result = run(str(missing), "facts")
    assert result.exit_code == 2 and "no such database" in result.stderr
    assert not missing.exists()
