from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "linking"))

from claimnews import write_articles  # noqa: E402

from sourcetrace import linking  # noqa: E402
from sourcetrace.corpus import Corpus  # noqa: E402


@pytest.fixture
def traces(tmp_path: Path) -> Iterator[list[linking.ClaimTrace]]:
    corpus = Corpus(f"sqlite:///{tmp_path}/news.db")
    write_articles(corpus)
    linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=linking.LinkSettings(threshold=0.5))
    yield list(linking.iter_traces(corpus))
    corpus.close()
