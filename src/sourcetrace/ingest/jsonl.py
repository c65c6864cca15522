"""``.jsonl`` (or ``.jsonl.gz``): one article per line, ``{"text", "title", "url", "outlet", "published",
"author"}``. A bad line is reported as an error for ``path:LINE`` and the rest of the file is read."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..document import without_surrogates
from ..errors import DocumentError
from ..settings import DEFAULTS, Settings
from ._article import RawArticle
from .text import META_FIELDS

__all__ = ["read_jsonl_file"]


def read_jsonl_file(path: Path, settings: Settings = DEFAULTS) -> Iterator[RawArticle | DocumentError]:
    """The articles of a JSON-lines file, gzip-compressed when its name ends in ``.gz``."""
    lineno = 0
    try:
        with gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb") as handle:
            for lineno, raw in _lines(handle, settings.max_chars * 4):
                yield from _article(f"{path}:{lineno}", raw)
    except OSError as err:  # unreadable, or a gzip stream that is not one or breaks off
        where = f"{path}:{lineno + 1}" if lineno else str(path)
        yield DocumentError(where, f"cannot read: {err.strerror or err}", "unreadable")
    except EOFError:
        yield DocumentError(f"{path}:{lineno + 1}", "cannot read: the compressed file ends early", "unreadable")


def _lines(handle: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | int]]:
    """Each line with its number, or for a line longer than ``limit`` bytes its length, counted
    without holding it (a file with no newline can be gigabytes)."""
    lineno = 0
    while raw := handle.readline(limit + 1):
        lineno += 1
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield lineno, raw
            continue
        size = len(raw)
        while (more := handle.readline(1 << 20)) and not more.endswith(b"\n"):
            size += len(more)
        yield lineno, size + len(more)


def _article(doc_id: str, raw: bytes | int) -> Iterator[RawArticle | DocumentError]:
    if isinstance(raw, int):
        yield DocumentError(doc_id, f"line too large ({raw:,} bytes)", "too-large")
        return
    if not raw.strip():
        return
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        yield DocumentError(doc_id, f"not valid JSON: {err}", "malformed")
        return
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        yield DocumentError(doc_id, 'no "text" string in this line', "malformed")
        return
    yield RawArticle(
        without_surrogates(str(obj.get("id") or doc_id)), obj["text"],
        **{k: (without_surrogates(str(obj[k])) if obj.get(k) is not None else None) for k in META_FIELDS},
        meta={k: v for k, v in obj.items() if k not in (*META_FIELDS, "text", "id")},
    )
