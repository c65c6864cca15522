"""`sourcetrace serve`: the REST API and the web UI over a corpus, with uvicorn.

    sourcetrace serve --db sqlite:///news.db --port 8000 --token "$TOKEN"
    sourcetrace serve --sample          # ingest and link the bundled fictional corpus first

Reading is open; the write endpoints (analyze, ingest) need ``Authorization: Bearer <token>``
when ``--token`` (or ``$SOURCETRACE_TOKEN``) is set. Exit status 2 on a database error.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from ..errors import SourcetraceError
from ..settings import DEFAULTS
from . import app
from .analyze import Tagger, TaggerOption

__all__ = ["serve"]

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@app.command()
def serve(
    db: Annotated[str | None, typer.Option("--db", envvar="SOURCETRACE_DB",
                                           help="Database URL [default: sqlite:///sourcetrace.db]")] = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    token: Annotated[str | None, typer.Option("--token", envvar="SOURCETRACE_TOKEN",
                                              help="Bearer token required by analyze and ingest")] = None,
    sample: Annotated[bool, typer.Option("--sample", help="Ingest and link the bundled sample corpus first")] = False,
    max_body: Annotated[int, typer.Option("--max-body", min=1024, help="Largest request body, bytes")] = 2_000_000,
    tagger: TaggerOption = Tagger.crf,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Let analyze fetch links to loopback and private addresses")] = False,
) -> None:
    """Serve the REST API (/api, docs at /api/docs) and the web UI (/)."""
    import uvicorn

    from ..analyzer import Analyzer
    from ..api import create_app
    from ..corpus import Corpus
    from ..store import sqlite_file

    settings = dataclasses.replace(DEFAULTS, tagger=tagger.value)
    try:
        path = sqlite_file(db)
        if path is not None and not path.exists() and not sample:  # a mistyped --db serves an empty corpus
            typer.echo(f"note: no database at {path}: serving a new, empty one (`sourcetrace ingest` fills it)",
                       err=True)
        corpus = Corpus(db, settings=settings)
        if sample:
            from ..examples import load_sample

            done = load_sample(corpus)
            typer.echo(f"sample: {done.ingest['stored']} new articles, {done.link['claims']} claims linked", err=True)
    except SourcetraceError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    if host not in _LOOPBACK and not token:
        typer.echo("warning: listening beyond loopback without --token: anyone can run analyses", err=True)
    typer.echo(f"serving {corpus.url} on http://{host}:{port}/ (API docs at /api/docs)", err=True)
    try:
        application = create_app(corpus, analyzer=Analyzer(settings), token=token, max_body=max_body,
                                 allow_private=allow_private)
        uvicorn.run(application, host=host, port=port, log_level="info")
    finally:
        corpus.close()
