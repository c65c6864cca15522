"""Shared fixtures. PolNeAR data lives outside the repository and is never committed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pgserver import PgServer, why_unavailable

REPO_ROOT = Path(__file__).resolve().parent.parent
POLNEAR_DIR = REPO_ROOT.parent / "shared" / "data" / "polnear"


@pytest.fixture(scope="session")
def polnear_dir() -> Path:
    """``../shared/data/polnear`` (holding ``dev/`` and ``train/``); skips the test where absent."""
    if not POLNEAR_DIR.is_dir():
        pytest.skip(f"PolNeAR data not found at {POLNEAR_DIR}")
    return POLNEAR_DIR


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throwaway PostgreSQL server for the session (Debian's binaries, loopback, temp dir);
    skips with the reason where none can be started."""
    reason = why_unavailable()
    if reason:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    server = PgServer()
    try:
        server.start()
    except Exception as err:  # noqa: BLE001
        server.stop()
        pytest.skip(f"PostgreSQL tests skipped: cannot start a server: {err}")
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh database on the session's server, dropped after the test."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)
