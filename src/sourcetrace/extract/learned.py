"""The two CRF taggers trained on PolNeAR (``make train``), shipped in ``sourcetrace/models``.

``find_cues`` tags cue tokens sentence by sentence; ``find_roles`` tags, for one cue, the
source and content tokens of its role window. Both return their marginal probabilities so
that the attribution stage can state how sure it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pycrfsuite

from ..errors import ModelNotFoundError
from .features import DocView, cue_features, role_features, role_window

__all__ = ["CANDIDATE_MARGINAL", "TaggedCue", "TaggedRoles", "candidate_runs", "cue_runs", "find_cues", "find_roles",
           "use_models"]


@dataclass(frozen=True, slots=True)
class TaggedCue:
    tokens: tuple[int, ...]
    prob: float  # marginal probability of the cue's first label
    tagger: str = "rule"  # what found it, for ``evidence``: "crf", "encoder", or a rule


@dataclass(frozen=True, slots=True)
class TaggedRoles:
    source: tuple[int, ...]
    content: tuple[int, ...]
    source_prob: float   # mean marginal of the source labels (1.0 when no source)
    content_prob: float  # mean marginal of the content labels (0.0 when no content)
    tagger: str = "rule"  # what tagged them, for ``evidence``: "crf", "encoder", or a rule


_model_dir: Path | None = None  # None: the models shipped in the package


def use_models(directory: Path | None) -> None:
    """Tag with the models in ``directory`` (training uses this for held-out calibration)."""
    global _model_dir
    _model_dir = directory
    _tagger.cache_clear()


@lru_cache(maxsize=2)
def _tagger(name: str) -> pycrfsuite.Tagger:
    if _model_dir is not None:
        path: Any = _model_dir / f"{name}.crfsuite"
    else:
        path = resources.files("sourcetrace").joinpath(f"models/{name}.crfsuite")
    if not path.is_file():
        raise ModelNotFoundError(f"missing model {path}; run `make train` to build it")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def cue_runs(labels: Sequence[str]) -> list[list[int]]:
    """Positions of each cue in a B/I/O sequence (labels read by their first letter, so that
    "B-CUE" and "B" agree); an I with no B before it starts a cue of its own."""
    runs: list[list[int]] = []
    inside = False
    for k, label in enumerate(labels):
        if label[0] == "B" or (label[0] == "I" and not inside):
            runs.append([k])
        elif label[0] == "I":
            runs[-1].append(k)
        inside = label[0] != "O"
    return runs


# A token the best path leaves outside every cue still starts a candidate cue when its B-CUE
# marginal passes this; the confidence model, fitted with such candidates, keeps or drops them.
CANDIDATE_MARGINAL = 0.3


def candidate_runs(labels: Sequence[str], marginal: Callable[[str, int], float],
                   threshold: float = CANDIDATE_MARGINAL) -> list[list[int]]:
    """Cues the best path missed: runs of O tokens, the first likely a B-CUE, the rest I-CUE."""
    runs: list[list[int]] = []
    k = 0
    while k < len(labels):
        if labels[k][0] == "O" and marginal("B-CUE", k) > threshold:
            runs.append([k])
            while k + 1 < len(labels) and labels[k + 1][0] == "O" and marginal("I-CUE", k + 1) > threshold:
                k += 1
                runs[-1].append(k)
        k += 1
    return runs


# A full stop or comma alone is never a cue (2 of 21,000 in PolNeAR train), though the tagger,
# reading its neighbours, sometimes marks one; a colon or dash may be ("Said Ellis: ...", "― Name").
_NEVER_A_CUE = frozenset({".", ",", "!", "?", ";"})


def find_cues(view: DocView) -> list[TaggedCue]:
    tagger = _tagger("cues")
    found: list[TaggedCue] = []
    for start, end in view.sents:
        labels = tagger.tag(cue_features(view, start, end))
        for run in sorted(cue_runs(labels) + candidate_runs(labels, tagger.marginal)):
            if all(view.lower[start + k] in _NEVER_A_CUE for k in run):
                continue
            first = labels[run[0]] if labels[run[0]][0] != "O" else "B-CUE"
            found.append(TaggedCue(tuple(start + k for k in run), tagger.marginal(first, run[0]), "crf"))
    return found


def find_roles(view: DocView, cue: tuple[int, ...], other_cues: set[int]) -> TaggedRoles:
    tagger = _tagger("roles")
    lo, hi = role_window(view, list(cue))
    labels = tagger.tag(role_features(view, list(cue), (lo, hi), other_cues))
    source = [k for k, label in enumerate(labels) if label.endswith("SRC")]
    content = [k for k, label in enumerate(labels) if label.endswith("CON")]

    def mean_marginal(ks: list[int]) -> float:
        return sum(tagger.marginal(labels[k], k) for k in ks) / len(ks) if ks else 0.0

    return TaggedRoles(
        source=tuple(lo + k for k in source),
        content=tuple(lo + k for k in content),
        source_prob=mean_marginal(source) if source else 1.0,
        content_prob=mean_marginal(content),
        tagger="crf",
    )
