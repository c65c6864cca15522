"""Presenting results: a DocumentResult as a Rich view for people and a JSON twin for
programs, and the store's query rows (``rows_table``) as tables that fit the console.

Both views of a DocumentResult are built from the same record. Article text is untrusted: it
only ever enters Rich as plain ``Text`` content (never as markup; ``plain`` for any stored
value), and control and bidi-override characters are replaced one-for-one before display, so
offsets stay valid and nothing reaches the terminal raw.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from .records import Attribution, DocumentResult, Offsets

__all__ = [
    "STYLES",
    "Summary",
    "attribution_table",
    "highlighted_article",
    "plain",
    "render_result",
    "result_to_json",
    "rows_table",
    "when",
    "summarize",
    "summary_line",
]

STYLES: dict[str, str] = {
    "source": "bold cyan",
    "cue": "bold magenta",
    "content": "green",
    "nested": "italic",
}
CONTENT_WIDTH = 60  # characters of content shown in the table
WIDE = 120  # console columns: below this the who-said-what table folds id, parent and confidence into one cell

_REPLACEMENT = "\ufffd"
# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings, overrides and isolates.
_UNSAFE = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
           *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_SAFE_TABLE: dict[int, str] = {cp: _REPLACEMENT for cp in _UNSAFE}
_SAFE_TABLE[0x0D] = " "  # "\r\n" shows as a line end, not as a replacement mark
_SPACES = re.compile(r"\s+")


def _safe(text: str) -> str:
    """The text with unsafe characters replaced; always the same length as the input."""
    return text.translate(_SAFE_TABLE)


def _cell(text: str, limit: int | None = None) -> str:
    """One-line, display-safe text for a table cell, cut to ``limit`` characters."""
    flat = _SPACES.sub(" ", _safe(text)).strip()
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return flat


@dataclass(frozen=True, slots=True)
class Summary:
    attributions: int
    sources: int
    anonymous: int
    unattributed: int


def _entity_names(result: DocumentResult) -> dict[str, str]:
    return {e.id: e.name for e in result.entities}


def _speaker_key(attribution: Attribution) -> str | None:
    source = attribution.source
    if source is None:
        return None
    if source.entity:
        return "entity:" + source.entity
    return "text:" + _SPACES.sub(" ", source.text).strip().casefold()


def summarize(result: DocumentResult) -> Summary:
    """Counts for the summary line: distinct sources by entity, else by normalised text."""
    keys = {k for a in result.attributions if (k := _speaker_key(a)) is not None}
    return Summary(
        attributions=len(result.attributions),
        sources=len(keys),
        anonymous=sum(1 for a in result.attributions if a.source and a.source.kind == "anonymous"),
        unattributed=sum(1 for a in result.attributions if a.source is None),
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(result: DocumentResult) -> Text:
    s = summarize(result)
    parts = [_plural(s.attributions, "attribution"), _plural(s.sources, "distinct source"),
             f"{s.anonymous} anonymous"]
    if s.unattributed:
        parts.append(f"{s.unattributed} without a source")
    line = Text(_safe(result.id), style="bold")
    line.append(": " + ", ".join(parts))
    return line


def dates_line(result: DocumentResult, limit: int = 12) -> Text | None:
    """The dates the article speaks of, each as the period it names; None when there are none."""
    if not result.dates:
        return None
    line = Text("dates: ", style="bold")
    for i, mention in enumerate(result.dates[:limit]):
        if i:
            line.append(" · ", style="dim")
        line.append(_safe(" ".join(mention.text.split())))
        if mention.start is not None:
            line.append(" → " + mention.period_label(), style="cyan")
    if len(result.dates) > limit:
        line.append(f" · and {len(result.dates) - limit} more", style="dim")
    if any(mention.start is None for mention in result.dates):
        line.append(" (relative dates unplaced: no publication date; analyze --published DATE)", style="dim")
    return line


def names_line(result: DocumentResult, limit: int = 12) -> Text | None:
    """The entities written more than one way, each as its name and the variants merged into
    it ("Kim Jong-un = Kim Jung-un, Kim"); None when every name was written one way."""
    varied = [e for e in result.entities if e.aliases]
    if not varied:
        return None
    line = Text("names: ", style="bold")
    for i, entity in enumerate(varied[:limit]):
        if i:
            line.append(" · ", style="dim")
        line.append(_safe(entity.name))
        line.append(" = " + ", ".join(_safe(a) for a in entity.aliases), style="cyan")
    if len(varied) > limit:
        line.append(f" · and {len(varied) - limit} more", style="dim")
    return line


def figures_line(result: DocumentResult, limit: int = 12) -> Text | None:
    """Each figure the article gives and who states it, mentions of one value together, so a
    reader sees what a headline's number rests on ("100,000: “Up to 100,000 soldiers” the
    writer's own, “100,000 volunteers” Igor Korotchenko (a2)"); None without figures."""
    found = result.figures()
    if not found:
        return None
    names = _entity_names(result)
    line = Text("figures: ", style="bold")
    for i, figure in enumerate(found[:limit]):
        if i:
            line.append(" · ", style="dim")
        line.append(figure.label + ": ", style="cyan")
        for k, (quantity, said) in enumerate(figure.mentions):
            if k:
                line.append(", ")
            line.append(f"“{_cell(quantity.text, 60)}” ")
            if said is None:
                line.append("the writer's own", style="dim")
                continue
            source = said.source
            who = "no source named" if source is None else _cell(
                names.get(source.entity, source.entity) if source.entity else source.text, 40)
            line.append(f"{who} ({said.id})", style=STYLES["source"])
    if len(found) > limit:
        line.append(f" · and {len(found) - limit} more", style="dim")
    return line


def _stylize_spans(text: Text, spans: Offsets, style: str) -> None:
    size = len(text.plain)
    for start, end in spans:
        start, end = max(0, start), min(size, end)
        if start < end:
            text.stylize(style, start, end)


def highlighted_article(text: str, result: DocumentResult) -> Text:
    """The article with contents, then sources, then cues styled (later styles win overlaps)."""
    article = Text(_safe(text), no_wrap=False)
    for a in result.attributions:
        style = STYLES["content"] + (" " + STYLES["nested"] if a.parent else "")
        _stylize_spans(article, a.content.spans, style)
    for a in result.attributions:
        if a.source is not None:
            _stylize_spans(article, a.source.spans, STYLES["source"])
    for a in result.attributions:
        _stylize_spans(article, a.cue.spans, STYLES["cue"])
    return article


def _legend() -> Text:
    legend = Text("legend: ", style="dim")
    for i, role in enumerate(("source", "cue", "content")):
        if i:
            legend.append("  ")
        legend.append(role, style=STYLES[role])
    return legend


def _speaker(attribution: Attribution, names: dict[str, str]) -> Text:
    source = attribution.source
    if source is None:
        return Text("—", style="dim")
    shown = _cell(source.text, 40)
    cell = Text()
    if source.entity:
        name = _cell(names.get(source.entity, source.entity), 40)
        cell.append(name, style=STYLES["source"])
        if shown and name.casefold() not in shown.casefold():
            cell.append(f" “{shown}”", style="dim")
    else:
        cell.append(shown, style=STYLES["source"])
    cell.append(f"\n({source.kind})", style="dim")
    if attribution.cited:
        cited = attribution.cited
        cell.append(f"\nciting {_cell(cited.entity or cited.text, 40)} ({cited.kind})", style="dim")
    return cell


def _stance(attribution: Attribution) -> Text:
    stance = attribution.stance
    cell = Text(stance.cue_class)
    if stance.hedged or stance.markers:
        markers = ", ".join(_cell(m) for m in stance.markers)
        cell.append("\nhedged" + (f": {markers}" if markers else ""), style="yellow")
    return cell


def plain(value: object, style: str = "") -> Text:
    """Any value as display-safe ``Text``: never read as Rich markup (a stored title or claim
    may hold "[/]" or "[link=…]"), unsafe characters replaced, lists joined with "; "."""
    if value is None:
        return Text("")
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    return Text(_safe(str(value)), style=style)


def when(value: str | None) -> str | None:
    """A stored ISO timestamp as people read it: "2026-04-02 06:30" in UTC (the store keeps
    UTC), a date alone when the time is midnight (feeds often give only the day)."""
    if not value:
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.utcoffset() not in (None, timedelta(0)):
        return value
    midnight = (moment.hour, moment.minute, moment.second) == (0, 0, 0)
    return f"{moment:%Y-%m-%d}" if midnight else f"{moment:%Y-%m-%d %H:%M}"


_PROSE_COLUMNS = frozenset({"text", "content", "snippet", "title", "changes"})


def rows_table(console: Console, title: str, columns: Sequence[str], rows: Sequence[Mapping[str, object]]) -> Table:
    """Query results (``sourcetrace search``, ``speaker``, ``claims`` …) for ``console``: a table
    with numbers right-aligned, timestamps shortened, names capped and the prose (a claim, a
    snippet) given the width that is left; on a console too narrow for every column side by
    side, one block of "column  value" lines per row (psql's expanded display) rather than a
    table cropped at the right edge or squeezed to a word a line."""
    prose = [c for c in columns if c in _PROSE_COLUMNS]
    table = Table(title=plain(title) if title else None, expand=bool(prose))
    for column in columns:
        values = [row.get(column) for row in rows]
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        if column in prose:
            table.add_column(_header(column), ratio=1, min_width=30 // len(prose), overflow="fold")
        else:
            table.add_column(_header(column), justify="right" if numeric else "left", max_width=20, overflow="fold")
    for row in rows:
        table.add_row(*(_shown(row, c) for c in columns))
    unbounded = console.options.update(max_width=10 * console.width + 1000)  # else the minimum is clamped to it
    if Measurement.get(console, unbounded, table).minimum <= console.width:
        return table
    blocks = Table(title=table.title, show_header=False, expand=True)
    blocks.add_column(style="dim", no_wrap=True)
    blocks.add_column(ratio=1, overflow="fold")
    for row in rows:
        for column in columns:
            blocks.add_row(_header(column), _shown(row, column))
        blocks.add_section()
    return blocks


def _header(column: str) -> str:
    return column.replace("_", " ")


def _shown(row: Mapping[str, object], column: str) -> Text:
    value = row.get(column)
    return plain(when(value) if column.endswith("_at") and isinstance(value, str) else value)


def attribution_table(result: DocumentResult, width: int = WIDE) -> Table:
    """Who said what: one row per attribution, every cell plain Text. On a console narrower
    than ``WIDE`` the id cell also holds the parent and the confidence, and the stance cell the
    quote type, so that no column is cropped off an 80-column terminal."""
    table = Table(title=Text(f"Who said what — {_safe(result.id)}"), show_lines=True, expand=False)
    wide = width >= WIDE
    table.add_column("id", no_wrap=True)
    table.add_column("speaker", max_width=32 if wide else 18)
    table.add_column("cue", max_width=20 if wide else 12)
    table.add_column("content", min_width=24 if wide else 16 if width >= 80 else None)
    if wide:
        table.add_column("type", no_wrap=True)
    table.add_column("stance", max_width=24 if wide else 16)
    if wide:
        table.add_column("parent", no_wrap=True)
        table.add_column("conf", justify="right", no_wrap=True)
    names = _entity_names(result)
    for a in result.attributions:
        cells = [
            Text(_safe(a.id)) if wide else _id_cell(a),
            _speaker(a, names),
            Text(_cell(a.cue.text, 30), style=STYLES["cue"]),
            Text(_cell(a.content.text, CONTENT_WIDTH), style=STYLES["content"]),
        ]
        if wide:
            cells += [Text(a.type), _stance(a), Text(_safe(a.parent or "")), Text(f"{a.confidence:.2f}")]
        else:
            cells.append(Text(a.type + "\n").append_text(_stance(a)))
        table.add_row(*cells)
    return table


def _id_cell(attribution: Attribution) -> Text:
    """The compact layout's first cell: id, confidence, and the attribution it nests in."""
    cell = Text(_safe(attribution.id))
    cell.append(f"\n{attribution.confidence:.2f}", style="dim")
    if attribution.parent:
        cell.append(f"\nin {_safe(attribution.parent)}", style="dim")
    return cell


def render_result(console: Console, text: str, result: DocumentResult) -> None:
    """The highlighted article, a who-said-what table and a one-line summary."""
    console.print(highlighted_article(text, result))
    console.print(_legend())
    console.print()
    if result.attributions:
        console.print(attribution_table(result, console.width))
    else:
        console.print(Text("No attributions found.", style="dim"))
    for line in (names_line(result), figures_line(result), dates_line(result)):
        if line is not None:
            console.print(line)
    console.print(summary_line(result))


def result_to_json(result: DocumentResult | dict | list[DocumentResult | dict], *, pretty: bool = False) -> str:
    """``DocumentResult.to_dict()`` as JSON (a list of results gives an array); a dict is taken
    as already made (the contract's object with something added, e.g. the text read from HTML)."""
    def as_dict(r: DocumentResult | dict) -> dict:
        return r if isinstance(r, dict) else r.to_dict()

    data = [as_dict(r) for r in result] if isinstance(result, list) else as_dict(result)
    if pretty:
        return json.dumps(data, ensure_ascii=False, indent=2)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
