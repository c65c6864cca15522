"""Writing: one article with everything extracted from it, in one transaction.

An article's identity is sha256(canonical URL + content hash): the same article read twice is
stored once, while one text under two URLs is two articles, the later linked to the earlier as a
near-duplicate. Everything of an article commits together, so an interrupted run leaves either
the whole article or nothing, and a re-run picks up exactly what is missing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from ..errors import DocumentError
from ..ingest._article import RawArticle
from ..ingest.dates import DateDecision, as_utc, resolve_published
from ..records import DocumentResult, Source
from . import models as m
from .bands import band_rows
from ._resolve import EntityResolver, entity_key

__all__ = ["Prepared", "StoreWriter", "canonical_url", "content_hash", "outlet_key", "prepare"]

_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.I)
_WS = re.compile(r"\s+")
_LABEL_OF_KIND = {"person": "PERSON", "organization": "ORG", "outlet": "ORG"}


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, no fragment, no tracking parameters, no default port. A URL
    that does not parse ("https://wire[/]daily…", a port that is not a number) is kept as given:
    a feed's bad link is no reason to lose its article."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        hostname, port = parts.hostname, parts.port
    except ValueError:
        return url.strip() or None
    if parts.scheme not in ("http", "https") or not hostname:
        return url.strip() or None
    host = hostname.lower()
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def content_hash(text: str) -> str:
    # surrogatepass: a lone surrogate (from JSON) must not raise here, before the document check reports it
    return hashlib.sha256(_WS.sub(" ", text).strip().encode("utf-8", "surrogatepass")).hexdigest()


def outlet_key(name: str) -> str:
    return _WS.sub(" ", name).strip().casefold()[:255]


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:  # kept unparsed by canonical_url
        return None
    if not host or len(host) > 253:  # longer is no DNS name (and no outlets.domain value)
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "his", "her", "their"})


def _source_name(source: Source) -> str:
    """The name a source is stored under: its resolved entity, else its text."""
    return source.entity or source.text


@dataclass(frozen=True, slots=True)
class Prepared:
    """A read article with identity, outlet and date decided, ready to analyse and store."""

    raw: RawArticle
    identity: str
    content_hash: str
    canonical_url: str | None
    outlet: str | None
    domain: str | None
    date: DateDecision
    crawled_at: datetime

    @property
    def published(self) -> object:
        """The publication time as the source gave it, for the analyser to place relative dates
        by; None when it was not taken (the crawl time is no anchor for "yesterday")."""
        return self.raw.published if self.date.flag is None else None


def prepare(raw: RawArticle, *, now: datetime | None = None) -> Prepared:
    now = as_utc(now or datetime.now(UTC))
    url = canonical_url(raw.url)
    chash = content_hash(raw.text)
    identity = hashlib.sha256(f"{url or ''}\n{chash}".encode()).hexdigest()
    domain = _domain(url)
    outlet = (raw.outlet or "").strip() or domain
    crawled = as_utc(raw.crawled_at) if raw.crawled_at else now
    if crawled > now:
        crawled = now
    return Prepared(raw, identity, chash, url, outlet, domain,
                    resolve_published(raw.published, crawled, now=now), crawled)


class StoreWriter:
    """The single writer of an ingest run (one per process; caches outlets and entities)."""

    def __init__(self) -> None:
        self.entities = EntityResolver()
        self._outlets: dict[str, int] = {}

    def reset(self) -> None:
        """Forget caches (after a rollback: cached ids may not exist)."""
        self.entities.reset()
        self._outlets.clear()

    def outlet_id(self, session: Session, name: str | None, domain: str | None) -> int | None:
        """The outlet named ``name``; an article known only by its domain joins the outlet already
        seen on that domain, and a domain-named outlet takes the real name when one arrives."""
        if not name:
            return None
        by_domain_only = domain is not None and name == domain
        cache_key = f"@{domain}" if by_domain_only else outlet_key(name)
        if cache_key in self._outlets:
            return self._outlets[cache_key]
        row = None
        if by_domain_only:
            row = session.scalars(select(m.Outlet).where(m.Outlet.domain == domain).order_by(m.Outlet.id)).first()
        else:
            row = session.scalar(select(m.Outlet).where(m.Outlet.key == outlet_key(name)))
            if row is None and domain:
                placeholder = session.scalar(select(m.Outlet).where(m.Outlet.key == outlet_key(domain),
                                                                    m.Outlet.domain == domain))
                if placeholder is not None:  # seen before by its domain only: now we know its name
                    placeholder.key, placeholder.name = outlet_key(name), name.strip()[:255]
                    row = placeholder
        if row is None:
            row = m.Outlet(key=outlet_key(name), name=name.strip()[:255], domain=domain)
            session.add(row)
        elif row.domain is None and domain:
            row.domain = domain
        session.flush()
        self._outlets[cache_key] = row.id
        return row.id

    def write(self, session: Session, prep: Prepared, result: DocumentResult, *, run_id: int | None,
              minhash: bytes | None = None, original: tuple[int, float] | None = None) -> m.Article:
        """Add the article with its MinHash bands, attributions, entities, mentions, quantities and dates
        (not committed)."""
        raw = prep.raw
        article = m.Article(
            identity=prep.identity, content_hash=prep.content_hash, canonical_url=prep.canonical_url,
            source=raw.doc_id, title=raw.title, author=raw.author,
            outlet_id=self.outlet_id(session, prep.outlet, prep.domain),
            published_at=prep.date.published_at, published_raw=prep.date.raw, date_flag=prep.date.flag,
            crawled_at=prep.crawled_at, text=raw.text, minhash=minhash, run_id=run_id,
        )
        session.add(article)
        session.flush()
        if minhash is not None:  # with the article, so a stored signature is always findable
            session.connection().execute(insert(m.MinhashBand.__table__), band_rows(article.id, minhash))
        if original is not None:
            self._link_duplicate(session, article, *original)

        text = raw.text
        ents = [e for e in result.entities]
        # A source's ``entity`` is the canonical name (the contract); test doubles may give the
        # entity's local id. Either finds the entity; a source naming none becomes its own entity
        # under its resolved name, or its text when that reads as a name (never a bare pronoun).
        known = {e.id for e in ents} | {e.name for e in ents}
        sources = [a.source for a in result.attributions if a.source is not None
                   and not (a.source.entity and a.source.entity in known)
                   and a.source.kind in _LABEL_OF_KIND and _source_name(a.source)[:1].isupper()
                   and (a.source.entity or a.source.text.lower() not in _PRONOUNS)]
        ids = self.entities.resolve_many(session, [(e.name, e.label) for e in ents] +
                                         [(_source_name(src), _LABEL_OF_KIND[src.kind]) for src in sources])
        local_entities: dict[str, int] = {}
        mentions = []
        for ent in ents:
            entity_id = ids.get(entity_key(ent.name, ent.label))
            if entity_id is None:
                continue
            local_entities[ent.id] = local_entities[ent.name] = entity_id
            mentions.extend({"article_id": article.id, "entity_id": entity_id, "local_id": ent.id,
                             "start": start, "end": end, "text": text[start:end]} for start, end in ent.mentions)
        if mentions:
            session.connection().execute(insert(m.Mention.__table__), mentions)

        rows = []
        for att in result.attributions:
            src = att.source
            entity_id = None
            if src is not None:
                if src.entity and src.entity in local_entities:
                    entity_id = local_entities[src.entity]
                elif src.kind in _LABEL_OF_KIND:
                    entity_id = ids.get(entity_key(_source_name(src), _LABEL_OF_KIND[src.kind]))
            rows.append({
                "article_id": article.id, "local_id": att.id, "parent_id": None,
                "source_text": src.text if src else None,
                "source_kind": src.kind if src else "anonymous",
                "source_spans": [list(s) for s in src.spans] if src else [],
                "source_entity_id": entity_id,
                "cue_text": att.cue.text, "cue_spans": [list(s) for s in att.cue.spans],
                "content_text": att.content.text, "content_spans": [list(s) for s in att.content.spans],
                "type": att.type, "cue_class": att.stance.cue_class, "hedged": att.stance.hedged,
                "markers": list(att.stance.markers), "confidence": att.confidence, "evidence": att.evidence,
                "record": att.to_dict(),
            })
        if rows:
            table = m.Attribution.__table__
            att_ids = session.connection().execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars().all()
            by_local = {att.id: row_id for att, row_id in zip(result.attributions, att_ids, strict=True)}
            parents = [{"b_id": by_local[a.id], "b_parent": by_local[a.parent]}
                       for a in result.attributions if a.parent and a.parent in by_local]
            if parents:
                session.connection().execute(
                    update(m.Attribution.__table__).where(m.Attribution.__table__.c.id == bindparam("b_id"))
                    .values(parent_id=bindparam("b_parent")), parents)

        if result.quantities:
            session.connection().execute(insert(m.Quantity.__table__), [
                {"article_id": article.id, "start": q.span[0], "end": q.span[1], "text": q.text,
                 "value": q.value, "unit": q.unit, "hedge": q.hedge} for q in result.quantities])
        if result.dates:
            session.connection().execute(insert(m.DateMention.__table__), [
                {"article_id": article.id, "start": d.span[0], "end": d.span[1], "text": d.text,
                 "start_date": d.start, "end_date": d.end, "granularity": d.granularity,
                 "modifier": d.modifier, "relative": d.relative} for d in result.dates])
        return article

    @staticmethod
    def _link_duplicate(session: Session, article: m.Article, match_id: int, score: float) -> None:
        """Point ``article`` at its cluster's original; an earlier-dated newcomer becomes the original."""
        match = session.get(m.Article, match_id)
        assert match is not None
        root = session.get(m.Article, match.original_id) if match.original_id else match
        assert root is not None
        newcomer_first = (article.date_flag is None and root.date_flag is None
                          and as_utc(article.published_at) < as_utc(root.published_at))
        if newcomer_first:
            session.execute(update(m.Article).where(m.Article.original_id == root.id)
                            .values(original_id=article.id))
            root.original_id = article.id
            root.dup_similarity = score
        else:
            article.original_id = root.id
            article.dup_similarity = score
        session.flush()


def error_row(err: DocumentError, run_id: int | None) -> m.DocumentErrorRow:
    return m.DocumentErrorRow(run_id=run_id, doc_id=err.doc_id[:4000], kind=err.kind, reason=err.reason,
                              created_at=datetime.now(UTC))
