"""Publication times: parse what sources give, and refuse implausible ones.

A date is implausible when it lies in the future (beyond a small clock-skew allowance), before
1990, or is exactly the Unix epoch (a CMS default). Then, as when it is missing or unparseable,
the article is dated at crawl time and the reason is kept in ``date_flag``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

__all__ = ["DateDecision", "EARLIEST", "FUTURE_SKEW", "as_utc", "parse_date", "resolve_published"]

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
        return _parsed(value)
    except (ValueError, OverflowError, OSError):
        return None


def _parsed(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, time.struct_time):
        return datetime(*value[:6], tzinfo=UTC)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    text = str(value).strip()
    if _DATE_ONLY.match(text):
        text += "T00:00:00"
    try:
        return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return as_utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        return None


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
