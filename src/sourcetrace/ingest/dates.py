"""Publication times: parse what sources give, and refuse implausible ones.

A date is implausible when it lies in the future (beyond a small clock-skew allowance), before
1990, or is exactly the Unix epoch (a CMS default). Then, as when it is missing or unparseable,
the article is dated at crawl time and the reason is kept in ``date_flag``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

__all__ = ["DateDecision", "EARLIEST", "FUTURE_SKEW", "as_utc", "parse_date", "publication_day", "resolve_published"]

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SKEW = timedelta(days=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class DateDecision:
    published_at: datetime        # what the article is dated by (UTC)
    raw: str | None               # the value as the source gave it
    flag: str | None              # None when the source date was used; else why it was not


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken to be UTC (SQLite returns them so)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_date(value: Any) -> datetime | None:
    """ISO 8601, RFC 2822, a datetime or a ``time.struct_time``; ``None`` if not understood,
    or if it cannot be a UTC datetime ("9999-12-31T23:59:59-14:00", a timestamp of 1e20)."""
    try:
        parsed = _as_written(value)
        return None if parsed is None else as_utc(parsed)
    except (ValueError, OverflowError, OSError):
        return None


def publication_day(value: Any) -> date | None:
    """The calendar day of a publication time in the source's own offset, not UTC: the day
    that the paper's "yesterday" and "on Tuesday" count from. None if not understood."""
    try:
        parsed = _as_written(value)
    except (ValueError, OverflowError, OSError):
        return None
    if parsed is None or parse_date(parsed) is None:
        return None
    return parsed.date()


def _as_written(value: Any) -> datetime | None:
    """The time with the offset it was written with (naive: UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, time.struct_time):
        return datetime(*value[:6], tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    text = str(value).strip()
    if _DATE_ONLY.match(text):
        text += "T00:00:00"
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def resolve_published(value: Any, crawled_at: datetime, *, now: datetime | None = None) -> DateDecision:
    """The date to file an article under, falling back to ``crawled_at`` with a reason."""
    now = as_utc(now or datetime.now(UTC))
    crawled_at = as_utc(crawled_at)
    raw = None if value is None or value == "" else str(value if not isinstance(value, time.struct_time)
                                                       else time.strftime("%Y-%m-%dT%H:%M:%SZ", value))
    if raw is None:
        return DateDecision(crawled_at, None, "missing")
    parsed = parse_date(value)
    if parsed is None:
        return DateDecision(crawled_at, raw, "unparseable")
    if parsed == _EPOCH:
        return DateDecision(crawled_at, raw, "epoch-default")
    if parsed < EARLIEST:
        return DateDecision(crawled_at, raw, "before-1990")
    if parsed > now + FUTURE_SKEW:
        return DateDecision(crawled_at, raw, "future")
    return DateDecision(parsed, raw, None)
