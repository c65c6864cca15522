"""The corpus commands parse, delegate and render: text, json and csv."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fakes import RuleAnalyzer
from typer.testing import CliRunner

from sourcetrace.cli import app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    import sourcetrace.analyzer

    monkeypatch.setattr(sourcetrace.analyzer, "Analyzer", lambda *a, **k: RuleAnalyzer())
    url = f"sqlite:///{tmp_path}/cli.db"
    result = CliRunner().invoke(app, ["ingest", str(FIXTURES), "--db", url, "--workers", "1", "--no-follow",
                                      "--quiet"])
    assert result.exit_code == 1, result.output  # two bad jsonl lines
    assert "9 stored" in result.output and "1 near-duplicates" in result.output
    return url


def test_ingest_rerun_stores_nothing_new(db: str) -> None:
    result = CliRunner().invoke(app, ["ingest", str(FIXTURES), "--db", db, "--workers", "1", "--no-follow",
                                      "-q", "--format", "json"])
    report = json.loads(result.output)
    assert (report["stored"], report["skipped"], len(report["errors"])) == (0, 9, 2)


def test_speaker_json(db: str) -> None:
    result = CliRunner().invoke(app, ["speaker", "Varga", "--db", db, "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [r["entity"] for r in rows] == ["Ilse Varga", "Ilse Varga"]


def test_who_said_csv(db: str) -> None:
    result = CliRunner().invoke(app, ["who-said", "stocks", "--db", db, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["speaker"], r["outlet"], r["also_in"]) for r in rows] == [("Oskar Lindahl", "Nordwire", "Coast Post")]


def test_search_text_and_outlet_text(db: str) -> None:
    result = CliRunner().invoke(app, ["search", "ferry", "--db", db])
    assert result.exit_code == 0 and "Skarholm" in result.output
    result = CliRunner().invoke(app, ["outlet", "Valley Ledger", "--db", db])
    assert result.exit_code == 0 and "Hanna Roos" in result.output and "anonymous" in result.output


def test_outlet_csv_and_nothing_found(db: str) -> None:
    result = CliRunner().invoke(app, ["outlet", "nordwire", "--db", db, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0]["source"] == "Oskar Lindahl" and rows[0]["anonymous"] == "1"
    result = CliRunner().invoke(app, ["speaker", "Nobody Atall", "--db", db])
    assert result.exit_code == 1 and "nothing found" in result.output


def test_bad_database_url_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["search", "x", "--db", "mysql://u@h/db"])
    assert result.exit_code == 2 and "ST200" in result.output


def test_a_query_on_a_database_that_is_not_there_says_so(tmp_path: Path) -> None:
    """A mistyped --db used to create an empty store on the spot and report "nothing found"."""
    missing = tmp_path / "typo" / "corpus.db"
    for args in (["search", "x"], ["speaker", "x"], ["who-said", "x"], ["outlet", "x"], ["claims"], ["trace", "1"],
                 ["link"], ["export", "jsonl"]):
        result = CliRunner().invoke(app, [*args, "--db", f"sqlite:///{missing}"])
        assert result.exit_code == 2 and "no database at" in result.output, (args, result.output)
    assert not missing.parent.exists()


def test_export_to_a_path_that_cannot_be_written_exits_2(db: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "jsonl", "--db", db, "--no-link", "-o", str(tmp_path / "no" / "x.jsonl")])
    assert result.exit_code == 2 and "cannot write" in result.output


def test_ingest_shows_progress_and_errors_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sourcetrace.analyzer

    monkeypatch.setattr(sourcetrace.analyzer, "Analyzer", lambda *a, **k: RuleAnalyzer())
    result = CliRunner().invoke(app, ["ingest", str(FIXTURES / "articles.jsonl"), "--db",
                                      f"sqlite:///{tmp_path}/p.db", "--workers", "1"])
    assert result.exit_code == 1
    assert "docs/s" in result.output and "articles.jsonl:4" in result.output and "3 stored" in result.output


def test_ingest_says_which_files_a_directory_walk_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sourcetrace.analyzer

    monkeypatch.setattr(sourcetrace.analyzer, "Analyzer", lambda *a, **k: RuleAnalyzer())
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "harbor.txt").write_text((FIXTURES / "harbor.txt").read_text())
    (folder / "scan.pdf").write_bytes(b"%PDF-1.7")
    (folder / "dump.tar.gz").write_bytes(b"\x1f\x8b")
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", f"sqlite:///{tmp_path}/n.db", "--workers", "1",
                                      "-q", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["stored"] == 1
    assert result.stderr.splitlines() == ["note: left out 2 file(s) of no kind ingest reads (1 .pdf, 1 .tar.gz); "
                                          "it reads text, JSON lines, HTML, WARC and RSS/Atom files"]


def test_ingest_takes_outlets_and_dates_from_a_metadata_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sourcetrace.analyzer

    monkeypatch.setattr(sourcetrace.analyzer, "Analyzer", lambda *a, **k: RuleAnalyzer())
    folder = tmp_path / "text"
    folder.mkdir()
    (folder / "ferry.txt").write_text((FIXTURES / "harbor.txt").read_text())
    table = tmp_path / "metadata.tsv"
    table.write_text("filename\tpublisher\tpublication_date\nferry\tCoast Post\t2016-09-12\n")
    url = f"sqlite:///{tmp_path}/m.db"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", url, "--workers", "1", "-q", "--metadata", str(table)])
    assert result.exit_code == 0, result.output
    from sourcetrace.corpus import Corpus
    from sourcetrace.store import models as m
    from sqlalchemy import select

    corpus = Corpus(url)
    with corpus.sessions() as s:
        outlet, published = s.execute(select(m.Outlet.name, m.Article.published_at)
                                      .join(m.Article, m.Article.outlet_id == m.Outlet.id)).one()
    corpus.close()
    assert outlet == "Coast Post" and published.date().isoformat() == "2016-09-12"
    bad = tmp_path / "bad.csv"
    bad.write_text("publisher,date\nx,2016-01-01\n")
    refused = CliRunner().invoke(app, ["ingest", str(folder), "--db", url, "-q", "--metadata", str(bad)])
    assert refused.exit_code == 2 and "no column names the files" in " ".join(refused.output.replace("│", " ").split())


def test_csv_rows_never_open_a_formula(capsys: pytest.CaptureFixture[str]) -> None:
    from sourcetrace.cli.corpus import Format, _emit

    _emit([{"speaker": "=cmd|' /C calc'!A0", "quote": "-1 dead", "outlets": ["@home", "Nordwire"], "count": -3}],
          Format.csv, title="", columns=())
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows == [{"speaker": "'=cmd|' /C calc'!A0", "quote": "'-1 dead", "outlets": "'@home; Nordwire",
                     "count": "-3"}]


def test_entities_show_explain_undo_and_redo_a_join(db: str) -> None:
    run = CliRunner().invoke
    shown = json.loads(run(app, ["entities", "show", "Varga", "--db", db, "--format", "json"]).output)
    assert [(r["cluster"], r["name"], r["statements"]) for r in shown] == [("Ilse Varga", "Ilse Varga", 1),
                                                                           ("Ilse Varga", "Varga", 1)]
    (merge,) = json.loads(run(app, ["entities", "merges", "Varga", "--db", db, "--format", "json"]).output)
    assert "token subset" in merge["reason"] and not merge["undone"]
    undone = run(app, ["entities", "unmerge", str(merge["merge_id"]), "--db", db])
    assert undone.exit_code == 0, undone.output
    assert [r["cluster"] for r in json.loads(run(app, ["entities", "show", "Varga", "--db", db, "--format",
                                                       "json"]).output)] == ["Varga"]
    again = run(app, ["entities", "unmerge", str(merge["merge_id"]), "--db", db])
    assert again.exit_code == 1 and "no active merge" in again.output
    joined = run(app, ["entities", "merge", "Varga", "Ilse Varga", "--reason", "same minister", "--db", db])
    assert joined.exit_code == 0 and "unmerge" in joined.output
    rows = json.loads(run(app, ["entities", "merges", "Varga", "--db", db, "--format", "json"]).output)
    assert [(r["reason"], r["undone"]) for r in rows][-1] == ("same minister", False)
    text = run(app, ["entities", "show", "Ilse Varga", "--db", db])
    assert text.exit_code == 0 and "Varga" in text.output and "statements" in text.output
    missing = run(app, ["entities", "merge", "Nobody", "Ilse Varga", "--db", db])
    assert missing.exit_code == 1 and "no entity named 'Nobody'" in missing.output
    assert run(app, ["entities", "show", "Nobody", "--db", db]).exit_code == 1
