"""The HTTP API over a store holding the example articles: every endpoint, its filters, and how
it refuses bad input (4xx JSON, never a 500): unknown ids, bad parameters, malformed JSON,
oversized bodies, ingest disabled, missing / wrong / right token; and ``cronaca serve``."""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from typer.testing import CliRunner

from cronaca.cli import app as cli
from cronaca.pipeline import content_id, extract
from cronaca.read import read_inputs
from cronaca.store import StoreError, open_store
from cronaca.web import create_app, models
from cronaca.web.app import MAX_BODY_BYTES
from cronaca.web.models import MAX_TEXT_CHARS

EXAMPLES = Path(__file__).resolve().parents[1] / "cronaca" / "examples"
TOKEN = "t0ken-for-tests"
MEETING = ("Martedì il ministro degli Esteri russo Sergej Lavrov ha incontrato a Pechino il suo "
           "omologo cinese Wang Yi.")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "examples.db"
    with open_store(path) as store:
        store.add_batch(extract(a.text, lang=a.lang, published=a.published, source=a.source)
                        for a in read_inputs([EXAMPLES], lang="it"))
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db))


@pytest.fixture()
def ingest_client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(tmp_path / "ingest.db", allow_ingest=True, token=TOKEN))


def _error(response: httpx.Response, status: int) -> str | list:
    """The JSON ``detail`` of an error answer, after checking its status and content type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()["detail"]


def _countries(fact: dict, role: str) -> set[str]:
    return {a["country"] for a in fact[role]}


# -- articles and records -----------------------------------------------------------------------

def test_stats_count_what_the_store_holds(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["articles"] == len(list(EXAMPLES.glob("*.txt")))
    assert stats["events"] > stats["articles"] and stats["facts"] > 0
    assert stats["ingest"] is False


def test_articles_are_paged(client: TestClient) -> None:
    everything = client.get("/api/articles").json()
    total = everything["total"]
    assert total == len(everything["items"]) == len(list(EXAMPLES.glob("*.txt")))
    first = client.get("/api/articles", params={"limit": 2}).json()
    rest = client.get("/api/articles", params={"offset": 2, "limit": 100}).json()
    assert [a["id"] for a in first["items"] + rest["items"]] == [a["id"] for a in everything["items"]]
    assert (first["offset"], first["limit"], first["total"]) == (0, 2, total)
    assert client.get("/api/articles", params={"offset": total}).json()["items"] == []
    assert {a["source"] for a in everything["items"]} == {p.name for p in EXAMPLES.glob("*.txt")}


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"offset": -1}, {"limit": "ten"}])
def test_bad_paging_is_422(client: TestClient, params: dict) -> None:
    assert _error(client.get("/api/articles", params=params), 422)


def test_article_with_its_record(client: TestClient) -> None:
    summary = client.get("/api/articles", params={"limit": 1}).json()["items"][0]
    detail = client.get(f"/api/articles/{summary['id']}").json()
    assert detail["article"] == summary
    record = detail["record"]
    text = record["doc"]["text"]
    assert len(text) == summary["chars"] and len(record["events"]) == summary["events"] > 0
    for event in record["events"]:  # offsets point into the text as served
        trigger = event["trigger"]
        assert text[trigger["start"]:trigger["end"]] == trigger["text"]
        assert event["sentence"]["start"] <= trigger["start"] < event["sentence"]["end"]


def test_record_is_the_stored_contract_record(client: TestClient, db: Path) -> None:
    article_id = client.get("/api/articles", params={"limit": 1}).json()["items"][0]["id"]
    with open_store(db) as store:
        stored = store.get_record(article_id)
    assert stored is not None
    assert client.get(f"/api/records/{article_id}").json() == stored.to_dict()
    # the content hash of the text finds the same article
    assert client.get(f"/api/records/{content_id(stored.doc.text)}").json() == stored.to_dict()


@pytest.mark.parametrize("url", ["/api/articles/sha256:0000", "/api/records/nothing-here",
                                 "/api/facts/f000000000000"])
def test_unknown_ids_are_404(client: TestClient, url: str) -> None:
    assert "unknown" in _error(client.get(url), 404)


# -- facts ----------------------------------------------------------------------------------------

def test_facts_filters(client: TestClient) -> None:
    every = client.get("/api/facts").json()
    assert len(every) == client.get("/api/stats").json()["facts"]
    contested = client.get("/api/facts", params={"contested": "true"}).json()
    assert contested and all(f["contested"] for f in contested)
    assert len(client.get("/api/facts", params={"contested": "false"}).json()) == len(every) - len(contested)
    alleged = client.get("/api/facts", params={"status": "alleged"}).json()
    assert alleged and all(any(m["status"] == "alleged" for m in f["mentions"]) for f in alleged)
    korean = client.get("/api/facts", params={"actor": "Corea del Nord"}).json()
    assert korean and all("PRK" in _countries(f, "source") | _countries(f, "target") for f in korean)
    assert client.get("/api/facts", params={"actor": "PRK"}).json() == korean
    outlet = "04_conferme_kursk.txt"
    told = client.get("/api/facts", params={"source": outlet}).json()
    assert told and all(outlet in f["sources"]["outlets"] for f in told)
    assert len(client.get("/api/facts", params={"limit": 3}).json()) == 3


def test_facts_bad_parameters(client: TestClient) -> None:
    assert _error(client.get("/api/facts", params={"status": "rumoured"}), 422)
    assert "unknown actor" in _error(client.get("/api/facts", params={"actor": "Atlantide"}), 400)
    assert _error(client.get("/api/facts", params={"contested": "perhaps"}), 422)


def test_fact_with_its_evidence(client: TestClient, db: Path) -> None:
    fact = next(f for f in client.get("/api/facts").json() if len(f["mentions"]) > 1)
    detail = client.get(f"/api/facts/{fact['id']}").json()
    assert detail["fact"] == fact
    assert len(detail["evidence"]) == len(fact["mentions"])
    with open_store(db) as store:
        for evidence in detail["evidence"]:
            record = store.get_record(evidence["doc"])
            assert record is not None
            span = evidence["sentence"]
            assert evidence["text"] == record.doc.text[span["start"]:span["end"]]
            kinds = {h["kind"] for h in evidence["highlights"]}
            assert "trigger" in kinds
            for h in evidence["highlights"]:
                assert 0 <= h["start"] < h["end"] <= len(evidence["text"])


# -- timeline, dyad, actors, search ---------------------------------------------------------------

def test_timeline_of_a_pair(client: TestClient) -> None:
    facts = client.get("/api/timeline", params={"actor": ["Russia", "Corea del Nord"]}).json()
    assert len(facts) >= 3
    for f in facts:
        involved = _countries(f, "source") | _countries(f, "target")
        assert {"RUS", "PRK"} <= involved
    troops = [f for f in facts if f["type"] == "AID" and _countries(f, "source") == {"PRK"}]
    assert troops and all(f["history"] for f in troops)
    aid = client.get("/api/timeline", params={"actor": ["RUS", "PRK"], "type": "AID"}).json()
    assert aid and {f["type"] for f in aid} == {"AID"}
    assert [f["id"] for f in aid] == [f["id"] for f in facts if f["type"] == "AID"]
    late = client.get("/api/timeline", params={"actor": ["RUS", "PRK"], "from": "2025"}).json()
    early = client.get("/api/timeline", params={"actor": ["RUS", "PRK"], "to": "2024-12"}).json()
    assert late and early and not {f["id"] for f in late} & {f["id"] for f in early}
    assert {f["id"] for f in late} | {f["id"] for f in early} == {f["id"] for f in facts}


@pytest.mark.parametrize(("params", "status"), [
    ({"actor": ["RUS", "PRK", "UKR"]}, 422),          # at most two actors
    ({"actor": "RUS", "from": "2024-13"}, 422),        # not a month
    ({"actor": "RUS", "from": "2024-02-30"}, 400),     # well formed, but no such day
    ({"actor": "RUS", "from": "2025", "to": "2024"}, 400),
    ({"actor": "RUS", "type": "INVADE"}, 422),
    ({"actor": "Nessuno Davvero"}, 400),
    ({"actor": "RUS", "limit": 0}, 422),
])
def test_timeline_bad_parameters(client: TestClient, params: dict, status: int) -> None:
    assert _error(client.get("/api/timeline", params=params), status)


def test_dyad_counts_every_fact_of_the_pair_once(client: TestClient) -> None:
    facts = client.get("/api/timeline", params={"actor": ["RUS", "PRK"]}).json()
    periods = client.get("/api/dyad", params={"a": "Mosca", "b": "Pyongyang"}).json()
    counted = sum(v for p in periods for k, v in p.items() if k != "period")
    assert counted == len(facts)
    labels = [p["period"] for p in periods]
    assert labels == sorted(labels) and len(set(labels)) == len(labels)
    years = client.get("/api/dyad", params={"a": "RUS", "b": "PRK", "by": "year"}).json()
    assert [p["period"] for p in years] == ["2024", "2025"]
    assert _error(client.get("/api/dyad", params={"a": "RUS", "b": "PRK", "by": "week"}), 422)
    assert _error(client.get("/api/dyad", params={"a": "RUS"}), 422)


def test_actors(client: TestClient) -> None:
    every = client.get("/api/actors").json()
    mentions = [a["mentions"] for a in every]
    assert mentions == sorted(mentions, reverse=True)
    russian = client.get("/api/actors", params={"country": "Russia"}).json()
    assert russian and all("RUS" in a["countries"] for a in russian)
    assert any(a["name"] == "Vladimir Putin" for a in russian)
    assert "not a country" in _error(client.get("/api/actors", params={"country": "Vladimir Putin"}), 400)


def test_search(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "Kursk", "limit": 5}).json()
    assert 0 < len(hits) <= 5
    assert all("kursk" in h["text"].lower() for h in hits if h["start"] is not None)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert client.get("/api/search", params={"q": "zzzqqqxxx"}).json() == []
    assert _error(client.get("/api/search"), 422)
    assert _error(client.get("/api/search", params={"q": "Kursk", "limit": 101}), 422)


# -- extract ------------------------------------------------------------------------------------

def test_extract_returns_a_record_and_stores_nothing(client: TestClient) -> None:
    before = client.get("/api/stats").json()
    response = client.post("/api/extract", json={"text": MEETING, "published": "2025-03-05",
                                                  "source": "prova"})
    assert response.status_code == 200, response.text
    record = response.json()
    assert record["doc"]["published"] == "2025-03-05" and record["doc"]["source"] == "prova"
    consult = [e for e in record["events"] if e["type"] == "CONSULT"]
    assert consult and consult[0]["date"]["value"] == "2025-03-04"  # Tuesday before publication
    assert "RUS" in _countries(consult[0], "source") | _countries(consult[0], "target")
    assert client.get("/api/stats").json() == before


def test_extract_detects_the_language(client: TestClient) -> None:
    text = "The president of the United States said on Monday that the talks would go on."
    assert client.post("/api/extract", json={"text": text, "lang": "auto"}).json()["doc"]["lang"] == "en"


@pytest.mark.parametrize("body", [
    {},                                              # no text
    {"text": ""},
    {"text": 42},
    {"text": MEETING, "lang": "xx"},
    {"text": MEETING, "published": "5 marzo"},
    {"text": MEETING, "colour": "blue"},             # unknown field
    {"text": "x" * (MAX_TEXT_CHARS + 1)},
])
def test_extract_bad_bodies_are_422(client: TestClient, body: dict) -> None:
    assert _error(client.post("/api/extract", json=body), 422)


def test_422_does_not_echo_the_input(client: TestClient) -> None:
    response = client.post("/api/extract", json={"text": "y" * (MAX_TEXT_CHARS + 1)})
    assert _error(response, 422)[0]["loc"] == ["body", "text"]
    assert len(response.content) < 1000


def test_lone_surrogates_are_422(client: TestClient) -> None:
    """Legal as a JSON escape, but no UTF-8 text: it could be neither hashed nor stored."""
    raw = b'{"text": "una \\ud800 meta"}'
    assert _error(client.post("/api/extract", content=raw,
                              headers={"Content-Type": "application/json"}), 422)


def test_extract_impossible_date_is_400(client: TestClient) -> None:
    assert "invalid date" in _error(client.post("/api/extract", json={"text": MEETING,
                                                                      "published": "2025-02-30"}), 400)


@pytest.mark.parametrize("raw", [b"{not json", b'{"text": "unterminated', b"", b"[1, 2]"])
def test_malformed_json_is_422(client: TestClient, raw: bytes) -> None:
    response = client.post("/api/extract", content=raw, headers={"Content-Type": "application/json"})
    assert _error(response, 422)


def test_oversized_bodies_are_413(client: TestClient) -> None:
    big = b'{"text": "' + b"a" * MAX_BODY_BYTES + b'"}'
    assert "request body over" in _error(client.post("/api/extract", content=big,
                                                     headers={"Content-Type": "application/json"}), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        yield b'{"text": "'
        for _ in range(3):
            yield b"b" * (MAX_BODY_BYTES // 2)
        yield b'"}'

    assert _error(client.post("/api/extract", content=chunks(),
                              headers={"Content-Type": "application/json"}), 413)
    padded = {"text": MEETING, "url": "https://example.org/" + "p" * 3000}  # big, within limits
    assert client.post("/api/extract", json=padded).status_code == 200


# -- ingest ---------------------------------------------------------------------------------------

def test_ingest_is_off_by_default(client: TestClient) -> None:
    response = client.post("/api/articles", json={"text": MEETING},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert "disabled" in _error(response, 403)
    anonymous = client.post("/api/articles", json={"text": MEETING})
    assert "--allow-ingest" in _error(anonymous, 401)
    assert client.get("/api/stats").json()["articles"] == len(list(EXAMPLES.glob("*.txt")))


def test_ingest_needs_the_token(ingest_client: TestClient) -> None:
    missing = ingest_client.post("/api/articles", json={"text": MEETING})
    assert _error(missing, 401) and missing.headers["www-authenticate"] == "Bearer"
    for header in (f"Bearer {TOKEN}x", "Bearer ", f"Basic {TOKEN}", TOKEN):
        assert _error(ingest_client.post("/api/articles", json={"text": MEETING},
                                         headers={"Authorization": header}), 401)
    # without the token, a bad body still only learns that a token is needed
    assert _error(ingest_client.post("/api/articles", json={"colour": "blue"}), 401)
    assert ingest_client.get("/api/stats").json()["articles"] == 0


def test_ingest_with_the_token_stores_and_fuses(ingest_client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"text": MEETING, "published": "2025-03-05", "source": "Agenzia Prova",
            "title": "Lavrov a Pechino"}
    created = ingest_client.post("/api/articles", json=body, headers=auth)
    assert created.status_code == 201, created.text
    result = created.json()
    assert result == {"id": content_id(MEETING), "new": True, "events": result["events"]}
    assert result["events"] >= 1
    stored = ingest_client.get(f"/api/articles/{result['id']}").json()
    assert stored["article"]["title"] == "Lavrov a Pechino"
    assert stored["article"]["source"] == "Agenzia Prova"
    facts = ingest_client.get("/api/facts", params={"source": "Agenzia Prova"}).json()
    assert facts and all(f["first_seen"] == "2025-03-05" for f in facts)
    again = ingest_client.post("/api/articles", json=body, headers=auth)
    assert again.status_code == 200 and again.json()["new"] is False
    assert ingest_client.get("/api/stats").json()["articles"] == 1
    assert _error(ingest_client.post("/api/articles", json={"text": "Altro testo.",
                                                            "published": "2025-02-30"},
                                     headers=auth), 400)


def test_ingest_without_a_token_is_refused_at_build(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="CRONACA_TOKEN"):
        create_app(tmp_path / "x.db", allow_ingest=True, token=None)


# -- the HTTP layer itself ------------------------------------------------------------------------

def test_wrong_method_names_every_allowed_one(client: TestClient) -> None:
    response = client.delete("/api/articles")
    assert _error(response, 405)
    assert response.headers["allow"] == "GET, POST"
    assert client.put("/api/facts").headers["allow"] == "GET"


def test_unknown_route_is_json_404(client: TestClient) -> None:
    assert _error(client.get("/api/nowhere"), 404)


def test_openapi_describes_every_endpoint(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path, method in [("/api/articles", "get"), ("/api/articles", "post"),
                         ("/api/articles/{article_id}", "get"), ("/api/records/{article_id}", "get"),
                         ("/api/facts", "get"), ("/api/facts/{fact_id}", "get"), ("/api/actors", "get"),
                         ("/api/timeline", "get"), ("/api/dyad", "get"), ("/api/search", "get"),
                         ("/api/extract", "post"), ("/api/stats", "get")]:
        ok = paths[path][method]["responses"]["201" if method == "post" and path == "/api/articles"
                                              else "200"]
        assert "$ref" in str(ok["content"]["application/json"]["schema"]), (path, method)
    record = schema["components"]["schemas"]["Record"]
    assert set(record["properties"]) == {"doc", "entities", "timexes", "events"}
    event_type = schema["components"]["schemas"]["Event"]["properties"]["type"]
    assert "ASSAULT" in event_type["enum"]
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert client.get("/docs").status_code == 404  # no documentation pages served from a CDN


def test_answers_conform_to_the_published_models(client: TestClient) -> None:
    """Answers are sent without re-validation: every shape is checked here, on real ids that a
    schema-driven fuzzer would not guess."""
    article_id = client.get("/api/articles").json()["items"][0]["id"]
    facts = client.get("/api/facts").json()
    linked = next(f for f in facts if f["links"])
    answers = [
        (models.Stats, "/api/stats"), (models.ArticlePage, "/api/articles"),
        (models.ArticleDetail, f"/api/articles/{article_id}"), (models.Record, f"/api/records/{article_id}"),
        (list[models.Fact], "/api/facts"), (models.FactDetail, f"/api/facts/{linked['id']}"),
        (list[models.Fact], "/api/timeline?actor=RUS&actor=PRK"),
        (list[models.DyadPeriod], "/api/dyad?a=RUS&b=PRK"),
        (list[models.ActorSummary], "/api/actors"), (list[models.SearchHit], "/api/search?q=Corea"),
    ]
    for model, url in answers:
        TypeAdapter(model).validate_python(client.get(url).json())
    record = client.post("/api/extract", json={"text": MEETING, "published": "2025-03-05"}).json()
    models.Record.model_validate(record)


def test_concurrent_requests_each_use_their_own_connection(client: TestClient) -> None:
    urls = ["/api/facts", "/api/timeline?actor=RUS", "/api/stats", "/api/search?q=truppe"] * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda url: client.get(url).status_code, urls))
    assert statuses == [200] * len(urls)


def test_a_bug_is_logged_and_answered_without_a_traceback(db: Path, caplog: pytest.LogCaptureFixture,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(db)

    def broken(*_: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("cronaca.query.search", broken)
    with caplog.at_level(logging.ERROR, logger="cronaca.web"):
        response = TestClient(app, raise_server_exceptions=False).get("/api/search", params={"q": "x"})
    detail = _error(response, 500)
    assert "secret" not in response.text and "Traceback" not in response.text
    assert "internal error" in detail
    assert any("secret internals" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_a_store_in_trouble_is_503(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(*_: object) -> None:
        raise StoreError("database is locked")

    monkeypatch.setattr("cronaca.query.search", locked)
    response = TestClient(create_app(db)).get("/api/search", params={"q": "x"})
    assert "database is locked" in _error(response, 503)


# -- cronaca serve --------------------------------------------------------------------------------

def test_serve_refuses_ingest_without_a_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRONACA_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "x.db"), "--allow-ingest"])
    assert result.exit_code == 2 and "CRONACA_TOKEN" in result.output
    assert not (tmp_path / "x.db").exists()


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2 and "no such database" in result.output


def test_serve_wires_options_to_uvicorn(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.setenv("CRONACA_TOKEN", TOKEN)
    result = CliRunner().invoke(cli, ["serve", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 8000
    assert calls[-1]["app"].state.allow_ingest is False
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--allow-ingest", "--host", "0.0.0.0",
                                      "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "reachable from the network" in result.output
    app = calls[-1]["app"]
    assert (calls[-1]["host"], calls[-1]["port"]) == ("0.0.0.0", 8123)
    assert app.state.allow_ingest is True and app.state.token == TOKEN


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_loopback(db: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "CRONACA_TOKEN"}
    server = subprocess.Popen([sys.executable, "-m", "cronaca", "serve", "--db", str(db), "--port",
                               str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        response = None
        for _ in range(100):  # at most ~20 s for the server to come up
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None:
                    break
                time.sleep(0.2)
        assert response is not None, server.stdout.read().decode() if server.stdout else ""
        assert response.status_code == 200 and response.json()["ingest"] is False
        refused = httpx.post(f"http://127.0.0.1:{port}/api/articles", json={"text": MEETING},
                             headers={"Authorization": "Bearer anything"}, timeout=5)
        assert refused.status_code == 403
    finally:
        server.terminate()
        server.wait(timeout=10)
