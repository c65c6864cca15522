"""Export benchmark: time and peak memory of each provenance export format as the corpus grows.

    .venv/bin/python bench/exports.py [--claims 500] [--scales 1 16] [--formats jsonl csv ...]

A synthetic corpus of ``--claims`` claim traces (1×), and 16 times as many (16×), is written in
each format of ``sourcetrace.provenance.FORMATS`` to a temporary file with ``write_export``.
Each claim appears in three articles (quoted directly, then through a wire outlet, then in a
wire copy with a changed number); articles, speakers and outlets grow with the corpus as they
would in a store (one article per claim, a speaker per 8 claims, 40 outlets). The traces are
made one at a time, so memory is the writer's, not the corpus's.

Each (format, scale) runs in a fresh subprocess so peaks do not mix. Memory is the process's
peak RSS (``ru_maxrss``) minus its RSS after imports and a 20-claim warm-up export, which loads
the writers' lazy imports and plugins: what the export itself added. Flat memory from 1× to
16× is the point (the writers keep one trace plus the identifiers already written); time per
claim should stay flat too. Results: bench/results/exports.json (not committed).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))

from sourcetrace.linking import Appearance, ClaimTrace, Mutation  # noqa: E402
from sourcetrace.provenance import FORMATS, write_export  # noqa: E402

RESULTS = REPO_ROOT / "bench" / "results" / "exports.json"
OUTLETS = tuple(f"Outlet {i}" for i in range(40))
WIRE = "Nordwire"
KINDS = ("person", "organization", "person", "anonymous")   # speaker kinds in turn
CLAIMS_PER_SPEAKER = 8


def _article(article_id: int, n_articles: int) -> tuple[int, str, str, str, str]:
    """id, outlet, title, url, date: fixed by the id, as in the store."""
    outlet = OUTLETS[article_id % len(OUTLETS)]
    day = article_id * 3650 // n_articles     # the corpus spans ten years, whatever its size
    date = f"{2016 + day // 365}-{day % 365 // 31 + 1:02d}-{day % 31 % 28 + 1:02d}T08:00:00+00:00"
    return (article_id, outlet, f"{outlet}: story {article_id} on troops & <talks>",
            f"https://outlet{article_id % len(OUTLETS)}.example/story?id={article_id}&page=1", date)


def synthetic_traces(n: int) -> Iterator[ClaimTrace]:
    """``n`` claim traces over ``n`` articles, made one at a time."""
    speakers = max(1, n // CLAIMS_PER_SPEAKER)
    for claim in range(1, n + 1):
        s = claim % speakers
        kind = KINDS[s % len(KINDS)]
        speaker = "officials" if kind == "anonymous" else f"Speaker {s}"
        texts = [f'up to {claim * 100} soldiers "may" be sent to the border within weeks, {speaker} said', "", ""]
        texts[1] = texts[0]
        texts[2] = texts[0].replace(f"{claim * 100} soldiers", f"{claim * 100 + 50} soldiers")
        arts = sorted((_article((claim * 7 + j * 131) % n + 1, n) for j in range(3)), key=lambda a: (a[4], a[0]))
        shapes = (((speaker,), (kind,), "direct"), ((WIRE, speaker), ("outlet", kind), "indirect"),
                  ((speaker,), (kind,), "mixed"))
        timeline = tuple(
            Appearance(claim * 10 + j, art[0], art[2], art[3], art[1], art[4], text, speaker, kind, quote,
                       chain, kinds, j == 2, arts[0][0] if j == 2 else None,
                       None if j == 0 else 0.9, None if j == 0 else claim * 10)
            for j, (art, text, (chain, kinds, quote)) in enumerate(zip(arts, texts, shapes, strict=True)))
        mutation = Mutation("number", claim * 10 + 2, claim * 10, f"{claim * 100} soldiers",
                            f"{claim * 100 + 50} soldiers", texts[0], texts[2])
        outlets = tuple(dict.fromkeys(a.outlet or "" for a in timeline))
        yield ClaimTrace(claim, texts[0], timeline[0], timeline, (speaker,), (), outlets, (mutation,))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # Linux: kilobytes


def measure_one(fmt: str, n: int) -> dict[str, Any]:
    """Runs in the subprocess: one export of ``n`` claims to a temporary file."""
    write_export(synthetic_traces(20), io.StringIO(), fmt)
    baseline = _rss_mb()
    with tempfile.TemporaryDirectory(prefix="sourcetrace-exports-") as tmp:
        path = Path(tmp) / f"export.{fmt}"
        with path.open("w", encoding="utf-8") as out:
            t0 = perf_counter()
            written = write_export(synthetic_traces(n), out, fmt)
            seconds = perf_counter() - t0
        size = path.stat().st_size
    assert written == n
    return {"format": fmt, "claims": n, "seconds": round(seconds, 2), "ms_per_claim": round(1000 * seconds / n, 3),
            "output_mb": round(size / 2**20, 1), "rss_baseline_mb": round(baseline, 1),
            "peak_rss_added_mb": round(_rss_mb() - baseline, 1)}


def run_child(fmt: str, n: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", fmt, str(n)], check=True, capture_output=True,
                          text=True, env=os.environ | {"PYTHONHASHSEED": "0"})
    return json.loads(done.stdout)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--claims", type=int, default=500, help="claims at 1× (about the claims benchmark's 528)")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 16])
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--child", nargs=2, metavar=("FORMAT", "CLAIMS"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        print(json.dumps(measure_one(args.child[0], int(args.child[1]))))
        return 0
    command = ".venv/bin/python bench/exports.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    print(command)
    rows = []
    for fmt in args.formats:
        for scale in args.scales:
            row = {"scale": scale} | run_child(fmt, args.claims * scale)
            rows.append(row)
            print(f"  {fmt:12} {scale:3}×  {row['claims']:6} claims  {row['seconds']:7.2f} s  "
                  f"{row['ms_per_claim']:7.3f} ms/claim  peak RSS +{row['peak_rss_added_mb']:5.1f} MB  "
                  f"({row['output_mb']} MB written)", flush=True)
    result = {"benchmark": "exports", "when": datetime.now(UTC).isoformat(timespec="seconds"),
              "memory": "peak RSS (ru_maxrss) minus RSS after imports and a 20-claim warm-up, per subprocess",
              "results": rows, "command": command,
              "environment": {"python": platform.python_version(), "cpus": os.cpu_count(),
                              "platform": platform.platform()}}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(f"→ {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
