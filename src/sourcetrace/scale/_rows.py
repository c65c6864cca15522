"""One analysed article as a flat row: what travels back from workers, what a Parquet shard
holds, and what ``load`` turns back into the store's ``Prepared`` + ``DocumentResult``.

An error row has no ``identity`` and carries ``error_kind`` / ``error_reason`` instead.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..errors import DocumentError
from ..ingest._article import RawArticle
from ..ingest.dates import DateDecision, as_utc
from ..records import DocumentResult
from ..store.writer import Prepared

__all__ = ["FIELDS", "article_row", "error_row", "from_row", "row_error"]

Row = dict[str, Any]

# name → pyarrow type name (see _sinks.parquet_schema); the order is the shard's column order.
FIELDS: dict[str, str] = {
    "identity": "string", "source": "string", "content_hash": "string", "canonical_url": "string",
    "title": "string", "author": "string", "outlet": "string", "domain": "string",
    "published_at": "timestamp", "published_raw": "string", "date_flag": "string",
    "crawled_at": "timestamp", "text": "string", "minhash": "binary", "result": "string",
    "error_kind": "string", "error_reason": "string",
}


def article_row(prep: Prepared, result: DocumentResult, minhash: bytes | None) -> Row:
    raw = prep.raw
    return {
        "identity": prep.identity, "source": raw.doc_id, "content_hash": prep.content_hash,
        "canonical_url": prep.canonical_url, "title": raw.title, "author": raw.author,
        "outlet": prep.outlet, "domain": prep.domain, "published_at": as_utc(prep.date.published_at),
        "published_raw": prep.date.raw, "date_flag": prep.date.flag, "crawled_at": as_utc(prep.crawled_at),
        "text": raw.text, "minhash": minhash, "result": json.dumps(result.to_dict(), ensure_ascii=False),
        "error_kind": None, "error_reason": None,
    }


def error_row(err: DocumentError) -> Row:
    row: Row = dict.fromkeys(FIELDS)
    row.update(source=err.doc_id, error_kind=err.kind, error_reason=err.reason)
    return row


def row_error(row: Row) -> DocumentError | None:
    if row.get("error_kind") is None:
        return None
    return DocumentError(row["source"], row["error_reason"] or "", row["error_kind"])


def from_row(row: Row) -> tuple[Prepared, DocumentResult, bytes | None]:
    """The article and its analysis back from a row (the inverse of ``article_row``)."""
    published: datetime = as_utc(row["published_at"])
    crawled: datetime = as_utc(row["crawled_at"])
    raw = RawArticle(doc_id=row["source"], text=row["text"], title=row["title"], url=row["canonical_url"],
                     outlet=row["outlet"], published=row["published_raw"], author=row["author"],
                     crawled_at=crawled)
    prep = Prepared(raw, row["identity"], row["content_hash"], row["canonical_url"], row["outlet"],
                    row["domain"], DateDecision(published, row["published_raw"], row["date_flag"]), crawled)
    return prep, DocumentResult.from_dict(json.loads(row["result"])), row["minhash"]
