"""The CRF engine on every PolNeAR train article, each tagged by CRFs trained without it.

    .venv/bin/python bench/cross_fitted.py [--split DIR] [--folds 10] [--reuse]

Article ``i`` falls in fold ``i % 10``; each fold's CRFs are trained on the other nine tenths
and kept under ``.cache/folds/<fold>/``, where ``make train`` writes the same folds (``--reuse``
skips training; fold 0 is the tenth ``bench/held_out.py`` scores). The articles are scored twice: with the shipped
confidence model and cut, and with one fitted now on all 840 articles' signals (its cut
in-sample). ``make train`` fits the shipped one the same way, so the two agree until a rule
changes; then the second is what a ``make train`` would give. Ten times the articles of
``bench/held_out.py``, so a steadier figure of how the engine does on text its models never
saw, though the rules were written reading some of these articles (and dev).
About 40 minutes on 2 cores; not in CI. Figures are printed and written to
bench/results/cross_fitted.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent
POLNEAR_TRAIN = REPO_ROOT.parent / "shared" / "data" / "polnear" / "train"
RESULTS = REPO_ROOT / "bench" / "results" / "cross_fitted.json"
HEADLINE = {"end_to_end_f1": "e2e F1", "content_matched_f1": "content-matched F1",
            "direct_quote_content_recall": "direct-quote recall", "cue_token_f1": "cue token F1"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", type=Path, default=POLNEAR_TRAIN)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--models", type=Path, default=REPO_ROOT / ".cache" / "folds")
    parser.add_argument("--reuse", action="store_true", help="use the fold models in --models where they are")
    args = parser.parse_args(argv)
    console = Console()
    if not (args.split / "text").is_dir():
        console.print(f"skipped: no PolNeAR split at {args.split}")
        return 0

    from sourcetrace.eval.polnear import load_polnear
    from sourcetrace.extract.confidence import _model, logistic
    from sourcetrace.train import cross_fitted, fit_on, parse_cache, parsed_docs, scores_at_cut

    gold = load_polnear(args.split)
    docs = parsed_docs(gold, parse_cache(args.split, REPO_ROOT / ".cache"))
    with console.status("cross-fitting") as status:
        signals = cross_fitted(gold, docs, args.models, args.folds, args.reuse, status.update)
    rows, _, made = signals
    shipped = _model("crf")
    if shipped is None:
        console.print("no shipped confidence model: run `make train`")
        return 1
    refit = fit_on(signals, gold)
    figures = {
        "command": "bench/cross_fitted.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "articles": len(gold), "folds": args.folds, "attributions_before_cut": len(rows),
        "shipped": {"cut": shipped["min_confidence"],
                    **scores_at_cut(gold, made, [logistic(shipped["weights"], r) for r in rows],
                                    shipped["min_confidence"])},
        "refitted_on_all": {"cut": refit["min_confidence"], **refit["held_out_scores"]},
    }
    table = Table(title=f"CRF engine, {len(gold)} train articles, each tagged by CRFs trained without it")
    table.add_column("confidence")
    table.add_column("cut", justify="right")
    for key in HEADLINE:
        table.add_column(HEADLINE[key], justify="right")
    for name, row in (("shipped", figures["shipped"]), ("refit on all", figures["refitted_on_all"])):
        table.add_row(name, f"{row['cut']:.2f}", *(f"{row[key]:.3f}" for key in HEADLINE))
    console.print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    console.print(f"written to {RESULTS.relative_to(REPO_ROOT)}; reproduce with: .venv/bin/python {figures['command']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
