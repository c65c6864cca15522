"""What a person does in the web UI, in a real browser: analyse a pasted article and inspect a
speaker, open a claim's provenance graph and timeline, and feed the site hostile HTML."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from e2epage import Watched, why_skipped

from sourcetrace.examples import SAMPLE_CORPUS

if why_skipped():
    pytest.skip(why_skipped() or "", allow_module_level=True)

from playwright.sync_api import expect  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Page

WIRE_REPORT = (SAMPLE_CORPUS.parent / "wire_report.txt").read_text(encoding="utf-8")
# Every payload sets a flag or opens a dialog if it ever runs.
HOSTILE = ('Mayor Ada Quillfeather said that <script>window.__pwned = "script"; alert(1)</script> and '
           '<img src=x onerror="window.__pwned = \'onerror\'; alert(2)"> were fine. '
           'The council said that <a href="javascript:window.__pwned = \'link\'; alert(3)">this link</a> '
           'and <svg onload="alert(4)"></svg> could be trusted.')


def _assert_clean(w: Watched) -> None:
    """Nothing from the article ran or became live markup: no flag, no dialog, no script error,
    no console error (so no CSP refusal: nothing even tried to run), no javascript: link, no
    event-handler attribute, and the only scripts are the site's own."""
    page = w.page
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert w.dialogs == [], w.dialogs
    assert w.errors == [], w.errors
    assert w.console_errors == [], w.console_errors
    assert page.locator('[href^="javascript:" i], [src^="javascript:" i], [action^="javascript:" i]').count() == 0
    assert page.locator("img, iframe, object, embed, svg").count() == 0
    handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
        [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))""")
    assert handlers == []
    scripts = page.evaluate("() => [...document.scripts].map(s => s.getAttribute('src') || s.type)")
    assert all(s.startswith("/static/") or s == "application/json" for s in scripts), scripts


def _analyze(page: Page, text: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Analyze", exact=True).click()
    page.locator("#text").fill(text)
    page.get_by_role("button", name="Analyze").click()
    expect(page.locator("section.result")).to_be_visible()


def test_analyze_highlights_and_speaker_card(watched: Watched, artifacts: Path) -> None:
    page = watched.page
    _analyze(page, WIRE_REPORT)
    text = page.locator(".result .article-text")
    for role in ("source", "cue", "content"):
        assert text.locator(f".hl-{role}").count() > 0, role
    cards = page.locator(".result .cards .card")
    n = cards.count()
    expect(page.locator(".result > h2")).to_have_text(f"{n} attributions")
    # Every highlight belongs to a card.
    card_ids = set(cards.evaluate_all("els => els.map(e => e.dataset.att)"))
    assert set(text.locator(".hl").evaluate_all("els => els.map(e => e.dataset.att)")) <= card_ids
    assert page.locator("#text").input_value() == WIRE_REPORT        # the pasted text stays in the form
    # The browser posts "\r\n": the quote run on over two paragraphs is still one, and its speaker's.
    run_on = text.locator(".hl-content", has_text="If the talks in Harnsee fail")
    expect(run_on).to_have_count(1)
    expect(text.locator(f'.hl-cue[data-att="{run_on.get_attribute("data-att")}"]')).to_have_text("told")

    # Hover a speaker: its card and every span of that attribution light up, and the card says who.
    speaker = text.locator(".hl-source", has_text="Irena Vossberg").first
    att = speaker.get_attribute("data-att")
    speaker.hover()
    card = page.locator(f"#att-{att}")
    expect(card).to_have_class(re.compile(r"\bactive\b"))
    spans = text.locator(f'.hl[data-att="{att}"]')
    assert spans.count() >= 2                                     # source, cue and content
    expect(spans.first).to_have_class(re.compile(r"\bactive\b"))
    expect(card.locator("dd").first).to_contain_text("Irena Vossberg")
    expect(card.get_by_role("link", name="Irena Vossberg")).to_have_attribute("href", "/speakers/Irena%20Vossberg")
    page.screenshot(path=str(artifacts / "analyze-hover.png"), full_page=True)

    # Click a pronoun speaker further down: its card is selected and scrolled into view, resolved
    # to the person the pronoun refers to; the previous selection is cleared.
    pronoun = text.locator(".hl-source", has_text=re.compile(r"^he$")).first
    other = pronoun.get_attribute("data-att")
    pronoun.click()
    other_card = page.locator(f"#att-{other}")
    expect(other_card).to_have_class(re.compile(r"\bactive\b"))
    expect(other_card).to_be_in_viewport()
    expect(other_card.locator("dd").first).to_contain_text("Anton Belisarov")
    expect(card).not_to_have_class(re.compile(r"\bactive\b"))
    page.screenshot(path=str(artifacts / "analyze-click.png"))
    assert watched.errors == [] and watched.dialogs == [] and watched.console_errors == []


def test_claim_page_draws_graph_and_timeline(watched: Watched, artifacts: Path) -> None:
    page = watched.page
    page.goto("/")
    # The most repeated claim, as a reader would pick it from the front page's table.
    rows = page.locator("table tbody tr").evaluate_all(
        "rows => rows.map(r => [r.querySelector('a').getAttribute('href'), +r.cells[3].textContent])")
    href = max(rows, key=lambda r: r[1])[0]
    page.locator(f'a[href="{href}"]').click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    twin = page.request.get(f"/api{href}").json()
    claim, graph = twin["claim"], twin["graph"]
    assert claim["appearances"] >= 3 and len(graph["nodes"]) >= 3

    # Timeline: one row per appearance, the first (the origin) marked.
    timeline = page.locator("table.timeline tbody tr")
    expect(timeline).to_have_count(len(claim["timeline"]))
    expect(timeline.first).to_have_class("origin")
    expect(timeline.first).to_contain_text(claim["first_outlet"])

    # The graph: cytoscape holds the claim's nodes and edges and has painted them on its canvas.
    holder = page.locator("#graph")
    expect(holder).to_be_visible()
    page.wait_for_function("() => { const r = document.getElementById('graph')._cyreg;"
                           " return r && r.cy && r.cy.nodes().length > 0; }")
    drawn = page.evaluate("""() => {
        const cy = document.getElementById('graph')._cyreg.cy;
        const box = cy.container().getBoundingClientRect();
        return {nodes: cy.nodes().map(n => n.id()), edges: cy.edges().length,
                inside: cy.nodes().every(n => { const p = n.renderedPosition();
                    return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height; })};
    }""")
    assert sorted(drawn["nodes"]) == sorted(n["id"] for n in graph["nodes"])
    assert drawn["edges"] == len(graph["edges"])
    assert drawn["inside"], "a node was laid out outside the visible graph"
    page.wait_for_function("""() => [...document.querySelectorAll('#graph canvas')].some(c => {
        if (!c.width || !c.height) return false;
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < px.length; i += 4) if (px[i]) return true;
        return false; })""")
    expect(page.locator("table.edges tbody tr")).to_have_count(len(graph["edges"]))
    holder.screenshot(path=str(artifacts / "claim-graph.png"))
    page.screenshot(path=str(artifacts / "claim-page.png"), full_page=True)
    assert watched.errors == [] and watched.dialogs == [] and watched.console_errors == []


def test_hostile_article_never_runs(watched: Watched, artifacts: Path) -> None:
    page = watched.page
    # Pasted into the analyze page: shown as text, highlighted, inert.
    _analyze(page, HOSTILE)
    _assert_clean(watched)
    expect(page.locator(".result .article-text")).to_contain_text("<script>window.__pwned")
    assert page.locator(".result .article-text .hl").count() > 0
    page.locator(".result .article-text").get_by_text("this link").click()   # a person tries the "link"
    expect(page).to_have_url(re.compile(r"/analyze$"))
    _assert_clean(watched)
    page.screenshot(path=str(artifacts / "hostile-analyze.png"), full_page=True)

    # Ingested with hostile metadata too, then read back through every page that shows it.
    r = page.request.post("/api/ingest", data={"articles": [{
        "text": HOSTILE, "title": 'Quillfeather <img src=x onerror="alert(5)"> speaks',
        "outlet": "<script>alert(6)</script> Gazette", "url": "javascript:alert(7)",
        "author": "<b onmouseover=alert(8)>Ann</b>", "published": "2026-05-01T08:00:00Z"}]})
    assert r.ok, r.text()
    assert r.json()["report"]["stored"] == 1
    page.goto("/")
    page.get_by_label("search").fill("Quillfeather")
    page.get_by_label("search").press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=Quillfeather"))
    _assert_clean(watched)
    page.locator("main a[href^='/articles/']").first.click()
    expect(page.locator("h1")).to_have_text('Quillfeather <img src=x onerror="alert(5)"> speaks')
    _assert_clean(watched)
    page.screenshot(path=str(artifacts / "hostile-article.png"), full_page=True)
    article = page.url
    links = page.locator("main a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    followed = [h for h in dict.fromkeys(links) if re.match(r"/(speakers|claims|outlets)/", h)]
    assert any(h.startswith("/outlets/") for h in followed) and any(h.startswith("/speakers/") for h in followed)
    for href in followed:
        page.goto(article)
        page.locator(f'main a[href="{href}"]').first.click()
        expect(page).to_have_url(re.compile(re.escape(href) + "$"))
        _assert_clean(watched)
    assert page.evaluate("typeof window.__pwned") == "undefined" and watched.dialogs == []
