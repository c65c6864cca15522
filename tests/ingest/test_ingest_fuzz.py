"""No JSONL line ends an ingest run: whatever its text, id or metadata, each line is stored or
is one document's error with a reason, and the run finishes. Found this way: a malformed URL,
a date past datetime's range and half a UTF-16 pair each raised out of the run."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from fakes import RuleAnalyzer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcetrace.corpus import Corpus
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
