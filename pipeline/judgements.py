"""Classifying documents and extracting the Ofsted judgements they print or report.

Plain Python (no Dagster): text in, dicts out. Public functions:

``classify(doc) -> dict``
    What a document is, read from its opening (first two pages, at most 6,000 characters) so that
    a report mentioning another framework later on is not misread. Keys: ``document_type``,
    ``framework``, ``title``, ``inspection_start``, ``inspection_end``, ``published_date``.

``extract_judgements(doc, info) -> list[dict]``
    The judgements: ``primary`` rows (graded in this document) and ``reported`` rows (this
    document states the outcome of another inspection). ``info`` is the ``classify`` result.
    Every record has exactly the keys in :data:`RECORD_KEYS`.

``extract_judgements_with_readings(doc, info) -> (records, readings)``
    The same records, plus every reading of a primary grade the document prints (a grade printed
    twice -- a judgement table and a section heading, a record of main findings and the inline
    text -- gives two readings). Each reading has the keys in :data:`READING_KEYS`;
    ``reading_source`` says where it was read (see :data:`READING_SOURCES`).

``cross_check(info, records, readings, source=None, doc=None) -> list[str]``
    Human-readable failures (empty list: all well): readings of one area that disagree; a grade
    number that disagrees with its word on the framework's scale; a graded inspection report
    without its headline judgement(s); an ungraded document with primary judgements; keys outside
    the vocabulary; evidence that is not a quote of ``doc``.

Grades are given as printed, whitespace-normalised with the first letter capitalised and a word
split by PDF spacing rejoined ("Require s improvement" -> "Requires improvement"). Where the
document prints only a number (APA "Grade 2", JAR tables) the grade is the word for that number on
the framework's scale ("Adequate"), and ``grade_number`` holds the number.

``service`` vocabulary (frameworks.SERVICE_VOCABULARY): ``children_services`` (APA, JAR, SIF,
ILACS), ``safeguarding`` and ``looked_after_children`` (the two halves of a 2009-2012 inspection;
2012-2013 protection of children / looked after children inspections), ``lscb`` (Local
Safeguarding Children Board reviews). Area keys: frameworks.AREA_VOCABULARY.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from datetime import date

from pipeline.dates import find_date_ranges, parse_date
from pipeline.frameworks import (
    AREA_VOCABULARY,
    GRADE_PRINTED,
    HARMONISED_RANK,
    SERVICE_VOCABULARY,
    grade_scale,
    harmonise_number,
    harmonise_word,
    parent_area,
    rejoin_grade_words,
    scale_word,
)
from pipeline.text import DocText, normalise_space

RECORD_KEYS = (
    "inspection_start",
    "inspection_end",
    "framework",
    "service",
    "judgement_area",
    "judgement_area_key",
    "parent_area_key",
    "grade",
    "grade_number",
    "grade_scale",
    "harmonised_grade",
    "harmonised_rank",
    "source_kind",
    "evidence_page",
    "evidence_line",
    "evidence_text",
)
READING_KEYS = (
    "service",
    "judgement_area_key",
    "judgement_area",
    "grade",
    "grade_number",
    "harmonised_grade",
    "reading_source",
    "evidence_page",
    "evidence_line",
    "evidence_text",
)
# reading_source -> how a failure message names it
READING_SOURCES = {
    "judgement_table": "judgement table",
    "headline": "headline",
    "section_heading": "section heading",
    "graded_statement": "graded judgement statement",
    "record_of_main_findings": "record of main findings",
    "inline": "text",
    "grade_line": "grade line",
    "prose": "prose",
}

DOCUMENT_TYPES = (
    "inspection_report",
    "inspection_letter",
    "focused_visit_letter",
    "monitoring_visit_letter",
    "committee_report",
    "other",
)

OPENING_PAGES = 2
OPENING_CHARS = 6000
ILACS_TITLE_WITHIN = 600  # an ILACS report's title is printed first (under a page number or the LA's name)
ILACS_NO_OVERALL_FROM = date(2026, 4, 1)  # ILACS reports from April 2026 give no overall effectiveness


# ---------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------

_APOS = "['’‘`]"


# A grade word as printed. "Require s improvement": PDF spacing can split a word.
GRADE = GRADE_PRINTED
_GRADE_RE = re.compile(rf"\b{GRADE}\b", re.I)


def clean_grade(printed: str) -> str:
    g = rejoin_grade_words(normalise_space(printed).strip(" .:;,'‘’\"*"))
    return g[:1].upper() + g[1:] if g else g


def _harmonised(framework: str | None, grade: str | None, number: int | None) -> str | None:
    if grade:
        h = harmonise_word(grade)
        if h:
            return h
    if number is not None and framework:
        return harmonise_number(framework, number)
    return None


_LEADING_JUNK = re.compile(r"[\s=+\-@|*#•·–—]+")
_SPACE = re.compile(r"\s")


def _evidence(doc: DocText, start: int, end: int, limit: int = 300) -> tuple[int, int, str]:
    """(page, line, text) of doc.text[start:end], whitespace-normalised, junk stripped, <= limit
    characters. Every caller ends the span with the grade, so a long span keeps its end."""
    text = doc.text
    while True:
        m = _LEADING_JUNK.match(text, start, end)
        if m and m.end() < end:
            start = m.end()
        if len(normalise_space(text[start:end])) <= limit:
            break
        ws = _SPACE.search(text, start + max(1, len(text[start:end]) - limit - 1), end)
        if ws is None:
            break
        start = ws.end()
    snippet = normalise_space(text[start:end]).rstrip(" |*")
    page, line = doc.locate(start)
    return page, line, snippet


def _opening(doc: DocText) -> tuple[str, int]:
    """The opening text of ``doc`` (offsets are offsets into doc.text) and its length."""
    text = "\n".join(doc.pages[:OPENING_PAGES])[:OPENING_CHARS]
    return text, len(text)


_TEXT_CACHE: dict[int, tuple[str, dict]] = {}


def _cached(text: str) -> dict:
    """A store for what is computed from ``text`` (its lower case, word positions, scans), kept for
    the last few texts: the readers of one document search its text for the same words again."""
    hit = _TEXT_CACHE.get(id(text))
    if hit is not None and hit[0] is text:
        return hit[1]
    if len(_TEXT_CACHE) > 8:
        _TEXT_CACHE.clear()
    store: dict = {}
    _TEXT_CACHE[id(text)] = (text, store)
    return store


def _lower(text: str) -> bytes:
    """``text`` with ASCII letters in lower case, one byte per character (any other character is
    "?"), to search for lower-case ASCII words in any case; cached per text. (No character but an
    ASCII letter has a lower case that is one ASCII letter, except the Kelvin sign, "k": a word
    searched for holds no "k".)"""
    store = _cached(text)
    lower = store.get("lower")
    if lower is None:
        lower = store["lower"] = text.encode("ascii", "replace").lower()
    return lower


def _positions(text: str, words: tuple[str, ...]) -> list[int]:
    """Sorted offsets of every occurrence of the lower-case ``words`` in ``text`` (any case); cached
    per text and word (do not modify the list returned)."""
    store = _cached(text)
    key = ("positions", words)
    out = store.get(key)
    if out is not None:
        return out
    if len(words) == 1:
        lower = _lower(text)
        word = words[0].encode()
        out = []
        i = lower.find(word)
        while i >= 0:
            out.append(i)
            i = lower.find(word, i + 1)
    else:
        out = sorted(i for w in words for i in _positions(text, (w,)))
    store[key] = out
    return out


def _scan(
    rx: re.Pattern,
    text: str,
    anchors: tuple[str, ...],
    back: int = 150,
    ahead: int = 450,
    starts: tuple[str, ...] = (),
    needs: tuple[str, ...] = (),
) -> list[re.Match]:
    """``rx.finditer(text)`` for a pattern whose every match holds one of ``anchors`` (lower-case
    words) no more than ``back`` characters after the match's start and ``ahead`` before its end:
    searched only in windows around the anchors, which is much faster than a case-insensitive scan of
    the whole text. ``starts`` (optional): lower-case words one of which every match starts with
    (words without "i", "s" or "k", which a case-insensitive pattern also matches to other letters);
    the pattern is then tried only where they occur, which gives the same matches faster still.
    ``needs`` (optional): lower-case words one of which every match holds (of a case-sensitive pattern,
    or without "i", "s" or "k"): windows without any are skipped. Cached per text (do not modify the
    list returned)."""
    store = _cached(text)
    key = ("scan", rx, anchors, back, ahead)
    out = store.get(key)
    if out is not None:
        return out
    windows: list[list[int]] = []
    for i in _positions(text, anchors):
        a, b = max(0, i - back), min(len(text), i + ahead)
        if windows and a <= windows[-1][1]:
            windows[-1][1] = b
        else:
            windows.append([a, b])
    if needs:
        lower = _lower(text)
        needed = [w.encode() for w in needs]
        windows = [[a, b] for a, b in windows if any(lower.find(w, a, b) >= 0 for w in needed)]
    out = []
    if not starts:
        for a, b in windows:
            out.extend(rx.finditer(text, a, b))
    else:
        lower = _lower(text)
        words = [w.encode() for w in starts]
        for a, b in windows:
            tries = []
            for w in words:
                i = lower.find(w, a, b)
                while i >= 0:
                    tries.append(i)
                    i = lower.find(w, i + 1, b)
            tries.sort()
            pos = a  # as finditer: the leftmost match from pos, then the next from its end
            for i in tries:
                if i < pos:
                    continue
                m = rx.match(text, i, b)
                if m:
                    out.append(m)
                    pos = max(m.end(), i + 1)
    store[key] = out
    return out


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


# ---------------------------------------------------------------------------------------------
# classification
# ---------------------------------------------------------------------------------------------

# a title rule is searched in "\n" + the opening, so that every line starts after a "\n": a pattern starting
# with a literal character is searched much faster than one starting with "(?:^|\n)"
_LINE_START = r"\n[ \t#*>|]*"
# a letter's subject line may carry a label: "Subject: Monitoring visit to ..."
_LETTER_START = _LINE_START + r"(?:(?:subject|re|ref)\s*:\s*)?"
# the rest of a title line: a heading, not a sentence ("... recommendations of the joint area review.")
_HEADING_REST = r"(?=[^\n.]*(?:\n|$))"
# (document_type, framework, title regex) -- matched at the start of a line in "\n" + the opening.
_TITLE_RULES: list[tuple[str, str | None, re.Pattern]] = [
    (
        "monitoring_visit_letter",
        "ilacs_monitoring_visit",
        re.compile(_LETTER_START + r"(?P<t>monitoring\s+visit\s+(?:to|of)\b)", re.I),
    ),
    (
        "focused_visit_letter",
        "ilacs_focused_visit",
        re.compile(_LETTER_START + r"(?P<t>(?:focused\s+(?:assurance\s+)?|assurance\s+)visit\s+(?:to|of)\b)", re.I),
    ),
    (
        "inspection_letter",
        "unannounced_cra",
        re.compile(
            _LETTER_START + r"(?P<t>(?:annual\s+)?unannounced\s+inspection\s+of\s+(?:local\s+authority\s+)?contact"
            r"|inspection\s+of\s+contact,?\s+referral\s+and\s+assessment)",
            re.I,
        ),
    ),
    (
        "inspection_report",
        "safeguarding_lac",
        re.compile(_LINE_START + r"(?P<t>inspection\s+of\s+safeguarding\s+and\s+looked\s+after\s+children)", re.I),
    ),
    (  # 2009-2012: a safeguarding inspection on its own (a re-inspection)
        "inspection_report",
        "safeguarding_lac",
        re.compile(_LINE_START + r"(?P<t>inspection\s+of\s+safeguarding\s+(?:services|arrangements)\b)", re.I),
    ),
    (
        "inspection_report",
        "cp_2012",
        re.compile(
            _LINE_START + r"(?P<t>inspection\s+of\s+(?:local\s+authority\s+)?arrangements\s+for\s+the\s+protection"
            r"\s+of\s+children)",
            re.I,
        ),
    ),
    (
        "inspection_report",
        "lac_2012",
        re.compile(
            _LINE_START + r"(?P<t>inspection\s+of\s+(?:local\s+authority\s+)?services\s+for\s+(?:looked\s+after"
            r"\s+children|children\s+looked\s+after)(?!\s+and\s+care\s+leavers\s+and\s+review))",
            re.I,
        ),
    ),
    (
        "inspection_report",
        "sif",
        re.compile(
            _LINE_START + r"(?P<t>(?:re-?\s?)?inspection\s+of\s+services\s+for\s+children\s+in\s+need\s+of\s+help)",
            re.I,
        ),
    ),
    (
        "inspection_report",
        "sif",
        re.compile(
            _LINE_START + r"(?P<t>review\s+of\s+the\s+effectiveness\s+of\s+the\s+local\s+safeguarding\s+children"
            r"\s+board)",
            re.I,
        ),
    ),
    (
        "inspection_report",
        "ilacs",
        re.compile(
            _LINE_START + r"(?P<t>inspection\s+of\s+(?:[^.]{0,100}?\s)?(?:local\s+authority\s+)?children"
            + _APOS
            + r"s\s+(?:social\s+care\s+)?services)",
            re.I,
        ),
    ),
    (
        "inspection_report",
        "jar",
        re.compile(_LINE_START + r"(?P<t>(?:[^\n.]{0,60}?)joint\s+area\s+review\b)" + _HEADING_REST, re.I),
    ),
    (
        "inspection_letter",
        "apa",
        re.compile(_LINE_START + r"(?P<t>(?:[^\n.]{0,20}?)annual\s+performance\s+assessment\b)" + _HEADING_REST, re.I),
    ),
    (
        "inspection_letter",
        None,
        re.compile(_LINE_START + r"(?P<t>joint\s+targeted\s+area\s+inspection\b)", re.I),
    ),
    (
        "inspection_letter",
        None,
        re.compile(_LINE_START + r"(?P<t>children" + _APOS + r"s\s+services\s+assessment\b)", re.I),
    ),
]
_ILACS_TABLE_CUE = re.compile(r"judgement\s+grade|impact\s+of\s+leaders", re.I)
_COMMITTEE_CUE = re.compile(
    r"(?=\b[sctparoe])"  # every alternative starts with one of these letters: a quick test at each offset
    r"\b(?:scrutiny|committee|cabinet|portfolio\s+holder|task\s+and\s+finish|agenda\s+item|report\s+to\b"
    r"|report\s+of\s+the\b|recommendations?\b|council\s+meeting|overview\s+and\s+scrutiny|executive\s+member)",
    re.I,
)
_TITLE_STOP = re.compile(
    r"^\s*(?:inspection\s+dates?|report\s+published|published|lead\s+inspector|age\s+group|reporting\s+inspector"
    r"|her\s+majesty|his\s+majesty|this\s+letter|dear\b|judgement\s+grade|contents)",
    re.I,
)
_INSPECTION_DATES = re.compile(r"inspection\s+dates?\s*[:\-–]?\s*", re.I)
_VISIT_ON = re.compile(
    r"(?=[vir])(?:visit|inspection|review)\b[^.]{0,250}?\b(?:on|between|from)\s+(?:the\s+)?"
    r"(?=\d|(?:mon|tues|wednes|thurs|fri)day)",
    re.I,
)
_PUBLISHED = re.compile(r"(?=[pr])(?:report\s+)?(?:published|publication\s+date)\s*[:\-–]?\s*", re.I)
# a meeting-date label at the start of a line ("Date of meeting: 14 March 2023", "Date: 8 July 2019")
_MEETING = re.compile(
    r"^[ \t*#|]*(?:date\s+of\s+(?:the\s+)?meeting|meeting\s+date|committee\s+date|meeting\s+(?:of|on|held\s+on)"
    r"|date)\s*[:\-–]?\s*(?=\d|(?:mon|tues|wednes|thurs|fri|satur|sun)day)",
    re.I | re.M,
)
_DATE_ONLY_LINE = re.compile(
    r"^[ \t*#]*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?"
    r"\s+\d{4}[ \t*]*$",
    re.M,
)


def _title_block(text: str, start: int) -> str:
    """The title printed from ``start``: the line there and its continuation lines."""
    lines = text[start:].split("\n")
    out: list[str] = []
    for i, line in enumerate(lines[:6]):
        clean = line.strip().strip("#*> ").strip()
        if i > 0 and (
            not clean or _TITLE_STOP.match(clean) or clean.endswith(".") or len(clean) > 110 or clean[0].isdigit()
        ):
            break
        if i == 0 and not clean:
            continue
        out.append(clean)
        if clean.endswith(".") or _TITLE_STOP.match(clean):
            break
    title = normalise_space(" ".join(out)).replace("**", "").strip()
    return re.sub(r"(?<=[a-z])\d{1,2}$", "", title)  # footnote marker "Board1"


def _committee_title(text: str) -> str | None:
    lines = [l.strip() for l in text.split("\n")]
    out: list[str] = []
    for line in lines:
        clean = re.sub(r"[#*_|]+", " ", line).strip()
        clean = normalise_space(clean)
        if not clean:
            if out:
                break
            continue
        if len(clean) < 4 or re.fullmatch(r"[\d.\s]+|(?:agenda\s+)?item\s*(?:no\.?\s*)?\d+[a-z]?", clean, re.I):
            if out:
                break
            continue
        if out and not (clean.isupper() and out[-1].isupper() and " " in clean):
            break
        out.append(clean)
        if len(" ".join(out)) > 200:
            break
    return " ".join(out) or None


def _inspection_dates(opening: str, document_type: str) -> tuple[date | None, date | None]:
    for m in _INSPECTION_DATES.finditer(opening):
        spans = find_date_ranges(opening[m.end() : m.end() + 120], allow_year=False)
        if spans and spans[0].start_offset < 5 and spans[0].granularity == "day":
            return spans[0].start, spans[0].end
    if document_type in ("focused_visit_letter", "monitoring_visit_letter", "inspection_letter"):
        for m in _VISIT_ON.finditer(opening):
            spans = find_date_ranges(opening[m.end() : m.end() + 80], allow_year=False)
            if spans and spans[0].start_offset == 0 and spans[0].granularity == "day":
                return spans[0].start, spans[0].end
    return None, None


def _published_date(opening: str, document_type: str) -> date | None:
    for m in _PUBLISHED.finditer(opening):
        spans = find_date_ranges(opening[m.end() : m.end() + 60], allow_year=False)
        if spans and spans[0].start_offset < 3 and spans[0].granularity == "day":
            return spans[0].start
    if document_type in ("inspection_letter", "focused_visit_letter", "monitoring_visit_letter"):
        head = opening
        dear = re.search(r"^\s*dear\b", opening, re.I | re.M)
        if dear:
            head = opening[: dear.start()]
        m = _DATE_ONLY_LINE.search(head)
        if m:
            return parse_date(m.group(0))
    if document_type == "committee_report":
        for m in _MEETING.finditer(opening[:3000]):
            spans = find_date_ranges(opening[m.end() : m.end() + 60], allow_year=False)
            if spans and spans[0].start_offset < 3 and spans[0].granularity == "day":
                return spans[0].start
        m = _DATE_ONLY_LINE.search(opening[:3000])
        if m:
            return parse_date(m.group(0))
    return None


def classify(doc: DocText) -> dict:
    """What ``doc`` is: document type, framework, title and dates (see the module docstring)."""
    opening, _ = _opening(doc)
    lines = "\n" + opening  # offsets one more than in opening
    best = None
    for document_type, framework, pattern in _TITLE_RULES:
        m = pattern.search(lines)
        if m and (best is None or m.start("t") - 1 < best[2]):
            best = (document_type, framework, m.start("t") - 1)
    info = {
        "document_type": "other",
        "framework": None,
        "title": None,
        "inspection_start": None,
        "inspection_end": None,
        "published_date": None,
    }
    if best is not None:
        document_type, framework, title_start = best
        line_start, _ = _line_bounds(opening, title_start)
        info["title"] = _title_block(opening, line_start)
        if document_type == "inspection_report" and _COMMITTEE_CUE.search(opening, 0, line_start):
            best = None  # a council report whose heading names an inspection
        # an "Inspection of ... children's services" title is only ILACS with Ofsted's marks on it, at the top
        elif framework == "ilacs" and (
            line_start > ILACS_TITLE_WITHIN
            or not (_ILACS_TABLE_CUE.search(opening) or _INSPECTION_DATES.search(opening))
        ):
            best = None
        else:
            info["document_type"], info["framework"] = document_type, framework
    if best is None:
        if _COMMITTEE_CUE.search(opening):
            info["document_type"] = "committee_report"
        info["title"] = _committee_title(opening)
    start = end = None
    if info["document_type"] not in ("committee_report", "other") and info["framework"] != "apa":
        # a council report quoting an inspection's dates is not itself an inspection
        start, end = _inspection_dates(opening, info["document_type"])
    info["inspection_start"], info["inspection_end"] = start, end
    info["published_date"] = _published_date(opening, info["document_type"])
    # a monitoring visit before ILACS (2018) was made under the single inspection framework
    if info["framework"] == "ilacs_monitoring_visit" and start is not None and start < date(2018, 1, 1):
        info["framework"] = "sif"
    return info


# ---------------------------------------------------------------------------------------------
# readings: one grade printed once
# ---------------------------------------------------------------------------------------------


def _p(pattern: str) -> str:
    """Spaces in ``pattern`` match any white space; apostrophes match any apostrophe."""
    return pattern.replace(" ", r"\s+").replace("'", _APOS)


def _areas(pairs: list[tuple[str, str]]) -> list[tuple[str, re.Pattern]]:
    return [(key, re.compile(_p(pattern), re.I)) for key, pattern in pairs]


_SEP_GRADE = re.compile(rf"[\s.:|*\-–]*(?:\d{{1,2}}\s+)?(?P<grade>{GRADE})\b", re.I)
_WS = re.compile(r"[\s|*]*")


def _reading(
    doc: DocText,
    framework: str | None,
    *,
    service: str,
    key: str,
    area: str,
    grade: str | None,
    number: int | None,
    source: str,
    start: int,
    end: int,
) -> dict:
    page, line, evidence = _evidence(doc, start, end)
    word = clean_grade(grade) if grade else (scale_word(framework, number) if number is not None else None)
    harmonised = harmonise_word(word) if grade else _harmonised(framework, None, number)
    return {
        "service": service,
        "judgement_area_key": key,
        "judgement_area": _clean_area(area),
        "grade": word,
        "grade_number": number,
        "harmonised_grade": harmonised,
        "reading_source": source,
        "evidence_page": page,
        "evidence_line": line,
        "evidence_text": evidence,
        "_start": start,
        "_end": end,
        "_grade_printed": bool(grade),
    }


def _clean_area(area: str) -> str:
    a = normalise_space(area.replace("**", " ").replace("|", " "))
    a = re.sub(r"^(?:\d+(?:\.\d+)?\.?|[a-z]\.)\s+", "", a)  # "2.1 Adoption performance"
    return a.strip(" .:;,-–*")


class _Span:
    """A match-like span: ``group()``, ``start()``, ``end()`` (for a grade printed inside its area)."""

    def __init__(self, text: str, start: int, end: int, groups: dict | None = None):
        self._text, self._start, self._end, self._groups = text, start, end, groups or {}

    def group(self, name: int | str = 0) -> str:
        return self._text if name == 0 else self._groups[name]

    def start(self, name: int | str = 0) -> int:
        return self._start

    def end(self, name: int | str = 0) -> int:
        return self._end


_INTERLEAVED_CACHE: dict[str, list[tuple[str | None, str]]] = {}
_COMPILED: dict[tuple[str, int], re.Pattern] = {}


def _interleaved(rx: re.Pattern) -> list[tuple[str | None, str]]:
    """Variants of an area pattern with the grade printed at one of its line breaks
    ("The impact of leaders on social work practice with children Good\\nand families"), as PDF
    text gives a table cell whose grade sits level with the first line of a wrapped label: (guard,
    variant) pattern sources, compiled only when needed (see _interleaved_matches). The guard is the
    area pattern up to the variant's grade, which matches wherever the variant does (None, no guard,
    when the pattern has a "|" outside parentheses, or a character class, which might hold one)."""
    cached = _INTERLEAVED_CACHE.get(rx.pattern)
    if cached is not None:
        return cached
    pattern, depth, cuts, i = rx.pattern, 0, [], 0
    guarded = True
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if depth == 0 and pattern.startswith(r"\s+", i):
                cuts.append(i)
            i += 2
            continue
        guarded = guarded and not ((depth == 0 and c == "|") or c == "[")
        depth += c == "("
        depth -= c == ")"
        i += 1
    variants = [
        (pattern[:c] if guarded else None, pattern[:c] + rf"\s+(?P<igrade>{GRADE})\s+" + pattern[c + 3 :])
        for c in cuts
    ]
    _INTERLEAVED_CACHE[rx.pattern] = variants
    return variants


def _compiled(pattern: str, flags: int) -> re.Pattern:
    rx = _COMPILED.get((pattern, flags))
    if rx is None:
        rx = _COMPILED[(pattern, flags)] = re.compile(pattern, flags)
    return rx


def _interleaved_matches(rx: re.Pattern, text: str, pos: int) -> list[re.Match]:
    """The matches at ``pos`` of the variants of ``rx`` with the grade at a line break (see
    _interleaved). Compiling them all is slow, and seldom needed: a variant is compiled and tried only
    when its guard matches."""
    out = []
    for guard, variant in _interleaved(rx):
        if guard is not None and not _compiled(guard, rx.flags).match(text, pos):
            break  # the later variants' guards start with this one
        m = _compiled(variant, rx.flags).match(text, pos)
        if m:
            out.append(m)
    return out


def _sequential_pairs(
    text: str, areas: list[tuple[str, re.Pattern]], start: int, stop: int
) -> list[tuple[str, re.Match, re.Match]]:
    """Area/grade pairs printed one after another from ``start`` (a flattened judgement table)."""
    out = []
    pos = start
    while pos < stop:
        p = _WS.match(text, pos).end()
        best = None
        for key, rx in areas:
            m = rx.match(text, p)
            if m and (best is None or m.end() > best[1].end()):
                best = (key, m)
        g = _SEP_GRADE.match(text, best[1].end()) if best else None
        if g is not None:
            out.append((best[0], best[1], g))
            pos = g.end()
            continue
        inner = None
        for key, rx in areas:
            for m in _interleaved_matches(rx, text, p):
                if inner is None or m.end() > inner[1].end():
                    inner = (key, m)
        if inner is None:
            break
        key, m = inner
        area_text = text[m.start() : m.start("igrade")] + " " + text[m.end("igrade") : m.end()]
        area = _Span(area_text, m.start(), m.end())
        grade = _Span(m.group("igrade"), m.start("igrade"), m.end(), {"grade": m.group("igrade")})
        out.append((key, area, grade))
        pos = m.end()
    return out


def _column_pairs(
    text: str, areas: list[tuple[str, re.Pattern]], start: int
) -> list[tuple[str, re.Match, re.Match]]:
    """A table extracted column by column: every area, then every grade, in the same order."""
    names: list[tuple[str, re.Match]] = []
    pos = start
    while True:
        p = _WS.match(text, pos).end()
        best = None
        for key, rx in areas:
            m = rx.match(text, p)
            if m and (best is None or m.end() > best[1].end()):
                best = (key, m)
        if best is None:
            break
        names.append(best)
        pos = best[1].end()
    grades: list[re.Match] = []
    while len(grades) < len(names):
        g = _SEP_GRADE.match(text, pos)
        if g is None:
            break
        grades.append(g)
        pos = g.end()
    if len(names) < 2 or len(grades) != len(names):
        return []
    return [(key, m, g) for (key, m), g in zip(names, grades)]


def _longest_run(
    text: str, areas: list[tuple[str, re.Pattern]], start: int, stop: int
) -> list[tuple[str, re.Match, re.Match]]:
    """The longest run of area/grade pairs starting at any area named in text[start:stop]
    (area and grade side by side, or the areas' column followed by the grades' column)."""
    best: list = []
    starts = sorted({m.start() for _k, rx in areas for m in rx.finditer(text, start, stop)})
    for pos in starts:
        for run in (_sequential_pairs(text, areas, pos, stop + 400), _column_pairs(text, areas, pos)):
            if len(run) > len(best):
                best = run
    return best


def _overlaps(a: dict, b: dict) -> bool:
    return a["_start"] < b["_end"] and b["_start"] < a["_end"]


def _add(readings: list[dict], new: dict) -> None:
    if not any(_overlaps(new, r) and r["judgement_area_key"] == new["judgement_area_key"] for r in readings):
        readings.append(new)


# ---------------------------------------------------------------------------------------------
# ILACS
# ---------------------------------------------------------------------------------------------

_ILACS_AREAS = _areas(
    [
        ("children_in_care", r"The experiences and progress of children in care and care leavers"),
        ("care_leavers", r"The experiences and progress of (?:children )?care leavers"),
        ("children_in_care", r"The experiences and progress of children in care"),
        ("help_and_protection", r"The experiences and progress of children who need help and protection"),
        ("impact_of_leaders", r"The impact of leaders on (?:social work )?practice with children and families\.?"),
        ("overall_effectiveness", r"Overall effectiveness"),
    ]
)
_ILACS_HEADING = re.compile(
    r"(?P<area>"
    + "|".join(rx.pattern for _k, rx in _ILACS_AREAS if _k != "overall_effectiveness")
    + rf"|Overall effectiveness)\s*(?:(?:is|are)\s*)?:?\s*(?P<grade>{GRADE})\b",
    re.I,
)
_JUDGEMENT_GRADE_HEADER = re.compile(r"Judgement\s+Grade\b", re.I)


def _area_key(areas: list[tuple[str, re.Pattern]], text: str) -> str | None:
    for key, rx in areas:
        if rx.fullmatch(text.strip()) or rx.match(text.strip()):
            return key
    return None


def _ilacs_readings(doc: DocText, info: dict) -> list[dict]:
    text = doc.text
    opening, opening_end = _opening(doc)
    readings: list[dict] = []
    header = _JUDGEMENT_GRADE_HEADER.search(opening)
    start = header.end() if header else None
    if start is None:
        first = None
        for _key, rx in _ILACS_AREAS:
            m = rx.search(opening)
            if m and (first is None or m.start() < first):
                first = m.start()
        start = first
    if start is not None:
        pairs = _sequential_pairs(text, _ILACS_AREAS, start, opening_end)
        if len(pairs) < 2:
            pairs = _longest_run(text, _ILACS_AREAS, 0, opening_end)
        for key, am, gm in pairs:
            _add(
                readings,
                _reading(
                    doc, "ilacs", service="children_services", key=key, area=am.group(0), grade=gm.group("grade"),
                    number=None, source="judgement_table", start=am.start(), end=gm.end(),
                ),
            )
    for m in _scan(_ILACS_HEADING, text, ("experience", "impact", "effectiveness"), starts=("the", "overall")):
        key = _area_key(_ILACS_AREAS, m.group("area"))
        if key:
            _add(
                readings,
                _reading(
                    doc, "ilacs", service="children_services", key=key, area=m.group("area"), grade=m.group("grade"),
                    number=None, source="section_heading", start=m.start(), end=m.end(),
                ),
            )
    return readings


# ---------------------------------------------------------------------------------------------
# single inspection framework (SIF) and LSCB reviews
# ---------------------------------------------------------------------------------------------

_SIF_AREAS = _areas(
    [
        ("help_and_protection", r"(?:1\.? )?Children who need help and protection"),
        ("children_looked_after", r"(?:2\.? )?Children looked after and achieving permanence"),
        ("adoption_performance", r"(?:2\.1\.? )?Adoption performance"),
        ("care_leavers", r"(?:2\.2\.? )?(?:The )?Experiences? and progress of care leavers"),
        ("leadership_management_governance", r"(?:3\.? )?Leadership, management and governance"),
    ]
)
_SIF_HEADLINES = [
    re.compile(
        r"(?P<area>Children(?:" + _APOS + r"\s?)?s\s+services\s+in\s+"  # "Children’s", "Childrens", "Children’ s"
        + r"(?P<la>(?:(?!\b(?:have|has|had|were|was|been|since|when|which|remain|remains|continue)\b)[^.]){1,100}?))"
        + _p(r" (?:(?:is|are) )?")
        + rf"(?P<grade>{GRADE})\b",
        re.I,
    ),
    re.compile(
        _p(r"(?P<area>The overall judgement) is (?:that )?(?:children's services )?(?:(?:is|are) )?")
        + rf"(?P<grade>{GRADE})\b",
        re.I,
    ),
]
_SIF_SUMMARY = re.compile(_p(r"(?P<area>This local authority) (?:is )?") + rf"(?P<grade>{GRADE})\b", re.I)
_SIF_BODY = [
    (
        "help_and_protection",
        re.compile(
            _p(r"(?P<area>The experiences and progress of children who need help and protection) (?:(?:is|are) )?")
            + rf"(?P<grade>{GRADE})\b",
            re.I,
        ),
    ),
    (
        "children_looked_after",
        re.compile(
            _p(r"(?P<area>The experiences and progress of children looked after and achieving permanence) ")
            + _p(r"(?:(?:is|are) )?")
            + rf"(?P<grade>{GRADE})\b",
            re.I,
        ),
    ),
    (
        "leadership_management_governance",
        re.compile(
            _p(r"(?P<area>Leadership, management and governance) (?:(?:is|are) )?") + rf"(?P<grade>{GRADE})\b",
            re.I,
        ),
    ),
    (
        "adoption_performance",
        re.compile(
            _p(r"(?P<area>The graded judge?ments? (?:for|about) (?:the )?adoption performance) (?:is )?(?:that )?")
            + _p(r"(?:it )?(?:(?:is|was) )?")
            + rf"(?P<grade>{GRADE})\b",
            re.I,
        ),
    ),
    (
        "care_leavers",
        re.compile(
            _p(
                r"(?P<area>The graded judge?ments? (?:for|about) (?:the )?experiences? and progress of care leavers) "
                r"(?:is )?(?:that )?(?:it )?(?:(?:is|was) )?"
            )
            + rf"(?P<grade>{GRADE})\b",
            re.I,
        ),
    ),
]
# a grade closing the judgement, not prose about it ("The Local Safeguarding Children Board is good at ...")
_NOT_PROSE_AFTER = r"(?![ \t]+(?:at|in|on|with|about|for|to)\b)"
_LSCB = [
    re.compile(
        _p(
            r"(?P<area>The effectiveness of the (?:Local Safeguarding Children Board|LSCB)(?: \(LSCB\))?) "
            r"(?:is )?(?:judged to be )?"
        )
        + rf"(?P<grade>{GRADE})\b"
        + _NOT_PROSE_AFTER,
        re.I,
    ),
    re.compile(
        _p(r"(?P<area>(?i:The Local Safeguarding Children Board)(?: \(LSCB\))?(?: in [A-Z][^.\n]{0,60}?)?) ")
        + _p(r"(?:(?:is|are) )?(?:judged to be )?")
        + rf"(?P<grade>{GRADE})\b"
        + _NOT_PROSE_AFTER,
    ),
    re.compile(
        _p(r"(?P<area>(?:[A-Z][\w\x27\u2019-]+ )+Safeguarding Children Board(?: \([A-Z]{3,8}\))?) is judged to be ")
        + rf"(?P<grade>{GRADE})\b"
        + _NOT_PROSE_AFTER
    ),
]
_SIF_BODY_ANCHORS = {
    "help_and_protection": ("experience",),
    "children_looked_after": ("experience",),
    "leadership_management_governance": ("leadership",),
    "adoption_performance": ("graded",),
    "care_leavers": ("graded",),
}
# the word each _SIF_BODY match starts with (see _scan)
_SIF_BODY_STARTS = {
    "help_and_protection": ("the",),
    "children_looked_after": ("the",),
    "leadership_management_governance": ("lead",),
    "adoption_performance": ("the",),
    "care_leavers": ("the",),
}
# (pattern, starts, needs): see _scan
_LSCB_SCANS = [(_LSCB[0], ("the",), ()), (_LSCB[1], ("the",), ()), (_LSCB[2], (), ("judged",))]


def _lscb_matches(text: str) -> list[re.Match]:
    """Matches of the LSCB judgement patterns, searched only around the words that name the board."""
    found: dict[int, re.Match] = {}
    for rx, starts, needs in _LSCB_SCANS:
        for m in _scan(rx, text, ("safeguarding", "lscb"), back=200, ahead=200, starts=starts, needs=needs):
            if m.start() not in found or m.end() > found[m.start()].end():
                found[m.start()] = m
    return [found[k] for k in sorted(found)]


def _sif_readings(doc: DocText, info: dict) -> list[dict]:
    text = doc.text
    opening, opening_end = _opening(doc)
    readings: list[dict] = []
    page1_end = len(doc.pages[0]) if doc.pages else opening_end
    scope_end = max(page1_end, min(opening_end, 2500))
    for rx in _SIF_HEADLINES:
        m = rx.search(text, 0, scope_end)
        if m:
            _add(
                readings,
                _reading(
                    doc, "sif", service="children_services", key="overall_effectiveness", area=m.group("area"),
                    grade=m.group("grade"), number=None, source="headline", start=m.start(), end=m.end(),
                ),
            )
            break
    for key, am, gm in _longest_run(text, _SIF_AREAS, 0, scope_end):
        _add(
                readings,
                _reading(
                    doc, "sif", service="children_services", key=key, area=am.group(0), grade=gm.group("grade"),
                    number=None, source="judgement_table", start=am.start(), end=gm.end(),
                ),
            )
    for key, rx in _SIF_BODY:
        for m in _scan(rx, text, _SIF_BODY_ANCHORS[key], starts=_SIF_BODY_STARTS[key]):
            _add(
                readings,
                _reading(
                    doc, "sif", service="children_services", key=key, area=m.group("area"), grade=m.group("grade"),
                    number=None,
                    source="graded_statement" if "graded" in m.group("area").lower() else "section_heading",
                    start=m.start(), end=m.end(),
                ),
            )
    m = next(iter(_scan(_SIF_SUMMARY, text, ("authority",), back=30, ahead=120)), None)
    if m:
        _add(
            readings,
            _reading(
                doc, "sif", service="children_services", key="overall_effectiveness", area=m.group("area"),
                grade=m.group("grade"), number=None, source="prose", start=m.start(), end=m.end(),
            ),
        )
    for m in _lscb_matches(text):
        source = "headline" if m.start() < scope_end else "section_heading"
        _add(
            readings,
            _reading(
                doc, "sif", service="lscb", key="lscb_effectiveness", area=m.group("area"), grade=m.group("grade"),
                number=None, source=source, start=m.start(), end=m.end(),
            ),
        )
    return readings


# ---------------------------------------------------------------------------------------------
# 2009-2012 safeguarding and looked after children; 2012-2013 protection / looked after children
# ---------------------------------------------------------------------------------------------

_SLAC_AREAS = _areas(
    [
        ("children_feel_safe", r"(?:children and young people )?feel safe"),
        ("health_contribution", r"contribution of health agencies(?: to keeping children and young people safe)?"),
        ("children_safe", r"(?:children and young people|they) are safe"),
        ("overall_effectiveness", r"overall effectiveness"),
        ("capacity_to_improve", r"capacity (?:for|to) improve(?:ment)?"),
        ("service_responsiveness", r"service responsiveness"),
        ("assessment_and_direct_work", r"assessment and direct work"),
        ("case_planning_review_recording", r"case planning,? reviews? and recording"),
        ("ambition_and_prioritisation", r"ambition and prioritisation"),
        ("evaluation", r"evaluation(?:,? including performance management)?"),
        ("user_engagement", r"user engagement"),
        ("partnerships", r"partnerships?"),
        ("equality_and_diversity", r"equality and diversity"),
        ("value_for_money", r"value for money"),
        ("being_healthy", r"being healthy"),
        ("staying_safe", r"staying safe"),
        ("enjoying_and_achieving", r"enjoying and achieving"),
        ("making_a_positive_contribution", r"making a positive contribution"),
        ("economic_wellbeing", r"(?:achieving )?economic well(?:-|\s)*being"),
        ("quality_of_provision", r"(?:the )?quality of provision"),
        ("leadership_and_management", r"leadership and management"),
        ("outcomes_for_children", r"outcomes for (?:looked after )?children(?: and young people| and care leavers)?"),
    ]
)
_CP2012_AREAS = _areas(
    [
        ("overall_effectiveness", r"overall effectiveness"),
        ("capacity_to_improve", r"capacity (?:for|to) improve(?:ment)?"),
        (
            "effectiveness_of_help_and_protection",
            r"(?:the )?effectiveness of (?:the )?help and protection(?: provided to children[^\n|]{0,60}?carers)?",
        ),
        ("quality_of_practice", r"(?:the )?quality of practice"),
        ("leadership_and_governance", r"leadership and governance"),
    ]
)
_HEADER_ONLY = {"outcomes_for_children", "quality_of_provision", "leadership_and_management"}
_SERVICE_HEADINGS = [
    ("looked_after_children", re.compile(_p(r"services for (?:looked after children|children looked after)"), re.I)),
    ("safeguarding", re.compile(_p(r"safeguarding services"), re.I)),
]
_RECORD_OF_MAIN_FINDINGS = re.compile(_p(r"Record of main findings"), re.I)
_GRADE_NUMBER = re.compile(r"\bgrade\s*[1-4]\b", re.I)
# the grade closing a table row: a word, or "Grade 3" / "Grade 3 (adequate)"
_ROW_END_GRADE = re.compile(
    rf"(?:(?i:grade)\s*(?P<number>[1-4])(?:\s*\(\s*(?P<word>{GRADE})\s*\))?|(?P<grade>{GRADE}))[\s|*.]*$"
)
_INLINE_GRADE = re.compile(
    rf"Grade\s*(?P<number>[1-4])\b(?:\s*\(\s*(?P<grade>{GRADE})\s*\))?", re.I
)
_INLINE_SERVICE = [
    (
        "looked_after_children",
        re.compile(_p(r"(?:inspection outcomes: )?services for (?:looked after children|children looked after)"), re.I),
    ),
    ("safeguarding", re.compile(_p(r"(?:inspection outcomes: )?safeguarding services"), re.I)),
]


_INCLUDING_BEFORE = re.compile(r"\bincluding\s+(?:the\s+)?$", re.I)


def _best_area(areas: list[tuple[str, re.Pattern]], label: str) -> tuple[str, re.Match] | None:
    """The area named last in ``label`` (the nearest to the grade that follows it), not counting an
    area named as part of another ("Making a positive contribution, including user engagement")."""
    best = None
    for key, rx in areas:
        for m in rx.finditer(label):
            if _INCLUDING_BEFORE.search(label, max(0, m.start() - 20), m.start()):
                continue
            if best is None or m.end() > best[1].end() or (m.end() == best[1].end() and m.start() < best[1].start()):
                best = (key, m)
    return best


def _service_marks(text: str) -> tuple[list[int], list[str]]:
    """(positions, services) of the headings that open each service's section, in order."""
    marks = sorted((m.start(), service) for service, rx in _INLINE_SERVICE for m in rx.finditer(text))
    return [p for p, _s in marks], [s for _p, s in marks]


def _service_at(marks: tuple[list[int], list[str]], pos: int, default: str) -> str:
    """The service whose heading was printed last before ``pos``."""
    positions, services = marks
    k = bisect_left(positions, pos)
    return services[k - 1] if k else default


def _record_table_readings(
    doc: DocText, framework: str, areas: list[tuple[str, re.Pattern]], default_service: str
) -> list[dict]:
    """Rows of the closing "Record of main findings" table: area (possibly wrapped) then grade."""
    text = doc.text
    heading = None
    for m in _RECORD_OF_MAIN_FINDINGS.finditer(text):
        if _GRADE_RE.search(text, m.end(), m.end() + 600) or _GRADE_NUMBER.search(text, m.end(), m.end() + 600):
            heading = m
    if heading is None:
        return []
    readings: list[dict] = []
    service = default_service
    pos = heading.end()
    row_start = None
    for line_match in re.finditer(r"[^\n]*\n?", text[pos:]):
        line = line_match.group(0)
        if not line:
            break
        ls = pos + line_match.start()
        le = ls + len(line.rstrip("\n"))
        stripped = line.strip().strip("|").strip()
        for svc, rx in _SERVICE_HEADINGS:
            if rx.fullmatch(re.sub(r"[|*\s]+$", "", stripped)) or (
                rx.match(stripped) and not _GRADE_RE.search(stripped)
            ):
                service, row_start = svc, None
                break
        else:
            if not stripped or re.fullmatch(r"[|\-:\s]+", stripped):
                if row_start is not None and not stripped:
                    row_start = None
                continue
            if row_start is None or len(stripped) > 160 or text.count("\n", row_start, ls) >= 7:
                row_start = ls  # a row wraps over a few short lines at most
            g = _ROW_END_GRADE.search(text, row_start, le)
            if g is None or g.start() < ls - 1:
                # no grade at the end of this line: a header or the first line of a wrapped row
                continue
            label = text[row_start : g.start()]
            best = _best_area(areas, label)
            if best is not None:
                key, am = best
                # the label starts at the line holding the first mention of the winning area
                first = None
                for k, rx in areas:
                    if k == key:
                        first = rx.search(label)
                        if first:
                            break
                first = first or am
                label_start = row_start + label.rfind("\n", 0, first.start()) + 1
                readings.append(
                    _reading(
                        doc, framework, service=service, key=key, area=text[label_start : g.start()],
                        grade=g.group("grade") or g.group("word"),
                        number=int(g.group("number")) if g.group("number") else None,
                        source="record_of_main_findings", start=label_start, end=g.end(),
                    )
                )
            row_start = None
    return readings


def _heading_before(text: str, pos: int, max_lines: int = 3) -> tuple[int, str]:
    """The heading printed before ``pos``: text on the same line, else the preceding non-empty lines."""
    line_start = text.rfind("\n", 0, pos) + 1
    same = text[line_start:pos]
    if re.search(r"[A-Za-z]{3}", same):
        return line_start, same
    end = line_start - 1
    lines: list[tuple[int, str]] = []
    while end > 0 and len(lines) < max_lines:
        s = text.rfind("\n", 0, end) + 1
        line = text[s:end]
        if line.strip():
            if lines and line.rstrip().endswith((".", ":", ";")):
                break  # the end of the paragraph before the heading
            lines.append((s, line))
            if len(line.strip()) > 150 or re.match(r"\s*\d+\.\s", line):
                break
        elif lines:
            break
        end = s - 1
    if not lines:
        return line_start, ""
    lines.reverse()
    start = lines[0][0]
    return start, text[start:line_start]


def _inline_grade_readings(
    doc: DocText, framework: str, areas: list[tuple[str, re.Pattern]], default_service: str
) -> list[dict]:
    """'Grade 3 (adequate)' printed after (or beside) an area heading."""
    text = doc.text
    readings = []
    marks = _service_marks(text)
    for m in _scan(_INLINE_GRADE, text, ("grade",), back=0, ahead=40):
        head_start, head = _heading_before(text, m.start())
        if not head.strip() or len(head) > 400:
            continue
        best = _best_area(areas, head)
        if best is None:
            continue
        key, am = best
        # the printed area: from the segment (line / bold run / sentence) holding the area name
        seg_start = max(head.rfind("\n", 0, am.start()), head.rfind("**", 0, am.start()) + 1, 0)
        if key not in _HEADER_ONLY:
            seg_start = max(seg_start, _parent_prefix_end(head, seg_start))
        start = head_start + seg_start
        start = _WS.match(text, start).end()
        readings.append(
            _reading(
                doc, framework, service=_service_at(marks, m.start(), default_service), key=key,
                area=text[start : m.start()], grade=m.group("grade"), number=int(m.group("number")),
                source="inline", start=start, end=m.end(),
            )
        )
    return readings


_PARENT_PREFIX = re.compile(
    _p(
        r"\s*(?:outcomes for (?:looked after )?children(?: and young people| and care leavers)?"
        r"|quality of provision|leadership and management)\s*"
    ),
    re.I,
)


def _parent_prefix_end(head: str, pos: int) -> int:
    m = _PARENT_PREFIX.match(head, pos)
    return m.end() if m and m.end() < len(head.rstrip()) - 3 else pos


def _slac_readings(doc: DocText, info: dict) -> list[dict]:
    framework = info.get("framework") or "safeguarding_lac"
    if framework == "cp_2012":
        areas, default_service = _CP2012_AREAS, "safeguarding"
    elif framework == "lac_2012":
        areas, default_service = _CP2012_AREAS + _SLAC_AREAS, "looked_after_children"
    else:
        areas, default_service = _SLAC_AREAS, "safeguarding"
    readings = _record_table_readings(doc, framework, areas, default_service)
    for r in _inline_grade_readings(doc, framework, areas, default_service):
        _add(readings, r)
    if framework in ("cp_2012", "lac_2012"):
        for m in _scan(_OVERALL_PROSE, doc.text, ("effectiveness",), back=30, ahead=250, starts=("the",)):
            _add(
                readings,
                _reading(
                    doc, framework, service=default_service, key="overall_effectiveness", area=m.group("area"),
                    grade=m.group("grade"), number=None, source="prose", start=m.start(), end=m.end(),
                ),
            )
    return readings


_OVERALL_PROSE = re.compile(
    _p(
        r"(?P<area>The overall effectiveness of (?:the )?(?:arrangements to protect children"
        r"|services for (?:looked after children|children looked after)))"
    )
    + r"[^.]{0,60}?\s+is\s+(?:judged\s+to\s+be\s+)?"
    + rf"(?P<grade>{GRADE})\b",
    re.I,
)


# ---------------------------------------------------------------------------------------------
# APA letters and joint area reviews: "Grade N" under an area heading; JAR grade tables
# ---------------------------------------------------------------------------------------------

_APA_AREAS = _areas(
    [
        ("overall_effectiveness", r"overall effectiveness"),
        ("capacity_to_improve", r"capacity to improve|management of children's services"),
        ("being_healthy", r"being healthy"),
        ("staying_safe", r"staying safe"),
        ("enjoying_and_achieving", r"enjoying and achieving"),
        ("making_a_positive_contribution", r"making a positive contribution"),
        ("economic_wellbeing", r"(?:achieving )?economic well(?:-|\s)*being"),
    ]
)
_JAR_AREAS = _APA_AREAS + _areas(
    [
        ("safeguarding", r"safeguarding"),
        ("looked_after_children", r"looked after children"),
        ("learning_difficulties_and_disabilities", r"learning difficulties and/?or disabilities"),
        ("service_management", r"service management"),
        ("overall_effectiveness", r"local services overall|children's services overall"),
    ]
)
# "Grade 2" / "Grade 3 (good)" on a line of its own, under the area's heading
_GRADE_LINE = re.compile(
    rf"^[ \t*#|]*(?:grade[ \t:]*)(?P<number>[1-4])(?:[ \t]*\([ \t]*(?P<grade>{GRADE})[ \t]*\))?[ \t*|.]*$",
    re.I | re.M,
)
# "Staying safe 2" / "Being healthy | 3" / "Staying safe Grade 3 (good)" / "Service management 2 3" (local
# services overall, council services)
_TABLE_ROW_NUMBER = re.compile(
    r"^[ \t*#|]*(?P<area>[A-Za-z][A-Za-z ,'’/()-]{3,160}?)[ \t|:*]+(?:grade[ \t:]*)?(?P<number>[1-4])"
    rf"(?:[ \t]*\([ \t]*(?P<grade>{GRADE})[ \t]*\))?(?:[ \t|*]+[1-4])?[ \t*|.]*$",
    re.M | re.I,
)
# a number that is not a grade: "at key stage 2", "level 3", "year 4", "paragraph 2"
_NOT_A_GRADE_BEFORE = re.compile(
    r"\b(?:key\s+stage|stage|level|levels|year|years|tier|phase|section|page|paragraph|part|chapter|annex"
    r"|appendix|table|figure|chart|step|priority|priorities|recommendation|aged?|under|over|top|band|NVQ)[ \t|:*]*$",
    re.I,
)
_APA_PROSE = re.compile(
    r"\b(?:is|are|at\s+an?)\s+(?P<grade>outstanding|good|adequate|inadequate)\b(?:\s+level)?", re.I
)


_APA_SUMMARY_HEADING = re.compile(_p(r"\s*Summary of strengths and areas for development"), re.I)


def _grade_line_readings(doc: DocText, framework: str, areas: list[tuple[str, re.Pattern]]) -> list[dict]:
    text = doc.text
    readings = []
    for m in _GRADE_LINE.finditer(text):
        head_start, head = _heading_before(text, m.start(), max_lines=2)
        if not head.strip() or len(head) > 250:
            continue
        best = _best_area(areas, head)
        if best is None:
            continue
        start = _WS.match(text, head_start).end()
        number = int(m.group("number"))
        readings.append(
            _reading(
                doc, framework, service="children_services", key=best[0], area=text[start : m.start()],
                grade=m.group("grade"), number=number, source="grade_line", start=start, end=m.end(),
            )
        )
        # the prose under the grade names the word: a second reading
        para_start = m.end()
        heading = _APA_SUMMARY_HEADING.match(text, para_start)
        if heading:
            para_start = heading.end()
        sm = re.compile(r"\s*([^.]{10,400}\.)").match(text, para_start)
        if sm:
            pm = _APA_PROSE.search(sm.group(1))
            if pm:
                readings.append(
                    _reading(
                        doc, framework, service="children_services", key=best[0], area=text[start : m.start()],
                        grade=pm.group("grade"), number=None, source="prose", start=sm.start(1), end=sm.end(1),
                    )
                )
    return readings


def _table_number_readings(
    doc: DocText, framework: str, areas: list[tuple[str, re.Pattern]], readings: list[dict]
) -> list[dict]:
    """Grade tables printed as 'area  N' lines (JAR key judgements; some APA annexes)."""
    text = doc.text
    for m in _TABLE_ROW_NUMBER.finditer(text):
        area = m.group("area").strip()
        best = _best_area(areas, area)
        # the row names its area first ("The ", "Overall " may come before it), not inside prose
        if best is None or best[1].start() > 12 or _NOT_A_GRADE_BEFORE.search(text, m.start(), m.start("number")):
            continue
        end = m.end("grade") + 1 if m.group("grade") else m.end("number")
        _add(
            readings,
            _reading(
                doc, framework, service="children_services", key=best[0], area=area, grade=m.group("grade"),
                number=int(m.group("number")), source="judgement_table", start=m.start("area"), end=end,
            ),
        )
    return readings


def _apa_readings(doc: DocText, info: dict) -> list[dict]:
    framework = info.get("framework") or "apa"
    return _table_number_readings(doc, framework, _APA_AREAS, _grade_line_readings(doc, framework, _APA_AREAS))


# an annex reprinting the annual performance assessment: its grades are the APA's, not the review's
_APA_ANNEX = re.compile(
    r"^[ \t#*|]*annex\s+\w+\W+[^\n]{0,60}?annual\s+performance\s+assessment"
    r"|^[ \t#*|]*(?:the\s+)?(?:\d{4}\s+)?annual\s+performance\s+assessment\b[^\n.]{0,60}$",
    re.I | re.M,
)


def _jar_readings(doc: DocText, info: dict) -> list[dict]:
    readings = _table_number_readings(doc, "jar", _JAR_AREAS, _grade_line_readings(doc, "jar", _JAR_AREAS))
    opening_end = len("\n".join(doc.pages[:OPENING_PAGES]))
    annex = _APA_ANNEX.search(doc.text, min(opening_end, len(doc.text)))
    return [r for r in readings if annex is None or r["_start"] < annex.start()]


# ---------------------------------------------------------------------------------------------
# reported judgements: "its most recent full inspection in July 2018, with the outcome of Good"
# ---------------------------------------------------------------------------------------------

# a sentence ends after ".", "!" or "?" (the break starts after it), at a blank line, or before an indented
# line or a bullet: the matches of
#   [.!?]["'’”)]*\s+(?=["'‘“(]?[A-Z0-9]) | \n[ \t]*\n | \n(?=[ \t]{2,}\S) | \n(?=[ \t]*[-•*]\s)
# searched as four patterns each starting with a literal character, which the regex engine finds much
# faster (see _break_spans)
_AFTER_STOP = r"[\"'’”)]*\s+(?=[\"'‘“(]?[A-Z0-9])"
_BREAK_PATTERNS = [
    re.compile(r"\." + _AFTER_STOP),
    re.compile("!" + _AFTER_STOP),
    re.compile(r"\?" + _AFTER_STOP),
    re.compile(r"\n[ \t]*\n|\n(?=[ \t]{2,}\S)|\n(?=[ \t]*[-•*]\s)"),
]
_PAST_JUDGED = re.compile(
    # every alternative starts a word with one of these letters: a quick test at each offset
    r"(?=\b[abijortw])(?:"
    r"\b(?:was|were|been|being)\s+(?:\w+\s+){0,3}?"
    r"(?:judged|found|rated|graded|assessed|deemed|considered)\b"
    r"|\b(?:ofsted|inspectors?|review|inspection|assessment|it|which|that)\b[^.;]{0,80}?"
    r"\b(?:judged|deemed|rated|graded)\b"
    # "... protection was inadequate at the last inspection in 2016"
    rf"|\b(?:was|were)\s+(?:rated\s+|judged\s+)?['‘\"]?{GRADE}['’\"]?\s+(?:overall\s+)?"
    r"(?:at|in|during|following)\s+"
    r"(?:the|its|their)\s+(?:last|previous|most\s+recent|earlier|prior|\d{4})\s+(?:\w+\s+){0,2}?inspection"
    r"|\bwith\s+(?:the|an?)\s+(?:overall\s+)?outcome\s+of\b|\boutcome\s+was\b"
    r"|\bjudgements?\s+(?:for|of)\s+the\s+local\s+authority\s+were\b"
    r"|\bjudgement\s+of\b|\bresulted\s+in\s+(?:an?\s+)?(?:overall\s+)?(?:judgement|grade|rating)"
    r"|\breceived\s+(?:an?\s+)?(?:overall\s+)?(?:judgement|grade|rating))",
    re.I,
)
_PAST_JUDGED_WORDS = (
    "judg", "found", "rated", "graded", "assessed", "deemed", "considered", "outcome", "resulted", "received",
    "inspection",
)  # fmt: skip
_PAST_JUDGED_WORD = re.compile("|".join(_PAST_JUDGED_WORDS).encode())  # searched in _lower(text)
_PAST_JUDGED_WORD_MAX = max(len(w) for w in _PAST_JUDGED_WORDS)
_INSPECTION_CUE = re.compile(
    r"inspect|ofsted|joint\s+area\s+review|\bJAR\b|annual\s+performance\s+assessment|\bAPA\b|\breview\b", re.I
)
# the subject of a dated statement about children's services as a whole ("Services for children in X ... since
# they were found to be inadequate in 2017"): with a year it describes an earlier inspection
_SERVICES_SUBJECT = re.compile(
    r"children['’]s\s+(?:social\s+care\s+)?services|services\s+for\s+children"
    r"|\bthe\s+(?:local\s+authority|council)\b",
    re.I,
)
_EXCLUDE = re.compile(
    r"(?=[acfhjlnprsuwy])(?:"  # every alternative starts with one of these letters: a quick test at each offset
    r"children['’]s\s+homes?|\bhomes?\b|\bschools?\b|\bsettings?\b|nurser|childminder|\bproviders?\b|\bprovision\b"
    r"|agenc(?:y|ies)|fostering|\bcolleges?\b|academ|secure\s+unit|placements?|\bcases?\b|\baudits?\b|\bplans?\b"
    r"|case\s+reviews?|(?<!performance )(?<!services )\bassessments?\b|\bcontacts\b|\breferrals\b|youth\s+offending"
    r"|\bYOT\b|probation|police|\bhealth\b|\bCQC\b|\bJTAI\b|joint\s+targeted|pathway|\bpupils?\b|\bstaff\b|workers?\b"
    r"|peer\s+(?:review|challenge)|\bLGA\b|local\s+government\s+association|self[-\s]assess|\bcentres?\b"
    r"|\bunits?\b|short\s+breaks?|respite|youth\s+justice|\bhospitals?\b|\bNHS\b)",
    re.I,
)
_PRONOUN_SUBJECT = re.compile(
    r"^[\s\"'‘(]*(?:all|both|each|they|these|those|it|this|one|two|three|four|five|six|seven|eight|nine|ten|\d+"
    r"|none|most|some|the\s+(?:home|homes|school|schools|setting|unit))\b",
    re.I,
)
_REPORTED_GRADE = re.compile(
    rf"(?:grade\s*(?P<number>[1-4])\s*\(\s*)?['‘\"]?(?P<grade>{GRADE})['’\"]?(?:\s*\))?", re.I
)
_QUALIFIER_BEFORE = re.compile(
    r"(?:\bnot(?:\s+yet)?|\bno\s+longer|\bless\s+than|\bat\s+least|\bthan"
    r"|\bfrom\s+(?:an?\s+)?(?:previous\s+|earlier\s+)?"
    r"(?:judgement|grade|rating)\s+of|\brequiring|\bremain(?:s|ed)?|\bbecome|\bbecame|\bnow|\bbeing\s+(?!judged)\w+"
    r"|\b(?:outstanding|good|adequate|inadequate|improvement)\s+(?:or|and|to)|\bvery|\bmostly|\blargely)\s*['‘\"]?$",
    re.I,
)
_ALLOWED_AFTER = re.compile(
    r"^(?:['’\"]?\s*(?:[.,;:)]|$)|['’\"]?\s+(?:overall|for|in|across|at|with|by|when|and|but|while|whereas|as|since"
    r"|following|under|during|on|the|this|which|after|before|to|from|\(|–|-)\b)",
    re.I,
)
# "no aspects of the service have been judged inadequate", "have not been judged inadequate since 2012"
_NEGATED = re.compile(
    r"\b(?:no|not|never|none|nor|neither|nothing|cannot)\b(?:\W+\w+){0,6}?\W+"
    r"(?:judged|judge|found|rated|graded|assessed|deemed|considered)\W+(?:\w+\W+){0,3}?['‘\"]?$",
    re.I,
)
# this inspection's judgement, in the present tense: "all services are now judged to be good"
_PRESENT_JUDGED = re.compile(
    r"\b(?:is|are|now)\s+(?:\w+\s+){0,2}?(?:judged|found|rated|graded|assessed|deemed|considered)\W+"
    r"(?:\w+\W+){0,3}?['‘\"]?$",
    re.I,
)
_OR_AFTER = re.compile(r"^['’\"]?\s*or\s+(?:better|above|outstanding|good|requir|inadequate|adequate)", re.I)
_CLAUSE_CUT = re.compile(r"\b(?:while|whereas|but|when|although|however)\b|;", re.I)

_REP_AREAS: list[tuple[str, str | None, re.Pattern]] = [
    (k, svc, re.compile(_p(pat), re.I))
    for k, svc, pat in [
        ("children_in_care", None, r"children in care and care leavers"),
        ("overall_effectiveness", None, r"overall effectiveness"),
        (
            "overall_effectiveness",
            None,
            r"\boverall\b|all aspects|all (?:of )?(?:the |its )?(?:judgement )?areas|across all|all judgements",
        ),
        ("capacity_to_improve", None, r"capacity (?:for|to) improve(?:ment)?"),
        ("help_and_protection", None, r"(?:children )?(?:who need|in need of) help (?:and|or) protection"),
        ("help_and_protection", None, r"help and protection(?: services)?"),
        ("@service", "looked_after_children", r"services for (?:looked after children|children looked after)"),
        ("@service", "looked_after_children", r"looked after children(?:'s)? services"),
        (
            "@cla",
            None,
            r"children looked after(?: and achieving permanence)?|looked after children|children in care(?: services)?",
        ),
        ("adoption_performance", None, r"adoption(?: performance| services)?"),
        ("care_leavers", None, r"(?:the )?(?:experiences? and progress of )?care leavers"),
        ("leadership_management_governance", None, r"leadership,? management and governance"),
        ("impact_of_leaders", None, r"impact of leaders"),
        ("lscb_effectiveness", "lscb", r"\bLSCB\b|(?:local )?safeguarding children(?:'s)? board"),
        ("being_healthy", None, r"being healthy"),
        ("staying_safe", None, r"staying safe"),
        ("enjoying_and_achieving", None, r"enjoying and achieving"),
        ("making_a_positive_contribution", None, r"making a positive contribution"),
        ("economic_wellbeing", None, r"(?:achieving )?economic well(?:-|\s)*being"),
        (
            "@service",
            "safeguarding",
            r"safeguarding(?: services| arrangements)?|(?:arrangements for )?the protection of children"
            r"|child protection",
        ),
    ]
]
_PUBLISHED_IN = re.compile(r"published\s+(?:in|on)\s*$", re.I)
_SINCE = re.compile(r"\bsince\s*$", re.I)


_CONTINUES = re.compile(
    r"(?:[,;:\-–(/&]|\b(?:and|or|of|the|a|an|to|in|for|with|by|on|at|as|its|their|was|were|is|are))$", re.I
)


def _break_spans(text: str) -> list[tuple[int, int]]:
    """The text between sentence breaks: sentences, until short lines cut them (see _sentences_in).

    The breaks are those one finditer of the four _BREAK_PATTERNS joined by "|" would give: a break
    after a full stop may run over line breaks and hide the breaks there, but no break holds a full
    stop, and the one line break a break of the last pattern hides (its second "\n") is never the
    start of a break that a full stop's break does not hide too."""
    breaks = [m.span() for rx in _BREAK_PATTERNS for m in rx.finditer(text)]
    breaks.sort()
    spans, pos = [], 0
    for a, b in breaks:
        if a < pos:
            continue  # hidden in the break before
        brk = a if text[a] == "\n" else a + 1  # after the full stop
        if brk > pos:
            spans.append((pos, brk))
        pos = b
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of the break span text[start:end]: a short line not ending in punctuation (a
    heading, a table row, a page number) also ends a sentence, so table text does not run into the
    prose after it. (All the sentences of a text are those of all its _break_spans.)"""
    out = []
    line_start = text.rfind("\n", 0, start) + 1
    nl = text.find("\n", start, end)
    while nl >= 0:
        line = text[line_start:nl]
        line_start = nl + 1
        # a line of 45 characters or more is short only when stripping white space shortens it
        if len(line) < 45 or line[0].isspace() or line[-1].isspace():
            short = line.strip()
            # _CONTINUES matches at most the last 5 characters
            if short and len(short) < 45 and not _CONTINUES.search(short, max(0, len(short) - 5)):
                if nl > start:
                    out.append((start, nl))
                start = nl + 1
        nl = text.find("\n", nl + 1, end)
    if end > start:
        out.append((start, end))
    return out


def _mentions(text: str, start: int, end: int) -> list[tuple[str, str | None, int, int]]:
    """Area / service mentions in text[start:end]: (key, service, start, end), no overlaps."""
    found = []
    for key, svc, rx in _REP_AREAS:
        for m in rx.finditer(text, start, end):
            found.append((key, svc, m.start(), m.end()))
    found.sort(key=lambda t: (t[2], -(t[3] - t[2])))
    out: list[tuple[str, str | None, int, int]] = []
    for f in found:
        if not any(f[2] < o[3] and o[2] < f[3] for o in out):
            out.append(f)
    return out


_SIF_ONLY_AREAS = {
    "adoption_performance",
    "children_looked_after",
    "leadership_management_governance",
    "lscb_effectiveness",
}


def _infer_framework(
    context: str, when: date | None, areas: set[str], service: str | None
) -> str | None:
    if re.search(r"joint\s+area\s+review|\bJAR\b", context, re.I):
        return "jar"
    if re.search(r"annual\s+performance\s+assessment|\bAPA\b", context, re.I):
        return "apa"
    if re.search(r"unannounced", context, re.I):
        return "unannounced_cra"
    if areas & _SIF_ONLY_AREAS:
        return "sif"
    if re.search(r"\bre-?\s?inspection|single\s+inspection\s+framework|\bSIF\b", context, re.I):
        return "sif"
    if "impact_of_leaders" in areas or re.search(r"\bILACS\b", context):
        return "ilacs"
    if when is None:
        return None
    if service in ("safeguarding", "looked_after_children") or re.search(
        r"safeguarding|looked\s+after|protection\s+of\s+children|child\s+protection", context, re.I
    ):
        if when < date(2009, 1, 1):
            return None
        if when < date(2012, 8, 1):
            return "safeguarding_lac"
        if when < date(2013, 11, 1):
            return "lac_2012" if service == "looked_after_children" else "cp_2012"
    if when >= date(2018, 1, 1):
        return "ilacs"
    if when >= date(2013, 11, 1):
        return "sif"
    return None


def _resolve_area(key: str, framework: str | None, service: str | None) -> tuple[str | None, str]:
    """(area key, service) for a mention, on the framework's vocabulary."""
    if key == "@cla":
        if framework == "sif":
            return "children_looked_after", "children_services"
        if framework == "ilacs":
            return "children_in_care", "children_services"
        if framework == "jar":
            return "looked_after_children", "looked_after_children"
        return "overall_effectiveness", "looked_after_children"
    if key == "@service":
        if framework == "jar":  # a joint area review grades safeguarding and looked after children as areas
            area = "safeguarding" if service == "safeguarding" else "looked_after_children"
            return area, "children_services"
        return "overall_effectiveness", service or "children_services"
    if key == "lscb_effectiveness":
        return key, "lscb"
    default_service = service if service in ("safeguarding", "looked_after_children") else "children_services"
    if framework in ("safeguarding_lac", "cp_2012", "lac_2012") and default_service == "children_services":
        default_service = "looked_after_children" if framework == "lac_2012" else "safeguarding"
    return key, default_service


def _evidence_window(text: str, s_start: int, s_end: int, g_start: int, g_end: int) -> tuple[int, int]:
    start = max(s_start, g_end - 260)
    if start > s_start:
        ws = re.compile(r"\s").search(text, start, g_start)
        start = ws.end() if ws else start
    end = min(s_end, max(g_end + 40, start + 290))
    if end < s_end:
        ws = text.rfind(" ", g_end, end)
        end = ws if ws > g_end else end
    return start, end


def _reported_records(doc: DocText, info: dict, primary_spans: list[tuple[int, int]] = ()) -> list[dict]:
    text = doc.text
    own_start = info.get("inspection_start") or info.get("published_date")
    out: list[dict] = []
    # words one of which every match of _GRADE_RE / _PAST_JUDGED holds: a quick first filter (the
    # sentences holding a grade word, then those of them holding a verb word). Only the break spans
    # holding a grade word (and those before them) are split into sentences.
    spans = _break_spans(text)
    span_starts = [s for s, _e in spans]
    split: dict[int, list[tuple[int, int]]] = {}  # break span index -> its sentences

    def sentences_of(j: int) -> list[tuple[int, int]]:
        if j not in split:
            split[j] = _sentences_in(text, *spans[j])
        return split[j]

    candidates: dict[tuple[int, int], tuple[int, int] | None] = {}  # sentence -> the sentence before it
    for p in _positions(text, ("outstanding", "adequate", "good", "improvement")):
        j = bisect_right(span_starts, p) - 1
        if j < 0 or p >= spans[j][1]:
            continue
        sentences = sentences_of(j)
        for k, (s, e) in enumerate(sentences):
            if s <= p < e:
                if (s, e) not in candidates:
                    before, jj = (sentences[k - 1] if k else None), j
                    while before is None and jj > 0:  # the last sentence of an earlier span
                        jj -= 1
                        before = (sentences_of(jj) or [None])[-1]
                    candidates[(s, e)] = before
                break
    lower = _lower(text)
    for (s, e), before in sorted(candidates.items()):
        verb = _PAST_JUDGED_WORD.search(lower, s, e + _PAST_JUDGED_WORD_MAX - 1)  # a verb word starting before e
        if verb is None or verb.start() >= e:
            continue
        sent = text[s:e]
        if not _PAST_JUDGED.search(sent) or not _GRADE_RE.search(sent):
            continue
        prev = text[before[0] : before[1]] if before else ""
        if not (_INSPECTION_CUE.search(sent) or _INSPECTION_CUE.search(prev)):
            dates = find_date_ranges(sent)
            if not (
                any(sp.granularity != "year" for sp in dates) or (dates and _SERVICES_SUBJECT.search(sent))
            ):
                continue
        if _EXCLUDE.search(sent):
            continue
        if _PRONOUN_SUBJECT.search(sent) and _EXCLUDE.search(prev):
            continue
        if re.search(r"judgements?\s+(?:for|of)\s+the\s+local\s+authority\s+were\s*:", sent, re.I):
            continue  # a list: handled below
        out.extend(_reported_from_sentence(doc, info, s, e, before, own_start, primary_spans))
    out.extend(_reported_lists(doc, info, own_start))
    if info.get("document_type") in ("committee_report", "other"):
        out.extend(_reported_tables(doc, info, own_start))
    return _dedupe_reported(out)


def _dates_in(text: str, start: int, end: int, before: date | None) -> tuple[list, date | None]:
    """(inspection date spans, publication date) printed in text[start:end]."""
    spans, published = [], None
    for span in find_date_ranges(text[start:end]):
        abs_start = start + span.start_offset
        lead = text[max(0, abs_start - 20) : abs_start]
        if _PUBLISHED_IN.search(lead):
            published = span.start
            continue
        if _SINCE.search(lead) or span.start.year < 2004:
            continue
        if before is not None and span.start >= before:
            continue
        spans.append(replace(span, start_offset=abs_start, end_offset=start + span.end_offset))
    return spans, published


def _distance(span, gm: re.Match) -> int:
    """Characters between a date span (absolute offsets) and a grade."""
    if span.end_offset <= gm.start():
        return gm.start() - span.end_offset
    return max(0, span.start_offset - gm.end())


def _reported_from_sentence(
    doc: DocText,
    info: dict,
    s: int,
    e: int,
    prev: tuple[int, int] | None,
    own_start: date | None,
    primary_spans: list[tuple[int, int]] = (),
) -> list[dict]:
    text = doc.text
    # a table row of this document's own grades run into the sentence: start after it
    for a, b in primary_spans:
        if s <= b < e:
            s = max(s, b)
    s = _WS.match(text, s).end()
    sent = text[s:e]
    grades = []
    for gm in _REPORTED_GRADE.finditer(text, s, e):
        if any(a < gm.end() and gm.start() < b for a, b in primary_spans):
            continue  # this document's own grade
        before = text[max(s, gm.start() - 60) : gm.start()]
        after = text[gm.end() : min(e, gm.end() + 30)]
        if (
            _QUALIFIER_BEFORE.search(before)
            or _OR_AFTER.search(after)
            or _NEGATED.search(before)
            or _PRESENT_JUDGED.search(before)
        ):
            continue
        if not _ALLOWED_AFTER.search(after) and not (
            _JUDGEMENT_OF_BEFORE.search(before) and _named_after(text, gm.end(), e)
        ):
            continue
        grades.append(gm)
    if not grades:
        return []
    spans, published = _dates_in(text, s, e, own_start)
    prev_text = text[prev[0] : prev[1]] if prev else ""
    context_start = s
    if not spans and prev:
        spans, pub2 = _dates_in(text, prev[0], prev[1], own_start)
        published = published or pub2
        if (spans or pub2) and e - prev[0] <= 300:
            context_start = prev[0]  # quote the sentence that dates the inspection too
    # the framework is read from the sentence; from the one before too when this one only refers
    # back to it ("The local authority was judged to be good.")
    context = sent if _INSPECTION_CUE.search(sent) else prev_text + " " + sent
    # the service the sentence (else the previous sentence) describes
    context_service = None
    for rng in ((s, e), prev) if prev else ((s, e),):
        for key, svc, _a, _b in _mentions(text, rng[0], rng[1]):
            if key == "@service":
                context_service = svc
                break
        if context_service:
            break
    many = len(spans) > 1 and re.search(r"inspections\b", context, re.I)
    out = []
    prev_end = s
    for gi, gm in enumerate(grades):
        next_start = grades[gi + 1].start() if gi + 1 < len(grades) else e
        # areas named after the grade ("good for safeguarding", "inadequate in respect of ...")
        after_end = next_start
        cut = _CLAUSE_CUT.search(text, gm.end(), after_end)
        if cut:
            after_end = cut.start()
        after = text[gm.end() : after_end]
        mentions = []
        lead = _AREA_AFTER_LEAD.match(after)
        if lead:
            mentions = _chain(text, _mentions(text, gm.end(), after_end), gm.end() + lead.end())
        elif _JUDGEMENT_OF_BEFORE.search(text, max(s, gm.start() - 60), gm.start()):
            # "the Joint Area Review 2006 judgement of inadequate safeguarding": the area follows the grade
            named = _named_after(text, gm.end(), after_end)
            mentions = [named] if named else []
        if not mentions:
            b_start = prev_end
            for c in _CLAUSE_CUT.finditer(text, prev_end, gm.start()):
                b_start = c.end()
            mentions = _subject_mentions(text, b_start, gm.start())
        prev_end = gm.end()
        area_mentions = [m for m in mentions if m[0] != "@service"]
        service_mentions = [m for m in mentions if m[0] == "@service"]
        service = service_mentions[0][1] if service_mentions else context_service
        targets = area_mentions or service_mentions or [("overall_effectiveness", None, -1, -1)]
        if many:
            chosen_spans = spans
        elif len(spans) > 1:
            # several inspections in one sentence: each grade takes the date printed nearest to it
            chosen_spans = [min(spans, key=lambda sp: _distance(sp, gm))]
        elif spans and len(grades) > 1 and _dated_elsewhere(text, s, e, spans[0], gm, grades):
            chosen_spans = []  # "judged inadequate in 2016 but has since been judged good": not 2016
        else:
            chosen_spans = spans[:1]
        for span in chosen_spans or [None]:
            when = span.start if span else (published if published else None)
            raw_keys = {t[0] for t in targets}
            framework = _infer_framework(context, when, raw_keys, service)
            if framework is not None and grade_scale(framework) is None:
                continue  # an ungraded visit or inspection
            for key, svc, a, b in targets:
                area_key, row_service = _resolve_area(key, framework, svc or service)
                if area_key is None:
                    continue
                if a >= 0:
                    area_printed = text[a:b]
                elif service_mentions or context_service:
                    area_printed = AREA_VOCABULARY[area_key]["label"]
                else:
                    area_printed = AREA_VOCABULARY[area_key]["label"]
                number = int(gm.group("number")) if gm.group("number") else None
                ev_start, ev_end = _evidence_window(text, context_start, e, gm.start(), gm.end())
                out.append(
                    _make_record(
                        doc, framework=framework, service=row_service, area=area_printed, key=area_key,
                        grade=gm.group("grade"), number=number, source_kind="reported",
                        start=ev_start, end=ev_end,
                        inspection=(span.start, span.end) if span else (None, None),
                        order=gm.start(),
                    )
                )
    return _without_contradictions(out)


_JUDGEMENT_OF_BEFORE = re.compile(r"\bjudge?ments?\s+of\s+['‘\"]?$", re.I)
# a finite verb: the start of a clause whose subject is not the judged one
_FINITE_VERB = re.compile(r"\b(?:was|were|is|are|has|have|had|been)\b", re.I)
_JUDGED_VERB = re.compile(
    r"\b(?:was|were|is|are|been|being)\s+(?:\w+\s+){0,3}?(?:judged|found|rated|graded|assessed|deemed|considered)\b",
    re.I,
)
_PREPOSITION_BEFORE = re.compile(r"\b(?:for|to|in|on|of|with|about|from|by)\s+(?:the\s+|its\s+|their\s+)?$", re.I)


# what may follow a grade before the areas it applies to ("good for safeguarding", "inadequate overall")
_AREA_AFTER_LEAD = re.compile(
    r"['’\"]?\s*(?=overall\b)|['’\"]?\s*(?:for|in\s+respect\s+of|in\s+relation\s+to|across|in)\s+",
    re.I,
)
_CHAIN_GAP = re.compile(r"[\s,]*(?:(?:and|or|&|as\s+well\s+as)\s+)?(?:(?:for|in|across)\s+)?(?:the\s+|its\s+)?$", re.I)


def _chain(text: str, mentions: list, pos: int) -> list:
    """The areas named one after another from ``pos`` ("for children looked after, care leavers and
    overall effectiveness"): the first must follow at once; the chain ends at other words."""
    out = []
    for m in mentions:
        gap = text[pos : m[2]]
        if len(gap) > 30 or not _CHAIN_GAP.fullmatch(gap):
            break
        out.append(m)
        pos = m[3]
    return out


def _clause_of(text: str, s: int, e: int, pos: int) -> tuple[int, int]:
    start, end = s, e
    for c in _CLAUSE_CUT.finditer(text, s, e):
        if c.end() <= pos:
            start = c.end()
        elif c.start() >= pos:
            end = c.start()
            break
    return start, end


_LATER = re.compile(r"\b(?:since|subsequently|later|now|recently)\b", re.I)


def _dated_elsewhere(text: str, s: int, e: int, span, gm: re.Match, grades: list) -> bool:
    """True when the grade's clause describes a later event ("but has since been judged good") and the
    sentence's one date sits in another clause, beside another grade."""
    a, b = _clause_of(text, s, e, gm.start())
    if a <= span.start_offset < b or not _LATER.search(text, a, gm.start()):
        return False
    for other in grades:
        if other is gm:
            continue
        oa, ob = _clause_of(text, s, e, other.start())
        if oa <= span.start_offset < ob:
            return True
    return False


def _named_after(text: str, pos: int, end: int) -> tuple | None:
    """The area named directly after ``pos`` ("inadequate safeguarding"), or None."""
    for m in _mentions(text, pos, min(end, pos + 80)):
        if m[2] - pos <= 3:
            return m
    return None


def _subject_mentions(text: str, start: int, grade_start: int) -> list[tuple[str, str | None, int, int]]:
    """Area mentions in text[start:grade_start] that can be the subject of the judgement before the
    grade: not the object of an earlier clause ("improvements had been made for children in care
    services and adoption services were judged to be good" -- adoption only)."""
    mentions = _mentions(text, start, grade_start)
    verb = None
    for verb in _JUDGED_VERB.finditer(text, start, grade_start):
        pass
    if verb is None or len(mentions) < 2:
        return mentions
    earlier = [v for v in _FINITE_VERB.finditer(text, start, verb.start())]
    if not earlier:
        return mentions
    first_verb_end = earlier[0].end()
    return [
        m
        for m in mentions
        if not (m[2] >= first_verb_end and _PREPOSITION_BEFORE.search(text, max(start, m[2] - 25), m[2]))
    ]


def _without_contradictions(records: list[dict]) -> list[dict]:
    """One statement giving the same area of the same inspection two different grades ("inadequate in
    respect of ... care leavers ..., while ... care leavers ... were found to require improvement")
    cannot be trusted for that area: both are dropped."""
    grades: dict[tuple, set] = {}
    for r in records:
        grades.setdefault((r["service"], r["judgement_area_key"], r["inspection_start"]), set()).add(
            r["harmonised_grade"]
        )
    return [r for r in records if len(grades[(r["service"], r["judgement_area_key"], r["inspection_start"])]) == 1]


_LIST_INTRO = re.compile(r"judgements?\s+(?:for|of)\s+the\s+local\s+authority\s+(?:were|was)\s*:", re.I)
_LIST_ITEM = re.compile(
    rf"\s*(?:[-•*]\s*)?(?P<area>[A-Za-z][^:\n]{{2,80}}?(?:\n[^:\n]{{2,60}}?)?)\s*:\s*(?P<grade>{GRADE})\.?", re.I
)


def _reported_lists(doc: DocText, info: dict, own_start: date | None) -> list[dict]:
    """'The judgements for the local authority were: / Overall effectiveness: Inadequate / ...'."""
    text = doc.text
    out = []
    for intro in _scan(_LIST_INTRO, text, ("judgement",), back=0, ahead=80):
        ctx_start = max(0, text.rfind("\n", 0, max(0, intro.start() - 200)))
        spans, published = _dates_in(text, ctx_start, intro.start(), own_start)
        context = text[ctx_start : intro.end()]
        pos = intro.end()
        items = []
        while True:
            m = _LIST_ITEM.match(text, pos)
            if not m:
                break
            items.append(m)
            pos = m.end()
        keys = set()
        parsed = []
        for m in items:
            mentions = [x for x in _mentions(text, m.start("area"), m.end("area"))]
            if not mentions:
                continue
            key = mentions[0][0]
            keys.add(key)
            parsed.append((m, key))
        when = spans[0].start if spans else published
        framework = _infer_framework(context, when, keys | {"@list"}, None)
        if framework is None and {"@cla", "help_and_protection", "overall_effectiveness"} & keys and when:
            framework = "sif" if when < date(2018, 1, 1) else "ilacs"
        for m, key in parsed:
            area_key, service = _resolve_area(key, framework, None)
            if area_key is None:
                continue
            out.append(
                _make_record(
                    doc, framework=framework, service=service, area=m.group("area"), key=area_key,
                    grade=m.group("grade"), number=None, source_kind="reported",
                    start=m.start("area"), end=m.end("grade"),
                    inspection=(spans[0].start, spans[0].end) if spans else (None, None), order=m.start(),
                )
            )
    return out


_TABLE_AREAS = (
    _ILACS_AREAS
    + _SIF_AREAS
    + _areas(
        [  # the short labels council reports use when they restate a judgement table
            ("impact_of_leaders", r"(?:The )?impact of leaders(?: on (?:social work )?practice)?"),
            ("help_and_protection", r"(?:Children who need )?help and protection"),
            ("children_in_care", r"Children in care(?: and care leavers)?"),
            ("care_leavers", r"Care leavers"),
        ]
    )
)


_TABLE_FIRST = re.compile("|".join(f"(?:{rx.pattern})" for _k, rx in _TABLE_AREAS), re.I)


def _reported_tables(doc: DocText, info: dict, own_start: date | None) -> list[dict]:
    """A council report restating an inspection's judgement table (ILACS or SIF areas and grades)."""
    text = doc.text
    out = []
    pos = 0
    # a table's first area is followed by its grade: search only before the grade words
    for m in _scan(_TABLE_FIRST, text, ("outstanding", "adequate", "good", "improvement"), back=250, ahead=60):
        if m.start() < pos:
            continue
        pairs = _sequential_pairs(text, _TABLE_AREAS, m.start(), len(text))
        if len(pairs) < 2:
            continue
        pos = pairs[-1][2].end()
        before_start = max(0, pairs[0][1].start() - 800)
        spans, published = _dates_in(text, before_start, pairs[0][1].start(), own_start)
        spans = spans[-1:]  # the date nearest the table
        keys = {k for k, _a, _g in pairs}
        when = spans[0].start if spans else published
        framework = _infer_framework(text[before_start : pairs[0][1].start()], when, keys, None)
        for key, am, gm in pairs:
            out.append(
                _make_record(
                    doc, framework=framework, service="children_services", area=am.group(0), key=key,
                    grade=gm.group("grade"), number=None, source_kind="reported", start=am.start(), end=gm.end(),
                    inspection=(spans[0].start, spans[0].end) if spans else (None, None), order=am.start(),
                )
            )
    return out


def _dedupe_reported(records: list[dict]) -> list[dict]:
    """One row per reported judgement: the same grade of the same area of the same inspection, stated
    again, is kept once (the statement with the most precise date, else the first)."""
    kept: list[dict] = []
    for r in sorted(records, key=lambda r: r["_order"]):
        dup = None
        for k in kept:
            if (k["service"], k["judgement_area_key"], k["harmonised_grade"]) != (
                r["service"], r["judgement_area_key"], r["harmonised_grade"]
            ):
                continue
            if k["framework"] and r["framework"] and k["framework"] != r["framework"]:
                continue
            ks, ke, rs, re_ = k["inspection_start"], k["inspection_end"], r["inspection_start"], r["inspection_end"]
            if ks is None or rs is None or (ks <= re_ and rs <= ke):
                dup = k
                break
        if dup is None:
            kept.append(r)
            continue
        def width(x):
            return (x["inspection_end"] - x["inspection_start"]).days if x["inspection_start"] else 10**6
        if width(r) < width(dup):
            kept[kept.index(dup)] = r
    return kept


# ---------------------------------------------------------------------------------------------
# records, the public entry points and cross-checks
# ---------------------------------------------------------------------------------------------


def _make_record(
    doc: DocText,
    *,
    framework: str | None,
    service: str,
    area: str,
    key: str,
    grade: str | None,
    number: int | None,
    source_kind: str,
    start: int,
    end: int,
    inspection: tuple[date | None, date | None],
    order: int,
) -> dict:
    page, line, evidence = _evidence(doc, start, end)
    word = clean_grade(grade) if grade else None
    if word is None and framework and number is not None:
        word = scale_word(framework, number)
    harmonised = _harmonised(framework, word if grade else None, number)
    return {
        "inspection_start": inspection[0],
        "inspection_end": inspection[1],
        "framework": framework,
        "service": service,
        "judgement_area": _clean_area(area),
        "judgement_area_key": key,
        "parent_area_key": parent_area(framework, key),
        "grade": word,
        "grade_number": number,
        "grade_scale": grade_scale(framework),
        "harmonised_grade": harmonised,
        "harmonised_rank": HARMONISED_RANK.get(harmonised) if harmonised else None,
        "source_kind": source_kind,
        "evidence_page": page,
        "evidence_line": line,
        "evidence_text": evidence,
        "_order": order,
    }


_READERS = {
    "ilacs": _ilacs_readings,
    "sif": _sif_readings,
    "safeguarding_lac": _slac_readings,
    "cp_2012": _slac_readings,
    "lac_2012": _slac_readings,
    "apa": _apa_readings,
    "jar": _jar_readings,
}
_SOURCE_PRIORITY = [
    "headline",
    "judgement_table",
    "record_of_main_findings",
    "grade_line",
    "inline",
    "section_heading",
    "graded_statement",
    "prose",
]


def _graded(info: dict) -> bool:
    fw = info.get("framework")
    return (
        info.get("document_type") in ("inspection_report", "inspection_letter")
        and fw is not None
        and grade_scale(fw) is not None
    )


def extract_judgements_with_readings(doc: DocText, info: dict) -> tuple[list[dict], list[dict]]:
    """(records, readings): see the module docstring. Readings are those of primary grades only."""
    framework = info.get("framework")
    readings: list[dict] = []
    primary: list[dict] = []
    if _graded(info) and framework in _READERS:
        regions = _reported_regions(doc.text)
        readings = [
            r for r in _READERS[framework](doc, info) if not any(a <= r["_start"] < b for a, b in regions)
        ]
        chosen: dict[tuple[str, str], dict] = {}
        for r in readings:
            k = (r["service"], r["judgement_area_key"])
            best = chosen.get(k)
            rank = (_SOURCE_PRIORITY.index(r["reading_source"]), r["_start"])
            if best is None or rank < (_SOURCE_PRIORITY.index(best["reading_source"]), best["_start"]):
                chosen[k] = r
        for r in sorted(chosen.values(), key=lambda r: r["_start"]):
            if r["reading_source"] == "prose" and framework != "sif":
                continue  # prose alone is a cross-check, not a judgement
            primary.append(
                _make_record(
                    doc, framework=framework, service=r["service"], area=r["judgement_area"],
                    key=r["judgement_area_key"], grade=r["grade"] if r["_grade_printed"] else None,
                    number=r["grade_number"], source_kind="primary", start=r["_start"], end=r["_end"],
                    inspection=(info.get("inspection_start"), info.get("inspection_end")), order=r["_start"],
                )
            )
    reported = _reported_records(doc, info, [(r["_start"], r["_end"]) for r in readings])
    records = [_public(r, RECORD_KEYS) for r in primary + reported]
    return records, [_public(r, READING_KEYS) for r in readings]


_PREVIOUS_SECTION = re.compile(_p(r"(?:Previous|Other) Ofsted inspections"), re.I)
_SECTION_AFTER = re.compile(
    _p(r"Local leadership|Other information about this area|Children living in this area|Information about this"),
    re.I,
)


def _block_end(text: str, start: int, limit: int) -> int:
    """End of a short listing: the first blank line, or ``limit``."""
    blank = re.search(r"\n[ \t]*\n", text[start:limit])
    return start + blank.start() if blank else limit


def _reported_regions(text: str) -> list[tuple[int, int]]:
    """Spans of text that state other inspections' grades (never this document's own)."""
    regions = []
    for m in _scan(_PREVIOUS_SECTION, text, ("ofsted",), back=20, ahead=40):
        limit = m.end() + 1000
        end = _SECTION_AFTER.search(text, m.end(), limit)
        regions.append((m.start(), end.start() if end else _block_end(text, m.end(), limit)))
    for intro in _scan(_LIST_INTRO, text, ("judgement",), back=0, ahead=80):
        pos = intro.end()
        while True:
            item = _LIST_ITEM.match(text, pos)
            if not item:
                break
            pos = item.end()
        regions.append((intro.start(), pos))
    return regions


def _public(r: dict, keys: tuple[str, ...]) -> dict:
    return {k: r.get(k) for k in keys}


def extract_judgements(doc: DocText, info: dict) -> list[dict]:
    """Primary and reported judgements of ``doc`` (``info`` = classify(doc))."""
    return extract_judgements_with_readings(doc, info)[0]


def _is_lscb_review_only(info: dict) -> bool:
    title = (info.get("title") or "").lower()
    return info.get("framework") == "sif" and "safeguarding children board" in title and "inspection of" not in title


def headline_area_keys(info: dict) -> list[tuple[str, str]]:
    """(service, area key) pairs a graded document of this kind must yield as primary judgements."""
    fw = info.get("framework")
    if not _graded(info):
        return []
    if _is_lscb_review_only(info):
        return [("lscb", "lscb_effectiveness")]
    if fw == "ilacs":
        start = info.get("inspection_start")
        if start is not None and start >= ILACS_NO_OVERALL_FROM:
            return [
                ("children_services", k)
                for k in ("impact_of_leaders", "help_and_protection", "children_in_care", "care_leavers")
            ]
        return [("children_services", "overall_effectiveness")]
    if fw == "safeguarding_lac":
        if re.search(r"inspection\s+of\s+safeguarding\s+(?:services|arrangements)", info.get("title") or "", re.I):
            return [("safeguarding", "overall_effectiveness")]  # a safeguarding inspection on its own
        return [("safeguarding", "overall_effectiveness"), ("looked_after_children", "overall_effectiveness")]
    if fw == "cp_2012":
        return [("safeguarding", "overall_effectiveness")]
    if fw == "lac_2012":
        return [("looked_after_children", "overall_effectiveness")]
    if fw in ("sif", "apa"):
        return [("children_services", "overall_effectiveness")]
    return []


def cross_check(
    info: dict,
    records: list[dict],
    readings: list[dict],
    source: str | None = None,
    doc: DocText | None = None,
) -> list[str]:
    """Failures, as sentences naming the document (``source``), the area and what disagrees."""
    src = source or (doc.source if doc is not None else "document")
    failures: list[str] = []
    fw = info.get("framework")
    # (1) an area graded more than once: the readings agree
    by_area: dict[tuple[str, str], list[dict]] = {}
    for r in readings:
        by_area.setdefault((r["service"], r["judgement_area_key"]), []).append(r)
    for (service, key), rs in by_area.items():
        graded = [r for r in rs if r["harmonised_grade"]]
        if len({r["harmonised_grade"] for r in graded}) > 1:
            first = graded[0]
            for other in graded[1:]:
                if other["harmonised_grade"] != first["harmonised_grade"]:
                    failures.append(
                        f"{src}: area {key} ({service}): {READING_SOURCES[first['reading_source']]} says "
                        f"{first['grade']} (page {first['evidence_page']}), {READING_SOURCES[other['reading_source']]} "
                        f"says {other['grade']} (page {other['evidence_page']})"
                    )
                    break
    # (2) a printed number agrees with its word on the framework's scale
    for r in readings + records:
        number = r.get("grade_number")
        word = r.get("grade")
        r_fw = r.get("framework", fw)
        if number is None or not word or r_fw is None:
            continue
        by_number = harmonise_number(r_fw, number)
        by_word = harmonise_word(word)
        if by_number and by_word and by_number != by_word:
            failures.append(
                f"{src}: area {r['judgement_area_key']}: grade {number} means {by_number} on the {r_fw} scale "
                f"but the word is {word!r} (page {r['evidence_page']})"
            )
    primary = [r for r in records if r["source_kind"] == "primary"]
    have = {(r["service"], r["judgement_area_key"]) for r in primary}
    # (3) a graded inspection report yields its headline judgement(s)
    for service, key in headline_area_keys(info):
        if (service, key) not in have:
            failures.append(f"{src}: {fw} {info.get('document_type')} has no {key} judgement ({service})")
    if _graded(info) and not primary:
        failures.append(f"{src}: graded {fw} {info.get('document_type')} yielded no judgements")
    # (4) an ungraded document yields no primary judgements
    if not _graded(info) and primary:
        failures.append(
            f"{src}: ungraded {info.get('document_type')} ({fw}) yielded {len(primary)} primary judgements"
        )
    # (5) the vocabulary and the evidence
    for r in records:
        if r["judgement_area_key"] not in AREA_VOCABULARY:
            failures.append(f"{src}: area key {r['judgement_area_key']!r} is not in AREA_VOCABULARY")
        if r["service"] not in SERVICE_VOCABULARY:
            failures.append(f"{src}: service {r['service']!r} is not in SERVICE_VOCABULARY")
        if r["harmonised_grade"] is None:
            failures.append(f"{src}: area {r['judgement_area_key']}: grade {r['grade']!r} cannot be harmonised")
        if doc is not None and not doc.contains_quote(r["evidence_text"]):
            failures.append(
                f"{src}: area {r['judgement_area_key']}: evidence is not a quote of the document: "
                f"{r['evidence_text'][:80]!r}"
            )
    seen = {}
    for r in primary:
        k = (r["service"], r["judgement_area_key"])
        if k in seen:
            failures.append(f"{src}: area {k[1]} ({k[0]}) has two primary judgements")
        seen[k] = r
    return failures
