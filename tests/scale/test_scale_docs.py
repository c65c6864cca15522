"""docs/scale.md documents every setting of sourcetrace.scale with its current value."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcetrace.scale import _cluster, _run, _store

DOC = (Path(__file__).parents[2] / "docs" / "scale.md").read_text()


@pytest.mark.parametrize(("name", "value"), [
    ("PARTITION_SIZE", _run.PARTITION_SIZE), ("RETRIES", _run.RETRIES), ("ATTEMPTS", _store.ATTEMPTS),
    ("LINK_BATCH", _store.LINK_BATCH), ("DASHBOARD_ADDRESS", f"`{_cluster.DASHBOARD_ADDRESS}`"),
])
def test_setting_is_documented_with_its_value(name: str, value: object) -> None:
    assert f"`{name}` = {value}" in DOC


def test_commands_are_documented() -> None:
    assert "sourcetrace load DIR" in DOC and "--cluster local[:N]" in DOC and "parquet://DIR" in DOC
