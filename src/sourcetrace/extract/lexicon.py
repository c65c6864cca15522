"""The cue lexicon (``data/cues.json``): which words and phrases signal attribution, by class."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

__all__ = ["CueLexicon", "cue_lexicon", "present_tense_stems"]


def present_tense_stems(word: str) -> tuple[str, ...]:
    """The lemmas a third-person present form may have ("denies" → deny, "pushes" → push,
    "says" → say), longest suffix first; none for words too short or not ending in s."""
    low = word.lower()
    if not low.endswith("s") or len(low) < 4:
        return ()
    return tuple(stem for stem in (low[:-3] + "y" if low.endswith("ies") else "",
                                   low[:-2] if low.endswith("es") else "", low[:-1]) if stem)


class CueLexicon(NamedTuple):
    verbs: dict[str, str]                              # lemma -> cue class
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]  # first word -> [(words, class)]

    def verb_class(self, lemma: str) -> str | None:
        return self.verbs.get(lemma)

    def present_tense_class(self, word: str) -> str | None:
        """The class of a third-person present verb read from its surface ("Says", "Denies",
        "Warns"): headlines in Title Case, where the tagger's lemma is the word itself."""
        return next((self.verbs[stem] for stem in present_tense_stems(word) if stem in self.verbs), None)

    def phrases_in(self, words: list[str]) -> dict[int, tuple[int, str]]:
        """Phrase matches over lower-cased words: start index -> (length, class)."""
        found: dict[int, tuple[int, str]] = {}
        for i, word in enumerate(words):
            for phrase, cls in self.phrases.get(word, ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    found[i] = (len(phrase), cls)
                    break
        return found


@lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    data = json.loads(resources.files("sourcetrace").joinpath("data/cues.json").read_text("utf-8"))
    verbs: dict[str, str] = {}
    for cls, lemmas in data["verbs"].items():
        for lemma in lemmas:
            verbs.setdefault(lemma, cls)  # first class listed wins for lemmas listed twice
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for cls, items in data["phrases"].items():
        for item in items:
            words = tuple(item.lower().split())
            phrases.setdefault(words[0], []).append((words, cls))
    for options in phrases.values():
        options.sort(key=lambda p: -len(p[0]))  # longest phrase first
    return CueLexicon(verbs, phrases)
