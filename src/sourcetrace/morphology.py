"""The model's attribute ruler and lemmatizer, answered from memos: the same annotations in a
fraction of the time.

en_core_web_sm's ``attribute_ruler`` (179 token patterns: its tag map and morphology rules)
and rule ``lemmatizer`` take a third of the whole pipeline's time, token by token in Python,
yet what they set on a token depends on little. The ruler's patterns read a token's tag,
dependency label, whether it is a space, and whether its lowercase form is one of the few
words they name ("he", "gon", "na") or matches one of their two regexes; the lemmatizer reads
the text, POS and morphology. ``MemoMorphology`` keys each token on exactly that, asks spaCy's
own Matcher, setters and lemmatizer on the first token with a new key, and copies the answer to
every later one. A token that can be part of a two-token pattern ("gon na", "there is") is keyed
with its neighbours. A pipeline whose patterns read anything else keeps its own components
(``memoizable`` says why).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
from spacy.attrs import DEP, IDS, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

__all__ = ["MORPHOLOGY", "STANDS_IN_FOR", "MemoMorphology", "memoizable", "memoize_morphology"]

MORPHOLOGY = "sourcetrace_morphology"  # the component's name (registered in pipeline.py)
STANDS_IN_FOR = ("attribute_ruler", "lemmatizer")  # the model's components it replaces

# Read as they are: booleans and labels from small sets.
_EXACT_ATTRS = frozenset({"TAG", "DEP", "IS_SPACE", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER",
                          "IS_UPPER", "IS_TITLE", "IS_PUNCT", "LIKE_NUM", "LENGTH"})
# Open-ended strings: only "which named value is it, which regexes match" goes in the key.
_TEXT_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "SHAPE", "PREFIX", "SUFFIX"})
_OPERATORS = frozenset({"IN", "NOT_IN", "REGEX"})
_PRIOR = [TAG, DEP, POS, MORPH, LEMMA]  # what the ruler may change; unchanged unless it does
# Keys and lemmas grow with a crawl's vocabulary, at a few hundred bytes each: beyond this the
# memos start over (tens of MB at most; 300 PolNeAR articles make about 60,000).
_MAX_ENTRIES = 200_000


def _token_specs(ruler: AttributeRuler) -> Iterator[tuple[list[dict[str, Any]], Any]]:
    """Every token spec of the ruler's patterns, with the pattern it belongs to."""
    for entry in ruler.patterns:
        for pattern in entry["patterns"]:
            for spec in pattern:
                yield pattern, spec


def memoizable(ruler: Any, lemmatizer: Any) -> str | None:
    """None when ``MemoMorphology`` gives exactly these components' output, else the reason not."""
    if type(ruler) is not AttributeRuler:
        return f"the attribute ruler is a {type(ruler).__name__}"
    if not isinstance(lemmatizer, Lemmatizer) or lemmatizer.mode not in ("rule", "lookup"):
        return "the lemmatizer is not spaCy's rule or lookup lemmatizer"
    if lemmatizer.overwrite:
        return "the lemmatizer overwrites lemmas the ruler sets"
    for _, spec in _token_specs(ruler):
        if not isinstance(spec, dict):
            return "a pattern is not a list of token dicts"
        for attr, test in spec.items():
            name = attr.upper() if isinstance(attr, str) else attr
            if name not in _EXACT_ATTRS | _TEXT_ATTRS:
                return f"a pattern reads {name}"  # OP, POS, MORPH, extensions...
            if isinstance(test, dict) and not set(test) <= _OPERATORS:
                return f"a pattern tests {', '.join(sorted(set(test) - _OPERATORS))}"
            if isinstance(test, dict) and isinstance(test.get("REGEX"), dict):
                return "a pattern nests a regex"
    return None


def _text_tests(ruler: AttributeRuler) -> dict[str, tuple[frozenset[str], tuple[re.Pattern[str], ...]]]:
    """Per text attribute the patterns read: the values they name and the regexes they apply."""
    named: dict[str, set[str]] = {}
    regexes: dict[str, list[re.Pattern[str]]] = {}
    for _, spec in _token_specs(ruler):
        for attr, test in spec.items():
            name = "ORTH" if attr.upper() == "TEXT" else attr.upper()
            if name not in _TEXT_ATTRS:
                continue
            values = named.setdefault(name, set())
            rules = regexes.setdefault(name, [])
            if isinstance(test, str):
                values.add(test)
            else:
                for operator, value in test.items():
                    if operator == "REGEX":
                        rules.append(re.compile(value))
                    else:
                        values.update(value)
    return {name: (frozenset(named[name]), tuple(regexes[name])) for name in named}


class MemoMorphology:
    """Does to a Doc what ``ruler`` then ``lemmatizer`` do, from memos keyed on what they read."""

    def __init__(self, ruler: AttributeRuler, lemmatizer: Lemmatizer) -> None:
        reason = memoizable(ruler, lemmatizer)
        if reason:
            raise ValueError(f"cannot memoize this attribute ruler and lemmatizer: {reason}")
        self.ruler, self.lemmatizer = ruler, lemmatizer
        tests = _text_tests(ruler)
        read = {attr.upper() for _, spec in _token_specs(ruler) for attr in spec}
        exact = sorted(read & (_EXACT_ATTRS - {"TAG", "DEP"}))  # those two are in _PRIOR already
        self._text_attrs = sorted(tests)
        self._columns = [IDS[name] for name in self._text_attrs] + [IDS[name] for name in exact] + _PRIOR
        self._tests = [tests[name] for name in self._text_attrs]
        # Each token of a multi-token pattern as a pattern of its own: a token none of them
        # matches is in no multi-token match, so its key need not hold its neighbours.
        self._parts = Matcher(ruler.vocab, validate=False)
        longest = 1
        for pattern, spec in _token_specs(ruler):
            if len(pattern) > 1:
                longest = max(longest, len(pattern))
                self._parts.add("part", [[spec]])
        self._reach = longest - 1  # how far off a neighbour can change a token's answer
        self._forget()

    def _forget(self) -> None:
        """Start the memos over (new dicts, not cleared ones: a call in progress keeps its own)."""
        self._abstract: dict[tuple[int, int], tuple[Any, ...]] = {}
        self._signatures: dict[tuple[int, ...], tuple[Any, ...]] = {}
        self._contextual: dict[tuple[Any, ...], bool] = {}
        self._answers: dict[tuple[Any, ...], tuple[int, int, int, int, int]] = {}
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if len(self._signatures) + len(self._lemmas) > _MAX_ENTRIES:
            self._forget()
        memo = self._answers  # this call's, should another thread start the memos over meanwhile
        rows = doc.to_array(self._columns).tolist()
        signatures = [self._signature(tuple(row)) for row in rows]
        keys = [self._key(doc, signatures, i) for i in range(len(doc))]
        # The ruler matches the doc as it came in, so every new key is matched before any write.
        new: dict[tuple[Any, ...], tuple[int, list[int]]] = {}
        for i, key in enumerate(keys):
            if key not in memo and key not in new:
                new[key] = (i, self._matches(doc, i))
        for key, (i, matches) in new.items():
            memo[key] = self._apply(doc[i], matches)
        answers = [memo[key] for key in keys]
        orths = doc.to_array(ORTH).tolist()
        out = np.empty((len(doc), 4), dtype="uint64")
        for i, (tag, dep, pos, morph, lemma) in enumerate(answers):
            prior_dep, prior_lemma = rows[i][-4], rows[i][-1]
            if dep != prior_dep:
                doc[i].dep = dep
            if not lemma:  # the lemmatizer's turn: it only fills lemmas nothing set
                lemma = prior_lemma or self._lemmas.get((orths[i], pos, morph)) or self._lemma(doc, i, pos, morph)
            out[i] = (tag, pos, morph, lemma)
        doc.from_array([TAG, POS, MORPH, LEMMA], out)
        return doc

    def _signature(self, row: tuple[int, ...]) -> tuple[Any, ...]:
        signature = self._signatures.get(row)
        if signature is None:
            texts = len(self._text_attrs)
            signature = (*(self._abstracted(n, value) for n, value in enumerate(row[:texts])), *row[texts:])
            self._signatures[row] = signature
        return signature

    def _abstracted(self, n: int, value: int) -> tuple[Any, ...]:
        """A text value as the patterns see it: the value if they name it, and which regexes match."""
        cached = self._abstract.get((n, value))
        if cached is None:
            named, regexes = self._tests[n]
            text = self.ruler.vocab.strings[value]
            cached = (text if text in named else None, *(bool(rx.search(text)) for rx in regexes))
            self._abstract[(n, value)] = cached
        return cached

    def _key(self, doc: Doc, signatures: list[tuple[Any, ...]], i: int) -> tuple[Any, ...]:
        signature = signatures[i]
        contextual = self._contextual.get(signature)
        if contextual is None:
            contextual = bool(self._parts(doc[i:i + 1], allow_missing=True))
            self._contextual[signature] = contextual
        if not contextual:
            return signature
        start, end = max(0, i - self._reach), min(len(doc), i + self._reach + 1)
        # Where the window meets the doc's edge matters too, hence the offset and the length.
        return (i - start, end - start, *signatures[start:end])

    def _matches(self, doc: Doc, i: int) -> list[int]:
        """The ruler's pattern ids that set attributes on token i, in the order it applies them."""
        start, end = max(0, i - self._reach), min(len(doc), i + self._reach + 1)
        strings, hits = self.ruler.vocab.strings, []
        for match_id, m_start, m_end in self.ruler.matcher(doc[start:end], allow_missing=True, as_spans=False):
            attr_id = int(strings[match_id])
            index = self.ruler.indices[attr_id]
            if start + (m_start + index if index >= 0 else m_end + index) == i:
                hits.append(attr_id)
        return sorted(hits)

    def _apply(self, token: Any, matches: list[int]) -> tuple[int, int, int, int, int]:
        """What the ruler leaves on the token: tag, dependency, POS, morphology, lemma (0: none)."""
        for attr_id in matches:
            set_token_attrs(token, self.ruler.attrs[attr_id])
        return token.tag, token.dep, token.pos, token.morph.key, token.lemma

    def _lemma(self, doc: Doc, i: int, pos: int, morph: int) -> int:
        """The lemmatizer's answer for token i once the ruler has set its POS and morphology."""
        token = doc[i]
        token.pos = pos
        token.set_morph(morph)
        lemma: int = doc.vocab.strings.add(self.lemmatizer.lemmatize(token)[0])
        self._lemmas[(token.orth, pos, morph)] = lemma
        return lemma


def memoize_morphology(nlp: Language, name: str = MORPHOLOGY) -> bool:
    """Put the memo component after the model's lemmatizer and disable the model's
    ``attribute_ruler`` and ``lemmatizer``, which it reads from; False (and nothing changed)
    when the pipeline has no such pair or they cannot be memoized.

        nlp = spacy.load("en_core_web_sm")
        memoize_morphology(nlp)   # the same annotations, faster
    """
    if not set(STANDS_IN_FOR) <= set(nlp.pipe_names):
        return False
    if memoizable(*(nlp.get_pipe(replaced) for replaced in STANDS_IN_FOR)) is not None:
        return False
    nlp.add_pipe(name, after=STANDS_IN_FOR[-1])
    for replaced in STANDS_IN_FOR:
        nlp.disable_pipe(replaced)
    return True
