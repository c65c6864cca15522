"""Extraction: pure functions from a parsed spaCy Doc to the records of the output contract.

Modules by concept: ``quotes`` (quote-mark spans), ``lexicon`` (cue words as data), ``learned``
(the CRF models for cues and roles), ``encoder`` (the opt-in accurate taggers),
``attributions`` (assembling relations and nesting), ``shaping`` (how far a content or source
reaches), ``rules`` (attributions the taggers missed), ``speakers`` (who a source really is),
``stance`` (hedges and cue classes), ``entities`` (names and their variants), ``quantities``
(numbers with units and hedges), ``dates`` (the calendar periods a text speaks of).
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

from ..records import DocumentResult, stated_by

__all__ = ["analyze_doc"]


def analyze_doc(doc: Doc, doc_id: str, min_confidence: float | None = None, tagger: str = "crf",
                anchor: date | None = None) -> DocumentResult:
    """Every record of the contract for one parsed document; attributions below
    ``min_confidence`` are left out (None: the threshold fitted for the tagger, 0: keep all).
    ``tagger`` is "crf" (fast) or "encoder" (more accurate, slower): see settings.py.
    ``anchor`` is the publication date that relative dates ("yesterday") are placed from."""
    from .attributions import extract_attributions
    from .dates import extract_dates
    from .entities import extract_entities, labelled_by_their_sayings
    from .quantities import extract_quantities

    text = doc.text  # joins every token: read once for all the extractors
    entities = extract_entities(doc)
    attributions = extract_attributions(doc, entities, min_confidence, tagger, text)
    return DocumentResult(
        id=doc_id,
        attributions=tuple(attributions),
        entities=tuple(labelled_by_their_sayings(entities, attributions)),
        quantities=tuple(stated_by(extract_quantities(doc, text), attributions)),
        dates=tuple(extract_dates(doc, anchor)),
    )
