"""Article text cut into pieces at attribution offsets, each piece tagged with the role it plays
(source, cue, content) and the attribution it belongs to. The pieces are plain text: templates
render them with autoescaping, so the article's own markup never becomes markup."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Piece", "children_of", "pieces"]

_ROLES = ("source", "cue", "content")          # the first role covering a character wins
_PRIORITY = {role: i for i, role in enumerate(_ROLES)}


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    role: str | None = None        # source | cue | content | None (plain text)
    att: str | None = None         # the attribution id the role belongs to
    atts: tuple[str, ...] = ()     # every attribution covering the piece, innermost first


def _spans(att: Mapping[str, Any], role: str) -> Iterable[tuple[int, int]]:
    part = att.get(role) or {}
    for span in part.get("spans") or ():
        if len(span) == 2 and isinstance(span[0], int) and isinstance(span[1], int):
            yield span[0], span[1]


def pieces(text: str, attributions: Sequence[Mapping[str, Any]]) -> list[Piece]:
    """``text`` split at every span boundary; offsets outside the text are clipped."""
    n = len(text)
    marks: list[tuple[int, int, str, str]] = []   # start, end, role, attribution id
    for att in attributions:
        for role in _ROLES:
            for start, end in _spans(att, role):
                start, end = max(0, min(start, n)), max(0, min(end, n))
                if start < end:
                    marks.append((start, end, role, str(att.get("id", ""))))
    cuts = sorted({0, n, *(s for s, _, _, _ in marks), *(e for _, e, _, _ in marks)})
    out: list[Piece] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = [mk for mk in marks if mk[0] <= left and right <= mk[1]]
        if not covering:
            out.append(Piece(text[left:right]))
            continue
        covering.sort(key=lambda mk: (_PRIORITY[mk[2]], mk[1] - mk[0]))
        best = covering[0]
        inner = sorted(covering, key=lambda mk: mk[1] - mk[0])
        out.append(Piece(text[left:right], best[2], best[3], tuple(dict.fromkeys(mk[3] for mk in inner))))
    return out


def children_of(attributions: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Attribution id → the ids of the attributions nested in its content."""
    out: dict[str, list[str]] = {}
    for att in attributions:
        parent = att.get("parent")
        if parent:
            out.setdefault(str(parent), []).append(str(att.get("id")))
    return out
