"""A claim cluster read back: who said it first, who repeated it when, from which original
sources, which outlets only relayed it, and how it mutated on the way."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..ingest.dates import as_utc
from ..records import DateMention
from ..store import claims as c
from ..store import models as m
from ._store import _Names, claim_items, iter_cluster_ids
from ._types import ClaimItem
from .mutations import Mutation, mutations

__all__ = ["Appearance", "ClaimTrace", "traces"]


@dataclass(frozen=True, slots=True)
class Appearance:
    """One report of the claim: an attribution in an article."""

    claim_id: int                 # = the attribution id
    article_id: int
    title: str | None
    url: str | None
    outlet: str | None
    published_at: str | None
    text: str
    speaker: str | None
    speaker_kind: str
    type: str
    chain: tuple[str, ...]        # outermost reporter → original source
    chain_kinds: tuple[str, ...]
    relay: bool                   # a wire copy, or citing another outlet
    copy_of: int | None           # the article this one is a near-duplicate of
    similarity: float | None      # to the neighbour it was linked through
    matched_claim_id: int | None
    dates: tuple[DateMention, ...] = ()  # when the claim says it happened, placed from this article's day
    cue: str = ""                 # the words that attribute it ("said", "denied", "according to")
    cue_class: str = "assert"     # assert, claim, report, deny, confirm or believe

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k in self.__slots__:
            v = getattr(self, k)
            out[k] = [d.to_dict() for d in v] if k == "dates" else list(v) if isinstance(v, tuple) else v
        return out


@dataclass(frozen=True, slots=True)
class ClaimTrace:
    id: int
    text: str                                   # as first reported
    first: Appearance
    timeline: tuple[Appearance, ...]            # by publication time
    sources: tuple[str, ...]                    # distinct original sources (ends of the chains)
    relay_outlets: tuple[str, ...]              # outlets whose every appearance is a relay
    outlets: tuple[str, ...]
    mutations: tuple[Mutation, ...] = field(default=())

    @property
    def single_sourced(self) -> bool:
        return len(self.sources) <= 1

    @property
    def stances(self) -> dict[str, int]:
        """How the appearances put it, commonest first: {"report": 3, "deny": 1}. A claim that
        some confirm or assert and others deny is contested."""
        counts: dict[str, int] = defaultdict(int)
        for a in self.timeline:
            counts[a.cue_class] += 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def contested(self) -> bool:
        return "deny" in self.stances and len(self.stances) > 1

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "first": self.first.to_dict(),
                "first_seen_at": self.first.published_at, "first_outlet": self.first.outlet,
                "appearances": len(self.timeline), "outlets": list(self.outlets),
                "sources": list(self.sources), "single_sourced": self.single_sourced,
                "stances": self.stances, "contested": self.contested,
                "relay_outlets": list(self.relay_outlets),
                "timeline": [a.to_dict() for a in self.timeline],
                "mutations": [mu.to_dict() for mu in self.mutations]}


def _source_label(item: ClaimItem) -> str:
    """The original source: the chain's end, the speaker or whom the speaker cites."""
    kinds = item.extra.get("chain_kinds") or ()
    name, kind = (item.chain[-1], str(kinds[-1])) if item.chain and kinds else (item.speaker, item.speaker_kind)
    if kind == "anonymous":
        return f"anonymous: {name}" if name and not name.startswith("(") else "anonymous source"
    return name or "(unnamed source)"


def _build(cluster_id: int, claims: Sequence[c.Claim], items: dict[int, ClaimItem],
           articles: dict[int, m.Article], outlets: dict[int, str]) -> ClaimTrace | None:
    rows = [(cl, items[cl.attribution_id]) for cl in claims if cl.attribution_id in items]
    if not rows:
        return None
    rows.sort(key=lambda r: (as_utc(articles[r[0].article_id].published_at), r[0].id))
    timeline = []
    for cl, it in rows:
        art = articles[cl.article_id]
        timeline.append(Appearance(
            cl.id, art.id, art.title, art.canonical_url, outlets.get(art.outlet_id or -1),
            as_utc(art.published_at).isoformat(), it.text, it.speaker, it.speaker_kind,
            str(it.extra.get("type", "")), it.chain, tuple(it.extra.get("chain_kinds", ())), it.relay,
            art.original_id, cl.similarity, cl.matched_claim_id, it.dates, str(it.extra.get("cue", "")),
            str(it.extra.get("cue_class", "assert"))))
    first_item = rows[0][1]
    sources = tuple(dict.fromkeys(_source_label(it) for _, it in rows))
    by_outlet: dict[str, list[bool]] = defaultdict(list)
    for a in timeline:
        by_outlet[a.outlet or "(unknown outlet)"].append(a.relay)
    relays = tuple(o for o, flags in by_outlet.items() if all(flags))
    muts = tuple(mu for _, it in rows[1:] for mu in mutations(first_item, it))
    return ClaimTrace(cluster_id, first_item.text, timeline[0], tuple(timeline), sources, relays,
                      tuple(by_outlet), muts)


def traces(session: Session, cluster_ids: Sequence[int] | None = None, *, query: str | None = None,
           when: tuple[date, date] | None = None, order: str = "first", offset: int = 0,
           chunk: int = 200) -> Iterator[ClaimTrace]:
    """Traces of ``cluster_ids`` (default: every cluster in ``order``, earliest first or most
    appearances first, narrowed by ``query`` words and by a ``when`` period the claim's dates
    overlap, the first ``offset`` of them passed over unread), read a chunk at a time so a
    whole-corpus export never holds more than ``chunk`` clusters."""
    ids: Any = cluster_ids if cluster_ids is not None else islice(
        iter_cluster_ids(session, query=query, when=when, order=order), offset, None)
    names = _Names(session)
    outlets = dict(session.execute(select(m.Outlet.id, m.Outlet.name)).all())
    buf: list[int] = []

    def flush(chunk_ids: list[int]) -> Iterator[ClaimTrace]:
        claims = list(session.scalars(select(c.Claim).where(c.Claim.cluster_id.in_(chunk_ids))))
        items = claim_items(session, [cl.attribution_id for cl in claims], names)
        arts = {a.id: a for a in session.scalars(select(m.Article).where(
            m.Article.id.in_(sorted({cl.article_id for cl in claims}))))}
        by_cluster: dict[int, list[c.Claim]] = defaultdict(list)
        for cl in claims:
            by_cluster[cl.cluster_id].append(cl)
        for cid in chunk_ids:
            trace = _build(cid, by_cluster.get(cid, []), items, arts, outlets)
            if trace is not None:
                yield trace
        session.expunge_all()

    for cid in ids:
        if not 0 < cid <= m.MAX_ROW_ID:
            continue  # names no cluster; the driver would raise on it
        buf.append(cid)
        if len(buf) >= chunk:
            yield from flush(buf)
            buf = []
    if buf:
        yield from flush(buf)
