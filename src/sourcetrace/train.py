"""Train the two CRF taggers on a PolNeAR-format split: ``make train`` (not part of CI).

    python -m sourcetrace.train ../shared/data/polnear/train [--out src/sourcetrace/models]

1. cue tagger: BIO over every sentence, gold cue tokens as the positive class;
2. role tagger: for each gold cue, BIO source/content over its role window (features.py).
Parsed documents are cached under ``.cache/`` so that repeated training skips spaCy.
Training is deterministic for a given split, spaCy model and feature set.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import pycrfsuite
from spacy.tokens import Doc, DocBin

from .eval.polnear import GoldDocument, load_polnear
from .extract.features import DocView, cue_features, doc_view, role_features, role_window
from .nlp import load_nlp, model_name
from .records import Offsets

__all__ = ["parsed_docs", "token_set", "cue_sequences", "role_sequences", "train"]

MODELS_DIR = Path(__file__).parent / "models"
TRAINER_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True,
                  "feature.minfreq": 2}


def parsed_docs(gold: Sequence[GoldDocument], cache: Path | None = None) -> list[Doc]:
    """spaCy docs for the gold texts, from the cache when it holds exactly these texts."""
    nlp = load_nlp()
    if cache is not None and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == [g.text for g in gold]:
            return docs
    docs = list(nlp.pipe((g.text for g in gold), batch_size=16))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        DocBin(store_user_data=False, docs=docs).to_disk(cache)
    return docs


def token_set(doc: Doc, spans: Offsets | None) -> list[int]:
    """Indices of the tokens overlapping character ``spans`` (whitespace tokens excluded)."""
    if not spans:
        return []
    out: list[int] = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            out.extend(t.i for t in span if not t.is_space)
    return sorted(set(out))


def _bio(indices: Iterable[int], tag: str, labels: list[str], offset: int = 0) -> None:
    prev = None
    for i in sorted(indices):
        j = i - offset
        if 0 <= j < len(labels):
            labels[j] = ("I-" if prev == i - 1 else "B-") + tag
        prev = i


def cue_sequences(view: DocView, cues: list[list[int]]) -> Iterable[tuple[list[list[str]], list[str]]]:
    """One (features, labels) pair per sentence."""
    labels_of: dict[int, str] = {}
    for cue in cues:
        for k, i in enumerate(sorted(cue)):
            labels_of[i] = "B-CUE" if k == 0 else "I-CUE"
    for start, end in view.sents:
        yield cue_features(view, start, end), [labels_of.get(i, "O") for i in range(start, end)]


def role_sequences(
    view: DocView, triples: list[tuple[list[int], list[int], list[int]]]
) -> Iterable[tuple[list[list[str]], list[str]]]:
    """One (features, labels) pair per attribution: (cue, source, content) token lists."""
    all_cues = {i for cue, _, _ in triples for i in cue}
    for cue, source, content in triples:
        window = role_window(view, cue)
        labels = ["O"] * (window[1] - window[0])
        _bio(content, "CON", labels, window[0])
        _bio(source, "SRC", labels, window[0])
        yield role_features(view, cue, window, all_cues), labels


def _examples(gold: Sequence[GoldDocument], docs: Sequence[Doc]) -> Iterable[tuple[DocView, list]]:
    for g, doc in zip(gold, docs, strict=True):
        view = doc_view(doc)
        triples = []
        for a in g.attributions:
            cue = token_set(doc, a.cue)
            if cue:
                triples.append((cue, token_set(doc, a.source), token_set(doc, a.content)))
        yield view, triples


def train(split_dir: Path, out_dir: Path = MODELS_DIR, cache_dir: Path = Path(".cache")) -> dict[str, float]:
    gold = load_polnear(split_dir)
    started = time.perf_counter()
    docs = parsed_docs(gold, cache_dir / f"{split_dir.name}-{model_name()}.spacy")
    cue_trainer = pycrfsuite.Trainer(verbose=False)
    role_trainer = pycrfsuite.Trainer(verbose=False)
    for view, triples in _examples(gold, docs):
        for feats, labels in cue_sequences(view, [c for c, _, _ in triples]):
            cue_trainer.append(feats, labels)
        for feats, labels in role_sequences(view, triples):
            role_trainer.append(feats, labels)
    out_dir.mkdir(parents=True, exist_ok=True)
    timings = {"parse_s": time.perf_counter() - started}
    for name, trainer in (("cues", cue_trainer), ("roles", role_trainer)):
        t0 = time.perf_counter()
        trainer.set_params(TRAINER_PARAMS)
        trainer.train(str(out_dir / f"{name}.crfsuite"))
        timings[f"{name}_s"] = time.perf_counter() - t0
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sourcetrace.train", description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="PolNeAR-format split directory (e.g. .../polnear/train)")
    parser.add_argument("--out", type=Path, default=MODELS_DIR)
    args = parser.parse_args(argv)
    timings = train(args.split, args.out)
    for key, value in timings.items():
        print(f"{key:>10}: {value:8.1f}")
    for path in sorted(args.out.glob("*.crfsuite")):
        print(f"{path.name:>16}: {path.stat().st_size / 1e6:6.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
