"""HTML routes: parse input, call the Service, render its response model."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ..api._service import Limits, NotFound, Service
from ..errors import DocumentError
from ..records import DateMention, DocumentResult, Figure
from ..render import when
from ._highlight import children_of, pieces

__all__ = ["install"]

HERE = Path(__file__).parent
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _figures(result: Any) -> list[Figure]:
    """The figures of an analysed (a dict) or stored article (a model), with who states each."""
    records = {name: result[name] if isinstance(result, dict) else getattr(result, name)
               for name in ("attributions", "quantities")}
    return DocumentResult.from_dict({"id": "", **records}).figures()


def _moment(iso: str | None) -> Markup:
    """A stored ISO timestamp as people read it ("2026-04-02 06:30", UTC), machine-readable in <time>."""
    if not iso:
        return Markup("")
    return Markup('<time datetime="{}">{}</time>').format(iso, when(iso))


def _changes(claim: dict[str, Any]) -> list[dict[str, Any]]:
    """A claim's mutations grouped under the appearance that made them, in timeline order."""
    by_claim: dict[int, list[str]] = {}
    for mu in claim["mutations"]:
        by_claim.setdefault(mu["claim"], []).append(mu["summary"])
    return [{"appearance": a, "changes": by_claim[a["claim_id"]]}
            for a in claim["timeline"] if a["claim_id"] in by_claim]


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True,
                      lstrip_blocks=True)
    env.globals.update(pieces=pieces, children_of=children_of)
    env.filters["url"] = lambda value: quote(str(value), safe="")
    env.filters["period"] = lambda d: DateMention.from_dict(d).period_label()  # a contract date's period
    env.filters["figures"] = _figures
    env.filters["changes"] = _changes
    env.filters["moment"] = _moment
    return env


ENV = _env()


def render(name: str, *, status: int = 200, twin: str | None = None, **context: Any) -> HTMLResponse:
    """Render template ``name``; ``twin`` is the JSON route with the same data."""
    for key, value in list(context.items()):
        if isinstance(value, BaseModel):
            context[key] = value.model_dump()
    html = ENV.get_template(name).render(twin=twin, **context)
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP,
                                                           "X-Content-Type-Options": "nosniff",
                                                           "Referrer-Policy": "no-referrer"})


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _error_page(status: int, reason: str) -> HTMLResponse:
    return render("error.html", status=status, status_code=status, reason=reason)


def router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/", response_class=HTMLResponse)
    def index(request: Request, offset: int = Query(0, ge=0), q: str = Query("", max_length=500),
              when: str = Query("", max_length=40),
              sort: Literal["first", "appearances"] = Query("first")) -> HTMLResponse:
        service = _service(request)
        if service.corpus is None:
            return render("index.html", claims=None, outlets=None, twin=None)
        try:
            claims = service.claims(limit=Limits.default, offset=offset, query=q.strip() or None,
                                    when=when.strip() or None, order=sort)
        except DocumentError as err:
            return _error_page(422, f"when: {err.reason}")
        outlets = service.outlets(limit=Limits.maximum, offset=0)
        narrowed = "".join(f"&{k}={quote(v.strip(), safe='')}" for k, v in (("q", q), ("when", when)) if v.strip())
        narrowed += "&sort=appearances" if sort == "appearances" else ""
        return render("index.html", claims=claims, outlets=outlets, q=q.strip(), when=when.strip(), sort=sort,
                      narrowed=narrowed, twin=f"/api/claims?offset={offset}{narrowed}")

    @r.get("/favicon.ico")
    def favicon() -> RedirectResponse:
        # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says.
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @r.get("/analyze", response_class=HTMLResponse)
    def analyze_form(request: Request) -> HTMLResponse:
        return render("analyze.html", result=None, needs_token=bool(request.app.state.token), twin=None,
                      show_all=False, accurate=False)

    @r.post("/analyze", response_class=HTMLResponse)
    async def analyze_page(request: Request, text: str = Form(""), url: str = Form(""), token: str = Form(""),
                           show_all: str = Form(""), accurate: str = Form(""),
                           file: UploadFile | None = File(None)) -> HTMLResponse:
        service = _service(request)
        needed: str | None = request.app.state.token
        if needed and not hmac.compare_digest(token.encode(), needed.encode()):
            return _error_page(401, "this server needs its access token to analyse")
        cut = 0.0 if show_all else None  # "show the unsure ones too": keep every attribution
        tagger = "encoder" if accurate else None  # None: the server's own (serve --tagger)
        try:
            if file is not None and file.filename:
                from ..api._app import analyze_file

                result = await analyze_file(service, file, min_confidence=cut, tagger=tagger)
            elif text.strip():
                result = await run_in_threadpool(service.analyze, text=text, doc_id="pasted", min_confidence=cut,
                                                 tagger=tagger)
            elif url.strip():
                result = await run_in_threadpool(service.analyze, url=url.strip(), doc_id="page", min_confidence=cut,
                                                 tagger=tagger)
            else:
                return _error_page(422, "paste a text, choose a file or give a link")
        except DocumentError as err:
            return _error_page(422, f"{err.kind}: {err.reason}")
        return render("analyze.html", result=result, needs_token=bool(needed), twin="/api/analyze",
                      show_all=bool(show_all), accurate=bool(accurate))

    @r.get("/articles/{article_id}", response_class=HTMLResponse)
    def article(request: Request, article_id: int) -> HTMLResponse:
        detail = _service(request).article(article_id)
        return render("article.html", detail=detail, twin=f"/api/articles/{article_id}")

    # :path, because a name may hold '/' (linked as %2F, which the router decodes first).
    @r.get("/speakers/{name:path}", response_class=HTMLResponse)
    def speaker(request: Request, name: str) -> HTMLResponse:
        service = _service(request)
        data = service.speaker(name, limit=Limits.maximum)
        try:  # the names the store joined for this speaker, and why
            names = service.entity(name).names
        except NotFound:
            names = []
        merges = service.merges(name).merges if names else []
        return render("speaker.html", data=data, names=names, merges=merges,
                      twin=f"/api/speakers/{quote(name, safe='')}")

    @r.get("/outlets/{name:path}", response_class=HTMLResponse)
    def outlet(request: Request, name: str) -> HTMLResponse:
        data = _service(request).outlet(name)
        return render("outlet.html", data=data, twin=f"/api/outlets/{quote(name, safe='')}")

    @r.get("/search", response_class=HTMLResponse)
    def search(request: Request, q: str = Query("", max_length=500)) -> HTMLResponse:
        data = _service(request).search(q, limit=20)
        return render("search.html", data=data, twin=f"/api/search?q={quote(q, safe='')}")

    @r.get("/claims/{claim_id}", response_class=HTMLResponse)
    def claim(request: Request, claim_id: int) -> HTMLResponse:
        data = _service(request).claim(claim_id)
        return render("claim.html", data=data, twin=f"/api/claims/{claim_id}")

    return r


def install(app: FastAPI) -> None:
    """Add the pages and the static assets to ``app``; JSON routes keep their JSON errors."""
    app.include_router(router())
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    previous = app.exception_handlers.get(NotFound)

    async def not_found(request: Request, exc: NotFound) -> Any:
        if request.url.path.startswith("/api/") or previous is None:
            from fastapi.responses import JSONResponse

            return JSONResponse({"error": str(exc), "status": 404}, status_code=404)
        return _error_page(404, str(exc))

    app.add_exception_handler(NotFound, not_found)
