"""Bundled examples: ``wire_report.txt`` (one article) and ``corpus/`` (a few fictional articles
reporting one claim through a wire agency, a pundit and relays)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..corpus import Corpus

__all__ = ["SAMPLE_CORPUS", "SampleReport", "load_sample"]

SAMPLE_CORPUS = Path(__file__).parent / "corpus"


@dataclass(frozen=True, slots=True)
class SampleReport:
    ingest: dict[str, Any]
    link: dict[str, Any]


def load_sample(corpus: Corpus, *, analyzer: Any = None, embedder: Any = None) -> SampleReport:
    """Ingest the sample corpus into ``corpus`` (idempotent) and link its claims."""
    from .. import linking

    report = corpus.ingest([SAMPLE_CORPUS], analyzer=analyzer, workers=1, follow_links=False)
    linked = linking.link_claims(corpus, embedder=embedder)
    return SampleReport(report.to_dict(), linked.to_dict())
