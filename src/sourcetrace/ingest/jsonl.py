"""``.jsonl``: one article per line, ``{"text", "title", "url", "outlet", "published", "author"}``.
A bad line is reported as an error for ``path:LINE`` and the rest of the file is read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..document import without_surrogates
from ..errors import DocumentError
from ..settings import DEFAULTS, Settings
from ._article import RawArticle
from .text import META_FIELDS

__all__ = ["read_jsonl_file"]


def read_jsonl_file(path: Path, settings: Settings = DEFAULTS) -> Iterator[RawArticle | DocumentError]:
    try:
        handle = path.open("rb")
    except OSError as err:
        yield DocumentError(str(path), f"cannot read: {err.strerror}", "unreadable")
        return
    with handle:
        for lineno, raw in enumerate(handle, 1):
            doc_id = f"{path}:{lineno}"
            if not raw.strip():
                continue
            if len(raw) > settings.max_chars * 4:
                yield DocumentError(doc_id, f"line too large ({len(raw):,} bytes)", "too-large")
                continue
            try:
                obj = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as err:
                yield DocumentError(doc_id, f"not valid JSON: {err}", "malformed")
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                yield DocumentError(doc_id, 'no "text" string in this line', "malformed")
                continue
            yield RawArticle(
                without_surrogates(str(obj.get("id") or doc_id)), obj["text"],
                **{k: (without_surrogates(str(obj[k])) if obj.get(k) is not None else None) for k in META_FIELDS},
                meta={k: v for k, v in obj.items() if k not in (*META_FIELDS, "text", "id")},
            )
