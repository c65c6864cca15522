"""Near-duplicate (wire copy, syndication) detection with MinHash LSH.

Articles are shingled into word 4-grams; an LSH index at ``threshold`` (estimated Jaccard) finds
candidates, and the best candidate's cluster root is the original. The earliest-published article
of a cluster is its original, so outlet counts credit the source and not the relays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = ["NUM_PERM", "SHINGLE", "THRESHOLD", "DuplicateIndex", "signature"]

NUM_PERM = 128
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are only comparable within one
SHINGLE = 4          # word 4-grams: robust to a changed dateline or an appended credit line
THRESHOLD = 0.7      # estimated Jaccard at or above which an article is a copy
_WORD = re.compile(r"\w+", re.UNICODE)


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


class DuplicateIndex:
    """In-memory LSH over stored articles' signatures; rebuilt from the store at each run."""

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
        best: tuple[int, float] | None = None
        for candidate in self._lsh.query(sig):
            score = sig.jaccard(self._sigs[candidate])
            if score >= self.threshold and (best is None or score > best[1] or
                                            (score == best[1] and candidate < best[0])):
                best = (candidate, score)
        return best
