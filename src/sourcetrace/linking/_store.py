"""Claim linking over the corpus store: reading leaf attributions as claims, linking new ones
incrementally, and reading clusters back as traces (timeline, sources, relays, mutations)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, aliased

from ..extract.entities import normalize_name, same_entity
from ..ingest.dates import as_utc
from ..records import Quantity
from ..store import claims as c
from ..store import models as m
from ._types import DEFAULT_LINK_SETTINGS, ClaimItem, LinkSettings
from .ann import ClaimIndex
from .cluster import ClaimClusterer
from .embeddings import Embedder, default_embedder, embedding_text

__all__ = ["ORDERS", "LinkReport", "another_outlet", "claim_items", "index_path_for", "iter_cluster_ids", "link_session"]

# Claims read for comparison and kept across a run's batches (about 1 KB each): neighbours recur.
_KNOWN_CLAIMS = 100_000
# Claims embedded per call of the model, which sorts a call's texts by length and pads each of
# its batches to the longest: the larger the call, the less padding (on PolNeAR's claims 105
# claims/s in calls of 256, 208 in calls of 5,000, on 2 cores).
_EMBED_WINDOW = 4096


@dataclass(frozen=True, slots=True)
class LinkReport:
    claims: int          # claims linked in this run
    new_clusters: int
    joined: int          # claims that joined an existing or earlier cluster
    rejected: int        # close neighbours refused by the entity/number rules
    total_claims: int
    total_clusters: int
    seconds: float
    index_rebuilt: bool

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


def index_path_for(db_url: str) -> Path | None:
    """``sqlite:///news.db`` → ``news.db.claims.usearch``; None for in-memory and server databases."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).with_name(Path(url.database).name + ".claims.usearch")


def _in_spans(start: int, end: int, spans: Sequence[Sequence[int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


class _Names:
    """Resolved entity names (the surviving entity after merges), cached for one run."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._row: dict[int, tuple[str, int | None]] = {}

    def _load(self, ids: Iterable[int]) -> None:
        todo = sorted({i for i in ids if i not in self._row})
        while todo:
            rows = self.session.execute(select(m.Entity.id, m.Entity.name, m.Entity.merged_into_id)
                                        .where(m.Entity.id.in_(todo))).all()
            for i, name, into in rows:
                self._row[i] = (name, into)
            todo = sorted({into for _, _, into in rows if into is not None and into not in self._row})

    def name(self, entity_id: int | None) -> str | None:
        if entity_id is None:
            return None
        self._load([entity_id])
        seen = {entity_id}
        name, into = self._row[entity_id]
        while into is not None and into not in seen:
            seen.add(into)
            self._load([into])
            name, into = self._row[into]
        return name

    def prefetch(self, ids: Iterable[int | None]) -> None:
        self._load(i for i in ids if i is not None)


def claim_items(session: Session, attribution_ids: Sequence[int], names: _Names | None = None
                ) -> dict[int, ClaimItem]:
    """Claims (keyed by attribution id) with entities, numbers, hedges, speaker and chain."""
    if not attribution_ids:
        return {}
    names = names or _Names(session)
    out: dict[int, ClaimItem] = {}
    for start in range(0, len(attribution_ids), 500):
        out.update(_claim_items(session, list(attribution_ids[start:start + 500]), names))
    return out


def _claim_items(session: Session, ids: list[int], names: _Names) -> dict[int, ClaimItem]:
    rows = session.execute(
        select(m.Attribution, m.Article.published_at, m.Article.original_id, m.Outlet.name, m.Outlet.domain)
        .join(m.Article, m.Article.id == m.Attribution.article_id)
        .join(m.Outlet, m.Outlet.id == m.Article.outlet_id, isouter=True)
        .where(m.Attribution.id.in_(ids))).all()
    article_ids = sorted({att.article_id for att, *_ in rows})
    mentions: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for art, s, e, ent in session.execute(select(m.Mention.article_id, m.Mention.start, m.Mention.end,
                                                 m.Mention.entity_id).where(m.Mention.article_id.in_(article_ids))):
        mentions[art].append((s, e, ent))
    quantities: dict[int, list[m.Quantity]] = defaultdict(list)
    for q in session.scalars(select(m.Quantity).where(m.Quantity.article_id.in_(article_ids))):
        quantities[q.article_id].append(q)
    dates: dict[int, list[m.DateMention]] = defaultdict(list)
    for d in session.scalars(select(m.DateMention).where(m.DateMention.article_id.in_(article_ids))
                             .order_by(m.DateMention.start)):
        dates[d.article_id].append(d)
    # Chains: walk parents up (a few levels at most).
    parents: dict[int, m.Attribution] = {}
    todo = {att.parent_id for att, *_ in rows if att.parent_id is not None}
    while todo:
        found = list(session.scalars(select(m.Attribution).where(m.Attribution.id.in_(sorted(todo)))))
        parents.update((p.id, p) for p in found)
        todo = {p.parent_id for p in found if p.parent_id is not None and p.parent_id not in parents}
    out: dict[int, ClaimItem] = {}
    names.prefetch([att.source_entity_id for att, *_ in rows] + [p.source_entity_id for p in parents.values()]
                   + [ent for ms in mentions.values() for _, _, ent in ms])

    def source_name(att: m.Attribution) -> str:
        if att.source_kind == "anonymous" and not att.source_text:
            return "(unnamed source)"
        return names.name(att.source_entity_id) or att.source_text or "(unnamed source)"

    for att, published, original_id, outlet, domain in rows:
        spans = att.content_spans
        ents = tuple(dict.fromkeys(n for s, e, ent in mentions[att.article_id]
                                   if _in_spans(s, e, spans) and (n := names.name(ent))))
        qs = tuple(Quantity((q.start, q.end), q.text, q.value, q.unit, q.hedge)
                   for q in sorted(quantities[att.article_id], key=lambda q: q.start)
                   if _in_spans(q.start, q.end, spans))
        ds = tuple(d.as_record() for d in dates[att.article_id] if _in_spans(d.start, d.end, spans))
        chain: list[m.Attribution] = []
        cur: m.Attribution | None = att
        while cur is not None and len(chain) < 16:
            chain.append(cur)
            cur = parents.get(cur.parent_id) if cur.parent_id is not None else None
        chain.reverse()
        # A wire copy; an outlet between the article and the speaker; or the speaker another
        # outlet, named ("Meridian said …" in the Daily Planet, not "Meridian said" in Meridian's).
        relay = original_id is not None or any(a.source_kind == "outlet" for a in chain[:-1]) or (
            att.source_kind == "outlet" and att.source_entity_id is not None
            and another_outlet(source_name(att), outlet, domain))
        names_ = [source_name(a) for a in chain]
        kinds, types = [a.source_kind for a in chain], [a.type for a in chain]
        # "…, the agency reported, citing unnamed channels": the chain goes on to whom it cites.
        cited = (att.record or {}).get("cited") or {}
        if cited.get("text"):
            names_.append(cited.get("entity") or cited["text"])
            kinds.append(cited.get("kind") or "unknown")
            types.append("cited")
            relay = relay or kinds[-1] == "outlet"  # "…, the paper said, citing Reuters"
        out[att.id] = ClaimItem(
            key=att.id, text=att.content_text, published_at=as_utc(published) if published else None,
            article=att.article_id, outlet=outlet, speaker=source_name(att), speaker_kind=att.source_kind,
            entities=ents, quantities=qs, dates=ds, markers=tuple(att.markers or ()),
            chain=tuple(names_), relay=relay,
            extra={"type": att.type, "cue": att.cue_text, "cue_class": att.cue_class,
                   "chain_kinds": kinds, "chain_types": types, "original_article": original_id})
    return out


def another_outlet(name: str, outlet: str | None, domain: str | None) -> bool:
    """Whether an outlet called ``name`` is surely not the article's own (``outlet``, ``domain``):
    "Meridian" in the Daily Planet is another; "the Gazette" in the Coast Gazette, "Reuters" on
    reuters.com, "the Guardian" on theguardian.com, "the Associated Press" on apnews.com are the
    article's own. An article whose outlet is unknown has no other: not another."""
    if not outlet and not domain:
        return False
    if outlet and same_entity(name, outlet)[0]:
        return False
    words = [w for w in normalize_name(name).split() if w != "the"]
    squashed, initials = "".join(words), "".join(w[0] for w in words)
    for label in (_domain_label(domain), _domain_label(outlet)):
        if label and squashed and (label.startswith(squashed) or label.endswith(squashed)
                                   or squashed.startswith(label)
                                   or (len(initials) > 1 and label.startswith(initials))):  # nytimes, apnews
            return False
    return True


def _domain_label(host: str | None) -> str:
    """"www.theguardian.co.uk" → "theguardian"; "" for what is no host name."""
    if not host or "." not in host or " " in host.strip():
        return ""
    parts = host.strip().lower().removeprefix("www.").split(".")
    return parts[0] if len(parts[0]) > 1 else ""


def _pending(session: Session, settings: LinkSettings) -> list[tuple[int, str]]:
    """Leaf attributions not yet linked, oldest article first, with their content."""
    child = aliased(m.Attribution)
    rows = session.execute(
        select(m.Attribution.id, m.Attribution.content_text)
        .join(m.Article, m.Article.id == m.Attribution.article_id)
        .outerjoin(c.Claim, c.Claim.attribution_id == m.Attribution.id)
        .where(c.Claim.id.is_(None),
               ~select(child.id).where(child.parent_id == m.Attribution.id).exists())
        .order_by(m.Article.published_at, m.Attribution.id)).all()
    return [(i, text) for i, text in rows if len(text.split()) >= settings.min_words]


def _load_index(session: Session, path: Path | None, embedder: Embedder) -> tuple[ClaimIndex, bool]:
    total = session.scalar(select(func.count()).select_from(c.Claim)) or 0
    if path is not None:
        loaded = ClaimIndex.load(path, dim=embedder.dim, model=embedder.name, expected_size=total)
        if loaded is not None:
            return loaded, False
    index = ClaimIndex(embedder.dim, model=embedder.name)
    last = 0
    while True:  # rebuild from the stored vectors, in key order, a chunk at a time
        rows = session.execute(select(c.Claim.id, c.Claim.embedding, c.Claim.model).where(c.Claim.id > last)
                               .order_by(c.Claim.id).limit(5000)).all()
        if not rows:
            break
        if any(model != embedder.name for _, _, model in rows):
            raise ValueError(f"claims were embedded with another model than {embedder.name}: "
                             "relink from scratch (drop the claims tables' rows)")
        index.add([r[0] for r in rows], np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows]))
        last = rows[-1][0]
    return index, total > 0


def link_session(session_factory: Any, *, db_url: str, embedder: Embedder | None = None,
                 settings: LinkSettings = DEFAULT_LINK_SETTINGS, index_path: Path | None | str = "auto",
                 on_progress: Callable[[int, int], None] | None = None) -> LinkReport:
    """Link every leaf attribution not yet linked; each batch commits with the index saved after.
    ``on_progress(done, total)`` is called once the claims to link are known and after each batch."""
    t0 = time.perf_counter()
    embedder = embedder or default_embedder()
    path = index_path_for(db_url) if index_path == "auto" else (Path(index_path) if index_path else None)
    with session_factory() as session:
        index, rebuilt = _load_index(session, path, embedder)
        cluster_of = dict(session.execute(select(c.Claim.id, c.Claim.cluster_id)).all())
        first_of = {k: v for k, v in session.execute(select(c.ClaimCluster.id, c.ClaimCluster.first_claim_id))
                    .all() if v is not None}
        pending = _pending(session, settings)
    n_new = joined = rejected = 0
    touched: set[int] = set()
    known: dict[int, ClaimItem] = {}  # claims read for comparison, kept across batches
    if on_progress is not None:
        on_progress(0, len(pending))
    vector_of: dict[int, npt.NDArray[np.float32]] = {}
    for start in range(0, len(pending), settings.batch_size):
        batch = [i for i, _ in pending[start:start + settings.batch_size]]
        if len(known) > _KNOWN_CLAIMS:
            known.clear()
        if any(i not in vector_of for i in batch):  # the next window's claims, embedded in one call
            window = pending[start:start + max(_EMBED_WINDOW, settings.batch_size)]
            vector_of = dict(zip([i for i, _ in window], embedder.embed([embedding_text(t) for _, t in window]),
                                 strict=True))
        with session_factory.begin() as session:
            names = _Names(session)
            now = datetime.now(UTC)

            def new_cluster(item: ClaimItem, session: Session = session, now: datetime = now) -> int:
                row = c.ClaimCluster(first_claim_id=item.key, first_seen_at=item.published_at, size=0,
                                     created_at=now)
                session.add(row)
                session.flush()
                return row.id

            clusterer = ClaimClusterer(index, settings=settings, cluster_of=cluster_of, first_of=first_of,
                                       lookup=lambda keys, s=session, n=names: claim_items(s, list(keys), n),
                                       new_cluster=new_cluster, items=known)
            items_by_id = claim_items(session, batch, names)
            items = [items_by_id[i] for i in batch if i in items_by_id]
            vectors = (np.stack([vector_of[it.key] for it in items]) if items
                       else np.zeros((0, embedder.dim), dtype=np.float32))
            clusterer.prefetch(vectors)
            assignments = clusterer.add_many(items, vectors)
            session.add_all([
                c.Claim(id=it.key, attribution_id=it.key, article_id=it.article, cluster_id=a.cluster,
                        text=it.text, matched_claim_id=a.matched, similarity=a.similarity,
                        embedding=np.asarray(vec, dtype=np.float32).tobytes(), model=embedder.name,
                        linked_at=now)
                for it, a, vec in zip(items, assignments, vectors, strict=True)])
            session.flush()
            for a in assignments:
                touched.add(a.cluster)
                n_new += 1
                joined += a.matched is not None
                rejected += len(a.rejected)
            _refresh_clusters(session, sorted({a.cluster for a in assignments}), first_of)
        if path is not None:
            index.save(path)
        if on_progress is not None:
            on_progress(min(start + settings.batch_size, len(pending)), len(pending))
    with session_factory() as session:
        total = session.scalar(select(func.count()).select_from(c.Claim)) or 0
        clusters = session.scalar(select(func.count()).select_from(c.ClaimCluster)) or 0
    new_clusters = n_new - joined
    return LinkReport(n_new, new_clusters, joined, rejected, total, clusters,
                      round(time.perf_counter() - t0, 3), rebuilt)


def _refresh_clusters(session: Session, cluster_ids: list[int], first_of: dict[int, int]) -> None:
    """Size and first appearance (earliest publication, then lowest id) of each touched cluster."""
    for start in range(0, len(cluster_ids), 500):
        chunk = cluster_ids[start:start + 500]
        rows = session.execute(
            select(c.Claim.cluster_id, c.Claim.id, m.Article.published_at)
            .join(m.Article, m.Article.id == c.Claim.article_id)
            .where(c.Claim.cluster_id.in_(chunk))).all()
        best: dict[int, tuple[datetime, int]] = {}
        size: dict[int, int] = defaultdict(int)
        for cluster, claim, published in rows:
            size[cluster] += 1
            key = (as_utc(published), claim)
            if cluster not in best or key < best[cluster]:
                best[cluster] = key
        for cluster in chunk:
            row = session.get(c.ClaimCluster, cluster)
            if row is None or cluster not in best:
                continue
            row.size = size[cluster]
            row.first_seen_at, row.first_claim_id = best[cluster]
            first_of[cluster] = row.first_claim_id


ORDERS = ("first", "appearances")  # earliest first appearance first; most appearances first


def iter_cluster_ids(session: Session, *, query: str | None = None, when: tuple[date, date] | None = None,
                     order: str = "first", chunk: int = 1000) -> Iterator[int]:
    """Cluster ids, earliest first appearance first (``order="appearances"``: most appearances
    first, then earliest); with ``query``, clusters with a claim whose text holds every word of
    it (case-insensitive); with ``when`` (first day, last day), clusters with a claim that places
    a date overlapping that period."""
    if order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    by_size = order == "appearances"
    if query or when:
        ids = _matching(session, query, when)
        rows = session.execute(select(c.ClaimCluster.id, c.ClaimCluster.first_seen_at, c.ClaimCluster.size)
                               .where(c.ClaimCluster.id.in_(sorted(ids)))).all() if ids else []
        first = {i: (seen is None, seen or 0) for i, seen, _ in rows}
        size = {i: n for i, _, n in rows}
        yield from sorted(ids, key=lambda i: ((-size.get(i, 0),) if by_size else ()) + first.get(i, (True, 0)) + (i,))
        return
    # Keyset pages: each chunk starts after the last row of the one before, whatever the order.
    keys = ([c.ClaimCluster.size.desc()] if by_size else []) + [c.ClaimCluster.first_seen_at, c.ClaimCluster.id]
    last: Any = None
    while True:
        stmt = select(c.ClaimCluster.id, c.ClaimCluster.first_seen_at, c.ClaimCluster.size).order_by(*keys).limit(chunk)
        if last is not None:
            seen, i, n = last
            after = or_(c.ClaimCluster.first_seen_at > seen,
                        and_(c.ClaimCluster.first_seen_at == seen, c.ClaimCluster.id > i))
            stmt = stmt.where(or_(c.ClaimCluster.size < n, and_(c.ClaimCluster.size == n, after)) if by_size else after)
        rows = session.execute(stmt).all()
        if not rows:
            return
        for i, _, _ in rows:
            yield i
        last = (rows[-1][1], rows[-1][0], rows[-1][2])


def _matching(session: Session, query: str | None, when: tuple[date, date] | None) -> set[int]:
    words = [w.lower() for w in (query or "").split() if w]
    text_match: Any = and_(*[func.lower(c.Claim.text).like(f"%{_like(w)}%", escape="\\") for w in words]) \
        if words else true()
    if when is None:
        return set(session.scalars(select(c.Claim.cluster_id).where(text_match)))
    first, last = when
    # The date index finds the articles; whether the date lies in the claim's content is read here.
    rows = session.execute(
        select(c.Claim.cluster_id, m.Attribution.content_spans, m.DateMention.start, m.DateMention.end)
        .join(m.Attribution, m.Attribution.id == c.Claim.attribution_id)
        .join(m.DateMention, m.DateMention.article_id == m.Attribution.article_id)
        .where(text_match, m.DateMention.start_date <= last, m.DateMention.end_date >= first))
    return {cluster for cluster, spans, start, end in rows if _in_spans(start, end, spans)}


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
