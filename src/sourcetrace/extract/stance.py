"""How sure an attribution is: the cue's class and the hedges around it.

``cue_class`` comes from the cue's lemmas through ``data/stance.json`` (multi-word cues such as
"according to" first; when a cue has several words the strongest class wins, in the data's
``class_priority`` order). A negated or refused assert/confirm/claim cue ("did not say", "would
not confirm", "declined to confirm") counts as ``deny``: the source did not stand behind the
content, and a refusal to confirm must never read as ``confirm``. ``markers`` are hedge and
epistemic markers found in the content and within a few tokens of the cue in the same sentence
(not the cue word itself), lower-cased, in text order, without repeats. Modal
"may"/"could"/"might" count only as modals (tag MD), so the month "May" is not a hedge.
``hedged`` is true with any marker or a claim/believe cue.

Out of scope: "would" (in reported speech it is usually a backshifted "will", not a hedge),
a class of its own for non-answers ("declined to comment" is a ``deny``, as "did not comment"
is), negation scope inside the content, sarcasm and scare quotes, intensifiers ("clearly",
"definitely") as anti-hedges, conditional clauses ("if confirmed"), and the strength of a hedge
(all markers weigh the same).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, cast

from spacy.tokens import Doc

from ..records import CueClass, Stance
from .lexicon import present_tense_stems

__all__ = ["cue_class_of", "stance_of"]

_HEDGING_CLASSES = frozenset({"claim", "believe"})
_NEGATIONS = frozenset({"not", "n't", "never", "no"})
_REFUSALS = frozenset({"decline", "refuse"})  # "declined to confirm": a negation by another verb


@dataclass(frozen=True)
class _Lexicon:
    lemma_class: dict[str, str]
    phrases: dict[tuple[str, ...], str]
    priority: tuple[str, ...]
    negation_turns: dict[str, str]
    modals: frozenset[str]
    words: frozenset[str]
    lemmas: frozenset[str]
    marker_phrases: dict[str, list[tuple[str, ...]]]  # first word -> phrases, longest first
    window: int


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    d: dict[str, Any] = json.loads(
        resources.files("sourcetrace.data").joinpath("stance.json").read_text("utf-8"))
    lemma_class = {lemma: cls for cls, lemmas in d["cue_classes"].items() for lemma in lemmas}
    marker_phrases: dict[str, list[tuple[str, ...]]] = {}
    for phrase in d["markers"]["phrases"]:
        words = tuple(phrase.split())
        marker_phrases.setdefault(words[0], []).append(words)
    for group in marker_phrases.values():
        group.sort(key=len, reverse=True)
    return _Lexicon(
        lemma_class=lemma_class,
        phrases={tuple(k.split()): v for k, v in d["cue_phrases"].items()},
        priority=tuple(d["class_priority"]),
        negation_turns=d["negation_turns"],
        modals=frozenset(d["markers"]["modals"]),
        words=frozenset(d["markers"]["words"]),
        lemmas=frozenset(d["markers"]["lemmas"]),
        marker_phrases=marker_phrases,
        window=int(d["cue_window"]),
    )


def _negated(doc: Doc, cue: Sequence[int]) -> bool:
    for i in cue:
        tok = doc[i]
        if tok.lower_ in _NEGATIONS or tok.lemma_.lower() in _REFUSALS:
            return True
        if any(c.dep_ == "neg" for c in tok.children):
            return True
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in _REFUSALS:  # the cue is "confirm" alone
            return True
    return False


def cue_class_of(doc: Doc, cue: Sequence[int]) -> CueClass:
    """The class of a cue given as token indices; "assert" when nothing in the lexicon matches."""
    lex = _lexicon()
    idx = sorted(set(cue))
    words = [doc[i].lower_ for i in idx]
    found: set[str] = set()
    for phrase, cls in lex.phrases.items():
        n = len(phrase)
        if any(tuple(words[k:k + n]) == phrase for k in range(len(words) - n + 1)):
            found.add(cls)
    # Phrase cues ("according to") outrank the lemmas they contain.
    if not found:
        for i in idx:
            low = doc[i].lower_
            cls = lex.lemma_class.get(doc[i].lemma_.lower()) or lex.lemma_class.get(low)
            if not cls and doc[i].is_title:  # "Claims" in a headline is its own lemma
                cls = next((lex.lemma_class[s] for s in present_tense_stems(low) if s in lex.lemma_class), None)
            if cls:
                found.add(cls)
    best = next((c for c in lex.priority if c in found), "assert")
    if _negated(doc, idx):
        best = lex.negation_turns.get(best, best)
    return cast(CueClass, best)


def _markers_in(doc: Doc, indices: Sequence[int]) -> list[tuple[int, str]]:
    """(position, marker) pairs found in the given tokens (phrases may run on past them)."""
    lex = _lexicon()
    found: list[tuple[int, str]] = []
    for i in indices:
        tok = doc[i]
        low = tok.lower_
        for phrase in lex.marker_phrases.get(low, ()):
            end = i + len(phrase)
            if end <= len(doc) and tuple(t.lower_ for t in doc[i:end]) == phrase:
                found.append((i, doc[i:end].text.lower()))
                break
        else:
            if (low in lex.modals and tok.tag_ == "MD") or low in lex.words \
                    or tok.lemma_.lower() in lex.lemmas:
                found.append((i, low))
    return found


def stance_of(doc: Doc, cue: Sequence[int], content: Sequence[int]) -> Stance:
    """Stance of an attribution from its cue and content token indices."""
    lex = _lexicon()
    cls = cue_class_of(doc, cue) if cue else "assert"
    positions: set[int] = set(content)
    if cue:
        # The window stays in the cue's sentence when sentences are known.
        start, end = 0, len(doc)
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            sent = doc[min(cue)].sent
            start, end = sent.start, sent.end
        lo = max(start, min(cue) - lex.window)
        hi = min(end, max(cue) + lex.window + 1)
        positions.update(range(lo, hi))
    markers: dict[str, None] = {}
    covered: set[int] = set()
    # The cue word itself is not a marker ("estimated", "suggests" as cues): its class says it;
    # but an adverb cue hedges what it reports ("has [reportedly] met").
    single = {i for i in cue if doc[i].pos_ != "ADV"}
    for pos, marker in sorted(_markers_in(doc, sorted(positions))):
        if pos in covered or (pos in single and " " not in marker):
            continue  # a word inside a phrase already found ("up" then "to")
        covered.update(range(pos, pos + len(marker.split())))
        markers.setdefault(marker, None)
    found = tuple(markers)
    return Stance(cue_class=cls, hedged=bool(found) or cls in _HEDGING_CLASSES, markers=found)
