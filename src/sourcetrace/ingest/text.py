"""``.txt`` articles, each with an optional sidecar ``.json`` of metadata next to it
(``title``, ``url``, ``outlet``, ``published``, ``author``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from ..document import decoded
from ..errors import DocumentError
from ..settings import DEFAULTS, Settings
from ._article import RawArticle
from .metadata import MetadataTable

__all__ = ["META_FIELDS", "read_sidecar", "read_text_file"]

META_FIELDS = ("title", "url", "outlet", "published", "author")


def read_sidecar(path: Path) -> dict[str, object]:
    """The metadata in ``path``'s sidecar (``a.txt`` → ``a.json``), empty when there is none;
    DocumentError when it is not a JSON object."""
    sidecar = path.with_suffix(".json")
    if not sidecar.is_file():
        return {}
    try:
        loaded = json.loads(sidecar.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise DocumentError(str(path), f"sidecar {sidecar.name} is not valid JSON: {err}", "malformed") from None
    if not isinstance(loaded, dict):
        raise DocumentError(str(path), f"sidecar {sidecar.name} is not a JSON object", "malformed")
    return loaded


def read_text_file(path: Path, settings: Settings = DEFAULTS, table: MetadataTable | None = None
                   ) -> Iterator[RawArticle | DocumentError]:
    """The article in a text file, with the fields of its sidecar, else of its row in ``table``
    (a corpus's metadata table, ``metadata.py``)."""
    doc_id = str(path)
    try:
        if path.stat().st_size > settings.max_chars * 4:
            raise DocumentError(doc_id, f"document too large ({path.stat().st_size:,} bytes)", "too-large")
        text = decoded(doc_id, path.read_bytes(), keep_bom=False)
        meta = {**(table or {}).get(path.stem, {}), **read_sidecar(path)}
    except DocumentError as err:
        yield err
        return
    except OSError as err:
        yield DocumentError(doc_id, f"cannot read: {err.strerror}", "unreadable")
        return
    crawled = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    yield RawArticle(
        doc_id, text,
        **{k: (str(meta[k]) if meta.get(k) is not None else None) for k in META_FIELDS},
        crawled_at=crawled,
        meta={k: v for k, v in meta.items() if k not in META_FIELDS},
    )
