"""Reading PolNeAR-format gold: ``DIR/text/<base>.txt`` and ``DIR/attributions/<base>_<ann>.ann``.

The ``.ann`` files are BRAT standoff. Each attribution is an ``E`` line whose roles point at ``T``
lines::

    T1  Source 89 106       The New York Post
    T2  Cue 107 114         reports
    T3  Content 115 290     that Hillary Clinton's team ...
    T4  Attribution 107 114 reports
    E1  Attribution:T4 Content:T3 Cue:T2 Source:T1

How the oddities of real annotation are read (each skip is logged as a warning, never raised):

- A role may be numbered (``Content2``, ``Cue2``): all parts of one role are merged into one
  (possibly discontinuous) span list, because annotators used them for split contents.
- The ``Source`` role decides the source, not the event label: no ``Source`` role means
  ``source=None``, and a ``Source`` role on an ``Attribution-no-source`` event is kept.
- No ``Cue`` role: the event's trigger span is used instead, since triggers are anchored on the
  cue (they coincide in >99.9% of PolNeAR events).
- No ``Content`` role: the event is skipped: the metrics match attributions by content.
- ``Discard``/``Discuss`` bookkeeping, ``#`` notes and ``A``/``R`` lines are ignored; a
  ``T`` text column containing a newline continues on the next physical line, which is read as
  part of it.
- Spans outside the text, reversed spans and references to unknown ``T`` ids skip the event.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourcetraceError
from ..records import Offsets

__all__ = ["GoldAttribution", "GoldDocument", "GoldFormatError", "TextBound", "load_polnear", "load_second_annotations",
           "parse_ann", "parse_text_bounds", "publication_dates"]

log = logging.getLogger(__name__)


class GoldFormatError(SourcetraceError):
    """A file of the split cannot be read as gold (not UTF-8)."""

    code = "ST500"


_IGNORED_LABELS = frozenset({"Discard", "Discuss"})
_ROLE_NAMES = frozenset({"Source", "Cue", "Content"})
_ID = re.compile(r"^[TERAMN#*]\d*\t")
_SPAN = re.compile(r"^(\d+) (\d+)$")


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """One annotated attribution: the offsets of its three roles. ``source`` is None when absent."""

    source: Offsets | None
    cue: Offsets
    content: Offsets


@dataclass(frozen=True, slots=True)
class GoldDocument:
    id: str
    text: str
    attributions: tuple[GoldAttribution, ...]
    published: str | None = None  # from the corpus's metadata.tsv, where there is one


@dataclass(frozen=True, slots=True)
class TextBound:
    """One ``T`` line: its label, offsets and the annotated text column (as written by BRAT)."""

    label: str
    spans: Offsets
    text: str


def _parse_spans(field: str) -> Offsets | None:
    spans = []
    for part in field.split(";"):
        m = _SPAN.match(part.strip())
        if not m:
            return None
        spans.append((int(m.group(1)), int(m.group(2))))
    return tuple(spans)


def _logical_lines(ann: str) -> Iterator[str]:
    """Annotation lines: a physical line not starting with an id continues the previous one."""
    lines = ann.split("\n")  # not splitlines(): it also splits on \u2028 etc. inside text columns
    if lines and lines[-1] == "":
        lines.pop()
    current: str | None = None
    for raw in lines:
        line = raw.removesuffix("\r")
        if _ID.match(line) or current is None:
            if current is not None:
                yield current
            current = line
        else:
            current += "\n" + line
    if current is not None:
        yield current


_Event = tuple[str, list[tuple[str, str]]]


def _read_lines(ann: str) -> tuple[dict[str, TextBound], list[_Event], list[str]]:
    """The T lines by id, the E lines as (id, [(role, target)]), and problems found."""
    bounds: dict[str, TextBound] = {}
    events: list[_Event] = []
    problems: list[str] = []
    for line in _logical_lines(ann):
        cols = line.split("\t")
        tag = cols[0]
        if not tag.strip():
            continue
        if tag.startswith("T") and len(cols) >= 2:
            label, _, span_field = cols[1].partition(" ")
            spans = _parse_spans(span_field)
            if spans is None:
                problems.append(f"{tag}: unreadable offsets {span_field!r}")
                continue
            bounds[tag] = TextBound(label, spans, "\t".join(cols[2:]))
        elif tag.startswith("E") and len(cols) >= 2:
            args = cols[1].split()
            if not all(":" in arg for arg in args):
                problems.append(f"{tag}: unreadable roles {cols[1]!r}")
                continue
            events.append((tag, [(role, target) for role, _, target in (a.partition(":") for a in args)]))
        # A (attributes), R (relations), # (notes) and anything else: not part of the gold.
    return bounds, events, problems


def _role_name(role: str) -> str:
    return role.rstrip("0123456789")


def _merge(parts: list[Offsets]) -> Offsets:
    return tuple(sorted({span for part in parts for span in part}))


def _valid(spans: Offsets, text_len: int) -> bool:
    return all(0 <= s <= e <= text_len for s, e in spans)


def _event_to_attribution(
    event_id: str, roles: list[tuple[str, str]], bounds: dict[str, TextBound], text_len: int
) -> GoldAttribution | str:
    """The attribution an E line describes, or the reason it is skipped."""
    parts: dict[str, list[Offsets]] = {"Source": [], "Cue": [], "Content": [], "trigger": []}
    for role, target in roles:
        bound = bounds.get(target)
        if bound is None:
            return f"{event_id}: role {role} points at unknown {target}"
        if bound.label in _IGNORED_LABELS:
            continue
        name = _role_name(role)
        key = name if name in _ROLE_NAMES else "trigger" if name.startswith("Attribution") else None
        if key is None:
            return f"{event_id}: unknown role {role}"
        parts[key].append(bound.spans)
    content = _merge(parts["Content"])
    cue = _merge(parts["Cue"]) or _merge(parts["trigger"])
    source = _merge(parts["Source"]) or None
    if not content:
        return f"{event_id}: no content"
    if not cue:
        return f"{event_id}: no cue and no trigger"
    if not all(_valid(spans, text_len) for spans in (content, cue, source or ())):
        return f"{event_id}: offsets reversed or outside the text"
    return GoldAttribution(source=source, cue=cue, content=content)


def parse_ann(ann: str, text: str, name: str = "<ann>") -> tuple[GoldAttribution, ...]:
    """The attributions of one BRAT standoff file over ``text``, in file order.

    Unusable lines and events are logged (one warning per file) and skipped.
    """
    bounds, events, problems = _read_lines(ann)
    out: list[GoldAttribution] = []
    for event_id, roles in events:
        result = _event_to_attribution(event_id, roles, bounds, len(text))
        if isinstance(result, str):
            problems.append(result)
        else:
            out.append(result)
    if problems:
        log.warning("%s: skipped %d item(s): %s", name, len(problems), "; ".join(problems))
    return tuple(out)


def parse_text_bounds(ann: str) -> dict[str, TextBound]:
    """The ``T`` lines of a BRAT standoff file by id (unreadable ones left out)."""
    return _read_lines(ann)[0]


def _first_ann_by_base(ann_dir: Path) -> dict[str, Path]:
    """``<base>`` → its alphabetically first ``<base>_<annotator>.ann`` (bases contain underscores)."""
    first: dict[str, Path] = {}
    for path in sorted(ann_dir.glob("*.ann")):
        base = path.stem.rpartition("_")[0]
        if base and base not in first:
            first[base] = path
    return first


def load_polnear(split_dir: Path, limit: int | None = None) -> list[GoldDocument]:
    """The articles of a PolNeAR split, sorted by id, each with its gold attributions.

    One annotation file per article: the alphabetically first ``<base>_<annotator>.ann``.
    Articles without any ``.ann`` file are kept with no attributions (and a warning). Each
    article's publication date comes from ``metadata.tsv`` beside the split, if present.
    Raises FileNotFoundError when ``split_dir/text`` does not exist.
    """
    split_dir = Path(split_dir)
    text_dir, ann_dir = split_dir / "text", split_dir / "attributions"
    if not text_dir.is_dir():
        raise FileNotFoundError(f"no PolNeAR text directory at {text_dir}")
    ann_paths = _first_ann_by_base(ann_dir) if ann_dir.is_dir() else {}
    published = publication_dates(split_dir.parent / "metadata.tsv")
    docs: list[GoldDocument] = []
    for text_path in sorted(text_dir.glob("*.txt")):
        if limit is not None and len(docs) >= limit:
            break
        base = text_path.stem
        text = _read_utf8(text_path)
        ann_path = ann_paths.get(base)
        if ann_path is None:
            log.warning("%s: no annotation file; scored as an article without attributions", base)
            docs.append(GoldDocument(base, text, (), published.get(base)))
            continue
        docs.append(GoldDocument(base, text, parse_ann(_read_utf8(ann_path), text, ann_path.name),
                                 published.get(base)))
    return docs


def publication_dates(metadata: Path) -> dict[str, str]:
    """Article name → publication date from a PolNeAR ``metadata.tsv`` (columns ``filename`` and
    ``publication_date``); empty when the file is absent or lacks those columns."""
    try:
        lines = _read_utf8(metadata).splitlines()
    except (OSError, GoldFormatError):
        return {}
    if not lines:
        return {}
    header = lines[0].split("\t")
    if "filename" not in header or "publication_date" not in header:
        return {}
    name, day = header.index("filename"), header.index("publication_date")
    out = {}
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) > max(name, day) and cells[day] not in ("", "None"):
            out[cells[name]] = cells[day]
    return out


def load_second_annotations(split_dir: Path) -> list[tuple[GoldDocument, tuple[GoldAttribution, ...]]]:
    """The articles of a split that a second annotator also annotated: each as its gold (the
    alphabetically first ``.ann``, as ``load_polnear`` reads it) with the second ``.ann``'s
    attributions. Scoring the second against the first says how far people agree, which is
    the ceiling any engine's scores on the split should be read against."""
    split_dir = Path(split_dir)
    text_dir, ann_dir = split_dir / "text", split_dir / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise FileNotFoundError(f"no PolNeAR text and attributions directories in {split_dir}")
    by_base: dict[str, list[Path]] = {}
    for path in sorted(ann_dir.glob("*.ann")):
        base = path.stem.rpartition("_")[0]
        if base:
            by_base.setdefault(base, []).append(path)
    pairs = []
    for base, paths in sorted(by_base.items()):
        text_path = text_dir / f"{base}.txt"
        if len(paths) < 2 or not text_path.is_file():
            continue
        text = _read_utf8(text_path)
        first, second = (_read_ann(path, text) for path in paths[:2])
        pairs.append((GoldDocument(base, text, first), second))
    return pairs


def _read_ann(path: Path, text: str) -> tuple[GoldAttribution, ...]:
    return parse_ann(_read_utf8(path), text, path.name)


def _read_utf8(path: Path) -> str:
    """A split's file as text (newlines kept: offsets count them). A file that is not UTF-8 is a
    ``GoldFormatError`` naming it: scores over the rest would not be the split's scores."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except UnicodeDecodeError as err:
        raise GoldFormatError(f"{path}: not valid UTF-8 (byte {err.start})") from None
