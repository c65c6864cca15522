from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apifakes import FakeAnalyzer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sourcetrace import linking
from sourcetrace.api import create_app
from sourcetrace.cli import app
from sourcetrace.corpus import Corpus
from sourcetrace.examples import SAMPLE_CORPUS, load_sample


def test_sample_corpus_loads_links_and_serves(tmp_path: Path) -> None:
    with Corpus(f"sqlite:///{tmp_path}/sample.db") as corpus:
        done = load_sample(corpus, analyzer=FakeAnalyzer(), embedder=linking.HashingEmbedder())
        assert done.ingest["stored"] == len((SAMPLE_CORPUS / "vessel_bay.jsonl").read_text().splitlines())
        assert done.ingest["errors"] == [] or not done.ingest.get("errors")
        again = load_sample(corpus, analyzer=FakeAnalyzer(), embedder=linking.HashingEmbedder())
        assert again.ingest["stored"] == 0
        with TestClient(create_app(corpus, analyzer=FakeAnalyzer())) as client:
            outlets = {o["name"] for o in client.get("/api/outlets").json()["outlets"]}
            assert {"Baltic Wire Service", "Kessport Courier", "The Morning Pundit"} <= outlets
            assert client.get("/").status_code == 200


def test_serve_command_builds_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kw: seen.update(app=application, **kw))
    result = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path}/s.db", "--port", "8123",
                                      "--token", "t0k"])
    assert result.exit_code == 0, result.output
    assert "no database at" in result.output  # a new, empty store: said, in case the path was mistyped
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["app"].state.token == "t0k"
    warned = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path}/s.db", "--host", "0.0.0.0"])
    assert "warning" in warned.output and "no database at" not in warned.output  # it exists now
