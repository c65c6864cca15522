"""Quotation spans from quote marks alone, before any parsing.

Handles straight and curly double marks and guillemets, mixed pairs (an opening ``"`` closed
by ``”``), quotes over several sentences, and the newspaper convention where a paragraph ends
with no closing mark and the quote continues in the next paragraph, which opens with a mark.
An unbalanced opening mark closes at its paragraph's end: the quote is kept, flagged unclosed.

Out of scope: single quote marks (too easily confused with apostrophes); scare quotes are
returned like any other quote and left to the attribution stage to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quote", "find_quotes"]

_OPENERS = frozenset("“«„")
_CLOSERS = frozenset("”»")
# Two apostrophes stand for a straight double mark in some wire and archive copy (''Yes,'' he said).
_MARKS = re.compile(r"''|[\"“”«»„]")
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Quote:
    start: int          # offset of the opening mark
    end: int            # offset just past the closing mark (or the paragraph's end when unclosed)
    closed: bool = True
    paragraphs: int = 1  # > 1 when it runs on across paragraphs

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1 if self.closed else self.end


def _looks_opening(text: str, i: int, width: int = 1) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    if after.isspace():
        return False
    return before.isspace() or before in "([{—–-/:" or i == 0


def _paragraph_quotes(
    text: str, start: int, end: int, open_at: int | None = None
) -> tuple[list[tuple[int, int, bool]], int | None]:
    """Quotes in one paragraph (``open_at``: a quote already open when it starts), and the
    offset of a mark still open at its end."""
    quotes: list[tuple[int, int, bool]] = []
    for m in _MARKS.finditer(text, start, end):
        i, mark = m.start(), m.group()
        if open_at is None:
            if mark in _OPENERS or _looks_opening(text, i, len(mark)) or i == start:
                open_at = i  # a closing-shaped mark in opening position is a typo for an opener
            # else: a stray closer, nothing to pair it with
        elif mark in _OPENERS and _looks_opening(text, i) and text[i - 1].isspace():
            # A second opener while one is open: the first was never closed.
            quotes.append((open_at, i, False))
            open_at = i
        else:
            quotes.append((open_at, i + len(mark), True))
            open_at = None
    return quotes, open_at


def find_quotes(text: str) -> list[Quote]:
    """Every double-quoted stretch of ``text``, in order, as character offsets."""
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    found: list[Quote] = []
    open_at: int | None = None
    spanned = 1  # paragraphs the open quote has run over
    for index, (start, end) in enumerate(paragraphs):
        scan_from = start
        if open_at is not None:  # a run-on quote: skip the mark that re-opens it
            head = text[start:end].lstrip()
            scan_from = start + len(text[start:end]) - len(head) + (2 if head.startswith("''") else 1)
            spanned += 1
        quotes, still_open = _paragraph_quotes(text, scan_from, end, open_at)
        for s, e, closed in quotes:
            found.append(Quote(s, e, closed, spanned if s == open_at else 1))
        if still_open is not None and still_open != open_at:
            spanned = 1
        open_at = still_open
        if open_at is not None and not _continues(text, paragraphs, index):
            found.append(Quote(open_at, end, False, spanned))
            open_at, spanned = None, 1
    return found


def _continues(text: str, paragraphs: list[tuple[int, int]], index: int) -> bool:
    """Does the next paragraph open with a quote mark (the run-on convention)?"""
    if index + 1 >= len(paragraphs):
        return False
    start, end = paragraphs[index + 1]
    head = text[start:end].lstrip()
    return bool(head) and (head[0] in '"“«„' or head.startswith("''"))
