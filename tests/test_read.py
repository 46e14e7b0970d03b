"""Readers: every input format, the date header rule, and every kind of bad input."""
from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from cronaca import read
from cronaca.document import Document
from cronaca.langid import detect_language, detectable_languages, language_scores
from cronaca.pipeline import extract, get_pipeline
from cronaca.read import Article, ReadError, read_inputs, validate_date

IT_TEXT = "Il ministro degli Esteri ha incontrato ieri a Roma il suo omologo francese."
EN_TEXT = "The foreign minister met his French counterpart in Rome on Tuesday."


def items(*paths: str | Path, **kwargs) -> list[Article | ReadError]:
    return list(read_inputs([str(p) for p in paths], **kwargs))


def only(*paths: str | Path, **kwargs) -> Article | ReadError:
    (item,) = items(*paths, **kwargs)
    return item


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# -- .txt and the header rule ----------------------------------------------------------------

def test_plain_text_file_is_one_article_with_file_name_as_source(tmp_path: Path) -> None:
    art = only(write(tmp_path / "note.txt", IT_TEXT + "\n"), lang="it")
    assert isinstance(art, Article)
    assert art.text == IT_TEXT + "\n"
    assert (art.source, art.lang, art.published, art.line) == ("note.txt", "it", None, 1)


@pytest.mark.parametrize("header, value", [("date 2024", "2024"), ("date 2024-06", "2024-06"),
                                           ("date 2024-06-19", "2024-06-19")])
def test_header_line_gives_the_date_and_is_removed(tmp_path: Path, header: str, value: str) -> None:
    art = only(write(tmp_path / "a.txt", f"{header}\n\n{IT_TEXT}\n"))
    assert art.published == value
    assert art.text == IT_TEXT + "\n"


def test_header_on_the_same_line_as_the_text_with_leading_space_and_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "\ufeff  date 2023-01 Mosca e Pyongyang firmano un accordo.\n\nAltro.")
    art = only(path)
    assert art.published == "2023-01"
    assert art.text == "Mosca e Pyongyang firmano un accordo.\n\nAltro."


def test_header_after_blank_lines_counts(tmp_path: Path) -> None:
    art = only(write(tmp_path / "a.txt", "\n\n   \ndate 2022-09-30\nTesto della notizia."))
    assert (art.published, art.text) == ("2022-09-30", "Testo della notizia.")


def test_text_starting_with_the_word_date_is_not_a_header(tmp_path: Path) -> None:
    text = "date le circostanze, il vertice è stato rinviato."
    art = only(write(tmp_path / "a.txt", text))
    assert (art.published, art.text) == (None, text)


def test_offsets_point_into_the_text_without_the_header(tmp_path: Path) -> None:
    art = only(write(tmp_path / "a.txt", " date 2025-06-05 Kim ha ricevuto Putin a Pyongyang.\n"
                                         "La Kcna ha riferito dell'incontro."))
    record = extract(art.text, lang="it", published=art.published)
    assert record.doc.text == art.text and record.doc.published == "2025-06-05"
    doc = get_pipeline("it")(Document(text=art.text, lang="it"), until="segment")
    assert [art.text[s.start:s.end] for s in doc.sentences] == [
        "Kim ha ricevuto Putin a Pyongyang.", "La Kcna ha riferito dell'incontro."]
    assert all(art.text[t.start:t.end] == t.text for t in doc.tokens)
    for entity in record.entities:
        assert art.text[entity.start:entity.end] == entity.text


@pytest.mark.parametrize("header", ["date 2023-13", "date 2023-02-30", "date 2023-1x"])
def test_invalid_header_date_is_an_error_on_line_one(tmp_path: Path, header: str) -> None:
    err = only(write(tmp_path / "bad.txt", f"{header}\nTesto."))
    assert isinstance(err, ReadError)
    assert (err.path, err.line) == (str(tmp_path / "bad.txt"), 1)
    assert "date" in err.reason and str(err).startswith(f"{tmp_path / 'bad.txt'}:1: ")


def test_header_without_text_is_an_error(tmp_path: Path) -> None:
    err = only(write(tmp_path / "a.txt", "date 2024-01-01\n\n"))
    assert isinstance(err, ReadError) and "no article text" in err.reason


def test_published_option_applies_only_to_articles_without_a_date(tmp_path: Path) -> None:
    dated = write(tmp_path / "a.txt", f"date 2020-05\n{IT_TEXT}")
    undated = write(tmp_path / "b.txt", IT_TEXT)
    a, b = items(dated, undated, published="2025-01-02")
    assert (a.published, b.published) == ("2020-05", "2025-01-02")


@pytest.mark.parametrize("value", ["2024-13", "24-01-01", "2024/01/01", "ieri", "2024-02-30"])
def test_invalid_published_option_is_rejected(tmp_path: Path, value: str) -> None:
    with pytest.raises(ValueError, match="invalid date"):
        items(write(tmp_path / "a.txt", IT_TEXT), published=value)


def test_validate_date_accepts_the_three_granularities() -> None:
    assert [validate_date(v) for v in ("2024", "2024-02", "2024-02-29")] == ["2024", "2024-02", "2024-02-29"]


# -- JSON Lines ------------------------------------------------------------------------------

def jsonl_lines() -> list[str]:
    return [
        json.dumps({"text": IT_TEXT, "id": "a1", "title": "Vertice", "published": "2024-06",
                    "url": "https://example.org/a1", "source": "Agenzia"}),
        "{not json",
        json.dumps({"title": "senza testo"}),
        "",
        json.dumps({"text": EN_TEXT, "lang": "en"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": IT_TEXT, "published": 2024}),
        json.dumps({"text": IT_TEXT, "published": "2024-00"}),
        json.dumps(["a list"]),
        json.dumps({"text": IT_TEXT + " Seconda frase.", "title": None}),
    ]


def check_jsonl(got: list[Article | ReadError], name: str) -> None:
    good = [g for g in got if isinstance(g, Article)]
    bad = [g for g in got if isinstance(g, ReadError)]
    assert [a.line for a in good] == [1, 5, 10]
    assert good[0].id == "a1" and good[0].title == "Vertice" and good[0].published == "2024-06"
    assert good[0].url == "https://example.org/a1" and good[0].source == "Agenzia"
    assert good[1].lang == "en" and good[1].source == Path(name).name
    assert good[2].published == "2019"  # the default fills in only where the line has none
    assert [(e.line, e.path) for e in bad] == [(n, name) for n in (2, 3, 6, 7, 8, 9)]
    reasons = [e.reason for e in bad]
    assert "malformed JSON" in reasons[0]
    assert '"text"' in reasons[1] and '"text"' in reasons[2]
    assert '"published" must be a string' in reasons[3]
    assert "invalid date" in reasons[4]
    assert "JSON object" in reasons[5]


def test_jsonl_reads_good_lines_and_reports_bad_ones_by_line(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", "\n".join(jsonl_lines()) + "\n")
    check_jsonl(items(path, lang="it", published="2019"), str(path))


def test_jsonl_gz(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(jsonl_lines()) + "\n")
    check_jsonl(items(path, lang="it", published="2019"), str(path))


def test_corrupt_gzip_is_an_error_not_a_crash(tmp_path: Path) -> None:
    err = only(write(tmp_path / "x.jsonl.gz", b"this is not gzip"))
    assert isinstance(err, ReadError) and "compressed" in err.reason


def test_truncated_gzip_keeps_the_lines_read_before_the_damage(tmp_path: Path) -> None:
    data = gzip.compress(("\n".join(json.dumps({"text": f"Notizia {i}."}) for i in range(50))).encode())
    got = items(write(tmp_path / "x.jsonl.gz", data[: len(data) // 2]))
    assert isinstance(got[-1], ReadError) and "compressed" in got[-1].reason
    assert got[0].text == "Notizia 0." and all(isinstance(g, Article) for g in got[:-1])


def test_jsonl_line_with_bad_bytes_is_an_error_for_that_line_only(tmp_path: Path) -> None:
    data = (json.dumps({"text": IT_TEXT}) + "\n").encode() + b'{"text": "caff\xe8"}\n' + \
        (json.dumps({"text": EN_TEXT}) + "\n").encode()
    got = items(write(tmp_path / "x.jsonl", data))
    assert [type(g).__name__ for g in got] == ["Article", "ReadError", "Article"]
    assert got[1].line == 2 and "not UTF-8" in got[1].reason


def test_jsonl_is_read_line_by_line(tmp_path: Path) -> None:
    path = write(tmp_path / "x.jsonl", "\n".join(json.dumps({"text": f"Notizia {i}."}) for i in range(3)))
    stream = read_inputs([str(path)])
    assert next(stream).text == "Notizia 0."  # a generator: nothing read beyond what is asked


def test_empty_jsonl_is_an_error(tmp_path: Path) -> None:
    err = only(write(tmp_path / "x.jsonl", "\n\n"))
    assert isinstance(err, ReadError) and err.reason == "empty file"


# -- HTML ------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html lang="it"><head><title>Vertice a Roma | Giornale</title>
<meta property="article:published_time" content="2024-06-19T10:00:00+02:00">
<link rel="canonical" href="https://example.org/2011/01/01/vertice.html"></head>
<body><nav><a href="/">Home</a> | <a href="/esteri">Esteri</a></nav>
<article><h1>Vertice a Roma</h1>
<p>Il presidente del Consiglio ha ricevuto ieri a Palazzo Chigi il cancelliere tedesco per un
colloquio di due ore sulla politica europea e sulla difesa comune.</p>
<p>Secondo fonti diplomatiche, i due leader hanno discusso anche del sostegno all'Ucraina e delle
prossime elezioni europee, che si terranno in giugno in tutti i Paesi dell'Unione.</p></article>
<footer>Tutti i diritti riservati</footer></body></html>"""


def test_html_main_text_title_and_meta_date(tmp_path: Path) -> None:
    art = only(write(tmp_path / "page.html", HTML), published="2000")
    assert isinstance(art, Article)
    assert "Palazzo Chigi" in art.text and "diritti riservati" not in art.text and "Home" not in art.text
    assert art.title and art.title.startswith("Vertice a Roma")
    assert art.published == "2024-06-19"  # from the meta tag, not the URL's 2011


def test_html_without_date_takes_the_default_and_never_uses_the_url(tmp_path: Path) -> None:
    html = HTML.replace('<meta property="article:published_time" content="2024-06-19T10:00:00+02:00">', "")
    assert only(write(tmp_path / "page.htm", html)).published is None
    assert only(write(tmp_path / "page.htm", html), published="2024-07").published == "2024-07"


def test_html_without_article_text_is_an_error(tmp_path: Path) -> None:
    err = only(write(tmp_path / "page.html", "<html><head><title>Vuota</title></head><body></body></html>"))
    assert isinstance(err, ReadError) and err.line == 1


# -- stdin -----------------------------------------------------------------------------------

def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, (json.dumps({"text": IT_TEXT}) + "\n\n" + json.dumps({"text": EN_TEXT})
                             + "\n{broken\n").encode())
    got = items("-", lang="auto")
    assert [g.line for g in got] == [1, 3, 4]
    assert (got[0].lang, got[1].lang, got[0].path) == ("it", "en", "-")
    assert isinstance(got[2], ReadError) and str(got[2]).startswith("-:4: ")


def test_stdin_text_is_one_article_with_the_header_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, f"date 2024-03\n{IT_TEXT}\n{{ not json }}\n".encode())
    art = only("-")
    assert (art.published, art.source) == ("2024-03", "stdin")
    assert art.text == f"{IT_TEXT}\n{{ not json }}\n"


def test_empty_stdin_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    feed_stdin(monkeypatch, b"\n  \n")
    assert isinstance(only("-"), ReadError)


# -- folders and bad inputs ------------------------------------------------------------------

def test_directory_recurses_over_supported_files_in_sorted_order(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "Seconda notizia.")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "c.jsonl", json.dumps({"text": "Terza notizia."}))
    write(tmp_path / "a.txt", "Prima notizia.")
    write(tmp_path / "notes.pdf", b"%PDF-1.4")
    assert [a.text for a in items(tmp_path)] == ["Prima notizia.", "Seconda notizia.", "Terza notizia."]


def test_named_unsupported_file_is_an_error(tmp_path: Path) -> None:
    err = only(write(tmp_path / "notes.pdf", b"%PDF-1.4"))
    assert isinstance(err, ReadError) and "unsupported file type" in err.reason


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    err = only(tmp_path / "nope.txt")
    assert isinstance(err, ReadError) and "no such file" in err.reason


def test_an_empty_path_is_an_error_not_the_current_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(write(tmp_path / "article.txt", b"Un articolo qualsiasi.").parent)
    for empty in ("", "  "):
        err = only(empty)
        assert isinstance(err, ReadError) and "empty path" in err.reason


@pytest.mark.parametrize("name, data, reason", [
    ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\n", "empty file"),
    ("latin1.txt", "Prima riga.\nPerché è così.\n".encode("latin-1"), "not UTF-8"),
    ("bin.html", b"<html>\x00</html>", "binary file"),
])
def test_bad_files_are_errors_naming_file_and_line(tmp_path: Path, name: str, data: bytes,
                                                   reason: str) -> None:
    err = only(write(tmp_path / name, data))
    assert isinstance(err, ReadError) and reason in err.reason
    assert err.path == str(tmp_path / name)


def test_undecodable_byte_is_reported_on_its_line(tmp_path: Path) -> None:
    err = only(write(tmp_path / "x.txt", "Prima riga.\nPerché è così.\n".encode("latin-1")))
    assert err.line == 2


def test_utf8_bom_is_dropped_not_an_error(tmp_path: Path) -> None:
    art = only(write(tmp_path / "x.txt", "\ufeff" + IT_TEXT))
    assert art.text == IT_TEXT


def test_file_over_the_size_limit_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_BYTES", 100)
    err = only(write(tmp_path / "big.txt", IT_TEXT * 3))
    assert isinstance(err, ReadError) and "too large" in err.reason
    jsonl = write(tmp_path / "big.jsonl", json.dumps({"text": IT_TEXT * 3}) + "\n"
                  + json.dumps({"text": "Breve."}) + "\n")
    got = items(jsonl)
    assert isinstance(got[0], ReadError) and "too long" in got[0].reason and got[1].text == "Breve."


def test_one_bad_input_does_not_stop_the_others(tmp_path: Path) -> None:
    got = items(write(tmp_path / "a.txt", b"\x00\x01"), write(tmp_path / "b.txt", IT_TEXT))
    assert isinstance(got[0], ReadError) and got[1].text == IT_TEXT


# -- languages -------------------------------------------------------------------------------

def test_lang_defaults_to_the_callers_and_auto_detects_per_article(tmp_path: Path) -> None:
    it, en = write(tmp_path / "it.txt", IT_TEXT), write(tmp_path / "en.txt", EN_TEXT)
    assert [a.lang for a in items(it, en, lang="it")] == ["it", "it"]
    assert [a.lang for a in items(it, en, lang="auto")] == ["it", "en"]


@pytest.mark.parametrize("text, lang", [
    ("Secondo la Kcna, Kim ha ribadito il sostegno alla Russia.", "it"),
    ("I soldati sono arrivati in Russia.", "it"),
    ("Putin ha negato.", "it"),
    ("North Korea denied the reports, the agency said.", "en"),
    ("Troops arrived in Russia on Monday.", "en"),
    ("Putin said he was ready for talks with Kyiv.", "en"),
    ("Il governo ha detto che the summit was a success per tutti.", "it"),
])
def test_language_detection_on_single_sentences(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_language_detection_falls_back_to_the_default() -> None:
    assert detect_language("Pyongyang, Mosca, Kursk.", default="en") == "en"
    assert set(detectable_languages()) >= {"it", "en"}
    assert language_scores("the of and")["en"] == 3


# -- the seed articles -----------------------------------------------------------------------

def test_seed_articles_and_their_header_dates(shared_dir: Path) -> None:
    seeds = sorted((shared_dir / "seeds").glob("*.txt"))
    lines = (shared_dir / "data" / "gold" / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    gold = {item["file"]: item for item in map(json.loads, filter(str.strip, lines)) if "file" in item}
    got = items(*seeds)
    assert len(got) == len(seeds) >= 2 and all(isinstance(a, Article) for a in got)
    for seed, art in zip(seeds, got, strict=True):
        raw = seed.read_text(encoding="utf-8-sig")
        if raw.lstrip().startswith("date "):
            header = raw.split()[1]
            assert art.published == header == gold[seed.name]["published"]
            assert art.text == raw[raw.index(header) + len(header):].lstrip()
        else:
            assert art.published is None and art.text == raw
        assert art.lang == "it" and detect_language(art.text, default="en") == "it"


def test_unpaired_surrogate_in_a_jsonl_line_is_a_read_error(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "ciao \\ud800 mondo"}\n{"text": "Il ministro ha parlato."}\n', encoding="utf-8")
    items = list(read_inputs([feed]))
    assert isinstance(items[0], ReadError) and items[0].line == 1 and "surrogate" in items[0].reason
    assert isinstance(items[1], Article) and items[1].text == "Il ministro ha parlato."
