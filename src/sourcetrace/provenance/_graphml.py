"""GraphML written claim by claim: the header and every ``<key>`` first (from the attribute
schema of ``graph.py``), then each claim's nodes not yet written and its edges, then the footer.
Memory holds one claim's graph plus the ids of the nodes and claims already written.

``networkx.read_graphml`` reads the result back into ``claim_graph(all traces)``: the same nodes,
node attributes, edges and edge attributes. Edge ids are unique in the document (``e0``, ``e1``,
…), so they, not ``kind:claim``, become the edge keys when read back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from ..linking.trace import ClaimTrace
from .graph import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, claim_graph

__all__ = ["write_graphml"]

_GRAPHML_TYPES: dict[type, str] = {str: "string", int: "long", bool: "boolean"}
# Characters XML 1.0 forbids (control characters other than tab, newline and return, lone
# surrogates, U+FFFE/U+FFFF): no parser reads a document holding them, escaped or not.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_HEADER = """<?xml version='1.0' encoding='utf-8'?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns \
http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
"""


def xml_safe(text: str) -> str:
    """``text`` with each character XML 1.0 forbids replaced by a space, so the words it
    separated (a vertical tab, a form feed from a word processor) stay apart."""
    return _NOT_XML.sub(" ", text)


def _key_id(scope: str, name: str) -> str:
    return f"{scope}_{name}"


def _keys() -> str:
    lines = []
    for scope, schema in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        for name, kind in schema.items():
            lines.append(f'  <key id="{_key_id(scope, name)}" for="{scope}" attr.name="{name}" '
                         f'attr.type="{_GRAPHML_TYPES[kind]}"/>\n')
    return "".join(lines)


def _value(value: Any) -> str:
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    # A return in text would come back as a newline (XML normalises line ends): keep it a reference.
    return escape(xml_safe(str(value)), {"\r": "&#13;"})


def _data(scope: str, attrs: Mapping[str, Any], schema: Mapping[str, type]) -> str:
    unknown = set(attrs) - set(schema)
    if unknown:
        raise ValueError(f"{scope} attributes {sorted(unknown)} are not declared in graph.py's schema")
    return "".join(f'<data key="{_key_id(scope, k)}">{_value(v)}</data>' for k, v in attrs.items())


def node_element(node: str, attrs: Mapping[str, Any]) -> str:
    return f'    <node id={quoteattr(xml_safe(node))}>{_data("node", attrs, NODE_ATTRIBUTES)}</node>\n'


def edge_element(edge_id: str, u: str, v: str, attrs: Mapping[str, Any]) -> str:
    return (f'    <edge id="{edge_id}" source={quoteattr(xml_safe(u))} target={quoteattr(xml_safe(v))}>'
            f'{_data("edge", attrs, EDGE_ATTRIBUTES)}</edge>\n')


def write_graphml(traces: Iterable[ClaimTrace], out: IO[str]) -> int:
    """Write the provenance graph of ``traces`` to ``out``; returns the number of claims read.
    A claim id met again is counted but not written twice (``claim_graph`` keeps it once too)."""
    out.write(_HEADER + _keys() + '  <graph edgedefault="directed">\n')
    written_nodes: set[str] = set()
    written_claims: set[int] = set()
    edges = n = 0
    for trace in traces:
        n += 1
        if trace.id in written_claims:
            continue
        written_claims.add(trace.id)
        g = claim_graph([trace])
        for node, attrs in g.nodes(data=True):
            if xml_safe(node) not in written_nodes:
                written_nodes.add(xml_safe(node))
                out.write(node_element(node, attrs))
        for u, v, attrs in g.edges(data=True):
            out.write(edge_element(f"e{edges}", u, v, attrs))
            edges += 1
    out.write("  </graph>\n</graphml>\n")
    return n
