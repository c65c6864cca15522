"""A corpus's metadata table (metadata.tsv, one row per text file) dates and names its articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcetrace.ingest import IngestOptions, RawArticle, read_inputs
from sourcetrace.ingest.metadata import MetadataError, read_metadata_table

STORY = "The harbour will reopen in the spring, the port authority said on Monday."


def _corpus(tmp_path: Path, table: str, name: str = "metadata.tsv") -> Path:
    (tmp_path / "text").mkdir()
    for stem in ("ferry", "quota"):
        (tmp_path / "text" / f"{stem}.txt").write_text(STORY)
    (tmp_path / name).write_text(table)
    return tmp_path / name


def test_a_polnear_style_table_names_and_dates_each_text_file(tmp_path: Path) -> None:
    table = _corpus(tmp_path, "compartment\tfilename\tpublisher\tpublication_date\tauthor\ttitle\twire\n"
                              "dev\tferry\tcoast-post\t2016-09-12\tAnna Berg\tFerry back in spring\tNone\n"
                              "dev\tquota\tnordwire\t2016-09-13\t\tQuota cut\tAP\n")
    rows = read_metadata_table(table)
    assert rows["ferry"] == {"compartment": "dev", "outlet": "coast-post", "published": "2016-09-12",
                             "author": "Anna Berg", "title": "Ferry back in spring"}  # "None" is no value
    ferry, quota = read_inputs([tmp_path / "text"], IngestOptions(metadata=rows))
    assert isinstance(ferry, RawArticle) and (ferry.outlet, ferry.published, ferry.title) == (
        "coast-post", "2016-09-12", "Ferry back in spring")
    assert isinstance(quota, RawArticle) and quota.author is None and quota.meta == {"compartment": "dev", "wire": "AP"}


def test_a_csv_names_files_by_path_and_a_sidecar_wins(tmp_path: Path) -> None:
    table = _corpus(tmp_path, "Path,Outlet,Date,URL\ntexts/ferry.txt,Coast Post,2026-04-02,https://coast.example/f\n",
                    name="meta.csv")
    (tmp_path / "text" / "ferry.json").write_text('{"outlet": "Island Notes"}')
    rows = read_metadata_table(table)
    (ferry, quota) = read_inputs([tmp_path / "text"], IngestOptions(metadata=rows))
    assert isinstance(ferry, RawArticle) and (ferry.outlet, ferry.published, ferry.url) == (
        "Island Notes", "2026-04-02", "https://coast.example/f")
    assert isinstance(quota, RawArticle) and quota.outlet is None  # no row: as before


@pytest.mark.parametrize(("table", "reason"), [
    ("", "empty"),
    ("publisher\tdate\nx\t2016-01-01\n", "no column names the files"),
    ("filename\tdate\nferry\t2016-01-01\nferry.txt\t2016-01-02\n", "line 3 names 'ferry' again"),
    ("filename\tdate\n\t2016-01-01\n", "line 2 names no file"),
])
def test_a_table_that_cannot_say_which_file_is_which_is_refused(tmp_path: Path, table: str, reason: str) -> None:
    with pytest.raises(MetadataError, match=reason):
        read_metadata_table(_corpus(tmp_path, table))
