"""Ingest at scale: articles/s end to end on 1 and on all cores, peak RSS, database size, rebuild.

The corpus: N Italian articles of about 3 KB, each made of runs of consecutive Wikinews
sentences taken from random places of KIND's training file (``../shared/data/kind/*/WN_train.tsv``)
and given a random date of 2015-2025, written as one ``.jsonl.gz`` file in a temporary folder.
Each configuration runs ``python -m cronaca ingest`` restricted to C CPU cores (its affinity;
the ingest then starts one worker per core, and its reader and writer share those cores) on a
fresh database, timed from start to exit (the final facts rebuild included), so articles/s
divided by C is the per-core figure. The peak RSS is the largest sum over the whole process
tree (reader, writer, workers), sampled from /proc every 0.2 s (on other systems: the largest
single process, from ``getrusage``). The CPU time of the whole tree gives articles per
CPU-second, a per-core figure that does not depend on what else the machine runs. The facts
are then rebuilt from scratch once more (``rebuild_facts``, one process) and timed.

    python bench/scale.py --n 10000              # on 1 core, then on all cores
    python bench/scale.py --n 100000 --cores 2 --json
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cronaca.corpora.kind import read_kind
from cronaca.ingest import available_cores
from cronaca.store import open_store

REPO = Path(__file__).resolve().parents[1]
KIND = REPO.parent / "shared" / "data" / "kind"
ARTICLE_BYTES = 3000
FIRST_DAY, DAYS = date(2015, 1, 1), 11 * 365


def load_sentences(kind: Path = KIND) -> list[str]:
    sentences = [s.text for f in sorted(kind.glob("*/WN_train.tsv")) for s in read_kind(f)]
    if not sentences:
        raise SystemExit(f"scale: no WN_train.tsv under {kind} (is ../shared beside the repo?)")
    return sentences


def write_corpus(path: Path, n: int, sentences: list[str], seed: int = 5) -> int:
    """``n`` articles as JSON Lines (gzip); returns the bytes of article text written."""
    rng = random.Random(seed)
    total = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        for i in range(n):
            parts: list[str] = []
            size = 0
            while size < ARTICLE_BYTES:
                start = rng.randrange(len(sentences))
                for sentence in sentences[start:start + rng.randint(2, 5)]:
                    parts.append(sentence)
                    size += len(sentence.encode("utf-8")) + 1
            text = " ".join(parts)
            total += len(text.encode("utf-8"))
            published = (FIRST_DAY + timedelta(days=rng.randrange(DAYS))).isoformat()
            out.write(json.dumps({"id": f"scale-{i}", "text": text, "published": published},
                                 ensure_ascii=False) + "\n")
    return total


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            pass
    return total


def run_ingest(corpus: Path, db: Path, cores: int) -> dict[str, Any]:
    """One timed ``cronaca ingest`` on ``cores`` CPU cores (one worker per core): wall time, CPU
    time of the whole tree (reader, writer and workers: a figure that other load on the machine
    does not change), peak RSS of the tree."""
    command = [sys.executable, "-m", "cronaca", "ingest", "--db", str(db), "--workers",
               str(cores), str(corpus)]
    allowed = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if allowed and cores > len(allowed):
        raise SystemExit(f"scale: {cores} cores asked, {len(allowed)} available")

    def pin() -> None:  # in the child, before it starts: the ingest and its workers inherit it
        if allowed:
            os.sched_setaffinity(0, allowed[:cores])

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=pin)  # noqa: PLW1509 - no threads in this process
    peak = 0
    sampling = os.path.isdir("/proc")
    while proc.poll() is None:
        if sampling:
            peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    out, err = proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"scale: ingest failed ({proc.returncode}): {err.strip()[-500:]}")
    if not sampling:  # the largest single process: KiB on Linux, bytes on macOS
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * (
            1 if sys.platform == "darwin" else 1024)
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak / 2**20,
            "summary": out.strip()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles (default 100,000)")
    parser.add_argument("--cores", default=f"1,{available_cores()}",
                        help="comma-separated core counts to time, one worker per core "
                             "(default: 1 and all cores)")
    parser.add_argument("--dir", type=Path, help="work folder (default: a temporary one, removed)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    counts = sorted({int(c) for c in args.cores.split(",")})

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl.gz"
        started = time.perf_counter()
        text_bytes = write_corpus(corpus, args.n, load_sentences())
        runs: list[dict[str, Any]] = []
        result: dict[str, Any] = {
            "articles": args.n, "mean_article_kb": round(text_bytes / args.n / 1000, 2),
            "corpus_gz_mb": round(corpus.stat().st_size / 2**20, 1),
            "corpus_seconds": round(time.perf_counter() - started, 1),
            "cores": available_cores(), "python": sys.version.split()[0], "runs": runs}
        for cores in counts:
            db = folder / f"c{cores}.db"
            run = run_ingest(corpus, db, cores)
            with open_store(db) as store:
                counted = store.stats()
                started = time.perf_counter()
                facts = store.rebuild_facts()
                rebuild = time.perf_counter() - started
                size = store.stats()["database_bytes"] or 0
            runs.append({
                "cores": cores, "workers": cores, "seconds": round(run["seconds"], 1),
                "articles_per_s": round(args.n / run["seconds"], 1),
                "articles_per_s_per_core": round(args.n / run["seconds"] / cores, 1),
                "cpu_seconds": round(run["cpu_seconds"], 1),
                "articles_per_cpu_s": round(args.n / run["cpu_seconds"], 1),
                "peak_rss_mb": round(run["peak_rss_mb"], 1),
                "stored": counted["articles"], "event_mentions": counted["event_mentions"],
                "facts": facts, "database_mb": round(size / 2**20, 1),
                "rebuild_facts_seconds": round(rebuild, 1), "summary": run["summary"]})
            for extra in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                extra.unlink(missing_ok=True)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.n} articles of {result['mean_article_kb']} KB ({result['corpus_gz_mb']} MB "
          f"gzip, built in {result['corpus_seconds']} s) on {result['cores']} cores:")
    for run in result["runs"]:
        print(f"  {run['cores']} core(s), as many workers: {run['articles_per_s']} articles/s "
              f"({run['articles_per_s_per_core']} per core), {run['seconds']} s, "
              f"{run['articles_per_cpu_s']} articles per CPU-second; peak RSS "
              f"{run['peak_rss_mb']} MB; {run['stored']} articles, {run['event_mentions']} "
              f"mentions, {run['facts']} facts; database {run['database_mb']} MB; facts rebuilt "
              f"in {run['rebuild_facts_seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
