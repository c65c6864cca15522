"""The evaluation gate: the engine on the PolNeAR dev split must not fall below pinned floors,
with each tagger (the default CRFs and the opt-in encoder), and with the CRFs on the same
articles quoted British style (single marks: ``eval.british_marks``)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from sourcetrace.analyzer import Analyzer
from sourcetrace.eval import EvalReport, british_marks, evaluate_polnear
from sourcetrace.settings import TAGGERS, DEFAULTS

FLOORS_PATH = Path(__file__).with_name("eval_floors.json")
TOLERANCE = 0.02  # run-to-run noise allowed below a pinned floor


BRITISH = "british_marks"  # floors of the CRF engine on dev with single quote marks


def load_floors() -> dict[str, dict[str, float]]:
    raw = json.loads(FLOORS_PATH.read_text(encoding="utf-8"))
    return {name: {k: float(v) for k, v in floors.items()} for name, floors in raw.items()
            if not name.startswith("_")}


ALL_FLOORS = load_floors()
BRITISH_FLOORS = ALL_FLOORS.pop(BRITISH, {})
FLOORS = ALL_FLOORS
CASES = [(tagger, metric) for tagger in sorted(FLOORS) for metric in sorted(FLOORS[tagger])]


@pytest.fixture(scope="module")
def dev_reports(polnear_dir: Path) -> dict[str, EvalReport]:
    return {tagger: evaluate_polnear(polnear_dir / "dev", Analyzer(dataclasses.replace(DEFAULTS, tagger=tagger)))
            for tagger in FLOORS}


def test_floors_name_reported_metrics_for_every_tagger() -> None:
    # A typo in eval_floors.json must not silently disable a gate.
    assert set(FLOORS) == set(TAGGERS)
    for floors in (*FLOORS.values(), BRITISH_FLOORS):
        assert floors
        assert set(floors) <= set(EvalReport.from_documents([]).headline())


@pytest.mark.polnear
@pytest.mark.slow
@pytest.mark.parametrize(("tagger", "metric"), CASES)
def test_metric_at_or_above_floor(dev_reports: dict[str, EvalReport], tagger: str, metric: str) -> None:
    value = dev_reports[tagger].headline()[metric]
    floor = FLOORS[tagger][metric]
    assert value >= floor - TOLERANCE, f"{tagger}: {metric} = {value:.4f} fell below floor {floor:.4f}"


@pytest.fixture(scope="module")
def british_report(polnear_dir: Path) -> EvalReport:
    return evaluate_polnear(polnear_dir / "dev", Analyzer(), restyle=british_marks)


@pytest.mark.polnear
@pytest.mark.slow
@pytest.mark.parametrize("metric", sorted(BRITISH_FLOORS))
def test_british_quoting_at_or_above_floor(british_report: EvalReport, metric: str) -> None:
    value = british_report.headline()[metric]
    floor = BRITISH_FLOORS[metric]
    assert value >= floor - TOLERANCE, f"British marks: {metric} = {value:.4f} fell below floor {floor:.4f}"
