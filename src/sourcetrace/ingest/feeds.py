"""RSS and Atom feeds, from files or URLs: each entry is followed to its page (see ``_fetch``),
whose main text becomes the article; entry fields fill what the page lacks. With
``follow=False`` the entry's own content is used instead."""

from __future__ import annotations

import html as _html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import DocumentError
from ._article import RawArticle
from ._fetch import Fetcher
from .html import article_from_html, as_paragraphs

__all__ = ["looks_like_feed", "read_feed"]

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"<(?:br\s*/?|/(?:p|div|li|h[1-6]|blockquote|tr))\s*>", re.IGNORECASE)


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in data[:4096].lower()) \
        or head.startswith((b"<rss", b"<feed"))


def _entry_text(entry: Any) -> str:
    """An entry's own content as paragraphs: its block elements end lines, other tags go."""
    # feedparser keeps a damaged element as None: "value": None, "summary": None
    parts = [c.get("value") or "" for c in entry.get("content") or []] or [entry.get("summary") or ""]
    text = "\n".join(_html.unescape(_TAG.sub(" ", _BLOCK_END.sub("\n", p))) for p in parts)
    return as_paragraphs(re.sub(r"[ \t]+", " ", text))


def read_feed(doc_id: str, data: bytes, *, fetcher: Fetcher | None, follow: bool = True,
              crawled_at: datetime | None = None) -> Iterator[RawArticle | DocumentError]:
    import feedparser

    try:
        parsed = feedparser.parse(data)
    except (ValueError, LookupError, TypeError, AttributeError) as err:
        # feedparser reports most damage as "bozo", but raises on some: a broken byte or a NUL in
        # the XML declaration, an encoding no codec knows
        yield DocumentError(doc_id, f"not a readable feed ({type(err).__name__}: {err})", "malformed")
        return
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        yield DocumentError(doc_id, f"no feed entries{f' ({problem})' if problem else ''}", "malformed")
        return
    outlet = parsed.feed.get("title") or None
    for index, entry in enumerate(parsed.entries):
        link = entry.get("link")
        entry_id = link or f"{doc_id}#{index}"
        published = entry.get("published") or entry.get("updated")
        try:
            if follow and link and fetcher is not None:
                page = fetcher.get(link)
                article = article_from_html(entry_id, page.content, url=page.url, crawled_at=page.fetched_at)
            else:
                text = _entry_text(entry)
                if not text:
                    raise DocumentError(entry_id, "feed entry has no content and is not followed", "no-content")
                article = RawArticle(entry_id, text, url=link, crawled_at=crawled_at or datetime.now(UTC))
        except DocumentError as err:
            yield err
            continue
        yield RawArticle(
            entry_id, article.text,
            title=article.title or entry.get("title"),
            url=article.url or link,
            outlet=outlet or article.outlet,
            published=article.published or published,
            author=article.author or entry.get("author"),
            crawled_at=article.crawled_at,
        )


def read_feed_file(path: Path, *, fetcher: Fetcher | None, follow: bool = True) -> Iterator[RawArticle | DocumentError]:
    try:
        data = path.read_bytes()
    except OSError as err:
        yield DocumentError(str(path), f"cannot read: {err.strerror}", "unreadable")
        return
    yield from read_feed(str(path), data, fetcher=fetcher, follow=follow,
                         crawled_at=datetime.fromtimestamp(path.stat().st_mtime, UTC))
