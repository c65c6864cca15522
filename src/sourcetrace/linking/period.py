"""A period as people type it on a command line or in a URL: "2026", "2026-03", "2026-03-02",
or two of those joined by ".." ("2026-03-02..2026-03-04"), as (first day, last day)."""

from __future__ import annotations

import calendar
import re
from datetime import date

__all__ = ["parse_period"]

_PART = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_period(text: str) -> tuple[date, date]:
    """``text`` as (first day, last day); ValueError with the reason when it is none."""
    first, sep, last = text.strip().partition("..")
    start = _bounds(first)[0]
    end = _bounds(last if sep else first)[1]
    if end < start:
        raise ValueError(f"{text!r}: the period ends before it starts")
    return start, end


def _bounds(part: str) -> tuple[date, date]:
    m = _PART.match(part.strip())
    if not m:
        raise ValueError(f"{part.strip()!r} is not a year, month or day (2026, 2026-03 or 2026-03-02)")
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if year < 1:
        raise ValueError(f"{part.strip()!r}: no such year")
    if not month:
        return date(year, 1, 1), date(year, 12, 31)
    if not 1 <= month <= 12:
        raise ValueError(f"{part.strip()!r}: no such month")
    if not day:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    try:
        day_ = date(year, month, day)
    except ValueError:
        raise ValueError(f"{part.strip()!r}: no such day") from None
    return day_, day_
