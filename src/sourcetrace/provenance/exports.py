"""Exports of claims and their provenance, each written whole (never capped) and, where the
format allows, streamed cluster by cluster:

* ``jsonl``: one claim trace per line (``ClaimTrace.to_dict``), streamed;
* ``csv``: one appearance per row, streamed;
* ``graphml``: the provenance graph (``graph.claim_graph``) through networkx;
* ``prov-json`` / ``prov-turtle``: W3C PROV with the ``prov`` package (PROV-O Turtle through
  rdflib), using ``prov:wasQuotedFrom`` (direct and mixed quotes), ``prov:hadPrimarySource`` (the
  original source's statement), ``prov:wasDerivedFrom`` (repeats and chains) and
  ``prov:wasAttributedTo`` (articles to outlets, statements to speakers);
* ``jsonld``: schema.org ``Claim`` objects compatible with ClaimReview (``appearance``,
  ``firstAppearance``, ``author``), one ``@graph`` for several claims.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any, Literal

import networkx as nx
from prov.model import PROV, ProvDocument

from ..linking.trace import Appearance, ClaimTrace
from .graph import claim_graph, source_node

__all__ = ["CSV_FIELDS", "FORMATS", "ExportFormat", "claim_jsonld", "prov_document", "write_export"]

ExportFormat = Literal["jsonl", "csv", "graphml", "prov-json", "prov-turtle", "jsonld"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "graphml", "prov-json", "prov-turtle", "jsonld")
NS = "urn:sourcetrace:"
SCHEMA = "https://schema.org/"
CSV_FIELDS = ("claim_id", "claim_text", "first_seen_at", "first_outlet", "single_sourced", "sources",
              "appearance", "attribution_id", "article_id", "outlet", "published_at", "title", "url",
              "speaker", "speaker_kind", "type", "chain", "relay", "copy_of", "similarity", "text",
              "mutations")
_SLUG = re.compile(r"[^A-Za-z0-9]+")


def _slug(name: str) -> str:
    """A QName-safe local name: letters and digits, plus a short hash so distinct names stay distinct."""
    base = _SLUG.sub("-", name).strip("-")[:48] or "x"
    return f"{base}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"


# -- JSONL and CSV -------------------------------------------------------------------------------

def _jsonl(traces: Iterable[ClaimTrace], out: IO[str]) -> int:
    n = 0
    for trace in traces:
        out.write(json.dumps(trace.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def _csv(traces: Iterable[ClaimTrace], out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    n = 0
    for trace in traces:
        kinds: dict[int, list[str]] = {}
        for mu in trace.mutations:
            kinds.setdefault(mu.claim, []).append(mu.kind)
        for i, a in enumerate(trace.timeline, 1):
            writer.writerow([trace.id, trace.text, trace.first.published_at, trace.first.outlet or "",
                             trace.single_sourced, " | ".join(trace.sources), i, a.claim_id, a.article_id,
                             a.outlet or "", a.published_at or "", a.title or "", a.url or "", a.speaker or "",
                             a.speaker_kind, a.type, " > ".join(a.chain), a.relay,
                             "" if a.copy_of is None else a.copy_of,
                             "" if a.similarity is None else a.similarity, a.text,
                             " ".join(kinds.get(a.claim_id, []))])
        n += 1
    return n


# -- GraphML -------------------------------------------------------------------------------------

def _graphml(traces: Iterable[ClaimTrace], out: IO[str]) -> int:
    collected = list(traces)
    g = claim_graph(collected)
    for line in nx.generate_graphml(g):
        out.write(line + "\n")
    return len(collected)


# -- W3C PROV ------------------------------------------------------------------------------------

def _agent_id(a: Appearance, index: int) -> str:
    node, _ = source_node(a, index)
    return "st:" + _slug(node)


def prov_document(traces: Iterable[ClaimTrace]) -> tuple[ProvDocument, int]:
    doc = ProvDocument()
    st = doc.add_namespace("st", NS)
    schema = doc.add_namespace("schema", SCHEMA)
    seen: set[str] = set()
    n = 0

    def once(identifier: str) -> bool:
        if identifier in seen:
            return False
        seen.add(identifier)
        return True

    for trace in traces:
        n += 1
        claim = f"st:claim-{trace.id}"
        if once(claim):
            doc.entity(claim, {"prov:type": schema["Claim"], "prov:value": trace.text,
                               "st:firstSeenAt": trace.first.published_at or "",
                               "st:singleSourced": trace.single_sourced})
        first_article = f"st:article-{trace.first.article_id}"
        for a in trace.timeline:
            article = f"st:article-{a.article_id}"
            if once(article):
                attrs: dict[str, Any] = {"prov:type": schema["NewsArticle"]}
                if a.title:
                    attrs["schema:headline"] = a.title
                if a.url:
                    attrs["schema:url"] = a.url
                if a.published_at:
                    attrs["schema:datePublished"] = a.published_at
                doc.entity(article, attrs)
            outlet = None
            if a.outlet:
                outlet = "st:" + _slug(f"outlet:{a.outlet}")
                if once(outlet):
                    doc.agent(outlet, {"prov:type": PROV["Organization"], "prov:label": a.outlet})
                if once(f"attr {article} {outlet}"):
                    doc.wasAttributedTo(article, outlet)
            # The statement of the original source (the chain's end), and one per intermediate.
            statements = []
            for i, name in enumerate(a.chain):
                agent = _agent_id(a, i)
                kind = a.chain_kinds[i] if i < len(a.chain_kinds) else "unknown"
                if once(agent):
                    doc.agent(agent, {"prov:type": PROV["Organization"] if kind in ("outlet", "organization")
                                      else PROV["Person"] if kind == "person" else PROV["Agent"],
                                      "prov:label": name, "st:sourceKind": kind})
                statement = f"st:claim-{trace.id}-by-{agent[3:]}"
                if once(statement):
                    doc.entity(statement, {"prov:type": st["Statement"], "prov:value": trace.text})
                    doc.specializationOf(statement, claim)
                    doc.wasAttributedTo(statement, agent)
                statements.append((statement, agent))
            original = statements[-1][0] if statements else claim
            if once(f"primary {article} {original}"):
                doc.hadPrimarySource(article, original)
            if statements and a.type in ("direct", "mixed") and once(f"quote {article} {statements[0][0]}"):
                doc.wasQuotedFrom(article, statements[0][0], None, outlet, statements[0][1])
            for (outer, _), (inner, _) in zip(statements, statements[1:]):
                if once(f"derived {outer} {inner}"):
                    doc.wasDerivedFrom(outer, inner)
            if article != first_article and once(f"derived {article} {first_article}"):
                doc.wasDerivedFrom(article, first_article, other_attributes={
                    "prov:type": st["Repeat"], "st:date": a.published_at or ""})
    return doc, n


def _prov(traces: Iterable[ClaimTrace], out: IO[str], fmt: str) -> int:
    doc, n = prov_document(traces)
    if fmt == "prov-json":
        out.write(doc.serialize(format="json", indent=1))
    else:
        out.write(_with_shortcuts(doc.serialize(format="rdf", rdf_format="turtle")))
    return n


def _with_shortcuts(turtle: str) -> str:
    """The ``prov`` package writes quotations, primary sources and derivations that carry
    attributes only in PROV-O's qualified form (``prov:qualifiedQuotation [ prov:entity … ]``);
    add the unqualified triples (``prov:wasQuotedFrom``, ``prov:hadPrimarySource``,
    ``prov:wasDerivedFrom``) that PROV-O asserts alongside, so plain queries find them."""
    import rdflib
    from rdflib.namespace import PROV as P

    g = rdflib.Graph()
    g.parse(data=turtle, format="turtle")
    for qualified, shortcut in ((P.qualifiedQuotation, P.wasQuotedFrom),
                                (P.qualifiedPrimarySource, P.hadPrimarySource),
                                (P.qualifiedDerivation, P.wasDerivedFrom)):
        for subject, node in list(g.subject_objects(qualified)):
            target = g.value(node, P.entity)
            if target is not None:
                g.add((subject, shortcut, target))
    for prefix, uri in (("st", NS), ("schema", SCHEMA), ("prov", str(P))):
        g.bind(prefix, uri, override=True)
    return g.serialize(format="turtle")


# -- schema.org JSON-LD --------------------------------------------------------------------------

_CONTEXT = {"@vocab": SCHEMA}


def _creative_work(a: Appearance) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "NewsArticle", "@id": f"{NS}article-{a.article_id}"}
    if a.url:
        work["url"] = a.url
    if a.title:
        work["headline"] = a.title
    if a.published_at:
        work["datePublished"] = a.published_at
    if a.outlet:
        work["publisher"] = {"@type": "Organization", "name": a.outlet}
    work["text"] = a.text
    return work


def claim_jsonld(trace: ClaimTrace, *, context: bool = True) -> dict[str, Any]:
    """A schema.org ``Claim`` (the ``itemReviewed`` of a ClaimReview) for one cluster."""
    first = trace.first
    kind = first.chain_kinds[-1] if first.chain_kinds else "unknown"
    out: dict[str, Any] = {}
    if context:
        out["@context"] = _CONTEXT
    out.update({
        "@type": "Claim", "@id": f"{NS}claim-{trace.id}", "identifier": str(trace.id),
        "text": trace.text, "datePublished": first.published_at,
        "firstAppearance": _creative_work(first),
        "appearance": [_creative_work(a) for a in trace.timeline],
    })
    if first.chain and kind != "anonymous":
        out["author"] = {"@type": "Person" if kind == "person" else "Organization", "name": first.chain[-1]}
    return out


def _jsonld(traces: Iterable[ClaimTrace], out: IO[str]) -> int:
    out.write('{"@context": ' + json.dumps(_CONTEXT) + ', "@graph": [\n')
    n = 0
    for trace in traces:
        out.write((",\n" if n else "") + json.dumps(claim_jsonld(trace, context=False), ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


def write_export(traces: Iterable[ClaimTrace] | Iterator[ClaimTrace], out: IO[str], fmt: str) -> int:
    """Write ``traces`` to ``out`` in ``fmt``; returns the number of claims written."""
    if fmt == "jsonl":
        return _jsonl(traces, out)
    if fmt == "csv":
        return _csv(traces, out)
    if fmt == "graphml":
        return _graphml(traces, out)
    if fmt in ("prov-json", "prov-turtle"):
        return _prov(traces, out, fmt)
    if fmt == "jsonld":
        return _jsonld(traces, out)
    raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
