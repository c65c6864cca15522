"""Idempotent and resumable: kill -9 mid-run loses nothing committed and a re-run completes the
rest; analysis spread over processes gives the same store as in-process analysis."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sourcetrace.corpus import Corpus

N = 60
STORE_TESTS = Path(__file__).parents[1] / "store"


def _articles(folder: Path, n: int = N) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(
            f'Story {i}: the council of town number {i} met on the {i}th day. '
            f'"We will open the new library {i} in the spring of next year," said Mayor{i} Holm, '
            f"and the budget for item {i} was approved by all members of the council {i}.")
    return folder


SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {store!r})
    from fakes import SlowRuleAnalyzer
    from sourcetrace.corpus import Corpus

    if __name__ == "__main__":
        Corpus({url!r}).ingest([{folder!r}], analyzer=SlowRuleAnalyzer(0.05), workers={workers})
""")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # not created yet


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_mid_ingest_then_rerun_completes(tmp_path: Path, analyzer: object, workers: int) -> None:
    folder = _articles(tmp_path / "in")
    db = tmp_path / "kill.db"
    url = f"sqlite:///{db}"
    (tmp_path / "run_ingest.py").write_text(SCRIPT.format(store=str(STORE_TESTS), url=url, folder=str(folder),
                                                          workers=workers))
    proc = subprocess.Popen([sys.executable, str(tmp_path / "run_ingest.py")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    children: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while _count(db, "articles") < 10:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
        children = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    # Pool workers notice their parent is gone and exit instead of waiting for work forever.
    deadline = time.monotonic() + 20
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(c) for c in children)
    killed_at = _count(db, "articles")
    assert 10 <= killed_at < N
    # Whatever committed is whole: each stored article has its attribution, entity mention, quantity.
    assert _count(db, "attributions") == killed_at and _count(db, "mentions") == killed_at

    corpus = Corpus(url)
    report = corpus.ingest([folder], analyzer=analyzer, workers=1)  # type: ignore[arg-type]
    assert (report.skipped, report.stored, report.errors) == (killed_at, N - killed_at, [])
    stats = corpus.stats()
    assert (stats["articles"], stats["attributions"]) == (N, N)
    corpus.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        runs = conn.execute("SELECT status FROM ingestion_runs ORDER BY id").fetchall()
    # The killed run never finished its record; the rerun found its process gone and closed it.
    assert runs == [("interrupted",), ("done",)]


def test_rerun_is_idempotent(tmp_path: Path, analyzer: object) -> None:
    folder = _articles(tmp_path / "in", 8)
    corpus = Corpus(f"sqlite:///{tmp_path}/idem.db")
    first = corpus.ingest([folder], analyzer=analyzer, workers=1)  # type: ignore[arg-type]
    second = corpus.ingest([folder, folder], analyzer=analyzer, workers=1)  # type: ignore[arg-type]
    assert (first.stored, second.stored, second.skipped) == (8, 0, 16)
    assert len(analyzer.seen) == 8  # type: ignore[attr-defined]  # nothing analysed twice
    corpus.close()


def test_process_pool_gives_the_same_store(tmp_path: Path, analyzer: object) -> None:
    folder = _articles(tmp_path / "in", 24)
    (folder / "broken.txt").write_bytes(b"\xff\xfe broken")
    results = {}
    for workers in (1, 2):
        corpus = Corpus(f"sqlite:///{tmp_path}/w{workers}.db")
        report = corpus.ingest([folder], analyzer=analyzer, workers=workers)  # type: ignore[arg-type]
        assert report.stored == 24 and [k for _, k, _ in report.errors] == ["encoding"]
        results[workers] = [(s.speaker, s.content) for s in corpus.who_said("library")]
        corpus.close()
    assert results[1] == results[2] and len(results[1]) == 24


@pytest.mark.slow
def test_real_analyzer_end_to_end(tmp_path: Path, fixtures: Path) -> None:
    from sourcetrace.analyzer import Analyzer
    from sourcetrace.errors import SourcetraceError

    analyzer = Analyzer()
    try:
        analyzer.analyze_text("Officials said the port would reopen in spring.", "probe")
    except SourcetraceError as err:
        pytest.skip(f"the real extractor cannot run here: {err}")
    corpus = Corpus(f"sqlite:///{tmp_path}/real.db")
    report = corpus.ingest([fixtures], analyzer=analyzer, workers=1, follow_links=False)
    assert report.stored == 9 and len(report.errors) == 2
    assert any("ready" in s.content for s in corpus.speaker("Varga"))
    assert corpus.search("breakwater")
    corpus.close()


def test_limit_reads_at_most_n_documents(tmp_path: Path, analyzer: object) -> None:
    folder = _articles(tmp_path / "in", 6)
    corpus = Corpus(f"sqlite:///{tmp_path}/limit.db")
    seen: list[int] = []
    report = corpus.ingest([folder], analyzer=analyzer, workers=1, limit=4,  # type: ignore[arg-type]
                           on_progress=lambda r: seen.append(r.done))
    assert (report.seen, report.stored) == (4, 4) and seen == [1, 2, 3, 4]
    corpus.close()


def test_a_worker_crash_is_one_documents_error_not_the_runs(tmp_path: Path) -> None:
    from fakes import CrashingRuleAnalyzer

    folder = _articles(tmp_path / "in", 20)
    (folder / "a007.txt").write_text("SEGFAULT: this document takes its analysis process down with it, sadly.")
    corpus = Corpus(f"sqlite:///{tmp_path}/crash.db")
    report = corpus.ingest([folder], analyzer=CrashingRuleAnalyzer(), workers=2)
    assert report.stored == 19
    assert [(d.rsplit("/", 1)[-1], k) for d, k, _ in report.errors] == [("a007.txt", "internal")]
    corpus.close()
