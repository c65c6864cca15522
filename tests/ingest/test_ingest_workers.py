"""The local process pool shares the cores out among its workers for PyTorch."""

from __future__ import annotations

import os

import pytest

from sourcetrace.document import document_from_text
from sourcetrace.parallel import analyze_parallel

TEXT = "The minister said on Tuesday that the talks would go on for another week."


def test_each_worker_gets_its_share_of_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    from fakes import EnvReportingAnalyzer

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    documents = [document_from_text(f"d{i}", TEXT) for i in range(4)]
    outcomes = list(analyze_parallel(EnvReportingAnalyzer(), documents, workers=2, chunk_size=1))
    assert [o.doc_id for o in outcomes] == ["d0", "d1", "d2", "d3"]
    assert {o.error.reason for o in outcomes if o.error} == {str(max(1, (os.cpu_count() or 1) // 2))}


def test_an_explicit_thread_count_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    from fakes import EnvReportingAnalyzer

    monkeypatch.setenv("OMP_NUM_THREADS", "7")
    outcomes = list(analyze_parallel(EnvReportingAnalyzer(), [document_from_text("d0", TEXT)], workers=2))
    assert [o.error.reason for o in outcomes if o.error] == ["7"]
