"""Every ingest/store setting is documented in docs/store.md (fails when one is added silently)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sourcetrace.ingest import IngestOptions, dates, dedup
from sourcetrace.ingest._fetch import FetchPolicy

DOC = (Path(__file__).parents[2] / "docs" / "store.md").read_text()

NAMES = ([f.name for f in dataclasses.fields(FetchPolicy)] + [f.name for f in dataclasses.fields(IngestOptions)]
         + ["NUM_PERM", "SCHEME", "SHINGLE", "THRESHOLD", "EARLIEST", "FUTURE_SKEW"]
         + ["ingest", "search", "speaker", "outlet", "who-said", "--allow-private", "--workers", "--db"])


@pytest.mark.parametrize("name", NAMES)
def test_setting_is_documented(name: str) -> None:
    assert f"`{name}`" in DOC or f"{name} " in DOC, f"{name} is not described in docs/store.md"


def test_documented_defaults_match_code() -> None:
    assert dedup.SHINGLE == 4 and dedup.THRESHOLD == 0.7 and dedup.NUM_PERM == 128
    assert dates.EARLIEST.year == 1990 and dates.FUTURE_SKEW.days == 1
    policy = FetchPolicy()
    assert (policy.timeout, policy.max_bytes, policy.max_redirects, policy.allow_private) == (15.0, 8_000_000, 5, False)
