"""The FastAPI application: JSON routes under ``/api``, HTML twins (``sourcetrace.web``) at ``/``."""

from __future__ import annotations

import hmac
from typing import Any, Literal

from fastapi import APIRouter, Depends, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..corpus import Corpus
from ..errors import DocumentError
from . import _models as am
from ._service import Limits, NotFound, Service

__all__ = ["DEFAULT_MAX_BODY", "create_app"]

DEFAULT_MAX_BODY = 2_000_000        # bytes: an article is at most 1,000,000 characters


class ApiError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _error(status: int, reason: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": reason, "status": status}, status_code=status, headers=headers)


class BodyLimit:
    """Refuse request bodies over ``max_body`` bytes (413), by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.max_body:
                    await _error(413, f"request body over {self.max_body} bytes")(scope, receive, send)
                    return
        # Read the body first (it is capped, so this is bounded), then replay it to the app.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return                                    # the client went away
            body = message.get("body", b"")
            seen += len(body)
            if seen > self.max_body:
                await _error(413, f"request body over {self.max_body} bytes")(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _limit(limit: int = Query(Limits.default, ge=1, description=f"page size, capped at {Limits.maximum}"),
           offset: int = Query(0, ge=0, le=1_000_000)) -> tuple[int, int]:
    return min(limit, Limits.maximum), offset


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _require_token(request: Request) -> None:
    token: str | None = request.app.state.token
    if not token:
        return
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, "this endpoint needs 'Authorization: Bearer <token>'")


def api_router() -> APIRouter:
    r = APIRouter(prefix="/api", tags=["api"])
    err = {400: {"model": am.ErrorBody}, 404: {"model": am.ErrorBody}, 422: {"model": am.ErrorBody}}

    @r.post("/analyze", response_model=am.AnalyzeResponse, responses={**err, 401: {"model": am.ErrorBody},
                                                                      413: {"model": am.ErrorBody}},
            dependencies=[Depends(_require_token)])
    def analyze(body: am.AnalyzeRequest, service: Service = Depends(_service)) -> am.AnalyzeResponse:
        """Analyse text, an HTML page or the page at a URL; returns the attribution contract and the
        analysed text."""
        return service.analyze(text=body.text, html=body.html, url=body.url, doc_id=body.id,
                               min_confidence=body.min_confidence, tagger=body.tagger, published=body.published)

    @r.post("/analyze/upload", response_model=am.AnalyzeResponse,
            responses={**err, 401: {"model": am.ErrorBody}, 413: {"model": am.ErrorBody}},
            dependencies=[Depends(_require_token)])
    async def analyze_upload(file: UploadFile = File(...), service: Service = Depends(_service)) -> am.AnalyzeResponse:
        """Analyse an uploaded ``.txt`` or ``.html`` file (UTF-8)."""
        return await analyze_file(service, file)

    @r.post("/ingest", response_model=am.IngestResponse, responses={**err, 401: {"model": am.ErrorBody}},
            dependencies=[Depends(_require_token)])
    def ingest(body: am.IngestRequest, service: Service = Depends(_service)) -> am.IngestResponse:
        """Analyse and store articles (idempotent), then link their claims."""
        return service.ingest(body)

    @r.get("/articles", response_model=am.ArticleList)
    def articles(page: tuple[int, int] = Depends(_limit), outlet: str | None = None,
                 service: Service = Depends(_service)) -> am.ArticleList:
        return service.articles(limit=page[0], offset=page[1], outlet=outlet)

    @r.get("/articles/{article_id}", response_model=am.ArticleDetail, responses=err)
    def article(article_id: int, service: Service = Depends(_service)) -> am.ArticleDetail:
        return service.article(article_id)

    @r.get("/attributions", response_model=am.AttributionList)
    def attributions(page: tuple[int, int] = Depends(_limit), article_id: int | None = None,
                     speaker: str | None = Query(None, max_length=200),
                     service: Service = Depends(_service)) -> am.AttributionList:
        return service.attributions(limit=page[0], offset=page[1], article_id=article_id, speaker=speaker)

    @r.get("/entities", response_model=am.EntityList)
    def entities(page: tuple[int, int] = Depends(_limit), label: str | None = Query(None, max_length=32),
                 service: Service = Depends(_service)) -> am.EntityList:
        return service.entities(limit=page[0], offset=page[1], label=label)

    @r.get("/entities/{name:path}", response_model=am.EntityClusterResponse, responses=err)
    def entity(name: str, service: Service = Depends(_service)) -> am.EntityClusterResponse:
        """The clusters holding NAME: every name the store joined in each, with mentions and statements."""
        return service.entity(name)

    @r.get("/merges", response_model=am.MergeList)
    def merges(name: str | None = Query(None, max_length=200), service: Service = Depends(_service)) -> am.MergeList:
        """Why entities were joined across articles (undone merges included)."""
        return service.merges(name)

    # :path, because a name may hold '/' (linked as %2F, which the router decodes first).
    @r.get("/speakers/{name:path}", response_model=am.SpeakerResponse)
    def speaker(name: str, limit: int = Query(Limits.default, ge=1),
                service: Service = Depends(_service)) -> am.SpeakerResponse:
        return service.speaker(name, limit=min(limit, Limits.maximum))

    @r.get("/outlets", response_model=am.OutletList)
    def outlets(page: tuple[int, int] = Depends(_limit), service: Service = Depends(_service)) -> am.OutletList:
        return service.outlets(limit=page[0], offset=page[1])

    @r.get("/outlets/{name:path}", response_model=am.OutletResponse, responses=err)
    def outlet(name: str, service: Service = Depends(_service)) -> am.OutletResponse:
        return service.outlet(name)

    @r.get("/claims", response_model=am.ClaimList, responses={422: {"model": am.ErrorBody}})
    def claims(page: tuple[int, int] = Depends(_limit), q: str | None = Query(None, max_length=500),
               when: str | None = Query(None, max_length=40, description="only claims dated in this period: "
                                        "2026, 2026-03, 2026-03-02 or FROM..TO"),
               sort: Literal["first", "appearances"] = Query(
                   "first", description="first: earliest first appearance first; appearances: most repeated first"),
               service: Service = Depends(_service)) -> am.ClaimList:
        return service.claims(limit=page[0], offset=page[1], query=q, when=when, order=sort)

    @r.get("/claims/{claim_id}", response_model=am.ClaimDetail, responses=err)
    def claim(claim_id: int, service: Service = Depends(_service)) -> am.ClaimDetail:
        """A claim: first appearance, timeline, mutations and its provenance graph."""
        return service.claim(claim_id)

    @r.get("/search", response_model=am.SearchResponse)
    def search(q: str = Query(..., max_length=500), limit: int = Query(20, ge=1),
               service: Service = Depends(_service)) -> am.SearchResponse:
        return service.search(q, limit=min(limit, Limits.maximum))

    return r


async def analyze_file(service: Service, file: UploadFile, min_confidence: float | None = None,
                       tagger: str | None = None) -> am.AnalyzeResponse:
    from starlette.concurrency import run_in_threadpool

    raw = await file.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "the file is not UTF-8 text") from None
    name = (file.filename or "upload").rsplit("/", 1)[-1][:200]
    is_html = name.lower().endswith((".html", ".htm")) or (file.content_type or "").startswith("text/html")
    stem = name.rsplit(".", 1)[0] or "upload"
    given = {"html" if is_html else "text": text}
    return await run_in_threadpool(service.analyze, **given, doc_id=stem, min_confidence=min_confidence,
                                   tagger=tagger)


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_r: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.reason, {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None)

    @app.exception_handler(NotFound)
    async def not_found(_r: Request, exc: NotFound) -> JSONResponse:
        return _error(404, str(exc.args[0]) if exc.args else "not found")

    @app.exception_handler(DocumentError)
    async def bad_document(_r: Request, exc: DocumentError) -> JSONResponse:
        return _error(422, f"{exc.kind}: {exc.reason}")

    @app.exception_handler(RequestValidationError)
    async def invalid(_r: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors()[:5]:
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
            parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        return _error(422, "; ".join(parts) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_r: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))


def create_app(corpus: Corpus | None, *, analyzer: Any = None, token: str | None = None,
               max_body: int = DEFAULT_MAX_BODY, embedder: Any = None, ui: bool = True,
               allow_private: bool = False) -> FastAPI:
    """The HTTP application over ``corpus`` (None: only ``/api/analyze`` and the analyze page).

    ``analyzer`` defaults to a lazily loaded ``Analyzer()``; ``token``, when set, is required as a
    bearer token by the write endpoints (analyze, ingest); bodies over ``max_body`` bytes get 413;
    ``embedder`` is what ``/api/ingest`` links new claims with (default: the MiniLM model);
    ``allow_private`` lets ``/api/analyze`` fetch URLs on loopback and private networks."""
    app = FastAPI(title="sourcetrace", summary="Who said this, citing whom, how sure, and where did it first come from?",
                  version="0.1.0", docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json")
    app.state.service = Service(corpus, analyzer=analyzer, embedder=embedder, allow_private=allow_private)
    app.state.token = token or None
    _install_errors(app)
    app.include_router(api_router())
    if ui:
        from ..web import install

        install(app)
    app.add_middleware(BodyLimit, max_body=max_body)
    return app


