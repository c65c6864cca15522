"""The approximate nearest-neighbour index of claim vectors: USearch HNSW, incremental, on disk.

Why USearch: it ships manylinux wheels (hnswlib is a source distribution that needs a compiler,
faiss-cpu is ~30 MB and its HNSW index cannot be grown and saved as simply), adds vectors one at
a time under arbitrary 64-bit keys (the ``claims.id``), searches in O(log n), and saves to and
restores from one file. The file lives beside the store (``news.db`` → ``news.db.claims.usearch``)
and is a cache: the vectors themselves are kept in ``claims.embedding``, and an index whose size
or model does not match the database is rebuilt from them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt
from usearch.index import Index

__all__ = ["ClaimIndex"]


class ClaimIndex:
    """Cosine HNSW over L2-normalised float32 vectors keyed by claim id."""

    def __init__(self, dim: int, *, model: str = "", connectivity: int = 16, expansion_add: int = 128,
                 expansion_search: int = 64) -> None:
        self.dim = dim
        self.model = model
        self._params = {"connectivity": connectivity, "expansion_add": expansion_add,
                        "expansion_search": expansion_search}
        self._index = Index(ndim=dim, metric="cos", dtype="f32", **self._params)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key: int) -> bool:
        return bool(key in self._index)

    def add(self, keys: Iterable[int], vectors: npt.NDArray[np.float32]) -> None:
        keys_arr = np.asarray(list(keys), dtype=np.uint64)
        if len(keys_arr):
            self._index.add(keys_arr, np.ascontiguousarray(vectors, dtype=np.float32))

    def search(self, vector: npt.NDArray[np.float32], k: int) -> list[tuple[int, float]]:
        """Up to ``k`` (key, cosine similarity) pairs, most similar first."""
        if len(self._index) == 0:
            return []
        found = self._index.search(np.ascontiguousarray(vector, dtype=np.float32), k)
        return [(int(key), 1.0 - float(dist)) for key, dist in zip(found.keys, found.distances)]

    def save(self, path: str | Path) -> None:
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        self._index.save(str(tmp))
        tmp.replace(path)
        path.with_name(path.name + ".json").write_text(
            json.dumps({"model": self.model, "dim": self.dim, "size": len(self)}), "utf-8")

    @classmethod
    def load(cls, path: str | Path, *, dim: int, model: str, expected_size: int) -> ClaimIndex | None:
        """The saved index, or None when missing, unreadable or out of step with the database."""
        path = Path(path)
        meta_path = path.with_name(path.name + ".json")
        try:
            meta = json.loads(meta_path.read_text("utf-8"))
            if meta.get("model") != model or meta.get("dim") != dim or meta.get("size") != expected_size:
                return None
            out = cls(dim, model=model)
            out._index.load(str(path))
        except (OSError, ValueError, RuntimeError):
            return None
        return out if len(out) == expected_size else None
