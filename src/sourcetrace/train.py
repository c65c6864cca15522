"""Train the two CRF taggers on a PolNeAR-format split: ``make train`` (not part of CI).

    python -m sourcetrace.train ../shared/data/polnear/train [--out src/sourcetrace/models] [--folds 10]

1. cue tagger: BIO over every sentence, gold cue tokens as the positive class;
2. role tagger: for each gold cue, BIO source/content over its role window (features.py);
3. confidence: a logistic model over every article's attributions, made by taggers trained
   without it (ten folds), and the cut that maximises end-to-end plus content-matched F1 on them.
Parsed documents are cached under ``.cache/`` so that repeated training skips spaCy.
Training is deterministic for a given split, spaCy model, feature set and trainer parameters
(``CUE_TRAINER_PARAMS``, ``ROLE_TRAINER_PARAMS``).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pycrfsuite
from spacy.tokens import Doc, DocBin

from .document import plain_spaces
from .eval.polnear import GoldDocument, load_polnear
from .eval.scorer import score_corpus, spans_of
from .extract.attributions import above_confidence, attributions_with_signals
from .extract.confidence import FEATURES, MODEL_FILES, best_threshold, fit_logistic, logistic
from .extract.entities import extract_entities
from .extract.features import DocView, cue_features, doc_view, role_features, role_window
from .extract.learned import use_models
from .nlp import infix_pattern, load_nlp, model_name
from .records import Attribution, Offsets

__all__ = ["Calibration", "calibration", "cross_fitted", "cue_sequences", "fit_confidence", "fit_on", "held_out_split",
           "parse_cache", "parsed_docs", "role_sequences", "scores_at_cut", "token_set", "train", "train_taggers",
           "write_confidence"]

MODELS_DIR = Path(__file__).parent / "models"
# L2 at 1.0, not 0.01 as before 2026-12-06: chosen on the held-out tenth by the taggers alone
# (cue best-path F1 0.591 → 0.620 for c2 0.01 → 1.0, source 0.860 → 0.869, content 0.907 → 0.917;
# the roles no better at 2.0 or 5.0), then confirmed end to end on all 840 cross-fitted train articles
# (0.694 / 0.741 / 0.923 → 0.713 / 0.763 / 0.933: the other nine folds never saw the choice).
ROLE_TRAINER_PARAMS = {"c1": 0.05, "c2": 1.0, "max_iterations": 150, "feature.possible_transitions": True,
                       "feature.minfreq": 2}
# The cue tagger, with its word-cluster features (extract/word_clusters.py), does better at 2.0:
# on the 840 cross-fitted articles 0.713 → 0.716 end to end, up in 9 folds of 10 (docs/attribution-log.md).
CUE_TRAINER_PARAMS = {**ROLE_TRAINER_PARAMS, "c2": 2.0}


def parse_cache(split_dir: Path, cache_dir: Path = Path(".cache")) -> Path:
    """Where the parses of a split are cached: named for the spaCy model, its components and
    its tokenizer's infixes, so that a change of pipeline (a component added before the parser,
    a token split differently) parses anew."""
    nlp = load_nlp()
    pipes = hashlib.sha1((",".join(nlp.pipe_names) + infix_pattern(nlp)).encode()).hexdigest()[:8]
    return cache_dir / f"{split_dir.name}-{model_name()}-{pipes}.spacy"


def parsed_docs(gold: Sequence[GoldDocument], cache: Path | None = None) -> list[Doc]:
    """spaCy docs for the gold texts, from the cache when it holds exactly these texts. Odd
    spaces are read as plain ones, as the analyzer reads them (``document.parsing_copy``); the
    characters it also leaves out are kept, so that gold offsets hold (nine in seven of train's
    840 articles: soft hyphens, byte-order marks and direction marks)."""
    nlp = load_nlp()
    texts = [plain_spaces(g.text) for g in gold]
    if cache is not None and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, batch_size=16))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        DocBin(store_user_data=False, docs=docs).to_disk(cache)
    return docs


def held_out_split(count: int, every: int = 10) -> tuple[list[int], list[int]]:
    """Indices of the held-out articles (every ``every``-th, from the first) and of the rest:
    the one split ``make train`` calibrates on and the held-out benches score."""
    held = list(range(0, count, every))
    return held, [i for i in range(count) if i % every]


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


def train_taggers(gold: Sequence[GoldDocument], docs: Sequence[Doc], out_dir: Path) -> dict[str, float]:
    cue_trainer = pycrfsuite.Trainer(verbose=False)
    role_trainer = pycrfsuite.Trainer(verbose=False)
    for view, triples in _examples(gold, docs):
        for feats, labels in cue_sequences(view, [c for c, _, _ in triples]):
            cue_trainer.append(feats, labels)
        for feats, labels in role_sequences(view, triples):
            role_trainer.append(feats, labels)
    out_dir.mkdir(parents=True, exist_ok=True)
    timings = {}
    for name, trainer, params in (("cues", cue_trainer, CUE_TRAINER_PARAMS),
                                  ("roles", role_trainer, ROLE_TRAINER_PARAMS)):
        t0 = time.perf_counter()
        trainer.set_params(params)
        trainer.train(str(out_dir / f"{name}.crfsuite"))
        timings[f"{name}_s"] = time.perf_counter() - t0
    return timings


def _is_right(doc: Doc, predicted: Attribution, gold: GoldDocument) -> bool:
    """End-to-end match with some gold attribution: content token F1 >= 0.5, sources overlap."""
    content = set(token_set(doc, predicted.content.spans))
    source = set(token_set(doc, predicted.source.spans)) if predicted.source else set()
    for g in gold.attributions:
        g_content = set(token_set(doc, g.content))
        overlap = len(content & g_content)
        if not overlap or 2 * overlap / (len(content) + len(g_content)) < 0.5:
            continue
        g_source = set(token_set(doc, g.source))
        if (source & g_source) or (not source and not g_source):
            return True
    return False


Calibration = tuple[list[list[float]], list[int], list[tuple[int, Attribution]]]


def calibration(gold: Sequence[GoldDocument], docs: Sequence[Doc], tagger: str = "crf") -> Calibration:
    """Signal rows, right/wrong labels and (document index, attribution) per prediction, made
    with the taggers in use (``use_models``): they must not have been trained on these articles."""
    rows: list[list[float]] = []
    labels: list[int] = []
    made: list[tuple[int, Attribution]] = []
    for k, (g, doc) in enumerate(zip(gold, docs, strict=True)):
        for attribution, signals in attributions_with_signals(doc, extract_entities(doc), tagger):
            rows.append(signals.vector())
            labels.append(int(_is_right(doc, attribution, g)))
            made.append((k, attribution))
    return rows, labels, made


def fit_confidence(held_gold: Sequence[GoldDocument], held_docs: Sequence[Doc], tagger: str = "crf") -> dict[str, Any]:
    """The confidence model of ``tagger`` (whose models must be trained without these
    articles) fitted on the held-out articles, with its F1-optimal cut and the scores at it:
    what ``models/confidence*.json`` holds."""
    return fit_on(calibration(held_gold, held_docs, tagger), held_gold, tagger)


def fit_on(signals: Calibration, gold: Sequence[GoldDocument], tagger: str = "crf") -> dict[str, Any]:
    """The confidence model fitted on ``signals`` made on the articles ``gold`` (indexed alike)."""
    rows, labels, made = signals
    if not rows:
        raise ValueError(f"the {tagger} taggers found no attribution in the {len(gold)} held-out articles: "
                         "nothing to fit the confidence on")
    weights = fit_logistic(rows, labels)
    confidences = [logistic(weights, r) for r in rows]
    gold_count = sum(len(g.attributions) for g in gold)
    # The cut on the held-out articles themselves (never on dev), scored exactly: the sum of
    # end-to-end and content-matched F1, the two attribution figures. End-to-end alone
    # is flat across 0.30-0.37 on the 840 cross-fitted articles while content-matched F1 falls
    # 0.004 over the same range, and its argmax wandered there (0.37 in 2026-12-06's refit).
    def merit(cut: float) -> float:
        scores = scores_at_cut(gold, made, confidences, cut)
        return scores["end_to_end_f1"] + scores["content_matched_f1"]

    threshold = best_threshold(merit)
    return {
        "tagger": tagger, "features": list(FEATURES), "weights": weights, "held_out_articles": len(gold),
        "attributions": len(labels), "right_rate": sum(labels) / max(1, len(labels)),
        "ece_raw_marginals": _reliability([min(1.0, max(0.0, r[1] * (0.4 + 0.6 * r[2]))) for r in rows], labels),
        "ece_calibrated_in_sample": _reliability(confidences, labels),
        "min_confidence": threshold, "held_out_gold_attributions": gold_count,
        "held_out_scores": scores_at_cut(gold, made, confidences, threshold),
    }


def cross_fitted(gold: Sequence[GoldDocument], docs: Sequence[Doc], models_root: Path, folds: int = 10,
                 reuse: bool = False, progress: Callable[[str], None] = lambda _: None) -> Calibration:
    """Signals for every article from CRFs trained without it: article ``i`` falls in fold
    ``i % folds``, whose CRFs (``models_root/<fold>/``, kept for ``reuse``) are trained on the
    other folds. Fold 0 is the held-out tenth that ``bench/held_out.py`` scores."""
    rows: list[list[float]] = []
    labels: list[int] = []
    made: list[tuple[int, Attribution]] = []
    for fold in range(folds):
        held = [i for i in range(len(gold)) if i % folds == fold]
        directory = models_root / str(fold)
        if not (reuse and (directory / "cues.crfsuite").is_file() and (directory / "roles.crfsuite").is_file()):
            progress(f"training fold {fold + 1}/{folds} on {len(gold) - len(held)} articles")
            rest = [i for i in range(len(gold)) if i % folds != fold]
            train_taggers([gold[i] for i in rest], [docs[i] for i in rest], directory)
        progress(f"tagging fold {fold + 1}/{folds}: {len(held)} articles")
        use_models(directory)
        try:
            fold_rows, fold_labels, fold_made = calibration([gold[i] for i in held], [docs[i] for i in held])
        finally:
            use_models(None)
        rows += fold_rows
        labels += fold_labels
        made += [(held[k], attribution) for k, attribution in fold_made]
    return rows, labels, made


def write_confidence(model: dict[str, Any], out_dir: Path) -> Path:
    path = out_dir / MODEL_FILES[model["tagger"]]
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, indent=2) + "\n")
    return path


def scores_at_cut(gold: Sequence[GoldDocument], made: Sequence[tuple[int, Attribution]],
                  confidences: Sequence[float], threshold: float) -> dict[str, float]:
    """The engine's scores on the held-out articles with the new confidences, cut as the shipped
    engine cuts (``above_confidence``): a second figure beside dev, from articles no model was
    trained on."""
    by_doc: dict[int, list[Attribution]] = {}
    for (k, attribution), confidence in zip(made, confidences, strict=True):
        by_doc.setdefault(k, []).append(dataclasses.replace(attribution, confidence=confidence))
    report = score_corpus((g, [spans_of(a) for a in above_confidence(by_doc.get(k, []), threshold)], None)
                          for k, g in enumerate(gold))
    return {key: round(value, 4) for key, value in report.headline().items()}


def _reliability(probabilities: Sequence[float], labels: Sequence[int], bins: int = 10) -> float:
    """Expected calibration error: the mean gap between stated and observed rates, by bin."""
    total, gap = len(labels), 0.0
    for b in range(bins):
        members = [(p, y) for p, y in zip(probabilities, labels, strict=True)
                   if b / bins <= p < (b + 1) / bins or (b == bins - 1 and p == 1.0)]
        if members:
            gap += len(members) / total * abs(sum(p for p, _ in members) / len(members)
                                              - sum(y for _, y in members) / len(members))
    return gap


def train(split_dir: Path, out_dir: Path = MODELS_DIR, cache_dir: Path = Path(".cache"), folds: int = 10,
          reuse_folds: bool = False, progress: Callable[[str], None] = lambda _: None) -> dict[str, float]:
    """Train the taggers on the whole split, and the confidence model on every article's
    signals from taggers trained without it (``cross_fitted``: ``folds`` CRF pairs, kept under
    ``cache_dir/folds/``; ``reuse_folds`` takes those there, right only while the features and
    the split are unchanged). Fitted on one held-out tenth instead, the model and its cut lost
    0.004-0.005 end-to-end F1 (0.006-0.009 content-matched) on the other train articles, in
    four splits of them into halves fitted on one and scored on the other."""
    gold = load_polnear(split_dir)
    started = time.perf_counter()
    docs = parsed_docs(gold, parse_cache(split_dir, cache_dir))
    figures = {"parse_s": time.perf_counter() - started}
    started = time.perf_counter()
    model = fit_on(cross_fitted(gold, docs, cache_dir / "folds", folds, reuse_folds, progress), gold)
    figures["cross_fit_s"] = time.perf_counter() - started
    write_confidence(model, out_dir)
    figures.update(calibration_ece_raw=model["ece_raw_marginals"], calibration_ece=model["ece_calibrated_in_sample"],
                   min_confidence=model["min_confidence"],
                   **{f"cross_fitted_{key}": value for key, value in model["held_out_scores"].items()})
    progress(f"training the taggers on all {len(gold)} articles")
    figures.update(train_taggers(gold, docs, out_dir))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sourcetrace.train", description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="PolNeAR-format split directory (e.g. .../polnear/train)")
    parser.add_argument("--out", type=Path, default=MODELS_DIR)
    parser.add_argument("--folds", type=int, default=10, help="cross-fitting folds for the confidence model")
    parser.add_argument("--reuse-folds", action="store_true",
                        help="take the fold taggers kept under .cache/folds/ (only while features and split are unchanged)")
    args = parser.parse_args(argv)
    timings = train(args.split, args.out, folds=args.folds, reuse_folds=args.reuse_folds,
                    progress=lambda step: print(step, file=sys.stderr, flush=True))
    width = max(map(len, timings))
    for key, value in timings.items():
        print(f"{key:>{width}}: {value:8.3f}")
    for path in sorted(args.out.glob("*.crfsuite")):
        print(f"{path.name:>16}: {path.stat().st_size / 1e6:6.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
