"""Analysis spread over local cores: a process pool, each worker with its own Analyzer.

Documents go out in chunks and come back in input order; at most ``2 × workers`` chunks are in
flight, so memory stays flat on large inputs. With one worker everything runs in this process.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, Protocol

from ..analyzer import Outcome
from ..document import Document
from ..errors import DocumentError
from ..records import DocumentResult

__all__ = ["AnalyzerLike", "analyze_parallel"]


class AnalyzerLike(Protocol):
    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]: ...


_worker_analyzer: AnalyzerLike | None = None


def _init_worker(analyzer: AnalyzerLike, parent: int) -> None:
    global _worker_analyzer
    _worker_analyzer = analyzer
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


def analyze_parallel(analyzer: AnalyzerLike, items: Iterable[Document | DocumentError], *,
                     workers: int = 1, chunk_size: int = 8) -> Iterator[Outcome]:
    """Outcomes for ``items`` in input order; errors among the inputs pass straight through."""
    if workers <= 1:
        yield from analyzer.analyze_documents(items)
        return
    ctx = get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(analyzer, os.getpid())) as pool:
        # Each queue entry is either a finished error or a future for one chunk.
        queue: deque[Outcome | Future[Any]] = deque()
        chunk: list[Document] = []

        def drain(limit: int) -> Iterator[Outcome]:
            while sum(isinstance(q, Future) for q in queue) > limit or (queue and not isinstance(queue[0], Future)):
                head = queue.popleft()
                if isinstance(head, Future):
                    yield from _unpack(head.result())
                else:
                    yield head

        for item in items:
            if isinstance(item, DocumentError):
                if chunk:
                    queue.append(pool.submit(_analyze_chunk, chunk))
                    chunk = []
                queue.append(Outcome(item.doc_id, error=item))
            else:
                chunk.append(item)
                if len(chunk) >= chunk_size:
                    queue.append(pool.submit(_analyze_chunk, chunk))
                    chunk = []
            yield from drain(2 * workers)
        if chunk:
            queue.append(pool.submit(_analyze_chunk, chunk))
        yield from drain(0)
        while queue:
            head = queue.popleft()
            yield from (_unpack(head.result()) if isinstance(head, Future) else [head])
