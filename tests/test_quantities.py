"""Quantities: number parsing as a pure table, extraction on the real model."""

from __future__ import annotations

import dataclasses

import pytest
import spacy

from sourcetrace.extract.quantities import extract_quantities, parse_number
from sourcetrace.nlp import load_nlp
from sourcetrace.records import Attribution, Content, Cue, DocumentResult, Quantity, stated_by


@pytest.mark.parametrize(("words", "expected"), [
    (["100,000"], 100000.0),
    (["1.5", "million"], 1.5e6),
    (["3bn"], 3e9),
    (["3.5", "m"], 3.5e6),
    (["two"], 2.0),
    (["a", "dozen"], 12.0),
    (["two", "hundred", "and", "fifty"], 250.0),
    (["twenty", "-", "five"], 25.0),
    (["a", "million"], 1e6),
    (["one", "million", "two", "hundred", "thousand"], 1.2e6),
    (["3rd"], None),
    (["soldiers"], None),
])
def test_parse_number(words: list[str], expected: float | None) -> None:
    assert parse_number(words) == expected


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return load_nlp()


# (text, [(quantity text, value, unit, hedge), ...])
CASES = [
    ("Up to 100,000 North Korean soldiers could be sent.",
     [("Up to 100,000 North Korean soldiers", 100000.0, "soldiers", "up to")]),
    ("Some 1.5 million people fled the city.",
     [("Some 1.5 million people", 1.5e6, "people", "some")]),
    ("The deal was worth $3bn.", [("$3bn", 3e9, "dollars", None)]),
    ("They paid 3 billion dollars for it.", [("3 billion dollars", 3e9, "dollars", None)]),
    ("Prices rose by £3.5m.", [("£3.5m", 3.5e6, "pounds", None)]),
    ("About 40% of voters agreed.", [("About 40%", 40.0, "percent", "about")]),
    ("Turnout was nearly 7 per cent.", [("nearly 7 per cent", 7.0, "percent", "nearly")]),
    ("Only 40 percent of them stayed.", [("Only 40 percent", 40.0, "percent", "only")]),
    ("Two brigades were moved.", [("Two brigades", 2.0, "brigades", None)]),
    ("They saw a dozen tanks.", [("a dozen tanks", 12.0, "tanks", None)]),
    ("Tens of thousands of troops massed at the border.",
     [("Tens of thousands of troops", 10000.0, "troops", "tens of")]),
    ("Hundreds of homes were destroyed.", [("Hundreds of homes", 100.0, "homes", "hundreds of")]),
    ("Hundreds of thousands of refugees fled.",
     [("Hundreds of thousands of refugees", 1e5, "refugees", "hundreds of")]),
    ("Several thousand troops arrived.", [("Several thousand troops", 1000.0, "troops", "several")]),
    ("A few hundred tanks moved.", [("A few hundred tanks", 100.0, "tanks", "a few")]),
    ("Russia has lost more than 300,000 troops.",
     [("more than 300,000 troops", 300000.0, "troops", "more than")]),
    ("At most 12 jets and as many as 40 drones took part.",
     [("At most 12 jets", 12.0, "jets", "at most"), ("as many as 40 drones", 40.0, "drones", "as many as")]),
    ("Fewer than twenty-five people came.",
     [("Fewer than twenty-five people", 25.0, "people", "fewer than")]),
    ("An estimated 3,000 civilians were evacuated.",
     [("An estimated 3,000 civilians", 3000.0, "civilians", "an estimated")]),
    ("Approximately $500 million was pledged.",
     [("Approximately $500 million", 5e8, "dollars", "approximately")]),
    # Skipped: dates, years, times, ordinals, phone numbers, names with digits, bare small words.
    ("The attack began on 12 March 2024 at 10:00.", []),
    ("In 2022 the war escalated.", []),
    ("It was his third visit.", []),
    ("Call 555-123-4567 for details.", []),
    ("The G7 leaders met.", []),
    ("Shafts of mine No. 2 collapsed.", []),
    ("The two said one of them had left.", []),
    ("One of the things he said was wrong.", []),
    ("Three of the 12 soldiers died.", [("12 soldiers", 12.0, "soldiers", None)]),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), CASES)
def test_extract_quantities(nlp: spacy.language.Language, text: str,
                            expected: list[tuple[str, float, str | None, str | None]]) -> None:
    got = extract_quantities(nlp(text))
    assert [(q.text, q.value, q.unit, q.hedge) for q in got] == expected
    for q in got:
        assert text[q.span[0]:q.span[1]] == q.text


@pytest.mark.slow
def test_quantities_in_text_order(nlp: spacy.language.Language) -> None:
    text = "About 500 troops, 3 tanks and 40% of the fleet: up to 2 million dollars in damage."
    got = extract_quantities(nlp(text))
    assert [q.value for q in got] == [500.0, 3.0, 40.0, 2e6]
    assert [q.span for q in got] == sorted(q.span for q in got)


def _said(aid: str, *spans: tuple[int, int], parent: str | None = None) -> Attribution:
    return Attribution(aid, None, Cue(((0, 1),), "x"), Content(spans, "…"), "indirect", parent)


def test_a_figure_belongs_to_the_innermost_content_that_states_it() -> None:
    """Spans on a 100-character line: a1 reports 10-90, a2 (inside it) says 40-60, a3 has a
    content in two parts; a figure nobody states is the writer's own."""
    attributions = [_said("a1", (10, 90)), _said("a2", (40, 60), parent="a1"), _said("a3", (92, 94), (96, 99))]
    quantities = [Quantity(span, "n", 1.0) for span in ((0, 8), (12, 20), (38, 48), (50, 55), (93, 94), (94, 96))]
    assert [q.attribution for q in stated_by(quantities, attributions)] == [None, "a1", "a2", "a2", "a3", None]
    # "up to" before the content's first word: the number's middle decides
    assert stated_by([Quantity((36, 50), "up to 100,000", 1e5)], attributions)[0].attribution == "a2"
    assert stated_by(quantities, []) == [dataclasses.replace(q, attribution=None) for q in quantities]


def test_figures_gather_the_mentions_of_one_value_in_order_of_first_mention() -> None:
    attributions = (_said("a1", (10, 90)),)
    quantities = tuple(stated_by([Quantity((0, 5), "100,000", 1e5, "troops"), Quantity((20, 25), "2", 2.0, "sides"),
                                  Quantity((30, 35), "100,000", 1e5, "volunteers"),
                                  Quantity((40, 45), "2", 2.0, "brigades"), Quantity((50, 55), "2", 2.0, "sides")],
                                 attributions))
    result = DocumentResult("d", attributions, quantities=quantities)
    found = result.figures()
    assert [(f.label, [(q.span, a.id if a else None) for q, a in f.mentions]) for f in found] == [
        ("100,000", [((0, 5), None), ((30, 35), "a1")]), ("2", [((20, 25), "a1"), ((50, 55), "a1")]),
        ("2", [((40, 45), "a1")])]
    assert DocumentResult.from_dict(result.to_dict()) == result                  # the id survives JSON
    assert "attribution" not in result.to_dict()["quantities"][0]                # absent when nobody states it


@pytest.mark.parametrize(("value", "label"), [
    (100000.0, "100,000"), (2.5, "2.5"), (12.0, "12"), (40e6, "40 million"), (2.5e6, "2.5 million"),
    (3.2e9, "3.2 billion"), (1234567.0, "1,234,567"), (1e12, "1 trillion"),
])
def test_a_figure_is_labelled_as_a_reader_would_say_it(value: float, label: str) -> None:
    from sourcetrace.records import Figure
    assert Figure(value, ()).label == label
