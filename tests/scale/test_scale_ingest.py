"""Scaled ingest on a real LocalCluster (2 processes): the same store as the local path, Parquet
shards that load idempotently, many PostgreSQL writers, and errors that pass through."""

from __future__ import annotations

from pathlib import Path

import pytest
from scalenews import write_articles
from sqlalchemy import func, select

import sourcetrace.scale as scale
from sourcetrace.corpus import Corpus
from sourcetrace.scale import ScaleError, load_shards, parse_cluster, scaled_ingest, sink_for
from sourcetrace.scale._cluster import ClusterSpec
from sourcetrace.store import open_engine
from sourcetrace.store import models as m


def _store(url: str) -> dict[str, object]:
    engine = open_engine(url, migrate=False)
    try:
        with engine.connect() as c:
            identities = list(c.scalars(select(m.Article.identity)))
            return {
                "articles": len(identities), "distinct": len(set(identities)),
                "sources": sorted(c.scalars(select(m.Article.source))),
                "attributions": sorted(c.execute(select(m.Article.source, m.Attribution.content_text)
                                                 .join(m.Attribution.article)).all()),
                "entities": c.scalar(select(func.count()).select_from(m.Entity)),
                "errors": sorted(c.execute(select(m.DocumentErrorRow.doc_id, m.DocumentErrorRow.kind)).all()),
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize(("spec", "expected"), [
    ("local:3", ClusterSpec(n_workers=3)),
    ("local:1", ClusterSpec(n_workers=1)),
    ("tcp://10.0.0.5:8786", ClusterSpec(address="tcp://10.0.0.5:8786")),
    ("tls://sched:8786", ClusterSpec(address="tls://sched:8786")),
])
def test_cluster_specs(spec: str, expected: ClusterSpec) -> None:
    assert parse_cluster(spec) == expected


def test_local_means_one_worker_per_core() -> None:
    assert (parse_cluster("local").n_workers or 0) >= 1


@pytest.mark.parametrize("spec", ["local:0", "local:x", "yarn", "local:-1"])
def test_bad_cluster_specs_are_explained(spec: str) -> None:
    with pytest.raises(ScaleError, match="ST300"):
        parse_cluster(spec)


def test_sink_choice(tmp_path: Path) -> None:
    assert isinstance(sink_for(None, f"parquet://{tmp_path}/shards"), scale.ParquetSink)
    assert isinstance(sink_for("postgresql://u@h/db", None), scale.DatabaseSink)
    assert isinstance(sink_for(f"sqlite:///{tmp_path}/a.db", None), scale.DriverSink)
    with pytest.raises(ScaleError):
        sink_for(None, "parquet://")


def test_public_surface() -> None:
    assert sorted(scale.__all__) == sorted(
        ["AnalyzerPlugin", "ClusterHandle", "DatabaseSink", "DriverSink", "ParquetSink", "ScaleError", "Sink",
         "link_duplicates", "load_shards", "open_cluster", "parse_cluster", "scaled_ingest", "sink_for"])


def test_sqlite_store_equals_the_local_path(tmp_path: Path, cluster: scale.ClusterHandle,
                                            rule_factory: type) -> None:
    folder = write_articles(tmp_path / "in", 12)
    (folder / "empty.txt").write_text("   ")
    (folder / "boom.txt").write_text('"The dam will EXPLODE at noon," said Inspector Vale of the board.')
    local = f"sqlite:///{tmp_path}/local.db"
    with Corpus(local) as corpus:
        corpus.ingest([folder], analyzer=rule_factory(), workers=1)
    dask = f"sqlite:///{tmp_path}/dask.db"
    report = scaled_ingest(cluster.client, [folder], sink=sink_for(dask, None), factory=rule_factory,
                           partition_size=4)
    assert (report.stored, report.skipped) == (12, 0)
    assert sorted(kind for _, kind, _ in report.errors) == ["empty", "internal"]
    a, b = _store(local), _store(dask)
    assert b["articles"] == b["distinct"] == 12
    assert {k: v for k, v in a.items()} == {k: v for k, v in b.items()}

    again = scaled_ingest(cluster.client, [folder], sink=sink_for(dask, None), factory=rule_factory)
    assert (again.stored, again.skipped) == (0, 12)
    assert _store(dask)["articles"] == 12


def test_parquet_shards_then_load_is_idempotent(tmp_path: Path, cluster: scale.ClusterHandle,
                                                rule_factory: type) -> None:
    folder = write_articles(tmp_path / "in", 10)
    (folder / "boom.txt").write_text('"The dam will EXPLODE at noon," said Inspector Vale of the board.')
    out = f"parquet://{tmp_path}/shards"
    progress: list[int] = []
    report = scaled_ingest(cluster.client, [folder], sink=sink_for(None, out), factory=rule_factory,
                           partition_size=3, on_progress=lambda r: progress.append(r.done))
    assert report.stored == 10 and len(report.errors) == 1
    assert progress and progress[-1] == 11 and progress == sorted(progress)
    shards = sorted((tmp_path / "shards").glob("part-*.parquet"))
    assert len(shards) == 4 and not list((tmp_path / "shards").glob(".*tmp"))

    # A re-run skips what the shards already hold; new input lands in new shards only.
    write_articles(folder, 2, start=10)
    again = scaled_ingest(cluster.client, [folder], sink=sink_for(None, out), factory=rule_factory,
                          partition_size=3)
    assert (again.stored, again.skipped) == (2, 10)

    db = f"sqlite:///{tmp_path}/loaded.db"
    first = load_shards(tmp_path / "shards", db)
    assert (first.stored, first.skipped) == (12, 0)
    assert [e[0] for e in first.errors].count(str(folder / "boom.txt")) == 2   # recorded by both runs
    second = load_shards(f"parquet://{tmp_path}/shards", db)
    assert (second.stored, second.skipped) == (0, 12)
    state = _store(db)
    assert state["articles"] == state["distinct"] == 12
    assert len(state["attributions"]) == 24     # a quote and an "according to" per story


def test_load_of_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ScaleError, match="no such directory"):
        load_shards(tmp_path / "nope", f"sqlite:///{tmp_path}/x.db")


@pytest.mark.postgres
def test_postgres_many_writers_store_each_article_once(tmp_path: Path, cluster: scale.ClusterHandle,
                                                       rule_factory: type, pg_url: str) -> None:
    folder = write_articles(tmp_path / "in", 16)
    # the same speaker in every story: both workers race to create one entity and one outlet
    for i in range(4):
        (folder / f"same{i}.txt").write_text(
            f'"Berth {i} stays shut," said Harbour Master Ostrand. Nordwire reported {i} ships waiting.')
    sink = sink_for(pg_url, None)
    assert isinstance(sink, scale.DatabaseSink)
    report = scaled_ingest(cluster.client, [folder], sink=sink, factory=rule_factory, partition_size=2)
    assert (report.stored, report.skipped, report.errors) == (20, 0, [])
    state = _store(pg_url)
    assert state["articles"] == state["distinct"] == 20
    again = scaled_ingest(cluster.client, [folder], sink=sink, factory=rule_factory)
    assert (again.stored, again.skipped) == (0, 20)
