"""A corpus's metadata table: one CSV or TSV row per article file, as research corpora ship it
(``metadata.tsv`` with ``filename``, ``publisher``, ``publication_date``, …), read once and
looked up by each text file's name. Without dates and outlets a claim has no first appearance
and no timeline; a sidecar ``NAME.json`` beside one file says the same for that file alone and
wins over the table.

Columns are recognised by name, case and spaces aside: the file (``id``, ``filename``, ``file``,
``name``, ``path``, ``stem``, ``doc_id``), and the article's fields under their own names or the
usual others (``publisher`` for ``outlet``, ``publication_date`` or ``date`` for ``published``,
``headline`` for ``title``, ``byline`` for ``author``, ``link`` for ``url``). Other columns are
kept as the article's metadata. A file is named by its stem, so ``story``, ``story.txt`` and
``texts/story.txt`` all name ``story.txt``.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path, PurePath

from ..errors import SourcetraceError

__all__ = ["MetadataError", "MetadataTable", "read_metadata_table"]

MetadataTable = Mapping[str, Mapping[str, str]]  # file stem → field → value

_KEY_COLUMNS = ("id", "filename", "file", "name", "path", "stem", "doc_id")
_FIELD_COLUMNS = {
    "title": ("title", "headline"),
    "url": ("url", "link", "canonical_url"),
    "outlet": ("outlet", "publisher", "source", "site", "site_name", "publication", "newspaper"),
    "published": ("published", "publication_date", "published_at", "pubdate", "date", "datetime"),
    "author": ("author", "byline", "authors"),
}
_MISSING = frozenset({"", "none", "null", "nan", "n/a", "na", "-"})


class MetadataError(SourcetraceError):
    """The metadata table cannot be read or names no file column."""

    code = "ST110"


def read_metadata_table(path: Path) -> dict[str, dict[str, str]]:
    """The rows of a CSV or TSV table keyed by the stem of their file column; each row's
    recognised fields under the names articles use, the other columns as they are, empty
    cells (and "None", "NaN", …) left out."""
    try:
        raw = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise MetadataError(f"{path}: cannot read the metadata table ({err})") from None
    rows = list(csv.reader(raw.splitlines(), delimiter=_delimiter(path, raw)))
    if not rows:
        raise MetadataError(f"{path}: the metadata table is empty")
    header = [_column(c) for c in rows[0]]
    key = next((header.index(c) for c in _KEY_COLUMNS if c in header), None)
    if key is None:
        raise MetadataError(f"{path}: no column names the files (one of {', '.join(_KEY_COLUMNS)}); "
                            f"the header reads {', '.join(rows[0])}")
    names = _field_names(header, key)
    table: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        stem = _stem(row[key]) if key < len(row) else ""
        if not stem:
            raise MetadataError(f"{path}: line {number} names no file")
        if stem in table:
            raise MetadataError(f"{path}: line {number} names {stem!r} again")
        table[stem] = {names[i]: cell.strip() for i, cell in enumerate(row)
                       if i in names and cell.strip().lower() not in _MISSING}
    return table


def _delimiter(path: Path, raw: str) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    first = raw.split("\n", 1)[0]
    return "\t" if first.count("\t") > first.count(",") else ","


def _column(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _field_names(header: list[str], key: int) -> dict[int, str]:
    """Column index → the field it fills; the first of a field's names present takes it."""
    names: dict[int, str] = {}
    for field, aliases in _FIELD_COLUMNS.items():
        found = next((header.index(a) for a in aliases if a in header), None)
        if found is not None and found != key:
            names[found] = field
    taken = set(names.values())
    for i, column in enumerate(header):
        if i != key and i not in names and column and column not in taken:
            names[i] = column
    return names


def _stem(value: str) -> str:
    name = PurePath(value.strip().replace("\\", "/")).name
    return name[:-4] if name.lower().endswith(".txt") else name
