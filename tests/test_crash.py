"""Crash safety: an ingest killed (SIGKILL) at random moments, or interrupted with Ctrl-C, then run
again, ends with every article stored once, an intact database and the facts of a clean run."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_ingest_parallel import cli_env, committed, snapshot, write_feed

from cronaca import ingest as engine
from cronaca.ingest import IngestOptions, ingest, stale_marker

ARTICLES = 300
BULK_AFTER = 60   # the first 60 articles with facts batch by batch, the rest in bulk mode


def ingest_command(db: Path, feed: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "cronaca", "ingest", "--db", str(db), "--batch-size", "10",
            "--bulk-after", str(BULK_AFTER), *extra, str(feed)]


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crash") / "feed.jsonl"
    write_feed(path, ARTICLES, seed=11)
    return path


@pytest.fixture(scope="module")
def clean(feed: Path) -> dict:
    db = feed.parent / "clean.db"
    summary = ingest([feed], db, IngestOptions(workers=2, batch_size=10, bulk_after=BULK_AFTER))
    assert (summary.new, summary.failed) == (ARTICLES, 0) and summary.facts_rebuilt is not None
    assert not stale_marker(db).exists()
    return snapshot(db)


def test_killed_at_random_moments_then_rerun_equals_a_clean_run(feed: Path, clean: dict,
                                                                 tmp_path: Path) -> None:
    rng = random.Random(2024)
    # kill at start-up, in the batch-by-batch phase, in the bulk phase: in a random order, each
    # once a random number of articles is committed, after a random extra delay
    targets = [0, rng.randrange(1, BULK_AFTER), rng.randrange(BULK_AFTER, ARTICLES - 40)]
    rng.shuffle(targets)
    outcomes = []
    for attempt, target in enumerate(targets):
        db = tmp_path / f"killed{attempt}.db"
        proc = subprocess.Popen(ingest_command(db, feed, "--workers", "2"), env=cli_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        deadline = time.monotonic() + 120
        while proc.poll() is None and committed(db) < target and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.05 if target else 1.0))
        at = committed(db)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the reader, the writer and every worker
        proc.wait(timeout=60)
        outcomes.append((at, proc.returncode))

        again = subprocess.run(ingest_command(db, feed, "--workers", "2"), env=cli_env(),
                               check=False, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        after = snapshot(db)
        assert after["integrity"] == "ok"
        assert after["articles"] == ARTICLES and after["ids"] == clean["ids"]
        assert after["mentions"] == clean["mentions"]
        assert after["facts"] == clean["facts"]
        assert not stale_marker(db).exists()
    assert all(code == -signal.SIGKILL for _, code in outcomes), outcomes
    assert any(0 < at < ARTICLES for at, _ in outcomes), outcomes  # once in mid-ingest at least


def test_ctrl_c_commits_reports_and_resumes(feed: Path, clean: dict, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "interrupted.db"
    proc = subprocess.Popen(ingest_command(db, feed, "--workers", "1"), env=cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while proc.poll() is None and committed(db) < 10 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the ingest ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends: the whole group
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    done = committed(db)
    assert 10 <= done < ARTICLES
    assert out.startswith(f"interrupted: {done} new, ") and "run the same command again" in out
    assert "Traceback" not in err
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    resumed = subprocess.run(ingest_command(db, feed, "--workers", "1"), env=cli_env(),
                             check=False, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{ARTICLES - done} new, {done} already present, 0 failed" in resumed.stdout
    assert snapshot(db)["facts"] == clean["facts"]

    # a third run finds everything stored and extracts nothing: no worker is even started
    def no_workers(self: object) -> None:
        raise AssertionError("a worker was started although every article is stored")

    monkeypatch.setattr(engine._Engine, "_start_worker", no_workers)
    started = time.perf_counter()
    summary = ingest([feed], db, IngestOptions(workers=1))
    assert (summary.new, summary.present, summary.failed) == (0, ARTICLES, 0)
    assert time.perf_counter() - started < 30
