"""Dates as practice software and spreadsheets write them, read in the order the practice's region writes them.

`03/04/2026` is March 4 in the US and April 3 nearly everywhere else, so a date with the day and the month both
12 or less is read in one order for the whole file: kitgen.yaml's `report: {dates: ...}` when set, else the
region's (month first in the US, day first elsewhere). When the order comes from the region and the file itself
shows the other (`11/20/2026` has no month 20) with nothing showing the region's, the file is read the way it
shows, and kitgen says so. A file that shows both orders is refused: it is truly ambiguous. With an order set in
kitgen.yaml, a date that cannot be read in it is an error at its line.

Unambiguous forms read in any order: `2026-11-20` (and with a time after it, as APIs write), `2026/11/20`,
`20 Nov 2026`, `Nov 20, 2026`, `20-Nov-2026`. With `dates: iso` only the first two.
"""

from __future__ import annotations

import datetime
import functools
import re

ORDERS = ("month-first", "day-first", "iso")
_TIME = r"(?:[ T,]+\d{1,2}:\d{2}.*)?"  # "10:30", "10:30:00 AM", "T10:30:00+11:00": a time after the date is dropped
_ISO = re.compile(rf"(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}")
_NUMERIC = re.compile(rf"(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{4}}|\d{{2}}){_TIME}")
_DAY_NAMED = re.compile(rf"(\d{{1,2}})[ \-]([A-Za-z]{{3,9}})\.?,?[ \-](\d{{4}}|\d{{2}}){_TIME}")
_NAMED_DAY = re.compile(rf"([A-Za-z]{{3,9}})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}}){_TIME}")
MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                             "nov", "dec"))}
EXAMPLE = {"month-first": "MM/DD/YYYY", "day-first": "DD/MM/YYYY", "iso": "YYYY-MM-DD"}


def region_order(region: str) -> str:
    """Month first in the US, day first in every other region kitgen has (ca, gb, ie, au, nz)."""
    return "month-first" if region == "us" else "day-first"


def _day(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)  # "26" is 2026: referrals are this century's


def _month(name: str) -> int | None:
    name = name.casefold()
    month = MONTHS.get(name[:3])
    full = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december")
    return month if month and (len(name) == 3 or full[month - 1].startswith(name) or name == "sept") else None


@functools.lru_cache(maxsize=8192)  # a file of any size has a few thousand distinct dates at most
def parse(value: str, order: str) -> datetime.date | None:
    """The date `value` reads as in `order`, or None."""
    m = _ISO.fullmatch(value)
    if m:
        return _day(int(m[1]), int(m[2]), int(m[3]))
    if order == "iso":
        return None
    m = _NUMERIC.fullmatch(value)
    if m:
        a, b, year = int(m[1]), int(m[2]), _year(m[3])
        return _day(year, a, b) if order == "month-first" else _day(year, b, a)
    m = _DAY_NAMED.fullmatch(value)
    if m and _month(m[2]):
        return _day(_year(m[3]), _month(m[2]) or 0, int(m[1]))
    m = _NAMED_DAY.fullmatch(value)
    if m and _month(m[1]):
        return _day(int(m[3]), _month(m[1]) or 0, int(m[2]))
    return None


def shows(value: str) -> str | None:
    """The order a numeric date can only be read in ('11/20/2026': month-first), or None when either or neither."""
    m = _NUMERIC.fullmatch(value)
    if not m:
        return None
    month_first = parse(value, "month-first") is not None
    day_first = parse(value, "day-first") is not None
    if month_first != day_first:
        return "month-first" if month_first else "day-first"
    return None
