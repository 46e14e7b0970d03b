"""Parallel ingest: every article once whatever the worker count, bounded reading ahead, a worker
that dies costs one article, one writer per database while readers go on, quarantine and stats."""
from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cronaca.cli import app
from cronaca.ingest import IngestLocked, IngestOptions, WriterLock, _run, ingest
from cronaca.read import read_inputs
from cronaca.store import FactFilter, open_store

REPO = Path(__file__).resolve().parents[1]

# Our own sentence parts (never corpus text): combined, they make distinct short articles whose
# events (meetings, visits, sanctions, attacks) give facts that fuse across articles.
_AGENTS = ["Il ministro degli Esteri italiano", "Il presidente francese", "La premier tedesca",
           "Il segretario di Stato americano", "Il cancelliere austriaco", "Il governo spagnolo"]
_ACTS = ["ha incontrato a Roma il suo omologo {c}", "ha visitato Kiev insieme alla delegazione {c}",
         "ha annunciato nuove sanzioni contro il governo {c}",
         "ha condannato l'attacco delle truppe {c} al confine"]
_COUNTRIES = ["russo", "ucraino", "cinese", "turco", "egiziano", "brasiliano"]
_DAYS = ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì"]


def article_text(i: int, rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 6)):
        act = rng.choice(_ACTS).format(c=rng.choice(_COUNTRIES))
        sentences.append(f"{rng.choice(_AGENTS)} {act} {rng.choice(_DAYS)}.")
    sentences.append(f"Il comunicato numero {i} è stato diffuso in serata dall'agenzia.")
    return " ".join(sentences)


def write_feed(path: Path, n: int, seed: int = 1) -> list[str]:
    """``n`` distinct articles as JSON Lines (gzip when ``path`` ends in .gz); returns the texts."""
    rng = random.Random(seed)
    texts = [article_text(i, rng) for i in range(n)]
    lines = "".join(json.dumps({"id": f"n{i}", "text": t,
                                "published": f"2024-0{1 + i % 9}-1{i % 10}"},
                               ensure_ascii=False) + "\n" for i, t in enumerate(texts))
    if path.name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(lines)
    else:
        path.write_text(lines, encoding="utf-8")
    return texts


def snapshot(db: Path) -> dict:
    """What a store holds, independent of storage order: articles, mentions, facts."""
    with open_store(db) as store:
        facts = sorted((f.to_dict() for f in store.iter_facts()), key=lambda f: f["id"])
        stats = store.stats()
    conn = sqlite3.connect(db)
    try:
        ids = sorted(r[0] for r in conn.execute("SELECT id FROM articles"))
        mentions = sorted(conn.execute("SELECT article_id, event_id, type, status"
                                       " FROM event_mentions"))
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    return {"ids": ids, "mentions": mentions, "facts": facts, "integrity": integrity,
            "articles": stats["articles"]}


def committed(db: Path) -> int:
    """Articles committed so far (0 before the database exists); never creates the file."""
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def busy_worker(db: Path) -> int | None:
    """The pid of a worker of this process once articles are being committed to ``db``."""
    workers = [p for p in multiprocessing.active_children() if p.name == "cronaca-worker"]
    return workers[0].pid if workers and committed(db) > 0 else None


def signal_a_busy_worker(db: Path, signum: int, hit: list[int]) -> threading.Thread:
    """A started thread that sends ``signum`` to one worker once articles are being committed
    to ``db``, and records its pid in ``hit``."""
    def send() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not hit:
            pid = busy_worker(db)
            if pid is not None:  # extraction is under way: hit a worker in the middle of it
                os.kill(pid, signum)
                hit.append(pid)
            time.sleep(0.02)

    thread = threading.Thread(target=send)
    thread.start()
    return thread


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_two_workers_store_what_one_worker_stores(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl.gz"
    texts = write_feed(feed, 30)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "extra.txt").write_text("date 2024-03-02\n" + texts[0] + " Aggiornamento.",
                                      encoding="utf-8")
    one = ingest([feed, folder], tmp_path / "one.db",
                 IngestOptions(workers=1, batch_size=25, chunk_size=4))
    two = ingest([feed, folder, feed], tmp_path / "two.db",
                 IngestOptions(workers=2, batch_size=7, chunk_size=3))
    assert (one.new, one.present, one.failed) == (31, 0, 0)
    assert (two.new, two.present, two.failed) == (31, 30, 0)  # the feed twice: stored once
    assert one.events > 0
    a, b = snapshot(tmp_path / "one.db"), snapshot(tmp_path / "two.db")
    assert a["articles"] == 31 and a["integrity"] == "ok" and b["integrity"] == "ok"
    assert a["ids"] == b["ids"] and a["mentions"] == b["mentions"]
    assert a["facts"] == b["facts"] and len(a["facts"]) > 10


def test_reading_ahead_is_bounded(tmp_path: Path) -> None:
    """The reader never runs far ahead of the commits: memory stays flat whatever the corpus."""
    feed = tmp_path / "feed.jsonl"
    write_feed(feed, 80, seed=2)
    db = tmp_path / "bounded.db"
    open_store(db).close()
    conn = sqlite3.connect(db)
    gaps: list[int] = []

    def counted() -> Iterator:
        for pulled, item in enumerate(read_inputs([feed]), 1):
            stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            gaps.append(pulled - stored)
            yield item

    options = IngestOptions(workers=1, batch_size=10, chunk_size=2)
    summary = _run(db, counted(), options)
    assert summary.new == 80
    budget = 2 * options.batch_size + 2 * options.workers * options.chunk_size
    assert max(gaps) <= budget + 1
    assert max(gaps) >= options.batch_size  # it does read ahead while workers extract


def test_a_worker_that_dies_costs_one_article(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    write_feed(feed, 80, seed=3)
    db = tmp_path / "dies.db"
    errors: list[str] = []
    killed: list[int] = []
    killer = signal_a_busy_worker(db, signal.SIGKILL, killed)
    summary = ingest([feed], db, IngestOptions(workers=2, chunk_size=4, batch_size=5,
                                               on_error=lambda e: errors.append(str(e))))
    killer.join()
    assert killed
    assert summary.new + summary.failed == 80 and summary.failed <= 1
    assert all("crashed its worker" in e for e in errors)
    with open_store(db) as store:
        assert store.count_articles() == summary.new
        assert len(store.failures()) == summary.failed


def test_each_article_has_a_time_bound(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    write_feed(feed, 3, seed=4)
    errors: list[str] = []
    summary = ingest([feed], tmp_path / "slow.db", IngestOptions(
        workers=1, item_timeout=0.001, on_error=lambda e: errors.append(str(e))))
    assert (summary.new, summary.failed) == (0, 3)
    assert all("extraction took longer than 0.001 s" in e for e in errors)


def test_a_second_ingest_stops_with_a_message_or_waits_for_the_lock(tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    write_feed(small, 2, seed=6)
    db = tmp_path / "busy.db"
    command = [sys.executable, "-m", "cronaca", "ingest", "--db", str(db), "--workers", "1",
               str(small)]
    holder = WriterLock(db)  # this test process plays the ingest that is running
    holder.acquire()
    try:
        with pytest.raises(IngestLocked, match=rf"another ingest \(pid {os.getpid()}\) is writing"):
            WriterLock(db).acquire(timeout=0.2)
        refused = subprocess.run(command, check=False, capture_output=True, text=True,
                                 env=cli_env(), timeout=120)
        assert refused.returncode == 3 and "Traceback" not in refused.stderr
        assert f"another ingest (pid {os.getpid()}) is writing" in refused.stderr
        assert "--wait" in refused.stderr
        waiting = subprocess.Popen(command + ["--wait", "120"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=cli_env())
        time.sleep(3.0)
        assert waiting.poll() is None  # still waiting for the lock
    finally:
        holder.release()
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "2 new, 0 already present, 0 failed" in out


def test_readers_keep_working_during_an_ingest(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    write_feed(feed, 800, seed=5)
    db = tmp_path / "busy.db"
    open_store(db).close()
    ingesting = subprocess.Popen([sys.executable, "-m", "cronaca", "ingest", "--db", str(db),
                                  "--workers", "1", "--batch-size", "10", str(feed)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=cli_env())
    seen: list[int] = []
    try:
        with open_store(db) as reader:  # a long-lived reader, as serve keeps one
            deadline = time.monotonic() + 300
            while ingesting.poll() is None and time.monotonic() < deadline:
                seen.append(reader.count_articles())
                reader.find_facts(FactFilter(), limit=5)
                if len(seen) % 20 == 0:
                    with open_store(db) as fresh:  # and one opened meanwhile, as timeline does
                        assert fresh.count_articles() >= seen[-1]
                time.sleep(0.02)
    finally:
        if ingesting.poll() is None:
            ingesting.kill()
        out, err = ingesting.communicate()
    assert ingesting.returncode == 0, err
    assert "800 new" in out
    partial = [n for n in seen if 0 < n < 800]
    assert len(set(partial)) >= 3 and partial == sorted(partial)  # read mid-ingest, never back


def test_quarantine_lists_and_retries_failed_inputs(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("date 2024-06-20\nIl ministro ha incontrato a Roma il suo omologo turco.",
                    encoding="utf-8")
    bad_date = tmp_path / "bad.txt"
    bad_date.write_text("date 2023-13\nIl presidente ha visitato Kiev.", encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": "La premier ha condannato l'attacco."}) + "\n"
                    + json.dumps({"text": 42}) + "\n", encoding="utf-8")
    db = str(tmp_path / "q.db")
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", "--db", db, "--workers", "1", str(tmp_path)])
    assert first.exit_code == 0 and "2 new, 0 already present, 2 failed" in first.stdout
    listed = runner.invoke(app, ["failures", "--db", db, "--json"])
    assert listed.exit_code == 0
    quarantined = {(f["path"], f["line"]): f["reason"] for f in json.loads(listed.stdout)}
    assert set(quarantined) == {(str(bad_date), 1), (str(feed), 2)}
    assert "2023-13" in quarantined[(str(bad_date), 1)]
    assert '"text" must be a non-empty string' in quarantined[(str(feed), 2)]
    table = runner.invoke(app, ["failures", "--db", db])
    assert table.exit_code == 0 and "2 failed inputs" in table.stdout

    again = runner.invoke(app, ["ingest", "--db", db, "--workers", "1", str(tmp_path)])
    assert "0 new, 2 already present, 2 failed" in again.stdout
    assert len(json.loads(runner.invoke(app, ["failures", "--db", db, "--json"]).stdout)) == 2

    bad_date.write_text("date 2023-12\nIl presidente ha visitato Kiev.", encoding="utf-8")
    retried = runner.invoke(app, ["failures", "--db", db, "--retry", "--workers", "1", "--json"])
    assert retried.exit_code == 0, retried.output
    report = json.loads(retried.stdout)
    assert (report["released"], report["new"], report["failed"]) == (1, 1, 1)
    left = json.loads(runner.invoke(app, ["failures", "--db", db, "--json"]).stdout)
    assert [(f["path"], f["line"]) for f in left] == [(str(feed), 2)]

    stats = runner.invoke(app, ["stats", "--db", db, "--json"])
    counts = json.loads(stats.stdout)
    assert (counts["articles"], counts["failures"]) == (3, 1)
    assert counts["event_mentions"] >= 1 and counts["facts"] >= 1
    assert counts["database_bytes"] >= os.path.getsize(db)
    text = runner.invoke(app, ["stats", "--db", db])
    assert "articles: 3" in text.stdout and "database size:" in text.stdout


def test_stats_and_failures_need_an_existing_database(tmp_path: Path) -> None:
    for command in (["stats"], ["failures"], ["failures", "--retry"]):
        result = CliRunner().invoke(app, [*command, "--db", str(tmp_path / "none.db")])
        assert result.exit_code == 2 and "no such database" in result.stderr


def test_a_worker_that_stops_answering_is_killed_and_its_article_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGSTOP freezes a worker where no time limit inside it can fire: the reader's watchdog
    must kill it, fail the article it was on and hand the rest of its chunk to a new worker."""
    from cronaca import ingest as engine

    monkeypatch.setattr(engine, "KILL_GRACE", 0.5)
    feed = tmp_path / "feed.jsonl"
    write_feed(feed, 80, seed=7)
    db = tmp_path / "frozen.db"
    errors: list[str] = []
    frozen: list[int] = []
    freezer = signal_a_busy_worker(db, signal.SIGSTOP, frozen)
    summary = ingest([feed], db, IngestOptions(workers=1, chunk_size=8, batch_size=4,
                                               item_timeout=3.0,
                                               on_error=lambda e: errors.append(str(e))))
    freezer.join()
    assert frozen
    assert (summary.new, summary.failed) == (79, 1)
    assert len(errors) == 1 and "its worker was killed" in errors[0]


def test_a_reader_that_raises_costs_the_rest_of_its_input_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence against reader bugs: the input whose reader raised ends with one error naming it,
    and the inputs after it are still read."""
    from cronaca import ingest as engine

    real = engine.read_inputs

    def flaky(paths: list, **kwargs: object) -> Iterator:
        for item in real(paths, **kwargs):
            yield item
            if str(paths[0]).endswith("bad.jsonl"):
                raise RuntimeError("reader bug")

    monkeypatch.setattr(engine, "read_inputs", flaky)
    bad, good = tmp_path / "bad.jsonl", tmp_path / "good.jsonl"
    write_feed(bad, 3, seed=8)
    write_feed(good, 2, seed=9)
    items = list(engine._read_each([bad, good], IngestOptions(workers=1)))
    assert [(Path(i.path).name, i.line, type(i).__name__) for i in items] == [
        ("bad.jsonl", 1, "Article"), ("bad.jsonl", 2, "ReadError"),
        ("good.jsonl", 1, "Article"), ("good.jsonl", 2, "Article")]
    assert items[1].reason == ("reading stopped: RuntimeError: reader bug (the rest of this "
                               "input was not read)")
