"""Claim traces built in memory, for exports of any size: claims that share outlets, speakers
(named, organisations, anonymous) and articles, with chains through an outlet and wire copies.
Article ids start at 101, clear of the fictional newsroom's (conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from sourcetrace.linking import Appearance, ClaimTrace

OUTLETS = ("Nordwire", "Daily Planet", "Coast Gazette", "Evening Post")
SPEAKERS = (("Igor Korotchenko", "person"), ("Ministry of Defence", "organization"),
            ("officials", "anonymous"), ("Anna Berg", "person"))


class _Article(NamedTuple):
    id: int
    outlet: str
    title: str
    url: str
    published_at: str


def _article(article_id: int) -> _Article:
    """An article's fields depend on its id only, as they do in the store."""
    outlet = OUTLETS[article_id % len(OUTLETS)]
    return _Article(article_id, outlet, f"{outlet}: story {article_id}",
                    f"https://{outlet.split()[0].lower()}.example/story?id={article_id}&page=1",
                    f"2026-03-{article_id % 28 + 1:02d}T08:00:00+00:00")


def make_trace(claim: int, *, articles: int = 12, cls: type[ClaimTrace] = ClaimTrace) -> ClaimTrace:
    """Claim ``claim`` in three of ``articles`` articles: quoted directly, then through Nordwire,
    then in a wire copy of the first."""
    speaker, kind = SPEAKERS[claim % len(SPEAKERS)]
    text = f'up to {claim * 1000} soldiers "may" be sent & <soon>'
    arts = sorted((_article(101 + (claim * 3 + j) % articles) for j in range(3)),
                  key=lambda art: (art.published_at, art.id))
    shapes = (((speaker,), (kind,), "direct"), (("Nordwire", speaker), ("outlet", kind), "indirect"),
              ((speaker,), (kind,), "mixed"))
    timeline = tuple(
        Appearance(claim * 10 + j, art.id, art.title, art.url, art.outlet, art.published_at, text, speaker,
                   kind, quote, chain, kinds, j == 2, arts[0].id if j == 2 else None,
                   None if j == 0 else 0.9, None if j == 0 else claim * 10)
        for j, (art, (chain, kinds, quote)) in enumerate(zip(arts, shapes)))
    outlets = tuple(dict.fromkeys(a.outlet or "" for a in timeline))
    return cls(claim, text, timeline[0], timeline, (speaker,), (), outlets)


def make_traces(n: int, *, first: int = 1, articles: int = 12,
                cls: type[ClaimTrace] = ClaimTrace) -> Iterator[ClaimTrace]:
    """Claims ``first`` … ``first + n - 1``, made one at a time."""
    for claim in range(first, first + n):
        yield make_trace(claim, articles=articles, cls=cls)
