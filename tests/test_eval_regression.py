"""The evaluation gate: the engine on the PolNeAR dev split must not fall below pinned floors,
with each tagger (the default CRFs and the opt-in encoder)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from sourcetrace.analyzer import Analyzer
from sourcetrace.eval import EvalReport, evaluate_polnear
from sourcetrace.settings import TAGGERS, DEFAULTS

FLOORS_PATH = Path(__file__).with_name("eval_floors.json")
TOLERANCE = 0.02  # run-to-run noise allowed below a pinned floor


def load_floors() -> dict[str, dict[str, float]]:
    raw = json.loads(FLOORS_PATH.read_text(encoding="utf-8"))
    return {tagger: {k: float(v) for k, v in floors.items()} for tagger, floors in raw.items()
            if not tagger.startswith("_")}


FLOORS = load_floors()
CASES = [(tagger, metric) for tagger in sorted(FLOORS) for metric in sorted(FLOORS[tagger])]


@pytest.fixture(scope="module")
def dev_reports(polnear_dir: Path) -> dict[str, EvalReport]:
    return {tagger: evaluate_polnear(polnear_dir / "dev", Analyzer(dataclasses.replace(DEFAULTS, tagger=tagger)))
            for tagger in FLOORS}


def test_floors_name_reported_metrics_for_every_tagger() -> None:
    # A typo in eval_floors.json must not silently disable a gate.
    assert set(FLOORS) == set(TAGGERS)
    for floors in FLOORS.values():
        assert floors
        assert set(floors) <= set(EvalReport.from_documents([]).headline())


@pytest.mark.polnear
@pytest.mark.slow
@pytest.mark.parametrize(("tagger", "metric"), CASES)
def test_metric_at_or_above_floor(dev_reports: dict[str, EvalReport], tagger: str, metric: str) -> None:
    value = dev_reports[tagger].headline()[metric]
    floor = FLOORS[tagger][metric]
    assert value >= floor - TOLERANCE, f"{tagger}: {metric} = {value:.4f} fell below floor {floor:.4f}"
