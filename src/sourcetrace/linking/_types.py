"""Records of claim linking: a claim's comparable features and the decision made for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..records import DateMention, Quantity

__all__ = ["Assignment", "ClaimItem", "LinkSettings"]


@dataclass(frozen=True, slots=True)
class LinkSettings:
    """Every threshold of claim linking in one place (documented in docs/claims.md)."""

    threshold: float = 0.72            # cosine similarity at or above which two claims may be one
    neighbours: int = 10               # nearest neighbours looked at per new claim
    number_tolerance: float = 0.2      # relative difference up to which two numbers of one unit agree
    min_words: int = 4                 # shorter contents are not claims ("he said so")
    quote_floor: float = 0.45          # below threshold, a neighbour this similar still joins when
    quote_cover: float = 0.7           # … one text repeats this share of the other's words in a row
    require_entity_overlap: bool = True  # both name entities → at least one must be shared
    batch_size: int = 256              # claims embedded and written per transaction


DEFAULT_LINK_SETTINGS = LinkSettings()


@dataclass(frozen=True, slots=True)
class ClaimItem:
    """What linking compares: the claim's text and, for compatibility and mutations, its entities
    (resolved names), quantities and dates (offsets in the article), hedges and speaker."""

    key: int
    text: str
    published_at: datetime | None = None
    article: int | None = None
    outlet: str | None = None
    speaker: str | None = None            # resolved entity name, else the source as written
    speaker_kind: str = "unknown"
    entities: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()   # placed from the claim's own article's day
    markers: tuple[str, ...] = ()         # stance hedges of the attribution ("may", "reportedly")
    chain: tuple[str, ...] = ()           # sources from the outermost reporter to the speaker (and whom it cites)
    relay: bool = False                   # the article is a copy of another outlet's article
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def hedges(self) -> frozenset[str]:
        """Stance markers and number hedges ("up to"), lower-cased."""
        out = {m.casefold() for m in self.markers}
        out.update(q.hedge.casefold() for q in self.quantities if q.hedge)
        return frozenset(out)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where a claim went: its cluster, the neighbour it joined through (None: a new cluster)."""

    key: int
    cluster: int
    matched: int | None = None
    similarity: float | None = None
    rejected: tuple[tuple[int, str], ...] = ()  # close neighbours refused, with the reason
