"""Dates: resolving an expression against a publication day as a pure table, extraction on the
real model (tense of the verb, spans), the record's JSON, the terminal label and the anchor."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcetrace.extract.dates import extract_dates, resolve_date
from sourcetrace.ingest.dates import publication_day
from sourcetrace.nlp import load_nlp
from sourcetrace.records import DateMention, DocumentResult

MONDAY = date(2016, 10, 3)  # the anchor of the table below
D = date


@pytest.mark.parametrize(("text", "tense", "expected"), [
    # point days
    ("yesterday", "past", (D(2016, 10, 2), D(2016, 10, 2), "day", None)),
    ("Sept. 12, 2016", "past", (D(2016, 9, 12), D(2016, 9, 12), "day", None)),
    ("Oct. 4", "current_period", (D(2016, 10, 4), D(2016, 10, 4), "day", None)),
    ("Monday", "past", (MONDAY, MONDAY, "day", None)),               # the paper's own day
    ("earlier Monday", "past", (MONDAY, MONDAY, "day", "earlier")),
    ("Thursday", "past", (D(2016, 9, 29), D(2016, 9, 29), "day", None)),
    ("Thursday", "future", (D(2016, 10, 6), D(2016, 10, 6), "day", None)),
    ("Nov. 8", "future", (D(2016, 11, 8), D(2016, 11, 8), "day", None)),
    ("September 16-19", "past", (D(2016, 9, 16), D(2016, 9, 19), "day", None)),
    # weeks, months, seasons, years
    ("last week", "past", (D(2016, 9, 26), D(2016, 10, 2), "week", None)),
    ("later this week", "current_period", (D(2016, 10, 3), D(2016, 10, 9), "week", "later")),
    ("the past two weeks", "past", (D(2016, 9, 19), MONDAY, "week", None)),
    ("last month", "past", (D(2016, 9, 1), D(2016, 9, 30), "month", None)),
    ("late September", "past", (D(2016, 9, 1), D(2016, 9, 30), "month", "late")),
    ("the end of June", "past", (D(2016, 6, 1), D(2016, 6, 30), "month", "end")),
    ("March 2015", "past", (D(2015, 3, 1), D(2015, 3, 31), "month", None)),
    ("last summer", "past", (D(2016, 6, 1), D(2016, 8, 31), "season", None)),
    ("next spring", "future", (D(2017, 3, 1), D(2017, 5, 31), "season", None)),
    ("this winter", "current_period", (D(2016, 12, 1), D(2017, 2, 28), "season", None)),
    ("the fall of 2010", "past", (D(2010, 9, 1), D(2010, 11, 30), "season", None)),
    ("2016", "past", (D(2016, 1, 1), D(2016, 12, 31), "year", None)),
    ("three years ago", "past", (D(2013, 1, 1), D(2013, 12, 31), "year", None)),
    ("2015-16", "past", (D(2015, 1, 1), D(2016, 12, 31), "year", None)),
    ("the last five years", "past", (D(2011, 10, 3), MONDAY, "year", None)),
    ("the end of the year", "past", (D(2016, 1, 1), D(2016, 12, 31), "year", "end")),
    ("the past week", "past", (D(2016, 9, 26), MONDAY, "week", None)),           # seven days, not the calendar's
    ("Oct. 19's", "future", (D(2016, 10, 19), D(2016, 10, 19), "day", None)),
    # quarters, halves, weekends (Monday's "last weekend" is the one just over)
    ("the second quarter", "past", (D(2016, 4, 1), D(2016, 6, 30), "quarter", None)),
    ("the fourth quarter of last year", "past", (D(2015, 10, 1), D(2015, 12, 31), "quarter", None)),
    ("the first half of 2016", "past", (D(2016, 1, 1), D(2016, 6, 30), "half", None)),
    ("last weekend", "past", (D(2016, 10, 1), D(2016, 10, 2), "weekend", None)),
    ("over the weekend", "past", (D(2016, 10, 1), D(2016, 10, 2), "weekend", None)),
    ("this weekend", "current_period", (D(2016, 10, 8), D(2016, 10, 9), "weekend", None)),
    # decades and centuries
    ("the mid-1990s", "past", (D(1990, 1, 1), D(1999, 12, 31), "decade", "mid")),
    ("the '80s", "past", (D(1980, 1, 1), D(1989, 12, 31), "decade", None)),
    ("the next decade", "future", (D(2020, 1, 1), D(2029, 12, 31), "decade", None)),
    ("this century", "current_period", (D(2001, 1, 1), D(2100, 12, 31), "century", None)),
])
def test_resolve_against_a_monday(text: str, tense: str, expected: tuple) -> None:
    start, end, granularity, modifier, _relative = resolve_date(text, MONDAY, tense)
    assert (start, end, granularity, modifier) == expected


@pytest.mark.parametrize("text", [
    "two weeks", "10 years", "17-year-old", "29 years old", "mid-30s", "annual", "each day",
    "that day", "a month later", "recent years", "Christmas", "59",
])
def test_durations_ages_sets_and_anaphora_are_no_dates(text: str) -> None:
    assert resolve_date(text, MONDAY, "past") is None


@pytest.mark.parametrize(("anchor", "text", "saturday"), [
    (D(2016, 10, 2), "over the weekend", D(2016, 10, 1)),   # said on the Sunday: this one
    (D(2016, 10, 2), "last weekend", D(2016, 9, 24)),       # … but "last weekend" is the one before
    (D(2016, 10, 1), "this weekend", D(2016, 10, 1)),
    (D(2016, 10, 1), "next weekend", D(2016, 10, 8)),
    (D(2016, 10, 7), "this past weekend", D(2016, 10, 1)),  # a Friday
])
def test_weekends_said_on_other_days(anchor: date, text: str, saturday: date) -> None:
    start, end, granularity, *_ = resolve_date(text, anchor, "past")  # type: ignore[misc]
    assert (start, end, granularity) == (saturday, saturday + timedelta(days=1), "weekend")


def test_relative_needs_an_anchor_absolute_does_not() -> None:
    assert resolve_date("Tuesday", None) == (None, None, None, None, True)
    assert resolve_date("early Tuesday", None) == (None, None, None, "early", True)
    assert resolve_date("July 6, 2015", None) == (D(2015, 7, 6), D(2015, 7, 6), "day", None, False)
    assert resolve_date("the 1970s", None)[:3] == (D(1970, 1, 1), D(1979, 12, 31), "decade")
    assert resolve_date("the 1970s", None)[4] is False and resolve_date("yesterday", MONDAY)[4] is True


def test_publication_day_is_the_sources_own_day() -> None:
    assert publication_day("2016-10-03T21:30:00-04:00") == D(2016, 10, 3)  # 01:30 UTC on the 4th
    assert publication_day("Mon, 03 Oct 2016 21:30:00 -0400") == D(2016, 10, 3)
    assert publication_day(datetime(2016, 10, 3, 23, tzinfo=UTC)) == D(2016, 10, 3)
    assert publication_day(D(2016, 10, 3)) == D(2016, 10, 3)
    assert publication_day("2016-10-03") == D(2016, 10, 3)
    for bad in (None, "", "last tuesday", "9999-12-31T23:59:59-14:00", "2016-13-45"):
        assert publication_day(bad) is None


def test_record_round_trips_and_labels() -> None:
    placed = DateMention((3, 12), "last week", D(2016, 9, 26), D(2016, 10, 2), "week", None, True)
    unplaced = DateMention((20, 27), "Tuesday", None, None, None, None, True)
    result = DocumentResult("d", dates=(placed, unplaced))
    data = result.to_dict()
    assert data["dates"][0] == {"span": [3, 12], "text": "last week", "start": "2016-09-26", "end": "2016-10-02",
                                "granularity": "week", "modifier": None, "relative": True}
    assert DocumentResult.from_dict(data) == result
    assert placed.period_label() == "2016-09-26 – 2016-10-02"
    assert unplaced.period_label() == "unplaced"
    assert DateMention((0, 1), "x", D(2016, 9, 1), D(2016, 9, 30), "month", "late").period_label() == "2016-09 (late)"
    assert DateMention((0, 1), "x", D(1990, 1, 1), D(1999, 12, 31), "decade").period_label() == "1990s"
    assert DateMention((0, 1), "x", D(2015, 1, 1), D(2016, 12, 31), "year").period_label() == "2015–2016"
    assert DateMention((0, 1), "x", D(2016, 4, 1), D(2016, 6, 30), "quarter").period_label() == "2016-Q2"
    assert DateMention((0, 1), "x", D(2016, 7, 1), D(2016, 12, 31), "half").period_label() == "2016-H2"


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return load_nlp()


@pytest.mark.slow
def test_extraction_reads_the_tense_and_keeps_offsets(nlp: spacy.language.Language) -> None:
    text = ("The senator said on Tuesday that the vote, first planned for the mid-1990s, would be held "
            "next month. Her party will meet on Thursday. The bill was drafted two years ago, "
            "over 10 years of talks with a 17-year-old activist.")
    found = {d.text: d for d in extract_dates(nlp(text), MONDAY)}
    assert set(found) == {"Tuesday", "the mid-1990s", "next month", "Thursday", "two years ago"}
    for mention in found.values():
        assert text[mention.span[0]:mention.span[1]] == mention.text
    assert (found["Tuesday"].start, found["Thursday"].start) == (D(2016, 9, 27), D(2016, 10, 6))
    assert (found["next month"].start, found["next month"].granularity) == (D(2016, 11, 1), "month")
    assert found["the mid-1990s"].relative is False and found["the mid-1990s"].modifier == "mid"
    unplaced = extract_dates(nlp(text), None)
    assert {d.text for d in unplaced} == set(found)
    assert all(d.start is None for d in unplaced if d.relative)


_WORDS = st.sampled_from(["last", "next", "the", "early", "mid-", "late", "Sept.", "October", "Tuesday", "2016",
                          "1990s", "'90s", "-", "–", "..", "16", "19", "31", "of", "end", "week", "years", "ago",
                          "summer", "winter", "decade", "century", "past", "two", "9999", "2199", "yesterday"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.text(max_size=4)), min_size=1, max_size=6),
       st.one_of(st.none(), st.dates(min_value=D(1000, 1, 1), max_value=D(9998, 12, 31))),
       st.sampled_from(["past", "future", "current_period"]))
def test_any_words_resolve_to_a_period_or_to_nothing(words: list[str], anchor: date | None, tense: str) -> None:
    """Never an exception and never a period that ends before it starts or leaves the calendar's
    plausible range, whatever the words and however far the anchor ("last winter" in 9998)."""
    found = resolve_date(" ".join(words), anchor, tense)  # type: ignore[arg-type]
    if found is not None and found[0] is not None:
        start, end = found[0], found[1]
        assert end is not None and start <= end and D(1000, 1, 1) <= start and end <= D(2199, 12, 31)


@pytest.mark.parametrize("period", ["winter 9999", "the 9990s"])
def test_periods_past_the_plausible_range_are_none(period: str) -> None:
    assert resolve_date(period, D(2016, 10, 3), "past") is None
