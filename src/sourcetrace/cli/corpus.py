"""Corpus commands: `ingest` into the store, then ask it with `search`, `speaker`, `outlet` and
`who-said`. Each only parses input and delegates to ``sourcetrace.corpus.Corpus``.

The database is ``--db URL``, else ``$SOURCETRACE_DB``, else ``./sourcetrace.db`` (SQLite);
``postgresql://user@host/db`` works the same. Exit status: 0 success, 1 some documents failed
(ingest) or nothing found (queries), 2 usage or database errors.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from ..errors import SourcetraceError
from ..ingest import counted, left_out
from ..render import plain, rows_table
from ..settings import DEFAULTS, Settings
from . import app
from .analyze import MetadataOption, Tagger, TaggerOption, metadata_table
from .scale import ClusterOption, OutOption, ingest_on_cluster, print_run_summary

__all__ = ["Format"]

MAX_ROWS = 1_000_000  # a --limit past what a database takes raised OverflowError; this is a usage error


class Format(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


DbOption = Annotated[str | None, typer.Option("--db", envvar="SOURCETRACE_DB",
                                              help="Database URL: sqlite:///PATH or postgresql://… "
                                                   "[default: sqlite:///sourcetrace.db]")]
FormatOption = Annotated[Format, typer.Option("--format", help="text, json or csv")]


def _open(db: str | None, settings: Settings = DEFAULTS, *, existing: bool = True) -> Any:
    """The corpus at ``db``; a query (``existing``) on a SQLite file that is not there is a usage
    error, not an empty store created on the spot that then finds nothing (a mistyped --db)."""
    from ..corpus import Corpus
    from ..store import sqlite_file

    try:
        path = sqlite_file(db)
        if existing and path is not None and not path.exists():
            typer.echo(f"error: no database at {path} (`sourcetrace ingest` creates one)", err=True)
            raise typer.Exit(2)
        return Corpus(db, settings=settings)
    except SourcetraceError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None


def _answer(db: str | None, fmt: Format, *, title: str, columns: Sequence[str],
            ask: Callable[[Any], Sequence[dict[str, Any]]]) -> None:
    """Open the corpus, ask it, print the rows; exit 1 when there are none."""
    corpus = _open(db)
    try:
        rows = ask(corpus)
    finally:
        corpus.close()
    _emit(rows, fmt, title=title, columns=columns)
    raise typer.Exit(0 if rows else 1)


def _emit(rows: Sequence[dict[str, Any]], fmt: Format, *, title: str, columns: Sequence[str]) -> None:
    if fmt is Format.json:
        typer.echo(json.dumps(list(rows), indent=2, ensure_ascii=False))
        return
    if fmt is Format.csv:
        from ..provenance.exports import spreadsheet_safe  # the exports' package loads rdflib: only for CSV

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0].keys()) if rows else list(columns),
                                extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: spreadsheet_safe("; ".join(map(str, v)) if isinstance(v, list) else v)
                             for k, v in row.items()})
        return
    console = Console()
    if not rows:
        console.print(plain(f"{title}: nothing found", "dim"))
        return
    console.print(rows_table(console, title, columns, rows))


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, feed or page URLs",
                                                metavar="PATH_OR_URL...")],
    db: DbOption = None,
    workers: Annotated[int | None, typer.Option(help="Analysis processes [default: local cores]")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private",
                                                help="Permit fetching private/loopback addresses")] = False,
    follow: Annotated[bool, typer.Option("--follow/--no-follow",
                                         help="Fetch each feed entry's page (else use the entry text)")] = True,
    limit: Annotated[int | None, typer.Option(help="Read at most N documents")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text or json summary")] = Format.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")] = False,
    cluster: ClusterOption = None,
    out: OutOption = None,
    tagger: TaggerOption = Tagger.crf,
    metadata: MetadataOption = None,
) -> None:
    """Read, analyse and store articles; re-running skips what is already stored."""
    settings = dataclasses.replace(DEFAULTS, tagger=tagger.value)
    table = metadata_table(metadata)
    if skipped := left_out(inputs):
        typer.echo(f"note: left out {skipped.total()} file(s) of no kind ingest reads ({counted(skipped)}); "
                   "it reads text, JSON lines, HTML, WARC and RSS/Atom files", err=True)
    if cluster or out:  # on Dask: docs/scale.md
        raise typer.Exit(ingest_on_cluster(inputs, db=db, cluster=cluster, out=out, allow_private=allow_private,
                                           follow=follow, limit=limit, fmt=fmt.value, quiet=quiet,
                                           settings=settings, metadata=table))
    corpus = _open(db, settings, existing=False)
    err_console = Console(stderr=True)
    progress = Progress(SpinnerColumn(), TextColumn("[bold]ingest[/bold]"),
                        TextColumn("{task.fields[done]} docs · {task.fields[stored]} new · "
                                   "{task.fields[rate]:.1f} docs/s · [red]{task.fields[errors]} errors[/red]"),
                        TimeElapsedColumn(), console=err_console, disable=quiet, transient=False)
    try:
        with progress:
            task = progress.add_task("ingest", total=None, done=0, stored=0, rate=0.0, errors=0)

            def update(report: Any) -> None:
                rate = report.done / report.elapsed if report.elapsed > 0 else 0.0
                progress.update(task, done=report.done, stored=report.stored, rate=rate,
                                errors=len(report.errors))

            report = corpus.ingest(inputs, workers=workers, allow_private=allow_private, follow_links=follow,
                                   on_progress=update, limit=limit, metadata=table)
            update(report)
    except SourcetraceError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    finally:
        corpus.close()
    raise typer.Exit(print_run_summary(report, fmt.value, err_console))


_STATEMENT_COLUMNS = ("speaker", "entity", "cue", "content", "outlet", "published_at", "also_in")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words or \"a phrase\" to find in articles")],
    db: DbOption = None, fmt: FormatOption = Format.text,
    limit: Annotated[int, typer.Option(help="At most N articles", min=1, max=MAX_ROWS)] = 20,
) -> None:
    """Full-text search over stored articles (wire copies folded into their original)."""
    _answer(db, fmt, title=f"search: {query}",
            columns=("article_id", "title", "outlet", "published_at", "snippet", "also_in"),
            ask=lambda corpus: [h.to_dict() for h in corpus.search(query, limit=limit)])


@app.command()
def speaker(
    name: Annotated[str, typer.Argument(help="A person or organisation, e.g. \"Korotchenko\"")],
    db: DbOption = None, fmt: FormatOption = Format.text,
    limit: Annotated[int, typer.Option(help="At most N statements", min=1, max=MAX_ROWS)] = 200,
) -> None:
    """Every statement attributed to NAME, with outlet and date."""
    _answer(db, fmt, title=f"speaker: {name}", columns=_STATEMENT_COLUMNS,
            ask=lambda corpus: [s.to_dict() for s in corpus.speaker(name, limit=limit)])


@app.command("who-said")
def who_said(
    query: Annotated[str, typer.Argument(help="Words or \"a phrase\" in what was said")],
    db: DbOption = None, fmt: FormatOption = Format.text,
    limit: Annotated[int, typer.Option(help="At most N statements", min=1, max=MAX_ROWS)] = 50,
) -> None:
    """Attributions whose content matches QUERY: who said it, where and when."""
    _answer(db, fmt, title=f"who said: {query}", columns=_STATEMENT_COLUMNS,
            ask=lambda corpus: [s.to_dict() for s in corpus.who_said(query, limit=limit)])


@app.command()
def outlet(
    name: Annotated[str, typer.Argument(help="Outlet name or domain")],
    db: DbOption = None, fmt: FormatOption = Format.text,
) -> None:
    """Whom an outlet quotes and cites, and how often anonymously (its own originals only)."""
    corpus = _open(db)
    try:
        reports = [r.to_dict() for r in corpus.outlet(name)]
    finally:
        corpus.close()
    if fmt is Format.json:
        typer.echo(json.dumps(reports, indent=2, ensure_ascii=False))
    elif fmt is Format.csv:
        rows = [{"outlet": r["outlet"], "articles": r["articles"], "attributions": r["attributions"],
                 "anonymous": r["anonymous"], "anonymous_share": r["anonymous_share"], "role": role,
                 "source": s["name"], "kind": s["kind"], "count": s["count"]}
                for r in reports for role in ("quoted", "cited") for s in r[role]]
        _emit(rows, fmt, title="", columns=("outlet", "articles", "attributions", "anonymous",
                                            "anonymous_share", "role", "source", "kind", "count"))
    else:
        console = Console()
        if not reports:
            console.print(plain(f"outlet: {name}: nothing found", "dim"))
        for r in reports:
            console.print(Text.assemble(plain(r["outlet"], "bold"), plain(
                f" ({r['domain'] or 'no domain'}): {r['articles']} articles (+{r['relayed']} relayed copies), "
                f"{r['attributions']} attributions, {r['anonymous']} anonymous ({r['anonymous_share']:.0%})")))
            for role in ("quoted", "cited"):
                if r[role]:
                    rows = [{"source": s["name"], "kind": s["kind"], "count": s["count"]} for s in r[role]]
                    console.print(rows_table(console, role, ("source", "kind", "count"), rows))
    raise typer.Exit(0 if reports else 1)
