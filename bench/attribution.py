"""Attribution benchmark: accuracy on a PolNeAR split, speed against bare spaCy, peak memory.

    .venv/bin/python bench/attribution.py [--split DIR] [--limit N] [--repeats R] [--tagger encoder]

Speed is the full analysis (``Analyzer.analyze_documents``: validation, spaCy, extraction) in
articles per second, divided by a bare ``nlp.pipe`` over the same texts with the same model,
both timed in this process after a warm-up, best of R runs in alternating order so that neither
always benefits from a warm cache. Each article carries its publication date from the corpus's
``metadata.tsv`` (as ingested articles do), so the dates are placed inside the timing. Figures are printed and written to bench/results/attribution.json
(attribution-encoder.json with ``--tagger encoder``, the opt-in accurate mode).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import resource
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from time import perf_counter
from typing import Any

from rich.console import Console
from rich.table import Table

from sourcetrace.settings import TAGGERS

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPLIT = REPO_ROOT.parent / "shared" / "data" / "polnear" / "dev"
RESULTS = REPO_ROOT / "bench" / "results" / "attribution.json"
TARGET_SPEED_RATIO = 0.8  # full analysis at least 80% of bare spaCy throughput
TARGET_PEAK_RSS_MB = 700.0
WARMUP_ARTICLES = 3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT, help="PolNeAR split: DIR/text, DIR/attributions")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (by id)")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs of each side (best is kept)")
    parser.add_argument("--tagger", choices=TAGGERS, default="crf", help="settings.tagger")
    return parser.parse_args(argv)


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def reproduce_command(argv: list[str]) -> str:
    python = Path(sys.executable)
    try:
        python_arg = str(python.relative_to(REPO_ROOT))
    except ValueError:
        python_arg = str(python)
    return f"cd {shlex.quote(str(REPO_ROOT))} && " + shlex.join([python_arg, "bench/attribution.py", *argv])


def best_of(runs: dict[str, Callable[[], None]], repeats: int) -> dict[str, list[float]]:
    """Wall-clock seconds of each named run, ``repeats`` times, alternating which goes first."""
    names = list(runs)
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeats):
        for name in names if round_ % 2 == 0 else reversed(names):
            start = perf_counter()
            runs[name]()
            times[name].append(perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    console = Console()
    if not (args.split / "text").is_dir():
        console.print(f"No PolNeAR split at {args.split} (expected DIR/text and DIR/attributions); "
                      "nothing to benchmark. Pass --split DIR.")
        return 0

    from sourcetrace.analyzer import Analyzer, Outcome
    from sourcetrace.eval import gold_documents_as_input, load_polnear, score_outcomes
    from sourcetrace.nlp import as_shipped
    from sourcetrace.settings import DEFAULTS

    gold = load_polnear(args.split, limit=args.limit)
    if not gold:
        console.print(f"No articles in {args.split}.")
        return 0
    analyzer = Analyzer(dataclasses.replace(DEFAULTS, tagger=args.tagger))
    nlp = analyzer.nlp
    texts = [doc.text for doc in gold]
    batch_size = analyzer.settings.batch_size
    outcomes: list[Outcome] = []

    def bare_pipe(items: list[str] = texts) -> None:
        # The model as shipped: without the paragraph breaks sourcetrace adds before its parser,
        # with the attribute ruler and lemmatizer its morphology memo stands in for.
        with as_shipped(nlp):
            for _ in nlp.pipe(items, batch_size=batch_size):
                pass

    def full_analysis() -> None:
        outcomes[:] = analyzer.analyze_documents(gold_documents_as_input(gold, analyzer.settings))

    # Warm-up: lazy imports, vocabulary growth and the extractors' first calls stay out of the timing.
    bare_pipe(texts[:WARMUP_ARTICLES])
    list(analyzer.analyze_documents(gold_documents_as_input(gold[:WARMUP_ARTICLES], analyzer.settings)))

    times = best_of({"spacy_pipe": bare_pipe, "full_analysis": full_analysis}, max(1, args.repeats))
    pipe_rate = len(texts) / min(times["spacy_pipe"])
    full_rate = len(texts) / min(times["full_analysis"])
    ratio = full_rate / pipe_rate
    report = score_outcomes(gold, outcomes)
    rss = peak_rss_mb()
    command = reproduce_command(argv)

    # (a) accuracy
    console.rule(f"Attribution accuracy on {args.split} ({len(gold)} articles, {args.tagger} taggers)")
    report.render(console)

    # The ceiling to read the scores against: two people, by the same metrics.
    agreement = _human_agreement(args.split)
    if agreement is not None:
        console.rule(f"People against people: {len(agreement.documents)} doubly annotated articles "
                     f"of {args.split.parent}")
        table = Table(show_header=True)
        for col in ("measure", "engine", "two annotators", "target"):
            table.add_column(col, justify="left" if col == "measure" else "right")
        engine, people = report.headline(), agreement.headline()
        for key, target in (("end_to_end_f1", 0.75), ("content_matched_f1", 0.82),
                            ("direct_quote_content_recall", 0.92)):
            table.add_row(key, f"{engine[key]:.3f}", f"{people[key]:.3f}", f"{target:.2f}")
        console.print(table)

    # (b) speed, (c) memory
    console.rule("Speed and memory")
    table = Table(show_header=True)
    for col, justify in (("measure", "left"), ("value", "right"), ("target", "right"), ("", "left")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    table.add_row("bare nlp.pipe (articles/s)", f"{pipe_rate:.2f}", "", "")
    table.add_row("full analysis (articles/s)", f"{full_rate:.2f}", "", "")
    table.add_row("full / bare", f"{ratio:.2f}", f"≥ {TARGET_SPEED_RATIO}", _mark(ratio >= TARGET_SPEED_RATIO))
    table.add_row("peak RSS (MB)", f"{rss:.0f}", f"≤ {TARGET_PEAK_RSS_MB:.0f}", _mark(rss <= TARGET_PEAK_RSS_MB))
    console.print(table)
    if report.failed:
        console.print(f"[yellow]note: {len(report.failed)} of {len(gold)} articles failed in the full analysis, "
                      "so its speed is not representative.[/]")

    # (d) reproduction
    console.print(f"Reproduce: [bold]{command}[/]", highlight=False, soft_wrap=True)

    results = {
        "benchmark": "attribution",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "split": str(args.split),
        "articles": len(gold),
        "tagger": args.tagger,
        "metrics": report.headline(),
        "report": {k: v for k, v in report.to_dict().items() if k not in ("per_document", "metrics")},
        "speed": {
            "spacy_pipe_articles_per_s": round(pipe_rate, 3),
            "full_analysis_articles_per_s": round(full_rate, 3),
            "ratio": round(ratio, 3),
            "target_ratio": TARGET_SPEED_RATIO,
            "seconds": {k: [round(t, 3) for t in v] for k, v in times.items()},
            "batch_size": batch_size,
        },
        "human_agreement": ({"articles": len(agreement.documents), "metrics": agreement.headline()}
                            if agreement is not None else None),
        "peak_rss_mb": round(rss, 1),
        "target_peak_rss_mb": TARGET_PEAK_RSS_MB,
        "environment": _environment(nlp),
        "command": command,
    }
    out = RESULTS if args.tagger == "crf" else RESULTS.with_name(f"attribution-{args.tagger}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    console.print(f"Written to {out.relative_to(REPO_ROOT)}")
    return 0


def _human_agreement(split: Path) -> Any:
    """Inter-annotator agreement over the doubly annotated articles of the split's siblings
    (PolNeAR: 16 in train, 2 in dev), or None where there are none."""
    from sourcetrace.eval import annotator_agreement

    siblings = [d for d in sorted(split.parent.iterdir()) if (d / "text").is_dir() and (d / "attributions").is_dir()]
    report = annotator_agreement(siblings)
    return report if report.documents else None


def _mark(ok: bool) -> str:
    return "[green]met[/]" if ok else "[red]missed[/]"


def _environment(nlp: Any) -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "spacy_model": f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}-{nlp.meta.get('version', '')}",
        "pipeline": list(nlp.pipe_names),
    }


if __name__ == "__main__":
    sys.exit(main())
