"""The engine on PolNeAR dev as printed and with its quote marks made single, as British papers
quote ("He said: 'There are reports …'"): what the quoting style costs.

    .venv/bin/python bench/british_marks.py [--split DIR] [--tagger crf|encoder]

Each double mark becomes its single counterpart (" → ', “ → ‘, ” → ’), character for character,
so the gold offsets hold and both runs are scored against the same annotations
(``sourcetrace.eval.british_marks``). About a minute with the CRFs. Results:
bench/results/british_marks.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent
POLNEAR_DEV = REPO_ROOT.parent / "shared" / "data" / "polnear" / "dev"
RESULTS = REPO_ROOT / "bench" / "results" / "british_marks.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--split", type=Path, default=POLNEAR_DEV)
    parser.add_argument("--tagger", default="crf", choices=["crf", "encoder"])
    args = parser.parse_args(argv)
    console = Console()
    if not (args.split / "text").is_dir():
        console.print(f"skipped: no PolNeAR split at {args.split}")
        return 0

    from sourcetrace.analyzer import Analyzer
    from sourcetrace.eval import british_marks, evaluate_polnear
    from sourcetrace.settings import DEFAULTS

    analyzer = Analyzer(dataclasses.replace(DEFAULTS, tagger=args.tagger))
    runs = {}
    for name, restyle in (("as printed", None), ("British marks", british_marks)):
        with console.status(f"{name}: analysing {args.split.name}"):
            runs[name] = evaluate_polnear(args.split, analyzer, restyle=restyle).headline()
    command = "bench/british_marks.py " + " ".join(sys.argv[1:] if argv is None else argv)
    table = Table(title=f"{args.tagger} engine on PolNeAR {args.split.name}, by quoting style")
    table.add_column("metric")
    for name in runs:
        table.add_column(name, justify="right")
    table.add_column("difference", justify="right")
    printed, british = runs.values()
    for metric in printed:
        table.add_row(metric, f"{printed[metric]:.4f}", f"{british[metric]:.4f}",
                      f"{british[metric] - printed[metric]:+.4f}")
    console.print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"command": command, "tagger": args.tagger, **runs}, indent=2) + "\n")
    console.print(f"written to {RESULTS.relative_to(REPO_ROOT)}; reproduce with: .venv/bin/python {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
