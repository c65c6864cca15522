"""The confidence model: fitting on data whose answer is known, and its use at run time."""

import math
import random

import pytest

from sourcetrace.extract import confidence
from sourcetrace.extract.attributions import above_confidence
from sourcetrace.extract.confidence import FEATURES, Signals, best_threshold, calibrated, fit_logistic, fitted_threshold
from sourcetrace.records import Attribution, Content, Cue, Stance


def test_fit_logistic_recovers_known_probabilities() -> None:
    # y ~ Bernoulli(sigmoid(-1 + 3x)); with many samples the fit lands near (-1, 3).
    rng = random.Random(7)
    rows, labels = [], []
    for _ in range(4000):
        x = rng.random()
        rows.append([1.0, x])
        labels.append(int(rng.random() < 1 / (1 + math.exp(-(-1 + 3 * x)))))
    bias, slope = fit_logistic(rows, labels, l2=0.0)
    assert bias == pytest.approx(-1, abs=0.25) and slope == pytest.approx(3, abs=0.4)


def test_fit_logistic_is_finite_on_separable_data() -> None:
    weights = fit_logistic([[1.0, 0.0], [1.0, 1.0]] * 10, [0, 1] * 10, l2=1.0)
    assert all(math.isfinite(w) for w in weights) and weights[1] > 0


def signals(**overrides: object) -> Signals:
    base = dict(cue_p=0.9, content_p=0.9, source_p=0.9, has_source=True, syntactic_source=False,
                rule=False, nested=False, direct=True, resolved=True, content_tokens=12)
    base.update(overrides)
    return Signals(**base)  # type: ignore[arg-type]


def test_vector_matches_feature_names() -> None:
    assert len(signals().vector()) == len(FEATURES)


def test_shipped_model_orders_doubt_sensibly() -> None:
    sure = calibrated(signals())
    unsure = calibrated(signals(cue_p=0.3, content_p=0.3))
    assert 0.0 < unsure < sure < 1.0


def test_falls_back_without_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(confidence, "_weights", lambda tagger="crf": None)
    assert calibrated(signals(cue_p=1.0, content_p=1.0, source_p=1.0)) == pytest.approx(1.0)
    assert calibrated(signals(cue_p=0.5, content_p=0.0, source_p=1.0)) == pytest.approx(0.2)


def test_each_tagger_ships_its_own_fit() -> None:
    crf, encoder = confidence._model("crf"), confidence._model("encoder")
    assert crf is not None and encoder is not None and encoder["tagger"] == "encoder"
    assert encoder["weights"] != crf["weights"]
    # The encoders' probabilities are sharper than the CRFs' marginals: the same signals read differently.
    assert calibrated(signals(), "encoder") != calibrated(signals(), "crf")
    assert 0.0 <= fitted_threshold("encoder") < 0.6


def test_a_tagger_without_its_own_fit_borrows_the_crfs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(confidence.MODEL_FILES, "encoder", "absent.json")
    confidence._model.cache_clear()
    try:
        assert confidence._model("encoder") is confidence._model("crf")
        assert fitted_threshold("encoder") == fitted_threshold("crf")
    finally:
        monkeypatch.undo()
        confidence._model.cache_clear()


def test_best_threshold_maximises_the_merit_and_keeps_more_on_a_tie() -> None:
    # Three gold; four predictions, the two sure ones right. Keeping only those: F1 = 4/5;
    # keeping all four: 4/7. Any cut in (0.2, 0.8] keeps exactly the right ones; the lowest wins.
    def f1(confidences: list[float], right: list[int], gold: int):
        def merit(cut: float) -> float:
            kept = [y for c, y in zip(confidences, right) if c >= cut]
            return 2 * sum(kept) / (len(kept) + gold)
        return merit

    assert best_threshold(f1([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0], gold=3)) == pytest.approx(0.21)
    # Everything right: nothing to cut.
    assert best_threshold(f1([0.9, 0.4], [1, 1], gold=2)) == 0.0
    assert best_threshold(lambda cut: -abs(cut - 0.37), grid=(0.1, 0.3, 0.37, 0.5)) == 0.37


def test_shipped_threshold_is_a_probability() -> None:
    assert 0.0 <= fitted_threshold() < 0.6


def attribution(id_: str, confidence_: float, parent: str | None = None) -> Attribution:
    return Attribution(id=id_, source=None, cue=Cue(((0, 4),), "said"), content=Content(((5, 9),), "text"),
                       type="indirect", parent=parent, stance=Stance("assert", False, ()),
                       confidence=confidence_, evidence="test")


def test_dropping_unsure_attributions_renumbers_and_keeps_chains_walkable() -> None:
    # Threshold 0.5: a2, a4 and a5 go, nested or not; a3 hangs on a1, its nearest kept ancestor.
    chain = [attribution("a1", 0.9), attribution("a2", 0.3, "a1"), attribution("a3", 0.8, "a2"),
             attribution("a4", 0.2, "a3"), attribution("a5", 0.4)]
    kept = above_confidence(chain, 0.5)
    assert [(a.id, a.parent, a.confidence) for a in kept] == [("a1", None, 0.9), ("a2", "a1", 0.8)]
    orphan = above_confidence([attribution("a1", 0.1), attribution("a2", 0.7, "a1")], 0.5)
    assert [(a.id, a.parent) for a in orphan] == [("a1", None)]
    assert above_confidence(chain, 0.0) == chain


def test_scores_at_cut_cut_like_the_engine() -> None:
    from sourcetrace.eval.polnear import GoldAttribution, GoldDocument
    from sourcetrace.records import Attribution, Content, Cue, Source, Stance
    from sourcetrace.train import scores_at_cut

    text = "Anna said the bridge is safe. Bo said it is not."
    gold = [GoldDocument("d", text, (
        GoldAttribution(source=((0, 4),), cue=((5, 9),), content=((10, 28),)),
        GoldAttribution(source=((30, 32),), cue=((33, 37),), content=((38, 47),)),
    ))]

    def made(source: tuple[int, int], cue: tuple[int, int], content: tuple[int, int],
             parent: str | None = None) -> Attribution:
        return Attribution("a", Source((source,), "x"), Cue((cue,), "said"), Content((content,), "x"),
                           "indirect", parent, Stance(), 0.5, "")

    predictions = [(0, made((0, 4), (5, 9), (10, 28))), (0, made((30, 32), (33, 37), (38, 47))),
                   (0, made((10, 20), (21, 23), (24, 28), parent="a1"))]
    # The second and the nested third are below the cut and go.
    scores = scores_at_cut(gold, predictions, [0.9, 0.2, 0.1], threshold=0.5)
    assert scores["end_to_end_f1"] == round(2 * 1 / (1 + 2), 4)
    everything = scores_at_cut(gold, predictions, [0.9, 0.2, 0.1], threshold=0.0)
    assert everything["end_to_end_f1"] == round(2 * 2 / (3 + 2), 4)


def test_cross_fitted_signals_come_from_taggers_trained_without_the_article(tmp_path, monkeypatch) -> None:
    from sourcetrace import train
    from sourcetrace.eval.polnear import GoldAttribution, GoldDocument
    from sourcetrace.nlp import load_nlp

    names = ["Anna Berg", "Bo Lind", "Carl Holm", "Dana Ek"]
    gold = []
    for k, name in enumerate(names):
        text = f"{name} said the bridge is safe. Officials told reporters that the road was closed."
        cut = len(name)
        gold.append(GoldDocument(f"d{k}", text, (
            GoldAttribution(source=((0, cut),), cue=((cut + 1, cut + 5),), content=((cut + 6, text.index(".")),)),)))
    docs = list(load_nlp().pipe(g.text for g in gold))
    trained_on: dict[str, list[str]] = {}
    real = train.train_taggers

    def recording(gold_part, docs_part, out_dir):
        trained_on[out_dir.name] = [g.id for g in gold_part]
        return real(gold_part, docs_part, out_dir)

    monkeypatch.setattr(train, "train_taggers", recording)
    rows, labels, made = train.cross_fitted(gold, docs, tmp_path, folds=2)
    assert trained_on == {"0": ["d1", "d3"], "1": ["d0", "d2"]}
    assert len(rows) == len(labels) == len(made) and {k for k, _ in made} <= set(range(4))
    assert all(len(r) == len(FEATURES) for r in rows)
    trained_on.clear()
    again = train.cross_fitted(gold, docs, tmp_path, folds=2, reuse=True)
    assert trained_on == {} and again[0] == rows  # the kept models, not retrained
