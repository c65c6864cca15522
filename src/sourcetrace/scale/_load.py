"""``sourcetrace load DIR``: Parquet shards written by a scaled ingest, into a store.

Idempotent like ingest: articles already stored (by identity) are skipped, each article commits
on its own, and error rows become ``document_errors`` of the load run."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from ..errors import DocumentError
from ..ingest._run import IngestReport
from ..store import open_engine
from ..store.writer import StoreWriter
from ._cluster import ScaleError
from ._rows import from_row, row_error
from ._store import finish_run, link_duplicates, record_errors, start_run, store_article, stored_identities

__all__ = ["load_shards"]

ProgressCallback = Callable[[IngestReport], None]


def load_shards(directory: str | Path, db: str | None = None, *,
                on_progress: ProgressCallback | None = None) -> IngestReport:
    import pyarrow.parquet as pq

    folder = Path(directory.removeprefix("parquet://") if isinstance(directory, str) else directory)
    if not folder.is_dir():
        raise ScaleError(f"{ScaleError.code} no such directory: {folder}")
    shards = sorted(folder.glob("part-*.parquet"))
    engine = open_engine(db)
    Session = sessionmaker(engine, expire_on_commit=False)
    writer = StoreWriter()
    report = IngestReport(start_run(Session, [str(folder)]))
    status = "failed"

    def tick() -> None:
        report.elapsed = time.perf_counter() - report.started
        if on_progress is not None:
            on_progress(report)

    try:
        for shard in shards:
            rows = pq.read_table(shard).to_pylist()
            report.seen += len(rows)
            known = stored_identities(Session, [r["identity"] for r in rows if r["identity"]])
            errors: list[DocumentError] = []
            for row in rows:
                err = row_error(row)
                if err is not None:
                    errors.append(err)
                    continue
                if row["identity"] in known:
                    report.skipped += 1
                    continue
                prep, result, minhash = from_row(row)
                try:
                    if store_article(Session, writer, prep, result, run_id=report.run_id, minhash=minhash):
                        report.stored += 1
                    else:
                        report.skipped += 1
                except Exception as exc:  # noqa: BLE001 - one bad article never aborts the load
                    errors.append(DocumentError(prep.raw.doc_id, f"store failed: {type(exc).__name__}: {exc}",
                                                "store"))
                known.add(row["identity"])
            report.errors.extend((e.doc_id, e.kind, e.reason) for e in errors)
            record_errors(Session, errors, report.run_id)
            tick()
        report.duplicates = link_duplicates(engine, report.run_id)
        status = "done"
    finally:
        report.elapsed = time.perf_counter() - report.started
        try:
            finish_run(Session, report, status)
        finally:
            engine.dispose()
    return report
