from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from claimnews import HASH_SETTINGS, write_articles  # noqa: E402

from sourcetrace import linking  # noqa: E402
from sourcetrace.corpus import Corpus  # noqa: E402


@pytest.fixture
def newsroom(tmp_path: Path) -> Iterator[tuple[Corpus, dict[str, int]]]:
    corpus = Corpus(f"sqlite:///{tmp_path}/news.db")
    ids = write_articles(corpus)
    yield corpus, ids
    corpus.close()


@pytest.fixture
def linked(newsroom: tuple[Corpus, dict[str, int]]) -> tuple[Corpus, dict[str, int], linking.LinkReport]:
    corpus, ids = newsroom
    report = linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS)
    return corpus, ids, report
