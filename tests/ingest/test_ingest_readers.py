"""Each reader on real-format samples: txt + sidecar, jsonl, html, warc.gz, RSS and Atom."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from sourcetrace.errors import DocumentError
from sourcetrace.settings import Settings
from sourcetrace.ingest import IngestOptions, RawArticle, counted, left_out, read_inputs
from sourcetrace.ingest.html import read_html_file
from sourcetrace.ingest.jsonl import read_jsonl_file
from sourcetrace.ingest.text import read_text_file

NO_FOLLOW = IngestOptions(follow_links=False)


def test_text_with_sidecar(fixtures: Path) -> None:
    (article,) = read_text_file(fixtures / "harbor.txt")
    assert isinstance(article, RawArticle)
    assert article.title == "Port Alven harbor to reopen in spring" and article.author == "Mara Quill"
    assert article.outlet == "The Gull Gazette" and article.published == "2024-03-05T09:30:00Z"
    assert article.text.startswith("The harbor of Port Alven")


def test_text_without_sidecar_and_bad_sidecar(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Plain text of an article about the town and the sea.")
    (article,) = read_text_file(tmp_path / "a.txt")
    assert isinstance(article, RawArticle) and article.title is None and article.crawled_at is not None
    (tmp_path / "a.json").write_text("{broken")
    (err,) = read_text_file(tmp_path / "a.txt")
    assert isinstance(err, DocumentError) and err.kind == "malformed" and "sidecar" in err.reason


def test_jsonl_reads_good_lines_and_reports_bad_ones(fixtures: Path) -> None:
    items = list(read_jsonl_file(fixtures / "articles.jsonl"))
    good = [i for i in items if isinstance(i, RawArticle)]
    bad = [i for i in items if isinstance(i, DocumentError)]
    assert [a.outlet for a in good] == ["Nordwire", "Coast Post", None]
    assert good[2].url == "https://islandnews.example/ferry"
    assert [(e.doc_id.rsplit("/", 1)[-1], e.kind) for e in bad] == [("articles.jsonl:4", "malformed"),
                                                                   ("articles.jsonl:5", "malformed")]


def test_a_gzipped_jsonl_file_reads_as_the_plain_one(tmp_path: Path, fixtures: Path) -> None:
    plain = list(read_jsonl_file(fixtures / "articles.jsonl"))
    packed = tmp_path / "articles.jsonl.gz"
    packed.write_bytes(gzip.compress((fixtures / "articles.jsonl").read_bytes()))
    items = list(read_inputs([tmp_path]))                     # found by a directory walk, as .jsonl.gz
    assert [(type(i).__name__, i.doc_id.rsplit("/", 1)[-1]) for i in items] == [
        (type(i).__name__, i.doc_id.rsplit("/", 1)[-1].replace(".jsonl", ".jsonl.gz")) for i in plain]
    assert [i.text for i in items if isinstance(i, RawArticle)] == [i.text for i in plain if isinstance(i, RawArticle)]


def test_a_broken_gzip_stream_is_an_error_after_the_lines_it_gave(tmp_path: Path, fixtures: Path) -> None:
    packed = gzip.compress((fixtures / "articles.jsonl").read_bytes() * 200)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed[: len(packed) // 2])               # a download that broke off
    *good, last = read_jsonl_file(cut)
    assert good and all(isinstance(i, (RawArticle, DocumentError)) and i.doc_id.startswith(str(cut)) for i in good)
    assert isinstance(last, DocumentError) and last.kind == "unreadable" and "ends early" in last.reason
    fake = tmp_path / "fake.jsonl.gz"
    fake.write_text('{"text": "not compressed"}\n')
    (err,) = read_jsonl_file(fake)
    assert isinstance(err, DocumentError) and err.kind == "unreadable" and "gzip" in err.reason.lower()


def test_a_jsonl_line_too_large_is_skipped_without_being_held(tmp_path: Path) -> None:
    small = Settings(max_chars=100)                            # lines up to 400 bytes
    path = tmp_path / "big.jsonl"
    good = '{"text": "The minister said the bridge is safe."}\n'
    path.write_text(good + '{"text": "' + "x" * 5_000_000 + '"}\n' + good)
    first, big, last = read_jsonl_file(path, small)
    assert isinstance(first, RawArticle) and isinstance(last, RawArticle) and last.doc_id.endswith("big.jsonl:3")
    assert isinstance(big, DocumentError) and big.kind == "too-large" and big.reason == "line too large (5,000,013 bytes)"


def test_html_main_text_and_metadata(fixtures: Path) -> None:
    (article,) = read_html_file(fixtures / "page.html")
    assert isinstance(article, RawArticle)
    assert article.title == "Orchard growers fear late frost"
    assert article.author == "Jon Ashby" and article.outlet == "Valley Ledger"
    assert str(article.published).startswith("2023-04-18")
    assert "One cold night now" in article.text
    assert "Copyright" not in article.text and "Home" not in article.text.split("\n")[0]
    # One paragraph per block, blank lines between: a headline is no part of the lead's sentence.
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) >= 3 and all(p.strip() == p and "\n" not in p for p in paragraphs)


def test_html_without_content_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "nav.html").write_text("<html><head><title>x</title></head><body><div></div></body></html>")
    (err,) = read_html_file(tmp_path / "nav.html")
    assert isinstance(err, DocumentError) and err.kind == "no-content"


def _warc(path: Path, fixtures: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        pages = [("https://valleyledger.example/farming/frost", "200 OK", "text/html; charset=utf-8",
                  (fixtures / "page.html").read_bytes()),
                 ("https://valleyledger.example/missing", "404 Not Found", "text/html", b"<html>gone</html>"),
                 ("https://valleyledger.example/logo.png", "200 OK", "image/png", b"\x89PNG...."),
                 ("https://valleyledger.example/empty", "200 OK", "text/html", b"<html><body></body></html>")]
        for url, status, ctype, body in pages:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": "2024-05-02T10:00:00Z"})
            writer.write_record(record)
        writer.write_record(writer.create_warc_record("https://valleyledger.example/", "request",
                                                      payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))


def test_warc_gz_html_responses_become_articles(tmp_path: Path, fixtures: Path) -> None:
    archive = tmp_path / "crawl.warc.gz"
    _warc(archive, fixtures)
    items = list(read_inputs([archive]))
    articles = [i for i in items if isinstance(i, RawArticle)]
    errors = [i for i in items if isinstance(i, DocumentError)]
    (article,) = articles
    assert article.url == "https://valleyledger.example/farming/frost" and article.outlet == "Valley Ledger"
    assert article.crawled_at is not None and article.crawled_at.year == 2024
    assert "#" in article.doc_id and [e.kind for e in errors] == ["no-content"]


@pytest.mark.parametrize("damage", ["truncated", "no-target-uri"])
def test_a_damaged_warc_keeps_the_records_before_the_damage(tmp_path: Path, fixtures: Path, damage: str) -> None:
    archive = tmp_path / "crawl.warc.gz"
    _warc(archive, fixtures)
    good = archive.read_bytes()
    if damage == "truncated":       # a crawl that was killed mid-write: the last members break off
        archive.write_bytes(good[: len(good) - 200])
    else:                           # a response record with no WARC-Target-URI, after the good ones
        archive.write_bytes(good + gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99\r\n\r\n"
                                                 b"HTTP/1.1 200 OK\r\n"))
    items = list(read_inputs([archive]))
    assert [i.url for i in items if isinstance(i, RawArticle)] == ["https://valleyledger.example/farming/frost"]
    last = items[-1]
    assert isinstance(last, DocumentError) and last.kind == "malformed" and "not a readable WARC record" in last.reason


def test_not_a_warc(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc"
    bad.write_text("this is not an archive at all")
    (err,) = read_inputs([bad])
    assert isinstance(err, DocumentError) and err.kind == "malformed"


@pytest.mark.parametrize(("name", "outlet", "titles"), [
    ("feed.rss", "Tidewater Courier", ["Bridge repairs finished early", "School choir wins regional prize"]),
    ("feed.atom", "Highland Observer", ["Mountain road closed after rockfall"]),
])
def test_feed_files_without_following(fixtures: Path, name: str, outlet: str, titles: list[str]) -> None:
    items = list(read_inputs([fixtures / name], NO_FOLLOW))
    assert all(isinstance(i, RawArticle) for i in items)
    assert [i.title for i in items] == titles and {i.outlet for i in items} == {outlet}
    assert all(i.url and i.url.startswith("https://") and i.published for i in items)
    assert '"' in items[0].text and "<p>" not in items[0].text


def test_a_feed_entrys_own_content_keeps_its_paragraphs(tmp_path: Path) -> None:
    (tmp_path / "feed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title><item><title>Ferry</title>'
        "<link>https://courier.example/ferry</link><description>&lt;p&gt;The ferry is late.&lt;/p&gt;"
        "&lt;p&gt;&amp;quot;Fog,&amp;quot; said the captain.&lt;br/&gt;More at six.&lt;/p&gt;</description>"
        "</item></channel></rss>")
    (item,) = read_inputs([tmp_path / "feed.rss"], NO_FOLLOW)
    assert isinstance(item, RawArticle)
    assert item.text == 'The ferry is late.\n\n"Fog," said the captain.\n\nMore at six.'


def test_directory_dispatch_skips_sidecars_and_reports_unsupported(tmp_path: Path, fixtures: Path) -> None:
    (tmp_path / "notes.txt").write_text("A note about the weather on the island this week.")
    (tmp_path / "notes.json").write_text('{"outlet": "Island Notes"}')
    (tmp_path / "data.csv").write_text("a,b\n")
    (tmp_path / ".hidden.txt").write_text("hidden")
    items = list(read_inputs([tmp_path, tmp_path / "data.csv", tmp_path / "nope.txt"]))
    assert isinstance(items[0], RawArticle) and items[0].outlet == "Island Notes"
    assert [(type(i).__name__, getattr(i, "kind", None)) for i in items[1:]] == [
        ("DocumentError", "unsupported"), ("DocumentError", "unreadable")]


def test_what_a_directory_walk_leaves_out_is_counted(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("A note about the weather on the island this week.")
    (tmp_path / "notes.json").write_text('{"outlet": "Island Notes"}')       # its sidecar: no file of its own
    (tmp_path / ".DS_Store").write_bytes(b"\x00")                            # hidden: never counted
    for name in ("scan.pdf", "deep/report.pdf", "dump.csv.gz", "page.html", "crawl.warc.gz"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    assert left_out([tmp_path]) == {".pdf": 2, ".csv.gz": 1}
    assert counted(left_out([tmp_path])) == "2 .pdf, 1 .csv.gz"
    assert left_out([tmp_path], kinds=("html", "warc")) == {".html": 1, ".warc.gz": 1}
    assert left_out([tmp_path / "scan.pdf", "https://example.org/"]) == {}  # named, not walked: its own error


def test_a_file_named_with_no_suffix_is_read_by_its_contents_when_named_not_when_walked(tmp_path: Path) -> None:
    # wget saves ".../story-123" with no suffix; a directory walk still goes by names alone.
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "story-123").write_text("<!DOCTYPE html><html><body><article><p>The ferry is late, "
                                     "the captain said on Tuesday.</p></article></body></html>")
    (saved / "NOTES").write_text("The ferry is late, the captain said on Tuesday.")
    page, note = read_inputs([saved / "story-123", saved / "NOTES"])
    assert isinstance(page, RawArticle) and page.text == "The ferry is late, the captain said on Tuesday."
    assert isinstance(note, RawArticle) and note.text == "The ferry is late, the captain said on Tuesday."
    assert list(read_inputs([saved])) == []
