"""Provenance of claims: the graph of articles, outlets and sources, and its exports
(W3C PROV-JSON and PROV-O Turtle, schema.org Claim JSON-LD, GraphML, CSV, JSONL), each streamed
claim by claim so that memory does not grow with the corpus."""

from __future__ import annotations

from .exports import FORMATS, claim_jsonld, prov_document, write_export
from .graph import EDGE_KINDS, NODE_KINDS, claim_graph

__all__ = ["EDGE_KINDS", "FORMATS", "NODE_KINDS", "claim_graph", "claim_jsonld", "prov_document",
           "write_export"]
