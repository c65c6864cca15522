"""Scoring predicted attributions against gold: pure functions over character offsets.

Everything is measured on tokens from one simple regex (``\\w+|[^\\w\\s]``) so that scores do not
depend on the spaCy model being evaluated. A token belongs to a span if it overlaps it.

Metrics (all micro-averaged over the corpus):

- **token P/R/F1 per role** (source, cue, content): per document, the union of the role's tokens
  over all gold attributions against the same for predictions, so a token counts once per role.
- **content-matched attributions**: a one-to-one matching of predictions to gold where a pair is
  eligible when their content token F1 ≥ 0.5. The matching maximises the number of pairs, then
  their total content F1, exactly (Hungarian algorithm on each connected group of candidates).
- **end-to-end attributions**: its own one-to-one matching, where a pair is eligible only if it
  is content-eligible *and* the sources share a token or both are absent (no tokens).
- **exact-match rates** among content-matched pairs: equal token sets for content, source
  (two absent sources are equal), cue, and all three.
- **direct quotes**: gold attributions whose content starts with a quotation mark or whose
  content tokens lie ≥ 80% inside quotation marks; recall of the two matchings on them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from ..records import Attribution, Offsets
from .polnear import GoldAttribution, GoldDocument

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "CONTENT_F1_THRESHOLD",
    "Counts",
    "DocScore",
    "EvalReport",
    "ExactCounts",
    "is_direct_quote",
    "label_counts",
    "max_weight_matching",
    "score_corpus",
    "score_document",
    "spans_of",
    "tokenize",
]

CONTENT_F1_THRESHOLD = 0.5  # content token F1 for a predicted and a gold attribution to match
DIRECT_QUOTE_SHARE = 0.8  # share of content tokens inside quote marks that makes a direct quote
ROLES = ("source", "cue", "content")

_TOKEN = re.compile(r"\w+|[^\w\s]")
_OPENING_QUOTES = ('"', "\u201c")
# Quoted stretches never cross a line: a curly quote left open runs to the end of its paragraph
# (news style for quotes that go on in the next paragraph); straight quotes must pair up.
_QUOTED = re.compile(r"\u201c[^\u201d\n]*(?:\u201d|$)|\"[^\"\n]*\"", re.MULTILINE)

Tokens = frozenset[int]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives against the sizes of the predicted and gold sets."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.predicted + other.predicted, self.gold + other.gold)

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        total = self.predicted + self.gold
        return 2 * self.tp / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "predicted": self.predicted, "gold": self.gold}


@dataclass(frozen=True, slots=True)
class ExactCounts:
    """Among content-matched pairs: how many agree exactly (same tokens) on each role."""

    pairs: int = 0
    content: int = 0
    source: int = 0
    cue: int = 0
    full: int = 0

    def __add__(self, other: ExactCounts) -> ExactCounts:
        return ExactCounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def rate(self, name: str) -> float:
        return getattr(self, name) / self.pairs if self.pairs else 0.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"matched_pairs": self.pairs}
        out.update({name: round(self.rate(name), 4) for name in ("content", "source", "cue", "full")})
        return out


@dataclass(frozen=True, slots=True)
class DocScore:
    """One document's counts, kept for error analysis and summed into the report."""

    id: str
    gold: int
    predicted: int
    source_tokens: Counts
    cue_tokens: Counts
    content_tokens: Counts
    content_matched: Counts
    end_to_end: Counts
    exact: ExactCounts
    direct_quotes: int = 0
    direct_quotes_content_matched: int = 0
    direct_quotes_end_to_end: int = 0
    error: str | None = None  # why the engine gave no result (then predicted == 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "gold": self.gold,
            "predicted": self.predicted,
            "content_matched": self.content_matched.tp,
            "end_to_end": self.end_to_end.tp,
            "direct_quotes": self.direct_quotes,
            "direct_quotes_content_matched": self.direct_quotes_content_matched,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Corpus totals and the per-document scores they were summed from."""

    documents: tuple[DocScore, ...]
    tokens: dict[str, Counts] = field(default_factory=dict)
    content_matched: Counts = Counts()
    end_to_end: Counts = Counts()
    exact: ExactCounts = ExactCounts()
    direct_quotes: Counts = Counts()  # tp = content-matched gold direct quotes
    direct_quotes_end_to_end: Counts = Counts()

    @classmethod
    def from_documents(cls, documents: Iterable[DocScore]) -> EvalReport:
        docs = tuple(documents)

        def total(values: Iterable[Counts]) -> Counts:
            return sum(values, Counts())

        return cls(
            documents=docs,
            tokens={role: total(getattr(d, f"{role}_tokens") for d in docs) for role in ROLES},
            content_matched=total(d.content_matched for d in docs),
            end_to_end=total(d.end_to_end for d in docs),
            exact=sum((d.exact for d in docs), ExactCounts()),
            direct_quotes=total(Counts(d.direct_quotes_content_matched, 0, d.direct_quotes) for d in docs),
            direct_quotes_end_to_end=total(Counts(d.direct_quotes_end_to_end, 0, d.direct_quotes) for d in docs),
        )

    @property
    def failed(self) -> tuple[DocScore, ...]:
        return tuple(d for d in self.documents if d.error is not None)

    def headline(self) -> dict[str, float]:
        """The numbers the regression floors (tests/eval_floors.json) are pinned on."""
        out = {
            "end_to_end_f1": self.end_to_end.f1,
            "content_matched_f1": self.content_matched.f1,
            "direct_quote_content_recall": self.direct_quotes.recall,
        }
        out.update({f"{role}_token_f1": self.tokens[role].f1 for role in ROLES})
        return {k: round(v, 4) for k, v in out.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "failed_documents": len(self.failed),
            "gold_attributions": sum(d.gold for d in self.documents),
            "predicted_attributions": sum(d.predicted for d in self.documents),
            "metrics": self.headline(),
            "tokens": {role: self.tokens[role].to_dict() for role in ROLES},
            "attributions": {
                "content_matched": self.content_matched.to_dict(),
                "end_to_end": self.end_to_end.to_dict(),
            },
            "exact_match": self.exact.to_dict(),
            "direct_quotes": {
                "gold": self.direct_quotes.gold,
                "content_matched_recall": round(self.direct_quotes.recall, 4),
                "end_to_end_recall": round(self.direct_quotes_end_to_end.recall, 4),
            },
            "per_document": [d.to_dict() for d in self.documents],
        }

    def render(self, console: Console, worst: int = 10) -> None:
        """Rich tables: summary, token and attribution scores, exact matches, worst documents."""
        from rich.markup import escape
        from rich.table import Table

        def prf_row(name: str, c: Counts) -> list[str]:
            return [name, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}",
                    str(c.tp), str(c.predicted), str(c.gold)]

        def prf_table(title: str) -> Table:
            table = Table(title=title, title_justify="left")
            table.add_column("")
            for col in ("P", "R", "F1", "tp", "pred", "gold"):
                table.add_column(col, justify="right")
            return table

        gold = sum(d.gold for d in self.documents)
        predicted = sum(d.predicted for d in self.documents)
        console.print(f"[bold]{len(self.documents)}[/] documents ({len(self.failed)} failed), "
                      f"[bold]{gold}[/] gold and [bold]{predicted}[/] predicted attributions")
        if self.failed:
            reason, count = Counter(d.error for d in self.failed).most_common(1)[0]
            console.print(f"[yellow]most common failure ({count}×): {escape(reason or '')}[/]", highlight=False)

        tokens = prf_table("Tokens per role")
        for role in ROLES:
            tokens.add_row(*prf_row(role, self.tokens[role]))
        console.print(tokens)

        attributions = prf_table("Attributions (one-to-one, content F1 ≥ 0.5)")
        attributions.add_row(*prf_row("content-matched", self.content_matched))
        attributions.add_row(*prf_row("end-to-end (+ source)", self.end_to_end))
        console.print(attributions)

        exact = Table(title=f"Exact match among {self.exact.pairs} content-matched pairs", title_justify="left")
        for col in ("content", "source", "cue", "full"):
            exact.add_column(col, justify="right")
        exact.add_row(*(f"{self.exact.rate(c):.3f}" for c in ("content", "source", "cue", "full")))
        console.print(exact)

        console.print(f"Direct quotes: [bold]{self.direct_quotes.gold}[/] gold, content-matched recall "
                      f"[bold]{self.direct_quotes.recall:.3f}[/], end-to-end recall "
                      f"{self.direct_quotes_end_to_end.recall:.3f}")

        ranked = sorted(self.documents, key=lambda d: (d.gold - d.end_to_end.tp, d.id), reverse=True)[:worst]
        if ranked:
            table = Table(title=f"Most missed gold attributions (top {len(ranked)})", title_justify="left")
            table.add_column("document", overflow="fold")  # the only column that may narrow
            for col in ("gold", "pred", "content", "end-to-end", "missed"):
                table.add_column(col, justify="right", no_wrap=True)
            for d in ranked:
                name = escape(d.id) + (" [red](failed)[/]" if d.error else "")
                table.add_row(name, str(d.gold), str(d.predicted), str(d.content_matched.tp),
                              str(d.end_to_end.tp), str(d.gold - d.end_to_end.tp))
            console.print(table)


# --------------------------------------------------------------------------- tokens and spans


def tokenize(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the scoring tokens of ``text``."""
    return [m.span() for m in _TOKEN.finditer(text)]


@dataclass(frozen=True, slots=True)
class _TokenIndex:
    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, text: str) -> _TokenIndex:
        spans = tokenize(text)
        return cls([s for s, _ in spans], [e for _, e in spans])

    def tokens(self, spans: Offsets | None) -> Tokens:
        """Indices of the tokens overlapping any of ``spans`` (none for empty spans)."""
        out: set[int] = set()
        for start, end in spans or ():
            if end > start:
                out.update(range(bisect_right(self.ends, start), bisect_left(self.starts, end)))
        return frozenset(out)


def spans_of(attribution: Attribution) -> GoldAttribution:
    """The role offsets of an engine attribution, in the shape gold is read in."""
    source = attribution.source.spans if attribution.source and attribution.source.spans else None
    return GoldAttribution(source=source, cue=attribution.cue.spans, content=attribution.content.spans)


def label_counts(predicted: Sequence[str], gold: Sequence[str], role: str) -> tuple[Counts, bool]:
    """A tagger's labels against gold for one role (labels ending in ``role``, so "B-SRC" and
    "I-SRC" count alike): token counts, and whether the two token sets are the same."""
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predicted labels for {len(gold)} gold ones")
    mine = {k for k, label in enumerate(predicted) if label.endswith(role)}
    theirs = {k for k, label in enumerate(gold) if label.endswith(role)}
    return Counts(len(mine & theirs), len(mine), len(theirs)), mine == theirs


def _f1(a: Tokens, b: Tokens) -> float:
    total = len(a) + len(b)
    return 2 * len(a & b) / total if total else 0.0


def _quoted_tokens(text: str, index: _TokenIndex) -> Tokens:
    return index.tokens(tuple(m.span() for m in _QUOTED.finditer(text)))


def is_direct_quote(text: str, content: Offsets) -> bool:
    """Whether a content span is a direct quote: it opens with a quotation mark, or ≥ 80% of
    its tokens lie inside quotation marks (straight or curly)."""
    index = _TokenIndex.of(text)
    return _is_direct_quote(text, content, _quoted_tokens(text, index), index)


def _is_direct_quote(text: str, content: Offsets, quoted: Tokens, index: _TokenIndex) -> bool:
    if not content:
        return False
    first = min(content)
    if text[first[0]:first[1]].lstrip().startswith(_OPENING_QUOTES):
        return True
    tokens = index.tokens(content)
    return bool(tokens) and len(tokens & quoted) >= DIRECT_QUOTE_SHARE * len(tokens)


# --------------------------------------------------------------------------- matching


def _hungarian(cost: list[list[float]]) -> list[int]:
    """Minimum-cost assignment for an n×m cost matrix with n ≤ m: the column of each row.

    Shortest augmenting paths with row and column potentials, O(n²·m).
    """
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    row_of = [0] * (m + 1)  # row_of[j]: 1-based row assigned to column j (0 = none); column 0 is virtual
    for i in range(1, n + 1):
        row_of[0] = i
        j0 = 0
        min_to = [inf] * (m + 1)
        came_from = [0] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = row_of[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if reduced < min_to[j]:
                        min_to[j], came_from[j] = reduced, j0
                    if min_to[j] < delta:
                        delta, j1 = min_to[j], j
            for j in range(m + 1):
                if used[j]:
                    u[row_of[j]] += delta
                    v[j] -= delta
                else:
                    min_to[j] -= delta
            j0 = j1
            if row_of[j0] == 0:
                break
        while j0:  # flip the augmenting path
            j1 = came_from[j0]
            row_of[j0] = row_of[j1]
            j0 = j1
    col_of = [0] * n
    for j in range(1, m + 1):
        if row_of[j]:
            col_of[row_of[j] - 1] = j - 1
    return col_of


def max_weight_matching(weights: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """A one-to-one matching over the eligible pairs ``(i, j) → weight`` (weights in (0, 1]) that
    has the most pairs and, among those, the largest total weight. Exact; pairs sorted.

    Candidates split into connected groups first: in news text nearly every group is one pair.
    """
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in weights:
        parent[find(("r", i))] = find(("c", j))
    groups: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for i, j in weights:
        groups.setdefault(find(("r", i)), []).append((i, j))

    matched: list[tuple[int, int]] = []
    for pairs in groups.values():
        if len(pairs) == 1:
            matched.extend(pairs)
            continue
        rows = sorted({i for i, _ in pairs})
        cols = sorted({j for _, j in pairs})
        transpose = len(rows) > len(cols)
        if transpose:
            rows, cols = cols, rows
        # Every pair is worth more than any total of weights, so the count is maximised first.
        bonus = float(len(rows) + 1)
        value = {((j, i) if transpose else (i, j)): bonus + weights[i, j] for i, j in pairs}
        cost = [[-value.get((r, c), 0.0) for c in cols] for r in rows]
        for r_idx, c_idx in enumerate(_hungarian(cost)):
            key = (rows[r_idx], cols[c_idx])
            if key in value:
                matched.append((key[1], key[0]) if transpose else key)
    return sorted(matched)


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class _Tokenised:
    source: Tokens
    cue: Tokens
    content: Tokens


def _tokenised(index: _TokenIndex, a: GoldAttribution) -> _Tokenised:
    return _Tokenised(index.tokens(a.source), index.tokens(a.cue), index.tokens(a.content))


def _role_counts(gold: list[_Tokenised], pred: list[_Tokenised], role: str) -> Counts:
    g = frozenset().union(*(getattr(a, role) for a in gold))
    p = frozenset().union(*(getattr(a, role) for a in pred))
    return Counts(len(g & p), len(p), len(g))


def _sources_agree(a: Tokens, b: Tokens) -> bool:
    return bool(a & b) or (not a and not b)


def score_document(gold: GoldDocument, predicted: Sequence[GoldAttribution], error: str | None = None) -> DocScore:
    """Counts for one document. ``predicted`` uses the gold record shape (see ``spans_of``)."""
    index = _TokenIndex.of(gold.text)
    g = [_tokenised(index, a) for a in gold.attributions]
    p = [_tokenised(index, a) for a in predicted]

    content_f1 = {(i, j): f for i, pa in enumerate(p) for j, ga in enumerate(g)
                  if (f := _f1(pa.content, ga.content)) >= CONTENT_F1_THRESHOLD}
    content_pairs = max_weight_matching(content_f1)
    e2e_pairs = max_weight_matching({(i, j): f for (i, j), f in content_f1.items()
                                     if _sources_agree(p[i].source, g[j].source)})

    exact = ExactCounts()
    for i, j in content_pairs:
        same = [getattr(p[i], role) == getattr(g[j], role) for role in ("content", "source", "cue")]
        exact += ExactCounts(1, *map(int, same), int(all(same)))

    quoted = _quoted_tokens(gold.text, index)
    direct = {j for j, a in enumerate(gold.attributions) if _is_direct_quote(gold.text, a.content, quoted, index)}
    return DocScore(
        id=gold.id,
        gold=len(g),
        predicted=len(p),
        source_tokens=_role_counts(g, p, "source"),
        cue_tokens=_role_counts(g, p, "cue"),
        content_tokens=_role_counts(g, p, "content"),
        content_matched=Counts(len(content_pairs), len(p), len(g)),
        end_to_end=Counts(len(e2e_pairs), len(p), len(g)),
        exact=exact,
        direct_quotes=len(direct),
        direct_quotes_content_matched=sum(j in direct for _, j in content_pairs),
        direct_quotes_end_to_end=sum(j in direct for _, j in e2e_pairs),
        error=error,
    )


def score_corpus(items: Iterable[tuple[GoldDocument, Sequence[GoldAttribution], str | None]]) -> EvalReport:
    """The report over ``(gold document, predicted attributions, error or None)`` triples."""
    return EvalReport.from_documents(score_document(gold, pred, err) for gold, pred, err in items)
