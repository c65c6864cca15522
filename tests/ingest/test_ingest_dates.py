from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sourcetrace.corpus import Corpus
from sourcetrace.document import Document
from sourcetrace.ingest.dates import parse_date, publication_day, resolve_published
from fakes import RuleAnalyzer  # tests/ingest/conftest.py puts tests/store on the path

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
CRAWLED = datetime(2025, 5, 30, 8, tzinfo=UTC)


@pytest.mark.parametrize(("value", "flag", "expected"), [
    ("2024-03-05T09:30:00Z", None, datetime(2024, 3, 5, 9, 30, tzinfo=UTC)),
    ("2024-03-05", None, datetime(2024, 3, 5, tzinfo=UTC)),
    ("2023-04-18T07:15:00+02:00", None, datetime(2023, 4, 18, 5, 15, tzinfo=UTC)),
    ("Mon, 06 May 2024 10:00:00 +0000", None, datetime(2024, 5, 6, 10, tzinfo=UTC)),
    (time.strptime("2024-05-06 10:00", "%Y-%m-%d %H:%M"), None, datetime(2024, 5, 6, 10, tzinfo=UTC)),
    ("2025-06-02T06:00:00Z", None, datetime(2025, 6, 2, 6, tzinfo=UTC)),   # within a day: clock skew
    ("2099-01-01T00:00:00Z", "future", CRAWLED),
    ("2025-06-03T00:00:00Z", "future", CRAWLED),
    ("1989-12-31T23:59:59Z", "before-1990", CRAWLED),
    ("1970-01-01T00:00:00Z", "epoch-default", CRAWLED),
    (0, "epoch-default", CRAWLED),
    ("last Tuesday", "unparseable", CRAWLED),
    ("9999-12-31T23:59:59-14:00", "unparseable", CRAWLED),  # past datetime's range once in UTC
    ("0001-01-01T00:00:00+14:00", "unparseable", CRAWLED),
    (1e20, "unparseable", CRAWLED),
    (None, "missing", CRAWLED),
    ("", "missing", CRAWLED),
])
def test_resolve_published(value: object, flag: str | None, expected: datetime) -> None:
    decision = resolve_published(value, CRAWLED, now=NOW)
    assert (decision.flag, decision.published_at) == (flag, expected)


def test_naive_values_are_utc() -> None:
    assert parse_date(datetime(2024, 1, 1)) == datetime(2024, 1, 1, tzinfo=UTC)


def test_the_analyser_gets_the_publication_time_only_when_it_was_taken(tmp_path: Path) -> None:
    """Relative dates ("yesterday") are placed from the source's date; a refused or missing one
    (the article then filed at crawl time) places nothing: crawl time is no anchor."""
    lines = [{"id": "kept", "text": "The minister said yesterday that talks would resume.",
              "published": "2016-10-03T21:30:00-04:00"},
             {"id": "future", "text": "The minister said yesterday that talks had failed.",
              "published": "2099-01-01T00:00:00Z"},
             {"id": "none", "text": "The minister said yesterday that talks were over."}]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    seen: dict[str, object] = {}

    class Recording(RuleAnalyzer):
        def analyze_documents(self, documents):  # type: ignore[no-untyped-def]
            items = list(documents)
            for item in items:
                if isinstance(item, Document):
                    seen[item.text.split()[-1]] = publication_day(item.meta.get("published"))
            yield from super().analyze_documents(items)

    corpus = Corpus(f"sqlite:///{tmp_path}/c.db")
    try:
        report = corpus.ingest([path], analyzer=Recording(), workers=1)  # type: ignore[arg-type]
    finally:
        corpus.close()
    assert report.stored == 3
    assert seen == {"resume.": date(2016, 10, 3), "failed.": None, "over.": None}
