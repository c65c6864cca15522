"""A worker process killed with SIGKILL in the middle of a partition loses nothing: Dask runs the
partition again elsewhere, and identities make the articles it had already committed no-ops."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from scalenews import write_articles
from sqlalchemy import func, select

from sourcetrace.scale import ClusterHandle, load_shards, scaled_ingest, sink_for
from sourcetrace.store import open_engine
from sourcetrace.store import models as m

N = 24


class Killer(threading.Thread):
    """Waits until a worker is running a partition and ``ready()`` says it is halfway, then kills
    that worker's process."""

    def __init__(self, cluster: ClusterHandle, ready: Callable[[], bool]) -> None:
        super().__init__(daemon=True)
        self.cluster, self.ready = cluster, ready
        self.pids = cluster.worker_pids()
        self.killed: tuple[int, list[str]] | None = None

    def run(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.killed is None:
            for addr, keys in self.cluster.client.processing().items():
                if keys and addr in self.pids:
                    while not self.ready() and time.monotonic() < deadline:
                        time.sleep(0.02)
                    os.kill(self.pids[addr], signal.SIGKILL)
                    self.killed = (self.pids[addr], [str(k) for k in keys])
                    return
            time.sleep(0.02)


def _count(url: str) -> int:
    engine = open_engine(url, migrate=False)
    try:
        with engine.connect() as c:
            return int(c.scalar(select(func.count()).select_from(m.Article)) or 0)
    finally:
        engine.dispose()


def _articles(url: str) -> tuple[list[str], int]:
    engine = open_engine(url, migrate=False)
    try:
        with engine.connect() as c:
            return (sorted(c.scalars(select(m.Article.source))),
                    int(c.scalar(select(func.count()).select_from(m.Attribution)) or 0))
    finally:
        engine.dispose()


@pytest.mark.parametrize("target", ["parquet", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_worker_killed_mid_partition_loses_nothing(tmp_path: Path, cluster: ClusterHandle, slow_factory: object,
                                                   target: str, request: pytest.FixtureRequest) -> None:
    folder = write_articles(tmp_path / "in", N)
    if target == "postgres":
        db = request.getfixturevalue("pg_url")
        sink = sink_for(db, None)
    else:
        db = f"sqlite:///{tmp_path}/loaded.db"
        sink = sink_for(None, f"parquet://{tmp_path}/shards")
    # 6 documents × 0.15 s per partition. Into PostgreSQL each worker commits as it goes: kill when
    # about two articles per worker are in; shards are written at the end of a partition: kill at 0.5 s.
    started = time.monotonic()
    ready = (lambda: _count(db) >= 4) if target == "postgres" else (lambda: time.monotonic() - started > 0.5)
    killer = Killer(cluster, ready)
    killer.start()
    report = scaled_ingest(cluster.client, [folder], sink=sink, factory=slow_factory, partition_size=6)
    killer.join()
    assert killer.killed is not None, "no worker was killed"
    assert killer.killed[0] not in cluster.worker_pids().values()      # that process is gone
    assert report.errors == []
    assert report.stored + report.skipped == N and report.seen == N    # retried work counts as skipped
    if target == "postgres":
        assert report.skipped >= 1     # the killed attempt had committed some; the retry skipped them
    if target == "parquet":
        assert load_shards(tmp_path / "shards", db).stored == N
    sources, attributions = _articles(db)
    assert sources == sorted(str(p) for p in folder.glob("*.txt"))      # every document once, none missing
    assert attributions == 2 * N

    deadline = time.monotonic() + 30                                     # the nanny brings a new worker
    while (workers := cluster.n_workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert workers == 2
