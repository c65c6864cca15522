"""Rendering from hand-built records: no model needed."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from rich.text import Text

from sourcetrace.records import (
    Attribution,
    Content,
    Cue,
    DocumentResult,
    Entity,
    Quantity,
    Source,
    SourceKind,
    Stance,
    stated_by,
)
from sourcetrace.render import (
    STYLES,
    attribution_table,
    figures_line,
    highlighted_article,
    names_line,
    render_result,
    result_to_json,
    rows_table,
    summarize,
    summary_line,
    when,
)

TEXT = (
    "Up to 100,000 soldiers could be sent, the Meridian agency reported, citing diplomatic channels. "
    "“It is a timetable,” Anton Belisarov told viewers. A source said it was [bold]wrong[/] news."
)


def _span(needle: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(needle)
    return (start, start + len(needle))


def _attr(aid: str, source: str | None, cue: str, content: str, *, entity: str | None = None,
          kind: SourceKind = "person", parent: str | None = None, stance: Stance | None = None,
          text: str = TEXT) -> Attribution:
    src = None
    if source is not None:
        src = Source((_span(source, text),), source, entity, kind)
    return Attribution(
        id=aid,
        source=src,
        cue=Cue((_span(cue, text),), cue),
        content=Content((_span(content, text),), content),
        type="direct" if content.startswith("“") else "indirect",
        parent=parent,
        stance=stance or Stance(),
        confidence=0.87,
    )


RESULT = DocumentResult(
    id="wire",
    attributions=(
        _attr("A1", "the Meridian agency", "reported", "Up to 100,000 soldiers could be sent",
              entity="E1", kind="outlet", stance=Stance("report", True, ("up to", "could"))),
        _attr("A2", "diplomatic channels", "citing", "Up to 100,000 soldiers could be sent",
              kind="anonymous", parent="A1"),
        _attr("A3", "Anton Belisarov", "told viewers", "“It is a timetable,”", entity="E2"),
        _attr("A4", "A source", "said", "it was [bold]wrong[/] news", kind="anonymous",
              stance=Stance("claim")),
    ),
    entities=(
        Entity("E1", "Meridian", "ORG", ("the Meridian agency",), (_span("Meridian"),)),
        Entity("E2", "Anton Belisarov", "PERSON", (), (_span("Anton Belisarov"),)),
    ),
)


def _render(result: DocumentResult = RESULT, text: str = TEXT, width: int = 200) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False)
    render_result(console, text, result)
    return out.getvalue()


def _styles_at(text: Text, offset: int) -> set[str]:
    return {str(s.style) for s in text.spans if s.start <= offset < s.end}


def test_article_spans_get_distinct_styles() -> None:
    article = highlighted_article(TEXT, RESULT)
    assert article.plain == TEXT
    assert len({STYLES["source"], STYLES["cue"], STYLES["content"]}) == 3
    assert STYLES["source"] in _styles_at(article, TEXT.index("Belisarov"))
    assert STYLES["cue"] in _styles_at(article, TEXT.index("told"))
    assert any(STYLES["content"] in s for s in _styles_at(article, TEXT.index("timetable")))
    assert _styles_at(article, TEXT.index("A source")) == {STYLES["source"]}


def test_markup_in_article_is_literal() -> None:
    output = _render()
    assert "[bold]wrong[/]" in output
    assert "the Meridian agency" in output


@pytest.mark.parametrize("evil", ["[bold]", "[/]", "[red]x[/red]", "[link=http://x]y[/link]", "[/bold"])
def test_markup_in_every_cell_is_literal(evil: str) -> None:
    text = f"{evil} said {evil} news about {evil}."
    attribution = Attribution(
        id=f"A{evil}",
        source=Source(((0, len(evil)),), evil, None, "unknown"),
        cue=Cue((_span("said", text),), "said"),
        content=Content(((len(evil) + 6, len(text) - 1),), text[len(evil) + 6 : -1]),
        type="indirect",
        parent=evil,
        stance=Stance("claim", True, (evil,)),
    )
    output = _render(DocumentResult(id=evil, attributions=(attribution,)), text)
    assert output.count(evil) >= 5  # article, title, speaker, content, stance marker, parent


def test_table_has_who_said_what_columns() -> None:
    table = attribution_table(RESULT)
    headers = [str(c.header) for c in table.columns]
    assert headers == ["id", "speaker", "cue", "content", "type", "stance", "parent", "conf"]
    assert table.row_count == 4


def test_render_shows_entities_kinds_stance_parent_confidence() -> None:
    output = _render()
    for expected in ("Meridian", "(outlet)", "(anonymous)", "Anton Belisarov", "report",
                     "hedged: up to, could", "A1", "0.87", "direct", "indirect"):
        assert expected in output, expected


@pytest.mark.parametrize("width", [80, 60])
def test_narrow_console_folds_columns_instead_of_cropping(width: int) -> None:
    output = _render(width=width)
    table = output[output.index("┏"):output.rindex("┘") + 1].splitlines()
    assert all(len(line) <= width for line in table)
    assert all(line[-1] in "┓┃┩│┤┘┛" for line in table), "a column was cropped off the right"
    headers = table[1]
    assert "conf" not in headers and "parent" not in headers
    for expected in ("0.87", "in A1", "indirect", "hedged:"):  # confidence, parent, type, stance kept
        assert expected in output, expected


def test_long_content_is_truncated_in_table() -> None:
    long = "the talks " * 40
    text = f"He said {long}."
    a = Attribution("A1", Source(((0, 2),), "He"), Cue(((3, 7),), "said"),
                    Content(((8, 8 + len(long)),), long), "indirect")
    table_out = io.StringIO()
    Console(file=table_out, width=300, color_system=None).print(
        attribution_table(DocumentResult("d", (a,))))
    assert "…" in table_out.getvalue()
    assert long.strip() not in table_out.getvalue()
    assert "He said" in _render(DocumentResult("d", (a,)), text, width=300)


def test_summary_counts() -> None:
    summary = summarize(RESULT)
    assert (summary.attributions, summary.sources, summary.anonymous) == (4, 4, 2)
    assert summary_line(RESULT).plain == "wire: 4 attributions, 4 distinct sources, 2 anonymous"


def test_summary_merges_sources_by_entity_and_text() -> None:
    text = "Belisarov said yes. He said no. Belisarov said maybe. Officials said so."
    attrs = (
        Attribution("A1", Source(((0, 9),), "Belisarov", "E2", "person"), Cue(((10, 14),), "said"),
                    Content(((15, 18),), "yes"), "indirect"),
        Attribution("A2", Source(((20, 22),), "He", "E2", "person"), Cue(((23, 27),), "said"),
                    Content(((28, 30),), "no"), "indirect"),
        Attribution("A3", None, Cue(((42, 46),), "said"), Content(((47, 52),), "maybe"), "indirect"),
    )
    summary = summarize(DocumentResult("d", attrs))
    assert (summary.attributions, summary.sources, summary.unattributed) == (3, 1, 1)
    assert "1 distinct source," in summary_line(DocumentResult("d", attrs)).plain


def test_empty_result_renders() -> None:
    output = _render(DocumentResult("empty"), "Nothing to see here.")
    assert "Nothing to see here." in output
    assert "No attributions found." in output
    assert "0 attributions" in output


def test_control_characters_never_reach_the_terminal() -> None:
    text = "He said \x1b[31mred\x1b[0m and \u202eevil\u202c.\r\nBell\x07 here."
    a = Attribution("A1", Source(((0, 2),), "He"), Cue(((3, 7),), "said"),
                    Content(((8, 20),), text[8:20]), "indirect")
    article = highlighted_article(text, DocumentResult("d", (a,)))
    assert len(article.plain) == len(text)  # one-for-one replacement keeps the offsets
    output = _render(DocumentResult("d", (a,)), text)
    for bad in ("\x1b", "\u202e", "\x07", "\r"):
        assert bad not in output


def test_out_of_range_spans_do_not_crash() -> None:
    a = Attribution("A1", Source(((-5, 2),), "He"), Cue(((3, 7),), "said"),
                    Content(((8, 10_000),), "x"), "indirect")
    assert "He said" in _render(DocumentResult("d", (a,)), "He said it.")


def test_json_twin_is_to_dict() -> None:
    line = result_to_json(RESULT)
    assert "\n" not in line
    assert json.loads(line) == RESULT.to_dict()
    assert "“It is a timetable,”" in line  # ensure_ascii=False
    assert DocumentResult.from_dict(json.loads(line)) == RESULT
    pretty = result_to_json([RESULT, DocumentResult("other")], pretty=True)
    assert [d["id"] for d in json.loads(pretty)] == ["wire", "other"]


ROWS = [{"id": 7, "first_seen_at": "2026-04-02T06:30:00+00:00", "first_outlet": "Baltic Wire Service",
         "appearances": 4, "sources": ["Marta Lindqvist", "the port authority"],
         "text": "that dredging of the eastern channel could begin in June and cost up to 40 million euros"}]


def _rows(width: int) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None)
    console.print(rows_table(console, "claims", list(ROWS[0]), ROWS))
    return out.getvalue()


def test_rows_fit_a_wide_console_as_a_table() -> None:
    output = _rows(160)
    header = next(line for line in output.splitlines() if "first seen at" in line)
    assert all(h in header for h in ("id", "first outlet", "appearances", "sources", "text"))
    assert "2026-04-02 06:30" in output and "Baltic Wire Service" in output


def test_rows_on_a_narrow_console_are_blocks_not_a_cropped_table() -> None:
    lines = _rows(60).splitlines()
    assert all(len(line) <= 60 for line in lines)
    cells = [[cell.strip() for cell in line.split("│")[1:3]] for line in lines if line.count("│") == 3]
    assert ["first seen at", "2026-04-02 06:30"] in cells and ["appearances", "4"] in cells
    assert ROWS[0]["text"] in " ".join(value for _, value in cells)


@pytest.mark.parametrize(("stored", "shown"), [
    ("2026-04-02T06:30:00+00:00", "2026-04-02 06:30"),
    ("2026-04-02T00:00:00+00:00", "2026-04-02"),  # a feed that gave only the day
    ("2026-04-02T06:30:00+02:00", "2026-04-02T06:30:00+02:00"),  # not UTC: as stored
    ("not a date", "not a date"),
    (None, None),
])
def test_when_shortens_stored_utc_timestamps(stored: str | None, shown: str | None) -> None:
    assert when(stored) == shown


def test_names_written_more_than_one_way_are_listed_with_their_variants() -> None:
    kim = Entity("e1", "Kim Jong-un", "PERSON", ("Kim Jung-un", "[bold]Kim[/]"), ((0, 3),))
    alone = Entity("e2", "Anton Belisarov", "PERSON", (), ((5, 9),))
    line = names_line(DocumentResult("d", (), (kim, alone)))
    assert line is not None and line.plain == "names: Kim Jong-un = Kim Jung-un, [bold]Kim[/]"  # markup as text
    assert names_line(DocumentResult("d", (), (alone,))) is None
    out = io.StringIO()
    render_result(Console(file=out, width=100), "Kim said so.", DocumentResult("d", (), (kim,)))
    assert "names: Kim Jong-un = Kim Jung-un" in out.getvalue()


def test_figures_line_says_what_each_figure_rests_on() -> None:
    text = ("Up to 100,000 [bold]soldiers[/] could come. Anton Belisarov said 100,000 volunteers were ready "
            "and 2.5 million more would follow.")
    said = _attr("A1", "Anton Belisarov", "said", "100,000 volunteers were ready and 2.5 million more would follow",
                 entity="E2", text=text)
    quantities = stated_by([Quantity(_span(q, text), q, v) for q, v in (
        ("Up to 100,000 [bold]soldiers[/]", 100000.0), ("100,000 volunteers", 100000.0), ("2.5 million", 2.5e6))],
        [said])
    entities = (Entity("E2", "Anton Belisarov", "PERSON", (), (_span("Anton Belisarov", text),)),)
    line = figures_line(DocumentResult("d", (said,), entities, tuple(quantities))).plain
    assert line == ("figures: 100,000: “Up to 100,000 [bold]soldiers[/]” the writer's own, "
                    "“100,000 volunteers” Anton Belisarov (A1) · "
                    "2.5 million: “2.5 million” Anton Belisarov (A1)")
    assert figures_line(DocumentResult("d", (said,))) is None
    assert "figures: 100,000" in _render(DocumentResult("d", (said,), entities, tuple(quantities)), text)
