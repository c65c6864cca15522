from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent.parent / "linking"))

from apifakes import TOKEN, FakeAnalyzer  # noqa: E402
from claimnews import HASH_SETTINGS, write_articles  # noqa: E402

from sourcetrace import linking  # noqa: E402
from sourcetrace.api import create_app  # noqa: E402
from sourcetrace.corpus import Corpus  # noqa: E402

@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[Corpus]:
    c = Corpus(f"sqlite:///{tmp_path}/news.db")
    write_articles(c)
    linking.link_claims(c, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS, index_path=None)
    yield c
    c.close()


@pytest.fixture
def client(corpus: Corpus) -> Iterator[TestClient]:
    app = create_app(corpus, analyzer=FakeAnalyzer(), embedder=linking.HashingEmbedder())
    with TestClient(app) as tc:
        yield tc


@pytest.fixture
def locked(corpus: Corpus) -> Iterator[TestClient]:
    app = create_app(corpus, analyzer=FakeAnalyzer(), token=TOKEN, max_body=4000,
                     embedder=linking.HashingEmbedder())
    with TestClient(app) as tc:
        yield tc
