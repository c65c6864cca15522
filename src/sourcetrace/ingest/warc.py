"""WARC archives (``.warc``, ``.warc.gz``): every successful HTML response becomes an article,
dated by its page metadata or else by ``WARC-Date``. Articles are named ``FILE#N``, N counting
WARC records from 1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DocumentError
from ..settings import DEFAULTS, Settings
from ._article import RawArticle
from .dates import parse_date
from .html import article_from_html

__all__ = ["read_warc_file"]


def _read_capped(stream: Any, cap: int) -> bytes:
    # Small reads: warcio's decompressing stream returns nothing for one very large read().
    chunks: list[bytes] = []
    size = 0
    while size <= cap:
        chunk = stream.read(65536)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_warc_file(path: Path, settings: Settings = DEFAULTS) -> Iterator[RawArticle | DocumentError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        handle = path.open("rb")
    except OSError as err:
        yield DocumentError(str(path), f"cannot read: {err.strerror}", "unreadable")
        return
    with handle:
        records = ArchiveIterator(handle)
        valid = 0
        try:
            for record in records:
                if record.rec_headers.get_header("WARC-Type") is None:
                    continue  # warcio is lenient: text that is no WARC at all comes as one bare record
                valid += 1
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                doc_id = f"{path}#{valid}"  # record number; get_record_offset() would consume the body
                status = record.http_headers.get_statuscode()
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if status != "200" or "html" not in ctype:
                    continue
                body = _read_capped(record.content_stream(), settings.max_chars * 4)
                if len(body) > settings.max_chars * 4:
                    yield DocumentError(doc_id, f"response too large (> {settings.max_chars * 4:,} bytes)",
                                        "too-large")
                    continue
                crawled = parse_date(record.rec_headers.get_header("WARC-Date"))
                try:
                    yield article_from_html(doc_id, body, url=url, crawled_at=crawled)
                except DocumentError as err:
                    yield err
        except ArchiveLoadFailed as err:
            yield DocumentError(str(path), f"not a readable WARC: {err}", "malformed")
            return
        except (AttributeError, ValueError, TypeError, EOFError, OSError) as err:
            # warcio trusts the headers it reads: a response with no target URI, a length past the
            # end of a truncated file, a broken gzip member. The records before it stand.
            yield DocumentError(f"{path}#{valid + 1}", f"not a readable WARC record ({type(err).__name__}: {err}); "
                                "the records before it were read", "malformed")
            return
        if valid == 0:
            yield DocumentError(str(path), "not a WARC file (no WARC records)", "malformed")
