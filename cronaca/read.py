"""Read articles from files, folders and stdin as a stream of ``Article`` or ``ReadError`` items.

Why a stream of both: one bad input (a binary file, a broken JSONL line) must not stop a run of
thousands, and every problem must be reported with the file and line it comes from.

Inputs (``read_inputs``):

- ``.txt``: one article. **Header rule**: if the first non-blank line begins (after optional
  whitespace or a byte-order mark) with ``date YYYY``, ``date YYYY-MM`` or ``date YYYY-MM-DD``,
  that token is the publication date and is removed; the article text is the rest of the file
  with leading whitespace stripped (the opening text may follow the header on the same line).
  Every offset of the record points into that text. An invalid header date is an error.
- ``.jsonl`` / ``.jsonl.gz``: one JSON object per line, read line by line; ``text`` (a non-empty
  string) is required, ``id``, ``title``, ``published``, ``lang``, ``url``, ``source`` are
  optional strings. A malformed line is an error; the other lines are still read; blank
  lines are skipped.
- ``.html`` / ``.htm``: main text, title and publication date (from the page's meta tags) with
  trafilatura and htmldate, never fetching anything.
- ``-``: standard input; JSON Lines if every non-empty line starts with ``{``, else one article.
- a folder: its supported files, recursively, in sorted order.

``published`` (the ``--published`` option) applies only to articles that carry no date of
their own; ``source`` defaults to the file name; ``lang="auto"`` detects each article's
language (``cronaca.langid``). Files (and JSONL lines) over 10 MB, empty or binary files and
bytes that are not UTF-8 are errors, never silently mangled text.
"""
from __future__ import annotations

import gzip
import json
import re
import sys
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .langid import detect_language

MAX_BYTES = 10 * 1024 * 1024
AUTO = "auto"
STDIN = "-"
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES + HTML_SUFFIXES
OPTIONAL_FIELDS = ("id", "title", "published", "lang", "url", "source")

_SURROGATE = re.compile("[\ud800-\udfff]")
_HEADER = re.compile(r"\A\s*date[ \t]+(\S+)")
_DATE = re.compile(r"\A(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


@dataclass(slots=True)
class Article:
    """One article to extract, with where it came from (``path``, 1-based ``line``)."""

    text: str
    path: str
    line: int = 1
    id: str | None = None
    title: str | None = None
    published: str | None = None
    lang: str = "auto"  # "auto" until read_inputs applies the caller's language or detects it
    url: str | None = None
    source: str | None = None

    @property
    def origin(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(slots=True)
class ReadError:
    """An input (or one line of it) that could not be read, and why."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class _Bad(Exception):
    """A reason to reject one input, raised inside the readers and turned into a ``ReadError``."""

    def __init__(self, reason: str, line: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def validate_date(value: str) -> str:
    """``value`` if it is a real ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date; ``ValueError`` otherwise."""
    m = _DATE.match(value.strip())
    if not m:
        raise ValueError(f"invalid date {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = m.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"invalid date {value!r}: {exc}") from None
    return value.strip()


def read_inputs(paths: Iterable[str | Path], *, lang: str = "it",
                published: str | None = None) -> Iterator[Article | ReadError]:
    """Every article (or error) of ``paths`` in order; see the module docstring for the formats."""
    if published is not None:
        published = validate_date(published)
    for raw in paths:
        name = str(raw)
        if name == STDIN:
            items = _read_stdin()
        elif not name.strip():  # Path("") is the current folder: never read a whole tree by accident
            items = iter([ReadError(repr(name), 1, "empty path: give a file, a folder or - for stdin")])
        else:
            path = Path(name)
            if path.is_dir():
                files = sorted(p for p in path.rglob("*") if p.is_file() and _supported(p))
                items = (item for f in files for item in _read_file(f))
            else:
                items = _read_file(path)
        for item in items:
            if isinstance(item, Article):
                if item.published is None:
                    item.published = published
                if item.lang == AUTO or not item.lang:
                    item.lang = detect_language(item.text) if lang == AUTO else lang
            yield item


def _supported(path: Path) -> bool:
    return path.name.lower().endswith(SUPPORTED_SUFFIXES)


def _read_file(path: Path) -> Iterator[Article | ReadError]:
    name = str(path)
    lower = path.name.lower()
    try:
        if not path.exists():
            raise _Bad("no such file or directory")
        if lower.endswith(JSONL_SUFFIXES):
            yield from _read_jsonl(path, name)
            return
        if lower.endswith(TEXT_SUFFIXES):
            yield _text_article(_read_text(path), name, path.name)
        elif lower.endswith(HTML_SUFFIXES):
            yield _html_article(_read_text(path), name, path.name)
        else:
            raise _Bad(f"unsupported file type (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    except _Bad as bad:
        yield ReadError(name, bad.line, bad.reason)
    except OSError as exc:
        yield ReadError(name, 1, f"cannot read: {exc.strerror or exc}")


def _read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _Bad(f"file too large ({size / 1e6:.1f} MB; the limit is {MAX_BYTES // 2**20} MB)")
    return _decode(path.read_bytes())


def _decode(data: bytes, line: int = 1) -> str:
    """UTF-8 text (a byte-order mark is dropped); binary or other encodings are rejected."""
    if b"\x00" in data:
        raise _Bad("binary file (contains NUL bytes)", line + data[:data.index(b"\x00")].count(b"\n"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = line + data[:exc.start].count(b"\n")
        raise _Bad(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                   "convert it to UTF-8 first", at) from None


def _text_article(text: str, name: str, file_name: str) -> Article:
    if not text.strip():
        raise _Bad("empty file")
    published = None
    m = _HEADER.match(text)
    if m and m.group(1)[:4].isdigit():
        try:
            published = validate_date(m.group(1))
        except ValueError as exc:
            raise _Bad(f"bad date header: {exc}") from None
        text = text[m.end():].lstrip()
        if not text:
            raise _Bad("no article text after the date header")
    return Article(text=text, path=name, published=published, source=file_name)


def _html_article(html: str, name: str, file_name: str) -> Article:
    import trafilatura
    from htmldate import find_date

    if not html.strip():
        raise _Bad("empty file")
    tree = trafilatura.load_html(html)
    if tree is None:
        raise _Bad("not an HTML document")
    # The page's own metadata only, original publication date. url="" (not None) stops htmldate
    # from reading a date out of the canonical link; a parsed tree is never downloaded.
    published = find_date(tree, url="", original_date=True, extensive_search=False,
                          outputformat="%Y-%m-%d")
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      include_tables=False, url=None,
                                      date_extraction_params={"extensive_search": False,
                                                              "original_date": True})
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise _Bad("no article text found in the HTML")
    return Article(text=text, path=name, published=published, title=getattr(doc, "title", None),
                   url=getattr(doc, "url", None), source=getattr(doc, "sitename", None) or file_name)


def _read_jsonl(path: Path, name: str) -> Iterator[Article | ReadError]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    number = lines = 0
    try:
        with opener(path, "rb") as fh:
            for number, raw in enumerate(fh, 1):
                if raw.strip():  # blank lines (a trailing one, say) are no articles
                    lines += 1
                    yield _jsonl_item(raw, number, name, path.name)
    except (OSError, EOFError, zlib.error) as exc:
        yield ReadError(name, number + 1, f"cannot read compressed data: {exc}")
        return
    if lines == 0:
        yield ReadError(name, 1, "empty file")


def _jsonl_item(raw: bytes, number: int, name: str, file_name: str) -> Article | ReadError:
    try:
        return _jsonl_article(raw, number, name, file_name)
    except _Bad as bad:
        return ReadError(name, number, bad.reason)


def _jsonl_article(raw: bytes, number: int, name: str, file_name: str) -> Article:
    if len(raw) > MAX_BYTES:
        raise _Bad(f"line too long ({len(raw) / 1e6:.1f} MB; the limit is {MAX_BYTES // 2**20} MB)")
    line = _decode(raw, number)
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _Bad(f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise _Bad("malformed JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise _Bad(f"malformed JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise _Bad(f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _Bad('"text" must be a non-empty string')
    for key, value in obj.items():
        if isinstance(value, str) and _SURROGATE.search(value):
            raise _Bad(f'"{key}" holds an unpaired surrogate (\\ud800-\\udfff): not valid Unicode')
    fields: dict[str, str | None] = {}
    for key in OPTIONAL_FIELDS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise _Bad(f'"{key}" must be a string or null, got {type(value).__name__}')
        fields[key] = value
    if fields["published"]:
        try:
            fields["published"] = validate_date(fields["published"])
        except ValueError as exc:
            raise _Bad(f'"published": {exc}') from None
    return Article(text=text, path=name, line=number, id=fields["id"] or None,
                   title=fields["title"], published=fields["published"] or None,
                   lang=fields["lang"] or AUTO, url=fields["url"],
                   source=fields["source"] or file_name)


def _read_stdin() -> Iterator[Article | ReadError]:
    """Standard input, spooled so that it is read once and never held whole in memory."""
    stream: Iterable[bytes] = getattr(sys.stdin, "buffer", None) or _EncodedStream(sys.stdin)
    with tempfile.SpooledTemporaryFile(max_size=MAX_BYTES) as spool:
        all_json, seen = True, False
        for raw in stream:
            spool.write(raw)
            stripped = raw.strip()
            if stripped:
                seen = True
                all_json = all_json and stripped.startswith(b"{")
        size = spool.tell()
        spool.seek(0)
        if not seen:
            yield ReadError(STDIN, 1, "empty input")
        elif all_json:
            for number, raw in enumerate(spool, 1):
                if raw.strip():
                    yield _jsonl_item(raw, number, STDIN, "stdin")
        elif size > MAX_BYTES:
            yield ReadError(STDIN, 1, f"input too large ({size / 1e6:.1f} MB; the limit is "
                                      f"{MAX_BYTES // 2**20} MB)")
        else:
            try:
                yield _text_article(_decode(spool.read()), STDIN, "stdin")
            except _Bad as bad:
                yield ReadError(STDIN, bad.line, bad.reason)


class _EncodedStream:
    """Byte lines from a text stream that has no ``buffer`` (e.g. a test harness's stdin)."""

    def __init__(self, text_stream: Iterable[str]) -> None:
        self.text_stream = text_stream

    def __iter__(self) -> Iterator[bytes]:
        for line in self.text_stream:
            yield line.encode("utf-8")
