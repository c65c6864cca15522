"""Both taggers on articles no model was trained on: every 10th PolNeAR train article.

    .venv/bin/python bench/held_out.py [--split DIR] [--every 10] [--reuse]

Dev has been read while the rules were written, and since 2026-12-05 these 84 articles too (a
rule was kept only where both gained or held); no model is trained on them. The CRFs and the
two encoders (cues, roles) are trained on the other nine tenths (the split ``make train``
calibrates on), kept under ``.cache/held-out/`` (``--reuse`` skips training each model found
there, and trains the missing ones), and the held-out articles are scored with each tagger at
the shipped confidence cut. Each tagger's confidence model was itself fitted on these
articles' signals (``make train``, ``make train-encoder``), so the cut is in-sample here.
About 45 minutes on 2 cores of 2025-11-25, several hours on a slower machine when the encoders
must be trained; minutes with every model kept. Not in CI.
Figures are printed and written to bench/results/held_out.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from time import perf_counter

from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent
POLNEAR_TRAIN = REPO_ROOT.parent / "shared" / "data" / "polnear" / "train"
RESULTS = REPO_ROOT / "bench" / "results" / "held_out.json"
HEADLINE = ("end_to_end_f1", "content_matched_f1", "direct_quote_content_recall", "cue_token_f1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", type=Path, default=POLNEAR_TRAIN)
    parser.add_argument("--every", type=int, default=10, help="hold out every N-th article")
    parser.add_argument("--models", type=Path, default=REPO_ROOT / ".cache" / "held-out")
    parser.add_argument("--reuse", action="store_true", help="use the models in --models if they are there")
    args = parser.parse_args(argv)
    console = Console()
    if not (args.split / "text").is_dir():
        console.print(f"skipped: no PolNeAR split at {args.split}")
        return 0

    from sourcetrace.eval.polnear import load_polnear
    from sourcetrace.eval.scorer import score_corpus, spans_of
    from sourcetrace.extract.attributions import extract_attributions
    from sourcetrace.extract.encoder import ARTIFACTS, use_encoder
    from sourcetrace.extract.entities import extract_entities
    from sourcetrace.extract.learned import use_models
    from sourcetrace.settings import TAGGERS
    from sourcetrace.train import held_out_split, parse_cache, parsed_docs, train_taggers
    from sourcetrace.train_encoder import fine_tune

    gold = load_polnear(args.split)
    docs = parsed_docs(gold, parse_cache(args.split, REPO_ROOT / ".cache"))
    held, rest = held_out_split(len(gold), args.every)
    figures: dict[str, object] = {"command": "bench/held_out.py " + " ".join(sys.argv[1:] if argv is None else argv),
                                  "held_out_articles": len(held), "training_articles": len(rest)}
    encoders = {task: args.models / name for task, name in ARTIFACTS.items()}
    train_gold, train_docs = [gold[i] for i in rest], [docs[i] for i in rest]
    if not (args.reuse and (args.models / "cues.crfsuite").is_file()):
        with console.status(f"training the CRFs on {len(rest)} articles"):
            figures["crf_training"] = train_taggers(train_gold, train_docs, args.models)
    for task, path in encoders.items():
        if not (args.reuse and path.is_file()):
            with console.status(f"fine-tuning the {task} encoder on {len(rest)} articles"):
                figures[f"{task}_encoder_training_s"] = fine_tune(train_gold, train_docs, path, task=task)
    use_models(args.models)
    for task, path in encoders.items():
        use_encoder(path, task)
    try:
        for tagger in TAGGERS:
            started = perf_counter()
            report = score_corpus(
                (gold[i], [spans_of(a) for a in extract_attributions(docs[i], extract_entities(docs[i]), None, tagger)],
                 None) for i in held)
            figures[tagger] = {**report.headline(), "extraction_s": round(perf_counter() - started, 1)}
    finally:
        use_models(None)
        for task in encoders:
            use_encoder(None, task)

    table = Table(title=f"{len(held)} held-out articles of {args.split} (every {args.every}th)")
    table.add_column("figure")
    for tagger in TAGGERS:
        table.add_column(tagger, justify="right")
    for key in (*HEADLINE, "extraction_s"):
        table.add_row(key, *(f"{figures[t][key]:.3f}" for t in TAGGERS))  # type: ignore[index]
    console.print(table)
    console.print(f"Reproduce: .venv/bin/python {figures['command']}", highlight=False)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
