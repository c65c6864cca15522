"""`sourcetrace analyze` reads what `ingest` reads: text verbatim, the articles of pages, feeds,
archives, JSON-lines files and URLs by their main text, each bad one as its own error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from localsite import LocalSite

from sourcetrace.cli.analyze import load_inputs, result_dict
from sourcetrace.document import Document
from sourcetrace.errors import DocumentError
from sourcetrace.records import DocumentResult
from sourcetrace.settings import DEFAULTS

HTML = {"Content-Type": "text/html; charset=utf-8"}


def _read(*inputs: str | Path, **options: Any) -> list[Document | DocumentError]:
    return list(load_inputs([str(i) for i in inputs], DEFAULTS, **options))


def test_text_is_read_verbatim_and_carries_no_text_field(tmp_path: Path) -> None:
    note = tmp_path / "note.md"  # a kind ingest does not know: read as text, as before
    note.write_text("The mayor said on Monday that the bridge would reopen in the spring.\n")
    (doc,) = _read(note)
    assert isinstance(doc, Document) and doc.id == "note" and doc.text == note.read_text()
    assert set(result_dict(doc, DocumentResult("note"))) == {"id", "attributions", "entities", "quantities", "dates"}


def test_the_articles_of_a_feed_and_a_jsonl_file_are_documents_of_their_text(fixtures: Path) -> None:
    items = _read(fixtures / "feed.rss", fixtures / "articles.jsonl", follow=False)
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, DocumentError)]
    assert [d.id for d in docs[:2]] == ["https://tidewater.example/news/bridge", "https://tidewater.example/news/choir"]
    assert "said Greta Holm" in docs[0].text and "<" not in docs[0].text
    assert [d.id.rsplit("/", 1)[-1] for d in docs[2:]] == ["articles.jsonl:1", "articles.jsonl:2", "articles.jsonl:3"]
    assert [e.doc_id.rsplit("/", 1)[-1] for e in errors] == ["articles.jsonl:4", "articles.jsonl:5"]
    data = result_dict(docs[0], DocumentResult(docs[0].id))
    assert data["text"] == docs[0].text and data["url"] == "https://tidewater.example/news/bridge"


def test_a_page_url_is_fetched_only_where_allowed(site: LocalSite, fixtures: Path) -> None:
    site.routes["/frost"] = (200, HTML, (fixtures / "page.html").read_bytes())
    (refused,) = _read(f"{site.base}/frost")
    assert isinstance(refused, DocumentError) and refused.kind == "refused" and site.hits == []
    (doc,) = _read(f"{site.base}/frost", allow_private=True)
    assert isinstance(doc, Document) and doc.id == f"{site.base}/frost"
    assert "One cold night now" in doc.text and "\n\n" in doc.text
    assert result_dict(doc, DocumentResult(doc.id))["url"] == "https://valleyledger.example/farming/frost"


def test_a_jsonl_articles_date_dates_it_when_ingest_would_take_it(tmp_path: Path) -> None:
    """Relative dates are placed from a source's publication time only where ``ingest`` would
    accept it as one: a date in the future or before 1990 dates nothing."""
    text = "The mayor said on Monday that the bridge would reopen in the spring after long repairs."
    lines = [{"id": "kept", "text": text, "published": "2016-10-04T09:00:00-04:00"},
             {"id": "future", "text": text, "published": "2999-01-01T00:00:00Z"},
             {"id": "ancient", "text": text, "published": "1970-01-01T00:00:00Z"},
             {"id": "none", "text": text}]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    docs = _read(path)
    assert all(isinstance(d, Document) for d in docs)
    assert [d.meta.get("published") for d in docs] == ["2016-10-04T09:00:00-04:00", None, None, None]  # type: ignore[union-attr]


def test_a_text_files_sidecar_dates_it_and_a_broken_one_is_its_error(tmp_path: Path) -> None:
    text = "The mayor said on Monday that the bridge would reopen in the spring after long repairs.\n"
    (tmp_path / "dated.txt").write_text(text)
    (tmp_path / "dated.json").write_text(json.dumps({"published": "2016-10-04", "outlet": "Gazette"}))
    (tmp_path / "future.txt").write_text(text)
    (tmp_path / "future.json").write_text(json.dumps({"published": "2999-01-01"}))
    (tmp_path / "broken.txt").write_text(text)
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "plain.txt").write_text(text)
    dated, future, broken, plain = _read(*(tmp_path / f"{n}.txt" for n in ("dated", "future", "broken", "plain")))
    assert isinstance(dated, Document) and dated.meta["published"] == "2016-10-04" and dated.text == text
    assert isinstance(future, Document) and "published" not in future.meta
    assert isinstance(broken, DocumentError) and broken.kind == "malformed" and "broken.json" in broken.reason
    assert isinstance(plain, Document) and "published" not in plain.meta


def test_the_metadata_table_dates_a_text_file_its_sidecar_does_not(tmp_path: Path) -> None:
    text = "The mayor said on Monday that the bridge would reopen in the spring after long repairs.\n"
    for name in ("tabled", "sidecar", "neither"):
        (tmp_path / f"{name}.txt").write_text(text)
    (tmp_path / "sidecar.json").write_text(json.dumps({"published": "2016-10-04"}))
    table = {"tabled": {"published": "2016-09-12"}, "sidecar": {"published": "2016-01-01"}}
    tabled, sidecar, neither = _read(*(tmp_path / f"{n}.txt" for n in ("tabled", "sidecar", "neither")),
                                     metadata=table)
    assert isinstance(tabled, Document) and tabled.meta["published"] == "2016-09-12"
    assert isinstance(sidecar, Document) and sidecar.meta["published"] == "2016-10-04"   # the file's own wins
    assert isinstance(neither, Document) and "published" not in neither.meta
