"""Fictional articles for claim-linking tests, written straight into a store with hand-built
results (no spaCy): one claim relayed by several outlets, with a hedge dropped and a number
changed, a wire copy, an outlet citing the wire, a look-alike with another number, and an
unrelated claim."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sourcetrace.corpus import Corpus
from sourcetrace.linking import LinkSettings
from sourcetrace.ingest._article import RawArticle
from sourcetrace.extract.dates import resolve_date
from sourcetrace.ingest.dates import publication_day
from sourcetrace.records import Attribution, Content, Cue, DateMention, DocumentResult, Entity, Quantity, Source, Stance
from sourcetrace.store.writer import StoreWriter, prepare

# Hashing vectors are lexical: a lower threshold than MiniLM's stands in for "similar enough".
HASH_SETTINGS = LinkSettings(threshold=0.5)

# Dates the fake knows, placed from each article's own day by the real resolver.
_DAY = re.compile(r"\b(?:yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\b(?:(?P<hedge>up to|some|about) )?(?P<n>\d{1,3}(?:,\d{3})*) (?:North Korean )?(?P<unit>percent|soldiers)\b",
                     re.IGNORECASE)


@dataclass
class Att:
    source: str | None
    kind: str
    cue: str
    content: str
    type: str = "indirect"
    parent: int | None = None      # index of the attribution whose content holds this one
    markers: tuple[str, ...] = ()
    cue_class: str | None = None   # default: "report" for an outlet, else "assert"
    cites: tuple[str, str] | None = None  # (text, kind) of whom the source cites: "…, citing officials"


@dataclass
class Art:
    key: str
    outlet: str
    published: str
    text: str
    atts: list[Att]
    entities: list[tuple[str, str]] = field(default_factory=list)
    copy_of: str | None = None


ARTICLES = [
    Art("wire", "Nordwire", "2026-03-01T08:00:00Z",
        "Igor Korotchenko said up to 100,000 North Korean soldiers may be sent to the front in spring.",
        [Att("Igor Korotchenko", "person", "said",
             "up to 100,000 North Korean soldiers may be sent to the front in spring", markers=("may",))],
        [("Igor Korotchenko", "PERSON"), ("North Korean", "NORP")]),
    Art("copy", "Coast Gazette", "2026-03-01T10:00:00Z",
        "Igor Korotchenko said up to 100,000 North Korean soldiers may be sent to the front in spring.",
        [Att("Igor Korotchenko", "person", "said",
             "up to 100,000 North Korean soldiers may be sent to the front in spring", markers=("may",))],
        [("Igor Korotchenko", "PERSON"), ("North Korean", "NORP")], copy_of="wire"),
    Art("planet", "Daily Planet", "2026-03-01T12:00:00Z",
        "Nordwire reported that Igor Korotchenko said 100,000 North Korean soldiers will be sent to the "
        "front in spring.",
        [Att("Nordwire", "outlet", "reported",
             "Igor Korotchenko said 100,000 North Korean soldiers will be sent to the front in spring"),
         Att("Igor Korotchenko", "person", "said",
             "100,000 North Korean soldiers will be sent to the front in spring", parent=0)],
        [("Nordwire", "ORG"), ("Igor Korotchenko", "PERSON"), ("North Korean", "NORP")]),
    Art("post", "Evening Post", "2026-03-02T07:00:00Z",
        "\"Some 120,000 North Korean soldiers may be sent to the front in spring,\" Korotchenko said.",
        [Att("Korotchenko", "person", "said",
             "Some 120,000 North Korean soldiers may be sent to the front in spring", type="direct",
             markers=("may",))],
        [("Korotchenko", "PERSON"), ("North Korean", "NORP")]),
    Art("herald", "Morning Herald", "2026-03-02T09:00:00Z",
        "10,000 North Korean soldiers may be sent to the front in spring, officials said.",
        [Att("officials", "anonymous", "said",
             "10,000 North Korean soldiers may be sent to the front in spring", markers=("may",))],
        [("North Korean", "NORP")]),
    Art("fish", "Nordwire", "2026-03-03T08:00:00Z",
        "Anna Berg said the cod quota will be cut by 20 percent next year.",
        [Att("Anna Berg", "person", "said", "the cod quota will be cut by 20 percent next year")],
        [("Anna Berg", "PERSON")]),
]


# One claim dated three ways: Tuesday's wire and Wednesday's copy say "on Monday" (the same day),
# Thursday's outlet says "yesterday" (Wednesday): one date mutation.
_HARNSEE = "the talks in Harnsee collapsed {when}"
DATED_ARTICLES = [
    Art(key, outlet, published, f"Marta Holm said {_HARNSEE.format(when=when)}.",
        [Att("Marta Holm", "person", "said", _HARNSEE.format(when=when))], [("Marta Holm", "PERSON")])
    for key, outlet, published, when in (
        ("wire", "Nordwire", "2026-03-03T08:00:00Z", "on Monday"),
        ("desk", "Coast Gazette", "2026-03-04T08:00:00Z", "on Monday"),
        ("later", "Daily Planet", "2026-03-05T08:00:00Z", "yesterday"))]


def _spans(text: str, part: str, start: int = 0) -> tuple[tuple[int, int], ...]:
    i = text.index(part, start)
    return ((i, i + len(part)),)


def result_of(art: Art) -> DocumentResult:
    text = art.text
    entities = []
    for n, (name, label) in enumerate(art.entities, 1):
        mentions = tuple((mm.start(), mm.end()) for mm in re.finditer(re.escape(name), text))
        entities.append(Entity(f"e{n}", name, label, (), mentions))
    ent_of = {e.name: e.id for e in entities}
    atts = []
    for n, a in enumerate(art.atts, 1):
        content = _spans(text, a.content)
        src = None
        if a.source:
            src = Source(_spans(text, a.source), a.source, ent_of.get(a.source), a.kind)  # type: ignore[arg-type]
        cue_at = text.index(a.cue, content[0][1] if a.type == "direct" else 0)
        atts.append(Attribution(
            f"a{n}", src, Cue(((cue_at, cue_at + len(a.cue)),), a.cue), Content(content, a.content),
            a.type, f"a{a.parent + 1}" if a.parent is not None else None,  # type: ignore[arg-type]
            Stance(a.cue_class or ("report" if a.kind == "outlet" else "assert"), bool(a.markers), a.markers),  # type: ignore[arg-type]
            0.9, cited=Source(_spans(text, a.cites[0]), a.cites[0], None, a.cites[1]) if a.cites else None))  # type: ignore[arg-type]
    quantities = tuple(Quantity((mm.start("n") if not mm["hedge"] else mm.start(), mm.end()), mm.group(0),
                                float(mm["n"].replace(",", "")), mm["unit"].lower(),
                                mm["hedge"].lower() if mm["hedge"] else None)
                       for mm in _NUMBER.finditer(text))
    day = publication_day(art.published)
    dates = []
    for mm in _DAY.finditer(text):
        start, end, granularity, modifier, relative = resolve_date(mm.group(0), day, "past")  # type: ignore[misc]
        dates.append(DateMention(mm.span(), mm.group(0), start, end, granularity, modifier, relative))
    return DocumentResult(art.key, tuple(atts), tuple(entities), quantities, tuple(dates))


def write_articles(corpus: Corpus, articles: list[Art] = ARTICLES) -> dict[str, int]:
    """Store ``articles``; returns article ids by key."""
    writer = StoreWriter()
    ids: dict[str, int] = {}
    with corpus.sessions.begin() as session:
        for art in articles:
            raw = RawArticle(art.key, art.text, title=f"{art.outlet}: {art.key}",
                             url=f"https://{art.outlet.replace(' ', '').lower()}.example/{art.key}",
                             outlet=art.outlet, published=art.published)
            original = (ids[art.copy_of], 1.0) if art.copy_of else None
            row = writer.write(session, prepare(raw), result_of(art), run_id=None, original=original)
            ids[art.key] = row.id
    return ids
