"""The corpus: the one object the CLI, the HTTP API and the tests construct to ingest and ask.

    corpus = Corpus("sqlite:///news.db")            # or postgresql://…, or None for the default
    corpus.ingest(["feeds/", "archive.warc.gz"])
    corpus.speaker("Korotchenko")                    # every statement, with outlet and date
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .ingest import IngestOptions
from .ingest._fetch import FetchPolicy
from .ingest._run import IngestReport, ProgressCallback, run_ingest
from .ingest.metadata import MetadataTable
from .parallel import AnalyzerLike
from .settings import DEFAULTS, Settings
from .store import OutletReport, SearchHit, Statement, _query, _resolve, normalize_url, open_engine, session_factory
from .store import models as m

__all__ = ["Corpus", "IngestReport"]


class Corpus:
    """A corpus memory at ``db_url`` (default ``$SOURCETRACE_DB`` or ``./sourcetrace.db``),
    migrated to the current schema when opened."""

    def __init__(self, db_url: str | None = None, *, settings: Settings = DEFAULTS) -> None:
        self.url = normalize_url(db_url)
        self.settings = settings
        self.engine = open_engine(self.url)
        self.sessions = session_factory(self.engine)  # public: linking and exports query through it

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------

    def ingest(self, inputs: Iterable[str | Path], *, analyzer: AnalyzerLike | None = None,
               workers: int | None = None, allow_private: bool = False, follow_links: bool = True,
               fetch: FetchPolicy | None = None, on_progress: ProgressCallback | None = None,
               limit: int | None = None, metadata: MetadataTable | None = None) -> IngestReport:
        """Read, analyse and store ``inputs`` (files, directories, feed or page URLs).

        Idempotent and resumable: stored articles are skipped; each article commits on its own.
        ``workers`` defaults to the number of local cores. ``metadata`` gives text files their
        title, outlet, date, … by file stem (``ingest.read_metadata_table("metadata.tsv")``)."""
        if analyzer is None:
            from .analyzer import Analyzer

            analyzer = Analyzer(self.settings)
        policy = fetch or FetchPolicy(allow_private=allow_private)
        if allow_private and not policy.allow_private:
            policy = FetchPolicy(allow_private=True, timeout=policy.timeout, max_bytes=policy.max_bytes,
                                 max_redirects=policy.max_redirects, user_agent=policy.user_agent)
        options = IngestOptions(settings=self.settings, fetch=policy, follow_links=follow_links,
                                metadata=metadata or {})
        return run_ingest(self.engine, inputs, analyzer=analyzer, options=options,
                          workers=workers if workers is not None else (os.cpu_count() or 1),
                          on_progress=on_progress, limit=limit)

    # -- asking ----------------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Articles matching ``query`` (FTS5 / tsvector), best first, wire copies folded."""
        with self.sessions() as s:
            return _query.search_articles(s, query, limit=limit)

    def speaker(self, name: str, *, limit: int = 200) -> list[Statement]:
        """All statements attributed to ``name`` (its resolved entity and sources written so)."""
        with self.sessions() as s:
            return _query.speaker_statements(s, name, limit=limit)

    def outlet(self, name: str) -> list[OutletReport]:
        """For each outlet matching ``name``: whom it quotes and cites, how often anonymously."""
        with self.sessions() as s:
            return [_query.outlet_report(s, o) for o in _query.find_outlets(s, name)]

    def who_said(self, query: str, *, limit: int = 50) -> list[Statement]:
        """Attributions whose content matches ``query``, best first."""
        with self.sessions() as s:
            return _query.who_said(s, query, limit=limit)

    # -- entities --------------------------------------------------------------------------------

    def entity(self, name: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """The entity clusters holding ``name``: one row per name in each (the cluster's own name
        first), with its label, mentions and statements. ``merges`` says why they were joined."""
        with self.sessions() as s:
            return _query.entity_clusters(s, name, limit=limit)

    def merges(self, name: str | None = None) -> list[dict[str, Any]]:
        """Why entities were joined (optionally only merges involving ``name``), undone ones included."""
        with self.sessions() as s:
            return _query.entity_merges(s, name)

    def unmerge(self, merge_id: int) -> None:
        """Reverse one merge; mentions and attributions were never rewritten, so nothing is lost."""
        with self.sessions.begin() as s:
            _resolve.unmerge(s, merge_id)

    def merge(self, name: str, into: str, *, reason: str = "merged by hand", label: str | None = None) -> int:
        """Join the entity called ``name`` (its whole cluster) into the one called ``into``, for
        ``reason``; returns the merge's id (``unmerge`` takes it). ``label`` picks among entities
        of one name under several labels; without it, the name must have one."""
        with self.sessions.begin() as s:
            a, b = (_query.entity_id_named(s, n, label) for n in (name, into))
            return _resolve.merge(s, a, b, reason)

    def stats(self) -> dict[str, int]:
        from sqlalchemy import func

        with self.sessions() as s:
            return {table.__tablename__: int(s.scalar(select(func.count()).select_from(table)) or 0)
                    for table in (m.Article, m.Attribution, m.Entity, m.Mention, m.Quantity, m.DateMention, m.Outlet,
                                  m.IngestionRun, m.DocumentErrorRow)}
