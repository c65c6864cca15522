"""How a claim changed on its way through the news: each appearance against the first one.

Kinds, each with the two texts side by side:

* ``number``: a count of the same thing differs ("up to 100,000 soldiers" → "120,000 troops":
  units compared by ``extract.quantities.unit_key``), or a number one side gives is missing
  from the other;
* ``hedge-dropped`` / ``hedge-added``: a stance marker ("may", "reportedly", "allegedly") or a
  number hedge ("up to", "about") present on one side only;
* ``speaker``: the claim is put in the mouth of someone else (names compared with
  ``same_entity``), or a named source became anonymous or the reverse;
* ``date``: both tell when, and the calendar periods differ. Each date is placed from its own
  article's day, so "on Tuesday" in Wednesday's paper and "yesterday" in Wednesday's wire copy
  agree; a date one side leaves out, or cannot place, is no mutation (relays drop them often).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from ..extract.entities import same_entity
from ..extract.quantities import unit_key
from ._types import ClaimItem

__all__ = ["Mutation", "MutationKind", "mutations"]

MutationKind = Literal["number", "hedge-dropped", "hedge-added", "speaker", "date"]


@dataclass(frozen=True, slots=True)
class Mutation:
    kind: MutationKind
    claim: int            # the later appearance
    first: int            # the cluster's first appearance
    before: str | None    # the detail as first reported
    after: str | None     # the detail as this appearance has it
    first_text: str
    text: str

    @property
    def summary(self) -> str:
        """The change in words: 'dropped the hedge “could”', 'figure 100,000 soldiers → 120,000 troops'."""
        if self.kind == "hedge-dropped":
            return f"dropped the hedge “{self.before}”"
        if self.kind == "hedge-added":
            return f"added the hedge “{self.after}”"
        label = "figure" if self.kind == "number" else self.kind
        return f"{label} {self.before or '(none)'} → {self.after or '(none)'}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "summary": self.summary}


def _numbers(item: ClaimItem) -> dict[str, list[tuple[float, str]]]:
    out: dict[str, list[tuple[float, str]]] = {}
    for q in item.quantities:
        out.setdefault(unit_key(q.unit), []).append((q.value, q.text))
    return out


def _periods(item: ClaimItem) -> dict[tuple[object, object], str]:
    """The claim's placed dates: (start, end) → how the text put it, with the period."""
    return {(d.start, d.end): f"{d.text} ({d.period_label()})" for d in item.dates if d.start is not None}


def _speaker_of(item: ClaimItem) -> str | None:
    return item.speaker if item.speaker and item.speaker_kind != "anonymous" else None


def mutations(first: ClaimItem, later: ClaimItem) -> list[Mutation]:
    """What ``later`` reports differently from ``first`` (empty when it is the same claim told alike)."""
    out: list[Mutation] = []

    def add(kind: MutationKind, before: str | None, after: str | None) -> None:
        out.append(Mutation(kind, later.key, first.key, before, after, first.text, later.text))

    na, nb = _numbers(first), _numbers(later)
    for unit in sorted(na.keys() | nb.keys()):
        va = sorted(na.get(unit, []))
        vb = sorted(nb.get(unit, []))
        if [v for v, _ in va] != [v for v, _ in vb]:
            add("number", ", ".join(t for _, t in va) or None, ", ".join(t for _, t in vb) or None)
    ha, hb = first.hedges, later.hedges
    for hedge in sorted(ha - hb):
        add("hedge-dropped", hedge, None)
    for hedge in sorted(hb - ha):
        add("hedge-added", None, hedge)
    sa, sb = _speaker_of(first), _speaker_of(later)
    if (sa is None) != (sb is None) or (sa and sb and not same_entity(sa, sb)[0]):
        add("speaker", sa or first.speaker or "(unnamed)", sb or later.speaker or "(unnamed)")
    da, db = _periods(first), _periods(later)
    if da and db and da.keys() != db.keys():
        add("date", ", ".join(da[k] for k in sorted(da, key=str)), ", ".join(db[k] for k in sorted(db, key=str)))
    return out
