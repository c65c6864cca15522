"""End to end on a tmp SQLite store: fictional articles (claimnews.py), linked incrementally."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from claimnews import ARTICLES, DATED_ARTICLES, HASH_SETTINGS, Art, Att, write_articles
from sqlalchemy import select
from typer.testing import CliRunner

from sourcetrace import linking
from sourcetrace.linking import _store as linking_store
from sourcetrace.cli import app
from sourcetrace.corpus import Corpus
from sourcetrace.provenance import claim_graph
from sourcetrace.store import claims as c

Linked = tuple[Corpus, dict[str, int], linking.LinkReport]


def _soldiers(corpus: Corpus) -> linking.ClaimTrace:
    found = [t for t in linking.claims(corpus, "soldiers") if "100,000" in t.text]
    assert len(found) == 1
    return found[0]


def test_one_claim_relayed_by_several_outlets(linked: Linked) -> None:
    corpus, ids, report = linked
    assert (report.claims, report.total_clusters) == (6, 3)
    trace = _soldiers(corpus)
    assert [a.article_id for a in trace.timeline] == [ids["wire"], ids["copy"], ids["planet"], ids["post"]]
    assert (trace.first.outlet, trace.first.published_at) == ("Nordwire", "2026-03-01T08:00:00+00:00")
    assert trace.sources == ("Igor Korotchenko",) and trace.single_sourced
    assert set(trace.relay_outlets) == {"Coast Gazette", "Daily Planet"}  # a wire copy; citing Nordwire
    planet = next(a for a in trace.timeline if a.outlet == "Daily Planet")
    assert planet.chain == ("Nordwire", "Igor Korotchenko") and planet.relay
    assert next(a for a in trace.timeline if a.outlet == "Coast Gazette").copy_of == ids["wire"]


def test_mutations_against_the_first_appearance(linked: Linked) -> None:
    trace = _soldiers(linked[0])
    by_outlet = {a.claim_id: a.outlet for a in trace.timeline}
    found = {(by_outlet[mu.claim], mu.kind, mu.before, mu.after) for mu in trace.mutations}
    assert found == {
        ("Daily Planet", "hedge-dropped", "may", None),
        ("Daily Planet", "hedge-dropped", "up to", None),
        ("Evening Post", "number", "up to 100,000 North Korean soldiers", "Some 120,000 North Korean soldiers"),
        ("Evening Post", "hedge-dropped", "up to", None),
        ("Evening Post", "hedge-added", None, "some"),
    }
    number = next(mu for mu in trace.mutations if mu.kind == "number")
    assert number.first_text.startswith("up to 100,000") and number.text.startswith("Some 120,000")


def test_a_changed_date_is_a_mutation_a_reworded_one_is_not(tmp_path: Path) -> None:
    """Tuesday's wire and Wednesday's copy both say "on Monday", the same day by the calendar: no
    mutation. Thursday's "yesterday" is Wednesday: the date changed on the way."""
    corpus = Corpus(f"sqlite:///{tmp_path}/dates.db")
    try:
        write_articles(corpus, DATED_ARTICLES)
        linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS, index_path=None)
        (trace,) = [t for t in linking.claims(corpus, "Harnsee") if len(t.timeline) == 3]
        by_claim = {a.claim_id: a.outlet for a in trace.timeline}
        assert [(by_claim[mu.claim], mu.kind, mu.before, mu.after) for mu in trace.mutations] == [
            ("Daily Planet", "date", "Monday (2026-03-02)", "yesterday (2026-03-04)")]
    finally:
        corpus.close()


def test_a_denial_makes_the_claim_contested(tmp_path: Path) -> None:
    claim = "the talks in Harnsee collapsed"
    arts = [Art("holm", "Nordwire", "2026-03-03T08:00:00Z", f"Marta Holm said {claim}.",
                [Att("Marta Holm", "person", "said", claim)], [("Marta Holm", "PERSON")]),
            Art("denial", "Coast Gazette", "2026-03-04T08:00:00Z", f"The ministry denied that {claim}.",
                [Att("The ministry", "organization", "denied", f"that {claim}", cue_class="deny")])]
    db = f"sqlite:///{tmp_path}/denial.db"
    corpus = Corpus(db)
    try:
        write_articles(corpus, arts)
        linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS, index_path=None)
        (trace,) = linking.claims(corpus, "Harnsee")
        assert [(a.cue, a.cue_class) for a in trace.timeline] == [("said", "assert"), ("denied", "deny")]
        assert trace.stances == {"assert": 1, "deny": 1} and trace.contested
        assert trace.to_dict()["contested"] is True
    finally:
        corpus.close()
    out = CliRunner().invoke(app, ["claims", "Harnsee", "--db", db, "--no-link", "--format", "json"])
    assert [(r["stances"], r["contested"]) for r in json.loads(out.stdout)] == [({"assert": 1, "deny": 1}, True)]
    shown = CliRunner().invoke(app, ["trace", str(trace.id), "--db", db, "--no-link"], env={"COLUMNS": "200"})
    assert "contested: someone denies it" in shown.stdout and "denied (deny)" in shown.stdout


def test_a_cited_source_ends_the_chain(tmp_path: Path) -> None:
    """"…, the agency reported, citing unnamed diplomatic channels": the claim rests on the
    channels, through the agency (article → agency → channels), in the trace and every export."""
    claim = "up to 100,000 soldiers could be sent to the border"
    arts = [Art("wire", "Meridian", "2026-03-03T08:00:00Z",
                f"{claim.capitalize()}, Meridian reported, citing unnamed diplomatic channels.",
                [Att("Meridian", "outlet", "reported", claim.capitalize(),
                     cites=("unnamed diplomatic channels", "anonymous"))], [("Meridian", "ORG")]),
            Art("tabloid", "Daily Planet", "2026-03-04T08:00:00Z", f"Meridian said {claim}.",
                [Att("Meridian", "outlet", "said", claim)], [("Meridian", "ORG")]),
            Art("gazette", "Coast Gazette", "2026-03-05T08:00:00Z",
                f"{claim.capitalize()}, the Gazette reported, citing Meridian.",
                [Att("the Gazette", "outlet", "reported", claim.capitalize(), cites=("Meridian", "outlet"))],
                [("the Gazette", "ORG")])]
    db = f"sqlite:///{tmp_path}/cited.db"
    corpus = Corpus(db)
    try:
        write_articles(corpus, arts)
        linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS, index_path=None)
        (trace,) = linking.claims(corpus, "soldiers")
        assert [(a.outlet, a.chain, a.chain_kinds) for a in trace.timeline] == [
            ("Meridian", ("Meridian", "unnamed diplomatic channels"), ("outlet", "anonymous")),
            ("Daily Planet", ("Meridian",), ("outlet",)),
            ("Coast Gazette", ("the Gazette", "Meridian"), ("outlet", "outlet"))]
        assert trace.sources == ("anonymous: unnamed diplomatic channels", "Meridian")
        # Meridian's own report is no relay; the Planet relays Meridian; the Gazette, itself the
        # speaker, cites Meridian.
        assert [a.relay for a in trace.timeline] == [False, True, True]
        assert set(trace.relay_outlets) == {"Daily Planet", "Coast Gazette"}
        graph = claim_graph([trace])
        wire = trace.timeline[0].article_id
        assert graph.has_edge(f"article:{wire}", "outlet:Meridian")
        assert graph.has_edge("outlet:Meridian", f"anonymous:{wire}:unnamed diplomatic channels")
    finally:
        corpus.close()
    out = CliRunner().invoke(app, ["export", "csv", "--db", db, "--no-link"])
    assert "Meridian > unnamed diplomatic channels" in out.stdout


def test_claims_dated_in_a_period(tmp_path: Path) -> None:
    """--when finds a claim by the dates it places (any appearance's), not by publication time."""
    db = f"sqlite:///{tmp_path}/when.db"
    corpus = Corpus(db)
    try:
        write_articles(corpus, ARTICLES + [replace(a, key=f"dated-{a.key}") for a in DATED_ARTICLES])
        linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS, index_path=None)

        def found(period: str, query: str | None = None) -> list[str]:
            return [t.text for t in linking.claims(corpus, query, when=linking.parse_period(period))]

        harnsee = ["the talks in Harnsee collapsed on Monday"]
        assert found("2026-03-02") == harnsee and found("2026-03-04") == harnsee   # the later appearance's
        assert found("2026-03-03") == [] and found("2026-03-05") == []             # published then, but not dated
        assert found("2026-03") == harnsee and found("2026-02-20..2026-03-02") == harnsee
        assert found("2026-03", "Harnsee talks") == harnsee and found("2026-03", "soldiers") == []
    finally:
        corpus.close()
    runner = CliRunner()
    out = runner.invoke(app, ["claims", "--when", "2026-03-04", "--db", db, "--no-link", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert [r["text"] for r in json.loads(out.stdout)] == harnsee
    assert runner.invoke(app, ["claims", "--when", "2026-03-03", "--db", db, "--no-link"]).exit_code == 1
    bad = runner.invoke(app, ["claims", "--when", "March", "--db", db, "--no-link"])
    assert bad.exit_code == 2 and "not a year, month or day" in bad.output
    exported = runner.invoke(app, ["export", "jsonl", "--when", "2026-03", "--db", db, "--no-link"])
    assert exported.exit_code == 0 and [json.loads(x)["text"] for x in exported.stdout.splitlines()] == harnsee


def test_a_different_number_is_another_claim(linked: Linked) -> None:
    corpus = linked[0]
    herald = [t for t in linking.claims(corpus, "soldiers") if t.text.startswith("10,000")]
    assert len(herald) == 1 and herald[0].sources == ("anonymous: officials",)
    assert [t.text for t in linking.claims(corpus, "cod quota")] == ["the cod quota will be cut by 20 percent next year"]
    assert linking.claims(corpus, "nothing like this") == []


def test_new_articles_join_existing_clusters(linked: Linked, tmp_path: Path) -> None:
    corpus, ids, _ = linked
    index = tmp_path / "news.db.claims.usearch"
    assert index.exists()
    late = Art("late", "Baltic Times", "2026-03-04T08:00:00Z",
               "Igor Korotchenko said up to 100,000 North Korean soldiers could be sent to the front in spring.",
               [Att("Igor Korotchenko", "person", "said",
                    "up to 100,000 North Korean soldiers could be sent to the front in spring")],
               [("Igor Korotchenko", "PERSON"), ("North Korean", "NORP")])
    early = Art("early", "Pacific Wire", "2026-02-28T08:00:00Z",
                "Igor Korotchenko told reporters up to 100,000 North Korean soldiers may be sent to the front in spring.",
                [Att("Igor Korotchenko", "person", "told",
                     "up to 100,000 North Korean soldiers may be sent to the front in spring", markers=("may",))],
                [("Igor Korotchenko", "PERSON"), ("North Korean", "NORP")])
    new_ids = write_articles(corpus, [late, early])
    report = linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS)
    assert (report.claims, report.new_clusters, report.joined, report.total_clusters) == (2, 0, 2, 3)
    assert not report.index_rebuilt
    trace = _soldiers(corpus)
    assert len(trace.timeline) == 6
    # An earlier-dated article read later becomes the first appearance.
    assert trace.first.article_id == new_ids["early"] and trace.first.outlet == "Pacific Wire"
    assert trace.timeline[-1].article_id == new_ids["late"]
    assert linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS).claims == 0


def test_index_is_rebuilt_from_the_database(linked: Linked, tmp_path: Path) -> None:
    corpus = linked[0]
    (tmp_path / "news.db.claims.usearch").unlink()
    write_articles(corpus, [Art("again", "Baltic Times", "2026-03-05T08:00:00Z",
                                "Anna Berg said the cod quota will be cut by 20 percent next year.",
                                [Att("Anna Berg", "person", "said", "the cod quota will be cut by 20 percent next year")],
                                [("Anna Berg", "PERSON")])])
    report = linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS)
    assert report.index_rebuilt and report.joined == 1
    with corpus.sessions() as s:
        assert s.scalar(select(c.ClaimCluster.size).where(c.ClaimCluster.size == 2)) == 2


class _CountingEmbedder(linking.HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.calls.append(len(texts))
        return super().embed(texts)


def test_claims_are_embedded_a_window_at_a_time_and_linked_a_batch_at_a_time(
        newsroom: tuple[Corpus, dict[str, int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The model pads each call's texts to the longest of their length group, so the store embeds
    many batches' claims in one call; the clusters and the progress reported are as before."""
    corpus, _ = newsroom
    other = Corpus(f"sqlite:///{tmp_path}/other.db")
    write_articles(other)
    monkeypatch.setattr(linking_store, "_EMBED_WINDOW", 5)  # windows that cut across batches of 2
    small, heard = _CountingEmbedder(), []
    report = linking.link_claims(corpus, embedder=small, settings=replace(HASH_SETTINGS, batch_size=2), index_path=None,
                                 on_progress=lambda done, total: heard.append((done, total)))
    whole = linking.link_claims(other, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS, index_path=None)
    n = report.claims
    assert n == whole.claims == 6 and small.calls == [5, 2]  # the second window starts at the batch the first cut
    assert heard[0] == (0, n) and heard[-1] == (n, n) and len(heard) == 1 + -(-n // 2)

    def clusters(store: Corpus) -> list[tuple[int, int]]:
        with store.sessions() as s:
            return sorted(tuple(row) for row in s.execute(select(c.Claim.attribution_id, c.Claim.cluster_id)))
    assert clusters(corpus) == clusters(other)
    other.close()


def test_clusters_in_order_of_first_appearance_or_of_appearances_a_page_at_a_time(tmp_path: Path) -> None:
    """Keyset pages (``chunk``) of either order read as the whole; ties go to the earliest."""
    from datetime import UTC, datetime

    from sourcetrace.linking._store import iter_cluster_ids

    corpus = Corpus(f"sqlite:///{tmp_path}/order.db")
    day = [datetime(2026, 3, d, tzinfo=UTC) for d in range(1, 8)]
    sizes = {1: (day[3], 2), 2: (day[0], 1), 3: (day[5], 7), 4: (day[1], 2), 5: (day[2], 7), 6: (day[4], 1)}
    with corpus.sessions.begin() as s:
        s.add_all(c.ClaimCluster(id=i, first_seen_at=seen, size=n, created_at=day[6]) for i, (seen, n) in sizes.items())
    with corpus.sessions() as s:
        for chunk in (1, 2, 1000):
            assert list(iter_cluster_ids(s, chunk=chunk)) == [2, 4, 5, 1, 6, 3]
            assert list(iter_cluster_ids(s, order="appearances", chunk=chunk)) == [5, 3, 4, 1, 2, 6]
        with pytest.raises(ValueError, match="order must be one of"):
            list(iter_cluster_ids(s, order="loudest"))
    corpus.close()


def test_short_and_parent_attributions_are_not_claims(newsroom: tuple[Corpus, dict[str, int]]) -> None:
    corpus, _ = newsroom
    write_articles(corpus, [Art("short", "Nordwire", "2026-03-06T08:00:00Z", "He said so, Berg said.",
                                [Att("Berg", "person", "said", "He said so")])])
    linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS)
    with corpus.sessions() as s:
        texts = set(s.scalars(select(c.Claim.text)))
    assert "He said so" not in texts
    assert not any(t.startswith("Igor Korotchenko said") for t in texts)  # the Nordwire parent holds a claim
    assert len(texts) == len({a.atts[-1].content for a in ARTICLES})


def test_cli_claims_trace_export(linked: Linked, tmp_path: Path) -> None:
    corpus = linked[0]
    db = corpus.url
    runner = CliRunner()
    out = runner.invoke(app, ["claims", "soldiers", "--db", db, "--no-link", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert {r["first_outlet"] for r in rows} == {"Nordwire", "Morning Herald"}
    claim_id = next(r["id"] for r in rows if r["appearances"] == 4)
    out = runner.invoke(app, ["trace", str(claim_id), "--db", db, "--no-link"], env={"COLUMNS": "240"})
    assert out.exit_code == 0, out.output
    for expected in ("Igor Korotchenko", "cited by Nordwire", "Daily Planet", "dropped the hedge “", "timeline"):
        assert expected in out.stdout
    assert runner.invoke(app, ["trace", "999", "--db", db, "--no-link"]).exit_code == 1
    huge = str(10**20)  # past what SQLite stores: OverflowError, a traceback, until 2026-12-06
    assert runner.invoke(app, ["trace", huge, "--db", db, "--no-link"]).exit_code == 1
    assert runner.invoke(app, ["claims", "--limit", huge, "--db", db, "--no-link"]).exit_code == 2
    assert runner.invoke(app, ["search", "soldiers", "--limit", huge, "--db", db]).exit_code == 2
    assert runner.invoke(app, ["claims", "zebra", "--db", db, "--no-link"]).exit_code == 1
    target = tmp_path / "claims.jsonl"
    out = runner.invoke(app, ["export", "jsonl", "--db", db, "--no-link", "-o", str(target)])
    assert out.exit_code == 0, out.output
    assert len(target.read_text().splitlines()) == 3


@pytest.mark.slow
def test_minilm_links_the_newsroom_with_default_settings(newsroom: tuple[Corpus, dict[str, int]]) -> None:
    corpus, ids = newsroom
    report = linking.link_claims(corpus)  # the real model, default threshold
    assert report.total_clusters == 3
    trace = _soldiers(corpus)
    assert [a.article_id for a in trace.timeline] == [ids["wire"], ids["copy"], ids["planet"], ids["post"]]


def test_cli_prints_stored_markup_literally(newsroom: tuple[Corpus, dict[str, int]]) -> None:
    """Stored article text is untrusted: "[/]" once crashed Rich (MarkupError), "[bold]…" and
    "[link=…]" were taken as styles and the bracketed words dropped from claims, traces and tables."""
    corpus, _ = newsroom
    outlet, speaker, link = "Wire [/] Daily", "Ivan [bold]Petrov[/bold]", "[link=http://e.x]harbour[/link]"
    content = f"the {link} will close in May for repairs"
    write_articles(corpus, [Art("markup", outlet, "2026-03-07T08:00:00Z", f"{speaker} said {content}.",
                                [Att(speaker, "person", "said", content)], [(speaker, "PERSON")])])
    linking.link_claims(corpus, embedder=linking.HashingEmbedder(), settings=HASH_SETTINGS)
    runner, db = CliRunner(), corpus.url
    found = runner.invoke(app, ["claims", "harbour", "--db", db, "--no-link", "--format", "json"])
    claim_id = json.loads(found.stdout)[0]["id"]
    name = "[bold]Petrov[/bold]"  # the speaker's markup, short enough never to be folded in a cell
    shown = {("claims", "harbour", "--no-link"): (link,), ("trace", str(claim_id), "--no-link"): (link, "[/]", name),
             ("speaker", "Petrov"): (name, link), ("who-said", "harbour"): (name, link),
             ("search", "harbour"): ("[/]",), ("outlet", "Wire"): ("[/]", name)}
    for width in ("80", "200"):  # one block of lines per row, and a table
        for args, literals in shown.items():
            out = runner.invoke(app, [*args, "--db", db], env={"COLUMNS": width})
            assert out.exit_code == 0, (args, out.output)
            for literal in literals:
                assert literal in out.stdout, (args, width, literal, out.stdout)


@pytest.mark.parametrize(("name", "outlet", "domain", "another"), [
    ("Meridian", "Daily Planet", None, True),
    ("Reuters", "The Guardian", "theguardian.com", True),
    ("Meridian", "Meridian", None, False),
    ("the Gazette", "Coast Gazette", None, False),          # its own name, shortened
    ("Reuters", "reuters.com", "reuters.com", False),       # an outlet known by its domain alone
    ("The Guardian", "theguardian.com", "www.theguardian.com", False),
    ("The Associated Press", "apnews.com", "apnews.com", False),  # by its initials
    ("The New York Times", "nytimes.com", "nytimes.com", False),
    ("Meridian", None, None, False),                         # an article of no known outlet
])
def test_another_outlet_is_one_the_article_is_surely_not(name: str, outlet: str | None, domain: str | None,
                                                         another: bool) -> None:
    assert linking_store.another_outlet(name, outlet, domain) is another
