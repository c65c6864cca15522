"""The spaCy component: plumbing on spacy.blank with a stub extractor; the real thing is slow."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from importlib.metadata import entry_points
from importlib.resources import files
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import sourcetrace
from sourcetrace import pipeline
from sourcetrace.records import Attribution, Content, Cue, DocumentResult, Source


def _stub(doc: Doc, doc_id: str, min_confidence: float | None = None, tagger: str = "crf",
          anchor: date | None = None) -> DocumentResult:
    """One attribution per "said", the first token as its source: enough to test plumbing."""
    attributions = tuple(
        Attribution(
            id=f"A{i}",
            source=Source(((doc[0].idx, doc[0].idx + len(doc[0])),), doc[0].text),
            cue=Cue(((t.idx, t.idx + len(t)),), t.text),
            content=Content(((t.idx + len(t) + 1, len(doc.text)),), doc.text[t.idx + len(t) + 1 :]),
            type="indirect",
        )
        for i, t in enumerate((t for t in doc if t.lower_ == "said"), 1)
    )
    return DocumentResult(doc_id, attributions)


@pytest.fixture
def blank(monkeypatch: pytest.MonkeyPatch) -> Language:
    monkeypatch.setattr(pipeline, "analyze_doc", _stub)
    nlp = spacy.blank("en")
    nlp.add_pipe("sourcetrace")
    return nlp


def test_factory_is_registered_the_spacy_way() -> None:
    assert Language.has_factory("sourcetrace")
    meta = Language.get_factory_meta("sourcetrace")
    assert set(meta.assigns) == {"doc._.attributions", "doc._.sourcetrace"}
    assert meta.default_config == {"default_id": "doc", "min_confidence": None, "tagger": "crf"}


def test_entry_point_is_declared() -> None:
    (ep,) = [ep for ep in entry_points(group="spacy_factories") if ep.name == "sourcetrace"]
    assert ep.value == "sourcetrace.pipeline:make_sourcetrace"
    assert ep.load() is pipeline.make_sourcetrace


def test_entry_point_works_without_importing_sourcetrace() -> None:
    code = (
        "import sys, spacy\n"
        "assert 'sourcetrace' not in sys.modules\n"
        "nlp = spacy.blank('en')\n"  # spaCy itself finds the factory through the entry point
        "nlp.add_pipe('sourcetrace')\n"
        "print(nlp.pipe_names)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "sourcetrace" in done.stdout


def test_component_sets_extensions(blank: Language) -> None:
    doc = blank("Officials said the talks would go on.")
    assert isinstance(doc._.sourcetrace, DocumentResult)
    assert doc._.sourcetrace.id == "doc"
    assert doc._.attributions == doc._.sourcetrace.attributions
    assert [a.cue.text for a in doc._.attributions] == ["said"]


def test_unprocessed_doc_has_empty_defaults(blank: Language) -> None:
    doc = blank.make_doc("Nothing ran on this one.")
    assert doc._.attributions == ()
    assert doc._.sourcetrace is None


def test_doc_id_from_config_and_user_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "analyze_doc", _stub)
    nlp = spacy.blank("en")
    nlp.add_pipe("sourcetrace", config={"default_id": "feed"})
    assert nlp("He said so.")._.sourcetrace.id == "feed"
    doc = nlp.make_doc("He said so.")
    doc.user_data[pipeline.ID_KEY] = "wire-42"
    assert nlp.get_pipe("sourcetrace")(doc)._.sourcetrace.id == "wire-42"


def test_tagger_travels_in_the_config(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def recording(doc: Doc, doc_id: str, min_confidence: float | None = None, tagger: str = "crf",
                  anchor: date | None = None) -> DocumentResult:
        seen.append(tagger)
        return _stub(doc, doc_id)

    monkeypatch.setattr(pipeline, "analyze_doc", recording)
    nlp = spacy.blank("en")
    nlp.add_pipe("sourcetrace", config={"tagger": "encoder"})
    nlp("He said so.")
    assert seen == ["encoder"]
    assert nlp.config["components"]["sourcetrace"]["tagger"] == "encoder"
    with pytest.raises(ValueError, match="tagger"):
        spacy.blank("en").add_pipe("sourcetrace", config={"tagger": "bert"})


def test_publication_day_comes_from_user_data(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[date | None] = []

    def recording(doc: Doc, doc_id: str, min_confidence: float | None = None, tagger: str = "crf",
                  anchor: date | None = None) -> DocumentResult:
        seen.append(anchor)
        return _stub(doc, doc_id)

    monkeypatch.setattr(pipeline, "analyze_doc", recording)
    nlp = spacy.blank("en")
    nlp.add_pipe("sourcetrace")
    nlp("He said so.")
    doc = nlp.make_doc("He said so yesterday.")
    doc.user_data[pipeline.PUBLISHED_KEY] = "2016-10-03"
    nlp.get_pipe("sourcetrace")(doc)
    assert seen == [None, date(2016, 10, 3)]


def test_register_extensions_is_idempotent(blank: Language) -> None:
    pipeline.register_extensions()
    pipeline.register_extensions()
    blank.add_pipe("sourcetrace", name="sourcetrace_again")
    assert Doc.has_extension("attributions") and Doc.has_extension("sourcetrace")
    assert len(blank("She said yes.")._.attributions) == 1


def test_pipeline_round_trips_through_disk(blank: Language, tmp_path: Path) -> None:
    component = blank.get_pipe("sourcetrace")
    assert isinstance(component, pipeline.SourcetraceComponent)
    component.default_id = "ignored"  # state is config only, not data
    blank.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert loaded.pipe_names == ["sourcetrace"]
    assert loaded.get_pipe_config("sourcetrace")["default_id"] == "doc"
    assert loaded("They said it twice, she said.")._.sourcetrace.id == "doc"


@pytest.mark.slow
def test_real_model_example_article() -> None:
    from sourcetrace.nlp import model_name

    nlp = spacy.load(model_name())
    nlp.add_pipe("sourcetrace", config={"default_id": "wire_report"})
    text = files(sourcetrace).joinpath("examples/wire_report.txt").read_text(encoding="utf-8")
    doc = nlp(text)
    attributions = doc._.attributions
    assert isinstance(attributions, tuple)
    assert len(attributions) >= 3
    assert all(isinstance(a, Attribution) for a in attributions)
    assert doc._.sourcetrace.id == "wire_report"
    assert doc._.sourcetrace.attributions == attributions
    assert any(a.source is not None and a.source.entity for a in attributions)
    for a in attributions:
        for start, end in a.content.spans:
            assert 0 <= start <= end <= len(text)


@pytest.mark.parametrize(("text", "starts"), [
    ("Troops Massed on the Border\n\nThe ministry said so.", ["The"]),
    ("One line\nand the next line\n\n\nA third paragraph", ["A"]),
    ("“A quote-only paragraph.”\n \nHe said more.", ["He"]),
    ("No blank line here.\nJust one newline.", []),
])
def test_a_blank_line_starts_a_sentence(text: str, starts: list[str]) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe(pipeline.PARAGRAPHS)
    doc = nlp(text)
    assert [t.text for t in doc[1:] if t.is_sent_start] == starts


@pytest.mark.slow
def test_the_analyzers_parser_keeps_paragraph_breaks() -> None:
    from sourcetrace.nlp import load_nlp

    nlp = load_nlp()
    assert nlp.pipe_names.index(pipeline.PARAGRAPHS) < nlp.pipe_names.index("parser")
    # Without the break the parser reads the headline as the subject of the paragraph below it.
    doc = nlp("North Korea Could Send 100,000 Troops\n\nThe Meridian agency reported the figure on Thursday.")
    assert [s.text.strip() for s in doc.sents] == ["North Korea Could Send 100,000 Troops",
                                                   "The Meridian agency reported the figure on Thursday."]
