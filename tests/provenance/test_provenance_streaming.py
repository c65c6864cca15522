"""GraphML and PROV are written claim by claim and read back, with the libraries that read those
formats, as the in-memory graph and document of the whole corpus; no format holds the corpus."""

from __future__ import annotations

import csv
import gc
import io
import json
import tracemalloc
import weakref
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from tempfile import SpooledTemporaryFile
from typing import Any

import networkx as nx
import pytest
import rdflib
from prov.model import ProvDocument
from rdflib.compare import isomorphic
from rdflib.namespace import PROV
from tracefakes import make_trace, make_traces

from sourcetrace.linking import ClaimTrace
from sourcetrace.provenance import FORMATS, claim_graph, prov_document, write_export
from sourcetrace.provenance import _prov
from sourcetrace.provenance._graphml import xml_safe
from sourcetrace.provenance.graph import EDGE_ATTRIBUTES, NODE_ATTRIBUTES

# prov's and rdflib's own use of rdflib's deprecated ConjunctiveGraph API: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")


@pytest.fixture
def corpus(traces: list[ClaimTrace]) -> list[ClaimTrace]:
    """The fictional newsroom plus made-up claims sharing its outlets, speakers and articles."""
    return traces + list(make_traces(24, first=101, articles=10))


def export(traces: list[ClaimTrace], fmt: str) -> str:
    out = io.StringIO()
    assert write_export(iter(traces), out, fmt) == len(traces)
    return out.getvalue()


GraphContent = tuple[dict[str, dict[str, Any]], Counter[tuple[str, str, frozenset[Any]]]]


def graph_content(g: nx.MultiDiGraph) -> GraphContent:
    """Nodes with their attributes, and edges with theirs (edge keys aside: GraphML ids differ)."""
    return ({n: dict(d) for n, d in g.nodes(data=True)},
            Counter((u, v, frozenset(d.items())) for u, v, d in g.edges(data=True)))


def read_graphml(text: str) -> nx.MultiDiGraph:
    return nx.read_graphml(io.StringIO(text), force_multigraph=True)


def shared(traces: list[ClaimTrace]) -> tuple[int, int]:
    """How many outlets and speakers appear in more than one claim."""
    claims_of: dict[str, set[int]] = {}
    for t in traces:
        for a in t.timeline:
            for name in (a.outlet or "", *a.chain):
                claims_of.setdefault(name, set()).add(t.id)
    outlets = {a.outlet for t in traces for a in t.timeline}
    many = {name for name, ids in claims_of.items() if len(ids) > 1}
    return len(many & outlets), len(many - outlets)


# -- GraphML -------------------------------------------------------------------------------------

def test_graph_attributes_are_declared(corpus: list[ClaimTrace]) -> None:
    g = claim_graph(corpus)
    assert all(type(v) is NODE_ATTRIBUTES[k] for _, d in g.nodes(data=True) for k, v in d.items())
    assert all(type(v) is EDGE_ATTRIBUTES[k] for _, _, d in g.edges(data=True) for k, v in d.items())


def test_graphml_reads_back_as_the_corpus_graph(corpus: list[ClaimTrace]) -> None:
    outlets, speakers = shared(corpus)
    assert outlets >= 2 and speakers >= 2  # the streamed writer must not write a shared node twice
    back = read_graphml(export(corpus, "graphml"))
    assert graph_content(back) == graph_content(claim_graph(corpus))
    assert isinstance(back, nx.MultiDiGraph)
    assert {d["kind"] for _, _, d in back.edges(data=True)} == {"reports", "quotes", "cites", "repeats"}


def test_graphml_edge_ids_are_unique(corpus: list[ClaimTrace]) -> None:
    back = read_graphml(export(corpus, "graphml"))
    keys = [k for _, _, k in back.edges(keys=True)]
    assert len(keys) == len(set(keys)) == claim_graph(corpus).number_of_edges()


def test_a_repeated_claim_is_written_once(corpus: list[ClaimTrace]) -> None:
    twice = corpus + corpus[:5]
    assert graph_content(read_graphml(export(twice, "graphml"))) == graph_content(claim_graph(corpus))
    back = ProvDocument.deserialize(content=export(twice, "prov-json"), format="json")
    assert len(back.get_records()) == len(prov_document(corpus)[0].get_records())


ODD = "Tom & Jerry <live> \"quoted\" 'single'\x0bnext\x00 line\r\nend\x1f"


def odd_trace(odd: str = ODD) -> ClaimTrace:
    """A claim whose text, titles, outlet and speaker hold XML markup and control characters."""
    base = make_trace(1)
    timeline = tuple(replace(a, title=f"{odd} {i}", outlet=odd, chain=(odd,), chain_kinds=("person",),
                             text=odd) for i, a in enumerate(base.timeline))
    return replace(base, text=odd, first=timeline[0], timeline=timeline, outlets=(odd,), sources=(odd,))


def xml_safe_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``g`` as XML can hold it: forbidden characters in ids and text become spaces."""
    def clean(value: Any) -> Any:
        return xml_safe(value) if isinstance(value, str) else value

    out = nx.MultiDiGraph()
    out.add_nodes_from((clean(n), {k: clean(v) for k, v in d.items()}) for n, d in g.nodes(data=True))
    out.add_edges_from((clean(u), clean(v), k, {a: clean(b) for a, b in d.items()})
                       for u, v, k, d in g.edges(keys=True, data=True))
    return out


def test_graphml_escapes_markup_and_replaces_what_xml_forbids() -> None:
    trace = odd_trace(ODD + "\ud800\ufffe")  # a lone surrogate and a non-character: not XML either
    back = read_graphml(export([trace], "graphml"))
    assert graph_content(back) == graph_content(xml_safe_graph(claim_graph([trace])))
    name = "Tom & Jerry <live> \"quoted\" 'single' next  line\r\nend   "  # the return survives
    assert back.nodes[f"speaker:{name}"]["name"] == name
    assert back.nodes[f"outlet:{name}"]["kind"] == "outlet"


READERS: dict[str, Callable[[str], object]] = {
    "jsonl": lambda text: [json.loads(line) for line in text.splitlines()],
    "csv": lambda text: list(csv.reader(io.StringIO(text))),
    "graphml": read_graphml,
    "prov-json": lambda text: ProvDocument.deserialize(content=text, format="json"),
    "prov-turtle": lambda text: rdflib.Graph().parse(data=text, format="turtle"),
    "jsonld": lambda text: rdflib.Graph().parse(data=text, format="json-ld"),
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_back_odd_text_from_a_file(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / "export"
    with path.open("w", encoding="utf-8", newline="") as out:  # as `sourcetrace export -o` opens it
        assert write_export(iter([odd_trace(), make_trace(2)]), out, fmt) == 2
    assert READERS[fmt](path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_back_an_empty_export(fmt: str) -> None:
    out = io.StringIO()
    assert write_export(iter([]), out, fmt) == 0
    READERS[fmt](out.getvalue())


# -- PROV ----------------------------------------------------------------------------------------

def no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), [k for k, n in Counter(keys).items() if n > 1]
    return dict(pairs)


def test_prov_json_reads_back_as_the_corpus_document(corpus: list[ClaimTrace]) -> None:
    text = export(corpus, "prov-json")
    raw = json.loads(text, object_pairs_hook=no_repeated_keys)  # anonymous ids renumbered across claims
    assert raw["prefix"] == {"st": "urn:sourcetrace:", "schema": "https://schema.org/"}
    assert sum(k.startswith("_:") for section in raw.values() for k in section) > len(corpus)
    back = ProvDocument.deserialize(content=text, format="json")
    doc, n = prov_document(corpus)
    assert n == len(corpus)
    assert back == doc
    assert len(back.get_records()) == len(doc.get_records())


def test_prov_json_spills_to_temporary_files(corpus: list[ClaimTrace],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    rolled: list[bool] = []

    class Recorded(SpooledTemporaryFile):  # type: ignore[type-arg]
        def close(self) -> None:
            rolled.append(self._rolled)
            super().close()

    monkeypatch.setattr(_prov, "SPOOL_BYTES", 256)
    monkeypatch.setattr(_prov, "SpooledTemporaryFile", Recorded)
    text = export(corpus, "prov-json")
    assert ProvDocument.deserialize(content=text, format="json") == prov_document(corpus)[0]
    sections = set(json.loads(text)) - {"prefix"}
    assert len(rolled) == len(sections) and any(rolled)


def with_shortcuts(turtle: str) -> rdflib.Graph:
    """The in-memory document's Turtle, with PROV-O's unqualified triples added."""
    g = rdflib.Graph().parse(data=turtle, format="turtle")
    for qualified, shortcut in ((PROV.qualifiedQuotation, PROV.wasQuotedFrom),
                                (PROV.qualifiedPrimarySource, PROV.hadPrimarySource),
                                (PROV.qualifiedDerivation, PROV.wasDerivedFrom)):
        for subject, node in list(g.subject_objects(qualified)):
            g.add((subject, shortcut, g.value(node, PROV.entity)))
    return g


def test_prov_turtle_reads_back_as_the_corpus_document(corpus: list[ClaimTrace]) -> None:
    text = export(corpus, "prov-turtle")
    prefixes = [line for line in text.splitlines() if line.startswith("@prefix ")]
    assert len(prefixes) == len(set(prefixes))  # each written once, though every claim uses them
    back = rdflib.Graph().parse(data=text, format="turtle")
    doc, _ = prov_document(corpus)
    expected = with_shortcuts(doc.serialize(format="rdf", rdf_format="turtle"))
    assert len(back) == len(expected)
    assert isomorphic(back, expected)  # blank nodes of different claims did not merge
    for predicate in (PROV.wasQuotedFrom, PROV.hadPrimarySource, PROV.wasDerivedFrom, PROV.wasAttributedTo):
        assert (None, predicate, None) in back, predicate
    qualified = (PROV.qualifiedQuotation, PROV.qualifiedPrimarySource, PROV.qualifiedDerivation)
    qualifications = {o for p in qualified for o in back.objects(None, p)}
    assert len(qualifications) == len(list(back.triples((None, PROV.entity, None))))


# -- Streaming -----------------------------------------------------------------------------------

class Tracked(ClaimTrace):
    """A trace a test can hold a weak reference to (ClaimTrace has slots, so no __weakref__)."""


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_lets_go_of_each_trace(fmt: str) -> None:
    """A writer that collected the traces (``list(traces)``) would keep all of them alive."""
    refs: list[weakref.ref[ClaimTrace]] = []
    most_alive = 0

    def feed() -> Iterator[ClaimTrace]:
        nonlocal most_alive
        for trace in make_traces(40, cls=Tracked):
            refs.append(weakref.ref(trace))
            most_alive = max(most_alive, sum(r() is not None for r in refs))
            yield trace

    assert write_export(feed(), io.StringIO(), fmt) == 40
    assert most_alive <= 2  # the one being written and the one being made


class Sink(io.TextIOBase):
    """Output that keeps nothing, so measured memory is the writer's own."""

    def write(self, s: str) -> int:
        return len(s)


def live_bytes_while_writing(fmt: str, n: int, at: tuple[int, ...]) -> list[int]:
    """Memory still reachable (after a full collection) when the writer pulls trace ``at[i]``."""
    live: list[int] = []

    def feed() -> Iterator[ClaimTrace]:
        for i, trace in enumerate(make_traces(n), 1):
            if i in at:
                gc.collect()
                live.append(tracemalloc.get_traced_memory()[0])
            yield trace

    tracemalloc.start()
    try:
        write_export(feed(), Sink(), fmt)
    finally:
        tracemalloc.stop()
    return live


@pytest.mark.parametrize("fmt", FORMATS)
def test_memory_does_not_grow_with_the_corpus(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """From the 40th claim to the 160th (over the same articles, outlets and speakers) only the
    written claim ids may accumulate; a writer that kept the traces, the graph or the PROV
    document would hold several kilobytes more per claim."""
    monkeypatch.setattr(_prov, "SPOOL_BYTES", 4096)  # PROV-JSON sections spill to disk early
    early, late = live_bytes_while_writing(fmt, 161, at=(40, 160))
    assert late - early < 20_000, (early, late)
