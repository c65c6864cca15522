"""The CRF taggers' decoding: cue candidates the best path left out, read from marginals."""

from __future__ import annotations

import pytest

from sourcetrace.extract.learned import candidate_runs

LABELS = ["O", "O", "B-CUE", "I-CUE", "O", "O", "O", "O"]
# P(label) per position; anything not listed is 0.
MARGINALS = {("B-CUE", 1): 0.45, ("B-CUE", 4): 0.35, ("I-CUE", 5): 0.6, ("I-CUE", 6): 0.2,
             ("B-CUE", 7): 0.31, ("B-CUE", 2): 0.9, ("I-CUE", 3): 0.8}


def marginal(label: str, k: int) -> float:
    return MARGINALS.get((label, k), 0.0)


@pytest.mark.parametrize(("threshold", "runs"), [
    (0.3, [[1], [4, 5], [7]]),   # the tagged cue at 2-3 is the best path's, not a candidate
    (0.4, [[1]]),                # 4 no longer starts one, so 5 (an I) cannot join it
    (0.5, []),
])
def test_candidates_are_o_tokens_likely_to_start_a_cue(threshold: float, runs: list[list[int]]) -> None:
    assert candidate_runs(LABELS, marginal, threshold) == runs


def test_a_candidate_does_not_run_into_the_best_paths_cue() -> None:
    labels = ["O", "B-CUE"]
    assert candidate_runs(labels, lambda label, k: 0.9) == [[0]]
