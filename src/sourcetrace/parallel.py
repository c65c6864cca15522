"""Analysis spread over local cores: a process pool, each worker with its own Analyzer.

Documents go out in chunks and come back in input order; at most ``2 × workers`` chunks are in
flight, so memory stays flat on large inputs. With one worker everything runs in this process.
``ingest``, ``analyze --workers`` and ``eval polnear --workers`` share it; beyond one machine,
``sourcetrace.scale`` runs the same analysis on Dask.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, Protocol

from .analyzer import Outcome
from .document import Document
from .errors import DocumentError
from .records import DocumentResult

__all__ = ["AnalyzerLike", "PooledAnalyzer", "analyze_parallel", "worker_count"]


class AnalyzerLike(Protocol):
    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]: ...


_worker_analyzer: AnalyzerLike | None = None


def _init_worker(analyzer: AnalyzerLike, parent: int, threads: int) -> None:
    global _worker_analyzer
    _worker_analyzer = analyzer
    # PyTorch (the encoder taggers) would start a thread per core in every worker; a share of
    # the cores each is ~25% faster with two workers on two cores. Read when torch first loads,
    # which is later, in the worker, and only in encoder mode. An explicit setting wins.
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int, interval: float = 1.0) -> None:
    # A parent killed with SIGKILL cannot shut the pool down, and the workers' queues stay open
    # (they hold both ends): without this, they would wait for work forever.
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def _analyze_chunk(chunk: list[Document]) -> list[tuple[str, dict[str, Any] | None, tuple[str, str] | None]]:
    assert _worker_analyzer is not None
    out = []
    for outcome in _worker_analyzer.analyze_documents(chunk):
        if outcome.error is not None:
            out.append((outcome.doc_id, None, (outcome.error.reason, outcome.error.kind)))
        else:
            assert outcome.result is not None
            out.append((outcome.doc_id, outcome.result.to_dict(), None))
    return out


def _unpack(rows: list[tuple[str, dict[str, Any] | None, tuple[str, str] | None]]) -> Iterator[Outcome]:
    for doc_id, result, error in rows:
        if error is not None:
            yield Outcome(doc_id, error=DocumentError(doc_id, *error))
        else:
            assert result is not None
            yield Outcome(doc_id, result=DocumentResult.from_dict(result))


class _Pool:
    """A process pool that can be replaced when a worker dies (segfault, OOM kill)."""

    def __init__(self, analyzer: AnalyzerLike, workers: int) -> None:
        self._args = (analyzer, workers)
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        analyzer, workers = self._args
        threads = max(1, (os.cpu_count() or 1) // workers)
        return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                   initializer=_init_worker, initargs=(analyzer, os.getpid(), threads))

    def submit(self, chunk: list[Document]) -> Future[Any]:
        return self.executor.submit(_analyze_chunk, chunk)

    def renew(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


_Pending = tuple[list[Document], "Future[Any]"]


def analyze_parallel(analyzer: AnalyzerLike, items: Iterable[Document | DocumentError], *,
                     workers: int = 1, chunk_size: int = 8) -> Iterator[Outcome]:
    """Outcomes for ``items`` in input order; errors among the inputs pass straight through.

    If a worker process dies, the pool is replaced, the chunks in flight are submitted again and
    the chunk that was running is retried one document at a time: a document that kills a worker
    again becomes an ``internal`` error, and the batch goes on."""
    if workers <= 1:
        yield from analyzer.analyze_documents(items)
        return
    pool = _Pool(analyzer, workers)
    # Each queue entry is either a finished outcome (an input error) or a chunk in flight.
    queue: deque[Outcome | _Pending] = deque()

    def restart() -> None:
        pool.renew()
        for i, entry in enumerate(queue):  # chunks that did not finish died with the pool
            if not isinstance(entry, Outcome):
                done = entry[1].done() and not entry[1].cancelled() and entry[1].exception() is None
                if not done:
                    queue[i] = (entry[0], pool.submit(entry[0]))

    def resolve(chunk: list[Document], future: Future[Any]) -> Iterator[Outcome]:
        try:
            yield from _unpack(future.result())
            return
        except BrokenProcessPool:
            pass
        restart()
        for document in chunk:
            try:
                yield from _unpack(pool.submit([document]).result())
            except BrokenProcessPool:
                restart()
                yield Outcome(document.id, error=DocumentError(
                    document.id, "analysis process crashed on this document", "internal"))

    def in_flight() -> int:
        return sum(not isinstance(q, Outcome) for q in queue)

    def drain(limit: int) -> Iterator[Outcome]:
        while queue and (in_flight() > limit or isinstance(queue[0], Outcome)):
            head = queue.popleft()
            if isinstance(head, Outcome):
                yield head
            else:
                yield from resolve(*head)

    chunk: list[Document] = []
    try:
        for item in items:
            if isinstance(item, DocumentError):
                if chunk:
                    queue.append((chunk, pool.submit(chunk)))
                    chunk = []
                queue.append(Outcome(item.doc_id, error=item))
            else:
                chunk.append(item)
                if len(chunk) >= chunk_size:
                    queue.append((chunk, pool.submit(chunk)))
                    chunk = []
            yield from drain(2 * workers)
        if chunk:
            queue.append((chunk, pool.submit(chunk)))
        yield from drain(-1)
    finally:
        pool.close()


def worker_count(workers: int | None) -> int:
    """Processes to analyse with: ``None`` or 0 means one per local core."""
    return workers if workers else (os.cpu_count() or 1)


class PooledAnalyzer:
    """An analyzer whose ``analyze_documents`` spreads over ``workers`` processes, in input order
    (``analyze_parallel``); anything that takes an Analyzer for its documents takes it."""

    def __init__(self, analyzer: Any, workers: int) -> None:
        self.analyzer = analyzer
        self.workers = workers

    @property
    def settings(self) -> Any:
        return self.analyzer.settings

    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]:
        return analyze_parallel(self.analyzer, documents, workers=self.workers)
