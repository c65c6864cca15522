"""The output contract: small frozen records that every later stage (store, linking, API) reads.

Offsets are Python ``str`` indices into the text as read. ``to_dict`` gives exactly the JSON
shape documented in the README; ``from_dict`` reads it back, so stored results round-trip.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

Offsets = tuple[tuple[int, int], ...]

SourceKind = Literal["person", "organization", "outlet", "group", "anonymous", "document", "unknown"]
QuoteType = Literal["direct", "indirect", "mixed"]
CueClass = Literal["assert", "claim", "report", "deny", "confirm", "believe"]
Granularity = Literal["day", "weekend", "week", "month", "quarter", "season", "half", "year", "decade", "century"]

__all__ = [
    "Attribution",
    "Cue",
    "Content",
    "DateMention",
    "DocumentResult",
    "Entity",
    "Figure",
    "Granularity",
    "Offsets",
    "Quantity",
    "Source",
    "Stance",
    "stated_by",
]


def _spans(value: Any) -> Offsets:
    return tuple((int(s), int(e)) for s, e in value)


def spans_text(text: str, spans: Offsets, sep: str = " … ") -> str:
    """The text of (possibly discontinuous) spans, joined with an ellipsis."""
    return sep.join(text[s:e] for s, e in spans)


@dataclass(frozen=True, slots=True)
class Source:
    spans: Offsets
    text: str
    entity: str | None = None
    kind: SourceKind = "unknown"
    roles: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "spans": [list(s) for s in self.spans],
            "text": self.text,
            "entity": self.entity,
            "kind": self.kind,
        }
        if self.roles:
            out["roles"] = list(self.roles)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Source:
        return cls(_spans(d["spans"]), d["text"], d.get("entity"), d.get("kind", "unknown"),
                   tuple(d.get("roles", ())))


@dataclass(frozen=True, slots=True)
class Cue:
    spans: Offsets
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"spans": [list(s) for s in self.spans], "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Cue:
        return cls(_spans(d["spans"]), d["text"])


@dataclass(frozen=True, slots=True)
class Content:
    spans: Offsets
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"spans": [list(s) for s in self.spans], "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Content:
        return cls(_spans(d["spans"]), d["text"])


@dataclass(frozen=True, slots=True)
class Stance:
    cue_class: CueClass = "assert"
    hedged: bool = False
    markers: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"cue_class": self.cue_class, "hedged": self.hedged, "markers": list(self.markers)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Stance:
        return cls(d.get("cue_class", "assert"), bool(d.get("hedged")), tuple(d.get("markers", ())))


@dataclass(frozen=True, slots=True)
class Attribution:
    id: str
    source: Source | None
    cue: Cue
    content: Content
    type: QuoteType
    parent: str | None = None
    stance: Stance = field(default_factory=Stance)
    confidence: float = 0.5
    evidence: str = ""
    # Whom the source says it has this from: "…, the agency reported, citing unnamed diplomatic
    # channels" → the channels. The next link of the chain after the source (article → agency →
    # channels); the "citing" attribution itself is kept too, with them as its content.
    cited: Source | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "source": self.source.to_dict() if self.source else None,
            "cue": self.cue.to_dict(),
            "content": self.content.to_dict(),
            "type": self.type,
            "parent": self.parent,
            "stance": self.stance.to_dict(),
            "confidence": round(self.confidence, 3),
            "evidence": self.evidence,
        }
        if self.cited:
            out["cited"] = self.cited.to_dict()
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attribution:
        return cls(
            id=d["id"],
            source=Source.from_dict(d["source"]) if d.get("source") else None,
            cue=Cue.from_dict(d["cue"]),
            content=Content.from_dict(d["content"]),
            type=d["type"],
            parent=d.get("parent"),
            stance=Stance.from_dict(d.get("stance") or {}),
            confidence=float(d.get("confidence", 0.5)),
            evidence=d.get("evidence", ""),
            cited=Source.from_dict(d["cited"]) if d.get("cited") else None,
        )


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    mentions: Offsets = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "label": self.label,
            "aliases": list(self.aliases),
            "mentions": [list(m) for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        return cls(d["id"], d["name"], d["label"], tuple(d.get("aliases", ())), _spans(d.get("mentions", ())))


@dataclass(frozen=True, slots=True)
class Quantity:
    span: tuple[int, int]
    text: str
    value: float
    unit: str | None = None
    hedge: str | None = None
    # The id of the innermost attribution whose content states it; None: the writer's own words
    # (a headline's figure), which is how a reader sees what a figure rests on.
    attribution: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"span": list(self.span), "text": self.text, "value": self.value,
                               "unit": self.unit, "hedge": self.hedge}
        if self.attribution:
            out["attribution"] = self.attribution
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quantity:
        return cls((int(d["span"][0]), int(d["span"][1])), d["text"], float(d["value"]),
                   d.get("unit"), d.get("hedge"), d.get("attribution"))


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date the text speaks of, as the calendar period it names ("last week" → its Monday to
    Sunday). ``relative``: it was placed from the publication date; with none known, a relative
    date has no period (start, end and granularity None)."""

    span: tuple[int, int]
    text: str
    start: date | None
    end: date | None
    granularity: Granularity | None
    modifier: str | None = None  # "early", "mid", "late", "end", ...: where in the period
    relative: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"span": list(self.span), "text": self.text,
                "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None,
                "granularity": self.granularity, "modifier": self.modifier, "relative": self.relative}

    def period_label(self) -> str:
        """The period as briefly as its granularity allows: "2016-09-27", "2016-10", "2016-Q2",
        "2016", "1990s", else "start – end"; "unplaced" for a relative date with no anchor."""
        start, end = self.start, self.end
        if start is None or end is None:
            return "unplaced"
        if self.granularity == "day" and start == end:
            label = start.isoformat()
        elif self.granularity == "month" and start.day == 1 and (end + timedelta(days=1)).day == 1 \
                and (start.year, start.month) == (end.year, end.month):
            label = f"{start:%Y-%m}"
        elif self.granularity == "year" and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            label = str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
        elif self.granularity == "decade" and start.year % 10 == 0 and end.year == start.year + 9:
            label = f"{start.year}s"
        elif self.granularity in ("quarter", "half") and start.day == 1 and start.year == end.year:
            size = 3 if self.granularity == "quarter" else 6
            label = f"{start.year}-{'Q' if size == 3 else 'H'}{(start.month - 1) // size + 1}"
        else:
            label = f"{start.isoformat()} – {end.isoformat()}"
        return f"{label} ({self.modifier})" if self.modifier else label

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DateMention:
        return cls((int(d["span"][0]), int(d["span"][1])), d["text"],
                   date.fromisoformat(d["start"]) if d.get("start") else None,
                   date.fromisoformat(d["end"]) if d.get("end") else None,
                   d.get("granularity"), d.get("modifier"), bool(d.get("relative")))


def stated_by(quantities: Sequence[Quantity], attributions: Sequence[Attribution]) -> list[Quantity]:
    """Each quantity with the attribution whose content states it: the innermost one (the
    shortest content) holding the number's middle, so that "up to" before a quote's opening
    mark still counts. A quantity no content holds is the writer's own."""
    contents = sorted((sum(e - s for s, e in a.content.spans), a.id, a.content.spans) for a in attributions)
    out = []
    for q in quantities:
        middle = (q.span[0] + q.span[1]) / 2
        owner = next((a_id for _, a_id, spans in contents if any(s <= middle < e for s, e in spans)), None)
        out.append(dataclasses.replace(q, attribution=owner))
    return out


@dataclass(frozen=True, slots=True)
class Figure:
    """One value an article gives, with each mention of it and the attribution stating it
    (None: the writer's own): "up to 100,000" in a headline beside the pundit who said 100,000."""

    value: float
    mentions: tuple[tuple[Quantity, Attribution | None], ...]

    @property
    def label(self) -> str:
        """100000.0 → "100,000"; 2.5 → "2.5"; 40000000.0 → "40 million"; 3.2e9 → "3.2 billion"."""
        for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if abs(self.value) >= scale and (self.value / scale * 10) == int(self.value / scale * 10):
                return f"{self.value / scale:g} {word}"
        return f"{self.value:,.0f}" if self.value == int(self.value) else f"{self.value:,}"


@dataclass(frozen=True, slots=True)
class DocumentResult:
    id: str
    attributions: tuple[Attribution, ...] = ()
    entities: tuple[Entity, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateMention, ...] = ()

    def figures(self) -> list[Figure]:
        """The figures in order of first mention, the mentions of one value together: of any
        unit from 100 up ("100,000 troops", "100,000 volunteers"), of one unit below, where a
        value says little by itself ("two brigades" is not "two sides")."""
        by_id = {a.id: a for a in self.attributions}
        grouped: dict[tuple[float, str | None], list[tuple[Quantity, Attribution | None]]] = {}
        for q in self.quantities:
            key = (q.value, None if q.value >= 100 else q.unit)
            grouped.setdefault(key, []).append((q, by_id.get(q.attribution) if q.attribution else None))
        return [Figure(value, tuple(mentions)) for (value, _), mentions in grouped.items()]

    def remapped(self, start: Callable[[int], int], end: Callable[[int], int], text: str) -> DocumentResult:
        """The same result with each span's start and end moved into ``text`` by ``start`` and
        ``end``, and its text read from ``text`` again: how a result found in a cleaned copy
        (``document.parsing_copy``) points into the original."""
        def spans(offsets: Offsets) -> Offsets:
            return tuple((start(s), max(start(s), end(e))) for s, e in offsets)  # an empty span stays empty

        def part(p: Any) -> Any:  # a Source, Cue or Content
            if p is None:
                return None
            moved = spans(p.spans)
            return dataclasses.replace(p, spans=moved, text=spans_text(text, moved))

        def mention(m: Any) -> Any:  # a Quantity or DateMention
            s = start(m.span[0])
            e = max(s, end(m.span[1]))
            return dataclasses.replace(m, span=(s, e), text=text[s:e])

        return DocumentResult(
            self.id,
            tuple(dataclasses.replace(a, source=part(a.source), cue=part(a.cue), content=part(a.content),
                                      cited=part(a.cited)) for a in self.attributions),
            tuple(dataclasses.replace(e, mentions=spans(e.mentions)) for e in self.entities),
            tuple(mention(q) for q in self.quantities),
            tuple(mention(d) for d in self.dates))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "attributions": [a.to_dict() for a in self.attributions],
            "entities": [e.to_dict() for e in self.entities],
            "quantities": [q.to_dict() for q in self.quantities],
            "dates": [d.to_dict() for d in self.dates],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentResult:
        return cls(
            d["id"],
            tuple(Attribution.from_dict(a) for a in d.get("attributions", ())),
            tuple(Entity.from_dict(e) for e in d.get("entities", ())),
            tuple(Quantity.from_dict(q) for q in d.get("quantities", ())),
            tuple(DateMention.from_dict(x) for x in d.get("dates", ())),
        )
