"""The two CRFs alone, on articles they were not trained on: every 10th PolNeAR train article.

    .venv/bin/python bench/taggers.py [--split DIR] [--every 10] [--reuse]

What a feature change does to each tagger before any rule, cut or speaker resolution touches
its output: the cue CRF's best path sentence by sentence, and the role CRF given the *gold*
cues, so that its source and content figures do not inherit the cue tagger's misses. The CRFs
are trained on the other nine tenths (the split ``make train`` calibrates on) into
``.cache/held-out/`` (``--reuse`` skips training; ``bench/held_out.py`` shares them). About 8
minutes on 2 cores; not in CI. Figures are printed and written to bench/results/taggers.json.
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
RESULTS = REPO_ROOT / "bench" / "results" / "taggers.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", type=Path, default=POLNEAR_TRAIN)
    parser.add_argument("--every", type=int, default=10, help="hold out every N-th article")
    parser.add_argument("--models", type=Path, default=REPO_ROOT / ".cache" / "held-out")
    parser.add_argument("--reuse", action="store_true", help="use the CRFs in --models if they are there")
    args = parser.parse_args(argv)
    console = Console()
    if not (args.split / "text").is_dir():
        console.print(f"skipped: no PolNeAR split at {args.split}")
        return 0

    import pycrfsuite

    from sourcetrace.eval.polnear import load_polnear
    from sourcetrace.eval.scorer import Counts, label_counts
    from sourcetrace.extract.features import doc_view
    from sourcetrace.train import (cue_sequences, held_out_split, parse_cache, parsed_docs, role_sequences, token_set,
                                  train_taggers)

    gold = load_polnear(args.split)
    docs = parsed_docs(gold, parse_cache(args.split, REPO_ROOT / ".cache"))
    held, rest = held_out_split(len(gold), args.every)
    figures: dict[str, object] = {"command": "bench/taggers.py " + " ".join(sys.argv[1:] if argv is None else argv),
                                  "held_out_articles": len(held), "training_articles": len(rest)}
    if not (args.reuse and (args.models / "cues.crfsuite").is_file()):
        with console.status(f"training the CRFs on {len(rest)} articles"):
            figures["crf_training"] = train_taggers([gold[i] for i in rest], [docs[i] for i in rest], args.models)
    taggers = {}
    for name in ("cues", "roles"):
        taggers[name] = pycrfsuite.Tagger()
        taggers[name].open(str(args.models / f"{name}.crfsuite"))

    counts = {role: Counts() for role in ("CUE", "SRC", "CON")}
    exact = {role: 0 for role in counts}
    sequences = {"cues": 0, "roles": 0}
    for i in held:
        view = doc_view(docs[i])
        triples = [(cue, token_set(docs[i], a.source), token_set(docs[i], a.content))
                   for a in gold[i].attributions if (cue := token_set(docs[i], a.cue))]
        for name, pairs, roles in (("cues", cue_sequences(view, [c for c, _, _ in triples]), ("CUE",)),
                                   ("roles", role_sequences(view, triples), ("SRC", "CON"))):
            for features, labels in pairs:
                tagged = taggers[name].tag(features)
                sequences[name] += 1
                for role in roles:
                    found, same = label_counts(tagged, labels, role)
                    counts[role] += found
                    exact[role] += same

    names = {"CUE": ("cue tokens (best path, by sentence)", "cues"),
             "SRC": ("source tokens (gold cues)", "roles"), "CON": ("content tokens (gold cues)", "roles")}
    table = Table(title=f"The CRFs on {len(held)} held-out articles")
    for column in ("", "P", "R", "F1", "exact"):
        table.add_column(column, justify="right" if column else "left")
    for role, (label, kind) in names.items():
        share = exact[role] / max(1, sequences[kind])
        figures[role.lower()] = {**counts[role].to_dict(), "exact": round(share, 4), "sequences": sequences[kind]}
        table.add_row(label, f"{counts[role].precision:.3f}", f"{counts[role].recall:.3f}", f"{counts[role].f1:.4f}",
                      f"{share:.3f}")
    console.print(table)
    console.print("exact: the share of sentences (cues) or gold attributions (roles) whose tokens are all right")
    console.print(f"Reproduce: cd {REPO_ROOT} && .venv/bin/python {figures['command']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
