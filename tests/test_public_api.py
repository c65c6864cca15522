"""The public surface of ``import sourcetrace``: exactly what ``__all__`` says, cheap to import."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from importlib.resources import files

import pytest

import sourcetrace

PUBLIC = {
    "Analyzer",
    "Attribution",
    "Content",
    "Cue",
    "DateMention",
    "Document",
    "DocumentError",
    "DocumentResult",
    "Entity",
    "Settings",
    "Quantity",
    "Source",
    "SourcetraceError",
    "Stance",
    "__version__",
    "analyze",
}


def test_all_is_exactly_the_public_api() -> None:
    assert set(sourcetrace.__all__) == PUBLIC
    assert len(sourcetrace.__all__) == len(PUBLIC)
    for name in sourcetrace.__all__:
        assert hasattr(sourcetrace, name), name


def test_star_import_gives_only_all() -> None:
    namespace: dict[str, object] = {}
    exec("from sourcetrace import *", namespace)  # noqa: S102
    assert set(namespace) - {"__builtins__"} == PUBLIC


def test_exports_are_the_real_objects() -> None:
    from sourcetrace import analyzer, document, errors, records

    assert sourcetrace.Analyzer is analyzer.Analyzer
    assert sourcetrace.Document is document.Document
    assert sourcetrace.DocumentError is errors.DocumentError
    assert issubclass(sourcetrace.DocumentError, sourcetrace.SourcetraceError)
    for name in ("Attribution", "Source", "Cue", "Content", "Stance", "Entity", "Quantity",
                 "DocumentResult"):
        assert getattr(sourcetrace, name) is getattr(records, name)


def test_version_comes_from_package_metadata() -> None:
    assert sourcetrace.__version__ == version("sourcetrace")


def test_import_loads_no_model() -> None:
    code = (
        "import sys, sourcetrace\n"
        "from sourcetrace.nlp import KNOWN_MODELS, load_nlp\n"
        "assert not any(m in sys.modules for m in KNOWN_MODELS), 'model imported'\n"
        "assert load_nlp.cache_info().currsize == 0, 'pipeline loaded'\n"
        "assert sourcetrace._default_analyzer is None\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(("text", "kind"), [("", "empty"), (" \n ", "empty")])
def test_analyze_refuses_bad_text_before_loading_a_model(text: str, kind: str) -> None:
    with pytest.raises(sourcetrace.DocumentError) as info:
        sourcetrace.analyze(text, doc_id="bad")
    assert (info.value.doc_id, info.value.kind) == ("bad", kind)


@pytest.mark.slow
def test_analyze_example_article() -> None:
    text = files(sourcetrace).joinpath("examples/wire_report.txt").read_text(encoding="utf-8")
    result = sourcetrace.analyze(text, doc_id="wire_report")
    assert isinstance(result, sourcetrace.DocumentResult)
    assert result.id == "wire_report"
    assert len(result.attributions) >= 3
    known = {e.id for e in result.entities} | {e.name for e in result.entities}
    assert any(a.source is not None and a.source.entity in known for a in result.attributions)
    analyzer = sourcetrace._default_analyzer
    assert analyzer is not None
    assert sourcetrace.analyze("The minister said the plan would work.").id == "doc"
    assert sourcetrace._default_analyzer is analyzer  # one cached Analyzer per process
