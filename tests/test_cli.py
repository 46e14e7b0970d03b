"""The command line: output order, error lines with file:line, exit codes, ingest idempotence."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cronaca import cli
from cronaca.cli import app

EXAMPLES = Path(cli.__file__).parent / "examples"
runner = CliRunner()


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), input=input, env=env)


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text("date 2024-06-20\nIl ministro ha incontrato il suo omologo.",
                                    encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"text": "Prima notizia del feed.", "id": "feed-1", "published": "2024-05"}) + "\n"
        + "{broken json\n"
        + json.dumps({"text": "The minister met his counterpart in Rome.", "lang": "en"}) + "\n",
        encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01\x02binary")
    return tmp_path


def test_extract_prints_one_json_line_per_article_in_input_order(inputs: Path) -> None:
    result = run("extract", str(inputs / "b.jsonl"), str(inputs / "a.txt"))
    assert result.exit_code == 0
    docs = [r["doc"] for r in records(result.stdout)]
    assert [d["text"] for d in docs] == ["Prima notizia del feed.",
                                         "The minister met his counterpart in Rome.",
                                         "Il ministro ha incontrato il suo omologo."]
    assert [d["published"] for d in docs] == ["2024-05", None, "2024-06-20"]
    assert [d["lang"] for d in docs] == ["it", "en", "it"]
    assert docs[0]["id"] == "feed-1" and docs[2]["id"].startswith("sha256:")
    assert [d["source"] for d in docs] == ["b.jsonl", "b.jsonl", "a.txt"]
    for record in records(result.stdout):
        assert set(record) >= {"doc", "entities", "timexes", "events"}


def test_extract_reports_bad_inputs_with_file_and_line_and_succeeds(inputs: Path) -> None:
    result = run("extract", str(inputs))
    assert result.exit_code == 0
    assert len(records(result.stdout)) == 3
    errors = result.stderr.splitlines()
    assert f"cronaca: {inputs / 'b.jsonl'}:2: malformed JSON" in errors[0]
    assert errors[1] == f"cronaca: {inputs / 'c.txt'}:1: binary file (contains NUL bytes)"
    assert "Traceback" not in result.output


def test_extract_fails_when_nothing_could_be_processed(inputs: Path) -> None:
    result = run("extract", str(inputs / "c.txt"), str(inputs / "missing.txt"))
    assert result.exit_code != 0
    assert result.stdout == ""
    assert f"cronaca: {inputs / 'missing.txt'}:1: no such file" in result.stderr
    assert "Traceback" not in result.output


def test_extract_from_stdin_text_and_jsonl() -> None:
    text = run("extract", "--published", "2025-06-05", "-", input="Il presidente ha parlato a Roma.\n")
    assert text.exit_code == 0
    (record,) = records(text.stdout)
    assert record["doc"]["published"] == "2025-06-05" and record["doc"]["source"] == "stdin"
    lines = run("extract", "--lang", "auto", "-", input=json.dumps({"text": "Il governo ha deciso."})
                + "\n" + json.dumps({"text": "The government has decided."}) + "\n")
    assert [r["doc"]["lang"] for r in records(lines.stdout)] == ["it", "en"]


@pytest.mark.parametrize("args, message", [
    (["--published", "2024-13"], "--published"),
    (["--published", "yesterday"], "--published"),
    (["--lang", "xx"], "--lang 'xx' is not supported"),
])
def test_bad_options_are_one_clear_line(inputs: Path, args: list[str], message: str) -> None:
    result = run("extract", *args, str(inputs / "a.txt"))
    assert result.exit_code == 2
    assert result.stderr.startswith("cronaca: error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_extraction_failure_is_reported_not_a_traceback(inputs: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real = cli.extract_record

    def flaky(text: str, **kwargs):
        if "feed" in text:
            raise RuntimeError("stage exploded")
        return real(text, **kwargs)

    monkeypatch.setattr(cli, "extract_record", flaky)
    result = run("extract", str(inputs / "b.jsonl"))
    assert result.exit_code == 0 and len(records(result.stdout)) == 1
    assert f"{inputs / 'b.jsonl'}:1: extraction failed: RuntimeError: stage exploded" in result.stderr


def test_extract_bundled_examples() -> None:
    files = sorted(EXAMPLES.glob("*.txt"))
    assert len(files) == 6
    result = run("extract", *map(str, files))
    assert result.exit_code == 0, result.stderr
    docs = [r["doc"] for r in records(result.stdout)]
    assert [d["source"] for d in docs] == [f.name for f in files]
    for doc, file in zip(docs, files, strict=True):
        header = file.read_text(encoding="utf-8").splitlines()[0]
        assert header == f"date {doc['published']}" and len(doc["published"]) == 10
        assert not doc["text"].startswith("date") and 150 <= len(doc["text"].split()) <= 400


# -- ingest ----------------------------------------------------------------------------------

def test_ingest_twice_is_idempotent_and_records_failures(inputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    first = run("ingest", "--db", str(db), str(inputs))
    assert first.exit_code == 0
    assert "3 new, 0 already present, 2 failed" in first.stdout
    assert f"{inputs / 'b.jsonl'}:2:" in first.stderr and f"{inputs / 'c.txt'}:1:" in first.stderr
    second = run("ingest", "--db", str(db), str(inputs))
    assert second.exit_code == 0
    assert "0 new, 3 already present, 2 failed" in second.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3
    failures = conn.execute("SELECT path, line FROM failures ORDER BY id").fetchall()
    assert failures[:2] == [(str(inputs / "b.jsonl"), 2), (str(inputs / "c.txt"), 1)]


def test_ingest_uses_cronaca_db_and_batches(inputs: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "BATCH_SIZE", 2)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"text": f"Notizia numero {i}."}) + "\n" for i in range(5))
                    + json.dumps({"text": "Notizia numero 0."}) + "\n", encoding="utf-8")
    db = tmp_path / "env.db"
    result = run("ingest", str(feed), env={"CRONACA_DB": str(db)})
    assert result.exit_code == 0, result.output
    assert "5 new, 1 already present, 0 failed" in result.stdout
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 5


def test_ingest_stores_good_records_even_when_others_fail(inputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = run("ingest", "--db", str(db), str(inputs / "c.txt"), str(inputs / "a.txt"))
    assert result.exit_code == 0 and "1 new" in result.stdout
    bad = run("ingest", "--db", str(db), str(inputs / "c.txt"))
    assert bad.exit_code != 0 and "0 new, 0 already present, 1 failed" in bad.stdout


def test_ingest_refuses_a_file_that_is_not_a_database(inputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    db.write_text("not a database " * 200)
    result = run("ingest", "--db", str(db), str(inputs / "a.txt"))
    assert result.exit_code == 2 and result.stderr.startswith("cronaca: error: ")
    assert "Traceback" not in result.output


def test_ingest_stops_with_one_line_when_the_store_fails(inputs: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from cronaca.store import StoreError
    from cronaca.store.sqlite import SqliteStore

    def broken(self, records):
        raise StoreError("batch not stored: disk I/O error")

    monkeypatch.setattr(SqliteStore, "add_batch", broken)
    result = run("ingest", "--db", str(tmp_path / "x.db"), str(inputs / "a.txt"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip().endswith("disk I/O error (the 1 articles of this batch were not stored)")


# -- eval, eval-ner --------------------------------------------------------------------------

def fake_module(monkeypatch: pytest.MonkeyPatch, name: str, func: str, report: dict, calls: list) -> None:
    module = types.ModuleType(name)

    def evaluate(*args, **kwargs):
        calls.append((args, kwargs))
        return report

    setattr(module, func, evaluate)
    monkeypatch.setitem(sys.modules, name, module)


GOLD_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "gold_sentences.jsonl"


def test_eval_prints_tables_or_json() -> None:
    table = run("eval", str(GOLD_FIXTURE), "--rules-only")
    assert table.exit_code == 0, table.output
    for heading in ("events: overall", "events: by type", "events: errors", "confidence: reliability"):
        assert heading in table.stdout
    assert "SANCTION" in table.stdout and "0.667" in table.stdout and "spurious" in table.stdout
    report = json.loads(run("eval", str(GOLD_FIXTURE), "--rules-only", "--json").stdout)
    assert report["overall"]["event_f1"] == 0.667 and report["errors"]["spurious"] == 1


def test_eval_scores_a_split_of_the_corpus() -> None:
    report = json.loads(run("eval", "corpus:test", "--json").stdout)
    assert report["gold"] == "corpus:test" and report["overall"]["gold_events"] > 300
    assert report["overall"]["calibration_error"] is not None
    assert run("eval", "corpus:nope").stderr.strip().endswith(
        "the corpus splits are corpus:train, corpus:dev and corpus:test")


def test_eval_missing_gold_is_one_line(tmp_path: Path) -> None:
    result = run("eval", str(tmp_path / "none.jsonl"))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_eval_ner_prints_tables_or_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = {"file": "x.tsv", "sentences": 10,
              "overall": {"precision": 0.9, "recall": 0.8, "f1": 0.847, "tp": 8, "fp": 1, "fn": 2},
              "by_type": {t: {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0}
                          for t in ("PER", "LOC", "ORG")}}
    calls: list = []
    fake_module(monkeypatch, "cronaca.evaluate_ner", "evaluate_ner", report, calls)
    corpus = tmp_path / "x.tsv"
    corpus.write_text("Roma\tB-LOC\n")
    table = run("eval-ner", str(corpus), "--limit", "5")
    assert table.exit_code == 0, table.output
    assert all(t in table.stdout for t in ("PER", "LOC", "ORG", "0.847"))
    assert calls[0] == ((corpus,), {"lang": "it", "limit": 5})
    assert json.loads(run("eval-ner", str(corpus), "--json").stdout) == report


def test_every_command_documents_an_example() -> None:
    for command in app.registered_commands:
        assert "Example: cronaca " in (command.callback.__doc__ or ""), command.callback.__name__


def test_python_dash_m_cronaca() -> None:
    result = subprocess.run([sys.executable, "-m", "cronaca", "extract", "-"], input="Il governo ha deciso.",
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["doc"]["text"] == "Il governo ha deciso."
