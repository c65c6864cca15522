"""How likely an attribution is right: a logistic model over what produced it.

The taggers' marginals are not probabilities of being right (a CRF is over-confident on text
like its training data), so ``make train`` fits this small model on articles held out from the
taggers' training, with "right" meaning an end-to-end match with a gold attribution (content
token F1 >= 0.5 and overlapping sources). Each tagger has its own fit, since the encoders'
probabilities mean something else than the CRFs' marginals: ``models/confidence.json`` (CRF,
``make train``) and ``models/confidence-encoder.json`` (``make train-encoder``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Signals", "CUT_GRID", "FEATURES", "MODEL_FILES", "best_threshold", "calibrated", "fit_logistic",
           "fitted_threshold", "logistic"]

FEATURES = ("bias", "cue_p", "content_p", "source_p", "no_source", "syntactic_source", "rule",
            "nested", "direct", "resolved", "log_content_len", "log_cue_len", "cue_in_lexicon",
            "rule_parse_content", "rule_quote_content", "rule_nested_verb")


@dataclass(frozen=True, slots=True)
class Signals:
    """What the extractor knows about one attribution when it makes it."""

    cue_p: float
    content_p: float
    source_p: float
    has_source: bool
    syntactic_source: bool
    rule: bool
    nested: bool
    direct: bool
    resolved: bool
    content_tokens: int
    cue_tokens: int = 1        # long cues ("criticism comes a day before … faces off against") are rarely right
    cue_in_lexicon: bool = True  # the cue's head is a known verb or phrase of attribution
    # Rules right at different rates on held-out articles (a content read from the parse far
    # more often than a verb of saying found inside another attribution's content).
    rule_parse_content: bool = False
    rule_quote_content: bool = False
    rule_nested_verb: bool = False

    def vector(self) -> list[float]:
        return [1.0, self.cue_p, self.content_p, self.source_p if self.has_source else 0.0,
                float(not self.has_source), float(self.syntactic_source), float(self.rule),
                float(self.nested), float(self.direct), float(self.resolved),
                math.log1p(self.content_tokens), math.log1p(self.cue_tokens), float(self.cue_in_lexicon),
                float(self.rule_parse_content), float(self.rule_quote_content), float(self.rule_nested_verb)]


MODEL_FILES = {"crf": "confidence.json", "encoder": "confidence-encoder.json"}  # tagger -> its fit in models/


@lru_cache(maxsize=len(MODEL_FILES))
def _model(tagger: str = "crf") -> dict | None:
    """The fit for ``tagger``; a tagger without its own falls back on the CRF's."""
    path = resources.files("sourcetrace").joinpath(f"models/{MODEL_FILES[tagger]}")
    if not path.is_file():
        return _model("crf") if tagger != "crf" else None
    data = json.loads(path.read_text("utf-8"))
    if tuple(data["features"]) != FEATURES:
        return None  # trained for another feature set: fall back rather than mis-weigh
    return data


def _weights(tagger: str = "crf") -> tuple[float, ...] | None:
    model = _model(tagger)
    return tuple(float(w) for w in model["weights"]) if model else None


def fitted_threshold(tagger: str = "crf") -> float:
    """The confidence below which an attribution is more likely to cost F1 than to add it,
    as fitted on held-out articles; 0.0 (keep everything) without a model."""
    model = _model(tagger)
    return float(model.get("min_confidence", 0.0)) if model else 0.0


CUT_GRID = tuple(k / 100 for k in range(61))


def best_threshold(merit: Callable[[float], float], grid: Sequence[float] = CUT_GRID) -> float:
    """The threshold on ``grid`` whose ``merit`` (the scores of the attributions kept at or
    above it) is highest; on a tie the lowest, which keeps more."""
    return max(grid, key=lambda t: (merit(t), -t))


def calibrated(signals: Signals, tagger: str = "crf") -> float:
    """P(the attribution is right end to end), by ``tagger``'s fit."""
    weights = _weights(tagger)
    if weights is None:  # no fitted model: a plain product of the taggers' marginals
        source = signals.source_p if signals.has_source else 0.8
        return signals.cue_p * (0.4 + 0.6 * signals.content_p) * source
    return logistic(weights, signals.vector())


def logistic(weights: Sequence[float], row: Sequence[float]) -> float:
    """The fitted model's probability for one signal row (``Signals.vector``)."""
    z = sum(w * x for w, x in zip(weights, row, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def fit_logistic(rows: Sequence[Sequence[float]], labels: Sequence[int], l2: float = 1.0,
                 iterations: int = 500) -> list[float]:
    """L2-regularised logistic regression by Newton's method (small data, few features)."""
    import numpy as np

    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=float)
    w = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * l2
    penalty[0, 0] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty @ w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + penalty + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return [float(v) for v in w]
