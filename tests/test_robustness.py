"""Hostile input: every text either yields a well-formed DocumentResult or raises DocumentError.

Well-formed means every span lies inside the text and every record's ``text`` is the text at its
spans, so offsets can be trusted downstream. Anything other than DocumentError is a bug.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rich.console import Console

from sourcetrace.analyzer import Analyzer
from sourcetrace.document import Document, document_from_bytes
from sourcetrace.errors import DocumentError
from sourcetrace.records import DocumentResult, Offsets, spans_text
from sourcetrace.render import highlighted_article, render_result

KINDS = {"empty", "binary", "encoding", "too-large", "not-english", "unreadable", "internal"}
QUOTES = ["“", "”", '"', "‘", "’", "«", "»", "'", "„", "‹", "›", "``", "''"]
WORDS = (
    "the a of and to in that said told says according he she they it was is would could up to "
    "reportedly officials minister spokesman Anton Belisarov Meridian agency news diplomatic "
    "channels source sources 100,000 soldiers troops denied claimed added warned, . ; : — - ( ) "
    "Mr. Dr. U.S. citing wrote, editor-in-chief of journal, who asked not to be named"
).split()
CONTROLS = ["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\u200b",
            "\ufeff", "\u202e", "\r", "\r\n", "\t", "\xad", "\u200e", "\u2009"]

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
FAST = settings(max_examples=30, deadline=None, database=None, suppress_health_check=_QUIET)
LONG = settings(max_examples=5, deadline=None, database=None, suppress_health_check=_QUIET)

token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    st.sampled_from(QUOTES),
    st.sampled_from(CONTROLS),
    st.text(min_size=1, max_size=3),
)
separator = st.sampled_from([" ", " ", " ", "", "\n", "\n\n", "\u00a0"])


@st.composite
def newsy_text(draw: st.DrawFn, max_tokens: int = 400) -> str:
    """English-looking text with stray quote marks and control characters mixed in."""
    tokens = draw(st.lists(token, min_size=1, max_size=max_tokens))
    seps = draw(st.lists(separator, min_size=len(tokens), max_size=len(tokens)))
    return "".join(t + s for t, s in zip(tokens, seps, strict=True))


@st.composite
def long_paragraph(draw: st.DrawFn) -> str:
    """One paragraph of tens of thousands of characters, quotes left open."""
    words = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(QUOTES))
    fragment = " ".join(draw(st.lists(words, min_size=1, max_size=80)))
    size = draw(st.integers(min_value=5_000, max_value=60_000))
    return (fragment + " ") * (size // (len(fragment) + 1) + 1)


def _check_spans(text: str, spans: Offsets, expected: str | None = None) -> None:
    for start, end in spans:
        assert 0 <= start <= end <= len(text), (start, end, len(text))
    if expected is not None:
        assert expected == spans_text(text, spans), (expected, spans)


def check_result(text: str, result: DocumentResult, doc_id: str = "doc") -> None:
    assert isinstance(result, DocumentResult)
    assert result.id == doc_id
    ids = [a.id for a in result.attributions]
    assert len(ids) == len(set(ids)), "attribution ids repeat"
    for a in result.attributions:
        if a.source is not None:
            _check_spans(text, a.source.spans, a.source.text)
        _check_spans(text, a.cue.spans, a.cue.text)
        _check_spans(text, a.content.spans, a.content.text)
        assert a.parent is None or a.parent in ids, a.parent
        assert 0.0 <= a.confidence <= 1.0
    for e in result.entities:
        _check_spans(text, e.mentions)
    for q in result.quantities:
        _check_spans(text, (q.span,), q.text)


def analyze_or_refuse(analyzer: Analyzer, text: str) -> str:
    """Analyse and check the result, or accept a DocumentError; says which happened."""
    try:
        result = analyzer.analyze_text(text, "doc")
    except DocumentError as err:
        assert err.kind in KINDS, err.kind
        assert err.doc_id == "doc"
        return f"refused: {err.kind}"
    check_result(text, result)
    return "analysed" + (" with attributions" if result.attributions else "")


@pytest.fixture(scope="module")
def analyzer() -> Iterator[Analyzer]:
    yield Analyzer()


# --- no model needed ---------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=4_000))
def test_bytes_decode_exactly_or_refuse(data: bytes) -> None:
    try:
        doc = document_from_bytes("b", data)
    except DocumentError as err:
        assert err.kind in KINDS
        return
    assert isinstance(doc, Document)
    assert doc.text == data.decode("utf-8")  # nothing stripped or translated


@FAST
@given(st.text(max_size=2_000), st.lists(st.tuples(st.integers(-50, 2_100), st.integers(-50, 2_100)),
                                          max_size=8))
def test_render_never_fails_and_keeps_offsets(text: str, raw_spans: list[tuple[int, int]]) -> None:
    from sourcetrace.records import Attribution, Content, Cue, Source

    spans = tuple((min(s, e), max(s, e)) for s, e in raw_spans) or ((0, 0),)
    attribution = Attribution("A1", Source(spans, text[:20]), Cue(spans, text[:5]),
                              Content(spans, text), "mixed", parent="A0")
    result = DocumentResult("d", (attribution,))
    assert len(highlighted_article(text, result).plain) == len(text)
    out = io.StringIO()
    render_result(Console(file=out, width=100, color_system=None), text, result)
    assert "\x1b" not in out.getvalue()


# --- the real model ----------------------------------------------------------------------------

@pytest.mark.slow
@FAST
@given(text=st.text(max_size=3_000))
def test_arbitrary_unicode(analyzer: Analyzer, text: str) -> None:
    event(analyze_or_refuse(analyzer, text))


@pytest.mark.slow
@FAST
@given(text=newsy_text())
def test_newsy_text_with_unbalanced_quotes(analyzer: Analyzer, text: str) -> None:
    event(analyze_or_refuse(analyzer, text))


@pytest.mark.slow
@LONG
@given(text=long_paragraph())
def test_long_single_paragraphs(analyzer: Analyzer, text: str) -> None:
    event(analyze_or_refuse(analyzer, text))


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "“" * 50 + " he said " + "”" * 3,
        "He said “the first paragraph never closes.\n\n“Nor does the second,” he said.",
        "«Up to 100,000 troops», the agency reported. ‘Maybe, ’ she said' \"",
        "\ufeffThe minister said\r\nthe plan\x0bwould work, according to officials.\u2028He said so.",
        '"' * 1_000,
        "said " * 2_000,
        # Whitespace runs where a signature or a speaker label could end: patterns that once
        # backtracked quadratically here (20,000 spaces took minutes).
        "“We are ready for this.” — Jane Doe" + " " * 20_000 + "x",
        "Pence: the plan" + " " * 20_000 + "works\nPENCE: yes" + "\t" * 20_000,
        # One run-on "sentence" full of cues: role windows and clauses are bounded, not the sentence.
        "he said officials told him " * 300,
    ],
    ids=["many-open", "two-paragraph-quote", "mixed-marks", "bom-crlf-controls", "straight-marks",
         "cues-only", "signature-then-spaces", "label-then-spaces", "run-on-cues"],
)
def test_hand_picked_hostile_texts(analyzer: Analyzer, text: str) -> None:
    analyze_or_refuse(analyzer, text)


MEGABYTE_PARAGRAPH = ("“Up to 100,000 soldiers could be sent, the agency reported, citing diplomatic "
                      "channels, and the minister said ‘no’ ") * 9_000


@pytest.mark.slow
def test_one_megabyte_paragraph(analyzer: Analyzer) -> None:
    # Just over a million characters in one paragraph, beyond spaCy's nlp.max_length:
    # it must be analysed or refused with a reason, never crash.
    assert 1_000_000 < len(MEGABYTE_PARAGRAPH) < 1_100_000
    analyze_or_refuse(analyzer, MEGABYTE_PARAGRAPH)


@pytest.mark.slow
def test_megabyte_document_does_not_abort_its_batch(analyzer: Analyzer) -> None:
    good = "The minister said the plan would work, and officials told reporters it was agreed."
    documents = [Document("big", MEGABYTE_PARAGRAPH), Document("good", good)]
    outcomes = list(analyzer.analyze_documents(documents))
    assert [o.doc_id for o in outcomes] == ["big", "good"]
    assert outcomes[1].ok and outcomes[1].result is not None
    check_result(good, outcomes[1].result, "good")
    if not outcomes[0].ok:
        assert outcomes[0].error is not None and outcomes[0].error.kind in KINDS
