"""The ``cronaca`` command line: extract, ingest, eval, eval-ner; facts: timeline, facts, fact,
actors, dyad, search, rebuild.

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
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from .lang import supported_languages
from .model import Record
from .pipeline import extract as extract_record
from .read import AUTO, Article, ReadError, read_inputs, validate_date

if TYPE_CHECKING:  # the store is imported lazily, so that extract stays light
    from .store import Store

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


def _records(paths: list[str], lang: str, published: str | None) -> Iterator[Record | ReadError]:
    """Records of the inputs in order, with a ``ReadError`` for each failure."""
    for item in read_inputs(paths, lang=lang, published=published):
        if isinstance(item, ReadError):
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
    workers: WorkersOpt = None,
    wait: WaitOpt = 0.0,
    batch_size: Annotated[int | None, typer.Option("--batch-size", min=1, help="Articles per "
                                                   "transaction (default 200).")] = None,
    bulk_after: Annotated[int | None, typer.Option("--bulk-after", min=0, help="After this many "
                                                   "new articles, rebuild the facts once at the "
                                                   "end instead of batch by batch (default "
                                                   "200, or a quarter of the stored articles).")] = None,
) -> None:
    """Extract the records of the inputs and store them; articles already stored are skipped.

    Extraction runs in --workers processes, one writer commits batches; killed or interrupted,
    the same command resumes where it stopped.

    Example: cronaca ingest --db news.db --lang auto articles/ feed.jsonl.gz
    """
    from .ingest import ingest as run_ingest

    _check_options(lang, published)
    def run(options: Any) -> Any:
        if bulk_after is not None:
            options.bulk_after = bulk_after
        return run_ingest(paths, db, options)

    summary = _run_ingest(db, lang, published, workers, wait, run, batch_size)
    typer.echo(f"{'interrupted: ' if summary.interrupted else ''}{summary.new} new, "
               f"{summary.present} already present, {summary.failed} failed; "
               f"{summary.events} events found (database: {db})"
               + ("; run the same command again to resume" if summary.interrupted else ""))
    if summary.facts_rebuilt is not None:
        typer.echo(f"facts rebuilt in {summary.facts_rebuilt:.1f} s")
    if summary.facts_pending:
        typer.echo("facts not yet updated: the next ingest of this database rebuilds them")
    if summary.interrupted:
        raise typer.Exit(130)
    if summary.new + summary.present == 0:
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
    gold: Annotated[str, typer.Argument(help="Gold file (JSON Lines, see the spec), or "
                                             "corpus:dev / corpus:test for a split of the project's corpus.")],
    seeds_dir: Annotated[Path | None, typer.Option("--seeds-dir", help="Folder of the gold "
                                                   "articles' files.")] = None,
    corpus_root: Annotated[Path | None, typer.Option("--corpus-root", help="Root of the "
                                                     "evaluation corpora.")] = None,
    rules_only: Annotated[bool, typer.Option("--rules-only", help="Leave the trained models out, "
                                                                  "to see what they add.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Score the extractor against gold events: precision, recall and F1 by event type, error
    classes, and how well its confidence is calibrated (a reliability table).

    Example: cronaca eval ../shared/data/gold/seeds.jsonl --seeds-dir ../shared/seeds

    Example: cronaca eval corpus:test
    """
    try:
        from .evaluate import evaluate_corpus, evaluate_gold
        from .pipeline import Pipeline
    except ImportError as exc:
        _fail(f"evaluation is not available: {exc}")
    pipeline = Pipeline.for_language("it", models=None) if rules_only else None
    split = gold.removeprefix("corpus:") if gold.startswith("corpus:") else None
    if split is not None and split not in ("train", "dev", "test"):
        _fail(f"{gold}: the corpus splits are corpus:train, corpus:dev and corpus:test")
    if split is None and not Path(gold).is_file():
        _fail(f"{gold}: no such file")
    try:
        report = (evaluate_corpus(split, pipeline=pipeline) if split is not None
                  else evaluate_gold(Path(gold), seeds_dir, corpus_root, pipeline=pipeline))
    except (OSError, ValueError, KeyError) as exc:
        _fail(f"{gold}: {type(exc).__name__}: {exc}")
    _print_report(report, as_json, "events", {"gold": gold, "items": report.get("items")})
    if not as_json:
        console = Console()
        console.print(_metric_table("events: errors (required gold events not matched, and "
                                    "spurious system events)", report.get("errors") or {}))
        table = {row["bin"]: {k: v for k, v in row.items() if k != "bin"} for row in report.get("reliability", [])}
        if table:
            console.print(_metric_table("confidence: reliability (strictly right events by bin)", table,
                                        ["events", "confidence", "accuracy"]))


@app.command("train")
def train_models(
    lang: LangOpt = "it",
    corpus: Annotated[Path | None, typer.Option("--corpus", help="Root of the annotated corpus "
                                                "(default: the repository's corpus/).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the models (default: the "
                                             "package's cronaca/models/LANG).")] = None,
    docs: Annotated[int | None, typer.Option("--docs", min=1, help="Only the first N documents "
                                             "of the corpus (a quick run).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Rebuild every trained model from the corpus, deterministically, on the CPU.

    Example: cronaca train --out /tmp/models
    """
    from .corpus import CORPUS_DIR
    from .train import train

    try:
        report = train(lang, corpus or CORPUS_DIR, out, docs=docs,
                       log=(lambda _: None) if as_json else typer.echo)
    except (OSError, ValueError) as exc:  # a bad corpus line (CorpusError) or language
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))


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


@app.command("export")
def export_data(
    out: Annotated[Path, typer.Argument(help="Output file, written atomically: a failed export "
                                             "leaves no partial file and keeps an existing one.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv, parquet, plover or "
                                                            "gdelt.")] = "jsonl",
    facts: Annotated[bool, typer.Option("--facts/--mentions", help="One item per fact, or per "
                                                                   "event mention.")] = False,
    header: Annotated[bool, typer.Option("--header", help="gdelt: column names as a first "
                                                          "line.")] = False,
    db: Annotated[str, typer.Option("--db", envvar="CRONACA_DB",
                                    help="SQLite database file (or set CRONACA_DB).")] = DEFAULT_DB,
) -> None:
    """Export stored mentions or facts: contract JSONL, flat CSV/Parquet, PLOVER JSON, GDELT TSV.

    Example: cronaca export --format gdelt --facts --db news.db facts.tsv
    """
    from .export import FORMATS, export_facts, export_mentions
    from .store import open_store

    if fmt not in FORMATS:
        _fail(f"--format {fmt!r} is not supported (choose from: {', '.join(FORMATS)})")
    if "://" not in db and not Path(db).is_file():
        _fail(f"{db}: no such database")
    if not out.parent.is_dir():
        _fail(f"{out.parent}: no such folder")
    try:
        with open_store(db) as store:
            if facts:
                written = export_facts(store.iter_facts(), fmt, out, header=header)
            else:
                written = export_mentions(store.iter_records(), fmt, out, header=header)
    except Exception as exc:  # any failure: one line, and OUT is left as it was
        _fail(f"{out}: export failed, nothing written: {type(exc).__name__}: {exc}", 1)
    unit = "facts" if facts else "records" if fmt == "jsonl" else "mentions"
    typer.echo(f"{written} {unit} written to {out} ({fmt})")


# -- facts: queries over the store ---------------------------------------------------------------

DbOpt = Annotated[str, typer.Option("--db", envvar="CRONACA_DB",
                                    help="SQLite database file (or set CRONACA_DB).")]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=1, help="At most N results.")]
TABLE_LIMIT = 100  # rows a table shows when no --limit is given (--json gives everything)
STATUS_STYLES = {"asserted": "white", "reported": "cyan", "alleged": "yellow", "denied": "red",
                 "confirmed": "green", "hypothetical": "magenta"}
HIGHLIGHT_STYLES = {"trigger": "bold black on yellow", "source": "bold cyan", "target": "bold magenta",
                    "time": "bold green"}


def _open_existing(db: str) -> Store:
    """The store at ``db``; a missing file is an error here (queries never create a database)."""
    from .store import StoreError, open_store

    if not Path(db).is_file():
        _fail(f"{db}: no such database (create it with: cronaca ingest --db {db} FILES)")
    try:
        return open_store(db)
    except StoreError as exc:
        _fail(str(exc))


def _ask(db: str, question: Callable[[Store], Any]) -> Any:
    """Run ``question(store)``; bad input (unknown actor or fact, bad date) is one line and exit 2."""
    from .query import QueryError
    from .store import StoreError

    store = _open_existing(db)
    try:
        with store:
            return question(store)
    except QueryError as exc:
        _fail(str(exc))
    except StoreError as exc:
        _fail(f"{db}: {exc}", 1)


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _actor_label(actors: list) -> str:
    return ", ".join(a.name or a.text for a in actors) or "-"


def _date_label(when: Any) -> str:
    return f"{when.value}{' ' + when.mod if when.mod else ''}"


def _history_label(fact: Any) -> str:
    return " → ".join(f"[{STATUS_STYLES.get(h.status, 'white')}]{h.status}[/] {h.date or ''}".strip()
                      for h in fact.history)


def _facts_table(title: str, facts: list) -> Table:
    table = Table(title=title)
    for column in ("date", "type", "source", "target", "history", "indep.", "mentions", "fact"):
        table.add_column(column, justify="right" if column in ("indep.", "mentions") else "left")
    for f in facts:
        when = _date_label(f.date) if f.date else f"({f.first_seen or '-'})"
        kind = f"{f.type}{'/' + f.mode if f.mode else ''}" + (" [red]contested[/]" if f.contested else "")
        table.add_row(when, kind, _actor_label(f.source), _actor_label(f.target), _history_label(f),
                      str(f.independent), str(len(f.mentions)), f.id)
    return table


@app.command()
def timeline(
    actors: Annotated[list[str] | None, typer.Argument(help="One actor, or two for a dyad (either "
                                                       "direction): RUS, Russia, Mosca, Putin…",
                                                       show_default=False)] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="From this date (YYYY[-MM[-DD]]).")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Up to this date (YYYY[-MM[-DD]]).")] = None,
    types: Annotated[list[str] | None, typer.Option("--type", help="Only this PLOVER type "
                                                    "(repeatable).")] = None,
    limit: LimitOpt = None,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Facts in date order, with type, actors, best date, status history and independent sources.

    Example: cronaca timeline "Corea del Nord" Russia --from 2024 --type AID
    """
    from . import query

    found = _ask(db, lambda s: query.timeline(s, actors or [], date_from, date_to, types, limit))
    if as_json:
        _print_json([f.to_dict() for f in found])
        return
    Console().print(_facts_table(f"timeline {' ↔ '.join(actors or []) or '(all actors)'}: "
                                 f"{len(found)} facts", found))


@app.command("facts")
def facts_command(
    contested: Annotated[bool, typer.Option("--contested", help="Only contested facts.")] = False,
    status: Annotated[str | None, typer.Option("--status", help="Only facts with a mention of this "
                                               "status (alleged, denied, confirmed, …).")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only facts involving this actor.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only facts told by this outlet or "
                                               "speaker.")] = None,
    limit: LimitOpt = None,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Facts in date order; with --json a JSON array of facts in the spec's Facts shape.

    Example: cronaca facts --contested --actor Russia --json > contested.json
    """
    from . import query

    shown = limit if limit is not None or as_json else TABLE_LIMIT  # a terminal reads a page at a time
    found = _ask(db, lambda s: query.facts(s, contested=True if contested else None, status=status,
                                           actor=actor, source=source, limit=shown))
    if as_json:
        _print_json([f.to_dict() for f in found])
        return
    more = " (the first ones; --limit N for more)" if limit is None and len(found) == TABLE_LIMIT else ""
    Console().print(_facts_table(f"{len(found)} facts{more}", found))


@app.command("fact")
def fact_command(
    fact_id: Annotated[str, typer.Argument(help="A fact id, as timeline and facts print it.")],
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Evidence of the first N "
                                              "mentions only.")] = None,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """One fact with every mention and its evidence sentence (trigger, actors, time highlighted).

    Example: cronaca fact f2c779d32b87b
    """
    from rich.text import Text

    from . import query

    found, evidence = _ask(db, lambda s: query.fact(s, fact_id, limit))
    if as_json:
        _print_json({"fact": found.to_dict(), "evidence": [e.to_dict() for e in evidence]})
        return
    console = Console()
    when = _date_label(found.date) if found.date else "-"
    console.print(f"[bold]{found.id}[/] {found.type}{'/' + found.mode if found.mode else ''}: "
                  f"{_actor_label(found.source)} → {_actor_label(found.target)}, {when}"
                  + ("  [bold red]contested[/]" if found.contested else ""))
    console.print(f"history: {_history_label(found) or '-'}")
    console.print(f"sources: {', '.join(found.outlets + found.speakers) or '-'} "
                  f"({found.independent} independent); seen {found.first_seen or '-'} … "
                  f"{found.last_seen or '-'}")
    for link in found.links:
        console.print(f"link: {link.rel} {link.fact}")
    legend = Text("  ".join(f"{kind}" for kind in HIGHLIGHT_STYLES))
    for kind in HIGHLIGHT_STYLES:
        legend.highlight_words([kind], HIGHLIGHT_STYLES[kind])
    console.print(legend)
    if len(evidence) < len(found.mentions):
        console.print(f"(evidence of the first {len(evidence)} of {len(found.mentions)} mentions)")
    for e in evidence:
        said = f" according to {', '.join(e.attribution)}" if e.attribution else ""
        console.print(f"\n[{STATUS_STYLES.get(e.status, 'white')}]{e.status}[/]{said} — "
                      f"{e.title or e.outlet or e.doc} ({e.published or 'undated'}), "
                      f"{e.event} @ {e.sentence_start}-{e.sentence_end}")
        text = Text(e.text)
        for h in e.highlights:
            text.stylize(HIGHLIGHT_STYLES.get(h.kind, "bold"), h.start, h.end)
        console.print(text)


@app.command("actors")
def actors_command(
    country: Annotated[str | None, typer.Option("--country", help="Only actors of this country "
                                                "(RUS, Russia, Mosca…).")] = None,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Actors with mention counts, roles and sectors seen, countries, and aliases used in the texts.

    Example: cronaca actors --country "Corea del Nord"
    """
    from . import query

    found = _ask(db, lambda s: query.actors(s, country))
    if as_json:
        _print_json([a.to_dict() for a in found])
        return
    table = Table(title=f"{len(found)} actors")
    for column in ("actor", "mentions", "as source", "as target", "countries", "sectors", "aliases"):
        table.add_column(column, justify="right" if column in ("mentions", "as source", "as target")
                         else "left")
    for a in found:
        table.add_row(a.name, str(a.mentions), str(a.roles.get("source", 0)), str(a.roles.get("target", 0)),
                      ", ".join(a.countries) or "-", ", ".join(a.sectors) or "-", ", ".join(a.aliases[:8]))
    Console().print(table)


@app.command()
def dyad(
    a: Annotated[str, typer.Argument(help="First actor (RUS, Russia, Mosca…).")],
    b: Annotated[str, typer.Argument(help="Second actor.")],
    by: Annotated[str, typer.Option("--by", help="Period: month, quarter or year.")] = "month",
    plot: Annotated[Path | None, typer.Option("--plot", help="Also draw the counts to this PNG "
                                              "file.")] = None,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Cooperation vs conflict between two actors over time (PLOVER quad classes, counting facts).

    Example: cronaca dyad "Corea del Nord" RUS --by quarter --plot dyad.png
    """
    from . import query

    rows = _ask(db, lambda s: query.dyad(s, a, b, by))
    if plot is not None:
        try:
            _plot_dyad(rows, a, b, by, plot)
        except ImportError:
            _fail("--plot needs matplotlib (pip install matplotlib)")
        except OSError as exc:
            _fail(f"{plot}: {exc}")
    if as_json:
        _print_json([r.to_dict() for r in rows])
        return
    table = Table(title=f"{a} ↔ {b} by {by}: facts per PLOVER quad class")
    table.add_column(by)
    for quad in query.QUAD_CLASSES:
        table.add_column(quad.replace("_", " "), justify="right")
    for r in rows:
        table.add_row(r.period, *(str(r.counts[q]) for q in query.QUAD_CLASSES))
    Console().print(table)
    if plot is not None:
        typer.echo(f"chart written to {plot}")


def _plot_dyad(rows: list, a: str, b: str, by: str, path: Path) -> None:
    """Cooperation stacked above the axis, conflict below: the balance reads at a glance."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    periods = [r.period for r in rows]
    x = range(len(periods))
    fig, ax = plt.subplots(figsize=(max(8.0, 0.35 * len(periods) + 2), 4.5), dpi=120)
    layers = (("verbal_cooperation", 1, "#9ecae1"), ("material_cooperation", 1, "#2171b5"),
              ("verbal_conflict", -1, "#fcae91"), ("material_conflict", -1, "#cb181d"))
    bottoms = {1: [0] * len(rows), -1: [0] * len(rows)}
    for quad, sign, color in layers:
        heights = [sign * r.counts[quad] for r in rows]
        ax.bar(x, heights, bottom=bottoms[sign], color=color, label=quad.replace("_", " "), width=0.8)
        bottoms[sign] = [base + h for base, h in zip(bottoms[sign], heights)]
    ax.axhline(0, color="black", linewidth=0.8)
    crowded = len(periods) > 8
    ax.set_xticks(list(x), periods, rotation=60 if crowded else 0, ha="right" if crowded else "center",
                  fontsize=8)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{abs(int(v))}"))
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_ylabel("facts (cooperation ↑, conflict ↓)")
    ax.set_title(f"{a} ↔ {b}: cooperation and conflict by {by}", pad=26)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=8, frameon=False, ncols=4)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


@app.command("search")
def search_command(
    text: Annotated[str, typer.Argument(help="Words that must all occur (accents optional).")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most N results.")] = 20,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Full-text search over article titles and texts and evidence sentences (SQLite FTS5).

    Example: cronaca search "truppe nordcoreane" --limit 5
    """
    from dataclasses import asdict

    from . import query

    hits = _ask(db, lambda s: query.search(s, text, limit))
    if as_json:
        _print_json([asdict(h) for h in hits])
        return
    table = Table(title=f"{len(hits)} matches for {text!r}")
    for column in ("score", "where", "article", "text", "facts"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for h in hits:
        where = "article" if h.start is None else f"sentence {h.start}-{h.end}"
        article = f"{h.title or h.outlet or h.article_id[:19]} ({h.published or 'undated'})"
        table.add_row(f"{h.score:.2f}", where, article, h.text.replace("\n", " "), ", ".join(h.facts) or "-")
    Console().print(table)


@app.command()
def rebuild(
    db: DbOpt = DEFAULT_DB,
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Fusion processes "
                                                "(default: one per CPU core).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Recompute every fact, link and the search index from the stored records.

    Example: cronaca rebuild --db news.db --workers 4
    """
    import time

    from .ingest import available_cores

    def run(store: Any) -> dict[str, Any]:
        started = time.perf_counter()
        facts = store.rebuild_facts(refresh_keys=True, processes=workers or available_cores())
        store.rebuild_search()
        return {"articles": store.count_articles(), "mentions": store.count_events(), "facts": facts,
                "seconds": round(time.perf_counter() - started, 3)}

    report = _ask(db, run)
    from .ingest import stale_marker

    stale_marker(db).unlink(missing_ok=True)  # the facts an interrupted bulk ingest owed are rebuilt
    if as_json:
        _print_json(report)
        return
    typer.echo(f"{report['facts']} facts from {report['mentions']} mentions in {report['articles']} "
               f"articles ({report['seconds']} s; database: {db})")


# -- web workspace -------------------------------------------------------------------------------

@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on (loopback by "
                                      "default; 0.0.0.0 exposes the server to the network).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    db: DbOpt = DEFAULT_DB,
    allow_ingest: Annotated[bool, typer.Option("--allow-ingest", help="Enable POST /api/articles, "
                                               "guarded by the bearer token in CRONACA_TOKEN.")] = False,
) -> None:
    """Serve the web workspace and its HTTP API (/api, schema at /openapi.json); read-only unless
    --allow-ingest, which needs the bearer token in CRONACA_TOKEN.

    Example: cronaca serve --db news.db --port 8000
    """
    import uvicorn

    from .store import StoreError
    from .web import create_app

    token = os.environ.get("CRONACA_TOKEN") or None
    if allow_ingest and token is None:
        _fail("--allow-ingest needs a bearer token: set CRONACA_TOKEN")
    if not allow_ingest and not Path(db).is_file():
        _fail(f"{db}: no such database (create it with: cronaca ingest --db {db} FILES)")
    try:
        application = create_app(db, allow_ingest=allow_ingest, token=token)
    except StoreError as exc:
        _fail(str(exc))
    if host not in ("127.0.0.1", "localhost", "::1"):
        _warn(f"listening on {host}: the server is reachable from the network")
    uvicorn.run(application, host=host, port=port, log_level="info")


# -- ingest at scale: workers, quarantine, size --------------------------------------------------

WorkersOpt = Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Extraction "
                                                "processes (default: one per CPU core).")]
WaitOpt = Annotated[float, typer.Option("--wait", min=0, help="Seconds to wait while another "
                                        "ingest writes to the same database (default: stop at "
                                        "once with a message).")]


def _run_ingest(db: str, lang: str, published: str | None, workers: int | None, wait: float,
                run: Callable[[Any], Any], batch_size: int | None = None) -> Any:
    """``run(IngestOptions)`` with progress and error lines; store problems end it in one line."""
    from .ingest import IngestError, IngestLocked, IngestOptions
    from .store import StoreError

    try:
        with _Progress() as advance:
            options = IngestOptions(lang=lang, published=published,
                                    batch_size=batch_size or BATCH_SIZE,
                                    lock_timeout=wait, on_error=lambda e: _warn(str(e)),
                                    on_progress=advance)
            if workers is not None:
                options.workers = workers
            return run(options)
    except IngestLocked as exc:
        _fail(str(exc), 3)
    except StoreError as exc:
        _fail(str(exc))
    except IngestError as exc:
        _fail(f"{db}: {exc}", 1)
    except KeyboardInterrupt:
        _fail("interrupted; what was committed stays stored: run the same command again to resume",
              130)


@app.command("failures")
def failures_command(
    retry: Annotated[bool, typer.Option("--retry", help="Read the quarantined inputs again and "
                                        "ingest them; those that now succeed leave the list.")] = False,
    lang: LangOpt = "it",
    published: PublishedOpt = None,
    workers: WorkersOpt = None,
    wait: WaitOpt = 0.0,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Inputs that could not be read or extracted (the quarantine), with the reason; --retry them.

    Example: cronaca failures --db news.db --retry --lang auto
    """
    if not retry:
        found = _ask(db, lambda s: s.failures())
        if as_json:
            _print_json([{"path": f.path, "line": f.line, "reason": f.reason, "time": f.time}
                         for f in found])
            return
        table = Table(title=f"{len(found)} failed inputs")
        for column in ("input", "reason", "time"):
            table.add_column(column)
        for f in found:
            table.add_row(f"{f.path}:{f.line}" if f.line is not None else f.path, f.reason, f.time)
        Console().print(table)
        return
    from .ingest import retry_failures

    _check_options(lang, published)
    _open_existing(db).close()
    summary, unreadable = _run_ingest(db, lang, published, workers, wait,
                                      lambda o: retry_failures(db, o))
    if as_json:
        _print_json({**summary.to_dict(), "unreadable": unreadable})
        return
    typer.echo(f"{summary.released} inputs left the quarantine ({summary.new} new, "
               f"{summary.present} already present), {summary.failed} still failing"
               + (f", {unreadable} from standard input cannot be read again" if unreadable else "")
               + f" (database: {db})")


@app.command()
def stats(db: DbOpt = DEFAULT_DB, as_json: JsonOpt = False) -> None:
    """Counts of articles, event mentions, facts and failures, and the database size on disk.

    Example: cronaca stats --db news.db --json
    """
    from .ingest import stale_marker

    report = {**_ask(db, lambda s: s.stats()), "facts_stale": stale_marker(db).exists()}
    if as_json:
        _print_json(report)
        return
    size = report["database_bytes"]
    for name, value in report.items():
        if name not in ("database_bytes", "facts_stale"):
            typer.echo(f"{name.replace('_', ' ')}: {'-' if value is None else value}")
    if report["facts_stale"]:
        typer.echo("facts: out of date until the next ingest of this database rebuilds them")
    typer.echo(f"database size: {size / 2**20:.1f} MiB ({size} bytes; {db})")
