"""Dates a text speaks of, as calendar periods: "last week", "Sept. 12", "the mid-1990s" → start, end.

A claim's "when" is read from spaCy's DATE entities (already computed, so no second pass over
the text). Each that names a point or period of the calendar becomes a period at its
granularity: "Tuesday" → that day, "over the weekend" → its Saturday and Sunday, "last week" →
its Monday to Sunday, "October" → the month, "the second quarter" → April to June, "2016" → the
year, "the 1990s" → the decade; "early", "mid", "late", "the end of" are kept as a modifier. Relative dates ("yesterday", "Sept. 12", "three years ago") need an anchor, the
article's publication date; without one they are listed with no period (``relative`` true). A
bare weekday or month is placed by the tense of its verb: "said Tuesday" is the Tuesday before
the anchor, "will vote Tuesday" the one after.

dateparser does the parsing; the rules here only choose what to give it and what is not a date at
all. Skipped: durations ("two weeks", "10 years"), ages ("17-year-old", "mid-30s"), recurring
times ("annual", "each day"), anaphora ("that day", "a month later"), and holidays by name.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

from spacy.tokens import Doc, Span, Token

from ..records import DateMention, Granularity

__all__ = ["extract_dates", "resolve_date"]

Tense = Literal["past", "future", "current_period"]

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           r"jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?")
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_UNITS = "day|week|weekend|month|year|decade|century|quarter"
_SEASONS = "spring|summer|fall|autumn|winter"
# What ties an expression to the calendar; without one it is a duration, an age or a set.
_ANCHORED = re.compile(
    rf"\b(?:{_MONTHS}|{_WEEKDAYS}|today|yesterday|tomorrow|tonight|ago)(?![\w-])"
    r"|\b(?:1[0-9]|20|21)\d\d(?!-year|\s*years?\s+old)\b"
    r"|(?:\b\d\d\d0|')\d?0?s\b"
    rf"|\b(?:last|next|this|past|coming|previous)\b.*\b(?:{_UNITS}|{_SEASONS})s?\b"
    r"|\b(?:end|start|beginning|middle)\s+of\s+the\s+(?:year|month|week)\b"
    r"|\b(?:first|second|third|fourth)\s+(?:quarter|half)\b|\bweekend\b",
    re.IGNORECASE)
_MODIFIER = re.compile(
    r"^(?:the\s+)?(early|mid|late|earlier|later|(?:end|start|beginning|middle)\s+of)(?:\s+|-)(?=\w)",
    re.IGNORECASE)
_LEADING = re.compile(r"^(?:(?:between|since|until|by|from|in|on|of|during|as of|the)\s+)+", re.IGNORECASE)
_DECADE = re.compile(r"^(?:the\s+)?(?:(\d\d\d)0|'(\d)0)s$", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"^((?:19|20)\d\d)\s*(?:-|–|—|to|through)\s*((?:19|20)?\d\d)$", re.IGNORECASE)
# "the past three weeks", "past 10 years", "the past week" (seven days up to the anchor; "last
# week" is the calendar's, which dateparser reads).
_PAST_SPAN = re.compile(rf"^(?:(?:past|last)\s+(\w+)\s+({_UNITS})s|past\s+(day|week|month|year))$", re.IGNORECASE)
_SEASON = re.compile(rf"^(?:(last|next|this|past|coming|previous)\s+)?({_SEASONS})(?:\s+(?:of\s+)?(\d{{4}}))?$",
                     re.IGNORECASE)
_FULL_YEAR = re.compile(r"\b(?:1[0-9]|20|21)\d\d(?!\d)")
_DAY_RANGE = re.compile(rf"^((?:{_MONTHS})\s+)(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|to|through)\s*(\d{{1,2}})(?:st|nd|rd|th)?"
                        r"((?:,\s*|\s+)\d{4})?$", re.IGNORECASE)
_LONG_PERIOD = re.compile(r"^(?:the\s+)?(this|last|next|previous|coming|past)\s+(decade|century)$", re.IGNORECASE)
_WEEKDAY = re.compile(rf"^(?:{_WEEKDAYS})$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")
_BARE_UNIT = re.compile(r"^(?:the\s+)?(year|month|week)$", re.IGNORECASE)
_PART_OF_YEAR = re.compile(r"^(?:the\s+)?(first|second|third|fourth)\s+(quarter|half)"
                           r"(?:\s+of\s+(?:(\d{4})|(this|last|next)\s+year))?$", re.IGNORECASE)
_WEEKEND = re.compile(r"^(?:the\s+)?(?:(this\s+past|last|past|previous|this|next|coming|over\s+the)\s+)?weekend$",
                      re.IGNORECASE)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_SEASON_MONTHS = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})
_EARLIEST, _LATEST = date(1000, 1, 1), date(2199, 12, 31)  # beyond: a misreading, not news
_MONTHS_PER = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}
_PERIODS: dict[str, Granularity] = {"day": "day", "time": "day", "part_of_day": "day", "week": "week",
                                    "month": "month", "year": "year"}


def extract_dates(doc: Doc, anchor: date | None = None) -> list[DateMention]:
    """The calendar dates among the DATE entities of ``doc``, resolved against ``anchor``
    (the publication date; None: relative dates get no period)."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "DATE" or not _ANCHORED.search(ent.text):  # spare the tense of the rest
            continue
        period = resolve_date(" ".join(ent.text.split()), anchor, _tense(ent))
        if period is None:
            continue
        start, end, granularity, modifier, relative = period
        out.append(DateMention((ent.start_char, ent.end_char), ent.text, start, end, granularity, modifier, relative))
    return out


Period = tuple[date | None, date | None, Granularity | None, str | None, bool]


@lru_cache(maxsize=4096)
def resolve_date(text: str, anchor: date | None, tense: Tense = "current_period") -> Period | None:
    """``text`` as (start, end, granularity, modifier, relative), or None when it is no calendar
    date. A relative date with no anchor has start, end and granularity None."""
    if not _ANCHORED.search(text):
        return None
    modifier = None
    body = _LEADING.sub("", text.strip())
    if m := _MODIFIER.match(body):
        modifier = " ".join(m.group(1).lower().split()).removesuffix(" of")
        body = body[m.end():]
    body = _POSSESSIVE.sub("", _LEADING.sub("", body).rstrip(".,;: "))
    if modifier and (m := _BARE_UNIT.match(body)):  # "the end of the year": this one
        body = f"this {m.group(1)}"
    relative = _FULL_YEAR.search(body) is None
    if relative and anchor is None:
        return (None, None, None, modifier, True) if _ANCHORED.search(body) else None
    try:
        period = _special(body, anchor, tense) or _parsed(body, anchor, tense)
    except (ValueError, OverflowError):  # past the calendar's ends ("winter 9999")
        return None
    if period is None or not (_EARLIEST <= period[0] and period[1] <= _LATEST):
        return None
    start, end, granularity = period
    return start, end, granularity, modifier, relative


def _special(body: str, anchor: date | None, tense: Tense) -> tuple[date, date, Granularity] | None:
    """What dateparser does not read: decades, year ranges, seasons, "the past N units", quarters,
    halves and weekends."""
    if m := _DECADE.match(body):
        if m.group(1):
            first = int(m.group(1)) * 10
        else:  # "'90s": the latest such decade not after the anchor (relative: there is one)
            assert anchor is not None
            first = anchor.year // 100 * 100 + int(m.group(2)) * 10
            if first > anchor.year:
                first -= 100
        return date(first, 1, 1), date(first + 9, 12, 31), "decade"
    if m := _YEAR_RANGE.match(body):
        first, last = int(m.group(1)), m.group(2)
        last_year = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
        if last_year <= first:
            return None
        return date(first, 1, 1), date(last_year, 12, 31), "year"
    if m := _SEASON.match(body):
        return _season(m.group(1), m.group(2).lower(), m.group(3), anchor)
    if (m := _PAST_SPAN.match(body)) and anchor is not None:  # "the past three weeks": up to the anchor
        word = m.group(1) or "one"
        count = int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())
        if not count:
            return None
        unit = (m.group(2) or m.group(3)).lower()
        if unit in _MONTHS_PER:
            return _months_before(anchor, count * _MONTHS_PER[unit]), anchor, "month" if unit in (
                "month", "quarter") else "year"
        days = count * (1 if unit == "day" else 7)
        return anchor - timedelta(days=days), anchor, "day" if unit == "day" else "week"
    if (m := _LONG_PERIOD.match(body)) and anchor is not None:
        which, unit = m.group(1).lower(), m.group(2).lower()
        size = 10 if unit == "decade" else 100
        if which == "past":  # "the past decade": the ten years up to the anchor
            return _months_before(anchor, size * 12), anchor, "year"
        step = {"this": 0, "last": -1, "previous": -1, "next": 1, "coming": 1}[which]
        first = (anchor.year // size + step) * size + (1 if unit == "century" else 0)
        return date(first, 1, 1), date(first + size - 1, 12, 31), unit  # type: ignore[return-value]
    if (m := _DAY_RANGE.match(body)) and (anchor is not None or m.group(4)):  # "September 16-19"
        first = _parsed(m.group(1) + m.group(2) + (m.group(4) or ""), anchor, "current_period")
        last = _parsed(m.group(1) + m.group(3) + (m.group(4) or ""), anchor, "current_period")
        if first and last and first[0] <= last[0]:
            return first[0], last[0], "day"
        return None
    if m := _PART_OF_YEAR.match(body):  # "the second quarter (of 2016)", "the first half of next year"
        year = int(m.group(3)) if m.group(3) else None
        if year is None and anchor is not None:
            year = anchor.year + {"this": 0, "last": -1, "next": 1}[(m.group(4) or "this").lower()]
        if year is None:
            return None
        size = 3 if m.group(2).lower() == "quarter" else 6
        index = _ORDINALS[m.group(1).lower()]
        if size == 6 and index > 2:
            return None
        first_month = (index - 1) * size + 1
        last_month = first_month + size - 1
        return (date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1]),
                "quarter" if size == 3 else "half")
    if (m := _WEEKEND.match(body)) and anchor is not None:
        return _weekend((m.group(1) or "").lower(), anchor, tense)
    if _WEEKDAY.match(body) and anchor is not None and body.lower() == calendar.day_name[anchor.weekday()].lower():
        return anchor, anchor, "day"  # "said Friday" in Friday's paper: that day
    return None


def _weekend(which: str, anchor: date, tense: Tense) -> tuple[date, date, Granularity]:
    """Saturday and Sunday. Looking back ("last", "this past", "over the weekend" in the past
    tense): the weekend the anchor is in or last ended, but "last weekend" said on a weekend is the
    one before. Looking ahead ("this", "next", "coming", or a future verb): the weekend the anchor
    is in, else the coming one; "next weekend" said on a weekend is the one after."""
    since_saturday = (anchor.weekday() - 5) % 7  # Saturday 0, Sunday 1, Monday 2 … Friday 6
    latest = anchor - timedelta(days=since_saturday)
    in_one = since_saturday <= 1
    if which in ("this", "next", "coming") or (which in ("", "over the") and tense == "future"):
        saturday = latest if in_one else latest + timedelta(days=7)
        if which == "next" and in_one:
            saturday += timedelta(days=7)
    else:
        saturday = latest - timedelta(days=7) if in_one and which in ("last", "past", "previous") else latest
    return saturday, saturday + timedelta(days=1), "weekend"


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _season(which: str | None, season: str, year: str | None, anchor: date | None) -> tuple[date, date, Granularity] | None:
    """Northern-hemisphere meteorological seasons (winter runs from December into the next year):
    "last fall" is the latest ended before the anchor, "next spring" the first begun after it,
    "this winter" (or a bare "winter") the one the anchor falls in, else the one of its year."""
    if year:
        return _season_of(int(year), season)
    if anchor is None:
        return None
    candidates = [_season_of(y, season) for y in range(anchor.year - 2, anchor.year + 2)]
    which = (which or "this").lower()
    if which in ("last", "past", "previous"):
        return max(c for c in candidates if c[1] < anchor)
    if which in ("next", "coming"):
        return min(c for c in candidates if c[0] > anchor)
    return next((c for c in candidates if c[0] <= anchor <= c[1]), candidates[2])


def _season_of(year: int, season: str) -> tuple[date, date, Granularity]:
    month = _SEASON_MONTHS[season]
    last = date(year, month, 1) + timedelta(days=92)  # into the month after the season's third
    return date(year, month, 1), last.replace(day=1) - timedelta(days=1), "season"


@lru_cache(maxsize=32)
def _parser(tense: Tense, anchor: date | None):  # noqa: ANN202 - a dateparser DateDataParser
    # The anchor is a setting, so each needs its own parser: one article's dates share theirs.
    from dateparser.date import DateDataParser

    settings: dict[str, object] = {"PREFER_DATES_FROM": tense, "RETURN_TIME_AS_PERIOD": True}
    if anchor is not None:
        settings["RELATIVE_BASE"] = datetime.combine(anchor, datetime.min.time())
    return DateDataParser(languages=["en"], settings=settings)


def _parsed(body: str, anchor: date | None, tense: Tense) -> tuple[date, date, Granularity] | None:
    try:
        data = _parser(tense, anchor).get_date_data(body)
    except Exception:  # noqa: BLE001 - a date dateparser cannot read is no date, never the article's failure
        return None
    if data.date_obj is None:
        return None
    return _bounds(data.date_obj.date(), _PERIODS.get(data.period or "day", "day"))


def _bounds(day: date, granularity: Granularity) -> tuple[date, date, Granularity]:
    if granularity == "week":
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6), "week"
    if granularity == "month":
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]), "month"
    if granularity == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31), "year"
    return day, day, "day"


def _tense(ent: Span) -> Tense:
    """Which way a bare weekday or month points: the tense of the verb the date hangs from."""
    verb: Token = ent.root
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return "current_period"
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE_AUX for a in auxes) or any(
            c.lower_ == "going" and c.dep_ == "aux" for c in auxes):
        return "future"
    if verb.tag_ in ("VBD",) or any(a.tag_ == "VBD" or a.lower_ in ("has", "have", "had") for a in auxes):
        return "past"
    return "current_period"
