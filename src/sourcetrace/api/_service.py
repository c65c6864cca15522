"""The data calls behind every route, JSON and HTML alike: each takes plain arguments, asks the
corpus (or the analyzer) and returns a response model. Routes only parse input and delegate."""

from __future__ import annotations

import json
import tempfile
import threading
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import false, func, select

from .. import linking, provenance
from ..corpus import Corpus
from ..errors import DocumentError
from ..records import Attribution, Quantity, stated_by
from ..store import claims as c
from ..store import models as m
from . import _models as am

__all__ = ["Limits", "NotFound", "Service"]


class NotFound(LookupError):
    """The article, claim, speaker or outlet asked for is not in the corpus."""


class Limits:
    """Pagination caps, in one place."""

    default: int = 50
    maximum: int = 200


def _page(limit: int, offset: int, count: int, more: bool) -> am.Page:
    return am.Page(limit=limit, offset=offset, count=count, more=more)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    from ..ingest.dates import as_utc

    return as_utc(value).isoformat()


class Service:
    """The corpus and the analyzer seen through response models."""

    def __init__(self, corpus: Corpus | None, *, analyzer: Any = None, embedder: Any = None,
                 allow_private: bool = False) -> None:
        self.corpus = corpus
        self._analyzer = analyzer
        self.embedder = embedder
        self.allow_private = allow_private  # may /api/analyze fetch loopback and private addresses?
        self._lock = threading.Lock()      # one spaCy pipeline, one caller at a time

    # -- analysing -------------------------------------------------------------------------------

    @property
    def analyzer(self) -> Any:
        with self._lock:
            if self._analyzer is None:
                from ..analyzer import Analyzer

                self._analyzer = Analyzer()
            return self._analyzer

    def analyze(self, *, text: str | None = None, html: str | None = None, url: str | None = None,
                doc_id: str = "doc", min_confidence: float | None = None,
                tagger: str | None = None, published: str | None = None) -> am.AnalyzeResponse:
        """Analyse ``text``, or the main text of ``html`` or of the page at ``url`` (fetched within
        the ingest guards: public addresses only unless ``allow_private``, size and time caps);
        DocumentError when it cannot be. ``published`` (else a page's own date) places relative
        dates."""
        from ..ingest.dates import publication_day

        if sum(given is not None for given in (text, html, url)) != 1:
            raise DocumentError(doc_id, 'send exactly one of "text", "html" or "url"', "malformed")
        if published is not None and publication_day(published) is None:
            raise DocumentError(doc_id, f'"published" is not a date: {published!r}', "malformed")
        if url is not None:
            html = self._fetch_page(url, doc_id)
        if html is not None:
            from ..ingest.html import article_from_html

            page = article_from_html(doc_id, html)
            text, published = page.text, published if published is not None else page.published
        assert text is not None
        analyzer = self.analyzer
        with self._lock:
            result = analyzer.analyze_text(text, doc_id, min_confidence, tagger, published)
        d = result.to_dict()
        return am.AnalyzeResponse(id=d["id"], text=text, attributions=d["attributions"],
                                  entities=d["entities"], quantities=d["quantities"], dates=d["dates"])

    def _fetch_page(self, url: str, doc_id: str) -> bytes:
        from ..ingest._fetch import Fetcher, FetchPolicy
        from ..ingest.html import looks_like_html

        with Fetcher(FetchPolicy(allow_private=self.allow_private)) as fetcher:
            page = fetcher.get(url)
        if not looks_like_html(page.content, page.content_type):
            raise DocumentError(doc_id, f"not an HTML page ({page.content_type or 'no type'})", "unsupported")
        return page.content

    def ingest(self, request: am.IngestRequest) -> am.IngestResponse:
        corpus = self._need_corpus()
        with tempfile.TemporaryDirectory(prefix="sourcetrace-api-") as tmp:
            path = Path(tmp) / "upload.jsonl"
            with path.open("w", encoding="utf-8") as fh:
                for a in request.articles:
                    fh.write(json.dumps(a.model_dump(exclude_none=True)) + "\n")
            analyzer = self.analyzer
            with self._lock:
                report = corpus.ingest([path], analyzer=analyzer, workers=1, follow_links=False)
        linked = None
        if request.link and report.stored:
            linked = linking.link_claims(corpus, embedder=self.embedder).to_dict()
        return am.IngestResponse(report=report.to_dict(), linked=linked)

    # -- listings --------------------------------------------------------------------------------

    def _need_corpus(self) -> Corpus:
        if self.corpus is None:
            raise NotFound("this server has no corpus (started without --db)")
        return self.corpus

    def articles(self, *, limit: int, offset: int, outlet: str | None = None) -> am.ArticleList:
        corpus = self._need_corpus()
        n_atts = (select(m.Attribution.article_id, func.count().label("n"))
                  .group_by(m.Attribution.article_id).subquery())
        stmt = (select(m.Article.id, m.Article.title, m.Outlet.name, m.Article.published_at,
                       m.Article.canonical_url, func.coalesce(n_atts.c.n, 0), m.Article.original_id)
                .outerjoin(m.Outlet, m.Outlet.id == m.Article.outlet_id)
                .outerjoin(n_atts, n_atts.c.article_id == m.Article.id)
                .order_by(m.Article.published_at, m.Article.id))
        if outlet:
            stmt = stmt.where(func.lower(m.Outlet.name) == outlet.casefold())
        with corpus.sessions() as s:
            rows = s.execute(stmt.limit(limit + 1).offset(offset)).all()
        items = [am.ArticleSummary(id=r[0], title=r[1], outlet=r[2], published_at=_iso(r[3]), url=r[4],
                                   attributions=int(r[5]), copy_of=r[6]) for r in rows[:limit]]
        return am.ArticleList(page=_page(limit, offset, len(items), len(rows) > limit), articles=items)

    def article(self, article_id: int) -> am.ArticleDetail:
        corpus = self._need_corpus()
        with corpus.sessions() as s:
            art = s.get(m.Article, article_id) if 0 < article_id <= m.MAX_ROW_ID else None
            if art is None:
                raise NotFound(f"no article {article_id}")
            atts = list(s.scalars(select(m.Attribution).where(m.Attribution.article_id == article_id)
                                  .order_by(m.Attribution.id)))
            local = {a.id: a.local_id for a in atts}
            cluster_of = dict(s.execute(select(c.Claim.attribution_id, c.Claim.cluster_id)
                                        .where(c.Claim.article_id == article_id)).all())
            records = []
            for a in atts:
                rec = dict(a.record)
                rec["parent"] = local.get(a.parent_id) if a.parent_id else rec.get("parent")
                if a.source_entity_id is not None and rec.get("source"):
                    ent = s.get(m.Entity, a.source_entity_id)
                    if ent is not None:
                        rec["source"] = {**rec["source"], "entity": ent.name}
                records.append(rec)
            mentions = s.execute(select(m.Mention.local_id, m.Entity.name, m.Entity.label, m.Mention.start,
                                        m.Mention.end).join(m.Entity, m.Entity.id == m.Mention.entity_id)
                                 .where(m.Mention.article_id == article_id).order_by(m.Mention.start)).all()
            entities: dict[str, dict[str, Any]] = {}
            for lid, name, label, start, end in mentions:
                e = entities.setdefault(lid, {"id": lid, "name": name, "label": label, "mentions": []})
                e["mentions"].append([start, end])
            summary = am.ArticleSummary(id=art.id, title=art.title, outlet=art.outlet.name if art.outlet else None,
                                        published_at=_iso(art.published_at), url=art.canonical_url,
                                        attributions=len(atts), copy_of=art.original_id)
            claims = {local[aid]: cid for aid, cid in cluster_of.items() if aid in local}
            dates = s.scalars(select(m.DateMention).where(m.DateMention.article_id == article_id)
                              .order_by(m.DateMention.start))
            quantities = [Quantity((q.start, q.end), q.text, q.value, q.unit, q.hedge) for q in
                          s.scalars(select(m.Quantity).where(m.Quantity.article_id == article_id)
                                    .order_by(m.Quantity.start))]
            stated = stated_by(quantities, [Attribution.from_dict(r) for r in records])
            return am.ArticleDetail(article=summary, text=art.text, attributions=records,
                                    entities=list(entities.values()), claims=claims,
                                    dates=[d.as_record().to_dict() for d in dates],
                                    quantities=[q.to_dict() for q in stated])

    def attributions(self, *, limit: int, offset: int, article_id: int | None = None,
                     speaker: str | None = None) -> am.AttributionList:
        corpus = self._need_corpus()
        stmt = (select(m.Attribution, m.Entity.name).outerjoin(m.Entity, m.Entity.id == m.Attribution.source_entity_id)
                .order_by(m.Attribution.id))
        if article_id is not None:
            in_range = 0 < article_id <= m.MAX_ROW_ID  # past it no row, and the driver would raise
            stmt = stmt.where(m.Attribution.article_id == article_id if in_range else false())
        if speaker:
            like = f"%{speaker.casefold()}%"
            stmt = stmt.where(func.lower(m.Attribution.source_text).like(like) | func.lower(m.Entity.name).like(like))
        with corpus.sessions() as s:
            rows = s.execute(stmt.limit(limit + 1).offset(offset)).all()
            items = [am.AttributionRow(id=a.id, article_id=a.article_id, local_id=a.local_id, source=a.source_text,
                                       source_kind=a.source_kind, entity=name, cue=a.cue_text, content=a.content_text,
                                       type=a.type, cue_class=a.cue_class, hedged=a.hedged,
                                       confidence=a.confidence, parent_id=a.parent_id)
                     for a, name in rows[:limit]]
        return am.AttributionList(page=_page(limit, offset, len(items), len(rows) > limit), attributions=items)

    def entities(self, *, limit: int, offset: int, label: str | None = None) -> am.EntityList:
        corpus = self._need_corpus()
        n = (select(m.Attribution.source_entity_id.label("eid"), func.count().label("n"))
             .group_by(m.Attribution.source_entity_id).subquery())
        stmt = (select(m.Entity.id, m.Entity.name, m.Entity.label, func.coalesce(n.c.n, 0))
                .outerjoin(n, n.c.eid == m.Entity.id).where(m.Entity.merged_into_id.is_(None))
                .order_by(func.coalesce(n.c.n, 0).desc(), m.Entity.name))
        if label:
            stmt = stmt.where(m.Entity.label == label.upper())
        with corpus.sessions() as s:
            rows = s.execute(stmt.limit(limit + 1).offset(offset)).all()
        items = [am.EntityRow(id=r[0], name=r[1], label=r[2], attributions=int(r[3])) for r in rows[:limit]]
        return am.EntityList(page=_page(limit, offset, len(items), len(rows) > limit), entities=items)

    def outlets(self, *, limit: int, offset: int) -> am.OutletList:
        corpus = self._need_corpus()
        stmt = (select(m.Outlet.id, m.Outlet.name, m.Outlet.domain, func.count(m.Article.id))
                .outerjoin(m.Article, m.Article.outlet_id == m.Outlet.id)
                .group_by(m.Outlet.id, m.Outlet.name, m.Outlet.domain).order_by(m.Outlet.name))
        with corpus.sessions() as s:
            rows = s.execute(stmt.limit(limit + 1).offset(offset)).all()
        items = [am.OutletRow(id=r[0], name=r[1], domain=r[2], articles=int(r[3])) for r in rows[:limit]]
        return am.OutletList(page=_page(limit, offset, len(items), len(rows) > limit), outlets=items)

    def speaker(self, name: str, *, limit: int) -> am.SpeakerResponse:
        statements = self._need_corpus().speaker(name, limit=limit)
        return am.SpeakerResponse(name=name, statements=[st.to_dict() for st in statements])

    def entity(self, name: str) -> am.EntityClusterResponse:
        rows = self._need_corpus().entity(name)
        if not rows:
            raise NotFound(f"no entity named {name!r}")
        return am.EntityClusterResponse(name=name, names=rows)

    def merges(self, name: str | None) -> am.MergeList:
        return am.MergeList(merges=self._need_corpus().merges(name))

    def outlet(self, name: str) -> am.OutletResponse:
        reports = self._need_corpus().outlet(name)
        if not reports:
            raise NotFound(f"no outlet matching {name!r}")
        return am.OutletResponse(name=name, reports=[r.to_dict() for r in reports])

    # -- claims ----------------------------------------------------------------------------------

    @staticmethod
    def _summary(trace: linking.ClaimTrace) -> am.ClaimSummary:
        return am.ClaimSummary(id=trace.id, text=trace.text, first_seen_at=trace.first.published_at,
                               first_outlet=trace.first.outlet, appearances=len(trace.timeline),
                               outlets=list(trace.outlets), sources=list(trace.sources),
                               single_sourced=trace.single_sourced, stances=trace.stances,
                               contested=trace.contested)

    def claims(self, *, limit: int, offset: int, query: str | None = None, when: str | None = None,
               order: str = "first") -> am.ClaimList:
        """A page of claims, narrowed by ``query`` words and a ``when`` period ("2026-03",
        "2026-03-02..2026-03-04") their dates overlap, earliest first or most repeated first
        (``order="appearances"``); a period that is none is a DocumentError."""
        corpus = self._need_corpus()
        try:
            period = linking.parse_period(when) if when else None
        except ValueError as err:
            raise DocumentError("when", str(err), "malformed") from None
        # The pages before are passed over as cluster ids, not built: page 300 costs what page 1 does.
        found = list(islice(linking.iter_traces(corpus, query=query or None, when=period, order=order, offset=offset),
                            limit + 1))
        items = [self._summary(t) for t in found[:limit]]
        return am.ClaimList(page=_page(limit, offset, len(items), len(found) > limit), claims=items)

    def claim(self, claim_id: int) -> am.ClaimDetail:
        try:
            trace = linking.trace_claim(self._need_corpus(), claim_id)
        except NotFound:
            raise
        except LookupError as err:
            raise NotFound(str(err)) from None
        g = provenance.claim_graph([trace])
        nodes = [am.GraphNode(id=n, kind=str(d.get("kind", "")), name=str(d.get("name", n)),
                              data={k: v for k, v in d.items() if k not in ("kind", "name")})
                 for n, d in g.nodes(data=True)]
        edges = [am.GraphEdge(source=u, target=v, kind=str(d.get("kind", "")), date=d.get("date"),
                              data={k: v for k, v in d.items() if k not in ("kind", "date")})
                 for u, v, d in g.edges(data=True)]
        return am.ClaimDetail(claim=trace.to_dict(), graph=am.Graph(nodes=nodes, edges=edges))

    def search(self, query: str, *, limit: int) -> am.SearchResponse:
        corpus = self._need_corpus()
        query = query.strip()
        if not query:
            return am.SearchResponse(query=query, articles=[], statements=[], claims=[])
        return am.SearchResponse(
            query=query,
            articles=[h.to_dict() for h in corpus.search(query, limit=limit)],
            statements=[st.to_dict() for st in corpus.who_said(query, limit=limit)],
            claims=self.claims(limit=limit, offset=0, query=query).claims)
