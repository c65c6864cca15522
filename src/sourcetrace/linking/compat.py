"""Whether two similar claims can be one: their named entities and their numbers must agree.

Embeddings see "100,000 soldiers" and "10,000 soldiers" as near-identical; these rules do not.
Two claims are incompatible when

* both carry a number of the same unit (by what it counts, ``extract.quantities.unit_key``:
  "troops" and "soldiers" alike) and no pairing of those numbers agrees within the
  relative ``number_tolerance`` (so 100,000 vs 10,000 soldiers is refused, 98,000 vs 100,000 is
  one claim with a changed number, reported as a mutation);
* both name entities and none of one side's names can denote any of the other's (compared with
  ``extract.entities.same_entity``: "Kim Jong-un" ~ "Kim Jung-un", "Putin" ~ "Vladimir Putin").

Out of scope: units that need conversion ("1.5 million" vs "1,500 thousand" agree, "km" vs "miles"
do not), dates, and entities only named by description ("the Russian president").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

from ..extract.entities import same_entity
from ..extract.quantities import unit_key
from ..records import Quantity
from ._types import DEFAULT_LINK_SETTINGS, ClaimItem, LinkSettings

__all__ = ["compatible", "entities_agree", "numbers_agree", "quote_cover", "values_agree"]

_WORD = re.compile(r"\w+(?:['’.,]\w+)*", re.UNICODE)


def quote_cover(a: str, b: str) -> float:
    """The longest run of words the two texts share, as a share of the shorter text's words:
    1.0 when one is a partial quote of the other ("maybe there is, I don't know" inside the
    whole quote), low for texts that only share a stock phrase."""
    wa = [w.casefold() for w in _WORD.findall(a)]
    wb = [w.casefold() for w in _WORD.findall(b)]
    if not wa or not wb:
        return 0.0
    match = SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb))
    return match.size / min(len(wa), len(wb))


def values_agree(a: float, b: float, tolerance: float) -> bool:
    if a == b:
        return True
    scale = max(abs(a), abs(b))
    return scale > 0 and abs(a - b) / scale <= tolerance


def _by_unit(quantities: Iterable[Quantity]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for q in quantities:
        out.setdefault(unit_key(q.unit), []).append(q.value)
    return out


def numbers_agree(a: Iterable[Quantity], b: Iterable[Quantity], tolerance: float) -> tuple[bool, str]:
    """Numbers of every unit both sides count must have at least one agreeing pair."""
    ua, ub = _by_unit(a), _by_unit(b)
    for unit in sorted(ua.keys() & ub.keys()):
        if not any(values_agree(x, y, tolerance) for x in ua[unit] for y in ub[unit]):
            shown = unit or "(no unit)"
            return False, f"numbers differ: {ua[unit]} vs {ub[unit]} {shown}"
    return True, ""


def entities_agree(a: Iterable[str], b: Iterable[str]) -> tuple[bool, str]:
    names_a, names_b = list(dict.fromkeys(a)), list(dict.fromkeys(b))
    if not names_a or not names_b:
        return True, ""
    if any(same_entity(x, y)[0] for x in names_a for y in names_b):
        return True, ""
    return False, f"no shared entity: {names_a} vs {names_b}"


def compatible(a: ClaimItem, b: ClaimItem, settings: LinkSettings = DEFAULT_LINK_SETTINGS) -> tuple[bool, str]:
    """``(True, "")`` or ``(False, reason)``."""
    ok, why = numbers_agree(a.quantities, b.quantities, settings.number_tolerance)
    if not ok:
        return ok, why
    if settings.require_entity_overlap:
        return entities_agree(a.entities, b.entities)
    return True, ""
