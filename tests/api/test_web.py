from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from apifakes import TOKEN
from claimnews import DATED_ARTICLES, HASH_SETTINGS, Art, Att, write_articles
from fastapi.testclient import TestClient

from sourcetrace.corpus import Corpus
from sourcetrace.web._highlight import Piece, children_of, pieces

EVIL = ('Mayor <script>alert(1)</script> said that <img src=x onerror="alert(2)"> and '
        '<a href="javascript:alert(3)">click</a> were fine.')


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _no_live_markup(html: str) -> None:
    """Parsed as a browser would: the only scripts are the page's own, no element has an event
    handler attribute, no link or source is javascript:, and no <img> came from the article."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        if tag == "script":
            assert (attrs.get("src") or "").startswith("/static/") or attrs.get("type") == "application/json", attrs
        assert tag not in ("img", "iframe", "object", "embed"), tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            assert not (attrs.get(name) or "").strip().lower().startswith("javascript:"), (tag, attrs)
    assert "alert(1)</script>" not in html


def test_pieces_cover_the_text_and_prefer_source_and_cue() -> None:
    text = "Ann said Bob says hi."
    atts = [{"id": "a1", "source": {"spans": [[0, 3]]}, "cue": {"spans": [[4, 8]]}, "content": {"spans": [[9, 20]]}},
            {"id": "a2", "parent": "a1", "source": {"spans": [[9, 12]]}, "cue": {"spans": [[13, 17]]},
             "content": {"spans": [[18, 20]]}}]
    ps = pieces(text, atts)
    assert "".join(p.text for p in ps) == text
    assert Piece("Bob", "source", "a2", ("a2", "a1")) in ps
    assert [p.role for p in ps if p.text == "said"] == ["cue"]
    assert children_of(atts) == {"a1": ["a2"]}
    assert "".join(p.text for p in pieces("short", [{"id": "x", "cue": {"spans": [[2, 99]]}}])) == "short"


def test_timestamps_read_as_people_read_them_and_stay_escaped() -> None:
    from sourcetrace.web._pages import _moment

    assert _moment("2026-04-02T06:30:00+00:00") == ('<time datetime="2026-04-02T06:30:00+00:00">'
                                                    '2026-04-02 06:30</time>')
    assert _moment("2026-04-02T00:00:00+00:00").endswith(">2026-04-02</time>")   # a feed's bare day
    assert _moment(None) == "" and _moment("") == ""
    assert "<script>" not in _moment('"><script>alert(1)</script>')


def test_cards_say_what_hedges_a_statement() -> None:
    from sourcetrace.web._pages import ENV

    cards = ENV.from_string('{% from "_macros.html" import cards %}{{ cards(atts) }}')

    def card(cue_class: str, markers: list[str]) -> str:
        att = {"id": "a1", "type": "indirect", "confidence": 0.9, "source": None, "parent": None,
               "cue": {"text": "said"}, "content": {"text": "it may rain"},
               "stance": {"cue_class": cue_class, "hedged": True, "markers": markers}}
        return cards.render(atts=[att])

    assert "<dd>claim, hedged (by its cue)</dd>" in card("claim", [])       # "claimed" distances the writer
    assert "<dd>assert, hedged (may)</dd>" in card("assert", ["may"])


def test_analyze_page_highlights_and_escapes(client: TestClient) -> None:
    assert client.get("/analyze").status_code == 200
    r = client.post("/analyze", data={"text": EVIL})
    assert r.status_code == 200
    html = r.text
    _no_live_markup(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'class="hl hl-cue" data-att="a1"' in html and 'class="hl hl-source"' in html
    assert 'class="hl hl-content"' in html and 'id="att-a1"' in html
    assert "javascript:alert(3)" in html                      # shown as text, never a link
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert "Dates in the text" not in html                     # the fake finds none in EVIL
    dated = client.post("/analyze", data={"text": EVIL + " Talks resume in spring."}).text
    assert "“spring” → <span class=\"muted\">unplaced (no publication date)</span>" in dated


def test_analyze_page_says_who_states_each_figure(client: TestClient) -> None:
    text = "Up to 100,000 soldiers could come. Ivanov said 100,000 <b>volunteers</b> were ready."
    html = client.post("/analyze", data={"text": text}).text
    _no_live_markup(html)
    section = html[html.index("Figures and who states them"):]
    assert "<b>100,000</b>: “100,000” <span class=\"muted\">the writer's own</span>" in section
    assert "; “100,000” <a href=\"#att-a1\">Ivanov (a1)</a>" in section
    assert "Figures and who states them" not in client.post("/analyze", data={"text": "Ivanov said no."}).text


def test_analyze_page_can_show_the_unsure_attributions_too(client: TestClient) -> None:
    fake = client.app.state.service.analyzer
    r = client.post("/analyze", data={"text": EVIL, "show_all": "1"})
    assert r.status_code == 200 and fake.min_confidence == 0.0
    assert 'name="show_all" value="1" checked' in r.text  # the choice survives the round trip
    client.post("/analyze", data={"text": EVIL})
    assert fake.min_confidence is None


def test_analyze_page_offers_the_accurate_mode(client: TestClient) -> None:
    fake = client.app.state.service.analyzer
    r = client.post("/analyze", data={"text": EVIL, "accurate": "1"})
    assert r.status_code == 200 and fake.tagger == "encoder"
    assert 'name="accurate" value="1" checked' in r.text
    client.post("/analyze", files={"file": ("evil.txt", EVIL.encode(), "text/plain")})
    assert fake.tagger is None


def test_analyze_page_upload_and_token(locked: TestClient) -> None:
    files = {"file": ("evil.txt", EVIL.encode(), "text/plain")}
    assert locked.post("/analyze", files=files, data={"token": "wrong"}).status_code == 401
    r = locked.post("/analyze", files=files, data={"token": TOKEN})
    assert r.status_code == 200 and 'data-att="a1"' in r.text
    _no_live_markup(r.text)


def test_stored_hostile_article_is_escaped_everywhere(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient as TC

    from sourcetrace import linking
    from sourcetrace.api import create_app

    corpus = Corpus(f"sqlite:///{tmp_path}/evil.db")
    ids = write_articles(corpus, [Art("evil", "<b>Evil</b> Times", "2026-03-02T08:00:00Z", EVIL,
                                      [Att("Mayor <script>alert(1)</script>", "person", "said",
                                           'that <img src=x onerror="alert(2)"> and <a href="javascript:alert(3)">click</a> were fine')])])
    linking.link_claims(corpus, embedder=linking.HashingEmbedder(), index_path=None)
    with TC(create_app(corpus)) as client:
        claim_id = client.get("/api/claims").json()["claims"][0]["id"]
        for url in (f"/articles/{ids['evil']}", f"/claims/{claim_id}", "/search?q=fine", "/",
                    "/speakers/Mayor", "/outlets/Evil"):
            r = client.get(url)
            assert r.status_code == 200, url
            _no_live_markup(r.text)
        graph = client.get(f"/claims/{claim_id}").text
        assert "&lt;b&gt;Evil&lt;/b&gt; Times" in graph
        data = re.search(r'id="graph-data">(.*?)</script>', graph, re.S)
        assert data and "<" not in data.group(1)              # tojson escapes < inside the script block
    corpus.close()


def test_pages_render_the_json_twin(client: TestClient) -> None:
    claims = client.get("/api/claims", params={"q": "soldiers"}).json()["claims"]
    claim = max(claims, key=lambda c: c["appearances"])
    page = client.get(f"/claims/{claim['id']}").text
    twin = client.get(f"/api/claims/{claim['id']}").json()
    assert f'href="/api/claims/{claim["id"]}"' in page
    for edge in twin["graph"]["edges"]:                      # the edge table lists every edge
        assert f"<td>{edge['kind']}" in page
    assert page.count("<tr>") >= len(twin["graph"]["edges"])
    assert page.count("(copy)") == sum(1 for e in twin["graph"]["edges"] if e["data"].get("copy"))
    assert "/static/vendor/cytoscape.min.js" in page and 'class="origin"' in page
    for a in twin["claim"]["timeline"]:
        assert f'/articles/{a["article_id"]}' in page
    art_id = twin["claim"]["first"]["article_id"]
    art_page = client.get(f"/articles/{art_id}").text
    art_twin = client.get(f"/api/articles/{art_id}").json()
    for a in art_twin["attributions"]:
        assert f'id="att-{a["id"]}"' in art_page
    speaker = client.get("/speakers/Korotchenko")
    assert speaker.status_code == 200 and "Known as" in speaker.text and "Igor Korotchenko" in speaker.text
    said = client.get("/api/speakers/Korotchenko").json()["statements"]
    written = {st["speaker"] for st in said if st["speaker"] != st["entity"]}   # how each article named him
    copies = {o for st in said for o in st["also_in"]}                          # and who ran the same copy
    assert written and copies
    assert all(f"as “{w}”" in speaker.text for w in written)
    shown = {o.strip() for line in re.findall(r"also in ([^<]+)</small>", speaker.text) for o in line.split(",")}
    assert shown == copies
    merges = client.get("/api/merges", params={"name": "Korotchenko"}).json()["merges"]
    assert all(f"merge {m['merge_id']}" in speaker.text for m in merges)
    assert "Nordwire" in client.get("/outlets/Nordwire").text
    assert "soldiers" in client.get("/search", params={"q": "soldiers"}).text
    missing = client.get("/claims/99999")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert client.get("/static/vendor/cytoscape.min.js").status_code == 200


def test_the_claims_list_can_put_the_most_repeated_first(client: TestClient) -> None:
    spread = client.get("/api/claims", params={"sort": "appearances"}).json()["claims"]
    page = client.get("/", params={"sort": "appearances"}).text
    shown = [int(i) for i in re.findall(r'<td><a href="/claims/(\d+)">', page)]
    assert shown == [c["id"] for c in spread]
    assert '<option value="appearances" selected>' in page and 'href="/api/claims?offset=0&amp;sort=appearances"' in page
    assert '<option value="first" selected>' in client.get("/").text


def test_favicon_is_a_shipped_asset(client: TestClient) -> None:
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").text
    ico = client.get("/favicon.ico", follow_redirects=False)
    assert ico.status_code in (301, 302, 307, 308) and ico.headers["location"] == "/static/favicon.svg"
    svg = client.get(ico.headers["location"])
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.lstrip().startswith("<svg")


def test_article_page_lists_its_dates_escaped(tmp_path: Path) -> None:
    from datetime import date

    from fastapi.testclient import TestClient as TC

    from sourcetrace.api import create_app
    from sourcetrace.ingest._article import RawArticle
    from sourcetrace.records import DateMention, DocumentResult
    from sourcetrace.store.writer import StoreWriter, prepare

    text = 'The <img src=x onerror="alert(2)"> summit last week, and another on Tuesday.'
    week, tuesday = text.index("last week"), text.index("Tuesday")
    result = DocumentResult("d", dates=(
        DateMention((week, week + 9), "last week", date(2016, 9, 26), date(2016, 10, 2), "week", None, True),
        DateMention((tuesday, tuesday + 7), '<img src=x onerror="alert(3)">', None, None, None, None, True)))
    corpus = Corpus(f"sqlite:///{tmp_path}/dates.db")
    with corpus.sessions.begin() as s:
        article_id = StoreWriter().write(s, prepare(RawArticle("d", text, published="2016-10-03")), result,
                                         run_id=None).id
    with TC(create_app(corpus)) as client:
        twin = client.get(f"/api/articles/{article_id}").json()
        assert [(d["text"], d["start"], d["end"]) for d in twin["dates"]] == [
            ("last week", "2016-09-26", "2016-10-02"), ('<img src=x onerror="alert(3)">', None, None)]
        page = client.get(f"/articles/{article_id}").text
        assert '<time datetime="2016-09-26">2016-09-26 – 2016-10-02</time>' in page
        assert "unplaced (no publication date)" in page
        _no_live_markup(page)
    corpus.close()


def test_claim_page_shows_each_appearances_dates(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient as TC

    from sourcetrace import linking
    from sourcetrace.api import create_app

    corpus = Corpus(f"sqlite:///{tmp_path}/dated.db")
    write_articles(corpus, DATED_ARTICLES)
    linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS, index_path=None)
    with TC(create_app(corpus)) as client:
        (claim,) = [c for c in client.get("/api/claims").json()["claims"] if c["appearances"] == 3]
        page = client.get(f"/claims/{claim['id']}").text
        assert page.count('<time datetime="2026-03-02">2026-03-02</time>') == 2   # both "on Monday"
        assert '<time datetime="2026-03-04">2026-03-04</time>' in page            # Thursday's "yesterday"
        mutations = re.search(r'<table class="mutations">.*?</table>', page, re.S).group(0)
        (row,) = re.findall(r"<tr><td>.*?</tr>", mutations, re.S)                  # its mutation, by its article
        assert "Daily Planet: later</a>" in row
        assert '<td><time datetime="2026-03-05T08:00:00+00:00">2026-03-05 08:00</time></td>' in row
        assert "<li>date Monday (2026-03-02) → yesterday (2026-03-04)</li>" in row
        assert "Put as: assert 3." in page and "contested" not in page
        _no_live_markup(page)
        dated = client.get("/", params={"when": "2026-03-04"}).text
        assert f'href="/claims/{claim["id"]}"' in dated and 'value="2026-03-04"' in dated
        assert "No claim matches." in client.get("/", params={"when": "2026-03-03"}).text
        assert client.get("/", params={"when": "2026-02-30"}).status_code == 422
        hostile = client.get("/", params={"q": '"><script>alert(1)</script>'}).text
        _no_live_markup(hostile)
    corpus.close()


def test_article_page_and_claim_graph_show_whom_a_reporter_cites(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient as TC

    from sourcetrace import linking
    from sourcetrace.api import create_app

    text = "Up to 100,000 soldiers could be sent, Meridian reported, citing <i>unnamed</i> channels."
    corpus = Corpus(f"sqlite:///{tmp_path}/cited.db")
    ids = write_articles(corpus, [Art("wire", "Meridian", "2026-03-03T08:00:00Z", text,
                                      [Att("Meridian", "outlet", "reported", "Up to 100,000 soldiers could be sent",
                                           cites=("<i>unnamed</i> channels", "anonymous"))])])
    linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS, index_path=None)
    with TC(create_app(corpus)) as client:
        page = client.get(f"/articles/{ids['wire']}").text
        assert ('<dt>citing</dt><dd>&lt;i&gt;unnamed&lt;/i&gt; channels <span class="kind">(anonymous)</span>'
                in page)
        (claim,) = client.get("/api/claims").json()["claims"]
        graph = client.get(f"/api/claims/{claim['id']}").json()["graph"]
        assert {(e["source"], e["kind"]) for e in graph["edges"]} >= {("outlet:Meridian", "cites")}
        _no_live_markup(page)
        _no_live_markup(client.get(f"/claims/{claim['id']}").text)
    corpus.close()


def test_stored_article_page_says_who_states_each_figure(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient as TC

    from sourcetrace.api import create_app
    from claimnews import ARTICLES

    corpus = Corpus(f"sqlite:///{tmp_path}/figures.db")
    ids = write_articles(corpus, ARTICLES[:1])   # "Igor Korotchenko said up to 100,000 … soldiers …"
    with TC(create_app(corpus)) as client:
        (figure,) = client.get(f"/api/articles/{ids['wire']}").json()["quantities"]
        assert (figure["value"], figure["attribution"]) == (100000.0, "a1")
        html = client.get(f"/articles/{ids['wire']}").text
        assert "<b>100,000</b>: “up to 100,000 North Korean soldiers” <a href=\"#att-a1\">" in html
    corpus.close()
