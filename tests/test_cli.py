"""`sourcetrace analyze`: input handling, formats, errors and exit codes.

Most tests stub the extractor and use a blank spaCy pipeline, so they test the command's
plumbing only; the tests marked slow run the installed command on the real model.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc
from typer.testing import CliRunner

import sourcetrace
from sourcetrace import analyzer as analyzer_module
from sourcetrace.cli import app
from sourcetrace.cli import analyze as analyze_cli
from sourcetrace.records import Attribution, Content, Cue, DocumentResult, Source

GOOD = "The minister said the plan would work, and officials told reporters that it was agreed."
OTHER = "A spokesman said on Monday that the talks would resume next week in the capital city."
RESULT_KEYS = {"id", "attributions", "entities", "quantities", "dates"}


def _stub(doc: Doc, doc_id: str, min_confidence: float | None = None, tagger: str = "crf",
          anchor: date | None = None) -> DocumentResult:
    """One attribution per "said": first token as source, the rest of the sentence as content."""
    attributions: list[Attribution] = []
    for tok in doc:
        if tok.lower_ == "said":
            end = tok.sent.end_char if doc.has_annotation("SENT_START") else len(doc.text)
            content = (tok.idx + len(tok) + 1, max(tok.idx + len(tok) + 1, end))
            attributions.append(Attribution(
                id=f"A{len(attributions) + 1}",
                source=Source(((doc[0].idx, doc[0].idx + len(doc[0])),), doc[0].text, None, "person"),
                cue=Cue(((tok.idx, tok.idx + len(tok)),), tok.text),
                content=Content((content,), doc.text[content[0]:content[1]]),
                type="indirect",
            ))
    return DocumentResult(doc_id, tuple(attributions))


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose Analyzer uses a blank pipeline and the stub extractor."""
    blank = spacy.blank("en")
    monkeypatch.setattr(analyzer_module, "load_nlp", lambda preferred=None: blank)
    monkeypatch.setattr(analyzer_module, "analyze_doc", _stub)
    return CliRunner()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "b-second.txt").write_text(OTHER, encoding="utf-8")
    (root / "a-first.txt").write_text(GOOD, encoding="utf-8")
    (root / "sub" / "c-third.txt").write_text("“Quoted,” he said. " + GOOD, encoding="utf-8")
    (root / "notes.md").write_text(GOOD, encoding="utf-8")  # not *.txt: ignored
    return root


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_jsonl_one_object_per_document_with_stem_ids(runner: CliRunner, corpus: Path) -> None:
    files_ = [str(corpus / "a-first.txt"), str(corpus / "b-second.txt")]
    result = runner.invoke(app, ["analyze", *files_, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == ["a-first", "b-second"]
    for r in records:
        assert set(r) == RESULT_KEYS
        assert DocumentResult.from_dict(r).to_dict() == r  # exactly to_dict()
    assert records[0]["attributions"][0]["cue"]["text"] == "said"


def test_directory_is_recursed_sorted_txt_only(runner: CliRunner, corpus: Path) -> None:
    result = runner.invoke(app, ["analyze", str(corpus), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in _lines(result.stdout)] == ["a-first", "b-second", "c-third"]


def test_stdin_dash(runner: CliRunner) -> None:
    result = runner.invoke(app, ["analyze", "-", "--format", "jsonl"], input=GOOD)
    assert result.exit_code == 0, result.output
    (record,) = _lines(result.stdout)
    assert record["id"] == "stdin"
    assert record["attributions"]


def test_non_ascii_is_kept_in_json(runner: CliRunner) -> None:
    text = "Zoë Müller said the “plan” would work, and officials told reporters that it was agreed."
    result = runner.invoke(app, ["analyze", "-", "-f", "jsonl"], input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert "Zoë" in result.stdout and "\\u" not in result.stdout


def test_bad_file_in_batch_reports_one_line_and_goes_on(runner: CliRunner, corpus: Path) -> None:
    bad = corpus / "zz-broken.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = runner.invoke(app, ["analyze", str(bad), str(corpus / "a-first.txt"), "-f", "jsonl"])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 1
    assert errors[0].startswith("error: zz-broken: ")
    assert errors[0].endswith("not text: a PNG image")
    assert [r["id"] for r in _lines(result.stdout)] == ["a-first"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty", b"", "empty"),
        ("latin1", GOOD.encode("utf-8") + " Müller".encode("latin-1"), "UTF-8"),
        ("deutsch", ("Die Regierung hat am Dienstag neue Maßnahmen beschlossen, wie ein Sprecher "
                     "in Berlin mitteilte. Kritiker bezweifeln jedoch, dass das Geld rechtzeitig "
                     "bei den Bürgern ankommt.").encode("utf-8"), "English"),
    ],
)
def test_each_kind_of_bad_document_is_one_error_line(
    runner: CliRunner, tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    result = runner.invoke(app, ["analyze", str(path), "-f", "jsonl"])
    assert result.exit_code == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {name}: ") and reason in line


def test_internal_extraction_failure_is_a_document_error(
    runner: CliRunner, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(doc: Doc, doc_id: str, min_confidence: float | None = None, tagger: str = "crf",
                anchor: date | None = None) -> DocumentResult:
        if doc_id == "a-first":
            raise RuntimeError("boom\nwith a second line")
        return _stub(doc, doc_id)

    monkeypatch.setattr(analyzer_module, "analyze_doc", explode)
    result = runner.invoke(app, ["analyze", str(corpus), "-f", "jsonl"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: a-first: ") and "boom with a second line" in line
    assert [r["id"] for r in _lines(result.stdout)] == ["b-second", "c-third"]


def test_missing_file_is_a_document_error(runner: CliRunner, corpus: Path) -> None:
    result = runner.invoke(app, ["analyze", str(corpus / "nope.txt"), str(corpus / "a-first.txt"),
                                 "-f", "jsonl"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: nope: cannot read")
    assert len(_lines(result.stdout)) == 1


def test_min_confidence_tagger_and_publication_day_reach_the_extractor(
    runner: CliRunner, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[float | None, str, date | None]] = []

    def recording(doc: Doc, doc_id: str, min_confidence: float | None = None, tagger: str = "crf",
                  anchor: date | None = None) -> DocumentResult:
        seen.append((min_confidence, tagger, anchor))
        return _stub(doc, doc_id)

    monkeypatch.setattr(analyzer_module, "analyze_doc", recording)
    assert runner.invoke(app, ["analyze", str(corpus / "a-first.txt"), "-f", "jsonl"]).exit_code == 0
    assert runner.invoke(app, ["analyze", str(corpus / "a-first.txt"), "-f", "jsonl",
                               "--min-confidence", "0", "--tagger", "encoder",
                               "--published", "2016-10-03T21:30:00-04:00"]).exit_code == 0
    # The paper's own day, not UTC's (01:30 on the 4th): "yesterday" counts from the 3rd.
    assert seen == [(None, "crf", None), (0.0, "encoder", date(2016, 10, 3))]
    bad = runner.invoke(app, ["analyze", str(corpus / "a-first.txt"), "--published", "last tuesday"])
    assert bad.exit_code == 2 and "not a date" in bad.output
    assert runner.invoke(app, ["analyze", str(corpus / "a-first.txt"), "--min-confidence", "1.5"]).exit_code == 2
    assert runner.invoke(app, ["analyze", str(corpus / "a-first.txt"), "--tagger", "bert"]).exit_code == 2


def test_max_chars_refuses_long_documents(runner: CliRunner, corpus: Path) -> None:
    result = runner.invoke(app, ["analyze", str(corpus), "-f", "jsonl", "--max-chars", "20"])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 3
    assert all("too large" in line for line in result.stderr.splitlines())
    assert result.stdout == ""


def test_json_single_object_and_array_for_several(runner: CliRunner, corpus: Path) -> None:
    single = runner.invoke(app, ["analyze", str(corpus / "a-first.txt"), "--format", "json"])
    assert single.exit_code == 0, single.output
    assert json.loads(single.stdout)["id"] == "a-first"
    assert "\n  " in single.stdout  # pretty
    several = runner.invoke(app, ["analyze", str(corpus), "--format", "json"])
    assert several.exit_code == 0, several.output
    assert [r["id"] for r in json.loads(several.stdout)] == ["a-first", "b-second", "c-third"]


def test_text_format_renders_article_table_and_summary(runner: CliRunner, corpus: Path) -> None:
    result = runner.invoke(app, ["analyze", str(corpus / "a-first.txt")], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "The minister said the plan would work" in out  # the article
    for heading in ("id", "speaker", "cue", "content", "type", "stance", "parent", "conf"):
        assert heading in out
    assert "Who said what" in out
    assert "1 attribution, 1 distinct source, 0 anonymous" in out


def test_text_format_prints_markup_literally(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "markup.txt"
    path.write_text("[bold red]The minister[/] said the [link=http://x]plan[/link] works.",
                    encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(path), "-f", "text"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "[bold red]The minister[/] said the [link=http://x]plan[/link] works." in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["analyze"],
        ["analyze", "x.txt", "--format", "xml"],
        ["analyze", "x.txt", "--max-chars", "0"],
        ["analyze", "x.txt", "--max-chars", "many"],
        ["analyze", "x.txt", "--no-such-option"],
    ],
    ids=["no-path", "bad-format", "zero-max", "non-int-max", "unknown-option"],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""


def test_empty_directory_warns(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", str(tmp_path), "-f", "jsonl"])
    assert result.exit_code == 0
    assert "no *.txt files" in result.stderr
    assert result.stdout == ""


def test_a_directory_says_which_pages_and_feeds_it_left_out(runner: CliRunner, corpus: Path) -> None:
    (corpus / "saved.html").write_text("<html><body><p>The mayor said so.</p></body></html>")
    (corpus / "sub" / "wire.jsonl").write_text("{}\n")
    result = runner.invoke(app, ["analyze", str(corpus), "-f", "jsonl"])
    assert result.exit_code == 0 and len(_lines(result.stdout)) == 3   # the *.txt files only, as before
    assert result.stderr.splitlines() == [
        "note: a directory gives its *.txt files; left out 2 page(s), feed(s) or archive(s) (1 .html, 1 .jsonl): "
        "name them one by one"]
    alone = runner.invoke(app, ["analyze", str(corpus / "sub"), str(corpus / "saved.html"), "-f", "jsonl"])
    assert "left out 1 page(s), feed(s) or archive(s) (1 .jsonl)" in alone.stderr   # a named page is read


def test_progress_only_for_machine_formats_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    fmt = analyze_cli.OutputFormat
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert analyze_cli._progress(10, fmt.jsonl) is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert analyze_cli._progress(10, fmt.jsonl) is not None
    assert analyze_cli._progress(10, fmt.json) is not None
    assert analyze_cli._progress(1, fmt.jsonl) is None
    assert analyze_cli._progress(None, fmt.jsonl) is not None      # a feed or archive: count unknown
    assert analyze_cli._progress(10, fmt.text) is None


def test_an_html_page_on_stdin_is_read_by_its_main_text(runner: CliRunner) -> None:
    page = f"<!DOCTYPE html><html><body><nav>Home</nav><article><p>{GOOD}</p></article></body></html>"
    result = runner.invoke(app, ["analyze", "-", "--format", "jsonl"], input=page.encode())
    assert result.exit_code == 0, result.output
    (record,) = _lines(result.stdout)
    assert record["id"] == "stdin" and record["text"].endswith(GOOD) and "<" not in record["text"]
    result = runner.invoke(app, ["analyze", "-", "--format", "jsonl"], input=GOOD.encode())
    assert "text" not in _lines(result.stdout)[0]                 # plain text stays as read


def test_a_file_of_no_known_name_is_read_as_its_contents_say(runner: CliRunner, tmp_path: Path) -> None:
    # wget saves ".../story-123" with no suffix: a page by its main text, anything else as read.
    page, plain = tmp_path / "story-123", tmp_path / "notes"
    page.write_bytes(f"<!doctype html><html><body><nav>Home</nav><article><p>{GOOD}</p></article></body></html>"
                     .encode())
    plain.write_text(GOOD)
    result = runner.invoke(app, ["analyze", str(page), str(plain), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    html, text = _lines(result.stdout)
    assert html["id"] == "story-123" and html["text"].endswith(GOOD) and "<" not in html["text"]
    assert text["id"] == "notes" and set(text) == RESULT_KEYS


def test_json_of_a_feed_is_an_array_of_its_articles_and_of_a_page_one_object(runner: CliRunner,
                                                                              tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>'
                    + "".join(f"<item><title>T{k}</title><link>https://courier.example/{k}</link>"
                              f"<description>{GOOD}</description></item>" for k in range(2))
                    + "</channel></rss>")
    result = runner.invoke(app, ["analyze", str(feed), "--no-follow", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [d["id"] for d in json.loads(result.stdout)] == ["https://courier.example/0", "https://courier.example/1"]
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><article><p>{GOOD}</p><p>{OTHER}</p></article></body></html>")
    result = runner.invoke(app, ["analyze", str(page), "--format", "json"])
    assert json.loads(result.stdout)["id"] == "page"


def test_an_html_page_is_analysed_by_its_main_text_which_json_carries(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Talks</title></head><body><nav>Home | World</nav><article>"
                    "<h1>Talks to resume</h1><p>" + GOOD + "</p><p>" + OTHER + "</p></article></body></html>")
    plain = tmp_path / "plain.txt"
    plain.write_text(GOOD)
    result = runner.invoke(app, ["analyze", str(page), str(plain), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    html, txt = _lines(result.stdout)
    assert "<p>" not in html["text"] and "Home | World" not in html["text"]
    assert GOOD + "\n\n" + OTHER in html["text"]              # paragraphs as blank lines
    for a in html["attributions"]:                             # the offsets count in that text
        (start, end), = a["cue"]["spans"]
        assert html["text"][start:end] == a["cue"]["text"] == "said"
    assert set(txt) == RESULT_KEYS                             # a text file's text is the file


# --- end to end: the installed command, the real model and extractor ---------------------------

EXAMPLE = Path(str(files(sourcetrace).joinpath("examples/wire_report.txt")))


def _sourcetrace(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    command = Path(sys.executable).with_name("sourcetrace")
    env = {**os.environ, "COLUMNS": "160"}
    return subprocess.run([str(command), *args], input=stdin, capture_output=True, timeout=300,
                          env=env, check=False)


@pytest.mark.slow
def test_installed_command_jsonl_on_example(tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    done = _sourcetrace("analyze", str(EXAMPLE), str(bad), "--format", "jsonl")
    assert done.returncode == 1, done.stderr
    assert done.stderr.decode().splitlines() == ["error: broken: looks binary (NUL bytes)"]
    (record,) = _lines(done.stdout.decode("utf-8"))
    assert record["id"] == "wire_report"
    assert len(record["attributions"]) >= 3
    assert any(a["source"] and a["source"]["entity"] for a in record["attributions"])


@pytest.mark.slow
def test_installed_command_text_and_stdin() -> None:
    done = _sourcetrace("analyze", "-", stdin=EXAMPLE.read_bytes())
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode("utf-8")
    assert "Who said what — stdin" in out
    assert "speaker" in out and "stance" in out
    assert "distinct source" in out


@pytest.mark.slow
def test_workers_share_the_batch_and_keep_its_order_and_errors(tmp_path: Path) -> None:
    names = []
    for n, text in enumerate([GOOD, "", OTHER, EXAMPLE.read_text(encoding="utf-8"), GOOD + " " + OTHER]):
        path = tmp_path / f"d{n}.txt"
        path.write_text(text, encoding="utf-8")
        names.append(str(path))
    alone = _sourcetrace("analyze", *names, "--format", "jsonl")
    shared = _sourcetrace("analyze", *names, "--format", "jsonl", "--workers", "2")
    assert shared.returncode == alone.returncode == 1, shared.stderr
    assert shared.stderr == alone.stderr and b"error: d1: " in shared.stderr
    assert [r["id"] for r in _lines(shared.stdout.decode("utf-8"))] == ["d0", "d2", "d3", "d4"]
    assert shared.stdout == alone.stdout  # the same results, byte for byte
