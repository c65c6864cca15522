"""Ingestion-run bookkeeping, shared by the local ingest and the Dask path.

A run that ends normally, fails or is interrupted (Ctrl-C) closes its row itself. One whose
process was killed outright cannot: the next run started on the same host finds it still
``running`` with a dead pid and marks it ``interrupted``. Runs of other hosts are left alone,
since a pid means nothing there.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from . import models as m
from ._resolve import settle_names

__all__ = ["close_abandoned_runs", "finish_run", "start_run"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def close_abandoned_runs(s: Session, host: str | None = None) -> list[int]:
    """Mark ``interrupted`` the runs of ``host`` (default: this one) still ``running`` whose
    process is gone; returns their ids."""
    host = host or socket.gethostname()
    closed = []
    for run in s.scalars(select(m.IngestionRun).where(m.IngestionRun.status == "running",
                                                      m.IngestionRun.host == host)):
        if run.pid is not None and run.pid != os.getpid() and not _alive(run.pid):
            run.status, run.finished_at = "interrupted", datetime.now(UTC)
            closed.append(run.id)
    return closed


def start_run(Session: sessionmaker[Session], inputs: list[str]) -> int:
    """A new run row in status ``running``, owned by this process; returns its id. Runs of this
    host whose process was killed are closed first."""
    with Session.begin() as s:
        close_abandoned_runs(s)
        run = m.IngestionRun(started_at=datetime.now(UTC), inputs=inputs, status="running", n_seen=0,
                             n_stored=0, n_skipped=0, n_duplicates=0, n_errors=0,
                             host=socket.gethostname(), pid=os.getpid())
        s.add(run)
        s.flush()
        return run.id


def finish_run(Session: sessionmaker[Session], run_id: int | None, status: str, *, seen: int, stored: int,
               skipped: int, duplicates: int, errors: int) -> None:
    """Close the run row with its final counts, and name the entity clusters its articles touched
    (``settle_names``), with those of runs killed before they could."""
    with Session.begin() as s:
        row = s.get(m.IngestionRun, run_id)
        if row is not None:
            row.finished_at = datetime.now(UTC)
            row.status = status
            row.n_seen, row.n_stored, row.n_skipped = seen, stored, skipped
            row.n_duplicates, row.n_errors = duplicates, errors
            unsettled = select(m.IngestionRun.id).where(
                or_(m.IngestionRun.id == run_id, m.IngestionRun.status == "interrupted"))
            settle_names(s, s.scalars(select(m.Mention.entity_id).distinct()
                                      .join(m.Article, m.Article.id == m.Mention.article_id)
                                      .where(m.Article.run_id.in_(unsettled))))
