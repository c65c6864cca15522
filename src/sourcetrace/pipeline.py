"""The spaCy component: attribution extraction as one step of any English pipeline.

    import spacy, sourcetrace
    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("sourcetrace")
    doc = nlp(text)
    doc._.attributions      # tuple[Attribution, ...]
    doc._.sourcetrace       # the whole DocumentResult (attributions, entities, quantities, dates)

The factory is registered when this module is imported (``import sourcetrace`` does that) and
through the ``spacy_factories`` entry point, so an installed package needs no import at all.
The component must come after the tagger, parser and NER it reads; ``add_pipe`` appends it
last by default. The Analyzer's pipeline (``nlp.load_nlp``) also puts
``sourcetrace_paragraphs`` before the parser, so that no sentence runs across a blank line; add
it to your own pipeline for the same sentences (``nlp.add_pipe("sourcetrace_paragraphs",
before="parser")``). It has no state of its own, so it needs no ``to_disk``/``from_disk``: its
config (``default_id``, ``min_confidence``, ``tagger``) travels in the pipeline's ``config.cfg``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .document import is_paragraph_break
from .extract import analyze_doc
from .ingest.dates import publication_day
from .morphology import MORPHOLOGY, MemoMorphology
from .records import Attribution, DocumentResult
from .settings import Settings

__all__ = ["ID_KEY", "MORPHOLOGY", "PARAGRAPHS", "PUBLISHED_KEY", "SourcetraceComponent", "make_morphology", "make_sourcetrace", "paragraph_breaks",
           "register_extensions"]

# ``doc.user_data[ID_KEY]``, when set, names the document in its DocumentResult.
ID_KEY = "sourcetrace_id"
# ``doc.user_data[PUBLISHED_KEY]`` (a date, datetime or ISO 8601 string) places relative dates.
PUBLISHED_KEY = "sourcetrace_published"


def register_extensions() -> None:
    """Add ``Doc._.attributions`` and ``Doc._.sourcetrace``; repeated calls are harmless."""
    if not Doc.has_extension("attributions"):
        Doc.set_extension("attributions", default=())
    if not Doc.has_extension("sourcetrace"):
        Doc.set_extension("sourcetrace", default=None)


PARAGRAPHS = "sourcetrace_paragraphs"


@Language.component(PARAGRAPHS, assigns=["token.is_sent_start"])
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence. Placed before the parser, which keeps boundaries set
    before it: left alone, it can make one sentence of a headline and the paragraph below it,
    or of a quote-only paragraph and the next one, and its speaker then takes both."""
    for token in doc[:-1]:
        if token.is_space and is_paragraph_break(token.text):
            doc[token.i + 1].is_sent_start = True
    return doc


@Language.factory(MORPHOLOGY, assigns=["token.tag", "token.pos", "token.morph", "token.lemma"],
                  requires=["token.tag", "token.dep"],
                  default_config={"ruler": "attribute_ruler", "lemmatizer": "lemmatizer"})
def make_morphology(nlp: Language, name: str, *, ruler: str = "attribute_ruler",
                    lemmatizer: str = "lemmatizer") -> MemoMorphology:
    """Exactly what the pipeline's ``ruler`` and ``lemmatizer`` would do, from a memo
    (morphology.py); ``morphology.memoize_morphology`` adds it and disables those two."""
    return MemoMorphology(nlp.get_pipe(ruler), nlp.get_pipe(lemmatizer))


class SourcetraceComponent:
    """Runs :func:`sourcetrace.extract.analyze_doc` and stores its result on the Doc."""

    def __init__(self, nlp: Language, name: str = "sourcetrace", *, default_id: str = "doc",
                 min_confidence: float | None = None, tagger: str = "crf") -> None:
        self.name = name
        self.default_id = default_id
        self.min_confidence = min_confidence
        self.tagger = Settings(tagger=tagger).tagger  # validated here, not per doc
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc_id = str(doc.user_data.get(ID_KEY, self.default_id))
        anchor = publication_day(doc.user_data.get(PUBLISHED_KEY))
        result: DocumentResult = analyze_doc(doc, doc_id, self.min_confidence, self.tagger, anchor)
        attributions: tuple[Attribution, ...] = result.attributions
        doc._.attributions = attributions
        doc._.sourcetrace = result
        return doc


@Language.factory(
    "sourcetrace",
    assigns=["doc._.attributions", "doc._.sourcetrace"],
    requires=["token.dep", "token.pos", "doc.ents"],
    default_config={"default_id": "doc", "min_confidence": None, "tagger": "crf"},
)
def make_sourcetrace(nlp: Language, name: str, *, default_id: str = "doc",
                     min_confidence: float | None = None, tagger: str = "crf") -> SourcetraceComponent:
    """The ``sourcetrace`` factory: ``nlp.add_pipe("sourcetrace", config={"default_id": ...,
    "min_confidence": 0.0, "tagger": "encoder"})`` (None: the fitted threshold; 0.0: every
    attribution; tagger "crf" or "encoder", see settings.py)."""
    return SourcetraceComponent(nlp, name, default_id=default_id, min_confidence=min_confidence,
                                tagger=tagger)
