"""Near-duplicate (wire copy, syndication) detection with MinHash LSH.

Articles are shingled into word 4-grams; LSH at ``threshold`` (estimated Jaccard) finds
candidates, and the best candidate's cluster root is the original. The earliest-published article
of a cluster is its original, so outlet counts credit the source and not the relays.

Stored articles are found through their LSH band keys in the store (``store/bands.py``), so no
index of the whole corpus is ever held in memory; ``DuplicateIndex`` is the in-memory index of a
handful of signatures, and both pick the best candidate with ``best_of``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = ["BANDS", "NUM_PERM", "ROWS", "SHINGLE", "THRESHOLD", "DuplicateIndex", "band_keys", "best_of",
           "signature"]

NUM_PERM = 128
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are only comparable within one
SHINGLE = 4          # word 4-grams: robust to a changed dateline or an appended credit line
THRESHOLD = 0.7      # estimated Jaccard at or above which an article is a copy
_WORD = re.compile(r"\w+", re.UNICODE)



def _lsh_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


# The (bands, rows) datasketch picks for THRESHOLD and NUM_PERM (14 × 9): band keys in the store
# find exactly the candidates its in-memory index would. Changing THRESHOLD or NUM_PERM changes
# them, and then the store's ``minhash_bands`` must be rebuilt by a migration.
BANDS, ROWS = _lsh_shape(THRESHOLD, NUM_PERM)


def signature(text: str) -> MinHash:
    words = _WORD.findall(text.lower())
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    if len(words) < SHINGLE:
        shingles = {" ".join(words)}
    else:
        shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m


def to_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype=np.uint64).copy())


def band_keys(hashvalues: np.ndarray) -> list[tuple[int, bytes]]:
    """(band, key) for each LSH band: two signatures are candidates when they share one.

    The key is a 16-byte blake2b digest of the band's 9 hash values instead of their 72 bytes:
    4.5 × smaller rows and index. A digest collision could only add a candidate, which the exact
    Jaccard check then rejects, so it never changes a match."""
    values = np.asarray(hashvalues, dtype="<u8")  # little-endian everywhere: keys are stored
    return [(band, hashlib.blake2b(values[band * ROWS:(band + 1) * ROWS].tobytes(), digest_size=16).digest())
            for band in range(BANDS)]


def best_of(sig: MinHash, candidates: Iterable[tuple[int, MinHash]],
            threshold: float = THRESHOLD) -> tuple[int, float] | None:
    """The most similar candidate at or above ``threshold`` with its estimated Jaccard; on a tie,
    the lowest id (the earliest stored), so the answer never depends on candidate order."""
    best: tuple[int, float] | None = None
    for candidate, other in candidates:
        score = sig.jaccard(other)
        if score >= threshold and (best is None or score > best[1] or
                                   (score == best[1] and candidate < best[0])):
            best = (candidate, score)
    return best


class DuplicateIndex:
    """In-memory LSH over a few signatures (tests, benchmarks); stored articles are looked up in
    the store instead, through their band keys."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[int, MinHash] = {}
        self.threshold = threshold

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, article_id: int, sig: MinHash) -> None:
        if article_id not in self._sigs:
            self._lsh.insert(article_id, sig)
            self._sigs[article_id] = sig

    def add_many(self, items: Iterable[tuple[int, bytes]]) -> None:
        for article_id, data in items:
            self.add(article_id, from_bytes(data))

    def best_match(self, sig: MinHash) -> tuple[int, float] | None:
        """The most similar stored article at or above the threshold, with its estimated Jaccard."""
        return best_of(sig, ((c, self._sigs[c]) for c in self._lsh.query(sig)), self.threshold)
