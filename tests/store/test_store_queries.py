"""search / speaker / outlet / who-said over the fixture corpus, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sourcetrace.corpus import Corpus

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


@pytest.fixture
def corpus(corpus_url: str, analyzer: object) -> Iterator[Corpus]:
    corpus = Corpus(corpus_url)
    report = corpus.ingest([FIXTURES], analyzer=analyzer, workers=1, follow_links=False)  # type: ignore[arg-type]
    assert report.stored == 9 and report.duplicates == 1 and len(report.errors) == 2
    yield corpus
    corpus.close()


def test_search_finds_articles_with_snippets(corpus: Corpus) -> None:
    (hit,) = corpus.search("breakwater repairs")
    assert hit.title == "Port Alven harbor to reopen in spring" and hit.outlet == "The Gull Gazette"
    assert "breakwater" in hit.snippet.lower()
    assert hit.url == "https://gullgazette.example/news/harbor-reopens"


def test_search_folds_wire_copies_into_the_original(corpus: Corpus) -> None:
    (hit,) = corpus.search("cod quota")
    assert hit.outlet == "Nordwire" and hit.also_in == ("Coast Post",)


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR NOT", "(*)", "col:umn", "", "  "])
def test_search_never_breaks_on_syntax(corpus: Corpus, query: str) -> None:
    assert isinstance(corpus.search(query), list)
    assert isinstance(corpus.who_said(query), list)


def test_speaker_lists_statements_with_outlet_and_date(corpus: Corpus) -> None:
    statements = corpus.speaker("Varga")
    assert [s.content for s in statements] == ["We are ready to welcome the first ships in April",
                                               "The breakwater will hold for another fifty years"]
    assert {(s.entity, s.outlet, s.published_at[:10]) for s in statements if s.published_at} == {
        ("Ilse Varga", "The Gull Gazette", "2024-03-05")}


def test_speaker_statements_from_relays_are_not_double_counted(corpus: Corpus) -> None:
    (statement,) = corpus.speaker("Oskar Lindahl")
    assert statement.outlet == "Nordwire" and statement.also_in == ("Coast Post",)


def test_who_said_matches_content(corpus: Corpus) -> None:
    (statement,) = corpus.who_said("fleece")
    assert statement.source_kind == "anonymous" and statement.outlet == "Valley Ledger"
    (statement,) = corpus.who_said("harvest")
    assert statement.speaker == "Hanna Roos"


def test_outlet_report_counts_quotes_and_anonymous_sources(corpus: Corpus) -> None:
    (report,) = corpus.outlet("gull gazette")
    assert (report.articles, report.attributions, report.anonymous) == (1, 3, 1)
    assert [(s.name, s.count) for s in report.quoted] == [("Ilse Varga", 2)]
    assert report.anonymous_share == pytest.approx(1 / 3)
    (relay,) = corpus.outlet("coastpost.example")
    assert (relay.articles, relay.relayed, relay.attributions) == (0, 1, 0)


def test_dates_are_flagged(corpus: Corpus) -> None:
    (hit,) = corpus.search("lighthouse")
    assert hit.outlet == "Merrow Weekly"
    (statement,) = corpus.speaker("Tomas Brenn")
    assert statement.date_flag == "future"
    (ferry,) = corpus.speaker("Petra Olsen")
    assert ferry.date_flag == "epoch-default" and ferry.outlet == "islandnews.example"
