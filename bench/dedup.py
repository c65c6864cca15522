"""Near-duplicate lookup against the store: cost per document and memory as the store grows.

    .venv/bin/python bench/dedup.py [--sizes 10000 100000] [--probes 500] [--pg]

For each size N, a fresh SQLite file (and, with ``--pg``, a throwaway PostgreSQL database like
the tests') gets N stored synthetic signatures with their band keys, a tenth of them near-copies
of others; on PostgreSQL the fill ends with ``ANALYZE minhash_bands``, as any bulk load should.
Then ``--probes`` new signatures, half of them near-copies of stored ones, are looked up the two
ways the code does: one at a time inside the write transaction (plain ingest) and
``LINK_BATCH`` at a time (the Dask driver's pass). Reported: ms per document, the peak Python
memory of the lookups (tracemalloc), the signatures read per document, the band table's size on
SQLite, and, for the smallest N, what the old in-memory index of every signature cost per
article. Flat ms and memory across N is the point. Results: bench/results/dedup.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
import tempfile
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results" / "dedup.json"
COPY_NOISE = 0.1        # share of hash values changed in a near-copy: estimated Jaccard ~0.9


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="stored signatures")
    parser.add_argument("--probes", type=int, default=500, help="documents looked up per size")
    parser.add_argument("--pg", action="store_true", help="also on a throwaway PostgreSQL server")
    return parser.parse_args(argv)


def synthetic(rng: np.random.Generator, n: int, copies_of: np.ndarray | None = None) -> np.ndarray:
    """n signatures of random 32-bit values (as affine32 makes them); near-copies of ``copies_of``
    rows where given."""
    sigs = rng.integers(0, 2**32, size=(n, 128), dtype=np.uint64)
    if copies_of is not None:
        keep = rng.random((n, 128)) >= COPY_NOISE
        sigs = np.where(keep, copies_of, sigs)
    return sigs


def fill(url: str, sigs: np.ndarray) -> None:
    from sqlalchemy import insert

    from sourcetrace.store import models as m
    from sourcetrace.store import open_engine
    from sourcetrace.store.bands import band_rows

    engine = open_engine(url)
    now = datetime(2024, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        for start in range(0, len(sigs), 5000):
            chunk = [(start + i + 1, sig.tobytes()) for i, sig in enumerate(sigs[start:start + 5000])]
            conn.execute(insert(m.Article.__table__), [
                {"id": i, "identity": f"i{i}", "content_hash": f"h{i}", "source": "bench", "published_at": now,
                 "crawled_at": now, "text": "x", "minhash": data} for i, data in chunk])
            conn.execute(insert(m.MinhashBand.__table__), [row for i, data in chunk for row in band_rows(i, data)])
    if engine.dialect.name == "postgresql":
        # As after any bulk load (and as migration 0200 does): without statistics the planner
        # filters a whole band by key instead of searching the index on (band, key).
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE minhash_bands")
    engine.dispose()


def measure(url: str, probes: list[Any], batch: int) -> dict[str, Any]:
    from sourcetrace.ingest import dedup
    from sourcetrace.store import open_engine, session_factory
    from sourcetrace.store.bands import best_matches

    engine = open_engine(url)
    Session = session_factory(engine)
    reads = [0]
    real = dedup.MinHash.__init__

    def count(self: Any, *args: Any, **kwargs: Any) -> None:
        reads[0] += kwargs.get("hashvalues") is not None
        real(self, *args, **kwargs)

    dedup.MinHash.__init__ = count  # type: ignore[method-assign]
    try:
        with Session() as s:          # warm-up: connection, statement cache, pages
            best_matches(s, [(None, sig) for sig in probes[:20]])
        reads[0] = 0
        t0 = perf_counter()
        with Session() as s:
            single = [best_matches(s, [(None, sig)])[0] for sig in probes]
        one_ms = (perf_counter() - t0) * 1000 / len(probes)
        one_reads = reads[0]
        t0 = perf_counter()
        with Session() as s:
            batched = [match for i in range(0, len(probes), batch)
                       for match in best_matches(s, [(None, sig) for sig in probes[i:i + batch]])]
        batch_ms = (perf_counter() - t0) * 1000 / len(probes)
        tracemalloc.start()       # apart from the timings: tracing slows Python several times
        with Session() as s:
            for i in range(0, len(probes), batch):
                best_matches(s, [(None, sig) for sig in probes[i:i + batch]])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        dedup.MinHash.__init__ = real  # type: ignore[method-assign]
    assert single == batched
    size = None
    if url.startswith("sqlite"):
        with engine.connect() as conn:
            try:
                size = conn.exec_driver_sql("SELECT SUM(pgsize) FROM dbstat WHERE name = 'minhash_bands'").scalar()
            except Exception:  # noqa: BLE001 - dbstat is optional in SQLite builds
                size = None
    engine.dispose()
    return {"ms_per_doc_one_at_a_time": round(one_ms, 3), "ms_per_doc_batched": round(batch_ms, 3),
            "matched": sum(m is not None for m in single), "signatures_read_per_doc": round(one_reads / len(probes), 2),
            "lookup_peak_mb": round(peak / 2**20, 2),
            "band_table_bytes_per_article": None if size is None else round(size / N_STORED[0], 1)}


N_STORED = [0]


def old_index(sigs: np.ndarray) -> dict[str, Any]:
    """The index every run used to build: datasketch MinHashLSH over every stored signature."""
    from sourcetrace.ingest.dedup import DuplicateIndex, from_bytes

    tracemalloc.start()
    t0 = perf_counter()
    index = DuplicateIndex()
    for i, sig in enumerate(sigs):
        index.add(i + 1, from_bytes(sig.tobytes()))
    seconds = perf_counter() - t0
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {"signatures": len(sigs), "build_s": round(seconds, 2), "kb_per_article": round(size / len(sigs) / 1024, 2),
            "gb_at_10m": round(size / len(sigs) * 10_000_000 / 2**30, 1)}


def main(argv: list[str] | None = None) -> int:
    from sourcetrace.ingest.dedup import from_bytes
    from sourcetrace.scale._store import LINK_BATCH

    args = parse_args(argv)
    rng = np.random.default_rng(7)
    results: dict[str, Any] = {}
    servers: list[Any] = []
    urls = {"sqlite": lambda tmp, n: f"sqlite:///{tmp}/dedup{n}.db"}
    if args.pg:
        sys.path.insert(0, str(REPO_ROOT / "tests"))
        from pgserver import PgServer, why_unavailable

        reason = why_unavailable()
        if reason:
            print(f"postgres skipped: {reason}")
        else:
            servers.append(PgServer())
            servers[0].start()
            urls["postgres"] = lambda _tmp, _n: servers[0].create_database()
    try:
        with tempfile.TemporaryDirectory(prefix="sourcetrace-dedup-") as tmp:
            for n in sorted(args.sizes):
                N_STORED[0] = n
                base = synthetic(rng, n - n // 10)
                stored = np.vstack([base, synthetic(rng, n // 10, base[rng.integers(0, len(base), n // 10)])])
                half = args.probes // 2
                probe_sigs = np.vstack([synthetic(rng, half, stored[rng.integers(0, n, half)]),
                                        synthetic(rng, args.probes - half)])
                probes = [from_bytes(sig.tobytes()) for sig in probe_sigs]
                for name, make_url in urls.items():
                    url = make_url(tmp, n)
                    t0 = perf_counter()
                    fill(url, stored)
                    res = {"fill_s": round(perf_counter() - t0, 1)} | measure(url, probes, LINK_BATCH)
                    results.setdefault(name, {})[str(n)] = res
                    print(f"{name} {n:>7} stored: {json.dumps(res)}", flush=True)
                if n == min(args.sizes):
                    results["old_in_memory_index"] = old_index(stored)
                    print(f"old in-memory index: {json.dumps(results['old_in_memory_index'])}", flush=True)
    finally:
        for server in servers:
            server.stop()
    result = {"benchmark": "dedup", "when": datetime.now(UTC).isoformat(timespec="seconds"),
              "probes": args.probes, "link_batch": LINK_BATCH, "results": results,
              "environment": {"python": platform.python_version(), "cpus": os.cpu_count(),
                              "platform": platform.platform()},
              "command": ".venv/bin/python bench/dedup.py " + shlex.join(argv if argv is not None else sys.argv[1:])}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
