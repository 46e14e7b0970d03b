"""Extraction speed on one CPU core: articles/s, KB/s, peak memory, and (optionally) time per stage.

The project's floor is 50 articles of ~3 KB per second on one core, trained taggers included.
The corpus is made of consecutive sentences of KIND's Wikinews training file (../shared/data/kind/evalita-2023),
joined into ~3 KB articles, so the text is real Italian news prose. Every timed article is a
different one, and the warm-up (loading the language data, building the pipeline) reads others,
from the dev file: no timed text was seen before, so caches such as the tokenizer's start cold.
That makes the figure a little pessimistic for a long ingest, whose caches fill with the
frequent words of the news.

    python bench/speed.py                  # 400 articles (the training file gives ~450)
    python bench/speed.py --n 300 --profile --json
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from cronaca.corpora.kind import read_kind
from cronaca.document import Document
from cronaca.pipeline import content_id, extract, get_pipeline

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "kind" / "evalita-2023" / "WN_train.tsv"
WARMUP_CORPUS = DEFAULT_CORPUS.with_name("WN_dev.tsv")
ARTICLE_BYTES = 3000
WARMUP = 20


def build_articles(corpus: Path, n: int, size: int = ARTICLE_BYTES) -> list[str]:
    """Up to ``n`` distinct articles of about ``size`` bytes of consecutive sentences."""
    articles: list[str] = []
    for article in _articles(corpus, size):
        articles.append(article)
        if len(articles) == n:
            break
    if not articles:
        raise SystemExit(f"no sentences in {corpus}")
    return articles


def _articles(corpus: Path, size: int) -> Iterator[str]:
    sentences: list[str] = []
    length = 0
    for sentence in read_kind(corpus):
        sentences.append(sentence.text)
        length += len(sentence.text.encode("utf-8")) + 1
        if length >= size:
            yield " ".join(sentences)
            sentences, length = [], 0


def pin_to_one_core() -> int | None:
    """Run on a single CPU (where the OS allows it), so the figure is per core."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def run_extract(articles: list[str], published: str) -> float:
    start = time.perf_counter()
    for text in articles:
        extract(text, lang="it", published=published)
    return time.perf_counter() - start


def profile_stages(articles: list[str], published: str) -> dict[str, float]:
    """Seconds spent in each pipeline stage over ``articles``."""
    pipeline = get_pipeline("it")
    totals = {stage.name: 0.0 for stage in pipeline.stages}
    for text in articles:
        doc = Document(text=text, lang="it", published=published, id=content_id(text))
        for stage in pipeline.stages:
            start = time.perf_counter()
            doc = stage(doc)
            totals[stage.name] += time.perf_counter() - start
        doc.to_record()
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="number of articles (default 400)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="KIND/CoNLL token file")
    parser.add_argument("--published", default="2024-06-20", help="publication date given to all")
    parser.add_argument("--profile", action="store_true", help="also time each pipeline stage")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"speed: corpus not found: {args.corpus} (is ../shared beside the repo?)", file=sys.stderr)
        return 2

    core = pin_to_one_core()
    articles = build_articles(args.corpus, args.n)
    total_kb = sum(len(a.encode("utf-8")) for a in articles) / 1000
    if len(articles) < args.n:
        print(f"speed: {args.corpus} gives {len(articles)} distinct articles, not {args.n}",
              file=sys.stderr)
    warmup = build_articles(WARMUP_CORPUS, WARMUP) if WARMUP_CORPUS.is_file() else []
    run_extract(warmup, args.published)  # load data files, build pipelines
    seconds = run_extract(articles, args.published)
    result: dict[str, object] = {
        "articles": len(articles),
        "mean_article_kb": round(total_kb / len(articles), 2),
        "seconds": round(seconds, 3),
        "articles_per_s": round(len(articles) / seconds, 1),
        "kb_per_s": round(total_kb / seconds, 1),
        # ru_maxrss is in KiB on Linux, bytes on macOS
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                             / (2**20 if sys.platform == "darwin" else 2**10), 1),
        "cpu_core": core,
        "python": sys.version.split()[0],
    }
    if args.profile:
        stages = profile_stages(articles, args.published)
        total = sum(stages.values()) or 1.0
        result["stages"] = {name: {"seconds": round(s, 3), "share": round(s / total, 3),
                                   "ms_per_article": round(1000 * s / len(articles), 3)}
                            for name, s in stages.items()}
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['articles']} articles of {result['mean_article_kb']} KB on one core "
          f"(cpu {core}): {result['articles_per_s']} articles/s, {result['kb_per_s']} KB/s, "
          f"{result['seconds']} s; peak RSS {result['peak_rss_mb']} MB")
    for name, row in (result.get("stages") or {}).items():
        print(f"  {name:<12} {row['seconds']:>8.3f} s  {100 * row['share']:5.1f}%  "
              f"{row['ms_per_article']:.3f} ms/article")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
