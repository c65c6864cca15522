"""`sourcetrace entities`: what the store joined into one entity across articles, why, and
putting it right: `show NAME`, `merges [NAME]`, `merge NAME INTO`, `unmerge ID`.

Joins are never guessed silently: each automatic one is a merge row with its reason, and
mentions and attributions keep pointing at their own entity, so undoing a join loses nothing.
Exit status: 0 success, 1 nothing found or nothing to do, 2 usage or database errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from . import app
from .corpus import DbOption, Format, FormatOption, _answer, _open

entities_app = typer.Typer(help="Entities joined across articles: show them, say why, put them right.",
                           no_args_is_help=True)
app.add_typer(entities_app, name="entities")

_CLUSTER_COLUMNS = ("cluster", "name", "label", "mentions", "statements")
_MERGE_COLUMNS = ("merge_id", "entity", "into", "reason", "undone", "when")
LabelOption = Annotated[str | None, typer.Option(
    "--label", help="PERSON, ORG, GPE, …: which of the entities of that name (needed only when "
                    "the name has several labels)")]


def _change(db: str | None, change: Callable[[Any], Any]) -> Any:
    """Open the corpus, make ``change``, close it; a name or id it cannot find exits 1."""
    corpus = _open(db)
    try:
        return change(corpus)
    except (LookupError, ValueError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from None
    finally:
        corpus.close()


@entities_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="A name as written, e.g. \"Korotchenko\"")],
    db: DbOption = None, fmt: FormatOption = Format.text,
) -> None:
    """The entity clusters holding NAME: every name each joined, with its mentions and statements."""
    _answer(db, fmt, title=f"entity: {name}", columns=_CLUSTER_COLUMNS, ask=lambda corpus: corpus.entity(name))


@entities_app.command("merges")
def merges(
    name: Annotated[str | None, typer.Argument(help="Only merges one of whose names contains this")] = None,
    db: DbOption = None, fmt: FormatOption = Format.text,
) -> None:
    """Why entities were joined, oldest first (undone ones included): the ids `unmerge` takes."""
    _answer(db, fmt, title=f"merges: {name}" if name else "merges", columns=_MERGE_COLUMNS,
            ask=lambda corpus: corpus.merges(name))


@entities_app.command("merge")
def merge(
    name: Annotated[str, typer.Argument(help="The entity to join (with everything joined to it)")],
    into: Annotated[str, typer.Argument(help="The entity it joins, whose name the cluster keeps")],
    reason: Annotated[str, typer.Option(help="Why, kept with the merge")] = "merged by hand",
    label: LabelOption = None,
    db: DbOption = None,
) -> None:
    """Join NAME into INTO by hand: the store's renaming keeps INTO's name for the cluster."""
    merge_id = _change(db, lambda corpus: corpus.merge(name, into, reason=reason, label=label))
    typer.echo(f"merge {merge_id}: {name} → {into} ({reason}); `sourcetrace entities unmerge {merge_id}` undoes it")


@entities_app.command("unmerge")
def unmerge(
    merge_id: Annotated[int, typer.Argument(help="A merge id, as `entities merges` lists them")],
    db: DbOption = None,
) -> None:
    """Undo one merge: the joined entity stands alone again, with its mentions and statements."""
    _change(db, lambda corpus: corpus.unmerge(merge_id))
    typer.echo(f"merge {merge_id} undone")
