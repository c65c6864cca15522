from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from sourcetrace.store import StoreError, normalize_url, open_engine
from sourcetrace.store.models import Base


@pytest.mark.parametrize(("given", "expected"), [
    ("sqlite:///x.db", "sqlite:///x.db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("data/corpus.db", "sqlite:///data/corpus.db"),
])
def test_normalize_url(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


def test_default_url_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCETRACE_DB", raising=False)
    assert normalize_url(None) == "sqlite:///sourcetrace.db"
    monkeypatch.setenv("SOURCETRACE_DB", "postgresql://me@db/news")
    assert normalize_url(None) == "postgresql+psycopg://me@db/news"


def test_unsupported_scheme_is_a_coded_error() -> None:
    with pytest.raises(StoreError, match="ST200"):
        normalize_url("mysql://u@h/db")


def test_migrations_create_every_table_and_reopen_is_a_no_op(corpus_url: str) -> None:
    engine = open_engine(corpus_url)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    open_engine(corpus_url).dispose()  # second open: already at head
    engine.dispose()


def test_models_match_migrations(corpus_url: str) -> None:
    engine = open_engine(corpus_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    # FTS objects (SQLite virtual tables, PostgreSQL tsvector columns) live only in the migration.
    relevant = [d for d in diff if not _is_fts(d)]
    assert relevant == []


def _is_fts(item: object) -> bool:
    text = repr(item)
    return "_fts" in text or "tsv" in text
