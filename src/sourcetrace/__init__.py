"""sourcetrace: who said this, citing whom, how sure, in news articles.

    >>> import sourcetrace
    >>> result = sourcetrace.analyze(text, doc_id="a1")
    >>> [(a.source and a.source.text, a.cue.text, a.content.text) for a in result.attributions]

Importing the package loads no model: the spaCy pipeline is loaded on the first analysis and
kept for the process. Importing does register the ``sourcetrace`` spaCy factory (see
:mod:`sourcetrace.pipeline`), so ``nlp.add_pipe("sourcetrace")`` works afterwards.
"""

from __future__ import annotations

from datetime import date
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version
from threading import Lock

from . import _startup  # noqa: F401 - first: imports spaCy without PyTorch (see its docstring)
from . import pipeline as _pipeline  # noqa: F401 - registers the "sourcetrace" spaCy factory
from .analyzer import Analyzer
from .document import Document
from .errors import DocumentError, SourcetraceError
from .records import Attribution, Content, Cue, DateMention, DocumentResult, Entity, Quantity, Source, Stance
from .settings import Settings

try:
    __version__: str = _dist_version("sourcetrace")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [
    "Analyzer",
    "Attribution",
    "Content",
    "Cue",
    "Document",
    "DocumentError",
    "DateMention",
    "DocumentResult",
    "Entity",
    "Quantity",
    "Settings",
    "Source",
    "SourcetraceError",
    "Stance",
    "__version__",
    "analyze",
]

_default_analyzer: Analyzer | None = None
_default_lock = Lock()


def _analyzer() -> Analyzer:
    global _default_analyzer
    with _default_lock:
        if _default_analyzer is None:
            _default_analyzer = Analyzer()
        return _default_analyzer


def analyze(text: str, doc_id: str = "doc", published: date | str | None = None) -> DocumentResult:
    """Attributions, entities, quantities and dates of one English text; ``published`` (a date,
    datetime or ISO 8601 string) is the day its relative dates ("yesterday") count from.

    Uses one shared :class:`Analyzer` with the default settings (the model loads on the first
    call). Raises :class:`DocumentError` for text that cannot be analysed (empty, binary, too
    large, not English); its ``kind`` says which.
    """
    return _analyzer().analyze_text(text, doc_id, published=published)
