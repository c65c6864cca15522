"""The provenance graph of the fictional newsroom: node and edge kinds, chains, repeats, dates."""

from __future__ import annotations

import networkx as nx

from sourcetrace.linking import ClaimTrace
from sourcetrace.provenance import EDGE_KINDS, NODE_KINDS, claim_graph


def _edges(g: nx.MultiDiGraph, kind: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, d in g.edges(data=True) if d["kind"] == kind}


def _soldiers(traces: list[ClaimTrace]) -> ClaimTrace:
    return next(t for t in traces if len(t.timeline) == 4)


def test_claim_graph(traces: list[ClaimTrace]) -> None:
    trace = _soldiers(traces)
    g = claim_graph([trace])
    arts = {a.outlet: f"article:{a.article_id}" for a in trace.timeline}
    assert {d["kind"] for _, d in g.nodes(data=True)} <= set(NODE_KINDS)
    assert {d["kind"] for _, _, d in g.edges(data=True)} == set(EDGE_KINDS)
    assert _edges(g, "reports") == {(f"outlet:{o}", a) for o, a in arts.items()}
    assert (arts["Daily Planet"], "outlet:Nordwire") in _edges(g, "quotes")  # the planet quotes the wire
    assert _edges(g, "cites") == {("outlet:Nordwire", "speaker:Igor Korotchenko")}
    assert _edges(g, "repeats") == {(arts[o], arts["Nordwire"]) for o in ("Coast Gazette", "Daily Planet",
                                                                          "Evening Post")}
    copy = next(d for u, v, d in g.edges(data=True) if d["kind"] == "repeats" and u == arts["Coast Gazette"])
    assert copy["copy"] is True and copy["date"] == "2026-03-01T10:00:00+00:00"
    assert all("date" in d and d["claim"] == trace.id for _, _, d in g.edges(data=True))


def test_corpus_graph_has_anonymous_sources_per_article(traces: list[ClaimTrace]) -> None:
    g = claim_graph(traces)
    anonymous = [n for n, d in g.nodes(data=True) if d["kind"] == "anonymous"]
    assert len(anonymous) == 1 and anonymous[0].endswith(":officials")
    assert g.nodes["speaker:Anna Berg"]["kind"] == "speaker"
    assert g.number_of_nodes() == len(set(g.nodes))
