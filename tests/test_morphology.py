"""The morphology memo: exactly the model's attribute ruler and lemmatizer, token for token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from sourcetrace import morphology
from sourcetrace.morphology import MORPHOLOGY, MemoMorphology, memoizable, memoize_morphology
from sourcetrace.nlp import as_shipped, load_nlp, model_name

# The two-token patterns ("gon na", "ai n't", "there is", "let 's", "y' all"), words the
# ruler's morphology rules name ("I", "it", "you" as subject and object, "but" as an adverb,
# "do"/"have" as main verbs), spaces, and the kind of text the engine reads.
TEXTS = [
    "Well, there is gon na be a storm, he said. I ai n't sure. Y' all got ta go. Let's c'm on.",
    "There are reports that 100,000 North Korean volunteers are prepared, Igor Korotchenko said.",
    "“They could arrive within weeks.”\n\nHe said Kim Jung-un had approved it. But it was not I who did.",
    "Did you do it? I have had enough; you have it, and it has you. THERE IS NO PLAN, they said.",
    "It is a plan. There is a plan. It's the plan, and let's say it is.",
    "   \n\n  \t a  b\n",
    "It", "there is", "gon na", "",
]


def annotations(doc: Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i)) for t in doc]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


@pytest.fixture(scope="module")
def shipped() -> Iterator[Language]:
    """A second pipeline as the model ships, to compare against without toggling the first."""
    pipeline = spacy.load(model_name())
    pipeline.add_pipe("sourcetrace_paragraphs", before="parser")
    yield pipeline


@pytest.mark.slow
def test_the_analyzers_pipeline_uses_the_memo(nlp: Language) -> None:
    assert MORPHOLOGY in nlp.pipe_names
    assert {"attribute_ruler", "lemmatizer"} <= set(nlp.disabled)
    with as_shipped(nlp):
        assert MORPHOLOGY not in nlp.pipe_names and "lemmatizer" in nlp.pipe_names
    assert MORPHOLOGY in nlp.pipe_names and "lemmatizer" in nlp.disabled


@pytest.mark.slow
@pytest.mark.parametrize("max_entries", [1_000_000, 5], ids=["memos-kept", "memos-restarted"])
def test_same_annotations_as_the_model_cold_and_warm(nlp: Language, shipped: Language, max_entries: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(morphology, "_MAX_ENTRIES", max_entries)
    expected = [annotations(doc) for doc in shipped.pipe(TEXTS)]
    memo = MemoMorphology(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))
    with nlp.select_pipes(disable=[MORPHOLOGY]):
        parsed = [doc.to_bytes() for doc in nlp.pipe(TEXTS)]
    for _ in ("cold", "warm"):
        got = [annotations(memo(Doc(nlp.vocab).from_bytes(data))) for data in parsed]
        assert got == expected
    lemmas = {t[0]: t[4] for doc in got for t in doc}
    assert (lemmas["gon"], lemmas["na"], lemmas["ai"], lemmas["said"]) == ("go", "to", "be", "say")


@pytest.mark.slow
def test_the_polnear_articles_get_the_models_annotations(polnear_dir, nlp: Language, shipped: Language) -> None:
    from sourcetrace.eval.polnear import load_polnear

    texts = [doc.text for doc in load_polnear(polnear_dir / "dev", limit=12)]
    for ours, theirs in zip(nlp.pipe(texts), shipped.pipe(texts), strict=True):
        assert annotations(ours) == annotations(theirs)


WORDS = st.sampled_from(["there", "is", "are", "gon", "na", "ai", "n't", "I", "it", "you", "but", "do",
                         "did", "have", "let", "'s", "y'", "all", "said", "He", "Kim", "up", "to",
                         "100,000", "“", "”", '"', ",", ".", "\n\n", " ", "—", "é", "IS", "There"])


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.lists(WORDS, max_size=30))
def test_any_word_salad_gets_the_models_annotations(nlp: Language, shipped: Language, words: list[str]) -> None:
    text = " ".join(words)
    assert annotations(nlp(text)) == annotations(shipped(text))


@pytest.mark.parametrize(("patterns", "reason"), [
    ([[{"POS": "NOUN"}]], "reads POS"),
    ([[{"LOWER": "a", "OP": "+"}]], "reads OP"),
    ([[{"LENGTH": {">=": 3}}]], "tests >="),
    ([[{"TAG": "NN"}], [{"LOWER": {"IN": ["he", "she"]}}, {"TAG": {"NOT_IN": ["VB"]}}]], None),
])
def test_memoizable_says_what_it_cannot_answer(patterns: list, reason: str | None) -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add(patterns, {"MORPH": "Case=Nom"})
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    answer = memoizable(ruler, lemmatizer)
    assert answer == reason if reason is None else reason in answer
    overwriting = spacy.blank("en").add_pipe("lemmatizer", config={"mode": "lookup", "overwrite": True})
    assert "overwrites" in memoizable(ruler, overwriting)


def test_a_pipeline_without_the_pair_is_left_alone() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler")
    assert memoize_morphology(nlp, MORPHOLOGY) is False
    assert nlp.pipe_names == ["attribute_ruler"]


@pytest.mark.slow
def test_a_spacy_users_pipeline_takes_the_memo_once(shipped: Language) -> None:
    nlp = spacy.load(model_name())
    nlp.add_pipe("sourcetrace_paragraphs", before="parser")  # as in `shipped`
    assert memoize_morphology(nlp) is True
    assert memoize_morphology(nlp) is False  # already in place: nothing left to stand in for
    assert nlp.pipe_names.count(MORPHOLOGY) == 1
    assert [annotations(doc) for doc in nlp.pipe(TEXTS)] == [annotations(doc) for doc in shipped.pipe(TEXTS)]
