"""Evaluation against annotated data: read PolNeAR gold, run the engine, score.

``polnear`` reads the gold (also used by training code); ``scorer`` holds the metrics as pure
functions over offsets. ``evaluate_polnear`` is the one call the CLI and the benchmark make.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from ..analyzer import Outcome
from ..document import Document, document_from_text
from ..errors import DocumentError
from ..extract.quotes import quotes_within_quotes
from ..settings import Settings
from .polnear import GoldAttribution, GoldDocument, load_polnear, load_second_annotations
from .scorer import EvalReport, score_corpus, spans_of

__all__ = [
    "EvalReport",
    "GoldAttribution",
    "annotator_agreement",
    "british_marks",
    "GoldDocument",
    "evaluate_polnear",
    "gold_documents_as_input",
    "load_polnear",
    "load_second_annotations",
    "score_outcomes",
]


class _Analyses(Protocol):
    """What evaluation needs of an analyzer (``sourcetrace.analyzer.Analyzer`` fits)."""

    settings: Settings

    def analyze_documents(self, documents: Iterable[Document | DocumentError]) -> Iterator[Outcome]: ...


def gold_documents_as_input(gold: Iterable[GoldDocument], settings: Settings) -> Iterator[Document | DocumentError]:
    """The gold texts as engine input, dated where the corpus says when they appeared; a text the
    engine refuses becomes its DocumentError."""
    for doc in gold:
        try:
            yield document_from_text(doc.id, doc.text, settings, published=doc.published)
        except DocumentError as err:
            yield err


def score_outcomes(gold: Iterable[GoldDocument], outcomes: Iterable[Outcome]) -> EvalReport:
    """Score engine outcomes by document id. A failed or missing document has no predictions."""
    by_id = {o.doc_id: o for o in outcomes}

    def items() -> Iterator[tuple[GoldDocument, tuple[GoldAttribution, ...], str | None]]:
        for doc in gold:
            outcome = by_id.get(doc.id)
            if outcome is None:
                yield doc, (), "no outcome"
            elif outcome.result is None:
                yield doc, (), outcome.error.reason if outcome.error else "no result"
            else:
                yield doc, tuple(spans_of(a) for a in outcome.result.attributions), None

    return score_corpus(items())


_BRITISH = str.maketrans({'"': "'", "\u201c": "\u2018", "\u201d": "\u2019"})


_INNER_DOUBLE = {"\u2018": "\u201c", "\u2019": "\u201d", "'": '"'}


def british_marks(text: str) -> str:
    """``text`` quoted as British papers print it: double marks made single, and a quote inside
    a quote, single in American copy, made double ("‘… saying, “Hey, go vote” would do it’").
    The same length, so gold offsets still hold. Wire copy's two apostrophes ('') stay."""
    chars = list(text.translate(_BRITISH))
    for quote in quotes_within_quotes(text):
        for at in (quote.start, quote.end - 1):
            chars[at] = _INNER_DOUBLE.get(text[at], chars[at])
    return "".join(chars)


def evaluate_polnear(split_dir: Path, analyzer: _Analyses, limit: int | None = None,
                     restyle: Callable[[str], str] | None = None) -> EvalReport:
    """Run ``analyzer`` over a PolNeAR split (the first ``limit`` articles by id) and score it.
    ``restyle`` rewrites each text before analysis without moving an offset (``british_marks``),
    and the engine is scored against the gold as annotated."""
    gold = load_polnear(Path(split_dir), limit=limit)
    shown = gold
    if restyle is not None:
        shown = [dataclasses.replace(doc, text=restyle(doc.text)) for doc in gold]
        if any(len(a.text) != len(b.text) for a, b in zip(shown, gold)):
            raise ValueError("restyle must keep every offset: it changed a text's length")
    outcomes = analyzer.analyze_documents(gold_documents_as_input(shown, analyzer.settings))
    return score_outcomes(gold, outcomes)


def annotator_agreement(split_dirs: Iterable[Path]) -> EvalReport:
    """The metrics with a second annotator in the engine's place, over every article of
    ``split_dirs`` annotated twice: how far two people agree by the same definitions."""
    pairs = [pair for split in split_dirs for pair in load_second_annotations(Path(split))]
    return score_corpus((gold, second, None) for gold, second in pairs)
