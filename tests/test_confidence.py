"""The confidence model: fitting on data whose answer is known, and its use at run time."""

import math
import random

import pytest

from sourcetrace.extract import confidence
from sourcetrace.extract.confidence import FEATURES, Signals, calibrated, fit_logistic


def test_fit_logistic_recovers_known_probabilities() -> None:
    # y ~ Bernoulli(sigmoid(-1 + 3x)); with many samples the fit lands near (-1, 3).
    rng = random.Random(7)
    rows, labels = [], []
    for _ in range(4000):
        x = rng.random()
        rows.append([1.0, x])
        labels.append(int(rng.random() < 1 / (1 + math.exp(-(-1 + 3 * x)))))
    bias, slope = fit_logistic(rows, labels, l2=0.0)
    assert bias == pytest.approx(-1, abs=0.25) and slope == pytest.approx(3, abs=0.4)


def test_fit_logistic_is_finite_on_separable_data() -> None:
    weights = fit_logistic([[1.0, 0.0], [1.0, 1.0]] * 10, [0, 1] * 10, l2=1.0)
    assert all(math.isfinite(w) for w in weights) and weights[1] > 0


def signals(**overrides: object) -> Signals:
    base = dict(cue_p=0.9, content_p=0.9, source_p=0.9, has_source=True, syntactic_source=False,
                rule=False, nested=False, direct=True, resolved=True, content_tokens=12)
    base.update(overrides)
    return Signals(**base)  # type: ignore[arg-type]


def test_vector_matches_feature_names() -> None:
    assert len(signals().vector()) == len(FEATURES)


def test_shipped_model_orders_doubt_sensibly() -> None:
    sure = calibrated(signals())
    unsure = calibrated(signals(cue_p=0.3, content_p=0.3))
    assert 0.0 < unsure < sure < 1.0


def test_falls_back_without_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(confidence, "_weights", lambda: None)
    assert calibrated(signals(cue_p=1.0, content_p=1.0, source_p=1.0)) == pytest.approx(1.0)
    assert calibrated(signals(cue_p=0.5, content_p=0.0, source_p=1.0)) == pytest.approx(0.2)
