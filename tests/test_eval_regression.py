"""The evaluation gate: the engine on the PolNeAR dev split must not fall below pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sourcetrace.analyzer import Analyzer
from sourcetrace.eval import EvalReport, evaluate_polnear

FLOORS_PATH = Path(__file__).with_name("eval_floors.json")
TOLERANCE = 0.02  # run-to-run noise allowed below a pinned floor


def load_floors() -> dict[str, float]:
    return {k: float(v) for k, v in json.loads(FLOORS_PATH.read_text(encoding="utf-8")).items()
            if not k.startswith("_")}


FLOORS = load_floors()


@pytest.fixture(scope="module")
def dev_report(polnear_dir: Path) -> EvalReport:
    return evaluate_polnear(polnear_dir / "dev", Analyzer())


def test_floors_name_reported_metrics() -> None:
    # A typo in eval_floors.json must not silently disable a gate.
    assert FLOORS
    assert set(FLOORS) <= set(EvalReport.from_documents([]).headline())


@pytest.mark.polnear
@pytest.mark.slow
@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_metric_at_or_above_floor(dev_report: EvalReport, metric: str) -> None:
    value = dev_report.headline()[metric]
    assert value >= FLOORS[metric] - TOLERANCE, f"{metric} = {value:.4f} fell below floor {FLOORS[metric]:.4f}"
