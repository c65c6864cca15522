"""Claim linking: the same claim reported by different outlets, verbatim or paraphrased, is one
cluster with a first appearance, a timeline, original sources, relays and mutations.

    from sourcetrace.corpus import Corpus
    from sourcetrace import linking

    with Corpus("sqlite:///news.db") as corpus:
        corpus.ingest(["feeds/"])
        linking.link_claims(corpus)                 # incremental: only new attributions
        for trace in linking.claims(corpus, "soldiers"):
            print(trace.id, trace.first.outlet, trace.text, trace.single_sourced)
        linking.trace_claim(corpus, 12).mutations

See docs/claims.md for the method, the thresholds (``LinkSettings``) and the benchmark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from ._store import ORDERS, LinkReport, index_path_for, link_session
from ._types import DEFAULT_LINK_SETTINGS, Assignment, ClaimItem, LinkSettings
from .ann import ClaimIndex
from .cluster import ClaimClusterer
from .compat import compatible
from .embeddings import Embedder, EmbeddingError, HashingEmbedder, MiniLMEmbedder
from .mutations import Mutation, mutations
from .period import parse_period
from .scorer import Scores, bcubed, pair_scores, pairwise
from .trace import Appearance, ClaimTrace, traces

if TYPE_CHECKING:
    from ..corpus import Corpus

__all__ = [
    "DEFAULT_LINK_SETTINGS",
    "Appearance",
    "Assignment",
    "ClaimClusterer",
    "ClaimIndex",
    "ClaimItem",
    "ClaimTrace",
    "Embedder",
    "EmbeddingError",
    "HashingEmbedder",
    "LinkReport",
    "LinkSettings",
    "MiniLMEmbedder",
    "Mutation",
    "ORDERS",
    "Scores",
    "bcubed",
    "claims",
    "compatible",
    "iter_traces",
    "link_claims",
    "mutations",
    "pair_scores",
    "parse_period",
    "pairwise",
    "trace_claim",
]


def link_claims(corpus: Corpus, *, embedder: Embedder | None = None,
                settings: LinkSettings = DEFAULT_LINK_SETTINGS,
                index_path: Path | str | None = "auto",
                on_progress: Callable[[int, int], None] | None = None) -> LinkReport:
    """Link the corpus's not-yet-linked claims into clusters (new articles join existing ones).

    ``index_path="auto"`` keeps the ANN index beside a SQLite file (``news.db.claims.usearch``);
    ``None`` rebuilds it in memory from the stored vectors on each run. ``on_progress(done,
    total)`` hears of each batch linked."""
    return link_session(corpus.sessions, db_url=corpus.url, embedder=embedder, settings=settings,
                        index_path=index_path, on_progress=on_progress)


def iter_traces(corpus: Corpus, *, query: str | None = None, when: tuple[date, date] | None = None,
                order: str = "first", offset: int = 0) -> Iterator[ClaimTrace]:
    """Every claim cluster (or those matching ``query`` and dated within ``when``), earliest
    first or, with ``order="appearances"``, most repeated first; streamed from the ``offset``-th
    on (the ones before are not read)."""
    with corpus.sessions() as session:
        yield from traces(session, query=query, when=when, order=order, offset=offset)


def claims(corpus: Corpus, query: str | None = None, *, when: tuple[date, date] | None = None,
           limit: int | None = 50, order: str = "first") -> list[ClaimTrace]:
    """Claim clusters whose text holds every word of ``query`` (all when None) and, with ``when``
    (first day, last day; ``parse_period("2026-03")``), that place a date overlapping it;
    earliest first, or most repeated first with ``order="appearances"``."""
    return list(islice(iter_traces(corpus, query=query, when=when, order=order), limit))


def trace_claim(corpus: Corpus, claim_id: int) -> ClaimTrace:
    """The cluster ``claim_id``; ``LookupError`` when there is none."""
    with corpus.sessions() as session:
        found = list(traces(session, [claim_id]))
    if not found:
        raise LookupError(f"no claim {claim_id}")
    return found[0]
