"""Feeds and pages over HTTP, from a local server: following, guards, size caps, redirects."""

from __future__ import annotations

from pathlib import Path

import pytest
from localsite import LocalSite

from sourcetrace.corpus import Corpus
from sourcetrace.errors import DocumentError
from sourcetrace.ingest import IngestOptions, RawArticle, read_inputs
from sourcetrace.ingest._fetch import Fetcher, FetchPolicy, check_url

PRIVATE = IngestOptions(fetch=FetchPolicy(allow_private=True, timeout=5))
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _feed(site: LocalSite, fixtures: Path) -> None:
    rss = (fixtures / "feed.rss").read_text().replace("https://tidewater.example", site.base)
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss.encode())
    page = (fixtures / "page.html").read_bytes()
    site.routes["/news/bridge"] = (200, HTML, page.replace(b"Orchard growers", b"Bridge crews"))
    site.routes["/news/choir"] = (500, HTML, b"oops")


def test_feed_url_entries_are_followed_to_their_pages(site: LocalSite, fixtures: Path) -> None:
    _feed(site, fixtures)
    items = list(read_inputs([f"{site.base}/feed.xml"], PRIVATE))
    article, error = items
    assert isinstance(article, RawArticle) and isinstance(error, DocumentError)
    # The page's own canonical URL (og:url) wins over the link that led to it.
    assert article.outlet == "Tidewater Courier" and article.url == "https://valleyledger.example/farming/frost"
    assert "One cold night now" in article.text and article.author == "Jon Ashby"
    assert error.kind == "fetch" and "HTTP 500" in error.reason
    assert site.hits == ["/feed.xml", "/news/bridge", "/news/choir"]


def test_loopback_is_refused_without_allow_private(site: LocalSite, fixtures: Path) -> None:
    _feed(site, fixtures)
    (err,) = read_inputs([f"{site.base}/feed.xml"])
    assert isinstance(err, DocumentError) and err.kind == "refused" and "--allow-private" in err.reason
    assert site.hits == []


def test_feed_file_links_to_loopback_are_refused_per_entry(site: LocalSite, fixtures: Path, tmp_path: Path) -> None:
    rss = (fixtures / "feed.rss").read_text().replace("https://tidewater.example", site.base)
    (tmp_path / "local.rss").write_text(rss)
    errors = list(read_inputs([tmp_path / "local.rss"]))
    assert [getattr(e, "kind", None) for e in errors] == ["refused", "refused"] and site.hits == []


def test_a_feed_entry_with_a_malformed_link_is_that_entrys_error(site: LocalSite, fixtures: Path,
                                                                  tmp_path: Path) -> None:
    _feed(site, fixtures)
    rss = (fixtures / "feed.rss").read_text().replace("https://tidewater.example", site.base)
    rss = rss.replace(f"{site.base}/news/choir", "https://wire[/]daily.example/choir")
    (tmp_path / "broken.rss").write_text(rss)
    items = list(read_inputs([tmp_path / "broken.rss"], PRIVATE))
    assert [type(i).__name__ for i in items] == ["RawArticle", "DocumentError"]  # urlsplit's ValueError ended the feed
    assert items[1].kind == "refused" and "malformed URL" in items[1].reason


@pytest.mark.parametrize(("url", "reason"), [
    ("ftp://example.org/feed", "scheme"),
    ("file:///etc/passwd", "scheme"),
    ("http://10.1.2.3/x", "private"),
    ("http://[::1]/x", "private"),
    ("http://169.254.169.254/latest/meta-data", "private"),
    ("http://internal.example/x", "private"),
    ("https://wire[/]daily.example/a", "malformed"),  # urlsplit raised ValueError out of the batch
    ("http://news.example:port/a", "malformed"),
])
def test_check_url_refusals(url: str, reason: str) -> None:
    with pytest.raises(DocumentError, match=reason) as info:
        check_url(url, resolver=lambda host: ["192.168.1.10"])
    assert info.value.kind == "refused"


def test_public_address_is_allowed() -> None:
    check_url("https://news.example/a", resolver=lambda host: ["93.184.215.14"])


def test_redirect_to_a_private_address_is_refused(site: LocalSite) -> None:
    site.routes["/go"] = (302, {"Location": "http://10.0.0.1/secret"}, b"")
    fetcher = Fetcher(FetchPolicy(allow_private=False), resolver=lambda host: ["93.184.215.14"])
    # The first hop is allowed by pretending 127.0.0.1 is public; the redirect target is checked again.
    import sourcetrace.ingest._fetch as fetch_mod

    real = fetch_mod._is_public
    fetch_mod._is_public = lambda a: a == "127.0.0.1" or real(a)  # type: ignore[assignment]
    try:
        with pytest.raises(DocumentError, match="10.0.0.1") as info:
            fetcher.get(f"{site.base}/go")
    finally:
        fetch_mod._is_public = real  # type: ignore[assignment]
        fetcher.close()
    assert info.value.kind == "refused"


def test_size_cap_and_redirect_limit(site: LocalSite) -> None:
    site.routes["/big"] = (200, HTML, b"x" * 5000)
    site.routes["/loop"] = (302, {"Location": "/loop"}, b"")
    site.routes["/chunked"] = (200, {**HTML, "Content-Length": "10"}, b"0123456789")
    with Fetcher(FetchPolicy(allow_private=True, max_bytes=1000, max_redirects=3)) as fetcher:
        with pytest.raises(DocumentError, match="too large") as info:
            fetcher.get(f"{site.base}/big")
        assert info.value.kind == "too-large"
        with pytest.raises(DocumentError, match="redirects"):
            fetcher.get(f"{site.base}/loop")
        assert fetcher.get(f"{site.base}/chunked").content == b"0123456789"


def test_timeout_is_a_fetch_error() -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    port = listener.getsockname()[1]
    try:
        with Fetcher(FetchPolicy(allow_private=True, timeout=0.5)) as fetcher:
            with pytest.raises(DocumentError, match="Timeout") as info:
                fetcher.get(f"http://127.0.0.1:{port}/slow")
        assert info.value.kind == "fetch"
    finally:
        listener.close()


def test_page_url_and_feed_url_ingest_end_to_end(site: LocalSite, fixtures: Path, tmp_path: Path,
                                                 analyzer: object) -> None:
    _feed(site, fixtures)
    site.routes["/orchard"] = (200, HTML, (fixtures / "page.html").read_bytes())
    corpus = Corpus(f"sqlite:///{tmp_path}/web.db")
    report = corpus.ingest([f"{site.base}/feed.xml", f"{site.base}/orchard"], analyzer=analyzer,  # type: ignore[arg-type]
                           workers=1, allow_private=True)
    assert (report.stored, [k for _, k, _ in report.errors]) == (2, ["fetch"])
    # The bridge page is the orchard page with one word changed: a near-duplicate of it.
    assert report.duplicates == 1
    assert {s.outlet for s in corpus.speaker("Hanna Roos")} == {"Tidewater Courier"}
    corpus.close()
