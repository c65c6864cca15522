"""Incremental claim clustering: each new claim joins the cluster of its most similar compatible
neighbour, or starts a cluster of its own.

Claims are taken in publication order. For a new claim the ANN index gives its ``neighbours``
nearest stored claims; those at or above ``threshold`` cosine similarity, and those at or above
``quote_floor`` of which one text repeats ``quote_cover`` of the other's words in a row (a
partial quote of a longer quote, whose embedding differs), are tried best first,
and the first one that is compatible (``compat.compatible``) both with the claim itself and with
its cluster's first claim decides the cluster. Checking the first claim too stops a cluster from
drifting ("100,000" → "90,000" → "80,000" …). The claim is then added to the index, so claims
later in the same batch can join it: the result does not depend on how articles were batched.

Out of scope: splitting or merging existing clusters when later evidence would group them
differently (a cluster, once made, keeps its members).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np
import numpy.typing as npt

from ._types import DEFAULT_LINK_SETTINGS, Assignment, ClaimItem, LinkSettings
from .ann import ClaimIndex
from .compat import compatible, quote_cover

__all__ = ["ClaimClusterer"]

Lookup = Callable[[Iterable[int]], Mapping[int, ClaimItem]]


class ClaimClusterer:
    """Holds the index and the claim → cluster map; ``lookup`` returns stored claims by key
    (the store reads them from the database; tests and the benchmark keep them in memory)."""

    def __init__(self, index: ClaimIndex, *, settings: LinkSettings = DEFAULT_LINK_SETTINGS,
                 cluster_of: dict[int, int] | None = None, first_of: dict[int, int] | None = None,
                 lookup: Lookup | None = None, new_cluster: Callable[[ClaimItem], int] | None = None,
                 items: dict[int, ClaimItem] | None = None) -> None:
        self.index = index
        self.settings = settings
        self.cluster_of: dict[int, int] = cluster_of if cluster_of is not None else {}
        self.first_of: dict[int, int] = first_of if first_of is not None else {}  # cluster → first claim
        self._items: dict[int, ClaimItem] = items if items is not None else {}  # the claims read so far
        self._lookup = lookup
        self._new_cluster = new_cluster or self._next_cluster
        self._counter = max(self.first_of, default=0)

    def _next_cluster(self, _item: ClaimItem) -> int:
        self._counter += 1
        return self._counter

    def _get(self, keys: Iterable[int]) -> dict[int, ClaimItem]:
        keys = list(keys)
        missing = [k for k in keys if k not in self._items]
        if missing and self._lookup is not None:
            self._items.update(self._lookup(missing))
        return {k: self._items[k] for k in keys if k in self._items}

    def _hits(self, vector: npt.NDArray[np.float32], key: int) -> list[tuple[int, float]]:
        floor = min(self.settings.threshold, self.settings.quote_floor)
        return [(k, sim) for k, sim in self.index.search(vector, self.settings.neighbours)
                if sim >= floor and k != key and k in self.cluster_of]

    def prefetch(self, vectors: npt.NDArray[np.float32]) -> None:
        """Read in one lookup the stored claims that a batch's ``add`` calls will compare with
        (the index's neighbours of each vector and their clusters' first claims): one query for
        the batch, not one per claim. ``add`` gives the same answers with or without it."""
        keys = {k for vector in vectors for k, _ in self._hits(vector, -1)}
        self._get(sorted(keys | {self.first_of[self.cluster_of[k]] for k in keys}))

    def add(self, item: ClaimItem, vector: npt.NDArray[np.float32]) -> Assignment:
        s = self.settings
        hits = self._hits(vector, item.key)
        rejected: list[tuple[int, str]] = []
        chosen: Assignment | None = None
        if hits:
            cluster_firsts = {self.first_of[self.cluster_of[k]] for k, _ in hits}
            known = self._get([k for k, _ in hits] + sorted(cluster_firsts))
            # Below the threshold only a partial quote of one another may join.
            hits = [(k, sim) for k, sim in hits if sim >= s.threshold or (
                k in known and quote_cover(item.text, known[k].text) >= s.quote_cover)]
            for key, sim in hits:
                other = known.get(key)
                if other is None:
                    continue
                ok, why = compatible(item, other, s)
                first_key = self.first_of[self.cluster_of[key]]
                if ok and first_key != key and first_key in known:
                    ok, why = compatible(item, known[first_key], s)
                    why = why and f"with the cluster's first claim: {why}"
                if ok:
                    chosen = Assignment(item.key, self.cluster_of[key], key, round(sim, 4), tuple(rejected))
                    break
                rejected.append((key, why))
        if chosen is None:
            cluster = self._new_cluster(item)
            self.first_of[cluster] = item.key
            chosen = Assignment(item.key, cluster, None, None, tuple(rejected))
        self.cluster_of[item.key] = chosen.cluster
        self._items[item.key] = item
        self.index.add([item.key], vector.reshape(1, -1))
        return chosen

    def add_many(self, items: list[ClaimItem], vectors: npt.NDArray[np.float32]) -> list[Assignment]:
        """Add claims in publication order (undated last, then by key)."""
        order = sorted(range(len(items)), key=lambda i: (items[i].published_at is None,
                                                          items[i].published_at or 0, items[i].key))
        out: dict[int, Assignment] = {}
        for i in order:
            out[i] = self.add(items[i], vectors[i])
        return [out[i] for i in range(len(items))]

    def clusters(self) -> dict[int, list[int]]:
        groups: dict[int, list[int]] = {}
        for key, cluster in self.cluster_of.items():
            groups.setdefault(cluster, []).append(key)
        return {c: sorted(keys) for c, keys in groups.items()}
