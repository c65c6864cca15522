"""Ingest fixtures: the fixture files, the hand-built RuleAnalyzer shared with tests/store, and a
local HTTP server on 127.0.0.1 (reachable only with ``allow_private``)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))

from fakes import RuleAnalyzer  # noqa: E402
from localsite import LocalSite  # noqa: E402

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


@pytest.fixture
def site() -> Iterator[LocalSite]:
    s = LocalSite()
    yield s
    s.close()


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def analyzer() -> RuleAnalyzer:
    return RuleAnalyzer()
