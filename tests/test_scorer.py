"""The scorer on hand-made gold whose answers are worked out by hand (no model, no data)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from sourcetrace.eval.polnear import GoldAttribution, GoldDocument
from sourcetrace.eval.scorer import (
    Counts,
    EvalReport,
    is_direct_quote,
    label_counts,
    max_weight_matching,
    score_corpus,
    score_document,
    spans_of,
    tokenize,
)
from sourcetrace.records import Attribution, Content, Cue, Source

TEXT = (
    'Ann Lee said the plan would fail. "It is dead," Bob Roe told reporters. '
    "Officials believe taxes will rise next year."
)


def at(phrase: str, text: str = TEXT, nth: int = 0) -> tuple[tuple[int, int], ...]:
    """The offsets of the nth occurrence of ``phrase`` as a one-span Offsets."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return ((start, start + len(phrase)),)


def attr(content: str, cue: str, source: str | None) -> GoldAttribution:
    return GoldAttribution(source=at(source) if source else None, cue=at(cue), content=at(content))


ANN = attr("the plan would fail", "said", "Ann Lee")
BOB = attr('"It is dead,"', "told", "Bob Roe")
OFFICIALS = attr("taxes will rise next year", "believe", "Officials")
GOLD = GoldDocument("d1", TEXT, (ANN, BOB, OFFICIALS))
NO_SOURCE = GoldDocument("d2", TEXT, (attr("taxes will rise next year", "believe", None),))


# --------------------------------------------------------------------------- tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ann said.", ["Ann", "said", "."]),
        ('"It is," he', ['"', "It", "is", ",", '"', "he"]),
        ("“Don’t”", ["“", "Don", "’", "t", "”"]),
        ("  ", []),
    ],
)
def test_tokenize(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in tokenize(text)] == expected


# --------------------------------------------------------------------------- attribution matching

# (case, gold document, predictions, (content-matched tp, end-to-end tp))
MATCH_CASES = [
    ("perfect", GOLD, [ANN, BOB, OFFICIALS], (3, 3)),
    ("missing one", GOLD, [ANN, BOB], (2, 2)),
    ("spurious one", GOLD, [ANN, BOB, OFFICIALS, attr("next year", "told", "reporters")], (3, 3)),
    # gold content "taxes will rise next year" = 5 tokens; 3 predicted with 2 shared: F1 = 4/8
    ("content F1 exactly 0.5", GOLD, [attr("believe taxes will", "believe", "Officials")], (1, 1)),
    # 4 predicted with 2 shared: F1 = 4/9 < 0.5
    ("content F1 just under 0.5", GOLD, [attr("Officials believe taxes will", "believe", "Officials")], (0, 0)),
    ("wrong source: end-to-end only", GOLD, [attr("the plan would fail", "said", "reporters")], (1, 0)),
    ("source missing in prediction", GOLD, [attr("the plan would fail", "said", None)], (1, 0)),
    ("partly overlapping source", GOLD, [attr("the plan would fail", "said", "Lee")], (1, 1)),
    ("both sources absent", NO_SOURCE, [attr("taxes will rise next year", "believe", None)], (1, 1)),
    ("source predicted, gold has none", NO_SOURCE, [attr("taxes will rise next year", "believe", "Officials")],
     (1, 0)),
    ("two predictions for one gold count once", GOLD, [ANN, ANN], (1, 1)),
    ("no predictions", GOLD, [], (0, 0)),
]


@pytest.mark.parametrize(("gold", "predicted", "expected"), [c[1:] for c in MATCH_CASES],
                         ids=[c[0] for c in MATCH_CASES])
def test_attribution_matching(gold: GoldDocument, predicted: list[GoldAttribution],
                              expected: tuple[int, int]) -> None:
    score = score_document(gold, predicted)
    assert (score.content_matched.tp, score.end_to_end.tp) == expected
    for counts in (score.content_matched, score.end_to_end):
        assert (counts.predicted, counts.gold) == (len(predicted), len(gold.attributions))


@pytest.mark.parametrize(
    ("predicted", "precision", "recall"),
    [
        ([ANN, BOB, OFFICIALS], 1.0, 1.0),
        ([ANN, BOB], 1.0, 2 / 3),
        ([ANN, BOB, OFFICIALS, attr("next year", "told", "reporters")], 3 / 4, 1.0),
        ([ANN, ANN], 1 / 2, 1 / 3),
    ],
)
def test_attribution_precision_recall(predicted: list[GoldAttribution], precision: float, recall: float) -> None:
    report = score_corpus([(GOLD, predicted, None)])
    assert report.content_matched.precision == pytest.approx(precision)
    assert report.content_matched.recall == pytest.approx(recall)
    assert report.content_matched.f1 == pytest.approx(
        2 * precision * recall / (precision + recall))


def test_discontinuous_content() -> None:
    text = 'The mayor said "Taxes," and then, "will rise."'
    gold_content = at('"Taxes,"', text) + at('"will rise."', text)  # 4 + 5 tokens
    gold = GoldDocument("d", text, (GoldAttribution(at("The mayor", text), at("said", text), gold_content),))
    # Only the second part predicted: content F1 = 2·5 / (5 + 9) ≈ 0.71.
    score = score_document(gold, [GoldAttribution(at("The mayor", text), at("said", text), at('"will rise."', text))])
    assert score.content_matched.tp == 1
    assert score.content_tokens == Counts(tp=5, predicted=5, gold=9)
    assert score.exact.content == 0
    # The tokens between the two parts ("and then ,") belong to neither.
    gap = GoldAttribution(at("The mayor", text), at("said", text), at("and then,", text))
    assert score_document(gold, [gap]).content_tokens.tp == 0


# --------------------------------------------------------------------------- token metrics


def test_token_counts_per_role() -> None:
    # Gold content tokens: 4 ("the plan would fail") + 6 ('" It is dead , "') + 5 = 15.
    score = score_document(GOLD, [attr("the plan", "said the", "Ann")])
    assert score.content_tokens == Counts(tp=2, predicted=2, gold=15)
    assert score.cue_tokens == Counts(tp=1, predicted=2, gold=3)
    assert score.source_tokens == Counts(tp=1, predicted=1, gold=5)


def test_token_counted_once_per_role() -> None:
    # Two predictions covering the same content tokens: each token is counted once.
    score = score_document(GOLD, [ANN, ANN])
    assert score.content_tokens == Counts(tp=4, predicted=4, gold=15)


# --------------------------------------------------------------------------- exact match


def test_exact_match_rates() -> None:
    predicted = [ANN, attr('"It is dead,"', "told reporters", "Bob Roe"),
                 attr("taxes will rise", "believe", "Officials")]
    report = score_corpus([(GOLD, predicted, None)])
    assert report.exact.pairs == 3
    assert [report.exact.rate(r) for r in ("content", "source", "cue", "full")] == pytest.approx(
        [2 / 3, 1.0, 2 / 3, 1 / 3])


# --------------------------------------------------------------------------- direct quotes


@pytest.mark.parametrize(
    ("text", "content", "expected"),
    [
        ('"It is dead," he said.', '"It is dead,"', True),
        ("“It is dead,” he said.", "“It is dead,”", True),
        ("He said “we will win this race” today.", "we will win this race", True),
        # Five of six content tokens inside the quotes (≥ 80%): direct.
        ("He said that “we will win this” race.", "we will win this” race", True),
        ("He said the plan would fail.", "the plan would fail", False),
        ("He said the “plan” would fail.", "the “plan” would fail", False),
        # A curly quote left open runs to the end of the paragraph.
        ("He said: “We will win\nand more.", "We will win", True),
        # Straight quotes do not pair across lines.
        ('He said: "We will win\nand "more', "We will win", False),
    ],
)
def test_is_direct_quote(text: str, content: str, expected: bool) -> None:
    assert is_direct_quote(text, at(content, text)) is expected


def test_direct_quote_recall() -> None:
    # BOB is the only direct quote in GOLD.
    found = score_corpus([(GOLD, [BOB], None)])
    missed = score_corpus([(GOLD, [ANN, OFFICIALS], None)])
    assert (found.direct_quotes.gold, found.direct_quotes.recall) == (1, 1.0)
    assert (missed.direct_quotes.gold, missed.direct_quotes.recall) == (1, 0.0)
    assert found.headline()["direct_quote_content_recall"] == 1.0


# --------------------------------------------------------------------------- matching algorithm


def test_matching_prefers_more_pairs_over_higher_f1() -> None:
    # Greedy by F1 would take (0, 0) and stop at one pair.
    weights = {(0, 0): 0.9, (0, 1): 0.6, (1, 0): 0.6}
    assert max_weight_matching(weights) == [(0, 1), (1, 0)]


def test_matching_prefers_higher_total_f1() -> None:
    weights = {(0, 0): 0.6, (0, 1): 0.9, (1, 0): 0.9, (1, 1): 0.6}
    assert max_weight_matching(weights) == [(0, 1), (1, 0)]


def _brute_force(weights: dict[tuple[int, int], float]) -> tuple[int, float]:
    best = (0, 0.0)
    pairs = list(weights)
    for k in range(1, len(pairs) + 1):
        for combo in itertools.combinations(pairs, k):
            if len({i for i, _ in combo}) == k == len({j for _, j in combo}):
                best = max(best, (k, sum(weights[p] for p in combo)))
    return best


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(0, 3), st.integers(0, 4)),
                       st.floats(0.5, 1.0, allow_nan=False), max_size=9))
def test_matching_is_optimal(weights: dict[tuple[int, int], float]) -> None:
    matched = max_weight_matching(weights)
    assert len({i for i, _ in matched}) == len(matched) == len({j for _, j in matched})
    count, total = _brute_force(weights)
    assert len(matched) == count
    assert sum(weights[p] for p in matched) == pytest.approx(total)


# --------------------------------------------------------------------------- report


def test_failed_document_counts_as_no_predictions() -> None:
    report = score_corpus([(GOLD, [], "extraction failed"), (NO_SOURCE, list(NO_SOURCE.attributions), None)])
    assert [d.id for d in report.failed] == ["d1"]
    assert report.content_matched == Counts(tp=1, predicted=1, gold=4)


def test_render_survives_markup_in_errors_and_ids() -> None:
    odd = GoldDocument("doc[/]1", TEXT, GOLD.attributions)
    console = Console(record=True, width=80)
    score_corpus([(odd, [], "extraction failed: [bold] unbalanced [/]")]).render(console)
    out = console.export_text()
    assert "doc[/]1" in out and "[bold] unbalanced" in out


def test_empty_corpus_scores_zero() -> None:
    report = score_corpus([])
    assert set(report.headline().values()) == {0.0}
    assert report.to_dict()["documents"] == 0


def test_report_dict_and_render() -> None:
    report = score_corpus([(GOLD, [ANN, BOB, OFFICIALS], None)])
    data = report.to_dict()
    assert data["metrics"] == {
        "end_to_end_f1": 1.0, "content_matched_f1": 1.0, "direct_quote_content_recall": 1.0,
        "source_token_f1": 1.0, "cue_token_f1": 1.0, "content_token_f1": 1.0,
    }
    assert data["per_document"][0] == {
        "id": "d1", "gold": 3, "predicted": 3, "content_matched": 3, "end_to_end": 3,
        "direct_quotes": 1, "direct_quotes_content_matched": 1, "error": None,
    }
    console = Console(record=True, width=120)
    report.render(console)
    out = console.export_text()
    assert "content-matched" in out and "end-to-end" in out and "Direct quotes" in out


def test_report_is_frozen() -> None:
    report = EvalReport.from_documents([])
    with pytest.raises(AttributeError):
        report.documents = ()  # type: ignore[misc]


def test_spans_of_engine_attribution() -> None:
    engine = Attribution(
        id="a1",
        source=Source(at("Bob Roe"), "Bob Roe"),
        cue=Cue(at("told"), "told"),
        content=Content(at('"It is dead,"'), '"It is dead,"'),
        type="direct",
    )
    assert spans_of(engine) == BOB
    assert spans_of(Attribution("a2", None, engine.cue, engine.content, "direct")).source is None


def test_label_counts_score_one_role_of_a_bio_sequence() -> None:
    gold = ["B-SRC", "I-SRC", "O", "B-CON", "I-CON", "I-CON"]
    tagged = ["B-SRC", "O", "O", "O", "B-CON", "I-CON"]
    source, source_exact = label_counts(tagged, gold, "SRC")
    content, content_exact = label_counts(tagged, gold, "CON")
    assert (source.tp, source.predicted, source.gold, source_exact) == (1, 1, 2, False)
    assert (content.tp, content.predicted, content.gold, content_exact) == (2, 2, 3, False)
    assert content.f1 == pytest.approx(0.8)
    assert label_counts(gold, gold, "CON") == (Counts(3, 3, 3), True)
    assert label_counts(["O", "O"], ["O", "O"], "SRC") == (Counts(0, 0, 0), True)  # none, rightly
    with pytest.raises(ValueError):
        label_counts(["O"], ["O", "O"], "SRC")
