"""Writes that stay correct with many writers at once: one transaction per article, idempotent
by identity, retried when another writer's concurrent insert of the same outlet or entity (or a
deadlock between two such inserts) aborts ours."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import DocumentError
from ..ingest._run import IngestReport
from ..ingest.dedup import from_bytes
from ..records import DocumentResult
from ..store import models as m
from ..store import runs
from ..store.bands import best_matches
from ..store.writer import Prepared, StoreWriter, error_row
from ..store.runs import start_run

__all__ = ["finish_run", "link_duplicates", "start_run", "store_article", "stored_identities"]

ATTEMPTS = 6                 # tries per article before its error is recorded
LINK_BATCH = 500             # articles per transaction in the duplicate-linking pass
_RETRYABLE_STATES = ("40001", "40P01")  # serialization failure, deadlock detected


def _retryable(err: OperationalError) -> bool:
    state = getattr(err.orig, "sqlstate", None)
    return state in _RETRYABLE_STATES or "deadlock" in str(err).lower() or "database is locked" in str(err)


def store_article(Session: sessionmaker[Session], writer: StoreWriter, prep: Prepared, result: DocumentResult, *,
                  run_id: int | None, minhash: bytes | None) -> bool:
    """Commit the article with all its records: True if stored now, False if already there."""
    for attempt in range(ATTEMPTS):
        try:
            with Session.begin() as s:
                if s.scalar(select(m.Article.id).where(m.Article.identity == prep.identity)) is not None:
                    return False
                writer.write(s, prep, result, run_id=run_id, minhash=minhash)
            return True
        except (IntegrityError, OperationalError) as err:
            writer.reset()  # cached outlet/entity ids may belong to the rolled-back transaction
            if isinstance(err, OperationalError) and not _retryable(err) or attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.02 * (attempt + 1) * (1 + random.random()))  # noqa: S311 - jitter only
    raise AssertionError("unreachable")


def stored_identities(Session: sessionmaker[Session], identities: Iterable[str]) -> set[str]:
    wanted = list(identities)
    found: set[str] = set()
    with Session() as s:
        for i in range(0, len(wanted), 500):
            found.update(s.scalars(select(m.Article.identity).where(m.Article.identity.in_(wanted[i:i + 500]))))
    return found


def record_errors(Session: sessionmaker[Session], errors: Iterable[DocumentError], run_id: int | None) -> None:
    rows = [error_row(err, run_id) for err in errors]
    if rows:
        with Session.begin() as s:
            s.add_all(rows)


def finish_run(Session: sessionmaker[Session], report: IngestReport, status: str) -> None:
    runs.finish_run(Session, report.run_id, status, seen=report.seen, stored=report.stored,
                    skipped=report.skipped, duplicates=report.duplicates, errors=len(report.errors))


def link_duplicates(engine: Engine, run_id: int) -> int:
    """Link the run's articles to their clusters' originals, in id order, as the local path does
    while it writes; returns how many were linked.

    Only the single driver runs this, after every partition is written: workers cannot see each
    other's articles while they write, so near-duplicates are found here, once. Candidates come
    from the stored band keys, ``LINK_BATCH`` articles at a time, so memory holds one batch and
    its candidates, whatever the size of the store or of the run."""
    Session = sessionmaker(engine, expire_on_commit=False)
    linked, after = 0, 0
    while True:
        with Session.begin() as s:
            batch = s.execute(select(m.Article.id, m.Article.minhash).where(
                m.Article.run_id == run_id, m.Article.minhash.is_not(None), m.Article.id > after)
                .order_by(m.Article.id).limit(LINK_BATCH)).all()
            if not batch:
                return linked
            probes = [(article_id, from_bytes(data)) for article_id, data in batch]
            for (article_id, _), match in zip(probes, best_matches(s, probes, run_id=run_id), strict=True):
                if match is not None:
                    article = s.get(m.Article, article_id)
                    assert article is not None
                    StoreWriter._link_duplicate(s, article, *match)  # noqa: SLF001 - the store's own rule
                    linked += 1
            after = batch[-1][0]
