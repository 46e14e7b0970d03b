"""Parallel, streaming, crash-safe ingest: read, extract in worker processes, store in batches.

Why this shape: an archive of a million articles must use every core, keep memory flat, survive
being killed and never store an article twice.

- **One reader** (the calling thread) streams the inputs (``read_inputs``), skips articles whose
  content hash is already stored without extracting them again, and hands chunks of articles to
  idle workers. A semaphore bounds the articles between reading and committing, so memory does
  not grow with the corpus.
- **Workers** are ``spawn``-ed processes, started on demand; each builds a language's pipeline
  once and extracts one article at a time under a time bound (``SIGALRM`` where the OS has it;
  the reader kills a worker whose article runs past the bound even so, and a worker that dies
  costs only the article it was on: the rest of its chunk is handed out again). A worker also
  turns each record into the rows the store writes (``Store.prepare``), so that the single
  writer only inserts.
- **One writer** (a thread with its own connection) commits ``add_batch`` transactions and the
  quarantine (``failures``) in batches. SQLite's WAL keeps readers working meanwhile, and a
  transaction is all or nothing, so a SIGKILL at any moment loses at most the uncommitted
  batch; ingest is idempotent (content hashes), so running it again completes the store.
- **One ingest per database**: an advisory lock on ``DB.lock`` (released by the OS when its
  holder dies) makes a second ingest wait up to ``lock_timeout`` seconds, then fail clearly.
- **Facts** are kept up to date batch by batch (``add_batch``) until the run has added
  ``bulk_after`` new articles and a quarter of what the store held when it began (a rebuild
  costs in proportion to the whole store); past that, maintaining them incrementally costs more
  than rebuilding them, so the writer leaves a durable marker (``DB.facts-stale``), stores
  further batches without facts and rebuilds them once at the end, fused in as many processes
  as there were workers. A run killed in between leaves the marker, and the next ingest of that
  database rebuilds the facts, so they always end up as a clean run makes them.
- **Ctrl-C / SIGTERM** stop reading, stop the workers and let the writer commit what was
  already extracted; the summary says how far the run got, and a rerun resumes.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import FrameType
from typing import Any, Self

from .lang import supported_languages
from .model import Record
from .pipeline import content_id, extract, get_pipeline
from .read import AUTO, STDIN, Article, ReadError, read_inputs
from .store import PreparedRecord, Store, StoreError, open_store, store_class

BATCH_SIZE = 200            # articles per transaction
CHUNK_SIZE = 16             # articles handed to a worker at once (~0.15 s of work)
ITEM_TIMEOUT = 60.0         # seconds one article may take to extract
KILL_GRACE = 10.0           # past the time bound, a worker that does not answer is killed
FLUSH_SECONDS = 1.0         # an idle writer commits a partial batch after this long
POLL_SECONDS = 0.1
BULK_AFTER = 200            # new articles after which facts wait for one rebuild at the end:
                            # upkeep re-fuses every key a batch touches, so a few batches cost
                            # what rebuilding the run's articles once does

Origin = tuple[str, int]    # (path as the quarantine keeps it, line)


class IngestError(RuntimeError):
    """The ingest cannot go on (the store fails, workers cannot start)."""


class IngestLocked(IngestError):
    """Another process holds the database's ingest lock."""


@dataclass(slots=True)
class IngestSummary:
    """How far a run got: what is committed, not what was merely extracted."""

    new: int = 0
    present: int = 0          # already stored (skipped unread, or a duplicate within the run)
    failed: int = 0
    events: int = 0           # events of the records committed
    released: int = 0         # quarantined inputs that now succeed (and left the quarantine)
    interrupted: bool = False
    facts_rebuilt: float | None = None   # seconds the final rebuild took, if there was one
    facts_pending: bool = False          # facts wait for a rebuild (interrupted in bulk mode)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, int | float | bool | None]:
        return {"new": self.new, "present": self.present, "failed": self.failed,
                "events": self.events, "released": self.released,
                "interrupted": self.interrupted, "facts_rebuilt": self.facts_rebuilt,
                "facts_pending": self.facts_pending, "seconds": round(self.seconds, 3)}


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity, where the OS tells)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@dataclass(slots=True)
class IngestOptions:
    """How an ingest runs; the defaults suit a laptop."""

    lang: str = "it"
    published: str | None = None
    workers: int = field(default_factory=available_cores)
    batch_size: int = BATCH_SIZE
    chunk_size: int = CHUNK_SIZE
    item_timeout: float = ITEM_TIMEOUT
    lock_timeout: float = 0.0
    bulk_after: int = BULK_AFTER
    on_error: Callable[[ReadError], None] | None = None   # each failed input, as it is known
    on_progress: Callable[[], None] | None = None         # each input read


def ingest(paths: Iterable[str | Path], db: str | Path,
           options: IngestOptions | None = None) -> IngestSummary:
    """Extract and store every article of ``paths`` (see ``read_inputs``) in the store ``db``."""
    options = options or IngestOptions()
    return _run(db, _read_each(paths, options), options)


def retry_failures(db: str | Path,
                   options: IngestOptions | None = None) -> tuple[IngestSummary, int]:
    """Read the quarantined inputs again and ingest them; those that now succeed leave the
    quarantine, those that fail again stay with their new reason. Returns the summary and how
    many quarantined inputs could not be read back at all (standard input, say)."""
    options = options or IngestOptions()
    with open_store(db) as store:
        wanted: dict[str, set[int | None]] = {}
        for failure in store.failures():
            wanted.setdefault(failure.path, set()).add(failure.line)
    unreadable = sum(len(lines) for path, lines in wanted.items() if path == STDIN)
    paths = [p for p in wanted if p != STDIN]

    again = (item for item in _read_each(paths, options)
             if item.line in wanted.get(item.path, ()) or None in wanted.get(item.path, ()))
    return _run(db, again, options), unreadable


def _read_each(paths: Iterable[str | Path],
               options: IngestOptions) -> Iterator[Article | ReadError]:
    """``read_inputs`` one path at a time: should a reader raise (a bug, not bad input), that
    input ends with one error and the others are still read."""
    for path in paths:
        where, line = str(path), 0
        try:
            for item in read_inputs([path], lang=options.lang, published=options.published):
                where, line = item.path, item.line
                yield item
        except Exception as exc:  # noqa: BLE001 - one input never stops the run
            yield ReadError(where, line + 1, f"reading stopped: {type(exc).__name__}: {exc} "
                                             "(the rest of this input was not read)")


def extract_article(article: Article) -> Record:
    """The record of one article read by ``read_inputs``."""
    return extract(article.text, lang=article.lang, published=article.published,
                   title=article.title, source=article.source, url=article.url,
                   doc_id=article.id)


# -- the writer lock ---------------------------------------------------------------------------

class WriterLock:
    """An exclusive advisory lock on ``DB.lock``, held for the whole ingest.

    The OS drops it when the holder exits, however it exits (SIGKILL included), so a crashed
    ingest never leaves a stale lock behind. The holder's pid is written in the file for the
    message the next ingest prints.
    """

    def __init__(self, db: str | Path) -> None:
        self.path = Path(f"{db}.lock")
        self._fd: int | None = None

    def acquire(self, timeout: float = 0.0) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                os.close(fd)
                waited = f" (waited {timeout:g} s)" if timeout > 0 else ""
                raise IngestLocked(f"another ingest (pid {holder}) is writing to {self.path.stem}"
                                   f"{waited}; wait for it to finish or pass --wait SECONDS")
            time.sleep(POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing the descriptor drops the lock
            self._fd = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


# -- workers -----------------------------------------------------------------------------------

class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _Timeout


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise ``_Timeout`` in the worker after ``seconds`` (where SIGALRM exists)."""
    if not hasattr(signal, "setitimer"):
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _worker_main(tasks: Connection, results: Connection, timeout: float,
                 languages: list[str], db: str | Path) -> None:
    """A worker process: chunks of ``(seq, Article)`` in, one message per article out.

    Messages: ``("ready",)`` once the pipelines of ``languages`` are built (the reader's watchdog
    only starts then); then per article ``("start", seq)`` and ``("ok", seq, prepared)`` (the
    record as the store of ``db`` will write it) or ``("err", seq, reason)``. It exits when the
    reader closes its end.
    """
    prepare = store_class(db).prepare
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the reader's to handle
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _alarm)
    for lang in languages:
        try:
            get_pipeline(lang)
        except Exception:  # noqa: BLE001, S112 - reported with the first article that needs it
            continue
    try:
        results.send(("ready",))
        while (chunk := tasks.recv()) is not None:
            for seq, article in chunk:
                results.send(_extract_one(seq, article, timeout, results, prepare))
    except (EOFError, OSError):  # the reader went away: nothing left to do
        return


def _extract_one(seq: int, article: Article, timeout: float, results: Connection,
                 prepare: Callable[[Record], PreparedRecord]) -> tuple:
    try:
        get_pipeline(article.lang)  # a language not built at start-up: built once, untimed
    except Exception as exc:  # noqa: BLE001 - an unknown language is this article's problem
        return ("err", seq, f"extraction failed: {type(exc).__name__}: {exc}")
    results.send(("start", seq))  # the reader's watchdog times the article from here
    try:
        with _time_limit(timeout):
            prepared = prepare(extract_article(article))
    except _Timeout:
        return ("err", seq, f"extraction took longer than {timeout:g} s")
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - one article never stops the run
        return ("err", seq, f"extraction failed: {type(exc).__name__}: {exc}")
    return ("ok", seq, prepared)


@dataclass
class _Worker:
    process: mp.process.BaseProcess
    tasks: Connection
    results: Connection
    ready: bool = False
    pending: dict[int, Article] = field(default_factory=dict)  # handed out, not answered
    current: int | None = None   # the article it said it started on
    started: float = 0.0         # when it was last handed work or last said something

    @property
    def idle(self) -> bool:
        return not self.pending


# -- the writer --------------------------------------------------------------------------------

class _Writer(threading.Thread):
    """Commits records and failures in batches through its own store connection."""

    def __init__(self, db: str | Path, options: IngestOptions, budget: threading.Semaphore,
                 summary: IngestSummary, stop: threading.Event) -> None:
        super().__init__(name="cronaca-writer", daemon=True)
        self.db = db
        self.options = options
        self.budget = budget
        self.summary = summary
        self.stop = stop
        self.stale = stale_marker(db)
        self.bulk = self.stale.exists()  # a killed run left facts to rebuild: no work on them now
        self.bulk_after = options.bulk_after  # raised to a quarter of the store once it is open
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()
        self.error: BaseException | None = None
        self.opened = threading.Event()
        self._records: list[tuple[Origin, PreparedRecord]] = []
        self._failures: list[tuple[Origin, str]] = []
        self._succeeded: list[Origin] = []
        self._quarantined: dict[tuple[str, int | None], list[int]] = {}  # origin -> failure ids

    def run(self) -> None:
        try:
            store = open_store(self.db)
        except BaseException as exc:  # noqa: BLE001 - handed to the reader thread
            self.error = exc
            self.opened.set()
            return
        try:
            for failure in store.failures():
                self._quarantined.setdefault((failure.path, failure.line), []).append(failure.id)
            self.bulk_after = max(self.bulk_after, store.count_articles() // 4)
            self.opened.set()
            self._loop(store)
        except BaseException as exc:  # noqa: BLE001 - handed to the reader thread
            self.error = exc if isinstance(exc, IngestError) else IngestError(
                f"{exc if isinstance(exc, StoreError) else f'{type(exc).__name__}: {exc}'}")
        finally:
            store.close()
            self.opened.set()

    def _loop(self, store: Store) -> None:
        while True:
            try:
                message = self.inbox.get(timeout=FLUSH_SECONDS)
            except queue.Empty:
                self._flush(store)
                continue
            if message is None:
                self._flush(store)
                self._finish_facts(store)
                return
            kind, origin, payload = message
            if kind == "record":
                self._records.append((origin, payload))
                if len(self._records) >= self.options.batch_size:
                    self._flush(store)
            elif kind == "failure":
                self._failures.append((origin, payload))
            else:  # "present": stored earlier; its quarantine entry, if any, can go
                self.summary.present += 1
                self._succeeded.append(origin)

    def _flush(self, store: Store) -> None:
        records, self._records = self._records, []
        if records:
            new, present = self._store(store, records)  # moves unstorable records to failures
            self.summary.new += new
            self.summary.present += present
            self.summary.events += sum(r.events for _, r in records)
            self._succeeded += [origin for origin, _ in records]
        failures, self._failures = self._failures, []
        succeeded, self._succeeded = self._succeeded, []
        released = {origin for origin in succeeded if origin in self._quarantined}
        remove = [i for origin in released for i in self._quarantined.pop(origin)]
        remove += [i for origin, _ in failures for i in self._quarantined.pop(origin, ())]
        if failures or remove:
            store.update_failures([(path, line, why) for (path, line), why in failures], remove)
        self.summary.failed += len(failures)
        self.summary.released += len(released)
        for _ in range(len(records) + len(failures)):
            self.budget.release()

    def _add(self, store: Store, records: list[PreparedRecord]) -> tuple[int, int]:
        if not self.bulk and self.summary.new >= self.bulk_after:
            _write_marker(self.stale)  # durable before the first batch stored without facts
            self.bulk = True
        if self.bulk:
            return store.add_batch(records, facts=False)
        return store.add_batch(records)

    def _finish_facts(self, store: Store) -> None:
        """Rebuild the facts once if batches were stored without them (now or by a killed run)."""
        if not self.bulk:
            return
        if self.stop.is_set():
            self.summary.facts_pending = True
            return
        started = time.perf_counter()
        store.rebuild_facts(processes=self.options.workers)  # the extraction workers are done
        self.summary.facts_rebuilt = time.perf_counter() - started
        self.stale.unlink(missing_ok=True)

    def _store(self, store: Store, records: list[tuple[Origin, PreparedRecord]]) -> tuple[int, int]:
        """One transaction; if it fails, each record alone, so one bad record costs only itself."""
        try:
            return self._add(store, [r for _, r in records])
        except StoreError as batch_error:
            if len(records) == 1:
                raise IngestError(f"{batch_error} (the 1 articles of this batch were not stored)") \
                    from batch_error
            new = present = 0
            bad: list[tuple[Origin, str]] = []
            for origin, record in records:
                try:
                    added, already = self._add(store, [record])
                except StoreError as exc:
                    bad.append((origin, f"not stored: {exc}"))
                    continue
                new, present = new + added, present + already
            if len(bad) == len(records):  # not one record's fault: the store itself fails
                raise IngestError(f"{batch_error} (the {len(records)} articles of this batch "
                                  "were not stored)") from batch_error
            unstorable = {origin for origin, _ in bad}
            records[:] = [(o, r) for o, r in records if o not in unstorable]
            self._failures += bad
            for origin, reason in bad:
                self._report(origin, reason)
            return new, present

    def _report(self, origin: Origin, reason: str) -> None:
        if self.options.on_error is not None:
            self.options.on_error(ReadError(origin[0], origin[1], reason))


# -- the reader: hands out work, collects results, watches the workers -------------------------

def _run(db: str | Path, items: Iterable[Article | ReadError],
         options: IngestOptions) -> IngestSummary:
    lock = WriterLock(db)
    lock.acquire(options.lock_timeout)
    try:
        return _Engine(db, iter(items), options).run()
    finally:
        lock.release()


class _Engine:
    def __init__(self, db: str | Path, items: Iterator[Article | ReadError],
                 options: IngestOptions) -> None:
        self.db = db
        self.items = items
        self.options = options
        self.max_workers = max(1, options.workers)
        self.summary = IngestSummary()
        # articles between reading and committing: what workers hold, plus two batches
        self.budget = threading.Semaphore(2 * options.batch_size
                                          + 2 * self.max_workers * options.chunk_size)
        self.stop = threading.Event()
        self.writer = _Writer(db, options, self.budget, self.summary, self.stop)
        self.workers: list[_Worker] = []
        self.requeued: deque[tuple[int, Article]] = deque()
        self.seq = 0
        self.exhausted = False
        self.failed_starts = 0
        self._context = mp.get_context("spawn")

    def run(self) -> IngestSummary:
        started = time.perf_counter()
        self.writer.start()
        self.writer.opened.wait()
        if self.writer.error is not None:
            raise self.writer.error
        restore = self._handle_signals()
        try:
            with open_store(self.db) as store:
                while not self.stop.is_set() and self.writer.is_alive():
                    self._hand_out(store)
                    if self.exhausted and not self.requeued and all(w.idle for w in self.workers):
                        break
                    self._collect()
        finally:
            restore()
            self._stop_workers()
            self.writer.inbox.put(None)
            self.writer.join()
            self.summary.interrupted = self.stop.is_set()
            self.summary.seconds = time.perf_counter() - started
        if self.writer.error is not None:
            raise self.writer.error
        return self.summary

    def _handle_signals(self) -> Callable[[], None]:
        """SIGINT/SIGTERM: stop handing out work and commit what is extracted; a second one
        interrupts at once."""
        if threading.current_thread() is not threading.main_thread():
            return lambda: None
        signals = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
        previous = {s: signal.getsignal(s) for s in signals}

        def handler(signum: int, _frame: FrameType | None) -> None:
            if self.stop.is_set():
                raise KeyboardInterrupt
            self.stop.set()

        for s in signals:
            signal.signal(s, handler)

        def restore() -> None:
            for s, h in previous.items():
                signal.signal(s, h)

        return restore

    # -- handing out -----------------------------------------------------------------------

    def _hand_out(self, store: Store) -> None:
        """Keep every worker one chunk ahead: it is sent the next chunk while it still works on
        the current one, so it never waits for this thread between chunks."""
        while not self.stop.is_set():
            worker = next((w for w in self.workers
                           if w.ready and len(w.pending) < self.options.chunk_size), None)
            if worker is None and len(self.workers) >= self.max_workers:
                return
            chunk = self._next_chunk(store)
            if not chunk:
                return
            if worker is None:
                worker = self._start_worker()
            if worker.idle:  # the watchdog times it from now
                worker.current, worker.started = None, time.monotonic()
            worker.pending.update(chunk)
            worker.tasks.send(chunk)

    def _next_chunk(self, store: Store) -> list[tuple[int, Article]]:
        """Up to ``chunk_size`` articles to extract; read errors and stored articles go straight
        to the writer. Returns early when the budget is spent or after many skipped inputs."""
        chunk: list[tuple[int, Article]] = []
        while self.requeued and len(chunk) < self.options.chunk_size:
            chunk.append(self.requeued.popleft())
        scanned = 0
        while len(chunk) < self.options.chunk_size and not self.exhausted and scanned < 1000:
            if self.stop.is_set() or not self.budget.acquire(timeout=0 if chunk else POLL_SECONDS):
                break
            scanned += 1
            item = next(self.items, None)
            if item is None:
                self.exhausted = True
                self.budget.release()
                break
            if self.options.on_progress is not None:
                self.options.on_progress()
            if isinstance(item, ReadError):
                self._fail(_origin(item.path, item.line), item.reason, item.path)
                continue
            origin = _origin(item.path, item.line)
            try:
                _check_encodable(item)
            except UnicodeEncodeError as exc:
                self._fail(origin, f"not valid Unicode: {exc.reason} at character {exc.start} "
                                   f"({exc.object[exc.start:exc.end]!a})", item.path)
                continue
            if store.has(content_id(item.text)):
                self.budget.release()
                self.writer.inbox.put(("present", origin, None))
                continue
            self.seq += 1
            chunk.append((self.seq, item))
        return chunk

    def _fail(self, origin: Origin, reason: str, shown_path: str | None = None) -> None:
        """Quarantine one input (its budget is released by the writer) and report it."""
        self.writer.inbox.put(("failure", origin, reason))
        if self.options.on_error is not None:
            self.options.on_error(ReadError(shown_path or origin[0], origin[1], reason))

    def _start_worker(self) -> _Worker:
        tasks_out, tasks_in = self._context.Pipe(duplex=False)
        results_out, results_in = self._context.Pipe(duplex=False)
        languages = supported_languages() if self.options.lang == AUTO else [self.options.lang]
        process = self._context.Process(target=_worker_main, name="cronaca-worker", daemon=True,
                                        args=(tasks_out, results_in, self.options.item_timeout,
                                              languages, self.db))
        process.start()
        tasks_out.close()
        results_in.close()
        worker = _Worker(process, tasks_in, results_out)
        self.workers.append(worker)
        return worker

    # -- collecting ------------------------------------------------------------------------

    def _collect(self) -> None:
        busy = [w for w in self.workers if not w.idle or not w.ready]
        if not busy:
            return
        handles: dict[Any, _Worker] = {}  # result pipes and process sentinels
        for w in busy:
            handles[w.results] = w
            handles[w.process.sentinel] = w
        for handle in wait(list(handles), timeout=POLL_SECONDS):
            worker = handles[handle]
            if worker in self.workers:
                self._drain(worker)
        now = time.monotonic()
        bound = self.options.item_timeout + KILL_GRACE
        for worker in list(self.workers):
            if not worker.process.is_alive() and worker in self.workers:
                self._drain(worker)
                if worker in self.workers:
                    self._lost(worker, f"the extraction crashed its worker (exit code "
                                       f"{worker.process.exitcode})")
            elif worker.ready and worker.pending and now - worker.started > bound:
                self._lost(worker, f"extraction took longer than {bound:g} s; its worker "
                                   "was killed")

    def _drain(self, worker: _Worker) -> None:
        """Every message the worker has sent so far."""
        try:
            while worker.results.poll():
                message = worker.results.recv()
                self._answer(worker, message)
        except (EOFError, OSError):
            pass

    def _answer(self, worker: _Worker, message: tuple) -> None:
        kind = message[0]
        worker.started = time.monotonic()  # the watchdog times the silence since its last word
        if kind == "ready":
            worker.ready = True
            self.failed_starts = 0
        elif kind == "start":
            worker.current = message[1]
        else:
            article = worker.pending.pop(message[1])
            worker.current = None
            origin = _origin(article.path, article.line)
            if kind == "ok":
                self.writer.inbox.put(("record", origin, message[2]))
            else:
                self._fail(origin, message[2], article.path)

    def _lost(self, worker: _Worker, reason: str) -> None:
        """A worker died or hung: its current article fails, the rest of its chunk goes back."""
        worker.process.kill()
        worker.process.join()
        self.workers.remove(worker)
        worker.tasks.close()
        worker.results.close()
        if not worker.ready:
            self.failed_starts += 1
            if self.failed_starts >= 3:
                raise IngestError(f"worker processes cannot start (exit code "
                                  f"{worker.process.exitcode})")
        if worker.pending:
            # the article it was on (or about to start) fails; the others are handed out again
            culprit = worker.current if worker.current in worker.pending else min(worker.pending)
            article = worker.pending.pop(culprit)
            self._fail(_origin(article.path, article.line), reason, article.path)
            self.requeued.extendleft(sorted(worker.pending.items(), reverse=True))

    def _stop_workers(self) -> None:
        """Normal end: close the task pipes (workers exit); interrupted: kill them now."""
        for worker in self.workers:
            try:
                worker.tasks.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + (0 if self.stop.is_set() else 5)
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.tasks.close()
            worker.results.close()
        self.workers.clear()


def stale_marker(db: str | Path) -> Path:
    """The file whose presence says the facts of ``db`` wait for a rebuild."""
    return Path(f"{db}.facts-stale")


def _write_marker(path: Path) -> None:
    """Create ``path`` and make it durable (file and folder synced) before going on."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        os.write(fd, b"facts to rebuild: the next cronaca ingest of this database rebuilds them\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    if hasattr(os, "O_DIRECTORY"):
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _origin(path: str, line: int) -> Origin:
    """Where an input came from, as the quarantine keeps it: absolute, so that retry finds it."""
    return (path if path == STDIN else os.path.abspath(path), line)


def _check_encodable(article: Article) -> None:
    """Text the store can keep: lone surrogates (``"\\ud800"`` in JSON) are not Unicode text."""
    for value in (article.text, article.title, article.id, article.url, article.source):
        if value is not None:
            value.encode("utf-8")
