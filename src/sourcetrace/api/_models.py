"""Response and request models: every JSON endpoint returns one, and the HTML page that is its
twin renders the same one (STYLE: the HTML view renders the JSON response model)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..settings import TAGGERS

__all__ = [
    "AnalyzeRequest", "AnalyzeResponse", "ArticleDetail", "ArticleSummary", "AttributionRow", "ClaimDetail",
    "ClaimSummary", "EntityRow", "ErrorBody", "GraphEdge", "GraphNode", "IngestArticle", "IngestRequest",
    "IngestResponse", "Page", "OutletRow", "SearchResponse", "SpeakerResponse", "OutletResponse",
]


class ErrorBody(BaseModel):
    error: str = Field(description="why the request failed")
    status: int


class Page(BaseModel):
    """Pagination of a listing: ``limit`` as applied (after the cap), ``offset``, and whether more follow."""

    limit: int
    offset: int
    count: int
    more: bool


class AnalyzeRequest(BaseModel):
    text: str | None = Field(default=None, description="plain article text")
    html: str | None = Field(default=None, description="an HTML page; its main text is extracted")
    url: str | None = Field(default=None, max_length=2000,
                            description="an http(s) page to fetch and analyse by its main text (public "
                                        "addresses only unless the server runs with --allow-private)")
    id: str = Field(default="doc", max_length=200)
    min_confidence: float | None = Field(
        default=None, ge=0.0, le=1.0,
        description="leave out attributions less sure than this; default: the cut fitted on held-out "
                    "articles; 0 keeps every attribution")
    tagger: Literal[TAGGERS] | None = Field(  # type: ignore[valid-type]
        default=None,
        description="crf: fast; encoder: fine-tuned MiniLMs that find more attributions (+0.03 F1 on "
                    "PolNeAR dev) at about three times the time; default: the server's (serve --tagger)")
    published: str | None = Field(
        default=None, max_length=64,
        description="when the article appeared (ISO 8601 or RFC 2822): the day relative dates such as "
                    "\"yesterday\" count from; default: the page's own date, if it gives one")


class AnalyzeResponse(BaseModel):
    """The attribution contract (``DocumentResult.to_dict()``) plus the text its offsets index."""

    id: str
    text: str
    attributions: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    quantities: list[dict[str, Any]]
    dates: list[dict[str, Any]]


class ArticleSummary(BaseModel):
    id: int
    title: str | None
    outlet: str | None
    published_at: str | None
    url: str | None
    attributions: int
    copy_of: int | None = None


class ArticleDetail(BaseModel):
    article: ArticleSummary
    text: str
    attributions: list[dict[str, Any]]      # the stored contract records (local ids, offsets)
    entities: list[dict[str, Any]]
    claims: dict[str, int] = Field(default_factory=dict, description="attribution local id → claim cluster id")
    dates: list[dict[str, Any]] = Field(
        default_factory=list, description="the dates the text speaks of, as the contract gives them")
    quantities: list[dict[str, Any]] = Field(
        default_factory=list, description="the figures the text gives, each with the attribution stating it")


class ArticleList(BaseModel):
    page: Page
    articles: list[ArticleSummary]


class AttributionRow(BaseModel):
    id: int
    article_id: int
    local_id: str
    source: str | None
    source_kind: str
    entity: str | None
    cue: str
    content: str
    type: str
    cue_class: str
    hedged: bool
    confidence: float
    parent_id: int | None


class AttributionList(BaseModel):
    page: Page
    attributions: list[AttributionRow]


class EntityRow(BaseModel):
    id: int
    name: str
    label: str
    attributions: int


class EntityList(BaseModel):
    page: Page
    entities: list[EntityRow]


class OutletRow(BaseModel):
    id: int
    name: str
    domain: str | None
    articles: int


class OutletList(BaseModel):
    page: Page
    outlets: list[OutletRow]


class SpeakerResponse(BaseModel):
    name: str
    statements: list[dict[str, Any]]


class EntityClusterResponse(BaseModel):
    """The clusters holding a name: one row per name each joined (cluster, name, label,
    mentions, statements, entity_id)."""

    name: str
    names: list[dict[str, Any]]


class MergeList(BaseModel):
    """Why entities were joined, oldest first, undone ones included."""

    merges: list[dict[str, Any]]


class OutletResponse(BaseModel):
    name: str
    reports: list[dict[str, Any]]


class SearchResponse(BaseModel):
    query: str
    articles: list[dict[str, Any]]
    statements: list[dict[str, Any]]
    claims: list[ClaimSummary]


class ClaimSummary(BaseModel):
    id: int
    text: str
    first_seen_at: str | None
    first_outlet: str | None
    appearances: int
    outlets: list[str]
    sources: list[str]
    single_sourced: bool
    stances: dict[str, int] = Field(default_factory=dict, description="how the appearances put it: "
                                    "assert, claim, report, deny, confirm, believe → count")
    contested: bool = Field(default=False, description="some appearance denies what others put forward")


class ClaimList(BaseModel):
    page: Page
    claims: list[ClaimSummary]


class GraphNode(BaseModel):
    id: str
    kind: str
    name: str
    data: dict[str, Any] = Field(default_factory=dict)


class GraphEdge(BaseModel):
    source: str
    target: str
    kind: str
    date: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class Graph(BaseModel):
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class ClaimDetail(BaseModel):
    claim: dict[str, Any]                 # ClaimTrace.to_dict(): first, timeline, mutations, sources
    graph: Graph


class IngestArticle(BaseModel):
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None


class IngestRequest(BaseModel):
    articles: list[IngestArticle] = Field(min_length=1, max_length=1000)
    link: bool = Field(default=True, description="link the new claims into clusters afterwards")


class IngestResponse(BaseModel):
    report: dict[str, Any]
    linked: dict[str, Any] | None = None


SearchResponse.model_rebuild()
