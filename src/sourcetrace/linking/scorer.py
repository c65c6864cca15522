"""Scores of a clustering against gold: pairwise precision/recall/F1 and B-cubed.

Both take ``{item: cluster label}`` maps over the same items (items missing from the system map
count as singletons). Pairwise scores count unordered pairs of items put together; B-cubed
(Bagga & Baldwin 1998) averages, per item, the share of its system cluster that is in its gold
cluster (precision) and the share of its gold cluster that is in its system cluster (recall).
``pair_scores`` scores labelled pairs directly: a pair is predicted positive when both items
share a system cluster.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Scores", "bcubed", "pair_scores", "pairwise"]


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict[str, Any]:
        return {k: round(v, 4) for k, v in asdict(self).items()}


def _scores(p: float, r: float) -> Scores:
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def _system(gold: Mapping[Hashable, Hashable], system: Mapping[Hashable, Hashable]) -> dict[Hashable, Hashable]:
    return {item: system.get(item, ("singleton", item)) for item in gold}


def _groups(labels: Mapping[Hashable, Hashable]) -> dict[Hashable, set[Hashable]]:
    out: dict[Hashable, set[Hashable]] = defaultdict(set)
    for item, label in labels.items():
        out[label].add(item)
    return out


def bcubed(gold: Mapping[Hashable, Hashable], system: Mapping[Hashable, Hashable]) -> Scores:
    if not gold:
        return _scores(1.0, 1.0)
    sys_ = _system(gold, system)
    g_groups, s_groups = _groups(gold), _groups(sys_)
    p = r = 0.0
    for item in gold:
        g, s = g_groups[gold[item]], s_groups[sys_[item]]
        both = len(g & s)
        p += both / len(s)
        r += both / len(g)
    return _scores(p / len(gold), r / len(gold))


def _pairs(labels: Mapping[Hashable, Hashable]) -> int:
    return sum(n * (n - 1) // 2 for n in Counter(labels.values()).values())


def pairwise(gold: Mapping[Hashable, Hashable], system: Mapping[Hashable, Hashable]) -> Scores:
    sys_ = _system(gold, system)
    together = Counter((gold[i], sys_[i]) for i in gold)
    correct = sum(n * (n - 1) // 2 for n in together.values())
    predicted, actual = _pairs(sys_), _pairs(gold)
    return _scores(correct / predicted if predicted else 1.0, correct / actual if actual else 1.0)


def pair_scores(pairs: Iterable[tuple[Hashable, Hashable, bool]],
                system: Mapping[Hashable, Hashable]) -> tuple[Scores, dict[str, int]]:
    """Scores over labelled ``(a, b, same)`` pairs, and the confusion counts."""
    tp = fp = fn = tn = 0
    for a, b, same in pairs:
        predicted = a in system and b in system and system[a] == system[b]
        tp += predicted and same
        fp += predicted and not same
        fn += (not predicted) and same
        tn += (not predicted) and not same
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return _scores(p, r), {"tp": tp, "fp": fp, "fn": fn, "tn": tn}
