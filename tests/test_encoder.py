"""The opt-in accurate taggers (extract/encoder.py) and their training (train_encoder.py)."""

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


def test_settings_refuse_an_unknown_tagger() -> None:
    assert Settings(tagger="encoder").tagger == "encoder"
    with pytest.raises(ValueError, match="crf, encoder"):
        Settings(tagger="bert")


@pytest.fixture(scope="module")
def nlp():
    from sourcetrace.nlp import load_nlp

    return load_nlp()


@pytest.fixture
def encoder_artifact() -> Iterator[object]:
    """``use_encoder`` for the test's duration; the shipped artifact again afterwards."""
    from sourcetrace.extract import encoder

    yield encoder.use_encoder
    for task in encoder.ARTIFACTS:
        encoder.use_encoder(None, task)


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
def test_the_shipped_role_encoder_finds_who_said_what(nlp) -> None:
    from sourcetrace.extract.encoder import encoder_find_roles
    from sourcetrace.extract.features import doc_view

    doc = nlp("The minister said the talks had failed. Aides pledged that the army would stay home.")
    said, pledged = (next(t.i for t in doc if t.text == verb) for verb in ("said", "pledged"))
    first, second = encoder_find_roles(doc_view(doc), [(said,), (pledged,)])
    assert " ".join(doc[i].text for i in first.source) == "The minister"
    assert " ".join(doc[i].text for i in first.content) == "the talks had failed"
    assert [doc[i].text for i in second.source] == ["Aides"]
    assert "army" in [doc[i].text for i in second.content]
    assert first.tagger == "encoder" and 0.5 < first.content_prob <= 1.0
    assert encoder_find_roles(doc_view(doc), []) == []


def test_a_long_role_window_keeps_the_words_around_its_cue(nlp) -> None:
    from sourcetrace.extract.encoder import ROLE_WORDS, cue_segments, role_input
    from sourcetrace.extract.features import doc_view

    clause = ", ".join(f"item {n}" for n in range(200))
    doc = nlp(f"The list ran on: {clause}, the clerk said about {clause}.")
    said = next(t.i for t in doc if t.text == "said")
    words = role_input(doc_view(doc), (said,))
    assert len(words) == ROLE_WORDS and words == sorted(words)
    assert abs(words.index(said) - ROLE_WORDS // 2) <= 1  # the cue in the middle
    short = role_input(doc_view(nlp("Aides said it rained.")), (1,))
    assert short == [0, 1, 2, 3, 4]
    # A headline spaCy runs into the paragraph below stays out of that paragraph's windows.
    doc = nlp("Troops could be sent, agency says\n\nUp to 9,000 soldiers could be sent, the agency reported.")
    reported = next(t.i for t in doc if t.text == "reported")
    assert doc[role_input(doc_view(doc), (reported,))[0]].text == "Up"
    # A quote that runs on into the next paragraph (the newspaper convention) is read whole.
    doc = nlp('"The army is ready.\n\n"We will not wait," the general said.')
    said = next(t.i for t in doc if t.text == "said")
    assert doc[role_input(doc_view(doc), (said,))[0]].text == '"'
    # Segment B marks the cue's pieces only, never the special pieces (None).
    assert cue_segments([None, 0, 1, 1, 2, None], [7, 8, 9], {8}) == [0, 0, 1, 1, 0, 0]


@pytest.mark.slow
def test_evidence_names_the_taggers_that_found_cue_source_and_content() -> None:
    from sourcetrace.analyzer import Analyzer

    text = "The minister said the talks had failed."
    for tagger in ("crf", "encoder"):
        (said,) = Analyzer(Settings(tagger=tagger)).analyze_text(text).attributions
        assert said.evidence.startswith(f"{tagger} cue p=")
        assert f"{tagger} content p=" in said.evidence and f"{tagger} source p=" in said.evidence
    (said,) = Analyzer().analyze_text(text, tagger="encoder").attributions  # one call's choice
    assert said.evidence.startswith("encoder cue p=")


TEXT = "Officials said the bridge would reopen. The mayor confirmed it on Monday."
SAID, CONFIRMED = TEXT.index("said"), TEXT.index("confirmed")
GOLD = GoldDocument("g1", TEXT, (
    GoldAttribution(((0, 9),), ((SAID, SAID + 4),), ((SAID + 5, TEXT.index(". The")),)),
    GoldAttribution(((TEXT.index("The mayor"), CONFIRMED - 1),), ((CONFIRMED, CONFIRMED + 9),),
                    ((CONFIRMED + 10, len(TEXT) - 1),)),
))


def test_role_examples_label_the_source_and_content_around_a_marked_cue(nlp) -> None:
    from sourcetrace.extract.encoder import base_model
    from sourcetrace.train_encoder import role_examples

    tokenizer, _ = base_model("roles")
    first, second = role_examples([GOLD], [nlp(TEXT)], tokenizer)
    ids, types, targets = first
    pieces = tokenizer.convert_ids_to_tokens(ids)
    assert [p for p, t in zip(pieces, types) if t] == ["said"]
    labelled = {p: t for p, t in zip(pieces, targets) if t != -100}
    assert labelled == {"officials": 1, "said": 0, "the": 2, "bridge": 2, "would": 2, "re": 2, ".": 0}  # "reopen": "re" "##open"
    assert [p for p, t in zip(tokenizer.convert_ids_to_tokens(second[0]), second[1]) if t] == ["confirmed"]


@pytest.mark.slow
@pytest.mark.parametrize(("task", "labels"), [("cues", "OBI"), ("roles", "OSC")])
def test_fine_tuning_writes_what_the_tagger_loads(encoder_artifact, nlp, tmp_path: Path, task: str,
                                                  labels: str) -> None:
    from safetensors import safe_open

    from sourcetrace.extract.encoder import FROZEN, encoder_find_cues, encoder_find_roles
    from sourcetrace.extract.features import doc_view
    from sourcetrace.train_encoder import fine_tune

    out = tmp_path / f"{task}.safetensors"
    fine_tune([GOLD], [nlp(TEXT)], out, epochs=1, task=task)
    with safe_open(str(out), "pt") as artifact:
        names = set(artifact.keys())
        assert FROZEN not in names  # the shipped base provides it
        assert "classifier.weight" in names
        assert json.loads(artifact.metadata()["sourcetrace"])["labels"] == labels
    encoder_artifact(out, task)
    view = doc_view(nlp(TEXT))
    if task == "cues":
        tagged = [cue.tokens for cue in encoder_find_cues(view)]
    else:
        tagged = [(*r.source, *r.content) for r in encoder_find_roles(view, [(1,), (10,)])]
        assert len(tagged) == 2
    assert all(0 <= i < len(view.doc) for tokens in tagged for i in tokens)


@pytest.mark.slow
def test_the_confidence_fit_reads_the_held_out_articles_with_the_fold_encoders(encoder_artifact, nlp,
                                                                               tmp_path: Path) -> None:
    import shutil
    from importlib import resources

    from sourcetrace.extract.encoder import ARTIFACTS, _artifacts
    from sourcetrace.train_encoder import calibrate

    for name in ARTIFACTS.values():  # fold encoders already there: --reuse trains nothing
        shutil.copy(resources.files("sourcetrace").joinpath(f"models/{name}"), tmp_path / name)
    wrong = GoldDocument("g2", TEXT, GOLD.attributions[:1])  # the mayor's confirmation is not in its gold
    docs = [nlp(TEXT), nlp(TEXT), nlp(TEXT), nlp(TEXT)]
    model = calibrate([GOLD, GOLD, wrong, wrong], docs, tmp_path, every=2, reuse=True)
    # Held out: articles 0 and 2, each tagged with both attributions; three of the four are right.
    assert model["tagger"] == "encoder" and model["held_out_articles"] == 2
    assert model["attributions"] == 4 and model["right_rate"] == pytest.approx(0.75)
    assert not _artifacts  # the shipped encoders are back in use


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
                                   "--tagger", "encoder"])
    assert ingested.exit_code == 0, ingested.output
    said = runner.invoke(app, ["speaker", "Dahl", "--db", db, "--format", "json"])
    assert said.exit_code == 0, said.output
    assert "recover" in said.stdout and "pledged" in said.stdout
