"""The task a worker runs: analyse one partition with the worker's analyzer, then hand it to the sink."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..document import Document
from ..errors import DocumentError
from ..ingest.dedup import signature, to_bytes
from ..store.writer import Prepared
from ._plugin import AnalyzerFactory, worker_analyzer
from ._rows import Row, error_row
from ._sinks import Analysed, Consumed, Sink

__all__ = ["Partition", "PartitionResult", "run_partition"]


@dataclass(frozen=True, slots=True)
class Partition:
    """Articles to analyse (identity decided) and inputs that already failed (as error rows)."""

    key: str
    articles: list[Prepared]
    errors: list[Row] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.articles) + len(self.errors)


@dataclass
class PartitionResult:
    key: str
    size: int
    consumed: Consumed
    pid: int
    seconds: float


def run_partition(part: Partition, sink: Sink, factory: AnalyzerFactory, run_id: int | None) -> PartitionResult:
    started = time.perf_counter()
    analyzer = worker_analyzer(factory)
    by_id = {p.identity: p for p in part.articles}
    errors = list(part.errors)

    def analysed() -> Iterator[Analysed]:
        # Lazily: a database sink commits each article as soon as it is analysed.
        docs = [Document(p.identity, p.raw.text, {"published": p.published}) for p in part.articles]
        for outcome in analyzer.analyze_documents(docs):
            prep = by_id[outcome.doc_id]
            if outcome.error is not None or outcome.result is None:
                err = outcome.error or DocumentError(outcome.doc_id, "no result", "internal")
                errors.append(error_row(DocumentError(prep.raw.doc_id, err.reason, err.kind)))
            else:
                yield prep, outcome.result, to_bytes(signature(prep.raw.text))

    consumed = sink.consume(part.key, analysed(), errors, run_id=run_id)
    return PartitionResult(part.key, len(part), consumed, os.getpid(), time.perf_counter() - started)

