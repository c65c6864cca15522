"""Scale-out on Dask: the ingest pipeline spread over the worker processes of a cluster.

The driver (the process running ``sourcetrace ingest --cluster …``) reads the inputs, decides
each article's identity, leaves out what is already stored and cuts the rest into partitions.
Each worker process loads the analyzer once (``AnalyzerPlugin``), analyses whole partitions and
hands the results to a sink:

- ``DatabaseSink`` (PostgreSQL): every worker writes, one transaction per article, idempotent by
  the article identity (sha256 of canonical URL + content hash);
- ``ParquetSink`` (``parquet://DIR``): every partition becomes one shard named after its
  contents, written atomically, so a retried partition rewrites the same file;
  ``load_shards`` (``sourcetrace load DIR``) brings shards into a store, idempotent too;
- ``DriverSink`` (SQLite): results come back and the driver is the single writer.

A worker killed mid-partition loses nothing: Dask reschedules the partition on another worker,
and identities make a second write of an article a no-op. Near-duplicate linking needs every
earlier article, so it runs once in the driver after the writes (``link_duplicates``).
"""

from __future__ import annotations

from ._cluster import ClusterHandle, ScaleError, open_cluster, parse_cluster
from ._load import load_shards
from ._plugin import AnalyzerPlugin
from ._run import scaled_ingest
from ._sinks import DatabaseSink, DriverSink, ParquetSink, Sink, sink_for
from ._store import link_duplicates

__all__ = [
    "AnalyzerPlugin",
    "ClusterHandle",
    "DatabaseSink",
    "DriverSink",
    "ParquetSink",
    "ScaleError",
    "Sink",
    "link_duplicates",
    "load_shards",
    "open_cluster",
    "parse_cluster",
    "scaled_ingest",
    "sink_for",
]
