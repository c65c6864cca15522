"""HTTP load test on loopback: latency percentiles and error counts of ``sourcetrace serve``.

    .venv/bin/python bench/serve.py [--requests N] [--seconds S] [--levels 1,8,32]

Starts the server in a child process (uvicorn, one worker, the real analyzer) over a fresh
SQLite copy of the bundled sample corpus, then, for each endpoint and each concurrency level,
sends at most N requests or stops after S seconds, whichever comes first, from N concurrent
httpx clients on 127.0.0.1. Endpoints: POST /api/analyze (a ~600-character article), GET
/claims/1 (the HTML claim page with its graph). Figures are printed and written to
bench/results/serve.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (
    "Marta Lindqvist, director of the Vessel Bay port authority, said on Thursday that dredging of the "
    "eastern channel could begin in June and cost up to 40 million euros. \"We cannot wait another season,\" "
    "Lindqvist told reporters in Kessport. She said the work was needed because larger container ships had "
    "run aground twice this year. Baltic Wire Service reported that a city councillor, Henrik Aalto, said the "
    "council had not been consulted. According to officials who asked not to be named, a consultation "
    "could be held in May."
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


async def _level(base: str, method: str, path: str, body: Any, concurrency: int, requests: int,
                 seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    sent = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        async def worker() -> None:
            nonlocal sent
            while sent < requests and time.perf_counter() < deadline:
                sent += 1
                t0 = time.perf_counter()
                try:
                    r = await client.request(method, path, json=body)
                    key = None if r.status_code == 200 else f"HTTP {r.status_code}"
                except httpx.HTTPError as err:
                    key = type(err).__name__
                latencies.append(time.perf_counter() - t0)
                if key:
                    errors[key] = errors.get(key, 0) + 1

        t_start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - t_start
    return {"concurrency": concurrency, "requests": len(latencies), "seconds": round(wall, 2),
            "rps": round(len(latencies) / wall, 1) if wall else None,
            "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
            "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
            "errors": sum(errors.values()), "error_kinds": errors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=300, help="at most this many requests per level")
    ap.add_argument("--seconds", type=float, default=20.0, help="at most this long per level")
    ap.add_argument("--levels", default="1,8,32")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "results" / "serve.json")
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",")]

    with tempfile.TemporaryDirectory(prefix="sourcetrace-bench-") as tmp:
        db = f"sqlite:///{tmp}/bench.db"
        port = _free_port()
        code = "import sys; from sourcetrace.cli import app; sys.argv[0] = 'sourcetrace'; app()"
        cmd = [sys.executable, "-c", code, "serve", "--db", db, "--port", str(port), "--sample"]
        server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  env={**os.environ, "SOURCETRACE_TOKEN": ""})
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/api/claims?limit=1", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None:
                    raise SystemExit(f"server exited: {server.stderr.read().decode() if server.stderr else ''}")
                time.sleep(0.5)
            # warm-up: load the model, fill caches
            httpx.post(f"{base}/api/analyze", json={"text": ARTICLE}, timeout=120).raise_for_status()
            httpx.get(f"{base}/claims/1", timeout=30).raise_for_status()
            results: dict[str, list[dict[str, Any]]] = {}
            for name, method, path, body in (("analyze", "POST", "/api/analyze", {"text": ARTICLE}),
                                             ("claim_page", "GET", "/claims/1", None)):
                results[name] = []
                for c in levels:
                    row = asyncio.run(_level(base, method, path, body, c, args.requests, args.seconds))
                    results[name].append(row)
                    print(f"{name:10} c={c:<3} n={row['requests']:<4} p50={row['p50_ms']:>8} ms  "
                          f"p99={row['p99_ms']:>8} ms  {row['rps']:>7} req/s  errors={row['errors']}", flush=True)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    out = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
           "cores": os.cpu_count(), "python": platform.python_version(), "max_requests": args.requests,
           "max_seconds": args.seconds, "article_chars": len(ARTICLE), "results": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
