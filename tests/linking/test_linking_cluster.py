"""Incremental clustering and the ANN index on hand-built claims (hashing vectors, no model)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from sourcetrace.linking import ClaimClusterer, ClaimIndex, ClaimItem, HashingEmbedder, LinkSettings
from sourcetrace.records import Quantity

T0 = datetime(2026, 3, 1, tzinfo=UTC)
SETTINGS = LinkSettings(threshold=0.5)


def soldiers(n: float) -> tuple[Quantity, ...]:
    return (Quantity((0, 10), f"{n:,.0f} soldiers", n, "soldiers"),)


ITEMS = [
    ClaimItem(1, "up to 100,000 North Korean soldiers may be sent to the front", T0, quantities=soldiers(1e5)),
    ClaimItem(2, "the cod quota will be cut by a fifth next year", T0 + timedelta(hours=1)),
    ClaimItem(3, "100,000 North Korean soldiers will be sent to the front", T0 + timedelta(hours=2),
              quantities=soldiers(1e5)),
    ClaimItem(4, "10,000 North Korean soldiers may be sent to the front", T0 + timedelta(hours=3),
              quantities=soldiers(1e4)),
    ClaimItem(5, "next year the cod quota will be cut by a fifth", T0 + timedelta(hours=4)),
]


def run(items: list[ClaimItem], batches: list[list[int]]) -> dict[int, list[int]]:
    emb = HashingEmbedder()
    clusterer = ClaimClusterer(ClaimIndex(emb.dim), settings=SETTINGS)
    by_key = {it.key: it for it in items}
    for batch in batches:
        chosen = [by_key[k] for k in batch]
        clusterer.add_many(chosen, emb.embed([it.text for it in chosen]))
    return {min(keys): keys for keys in clusterer.clusters().values()}


def test_paraphrases_join_and_a_different_number_does_not() -> None:
    assert run(ITEMS, [[1, 2, 3, 4, 5]]) == {1: [1, 3], 2: [2, 5], 4: [4]}


def test_result_does_not_depend_on_batching() -> None:
    whole = run(ITEMS, [[1, 2, 3, 4, 5]])
    assert run(ITEMS, [[1], [2], [3], [4], [5]]) == whole
    assert run(ITEMS, [[5, 3], [1, 4, 2]]) == whole  # within a batch, publication order decides


def test_rejections_are_explained() -> None:
    emb = HashingEmbedder()
    clusterer = ClaimClusterer(ClaimIndex(emb.dim), settings=SETTINGS)
    first, other = ITEMS[0], ITEMS[3]
    clusterer.add(first, emb.embed([first.text])[0])
    a = clusterer.add(other, emb.embed([other.text])[0])
    assert a.matched is None and a.rejected and "numbers differ" in a.rejected[0][1]


def test_cluster_first_claim_stops_drift() -> None:
    items = [ClaimItem(i, f"{n:,} troops will be sent to the front line", T0 + timedelta(hours=i),
                       quantities=(Quantity((0, 5), f"{n:,} troops", float(n), "troops"),))
             for i, n in enumerate([100_000, 85_000, 70_000], 1)]
    clusters = run(items, [[1, 2, 3]])
    assert clusters == {1: [1, 2], 3: [3]}  # 70,000 agrees with 85,000 but not with the first 100,000


def test_stored_claims_are_read_once_per_batch_with_the_same_answers() -> None:
    """The store reads stored claims from the database: each ``add`` asked for its neighbours
    one query at a time (half of a 924-article link run). ``prefetch`` asks once per batch, and
    claims read once are kept across batches when the caller shares ``items``."""
    emb = HashingEmbedder()
    later = [ClaimItem(6, "up to 100,000 North Korean soldiers could be sent to the front", T0 + timedelta(hours=5),
                       quantities=soldiers(1e5)),
             ClaimItem(7, "the cod quota will be cut by a fifth, next year", T0 + timedelta(hours=6))]
    everything = {it.key: it for it in [*ITEMS, *later]}
    stored, batches = ITEMS[:3], [ITEMS[3:], later]

    def link(prefetch: bool) -> tuple[list[tuple[int, int | None]], list[list[int]]]:
        """As the store linked before (one lookup per claim, nothing kept between batches) or now."""
        index = ClaimIndex(emb.dim)
        index.add([it.key for it in stored], emb.embed([it.text for it in stored]))
        asked: list[list[int]] = []

        def lookup(keys: object) -> dict[int, ClaimItem]:
            asked.append(sorted(keys))  # type: ignore[call-overload]
            return {k: everything[k] for k in asked[-1]}

        shared: dict[int, ClaimItem] = {}
        cluster_of, first_of = {1: 1, 2: 2, 3: 1}, {1: 1, 2: 2}   # the store's, kept across batches
        out = []
        for batch in batches:
            clusterer = ClaimClusterer(index, settings=SETTINGS, cluster_of=cluster_of, first_of=first_of,
                                       lookup=lookup, items=shared if prefetch else None)
            vectors = emb.embed([it.text for it in batch])
            if prefetch:
                clusterer.prefetch(vectors)
            out += [(a.key, a.matched) for a in clusterer.add_many(batch, vectors)]
        return out, asked

    plain, asked_plain = link(prefetch=False)
    fetched, asked_fetched = link(prefetch=True)
    assert fetched == plain and (5, 2) in plain and (7, 2) in plain   # the cod quota claims join the stored one
    assert len(asked_plain) > len(batches) >= len(asked_fetched)       # at most one lookup per batch
    read = [k for keys in asked_fetched for k in keys]
    assert len(read) == len(set(read))                                 # and none read twice


def test_index_save_load_and_staleness(tmp_path: Path) -> None:
    emb = HashingEmbedder()
    index = ClaimIndex(emb.dim, model=emb.name)
    vectors = emb.embed([it.text for it in ITEMS])
    index.add([it.key for it in ITEMS], vectors)
    path = tmp_path / "x.usearch"
    index.save(path)
    back = ClaimIndex.load(path, dim=emb.dim, model=emb.name, expected_size=len(ITEMS))
    assert back is not None and len(back) == len(ITEMS)
    key, sim = back.search(vectors[2], 1)[0]
    assert key == 3 and abs(sim - 1.0) < 1e-4
    assert ClaimIndex.load(path, dim=emb.dim, model=emb.name, expected_size=len(ITEMS) + 1) is None
    assert ClaimIndex.load(path, dim=emb.dim, model="another", expected_size=len(ITEMS)) is None
    assert ClaimIndex.load(tmp_path / "missing", dim=emb.dim, model=emb.name, expected_size=0) is None


def test_hashing_embedder_is_deterministic_and_normalised() -> None:
    a = HashingEmbedder().embed(["the same words", "other words entirely"])
    b = HashingEmbedder().embed(["the same words", "other words entirely"])
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
