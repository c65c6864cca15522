"""The opt-in accurate cue tagger (extract/encoder.py) and its training (train_encoder.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sourcetrace.errors import ModelNotFoundError
from sourcetrace.eval.polnear import GoldAttribution, GoldDocument
from sourcetrace.extract.learned import cue_runs
from sourcetrace.settings import Settings


@pytest.mark.parametrize(("labels", "runs"), [
    (["O", "B", "I", "O"], [[1, 2]]),
    (["B-CUE", "B-CUE", "I-CUE"], [[0], [1, 2]]),  # the CRF's labels
    (["I", "I", "O", "I"], [[0, 1], [3]]),          # an I after O starts a cue of its own
    (["O", "O"], []),
    ([], []),
])
def test_cue_runs_group_bio_labels(labels: list[str], runs: list[list[int]]) -> None:
    assert cue_runs(labels) == runs


def test_settings_refuse_an_unknown_cue_tagger() -> None:
    assert Settings(cue_tagger="encoder").cue_tagger == "encoder"
    with pytest.raises(ValueError, match="crf, encoder"):
        Settings(cue_tagger="bert")


@pytest.fixture(scope="module")
def nlp():
    from sourcetrace.nlp import load_nlp

    return load_nlp()


@pytest.fixture
def encoder_artifact() -> Iterator[object]:
    """``use_encoder`` for the test's duration; the shipped artifact again afterwards."""
    from sourcetrace.extract import encoder

    yield encoder.use_encoder
    encoder.use_encoder(None)


def test_a_missing_artifact_says_how_to_build_it(encoder_artifact, tmp_path: Path) -> None:
    from sourcetrace.extract.encoder import load_encoder

    encoder_artifact(tmp_path / "absent.safetensors")
    with pytest.raises(ModelNotFoundError, match="make train-encoder"):
        load_encoder()


@pytest.mark.slow
def test_the_shipped_encoder_tags_cues_a_crf_would_need_a_lexicon_for(nlp) -> None:
    from sourcetrace.extract.encoder import encoder_find_cues
    from sourcetrace.extract.features import doc_view

    doc = nlp("The minister said the talks had failed. Aides pledged that the army would stay home.")
    cues = [" ".join(doc[i].text for i in cue.tokens) for cue in encoder_find_cues(doc_view(doc))]
    assert "said" in cues
    assert "pledged" in cues
    assert all(0.0 <= cue.prob <= 1.0 and cue.tagger == "encoder" for cue in encoder_find_cues(doc_view(doc)))


@pytest.mark.slow
def test_evidence_names_the_cue_tagger_that_found_the_cue() -> None:
    from sourcetrace.analyzer import Analyzer

    text = "The minister said the talks had failed."
    for tagger in ("crf", "encoder"):
        (said,) = Analyzer(Settings(cue_tagger=tagger)).analyze_text(text).attributions
        assert said.evidence.startswith(f"{tagger} cue p=")
    (said,) = Analyzer().analyze_text(text, cue_tagger="encoder").attributions  # one call's choice
    assert said.evidence.startswith("encoder cue p=")


@pytest.mark.slow
def test_fine_tuning_writes_what_the_tagger_loads(encoder_artifact, nlp, tmp_path: Path) -> None:
    from safetensors import safe_open

    from sourcetrace.extract.encoder import FROZEN, encoder_find_cues
    from sourcetrace.extract.features import doc_view
    from sourcetrace.train_encoder import fine_tune

    text = "Officials said the bridge would reopen. The mayor confirmed it on Monday."
    said, confirmed = text.index("said"), text.index("confirmed")
    gold = [GoldDocument("g1", text, (
        GoldAttribution(((0, 9),), ((said, said + 4),), ((said + 5, text.index(". The")),)),
        GoldAttribution(((text.index("The mayor"), confirmed - 1),), ((confirmed, confirmed + 9),),
                        ((confirmed + 10, len(text) - 1),)),
    ))]
    out = tmp_path / "cue-encoder.safetensors"
    fine_tune(gold, [nlp(text)], out, epochs=1)
    with safe_open(str(out), "pt") as artifact:
        names = set(artifact.keys())
        assert FROZEN not in names  # the shipped base provides it
        assert "classifier.weight" in names
        assert json.loads(artifact.metadata()["sourcetrace"])["labels"] == "OBI"
    encoder_artifact(out)
    view = doc_view(nlp(text))
    for cue in encoder_find_cues(view):
        assert all(0 <= i < len(view.doc) for i in cue.tokens)


@pytest.mark.slow
def test_ingest_in_the_accurate_mode_stores_what_the_encoder_found(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sourcetrace.cli import app

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wire.txt").write_text(
        "Fisheries minister Ines Dahl pledged on Tuesday that the government would not extend the quota. "
        '"The stocks need time to recover," Dahl told reporters in Bergen.')
    db = f"sqlite:///{tmp_path}/accurate.db"
    runner = CliRunner()
    ingested = runner.invoke(app, ["ingest", str(folder), "--db", db, "--workers", "1", "--quiet",
                                   "--cue-tagger", "encoder"])
    assert ingested.exit_code == 0, ingested.output
    said = runner.invoke(app, ["speaker", "Dahl", "--db", db, "--format", "json"])
    assert said.exit_code == 0, said.output
    assert "recover" in said.stdout and "pledged" in said.stdout
