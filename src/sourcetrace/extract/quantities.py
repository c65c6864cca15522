"""Numbers with their unit and hedge: "up to 100,000 North Korean soldiers" → 100000.0 soldiers, "up to".

One linear pass over the tokens. A number is a run of digit tokens ("100,000", "1.5", "3bn") and
number words ("two", "hundred", "a dozen", "tens of thousands"); its value is computed with the
usual scale arithmetic. The unit is a currency ("$", "dollars" → "dollars"), "percent", or else the
noun the number counts (the head of ``nummod``; "of"-objects after vague plurals: "thousands of
troops"), lower-cased, without its modifiers. The hedge is the longest phrase from the lexicon
right before the number. Vague plurals carry their own hedge: "tens of thousands" → 10000,
hedge "tens of".

Skipped: dates, times, ordinals, years used as dates, numbers inside names ("G7", "Boeing 737"),
phone-number-like tokens, and bare small number words without a unit ("the two said").
Out of scope: ranges as one quantity ("2,000-3,000" gives two), fractions ("half"), negative
numbers, unit conversion, European decimal commas.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Token

from ..records import Quantity

__all__ = ["extract_quantities", "parse_number", "unit_key"]

_DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-z]{0,3})$")
# Digit groups glued by separators with at least two separators: phones, ids ("555-123-4567").
_PHONE = re.compile(r"^\+?\(?\d+\)?(?:[-.]\d+){2,}$|^\+\d[\d\-.()]{6,}$")
_MAX_HEDGE_TOKENS = 4
_IDENTIFIER_MARKS = frozenset({"no.", "nos.", "#"})
_PARTITIVE_DETS = frozenset({"the", "them", "those", "these", "his", "her", "their", "its", "our", "us",
                             "my", "your", "you", "which", "whom"})


@dataclass(frozen=True)
class _Lexicon:
    hedges: dict[tuple[str, ...], str]
    small: dict[str, float]
    multipliers: dict[str, float]
    scales: dict[str, float]
    vague: dict[str, float]
    symbols: dict[str, str]
    units: dict[tuple[str, ...], str]
    skip_labels: frozenset[str]
    years: tuple[int, int]
    same_things: dict[str, str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    d: dict[str, Any] = json.loads(
        resources.files("sourcetrace.data").joinpath("quantities.json").read_text("utf-8"))
    return _Lexicon(
        hedges={tuple(h.split()): h for h in d["hedges"]},
        small={k: float(v) for k, v in d["small_numbers"].items()},
        multipliers={k: float(v) for k, v in d["multipliers"].items()},
        scales={k: float(v) for k, v in d["scales"].items()},
        vague={k: float(v) for k, v in d["vague_plurals"].items()},
        symbols=d["currency_symbols"],
        units={tuple(k.split()): v for k, v in d["units"].items()},
        skip_labels=frozenset(d["skip_entity_labels"]),
        years=(int(d["year_range"][0]), int(d["year_range"][1])),
        same_things=d["same_things"],
    )


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=4096)
def unit_key(unit: str | None) -> str:
    """What a unit counts, for telling whether two articles' numbers count the same thing:
    "troops" and "soldiers" → "soldier", "casualties" → "casualty", "km" → "kilometre". Only
    for comparing: a quantity keeps its unit as written."""
    words = (unit or "").casefold().split()
    if not words:
        return ""
    same = _lexicon().same_things
    phrase = " ".join(words[:-1] + [_singular(words[-1])])
    return same.get(phrase) or same.get(" ".join(words)) or phrase


def _digit_value(text: str) -> float | None:
    """'100,000' → 100000, '1.5' → 1.5, '3bn' → 3e9; None if not a plain number."""
    m = _DIGITS.match(text.lower())
    if not m:
        return None
    value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
    suffix = m.group(3)
    if suffix:
        scale = _lexicon().scales.get(suffix)
        if scale is None:
            return None  # "3rd", "10th", "5pm"
        value *= scale
    return value


def _abbrev(word: str) -> str:
    """"m." at a sentence end is the scale "m"."""
    return word[:-1] if len(word) > 1 and word.endswith(".") and word[:-1].isalpha() else word


def parse_number(words: list[str]) -> float | None:
    """Value of a number written as tokens: ["1.5", "million"], ["two", "hundred", "and", "five"]."""
    lex = _lexicon()
    total, current, seen = 0.0, 0.0, False
    for w in words:
        w = _abbrev(w.lower())
        if w in ("and", "-", "a", "an"):
            if w in ("a", "an"):
                current, seen = current or 1.0, True
            continue
        digit = _digit_value(w)
        if digit is not None:
            current += digit
        elif w in lex.small:
            current += lex.small[w]
        elif w in lex.multipliers:
            current = (current or 1.0) * lex.multipliers[w]
        elif w in lex.scales:
            total += (current or 1.0) * lex.scales[w]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def _is_number_word(tok: Token) -> bool:
    lex = _lexicon()
    low = _abbrev(tok.lower_)
    if low in lex.scales and len(low) <= 3:
        # "m"/"bn" count only glued to a number: "£3.5m" tokenised as "£", "3.5", "m".
        prev = tok.doc[tok.i - 1] if tok.i > 0 else None
        return prev is not None and not prev.whitespace_ and _digit_value(prev.text) is not None
    return (_digit_value(tok.text) is not None or low in lex.small or low in lex.multipliers
            or low in lex.scales)


def _chunk(tok: Token) -> str:
    """The whitespace-delimited piece of text around a token ("555-123-4567" for "123")."""
    doc = tok.doc
    # Widen token by token (Doc.text would rebuild the whole string on every call).
    i, j = tok.i, tok.i
    while i > 0 and not doc[i - 1].whitespace_:
        i -= 1
    while j + 1 < len(doc) and not doc[j].whitespace_:
        j += 1
    return doc[i: j + 1].text.strip(".,;:!?()[]\"'")


def _skip(tok: Token) -> bool:
    lex = _lexicon()
    if tok.ent_type_ in lex.skip_labels:
        return True
    text = tok.text
    if any(ch in text for ch in ":/"):
        return True
    doc, i = tok.doc, tok.i
    prev = doc[i - 1].lower_ if i > 0 else ""
    if prev == "." and i > 1 and not doc[i - 2].whitespace_:
        prev = doc[i - 2].lower_ + "."  # "No. 2" is sometimes tokenised "No", ".", "2"
    if prev in _IDENTIFIER_MARKS:
        return True  # "mine No. 2", "#3": a name, not an amount
    return tok.is_digit and _PHONE.match(_chunk(tok)) is not None


def _is_year(tok: Token) -> bool:
    lo, hi = _lexicon().years
    return tok.text.isdigit() and len(tok.text) == 4 and lo <= int(tok.text) <= hi


def _hedge_before(doc: Doc, start: int) -> tuple[int, str | None]:
    """Longest lexicon hedge ending right before token ``start``: (its first token, phrase)."""
    hedges = _lexicon().hedges
    for n in range(min(_MAX_HEDGE_TOKENS, start), 0, -1):
        words = tuple(t.lower_ for t in doc[start - n: start])
        if words in hedges:
            return start - n, hedges[words]
    return start, None


def _unit_after(doc: Doc, end: int) -> tuple[int, str] | None:
    """A unit word right after the number ("percent", "per cent", "dollars"): (last token, unit)."""
    units = _lexicon().units
    for n in (2, 1):
        if end + n <= len(doc):
            words = tuple(t.lower_ for t in doc[end: end + n])
            if words in units:
                return end + n - 1, units[words]
    return None


def _counted_noun(doc: Doc, start: int, end: int) -> Token | None:
    """The noun the number tokens doc[start:end] count: their head outside the run, if after it."""
    for tok in doc[start:end]:
        head = tok.head
        if head.i >= end and tok.dep_ in ("nummod", "compound", "quantmod", "amod", "nmod", "det") \
                and head.pos_ in ("NOUN", "PROPN") and not head.like_num and head.i - end <= 5 \
                and head.lower_ not in _lexicon().vague \
                and not any(t.is_punct and t.text not in "-" for t in doc[end: head.i]):
            return head
    nxt = doc[end] if end < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        # "thousands of troops", "a million of them" (pronoun objects are not units).
        for child in nxt.children:
            if child.dep_ == "pobj" and child.pos_ in ("NOUN", "PROPN"):
                return child
    if nxt is not None and nxt.pos_ == "NOUN" and nxt.tag_ in ("NNS", "NN") and not nxt.like_num:
        return nxt
    return None


def _vague_run(doc: Doc, i: int) -> tuple[int, float, str] | None:
    """'tens of thousands' / 'hundreds of' / 'dozens': (end token, value, hedge)."""
    lex = _lexicon()
    low = doc[i].lower_
    if low not in lex.vague:
        return None
    value, end = lex.vague[low], i + 1
    if end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].lower_ in lex.vague:
        value *= lex.vague[doc[end + 1].lower_]  # tens of thousands
        end += 2
    elif end < len(doc) and doc[end].lower_ in lex.vague:
        value *= lex.vague[doc[end].lower_]  # "hundreds thousands" (rare)
        end += 1
    # The hedge reads as written: "tens of" (thousands), "thousands of" (troops), "thousands".
    with_of = (end > i + 1) or (end < len(doc) and doc[end].lower_ == "of")
    return end, value, f"{low} of" if with_of else low


def _number_run(doc: Doc, i: int) -> int:
    """End (exclusive) of the run of number tokens starting at ``i``; negated when phone-like."""
    lex = _lexicon()
    end = i
    while end < len(doc):
        tok = doc[end]
        if _is_number_word(tok) and not _skip(tok):
            end += 1
            if end - i >= 2 and tok.is_digit and doc[end - 2].is_digit:
                # "+7 495 123 45 67": digit groups in a row are an identifier, never one number.
                while end < len(doc) and doc[end].is_digit:
                    end += 1
                return -end
        elif tok.text in ("-", "and") and end > i and end + 1 < len(doc) and (
                doc[end + 1].lower_ in lex.small) and (
                doc[end - 1].lower_ in lex.small or doc[end - 1].lower_ in lex.multipliers
                or doc[end - 1].lower_ in lex.scales):
            end += 1  # twenty-five, two hundred and five
        else:
            break
    return end


_HAS_DIGIT = re.compile(r"\d")


def extract_quantities(doc: Doc, text: str | None = None) -> list[Quantity]:
    """Quantities of the document in order of appearance (``text``: ``doc.text``, where the
    caller has it already: the property joins every token on each access)."""
    lex = _lexicon()
    text = doc.text if text is None else text
    out: list[Quantity] = []
    i = 0
    n = len(doc)
    # Only digits and number words can start a quantity: test the strings before making Tokens,
    # which is most of this function's cost on a long article.
    strings = doc.vocab.strings
    lowers = [strings[key] for key in doc.to_array("LOWER").tolist()] if len(doc) else []
    starters = {"a", "an", *lex.vague, *lex.small, *lex.multipliers, *lex.scales}
    while i < n:
        low = lowers[i]
        if low not in starters and _abbrev(low) not in starters and not _HAS_DIGIT.search(low):
            i += 1
            continue
        tok = doc[i]
        vague_hedge: str | None = None
        if _skip(tok):
            i += 1
            continue
        vague = _vague_run(doc, i)
        if vague is not None:
            end, value, vague_hedge = vague
            num_start = i
        elif tok.lower_ in ("a", "an") and i + 1 < n and (
                doc[i + 1].lower_ in lex.multipliers or doc[i + 1].lower_ in lex.scales) \
                and not _skip(doc[i + 1]):
            num_start, end = i, _number_run(doc, i + 1)
            if end < 0:
                i = -end
                continue
            value_ = parse_number([t.text for t in doc[i:end]])
            if value_ is None:
                i += 1
                continue
            value = value_
        elif _is_number_word(tok):
            num_start, end = i, _number_run(doc, i)
            if end < 0:
                i = -end
                continue
            value_ = parse_number([t.text for t in doc[i:end]])
            if value_ is None or end == i:
                i += 1
                continue
            value = value_
        else:
            i += 1
            continue
        run = doc[num_start:end]
        # Years as dates ("in 2024") and numbers that are parts of names are not quantities.
        if len(run) == 1 and _is_year(run[0]) and (num_start == 0 or doc[num_start - 1].tag_ != "$"):
            i = end
            continue
        # Currency symbol before the number ("$3bn", "US$ 5m").
        unit: str | None = None
        first = num_start
        if first > 0 and doc[first - 1].lower_ in lex.symbols:
            unit = lex.symbols[doc[first - 1].lower_]
            first -= 1
        last = end - 1
        after = _unit_after(doc, end)
        if after is not None and (unit is None or after[1] == unit):
            last, unit = after
        elif unit is None:
            noun = _counted_noun(doc, num_start, end)
            if noun is not None:
                # Common nouns lower-cased; proper plurals keep their case ("Ukrainians").
                unit = lex.units.get((noun.lower_,),
                                     noun.text if noun.pos_ == "PROPN" else noun.lower_)
                last = noun.i
        hedge_start, hedge = _hedge_before(doc, first)
        if vague_hedge is not None:
            hedge = vague_hedge if hedge is None else f"{hedge} {vague_hedge}"
        # Bare small number words ("the two said") and partitives ("one of the things") are
        # noise, not quantities.
        wordy = not any(ch.isdigit() for ch in run.text)
        partitive = end + 1 < n and doc[end].lower_ == "of" and doc[end + 1].lower_ in _PARTITIVE_DETS
        if wordy and (partitive or (unit is None and value < 100)) and vague_hedge is None:
            i = end
            continue
        start_char = doc[hedge_start].idx
        end_char = doc[last].idx + len(doc[last].text)
        if doc[last].text.endswith(".") and _abbrev(doc[last].lower_) in lex.scales:
            end_char -= 1  # "£3.5m." at a sentence end: the full stop is not part of it
        out.append(Quantity(span=(start_char, end_char), text=text[start_char:end_char],
                            value=float(value), unit=unit, hedge=hedge))
        i = max(end, last + 1) if unit is not None and after is not None else end
    return out
