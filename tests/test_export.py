"""Exports: JSONL round trips, flat CSV/Parquet tables, PLOVER records, GDELT rows, atomic writes."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import cronaca
from cronaca import export
from cronaca.cli import app
from cronaca.export import (FACT_COLUMNS, FORMATS, GDELT_COLUMNS, MENTION_COLUMNS, ExportError, codes,
                            export_facts, export_mentions, first_day, stable_int)
from cronaca.model import (EVENT_TYPES, Actor, EventDate, Fact, FactLink, FactMention, HistoryEntry,
                           Record, Source, Span)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ARTICLES = [  # (text, published, outlet, url): our own sentences
    ("Il presidente russo Vladimir Putin ha incontrato ieri a Pyongyang il leader nordcoreano "
     "Kim Jong-un.\n\nSecondo la Kcna, la Corea del Nord ha inviato migliaia di soldati in Russia.",
     "2025-06-05", "Gazzetta di Prova", "https://example.org/a"),
    ('Il governo ucraino ha accusato Mosca di "crimini di guerra", ha detto il portavoce Mario Rossi.',
     "2025-06-06", "Corriere di Prova", None),
    ("Le Nazioni Unite hanno condannato la Corea del Nord per il lancio di un missile.",
     "2025-06-07", None, None),
]


@pytest.fixture(scope="module")
def records() -> list[Record]:
    out = [cronaca.extract(text, lang="it", published=published, source=outlet, url=url)
           for text, published, outlet, url in ARTICLES]
    assert [[e.type for e in r.events] for r in out] == [["CONSULT", "AID"], ["ACCUSE"], ["ACCUSE"]]
    return out


@pytest.fixture(scope="module")
def facts() -> list[Fact]:
    deployment = Fact(
        id="f1", type="AID", mode="military",
        source=[Actor(text="Corea del Nord", name="North Korea", kind="state", country="PRK", sector="MIL")],
        target=[Actor(text="Russia", name="Russia", kind="state", country="RUS", sector="GOV")],
        date=EventDate("2024", "END"),
        mentions=[
            FactMention("sha256:aaa", "v2", "2024-11-02", "alleged",
                        [Source("Volodymyr Zelensky", "person", "UKR", "GOV", "ha detto")], Span(10, 90),
                        outlet="Gazzetta di Prova"),
            FactMention("sha256:bbb", "v1", "2025-04-28", "confirmed",
                        [Source("Cremlino", "organization", "RUS", "GOV", "ha confermato")], Span(0, 70),
                        outlet="Corriere di Prova"),
            FactMention("sha256:bbb", "v4", "2025-04-28", "confirmed", [], Span(200, 260),
                        outlet="Corriere di Prova"),
        ],
        history=[HistoryEntry("alleged", "2024", ["Volodymyr Zelensky"]),
                 HistoryEntry("confirmed", "2025-04", ["Cremlino"])],
        outlets=["Gazzetta di Prova", "Corriere di Prova"], speakers=["Volodymyr Zelensky", "Cremlino"],
        independent=2, first_seen="2024-11-02", last_seen="2025-04-28",
        links=[FactLink("accused_by", "f2")])
    sanction = Fact(
        id="f2", type="SANCTION", mode=None,
        source=[Actor(text="Onu", name="United Nations", kind="organization", country="UN", sector="IGO")],
        target=[Actor(text="Pyongyang", name="North Korea", kind="state", country="PRK", sector="GOV"),
                Actor(text="Mosca", name="Russia", kind="state", country="RUS", sector="GOV")],
        date=EventDate("2025-04"),
        mentions=[FactMention("sha256:ccc", "v1", "2025-05-01", "denied", [], Span(0, 50))],
        history=[HistoryEntry("denied", "2025-05-01", [])], independent=1, contested=True,
        first_seen="2025-05-01", last_seen="2025-05-01")
    return [deployment, sanction]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


# -- the code tables ------------------------------------------------------------------------------
def test_every_plover_type_has_a_cameo_root_quad_and_goldstein() -> None:
    c = codes()
    for event_type in EVENT_TYPES:
        root = c.cameo_root(event_type, None)
        assert root is not None and 1 <= int(root) <= 20, event_type
        assert c.quads[event_type] in (1, 2, 3, 4)
        assert c.gdelt_quads[root] in (1, 2, 3, 4) and -10 <= c.goldstein[root] <= 10
    assert c.cameo_root("CONSULT", "visit") == "04" and c.cameo_root("REQUEST", None) == "10"
    assert c.cameo_root("ACCUSE", "allege") == "11" and c.cameo_root("ACCUSE", "investigate") == "09"
    assert c.cameo_root("ASSAULT", None) == "18" and c.cameo_root("ASSAULT", "seize") == "19"
    assert c.quads["SANCTION"] == 3 and c.gdelt_quads["16"] == 4  # PLOVER and GDELT differ here
    assert c.goldstein["07"] == 7.0 and c.goldstein["19"] == -10.0


def test_first_day_of_iso_values_at_each_granularity() -> None:
    assert first_day("2025-06-04") == date(2025, 6, 4)
    assert first_day("2025-04") == date(2025, 4, 1)
    assert first_day("2024") == date(2024, 1, 1)
    assert first_day("2025-W22") == date(2025, 5, 26)
    assert first_day("2024-SU") == date(2024, 1, 1)
    assert first_day(None) is None and first_day("ieri") is None


# -- JSONL --------------------------------------------------------------------------------------
def test_jsonl_mentions_round_trip_the_records(records: list[Record], tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"
    assert export_mentions(iter(records), "jsonl", out) == len(records)
    back = [Record.from_dict(json.loads(line)) for line in _lines(out)]
    assert [r.to_dict() for r in back] == [r.to_dict() for r in records]


def test_jsonl_facts_round_trip(facts: list[Fact], tmp_path: Path) -> None:
    out = tmp_path / "facts.jsonl"
    assert export_facts(iter(facts), "jsonl", out) == 2
    back = [Fact.from_dict(json.loads(line)) for line in _lines(out)]
    assert [f.to_dict() for f in back] == [f.to_dict() for f in facts]
    assert json.loads(_lines(out)[0])["sources"]["independent"] == 2


# -- CSV ----------------------------------------------------------------------------------------
def test_csv_mentions_one_row_per_event_with_evidence(records: list[Record], tmp_path: Path) -> None:
    out = tmp_path / "mentions.csv"
    assert export_mentions(records, "csv", out) == 4
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == list(MENTION_COLUMNS)
    assert len(rows) == 4
    meeting, troops, accusation, condemnation = rows
    assert (meeting["type"], meeting["mode"], meeting["cameo_root"], meeting["quad_class"]) == (
        "CONSULT", "visit", "04", "1")
    assert (meeting["place_name"], meeting["date_value"], meeting["date_text"]) == (
        "Pyongyang", "2025-06-04", "ieri")
    assert (meeting["outlet"], meeting["url"], meeting["published"]) == (
        "Gazzetta di Prova", "https://example.org/a", "2025-06-05")
    assert (troops["source_country"], troops["source_sector"], troops["target_country"]) == (
        "PRK", "MIL", "RUS")
    assert (troops["cameo_root"], troops["quad_class"], troops["attribution"]) == ("07", "2", "KCNA")
    assert troops["status"] == "reported" and troops["date_value"] == ""
    text = records[0].doc.text
    assert troops["evidence"] == text[int(troops["sentence_start"]):int(troops["sentence_end"])]
    assert text[int(troops["trigger_start"]):int(troops["trigger_end"])] == troops["trigger_text"]
    assert accusation["evidence"] == ARTICLES[1][0]  # quotes and commas survive CSV quoting
    assert accusation["attribution"] == "Mario Rossi" and accusation["target_country"] == "RUS"
    assert condemnation["source_country"] == "UN" and condemnation["outlet"] == ""
    assert {r["doc_id"] for r in rows} == {r.doc.id for r in records}


def test_csv_facts_flatten_history_sources_and_links(facts: list[Fact], tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    assert export_facts(facts, "csv", out) == 2
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        deployment, sanction = list(reader)
    assert reader.fieldnames == list(FACT_COLUMNS)
    assert deployment["history"] == "alleged@2024;confirmed@2025-04"
    assert (deployment["n_mentions"], deployment["n_articles"],
            deployment["independent_sources"]) == ("3", "2", "2")
    assert deployment["outlets"] == "Gazzetta di Prova;Corriere di Prova"
    assert deployment["speakers"] == "Volodymyr Zelensky;Cremlino"
    assert (deployment["date_value"], deployment["date_mod"], deployment["contested"]) == (
        "2024", "END", "False")
    assert deployment["links"] == "accused_by:f2" and deployment["cameo_root"] == "07"
    assert sanction["target_countries"] == "PRK;RUS" and sanction["target_country"] == "PRK"
    assert (sanction["contested"], sanction["quad_class"], sanction["cameo_root"]) == ("True", "3", "16")


# -- Parquet ------------------------------------------------------------------------------------
def test_parquet_mentions_typed_columns_in_row_groups(records: list[Record], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setattr(export, "ROW_GROUP", 3)
    out = tmp_path / "mentions.parquet"
    assert export_mentions(records, "parquet", out) == 4
    meta = pq.ParquetFile(out).metadata
    assert (meta.num_rows, meta.num_row_groups) == (4, 2)
    table = pq.read_table(out)
    assert table.schema.names == list(MENTION_COLUMNS)
    assert str(table.schema.field("trigger_start").type) == "int64"
    assert str(table.schema.field("confidence").type) == "double"
    rows = table.to_pylist()
    assert [r["type"] for r in rows] == ["CONSULT", "AID", "ACCUSE", "ACCUSE"]
    assert rows[1]["date_value"] is None and rows[1]["source_country"] == "PRK"
    assert rows[0]["quad_class"] == 1 and rows[0]["place_country"] == "PRK"


def test_parquet_facts(facts: list[Fact], tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "facts.parquet"
    assert export_facts(facts, "parquet", out) == 2
    rows = pq.read_table(out).to_pylist()
    assert [r["fact_id"] for r in rows] == ["f1", "f2"]
    assert rows[0]["n_mentions"] == 3 and rows[0]["contested"] is False and rows[1]["contested"] is True
    assert rows[0]["history"] == "alleged@2024;confirmed@2025-04"


# -- PLOVER -------------------------------------------------------------------------------------
def test_plover_mentions_use_plover_field_names(records: list[Record], tmp_path: Path) -> None:
    out = tmp_path / "mentions.plover.jsonl"
    assert export_mentions(records, "plover", out) == 4
    items = [json.loads(line) for line in _lines(out)]
    meeting, troops, accusation, condemnation = items
    assert {"id", "date", "source", "target", "event", "mode", "context", "eventText", "text",
            "language", "publication"} <= set(meeting)
    assert meeting["event"] == "CONSULT" and meeting["mode"] == "visit"
    assert meeting["eventLoc"] == {"name": "Pyongyang", "country code": "KP"}
    assert meeting["date"] == "2025-06-04" and troops["date"] == "2025-06-05"  # own date, else published
    assert troops["source"] == [{"actorText": "Corea del Nord", "code": "PRK", "sector": "MIL",
                                 "actorName": "Corea del Nord"}]  # a state is named in the article's language
    assert troops["eventText"] == "inviato" and troops["status"] == "reported"
    assert troops["attribution"] == [{"name": "KCNA", "cue": "Secondo"}]
    assert troops["cameo"] == "07" and troops["quadClass"] == 2
    assert accusation["text"] == ARTICLES[1][0] and accusation["publication"] == "Corriere di Prova"
    assert condemnation["source"][0]["code"] == "IGO"  # PLOVER codes international bodies as IGO
    assert len({item["id"] for item in items}) == 4


def test_plover_fields_are_those_of_plover_gold_records(records: list[Record], tmp_path: Path) -> None:
    gold = SHARED / "data" / "plover-gsr-cameo" / "PLOVER_GSR_CAMEO.json"
    if not gold.is_file():
        pytest.skip(f"PLOVER gold records not found at {gold}")
    plover = [r for r in json.loads(gold.read_text(encoding="utf-8")) if r.get("event") != "DOCUMENT"]
    their_fields = {k for r in plover for k in r}
    their_actor_fields = {k for r in plover for side in ("source", "target")
                          if isinstance(r.get(side), list) for a in r[side] for k in a}
    out = tmp_path / "mentions.plover.jsonl"
    export_mentions(records, "plover", out)
    ours = json.loads(_lines(out)[0])
    core = {"id", "date", "source", "target", "event", "mode", "context", "eventText", "eventLoc",
            "text", "language", "publication", "coder", "version"}
    assert core <= their_fields and core <= set(ours)
    assert {"actorText", "code", "sector"} <= their_actor_fields
    assert {"actorText", "code", "sector"} <= set(ours["source"][0])
    assert ours["eventLoc"].keys() <= {k for r in plover for k in r.get("eventLoc") or {}}


def test_plover_facts_carry_counts_history_and_contest(facts: list[Fact], tmp_path: Path) -> None:
    out = tmp_path / "facts.plover.jsonl"
    assert export_facts(facts, "plover", out) == 2
    deployment, sanction = (json.loads(line) for line in _lines(out))
    assert (deployment["id"], deployment["event"], deployment["date"], deployment["dateMod"]) == (
        "f1", "AID", "2024", "END")
    assert deployment["mentions"] == 3 and deployment["articles"] == 2
    assert [h["status"] for h in deployment["history"]] == ["alleged", "confirmed"]
    assert deployment["sources"]["independent"] == 2 and deployment["contested"] is False
    assert sanction["contested"] is True and [t["code"] for t in sanction["target"]] == ["PRK", "RUS"]


# -- GDELT --------------------------------------------------------------------------------------
def _gdelt(path: Path) -> list[dict[str, str]]:
    lines = _lines(path)
    assert lines and all(len(line.split("\t")) == 61 for line in lines)
    return [dict(zip(GDELT_COLUMNS, line.split("\t"))) for line in lines]


def test_gdelt_mentions_have_61_columns_and_cameo_codes(records: list[Record], tmp_path: Path) -> None:
    assert len(GDELT_COLUMNS) == 61 and len(set(GDELT_COLUMNS)) == 61
    out = tmp_path / "events.tsv"
    assert export_mentions(records, "gdelt", out) == 4
    meeting, troops, accusation, condemnation = _gdelt(out)
    assert (meeting["SQLDATE"], meeting["MonthYear"], meeting["Year"]) == ("20250604", "202506", "2025")
    assert meeting["FractionDate"] == f"{2025 + (5 * 30 + 4) / 365:.4f}"
    assert (meeting["Actor1Code"], meeting["Actor1Name"], meeting["Actor1CountryCode"]) == (
        "RUSGOV", "VLADIMIR PUTIN", "RUS")
    assert (meeting["Actor2Code"], meeting["Actor2Type1Code"]) == ("PRKGOV", "GOV")
    assert (meeting["EventCode"], meeting["EventBaseCode"], meeting["EventRootCode"]) == ("040", "040", "04")
    assert (meeting["QuadClass"], meeting["GoldsteinScale"]) == ("1", "1.0")
    assert (meeting["ActionGeo_Type"], meeting["ActionGeo_CountryCode"]) == ("4", "KN")  # FIPS, not ISO
    assert meeting["ActionGeo_FullName"] == "Pyongyang, North Korea"
    assert meeting["IsRootEvent"] == "1" and troops["IsRootEvent"] == "0"  # lead paragraph only
    assert (troops["EventRootCode"], troops["QuadClass"], troops["GoldsteinScale"]) == ("07", "2", "7.0")
    assert troops["SQLDATE"] == "20250605"  # no date of its own: the publication date
    assert (troops["NumMentions"], troops["NumSources"], troops["NumArticles"]) == ("1", "1", "1")
    assert troops["DATEADDED"] == "20250605000000" and troops["SOURCEURL"] == "https://example.org/a"
    assert accusation["EventRootCode"] == "11" and accusation["SOURCEURL"] == "Corriere di Prova"
    assert (condemnation["Actor1Code"], condemnation["Actor1KnownGroupCode"],
            condemnation["Actor1CountryCode"], condemnation["Actor1Type1Code"]) == (
        "IGOUNO", "UNO", "", "IGO")
    assert condemnation["SOURCEURL"] == records[2].doc.id
    ids = [row["GLOBALEVENTID"] for row in (meeting, troops, accusation, condemnation)]
    assert all(i.isdigit() and 0 < int(i) < 2**63 for i in ids) and len(set(ids)) == 4
    assert int(ids[1]) == stable_int(f"{records[0].doc.id}#v2")
    again = tmp_path / "again.tsv"
    export_mentions(records, "gdelt", again)
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_gdelt_header_line_names_the_codebook_columns(records: list[Record], tmp_path: Path) -> None:
    out = tmp_path / "events.tsv"
    export_mentions(records, "gdelt", out, header=True)
    lines = _lines(out)
    assert lines[0].split("\t") == list(GDELT_COLUMNS) and len(lines) == 5
    assert lines[0].startswith("GLOBALEVENTID\tSQLDATE\t") and lines[0].endswith("\tDATEADDED\tSOURCEURL")


def test_gdelt_facts_count_mentions_and_independent_sources(facts: list[Fact], tmp_path: Path) -> None:
    out = tmp_path / "facts.tsv"
    assert export_facts(facts, "gdelt", out) == 2
    deployment, sanction = _gdelt(out)
    assert (deployment["NumMentions"], deployment["NumSources"],
            deployment["NumArticles"]) == ("3", "2", "2")
    assert deployment["SQLDATE"] == "20240101" and deployment["DATEADDED"] == "20241102000000"
    assert (deployment["Actor1Code"], deployment["Actor2Code"]) == ("PRKMIL", "RUSGOV")
    assert deployment["SOURCEURL"] == "Gazzetta di Prova"
    assert deployment["GLOBALEVENTID"] == str(stable_int("f1"))
    assert (sanction["SQLDATE"], sanction["MonthYear"]) == ("20250401", "202504")  # month: day 01
    assert (sanction["EventCode"], sanction["QuadClass"], sanction["GoldsteinScale"]) == ("160", "4", "-4.0")
    assert (sanction["Actor1Code"], sanction["Actor1KnownGroupCode"]) == ("IGOUNO", "UNO")
    assert sanction["SOURCEURL"] == "sha256:ccc" and sanction["ActionGeo_CountryCode"] == ""


# -- atomic writes --------------------------------------------------------------------------------
def _failing(items: list) -> Iterator:
    """Yields the first item, then fails: a store or disk error in the middle of an export."""
    yield items[0]
    raise RuntimeError("disk gone")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failed_export_leaves_no_partial_file(fmt: str, records: list[Record], facts: list[Fact],
                                                tmp_path: Path) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"new.{fmt}"
    with pytest.raises(RuntimeError, match="disk gone"):
        export_mentions(_failing(records), fmt, out)
    with pytest.raises(RuntimeError, match="disk gone"):
        export_facts(_failing(facts), fmt, out)
    assert list(tmp_path.iterdir()) == []  # neither OUT nor a temporary file


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failed_export_keeps_the_existing_file(fmt: str, records: list[Record], tmp_path: Path) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / f"old.{fmt}"
    export_mentions(records, fmt, out)
    before = out.read_bytes()
    with pytest.raises(RuntimeError):
        export_mentions(_failing(records), fmt, out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_unknown_format_is_refused_before_writing(records: list[Record], tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="xml"):
        export_mentions(records, "xml", tmp_path / "x.xml")
    assert list(tmp_path.iterdir()) == []


# -- the command --------------------------------------------------------------------------------
@pytest.fixture
def db(records: list[Record], tmp_path: Path) -> Path:
    from cronaca.store import open_store

    path = tmp_path / "news.db"
    with open_store(path) as store:
        store.add_batch(records)
    return path


def test_export_command_writes_mentions_and_facts(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "events.tsv"
    result = runner.invoke(app, ["export", "--format", "gdelt", "--header", "--db", str(db), str(out)])
    assert result.exit_code == 0, result.output
    rows = _lines(out)
    assert len(rows) == 5 and all(len(r.split("\t")) == 61 for r in rows)
    assert "4 mentions written" in result.output
    facts_out = tmp_path / "facts.jsonl"
    result = runner.invoke(app, ["export", "-f", "jsonl", "--facts", "--db", str(db), str(facts_out)])
    assert result.exit_code == 0, result.output
    stored = [Fact.from_dict(json.loads(line)) for line in _lines(facts_out)]
    assert stored and sum(len(f.mentions) for f in stored) == 4
    assert {f.type for f in stored} == {"CONSULT", "AID", "ACCUSE"}


def test_export_command_failure_keeps_out_intact(db: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from cronaca.store.sqlite import SqliteStore

    out = tmp_path / "mentions.csv"
    out.write_text("previous export\n", encoding="utf-8")
    real = SqliteStore.iter_records

    def broken(self: SqliteStore) -> Iterator[Record]:
        for n, record in enumerate(real(self)):
            if n == 1:
                raise OSError("database disk image is malformed")
            yield record

    monkeypatch.setattr(SqliteStore, "iter_records", broken)
    result = CliRunner().invoke(app, ["export", "--format", "csv", "--db", str(db), str(out)])
    assert result.exit_code == 1
    assert "export failed" in result.output and "malformed" in result.output
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("news.db")) == [out.name]


def test_export_command_refuses_bad_format_and_missing_database(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["export", "--format", "xml", "--db", str(db), str(tmp_path / "x")])
    assert result.exit_code == 2 and "not supported" in result.output
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "none.db"), str(tmp_path / "x")])
    assert result.exit_code == 2 and "no such database" in result.output
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "x").exists()
