"""Bad input, property-based: random bytes, hostile Unicode, wrong JSON types, broken HTML, bad
dates and enormous lines never crash or hang the readers, the extractor or ingest; each bad input
gets one clear error and the good inputs beside it are stored."""
from __future__ import annotations

import gzip
import json
import tempfile
import time
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cronaca.ingest import IngestOptions, ingest
from cronaca.pipeline import extract
from cronaca.read import MAX_BYTES, Article, ReadError, read_inputs
from cronaca.store import open_store

READ_BOUND = 10.0      # seconds one input may take to read (generous: CI machines are busy)
EXTRACT_BOUND = 20.0   # seconds one short text may take to extract

FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# characters that trip text handling: controls, bidi marks and overrides, zero-width joiners,
# byte-order marks, line and paragraph separators, combining marks, astral symbols
TRICKY = "\x00\x01\x07\x0b\x0c\x1b\x7f\x85\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066" \
         "\u2069\ufeff\u2028\u2029\u0301\U0001f600\U0001d11e"
WORDS = ["Il", "ministro", "ha", "incontrato", "a", "Roma", "il", "presidente", "francese",
         "ieri", "il 3 marzo 2024", "secondo", "l'agenzia", ".", ",", "«", "»", "\n\n"]
tricky_text = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(list(TRICKY)),
                                 st.text(max_size=8)), max_size=60).map(" ".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**15, 10**15) | st.floats(allow_nan=False)
    | tricky_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6),
                                                                       children, max_size=4),
    max_leaves=12)


def read_all(path: Path) -> list[Article | ReadError]:
    started = time.perf_counter()
    items = list(read_inputs([path]))
    assert time.perf_counter() - started < READ_BOUND
    for item in items:
        assert isinstance(item, (Article, ReadError))
        if isinstance(item, ReadError):
            assert item.reason.strip() and item.line >= 1
        else:
            assert item.text.strip()
    return items


@FUZZ
@given(data=st.binary(max_size=3000),
       suffix=st.sampled_from([".txt", ".jsonl", ".html", ".jsonl.gz"]),
       compressed=st.booleans())
def test_random_bytes_are_read_or_rejected(data: bytes, suffix: str, compressed: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(gzip.compress(data) if compressed and suffix.endswith(".gz") else data)
        items = read_all(path)
        assert items  # an article or a reason, never silence


@FUZZ
@given(objects=st.lists(st.one_of(json_values, st.fixed_dictionaries({"text": json_values}),
                                  st.fixed_dictionaries({"text": tricky_text},
                                                        optional={"published": json_values,
                                                                  "id": json_values,
                                                                  "title": json_values,
                                                                  "lang": json_values})),
                        min_size=1, max_size=8),
       surrogate=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))
def test_jsonl_lines_of_any_shape_give_one_item_each(objects: list, surrogate: str) -> None:
    lines = [json.dumps(o) for o in objects]
    lines.append(json.dumps({"text": f"Il ministro {surrogate} ha parlato."}))  # a \udxxx escape
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        items = read_all(path)
    assert [item.line for item in items] == list(range(1, len(lines) + 1))
    for item, obj in zip(items, objects):
        good = isinstance(obj, dict) and isinstance(obj.get("text"), str) and obj["text"].strip()
        if not good:
            assert isinstance(item, ReadError)


@FUZZ
@given(year=st.integers(0, 99999), month=st.integers(0, 99), day=st.integers(0, 99),
       parts=st.integers(1, 3))
def test_header_dates_are_valid_or_a_clear_error(year: int, month: int, day: int,
                                                  parts: int) -> None:
    value = "-".join([f"{year:04d}", f"{month:02d}", f"{day:02d}"][:parts])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(f"date {value}\nIl ministro ha incontrato il suo omologo.",
                        encoding="utf-8")
        (item,) = read_all(path)
    if isinstance(item, Article):
        assert item.published == value and item.text.startswith("Il ministro")
    else:
        assert "date" in item.reason and value in item.reason


def test_an_impossible_month_names_the_header() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text("date 2023-13\nIl presidente ha visitato Kiev.", encoding="utf-8")
        (item,) = read_all(path)
    assert isinstance(item, ReadError)
    assert "bad date header" in item.reason and "2023-13" in item.reason


@settings(FUZZ, max_examples=25)
@given(depth=st.integers(0, 3000), tags=st.lists(st.sampled_from(
    ["<div>", "<p>", "</div>", "<table><tr><td>", "<!--", "-->", "<script>", "<<>>", "</",
     "<a href=",
     "<meta name='date' content='2023-13-45'>", "&#xD800;", "&amp", "<![CDATA["]), max_size=30),
       body=tricky_text)
def test_deep_or_broken_html_is_read_or_rejected(depth: int, tags: list[str], body: str) -> None:
    html = ("<html><body>" + "<div>" * depth + "".join(tags) + f"<p>{body}</p>"
            + "</span>" * (depth // 2))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(html, encoding="utf-8")
        (item,) = read_all(path)
    if isinstance(item, Article) and item.published is not None:
        assert len(item.published) == 10


@settings(FUZZ, max_examples=30)
@given(text=tricky_text.filter(str.strip), lang=st.sampled_from(["it", "en"]))
def test_extract_never_crashes_and_keeps_offsets_in_the_text(text: str, lang: str) -> None:
    started = time.perf_counter()
    record = extract(text, lang=lang, published="2024-03-10")
    assert time.perf_counter() - started < EXTRACT_BOUND
    assert record.doc.text == text
    for event in record.events:
        for span in (event.trigger, event.sentence):
            assert 0 <= span.start <= span.end <= len(text)
        assert text[event.trigger.start:event.trigger.end] == event.trigger.text
    for entity in record.entities:
        assert 0 <= entity.start <= entity.end <= len(text)


def test_enormous_lines_are_rejected_without_reading_them_into_the_store(tmp_path: Path) -> None:
    feed = tmp_path / "huge.jsonl"
    with feed.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "Il ministro ha incontrato il presidente a Roma."}) + "\n")
        fh.write(json.dumps({"text": "x" * (MAX_BYTES + 10)}) + "\n")
        fh.write(json.dumps({"text": "La premier ha visitato Kiev."}) + "\n")
    items = read_all(feed)
    assert [type(i) for i in items] == [Article, ReadError, Article]
    assert "line too long" in items[1].reason


@settings(FUZZ, max_examples=2)
@given(garbage=st.lists(st.binary(min_size=1, max_size=400), min_size=3, max_size=8),
       lines=st.lists(json_values, min_size=2, max_size=6),
       surrogate=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))
def test_the_good_inputs_of_a_bad_batch_are_stored(garbage: list[bytes], lines: list,
                                                   surrogate: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        good = [f"Il ministro numero {i} ha incontrato a Roma il presidente francese."
                for i in range(4)]
        for i, text in enumerate(good[:2]):
            (folder / f"good{i}.txt").write_text(f"date 2024-0{i + 1}-15\n{text}", encoding="utf-8")
        for i, data in enumerate(garbage):
            (folder / f"junk{i}.txt").write_bytes(b"\x00" + data)  # binary: always rejected
        (folder / "date.txt").write_text("date 2023-13\nIl presidente ha parlato.",
                                         encoding="utf-8")
        feed_lines = [json.dumps({"text": good[2]})]
        feed_lines += [json.dumps(v) for v in lines if not isinstance(v, dict)]  # never articles
        feed_lines.append(json.dumps({"text": f"Il presidente {surrogate} ha parlato."}))
        feed_lines.append("[" * 50_000)  # nested past json's recursion limit: one error
        (folder / "feed.jsonl").write_text("\n".join(feed_lines) + "\n", encoding="utf-8")
        (folder / "last.jsonl").write_text(json.dumps({"text": good[3]}) + "\n", encoding="utf-8")
        errors: list[str] = []
        db = Path(tmp) / "fuzz.db"
        summary = ingest([folder / "date.txt", *sorted(folder.glob("junk*")), folder / "feed.jsonl",
                          folder / "good0.txt", folder / "good1.txt", folder / "last.jsonl"], db,
                         IngestOptions(workers=1, on_error=lambda e: errors.append(str(e))))
        bad = len(garbage) + 1 + (len(feed_lines) - 1)
        assert (summary.new, summary.failed) == (4, bad)
        assert len(errors) == bad and all(": " in e for e in errors)
        assert any("not valid Unicode" in e for e in errors)
        with open_store(db) as store:
            assert store.count_articles() == 4
            assert len(store.failures()) == bad
            assert {r.doc.text for r in store.iter_records()} == set(good)


@pytest.mark.parametrize("line", ["[" * 50_000, "1" * 5000])
def test_pathological_json_is_a_read_error(line: str, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(line + "\n" + json.dumps({"text": "Il ministro ha parlato."}) + "\n",
                    encoding="utf-8")
    items = read_all(feed)
    assert [type(i) for i in items] == [ReadError, Article]
