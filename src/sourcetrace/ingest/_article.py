"""What every reader yields: an article as read, before analysis, with its metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["RawArticle", "READ_ERROR_KINDS"]

# DocumentError kinds the readers add to those of document.py.
READ_ERROR_KINDS = ("malformed", "unsupported", "fetch", "refused", "no-content")


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article as a reader found it. ``doc_id`` names where it came from (path, path:line,
    file.warc.gz#offset, URL) and is what errors and progress report."""

    doc_id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: Any = None          # str | datetime | time.struct_time | None, parsed by dates.py
    author: str | None = None
    crawled_at: datetime | None = None  # when it was fetched/archived; None: now
    meta: dict[str, Any] = field(default_factory=dict)
