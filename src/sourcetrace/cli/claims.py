"""Claim commands: `link` new attributions into claim clusters, list them with `claims`, follow
one with `trace`, and `export` claims and provenance. Each only parses input and delegates to
``sourcetrace.linking`` and ``sourcetrace.provenance``.

`claims`, `trace` and `export` first link whatever was ingested since the last run (``--no-link``
skips it). Exit status: 0 success, 1 nothing found, 2 usage or database errors.
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from datetime import date
from enum import Enum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console, Group
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text
from rich.tree import Tree

from ..errors import SourcetraceError
from ..render import plain, rows_table, when
from . import app
from .corpus import MAX_ROWS, DbOption, Format, _open

__all__ = ["ExportFormat"]


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    graphml = "graphml"
    prov_json = "prov-json"
    prov_turtle = "prov-turtle"
    jsonld = "jsonld"


LinkOption = Annotated[bool, typer.Option("--link/--no-link", help="Link new attributions first")]


class Sort(str, Enum):
    first = "first"
    appearances = "appearances"


def _period(value: str | None) -> tuple[date, date] | None:
    from ..linking import parse_period

    if value is None:
        return None
    try:
        return parse_period(value)
    except ValueError as err:
        raise typer.BadParameter(str(err)) from None


WhenOption = Annotated[str | None, typer.Option(
    "--when", metavar="PERIOD", callback=_period, show_default=False,
    help="Only claims that place a date in this period: 2026, 2026-03, 2026-03-02 or FROM..TO "
         "(each date counted from its own article's day)")]


def _link(corpus: Any) -> Any:
    """Link the corpus's new claims, with a progress bar on a terminal's stderr (linking embeds
    each claim: about 80 claims a second on 2 cores); exits 2 on a store or model error."""
    from .. import linking

    console = Console(stderr=True)
    progress = Progress(TextColumn("[bold]link[/bold]"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("claims"), TimeRemainingColumn(), console=console,
                        disable=not console.is_terminal, transient=True)
    task = progress.add_task("link", total=None)
    try:
        with progress:
            return linking.link_claims(
                corpus, on_progress=lambda done, total: progress.update(task, completed=done, total=total))
    except SourcetraceError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None


def _linked(db: str | None, link: bool) -> Any:
    corpus = _open(db)
    if link:
        _link(corpus)
    return corpus


@app.command()
def link(db: DbOption = None, fmt: Annotated[Format, typer.Option("--format", help="text or json")] = Format.text
         ) -> None:
    """Link attributions not yet linked into claim clusters (incremental)."""
    with _open(db) as corpus:
        report = _link(corpus)
    if fmt is Format.json:
        typer.echo(json.dumps(report.to_dict()))
    else:
        typer.echo(f"linked {report.claims} claims: {report.new_clusters} new clusters, {report.joined} joined "
                   f"({report.total_claims} claims in {report.total_clusters} clusters, {report.seconds} s)")


@app.command("claims")
def list_claims(
    query: Annotated[str | None, typer.Argument(help="Words the claim must contain")] = None,
    db: DbOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="text, json or csv")] = Format.text,
    limit: Annotated[int, typer.Option(help="At most this many claims", min=1, max=MAX_ROWS)] = 50,
    period: WhenOption = None,
    link: LinkOption = True,
    sort: Annotated[Sort, typer.Option("--sort", help="first: the earliest first; appearances: the most "
                                                       "repeated first")] = Sort.first,
) -> None:
    """Claim clusters, earliest first: first outlet, appearances, original sources."""
    from .. import linking
    from .corpus import _emit

    with _linked(db, link) as corpus:
        found = linking.claims(corpus, query, when=period, limit=limit,  # type: ignore[arg-type]  # parsed by _period
                               order=sort.value)
    rows = [{"id": t.id, "first_seen_at": t.first.published_at, "first_outlet": t.first.outlet,
             "appearances": len(t.timeline), "outlets": len(t.outlets), "sources": list(t.sources),
             "single_sourced": t.single_sourced, "stances": t.stances, "contested": t.contested,
             "mutations": len(t.mutations), "text": t.text} for t in found]
    if fmt is not Format.json:  # one cell: "report 3, deny 1"
        for row in rows:
            row["stances"] = ", ".join(f"{k} {n}" for k, n in row["stances"].items())
    _emit(rows, fmt, title=f"claims{f' matching {query!r}' if query else ''}",
          columns=["id", "first_seen_at", "first_outlet", "appearances", "sources", "stances", "mutations", "text"])
    if not found:
        raise typer.Exit(1)


def render_trace(trace: Any, console: Console) -> Group:
    """The provenance tree (original source → chain → articles) and the timeline of one claim.
    Every stored string enters as ``plain`` Text: a title or claim is never read as markup."""
    sourcing = "single-sourced" if trace.single_sourced else f"{len(trace.sources)} original sources"
    relays = f" · relayed only by {', '.join(trace.relay_outlets)}" if trace.relay_outlets else ""
    stances = ", ".join(f"{k} {n}" for k, n in trace.stances.items())
    head = Panel(Text.assemble(
        plain(trace.text, "bold"), f"\nfirst seen {when(trace.first.published_at)} in ",
        plain(trace.first.outlet or "(unknown outlet)", "cyan"),
        plain(f" · {len(trace.timeline)} appearances · {sourcing}{relays}"),
        plain(f"\nput as: {stances}"), ("  contested: someone denies it" if trace.contested else "", "bold red")),
        title=f"claim {trace.id}")
    tree = Tree(Text("provenance", style="bold"))
    branches: dict[tuple[str, ...], Tree] = {}
    for a in trace.timeline:
        path = tuple(reversed(a.chain)) or ("(no source)",)
        node = tree
        for depth in range(1, len(path) + 1):
            key = path[:depth]
            if key not in branches:
                label = path[depth - 1]
                branches[key] = node.add(plain(label, "magenta") if depth == 1 else plain(f"cited by {label}"))
            node = branches[key]
        leaf = Text.assemble(f"{when(a.published_at)} ", plain(a.outlet or "?", "cyan"),
                             plain(f" {a.type} — {a.title or a.article_id}"))
        if a.relay:
            leaf.append(" relay", style="yellow")
        if a.copy_of:
            leaf.append(" (wire copy)", style="dim")
        node.add(leaf)
    rows = [{"when": when(a.published_at), "outlet": a.outlet, "speaker": a.speaker,
             "cue": f"{a.cue} ({a.cue_class})" if a.cue else a.cue_class,
             "similarity": None if a.similarity is None else f"{a.similarity:.2f}", "text": a.text}
            for a in trace.timeline]
    parts: list[Any] = [head, tree, rows_table(console, "timeline",
                                               ("when", "outlet", "speaker", "cue", "similarity", "text"), rows)]
    if trace.mutations:
        changes: dict[int, list[str]] = {}
        for mu in trace.mutations:
            changes.setdefault(mu.claim, []).append(mu.summary)
        rows = [{"when": when(a.published_at), "outlet": a.outlet, "changes": "; ".join(changes[a.claim_id]),
                 "text": a.text} for a in trace.timeline if a.claim_id in changes]
        parts.append(rows_table(console, "mutations (against the first appearance)",
                                ("when", "outlet", "changes", "text"), rows))
    return Group(*parts)


@app.command()
def trace(
    claim_id: Annotated[int, typer.Argument(help="A claim id from `sourcetrace claims`")],
    db: DbOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="text or json")] = Format.text,
    link: LinkOption = True,
) -> None:
    """One claim: provenance tree, timeline, original sources, relays and mutations."""
    from .. import linking

    with _linked(db, link) as corpus:
        try:
            found = linking.trace_claim(corpus, claim_id)
        except LookupError as err:
            typer.echo(f"error: {err}", err=True)
            raise typer.Exit(1) from None
    if fmt is Format.json:
        typer.echo(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
        return
    console = Console()
    console.print(render_trace(found, console))


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Argument(help="jsonl, csv, graphml, prov-json, prov-turtle or jsonld")],
    db: DbOption = None,
    claim: Annotated[list[int] | None, typer.Option("--claim", help="Only this claim (repeatable)")] = None,
    query: Annotated[str | None, typer.Option("--query", help="Only claims containing these words")] = None,
    period: WhenOption = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write [default: stdout]")] = None,
    link: LinkOption = True,
) -> None:
    """Export claims with their provenance: every claim unless --claim/--query/--when narrows it."""
    from ..linking.trace import traces
    from ..provenance import write_export

    try:
        sink: Any = output.open("w", encoding="utf-8", newline="") if output else nullcontext(sys.stdout)
    except OSError as err:
        typer.echo(f"error: cannot write {output}: {err.strerror}", err=True)
        raise typer.Exit(2) from None
    with _linked(db, link) as corpus:
        with sink as out, corpus.sessions() as session:
            stream: IO[str] = out
            selected = traces(session, claim) if claim else traces(session, query=query, when=period)  # type: ignore[arg-type]
            n = write_export(selected, stream, fmt.value)
    typer.echo(f"exported {n} claims as {fmt.value}", err=True)
    if n == 0:
        raise typer.Exit(1)
