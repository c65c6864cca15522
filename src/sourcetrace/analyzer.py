"""The core object: the CLI, the Python API, the spaCy component and the tests all construct it."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from .document import Document, Dropped, document_from_text, parsing_copy
from .errors import DocumentError
from .extract import analyze_doc
from .ingest.dates import publication_day
from .nlp import load_nlp
from .records import DocumentResult
from .settings import DEFAULTS, Settings

__all__ = ["Analyzer", "Outcome"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input: a result, or the error that explains why there is none."""

    doc_id: str
    result: DocumentResult | None = None
    error: DocumentError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Analyzer:
    """Runs spaCy and the attribution extractors over documents."""

    def __init__(self, settings: Settings = DEFAULTS, nlp: Language | None = None) -> None:
        self.settings = settings
        self._nlp = nlp

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_nlp(self.settings.spacy_model)
            # The model's ~10^6 long-lived objects would otherwise be re-scanned by every full
            # garbage collection that the extractors' many small allocations trigger.
            gc.freeze()
            if self.settings.tagger == "encoder":
                from .extract.encoder import ARTIFACTS, load_encoder

                for task in ARTIFACTS:  # a missing model fails here, once, not as every document's error
                    load_encoder(task)
        return self._nlp

    def parse(self, text: str) -> Doc:
        return self.nlp(text)

    def analyze_text(self, text: str, doc_id: str = "doc", min_confidence: float | None = None,
                     tagger: str | None = None, published: date | str | None = None) -> DocumentResult:
        """Analyse one text; raises DocumentError if it cannot be analysed. ``min_confidence``
        and ``tagger`` override the settings for this call (None: the settings'). ``published``
        (a date, datetime or ISO 8601 string) places relative dates ("yesterday")."""
        document = document_from_text(doc_id, text, self.settings)
        cut = self.settings.min_confidence if min_confidence is None else min_confidence
        copy, dropped = parsing_copy(document.text)
        result = analyze_doc(self.nlp(copy), document.id, cut, tagger or self.settings.tagger,
                             publication_day(published))
        return result.remapped(dropped.start, dropped.end, document.text) if dropped else result

    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]:
        """Analyse many documents with nlp.pipe, in input order. Errors pass through as outcomes."""
        pending: list[Document] = []
        for item in documents:
            if isinstance(item, DocumentError):
                yield from self._flush(pending)
                pending = []
                yield Outcome(item.doc_id, error=item)
                continue
            pending.append(item)
            if len(pending) >= self.settings.batch_size:
                yield from self._flush(pending)
                pending = []
        yield from self._flush(pending)

    def _flush(self, batch: list[Document]) -> Iterator[Outcome]:
        if not batch:
            return
        copies = [parsing_copy(d.text) for d in batch]
        try:
            docs = list(self.nlp.pipe((copy for copy, _ in copies), batch_size=self.settings.batch_size))
        except Exception:  # noqa: BLE001 - find the culprit one document at a time
            yield from (self._one(document) for document in batch)
            return
        for document, doc, (_, dropped) in zip(batch, docs, copies, strict=True):
            yield self._extract(document, doc, dropped)

    def _one(self, document: Document) -> Outcome:
        copy, dropped = parsing_copy(document.text)
        try:
            doc = self.nlp(copy)
        except Exception as err:  # noqa: BLE001 - one bad document never aborts a batch
            return Outcome(document.id, error=DocumentError(document.id, f"spaCy failed: {err}", "internal"))
        return self._extract(document, doc, dropped)

    def _extract(self, document: Document, doc: Doc, dropped: Dropped | None = None) -> Outcome:
        """``dropped``: what the parsed copy left out of the document's text (``parsing_copy``)."""
        try:
            result = analyze_doc(doc, document.id, self.settings.min_confidence, self.settings.tagger,
                                 publication_day(document.meta.get("published")))
            if dropped:
                result = result.remapped(dropped.start, dropped.end, document.text)
            return Outcome(document.id, result=result)
        except Exception as err:  # noqa: BLE001 - one bad document never aborts a batch
            reason = f"extraction failed: {type(err).__name__}: {err}"
            return Outcome(document.id, error=DocumentError(document.id, reason, "internal"))
