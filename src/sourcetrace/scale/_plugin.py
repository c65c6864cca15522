"""One analyzer per worker process, loaded when the worker starts (and again by a worker that
replaces a dead one): the spaCy model and the CRF taggers are read once, not per partition."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from distributed import WorkerPlugin, get_worker

from ..parallel import AnalyzerLike
from ..settings import DEFAULTS, Settings

__all__ = ["PLUGIN_NAME", "AnalyzerPlugin", "default_factory", "worker_analyzer"]

PLUGIN_NAME = "sourcetrace-analyzer"
AnalyzerFactory = Callable[[], AnalyzerLike]

_process_analyzer: list[AnalyzerLike] = []  # at most one: the fallback of worker_analyzer


def _make_analyzer(settings: Settings) -> AnalyzerLike:
    from ..analyzer import Analyzer

    return Analyzer(settings)


def default_factory(settings: Settings = DEFAULTS) -> AnalyzerFactory:
    """The real ``Analyzer`` with ``settings`` (picklable: a partial of a module-level function)."""
    return functools.partial(_make_analyzer, settings)


def _warm(analyzer: AnalyzerLike) -> AnalyzerLike:
    getattr(analyzer, "nlp", None)  # Analyzer loads its pipeline lazily: load it now
    return analyzer


class AnalyzerPlugin(WorkerPlugin):
    """Builds the worker's analyzer with ``factory`` in ``setup``; tasks take it from
    ``worker_analyzer()``."""

    name = PLUGIN_NAME

    def __init__(self, factory: AnalyzerFactory) -> None:
        self.factory = factory
        self.analyzer: AnalyzerLike | None = None

    def setup(self, worker: Any) -> None:
        self.analyzer = _warm(self.factory())

    def teardown(self, worker: Any) -> None:
        self.analyzer = None


def worker_analyzer(factory: AnalyzerFactory) -> AnalyzerLike:
    """The analyzer of the worker running this task; without the plugin (a task run outside a
    worker, or on a worker that joined oddly) one is built with ``factory`` once per process."""
    try:
        plugin = get_worker().plugins.get(PLUGIN_NAME)
    except ValueError:  # not inside a worker
        plugin = None
    if isinstance(plugin, AnalyzerPlugin) and plugin.analyzer is not None:
        return plugin.analyzer
    if not _process_analyzer:
        _process_analyzer.append(_warm(factory()))
    return _process_analyzer[0]
