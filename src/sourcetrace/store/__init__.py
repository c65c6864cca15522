"""The corpus memory: SQLAlchemy models, migrations applied on open, writers and queries.

SQLite (``sqlite:///PATH``, the default) and PostgreSQL (``postgresql://…`` via psycopg 3) are
both first-class; full-text search is FTS5 on SQLite and ``tsvector`` on PostgreSQL.

Public modules beside this one: ``writer`` (``prepare`` an article, ``StoreWriter.write`` it in
one transaction: what the local ingest and the Dask workers share), ``bands`` (near-duplicate
look-ups through stored LSH bands), ``runs`` (ingestion-run bookkeeping), ``claims`` and
``models`` (the tables).
"""

from __future__ import annotations

from ._engine import DEFAULT_DB, StoreError, normalize_url, open_engine, session_factory, sqlite_file
from ._query import OutletReport, SearchHit, SourceCount, Statement
from . import claims as _claims  # noqa: F401, E402 - registers the claim tables on the shared Base

__all__ = [
    "DEFAULT_DB",
    "OutletReport",
    "SearchHit",
    "SourceCount",
    "Statement",
    "StoreError",
    "normalize_url",
    "open_engine",
    "session_factory",
    "sqlite_file",
]
