"""One ingest run: read → skip what is stored → analyse (spread over cores) → store, one
transaction per article. A bad document is recorded with its reason and the run goes on."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, OperationalError

from ..document import Document, document_from_text
from ..errors import DocumentError
from ..store import models as m
from ..store.bands import best_matches
from ..store._engine import session_factory
from ..store.writer import Prepared, StoreWriter, error_row, prepare
from ..store.runs import finish_run, start_run
from . import IngestOptions, read_inputs
from ..parallel import AnalyzerLike, analyze_parallel
from .dedup import signature, to_bytes

__all__ = ["IngestReport", "run_ingest"]


@dataclass
class IngestReport:
    run_id: int
    seen: int = 0          # inputs read, bad ones included
    stored: int = 0        # new articles committed
    skipped: int = 0       # already stored (earlier run or earlier in this run)
    duplicates: int = 0    # stored, and linked to an original as a near-duplicate
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (doc_id, kind, reason)
    started: float = field(default_factory=time.perf_counter)
    elapsed: float = 0.0

    @property
    def done(self) -> int:
        return self.stored + self.skipped + len(self.errors)

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "seen": self.seen, "stored": self.stored, "skipped": self.skipped,
                "duplicates": self.duplicates, "errors": [
                    {"doc_id": d, "kind": k, "reason": r} for d, k, r in self.errors],
                "elapsed_s": round(self.elapsed, 3)}


ProgressCallback = Callable[[IngestReport], None]


def run_ingest(engine: Engine, inputs: Iterable[str | Path], *, analyzer: AnalyzerLike,
               options: IngestOptions | None = None, workers: int = 1,
               on_progress: ProgressCallback | None = None, limit: int | None = None) -> IngestReport:
    options = options or IngestOptions()
    Session = session_factory(engine)
    inputs = [str(i) for i in inputs]
    report = IngestReport(start_run(Session, inputs))
    writer = StoreWriter()
    pending: dict[str, Prepared] = {}
    in_run: set[str] = set()
    reader = Session()

    def tick() -> None:
        report.elapsed = time.perf_counter() - report.started
        if on_progress is not None:
            on_progress(report)

    def documents() -> Iterator[Document | DocumentError]:
        for item in read_inputs(inputs, options):
            if limit is not None and report.seen >= limit:
                return
            report.seen += 1
            if isinstance(item, DocumentError):
                yield item
                continue
            prep = prepare(item)
            if prep.identity in in_run or reader.scalar(
                    select(m.Article.id).where(m.Article.identity == prep.identity)) is not None:
                report.skipped += 1
                tick()
                continue
            in_run.add(prep.identity)
            try:
                doc = document_from_text(prep.identity, item.text, options.settings, published=prep.published)
            except DocumentError as err:
                yield DocumentError(item.doc_id, err.reason, err.kind)
                continue
            pending[prep.identity] = prep
            yield doc
        reader.close()

    def record(err: DocumentError) -> None:
        report.errors.append((err.doc_id, err.kind, err.reason))
        with Session.begin() as s:
            s.add(error_row(err, report.run_id))

    status = "failed"
    try:
        for outcome in analyze_parallel(analyzer, documents(), workers=workers):
            prep = pending.pop(outcome.doc_id, None)
            if outcome.error is not None or outcome.result is None or prep is None:
                err = outcome.error or DocumentError(outcome.doc_id, "no result", "internal")
                record(DocumentError(prep.raw.doc_id, err.reason, err.kind) if prep else err)
                tick()
                continue
            sig = signature(prep.raw.text)
            match = None
            try:
                with Session.begin() as s:
                    # Earlier articles, this run's included, are committed with their bands.
                    [match] = best_matches(s, [(None, sig)])
                    writer.write(s, prep, outcome.result, run_id=report.run_id, minhash=to_bytes(sig),
                                 original=match)
            except IntegrityError:
                writer.reset()  # stored meanwhile by another writer: same as already stored
                report.skipped += 1
            except OperationalError:
                raise  # the database is gone or locked for good: stop, what is committed stays
            except Exception as err:  # noqa: BLE001 - one bad document never aborts the batch
                writer.reset()
                record(DocumentError(prep.raw.doc_id, f"store failed: {type(err).__name__}: {err}", "store"))
            else:
                report.stored += 1
                report.duplicates += match is not None
            tick()
        status = "done"
    finally:
        reader.close()
        report.elapsed = time.perf_counter() - report.started
        try:
            finish_run(Session, report.run_id, status, seen=report.seen, stored=report.stored,
                       skipped=report.skipped, duplicates=report.duplicates, errors=len(report.errors))
        except Exception:  # noqa: BLE001,S110 - never hide the original error behind this one
            if status == "done":
                raise
    return report
