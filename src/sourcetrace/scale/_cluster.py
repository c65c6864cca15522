"""Which cluster: ``local`` / ``local:N`` starts a ``LocalCluster`` of N worker processes (one
thread each); ``tcp://host:8786`` (or ``tls://…``) joins a running scheduler."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import SourcetraceError

__all__ = ["ClusterHandle", "ScaleError", "open_cluster", "parse_cluster"]

DASHBOARD_ADDRESS = ":8787"       # LocalCluster's dashboard; ":0" picks a free port
_SCHEMES = ("tcp://", "tls://", "ucx://", "inproc://")
# Dask settings for the workers of a LocalCluster we start. The defaults wake each worker's event
# loop every 10-100 ms (statistical profiler, loop-blocking tick, memory monitor), and each wake
# takes the GIL from the analysing thread: ~10 % more CPU per article in bench/scale.py. The
# profiler only feeds the dashboard, so it stays on when there is one.
WORKER_CONFIG = {
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
}
QUIET_PROFILER = {"distributed.worker.profile.enabled": False}


class ScaleError(SourcetraceError):
    """A cluster that cannot be started or reached, or an output that cannot be used."""

    code = "ST300"


@dataclass(frozen=True, slots=True)
class ClusterSpec:
    """``address`` of a running scheduler, or ``n_workers`` local processes to start."""

    address: str | None = None
    n_workers: int | None = None


def parse_cluster(spec: str) -> ClusterSpec:
    """``local`` (one worker per core), ``local:N`` or a scheduler address."""
    spec = spec.strip()
    if spec.startswith(_SCHEMES):
        return ClusterSpec(address=spec)
    name, _, count = spec.partition(":")
    if name != "local":
        raise ScaleError(f"{ScaleError.code} unknown cluster {spec!r}: use local, local:N or tcp://host:port")
    if not count:
        return ClusterSpec(n_workers=os.cpu_count() or 1)
    if not count.isdigit() or int(count) < 1:
        raise ScaleError(f"{ScaleError.code} bad worker count in {spec!r}: local:N needs N ≥ 1")
    return ClusterSpec(n_workers=int(count))


def dashboard_available() -> bool:
    """The Dask dashboard needs bokeh, which is optional."""
    return importlib.util.find_spec("bokeh") is not None


@dataclass
class ClusterHandle:
    client: Any                     # distributed.Client
    cluster: Any | None             # the LocalCluster we started, None when joining one
    dashboard: str | None           # link, or None when there is no dashboard
    dashboard_note: str             # the link, or why there is none

    @property
    def n_workers(self) -> int:
        # Asked of the scheduler each time: the client's cached scheduler_info can lag a worker
        # the nanny has just restarted (a test once read 2 workers, then 0, a moment apart).
        return len(self.client.nthreads())

    def worker_pids(self) -> dict[str, int]:
        return dict(self.client.run(os.getpid))


@contextmanager
def open_cluster(spec: str, *, dashboard: bool = True, timeout: float = 60.0,
                 **cluster_kwargs: Any) -> Iterator[ClusterHandle]:
    """A connected client (and the LocalCluster it started, closed on exit)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise ScaleError(f"{ScaleError.code} Dask is not installed: pip install -e '.[dask]' ({err})") from None
    parsed = parse_cluster(spec)
    cluster = None
    try:
        if parsed.address is not None:
            client = Client(parsed.address, timeout=timeout)
        else:
            import dask

            has_board = dashboard and dashboard_available()
            cluster_kwargs.setdefault("dashboard_address", DASHBOARD_ADDRESS if has_board else None)
            if cluster_kwargs["dashboard_address"] is None:  # the scheduler's HTTP routes still bind: not 8787
                extra = cluster_kwargs.get("scheduler_kwargs", {})
                cluster_kwargs["scheduler_kwargs"] = {"dashboard_address": ":0", **extra}
            settings = WORKER_CONFIG if has_board else {**WORKER_CONFIG, **QUIET_PROFILER}
            with dask.config.set(settings):  # nannies copy the configuration when created
                cluster = LocalCluster(n_workers=parsed.n_workers, threads_per_worker=1, processes=True,
                                       **cluster_kwargs)
            client = Client(cluster, timeout=timeout)
    except ScaleError:
        raise
    except Exception as err:  # noqa: BLE001 - no scheduler there, ports taken, …
        if cluster is not None:
            cluster.close()
        raise ScaleError(f"{ScaleError.code} cannot start or reach cluster {spec!r}: {err}") from err
    if cluster is not None:
        has_board = cluster_kwargs["dashboard_address"] is not None and dashboard_available()
        why = "bokeh is not installed" if dashboard and not dashboard_available() else "turned off"
    else:  # a running scheduler: its dashboard works if bokeh is installed there
        has_board = bool(client.run_on_scheduler(dashboard_available))
        why = "bokeh is not installed on the scheduler"
    if has_board:
        link, note = client.dashboard_link, f"dashboard: {client.dashboard_link}"
    else:
        link, note = None, f"dashboard: unavailable ({why})"
    try:
        yield ClusterHandle(client, cluster, link, note)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
