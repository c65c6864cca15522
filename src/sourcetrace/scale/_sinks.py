"""Where a worker puts an analysed partition. Sinks are small picklable values: the driver
builds one, every task carries it, and ``consume`` runs on the worker."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from ..records import DocumentResult
from ..store import normalize_url, open_engine
from ..store.writer import Prepared, StoreWriter
from ._cluster import ScaleError
from ._rows import FIELDS, Row, article_row
from ._store import store_article

__all__ = ["DatabaseSink", "DriverSink", "ParquetSink", "Sink", "parquet_schema", "sink_for"]

PARQUET_SCHEME = "parquet://"
Analysed = tuple[Prepared, DocumentResult, bytes]


@dataclass
class Consumed:
    """What a sink did with a partition: counts, and rows only when the driver must write them."""

    stored: int = 0
    skipped: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (doc_id, kind, reason)
    rows: list[Row] | None = None


class Sink(Protocol):
    """``errors`` is complete only once ``analysed`` is exhausted (analysis failures join it)."""

    def consume(self, key: str, analysed: Iterable[Analysed], errors: list[Row], *,
                run_id: int | None) -> Consumed: ...


def _error_triples(errors: list[Row]) -> list[tuple[str, str, str]]:
    return [(r["source"], r["error_kind"], r["error_reason"]) for r in errors]


@dataclass(frozen=True, slots=True)
class DriverSink:
    """Rows go back to the driver, the single writer (SQLite, or any database on request)."""

    url: str

    def consume(self, key: str, analysed: Iterable[Analysed], errors: list[Row], *,
                run_id: int | None) -> Consumed:
        rows = [article_row(*a) for a in analysed]
        return Consumed(errors=_error_triples(errors), rows=rows)


# Per worker process: one engine and one writer (with its outlet and entity caches) per database.
_writers: dict[str, tuple[sessionmaker[Session], StoreWriter]] = {}


def _writer_for(url: str) -> tuple[sessionmaker[Session], StoreWriter]:
    if url not in _writers:
        engine = open_engine(url, migrate=False)  # the driver migrated it before the first task
        _writers[url] = (sessionmaker(engine, expire_on_commit=False), StoreWriter())
    return _writers[url]


@dataclass(frozen=True, slots=True)
class DatabaseSink:
    """Each worker writes its articles itself (PostgreSQL: many writers), one transaction each.
    Errors go back to the driver, which records them once per finished partition."""

    url: str

    def consume(self, key: str, analysed: Iterable[Analysed], errors: list[Row], *,
                run_id: int | None) -> Consumed:
        Session, writer = _writer_for(self.url)
        out = Consumed()
        for prep, result, minhash in analysed:
            try:
                if store_article(Session, writer, prep, result, run_id=run_id, minhash=minhash):
                    out.stored += 1
                else:
                    out.skipped += 1
            except Exception as err:  # noqa: BLE001 - one bad article never aborts the partition
                out.errors.append((prep.raw.doc_id, "store", f"store failed: {type(err).__name__}: {err}"))
        out.errors[:0] = _error_triples(errors)
        return out


def parquet_schema() -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "binary": pa.binary(), "timestamp": pa.timestamp("us", tz="UTC")}
    return pa.schema([(name, types[kind]) for name, kind in FIELDS.items()])


@dataclass(frozen=True, slots=True)
class ParquetSink:
    """Each partition becomes ``DIR/part-KEY.parquet``, written to a temporary name and renamed:
    a shard is whole or absent, and a retried partition rewrites the same file. On a remote
    cluster DIR must be a filesystem every worker and the driver share."""

    directory: str

    def shard(self, key: str) -> Path:
        return Path(self.directory) / f"part-{key}.parquet"

    def consume(self, key: str, analysed: Iterable[Analysed], errors: list[Row], *,
                run_id: int | None) -> Consumed:
        import pyarrow as pa
        import pyarrow.parquet as pq

        articles = [article_row(*a) for a in analysed]
        rows = articles + errors
        final = self.shard(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        pq.write_table(pa.Table.from_pylist(rows, schema=parquet_schema()), tmp, compression="zstd")
        os.replace(tmp, final)
        return Consumed(stored=len(articles), errors=_error_triples(errors))


def sink_for(db: str | None, out: str | None) -> DriverSink | DatabaseSink | ParquetSink:
    """``--out parquet://DIR`` → shards; else the database (``--out`` or ``--db``): PostgreSQL
    gets many writers, SQLite one (the driver)."""
    target = out or db
    if target and target.startswith(PARQUET_SCHEME):
        directory = target[len(PARQUET_SCHEME):]
        if not directory:
            raise ScaleError(f"{ScaleError.code} {target!r} names no directory: use parquet://DIR")
        return ParquetSink(str(Path(directory).resolve()))
    url = normalize_url(target)
    if url.startswith("postgresql"):
        return DatabaseSink(url)
    return DriverSink(url)
