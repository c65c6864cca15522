"""W3C PROV of claims, built and written claim by claim with the ``prov`` package.

Each claim becomes a small ``ProvDocument`` (``trace_document``); a shared ``seen`` set keeps the
records that several claims share (articles, outlets, sources, an article's attribution to its
outlet, an article repeating another) to the first claim that needs them, so the small documents
together hold exactly the records of ``prov_document(all traces)``.

* PROV-JSON: each small document's records are appended, section by section, to spooled
  temporary files, then the document is written as ``{"prefix": …, "entity": {…}, …}`` by
  copying them. The anonymous ids the ``prov`` package gives relations (``_:id1``) restart in
  every small document, so they are renumbered across the whole export.
* PROV-O Turtle: each small document's triples, through rdflib, with the unqualified shortcut
  triples added; a ``@prefix`` line is written the first time it is needed. Blank nodes are
  written inline or under rdflib's process-unique labels, so they never collide across claims.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import shutil
from collections.abc import Iterable, Iterator
from tempfile import SpooledTemporaryFile
from typing import IO, Any

import rdflib
from prov.identifier import Namespace
from prov.model import PROV, ProvDocument
from prov.serializers.provjson import encode_json_document
from prov.serializers.provrdf import ProvRDFSerializer
from rdflib.namespace import PROV as PROV_O

from ..linking.trace import Appearance, ClaimTrace
from .graph import source_node

__all__ = ["NS", "SCHEMA", "add_shortcuts", "prov_document", "trace_document", "write_prov_json",
           "write_prov_turtle"]

NS = "urn:sourcetrace:"
SCHEMA = "https://schema.org/"
# For the few fixed names (types) only: a prov Namespace caches every name made from it.
ST_NS = Namespace("st", NS)
SCHEMA_NS = Namespace("schema", SCHEMA)
# Bytes a PROV-JSON section keeps in memory before it spills to a temporary file.
SPOOL_BYTES = 1 << 20
_SLUG = re.compile(r"[^A-Za-z0-9]+")


def _slug(name: str) -> str:
    """A QName-safe local name: letters and digits, plus a short hash so distinct names stay distinct."""
    base = _SLUG.sub("-", name).strip("-")[:48] or "x"
    return f"{base}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"


def _agent_id(a: Appearance, index: int) -> str:
    node, _ = source_node(a, index)
    return "st:" + _slug(node)


def _new_document() -> ProvDocument:
    """An empty document with its own namespaces, whose name caches go with it."""
    doc = ProvDocument()
    doc.add_namespace("st", NS)
    doc.add_namespace("schema", SCHEMA)
    return doc


def _add_trace(doc: ProvDocument, trace: ClaimTrace, seen: set[str]) -> None:
    """Add one claim's records to ``doc``. ``seen`` holds what was already added by earlier claims
    and that another claim may share; what only this claim has is tracked in ``mine``."""
    mine: set[str] = set()

    def once(identifier: str, shared: bool = False) -> bool:
        done = seen if shared else mine
        if identifier in done:
            return False
        done.add(identifier)
        return True

    claim = f"st:claim-{trace.id}"
    doc.entity(claim, {"prov:type": SCHEMA_NS["Claim"], "prov:value": trace.text,
                       "st:firstSeenAt": trace.first.published_at or "",
                       "st:singleSourced": trace.single_sourced})
    first_article = f"st:article-{trace.first.article_id}"
    for a in trace.timeline:
        article = f"st:article-{a.article_id}"
        if once(article, shared=True):
            attrs: dict[str, Any] = {"prov:type": SCHEMA_NS["NewsArticle"]}
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
            if once(outlet, shared=True):
                doc.agent(outlet, {"prov:type": PROV["Organization"], "prov:label": a.outlet})
            if once(f"attr {article} {outlet}", shared=True):
                doc.wasAttributedTo(article, outlet)
        # The statement of the original source (the chain's end), and one per intermediate.
        statements = []
        for i, name in enumerate(a.chain):
            agent = _agent_id(a, i)
            kind = a.chain_kinds[i] if i < len(a.chain_kinds) else "unknown"
            if once(agent, shared=True):
                doc.agent(agent, {"prov:type": PROV["Organization"] if kind in ("outlet", "organization")
                                  else PROV["Person"] if kind == "person" else PROV["Agent"],
                                  "prov:label": name, "st:sourceKind": kind})
            statement = f"st:claim-{trace.id}-by-{agent[3:]}"
            if once(statement):
                doc.entity(statement, {"prov:type": ST_NS["Statement"], "prov:value": trace.text})
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
        if article != first_article and once(f"derived {article} {first_article}", shared=True):
            doc.wasDerivedFrom(article, first_article, other_attributes={
                "prov:type": ST_NS["Repeat"], "st:date": a.published_at or ""})


def _first_claims(traces: Iterable[ClaimTrace]) -> Iterator[tuple[bool, ClaimTrace]]:
    """Each trace, with whether its claim id is met for the first time: a repeated claim is
    counted but written once."""
    claims: set[int] = set()
    for trace in traces:
        new = trace.id not in claims
        claims.add(trace.id)
        yield new, trace


def trace_document(trace: ClaimTrace, seen: set[str]) -> ProvDocument:
    """One claim's PROV records, leaving out those already in ``seen`` (which it extends)."""
    doc = _new_document()
    _add_trace(doc, trace, seen)
    return doc


def prov_document(traces: Iterable[ClaimTrace]) -> tuple[ProvDocument, int]:
    """One in-memory ``ProvDocument`` for ``traces``, and the number of claims read."""
    doc = _new_document()
    seen: set[str] = set()
    n = 0
    for new, trace in _first_claims(traces):
        n += 1
        if new:
            _add_trace(doc, trace, seen)
    return doc, n


def _trace_documents(traces: Iterable[ClaimTrace]) -> Iterator[ProvDocument | None]:
    """The small document of each trace, or None for a claim already written."""
    seen: set[str] = set()
    for new, trace in _first_claims(traces):
        yield trace_document(trace, seen) if new else None


# -- PROV-JSON -----------------------------------------------------------------------------------

def _records(section: dict[str, Any], blank: Iterator[int]) -> Iterator[str]:
    """``"id": {…}`` for each record of a section; the ``prov`` package numbers anonymous relations
    from ``_:id1`` in every document, so they are renumbered from ``blank``."""
    for key, record in section.items():
        if key.startswith("_:"):
            key = f"_:id{next(blank)}"
        yield f"{json.dumps(key, ensure_ascii=False)}: {json.dumps(record, ensure_ascii=False)}"


def _write_document(out: IO[str], prefixes: dict[str, str], sections: dict[str, IO[str]]) -> None:
    """``{"prefix": {…}, "entity": {…}, …}``, copying each section's records from its spool."""
    out.write("{" + (f'"prefix": {json.dumps(prefixes)}' if prefixes else ""))
    for i, (name, spool) in enumerate(sections.items()):
        out.write(f'{"," if prefixes or i else ""}\n{json.dumps(name)}: {{\n')
        spool.seek(0)
        shutil.copyfileobj(spool, out)
        out.write("\n}")
    out.write("\n}\n")


def write_prov_json(traces: Iterable[ClaimTrace], out: IO[str]) -> int:
    n = 0
    prefixes: dict[str, str] = {}
    sections: dict[str, IO[str]] = {}  # section → its records so far, comma-separated
    blank = itertools.count(1)
    try:
        for doc in _trace_documents(traces):
            n += 1
            if doc is None:
                continue
            encoded = encode_json_document(doc)
            prefixes.update(encoded.pop("prefix", {}))
            for name, section in encoded.items():
                for record in _records(section, blank):
                    spool = sections.get(name)
                    if spool is None:
                        spool = sections[name] = SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+",
                                                                      encoding="utf-8")
                    else:
                        spool.write(",\n")
                    spool.write(record)
        _write_document(out, prefixes, sections)
    finally:
        for spool in sections.values():
            spool.close()
    return n


# -- PROV-O Turtle -------------------------------------------------------------------------------

_TURTLE_HEADER = (f"@prefix prov: <{PROV_O}> .\n@prefix schema: <{SCHEMA}> .\n"
                  f"@prefix st: <{NS}> .\n")


def add_shortcuts(g: rdflib.Graph) -> None:
    """The ``prov`` package writes quotations, primary sources and derivations that carry
    attributes only in PROV-O's qualified form (``prov:qualifiedQuotation [ prov:entity … ]``);
    add the unqualified triples (``prov:wasQuotedFrom``, ``prov:hadPrimarySource``,
    ``prov:wasDerivedFrom``) that PROV-O asserts alongside, so plain queries find them."""
    for qualified, shortcut in ((PROV_O.qualifiedQuotation, PROV_O.wasQuotedFrom),
                                (PROV_O.qualifiedPrimarySource, PROV_O.hadPrimarySource),
                                (PROV_O.qualifiedDerivation, PROV_O.wasDerivedFrom)):
        for subject, node in list(g.subject_objects(qualified)):
            target = g.value(node, PROV_O.entity)
            if target is not None:
                g.add((subject, shortcut, target))


def _turtle(doc: ProvDocument) -> tuple[list[str], str]:
    """One small document as Turtle: its ``@prefix`` lines and its statements."""
    g = ProvRDFSerializer().encode_container(doc)
    add_shortcuts(g)
    for prefix, uri in (("st", NS), ("schema", SCHEMA), ("prov", str(PROV_O))):
        g.bind(prefix, uri, override=True)
    lines = g.serialize(format="turtle").splitlines(keepends=True)
    # rdflib writes every prefix first; a literal spanning lines can only come after them.
    head = list(itertools.takewhile(lambda line: line.startswith("@prefix "), lines))
    return head, "".join(lines[len(head):])


def write_prov_turtle(traces: Iterable[ClaimTrace], out: IO[str]) -> int:
    out.write(_TURTLE_HEADER)
    written = set(_TURTLE_HEADER.splitlines(keepends=True))
    n = 0
    for doc in _trace_documents(traces):
        n += 1
        if doc is None:
            continue
        prefixes, body = _turtle(doc)
        for line in prefixes:  # Turtle allows a prefix anywhere before its first use
            if line not in written:
                written.add(line)
                out.write(line)
        out.write(body)
    return n
