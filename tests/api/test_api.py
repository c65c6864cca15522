from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from apifakes import TOKEN
from fastapi.testclient import TestClient

from sourcetrace import api
from sourcetrace.api import Limits

TEXT = "The ministry said that up to 100,000 soldiers may be sent in spring. Officials said nothing else."


def test_public_surface() -> None:
    assert sorted(api.__all__) == ["DEFAULT_MAX_BODY", "Limits", "NotFound", "Service", "create_app"]


def test_analyze_returns_the_contract(client: TestClient) -> None:
    r = client.post("/api/analyze", json={"text": TEXT, "id": "w1"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == "w1" and body["text"] == TEXT
    a = body["attributions"][0]
    assert set(a) >= {"id", "source", "cue", "content", "type", "parent", "stance", "confidence", "evidence"}
    start, end = a["cue"]["spans"][0]
    assert TEXT[start:end] == "said"
    assert set(body) == {"id", "text", "attributions", "entities", "quantities", "dates"}


def test_analyze_passes_the_requested_confidence_cut(client: TestClient) -> None:
    fake = client.app.state.service.analyzer
    assert client.post("/api/analyze", json={"text": TEXT, "min_confidence": 0}).status_code == 200
    assert fake.min_confidence == 0.0
    assert client.post("/api/analyze", json={"text": TEXT}).status_code == 200
    assert fake.min_confidence is None  # the analyzer's own cut
    r = client.post("/api/analyze", json={"text": TEXT, "min_confidence": 1.5})
    assert r.status_code == 422 and "min_confidence" in r.json()["error"]


def test_analyze_passes_the_requested_tagger(client: TestClient) -> None:
    fake = client.app.state.service.analyzer
    assert client.post("/api/analyze", json={"text": TEXT, "tagger": "encoder"}).status_code == 200
    assert fake.tagger == "encoder"
    assert client.post("/api/analyze", json={"text": TEXT}).status_code == 200
    assert fake.tagger is None  # the server's own
    r = client.post("/api/analyze", json={"text": TEXT, "tagger": "bert"})
    assert r.status_code == 422 and "tagger" in r.json()["error"]


def test_analyze_passes_the_publication_date_or_the_pages_own(client: TestClient) -> None:
    fake = client.app.state.service.analyzer
    assert client.post("/api/analyze", json={"text": TEXT, "published": "2016-10-03"}).status_code == 200
    assert fake.published == "2016-10-03"
    page = ('<html><head><meta property="article:published_time" content="2016-09-28T10:00:00Z"></head>'
            f"<body><article><p>{TEXT}</p><p>{TEXT}</p></article></body></html>")
    assert client.post("/api/analyze", json={"html": page}).status_code == 200
    assert str(fake.published).startswith("2016-09-28")
    assert client.post("/api/analyze", json={"html": page, "published": "2016-10-01"}).status_code == 200
    assert fake.published == "2016-10-01"  # the caller's word over the page's
    r = client.post("/api/analyze", json={"text": TEXT, "published": "last tuesday"})
    assert r.status_code in (400, 422) and "published" in r.json()["error"]


def test_analyze_upload_and_html(client: TestClient) -> None:
    r = client.post("/api/analyze/upload", files={"file": ("story.txt", TEXT.encode(), "text/plain")})
    assert r.status_code == 200 and r.json()["id"] == "story"
    bad = client.post("/api/analyze/upload", files={"file": ("x.txt", b"\xff\xfe\x00bad", "text/plain")})
    assert bad.status_code == 400 and "UTF-8" in bad.json()["error"]


@pytest.mark.parametrize(("body", "status", "reason"), [
    ({}, 422, "exactly one"),
    ({"text": TEXT, "html": "<p>x</p>"}, 422, "exactly one"),
    ({"text": "   "}, 422, "empty"),
    ({"text": 5}, 422, "text"),
])
def test_analyze_errors_are_json_with_a_reason(client: TestClient, body: dict, status: int, reason: str) -> None:
    r = client.post("/api/analyze", json=body)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    assert reason in r.json()["error"]


def test_analyze_half_a_utf16_pair_is_an_encoding_error(client: TestClient) -> None:
    body = json.dumps({"text": TEXT[:30] + "\ud800" + TEXT[30:]})  # JSON escapes it; Python decodes it alone
    r = client.post("/api/analyze", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "surrogate" in r.json()["error"]


def test_listings_and_pagination(client: TestClient) -> None:
    first = client.get("/api/articles", params={"limit": 2}).json()
    assert first["page"] == {"limit": 2, "offset": 0, "count": 2, "more": True}
    second = client.get("/api/articles", params={"limit": 2, "offset": 2}).json()
    assert {a["id"] for a in first["articles"]}.isdisjoint(a["id"] for a in second["articles"])
    capped = client.get("/api/articles", params={"limit": 10_000}).json()
    assert capped["page"]["limit"] == Limits.maximum
    assert client.get("/api/articles", params={"limit": 0}).status_code == 422
    assert client.get("/api/articles", params={"offset": -1}).status_code == 422
    atts = client.get("/api/attributions", params={"speaker": "korotchenko"}).json()["attributions"]
    assert atts and all("Korotchenko" in (a["entity"] or a["source"] or "") for a in atts)
    ents = client.get("/api/entities").json()["entities"]
    assert any(e["name"] == "Igor Korotchenko" and e["attributions"] >= 2 for e in ents)
    outlets = [o["name"] for o in client.get("/api/outlets").json()["outlets"]]
    assert "Nordwire" in outlets


def test_article_speaker_outlet_search(client: TestClient) -> None:
    art = client.get("/api/articles", params={"limit": 1}).json()["articles"][0]
    detail = client.get(f"/api/articles/{art['id']}").json()
    a = detail["attributions"][0]
    s, e = a["content"]["spans"][0]
    assert detail["text"][s:e] == a["content"]["text"]
    assert detail["claims"][a["id"]] > 0
    said = client.get("/api/speakers/Korotchenko").json()["statements"]
    assert said and said[0]["content"]
    report = client.get("/api/outlets/Nordwire").json()["reports"][0]
    assert report["outlet"] == "Nordwire"
    found = client.get("/api/search", params={"q": "soldiers"}).json()
    assert found["articles"] and found["claims"]
    assert client.get("/api/outlets/Nowhere Times").status_code == 404
    names = client.get("/api/entities/Korotchenko").json()["names"]
    assert {n["cluster"] for n in names} == {"Igor Korotchenko"} and "Korotchenko" in {n["name"] for n in names}
    merges = client.get("/api/merges", params={"name": "Korotchenko"}).json()["merges"]
    assert merges and all("Korotchenko" in m["entity"] + m["into"] and m["reason"] for m in merges)
    assert client.get("/api/entities/Nobody Atall").status_code == 404
    missing = client.get("/api/articles/999999")
    assert missing.status_code == 404 and missing.json() == {"error": "no article 999999", "status": 404}


@pytest.mark.parametrize("huge", [2**31, 2**63, 10**20])  # past int4, past SQLite's integers
def test_ids_no_database_holds_are_not_found(client: TestClient, huge: int) -> None:
    """They raised OverflowError (SQLite) or DataError (PostgreSQL) out of the query: a 500."""
    assert client.get(f"/api/articles/{huge}").json() == {"error": f"no article {huge}", "status": 404}
    assert client.get(f"/api/claims/{huge}").status_code == 404
    assert client.get(f"/claims/{huge}").status_code == 404 and client.get(f"/articles/{huge}").status_code == 404
    listed = client.get("/api/attributions", params={"article_id": huge})
    assert listed.status_code == 200 and listed.json()["attributions"] == []


def test_claims_narrowed_to_a_period(client: TestClient) -> None:
    """The sample claims place no dates: a period finds none of them; a period that is none says why."""
    assert client.get("/api/claims", params={"q": "soldiers"}).json()["claims"]
    assert client.get("/api/claims", params={"q": "soldiers", "when": "2026-03"}).json()["claims"] == []
    bad = client.get("/api/claims", params={"when": "2026-02-30"})
    assert bad.status_code == 422 and "no such day" in bad.json()["error"]


def test_claims_most_repeated_first_and_paged_without_the_pages_before(client: TestClient) -> None:
    every = client.get("/api/claims", params={"limit": 500}).json()["claims"]
    spread = client.get("/api/claims", params={"limit": 500, "sort": "appearances"}).json()["claims"]
    assert sorted(c["id"] for c in spread) == sorted(c["id"] for c in every) and len(every) >= 3
    counts = [c["appearances"] for c in spread]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1
    for sort, whole in (("first", every), ("appearances", spread)):
        paged = [c for offset in range(0, len(whole), 2) for c in client.get(
            "/api/claims", params={"limit": 2, "offset": offset, "sort": sort}).json()["claims"]]
        assert [c["id"] for c in paged] == [c["id"] for c in whole]
    bad = client.get("/api/claims", params={"sort": "loudest"})
    assert bad.status_code == 422 and "sort" in bad.json()["error"]


def test_claim_with_timeline_and_graph(client: TestClient) -> None:
    claims = client.get("/api/claims", params={"q": "soldiers"}).json()["claims"]
    biggest = max(claims, key=lambda c: c["appearances"])
    assert biggest["first_outlet"] == "Nordwire"
    detail = client.get(f"/api/claims/{biggest['id']}").json()
    timeline = detail["claim"]["timeline"]
    assert [t["published_at"] for t in timeline] == sorted(t["published_at"] for t in timeline)
    kinds = {e["kind"] for e in detail["graph"]["edges"]}
    assert {"reports", "quotes", "repeats"} <= kinds
    ids = {n["id"] for n in detail["graph"]["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in detail["graph"]["edges"])
    assert client.get("/api/claims/424242").status_code == 404


def test_openapi_documents_every_route(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for p in ("/api/analyze", "/api/ingest", "/api/articles", "/api/articles/{article_id}", "/api/attributions",
              "/api/entities", "/api/speakers/{name}", "/api/outlets", "/api/outlets/{name}", "/api/claims",
              "/api/claims/{claim_id}", "/api/search", "/api/entities/{name}", "/api/merges"):
        assert p in paths
    assert client.get("/api/docs").status_code == 200


def test_write_endpoints_need_the_token(locked: TestClient) -> None:
    assert locked.post("/api/analyze", json={"text": TEXT}).status_code == 401
    wrong = locked.post("/api/analyze", json={"text": TEXT}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "Bearer" in wrong.json()["error"]
    ok = locked.post("/api/analyze", json={"text": TEXT}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200
    assert locked.get("/api/articles").status_code == 200          # reading needs no token


def test_bodies_are_capped(locked: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    r = locked.post("/api/analyze", json={"text": "x" * 5000}, headers=headers)
    assert r.status_code == 413 and "bytes" in r.json()["error"]

    def chunks():  # no Content-Length: counted while streaming
        for _ in range(10):
            yield b"a" * 1000

    r = locked.post("/api/analyze", content=chunks(), headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 413


def test_ingest_stores_and_links(client: TestClient) -> None:
    before = client.get("/api/articles", params={"limit": 200}).json()["page"]["count"]
    body = {"articles": [{"text": "Igor Korotchenko said 100,000 soldiers may be sent to the front in spring.",
                          "title": "Relay", "outlet": "Harbour Post", "published": "2026-03-05T09:00:00Z",
                          "url": "https://harbour.example/relay"}]}
    r = client.post("/api/ingest", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["report"]["stored"] == 1 and r.json()["linked"]["claims"] >= 1
    assert client.get("/api/articles", params={"limit": 200}).json()["page"]["count"] == before + 1
    again = client.post("/api/ingest", json=body).json()
    assert again["report"]["stored"] == 0 and again["linked"] is None
    assert client.post("/api/ingest", json={"articles": []}).status_code == 422


def test_analyze_html_and_no_corpus() -> None:
    from apifakes import FakeAnalyzer

    from sourcetrace.api import create_app

    page = ("<html><head><title>T</title></head><body><nav>menu</nav><article><h1>Harbour</h1><p>"
            + "Marta Lindqvist said the channel could open in June after a long winter of planning. " * 3
            + "</p></article></body></html>")
    with TestClient(create_app(None, analyzer=FakeAnalyzer())) as client:
        r = client.post("/api/analyze", json={"html": page})
        assert r.status_code == 200 and "menu" not in r.json()["text"] and r.json()["attributions"]
        assert client.get("/api/articles").json()["status"] == 404
        assert client.get("/").status_code == 200


def test_analyze_a_link_within_the_fetch_guards() -> None:
    from apifakes import FakeAnalyzer

    from sourcetrace.api import create_app

    sys.path.insert(0, str(Path(__file__).parents[1] / "ingest"))
    from localsite import LocalSite

    page = ("<html><body><nav>menu</nav><article><h1>Harbour</h1><p>"
            + "Marta Lindqvist said the channel could open in June after a long winter of planning. " * 3
            + "</p></article></body></html>").encode()
    site = LocalSite()
    site.routes["/harbour"] = (200, {"Content-Type": "text/html; charset=utf-8"}, page)
    site.routes["/data.json"] = (200, {"Content-Type": "application/json"}, b'{"a": 1}')
    try:
        with TestClient(create_app(None, analyzer=FakeAnalyzer())) as client:  # loopback is private
            r = client.post("/api/analyze", json={"url": f"{site.base}/harbour"})
            assert r.status_code == 422 and "refused" in r.json()["error"] and site.hits == []
            assert client.post("/api/analyze", json={"url": "x", "text": "y"}).status_code == 422
        with TestClient(create_app(None, analyzer=FakeAnalyzer(), allow_private=True)) as client:
            r = client.post("/api/analyze", json={"url": f"{site.base}/harbour", "id": "harbour"})
            assert r.status_code == 200, r.text
            assert r.json()["text"].startswith("Harbour\n\nMarta Lindqvist said") and "menu" not in r.json()["text"]
            assert r.json()["attributions"]
            r = client.post("/api/analyze", json={"url": f"{site.base}/data.json"})
            assert r.status_code == 422 and "not an HTML page" in r.json()["error"]
            r = client.post("/analyze", data={"url": f"{site.base}/harbour"})          # the web form
            assert r.status_code == 200 and 'data-att="a1"' in r.text
    finally:
        site.close()
