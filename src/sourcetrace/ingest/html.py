"""HTML pages: the main text and metadata (title, author, date, site name) via trafilatura."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from ..errors import DocumentError
from ..settings import DEFAULTS, Settings
from ._article import RawArticle

__all__ = ["article_from_html", "as_paragraphs", "looks_like_html", "read_html_file"]


def looks_like_html(data: bytes, content_type: str = "") -> bool:
    """Is this an HTML page, by its declared type or its first markup?"""
    return "html" in content_type or data[:512].lstrip().lower().startswith((b"<!doctype", b"<html"))


def as_paragraphs(text: str) -> str:
    """One paragraph per non-empty line (as trafilatura writes them), separated by blank lines:
    the documents' convention, by which a headline or a quote-only paragraph is a sentence of
    its own (``pipeline.paragraph_breaks``) and a quote may run on into the next paragraph."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def article_from_html(doc_id: str, html: str | bytes, *, url: str | None = None,
                      crawled_at: datetime | None = None) -> RawArticle:
    """The article in one HTML page; raises DocumentError when there is no main text."""
    import trafilatura

    try:
        found = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                            include_tables=False)
    except Exception as err:  # noqa: BLE001 - lxml/trafilatura errors on broken markup
        raise DocumentError(doc_id, f"HTML extraction failed: {type(err).__name__}: {err}", "malformed") from None
    text = as_paragraphs(getattr(found, "text", None) or "") if found is not None else ""
    if not text:
        raise DocumentError(doc_id, "no main text found in the HTML", "no-content")
    return RawArticle(
        doc_id, text,
        title=found.title or None,
        url=found.url or url,
        outlet=found.sitename or None,
        published=found.date or None,
        author=found.author or None,
        crawled_at=crawled_at,
    )


def read_html_file(path: Path, settings: Settings = DEFAULTS) -> Iterator[RawArticle | DocumentError]:
    doc_id = str(path)
    try:
        size = path.stat().st_size
        if size > settings.max_chars * 4:
            raise DocumentError(doc_id, f"document too large ({size:,} bytes)", "too-large")
        data = path.read_bytes()
        yield article_from_html(doc_id, data, crawled_at=datetime.fromtimestamp(path.stat().st_mtime, UTC))
    except DocumentError as err:
        yield err
    except OSError as err:
        yield DocumentError(doc_id, f"cannot read: {err.strerror}", "unreadable")
