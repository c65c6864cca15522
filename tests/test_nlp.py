"""The spaCy pipeline as sourcetrace loads it: what it changes in the model, and that the
benchmark's baseline gets the model back as it ships."""

from __future__ import annotations

import pytest

from sourcetrace.nlp import as_shipped, infix_pattern, load_nlp, split_glued_quotes

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("text", "tokens"), [
    ("and paranoia,”Clinton said.", ["paranoia", ",", "”", "Clinton", "said"]),
    ("Ryan said,“Look, it is over.”", ["said", ",", "“", "Look"]),
    ("I love them!”Former senator Jim Webb", ["them", "!", "”", "Former"]),
    ('She wrote,"fine"and left.', ["wrote", ",", '"', "fine", '"', "and", "left"]),
    ('Clinton:"We learned that', ["Clinton", ":", '"', "We"]),
    ("ready to fight,’Korotchenko said", ["fight", ",", "’", "Korotchenko", "said"]),
    ("ready to fight,'Korotchenko said", ["fight", ",", "'", "Korotchenko", "said"]),
])
def test_a_quote_mark_glued_between_words_is_split_out(text: str, tokens: list[str]) -> None:
    words = [t.text for t in load_nlp().make_doc(text)]
    assert " ".join(tokens) in " ".join(words), words


@pytest.mark.parametrize("word", ["O’Brien", "rock’n’roll", "players’", "don't", "’90s", "U.S.", "Jong-un"])
def test_apostrophes_and_the_models_own_tokens_are_untouched(word: str) -> None:
    nlp = load_nlp()
    with as_shipped(nlp):
        shipped = [t.text for t in nlp.make_doc(f"He met {word} there.")]
    assert [t.text for t in nlp.make_doc(f"He met {word} there.")] == shipped


def test_as_shipped_restores_the_models_tokenizer_and_leaves_ours_after() -> None:
    nlp = load_nlp()
    with as_shipped(nlp):
        assert "paranoia,”Clinton" in [t.text for t in nlp.make_doc("and paranoia,”Clinton said")]
    assert "Clinton" in [t.text for t in nlp.make_doc("and paranoia,”Clinton said")]


def test_splitting_twice_is_splitting_once() -> None:
    nlp = load_nlp()
    pattern = infix_pattern(nlp)
    split_glued_quotes(nlp)
    assert infix_pattern(nlp) == pattern
