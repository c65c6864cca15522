"""The cue lexicon (``data/cues.json``): which words and phrases signal attribution, by class."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

__all__ = ["CueLexicon", "cue_lexicon"]


class CueLexicon(NamedTuple):
    verbs: dict[str, str]                              # lemma -> cue class
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]  # first word -> [(words, class)]

    def verb_class(self, lemma: str) -> str | None:
        return self.verbs.get(lemma)

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
