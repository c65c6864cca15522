"""Quotation spans from quote marks alone, before any parsing.

Handles straight and curly double marks and guillemets, mixed pairs (an opening ``"`` closed
by ``”``), quotes over several sentences, and the newspaper convention where a paragraph ends
with no closing mark and the quote continues in the next paragraph, which opens with a mark.
An unbalanced opening mark closes at its paragraph's end: the quote is kept, flagged unclosed.

Single marks ('…' and ‘…’, the British and tabloid convention) are quotes in a document that
opens more quotes with them than with double marks, and only there: elsewhere a single mark
is an apostrophe or a quote nested in a double-quoted one, which the outer quote already covers.
Even in such a document a single mark is not read as a quote mark inside a word (Putin's,
Kim Jong'un), as an elision ('90s, 'em, rock 'n' roll), or after a plural before its noun
(the soldiers' families). Scare quotes are returned like any other quote and left to the
attribution stage to judge.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

__all__ = ["SINGLE_MARKS", "Quote", "find_quotes", "mark_offsets", "quotes_within_quotes"]

_OPENERS = frozenset(("“", "«", "„", "``"))
_CLOSERS = frozenset("”»")
# Two apostrophes stand for a straight double mark in some wire and archive copy (''Yes,'' he said),
# and two backticks open one in text typed for TeX or the Penn Treebank (``Yes,'' he said).
_MARKS = re.compile(r"``|''|[\"“”«»„]")
_TWO_CHARACTER_MARKS = ("''", "``")
_PARAGRAPH = re.compile(r"\S[^\r\n]*")  # a line from its first visible character; "\r\n" ends one too
SINGLE_MARKS = frozenset("'‘’")  # quote marks only where a document quotes with them
_SINGLE = re.compile(r"(?<!')'(?!')|[‘’]")  # two apostrophes together are a double mark
# What a single mark in opening position elides, not opens: 'em, 'til, 'n', '90s, '16.
_ELISION = re.compile(r"(?:em|tis|twas|til|cause|n\b|\d0s|\d\d\b)", re.IGNORECASE)
_CLOSE_BEFORE = frozenset(".,;:!?)]}―—–-…\"”")  # what may follow a closing single mark ("…’― Name")


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
    return before.isspace() or before in "([{―—–-/:" or i == 0


def _glued_opener(text: str, i: int, mark: str) -> bool:
    """A straight double mark between a comma and a word, with no quote open: copy scraped
    from web pages loses the space in 'said,"Talks will …"'. (A single mark there closes:
    "'It doesn't matter,'".)"""
    return mark == '"' and 0 < i < len(text) - 1 and text[i - 1] == "," and text[i + 1].isalnum()


def _paragraph_quotes(
    text: str, start: int, end: int, open_at: int | None = None
) -> tuple[list[tuple[int, int, bool]], int | None]:
    """Quotes in one paragraph (``open_at``: a quote already open when it starts), and the
    offset of a mark still open at its end."""
    quotes: list[tuple[int, int, bool]] = []
    for m in _MARKS.finditer(text, start, end):
        i, mark = m.start(), m.group()
        if open_at is None:
            if mark in _OPENERS or _looks_opening(text, i, len(mark)) or _glued_opener(text, i, mark) or i == start:
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


def _single_role(text: str, i: int) -> str | None:
    """What the single mark at ``i`` does: "open", "close", "close?" (closes, or is a plural's
    possessive), or nothing (an apostrophe)."""
    mark = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return None  # inside a word: Putin's, Jong'un, don’t
    if _looks_opening(text, i):
        # A right-shaped mark in opening position elides ("’90s"), as do the usual elisions.
        return None if mark == "’" or _ELISION.match(text, i + 1) else "open"
    # Punctuation, the mark, a capital: a closer that lost its space ("to fight,’Korotchenko said").
    glued = before in ",.!?" and after.isupper()
    if not before.isspace() and (after.isspace() or after in _CLOSE_BEFORE or glued) and mark != "‘":
        if before in "sS" and re.match(r" [a-z]", text[i + 1 : i + 3]):
            return "close?"  # or a plural's possessive before its noun: the soldiers' families
        return "close"
    return None


def _single_paragraph_quotes(
    text: str, start: int, end: int, open_at: int | None = None
) -> tuple[list[tuple[int, int, bool]], int | None]:
    """``_paragraph_quotes`` for single marks, which say by their position what they do."""
    quotes: list[tuple[int, int, bool]] = []
    marks = [(m.start(), _single_role(text, m.start())) for m in _SINGLE.finditer(text, start, end)]
    sure_after: list[str | None] = [None] * len(marks)  # the next sure role after each mark
    for k in range(len(marks) - 2, -1, -1):
        role = marks[k + 1][1]
        sure_after[k] = role if role in ("open", "close") else sure_after[k + 1]
    for k, (i, role) in enumerate(marks):
        if role == "close?":
            # "channels' that" closes 'diplomatic channels' unless a surer closer follows
            # before the next opener, as in 'The soldiers' families are ready,' he said.
            role = "close" if sure_after[k] != "close" else None
        if role == "open":
            if open_at is not None:  # a second opener while one is open: the first was never closed
                quotes.append((open_at, i, False))
            open_at = i
        elif role == "close" and open_at is not None:
            quotes.append((open_at, i + 1, True))
            open_at = None
    return quotes, open_at


def _uses_single_marks(text: str) -> bool:
    """Does the document quote with single marks? At least as many quotes opened by single
    marks as by double ones (half its double marks): "…, who said: 'There are reports …'" beside
    one "ready to act" is read with both, as are American headlines' single quotes over a story
    that quotes once."""
    doubles = len(_MARKS.findall(text)) / 2
    opening = 0
    for m in _SINGLE.finditer(text):
        if _single_role(text, m.start()) == "open":
            opening += 1
            if opening >= doubles:
                return True
    return False


def find_quotes(text: str) -> list[Quote]:
    """Every quoted stretch of ``text``, in order, as character offsets: double marks, and
    single ones too in a document that quotes with them (a quote inside another is left out)."""
    doubles = _quotes(text, single=False)
    everywhere = _uses_single_marks(text)
    if not everywhere and "'" not in text and "‘" not in text:
        return doubles
    starts = [d.start for d in doubles]

    def crosses_a_double(q: Quote) -> bool:  # overlaps one without either holding the other
        for k in range(max(0, bisect_left(starts, q.start) - 1), len(doubles)):
            d = doubles[k]
            if d.start >= q.end:
                return False
            if d.end > q.start and not _holds(q, d) and not _holds(d, q):
                return True
        return False

    singles = [q for q in _quotes(text, single=True) if not crosses_a_double(q)
               and (everywhere or (q.closed and q.paragraphs == 1 and _after_a_colon(text, q.start)))]
    merged = sorted(doubles + singles, key=lambda q: (q.start, -q.end))
    outermost: list[Quote] = []
    for q in merged:  # the family is now nested or disjoint: keep the outer quotes
        if not outermost or q.start >= outermost[-1].end:
            outermost.append(q)
    return outermost


def _after_a_colon(text: str, i: int) -> bool:
    """Does the mark at ``i`` follow a colon ("…, who said: 'There are reports …'")? There a
    single mark opens a quote even in copy that quotes with double marks."""
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j >= 0 and text[j] == ":"


def quotes_within_quotes(text: str) -> list[Quote]:
    """The single-mark quotes inside double-mark ones ("“They thought Obama saying, ‘Hey, go
    vote’ would do it”"), closed within the paragraph: the marks British copy prints double."""
    inner: list[Quote] = []
    for outer in _quotes(text, single=False):
        for m in _PARAGRAPH.finditer(text, outer.start + 1, outer.end - 1):
            quotes, _ = _single_paragraph_quotes(text, m.start(), m.end())
            inner += [Quote(start, end, True) for start, end, closed in quotes if closed]
    return inner


def _holds(outer: Quote, inner: Quote) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _quotes(text: str, single: bool) -> list[Quote]:
    in_paragraph = _single_paragraph_quotes if single else _paragraph_quotes
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    found: list[Quote] = []
    open_at: int | None = None
    spanned = 1  # paragraphs the open quote has run over
    for index, (start, end) in enumerate(paragraphs):
        scan_from = start
        if open_at is not None:  # a run-on quote: skip the mark that re-opens it
            head = text[start:end].lstrip()
            scan_from = start + len(text[start:end]) - len(head) + (2 if head.startswith(_TWO_CHARACTER_MARKS) else 1)
            spanned += 1
        quotes, still_open = in_paragraph(text, scan_from, end, open_at)
        for s, e, closed in quotes:
            found.append(Quote(s, e, closed, spanned if s == open_at else 1))
        if still_open is not None and still_open != open_at:
            spanned = 1
        open_at = still_open
        if open_at is not None and not _continues(text, paragraphs, index, single):
            found.append(Quote(open_at, end, False, spanned))
            open_at, spanned = None, 1
    return found


def _continues(text: str, paragraphs: list[tuple[int, int]], index: int, single: bool = False) -> bool:
    """Does the next paragraph open with a quote mark (the run-on convention)?"""
    if index + 1 >= len(paragraphs):
        return False
    start, end = paragraphs[index + 1]
    head = text[start:end].lstrip()
    if single:
        at = end - len(head)
        return bool(head) and head[0] in "'‘" and _single_role(text, at) == "open"
    return bool(head) and (head[0] in '"“«„' or head.startswith(_TWO_CHARACTER_MARKS))


def mark_offsets(text: str, quotes: list[Quote]) -> set[int]:
    """Offsets of the marks that open, reopen (a run-on paragraph) or close each quote."""
    offsets: set[int] = set()
    for q in quotes:
        offsets.add(q.start)
        if q.closed:
            offsets.add(q.end - 1)
        for m in re.finditer(r"\n[^\S\n]*(?=\S)", text[q.start : q.end]):
            offsets.add(q.start + m.end())
    return offsets
