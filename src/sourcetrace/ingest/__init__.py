"""Readers: paths and URLs in, ``RawArticle`` (or the ``DocumentError`` explaining a bad input) out.

Dispatch is by suffix for files (``.txt`` with optional ``.json`` sidecar, ``.jsonl``/``.ndjson`` (or ``.gz``),
``.html``/``.htm``, ``.warc``/``.warc.gz``, ``.rss``/``.atom``/``.xml`` feeds), recursively and in
sorted order for directories, and by content for ``http(s)://`` URLs (a feed or one page) and for
a file named with no suffix (``wget`` saves ``…/story-123`` so): a page, a feed, else text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DocumentError
from ..settings import DEFAULTS, Settings
from ._article import RawArticle
from ._fetch import Fetcher, FetchPolicy
from .metadata import MetadataTable, read_metadata_table

__all__ = ["IngestOptions", "RawArticle", "counted", "file_kind", "is_url", "left_out", "read_inputs",
           "read_metadata_table"]

_SIDECAR_OF = (".txt",)


@dataclass(frozen=True, slots=True)
class IngestOptions:
    settings: Settings = DEFAULTS
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    follow_links: bool = True       # feeds: fetch each entry's page rather than use the entry text
    metadata: MetadataTable = field(default_factory=dict)  # text files' fields by stem (metadata.py)


def file_kind(path: Path, *, sniff: bool = False) -> str | None:
    """The reader a file goes to, by its name: text, jsonl, html, warc or feed (None: unsupported).
    With ``sniff``, a file named with no suffix goes by its first bytes: html, feed, else text
    (directories are walked by name alone, so that a stray file is never read as an article)."""
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    if name.endswith((".jsonl.gz", ".ndjson.gz")):
        return "jsonl"
    suffix = path.suffix.lower()
    kind = {".txt": "text", ".jsonl": "jsonl", ".ndjson": "jsonl", ".html": "html", ".htm": "html",
            ".rss": "feed", ".atom": "feed", ".xml": "feed"}.get(suffix)
    if kind is None and sniff and not suffix and path.is_file():
        from .feeds import looks_like_feed
        from .html import looks_like_html

        try:
            with path.open("rb") as f:
                head = f.read(4096)
        except OSError:
            return "text"  # its reader says why it cannot be read
        return "html" if looks_like_html(head) else "feed" if looks_like_feed(head) else "text"
    return kind


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://")) or "://" in text


def _walk(directory: Path) -> Iterator[tuple[Path, str | None]]:
    """Each file under ``directory`` with its kind (None: no kind ingest reads), sorted; hidden
    files and the sidecars read with their .txt are no files of their own."""
    for child in sorted(directory.rglob("*")):
        if not child.is_file() or child.name.startswith("."):
            continue
        if child.suffix.lower() == ".json" and child.with_suffix(".txt").exists():
            continue  # a sidecar, read with its .txt
        yield child, file_kind(child)


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from (child for child, kind in _walk(path) if kind is not None)
    else:
        yield path


def _suffix(path: Path) -> str:
    """".pdf", and what a compressed file was before: ".csv.gz"."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if len(suffixes) == 2 and suffixes[1] in (".gz", ".bz2", ".xz", ".zst") and suffixes[0][1:].isalnum():
        return "".join(suffixes)
    return suffixes[-1] if suffixes else "no suffix"


def left_out(inputs: Iterable[str | Path], kinds: Iterable[str | None] = (None,)) -> Counter[str]:
    """How many files of each suffix the directories among ``inputs`` hold whose kind is among
    ``kinds`` (default: none ingest reads, which a walk passes over): "3 × .pdf" is worth saying."""
    wanted = set(kinds)
    return Counter(_suffix(child) for item in inputs
                   if not is_url(str(item)) and Path(item).is_dir()
                   for child, kind in _walk(Path(item)) if kind in wanted)


def _read_path(path: Path, options: IngestOptions, fetcher: Fetcher) -> Iterator[RawArticle | DocumentError]:
    from .feeds import read_feed_file
    from .html import read_html_file
    from .jsonl import read_jsonl_file
    from .text import read_text_file
    from .warc import read_warc_file

    if not path.exists():
        yield DocumentError(str(path), "no such file or directory", "unreadable")
        return
    for file in _files(path):
        kind = file_kind(file, sniff=file == path)  # a file named on the command line, not one found in a walk
        if kind == "text":
            yield from read_text_file(file, options.settings, options.metadata)
        elif kind == "jsonl":
            yield from read_jsonl_file(file, options.settings)
        elif kind == "html":
            yield from read_html_file(file, options.settings)
        elif kind == "warc":
            yield from read_warc_file(file, options.settings)
        elif kind == "feed":
            yield from read_feed_file(file, fetcher=fetcher, follow=options.follow_links)
        else:
            yield DocumentError(str(file), f"unsupported file type {file.suffix or '(none)'!r}", "unsupported")


def _read_url(url: str, options: IngestOptions, fetcher: Fetcher) -> Iterator[RawArticle | DocumentError]:
    from .feeds import looks_like_feed, read_feed
    from .html import article_from_html, looks_like_html

    try:
        page = fetcher.get(url)
        if looks_like_feed(page.content) or any(t in page.content_type for t in ("rss", "atom")):
            yield from read_feed(url, page.content, fetcher=fetcher, follow=options.follow_links,
                                 crawled_at=page.fetched_at)
        elif looks_like_html(page.content, page.content_type):
            yield article_from_html(url, page.content, url=page.url, crawled_at=page.fetched_at)
        else:
            yield DocumentError(url, f"neither a feed nor an HTML page ({page.content_type or 'no type'})",
                                "unsupported")
    except DocumentError as err:
        yield err


def read_inputs(inputs: Iterable[str | Path], options: IngestOptions | None = None, *,
                fetcher: Fetcher | None = None) -> Iterator[RawArticle | DocumentError]:
    """Every article in ``inputs`` (paths, directories, URLs), lazily and in order."""
    options = options or IngestOptions()
    own = fetcher is None
    fetcher = fetcher or Fetcher(options.fetch)
    try:
        for item in inputs:
            text = str(item)
            if is_url(text):
                yield from _read_url(text, options, fetcher)
            else:
                yield from _read_path(Path(text), options, fetcher)
    finally:
        if own:
            fetcher.close()


def counted(suffixes: Counter[str]) -> str:
    """ "2 .pdf, 1 .gz": a ``left_out`` count to print, most frequent first, ties by name."""
    return ", ".join(f"{n} {suffix}" for suffix, n in sorted(suffixes.items(), key=lambda item: (-item[1], item[0])))
