"""No JSONL line ends an ingest run: whatever its text, id or metadata, each line is stored or
is one document's error with a reason, and the run finishes. Found this way: a malformed URL,
a date past datetime's range and half a UTF-16 pair each raised out of the run. And no damaged
file of any kind raises out of its reader: found so, a feed whose entry summary was damaged
(None) and a broken byte in a feed's XML declaration (feedparser raised)."""

from __future__ import annotations

import gzip
import io
import json
import tempfile
from pathlib import Path

from fakes import RuleAnalyzer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcetrace.corpus import Corpus
from sourcetrace.errors import DocumentError
from sourcetrace.ingest import IngestOptions, RawArticle, read_inputs
from sourcetrace.ingest._article import READ_ERROR_KINDS

# errors.DocumentError's kinds (document.py's checks), the readers' and the analyzer's.
KINDS = {"empty", "binary", "encoding", "too-large", "not-english", "unreadable", *READ_ERROR_KINDS, "internal"}

SENTENCE = '"The harbour will reopen in the spring for all the ships," said Anna Berg. '
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)  # surrogates included
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT)
URLISH = st.one_of(ANY_TEXT, st.builds("https://{}/{}".format, ANY_TEXT, ANY_TEXT),
                   st.builds("http://news.example:{}/a".format, ANY_TEXT))
DATEISH = st.one_of(SCALAR, st.builds("{:04d}-{:02d}-{:02d}T12:00:00{}".format, st.integers(0, 9999),
                                      st.integers(0, 13), st.integers(0, 32),
                                      st.sampled_from(["Z", "+14:00", "-14:00", "+99:00", ""])))
LINE = st.fixed_dictionaries(
    {"text": st.one_of(st.builds(lambda noise: SENTENCE * 3 + noise, ANY_TEXT), ANY_TEXT, SCALAR)},
    optional={"id": SCALAR, "url": URLISH, "published": DATEISH, "title": SCALAR, "outlet": SCALAR,
              "author": SCALAR, "extra": st.dictionaries(ANY_TEXT, SCALAR, max_size=2)},
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(lines=st.lists(LINE, min_size=1, max_size=6))
def test_every_line_is_stored_or_one_documents_error(lines: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        path.write_text("\n".join(json.dumps(line) for line in lines))
        corpus = Corpus(f"sqlite:///{folder}/fuzz.db")
        try:
            report = corpus.ingest([path], analyzer=RuleAnalyzer(), workers=1)  # type: ignore[arg-type]
        finally:
            corpus.close()
    assert report.stored + report.skipped + len(report.errors) == len(lines)
    assert all(kind in KINDS and reason for _, kind, reason in report.errors), report.errors


def _archive(fixtures: Path) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for n in range(2):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://valleyledger.example/{n}", "response", payload=io.BytesIO((fixtures / "page.html").read_bytes()),
            http_headers=headers, warc_headers_dict={"WARC-Date": "2024-05-02T10:00:00Z"}))
    return out.getvalue()


SAMPLES = {"page.html": "page.html", "feed.rss": "feed.rss", "feed.atom": "feed.atom", "harbor.txt": "harbor.txt",
           "articles.jsonl": "articles.jsonl"}
DAMAGE = st.one_of(
    st.builds(lambda at: ("truncate", at, b""), st.floats(0, 1)),
    st.builds(lambda at, junk: ("overwrite", at, junk), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
    st.builds(lambda at, junk: ("insert", at, junk), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
)


def _damaged(data: bytes, damage: tuple[str, float, bytes]) -> bytes:
    how, where, junk = damage
    at = int(where * len(data))
    if how == "truncate":
        return data[:at]
    if how == "overwrite":
        return data[:at] + junk + data[at + len(junk):]
    return data[:at] + junk + data[at:]


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=st.sampled_from([*SAMPLES, "crawl.warc.gz", "crawl.warc"]), damage=DAMAGE)
def test_a_damaged_file_of_any_kind_is_read_or_is_its_error(name: str, damage: tuple[str, float, bytes]) -> None:
    """Every reader, on its own sample truncated, overwritten or spliced with junk: whatever it
    reads is articles or errors with a reason, and reading never raises (a WARC whose response
    had no target URI once ended the whole batch)."""
    fixtures = Path(__file__).parents[1] / "fixtures" / "ingest"
    data = _archive(fixtures) if name.startswith("crawl") else (fixtures / SAMPLES[name]).read_bytes()
    if name == "crawl.warc":
        data = gzip.decompress(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(_damaged(data, damage))
        items = list(read_inputs([path], IngestOptions(follow_links=False)))
    assert all(isinstance(i, RawArticle) or (isinstance(i, DocumentError) and i.kind in KINDS and i.reason)
               for i in items), items
