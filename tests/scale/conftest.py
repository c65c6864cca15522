"""Scale fixtures: one real LocalCluster (2 worker processes, 1 thread each, no dashboard) per
session, the store tests' RuleAnalyzer shipped to the workers by value, and a throwaway
PostgreSQL server when its binaries are installed."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))

import cloudpickle  # noqa: E402
import fakes  # noqa: E402

from sourcetrace.scale import ClusterHandle, open_cluster  # noqa: E402

# Workers cannot import tests/store/fakes.py: send its classes with the tasks instead.
cloudpickle.register_pickle_by_value(fakes)


@pytest.fixture(scope="session")
def cluster() -> Iterator[ClusterHandle]:
    with open_cluster("local:2", dashboard=False) as handle:
        yield handle


@pytest.fixture
def rule_factory() -> type:
    return fakes.RuleAnalyzer


@pytest.fixture
def slow_factory() -> object:
    import functools

    return functools.partial(fakes.SlowRuleAnalyzer, 0.15)
