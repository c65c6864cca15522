"""Scale-out commands: ``load`` brings Parquet shards into a store, and ``ingest --cluster`` /
``--out`` (options declared here, used by ``cli/corpus.py``) runs ingest on Dask. Both only parse
input and delegate to ``sourcetrace.scale``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..errors import SourcetraceError
from ..settings import DEFAULTS, Settings
from . import app

__all__ = ["ClusterOption", "OutOption", "ingest_on_cluster"]

ClusterOption = Annotated[str | None, typer.Option(
    "--cluster", help="Run on Dask: local[:N] starts N worker processes; tcp://host:8786 joins a cluster")]
OutOption = Annotated[str | None, typer.Option(
    "--out", help="With --cluster: parquet://DIR writes shards (then `sourcetrace load DIR`); "
                  "else a database URL like --db")]


def _progress(console: Console, label: str, quiet: bool) -> Progress:
    return Progress(SpinnerColumn(), TextColumn(f"[bold]{label}[/bold]"), BarColumn(),
                    TextColumn("{task.fields[done]} docs · {task.fields[stored]} new · "
                               "{task.fields[rate]:.1f} docs/s · [red]{task.fields[errors]} errors[/red]"),
                    TimeElapsedColumn(), console=console, disable=quiet, transient=False)


def _run_with_progress(progress: Progress, label: str, work: Any) -> Any:
    with progress:
        task = progress.add_task(label, total=None, done=0, stored=0, rate=0.0, errors=0)

        def update(report: Any) -> None:
            rate = report.done / report.elapsed if report.elapsed > 0 else 0.0
            progress.update(task, done=report.done, stored=report.stored, rate=rate, errors=len(report.errors))

        report = work(update)
        update(report)
    return report


def print_run_summary(report: Any, fmt: str, console: Console, what: str = "stored") -> int:
    """The end-of-run report of `ingest` and `load`, as text or JSON; returns the exit code."""
    if fmt == "json":
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        for doc_id, kind, reason in report.errors:
            console.print(f"error: {doc_id}: {reason} [{kind}]", markup=False, highlight=False)
        typer.echo(f"run {report.run_id}: {report.seen} read, {report.stored} {what} "
                   f"({report.duplicates} near-duplicates linked), {report.skipped} already stored, "
                   f"{len(report.errors)} errors in {report.elapsed:.1f}s")
    return 1 if report.errors else 0


def ingest_on_cluster(inputs: list[str], *, db: str | None, cluster: str | None, out: str | None,
                      allow_private: bool = False, follow: bool = True, limit: int | None = None,
                      fmt: str = "text", quiet: bool = False, settings: Settings = DEFAULTS,
                      metadata: Mapping[str, Mapping[str, str]] | None = None) -> int:
    """``sourcetrace ingest … --cluster SPEC [--out parquet://DIR]``; returns the exit status."""
    from ..ingest import IngestOptions
    from ..ingest._fetch import FetchPolicy
    from ..scale import open_cluster, scaled_ingest, sink_for

    err_console = Console(stderr=True)
    try:
        sink = sink_for(db, out)
        options = IngestOptions(settings=settings, fetch=FetchPolicy(allow_private=allow_private),
                                follow_links=follow, metadata=metadata or {})
        with open_cluster(cluster or "local") as handle:
            err_console.print(f"cluster: {handle.n_workers} workers · {handle.dashboard_note}",
                              markup=False, highlight=False)
            report = _run_with_progress(
                _progress(err_console, "ingest", quiet), "ingest",
                lambda update: scaled_ingest(handle.client, inputs, sink=sink, options=options,
                                             on_progress=update, limit=limit))
    except SourcetraceError as err:
        typer.echo(f"error: {err}", err=True)
        return 2
    return print_run_summary(report, fmt, err_console, "written" if out and out.startswith("parquet://") else "stored")


@app.command()
def load(
    directory: Annotated[Path, typer.Argument(help="Shards written by `ingest --out parquet://DIR`",
                                              metavar="DIR")],
    db: Annotated[str | None, typer.Option("--db", envvar="SOURCETRACE_DB",
                                           help="Database URL: sqlite:///PATH or postgresql://… "
                                                "[default: sqlite:///sourcetrace.db]")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json summary")] = "text",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar")] = False,
) -> None:
    """Bring Parquet shards into a store; re-running skips what is already stored."""
    from ..scale import load_shards

    err_console = Console(stderr=True)
    try:
        report = _run_with_progress(_progress(err_console, "load", quiet), "load",
                                    lambda update: load_shards(directory, db, on_progress=update))
    except SourcetraceError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(print_run_summary(report, fmt, err_console, "stored"))
