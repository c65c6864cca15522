"""The commands: ``ingest --cluster … --out parquet://DIR`` (through ``ingest_on_cluster``, which
``cli/corpus.py`` calls) and ``load DIR``; the dashboard line when bokeh is absent."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from conftest import write_articles
from typer.testing import CliRunner

import sourcetrace.cli.scale as cli_scale
from sourcetrace.cli import app
from sourcetrace.scale import open_cluster


def test_ingest_on_a_local_cluster_then_load(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch, rule_factory: type) -> None:
    import sourcetrace.scale._run as run

    monkeypatch.setattr(run, "default_factory", lambda settings=None: rule_factory)
    folder = write_articles(tmp_path / "in", 6)
    status = cli_scale.ingest_on_cluster([str(folder)], db=None, cluster="local:2",
                                         out=f"parquet://{tmp_path}/shards", fmt="json", quiet=True)
    captured = capsys.readouterr()
    assert status == 0
    assert json.loads(captured.out)["stored"] == 6
    assert "cluster: 2 workers · dashboard: " in captured.err

    db = f"sqlite:///{tmp_path}/c.db"
    result = CliRunner().invoke(app, ["load", str(tmp_path / "shards"), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    assert "6 stored" in result.output
    again = CliRunner().invoke(app, ["load", str(tmp_path / "shards"), "--db", db, "--quiet", "--format", "json"])
    assert json.loads(again.stdout)["skipped"] == 6


def test_load_of_a_missing_directory_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["load", str(tmp_path / "none"), "--db", f"sqlite:///{tmp_path}/c.db"])
    assert result.exit_code == 2
    assert "ST300" in result.output


def test_bad_cluster_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = cli_scale.ingest_on_cluster([str(tmp_path)], db=f"sqlite:///{tmp_path}/c.db", cluster="mesos:3",
                                         out=None, quiet=True)
    assert status == 2
    assert "unknown cluster" in capsys.readouterr().err


@pytest.mark.skipif(importlib.util.find_spec("bokeh") is not None, reason="bokeh is installed here")
def test_without_bokeh_the_dashboard_is_unavailable_not_an_error() -> None:
    with open_cluster("local:1", dashboard_address=":0") as handle:
        assert handle.dashboard is None
        assert handle.dashboard_note == "dashboard: unavailable (bokeh is not installed)"
