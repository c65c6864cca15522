"""The clustering scorer on hand-made gold, with values worked out by hand."""

from __future__ import annotations

import pytest

from sourcetrace.linking import bcubed, pair_scores, pairwise

GOLD = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 3}


def test_perfect_clustering_scores_one() -> None:
    for scorer in (bcubed, pairwise):
        s = scorer(GOLD, dict(GOLD))
        assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)


def test_all_singletons() -> None:
    system = {k: k for k in GOLD}
    b = bcubed(GOLD, system)
    assert b.precision == 1.0
    # recall per item: a,b,c 1/3 each; d,e 1/2 each; f 1 → (1 + 1 + 1) / 6
    assert b.recall == pytest.approx(3 / 6)
    p = pairwise(GOLD, system)
    assert p.precision == 1.0 and p.recall == 0.0 and p.f1 == 0.0


def test_one_big_cluster() -> None:
    system = {k: 0 for k in GOLD}
    b = bcubed(GOLD, system)
    # precision per item: a,b,c 3/6; d,e 2/6; f 1/6 → (9 + 4 + 1) / 36
    assert b.precision == pytest.approx(14 / 36)
    assert b.recall == 1.0
    p = pairwise(GOLD, system)
    # gold pairs: 3 + 1 = 4 of 15 predicted
    assert p.precision == pytest.approx(4 / 15) and p.recall == 1.0


def test_split_and_merge_mistakes() -> None:
    system = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2, "f": 3}
    b = bcubed(GOLD, system)
    # precision: a,b 1; c 1/3; d,e 2/3; f 1 → (2 + 1/3 + 4/3 + 1) / 6
    assert b.precision == pytest.approx((2 + 1 / 3 + 4 / 3 + 1) / 6)
    # recall: a,b 2/3; c 1/3; d,e 1; f 1 → (4/3 + 1/3 + 2 + 1) / 6
    assert b.recall == pytest.approx((4 / 3 + 1 / 3 + 3) / 6)
    p = pairwise(GOLD, system)
    # predicted pairs: ab, cd, ce, de (4); correct: ab, de (2); gold pairs: ab ac bc de (4)
    assert (p.precision, p.recall) == (0.5, 0.5)


def test_items_missing_from_system_are_singletons() -> None:
    assert bcubed(GOLD, {}) == bcubed(GOLD, {k: k for k in GOLD})


def test_labelled_pairs() -> None:
    system = {"a": 1, "b": 1, "c": 2, "d": 2}
    scores, counts = pair_scores([("a", "b", True), ("c", "d", False), ("a", "c", True), ("b", "d", False),
                                  ("a", "zz", True)], system)
    assert counts == {"tp": 1, "fp": 1, "fn": 2, "tn": 1}
    assert scores.precision == 0.5 and scores.recall == pytest.approx(1 / 3)
    assert scores.f1 == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))


def test_empty_gold() -> None:
    assert bcubed({}, {}).f1 == 1.0
