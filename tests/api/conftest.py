from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent.parent / "linking"))

from claimnews import HASH_SETTINGS, write_articles  # noqa: E402

from sourcetrace import linking  # noqa: E402
from sourcetrace.analyzer import Outcome  # noqa: E402
from sourcetrace.api import create_app  # noqa: E402
from sourcetrace.corpus import Corpus  # noqa: E402
from sourcetrace.document import Document, document_from_text  # noqa: E402
from sourcetrace.errors import DocumentError  # noqa: E402
from sourcetrace.records import Attribution, Content, Cue, DocumentResult, Source, Stance  # noqa: E402

TOKEN = "test-token"
_SAID = re.compile(r"(?P<src>[A-Z][^.]*?) (?P<cue>said|says) (?:that )?(?P<content>[^.]+)")


class FakeAnalyzer:
    """'X said Y.' sentences as attributions, without spaCy; the content of the first holds the second."""

    def analyze_text(self, text: str, doc_id: str = "doc") -> DocumentResult:
        document_from_text(doc_id, text)           # the same validation as the real analyzer
        atts = []
        for n, mm in enumerate(_SAID.finditer(text), 1):
            atts.append(Attribution(
                f"a{n}", Source(((mm.start("src"), mm.end("src")),), mm["src"], mm["src"], "person",
                                ("spokesman",)),
                Cue(((mm.start("cue"), mm.end("cue")),), mm["cue"]),
                Content(((mm.start("content"), mm.end("content")),), mm["content"]), "indirect",
                None, Stance("assert", "may" in mm["content"], ("may",) if "may" in mm["content"] else ()), 0.9))
        return DocumentResult(doc_id, tuple(atts))

    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]:
        for d in documents:
            if isinstance(d, DocumentError):
                yield Outcome(d.doc_id, error=d)
            else:
                yield Outcome(d.id, result=self.analyze_text(d.text, d.id))


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
