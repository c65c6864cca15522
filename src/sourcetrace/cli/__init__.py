"""The `sourcetrace` command. Each submodule registers its commands on `app` and only parses
input and delegates to library code (analyzer, eval, corpus)."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="sourcetrace",
    help="Who said this, citing whom, how sure, and where did it first come from?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

# Registration by import: keep this list in step with the modules in this package.
from . import analyze as _analyze  # noqa: E402,F401
from . import evaluate as _evaluate  # noqa: E402,F401
from . import corpus as _corpus  # noqa: E402,F401
from . import entities as _entities  # noqa: E402,F401
from . import claims as _claims  # noqa: E402,F401
from . import serve as _serve  # noqa: E402,F401
from . import scale as _scale  # noqa: E402,F401

__all__ = ["app"]
