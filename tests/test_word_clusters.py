"""The shipped word-cluster table: well formed, covering the words of reporting, and grouping
words of one meaning so that the cue tagger can generalise from them."""

from __future__ import annotations

from importlib import resources

from sourcetrace.extract.word_clusters import GRANULARITIES, cluster_features, word_clusters


def test_every_row_has_one_cluster_per_granularity_within_range() -> None:
    table = word_clusters()
    header = resources.files("sourcetrace").joinpath("data/word_clusters.tsv").read_text("utf-8").split("\n", 1)[0]
    assert header.split("\t")[1:] == [f"k{k}" for k in GRANULARITIES]
    assert len(table) > 40_000
    for clusters in table.values():
        assert len(clusters) == len(GRANULARITIES)
        assert all(0 <= int(c) < k for c, k in zip(clusters, GRANULARITIES))


def test_inflections_of_a_reporting_verb_share_a_fine_cluster() -> None:
    table = word_clusters()
    assert table["argue"] == table["argued"] == table["argues"]
    assert table["say"][1] == table["said"][1]
    assert table["argue"][1] != table["say"][1]  # fine clusters tell arguing from saying


def test_verbs_of_disagreeing_share_a_fine_cluster_the_example_the_docs_give() -> None:
    table = word_clusters()
    assert len({table[w][1] for w in ("criticized", "argued", "objected", "opined", "dissented")}) == 1


def test_features_read_the_lemma_first_then_the_form_and_conjoin_content_words_with_pos() -> None:
    by_lemma = cluster_features("argue", "argued", "VERB")
    assert list(by_lemma) == [
        f"k{k}={c}" for k, c in zip(GRANULARITIES, word_clusters()["argue"])] + [
        f"kp{k}={c}|VERB" for k, c in zip(GRANULARITIES, word_clusters()["argue"])]
    by_form = cluster_features("not-a-word-xyz", "argued", "ADP")
    assert list(by_form) == [f"k{k}={c}" for k, c in zip(GRANULARITIES, word_clusters()["argued"])]
    assert cluster_features("not-a-word-xyz", "qqqzzz", "NOUN") == ()
