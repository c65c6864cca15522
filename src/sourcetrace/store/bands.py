"""Near-duplicate candidates from the store, with memory that does not grow with the corpus.

Every stored signature has its LSH band keys in ``minhash_bands``, written in the article's own
transaction. A lookup asks the table which articles share a band with the new signatures, reads
only those articles' signatures, and keeps the best by estimated Jaccard (``dedup.best_of``):
the answers of datasketch's in-memory ``MinHashLSH`` over every stored signature, without it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np
from datasketch import MinHash
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ..ingest.dedup import THRESHOLD, band_keys, best_of, from_bytes
from . import models as m

__all__ = ["band_rows", "best_matches"]

PAIRS_PER_QUERY = 500   # (band, key) pairs per lookup: ≤ 514 parameters, below SQLite's old 999
IDS_PER_QUERY = 500     # candidate signatures read per query

Match = tuple[int, float]
T = TypeVar("T")


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def band_rows(article_id: int, minhash: bytes) -> list[dict[str, Any]]:
    """The ``minhash_bands`` rows of a stored signature."""
    return [{"band": band, "key": key, "article_id": article_id}
            for band, key in band_keys(np.frombuffer(minhash, dtype=np.uint64))]


def _sharing(session: Session, pairs: Sequence[tuple[int, bytes]]) -> dict[tuple[int, bytes], set[int]]:
    """The stored articles holding each (band, key)."""
    owners: dict[tuple[int, bytes], set[int]] = {}
    b = m.MinhashBand
    for chunk in _chunks(pairs, PAIRS_PER_QUERY):
        keys_of_band: dict[int, list[bytes]] = {}
        for band, key in chunk:
            keys_of_band.setdefault(band, []).append(key)
        # "band = ? AND key IN (…)" per band, not a row-value IN: SQLite searches the primary key
        # for the former (MULTI-INDEX OR) but scans the whole table for the latter.
        where = or_(*(and_(b.band == band, b.key.in_(keys)) for band, keys in keys_of_band.items()))
        for band, key, article_id in session.execute(select(b.band, b.key, b.article_id).where(where)):
            owners.setdefault((band, bytes(key)), set()).add(article_id)
    return owners


def _signatures(session: Session, ids: Iterable[int]) -> dict[int, tuple[int | None, MinHash]]:
    """id → (run id, signature) of these articles only."""
    a = m.Article
    found: dict[int, tuple[int | None, MinHash]] = {}
    for chunk in _chunks(sorted(ids), IDS_PER_QUERY):
        for article_id, run_id, data in session.execute(
                select(a.id, a.run_id, a.minhash).where(a.id.in_(chunk), a.minhash.is_not(None))):
            found[article_id] = (run_id, from_bytes(data))
    return found


def best_matches(session: Session, probes: Sequence[tuple[int | None, MinHash]], *, run_id: int | None = None,
                 threshold: float = THRESHOLD) -> list[Match | None]:
    """For each (article id or None, signature), the most similar stored article at or above
    ``threshold`` with its estimated Jaccard, or None.

    With ``run_id``, the probes are that run's stored articles, linked in id order: an article of
    the run counts as a candidate only when its id is lower than the probe's, as if the run's
    articles had been added to an index one after another. Memory holds the probes and their
    candidates' signatures, never the corpus."""
    keys = [band_keys(sig.hashvalues) for _, sig in probes]
    owners = _sharing(session, sorted({pair for pairs in keys for pair in pairs}))
    candidates = [set().union(*(owners.get(pair, ()) for pair in pairs)) for pairs in keys]
    # The probes are in memory already (with run_id, they are that run's articles): read the others.
    known = {probe_id: (run_id, sig) for probe_id, sig in probes if probe_id is not None}
    stored = known | _signatures(session, set().union(*candidates) - known.keys())

    def admitted(probe_id: int | None, candidate: int) -> bool:
        if candidate not in stored or candidate == probe_id:
            return False
        return run_id is None or probe_id is None or stored[candidate][0] != run_id or candidate < probe_id

    return [best_of(sig, ((c, stored[c][1]) for c in found if admitted(probe_id, c)), threshold)
            for (probe_id, sig), found in zip(probes, candidates, strict=True)]
