"""Reading the corpus: full-text search, a speaker's statements, an outlet's sourcing, who said X.

Near-duplicates are folded into their original: a relayed wire story is listed once, with the
relaying outlets in ``also_in``, and outlet statistics count only an outlet's own originals.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import false, func, or_, select, text
from sqlalchemy.orm import Session, aliased

from ..extract.entities import ENTITY_LABELS
from ..ingest.dates import as_utc
from . import models as m
from ._resolve import cluster_ids, entity_key, root_id

__all__ = ["OutletReport", "SearchHit", "SourceCount", "Statement", "entity_clusters", "entity_id_named",
           "entity_merges", "find_outlets", "outlet_report", "search_articles", "speaker_statements", "who_said"]

_TOKEN = re.compile(r'"([^"]+)"|(\w+)', re.UNICODE)


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value else None


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: int
    title: str | None
    outlet: str | None
    published_at: str | None
    url: str | None
    source: str
    snippet: str
    also_in: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["also_in"] = list(self.also_in)
        return d


@dataclass(frozen=True, slots=True)
class Statement:
    attribution_id: int
    article_id: int
    speaker: str | None        # the source as written in the article
    entity: str | None         # the resolved entity's name (cluster name after merges)
    source_kind: str
    cue: str
    content: str
    type: str
    cue_class: str
    hedged: bool
    outlet: str | None
    published_at: str | None
    date_flag: str | None
    title: str | None
    url: str | None
    parent_id: int | None = None
    also_in: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["also_in"] = list(self.also_in)
        return d


@dataclass(frozen=True, slots=True)
class SourceCount:
    name: str
    kind: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class OutletReport:
    outlet: str
    domain: str | None
    articles: int              # originals published by the outlet
    relayed: int               # its articles that are copies of another's original
    attributions: int
    anonymous: int
    quoted: tuple[SourceCount, ...] = field(default=())    # people, organisations, groups
    cited: tuple[SourceCount, ...] = field(default=())     # outlets and documents

    @property
    def anonymous_share(self) -> float:
        return self.anonymous / self.attributions if self.attributions else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "domain": self.domain, "articles": self.articles,
                "relayed": self.relayed, "attributions": self.attributions, "anonymous": self.anonymous,
                "anonymous_share": round(self.anonymous_share, 3),
                "quoted": [s.to_dict() for s in self.quoted], "cited": [s.to_dict() for s in self.cited]}


def _fts_sqlite_query(query: str) -> str:
    parts = []
    for phrase, word in _TOKEN.findall(query):
        term = (phrase or word).replace('"', " ").strip()
        if term:
            parts.append(f'"{term}"')
    return " ".join(parts)


def _also_in(session: Session, article_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    if not article_ids:
        return {}
    rows = session.execute(
        select(m.Article.original_id, m.Outlet.name)
        .join(m.Outlet, m.Outlet.id == m.Article.outlet_id, isouter=True)
        .where(m.Article.original_id.in_(list(article_ids)))
        .order_by(m.Article.published_at)
    ).all()
    out: dict[int, list[str]] = defaultdict(list)
    for original_id, outlet in rows:
        name = outlet or "(unknown outlet)"
        if name not in out[original_id]:
            out[original_id].append(name)
    return {k: tuple(v) for k, v in out.items()}


def _matching_article_ids(session: Session, query: str, limit: int) -> list[tuple[int, str]]:
    if session.get_bind().dialect.name == "sqlite":
        q = _fts_sqlite_query(query)
        if not q:
            return []
        rows = session.execute(text(
            "SELECT a.id, snippet(articles_fts, 1, '[', ']', '…', 16) FROM articles_fts "
            "JOIN articles a ON a.id = articles_fts.rowid "
            "WHERE articles_fts MATCH :q AND a.original_id IS NULL ORDER BY bm25(articles_fts), a.id LIMIT :n"
        ), {"q": q, "n": limit}).all()
    else:
        rows = session.execute(text(
            "SELECT a.id, ts_headline('english', a.text, q, "
            "'StartSel=[, StopSel=], MaxWords=24, MinWords=10, MaxFragments=1, FragmentDelimiter=…') "
            "FROM articles a, websearch_to_tsquery('english', :q) q "
            "WHERE a.tsv @@ q AND a.original_id IS NULL ORDER BY ts_rank(a.tsv, q) DESC, a.id LIMIT :n"
        ), {"q": query, "n": limit}).all()
    return [(int(i), str(s)) for i, s in rows]


def search_articles(session: Session, query: str, *, limit: int = 20) -> list[SearchHit]:
    found = _matching_article_ids(session, query, limit)
    if not found:
        return []
    ids = [i for i, _ in found]
    rows = {a.id: a for a in session.scalars(select(m.Article).where(m.Article.id.in_(ids)))}
    outlets = {o.id: o.name for o in session.scalars(select(m.Outlet))} if rows else {}
    also = _also_in(session, ids)
    return [SearchHit(i, rows[i].title, outlets.get(rows[i].outlet_id or -1), _iso(rows[i].published_at),
                      rows[i].canonical_url, rows[i].source, snippet, also.get(i, ()))
            for i, snippet in found]


def _statements(session: Session, where: Any, *, limit: int, order_ids: Sequence[int] | None = None
                ) -> list[Statement]:
    stmt = (select(m.Attribution, m.Article, m.Outlet.name)
            .join(m.Article, m.Article.id == m.Attribution.article_id)
            .join(m.Outlet, m.Outlet.id == m.Article.outlet_id, isouter=True)
            .where(where, m.Article.original_id.is_(None)))
    if order_ids is None:
        stmt = stmt.order_by(m.Article.published_at, m.Attribution.id).limit(limit)
    rows = session.execute(stmt).all()
    if order_ids is not None:
        rank = {i: n for n, i in enumerate(order_ids)}
        rows.sort(key=lambda r: rank.get(r[0].id, len(rank)))
    also = _also_in(session, sorted({art.id for _, art, _ in rows}))
    names: dict[int, str] = {}

    def cluster_name(entity_id: int | None) -> str | None:
        if entity_id is None:
            return None
        if entity_id not in names:
            root = session.get(m.Entity, root_id(session, entity_id))
            names[entity_id] = root.name if root else ""
        return names[entity_id] or None

    return [Statement(att.id, art.id, att.source_text, cluster_name(att.source_entity_id), att.source_kind,
                      att.cue_text, att.content_text, att.type, att.cue_class, att.hedged, outlet,
                      _iso(art.published_at), art.date_flag, art.title, art.canonical_url, att.parent_id,
                      also.get(art.id, ()))
            for att, art, outlet in rows]


def speaker_statements(session: Session, name: str, *, limit: int = 200) -> list[Statement]:
    """Everything attributed to ``name``: its entity cluster(s) and sources written so."""
    name = " ".join(name.split())
    if not name:
        return []
    exact = session.scalars(select(m.Entity.id).where(
        m.Entity.key.in_([entity_key(name, label) for label in ("PERSON", "ORG", "NORP", "GPE")]))).all()
    if not exact:
        exact = session.scalars(select(m.Entity.id).where(func.lower(m.Entity.name).like(
            f"%{_like(name.lower())}%", escape="\\"))).all()
    ids: set[int] = set()
    for entity_id in exact:
        ids.update(cluster_ids(session, entity_id))
    where = or_(m.Attribution.source_entity_id.in_(sorted(ids)) if ids else false(),
                func.lower(m.Attribution.source_text).like(f"%{_like(name.lower())}%", escape="\\"))
    return _statements(session, where, limit=limit)


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def who_said(session: Session, query: str, *, limit: int = 50) -> list[Statement]:
    """Attributions whose content (or source) matches ``query``, best first."""
    if session.get_bind().dialect.name == "sqlite":
        q = _fts_sqlite_query(query)
        if not q:
            return []
        ids = [int(i) for i in session.scalars(text(
            "SELECT rowid FROM attributions_fts WHERE attributions_fts MATCH :q "
            "ORDER BY bm25(attributions_fts), rowid LIMIT :n"), {"q": q, "n": limit * 4})]
    else:
        ids = [int(i) for i in session.scalars(text(
            "SELECT t.id FROM attributions t, websearch_to_tsquery('english', :q) q WHERE t.tsv @@ q "
            "ORDER BY ts_rank(t.tsv, q) DESC, t.id LIMIT :n"), {"q": query, "n": limit * 4})]
    if not ids:
        return []
    return _statements(session, m.Attribution.id.in_(ids), limit=limit, order_ids=ids)[:limit]


def find_outlets(session: Session, name: str) -> list[m.Outlet]:
    key = " ".join(name.split()).casefold()
    exact = session.scalars(select(m.Outlet).where(or_(m.Outlet.key == key, m.Outlet.domain == key))).all()
    if exact:
        return list(exact)
    return list(session.scalars(select(m.Outlet).where(
        or_(m.Outlet.key.like(f"%{_like(key)}%", escape="\\"),
            m.Outlet.domain.like(f"%{_like(key)}%", escape="\\"))).order_by(m.Outlet.name)))


def outlet_report(session: Session, outlet: m.Outlet, *, top: int = 25) -> OutletReport:
    """Whom ``outlet`` quotes and cites, and how often anonymously, over its own originals."""
    articles = session.scalar(select(func.count()).select_from(m.Article).where(
        m.Article.outlet_id == outlet.id, m.Article.original_id.is_(None))) or 0
    relayed = session.scalar(select(func.count()).select_from(m.Article).where(
        m.Article.outlet_id == outlet.id, m.Article.original_id.is_not(None))) or 0
    rows = session.execute(
        select(m.Attribution.source_entity_id, m.Attribution.source_text, m.Attribution.source_kind)
        .join(m.Article, m.Article.id == m.Attribution.article_id)
        .where(m.Article.outlet_id == outlet.id, m.Article.original_id.is_(None))
    ).all()
    roots: dict[int, str] = {}
    quoted: Counter[tuple[str, str]] = Counter()
    cited: Counter[tuple[str, str]] = Counter()
    anonymous = 0
    for entity_id, source_text, kind in rows:
        if kind == "anonymous":
            anonymous += 1
            continue
        name = source_text or "(unknown)"
        if entity_id is not None:
            if entity_id not in roots:
                root = session.get(m.Entity, root_id(session, entity_id))
                roots[entity_id] = root.name if root else name
            name = roots[entity_id]
        (cited if kind in ("outlet", "document") else quoted)[(name, kind)] += 1

    def ranked(counter: Counter[tuple[str, str]]) -> tuple[SourceCount, ...]:
        items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0][0].casefold()))
        return tuple(SourceCount(n, k, c) for (n, k), c in items[:top])

    return OutletReport(outlet.name, outlet.domain, articles, relayed, len(rows), anonymous,
                        ranked(quoted), ranked(cited))


# -- entities -----------------------------------------------------------------------------------


def _named_exactly(session: Session, name: str, labels: Iterable[str] = ENTITY_LABELS) -> list[Any]:
    """(id, label) of the entities called exactly ``name`` under any of ``labels``."""
    keys = [entity_key(name, label) for label in sorted(labels)]
    return list(session.execute(select(m.Entity.id, m.Entity.label).where(m.Entity.key.in_(keys))))


def _entity_ids_named(session: Session, name: str) -> list[int]:
    """Entities called exactly ``name`` under any label; else those whose name contains it."""
    exact = [row.id for row in _named_exactly(session, name)]
    if exact:
        return exact
    return list(session.scalars(select(m.Entity.id).where(
        func.lower(m.Entity.name).like(f"%{_like(name.lower())}%", escape="\\")).order_by(m.Entity.id)))


def entity_id_named(session: Session, name: str, label: str | None = None) -> int:
    """The one entity called exactly ``name`` (under ``label``, or under any label if it has
    just one); LookupError says what was found instead."""
    found = _named_exactly(session, name, [label] if label else ENTITY_LABELS)
    if len(found) == 1:
        return int(found[0].id)
    if not found:
        raise LookupError(f"no entity named {name!r}" + (f" with label {label}" if label else ""))
    raise LookupError(f"{name!r} names entities under several labels ({', '.join(sorted(r.label for r in found))}): "
                      "say which with a label")


def entity_clusters(session: Session, name: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """The clusters holding an entity named ``name`` (exactly, under any label; else containing
    it): one row per name in each, the cluster's own name first, with its mentions and the
    statements attributed to it. A cluster is what the store joined; ``merges`` says why."""
    name = " ".join(name.split())
    if not name:
        return []
    roots = list(dict.fromkeys(root_id(session, i) for i in _entity_ids_named(session, name)))[:limit]
    rows: list[dict[str, Any]] = []
    for root in roots:
        members = cluster_ids(session, root)
        mentions = dict(session.execute(select(m.Mention.entity_id, func.count()).where(
            m.Mention.entity_id.in_(members)).group_by(m.Mention.entity_id)).all())
        statements = dict(session.execute(select(m.Attribution.source_entity_id, func.count()).where(
            m.Attribution.source_entity_id.in_(members)).group_by(m.Attribution.source_entity_id)).all())
        entities = {e.id: e for e in session.scalars(select(m.Entity).where(m.Entity.id.in_(members)))}
        root_name = entities[root].name
        for entity_id in sorted(members, key=lambda i: (i != root, -mentions.get(i, 0), entities[i].name)):
            e = entities[entity_id]
            rows.append({"cluster": root_name, "name": e.name, "label": e.label,
                         "mentions": int(mentions.get(entity_id, 0)), "statements": int(statements.get(entity_id, 0)),
                         "entity_id": e.id})
    return rows


def entity_merges(session: Session, name: str | None = None) -> list[dict[str, Any]]:
    """Why entities were joined, oldest first (undone ones included); with ``name``, only the
    merges one of whose two names contains it."""
    merged, into = aliased(m.Entity), aliased(m.Entity)
    stmt = (select(m.EntityMerge, merged.name, into.name)
            .join(merged, merged.id == m.EntityMerge.entity_id).join(into, into.id == m.EntityMerge.into_id)
            .order_by(m.EntityMerge.id))
    if name:
        pattern = f"%{_like(name.casefold())}%"
        stmt = stmt.where(or_(func.lower(merged.name).like(pattern, escape="\\"),
                              func.lower(into.name).like(pattern, escape="\\")))
    return [{"merge_id": row.id, "entity": a, "into": b, "reason": row.reason, "undone": row.undone_at is not None,
             "when": _iso(row.created_at)}
            for row, a, b in session.execute(stmt)]
