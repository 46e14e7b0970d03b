"""The HTTP API: a thin FastAPI layer over ``cronaca.query``, the store and the pipeline.

Why thin: the command line, the pages and this API must answer the same question the same way,
so every route parses its parameters, calls the one Python API and shapes the answer with the
models of ``cronaca.web.models``; it decides nothing itself. Read-only unless the application is
built with ``allow_ingest`` (and then only with the bearer token); bodies are size-limited; bad
input is a 4xx JSON answer with a message fit to show as is.
"""
from __future__ import annotations

import hmac
import importlib.util
import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import asdict
from itertools import islice
from pathlib import Path
from typing import Annotated, Any, Literal, cast

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__, query
from ..langid import detect_language
from ..model import Record
from ..pipeline import content_id, extract
from ..read import AUTO, validate_date
from ..store import Store, StoreError, open_store
from . import models
from .models import DATE_PATTERN, EventType, Status

log = logging.getLogger("cronaca.web")

MAX_BODY_BYTES = 2 * 1024 * 1024
STATIC_DIR = Path(__file__).parent / "static"
PAGE_SIZE = 50
MAX_PAGE = 1000
MAX_QUERY_CHARS = 200


# -- the store: one SQLite connection per thread ------------------------------------------------

class ThreadLocalStore:
    """Stands for a ``Store`` and forwards every call to this thread's own one.

    Why: sqlite3 connections may not cross threads, and FastAPI runs a sync dependency and the
    sync endpoint using it on pool threads that may differ; each thread opens its store once.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def _store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = open_store(self.path)
        return store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store(), name)


def get_store(request: Request) -> Store:
    """The application's store (a FastAPI dependency shared with the pages router)."""
    return cast(Store, request.app.state.store)


StoreDep = Annotated[Store, Depends(get_store)]


# -- errors -------------------------------------------------------------------------------------

class AsciiJSONResponse(JSONResponse):
    """JSON with non-ASCII escaped: an error may quote input holding a lone surrogate (legal as a
    JSON escape), which plain UTF-8 rendering cannot encode."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


class Answer(JSONResponse):
    """A route's JSON answer, serialised as is: the route's ``response_model`` documents it in
    the schema (and the tests check it against that), but re-validating thousands of facts on
    every answer would cost more than the query itself."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _error(status: int, detail: str | list[Any], headers: Mapping[str, str] | None = None) -> JSONResponse:
    return AsciiJSONResponse({"detail": detail}, status_code=status, headers=headers)


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": models.ErrorResponse, "description": "A question that cannot be asked as given "
                                                        "(unknown actor, impossible date, …)"},
    413: {"model": models.ErrorResponse, "description": "Request body too large"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": models.ErrorResponse,
                                                    "description": "No such item"}}


class BodyLimit:
    """Reads at most ``max_bytes`` of a request body before the application sees it: more is
    answered 413 at once, so no route ever parses (or buffers) an oversized body."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send, declared)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send, None)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, declared: bytes | None) -> None:
        if declared is not None and not declared.isdigit():
            response = _error(400, "invalid Content-Length header")
        else:
            response = _error(413, f"request body over {self.max_bytes} bytes")
        await response(scope, receive, send)


# -- the application ----------------------------------------------------------------------------

def create_app(db_path: str | Path, allow_ingest: bool = False, token: str | None = None) -> FastAPI:
    """The web application over the SQLite store at ``db_path`` (created if missing).

    ``allow_ingest`` enables ``POST /api/articles``, which then needs ``Authorization: Bearer
    <token>``; ingest without a token is refused here, so no server can run open for writing.
    """
    if allow_ingest and not token:
        raise ValueError("ingest needs a token: set CRONACA_TOKEN")
    open_store(db_path).close()  # create or migrate now, and fail now, not on the first request
    app = FastAPI(title="cronaca", version=__version__, docs_url=None, redoc_url=None,
                  description="Who did what to whom, when, where, and on whose word: the records "
                              "and facts of a cronaca store. Read-only unless started for ingest.")
    app.state.store = ThreadLocalStore(Path(db_path))
    app.state.allow_ingest = allow_ingest
    app.state.token = token
    app.include_router(api)

    @app.exception_handler(query.QueryError)
    async def bad_question(_: Request, exc: query.QueryError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(StoreError)
    async def store_trouble(_: Request, exc: StoreError) -> JSONResponse:
        """The database is locked by a long write, or unreadable: the server's state, not a bug."""
        return _error(503, f"store unavailable: {exc}")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        """FastAPI's 422, less the echoed input (it may be a megabyte of text)."""
        errors = [{k: v for k, v in e.items() if k != "input"} for e in exc.errors()]
        return _error(422, jsonable_encoder(errors))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405:  # Starlette names only the first route's methods in Allow
            allowed = _allowed_methods(request.app, request.scope)
            return _error(405, str(exc.detail), {"Allow": ", ".join(sorted(allowed))})
        return _error(exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(Exception)
    async def last_resort(request: Request, exc: Exception) -> JSONResponse:
        """A bug, never a plan: logged with its traceback, answered without one."""
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error(500, "internal error (logged on the server)")

    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    if importlib.util.find_spec(f"{__package__}.pages") is not None:
        from .pages import router as pages

        app.include_router(pages, include_in_schema=False)
    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed_methods(app: FastAPI, scope: Scope) -> set[str]:
    """Every method some route fully serves at the requested path (asked of the router itself,
    so included routers count too)."""
    return {method for method in HTTP_METHODS
            if any(route.matches({**scope, "method": method})[0] == Match.FULL
                   for route in app.router.routes)}


api = APIRouter(prefix="/api", responses=ERRORS)
bearer = HTTPBearer(auto_error=False, description="the server's CRONACA_TOKEN")

Text = Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="at most this many results")]
DateParam = Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD")]


def _summary(record: Record) -> dict[str, Any]:
    doc = record.doc
    return {"id": doc.id, "title": doc.title, "published": doc.published, "source": doc.source,
            "lang": doc.lang, "url": doc.url, "chars": len(doc.text), "events": len(record.events)}


def _found(record: Record | None, article_id: str) -> Record:
    if record is None:
        raise HTTPException(404, f"unknown article {article_id!r}")
    return record


@api.get("/stats", response_model=models.Stats, summary="What the store holds")
def stats(request: Request, store: StoreDep) -> Answer:
    return Answer({"articles": store.count_articles(), "events": store.count_events(),
                   "facts": store.count_facts(), "ingest": request.app.state.allow_ingest})


@api.get("/articles", response_model=models.ArticlePage, summary="Stored articles, in storage order")
def list_articles(store: StoreDep, offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
                  limit: Limit = PAGE_SIZE) -> Answer:
    # Adapter: the store has no paged article listing yet, so this walks its records (cost grows
    # with ``offset``); a ``Store.list_articles(offset, limit)`` would make it one indexed query.
    items = [_summary(r) for r in islice(store.iter_records(), offset, offset + limit)]
    return Answer({"total": store.count_articles(), "offset": offset, "limit": limit, "items": items})


@api.get("/articles/{article_id}", response_model=models.ArticleDetail, responses=NOT_FOUND,
         summary="One article (content hash or its own id) with its record")
def get_article(article_id: str, store: StoreDep) -> Answer:
    record = _found(store.get_record(article_id), article_id)
    return Answer({"article": _summary(record), "record": record.to_dict()})


@api.get("/records/{article_id}", response_model=models.Record, responses=NOT_FOUND,
         summary="The event record of one article, in the contract's shape")
def get_record(article_id: str, store: StoreDep) -> Answer:
    return Answer(_found(store.get_record(article_id), article_id).to_dict())


@api.get("/facts", response_model=list[models.Fact], summary="Facts in date order, filtered")
def list_facts(store: StoreDep, contested: bool | None = None, status: Status | None = None,
               actor: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)] = None,
               source: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS,
                                                   description="an outlet or speaker")] = None,
               limit: Limit = MAX_PAGE) -> Answer:
    found = query.facts(store, contested=contested, status=status, actor=actor or None,
                        source=source or None, limit=limit)
    return Answer([f.to_dict() for f in found])


@api.get("/facts/{fact_id}", response_model=models.FactDetail, responses=NOT_FOUND,
         summary="One fact with every mention's evidence sentence and highlights")
def get_fact(fact_id: str, store: StoreDep) -> Answer:
    try:
        found, evidence = query.fact(store, fact_id)
    except query.QueryError as exc:  # the one question fact() can fail: no such fact
        raise HTTPException(404, str(exc)) from None
    return Answer({"fact": found.to_dict(), "evidence": [e.to_dict() for e in evidence]})


@api.get("/actors", response_model=list[models.ActorSummary],
         summary="Actors of the stored events, most mentioned first")
def list_actors(store: StoreDep, country: Annotated[str | None, Query(
        max_length=MAX_QUERY_CHARS, description="ISO3 code, country, capital or demonym")] = None
                ) -> Answer:
    return Answer([a.to_dict() for a in query.actors(store, country or None)])


@api.get("/timeline", response_model=list[models.Fact],
         summary="Facts of one actor, or of a pair in either direction, in date order")
def get_timeline(store: StoreDep,
                 actor: Annotated[list[Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS)]],
                                  Query(max_length=2, description="one actor, or two for a dyad: "
                                                                  "RUS, Russia, Mosca, Putin…")] = [],  # noqa: B006
                 date_from: Annotated[DateParam, Query(alias="from")] = None,
                 date_to: Annotated[DateParam, Query(alias="to")] = None,
                 type: Annotated[list[EventType], Query(description="PLOVER types")] = [],  # noqa: A002, B006
                 limit: Limit = MAX_PAGE) -> Answer:
    found = query.timeline(store, actor, date_from, date_to, type, limit)
    return Answer([f.to_dict() for f in found])


@api.get("/dyad", response_model=list[models.DyadPeriod],
         summary="Facts between two actors per period and PLOVER quad class")
def get_dyad(store: StoreDep, a: Text, b: Text,
             by: Literal["month", "quarter", "year"] = "month") -> Answer:
    return Answer([p.to_dict() for p in query.dyad(store, a, b, by)])


@api.get("/search", response_model=list[models.SearchHit],
         summary="Full-text search over articles and evidence sentences")
def search(store: StoreDep, q: Text, limit: Annotated[int, Query(ge=1, le=100)] = 20
           ) -> Answer:
    return Answer([asdict(hit) for hit in query.search(store, q, limit)])


def _check_date(article: models.ArticleIn) -> None:
    """The schema's pattern admits 2025-02-30; the calendar does not (400, as in queries)."""
    if article.published is not None:
        try:
            validate_date(article.published)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None


def _extract(article: models.ArticleIn) -> Record:
    lang = detect_language(article.text) if article.lang == AUTO else article.lang
    return extract(article.text, lang=lang, published=article.published, title=article.title,
                   source=article.source, url=article.url)


@api.post("/extract", response_model=models.Record, summary="Extract the record of a text; "
          "nothing is stored")
def extract_text(article: models.ArticleIn) -> Answer:
    _check_date(article)
    return Answer(_extract(article).to_dict())


def require_ingest(request: Request, credentials: Annotated[
        HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    """A token first (401 without one, as for any protected operation), then ingest enabled
    (403) and the right token (401); all before the body is validated, so a caller without the
    token learns nothing from the answer but that it needs one."""
    state = request.app.state
    if credentials is None:
        hint = "" if state.allow_ingest else " (and this server was started without --allow-ingest)"
        raise HTTPException(401, f"a bearer token is required{hint}",
                            headers={"WWW-Authenticate": "Bearer"})
    if not state.allow_ingest:
        raise HTTPException(403, "ingest is disabled: start the server with --allow-ingest")
    if not hmac.compare_digest(credentials.credentials.encode(), state.token.encode()):
        raise HTTPException(401, "wrong bearer token", headers={"WWW-Authenticate": "Bearer"})


@api.post("/articles", response_model=models.IngestResult, status_code=201,
          dependencies=[Depends(require_ingest)],
          responses={200: {"model": models.IngestResult, "description": "Already stored"},
                     401: {"model": models.ErrorResponse, "description": "Missing or wrong token"},
                     403: {"model": models.ErrorResponse, "description": "Ingest is disabled"}},
          summary="Extract and store an article (only when started with --allow-ingest)")
def ingest(article: models.ArticleIn, store: StoreDep) -> Answer:
    _check_date(article)
    article_id = content_id(article.text)
    stored = store.get_record(article_id)
    if stored is not None:
        return Answer({"id": article_id, "new": False, "events": len(stored.events)}, 200)
    record = _extract(article)
    added, _ = store.add_batch([record])
    return Answer({"id": article_id, "new": bool(added), "events": len(record.events)},
                  201 if added else 200)


__all__ = ["MAX_BODY_BYTES", "ThreadLocalStore", "create_app", "get_store"]
