"""Compatibility (entities, numbers) and mutations on hand-built claims."""

from __future__ import annotations

from datetime import date

import pytest

from sourcetrace.linking import ClaimItem, LinkSettings, compatible, mutations
from sourcetrace.linking.embeddings import embedding_text
from sourcetrace.records import DateMention, Quantity


def q(text: str, value: float, unit: str | None, hedge: str | None = None) -> Quantity:
    return Quantity((0, len(text)), text, value, unit, hedge)


def item(key: int, text: str = "", *, quantities: tuple[Quantity, ...] = (), entities: tuple[str, ...] = (),
         markers: tuple[str, ...] = (), speaker: str | None = "Igor Korotchenko", kind: str = "person") -> ClaimItem:
    return ClaimItem(key, text or f"claim {key}", quantities=quantities, entities=entities, markers=markers,
                     speaker=speaker, speaker_kind=kind)


@pytest.mark.parametrize(("a", "b", "ok"), [
    ((q("100,000 soldiers", 1e5, "soldiers"),), (q("10,000 soldiers", 1e4, "soldiers"),), False),
    ((q("100,000 soldiers", 1e5, "soldiers"),), (q("98,000 soldiers", 98e3, "soldiers"),), True),
    ((q("up to 100,000 soldiers", 1e5, "soldiers", "up to"),), (q("100,000 soldiers", 1e5, "soldiers"),), True),
    ((q("100,000 soldiers", 1e5, "soldiers"),), (q("10 percent", 10, "percent"),), True),  # other units
    ((q("100,000 soldiers", 1e5, "soldiers"),), (), True),                                   # number omitted
    ((q("5 percent", 5, "percent"), q("100 ships", 100, "ships")),
     (q("5 percent", 5, "percent"), q("40 ships", 40, "ships")), False),
    ((q("$3 million", 3e6, "dollars"),), (q("$3.2 million", 3.2e6, "dollars"),), True),
    ((q("100,000 troops", 1e5, "troops"),), (q("10,000 soldiers", 1e4, "soldiers"),), False),  # the same thing
    ((q("100,000 troops", 1e5, "troops"),), (q("100,000 soldiers", 1e5, "soldiers"),), True),
    ((q("12 casualties", 12, "casualties"),), (q("1 casualty", 1, "casualty"),), False),
])
def test_numbers(a: tuple[Quantity, ...], b: tuple[Quantity, ...], ok: bool) -> None:
    assert compatible(item(1, quantities=a), item(2, quantities=b))[0] is ok
    assert compatible(item(2, quantities=b), item(1, quantities=a))[0] is ok


def test_refusal_says_why() -> None:
    ok, why = compatible(item(1, quantities=(q("100,000 soldiers", 1e5, "soldiers"),)),
                         item(2, quantities=(q("10,000 soldiers", 1e4, "soldiers"),)))
    assert not ok and "numbers differ" in why and "soldier" in why


def test_tolerance_is_a_setting() -> None:
    a = item(1, quantities=(q("100 ships", 100, "ships"),))
    b = item(2, quantities=(q("150 ships", 150, "ships"),))
    assert not compatible(a, b)[0]
    assert compatible(a, b, LinkSettings(number_tolerance=0.5))[0]


@pytest.mark.parametrize(("a", "b", "ok"), [
    (("Kim Jong-un",), ("Kim Jung-un",), True),
    (("Vladimir Putin", "Kremlin"), ("Putin",), True),
    (("Vladimir Putin",), ("Donald Trump",), False),
    (("Iran",), ("Iraq",), False),
    ((), ("Donald Trump",), True),
])
def test_entities(a: tuple[str, ...], b: tuple[str, ...], ok: bool) -> None:
    assert compatible(item(1, entities=a), item(2, entities=b))[0] is ok


def test_entity_rule_can_be_switched_off() -> None:
    a, b = item(1, entities=("Iran",)), item(2, entities=("Iraq",))
    assert compatible(a, b, LinkSettings(require_entity_overlap=False))[0]


def test_mutations_number_hedge_speaker() -> None:
    first = item(1, "up to 100,000 soldiers may be sent", quantities=(q("up to 100,000 soldiers", 1e5, "soldiers",
                                                                           "up to"),), markers=("may",))
    later = item(2, "120,000 soldiers will be sent", quantities=(q("120,000 soldiers", 12e4, "soldiers"),),
                 speaker="Sergei Shoigu")
    found = {(mu.kind, mu.before, mu.after) for mu in mutations(first, later)}
    assert found == {("number", "up to 100,000 soldiers", "120,000 soldiers"), ("hedge-dropped", "may", None),
                     ("hedge-dropped", "up to", None), ("speaker", "Igor Korotchenko", "Sergei Shoigu")}
    mu = mutations(first, later)[0]
    assert (mu.first_text, mu.text, mu.claim, mu.first) == (first.text, later.text, 2, 1)
    assert sorted(m.summary for m in mutations(first, later)) == [
        "dropped the hedge “may”", "dropped the hedge “up to”",
        "figure up to 100,000 soldiers → 120,000 soldiers", "speaker Igor Korotchenko → Sergei Shoigu"]
    assert mu.to_dict()["summary"] == mu.summary


@pytest.mark.parametrize(("unit", "key"), [
    ("soldiers", "soldier"), ("troops", "soldier"), ("Troop", "soldier"), ("servicemen", "soldier"),
    ("casualties", "casualty"), ("people", "people"), ("persons", "people"), ("km", "kilometre"),
    ("kilometers", "kilometre"), ("percent", "percent"), ("percentage points", "percentage point"),
    ("dollars", "dollar"), ("glass", "glass"), ("census", "census"), (None, ""), ("", ""),
])
def test_unit_key_says_what_a_number_counts(unit: str | None, key: str) -> None:
    from sourcetrace.extract.quantities import unit_key

    assert unit_key(unit) == key


def test_troops_and_soldiers_are_one_count_in_mutations() -> None:
    first = item(1, "Karvelia could send up to 100,000 troops",
                 quantities=(q("up to 100,000 troops", 1e5, "troops", "up to"),))
    alike = item(2, "Up to 100,000 Karvelian soldiers could be sent",
                 quantities=(q("Up to 100,000 Karvelian soldiers", 1e5, "soldiers", "up to"),))
    assert mutations(first, alike) == []
    more = item(3, "120,000 soldiers could be sent", quantities=(q("120,000 soldiers", 12e4, "soldiers"),))
    assert [(mu.kind, mu.before, mu.after) for mu in mutations(first, more) if mu.kind == "number"] == [
        ("number", "up to 100,000 troops", "120,000 soldiers")]


def test_mutations_added_hedge_and_anonymous_speaker() -> None:
    first = item(1, "the plant will close")
    later = item(2, "the plant will reportedly close", markers=("reportedly",), speaker="officials", kind="anonymous")
    kinds = {(mu.kind, mu.before, mu.after) for mu in mutations(first, later)}
    assert kinds == {("hedge-added", None, "reportedly"), ("speaker", "Igor Korotchenko", "officials")}
    assert "added the hedge “reportedly”" in {mu.summary for mu in mutations(first, later)}


def when(text: str, start: date | None, end: date | None = None, granularity: str | None = "day") -> DateMention:
    return DateMention((0, len(text)), text, start, end or start, granularity if start else None, None, True)


def test_mutations_date_compares_the_periods_not_the_words() -> None:
    tuesday = date(2016, 9, 27)
    first = ClaimItem(1, "troops crossed on Tuesday", dates=(when("Tuesday", tuesday),))
    same_day = ClaimItem(2, "troops crossed yesterday", dates=(when("yesterday", tuesday),))  # Wednesday's copy
    other_day = ClaimItem(3, "troops crossed on Monday", dates=(when("Monday", date(2016, 9, 26)),))
    dropped = ClaimItem(4, "troops crossed")
    unplaced = ClaimItem(5, "troops crossed on Monday", dates=(when("Monday", None),))
    assert mutations(first, same_day) == []
    assert [(mu.kind, mu.before, mu.after) for mu in mutations(first, other_day)] == [
        ("date", "Tuesday (2016-09-27)", "Monday (2016-09-26)")]
    assert mutations(first, other_day)[0].summary == "date Tuesday (2016-09-27) → Monday (2016-09-26)"
    assert mutations(first, dropped) == [] and mutations(first, unplaced) == []
    month = ClaimItem(6, "troops crossed in September", dates=(when("September", date(2016, 9, 1), date(2016, 9, 30),
                                                                     "month"),))
    assert [mu.after for mu in mutations(first, month)] == ["September (2016-09)"]


def test_same_claim_told_alike_has_no_mutation() -> None:
    a = item(1, "x", quantities=(q("5 percent", 5, "percent"),), markers=("may",))
    b = item(2, "x", quantities=(q("five percent", 5, "percent"),), markers=("May",), speaker="Korotchenko")
    assert mutations(a, b) == []


@pytest.mark.parametrize(("a", "b", "at_least", "below"), [
    ("Though the Second Amendment people, maybe there is, I don't know.",
     "By the way, if she gets to pick her judges, nothing you can do, folks. Though the Second Amendment "
     "people, maybe there is, I don't know.", 1.0, None),
    ("I want Donald Trump to be the next president of the United States",
     "I'm going to be the next president of the United States, that's how crazy this election is", None, 0.7),
])
def test_quote_cover(a: str, b: str, at_least: float | None, below: float | None) -> None:
    from sourcetrace.linking.compat import quote_cover

    value = quote_cover(a, b)
    assert value == quote_cover(b, a)
    if at_least is not None:
        assert value >= at_least
    if below is not None:
        assert value < below


@pytest.mark.parametrize(("claim", "embedded"), [
    ("that talks with Lindmark had collapsed", "talks with Lindmark had collapsed"),
    ("  that\nthe vote was rigged", "the vote was rigged"),
    ("That plan would cost $3 billion", "That plan would cost $3 billion"),   # a demonstrative
    ("that's not true", "that's not true"),
    ("thatched roofs burned", "thatched roofs burned"),
])
def test_embedding_text_leaves_out_the_that_of_reported_speech(claim: str, embedded: str) -> None:
    assert embedding_text(claim) == embedded
