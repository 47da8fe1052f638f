"""TIMEX3 value helpers: the lexical data for time words, calendar arithmetic and value ranges.

Values follow TIMEX3 (``2018-08-22``, ``2018-W33``, ``2018-05``, ``2014``, ``199`` for a decade,
``2018-SU`` for a season, ``2018-08-20TNI`` for a part of day, ``XXXX-08-22`` when unresolved).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from polybius.errors import ResourceError

RESOURCE = "time_words.yaml"
_POD_CODES = {"MO", "AF", "EV", "NI", "DT"}
_SEASON_CODES = {"SP", "SU", "FA", "WI"}
_UNIT_CODES = {"D", "W", "M", "Y", "DE", "CE", "H", "MIN", "S"}


@dataclass(frozen=True)
class TimeWords:
    """Validated lexical data from ``resources/time_words.yaml``."""

    weekdays: dict[str, int]
    months: dict[str, int]
    ambiguous_months: frozenset[str]
    parts_of_day: dict[str, str]
    seasons: dict[str, str]
    numbers: dict[str, int]
    units: dict[str, str]
    holidays: dict[str, dict[str, int]]


def _mapping(data: dict[str, Any], key: str, ok: Any, what: str) -> dict[str, Any]:
    table = data.get(key)
    if not isinstance(table, dict) or not table:
        raise ResourceError(f"{RESOURCE}: '{key}' must be a non-empty mapping")
    for word, value in table.items():
        if not isinstance(word, str) or word != word.lower() or not ok(value):
            raise ResourceError(f"{RESOURCE}: {key}.{word}: {value!r} is not {what}")
    return dict(table)


@lru_cache(maxsize=1)
def time_words() -> TimeWords:
    """The time-word lexicon, loaded and validated once."""
    try:
        text = resources.files("polybius.resources").joinpath(RESOURCE).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as err:
        raise ResourceError(f"{RESOURCE}: cannot be read: {err}") from err
    if not isinstance(data, dict):
        raise ResourceError(f"{RESOURCE}: top level must be a mapping")
    months = _mapping(data, "months", lambda v: isinstance(v, int) and 1 <= v <= 12, "a month 1-12")
    ambiguous = data.get("ambiguous_months", [])
    if not isinstance(ambiguous, list) or any(m not in months for m in ambiguous):
        raise ResourceError(f"{RESOURCE}: ambiguous_months must list words from 'months'")
    return TimeWords(
        weekdays=_mapping(data, "weekdays", lambda v: isinstance(v, int) and 1 <= v <= 7,
                          "an ISO weekday 1-7"),
        months=months,
        ambiguous_months=frozenset(ambiguous),
        parts_of_day=_mapping(data, "parts_of_day", lambda v: v in _POD_CODES,
                              f"one of {sorted(_POD_CODES)}"),
        seasons=_mapping(data, "seasons", lambda v: v in _SEASON_CODES,
                         f"one of {sorted(_SEASON_CODES)}"),
        numbers=_mapping(data, "numbers", lambda v: isinstance(v, int) and v > 0,
                         "a positive integer"),
        units=_mapping(data, "units", lambda v: v in _UNIT_CODES, f"one of {sorted(_UNIT_CODES)}"),
        holidays=_mapping(data, "holidays", _holiday_ok,
                          "{month, day[, weekday]} or {easter: offset} with integer values"),
    )


def _holiday_ok(spec: Any) -> bool:
    if not isinstance(spec, dict) or not all(isinstance(v, int) for v in spec.values()):
        return False
    if set(spec) == {"easter"}:
        return abs(spec["easter"]) < 60
    return (set(spec) in ({"month", "day"}, {"month", "day", "weekday"})
            and 1 <= spec["month"] <= 12 and 1 <= spec["day"] <= 31
            and 1 <= spec.get("weekday", 1) <= 7)


# --- calendar arithmetic -------------------------------------------------------------------

def day_value(d: date) -> str:
    """``2018-08-22``."""
    return d.isoformat()


def week_value(d: date) -> str:
    """The ISO week containing ``d``: ``2018-W33``."""
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def month_value(year: int, month: int) -> str:
    """``2018-05``."""
    return f"{year:04d}-{month:02d}"


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by ``delta`` months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def past_weekday(ref: date, weekday: int, strict: bool = False) -> date:
    """The latest ``weekday`` (ISO 1-7) on or before ``ref`` (strictly before when ``strict``)."""
    back = (ref.isoweekday() - weekday) % 7
    if strict and back == 0:
        back = 7
    return ref - timedelta(days=back)


def future_weekday(ref: date, weekday: int, strict: bool = False) -> date:
    """The earliest ``weekday`` on or after ``ref`` (strictly after when ``strict``)."""
    ahead = (weekday - ref.isoweekday()) % 7
    if strict and ahead == 0:
        ahead = 7
    return ref + timedelta(days=ahead)


def easter_sunday(year: int) -> date:
    """Western Easter Sunday (the Gregorian computus, "anonymous" algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l7 = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l7) // 451
    month, day = divmod(h + l7 - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holiday_date(name: str, year: int) -> date | None:
    """The day of the holiday ``name`` (a key of ``holidays`` in the lexicon) in ``year``."""
    spec = time_words().holidays.get(name.lower())
    if spec is None or not 1 <= year <= 9999:
        return None
    if "easter" in spec:
        return easter_sunday(year) + timedelta(days=spec["easter"])
    try:
        day = date(year, spec["month"], spec["day"])
    except ValueError:
        return None
    return future_weekday(day, spec["weekday"]) if "weekday" in spec else day


# --- value ranges -----------------------------------------------------------------------------

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_QUARTER = re.compile(r"^(\d{4})-(Q[1-4]|H[12])$")
_YEARISH = re.compile(r"^(\d{2,4})X*$")  # "199" and "199X" both name the 1990s
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}
_PART_MONTHS = {"Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12), "H1": (1, 6), "H2": (7, 12)}

Range = tuple[date | None, date | None, str]


def _months_range(year: int, first: int, last: int) -> tuple[date, date]:
    end_year, end_month = shift_month(year, first, last - first)
    return (date(year, first, 1),
            date(end_year, end_month, calendar.monthrange(end_year, end_month)[1]))


def _range(value: str) -> Range:
    if m := _DAY.match(value):
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d, "day"
    if m := _WEEK.match(value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if m[3]:  # weekend: Saturday and Sunday of that ISO week
            return monday + timedelta(days=5), monday + timedelta(days=6), "week"
        return monday, monday + timedelta(days=6), "week"
    if m := _MONTH.match(value):
        start, end = _months_range(int(m[1]), int(m[2]), int(m[2]))
        return start, end, "month"
    if m := _SEASON.match(value):
        start, end = _months_range(int(m[1]), *_SEASON_MONTHS[m[2]])
        return start, end, "month"
    if m := _QUARTER.match(value):
        start, end = _months_range(int(m[1]), *_PART_MONTHS[m[2]])
        return start, end, "month"
    if m := _YEARISH.match(value):
        # 4 digits: a year; 3: a decade ("199"); 2: a century ("19" = 1900-1999).
        if len(value) != 4 and len(value) != len(m[1]):
            return None, None, "unknown"  # e.g. "19XXX"
        width = 10 ** (4 - len(m[1]))
        first = int(m[1]) * width
        return date(max(first, 1), 1, 1), date(first + width - 1, 12, 31), "year"
    return None, None, "unknown"


def value_range(value: str) -> Range:
    """(start, end, precision) for a TIMEX3 value; (None, None, "unknown") when not calendar-resolved."""
    try:
        return _range(value)
    except ValueError:  # e.g. 2018-02-30 or week 54: not a real calendar period
        return None, None, "unknown"
