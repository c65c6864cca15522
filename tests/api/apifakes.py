"""Test doubles for the API tests, importable by name (a bare `from conftest import` is ambiguous
when several test folders have a conftest)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from sourcetrace.analyzer import Outcome
from sourcetrace.document import Document, document_from_text
from sourcetrace.errors import DocumentError
from sourcetrace.records import (Attribution, Content, Cue, DateMention, DocumentResult, Quantity, Source, Stance,
                                 stated_by)

TOKEN = "test-token"
_SPRING = re.compile(r"\bspring\b")  # the one date the fake knows: unplaced, as if no publication day
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")  # figures, unitless: the fake reads no units
_SAID = re.compile(r"(?P<src>[A-Z][^.]*?) (?P<cue>said|says) (?:that )?(?P<content>[^.]+)")


class FakeAnalyzer:
    """'X said Y.' sentences as attributions, without spaCy; the content of the first holds the second."""

    def analyze_text(self, text: str, doc_id: str = "doc", min_confidence: float | None = None,
                     tagger: str | None = None, published: object = None) -> DocumentResult:
        document_from_text(doc_id, text)           # the same validation as the real analyzer
        self.min_confidence = min_confidence       # what the request asked for, for the tests
        self.tagger = tagger
        self.published = published
        atts = []
        for n, mm in enumerate(_SAID.finditer(text), 1):
            atts.append(Attribution(
                f"a{n}", Source(((mm.start("src"), mm.end("src")),), mm["src"], mm["src"], "person",
                                ("spokesman",)),
                Cue(((mm.start("cue"), mm.end("cue")),), mm["cue"]),
                Content(((mm.start("content"), mm.end("content")),), mm["content"]), "indirect",
                None, Stance("assert", "may" in mm["content"], ("may",) if "may" in mm["content"] else ()), 0.9))
        dates = tuple(DateMention(m.span(), m[0], None, None, None, None, True) for m in _SPRING.finditer(text))
        figures = [Quantity(m.span(), m[0], float(m[0].replace(",", ""))) for m in _NUMBER.finditer(text)]
        return DocumentResult(doc_id, tuple(atts), quantities=tuple(stated_by(figures, atts)), dates=dates)

    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]:
        for d in documents:
            if isinstance(d, DocumentError):
                yield Outcome(d.doc_id, error=d)
            else:
                yield Outcome(d.id, result=self.analyze_text(d.text, d.id))
