"""Ingestion-run bookkeeping, shared by the local ingest and the Dask path."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from . import models as m

__all__ = ["finish_run", "start_run"]


def start_run(Session: sessionmaker[Session], inputs: list[str]) -> int:
    """A new run row in status ``running``; returns its id."""
    with Session.begin() as s:
        run = m.IngestionRun(started_at=datetime.now(UTC), inputs=inputs, status="running", n_seen=0,
                             n_stored=0, n_skipped=0, n_duplicates=0, n_errors=0)
        s.add(run)
        s.flush()
        return run.id


def finish_run(Session: sessionmaker[Session], run_id: int | None, status: str, *, seen: int, stored: int,
               skipped: int, duplicates: int, errors: int) -> None:
    """Close the run row with its final counts."""
    with Session.begin() as s:
        row = s.get(m.IngestionRun, run_id)
        if row is not None:
            row.finished_at = datetime.now(UTC)
            row.status = status
            row.n_seen, row.n_stored, row.n_skipped = seen, stored, skipped
            row.n_duplicates, row.n_errors = duplicates, errors
