"""Ingest benchmark: throughput into SQLite and PostgreSQL against analysis alone, store size.

    .venv/bin/python bench/ingest.py [--texts DIR] [--limit N] [--workers W] [--repeats R] [--pg URL | --no-pg]

Reads PolNeAR train texts (``../shared/data/polnear/train/text/*.txt``; exits cleanly where
absent). Analyze-only runs the same reader, validation and process pool as ingest
(``analyze_parallel`` with W workers) and drops the results; ingest then runs
``Corpus.ingest`` into a fresh SQLite file and a fresh PostgreSQL database (``--pg URL``, else a
throwaway server started like the tests' fixture where PostgreSQL is installed). Each figure is
articles per second over the whole run, start-up of the worker processes included in both
(after a short untimed warm-up); store size is the growth of the database over the run.
Target: ingest ≥ 0.85 × analyze-only. Figures are printed and written to bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from time import perf_counter
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEXTS = REPO_ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"
RESULTS = REPO_ROOT / "bench" / "results" / "ingest.json"
TARGET_RATIO = 0.85
WARMUP = 4


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="directory of *.txt articles")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (sorted by name)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="analysis processes")
    parser.add_argument("--pg", default=None, help="PostgreSQL URL to a database that may be filled")
    parser.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--repeats", type=int, default=1,
                        help="best of R runs of each mode, in alternating order (the machine may be shared)")
    return parser.parse_args(argv)


def _documents(files: list[Path]) -> Iterator[Any]:
    from sourcetrace.document import document_from_text
    from sourcetrace.errors import DocumentError
    from sourcetrace.ingest.text import read_text_file

    for path in files:
        for item in read_text_file(path):
            if isinstance(item, DocumentError):
                yield item
                continue
            try:
                yield document_from_text(item.doc_id, item.text)
            except DocumentError as err:
                yield err


def analyze_only(files: list[Path], workers: int) -> dict[str, Any]:
    from sourcetrace.analyzer import Analyzer
    from sourcetrace.parallel import analyze_parallel

    start = perf_counter()
    ok = errors = 0
    for outcome in analyze_parallel(Analyzer(), _documents(files), workers=workers):
        ok += outcome.ok
        errors += not outcome.ok
    elapsed = perf_counter() - start
    return {"articles": ok, "errors": errors, "seconds": round(elapsed, 2),
            "articles_per_s": round(len(files) / elapsed, 2)}


def ingest(url: str, files: list[Path], workers: int) -> dict[str, Any]:
    from sourcetrace.corpus import Corpus

    corpus = Corpus(url)
    empty = _store_bytes(corpus)  # schema and catalogs: not per-article cost
    start = perf_counter()
    report = corpus.ingest(files, workers=workers)
    elapsed = perf_counter() - start
    stats = corpus.stats()
    size = _store_bytes(corpus) - empty
    corpus.close()
    return {"articles": report.stored, "errors": len(report.errors), "seconds": round(elapsed, 2),
            "articles_per_s": round(len(files) / elapsed, 2), "attributions": stats["attributions"],
            "store_bytes": size, "bytes_per_article": round(size / max(1, stats["articles"]))}


def _store_bytes(corpus: Any) -> int:
    from sqlalchemy import text

    with corpus.engine.connect() as conn:
        if corpus.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar() or 0
            size = conn.exec_driver_sql("PRAGMA page_size").scalar() or 0
            return int(pages) * int(size)
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0)


def _throwaway_pg() -> tuple[Any, str]:
    """(server, "") or (None, why not)."""
    sys.path.insert(0, str(REPO_ROOT / "tests" / "store"))
    try:
        from pgserver import PgServer, why_unavailable
    except ImportError as err:
        return None, f"cannot import the test server helper: {err}"
    reason = why_unavailable()
    if reason:
        return None, reason
    server = PgServer()
    try:
        server.start()
    except Exception as err:  # noqa: BLE001
        server.stop()
        return None, f"cannot start PostgreSQL: {err}"
    return server, ""


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.texts.is_dir():
        print(f"PolNeAR texts not found at {args.texts}; nothing to measure.")
        return 0
    files = sorted(args.texts.glob("*.txt"))[: args.limit]
    if not files:
        print(f"no *.txt files in {args.texts}")
        return 0
    command = " ".join([".venv/bin/python bench/ingest.py", *map(shlex.quote, argv or sys.argv[1:])])
    print(f"{len(files)} articles from {args.texts}, {args.workers} worker(s)")
    results: dict[str, Any] = {"articles": len(files), "workers": args.workers, "cpus": os.cpu_count(),
                               "python": platform.python_version(), "command": command}
    analyze_only(files[:WARMUP], args.workers)  # warm the page cache and the model files
    results["repeats"] = args.repeats
    server = None
    pg_url: str | None = None
    if not args.no_pg:
        if args.pg:
            pg_url = args.pg
        else:
            server, pg_url_or_reason = _throwaway_pg()
            if server is None:
                print(f"PostgreSQL skipped: {pg_url_or_reason}")
                results["postgres"] = {"skipped": pg_url_or_reason}
            else:
                pg_url = server.url("postgres")

    def run_mode(mode: str, tmp: str, rep: int) -> dict[str, Any]:
        if mode == "analyze_only":
            return analyze_only(files, args.workers)
        if mode == "sqlite":
            return ingest(f"sqlite:///{tmp}/bench{rep}.db", files, args.workers)
        assert pg_url is not None
        url = server.create_database() if server is not None else pg_url
        if server is None and rep > 0:
            raise SystemExit("--repeats > 1 needs a throwaway server (omit --pg): the database must start empty")
        return ingest(url, files, args.workers)

    modes = ["analyze_only", "sqlite"] + (["postgres"] if pg_url else [])
    best: dict[str, dict[str, Any]] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for rep in range(args.repeats):
                for mode in (modes if rep % 2 == 0 else modes[::-1]):
                    figures = run_mode(mode, tmp, rep)
                    print(f"  run {rep + 1} {mode:12s}: {figures['articles_per_s']:6.2f} articles/s")
                    if mode not in best or figures["articles_per_s"] > best[mode]["articles_per_s"]:
                        best[mode] = figures
    finally:
        if server is not None:
            server.stop()
    results.update(best)
    base = best["analyze_only"]
    print(f"analyze-only   : {base['articles_per_s']:6.2f} articles/s")
    for mode, label in (("sqlite", "ingest SQLite  "), ("postgres", "ingest Postgres")):
        if mode in best:
            fig = best[mode]
            fig["ratio"] = round(fig["articles_per_s"] / base["articles_per_s"], 3)
            print(f"{label}: {fig['articles_per_s']:6.2f} articles/s  ratio {fig['ratio']:.3f}  "
                  f"{fig['bytes_per_article'] / 1024:.1f} KiB/article (growth of the database)")
    ratios = [r["ratio"] for k, r in results.items() if k in ("sqlite", "postgres") and "ratio" in r]
    results["target_ratio"] = TARGET_RATIO
    results["meets_target"] = bool(ratios) and min(ratios) >= TARGET_RATIO
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"target ratio ≥ {TARGET_RATIO}: {'met' if results['meets_target'] else 'NOT met'}; "
          f"written to {RESULTS.relative_to(REPO_ROOT)}")
    print(f"reproduce: {command}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
