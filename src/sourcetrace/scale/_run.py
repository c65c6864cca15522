"""The driver of a scaled ingest: read → identity → skip what is stored → partitions → Dask →
sink, with at most ``2 × workers`` partitions in flight and progress fed by ``as_completed``."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..document import document_from_text
from ..errors import DocumentError
from ..ingest import IngestOptions, read_inputs
from ..ingest._run import IngestReport
from ..store import open_engine
from ..store.writer import Prepared, StoreWriter, prepare
from ._plugin import PLUGIN_NAME, AnalyzerFactory, AnalyzerPlugin, default_factory
from ._rows import Row, error_row, from_row
from ._sinks import DatabaseSink, DriverSink, ParquetSink
from ._store import finish_run, link_duplicates, record_errors, start_run, store_article, stored_identities
from ._tasks import Partition, PartitionResult, run_partition

__all__ = ["PARTITION_SIZE", "RETRIES", "scaled_ingest", "shard_identities"]

PARTITION_SIZE = 16   # documents per task: big enough to amortise scheduling, small enough to retry cheaply
RETRIES = 2           # Dask retries of a partition whose task raised (a dead worker is rescheduled anyway)

ProgressCallback = Callable[[IngestReport], None]
AnySink = DriverSink | DatabaseSink | ParquetSink


def shard_identities(directory: str | Path) -> set[str]:
    """Identities already in the shards of ``directory`` (a re-run skips them)."""
    import pyarrow.parquet as pq

    found: set[str] = set()
    for shard in sorted(Path(directory).glob("part-*.parquet")):
        found.update(i for i in pq.read_table(shard, columns=["identity"]).column("identity").to_pylist() if i)
    return found


def _key(part_articles: list[Prepared], errors: list[Row]) -> str:
    h = hashlib.sha256()
    for name in [p.identity for p in part_articles] + [e["source"] for e in errors]:
        h.update(name.encode("utf-8", "surrogatepass") + b"\n")
    return h.hexdigest()[:24]


class _Driver:
    """Driver-side state of one run: which identities are known, where errors and rows go."""

    def __init__(self, sink: AnySink, inputs: list[str]) -> None:
        self.sink = sink
        self.engine: Engine | None = None
        self.Session: sessionmaker[Session] | None = None
        self.writer = StoreWriter()
        self.run_id: int | None = None
        self.known: set[str] = set()
        if isinstance(sink, ParquetSink):
            self.known = shard_identities(sink.directory)
        else:
            self.engine = open_engine(sink.url)
            self.Session = sessionmaker(self.engine, expire_on_commit=False)
            self.run_id = start_run(self.Session, inputs)

    def stored(self, identities: list[str]) -> set[str]:
        if self.Session is None:
            return self.known.intersection(identities)
        return stored_identities(self.Session, identities)

    def absorb(self, result: PartitionResult, report: IngestReport) -> None:
        done = result.consumed
        report.stored += done.stored
        report.skipped += done.skipped
        report.errors.extend(done.errors)
        if self.Session is None:
            return
        extra: list[DocumentError] = []
        for row in done.rows or []:  # DriverSink: this process is the writer
            prep, res, minhash = from_row(row)
            try:
                if store_article(self.Session, self.writer, prep, res, run_id=self.run_id, minhash=minhash):
                    report.stored += 1
                else:
                    report.skipped += 1
            except Exception as err:  # noqa: BLE001 - one bad article never aborts the run
                reason = f"store failed: {type(err).__name__}: {err}"
                report.errors.append((prep.raw.doc_id, "store", reason))
                extra.append(DocumentError(prep.raw.doc_id, reason, "store"))
        record_errors(self.Session, [DocumentError(d, r, k) for d, k, r in done.errors] + extra, self.run_id)

    def fail(self, part: Partition, err: BaseException, report: IngestReport) -> None:
        reason = f"partition failed: {type(err).__name__}: {err}"
        errors = [DocumentError(p.raw.doc_id, reason, "internal") for p in part.articles]
        errors += [DocumentError(r["source"], r["error_reason"], r["error_kind"]) for r in part.errors]
        report.errors.extend((e.doc_id, e.kind, e.reason) for e in errors)
        if self.Session is not None:
            record_errors(self.Session, errors, self.run_id)

    def close(self, report: IngestReport, status: str) -> None:
        if self.engine is None or self.Session is None:
            return
        try:
            if status == "done" and self.run_id is not None:
                report.duplicates = link_duplicates(self.engine, self.run_id)
            finish_run(self.Session, report, status)
        finally:
            self.engine.dispose()


def _partitions(inputs: list[str], options: IngestOptions, driver: _Driver, report: IngestReport, size: int,
                limit: int | None, tick: Callable[[], None]) -> Iterator[Partition]:
    articles: list[Prepared] = []
    errors: list[Row] = []
    in_run: set[str] = set()

    def cut() -> Partition | None:
        nonlocal articles, errors
        known = driver.stored([p.identity for p in articles]) if articles else set()
        if known:
            report.skipped += len(known)
            tick()
        fresh = [p for p in articles if p.identity not in known]
        part = Partition(_key(fresh, errors), fresh, errors) if fresh or errors else None
        articles, errors = [], []
        return part

    for item in read_inputs(inputs, options):
        if limit is not None and report.seen >= limit:
            break
        report.seen += 1
        if isinstance(item, DocumentError):
            errors.append(error_row(item))
        else:
            prep = prepare(item)
            if prep.identity in in_run:
                report.skipped += 1
                continue
            in_run.add(prep.identity)
            try:
                document_from_text(prep.identity, item.text, options.settings)
            except DocumentError as err:
                errors.append(error_row(DocumentError(item.doc_id, err.reason, err.kind)))
                continue
            articles.append(prep)
        if len(articles) + len(errors) >= size:
            part = cut()
            if part is not None:
                yield part
    part = cut()
    if part is not None:
        yield part


def scaled_ingest(client: Any, inputs: Iterable[str | Path], *, sink: AnySink, options: IngestOptions | None = None,
                  factory: AnalyzerFactory | None = None, partition_size: int = PARTITION_SIZE,
                  in_flight: int | None = None, retries: int = RETRIES, on_progress: ProgressCallback | None = None,
                  limit: int | None = None, register: bool = True) -> IngestReport:
    """Ingest ``inputs`` on the cluster behind ``client`` into ``sink``; same report as a local run
    (``run_id`` is 0 for Parquet output, which has no run row until ``load``).

    ``register=False`` keeps an ``AnalyzerPlugin`` the caller registered already (the benchmark
    does, to time model loading apart); ``factory`` then only serves workers without it.
    A partition retried after a worker died reports the articles its first attempt had committed
    as skipped."""
    from distributed import as_completed

    options = options or IngestOptions()
    factory = factory or default_factory(options.settings)
    inputs = [str(i) for i in inputs]
    driver = _Driver(sink, inputs)
    report = IngestReport(driver.run_id or 0)
    if register:
        client.register_plugin(AnalyzerPlugin(factory), name=PLUGIN_NAME)
    workers = max(1, len(client.nthreads()))  # asked of the scheduler, not its cached info
    limit_in_flight = in_flight or 2 * workers

    def tick() -> None:
        report.elapsed = time.perf_counter() - report.started
        if on_progress is not None:
            on_progress(report)

    pending: dict[str, Partition] = {}
    done = as_completed()

    def settle(future: Any) -> None:
        part = pending.pop(future.key)
        try:
            result = future.result()
        except Exception as err:  # noqa: BLE001 - retries spent or workers keep dying: record and go on
            driver.fail(part, err, report)
        else:
            driver.absorb(result, report)
        future.release()
        tick()

    status = "failed"
    try:
        for part in _partitions(inputs, options, driver, report, partition_size, limit, tick):
            while len(pending) >= limit_in_flight:
                settle(next(done))
            key = f"sourcetrace-partition-{part.key}"
            if key in pending:  # the same partition twice in one run cannot happen; be safe
                continue
            pending[key] = part
            done.add(client.submit(run_partition, part, sink, factory, driver.run_id, key=key,
                                   retries=retries, pure=False))
        for future in done:
            settle(future)
        status = "done"
    finally:
        report.elapsed = time.perf_counter() - report.started
        driver.close(report, status)
    tick()
    return report
