"""The same newsroom linked on a real PostgreSQL server (skipped where none can be started)."""

from __future__ import annotations

import io
import json

import pytest
from claimnews import DATED_ARTICLES, HASH_SETTINGS, write_articles

from sourcetrace import linking
from sourcetrace.corpus import Corpus
from sourcetrace.provenance import write_export

pytestmark = pytest.mark.postgres


def test_link_and_export_on_postgres(pg_url: str) -> None:
    with Corpus(pg_url) as corpus:
        ids = write_articles(corpus)
        report = linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS)
        assert (report.claims, report.total_clusters) == (6, 3) and not report.index_rebuilt
        again = linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS)
        assert again.claims == 0 and again.index_rebuilt  # no index file: rebuilt from stored vectors
        trace = next(t for t in linking.claims(corpus, "soldiers") if len(t.timeline) == 4)
        assert trace.first.article_id == ids["wire"] and trace.single_sourced
        out = io.StringIO()
        assert write_export(linking.iter_traces(corpus), out, "jsonl") == 3
        assert {json.loads(line)["appearances"] for line in out.getvalue().splitlines()} == {4, 1}


def test_dates_mutations_and_periods_on_postgres(pg_url: str) -> None:
    with Corpus(pg_url) as corpus:
        write_articles(corpus, DATED_ARTICLES)
        linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS)
        (trace,) = linking.claims(corpus, "Harnsee", when=linking.parse_period("2026-03-04"))
        assert [mu.kind for mu in trace.mutations] == ["date"]
        assert linking.claims(corpus, "Harnsee", when=linking.parse_period("2026-03-03")) == []
