"""Numbers and periods in English prose: what a number is, in what unit, and for when.

Plain Python, regexes compiled once. Used by :mod:`pipeline.indicators`.

* :func:`find_numbers` finds every number written in a sentence -- digits ("1,860", "78.7",
  "60,3 %"), words ("Ninety-two", "seven", "Fifty-eight per cent"), money ("£1.5 million",
  "£3,000") -- with the unit printed next to it (``percent``, ``rate_per_10000``, ``gbp``, ...),
  and drops the numbers that are not quantities: dates and years, financial years, times,
  phone numbers, postcodes, paragraph/section/chart/grade/legal references, ages that define a
  group ("aged 0 to 19", "under 18", "aged five or older", "moving to independent living at
  18"), ordinals, footnote markers glued to words ("schools3", "16%6"), "24/7", "1:1", ranges
  ("20-30 children") and thresholds in definitions ("three or more placement moves"); references
  in words count too ("level three training", "tier two").
* :func:`find_periods` finds the periods a sentence states ("at 31 March 2014", "in 2009",
  "2012-13", "between 1 April 2015 and 31 March 2016", "in the last 12 months", "from 2012 when
  ...", "between the start of 2012 and the time of the inspection") with ISO dates where they
  can be derived.

Speed: the exclusion and period patterns are tried only at the start of a word (and only with
one of the words or a digit they can start with), keyword tests decide which of the rarer
patterns to run at all, and text without a year or a period word has no periods (without a year,
only the relative ones are looked for). Numbers are looked for only where a run of digits starts,
and the exclusions only when a candidate is not plainly a year, the numbering or a date.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

# --------------------------------------------------------------------------------------------
# vocabulary

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)

UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_UNIT_W = "|".join(sorted(UNITS_WORDS, key=len, reverse=True))
_UNIT19_W = "one|two|three|four|five|six|seven|eight|nine"
_TENS_W = "|".join(TENS_WORDS)
_WORD_NUM_SMALL = (
    rf"(?:(?:{_UNIT_W}|a)\s+hundred(?:\s+(?:and\s+)?(?:(?:{_TENS_W})(?:[-\s](?:{_UNIT19_W}))?|{_UNIT_W}))?"
    rf"|(?:{_TENS_W})(?:[-\u2010\u2011\s](?:{_UNIT19_W}))?"
    rf"|{_UNIT_W})"
)
_WORD_NUM = rf"(?:(?:{_WORD_NUM_SMALL})\s+thousand(?:,?\s+(?:and\s+)?{_WORD_NUM_SMALL})?|{_WORD_NUM_SMALL})"

_ANY_WORD = r"[A-Za-z]+(?:-[A-Za-z]+)?"
MULTIPLIERS = {"million": 1e6, "m": 1e6, "mn": 1e6, "bn": 1e9, "billion": 1e9, "k": 1e3, "thousand": 1e3}

# --------------------------------------------------------------------------------------------
# tokens


@dataclass
class Num:
    """One number found in a sentence (offsets are into the sentence string)."""

    start: int  # first character of the printed number (incl. "£")
    end: int  # end of the printed number with its unit ("78.7 per 10,000", "60,3 %")
    value: float
    raw: str  # as printed, unit included: "£1.5 million", "60,3 %", "Ninety-two"
    unit: str | None  # None: a bare number, to be decided by context (count or not at all)
    kind: str  # "digit", "word", "money"
    num_end: int = 0  # end of the digits/words themselves (before the unit)
    fraction_of: int | None = None  # index of the partner in "351/187" (set by the caller)


_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3},\d{1,2}(?=\s?(?:%|per\s?cent\b))|\d+(?:\.\d+)?)"
# A number not glued to what precedes it (letters: footnote "area2"; "%": footnote "16%6";
# "/" ":" "-": second half of 24/7, 1:1, 15-17; ".": 4.13; digits), nor to a following letter
# ("5pm", "1st", "PE1 1HG") or to a hyphenated word ("30-day", "12-month").
_NUM_FOOTNOTE_RE = re.compile(r"(?=\d)(?<![\w%£$/:.-])(?P<n>\d{1,3}(?:,\d{3})+)(?=\d{1,2}[A-Za-z])")  # "56,2002children": footnote 2
_NUM_RE = re.compile(
    rf"(?=\d)(?<![\w%£$/:.\u2010\u2011\u2012\u2013\u2014-])(?<!\d,)(?<![A-Za-z],)(?P<n>{_DIGITS})(?![\w])(?!-[A-Za-z])(?!\.\d)"
)
_MONEY_RE = re.compile(
    rf"£\s?(?P<n>{_DIGITS})(?:\s?(?P<mult>million|billion|thousand|bn|mn|m|k)\b)?", re.I
)

_UNIT_AFTER = re.compile(
    r"""\s?(?:
        (?P<pp>percentage[\s-]points?\b|per\s?cent(?:age)?\s+points?\b|pp\b)
      | (?P<pct>%|per\s?cent\b|percent\b)
      | (?:(?:children|young\s+people|people|pupils|females|males|cases|residents)\s+)?per\s+(?P<per>100,?000|10,?000|1,?000)\b
      | (?P<fte>FTE\b|f\.t\.e\.?|full[\s-]time[\s-]equivalents?\b)
      | (?P<mult>million|billion)\b
    )""",
    re.X | re.I,
)
_DURATION_AFTER = re.compile(
    r"\s?(?:(?:working|calendar|school)\s+)?(?P<dur>days?|weeks?|months?|years?|yrs?|hours?|hrs?)\b", re.I
)


_WORD_SEP = re.compile(r"[\s\u2010\u2011,-]+")


def word_value(text: str) -> float | None:
    """The value of a number written in words ("Ninety-two" -> 92, "seven" -> 7)."""
    words = _WORD_SEP.split(text.lower().strip())
    total, current = 0, 0
    seen = False
    for w in words:
        if w == "and":
            continue
        if w == "a":
            current, seen = 1, True
        elif w in UNITS_WORDS:
            current += UNITS_WORDS[w]
            seen = True
        elif w in TENS_WORDS:
            current += TENS_WORDS[w]
            seen = True
        elif w == "hundred":
            current = (current or 1) * 100
        elif w == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
    return float(total + current) if seen else None


_DECIMAL_COMMA = re.compile(r"\d{1,3},\d{1,2}")


def digits_value(text: str) -> float:
    """"1,860" -> 1860; "60,3" (decimal comma) -> 60.3; "78.7" -> 78.7."""
    text = text.strip()
    if _DECIMAL_COMMA.fullmatch(text):
        return float(text.replace(",", "."))
    return float(text.replace(",", ""))


# --------------------------------------------------------------------------------------------
# things that look like numbers but are not quantities

_EXCLUDE_PATTERNS = [
    # dates: 31 March 2015, 5th February, 6<sup>th</sup> June 2013, March 2015, May 13, 1/04/12
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s*(?:of\s+)?{_MONTH}(?:,?\s+(?:19|20)\d{{2}})?",
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d{{2}})?\b",
    rf"\b{_MONTH}\s*(?:19|20)\d{{2}}\b",
    r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b",
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s*(?:and|to|-|\u2013|&)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}",
    # upper bounds are not values: "fewer than 5 were escalated", "less than five"
    r"(?i:\b(?:fewer|less)\s+than\s+(?:\d+(?:\.\d+)?|" + _WORD_NUM + r")\b)",
    r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b",
    # years and year ranges: 2009, 2008/09, 2012-13, 2012 - 2013, 1990s, mid-2015
    r"\b(?:19|20)\d{2}\s*[-/\u2010-\u2015\u2212]\s*(?:(?:19|20)\d{2}|\d{2})\b",
    r"(?<![\d,.£])\b(?:19|20)\d{2}s?\b(?![,.]\d)(?!\s?%)",
    # times: 10am, 5.30pm, 17:00
    r"\b\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)(?![a-z])",
    r"\b\d{1,2}:\d{2}\b",
    # 24/7, 1:1, 1-1, one-to-one, ratios written with a colon
    r"\b24\s?/\s?7\b|\b24[-\s]hours?\b|\b\d+\s?:\s?\d+\b|\b1\s?-\s?1\b|\b1\s?to\s?1\b",
    # phone numbers: 0300 123 1231, (01733) 747474, 0161 618 8524
    r"\(?\b0\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b",
    # postcodes: PE1 1FB, M1 2WD, TW9 4DU
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b",
    # ages that define a group: aged 0 to 19, aged 16, ages of 14 and 32, under 18, over 16,
    # post-16, 16+, 19- to 21-year-olds, 18-year-olds, 18th birthday, (0-5), 0-19 service
    r"(?i:\b(?:aged?|ages)\s+(?:of\s+|between\s+|from\s+|up\s+to\s+)?\d+(?:\s*(?:to|-|\u2013|and|or)\s*\d+)?"
    r"(?:\s*(?:years?|months?))?)",
    r"(?i:\b(?:under|over|below|above|post|pre)[\s-]+(?:the\s+age\s+of\s+)?(?:1[0-9]|2[0-5]|[5-9])s?\b"
    r"(?!\s*(?:%|per\b|children|young|people|cases|families|referrals|social|staff|posts|placements|visits"
    r"|assessments|plans|carers|adopters|adoptions|days|weeks|months|miles|hours|times)))",
    r"(?i:\bage\s+(?:of\s+)?\d+)",
    # a range is not a value: "working with 20-30 children"; an age after "at": "semi-independent living at 18"
    r"\b\d+(?:\.\d+)?\s*[-\u2013]\s*\d+(?:\.\d+)?\b(?!\s*[-\u2013/%])(?!\s*per\s?cent)",
    r"(?i:\b(?:living|live|lives|leave|leaves|leaving|left|moving|move|moves|independence|independently)\s+(?:\w+\s+){0,2}at\s+(?:1[6-9]|2[0-5])\b(?!\s*(?:%|per\b)))",
    # the same in words: "children aged five or older", "the under-fives"
    r"(?i:\b(?:aged?|ages)\s+(?:of\s+|between\s+|from\s+|up\s+to\s+)?(?:" + _WORD_NUM_SMALL + r")(?:\s*(?:to|-|\u2013|and|or)\s*(?:\d+|"
    + _WORD_NUM_SMALL + r"))?(?:\s*(?:years?|months?))?\b)",
    r"(?i:\bunder[\s-]+(?:fives?|fours?|threes?|twos?|ones?|elevens?|tens?)\b)",
    r"(?i:\b(?:are|is|were|was|aged?|turning)\s+(?:1[0-9]|2[0-5])\s+(?:or|and|to)\s+(?:1[0-9]|2[0-5])\b(?!\s*(?:%|per\b|children|young|people|cases|families)))",
    r"(?i:\b(?:until|when|before|after|once|unless|as)\s+(?:they|he|she|young\s+people|children|care\s+leavers)\s+(?:are|is|turn|turns|reach|reaches|become|becomes)\s+(?:aged\s+)?\d{2}\b)",
    r"(?i:\b(?:turn|turns|turned|turning|reach|reaches|reached|reaching)\s+(?:the\s+age\s+of\s+)?\d{2}\b(?!\s*(?:%|per\b|children|young|people|cases|families)))",
    r"(?i:\bbetween\s+(?:1[6-9]|2[0-5])\s+and\s+(?:1[6-9]|2[0-5])\b(?!\s*(?:%|per\b|children|young|people|cases|families|social|staff|care|days|weeks|months)))",
    r"(?i:\b\d+\s*(?:(?:[-\u2013]\s*(?:to|and|or)?|to|and|or)\s*\d+\s*[-\u2013]?\s*|[-\u2013]\s*)?years?[\s-]*olds?\b)",
    r"(?i:\b\d+\s*(?:st|nd|rd|th)\s+birthdays?\b)",
    r"\b\d+\s?\+",
    r"\(\s*\d+\s*[-\u2013]\s*\d+\s*\)",
    r"(?i:\b\d+\s*[-\u2013]\s*\d+\s+(?:years?|service|team|model|offer|provision|age|population|females|males|cohort))",
    r"(?i:\b\d+\s*(?:-|\u2013|to)\s*\d+\s*-?\s*year\b)",
    # ordinals: 1st, 22nd, 5 th (after markup is blanked)
    r"(?i:\b\d+\s*(?:st|nd|rd|th)\b)",
    # "per 10,000" without a number before it names a rate, it is not a value
    r"(?i:\bper\s+(?:100,?000|10,?000|1,?000|100)\b)",
    # thresholds inside definitions: three or more placements, 20 miles, 2.5 years, 45 working days
    r"(?i:\b(?:\d+(?:\.\d+)?|" + _ANY_WORD + r")\s?%?\s+or\s+(?:more|fewer|less|above|over|under|higher|lower|better)\b)",
    r"(?i:\b(?:more|fewer|less|greater|longer|shorter)\s+than\s+(?:\d+(?:\.\d+)?|" + _WORD_NUM
    + r")\s+(?:miles|km|kilometres|(?:working\s+|school\s+)?(?:days?|weeks?|months?|years?|hours?)|placements?|moves?|times)\b)",
    r"(?i:\b(?:\d+(?:\.\d+)?|" + _ANY_WORD + r")\s+(?:miles|km|kilometres|metres|times|point\s+scale|point|stars?)\b)",
    # money without a number is not excluded; "top five", "first two", "number one", "one of"
    r"(?i:\b(?:top|first|last|next|previous|past|the\s+other)\s+(?:" + _WORD_NUM + r")\b(?!\s*(?:%|per\s?cent)))",
    r"(?i:\bone\s+(?:of|or|another|off|to\s+one|day|way|hand|point|place|area|aspect|example|instance|time)\b)",
    r"(?i:\b(?:\d+|" + _ANY_WORD + r")\s+(?:out\s+)?of\s+the\s+(?:past|last|previous|next)\s+(?:\d+|" + _WORD_NUM + r")?\s*(?:years?|months?|quarters?|weeks?))",
    r"(?i:\b(?:five|5)\s*(?:or\s+more\s+)?(?:good\s+)?(?:GCSEs?|A\*?\s*(?:-|to)\s*[CG]s?\b))",
    r"(?i:\b(?:no|any|every|each|some)\s+one\b)",
    # "all but two of its care leavers", "one in five": not the value of anything named
    r"(?i:\ball\s+but\s+(?:\d+|" + _WORD_NUM + r")\b)",
    r"(?i:\b(?:one|\d)\s+(?:in|out\s+of)\s+(?:every\s+)?(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\b(?!\s*(?:%|children|young|people|cases|families)))",
]
# Patterns that can only match around a given word run only when that word is in the sentence
# (the others always run): keeps scanning linear and fast.
_TRIGGERED = {
    "(?:aged?|ages)\\s+(?:of\\s+|between\\s+|from\\s+|up\\s+to\\s+)?(?:(?:": r"\bage",
    "\\bunder[\\s-]+(?:fives?": r"\bunder",
    "or\\s+(?:more|fewer": r"\bor\s+(?:more|fewer|less|above|over|under|higher|lower|better)\b",
    "(?:more|fewer|less|greater|longer|shorter)\\s+than": r"\bthan\b",
    "\\s+(?:miles|km|kilometres|metres|times": r"\b(?:miles|km|kilometres|metres|times|point|stars?)\b",
    "(?:top|first|last|next|previous|past|the\\s+other)\\s+(?:": r"\b(?:top|first|last|next|previous|past|other)\b",
    "\\bone\\s+(?:of|or": r"\bone\b",
    "(?:out\\s+)?of\\s+the\\s+(?:past": r"\bof\s+the\s+(?:past|last|previous|next)\b",
    "(?:five|5)\\s*(?:or\\s+more": r"\b(?:GCSE|A\W)",
    "(?:no|any|every|each|some)\\s+one": r"\bone\b",
    "\\ball\\s+but": r"\bbut\b",
    "(?:in|out\\s+of)\\s+(?:every": r"(?:one|\d)\s+(?:in|out\s+of)\s",
    "(?:fewer|less)\\s+than": r"\bthan\b",
}
# Words one of which a trigger needs (lower case): a substring test is much cheaper than a search.
_TRIGGER_WORDS = {
    r"\bage": ("age",),
    r"\bunder": ("under",),
    r"\bor\s+(?:more|fewer|less|above|over|under|higher|lower|better)\b": ("more", "fewer", "less", "above", "over", "under", "higher", "lower", "better"),
    r"\bthan\b": ("than",),
    r"\b(?:miles|km|kilometres|metres|times|point|stars?)\b": ("mile", "km", "metre", "times", "point", "star"),
    r"\b(?:top|first|last|next|previous|past|other)\b": ("top", "first", "last", "next", "previous", "past", "other"),
    r"\bone\b": ("one",),
    r"\bof\s+the\s+(?:past|last|previous|next)\b": ("past", "last", "previous", "next"),
    r"\bbut\b": ("but",),
}
_triggered_patterns: list[tuple[re.Pattern | None, str]] = []  # (trigger, pattern)
_used = set()
for _p in _EXCLUDE_PATTERNS:
    _trig = None
    for marker, trig in _TRIGGERED.items():
        if marker in _p:
            _trig = re.compile(trig, re.I)
            _used.add(marker)
            break
    _triggered_patterns.append((_trig, _p))
assert _used == set(_TRIGGERED), set(_TRIGGERED) - _used
# the untriggered patterns run as one alternation (one pass over each window)
_ALWAYS = "|".join(f"(?:{p})" for trig, p in _triggered_patterns if trig is None)
# Every pattern starts at the start of a word or at "(": other positions fail at once (much faster).
_WORD_START = r"(?:(?<!\w)(?=\w)|(?=\())"
# ... and the untriggered ones with a digit, "(", a capital or one of these words
_ALWAYS_FIRST = (r"(?=[\d(A-Z]|(?i:age|under|over|below|above|post|pre|are|is|were|was|turn|until|when|before|after|once|"
                 r"unless|as|reach|between|per))")
_COMPILED_EXCLUDES = [(None, None, re.compile(f"{_WORD_START}{_ALWAYS_FIRST}(?:{_ALWAYS})"))] + [
    (_TRIGGER_WORDS.get(t.pattern), t, re.compile(f"{_WORD_START}(?:{p})")) for t, p in _triggered_patterns if t is not None]

_TRIGGER_WORD_SET = frozenset(w for words in _TRIGGER_WORDS.values() for w in words)

# References to parts of documents, laws, grades, levels, school years: the word before the number.
_REF_WORDS = {
    "section", "sections", "s.", "paragraph", "paragraphs", "para", "paras", "para.", "part", "parts", "chapter",
    "chapters", "chart", "charts", "graph", "graphs", "figure", "figures", "fig.", "table", "tables", "appendix",
    "appendices", "annex", "annexe", "annexes", "recommendation", "recommendations", "grade", "grades", "graded",
    "level", "levels", "stage", "stages", "ks", "page", "pages", "p.", "pp.", "no.", "nos.", "item", "items",
    "schedule", "regulation", "regulations", "reg.", "article", "articles", "rule", "rules", "standard",
    "standards", "phase", "phases", "tier", "tiers", "question", "questions", "priority", "priorities", "step",
    "steps", "band", "bands", "version", "v.", "box", "ward", "route", "room", "line", "lines", "act", "acts",
    "footnote", "footnotes", "outcome", "outcomes", "ni", "pi", "indicator", "indicators", "quarter", "quarters",
    "q", "point", "round", "option", "aim", "objective", "area", "theme", "domain", "cohort", "session",
    "module", "unit", "week", "month", "day", "rank", "ranked", "ranking", "top", "bottom", "first",
    "last", "category", "judgement", "cp", "bullet", "clause", "wave",
}
_REF_SCHOOL_YEAR = re.compile(r"(?:%|per\b|children|young|people|cases|months|days|weeks|years|hours)", re.I)
_CHAIN_BEFORE = re.compile(r"(\d+(?:\.\d+)*[a-z]?|[A-Za-z]+)\s*(?:,|and|to|or|-|\u2013|&)\s*$", re.I)


_KEY_STAGE_TAIL = re.compile(r"key\s+stage\s+$", re.I)
_ONE_OR_TWO_DIGITS = re.compile(r"\d{1,2}")


def _prev_word(before: str) -> str:
    """The word right before the trailing whitespace of ``before`` (as ``[A-Za-z][A-Za-z.]*\\s+$``)."""
    stripped = before.rstrip()
    if len(stripped) == len(before):
        return ""
    k = len(stripped)
    while k > 0 and (stripped[k - 1] == "." or "a" <= stripped[k - 1].lower() <= "z"):
        k -= 1
    return stripped[k:].lstrip(".")


def _reference_spans(text: str, cands) -> list[tuple[int, int]]:
    """Numbers that name a section, chart, grade, law, school year ...: "Section 47", "Grade 2",
    "Appendix 1", "Children Act 2004", "Year 6", "sections 11 and 47"."""
    out: list[tuple[int, int]] = []
    excluded_ends: dict[int, bool] = {}
    for m in cands:
        a, b = m.start(), m.end()
        before = text[max(0, a - 40):a]
        hit = False
        if excluded_ends:
            cm = _CHAIN_BEFORE.search(before)
            if cm and excluded_ends.get(a - len(before) + cm.end(1)):
                out.append((a, b))
                excluded_ends[b] = True
                continue
        w = _prev_word(before)
        if w:
            w = w.lower()
            if w in _REF_WORDS or w.rstrip(".") in _REF_WORDS:
                hit = True
                if w in {"year", "years"}:
                    hit = False
            elif w in {"year"} and not _REF_SCHOOL_YEAR.match(text[b:b + 12].strip()):
                hit = _ONE_OR_TWO_DIGITS.fullmatch(m.group(0)) is not None
            if w == "stage" and _KEY_STAGE_TAIL.search(before):
                hit = True
        if hit:
            out.append((a, b))
            excluded_ends[b] = True
    return out


# Lines that start with paragraph/list numbering: "4.13.", "1. ", "10.The", "(a)", "2.1 Adoption"
_NUMBERING_RE = re.compile(r"^\s*(?:\(?\d{1,3}(?:\.\d{1,3})*[.)](?=\s|[A-Z])|\d{1,2}(?:\.\d{1,2})+\s|\(?[a-z]{1,3}\)\s|\(\d{1,3}\)\s)")


def _windows(text: str, near: list[tuple[int, int]]) -> tuple[list[tuple[int, int, int]], list[int]]:
    """The windows of text around the candidates that the exclusion patterns are looked for in
    (start, end, start of the last candidate inside: overlapping ones merged), and the window of
    each candidate, in the order of ``sorted(near)``."""
    windows, which = [], []
    for a, b in sorted(near):
        wa, wb = max(0, a - 45), min(len(text), b + 40)
        if windows and wa <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], wb), a)
        else:
            windows.append((wa, wb, a))
        which.append(len(windows) - 1)
    return windows, which


def _plainly_excluded(text: str, near: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """When an untriggered exclusion (a date, a year, a time ...) matches right at every candidate,
    spans covering them all (``excluded_spans`` would exclude each: it finds that match, or an
    earlier one running over it); else None. One match per candidate instead of the full search."""
    windows, which = _windows(text, near)
    always = _COMPILED_EXCLUDES[0][2]
    spans = []
    for (a, _), k in zip(sorted(near), which):
        m = always.match(text, a, windows[k][1])
        if m is None:
            return None
        spans.append(m.span())
    return spans


def excluded_spans(text: str, near: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Spans of ``text`` that are dates, references, ages ... (only looked for near the given
    candidate positions when ``near`` is given: the patterns reach at most ~70 characters)."""
    windows = [(0, len(text), len(text))] if near is None else _windows(text, near)[0]
    spans = []
    low = text.lower()
    present = {w for w in _TRIGGER_WORD_SET if w in low}
    for words, trig, rx in _COMPILED_EXCLUDES:
        if words is not None and present.isdisjoint(words):
            continue
        if trig is not None and not trig.search(text):
            continue
        for a, b, last in windows:
            for m in rx.finditer(text, a, b):
                if m.start() > last:
                    break  # a span starting after every candidate excludes none of them
                spans.append((m.start(), m.end()))
    m = _NUMBERING_RE.match(text)
    if m:
        spans.append((m.start(), m.end()))
    return spans


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _unit_after(text: str, pos: int) -> tuple[str | None, int, float]:
    """(unit, end, multiplier) for the unit printed right after a number ending at ``pos``."""
    m = _UNIT_AFTER.match(text, pos)
    if m:
        if m.group("pct"):
            return "percent", m.end(), 1.0
        if m.group("pp"):
            return "percentage_points", m.end(), 1.0
        if m.group("per"):
            per = m.group("per").replace(",", "")
            return {"10000": "rate_per_10000", "1000": "rate_per_1000", "100000": "rate_per_100000"}[per], m.end(), 1.0
        if m.group("fte"):
            return "fte", m.end(), 1.0
        if m.group("mult"):
            return None, m.end(), MULTIPLIERS[m.group("mult").lower()]
    m = _DURATION_AFTER.match(text, pos)
    if m:
        d = m.group("dur").lower()
        unit = {"d": "days", "w": "weeks", "m": "months", "y": "years", "h": "hours"}[d[0]]
        return unit, m.end(), 1.0
    return None, pos, 1.0


_DIGIT = re.compile(r"\d")


class _WordMatch:
    """A match-like object for a number written in words (start/end/group("n"))."""

    __slots__ = ("_s", "_e", "_t")

    def __init__(self, s: int, e: int, t: str):
        self._s, self._e, self._t = s, e, t

    def start(self, *_):
        return self._s

    def end(self, *_):
        return self._e

    def group(self, *_):
        return self._t


_ALPHA_TOKEN = re.compile(r"[A-Za-z]+")
_NUMBER_WORDS = frozenset(UNITS_WORDS) | frozenset(TENS_WORDS)


# bytes other than a-z become spaces: the words of UTF-8 text lowered are then its runs of a-z
_NOT_A_TO_Z = bytes(b if 97 <= b <= 122 else 32 for b in range(256))
_NUMBER_WORDS_BYTES = frozenset(w.encode() for w in _NUMBER_WORDS)


def _has_number_word(text: str) -> bool:
    """A number word standing alone in ``text`` (a cheap test before tokenising it): as
    ``_NUMBER_WORDS & set(re.findall("[a-z]+", text.lower()))``, on bytes, about twice as fast."""
    words = text.lower().encode("utf-8", "surrogatepass").translate(_NOT_A_TO_Z).split()
    return not _NUMBER_WORDS_BYTES.isdisjoint(words)

# a year standing alone, as in the year pattern of _EXCLUDE_PATTERNS
_BARE_YEAR = re.compile(r"(?<![\d,.£])\b(?:19|20)\d{2}s?\b(?![,.]\d)(?!\s?%)")


# the gap allowed between the words of a number in words: spaces, hyphens or a comma
_WORD_NUM_GAP = re.compile(r"[\s\u2010\u2011-]+|,?\s+")
_HYPHEN_LETTER = re.compile(r"-[A-Za-z]")


def _word_number_matches(text: str) -> list:
    """Numbers written in words, longest first ("Ninety-two", "two hundred and twelve",
    "Two thousand, five hundred"), scanning tokens once instead of a large alternation."""
    out = []
    toks = list(_ALPHA_TOKEN.finditer(text))
    lows = [t.group(0).lower() for t in toks]
    after = 0  # (tokens before this one belong to a number already read)
    for i in [k for k, w in enumerate(lows) if w in _NUMBER_WORDS]:
        a = toks[i].start()
        if i < after or (a > 0 and (text[a - 1].isalnum() or text[a - 1] == "-")):
            continue
        j = i
        end = toks[i].end()
        while j + 1 < len(toks):
            gap = text[end:toks[j + 1].start()]
            nw = lows[j + 1]
            if not _WORD_NUM_GAP.fullmatch(gap):
                break
            if nw in {"hundred", "thousand"} or (nw in _NUMBER_WORDS and (lows[j] in TENS_WORDS and nw in UNITS_WORDS and UNITS_WORDS[nw] < 10
                                                                            or lows[j] in {"hundred", "thousand", "and"})):
                j += 1
                end = toks[j].end()
                continue
            if nw == "and" and lows[j] in {"hundred", "thousand"} and j + 2 < len(toks) and lows[j + 2] in _NUMBER_WORDS:
                j += 1
                end = toks[j].end()
                continue
            break
        if lows[j] == "and":
            j -= 1
            end = toks[j].end()
        nxt = text[end:end + 2]
        if not (nxt[:1].isalnum() or _HYPHEN_LETTER.match(nxt)):
            out.append(_WordMatch(a, end, text[a:end]))
        after = j + 1
    return out


_DIGIT_RUN = re.compile(r"\d+")
_GLUED_HINT = re.compile(r",\d{4}")  # (in every match of _NUM_FOOTNOTE_RE)


def _finditer_at_runs(rx: re.Pattern, text: str) -> list[re.Match]:
    """``list(rx.finditer(text))`` for a pattern whose matches start only where a run of digits
    starts (``(?=\\d)`` after a lookbehind refusing a word character): the pattern is tried at those
    positions only, which a scan for digits finds much faster than trying it everywhere."""
    out = []
    end = 0
    for run in _DIGIT_RUN.finditer(text):
        if run.start() < end:
            continue
        m = rx.match(text, run.start())
        if m:
            out.append(m)
            end = m.end()
    return out


_POUNDS_AFTER = re.compile(r"\s*(?:pounds|GBP)\b", re.I)


def find_numbers(text: str) -> list[Num]:
    """Every quantity written in ``text``, left to right, with its printed unit.

    ``unit`` is None for a bare number: the caller decides from context whether it is a count.
    Numbers that are dates, references, ages etc. (see module docstring) are left out.
    """
    has_digit = _DIGIT.search(text) is not None
    digit_cands = _finditer_at_runs(_NUM_RE, text) if has_digit else []
    if has_digit:
        glued = _finditer_at_runs(_NUM_FOOTNOTE_RE, text) if "," in text and _GLUED_HINT.search(text) else []
        if glued:
            digit_cands = [c for c in digit_cands if not any(g.start() <= c.start() < g.end() + 3 for g in glued)] + glued
            digit_cands.sort(key=lambda m: m.start())
    word_cands = _word_number_matches(text) if _has_number_word(text) else []
    money_cands = list(_MONEY_RE.finditer(text)) if "£" in text else []
    if not (digit_cands or word_cands or money_cands):
        return []
    # candidates that are plainly not quantities (a paragraph number opening the text, a bare
    # year) need no search for the spans that exclude them
    numbering = _NUMBERING_RE.match(text)
    spans: list[tuple[int, int]] = [(numbering.start(), numbering.end())] if numbering else []
    near = []
    for m in digit_cands + word_cands:
        if numbering and numbering.start() <= m.start() < numbering.end():
            continue
        y = _BARE_YEAR.match(text, m.start())
        if y:
            spans.append((y.start(), y.end()))
            continue
        near.append((m.start(), m.end()))
    if near:  # (else every candidate is a year or the numbering, already in spans)
        plain = _plainly_excluded(text, near)
        if plain is not None:
            spans += plain  # every candidate is excluded: no need to look for more
        else:
            spans += excluded_spans(text, near)
            spans += _reference_spans(text, digit_cands + word_cands)
    found: list[Num] = []
    for m in money_cands:
        mult = MULTIPLIERS.get((m.group("mult") or "").lower(), 1.0)
        value = digits_value(m.group("n")) * mult
        end = m.end()
        unit2, end2, mult2 = _unit_after(text, end)
        if mult2 != 1.0 and not m.group("mult"):
            value *= mult2
            end = end2
        found.append(Num(m.start(), end, value, text[m.start():end], "gbp", "money", num_end=m.end("n")))
    for m in digit_cands:
        if _in_spans(m.start(), spans):
            continue
        unit, end, mult = _unit_after(text, m.end())
        value = digits_value(m.group("n")) * mult
        if mult != 1.0 and unit is None:  # "1.5 million pounds" / "2 million"
            if _POUNDS_AFTER.match(text[end:]):
                unit = "gbp"
                end = end + _POUNDS_AFTER.match(text[end:]).end()
        found.append(Num(m.start(), end, value, text[m.start():end], unit, "digit", num_end=m.end()))
    for m in word_cands:
        if _in_spans(m.start(), spans):
            continue
        value = word_value(m.group("n"))
        if value is None:
            continue
        unit, end, mult = _unit_after(text, m.end())
        found.append(Num(m.start(), end, value * mult, text[m.start():end], unit, "word", num_end=m.end()))
    found.sort(key=lambda n: (n.start, -(n.end - n.start)))
    out: list[Num] = []
    for n in found:
        if out and n.start < out[-1].end:
            continue
        out.append(n)
    if "/" in text:
        _link_fractions(text, out)
    return out


_FRACTION_RE = re.compile(r"(?<![\w/.])(\d[\d,]*)\s?/\s?(\d[\d,]*)(?![\w/])")


# a year as the first half of "2008/09"
_FRACTION_YEAR = re.compile(r"(?:19|20)\d{2}")


def _link_fractions(text: str, nums: list[Num]) -> None:
    """"351/187" and "28/28": the regex above refuses the number after "/"; add it back."""
    for m in _FRACTION_RE.finditer(text):
        a, b = m.group(1), m.group(2)
        if _FRACTION_YEAR.fullmatch(a) or a == "24":  # 2008/09, 24/7
            continue
        first = next((i for i, n in enumerate(nums) if n.start == m.start(1)), None)
        if first is None:
            continue
        second = Num(m.start(2), m.end(2), digits_value(b), b, None, "digit", num_end=m.end(2))
        nums.insert(first + 1, second)
        nums[first].fraction_of = first + 1
        second.fraction_of = first


# --------------------------------------------------------------------------------------------
# periods


@dataclass
class Period:
    start: int  # offsets of the period expression in the text
    end: int
    label: str  # as printed, e.g. "at 31 March 2014", "2012 - 2013", "In the last 12 months"
    period_start: date | None
    period_end: date | None
    kind: str  # point, month, year, financial_year, academic_year, range, relative, since


_DATE = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?:19|20)\d{{2}}"
_MONTH_YEAR = rf"{_MONTH},?\s+(?:19|20)\d{{2}}"
_YEAR = r"(?:19|20)\d{2}"
_FY = rf"{_YEAR}\s*[-/\u2010-\u2015\u2212]\s*(?:{_YEAR}|\d{{2}})"

_PERIOD_RE = re.compile(
    # every expression starts at the start of a word, and with one of a few words or a digit:
    # other positions fail at once
    rf"""
    (?<!\w)(?=\d|(?:between|from|in|during|for|the|as|at|on|by|to|since|of|over|this|last|year|mid|early|late|
    financial|academic|school|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))(?:
    (?P<between>\b(?:between|from)\s+(?P<b1>{_DATE}|{_MONTH_YEAR})\s+(?:and|to|until|-|\u2013)\s+(?P<b2>{_DATE}|{_MONTH_YEAR}))
  | (?P<fybetween>\b(?:between|from)\s+(?P<f1>{_FY})\s+(?:and|to|until|-|\u2013)\s+(?P<f2>{_FY}))
  | (?P<mrange>\b(?:(?:between|from|in\s+the\s+period\s+from)\s+)?(?P<m1>{_MONTH})\s*(?:and|to|until|-|\u2013)\s*(?P<m2>{_MONTH_YEAR}))
  | (?P<yearend>\b(?:in\s+|during\s+|for\s+)?the\s+(?:financial\s+)?(?:year|12\s+months|twelve\s+months)\s+(?:ending|ended|to|up\s+to)\s+(?P<ye>{_DATE}|{_MONTH_YEAR}))
  | (?P<mtm>\b(?:in\s+|during\s+|for\s+)?(?:the\s+(?:financial\s+)?year\s+)?(?P<mt1>{_MONTH_YEAR})\s+(?:to|until|-|\u2013)\s+(?P<mt2>{_MONTH_YEAR}))
  | (?P<since>\b(?:since|from)\s+(?P<sd>{_DATE}|{_MONTH_YEAR})(?!\s+(?:and|to|until|-|\u2013)\s)
       |\b(?:between|from)\s+(?:the\s+(?:start|beginning)\s+of\s+)?(?P<sd2>{_DATE}|{_MONTH_YEAR}|{_YEAR})\s+(?:and|to|until)\s+(?:the\s+(?:time|beginning|start)\s+of\s+)?(?:the|this)\s+inspection)
  | (?P<point>\b(?:(?:as\s+)?at|as\s+of|on|by|to)\s+(?:the\s+end\s+of\s+)?(?P<pd>{_DATE}))
  | (?P<endof>\b(?:(?:as\s+)?at|as\s+of|by|in|to)?\s*the\s+end\s+of\s+(?:(?P<eom>{_MONTH_YEAR})|(?P<eofy>{_FY})|(?P<eoy>{_YEAR})))
  | (?P<fy>\b(?:in|during|for|of|over|at\s+the\s+end\s+of)?\s*(?:the\s+)?(?:(?:financial|academic|school)\s+year\s+)?(?P<fyv>{_FY})(?:\s+(?:financial|academic|school)\s+year)?)
  | (?P<month>\b(?:in|during|for|as\s+at|as\s+of|at|by)?\s*(?:mid-|early\s+|late\s+)?(?P<mv>{_MONTH_YEAR}))
  | (?P<date>(?P<dv>{_DATE}))
  | (?P<year>\b(?:in|during|for|of|at\s+the\s+end\s+of)\s+(?:the\s+(?:calendar\s+)?year\s+)?(?P<yv>{_YEAR})\b(?![-/\u2010-\u2015\u2212]\d)
       |\bthe\s+(?P<yv2>{_YEAR})\s+(?=(?:figure|rate|data|average|level|result|results|cohort|outturn)s?\b)
       |\b(?:from|since)\s+(?P<yv3>{_YEAR})(?=\s*,?\s+when\b))
  | (?P<fy2>\bthe\s+(?P<fyv2>{_FY})\s+(?=(?:\w+\s+)?(?:scorecard|figures?|data|results?|average|rates?|cohort)\b))
  | (?P<rel>\b(?:in|over|during|for)\s+the\s+(?:last|past|previous|preceding)\s+(?:(?:\d+|{_WORD_NUM})\s+)?(?:months?|years?|weeks?|quarters?)
       |\bsince\s+the\s+(?:last|previous)\s+inspection
       |\bin\s+the\s+(?:\d+|{_WORD_NUM})\s+(?:years?|months?)\s+(?:prior\s+to|before)\s+(?:the\s+)?inspection
       |\bat\s+the\s+time\s+of\s+(?:the|this)\s+inspection
       |\b(?:this|last|the\s+previous)\s+(?:financial\s+)?year(?:\s+to\s+date)?
       |\byear[\s-]to[\s-]date)
    )""",
    re.X | re.I,
)

# Every expression but the relative ones ("in the last 12 months") has a year in it: for a text
# without one, they are switched off ("(?!)" fails at once), which gives the same matches faster.
_YEAR_ANY = re.compile(_YEAR)
_PERIOD_RE_NO_YEAR = re.compile(re.sub(
    r"\(\?P<(between|fybetween|mrange|yearend|mtm|since|point|endof|fy|month|date|year|fy2)>", r"(?!)(?P<\1>", _PERIOD_RE.pattern),
    _PERIOD_RE.flags)


_YEAR_ONLY = re.compile(r"(?:19|20)\d{2}")
_SCHOOL_WORDS = re.compile(
    r"\b(?:GCSEs?|key\s+stage|school|pupils?|attainment|exam|examinations?|academic|A\*|EYFS|KS\d)\b", re.I
)


_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH}),?\s+((?:19|20)\d{{2}})")


def _parse_date(text: str) -> date | None:
    m = _DAY_MONTH_YEAR.search(text)
    if not m:
        return None
    month = MONTHS[m.group(2).lower().rstrip(".")]
    try:
        return date(int(m.group(3)), month, int(m.group(1)))
    except ValueError:
        return None


_MONTH_AND_YEAR = re.compile(rf"({_MONTH}),?\s+((?:19|20)\d{{2}})")


def _month_range(text: str) -> tuple[date, date] | None:
    m = _MONTH_AND_YEAR.search(text)
    if not m:
        return None
    y, mo = int(m.group(2)), MONTHS[m.group(1).lower().rstrip(".")]
    return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])


_FY_PARTS = re.compile(rf"({_YEAR})\s*[-/\u2010-\u2015\u2212]\s*((?:19|20)\d{{2}}|\d{{2}})")


def _fy_years(text: str) -> tuple[int, int] | None:
    m = _FY_PARTS.search(text)
    if not m:
        return None
    y1 = int(m.group(1))
    y2s = m.group(2)
    y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
    if not y1 < y2 <= y1 + 5:
        return None
    return y1, y2


def find_periods(text: str, context: str = "") -> list[Period]:
    """Every period expression in ``text`` (see :func:`_find_periods`); cached, do not mutate."""
    if not _PERIOD_HINT.search(text):
        return []
    # schools matter only to a financial or academic year ("2015-16"): without one, none are looked for
    school = _FY_ANY.search(text) is not None and _SCHOOL_WORDS.search(context or text) is not None
    return _find_periods_cached(text, school)


# every period expression has a year in it, or one of these words (a cheap test first)
_PERIOD_HINT = re.compile(r"(?:19|20)\d\d|\b(?:last|past|previous|preceding|inspection|year)", re.I)
_FY_ANY = re.compile(_FY)


@functools.lru_cache(maxsize=8192)
def _find_periods_cached(text: str, school: bool) -> list[Period]:
    return _find_periods(text, school)


_AS_AT = re.compile(r"(?:as\s+at|as\s+of|at|by)\b", re.I)


def _find_periods(text: str, school: bool) -> list[Period]:
    """Every period expression in ``text``. ``context`` (the sentence) decides whether "2015-16" is
    a financial year (April-March, the default for social care data) or an academic year
    (September-August, when the sentence is about schools, pupils or exams)."""
    out = []
    for m in (_PERIOD_RE if _YEAR_ANY.search(text) else _PERIOD_RE_NO_YEAR).finditer(text):
        label = m.group(0).strip()
        start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
        ps = pe = None
        kind = "relative"
        if m.group("between"):
            kind = "range"
            d1 = _parse_date(m.group("b1")) or (_month_range(m.group("b1")) or (None, None))[0]
            d2 = _parse_date(m.group("b2")) or (_month_range(m.group("b2")) or (None, None))[1]
            ps, pe = d1, d2
        elif m.group("fybetween"):
            f1, f2 = _fy_years(m.group("f1")), _fy_years(m.group("f2"))
            if f1 and f2:
                kind = "range"
                ps, pe = (date(f1[0], 9, 1), date(f2[1], 8, 31)) if school else (date(f1[0], 4, 1), date(f2[1], 3, 31))
        elif m.group("since"):
            kind = "since"
            sd = m.group("sd") or m.group("sd2")
            ps = _parse_date(sd) or (_month_range(sd) or (None, None))[0]
            if ps is None and _YEAR_ONLY.fullmatch(sd):
                ps = date(int(sd), 1, 1)  # "between the start of 2012 and the time of the inspection"
        elif m.group("yearend"):
            kind = "range"
            d2 = _parse_date(m.group("ye")) or (_month_range(m.group("ye")) or (None, None))[1]
            if d2:
                pe = d2
                try:
                    ps = date(d2.year - 1, d2.month, d2.day) + timedelta(days=1)
                except ValueError:
                    ps = date(d2.year - 1, d2.month, 28) + timedelta(days=1)
        elif m.group("mtm"):
            kind = "range"
            r1, r2 = _month_range(m.group("mt1")), _month_range(m.group("mt2"))
            ps, pe = (r1[0] if r1 else None), (r2[1] if r2 else None)
        elif m.group("mrange"):
            kind = "range"
            r2 = _month_range(m.group("m2"))
            if r2:
                m1 = MONTHS[m.group("m1").lower().rstrip(".")]
                y = r2[0].year if m1 <= r2[0].month else r2[0].year - 1
                ps, pe = date(y, m1, 1), r2[1]
        elif m.group("point"):
            kind = "point"
            ps = pe = _parse_date(m.group("pd"))
        elif m.group("endof"):
            kind = "point"
            if m.group("eom"):
                r = _month_range(m.group("eom"))
                ps = pe = r[1] if r else None
            elif m.group("eofy"):
                fy = _fy_years(m.group("eofy"))
                if fy:
                    ps = pe = date(fy[1], 8, 31) if school else date(fy[1], 3, 31)
            elif m.group("eoy"):
                ps = pe = date(int(m.group("eoy")), 12, 31)
        elif m.group("fy") or m.group("fy2"):
            fy = _fy_years(m.group("fyv") or m.group("fyv2"))
            if fy is None:
                continue
            if school:
                kind, ps, pe = "academic_year", date(fy[0], 9, 1), date(fy[1], 8, 31)
            else:
                kind, ps, pe = "financial_year", date(fy[0], 4, 1), date(fy[1], 3, 31)
        elif m.group("month"):
            kind = "month"
            r = _month_range(m.group("mv"))
            if r:
                ps, pe = r
                if _AS_AT.match(label):
                    kind, ps = "point", r[1]
        elif m.group("date"):
            kind = "point"
            ps = pe = _parse_date(m.group("dv"))
        elif m.group("year"):
            kind = "year"
            y = int(m.group("yv") or m.group("yv2") or m.group("yv3"))
            ps, pe = date(y, 1, 1), date(y, 12, 31)
        out.append(Period(start, m.end(), label, ps, pe, kind))
    return out
