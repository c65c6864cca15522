"""Stored LSH band keys: written with each article, backfilled by migration 0200, and the only
way stored signatures are found, so a run never holds every signature in memory. Runs on
SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from dupes import count_deserialised, relay, story, write_stories
from sqlalchemy import delete, func, insert, inspect, select
from sqlalchemy.orm import Session

from sourcetrace.corpus import Corpus
from sourcetrace.ingest import dedup
from sourcetrace.store import models as m
from sourcetrace.store import open_engine
from sourcetrace.store.bands import band_rows, best_matches
from sourcetrace.store._engine import _alembic_config, upgrade

BAKERY = ("A bakery in the old town won a prize for its rye bread, the baker said, and queues formed "
          "outside the shop early on Saturday morning for the first loaves of the season.")
WIRE = ('"The harbor will stay closed for the whole of the winter season this year," said Ilse Varga '
        "on Monday, after storms damaged the northern pier and two of the cranes at the port of Alven.")


@pytest.fixture
def deserialised(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    return count_deserialised(monkeypatch)


def _jsonl(path: Path, text: str, url: str, outlet: str) -> Path:
    path.write_text(json.dumps({"text": text, "url": url, "outlet": outlet,
                                "published": "2024-04-01T08:00:00Z"}) + "\n")  # after write_stories
    return path


def test_lsh_shape_is_datasketchs() -> None:
    # Pinned: changing them (via THRESHOLD or NUM_PERM) needs a migration rebuilding minhash_bands.
    assert (dedup.BANDS, dedup.ROWS) == (14, 9)
    keys = dedup.band_keys(dedup.signature(WIRE).hashvalues)
    assert [band for band, _ in keys] == list(range(14)) and {len(key) for _, key in keys} == {16}


def test_bands_are_written_with_the_article(corpus_url: str) -> None:
    with Corpus(corpus_url) as corpus, corpus.sessions.begin() as s:
        (article_id,) = write_stories(s, [story(1)])
        stored = s.execute(select(m.MinhashBand.band, m.MinhashBand.key, m.MinhashBand.article_id)
                           .order_by(m.MinhashBand.band)).all()
        minhash = s.scalar(select(m.Article.minhash))
    assert minhash is not None
    assert [dict(r._mapping) for r in stored] == band_rows(article_id, minhash)


def test_copy_ingested_by_a_later_corpus_is_found_through_stored_bands(
        corpus_url: str, analyzer: object, tmp_path: Path) -> None:
    with Corpus(corpus_url) as corpus:
        corpus.ingest([_jsonl(tmp_path / "wire.jsonl", WIRE, "https://nordwire.example/x", "Nordwire")],
                      analyzer=analyzer, workers=1)  # type: ignore[arg-type]
    with Corpus(corpus_url) as later:   # a new object, as a new process would make: nothing in memory
        report = later.ingest([_jsonl(tmp_path / "relay.jsonl", relay(WIRE), "https://relay.example/x", "Relay")],
                              analyzer=analyzer, workers=1)  # type: ignore[arg-type]
        assert (report.stored, report.duplicates) == (1, 1)
        with later.sessions() as s:
            wire_id = s.scalar(select(m.Article.id).where(m.Article.canonical_url == "https://nordwire.example/x"))
            copy = s.scalar(select(m.Article).where(m.Article.canonical_url == "https://relay.example/x"))
            assert copy is not None and copy.original_id == wire_id and copy.dup_similarity >= 0.7
            assert s.scalar(select(func.count()).select_from(m.MinhashBand)) == 2 * dedup.BANDS
        # Without the band rows the stored signatures are never found: nothing scans them.
        with later.sessions.begin() as s:
            s.execute(delete(m.MinhashBand))
        blind = later.ingest([_jsonl(tmp_path / "again.jsonl", relay(WIRE, 2), "https://other.example/x", "Other")],
                             analyzer=analyzer, workers=1)  # type: ignore[arg-type]
        assert (blind.stored, blind.duplicates) == (1, 0)


def test_lookup_reads_only_the_candidates_signatures(corpus_url: str, analyzer: object, tmp_path: Path,
                                                      deserialised: list[int]) -> None:
    texts = [story(i) for i in range(300)]
    texts[7] = WIRE    # ingest checks the language: the copy must read as English
    with Corpus(corpus_url) as corpus:
        with corpus.sessions.begin() as s:
            ids = write_stories(s, texts)
        deserialised.clear()
        report = corpus.ingest([_jsonl(tmp_path / "a.jsonl", relay(texts[7]), "https://relay.example/7", "Relay"),
                                _jsonl(tmp_path / "b.jsonl", BAKERY, "https://relay.example/new", "Relay")],
                               analyzer=analyzer, workers=1)  # type: ignore[arg-type]
        assert (report.stored, report.duplicates) == (2, 1)
        with corpus.sessions() as s:
            assert s.scalar(select(m.Article.original_id).where(
                m.Article.canonical_url == "https://relay.example/7")) == ids[7]
    assert len(deserialised) <= 2   # story 7 (and at most one stray candidate), never the 300


def test_best_matches_agree_with_the_in_memory_index(corpus_url: str) -> None:
    texts = [story(i) for i in range(40)] + [relay(story(i), 1) for i in range(0, 40, 3)]
    probes = [dedup.signature(relay(story(i), 2)) for i in range(0, 60, 2)]
    index = dedup.DuplicateIndex()
    with Corpus(corpus_url) as corpus, corpus.sessions.begin() as s:
        for article_id, text in zip(write_stories(s, texts), texts, strict=True):
            index.add(article_id, dedup.signature(text))
        found = best_matches(s, [(None, sig) for sig in probes])
    assert found == [index.best_match(sig) for sig in probes]
    assert sum(f is not None for f in found) == 20  # the probes of stored stories 0, 2, …, 38


@pytest.fixture
def old_store(corpus_url: str) -> Iterator[str]:
    """A store at revision 0100, before minhash_bands, holding two signed articles and one without."""
    engine = open_engine(corpus_url, migrate=False)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0100")
    now = datetime(2024, 3, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(insert(m.Article.__table__), [
            {"id": i, "identity": f"id{i}", "content_hash": f"h{i}", "source": f"s{i}", "published_at": now,
             "crawled_at": now, "text": text, "minhash": dedup.to_bytes(dedup.signature(text)) if signed else None}
            for i, text, signed in ((1, story(1), True), (2, story(2), False), (3, relay(story(1)), True))])
    engine.dispose()
    yield corpus_url


def test_migration_backfills_an_old_store(old_store: str) -> None:
    engine = open_engine(old_store, migrate=False)
    assert "minhash_bands" not in inspect(engine).get_table_names()
    upgrade(engine)
    with engine.connect() as conn:
        bands = conn.execute(select(m.MinhashBand.band, m.MinhashBand.key, m.MinhashBand.article_id)
                             .order_by(m.MinhashBand.article_id, m.MinhashBand.band)).all()
        signed = conn.execute(select(m.Article.id, m.Article.minhash).where(m.Article.minhash.is_not(None))
                              .order_by(m.Article.id)).all()
    assert [dict(r._mapping) for r in bands] == [row for i, data in signed for row in band_rows(i, data)]
    assert {r.article_id for r in bands} == {1, 3}
    if engine.dialect.name == "postgresql":   # analysed: reltuples is -1 until the first ANALYZE
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE relname = 'minhash_bands'").scalar() \
                == len(bands)
    with Session(engine) as s:   # the backfilled bands find the old articles
        assert best_matches(s, [(None, dedup.signature(story(1)))]) == [(1, 1.0)]

    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0100")
    assert "minhash_bands" not in inspect(engine).get_table_names()
    engine.dispose()
