"""`sourcetrace eval polnear DIR`: score the engine on a PolNeAR-format split;
`sourcetrace eval agreement DIR...`: how far its human annotators agree, by the same metrics."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..errors import SourcetraceError
from ..settings import DEFAULTS
from . import app
from .analyze import Tagger, TaggerOption, WorkersOption

eval_app = typer.Typer(help="Evaluate the engine on annotated data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("polnear")
def polnear(
    directory: Annotated[Path, typer.Argument(help="A PolNeAR split: DIR/text/*.txt, DIR/attributions/*.ann")],
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    limit: Annotated[int | None, typer.Option(help="Score only the first N articles")] = None,
    tagger: TaggerOption = Tagger.crf,
    british_marks: Annotated[bool, typer.Option(
        "--british-marks", help="Analyse the texts with their double quote marks made single ('…', ‘…’)")] = False,
    workers: WorkersOption = 1,
) -> None:
    """Token and attribution-level P/R/F1 against PolNeAR gold."""
    from ..analyzer import Analyzer
    from ..eval import british_marks as restyle
    from ..eval import evaluate_polnear
    from ..parallel import PooledAnalyzer, worker_count

    settings = dataclasses.replace(DEFAULTS, tagger=tagger.value)
    analyzer = PooledAnalyzer(Analyzer(settings), worker_count(workers))
    try:
        report = evaluate_polnear(directory, analyzer, limit=limit,
                                  restyle=restyle if british_marks else None)
    except (FileNotFoundError, SourcetraceError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    if fmt == "json":
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        report.render(Console())


@eval_app.command("agreement")
def agreement(
    directories: Annotated[list[Path], typer.Argument(help="PolNeAR-format splits with doubly annotated articles")],
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """The same metrics with a second annotator in the engine's place (the human ceiling)."""
    from ..eval import annotator_agreement

    try:
        report = annotator_agreement(directories)
    except (FileNotFoundError, SourcetraceError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from None
    if not report.documents:
        typer.echo("no article in these splits has a second annotation", err=True)
        raise typer.Exit(1)
    if fmt == "json":
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        console = Console()
        console.print("The second annotator of each doubly annotated article, scored as if it were the engine:")
        report.render(console)
