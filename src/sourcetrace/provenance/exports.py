"""Exports of claims and their provenance, each written whole (never capped) and streamed claim
by claim: memory holds one claim trace plus the identifiers already written, never the corpus.

* ``jsonl``: one claim trace per line (``ClaimTrace.to_dict``);
* ``csv``: one appearance per row, then its dates ("Monday = 2026-03-02"), cue and cue class;
  a text cell a spreadsheet would run as a formula is written as text (``spreadsheet_safe``);
* ``graphml``: the provenance graph (``graph.claim_graph``), keys declared first, then each
  claim's new nodes and its edges (``_graphml``); networkx reads it back as ``claim_graph``;
* ``prov-json`` / ``prov-turtle``: W3C PROV with the ``prov`` package (PROV-O Turtle through
  rdflib), one small document per claim (``_prov``), using ``prov:wasQuotedFrom`` (direct and
  mixed quotes), ``prov:hadPrimarySource`` (the original source's statement),
  ``prov:wasDerivedFrom`` (repeats and chains) and ``prov:wasAttributedTo`` (articles to outlets,
  statements to speakers);
* ``jsonld``: schema.org ``Claim`` objects compatible with ClaimReview (``appearance``,
  ``firstAppearance``, ``author``, and ``temporalCoverage`` when the first appearance places a
  date), one ``@graph`` for several claims.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, Literal

from ..linking.trace import Appearance, ClaimTrace
from ._graphml import write_graphml
from ._prov import NS, SCHEMA, prov_document, write_prov_json, write_prov_turtle

__all__ = ["CSV_FIELDS", "FORMATS", "ExportFormat", "claim_jsonld", "prov_document", "spreadsheet_safe", "write_export"]

ExportFormat = Literal["jsonl", "csv", "graphml", "prov-json", "prov-turtle", "jsonld"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "graphml", "prov-json", "prov-turtle", "jsonld")
CSV_FIELDS = ("claim_id", "claim_text", "first_seen_at", "first_outlet", "single_sourced", "sources",
              "appearance", "attribution_id", "article_id", "outlet", "published_at", "title", "url",
              "speaker", "speaker_kind", "type", "chain", "relay", "copy_of", "similarity", "text",
              "mutations", "dates", "cue", "cue_class")


# -- JSONL and CSV -------------------------------------------------------------------------------

# Article text is untrusted, and a CSV is opened in spreadsheets, which run a cell that opens with
# one of these as a formula: "=HYPERLINK(...)" in a quote becomes a link that leaks the sheet.
_FORMULA_OPENERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` for a CSV cell: a string a spreadsheet would evaluate gets a leading apostrophe
    (OWASP's advice: shown as text, and visibly changed); numbers and other strings pass as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_OPENERS):
        return "'" + value
    return value


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
            cells = (trace.id, trace.text, trace.first.published_at, trace.first.outlet or "",
                     trace.single_sourced, " | ".join(trace.sources), i, a.claim_id, a.article_id,
                     a.outlet or "", a.published_at or "", a.title or "", a.url or "", a.speaker or "",
                     a.speaker_kind, a.type, " > ".join(a.chain), a.relay,
                     "" if a.copy_of is None else a.copy_of,
                     "" if a.similarity is None else a.similarity, a.text,
                     " ".join(kinds.get(a.claim_id, [])),
                     " | ".join(f"{d.text} = {d.period_label()}" for d in a.dates), a.cue, a.cue_class)
            writer.writerow(map(spreadsheet_safe, cells))
        n += 1
    return n


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


def _temporal_coverage(a: Appearance) -> str | None:
    """When the claim says it happened, as schema.org wants it: an ISO 8601 date, or the interval
    from the earliest placed date's start to the latest's end."""
    placed = [d for d in a.dates if d.start is not None and d.end is not None]
    if not placed:
        return None
    start, end = min(d.start for d in placed), max(d.end for d in placed)  # type: ignore[type-var]
    return start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"


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
    if coverage := _temporal_coverage(first):
        out["temporalCoverage"] = coverage
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
    """Write ``traces`` to ``out`` in ``fmt``, pulling one trace at a time; returns the number of
    traces read (a claim id met twice is counted twice; graph and PROV formats write it once)."""
    if fmt == "jsonl":
        return _jsonl(traces, out)
    if fmt == "csv":
        return _csv(traces, out)
    if fmt == "graphml":
        return write_graphml(traces, out)
    if fmt == "prov-json":
        return write_prov_json(traces, out)
    if fmt == "prov-turtle":
        return write_prov_turtle(traces, out)
    if fmt == "jsonld":
        return _jsonld(traces, out)
    raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
