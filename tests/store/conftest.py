"""Store fixtures: every ``corpus_url`` test runs on SQLite and on a real PostgreSQL server
(started once per session in a temporary directory; skipped with the reason where impossible)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fakes import RuleAnalyzer
from pgserver import PgServer


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def corpus_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/corpus.db"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def analyzer() -> RuleAnalyzer:
    return RuleAnalyzer()
