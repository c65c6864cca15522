"""The provenance graph of claims: who reported whom, citing whom, repeating whom, and when.

Nodes (attribute ``kind``):

* ``article:<id>``: an article that reports the claim (``title``, ``url``, ``date``);
* ``outlet:<name>``: a publisher, and also an outlet cited as a source ("Nordwire reported …");
* ``speaker:<name>``: a named person, organisation, group or document;
* ``anonymous:<article>:<text>``: an unnamed source, one node per article ("officials" in two
  articles need not be the same people).

Edges (attribute ``kind``, with ``date`` = the reporting article's publication time and ``claim``):

* ``reports``: outlet → article, the outlet published the article;
* ``quotes``: article → source, the article attributes the claim to the first source of its chain
  (direct, indirect or mixed: ``type`` says which);
* ``cites``: source → source, one link of a chain ("Nordwire" cites "Igor Korotchenko");
* ``repeats``: article → article, a later appearance repeats the cluster's first appearance
  (``copy`` is true when it is a near-duplicate of it, a wire copy).

One graph for one claim (``claim_graph([trace])``) or for the corpus (all traces); parallel
edges of the same kind between the same nodes for the same claim are kept once. The attributes a
node or edge may carry, with their types, are ``NODE_ATTRIBUTES`` and ``EDGE_ATTRIBUTES``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from ..linking.trace import Appearance, ClaimTrace

__all__ = ["EDGE_ATTRIBUTES", "EDGE_KINDS", "NODE_ATTRIBUTES", "NODE_KINDS", "add_trace", "claim_graph",
           "source_node"]

NODE_KINDS = ("article", "outlet", "speaker", "anonymous")
EDGE_KINDS = ("reports", "quotes", "cites", "repeats")
# Every attribute a node or an edge may carry, and its type: a streamed GraphML export declares
# its keys before the first node, so it cannot infer them from the graph.
NODE_ATTRIBUTES: dict[str, type] = {"kind": str, "name": str, "url": str, "date": str, "article": int,
                                    "source_kind": str}
EDGE_ATTRIBUTES: dict[str, type] = {"kind": str, "date": str, "claim": int, "type": str, "copy": bool}


def source_node(a: Appearance, index: int) -> tuple[str, dict[str, Any]]:
    """The node of the ``index``-th source in ``a``'s chain."""
    name = a.chain[index]
    kind = a.chain_kinds[index] if index < len(a.chain_kinds) else "unknown"
    if kind == "outlet":
        return f"outlet:{name}", {"kind": "outlet", "name": name}
    if kind == "anonymous":
        return f"anonymous:{a.article_id}:{name}", {"kind": "anonymous", "name": name, "article": a.article_id}
    return f"speaker:{name}", {"kind": "speaker", "name": name, "source_kind": kind}


def _add_edge(g: nx.MultiDiGraph, u: str, v: str, kind: str, **attrs: Any) -> None:
    key = f"{kind}:{attrs.get('claim')}"
    if not g.has_edge(u, v, key):
        g.add_edge(u, v, key=key, kind=kind, **{k: val for k, val in attrs.items() if val is not None})


def add_trace(g: nx.MultiDiGraph, trace: ClaimTrace) -> None:
    """Add one claim's nodes and edges to ``g`` (a source node already there keeps its attributes)."""
    first_article = f"article:{trace.first.article_id}"
    for a in trace.timeline:
        art = f"article:{a.article_id}"
        g.add_node(art, kind="article", name=a.title or f"article {a.article_id}",
                   **{k: v for k, v in (("url", a.url), ("date", a.published_at)) if v})
        if a.outlet:
            g.add_node(f"outlet:{a.outlet}", kind="outlet", name=a.outlet)
            _add_edge(g, f"outlet:{a.outlet}", art, "reports", date=a.published_at, claim=trace.id)
        previous = art
        for i in range(len(a.chain)):
            node, attrs = source_node(a, i)
            if node not in g:
                g.add_node(node, **attrs)
            if i == 0:
                _add_edge(g, art, node, "quotes", date=a.published_at, claim=trace.id, type=a.type)
            else:
                _add_edge(g, previous, node, "cites", date=a.published_at, claim=trace.id)
            previous = node
        if art != first_article:
            _add_edge(g, art, first_article, "repeats", date=a.published_at, claim=trace.id,
                      copy=a.copy_of == trace.first.article_id)


def claim_graph(traces: Iterable[ClaimTrace]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for trace in traces:
        add_trace(g, trace)
    return g
