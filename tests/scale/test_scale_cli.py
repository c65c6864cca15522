"""The commands: ``ingest --cluster … --out parquet://DIR`` (through ``ingest_on_cluster``, which
``cli/corpus.py`` calls) and ``load DIR``; the dashboard line when bokeh is absent."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from scalenews import write_articles
from typer.testing import CliRunner

import sourcetrace.cli.scale as cli_scale
from sourcetrace.cli import app
from sourcetrace.scale import open_cluster
from sourcetrace.settings import Settings


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


def test_ingest_command_takes_cluster_and_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              rule_factory: type) -> None:
    import sourcetrace.scale._run as run

    monkeypatch.setattr(run, "default_factory", lambda settings=None: rule_factory)
    folder = write_articles(tmp_path / "in", 5)
    db = f"sqlite:///{tmp_path}/c.db"
    args = ["ingest", str(folder), "--cluster", "local:2", "--db", db, "--quiet", "--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["stored"] == 5
    assert json.loads(CliRunner().invoke(app, args).stdout)["skipped"] == 5


def test_ingest_on_a_cluster_passes_the_tagger_to_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   rule_factory: type) -> None:
    import sourcetrace.scale._run as run

    asked: list[str] = []

    def factory(settings: Settings) -> type:
        asked.append(settings.tagger)
        return rule_factory

    monkeypatch.setattr(run, "default_factory", factory)
    folder = write_articles(tmp_path / "in", 2)
    args = ["ingest", str(folder), "--cluster", "local:1", "--db", f"sqlite:///{tmp_path}/c.db", "--quiet",
            "--tagger", "encoder"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert asked == ["encoder"]


@pytest.mark.slow
def test_real_model_on_two_worker_processes_end_to_end(tmp_path: Path) -> None:
    """The installed command, the real analyzer loaded by the worker plugin, shards, then load."""
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wire.txt").write_text(
        "Fisheries minister Ines Dahl said on Tuesday that the government would not extend the fishing quota. "
        '"The stocks need time to recover," Dahl told reporters in Bergen.')
    (folder / "wire.json").write_text('{"published": "2026-03-04T09:00:00+01:00"}')  # a Wednesday
    (folder / "second.txt").write_text(
        "Mayor Tomas Berglund told reporters that the bridge would reopen in May. "
        '"The repairs are ahead of schedule," he said.')
    exe = [str(Path(sys.executable).parent / "sourcetrace")]
    shards = f"parquet://{tmp_path}/shards"
    done = subprocess.run([*exe, "ingest", str(folder), "--cluster", "local:2", "--out", shards, "--format", "json",
                           "--quiet"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["stored"] == 2
    assert "dashboard: " in done.stderr
    db = f"sqlite:///{tmp_path}/real.db"
    loaded = subprocess.run([*exe, "load", str(tmp_path / "shards"), "--db", db, "--quiet"], capture_output=True,
                            text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    said = subprocess.run([*exe, "speaker", "Dahl", "--db", db, "--format", "json"], capture_output=True, text=True,
                          timeout=300)
    assert said.returncode == 0, said.stderr
    assert any("recover" in s["content"] for s in json.loads(said.stdout))
    # The workers placed the dated story's "Tuesday" from its day; the undated one's "May" stays unplaced.
    import sqlite3

    with sqlite3.connect(tmp_path / "real.db") as con:
        dates = sorted(con.execute("SELECT text, start_date, relative FROM date_mentions").fetchall())
    assert dates == [("May", None, 1), ("Tuesday", "2026-03-03", 1)]
