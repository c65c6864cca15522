"""`sourcetrace eval polnear DIR`: score the engine on a PolNeAR-format split."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from . import app

eval_app = typer.Typer(help="Evaluate the engine on annotated data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("polnear")
def polnear(
    directory: Annotated[Path, typer.Argument(help="A PolNeAR split: DIR/text/*.txt, DIR/attributions/*.ann")],
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    limit: Annotated[int | None, typer.Option(help="Score only the first N articles")] = None,
) -> None:
    """Token and attribution-level P/R/F1 against PolNeAR gold."""
    from ..analyzer import Analyzer
    from ..eval import evaluate_polnear

    report = evaluate_polnear(directory, Analyzer(), limit=limit)
    if fmt == "json":
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        report.render(Console())
