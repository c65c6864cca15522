"""The driver's near-duplicate pass finds candidates through the stored band keys, one batch at
a time: the same links as an in-memory LSH index of every signature, without holding one.
Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from dupes import count_deserialised, relay, story, write_stories
from sqlalchemy import select

from sourcetrace.ingest.dedup import DuplicateIndex, band_keys, signature
from sourcetrace.scale import _store, link_duplicates
from sourcetrace.store import models as m
from sourcetrace.store import open_engine, session_factory
from sourcetrace.store.runs import start_run


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/corpus.db"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def deserialised(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    return count_deserialised(monkeypatch)


def test_link_pass_gives_the_in_memory_links_and_reads_only_candidates(
        db_url: str, monkeypatch: pytest.MonkeyPatch, deserialised: list[int]) -> None:
    monkeypatch.setattr(_store, "LINK_BATCH", 7)   # several batches, copies across batch borders
    earlier = [story(i) for i in range(300)]
    run = ([relay(story(i), 1) for i in range(0, 30, 3)] + [story(1000 + i) for i in range(8)]
           + [relay(story(1000 + i), 2) for i in range(0, 8, 2)] + [relay(story(3), 3)])
    run.insert(0, relay(story(1007), 4))   # a copy stored before its run original: it links to nothing
    engine = open_engine(db_url)
    Session = session_factory(engine)
    with Session.begin() as s:
        earlier_ids = write_stories(s, earlier)
    run_id = start_run(Session, ["synthetic"])
    with Session.begin() as s:
        run_ids = write_stories(s, run, run_id=run_id)

    # What the in-memory index of every signature gave, adding the run's articles in id order.
    index, root, expected = DuplicateIndex(), {}, {}
    for article_id, text in zip(earlier_ids, earlier, strict=True):
        index.add(article_id, signature(text))
    for article_id, text in zip(run_ids, run, strict=True):
        match = index.best_match(signature(text))
        if match is not None:
            root[article_id] = root.get(match[0], match[0])
            expected[article_id] = (root[article_id], match[1])
        index.add(article_id, signature(text))

    deserialised.clear()
    assert link_duplicates(engine, run_id) == len(expected) == 16   # its original links to it instead
    with Session() as s:
        got = {a.id: (a.original_id, a.dup_similarity) for a in s.scalars(
            select(m.Article).where(m.Article.run_id == run_id, m.Article.original_id.is_not(None)))}
    engine.dispose()
    assert got == expected
    # The run's signatures and those sharing a band with one (its copies, either way), never the 300.
    keys = {i: set(band_keys(signature(t).hashvalues)) for i, t in zip(earlier_ids + run_ids, earlier + run)}
    candidates = sum(1 for r in run_ids for other in keys if other != r and keys[r] & keys[other])
    assert len(deserialised) <= len(run) + candidates < 100
