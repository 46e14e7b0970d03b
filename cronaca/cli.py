"""The ``cronaca`` command line: extract, ingest, eval, eval-ner.

Why these rules: a run over thousands of files must go on past bad inputs, so every problem is
one line on stderr (``cronaca: FILE:LINE: reason``) and the exit code is non-zero only when
nothing at all could be processed. Records go to stdout as JSON Lines, in input order.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from .lang import supported_languages
from .model import Record
from .pipeline import content_id
from .pipeline import extract as extract_record
from .read import AUTO, Article, ReadError, read_inputs, validate_date

app = typer.Typer(name="cronaca", add_completion=False, no_args_is_help=True,
                  help="Who did what to whom, when, where, and on whose word: events from news.")

DEFAULT_DB = "cronaca.db"
BATCH_SIZE = 200

PathsArg = Annotated[list[str], typer.Argument(help="Files (.txt, .jsonl, .jsonl.gz, .html), "
                                                    "folders, or - for stdin.", show_default=False)]
LangOpt = Annotated[str, typer.Option("--lang", "-l", help="Article language (it, en) or auto.")]
PublishedOpt = Annotated[str | None, typer.Option(
    "--published", help="Publication date (YYYY, YYYY-MM or YYYY-MM-DD) for inputs without one.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"cronaca: error: {message}", err=True)
    raise typer.Exit(code)


def _warn(message: str) -> None:
    typer.echo(f"cronaca: {message}", err=True)


def _check_options(lang: str, published: str | None) -> None:
    languages = supported_languages()
    if lang != AUTO and lang not in languages:
        _fail(f"--lang {lang!r} is not supported (choose from: {', '.join(languages + [AUTO])})")
    if published is not None:
        try:
            validate_date(published)
        except ValueError as exc:
            _fail(f"--published: {exc}")


def _extract(article: Article) -> Record:
    return extract_record(article.text, lang=article.lang, published=article.published,
                          title=article.title, source=article.source, url=article.url,
                          doc_id=article.id)


def _records(paths: list[str], lang: str, published: str | None,
             skip: Callable[[Article], bool] | None = None) -> Iterator[Record | ReadError | Article]:
    """Records of the inputs in order, with a ``ReadError`` for each failure.

    ``skip(article) -> bool`` lets ingest pass over stored articles without extracting them
    again: those are yielded as the ``Article`` itself.
    """
    for item in read_inputs(paths, lang=lang, published=published):
        if isinstance(item, ReadError):
            yield item
        elif skip is not None and skip(item):
            yield item
        else:
            try:
                yield _extract(item)
            except Exception as exc:  # one article's failure must not stop the run
                yield ReadError(item.path, item.line, f"extraction failed: {type(exc).__name__}: {exc}")


@app.command()
def extract(paths: PathsArg, lang: LangOpt = "it", published: PublishedOpt = None) -> None:
    """Extract one JSON record per article and print them as JSON Lines.

    Example: cronaca extract --published 2025-06-05 cronaca/examples/*.txt > records.jsonl
    """
    _check_options(lang, published)
    done = 0
    out = sys.stdout
    try:
        for item in _records(paths, lang, published):
            if isinstance(item, ReadError):
                _warn(str(item))
                continue
            out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
            done += 1
        out.flush()
    except BrokenPipeError:  # the reader went away (`cronaca extract … | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    if done == 0:
        _fail("no article could be processed", 1)


@app.command()
def ingest(
    paths: PathsArg,
    db: Annotated[str, typer.Option("--db", envvar="CRONACA_DB",
                                    help="SQLite database file (or set CRONACA_DB).")] = DEFAULT_DB,
    lang: LangOpt = "it",
    published: PublishedOpt = None,
) -> None:
    """Extract the records of the inputs and store them; articles already stored are skipped.

    Example: cronaca ingest --db news.db --lang auto articles/ feed.jsonl.gz
    """
    from .store import StoreError, open_store

    _check_options(lang, published)
    try:
        store = open_store(db)
    except StoreError as exc:
        _fail(str(exc))
    new = present = failed = events = 0
    batch: list[Record] = []
    seen: set[str] = set()

    def stored(article: Article) -> bool:
        article_id = content_id(article.text)
        if article_id in seen or store.has(article_id):
            return True
        seen.add(article_id)
        return False

    def flush() -> None:
        nonlocal new, present, events
        try:
            added, already = store.add_batch(batch)
        except StoreError as exc:
            _fail(f"{db}: {exc} (the {len(batch)} articles of this batch were not stored)", 1)
        new, present = new + added, present + already
        events += sum(len(r.events) for r in batch)
        batch.clear()

    try:
        with store, _Progress() as advance:
            for item in _records(paths, lang, published, skip=stored):
                advance()
                if isinstance(item, ReadError):
                    failed += 1
                    _warn(str(item))
                    store.record_failure(item.path, item.line, item.reason)
                elif isinstance(item, Article):
                    present += 1
                else:
                    batch.append(item)
                    if len(batch) >= BATCH_SIZE:
                        flush()
            if batch:
                flush()
    except StoreError as exc:
        _fail(f"{db}: {exc}", 1)
    typer.echo(f"{new} new, {present} already present, {failed} failed; "
               f"{events} events found (database: {db})")
    if new + present == 0:
        raise typer.Exit(1)


class _Progress:
    """A Rich progress counter on an interactive stderr; silent otherwise."""

    def __enter__(self) -> Callable[[], None]:
        if not sys.stderr.isatty():
            self.bar = None
            return lambda: None
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(SpinnerColumn(), TextColumn("{task.completed} articles"),
                            TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task("ingest", total=None)
        return lambda: self.bar.advance(task)

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _metric_table(title: str, rows: dict[str, Any], columns: list[str] | None = None) -> Table:
    table = Table(title=title)
    if columns is None:
        table.add_column("metric")
        table.add_column("value", justify="right")
        for name, value in rows.items():
            table.add_row(str(name), _fmt(value))
        return table
    table.add_column("type")
    for column in columns:
        table.add_column(column, justify="right")
    for name, values in rows.items():
        values = values if isinstance(values, dict) else {}
        table.add_row(str(name), *(_fmt(values.get(c)) for c in columns))
    return table


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _print_report(report: dict[str, Any], as_json: bool, title: str, header: dict[str, Any]) -> None:
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    console = Console()
    console.print(" ".join(f"{k}: {v}" for k, v in header.items()))
    console.print(_metric_table(f"{title}: overall", report.get("overall") or {}))
    by_type = report.get("by_type") or {}
    columns: list[str] = []
    for values in by_type.values():
        for key in values if isinstance(values, dict) else ():
            if key not in columns:
                columns.append(key)
    if by_type:
        console.print(_metric_table(f"{title}: by type", by_type, columns))


@app.command("eval")
def eval_gold(
    gold: Annotated[Path, typer.Argument(help="Gold file (JSON Lines, see the spec).")],
    seeds_dir: Annotated[Path | None, typer.Option("--seeds-dir", help="Folder of the gold "
                                                   "articles' files.")] = None,
    corpus_root: Annotated[Path | None, typer.Option("--corpus-root", help="Root of the "
                                                     "evaluation corpora.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Score the extractor against a gold file: precision, recall and F1 by event type.

    Example: cronaca eval ../shared/data/gold/seeds.jsonl --seeds-dir ../shared/seeds
    """
    if not gold.is_file():
        _fail(f"{gold}: no such file")
    try:
        from .evaluate import evaluate_gold
    except ImportError as exc:
        _fail(f"evaluation is not available: {exc}")
    try:
        report = evaluate_gold(gold, seeds_dir, corpus_root)
    except (OSError, ValueError, KeyError) as exc:
        _fail(f"{gold}: {type(exc).__name__}: {exc}")
    _print_report(report, as_json, "events", {"gold": gold, "items": report.get("items")})


@app.command("eval-ner")
def eval_ner(
    file: Annotated[Path, typer.Argument(help="Token-per-line NER file (KIND, NERMuD, CoNLL).")],
    lang: LangOpt = "it",
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N "
                                              "sentences.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Score the entity recogniser (PER, LOC, ORG, exact spans) on a NER corpus.

    Example: cronaca eval-ner ../shared/data/kind/evalita-2023/WN_dev.tsv --limit 500
    """
    if not file.is_file():
        _fail(f"{file}: no such file")
    _check_options(lang, None)
    try:
        from .evaluate_ner import evaluate_ner
    except ImportError as exc:
        _fail(f"NER evaluation is not available: {exc}")
    try:
        report = evaluate_ner(file, lang=lang, limit=limit)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        _fail(f"{file}: {type(exc).__name__}: {exc}")
    _print_report(report, as_json, "entities",
                  {"file": report.get("file", file), "sentences": report.get("sentences")})
