"""Ingestion-run bookkeeping: a run whose process was killed outright is closed by the next one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime

from sqlalchemy import select

from sourcetrace.store import open_engine, session_factory
from sourcetrace.store import models as m
from sourcetrace.store.runs import start_run


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _running(host: str, pid: int) -> m.IngestionRun:
    return m.IngestionRun(started_at=datetime.now(UTC), inputs=["x"], status="running", n_seen=0, n_stored=0,
                          n_skipped=0, n_duplicates=0, n_errors=0, host=host, pid=pid)


def test_a_killed_run_is_marked_interrupted_by_the_next_one(corpus_url: str) -> None:
    engine = open_engine(corpus_url)
    Session = session_factory(engine)
    here = socket.gethostname()
    with Session.begin() as s:
        killed, alive, elsewhere = _running(here, _dead_pid()), _running(here, os.getppid()), \
            _running("another-host", _dead_pid())
        s.add_all([killed, alive, elsewhere])
    new = start_run(Session, ["feed.xml"])
    with Session() as s:
        status = dict(s.execute(select(m.IngestionRun.id, m.IngestionRun.status)).all())
        row = s.get(m.IngestionRun, new)
    assert status[killed.id] == "interrupted"
    assert status[alive.id] == "running" and status[elsewhere.id] == "running"  # alive, or not ours to judge
    assert status[new] == "running" and row is not None and (row.host, row.pid) == (here, os.getpid())
    engine.dispose()
