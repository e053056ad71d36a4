"""English date phrases and ranges as documents print them.

Plain Python, no third-party parsing. Public:

- ``parse_date(text)`` -> the first full calendar date in ``text`` ("18 September 2015",
  "26 November 2007", "the 8th of July 2019", "September 18, 2015", "18/09/2015", "2015-09-18"),
  or None.
- ``parse_date_range(text)`` -> ``(start, end)`` for the first date expression in ``text``:
  a range ("8-19 March 2010", "22 and 23 June 2021", "13 April 2015 – 8 May 2015",
  "8 October to 19 October 2018", "29 January – 9 February 2024", "20 to 31 January 2025"),
  a single day (start == end), a month ("July 2018" -> 1 to 31 July 2018) or, when
  ``allow_year`` is true (the default), a bare year ("in 2006" -> 1 January to 31 December 2006).
  None when there is none.
- ``find_date_ranges(text, allow_year=True)`` -> every such expression, in order, as
  :class:`DateSpan` (offsets into ``text``, start, end and granularity: day / month / year).

Whitespace (including line breaks) may separate the parts of a phrase; ordinal suffixes and
weekday names are accepted; two-digit years are not.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "january": 1, "jan": 1,
    "february": 2, "feb": 2,
    "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "may": 5,
    "june": 6, "jun": 6,
    "july": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_DAY = r"(?:[0-3]?\d)(?:\s?(?:st|nd|rd|th))?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)"
_SEP = r"\s*(?:-|–|—|‐|‑|to|until|till|and|through)\s*"
_S = r"\s+"

# Day-first forms, longest first. Named groups: d1 m1 y1 d2 m2 y2.
_RANGE_PATTERNS = [
    # 13 April 2015 – 8 May 2015 / 8 October to 19 October 2018 / 29 January – 9 February 2024
    rf"(?:{_WEEKDAY})?(?P<d1>{_DAY})(?:{_S}of)?{_S}(?P<m1>{_MONTH})(?:,?{_S}(?P<y1>{_YEAR}))?"
    rf"{_SEP}(?:{_WEEKDAY})?(?P<d2>{_DAY})(?:{_S}of)?{_S}(?P<m2>{_MONTH}),?{_S}(?P<y2>{_YEAR})",
    # 8-19 March 2010 / 22 and 23 June 2021 / 20 to 31 January 2025
    rf"(?:{_WEEKDAY})?(?P<d1>{_DAY}){_SEP}(?:{_WEEKDAY})?(?P<d2>{_DAY})(?:{_S}of)?{_S}(?P<m2>{_MONTH}),?"
    rf"{_S}(?P<y2>{_YEAR})",
    # single day: 18 September 2015 / the 8th of July 2019 / Tuesday 8 July 2019
    rf"(?:{_WEEKDAY})?(?P<d2>{_DAY})(?:{_S}of)?{_S}(?P<m2>{_MONTH}),?{_S}(?P<y2>{_YEAR})",
    # month-first: September 18, 2015
    rf"(?P<m2>{_MONTH}){_S}(?P<d2>{_DAY}),?{_S}(?P<y2>{_YEAR})",
    # numeric: 18/09/2015, 18.09.2015
    rf"(?P<nd>[0-3]?\d)[/.](?P<nm>[01]?\d)[/.](?P<ny>{_YEAR})",
    # ISO
    rf"(?P<iy>{_YEAR})-(?P<im>[01]\d)-(?P<id>[0-3]\d)",
    # month range in one year: January to March 2019 / April – June 2016
    rf"(?P<mm1>{_MONTH})(?:{_S}(?P<my1>{_YEAR}))?{_SEP}(?P<mm2>{_MONTH}){_S}(?P<my2>{_YEAR})",
    # month and year: July 2018
    rf"(?P<mo>{_MONTH}),?{_S}(?P<moy>{_YEAR})",
]
# named groups repeat across alternatives: compile each separately and take the earliest/longest
_ALTERNATIVES = [re.compile(r"\b" + p + r"\b", re.I) for p in _RANGE_PATTERNS]
_YEAR_RE = re.compile(rf"(?<![\d/£$.,-])\b(?P<y>{_YEAR})\b(?![/\-–]\d|\d|,\d|\.\d)")
_NOT_A_YEAR_BEFORE = re.compile(
    r"(?:act|regulations?|order|rules|section|chapter|no\.?|number|page|paragraph|£|\$)\s*$", re.I
)


@dataclass(frozen=True)
class DateSpan:
    start_offset: int
    end_offset: int
    start: date
    end: date
    granularity: str  # "day", "month" or "year"
    text: str


def _month(word: str) -> int:
    return _MONTHS[word.lower().rstrip(".")]


def _day(word: str) -> int:
    return int(re.match(r"\d+", word).group(0))


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _span_from_match(m: re.Match) -> tuple[date, date, str] | None:
    g = m.groupdict()
    if g.get("iy"):
        d = _safe_date(int(g["iy"]), int(g["im"]), int(g["id"]))
        return (d, d, "day") if d else None
    if g.get("ny"):
        d = _safe_date(int(g["ny"]), int(g["nm"]), int(g["nd"]))
        return (d, d, "day") if d else None
    if g.get("mm2"):
        y2 = int(g["my2"])
        y1 = int(g["my1"]) if g.get("my1") else y2
        m1, m2 = _month(g["mm1"]), _month(g["mm2"])
        if not g.get("my1") and m1 > m2:
            y1 = y2 - 1
        start, end = date(y1, m1, 1), _month_end(y2, m2)
        return (start, end, "month") if start <= end else None
    if g.get("mo"):
        y, mo = int(g["moy"]), _month(g["mo"])
        return date(y, mo, 1), _month_end(y, mo), "month"
    y2, m2, d2 = int(g["y2"]), _month(g["m2"]), _day(g["d2"])
    end = _safe_date(y2, m2, d2)
    if end is None:
        return None
    if not g.get("d1"):
        return end, end, "day"
    m1 = _month(g["m1"]) if g.get("m1") else m2
    y1 = int(g["y1"]) if g.get("y1") else y2
    if not g.get("y1") and m1 > m2:
        y1 = y2 - 1  # "29 December – 9 January 2015"
    start = _safe_date(y1, m1, _day(g["d1"]))
    if start is None or start > end:
        return None
    return start, end, "day"


def find_date_ranges(text: str, allow_year: bool = True) -> list[DateSpan]:
    """Every date expression in ``text`` (ranges, days, months and, optionally, bare years)."""
    found: list[DateSpan] = []
    taken: list[tuple[int, int]] = []
    candidates = []
    for alt in _ALTERNATIVES:
        for m in alt.finditer(text):
            candidates.append(m)
    # earliest first, then longest
    candidates.sort(key=lambda m: (m.start(), -(m.end() - m.start())))
    for m in candidates:
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        span = _span_from_match(m)
        if span is None:
            continue
        taken.append((m.start(), m.end()))
        found.append(DateSpan(m.start(), m.end(), span[0], span[1], span[2], m.group(0)))
    if allow_year:
        for m in _YEAR_RE.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if _NOT_A_YEAR_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
                continue
            y = int(m.group("y"))
            taken.append((m.start(), m.end()))
            found.append(DateSpan(m.start(), m.end(), date(y, 1, 1), date(y, 12, 31), "year", m.group(0)))
    found.sort(key=lambda s: s.start_offset)
    return found


def parse_date_range(text: str, allow_year: bool = True) -> tuple[date, date] | None:
    """(start, end) of the first date expression in ``text``; None if there is none."""
    spans = find_date_ranges(text, allow_year=allow_year)
    if not spans:
        return None
    return spans[0].start, spans[0].end


def parse_date(text: str) -> date | None:
    """The first full calendar date (day, month and year) in ``text``.

    In a range ("8-19 March 2010") that is the range's first day; use :func:`parse_date_range`
    for ranges.
    """
    for span in find_date_ranges(text, allow_year=False):
        if span.granularity == "day":
            return span.start
    return None
