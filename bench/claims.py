"""Claim-linking benchmark: quality on labelled PolNeAR claim pairs, and cost at scale.

    .venv/bin/python bench/claims.py [--gold FILE] [--threshold T] [--sweep] [--scales 1,4,16] [--no-scale]

Quality: the benchmark's claims (``bench/claims_gold.py``, built first when missing) are parsed
with the project's spaCy model for their entities and numbers, embedded with all-MiniLM-L6-v2
and linked by ``linking.ClaimClusterer`` in publication order, exactly as the store does. Scores:
pairwise precision/recall over the labelled pairs (and accuracy per kind of pair), and B-cubed
and partition-pairwise precision/recall/F1 against the gold partition (connected components of
the positive pairs; every other item alone). Target: B-cubed F1 ≥ 0.85.

Cost: the same claims replicated 1×, 4× and 16× (replica r is dated r × 400 days later and
its text is marked so it is embedded again), linked from an empty index; the time per claim
for embedding and for clustering (ANN search, compatibility checks, index insertion) is
reported separately, and the growth of the per-claim cost from 1× to 16× shows whether linking
stays near-linear. Results go to bench/results/claims.json (not committed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from time import perf_counter
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))

from sourcetrace.linking import (  # noqa: E402
    ClaimClusterer,
    ClaimIndex,
    ClaimItem,
    LinkSettings,
    MiniLMEmbedder,
    bcubed,
    pair_scores,
    pairwise,
)
from sourcetrace.linking.embeddings import embedding_text  # noqa: E402

DEFAULT_GOLD = REPO_ROOT / "bench" / "results" / "claims_gold.jsonl"
RESULTS = REPO_ROOT / "bench" / "results" / "claims.json"
TARGET_BCUBED_F1 = 0.85
_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"})


def load_gold(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    if not path.exists():
        subprocess.run([sys.executable, str(REPO_ROOT / "bench" / "claims_gold.py"), "--out", str(path)],
                       check=True)
    items, pairs = [], []
    if not path.exists():
        return items, pairs
    for line in path.read_text("utf-8").splitlines():
        row = json.loads(line)
        (items if row["kind"] == "item" else pairs).append(row)
    return items, pairs


def claim_items(rows: list[dict[str, Any]]) -> list[ClaimItem]:
    """Entities and numbers of each claim text from the project's spaCy model and extractors."""
    from sourcetrace.extract.entities import extract_entities
    from sourcetrace.extract.quantities import extract_quantities
    from sourcetrace.nlp import load_nlp

    nlp = load_nlp()
    out = []
    for n, (row, doc) in enumerate(zip(rows, nlp.pipe([r["text"] for r in rows], batch_size=64), strict=True)):
        ents = tuple(e.name for e in extract_entities(doc) if e.label in _ENTITY_LABELS)
        when = dt.datetime.fromisoformat(row["date"]).replace(tzinfo=dt.UTC)
        out.append(ClaimItem(n, row["text"], when, outlet=row["publisher"], speaker=row.get("source"),
                             entities=ents, quantities=tuple(extract_quantities(doc))))
    return out


def link(items: list[ClaimItem], vectors: Any, settings: LinkSettings) -> tuple[dict[int, int], float]:
    clusterer = ClaimClusterer(ClaimIndex(vectors.shape[1]), settings=settings)
    t0 = perf_counter()
    clusterer.add_many(items, vectors)
    return dict(clusterer.cluster_of), perf_counter() - t0


def gold_partition(ids: list[str], pairs: list[dict[str, Any]]) -> dict[str, str]:
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        if p["same"]:
            ra, rb = find(p["a"]), find(p["b"])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in ids}


def quality(items_rows: list[dict[str, Any]], pairs: list[dict[str, Any]], items: list[ClaimItem], vectors: Any,
            settings: LinkSettings) -> dict[str, Any]:
    ids = [r["id"] for r in items_rows]
    system_by_key, _ = link(items, vectors, settings)
    system = {ids[k]: c for k, c in system_by_key.items()}
    gold = gold_partition(ids, pairs)
    labelled, counts = pair_scores([(p["a"], p["b"], p["same"]) for p in pairs], system)
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for p in pairs:
        predicted = system[p["a"]] == system[p["b"]]
        per_kind[p["type"]][0] += predicted == p["same"]
        per_kind[p["type"]][1] += 1
    return {"threshold": settings.threshold, "items": len(ids), "pairs": len(pairs),
            "gold_clusters": len(set(gold.values())), "system_clusters": len(set(system.values())),
            "bcubed": bcubed(gold, system).to_dict(), "pairwise_partition": pairwise(gold, system).to_dict(),
            "pairwise_labelled": labelled.to_dict(), "confusion": counts,
            "accuracy_by_kind": {k: {"correct": c, "of": n, "accuracy": round(c / n, 3)}
                                 for k, (c, n) in sorted(per_kind.items())}}


def scale(items: list[ClaimItem], embedder: MiniLMEmbedder, settings: LinkSettings,
          factors: list[int]) -> list[dict[str, Any]]:
    out = []
    for factor in factors:
        replicas = [ClaimItem(r * len(items) + it.key, it.text if r == 0 else f"{it.text} ({r})",
                              it.published_at + dt.timedelta(days=400 * r) if it.published_at else None,
                              outlet=it.outlet, speaker=it.speaker, entities=it.entities, quantities=it.quantities)
                    for r in range(factor) for it in items]
        t0 = perf_counter()
        vectors = embedder.embed([embedding_text(it.text) for it in replicas])
        embed_s = perf_counter() - t0
        _, cluster_s = link(replicas, vectors, settings)
        n = len(replicas)
        out.append({"factor": factor, "claims": n, "embed_s": round(embed_s, 2), "cluster_s": round(cluster_s, 3),
                    "embed_ms_per_claim": round(1000 * embed_s / n, 3),
                    "cluster_ms_per_claim": round(1000 * cluster_s / n, 4),
                    "total_ms_per_claim": round(1000 * (embed_s + cluster_s) / n, 3)})
        print(f"  {factor:3}×  {n:6} claims  embed {embed_s:7.2f} s  cluster {cluster_s:7.3f} s  "
              f"{out[-1]['total_ms_per_claim']:.3f} ms/claim", flush=True)
    base = out[0]
    for row in out:
        row["cluster_cost_growth"] = round(row["cluster_ms_per_claim"] / base["cluster_ms_per_claim"], 2)
        row["total_cost_growth"] = round(row["total_ms_per_claim"] / base["total_ms_per_claim"], 2)
    return out


def scale_clustering(items: list[ClaimItem], vectors: Any, settings: LinkSettings,
                     factors: list[int]) -> list[dict[str, Any]]:
    """Clustering alone (no embedding) on replicas whose vectors are the originals plus Gaussian
    noise (σ = 0.02 per dimension, renormalised), seed 7: isolates ANN + rules + insertion cost."""
    import numpy as np

    rng = np.random.default_rng(7)
    out = []
    for factor in factors:
        replicas = [ClaimItem(r * len(items) + it.key, it.text,
                              it.published_at + dt.timedelta(days=400 * r) if it.published_at else None,
                              outlet=it.outlet, speaker=it.speaker, entities=it.entities, quantities=it.quantities)
                    for r in range(factor) for it in items]
        noisy = np.concatenate([vectors] + [vectors + rng.normal(0, 0.02, vectors.shape).astype(np.float32)
                                            for _ in range(factor - 1)])
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        _, seconds = link(replicas, noisy.astype(np.float32), settings)
        out.append({"factor": factor, "claims": len(replicas), "cluster_s": round(seconds, 3),
                    "cluster_ms_per_claim": round(1000 * seconds / len(replicas), 4)})
        print(f"  {factor:3}×  {len(replicas):6} claims  cluster {seconds:7.3f} s  "
              f"{out[-1]['cluster_ms_per_claim']:.4f} ms/claim", flush=True)
    for row in out:
        row["growth"] = round(row["cluster_ms_per_claim"] / out[0]["cluster_ms_per_claim"], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--threshold", type=float, default=LinkSettings().threshold)
    parser.add_argument("--sweep", action="store_true", help="also score thresholds 0.55 … 0.90")
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--no-scale", action="store_true")
    args = parser.parse_args(argv)
    rows, pairs = load_gold(args.gold)
    if not rows:
        print("no benchmark claims (PolNeAR absent): nothing to measure", file=sys.stderr)
        return 0
    settings = LinkSettings(threshold=args.threshold)
    t0 = perf_counter()
    items = claim_items(rows)
    parse_s = perf_counter() - t0
    embedder = MiniLMEmbedder()
    t0 = perf_counter()
    vectors = embedder.embed([embedding_text(it.text) for it in items])
    embed_s = perf_counter() - t0
    result: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                              "machine": f"{platform.machine()} {platform.python_version()}",
                              "command": " ".join(["bench/claims.py", *(argv or sys.argv[1:])]),
                              "model": embedder.name, "parse_s": round(parse_s, 2), "embed_s": round(embed_s, 2),
                              "quality": quality(rows, pairs, items, vectors, settings),
                              "target_bcubed_f1": TARGET_BCUBED_F1}
    q = result["quality"]
    print(f"{q['items']} claims, {q['pairs']} labelled pairs, threshold {settings.threshold}")
    print(f"  B-cubed            P {q['bcubed']['precision']:.3f}  R {q['bcubed']['recall']:.3f}  "
          f"F1 {q['bcubed']['f1']:.3f}  (target ≥ {TARGET_BCUBED_F1})")
    print(f"  pairwise (labels)  P {q['pairwise_labelled']['precision']:.3f}  R {q['pairwise_labelled']['recall']:.3f}  "
          f"F1 {q['pairwise_labelled']['f1']:.3f}  {q['confusion']}")
    print(f"  pairwise (gold partition) P {q['pairwise_partition']['precision']:.3f}  "
          f"R {q['pairwise_partition']['recall']:.3f}  F1 {q['pairwise_partition']['f1']:.3f}")
    for kind, acc in q["accuracy_by_kind"].items():
        print(f"  {kind:13} {acc['correct']:4}/{acc['of']:<4} correct")
    if args.sweep:
        result["sweep"] = []
        for t in (0.55, 0.6, 0.65, 0.7, 0.72, 0.75, 0.8, 0.85, 0.9):
            s = quality(rows, pairs, items, vectors, LinkSettings(threshold=t))
            result["sweep"].append({"threshold": t, "bcubed_f1": s["bcubed"]["f1"],
                                    "pairwise_labelled": s["pairwise_labelled"]})
            print(f"  threshold {t:.2f}: B-cubed F1 {s['bcubed']['f1']:.3f}  labelled pairs "
                  f"P {s['pairwise_labelled']['precision']:.3f} R {s['pairwise_labelled']['recall']:.3f}")
    print("clustering cost alone (noisy replicas of the vectors):")
    result["scale_clustering"] = scale_clustering(items, vectors, settings, [1, 4, 16, 64])
    if not args.no_scale:
        print("cost with embedding:")
        result["scale"] = scale(items, embedder, settings, [int(f) for f in args.scales.split(",")])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    print(f"→ {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
