"""Stance: cue classes and hedge markers, on hand-built docs (deterministic) and the real model."""

from __future__ import annotations

import json
from importlib import resources
from typing import get_args

import pytest
import spacy
from spacy.tokens import Doc

from sourcetrace.extract.stance import cue_class_of, stance_of
from sourcetrace.nlp import load_nlp
from sourcetrace.records import CueClass, Stance

_VOCAB = spacy.blank("en").vocab


def _doc(spec: str) -> Doc:
    """Words as "word/lemma/TAG" ("said/say/VBD"); lemma and tag default to the word and "NN"."""
    words, lemmas, tags = [], [], []
    for item in spec.split():
        word, lemma, tag = (item.split("/") + ["", ""])[:3]
        words.append(word)
        lemmas.append(lemma or word.lower())
        tags.append(tag or "NN")
    return Doc(_VOCAB, words=words, lemmas=lemmas, tags=tags)


@pytest.mark.parametrize(("spec", "cue", "expected"), [
    ("He said/say/VBD so", [1], "assert"),
    ("She told/tell/VBD us", [1], "assert"),
    ("He claimed/claim/VBD it", [1], "claim"),
    ("They alleged/allege/VBD fraud", [1], "claim"),
    ("Moscow denied/deny/VBD it", [1], "deny"),
    ("Kyiv dismissed/dismiss/VBD it", [1], "deny"),
    ("Officials confirmed/confirm/VBD it", [1], "confirm"),
    ("He admitted/admit/VBD it", [1], "confirm"),
    ("Analysts believe/believe/VBP it", [1], "believe"),
    ("Experts fear/fear/VBP it", [1], "believe"),
    ("Regnum reported/report/VBD it", [1], "report"),
    ("according to Regnum", [0, 1], "report"),
    ("in a statement , it said/say/VBD", [0, 1, 2], "report"),
    # Negated assert/confirm cues deny.
    ("He did not/not/RB say/say/VB it", [1, 2, 3], "deny"),
    ("She would not/not/RB confirm/confirm/VB it", [2, 3], "deny"),
    # A refusal is a negation by another verb: it never reads as the verb it refuses.
    ("The Kremlin declined/decline/VBD to/to/TO confirm/confirm/VB it", [2, 3, 4], "deny"),
    ("He refused/refuse/VBD to/to/TO say/say/VB it", [1, 2, 3], "deny"),
    # Unknown cues default to assert; the strongest class wins in a multi-word cue.
    ("He murmured/murmur/VBD it", [1], "assert"),
    ("He said/say/VBD and denied/deny/VBD it", [1, 3], "deny"),
])
def test_cue_class(spec: str, cue: list[int], expected: str) -> None:
    assert cue_class_of(_doc(spec), cue) == expected


@pytest.mark.parametrize(("spec", "cue", "content", "expected"), [
    ("He said/say/VBD troops could/could/MD possibly arrive", [1], [2, 3, 4, 5],
     Stance("assert", True, ("could", "possibly"))),
    ("He said/say/VBD troops will arrive", [1], [2, 3, 4], Stance("assert", False, ())),
    # The month "May" is no modal.
    ("He said/say/VBD talks start in May/May/NNP", [1], [2, 3, 4, 5], Stance("assert", False, ())),
    ("He said/say/VBD talks may/may/MD start", [1], [2, 3, 4], Stance("assert", True, ("may",))),
    # "would" is out of scope (backshifted "will").
    ("He said/say/VBD he would/would/MD go", [1], [2, 3, 4], Stance("assert", False, ())),
    # Claims and beliefs are hedged by their class alone.
    ("She claimed/claim/VBD it was staged", [1], [2, 3, 4], Stance("claim", True, ())),
    ("They believe/believe/VBP it worked", [1], [2, 3], Stance("believe", True, ())),
    # Phrases; repeats are reported once, in text order.
    ("He said/say/VBD up to 500 troops , up to 600 tanks", [1], list(range(2, 11)),
     Stance("assert", True, ("up to",))),
    ("it is understood that he is believed to have left , Regnum reported/report/VBD", [12],
     list(range(0, 10)), Stance("report", True, ("it is understood", "believed to"))),
    # Markers next to the cue count too: "reportedly said".
    ("He reportedly said/say/VBD it was over", [2], [3, 4, 5], Stance("assert", True, ("reportedly",))),
    ("The data suggests/suggest/VBZ a leak", [2], [3, 4], Stance("believe", True, ())),
    ("He said/say/VBD the data suggests/suggest/VBZ a leak", [1], [2, 3, 4, 5, 6],
     Stance("assert", True, ("suggests",))),
    ("He denied/deny/VBD allegedly taking bribes", [1], [2, 3, 4], Stance("deny", True, ("allegedly",))),
])
def test_stance_of(spec: str, cue: list[int], content: list[int], expected: Stance) -> None:
    assert stance_of(_doc(spec), cue, content) == expected


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return load_nlp()


def _tokens(doc: Doc, text: str, part: str) -> list[int]:
    start = text.index(part)
    span = doc.char_span(start, start + len(part), alignment_mode="expand")
    assert span is not None
    return list(range(span.start, span.end))


@pytest.mark.slow
@pytest.mark.parametrize(("text", "cue", "content", "expected"), [
    ("The minister said the troops could possibly arrive in May.", "said",
     "the troops could possibly arrive in May", Stance("assert", True, ("could", "possibly"))),
    ("He denied that up to 10,000 soldiers were sent.", "denied",
     "up to 10,000 soldiers were sent", Stance("deny", True, ("up to",))),
    ("According to Regnum, the deal was reportedly signed.", "According to",
     "the deal was reportedly signed", Stance("report", True, ("reportedly",))),
    ("Officials did not confirm the report.", "did not confirm", "the report", Stance("deny", False, ())),
    ("The Kremlin declined to confirm the report.", "confirm", "the report", Stance("deny", False, ())),
    ("Analysts believe Kim is likely to visit.", "believe", "Kim is likely to visit",
     Stance("believe", True, ("likely",))),
    ("The general is said to have ordered the strike.", "said", "have ordered the strike",
     Stance("assert", True, ("is said to",))),
    ("He said to reporters that the plan was final.", "said", "the plan was final",
     Stance("assert", False, ())),
    ("The plant will close in May, the company said.", "said", "The plant will close in May",
     Stance("assert", False, ())),
    # An adverb as the cue is a report, and hedges it ("has [reportedly] met").
    ("Kim Jong-un has reportedly met Russian officials.", "reportedly", "met Russian officials",
     Stance("report", True, ("reportedly",))),
    ("She apparently believed the polls.", "apparently believed", "the polls",
     Stance("believe", True, ("apparently",))),
])
def test_stance_real_model(nlp: spacy.language.Language, text: str, cue: str, content: str,
                           expected: Stance) -> None:
    doc = nlp(text)
    assert stance_of(doc, _tokens(doc, text, cue), _tokens(doc, text, content)) == expected


def test_lexicon_classes_are_disjoint_and_known() -> None:
    data = json.loads(resources.files("sourcetrace.data").joinpath("stance.json").read_text("utf-8"))
    classes = data["cue_classes"]
    assert set(classes) == set(data["class_priority"]) == set(get_args(CueClass))
    seen: dict[str, str] = {}
    for cls, lemmas in classes.items():
        for lemma in lemmas:
            assert seen.setdefault(lemma, cls) == cls, f"{lemma!r} in {seen[lemma]} and {cls}"
    assert set(data["cue_phrases"].values()) <= set(classes)


def test_present_tense_headline_verbs_are_read_from_their_surface() -> None:
    from sourcetrace.extract.lexicon import cue_lexicon

    lexicon = cue_lexicon()
    assert [lexicon.present_tense_class(w) for w in ("Says", "Denies", "Claims", "Confirms")] == [
        "assert", "deny", "claim", "confirm"]
    assert [lexicon.present_tense_class(w) for w in ("News", "Is", "Bus", "Said")] == [None] * 4
