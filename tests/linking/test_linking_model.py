"""The packaged all-MiniLM-L6-v2: loads offline, and puts paraphrases closer than other claims."""

from __future__ import annotations

import numpy as np
import pytest

from sourcetrace.linking import MiniLMEmbedder

pytestmark = pytest.mark.slow


def test_loads_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    emb = MiniLMEmbedder()
    vectors = emb.embed(["Up to 100,000 soldiers may be sent to the front.",
                         "As many as 100,000 troops could be deployed to the front line.",
                         "The cod quota will be cut by a fifth next year."])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    sims = vectors @ vectors.T
    assert sims[0, 1] > 0.6 > sims[0, 2]
    assert emb.embed([]).shape == (0, 384)
