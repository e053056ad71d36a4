"""Indicators: the numbers a document states, with what they measure, for when, against what.

Plain Python (no Dagster): text in, records out.

Public functions
----------------
``extract_indicators(doc, info) -> list[dict]``
    One record per numeric fact stated in the document's prose (tables are left to
    ``indicators_from_tables``). ``info`` carries document facts: ``published_date``,
    ``period_start``, ``period_end`` (``datetime.date`` or None), ``la_name``, ``document_type``,
    ``framework``.
``indicators_from_tables(cells, doc, info) -> list[dict]``
    Numeric cells of extracted tables that are measures (cells as in the ``tables`` resource:
    ``table_index, row_index, column_index, header, value, evidence_page, evidence_line``).
``check_indicators(records, doc) -> list[str]``
    Human-readable failures (document, page/line, reason) of the published rules.

Record keys (exactly these)
---------------------------
``indicator_key`` catalogue key (see :mod:`pipeline.catalogue`) or None;
``indicator_label`` what is measured, a short lower-case noun phrase from the sentence
("children looked after by the local authority", "care leavers in suitable accommodation");
``value_type`` ``actual`` | ``target`` | ``comparator``;
``comparison_group`` whose figure it is, see ``COMPARISON_GROUPS``: ``local_authority`` (the
authority's own figure, also for targets), ``england``, ``statistical_neighbours``, ``region``,
``similar_areas`` (similar / comparable authorities), ``neighbouring_authorities``,
``other_local_authorities``, ``comparators`` (unspecified);
``value`` float; ``unit`` see ``UNIT_VOCABULARY``: ``count``, ``percent``, ``percentage_points``,
``rate_per_10000``, ``rate_per_1000``, ``rate_per_100000``, ``gbp``, ``days``, ``weeks``,
``months``, ``years``, ``hours``, ``fte``, ``ratio``; ``raw_value`` the number as printed with its
unit ("£1.5 million", "60,3 %", "Ninety-two", "78.7 per 10,000");
``is_change`` True when the value is a change or a difference ("increased by 5 percentage
points", "a 37% growth", "30% better than the national average", "3.1% below target");
``period_label`` the period as stated ("at 31 March 2014", "2011 - 2012", "In the last 12
months") or None; ``period_start``/``period_end`` ISO dates (``datetime.date``) where they can be
derived: a financial year "2012-13" is 2012-04-01..2013-03-31 (an academic year, 09-01..08-31,
when the sentence is about schools or exams), "at 31 March 2014" is 2014-03-31..2014-03-31, "in
2009" is the calendar year, "in July 2013" the month; relative periods ("in the last 12
months") have no dates;
``geographic_level`` ``Local authority`` | ``National`` (England figures) | ``Regional`` (statistical
neighbour and similar-area averages stay ``Local authority``: they are the authority's benchmark);
``evidence_page``, ``evidence_line`` (1-based, where the quote starts), ``evidence_text`` (a
verbatim whitespace-normalised substring of the document, <= 300 characters, carrying the
number, with no leading bullet, "=", "+", "-" or "@").

How it works
------------
Page text is cut into blocks (paragraphs, bullets, headings; page numbers, footnotes and table
rows left out; a sentence broken across a page boundary is joined), blocks into sentences, and
each sentence is scanned for numbers (:mod:`pipeline.numbers`). A number is kept only when it
measures something: it has a unit (%, per 10,000, £, FTE) or counts something named next to it
("185 Initial Assessments"), or is the value of a named subject ("the average caseload ... at
20"). Its label comes from the words after it ("N% of X", "N X ...") or the subject before it
("X is N"), else from the number it is attached to ("(or 51%)", "from 222 ... to 189", "of whom
83% ..."), the lead-in of a bullet list ("The proportion of children entitled to free school
meals:" / "in primary schools is 21%"), or the current topic ("Chart 11 shows ...", a heading).
A sentence that refers back ("This compares with 75% nationally", "The figure for 2014-15 is 1%")
takes the measure of the sentence just before, in the same unit, or of a chart or heading; never
a topic guessed from an older paragraph. Lists name each item's own subject ("11% in mathematics,
8% in reading", "28% of children returned to their parents' care, 64% to kinship arrangements").

Precision comes first: a wrong row is worse than a missing one. Before a row is published
(``_credible``) it is dropped when its label is not a measure (a comparison group, a place, an
agent such as "the local authority", a school subject alone, a bare "children"/"cases", a
fragment that starts or ends mid-clause), when the number is hypothetical ("we would have 430",
"a higher rate than 80%"), a bound or threshold ("falls below 85%", "a maximum of two"), the
inspection's or an audit's own evidence ("discussions with 65 children", "a sample of seven
health assessments", "inspectors tracked 30 cases"), a count of meetings, groups, posts or
documents, or a small word-count of something that is not a service's population or events.
Planned numbers ("aiming to work with a further 470 families") are targets. A part of a
population ("six children ... under the category of neglect") does not carry the population's
key (see :mod:`pipeline.catalogue`).

Speed: every pattern is compiled once at module level; cheap tests (a digit, a number word, a
keyword, the start of a word, the last word of the text a pattern anchored at its end must match)
guard the expensive patterns, and give the same result as the pattern alone; pure helpers on
labels and sentences are cached; sentences without numbers stop after
:func:`pipeline.numbers.find_numbers`.
``info["la_name"]`` only tidies labels ("... live in Peterborough"); the other ``info`` fields are
not needed (relative periods such as "in the last 12 months" keep their label and get no dates).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from datetime import date

from pipeline.catalogue import (
    CATALOGUE_KEYS,
    COMPARISON_GROUPS,
    GEOGRAPHIC_LEVELS,
    UNIT_VOCABULARY,
    VALUE_TYPES,
    classify_indicator,
)
from pipeline.numbers import _WORD_NUM as _WORD_NUM_RE
from pipeline.numbers import _NUMBER_WORDS
from pipeline.numbers import Num, Period, find_numbers, find_periods
from pipeline.text import DocText, normalise_space

RECORD_KEYS = (
    "indicator_key", "indicator_label", "value_type", "comparison_group", "value", "unit",
    "period_label", "period_start", "period_end", "geographic_level", "evidence_page",
    "evidence_line", "evidence_text", "is_change", "raw_value",
)


# ============================================================================================
# blocks and sentences


@dataclass
class Block:
    kind: str  # para | bullet | heading
    text: str = ""
    segs: list = field(default_factory=list)  # (text_start, doc_start, length)

    def add(self, line: str, doc_start: int) -> None:
        text = self.text + " " if self.text else ""
        self.segs.append((len(text), doc_start, len(line)))
        self.text = text + line

    def doc_offset(self, i: int) -> int | None:
        for ts, ds, n in self.segs:
            if ts <= i < ts + n:
                return ds + (i - ts)
        return None

    def run_bounds(self, i: int, doc_text: str) -> tuple[int, int]:
        """Text range [a, b) around position i whose lines are contiguous in the document."""
        idx = next((k for k, (ts, _, n) in enumerate(self.segs) if ts <= i < ts + n), None)
        if idx is None:
            return 0, len(self.text)
        lo = idx
        while lo > 0:
            pts, pds, pn = self.segs[lo - 1]
            _, ds, _ = self.segs[lo]
            if doc_text[pds + pn:ds].strip():
                break
            lo -= 1
        hi = idx
        while hi + 1 < len(self.segs):
            ts, ds, n = self.segs[hi]
            _, nds, _ = self.segs[hi + 1]
            if doc_text[ds + n:nds].strip():
                break
            hi += 1
        return self.segs[lo][0], self.segs[hi][0] + self.segs[hi][2]


_PAGE_NUM_LINE = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.I)
_NUMBER_ONLY_LINE = re.compile(r"^\s*(?:\(?\d{1,3}(?:\.\d{1,3})*\.?\)?|[a-z]\)|\(?[ivx]{1,4}\))\s*$")
_FOOTNOTE_START = re.compile(r"^\s*\d{1,2}(?:\s|$)")
_TABLE_LINE = re.compile(r"^\s*\||\t|\.{5,}|…{2,}")
_BULLET_LINE = re.compile(r"^(?:\s{2,}(?=\S)|\s*[-*•\u2013\u2014\u25aa]\s+)")
_NUMBERED_LINE = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*\.\s+(?=[A-Z(‘'\"“])|\d{1,2}(?:\.\d{1,2})+\s+(?=[A-Z])|\d{1,3}\.(?=[A-Z]))")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_ENDS_PAGE_NUM = re.compile(r"[A-Za-z,’')]\s+\d{1,3}\s*$")


def _page_lines(page: str, page_offset: int) -> list[tuple[str, int]]:
    out, pos = [], 0
    for line in page.split("\n"):
        out.append((line, page_offset + pos))
        pos += len(line) + 1
    return out


_DIGIT_SEQ = re.compile(r"\d+")


@functools.lru_cache(maxsize=8192)
def _header_key(line: str) -> str:
    return _DIGIT_SEQ.sub("#", normalise_space(line)).lower()


_THREE_LOWER = re.compile(r"[a-z]{3}")


def _edge_nonblank(lines: list[str], k: int = 3) -> list[int]:
    """The indices of the first ``k`` and the last ``k`` non-blank lines (``nonblank[:k] +
    nonblank[-k:]``), without looking at the lines in between."""
    first = []
    for i, line in enumerate(lines):
        if line.strip():
            first.append(i)
            if len(first) == k:
                break
    last = []
    for i in range(len(lines) - 1, first[-1] if first else -1, -1):
        if lines[i].strip():
            last.append(i)
            if len(last) == k:
                break
    # (the last lines may include some of the first when there are fewer than 2k)
    if len(last) < k:
        last += [i for i in reversed(first) if i not in last][: k - len(last)]
    return first + last[::-1]


def _running_lines(doc: DocText) -> set[str]:
    """Running headers and footers: the same line (digits aside) among the first or last lines of
    many pages ("Inspection of X local authority children's services / 20 to 24 January 2025 4")."""
    if len(doc.pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for page in doc.pages:
        lines = page.split("\n")
        for key in {_header_key(lines[i]) for i in _edge_nonblank(lines)}:
            counts[key] = counts.get(key, 0) + 1
    need = max(3, len(doc.pages) // 3)
    return {k for k, c in counts.items() if c >= need and len(k) > 3 and _THREE_LOWER.search(k)}


# a line opening with a page number then a capitalised word: "12 Children ..."
_PAGE_NUM_THEN_WORD = re.compile(r"^\s*\d{1,2}\s+[A-Z][A-Za-z]+\s")


def _strip_page_furniture(lines: list[tuple[str, int]], running: set[str] = frozenset(), pdf: bool = False) -> tuple[list, list]:
    """(lines, junk flags): running headers, page numbers at the top/bottom, a footnote block at
    the bottom and the blank lines around them are junk, so a sentence can run on across the
    page break."""
    n = len(lines)
    junk = [False] * n
    nonblank = all_nonblank = [i for i, (l, _) in enumerate(lines) if l.strip()]
    for i in nonblank[:3] + nonblank[-3:]:
        if _header_key(lines[i][0]) in running:
            junk[i] = True
    nonblank = [i for i in nonblank if not junk[i]]
    for i in nonblank[:2]:
        if _PAGE_NUM_LINE.match(lines[i][0]):
            junk[i] = True
            break
    for i in reversed(nonblank[-2:]):
        if _PAGE_NUM_LINE.match(lines[i][0]):
            junk[i] = True
            break
    # footnotes: after a blank line among the page's final lines, a small number opens a note
    tail = [i for i in nonblank[-6:] if not junk[i]]
    if tail:
        for i in range(max(tail[0] - 1, 0), n):
            if lines[i][0].strip():
                continue
            j = i + 1
            while j < n and not lines[j][0].strip():
                j += 1
            if j < n and j >= tail[0] and not junk[j] and _FOOTNOTE_START.match(lines[j][0]) and not _PERCENTISH.search(lines[j][0][:14]):
                rest = [k for k in range(j, n) if lines[k][0].strip() and not junk[k]]
                if 1 <= len(rest) <= 8 and sum(len(lines[k][0]) for k in rest) < 900:
                    for k in range(j, n):
                        junk[k] = True
                    break
    # a footnote without a blank line before it: "1 The areas for improvement have been ..."
    if pdf:
        last_nine = nonblank[-9:]
        for i in [i for i in last_nine if not junk[i]]:
            if not _PAGE_NUM_THEN_WORD.match(lines[i][0]):
                continue
            rest = [k for k in last_nine if k >= i and not junk[k]]  # (i is among the last nine)
            if len(rest) <= 8 and sum(len(lines[k][0]) for k in rest) < 900 and not _PERCENTISH.search(lines[i][0][:14]):
                for k in range(i, n):
                    junk[k] = True
                break
    # blank lines before the first and after the last content line
    first = next((i for i in all_nonblank if not junk[i]), None)
    if first is not None:
        last = next(i for i in reversed(all_nonblank) if not junk[i])
        for i in range(0, first):
            junk[i] = True
        for i in range(last + 1, n):
            junk[i] = True
    return lines, junk


def _ends_stop(text: str) -> bool:
    """``text`` ends a sentence or clause: a full stop, colon ... followed only by non-word
    characters (as ``[.!?:;]\\W*$``, without scanning the whole text)."""
    for c in reversed(text):
        if c in ".!?:;":
            return True
        if c.isalnum() or c == "_":
            return False
    return False


_CONTENTS_HEADING = re.compile(r"^(?:table\s+of\s+)?contents:?$", re.I)
_ENDS_TITLE_PAGE = re.compile(r"[A-Za-z)’'?]\s+\d{1,3}\s*$")
_BULLET_CHARS = "-*•\u2013\u2014\u25aa"
_PERCENTISH = re.compile(r"\d\s?(?:%|per\s?cent)|\d\s+(?:children|young|cases|families)")
_HEADING_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|should|can|could|must)\b", re.I)


# a percentage or a number of two or more digits (headings rarely have these)
_PCT_OR_MULTI_DIGIT = re.compile(r"\d\s?%|\d{2,}")
# ... unless it is only an "area3" style code or a year
_AREA_NUM_OR_YEAR = re.compile(r"area\d$|\b(?:19|20)\d{2}\b")


_TERMINAL_CHARS = ".!?:;,)]\"”’"  # a line ending in one of these (and spaces) is not a heading


def _is_heading(text: str, prev_content: str | None, next_line) -> bool:
    """``text`` is a heading; ``next_line()`` gives the next content line (only asked for at the end).
    The cheap tests come first."""
    if not text or len(text) > 75 or not (text[:1].isupper() or text[:1] in "‘'\"“"):
        return False
    end = text.rstrip()[-1:]
    if end and end in _TERMINAL_CHARS:
        return False
    if len(text.split()) > 12:
        return False
    if prev_content is not None and not _ends_stop(prev_content):
        return False
    if _PCT_OR_MULTI_DIGIT.search(text) and not _AREA_NUM_OR_YEAR.search(text):
        return False
    if _HEADING_VERB.search(text):
        return False
    nxt = next_line() or ""
    ns = nxt.strip()
    return not ns or ns[:1].isupper() or ns[:1].isdigit() or bool(_BULLET_LINE.match(nxt)) or ns[:1] in "‘'\"“(£"


_PUNCT_ONLY = re.compile(r"[\W_]+")
_BULLET_MARKER = re.compile(r"^\s*[-*•\u2013\u2014\u25aa]\s+")
_A_LETTER = re.compile(r"[A-Za-z]")
# a function word followed by a short number at line end: "... of 12" is prose, not a page number
_WORD_THEN_SMALL_NUM_END = re.compile(r"\b(?:of|at|to|the|a|an|from|and|than|by|in|with|per|was|is|were|are|about|around|over|under|only|some|all|but|or|on|for)\s+\d{1,3}\s*$", re.I)
_PUNCT_SPACE = re.compile(r"[.;:,]\s")
_ONE_OR_TWO_DIGITS = re.compile(r"\d{1,2}")
# a page number between words: "children 14 Looked"
_INLINE_PAGE_NUM = re.compile(r"[a-z]\s\d{1,3}\s+[A-Z]")


def build_blocks(doc: DocText) -> list[Block]:
    """Cut the document into paragraphs, bullets and headings (offsets kept for evidence)."""
    blocks: list[Block] = []
    cur: Block | None = None
    page_starts = doc._page_starts
    all_lines: list[tuple[str, int, bool, bool]] = []  # (line, doc_offset, junk, first content line of a page)
    running = _running_lines(doc)
    for p, page in enumerate(doc.pages):
        lines, junk = _strip_page_furniture(_page_lines(page, page_starts[p]), running, doc.format == "pdf")
        first = True
        for (line, off), j in zip(lines, junk):
            is_first = first and not j and bool(line.strip())
            all_lines.append((line, off, j, is_first))
            if is_first:
                first = False
    n = len(all_lines)
    ends_num = [
        l.rstrip()[-1:].isdigit() and bool(_ENDS_PAGE_NUM.search(l)) and "%" not in l and bool(_A_LETTER.search(l)) and len(l.strip()) <= 100
        and not _WORD_THEN_SMALL_NUM_END.search(l)
        and not _PUNCT_SPACE.search(l.strip())
        for l, *_ in all_lines
    ]

    def close():
        nonlocal cur
        if cur is not None and cur.text.strip():
            blocks.append(cur)
        cur = None

    def next_content(i: int) -> str:
        for k in range(i + 1, min(i + 6, n)):
            if all_lines[k][2]:
                continue
            return all_lines[k][0]
        return ""

    prev_content: str | None = None
    blank_seen = False
    in_contents = False
    for i, (line, off, junk, page_first) in enumerate(all_lines):
        if junk:
            continue
        stripped = line.strip()
        if not stripped:
            blank_seen = True
            continue
        if blank_seen:
            blank_seen = False
            # a blank line ends the block, unless a sentence visibly runs on ("...92% of care leavers" / "were in ...")
            runs_on = (
                cur is not None and prev_content is not None and not _ends_stop(prev_content)
                and stripped[:1].islower() and not _BULLET_LINE.match(line)
            )
            if not runs_on:
                close()
                prev_content = None
        first_ch = stripped[0]
        if len(stripped) <= 20 and first_ch in "CcTt" and _CONTENTS_HEADING.match(stripped):
            in_contents = True
            close()
            prev_content = None
            continue
        if in_contents:
            # after a "Contents" heading: titles ending in a page number, perhaps wrapped
            if _ENDS_TITLE_PAGE.search(stripped) or any(_ENDS_TITLE_PAGE.search(all_lines[k][0]) for k in range(i + 1, min(i + 3, n)) if not all_lines[k][2]):
                continue
            in_contents = False
        # a contents list: lines ending in a page number, next to another such line (titles may wrap)
        is_contents = ends_num[i] and any(ends_num[k] for k in (i - 2, i - 1, i + 1, i + 2) if 0 <= k < n) or (
            stripped[-1:].isdigit() and len(_INLINE_PAGE_NUM.findall(stripped)) >= 2 and bool(_ENDS_PAGE_NUM.search(stripped)) and "%" not in stripped)
        if is_contents or ("|" in line or "\t" in line or ".." in line or "…" in line) and _TABLE_LINE.search(line):
            close()
            prev_content = None
            continue
        if (not first_ch.isalpha() or len(stripped) <= 6) and (_NUMBER_ONLY_LINE.match(line) or _PUNCT_ONLY.fullmatch(stripped)):
            nxt_line = next_content(i).strip()
            if _ONE_OR_TWO_DIGITS.fullmatch(stripped) and prev_content is not None and not _ends_stop(prev_content) and nxt_line[:1].islower():
                continue  # a footnote marker on its own line inside a sentence
            close()  # paragraph numbers on their own line ("4.13.") and decorations
            prev_content = None
            continue
        lead_ws = len(line) - len(line.lstrip())
        text, start, kind, new_block = stripped, off + lead_ws, "para", False
        md = _MD_HEADING.match(line) if first_ch == "#" else None
        if md:
            close()
            h = Block("heading")
            h.add(line[md.end():].strip(), off + md.end())
            blocks.append(h)
            prev_content = None
            continue
        if (lead_ws or first_ch in _BULLET_CHARS) and _BULLET_LINE.match(line) and not (lead_ws == 1 and stripped[:1].islower()):
            m = _BULLET_MARKER.match(line)
            if m:
                start = off + m.end()
                text = line[m.end():].strip()
            kind, new_block = "bullet", True
        elif first_ch.isdigit() and _NUMBERED_LINE.match(line):
            new_block = True
        elif len(text) <= 75 and _is_heading(text, prev_content, lambda: next_content(i)):
            close()
            h = Block("heading")
            h.add(text, start)
            blocks.append(h)
            prev_content = None
            continue
        elif page_first and prev_content is not None:
            # a sentence runs on across the page unless the previous page ended one
            new_block = _ends_stop(prev_content) and not stripped[:1].islower()
        elif prev_content is not None and prev_content[-1:] in ":;":
            new_block = True
        if cur is None or new_block:
            close()
            cur = Block(kind)
        cur.add(text, start)
        prev_content = text
    close()
    return blocks


_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|etc|no|nos|para|paras|mr|mrs|ms|dr|st|vs|approx|cf|cllr|inc|fig|ref|vol)\.|\b[A-Z]\.)$", re.I)
_SENT_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9£])")


_SPACE_DIGIT = re.compile(r"\s+\d")
# a list number such as "3.", "1.2)" or "(4)"
_LIST_NUMBER = re.compile(r"\s*\(?\d{1,3}(?:\.\d{1,3})*[.)]")


# (the words of _ABBREV but "e.g" and "i.e")
_ABBREV_WORDS = ("etc", "no", "nos", "para", "paras", "mr", "mrs", "ms", "dr", "st", "vs", "approx", "cf", "cllr", "inc", "fig", "ref", "vol")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, without surrounding whitespace."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        ms = m.start()
        before = text[ms - 1] if ms > start else ""  # (the character before the stop, in this sentence)
        if text[ms] == "." and before.isalpha():
            # _ABBREV matches only after a single letter ("A.", "e.g.") or an abbreviation
            lo = max(start, ms - 11)
            single = ms - 1 == lo or not text[ms - 2].isalpha()
            if (single or _fold(text[max(lo, ms - 6):ms]).endswith(_ABBREV_WORDS)) and _ABBREV.search(text[lo:ms + 1]):
                continue
        if ms - start < 12 and _LIST_NUMBER.fullmatch(text[start:ms + 1]):
            continue
        if before.isdigit() and _SPACE_DIGIT.match(text, m.end() - 1):
            continue
        spans.append((start, ms + 1 + len(m.group(0)[1:].rstrip())))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for a, b in spans:
        seg = text[a:b]
        a2 = a + (len(seg) - len(seg.lstrip()))
        b2 = a + len(seg.rstrip())
        if b2 > a2:
            out.append((a2, b2))
    return out


_MARKUP = re.compile(r"<(?:/?(?:b|i|u|em|strong|sup|sub|br|p|span)\b[^>]*)>|\*\*|__|(?<!\w)\*|\*(?!\w)|\\")


def _blank_markup(text: str) -> str:
    """Markup and glued footnote markers replaced by spaces (offsets unchanged)."""
    if "<" in text or "*" in text or "_" in text or "\\" in text:
        text = _MARKUP.sub(lambda m: " " * len(m.group(0)), text)
    if "%" in text or "," in text:
        text = _GLUED_FOOTNOTE.sub(_blank_footnote, text)  # "16%6 of" -> "16%  of"
    return text


def _blank_footnote(m: re.Match) -> str:
    g = 1 if m.group(1) is not None else 2
    return m.group(0)[:m.start(g) - m.start()] + " " * len(m.group(g))


_GLUED_FOOTNOTE = re.compile(r"%(\d{1,2})\b|,\d{3}(\d{1,2})(?=[A-Za-z])")  # "16%6", "56,2002children"


# ============================================================================================
# words

_AUX = {"is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would",
        "can", "could", "may", "might", "should", "shall", "do", "does", "did"}
_ADV = {"currently", "now", "still", "also", "both", "each", "already", "then", "only",
        "subsequently", "recently", "previously", "successfully", "actually", "initially", "further"}
_VERB_MAP = {
    "live": "living", "lives": "living", "lived": "living", "became": "becoming", "become": "becoming",
    "becomes": "becoming", "ceased": "ceasing", "cease": "ceasing", "ceases": "ceasing",
    "receive": "receiving", "receives": "receiving", "attend": "attending", "attends": "attending",
    "feel": "feeling", "feels": "feeling", "felt": "feeling", "go": "going", "goes": "going", "went": "going",
    "remain": "remaining", "wait": "waiting", "waits": "waiting",
    "achieve": "achieving", "achieves": "achieving",
    "speak": "speaking", "speaks": "speaking", "come": "coming", "came": "coming", "enter": "entering",
    "enters": "entering", "get": "getting", "got": "getting",
    "benefit": "benefiting", "benefits": "benefiting", "experience": "experiencing", "take": "taking",
    "took": "taking", "know": "knowing", "knew": "knowing", "say": "saying", "said": "saying",
    "report": "reporting", "reported": "reporting", "state": "stating", "stated": "stating",
    "account": "accounting", "accounts": "accounting", "participate": "participating",
    "obtain": "obtaining", "arise": "arising",
}
_FINITE = set(_VERB_MAP) | {
    "moved", "returned", "received", "obtained", "achieved", "gained", "attended", "waited",
    "responded", "agreed", "showed", "demonstrated", "participated", "contributed", "exceeded",
    "met", "missed", "saw", "rose", "fell", "dropped", "increased", "decreased", "declined",
    "improved", "accounted", "benefited", "experienced", "entered", "secured",
    "undertook", "requires", "require", "shows", "show", "indicated", "indicates",
    "represents", "represent", "represented", "equates", "includes", "include", "included",
    "remains", "remained", "continue", "continues", "continued", "makes", "make", "made", "brings",
    "brought", "stands", "stood", "reached", "means", "meant", "suggests", "illustrates",
    "demonstrates", "provide", "provides", "provided", "struggle", "struggles", "seem", "seems",
    "appear", "appears", "appeared", "involve", "involves", "involved", "arise", "arose", "turned",
}
_CUT_VERBS = _AUX | {
    "remains", "remained", "stands", "stood", "rose", "fell", "dropped", "increased", "decreased",
    "declined", "improved", "reached", "shows", "show", "showed", "brings", "brought", "makes", "made",
    "continues", "continued", "represents", "represented", "account", "accounts", "accounted",
    "live", "lives", "lived", "means", "suggests", "illustrates", "indicates", "demonstrates",
    "became", "ceased", "struggle", "struggles", "provides", "provide", "appears", "seems",
}
_REL = {"who", "which", "that", "whom", "whose", "where", "when", "while", "whilst", "whereas",
        "although", "because", "but", "than", "compared", "if", "as", "so", "since", "until",
        "despite", "however", "thus", "therefore", "meaning", "including", "equivalent", "per",
        "against", "versus"}
_AND_STOP = {"just", "nearly", "almost", "half", "around", "about", "most", "many", "few", "the", "a", "an", "all", "these", "those", "its", "their", "our", "some", "each", "both",
             "no", "this", "that", "it", "there", "is", "are", "was", "were", "has", "have", "had",
             "initially", "then", "now", "also", "none", "only", "we", "they", "so", "in", "at",
             "is", "which", "who", "more", "others", "other", "one"}
_STOPWORDS = {"improved", "improving", "strong", "stronger", "weak", "weaker", "poor", "poorer", "positive", "negative", "encouraging",
              "disappointing", "reduced", "increased", "higher", "even", "majority", "minority", "vast", "large", "small", "few", "many", "significant", "proportion", 
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "with", "from", "by", "as", "and", "or",
    "than", "this", "that", "these", "those", "it", "its", "their", "our", "is", "are", "was", "were",
    "be", "been", "being", "has", "have", "had", "below", "above", "over", "under", "more", "less",
    "fewer", "higher", "lower", "better", "worse", "just", "only", "around", "about", "nearly",
    "almost", "very", "much", "little", "slightly", "currently", "now", "still", "also", "all", "some",
    "each", "both", "which", "who", "there", "here", "up", "down", "target", "targets", "average",
    "rate", "level", "figure", "performance", "number", "percentage", "proportion", "total", "area",
    "indicator", "measure", "data", "position", "result", "results", "current", "recent", "most",
    "latest", "overall", "local", "national", "month", "year", "week", "per", "cent", "time", "same",
    "previous", "last", "so", "far", "further", "again", "not", "rolling", "growth", "increase",
    "rise", "reduction", "decrease", "drop", "fall", "decline", "improvement", "change", "met",
    "achieved", "stands", "remains", "stretch", "place", "larger", "smaller", "greater", "we", "they",
    "them", "he", "she", "nevertheless", "however", "therefore", "overall", "good", "well", "high",
    "low", "lowest", "highest", "ever", "consistently", "significantly", "considerably", "amount",
    "approximately", "additional", "an", "equivalent", "figures", "value", "values", "level",
    "levels", "mid", "end", "start", "beginning", "period", "stretch", "maximum", "minimum",
    "difference", "gap", "cent", "points", "point", "compared", "with", "against", "respectively",
    "year-on-year", "on", "monthly", "month's", "months", "years", "today", "date", "performing", "whole",
}
_VERBAL_ING = {"showing", "including", "having", "following", "making", "meaning", "giving", "taking",
               "bringing", "resulting", "covering", "demonstrating", "indicating", "equating", "amounting",
               "representing", "compared", "according"}
_GENERIC_NOUN = re.compile(r"^(?:children|young\s+people|children\s+and\s+young\s+people|people|child|young\s+person|cases|families|pupils)$", re.I)
_CHANGE_NOUNS = {"growth", "increase", "rise", "reduction", "decrease", "drop", "fall", "decline",
                 "improvement", "change", "uplift", "gain", "cut", "jump"}
_NP_BAD_START = {"below", "above", "over", "under", "higher", "lower", "better", "worse", "more",
                 "less", "fewer", "up", "down", "larger", "smaller", "greater", "in", "at", "on",
                 "to", "by", "from", "for", "with", "within", "than", "of", "and", "or", "per",
                 "cent", "percent", "respectively", "this", "that", "it", "each", "year", "month",
                 "week", "day", "times", "before", "after", "between", "among", "against", "as",
                 "into", "if", "when", "where", "which", "who", "a", "an", "the", "out", "off",
                 "so", "too", "not", "no", "or", "nor", "across", "through", "during", "since",
                 "until", "per", "plus", "minus", "other", "others", "another", "each", "rather",
                 "instead", "later", "earlier", "ago", "further", "previously", "now", "then"}
_NOT_COUNT_HEADS = {"times", "ways", "point", "points", "stage", "stages", "level", "levels",
                    "percent", "o'clock", "am", "pm", "minutes", "seconds", "miles", "km", "per",
                    "respectively", "mph", "million", "thousand", "hundred", "years", "months",
                    "weeks", "days", "hours", "year", "month", "week", "day", "hour", "occasions",
                    "reasons", "things", "aspects", "parts", "sides", "respects", "areas", "ends"}
_GENERIC_HEADS = {"children", "child", "people", "person", "cases", "case", "families", "family",
                  "pupils", "leavers", "staff", "workers", "adopters", "carers", "households",
                  "parents", "mothers", "respondents", "files", "plans", "visits", "referrals",
                  "contacts", "assessments", "placements", "ones", "girls", "boys", "students",
                  "adults", "members", "posts"}
_HEAD_STOP = re.compile(
    r"^(?:in|of|on|at|to|for|with|from|by|within|outside|under|over|who|which|that|where|whose|"
    r"subject|looked|aged|being|placed|identified|living|receiving|known|entitled|eligible|"
    r"becoming|ceasing|missing|waiting|whom|across|into|through|during|between|among|as|than)$|ing$",
    re.I,
)

_LEAD_STRIP = re.compile(
    r"^(?:(?:the|a|an|our|its|their|these|those|this|that|all|some|only|approximately|approx\.?|around|about|over|"
    r"almost|nearly|just|roughly|however,?|whilst|while|and|but|although|so|also|of|with|overall,?|currently|"
    r"in\s+addition,?|additionally,?|total|in\s+total,?|local\s+authority's|authority's|council's|half|twice|"
    r"further|furthermore,?|more|additional|an\s+additional|nevertheless,?|notably,?|for\s+example,?|"
    r"in\s+contrast,?|similarly,?|by\s+contrast,?|in\s+the\s+above\s+chart,?|us|we|there\s+(?:are|were|is|was)|cadre\s+of|few|very\s+few|many|most|"
    r"(?:a\s+)?(?:very\s+)?(?:large\s+|small\s+|significant\s+|substantial\s+|vast\s+)?(?:majority|minority|number|proportion)\s+of|small|large)\s+)+",
    re.I,
)
_NUMBER_OF = re.compile(r"^(?:(?:total\s+|overall\s+|average\s+|rolling\s+)?(?:number|numbers|proportion|percentage|percent|rate|level|total|figure)\s+of\s+)", re.I)
_TRAIL_WORDS = (
    "and", "or", "of", "the", "to", "in", "with", "for", "who", "which", "that", "a", "an", "at", "by", "from", "as",
    "is", "are", "was", "were", "being", "been", "on", "this", "its", "their", "our", "among", "amongst", "across",
    "than", "per", "has", "have", "had", "were", "very", "also", "out", "such",
)
_TRAIL_CHARS = ",;:(–-"
_TRAIL_STRIP = re.compile(rf"(?:[\s{_TRAIL_CHARS}]+|\s+(?:{'|'.join(_TRAIL_WORDS)})(?=\W*$))+$", re.I)
_TRAIL_WORD_SET = frozenset(_TRAIL_WORDS)


def _may_trail(s: str) -> bool:
    """False when ``_TRAIL_STRIP`` cannot match ``s`` (it ends in none of its characters or words):
    a cheap test before the pattern, which is tried at every position."""
    if not s:
        return False
    if s[-1].isspace() or s[-1] in _TRAIL_CHARS:
        return True
    last = s.rsplit(None, 1)[-1]
    return not last.isascii() or last.lower() in _TRAIL_WORD_SET


_PRONOUN_START = re.compile(r"^(?:it|this|that|these|those|which|they|there|we|she|he|what)\b", re.I)
_PREP_START = re.compile(r"^(?:in|at|for|within|on|among|amongst|across|from|of|with)\b", re.I)
_AREA_NOISE = re.compile(r"\b(?:in\s+this\s+area|for\s+this\s+indicator|for\s+this\s+measure|in\s+this\s+indicator|this\s+indicator|is\s+in\s+place)\b", re.I)


# the characters a case-insensitive pattern matches with an ASCII letter (İ ı ſ K): mapped to it, a
# lower-case substring test is a safe pre-test for the words of a case-insensitive pattern
_ASCII_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}


def _fold(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_ASCII_FOLD).lower()


_WORD_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@functools.lru_cache(maxsize=8192)
def _content_words(label: str) -> tuple[str, ...]:
    """The words of ``label`` that are not stopwords (cached: labels recur; callers only test it)."""
    return tuple(w for w in _WORD_TOKEN.findall(label) if w.lower() not in _STOPWORDS)


@functools.lru_cache(maxsize=8192)
def _is_weak(label: str) -> bool:
    if not label:
        return True
    if _PRONOUN_START.match(label):
        return True
    return not _content_words(_AREA_NOISE.sub(" ", label))


_CURLY_QUOTE = re.compile(r"[\u2018\u2019`]")
_LEADING_PUNCT = re.compile(r"^[\W_]+")
_LEADING_LIST_NUMBER = re.compile(r"^\(?\d{1,3}(?:\.\d{1,3})*[.)]\s*(?=[A-Za-z])")
_WORD_FOOTNOTE_DIGITS = re.compile(r"(?<=[a-z])\d{1,2}\b")
_MARKUP_CHARS_OR_REF = re.compile(r"[*_#<>]|\[\d+\]")
_AUTHORITYS = re.compile(r"\b(?:the\s+)?(?:local\s+authority's|authority's|council's)\s+", re.I)
_LEADING_HAVE = re.compile(r"^(?:have|has|had)\s+(?=\w)", re.I)
_NON_LETTER = re.compile(r"[^A-Za-z]")


_DOUBLED_WORD = re.compile(r"\b(\w{3,})(?:\s+\1\b)+", re.I)
_TRAIL_CONNECTIVE = re.compile(r"\s+(?:in\s+addition|as\s+well|respectively|in\s+total|overall)\s*$", re.I)


def _strip_tail(rx: re.Pattern, s: str, span: int = 100) -> str:
    """``rx.sub("", s)`` for a pattern anchored at the end (``...$``), looking only at the last
    ``span`` characters (callers repeat until nothing changes, so a longer run is still removed)."""
    if len(s) <= span:
        return rx.sub("", s)
    return s[:-span] + rx.sub("", s[-span:])


@functools.lru_cache(maxsize=16)
def _place_patterns(la_name: str) -> tuple[re.Pattern, re.Pattern]:
    """"... living in Peterborough", "... in Peterborough" at the end of a label."""
    name = re.escape(la_name)
    return (re.compile(rf"\s+(?:living|live|lives|lived)\s+in\s+{name}\b.*$", re.I), re.compile(rf"\s+in\s+{name}$", re.I))


@functools.lru_cache(maxsize=8192)
def _clean_label(label: str, la_name: str | None = None) -> str:
    s = normalise_space(label)
    s0 = s
    if "\u2018" in s or "\u2019" in s or "`" in s:
        s = _CURLY_QUOTE.sub("'", s)
    # (each pattern only where it can match: leading punctuation, a leading "(" or number, an apostrophe ...)
    if not s[:1].isalnum():
        s = _LEADING_PUNCT.sub("", s)
    if s[:1] == "(" or s[:1].isdigit():
        s = _LEADING_LIST_NUMBER.sub("", s)
    s = _WORD_FOOTNOTE_DIGITS.sub("", s)  # footnote markers glued to words: "schools3"
    s = _MARKUP_CHARS_OR_REF.sub(" ", s)
    if s is not s0:
        s = normalise_space(s)
    for _ in range(3):  # (the same text again would change no more)
        before = s
        for rx in (_LEAD_STRIP, _NUMBER_OF, _LEADING_HAVE):  # (anchored at the start: as rx.sub("", s))
            m = rx.match(s)
            if m:
                s = s[m.end():]
        if s == before:
            break
    if "'" in s:
        s = _AUTHORITYS.sub("", s)
    if la_name:
        living_in, in_place = _place_patterns(la_name)
        s = living_in.sub("", s)
        s = in_place.sub("", s)
    if _fold(s.rstrip()[-12:]).endswith(("addition", "well", "respectively", "total", "overall")):
        s = _TRAIL_CONNECTIVE.sub("", s)
    ws = s.lower().split()
    if len(set(ws)) < len(ws) and any(a == b for a, b in zip(ws, ws[1:])):
        s = _DOUBLED_WORD.sub(r"\1", s)  # "children permanently matched matched with ..."
    prev = None
    while prev != s:
        prev = s
        if _may_trail(s):
            s = _strip_tail(_TRAIL_STRIP, s)
        s = s.strip()
    words = s.split()
    if len(words) > 22:
        s = " ".join(words[:22])
        prev = None
        while prev != s:
            prev = s
            if _may_trail(s):
                s = _strip_tail(_TRAIL_STRIP, s)
            s = s.strip()
    out = []
    for w in s.split():
        lw = w.lower()
        if lw == w:
            out.append(w)
            continue
        core = _NON_LETTER.sub("", w)  # acronyms keep their capitals: "LAC", "NEET"
        out.append(w if len(core) >= 2 and core.isupper() else lw)
    return " ".join(out).strip()


_WORD_OR_NUM_TOKEN = re.compile(r"[A-Za-z£][\w'’*/&+-]*|\d+(?:[.,]\d+)*%?|[^\w\s]")


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _WORD_OR_NUM_TOKEN.finditer(text)]


_NUM_TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?")


def _is_num_word(w: str) -> bool:
    return w[:1].isdigit() and bool(_NUM_TOKEN.fullmatch(w))


def _is_adverb(w: str) -> bool:
    lw = w.lower()
    return lw.endswith("ly") and lw not in {"family", "supply", "assembly", "ally", "bully", "italy", "only"} or lw == "only"


def _head(np: str) -> str:
    out = []
    for w in np.split():
        if out and _HEAD_STOP.search(w):
            break
        out.append(w)
    return " ".join(out)


# ============================================================================================
# comparison, target, change cues

_GROUP_CUES = [
    ("statistical_neighbours", r"statistical\s+neighbou?rs?(?:'|’)?(?:\s+average)?|stat(?:istical)?\s+neighbou?r\s+(?:average|rate|figure|group)|\bSNs?\b(?:\s+average)?"),
    ("similar_areas", r"similar\s+(?:local\s+)?(?:authorities|areas|councils|boroughs|counties)|comparator\s+(?:authorities|councils|areas|group)|comparable\s+(?:local\s+)?authorit(?:y|ies)(?:\s+average)?|similar\s+(?:pupils|children)\s+nationally"),
    ("neighbouring_authorities", r"neighbouring\s+(?:local\s+)?(?:authorities|councils|boroughs)"),
    ("region", r"regional\s+(?:average|figure|rate|level|performance|mean)|(?:[Tt]he|[Oo]ur|[Ee]astern|[Ww]estern|[Nn]orthern|[Ss]outhern|[A-Z][a-z]+)\s+[Rr]egion(?:al)?\b(?:'s\s+average)?|\bregionally|London\s+(?:average|boroughs|figure|rate)|(?:across|in|for)\s+London\b|[Ii]nner\s+London|[Oo]uter\s+London"),
    ("england", r"national(?:ly)?\s+(?:average|averages|figure|figures|rate|rates|level|levels|benchmark|data|performance|picture|mean|median|position|figure)|(?:all\s+)?England(?:'s)?(?:\s+(?:national\s+)?(?:average|figure|rate|level))?(?:\s+as\s+a\s+whole)?|\bnationally\b|the\s+country\s+as\s+a\s+whole|(?:across|in)\s+the\s+country|English\s+average|\bnational\b"),
    ("other_local_authorities", r"(?:other|many|most)\s+(?:local\s+)?authorities|other\s+councils"),
    ("comparators", r"\bcomparators?\b"),
]
_GROUP_RES = [(g, re.compile(p, 0 if g == "region" else re.I)) for g, p in _GROUP_CUES]
_GROUP_LEFT = [(g, re.compile(rf"(?:{p})[^.;]{{0,60}}$", 0 if g == "region" else re.I)) for g, p in _GROUP_CUES]
_GROUP_RIGHT = [
    (g, re.compile(rf"^\s*(?:\)\s*)?(?:in|across|for|among|amongst|of|at)\s+(?:both\s+)?(?:the\s+|our\s+|its\s+|their\s+|all\s+)?(?:{p})", 0 if g == "region" else re.I))
    for g, p in _GROUP_CUES
]
# one pattern for all: a match names its group ("g0", "g1" ... in the order of _GROUP_RIGHT)
_GROUP_RIGHT_ANY = re.compile("|".join(
    f"(?P<g{k}>{rx.pattern})" if not rx.flags & re.I else f"(?P<g{k}>(?i:{rx.pattern}))" for k, (_, rx) in enumerate(_GROUP_RIGHT)))
# a word every cue of _GROUP_CUES contains (lower case): text without one names no group
_GROUP_WORDS = ("neighbo", "sn", "similar", "compar", "region", "london", "national", "england", "english", "country",
                "authorities", "councils")


def _may_name_group(text: str) -> bool:
    """False when no pattern of ``_GROUP_CUES`` can match ``text`` (a cheap test first)."""
    return any(map(_fold(text).__contains__, _GROUP_WORDS))


_GROUP_RIGHT_NATIONALLY = re.compile(r"^\s*(?:nationally|in\s+England|across\s+England|for\s+England)\b", re.I)
_VS_BEFORE_CUE = re.compile(r"(?:better|worse|higher|lower|above|below|greater|less|more|fewer|than|exceed\w*|outperform\w*|in\s+line\s+with|similar\s+to|compared\s+(?:with|to)|against|matches|match|mirrors?)\s+(?:the\s+|our\s+|its\s+|their\s+)?$", re.I)
_CUE_THEN_VALUE = re.compile(
    r"(?:average|averages|rate|figure|level|levels|neighbou?rs?|England|national|nationally|whole|authorities|authority|areas|comparators|region|London)\s*(?:'s)?\s*"
    r"(?:(?:increase|rise|reduction|decrease|change|growth|improvement|decline)\s*)?(?:for\s+[\w\s'’-]{1,40}?\s*)?(?:\(|,)?\s*"
    r"(?:of|at|is|was|were|are|which\s+is|which\s+was|stood\s+at|stands\s+at|=|:|figure\s+of|rate\s+of|average\s+of|average\s+is)?\s*"
    r"(?:(?:around|about|approximately|only|just|of)\s*)?$",
    re.I,
)

_TARGET_LEFT = re.compile(
    r"\b(?:targets?|aim(?:ing|s)?|ambition|goal|trajectory|expectation)\b(?:\s+[\w'’-]+){0,7}?\s+"
    r"(?:of|is|was|at|to|for|=|:|be|remains|by)\s+(?:(?:a|the)\s+(?:maximum|minimum)\s+of\s+|(?:at\s+least|no\s+more\s+than|no\s+less\s+than|above|below|over|under)\s+)?$",
    re.I,
)
_TARGET_ADJ = re.compile(r"\b(?:target(?:ed)?|aim\s+(?:is\s+)?to\s+(?:reach|achieve|have)|aiming\s+(?:for|to)|expected\s+to\s+reach)\s+(?:of\s+)?$", re.I)
_TARGET_WORDS = ("target", "aim", "ambition", "goal", "trajectory", "expect")  # (one is in every match of the two above)
_NOT_TARGET = re.compile(r"\b(?:below|above|on|against|over|under|exceed\w*|meet\w*|met|missed|beat|beating|short\s+of|within|than)\s+(?:the\s+|our\s+|its\s+|their\s+)?(?:\w+\s+)?targets?\b[^.]*$", re.I)

_CHANGE_LEFT = re.compile(
    r"(?:\b(?:increase[sd]?|rise|rose|risen|grow(?:th|n)?|grew|fall|fell|fallen|drop(?:ped)?|decrease[sd]?|reduc(?:ed|tion)|declin(?:ed|e)|"
    r"improve(?:d|ment)|change|gain|loss|cut|uplift|shift|reduce|increase|improve)\s+(?:of|by)|\b(?:up|down)\s+by|\b(?:exceeded|outperformed|out-performed|beat|missed)\s+(?:the\s+)?[\w\s]{0,30}?\s+by|"
    r"\b(?:increase[sd]?|rise|rose|risen|fall|fell|fallen|drop(?:ped)?|decrease[sd]?|reduc(?:ed|tion)|declin(?:ed|e)|improve(?:d|ment))\b[\w\s,]{0,40}\bby)"
    r"\s+(?:a\s+further\s+|around\s+|about\s+|approximately\s+|nearly\s+|almost\s+|over\s+|some\s+|just\s+|only\s+|an?\s+)?$",
    re.I,
)
# the words _CHANGE_LEFT and _OF_WHOM_TAIL can end on (the text before a number ends in one)
_CHANGE_LEFT_LAST = ("of", "by", "further", "around", "about", "approximately", "nearly", "almost", "over", "some", "just", "only", "a", "an")
_OF_WHOM_LAST = ("whom", "which", "these", "those", "them", ",", "only", "just", "around", "about", "further")
_CHANGE_RIGHT = re.compile(
    r"^\s*(?:(?:year[\s-]on[\s-]year\s+|net\s+)?(?:increase|rise|growth|reduction|decrease|drop|fall|decline|improvement|change|uplift|gain|cut|jump)\b)",
    re.I,
)
_BEYOND_TARGET = re.compile(r"^\s*(?:over|under|beyond|outside|above|below|more\s+than|less\s+than)\s+(?:the\s+|their\s+|its\s+|our\s+)?(?:[\w-]+\s+){0,2}(?:target|threshold|average|expectation|benchmark|timescale)s?\b", re.I)
_COMPARATIVE_RIGHT = re.compile(
    r"^\s*(?:(?:higher|lower|better|worse|greater|larger|smaller|above|below|up|down|fewer|less|more)\b(?!\s+than\s+(?:\d|the\s+\d|around|about|approximately))"
    r"|(?:over|under|beyond|outside)\s+(?:the\s+|their\s+|its\s+|our\s+)?(?:[\w-]+\s+){0,2}(?:target|threshold|average|expectation|benchmark|timescale)s?\b)",
    re.I,
)


# ============================================================================================
# state while walking a document


@dataclass
class _Rec:
    num: Num
    sent: str  # the sentence (markup blanked)
    label: str = ""
    np: str = ""
    weak: bool = True
    value_type: str = "actual"
    group: str = "local_authority"
    is_change: bool = False
    unit: str | None = None
    period: Period | None = None
    keep: bool = True
    linked: bool = False  # the label came from the number it is attached to, a lead-in or a verb it is the subject of
    ctx: str = ""  # extra context for classification
    left: str = ""  # the sentence between the previous number and this one
    in_list: bool = False  # under the lead-in of a list ("Of this number:", "In the last 12 months:")
    key: str | None = None
    prev: "_Rec | None" = None  # the number before it in the sentence
    sample: bool = False  # dropped as the evidence of an inspection or audit
    alt_label: str = ""  # what a denominator's own words say ("of the 25 pupils achieved ...")


@dataclass
class _Lead:
    label: str | None
    period: Period | None
    context: str


@dataclass
class _State:
    heading: str = ""
    chart_topic: str = ""
    lead: _Lead | None = None
    subject_topic: str = ""
    prev_subject: str = ""
    prev_in_block: bool = False  # the previous sentence, in this block, gave rows
    block: int = 0  # index of the current block
    subject_block: int = -1  # the block that set subject_topic


_CHART_TOPIC = re.compile(
    r"^(?:\W*)(?:(?:the\s+)?(?:above\s+|below\s+|second\s+|first\s+)?(?:chart|figure|graph|table)s?\s*\d*[a-z]?|appendix\s+\w+,?\s+chart\s*\d*)\s+(?:below\s+|above\s+)?"
    r"(?:shows|illustrates|sets\s+out|presents|details|outlines)\s+"
    r"(?:that\s+)?(?:the\s+position\s+(?:with\s+respect\s+to|in\s+relation\s+to)\s+|our\s+performance\s+in\s+relation\s+to\s+(?:ensuring\s+that\s+)?|performance\s+(?:on|in\s+relation\s+to)\s+)?"
    r"(?P<t>.+?)(?:,\s*which\b|,\s*and\b|\.\s*$|$)",
    re.I,
)
# (the topic patterns need one of the words "chart", "figure", "graph", "table" (_CHART_TOPIC) or
# "rate", "number", "percentage", "proportion", "level", "figure", "timeliness" (the others): a
# cheap test in extract_indicators comes before them)
_SUBJECT_TOPIC = re.compile(r"^\W*(?:The|Our)\s+(?:total\s+)?(?:number|numbers|proportion|percentage|rate)\s+of\s+(?P<t>[^,;.]+?)\s+(?:has|have|is|are|was|were|remains|remained|continues|increased|decreased|rose|fell|dropped)\b")


_MEASURE_SUBJECT = re.compile(
    r"^\W*((?:[\w'’-]+\s+){0,7}?(?:rates?|numbers?|percentages?|proportions?|levels?|figures?|timeliness)(?:\s+of\s+[\w'’-]+(?:\s+[\w'’-]+){0,5}?)?)\s+"
    r"(?:remain|remains|remained|is|are|was|were|has|have|had|continue|continues|continued|rose|fell|increased|decreased|dropped)\b",
    re.I,
)


_GENERIC_HEADING = re.compile(
    r"^(?:inspection\s+findings|summary|executive\s+summary|recommendations?|areas?\s+for\s+(?:improvement|development|priority\s+action)|"
    r"key\s+findings|main\s+findings|findings|background|introduction|conclusions?|contents|information\s+about\s+this\s+(?:inspection|local\s+authority\s+area)|"
    r"what\s+needs\s+to\s+improve.*|the\s+local\s+authority|local\s+authority\s+context|other\s+information.*|local\s+leadership|"
    r"previous\s+ofsted\s+inspections|other\s+ofsted\s+inspections|strengths|areas\s+for\s+development|judgement|grade|overall\s+effectiveness|"
    r"capacity\s+for\s+improvement|(?:the\s+)?inspection\s+judgements?.*|about\s+this\s+inspection|.*\bjudgements?\s+(?:is|about|mean)\b.*|"
    r".*\b(?:inspection|inspections|findings|recommendations?)\b.*|the\s+experiences\s+and\s+progress\b.*|.*:\s*(?:good|outstanding|inadequate|requires\s+improvement.*|adequate))$",
    re.I,
)


def _topic(state: _State) -> str:
    return state.chart_topic or state.subject_topic or state.heading


# ============================================================================================
# per-sentence analysis


_RATE_DENOMINATOR = re.compile(
    r"\s*(?:of\s+(?:the\s+)?(?:child\s+|under[\s-]18\s+|0-17\s+|relevant\s+)?population|of\s+the\s+child\s+population|"
    r"(?:children|young\s+people|females|males|people|residents|population|pupils)(?:\s+aged\s+[\w\s–-]{1,20}?(?=\W|$)|\s+under\s+18)?)\b",
    re.I,
)


# a short bracketed aside right after a number: "(or 51%)"
_LEADING_PAREN = re.compile(r"\s*\((?:[^()]{0,40})\)")
_SHORT_PAREN = re.compile(r"\([^()]{0,45}\)")
_NON_WORD_CHAR = re.compile(r"[^\w£]")
# an age or age range: "16 year olds", "16 to 17-year-olds"
_N_YEAR_OLDS = re.compile(r"\d+\s*(?:(?:[-–]\s*(?:to|and|or)?|to|and|or)\s*\d+\s*[-–]?\s*|[-–]\s*)?years?[-\s]?olds?\b", re.I)
# after "out": "of a total of 40", "of 12"
_OF_TOTAL_NUM = re.compile(r"\s*of\s+(?:a|an|the)?\s*(?:total\s+)?(?:\w+\s+of\s+)?\d")
_TIME_UNIT_WORD = re.compile(r"(?:months?|years?|weeks?|days?|miles|hours?|working)$", re.I)
_COMPARATIVE_WORD = re.compile(r"(?:above|below|better|worse|higher|lower|similar|much|significantly|well|broadly|considerably|slightly|also)$", re.I)
# the rest of an age range after its first number: "-year-olds", " to 17 year olds"
_YEAR_OLDS_AFTER = re.compile(r"\s*[-–]?\s*(?:(?:and|to|or)\s*\d+\s*[-–]?\s*)?year[-\s]?olds?\b", re.I)
_ING_OR_ED_END = re.compile(r"(?:ing|ed)$")


_PREP_BEFORE_PERIOD = re.compile(r"\b(?:on|in|at|by|during|for|over|since|from|to|of|as\s+(?:at|of)|up\s+to|prior|up)\s+$", re.I)
_GCSE_GRADES = re.compile(r"\d\s*(?:or\s+more\s+)?(?:good\s+)?(?:GCSEs?|A\*?\s*(?:-|to)\s*[A-G]s?)\b", re.I)
_DIGIT_OR_PERIOD_WORD = re.compile(r"\d|\b(?:last|past|previous|preceding|inspection|year)\b", re.I)


def _np_after(s: str, pos: int, stop: int) -> tuple[str, str]:
    """(noun phrase, predicate) from the words after ``pos`` (up to ``stop``)."""
    seg = s[pos:stop]
    m = _LEADING_PAREN.match(seg)  # an attached "(or 51%)" / "(52%)"
    off = m.end() if m else 0
    # later short parentheses "(30 out of 354)", "(13%)" are skipped over
    if "(" in seg[off:]:
        seg = seg[:off] + _SHORT_PAREN.sub(lambda mm: " " * len(mm.group(0)), seg[off:])
    # a period inside the phrase does not end it: "(8%) of the young people leaving care over the
    # last three years are at university"
    body = seg[off:]
    for p in find_periods(body) if _DIGIT_OR_PERIOD_WORD.search(body) else ():
        if p.start > 0:
            pm = _PREP_BEFORE_PERIOD.search(body, 0, p.start)
            a = pm.start() if pm else p.start
            if a > 0:
                body = body[:a] + " " * (p.end - a) + body[p.end:]
    seg = seg[:off] + body
    words = _words(seg[off:])
    np_words: list[str] = []
    k = 0
    while k + 1 < len(words) and words[k][0].lower() in {"more", "additional", "further", "extra", "other"} and not _is_num_word(words[k + 1][0]):
        k += 1
    while k < len(words):
        w, a, b = words[k]
        lw = w.lower()
        if _NON_WORD_CHAR.fullmatch(w) and w not in {"'", "’", "-", "/", "&", "–"}:
            break
        yo = (_N_YEAR_OLDS.match(seg, off + a) or _GCSE_GRADES.match(seg, off + a)) if _is_num_word(w) else None
        if yo:  # "16- and 17-year-old children"
            np_words.append(seg[off + a:yo.end()])
            end_at = yo.end() - off
            k += 1
            while k < len(words) and words[k][1] < end_at:
                k += 1
            continue
        if _is_num_word(w) and (np_words and np_words[-1].lower() in {"aged", "age", "to", "under", "over", "of", "–", "-", "and"} and (
                np_words[-1].lower() != "of" or len(np_words) > 1 and np_words[-2].lower() == "age") and (
                np_words[-1].lower() not in {"–", "-", "and", "to"} or len(np_words) > 1 and (
                    _is_num_word(np_words[-2].rstrip("-–")) or np_words[-2].lower() in _NUMBER_WORDS))
                or _YEAR_OLDS_AFTER.match(seg, off + b)):
            np_words.append(w)
            k += 1
            continue
        if lw in _AUX or lw in _REL or lw in _FINITE or lw in _ADV or _is_num_word(w):
            break
        if lw in {"and", "or", "plus"}:
            nxt = words[k + 1][0] if k + 1 < len(words) else ""
            if not nxt or _is_num_word(nxt) or nxt.lower() in _AND_STOP or _is_adverb(nxt) or nxt.lower() in _AUX or nxt.lower() in _FINITE or nxt.lower() in _REL:
                break
        if lw == "out" and k + 1 < len(words) and words[k + 1][0].lower() == "of" and _OF_TOTAL_NUM.match(seg, off + b):
            break
        if lw in _VERBAL_ING and np_words:
            break
        if _period_starts(seg, off + a):
            break
        np_words.append(w)
        k += 1
        if len(np_words) >= 10:
            break
    pred: list[str] = []
    relative = k < len(words) and words[k][0].lower() in {"who", "which", "that", "whose"}
    finite_seen = 0
    while k < len(words):
        w, a, b = words[k]
        lw = w.lower()
        if _NON_WORD_CHAR.fullmatch(w) and w not in {"'", "’", "-", "/", "&"}:
            break
        if not pred and lw in {"and", "or", "but", "while", "whilst", "although", "as", "so"}:
            break
        gm = _GCSE_GRADES.match(seg, off + a) if _is_num_word(w) else None
        if gm:  # "achieve 5 A* to Gs"
            pred.append(seg[off + a:gm.end()])
            end_at = gm.end() - off
            k += 1
            while k < len(words) and words[k][1] < end_at:
                k += 1
            continue
        unit_next = k + 1 < len(words) and _TIME_UNIT_WORD.match(words[k + 1][0])
        if _is_num_word(w) and not unit_next and not (pred and pred[-1].lower() in {"aged", "to", "under", "over", "than"} and k + 1 < len(words) and not _is_num_word(words[k + 1][0]) and pred[-1].lower() != "than"):
            break
        if _is_num_word(w):
            pred.append(w)
            k += 1
            continue
        if lw == "than" and pred and pred[-1].lower() in {"longer", "more", "less", "fewer", "greater", "shorter"}:
            pred.append(w)
            k += 1
            continue
        if lw in {"while", "whilst", "whereas", "compared", "than", "although", "because", "but", "however", "meaning", "so", "against", "versus"}:
            break
        if pred and lw in {"which", "where", "when"}:
            break
        if lw in {"which", "who", "that"} and k + 2 < len(words) and words[k + 1][0].lower() in {"is", "was", "are", "were"} and _COMPARATIVE_WORD.match(words[k + 2][0]):
            break
        if lw == "out" and k + 1 < len(words) and words[k + 1][0].lower() == "of" and _OF_TOTAL_NUM.match(seg, off + b):
            break
        if lw == "or" and k + 1 < len(words) and words[k + 1][0].lower() in {"more", "fewer", "less", "above", "over", "under"}:
            pred += [w, words[k + 1][0]]  # "three or more placement moves"
            k += 2
            continue
        if lw in {"and", "or"}:
            nxt = words[k + 1][0].lower() if k + 1 < len(words) else ""
            after = [x[0].lower() for x in words[k + 2:k + 4]]
            continuing = nxt in {"are", "is", "were", "was", "have", "has"} and any(_ING_OR_ED_END.search(x) for x in after if x not in {"now", "still", "also"})
            if not continuing and (not nxt or nxt in _AND_STOP or _is_num_word(nxt) or _is_adverb(nxt)):
                break
        if lw in _FINITE or lw in _AUX:
            finite_seen += 1 if lw in _FINITE or lw in {"is", "are", "was", "were", "has", "have", "had"} else 0
            if relative and finite_seen >= 2:
                break
        if _period_starts(seg, off + a):
            break
        pred.append(w)
        k += 1
        if len(pred) >= 16:
            break
    return " ".join(np_words), " ".join(pred)


_PERIOD_START = re.compile(
    r"^(?:(?:as\s+)?at|as\s+of|on|by|in|during|for|since|between|from|over|at\s+the\s+end\s+of)\s+(?:the\s+)?"
    r"(?:\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\s+\d{4}|\d{4}|end\s+of|last|past|previous|period|year|month|financial|academic|time\s+of|same\s+period|two\s+years\s+prior)",
)


_PERIOD_START_AT = re.compile(_PERIOD_START.pattern.removeprefix("^"))  # (matched at a position)


def _period_starts(text: str, pos: int = 0) -> bool:
    """A period expression starts at ``pos``."""
    return bool(_PERIOD_START_AT.match(text, pos))


_THE_SUBJECT_OF = re.compile(r"^(?:the\s+)?subject\s+of\b", re.I)


def _transform_predicate(pred: str) -> str:
    words = pred.split()
    i = 0
    had_aux = False
    while i < len(words) and (words[i].lower() in _AUX or words[i].lower() in _ADV):
        lw = words[i].lower()
        if lw in {"have", "has", "had"} and i + 1 < len(words) and not (
            words[i + 1].lower() in _AUX or words[i + 1].lower() in _ADV or words[i + 1].lower() == "not"
            or _PARTICIPLE_OK.search(words[i + 1].lower()) or words[i + 1].lower() in _VERB_MAP
        ):
            words[i] = "with"
            break
        had_aux = True
        i += 1
    words = words[i:]
    if words:
        lw = words[0].lower()
        if lw in _VERB_MAP and not (had_aux and lw.endswith("ed")):
            words[0] = _VERB_MAP[lw]
    out = " ".join(words)
    out = _THE_SUBJECT_OF.sub("subject of", out)
    return out


_PARTICIPLE_OK = re.compile(r"(?:ed|en|ing)$")
_SUBJ_FILLER = (
    r"is|are|was|were|be|been|being|has|have|had|remains|remained|remain|stands|stood|stand|currently|now|still|also|"
    r"only|just|around|about|approximately|approx|some|nearly|almost|over|under|up|to|at|of|by|from|in|on|with|for|than|"
    r"as|a|an|the|our|its|their|this|increased|increase|decreased|decrease|rose|risen|fell|fallen|dropped|declined|"
    r"reduced|improved|reached|totalled|total|totals|slightly|significantly|considerably|higher|lower|better|worse|more|"
    r"less|fewer|little|much|good|high|low|well|steady|steadily|consistently|further|again|rising|falling|declining|"
    r"increasing|compared|against|equivalent|equates|equating|amounting|amounted|averaging|averaged|all-time|"
    r"maximum|minimum|least|most|far|static|stable|broadly|similar|line|performing|"
    r"shows|showed|show|indicates|indicated|continues|continued|continue|appears|appeared|sits|sat|running|runs|ran|"
    r"dropping|declining|same\s+time|same\s+point|the\s+same|time|point|lowest|highest|ever|stretch|place|"
    r"very|really|quite|rather|still|even|figure|level|peak|low\s+of|high\s+of|achieve|achieving|reach|reaching|"
    r"struggle|struggles|overall|respectively|already|and|but|or|so|additional|amounting|an\s+additional|total\s+of"
)
_SUBJ_TRAIL = re.compile(rf"(?:\s*[,]|\s+(?:{_SUBJ_FILLER}))+\s*$", re.I)
# the last word of each filler ("same time" -> "time"): ``_SUBJ_TRAIL`` matches only a text ending in one
_SUBJ_FILLER_LAST = frozenset(alt.split(r"\s+")[-1] for alt in _SUBJ_FILLER.split("|"))


def _may_subj_trail(s: str) -> bool:
    """False when ``_SUBJ_TRAIL`` cannot match ``s`` (a cheap test before the pattern)."""
    t = s.rstrip()
    if not t:
        return False
    if t[-1] == ",":
        return True
    last = t.rsplit(None, 1)[-1]
    return not last.isascii() or last.lower() in _SUBJ_FILLER_LAST


_SUBJ_SPLIT = re.compile(
    r",\s+|\s+and\s+(?=(?:the|a|an|it|this|there|we|they|our|its|their|is|was|has|have|had)\b)|\s+(?:but|while|whilst|although|because|whereas|however|though|if|as|where|when|meaning|given\s+that|"
    r"so\s+that|(?:shows?|showed|found|means|suggests|indicates|confirms|demonstrates|reports?|reported)\s+that|shows?|showed|illustrates?|indicates?|suggests?|means|demonstrates?|found|confirms?|gives?|gave|giving)\s+",
    re.I,
)


_WHITESPACE = re.compile(r"\s+")
_PAREN = re.compile(r"[()]")
# a subject ending in a relative clause: "children who are ..."
_NP_THAT_IS = re.compile(r"^(?P<np>.*?[A-Za-z],?)\s+(?:that|which|who)\s+(?:is|was|are|were)(?:\s+(?:" + _SUBJ_FILLER + r"))*\s*$", re.I)
# a subject that is only a generic measure: "the overall rate"
_BARE_MEASURE_SUBJ = re.compile(r"(?:the\s+|this\s+|our\s+|its\s+)?(?:overall\s+|current\s+|latest\s+)?(?:proportion|percentage|rate|number|figure|performance|level|total)", re.I)
_MEASURE_OF = re.compile(r"\b(?:number|numbers|proportion|percentage|rate|total)\s+of\s+", re.I)
_ING_WORD = re.compile(r"\w+ing")


_OF_THEM = re.compile(r"^(?:of\s+)?(?:them|these|those|whom|which)\s+", re.I)
_CLAUSE_OPENS = re.compile(r"(?:,\s*|\s)(?:so\s+that|such\s+that|meaning\s+that|which\s+means\s+that|because|although|whereas|while|whilst|as\s+a\s+result)\s*$", re.I)
_CLAUSE_OPENS_LAST = ("that", "because", "although", "whereas", "while", "whilst", "result")
_REL_WORDS = ("that", "which", "who")
_COPULA_NP = re.compile(r"^(?:are|is|were|was)\s+(?!(?:also|still|now|not|being|placed|living|in|at|on|with|from|out|outside|within|under|subject)\b)(?![a-z]+(?:ed|ing)\b)[a-z]", re.I)


@functools.lru_cache(maxsize=2048)
def _left_subject(s: str, lo: int, pos: int, _depth: int = 0, before_paren: bool = True) -> str:
    """The subject the number is the value of: "The proportion of X was 7%" -> "The proportion of X"."""
    seg = s[lo:pos]
    cut = max(seg.rfind(";"), seg.rfind(":"), seg.rfind(" – "), seg.rfind(" - "), seg.rfind("—"))
    depth, open_at = 0, -1
    if "(" in seg:  # (without one, a ")" leaves the depth at 0)
        for m in _PAREN.finditer(seg):
            if m.group() == "(":
                depth, open_at = depth + 1, m.start()
            else:
                depth = max(0, depth - 1)
    if depth > 0:
        if before_paren and open_at > cut and not _content_words(seg[open_at + 1:]):
            # "(from 72 to 82 per 10,000": the subject is before the parenthesis
            seg = seg[:open_at]
            cut = max(seg.rfind(";"), seg.rfind(":"), seg.rfind(" – "), seg.rfind(" - "), seg.rfind("—"))
        else:
            cut = max(cut, open_at)
    seg = seg[cut + 1:]
    tail = seg.rstrip()[-8:]
    if (not tail.isascii() or tail.lower().endswith(_CLAUSE_OPENS_LAST)) and _CLAUSE_OPENS.search(seg):
        return ""  # "..., so that 100% were completed": the number opens a clause of its own
    for p in reversed(find_periods(seg)):
        seg = seg[:p.start] + " " + seg[p.end:]
    seg = _WHITESPACE.sub(" ", seg)
    low = seg.lower()
    rel = _NP_THAT_IS.search(seg) if not seg.isascii() or any(map(low.__contains__, _REL_WORDS)) else None
    if rel and rel.group("np").rstrip().endswith(",") and _depth < 1:
        inner = _left_subject(rel.group("np").rstrip().rstrip(","), 0, len(rel.group("np").rstrip().rstrip(",")), _depth=1)
        if _content_words(inner):
            return inner
    if rel and not rel.group("np").rstrip().endswith(","):
        np_rel = _np_before(rel.group("np") + " ", len(rel.group("np")) + 1)
        if _content_words(np_rel):
            return np_rel
    prev = None
    while prev != seg and _may_subj_trail(seg):
        prev = seg
        seg = _strip_tail(_SUBJ_TRAIL, seg)
    parts = [p.strip() for p in _SUBJ_SPLIT.split(seg) if p and p.strip()]
    if not parts:
        return ""
    subj = parts[-1]
    first = subj.split()[0].lower() if subj.split() else ""
    generic_measure = _BARE_MEASURE_SUBJ.fullmatch(subj)
    if len(parts) >= 2 and not generic_measure and (_ING_WORD.fullmatch(first) and first not in {"young"} or not _content_words(subj)) and not _PRONOUN_START.match(subj):
        subj = parts[-2]
    ms = list(_MEASURE_OF.finditer(subj))
    if ms:
        subj = subj[ms[-1].start():]
    words = subj.split()
    for idx, w in enumerate(words):
        lw = w.lower().strip(",")
        if idx > 0 and lw in _CUT_VERBS and lw != "being" and not any(x.lower() in {"who", "which", "that", "whose", "whom", "where"} for x in words[max(0, idx - 5):idx]):
            subj = " ".join(words[:idx])
            break
    return subj.strip()


def _np_before(s: str, pos: int) -> str:
    """The noun phrase right before a parenthesis: "half the LAC population (351/187)"."""
    seg = s[:pos].rstrip(" (")
    words = seg.split()
    out: list[str] = []
    for w in reversed(words):
        lw = w.lower().strip(",.;:")
        if w[-1:] in ",.;:" or lw in _AUX or lw in {"given", "although", "while", "whilst", "because"}:
            break
        out.insert(0, w)
        if len(out) >= 8:
            break
    det = next((k for k, w in enumerate(out) if w.lower() in {"a", "an", "the", "our", "its", "their"}), None)
    if det and not any(w.lower() in {"of", "in", "for", "to", "with", "on", "at", "from"} for w in out[:det]):
        out = out[det:]
    return " ".join(out)


def _label_from_parts(np: str, pred: str, force_pred: bool = False) -> str:
    np = np.strip()
    if not pred:
        return np
    head = (_head(np).split() or [""])[-1].lower() if np else ""
    if np and not force_pred and head not in _GENERIC_HEADS and not pred.split()[0].lower() in {"who", "that", "which", "whose"}:
        return np
    pred_t = _transform_predicate(pred)
    if pred_t and np and _GENERIC_HEADS & {head} and pred_t.lower().split()[-1:] == [head] and len(np.split()) <= 4:
        return pred_t  # "12 children are unaccompanied asylum-seeking children"
    return f"{np} {pred_t}".strip()


def _find_group(left: str, right: str) -> str | None:
    m = _GROUP_RIGHT_ANY.match(right)  # (the first group, in order, whose pattern matches)
    if m:
        return _GROUP_RIGHT[int(m.lastgroup[1:])][0]
    if _GROUP_RIGHT_NATIONALLY.match(right):
        return "england"
    tail = " ".join(left.split()[-9:])
    if not _may_name_group(tail):
        return None
    best = None
    for g, rx in _GROUP_LEFT:
        for m in rx.finditer(tail):
            if best is None or m.start() > best[1]:
                best = (g, m.start(), m.end())
            break
    if best:
        g, at, _ = best
        before = tail[:at]
        cue_m = _GROUP_RES[[x for x, _ in _GROUP_RES].index(g)][1].search(tail, at)
        after = tail[cue_m.start():] if cue_m else tail[at:]
        # "better than the national average, at 88%": the cue names what is compared against,
        # so the number is the comparator only when the cue is followed by is / of / at / was
        if _VS_BEFORE_CUE.search(before) and not _CUE_THEN_VALUE.search(after):
            return None
        if not _CUE_THEN_VALUE.search(after):
            return None
        return g
    return None


# text ending in a change from an earlier value: "an improvement from the 2019 figure of"
_CHANGE_FROM_END = re.compile(r"\b(?:deterioration|improvement|increase|decrease|reduction|rise|fall|drop|decline|change|up|down|rising|falling|dropping)\s+(?:from|on)\s+(?:the\s+|a\s+|an\s+)?(?:(?:19|20)\d{2}(?:\s*[-–/]\s*\d{2,4})?\s+)?(?:(?:figure|rate|level|performance|position|result)\s+(?:of\s+)?)?$", re.I)
# text ending in a link to a second value: ", compared with", "up from", "to"
_CHAIN_LINK_END = re.compile(r"(?:^|[,;(]|\band)\s*(?:(?:this\s+is\s+)?(?:compared\s+(?:with|to)|against|up\s+from|down\s+from|from|versus|vs\.?|rising\s+to|falling\s+to|to))\s+(?:only\s+|just\s+|around\s+|about\s+|approximately\s+|a\s+|an\s+|the\s+|a\s+high\s+of\s+|a\s+low\s+of\s+)*$", re.I)
# text ending in a comparison phrase: "compared with about"
_COMPARISON_END = re.compile(r"\b(?:compared\s+(?:with|to)|in\s+comparison\s+(?:with|to)|as\s+against|down\s+from|up\s+from)\s+(?:only\s+|just\s+|around\s+|about\s+|approximately\s+|a\s+|an\s+|the\s+)*$", re.I)
# text made only of words that join values in a chain of figures
_CHAIN_FILLER = re.compile(r"(?:\s|[,;()]|\b(?:to|and|or|from|then|now|compared\s+(?:with|to)|against|versus|vs\.?|rising|falling|dropping|increasing|declining|"
        r"reducing|down|up|at|of|in|the|a|an|only|just|around|about|approximately|further|previous|current|before|after|"
        r"respectively|while|whilst|whereas|but|this|that|which|is|was|were|are|had|has|have|been|risen|fallen|dropped|increased|decreased|declined|reduced|"
        r"improved|rose|fell|high|low|peak|all-time|last|year|month|quarter|our|its|their|rate|figure|level|performance|"
        r"latest|recent|most|with|than|a\s+high\s+of|a\s+low\s+of|rising\s+to|going|gone|up\s+to|compared|equivalent|or|i\.e\.|"
        r"same|time|point|period|since|by|over|with)\b)*", re.I)


@functools.lru_cache(maxsize=2048)
def _is_chain(left: str) -> bool:
    """The text between two numbers joins them as values of one measure."""
    if _CHANGE_FROM_END.search(left):
        return True
    if _COMPARISON_END.search(left) and len(left) < 60:
        return True
    if _CHAIN_LINK_END.search(left):
        return True
    return len(left) < 70 and bool(_CHAIN_FILLER.fullmatch(left))


# target and comparator cue words
_CUE_WORDS = re.compile(r"\b(?:targets?|stretch|overall|aim|ambition|goal|average|averages|nationally|national)\b", re.I)
_COMPARED_OR_IN_PLACE = re.compile(r"\b(?:compared\s+(?:with|to)|is\s+in\s+place)\b", re.I)


@functools.lru_cache(maxsize=2048)
def _strip_cues(subj: str) -> str:
    s = subj
    if _may_name_group(s):
        for _, rx in _GROUP_RES:
            s = rx.sub(" ", s)
    s = _AREA_NOISE.sub(" ", s)
    s = _CUE_WORDS.sub(" ", s)
    s = _COMPARED_OR_IN_PLACE.sub(" ", s)
    s = _COMPARISON_WORDS.sub(" ", s)
    return normalise_space(s)


_COMPARISON_WORDS = re.compile(
    r"\b(?:in\s+line\s+with|similar\s+to|(?:well|much|slightly|significantly|considerably|just|broadly|also|still)\s+|"
    r"(?:above|below|higher|lower|better|worse|greater|less|more)(?:\s+than)?|is|was|are|were|it|this|figures?\s+(?:of|for))\b",
    re.I,
)


_NONE_OF_WHOM = re.compile(r"\b(none)\s+of\s+(?:whom|which)\b|\bof\s+(?:whom|which)\s+(none)\b", re.I)
_RESPECTIVELY = re.compile(r"\brespectively\b")
# a sentence opening with "Of these", "Of this number" (refers back to a lead figure)
_OF_THESE = re.compile(r"^\W*of\s+(?:this\s+number|these|them|those|this\s+total|this\s+group)\b(?!\s*:)(?!\s+(?:between|aged|who|in|with|under|over|from|at|living|leaving|placed))", re.I)
# a sentence opening with "No children", "None of the young people", "None were"
_NONE_START = re.compile(r"^\s*(no|none\s+of\s+the)\s+(?=children|young\s+people|child\b)|^\s*(none)\s+(?=live|lived|are|were|is|was|have|has|became|ceased)", re.I)
# a sentence about the figure of the sentence before: "This compares with 75% nationally."
_ANAPHORIC = re.compile(
    r"^\W*(?:this|which|it|these|that|those|compared|by\s+comparison|in\s+comparison|nationally|(?:current\s+|overall\s+)?performance|"
    r"the\s+(?:national|england|regional|london)\s+(?:average|figure|rate)|statistical\s+neighbours|"
    r"the\s+(?:figure|rate|proportion|percentage|level|total)\s+(?:for|in|at|was|is|has|had|now|currently|stood|stands|remains))\b",
    re.I,
)
_THE_FIGURE = re.compile(r"^\W*the\s+(?:figure|rate|proportion|percentage|number|level|total)\s+(?:for|in|at|was|is|has|had|now|currently|stood|stands|remains)\b", re.I)
_THIS_WHICH_START = re.compile(r"^\W*(?:this|which|it|these|that)\b", re.I)
_OUT_OF_TAIL = re.compile(r"\bout\s+of\s+(?:a|an|the)?\s*(?:total\s+)?(?:(?P<noun>[a-z]+)\s+of\s+)?$", re.I)
# after a number: "of the ", "(x) of all "
_OF_DETERMINER = re.compile(r"\s*(?:\((?:[^()]{0,40})\)\s*)?of\s+(?:the\s+|all\s+|these\s+|those\s+|our\s+|its\s+|their\s+)?")
# a change noun then an open bracket: "an increase ("
_CHANGE_OPEN_PAREN = re.compile(r"\b(?:increase|rise|growth|reduction|decrease|drop|fall|decline|improvement|deterioration|change)\s*\(\s*$", re.I)
_OF_WHOM_TAIL = re.compile(r"\bof\s+(?:whom|which|these|those|them)\s*,?\s*(?:only\s+|just\s+|around\s+|about\s+|a\s+further\s+)?$", re.I)
# case-insensitive twin of _OF_WHOM_NEXT
_OF_WHOM_NEXT_ANYCASE = re.compile(r"\s*of\s+(?:whom|which)\b", re.I)
# the whole text before the number is "This is approximately", "which represents a"
_THIS_IS_LEFT = re.compile(r"^\W*(?:this|which|it|these|that)\s+(?:is|was|are|were|represents|represented|equates\s+to|is\s+equivalent\s+to|amounts\s+to)\s+(?:a\s+rate\s+of\s+|approximately\s+|around\s+|about\s+|an?\s+)?$", re.I)
# "This is a small increase from" before the number
_THIS_IS_A_CHANGE_FROM = re.compile(r"^\W*(?:this|which|it)\s+(?:is|was|represents)\s+(?:a|an)\s+(?:\w+\s+)?(?:increase|reduction|decrease|rise|fall|drop|decline|change)\s+(?:from|on|since)\s+(?:approximately\s+|around\s+)?$", re.I)
_PER_UNIT = re.compile(r"\s*(per\s+(?:week|year|annum|month|day|child|placement|head|young\s+person))\b", re.I)
# the gap between two numbers of a range or pair: " to ", " and ", "-"
_RANGE_JOIN = re.compile(r"\s*(?:to|and|or|-|–)\s*")
_FROM_TAIL = re.compile(r"\bfrom\s+$")
# the gap between two listed values, optionally with short prepositional phrases: " in 2019, and in 2020 "
_PP_LIST_GAP = re.compile(r"\s*(?:(?:in|for|at|on)\s+[\w'’-]+(?:\s+[\w'’-]+)?\s*)?(?:,|and|or)\s*(?:and\s+)?(?:(?:in|for|at|on)\s+[\w'’-]+(?:\s+[\w'’-]+)?\s*)?")
_NO_OR_NONE_START = re.compile(r"\s*(?:no|none)\b", re.I)
_ARTICLE_TAIL = re.compile(r"\b(?:a|an|the)\s+$")
# one word after the number then a break: " higher than", " children,"
_ONE_WORD_THEN_BREAK = re.compile(r"^\s*\w+\s*(?:(?:than|on|target)\b|[,.;]|and\b|$)")
# a list gap between comparator values: ", and the "
_COMPARATOR_LIST_GAP = re.compile(r"\s*(?:,|and|or|respectively|;)?\s*(?:,|and|or)\s*(?:the\s+)?")
_OF_THESE_NEXT = re.compile(r"\s*(?:\([^()]{0,30}\)\s*)?of\s+(?:these|those|them|whom)\b", re.I)
# a count followed by a word (not a range or an age): "373 children"
_COUNT_THEN_NOUN = re.compile(r"(?:\d[\d,]*|" + _WORD_NUM_RE + r")\s+(?!(?:to|and|or|-|–)\s*\d|[-–]?\s*years?[-\s]?old)", re.I)
# the rest of a bracket after a number: "%) of the "
_PAREN_CLOSE_OF = re.compile(r"[^()]*\)\s*(?:of\s+(?:the\s+|all\s+)?)?")
_LIST_SEP_GAP = re.compile(r"\s*(?:,|and|or|&)?\s*(?:,|and|or|&)?\s*")
# the gap before a bracketed alternative: " (or ", " (a rate of "
_PAREN_RATE_OPEN = re.compile(r"\s*\(\s*(?:or|a\s+rate\s+of|rate\s+of)?\s*", re.I)
# the gap before any bracketed restatement: " (which is ", " (up from "
_PAREN_GLOSS_OPEN = re.compile(r"\s*\(\s*(?:or|a\s+rate\s+of|rate\s+of|which\s+is|equivalent\s+to|i\.e\.?|that\s+is|up\s+from|down\s+from|from)?\s*", re.I)
# text ending in "(a rate of ", "(or "
_PAREN_RATE_TAIL = re.compile(r"\(\s*(?:a\s+rate\s+of|rate\s+of|or|equivalent\s+to)\s*$", re.I)
_OF_WHOM_NEXT = re.compile(r"\s*of\s+(?:whom|which)\b")
# a few words then an open bracket: " and White Other ("
_WORDS_OPEN_PAREN = re.compile(r"\s*(?:of\s+)?[A-Za-z'’ -]{0,60}\(\s*")
_VERB_OR_REL_WORD = re.compile(r"\b(?:who|that|which|are|is|were|was|have|has|had)\b")
_IS_COMPARATIVE = re.compile(r"^(?:is|are|was|were)\s+(?:also\s+|much\s+|significantly\s+|slightly\s+)?(?:lower|higher|better|worse|above|below|similar|in\s+line)", re.I)
_FROM_ABOUT_TAIL = re.compile(r"\bfrom\s+(?:approximately\s+|around\s+|about\s+)?$")
_TO_ABOUT_TAIL = re.compile(r"^[^,;.]{0,60}\bto\s+(?:only\s+|just\s+|around\s+|about\s+|approximately\s+)?$")
_APOS_WORD = re.compile(r"[A-Za-z']+")
_ACCOUNTS_FOR_TAIL = re.compile(r"\b(?:account(?:s|ed)?\s+for|make(?:s)?\s+up|made\s+up|represent(?:s|ed)?|comprise(?:s|d)?|form(?:s|ed)?)\s+(?:approximately\s+|around\s+|about\s+|almost\s+|nearly\s+|over\s+)?$", re.I)
_ACCOUNTS_FOR_REST = re.compile(r"\s+(?:account(?:s|ed)?\s+for|make(?:s)?\s+up|made\s+up|represent(?:s|ed)?|comprise(?:s|d)?|form(?:s|ed)?)\b.*$", re.I)
_COMMA_AND_GAP = re.compile(r"\s*(?:,|and)\s*(?:and\s+)?")
_AVERAGE_OF_TAIL = re.compile(r"\b(?:averag(?:e|es|ed|ing)|average\s+of|mean\s+of)\s+(?:around\s+|about\s+|approximately\s+)?$", re.I)
_POPULATION_NP = re.compile(r"(?:total\s+)?(?:population|total)(?:\s+in\s+the\s+area)?", re.I)
_SEMI_OR_COLON = re.compile(r"[;:]")
_LEADING_PREP = re.compile(r"^\W*(?:after|before|following|since|during|by|in|on|at|from|with|without|through)\b", re.I)


def _paren_depths(sent: str, positions: list[int]) -> list[int]:
    """How many parentheses are open at each of ``positions`` (ascending); a ")" too many is ignored."""
    if "(" not in sent:
        return [0] * len(positions)
    parens = _PAREN.finditer(sent)
    out, d = [], 0
    m = next(parens, None)
    for pos in positions:
        while m is not None and m.start() < pos:
            d = d + 1 if m.group() == "(" else max(0, d - 1)
            m = next(parens, None)
        out.append(d)
    return out


def _analyse_sentence(sent: str, state: _State, prev_recs: list[_Rec], block_first: _Rec | None, la_name, is_bullet: bool) -> list[_Rec]:
    nums = find_numbers(sent)
    lead = state.lead
    if not nums and not (lead is not None and _NO_OR_NONE_START.match(sent)):
        return []
    ref = block_first or (prev_recs[0] if prev_recs else None)
    if ref is not None and _OF_THESE.match(sent):
        lead = _Lead(ref.label, ref.period, f"{ref.label} {ref.ctx} {ref.sent}")
    if lead is not None:  # "no children ... " / "none live in ..." at the start of a bullet: zero
        m = _NONE_START.match(sent)
        if m:
            g = 1 if m.group(1) else 2
            nums.insert(0, Num(m.start(g), m.end(g), 0.0, m.group(g), None, "word", num_end=m.end(g)))
    for m in _NONE_OF_WHOM.finditer(sent) if "none" in _fold(sent) else ():  # "50 children ceased ..., none of whom subsequently returned"
        g = 1 if m.group(1) else 2
        if nums and nums[0].start < m.start() and not any(n.start == m.start(g) for n in nums):
            nums.append(Num(m.start(g), m.end(g), 0.0, m.group(g), None, "word", num_end=m.end(g)))
    nums.sort(key=lambda n: n.start)
    if not nums:
        return []
    depth_at = _paren_depths(sent, [n.start for n in nums])
    definitional = {
        k for k, n in enumerate(nums)
        if n.unit in {"days", "weeks", "months", "years", "hours"} and _DEFINITIONAL_DURATION.search(sent[max(0, n.start - 30):n.start])
    }
    periods = find_periods(sent, sent)
    lead_period = None
    for p in periods:
        if p.end <= nums[0].start and sent[:p.start].count(",") == 0 and p.start < 80:
            lead_period = p
            break
    pronoun_sentence = bool(_THIS_WHICH_START.match(sent))
    recs: list[_Rec] = []
    for i, n in enumerate(nums):
        r = _Rec(num=n, sent=sent, unit=n.unit, prev=recs[-1] if recs else None)
        recs.append(r)
        prev = nums[i - 1] if i > 0 else None
        lo = prev.end if prev else 0
        prev_rec = recs[i - 1] if i > 0 else None
        if i > 0 and not recs[i - 1].keep:  # a dropped number ("5 A* to Cs", "within 26 weeks") does not end the subject
            lo = next((nums[k].end for k in range(i - 2, -1, -1) if recs[k].keep), 0)
            prev_rec = next((recs[k] for k in range(i - 2, -1, -1) if recs[k].keep), None)
        nxt_start = len(sent)
        for j in range(i + 1, len(nums)):
            if depth_at[j] <= depth_at[i] and j not in definitional and not (nums[j].kind == "word" and nums[j].value == 1 and nums[j].unit is None):
                nxt_start = nums[j].start
                break
        left = sent[lo:n.start]
        right_full = sent[n.end:]
        # the last words before the number (lower case): the patterns anchored at the end of
        # ``left`` ("... increased by", "of whom", "(") can match only after some of them
        left_end = left.rstrip()
        left_tail = _fold(left_end[-14:])
        # ----- change, target, comparator ---------------------------------------------------
        if (
            n.unit == "percentage_points"
            or left[-1:].isspace() and left_tail.endswith(_CHANGE_LEFT_LAST) and _CHANGE_LEFT.search(left[-60:])
            or left_end.endswith("(") and _CHANGE_OPEN_PAREN.search(left[-30:])
            or (_ARTICLE_TAIL.search(left[-6:]) and _CHANGE_RIGHT.match(right_full))
            or (_COMPARATIVE_RIGHT.match(right_full) and n.unit in {"percent", "percentage_points", None, "rate_per_10000", "days", "weeks", "months"}
                and (_ONE_WORD_THEN_BREAK.match(right_full) or _BEYOND_TARGET.match(right_full)))
        ):
            r.is_change = True
        tgt_left = left[-90:]
        if any(map(_fold(tgt_left).__contains__, _TARGET_WORDS)) and (  # (else neither pattern can match)
                _TARGET_LEFT.search(tgt_left) and not _NOT_TARGET.search(tgt_left) or _TARGET_ADJ.search(left[-40:])):
            r.value_type = "target"
        else:
            g = _find_group(left, right_full[:60])
            if g is None and i > 0 and recs[i - 1].value_type == "comparator" and _COMPARATOR_LIST_GAP.fullmatch(left):
                g = recs[i - 1].group
            if g is not None:
                r.value_type, r.group = "comparator", g
        # ----- label ------------------------------------------------------------------------
        label, weak = "", True
        attached = i > 0 and depth_at[i] > depth_at[i - 1] and (bool(_PAREN_GLOSS_OPEN.fullmatch(left))
            or bool(_PAREN_RATE_TAIL.search(left))
            or bool(_WORDS_OPEN_PAREN.fullmatch(left)) and not any(
                w.lower() in _AUX or w.lower() in _FINITE for w in _APOS_WORD.findall(left)))
        of_whom = left_tail.endswith(_OF_WHOM_LAST) and _OF_WHOM_TAIL.search(left) or (
            n.raw.lower() == "none" and i > 0 and _OF_WHOM_NEXT_ANYCASE.match(sent[n.end:])) or (
            i > 0 and _OF_THESE_NEXT.match(sent[n.end:]))
        out_of = _OUT_OF_TAIL.search(left) if "out" in _fold(left) else None
        frac_second = n.fraction_of is not None and i > 0 and n.fraction_of == i - 1
        frac_first = n.fraction_of is not None and n.fraction_of == i + 1
        body_start = n.end
        if n.unit in {"rate_per_10000", "rate_per_1000", "rate_per_100000"}:
            dm = _RATE_DENOMINATOR.match(sent, n.end)
            if dm:
                body_start = dm.end()
        stop = nxt_start if nxt_start > body_start else len(sent)
        of_form = _OF_DETERMINER.match(sent[body_start:])
        if n.raw.lower() == "none" and _OF_WHOM_NEXT_ANYCASE.match(sent[body_start:]):
            np, pred = _np_after(sent, body_start + _OF_WHOM_NEXT_ANYCASE.match(sent[body_start:]).end(), len(sent))
        elif of_form and not _OF_WHOM_NEXT.match(sent[body_start:]):
            of_end = body_start + of_form.end()
            mnum = _COUNT_THEN_NOUN.match(sent[of_end:])  # "67% of the 373 children", "195 of the 198 care leavers"
            if mnum:
                of_end += mnum.end()
                stop = next((nn.start for nn in nums if nn.start >= of_end), len(sent))
            np, pred = _np_after(sent, of_end, stop if stop > of_end else len(sent))
        else:
            np, pred = _np_after(sent, body_start, stop)
        words_np = np.split()
        if len(words_np) > 2 and words_np[0].lower() in _CHANGE_NOUNS and words_np[1].lower() in {"in", "of"}:
            np, words_np = " ".join(words_np[2:]), words_np[2:]  # "the 48% increase in children subject to ..."
            r.is_change = True
        if words_np and words_np[0].lower() in {"from", "in", "at", "for", "with", "on", "within", "across", "among"}:
            pred, np, words_np = f"{np} {pred}".strip(), "", []
        head_np = _head(np).split() or words_np
        np_ok = bool(words_np) and head_np[-1].lower() not in _NOT_COUNT_HEADS and words_np[0].lower() not in _NP_BAD_START \
            and words_np[-1].lower() not in _CHANGE_NOUNS and words_np[0].lower() not in _CHANGE_NOUNS and bool(_content_words(np))
        if not np_ok:
            np = ""
        r.np = np
        pron = i == 0 and prev_recs and _THIS_IS_LEFT.match(sent[:n.start])
        paren_np = None
        if not attached and not frac_first and not frac_second and depth_at[i] > 0 and left_end.endswith("("):  # (a number just after "(")
            paren_at = sent.rfind("(", 0, n.start)
            raw_subj = _left_subject(sent, lo if i > 0 else 0, paren_at)
            paren_np = _clean_label(raw_subj, la_name)
            at = sent.rfind(raw_subj, lo if i > 0 else 0, paren_at) if raw_subj else -1
            if at >= 0:  # "Most care leavers ... are in education, training or employment (86%)"
                rest = sent[at + len(raw_subj):paren_at]
                for p in reversed(find_periods(rest)):
                    rest = rest[:p.start] + rest[p.end:]
                rest = normalise_space(rest).strip(" ,")
                first = rest.split()[0].lower() if rest else ""
                cm = _COPULA_NAME.fullmatch(rest)
                if cm and _content_words(paren_np):  # "The largest minority ethnic groups ... are Pakistani (8%)"
                    paren_np = f"{cm.group(1).lower()} ({paren_np})"
                    rest = ""
                    first = ""
                pred_t = _transform_predicate(rest) if first and (first in _AUX or first in _FINITE or first in _VERB_MAP) else ""
                head_t = pred_t.split()[0].lower() if pred_t else ""
                if head_t and len(rest.split()) <= 12 and not _CLAUSE_COMMA.search(rest) and (head_t in _PRED_PREPS or (
                        head_t.endswith(("ing", "ed")) and head_t not in _EVALUATIVE)):
                    paren_np = _clean_label(f"{raw_subj} {pred_t}", la_name)
            if not _content_words(paren_np) or len(paren_np.split()) > 14:
                paren_np = _clean_label(_np_before(sent, n.start), la_name)
            if prev_rec is not None and _NAME_OF_GROUP.fullmatch(prev_rec.label or "") and len(paren_np.split()) <= 3 and \
                    _LIST_AND_PAREN.match(left):  # "... are Pakistani (8%) and White Other (6%)"
                paren_np = f"{paren_np} ({_NAME_OF_GROUP.fullmatch(prev_rec.label).group(2)})"
        if not pron and i == 0 and prev_recs and _THIS_IS_A_CHANGE_FROM.match(sent[:n.start]) and (not np or _GENERIC_NOUN.match(np)):
            pron = True
        if pron:
            base = prev_recs[0].label
            label = f"{base} as a percentage of the {np}" if (np and of_form and n.unit == "percent") else base
            r.linked = True
        elif paren_np is not None and (not np or not of_form):
            after_paren = _PAREN_CLOSE_OF.match(sent[n.end:])
            np2, pred2 = _np_after(sent, n.end + after_paren.end(), len(sent)) if after_paren else ("", "")
            if np2 and _PREP_START.match(np2):
                np2, pred2 = "", f"{np2} {pred2}".strip()
            if paren_np and _content_words(paren_np):
                label = paren_np
                if pred2 and not np2 and (_pred_is_verbal(pred2) or _PREP_START.match(pred2)) and not _VERB_OR_REL_WORD.search(paren_np) and not _IS_COMPARATIVE.match(pred2):
                    label = f"{paren_np} {_transform_predicate(pred2)}"
            elif np2:
                label = _label_from_parts(np2, pred2, force_pred=True)
            elif pred2:
                label = _transform_predicate(pred2)
            r.linked = bool(label)
        elif not np and r.value_type in {"comparator", "target"} and not attached and not of_whom and (
                any(x.value_type == "actual" and x.label for x in recs[:i]) or (i == 0 and prev_recs)):
            base = next((x for k2, x in reversed(list(enumerate(recs[:i]))) if x.value_type == "actual" and x.label
                         and not x.label.endswith("(denominator)") and depth_at[k2] <= depth_at[i]), None) or next(
                (x for x in reversed(recs[:i]) if x.value_type == "actual" and x.label), None)
            if base is None and _ANAPHORIC.match(sent):  # "This compares with ...": the sentence before says what is compared
                base = next((x for x in prev_recs if x.label and (x.unit or "count") == (r.unit or "count")), None)
            label = base.label if base is not None else (state.chart_topic if r.unit not in _OWN_LABEL_UNITS else "")
            own = _clean_label(_strip_cues(_left_subject(sent, lo if i > 0 else 0, n.start)), la_name)
            if i == 0 and own and not _is_weak(own) and not _PREP_START.match(own):
                label = own
            r.linked = True
        elif not np and prev_rec is not None and prev_rec.label and (_is_chain(left) or (i > 0 and _is_chain(sent[nums[i - 1].end:n.start])) or (
                _FROM_ABOUT_TAIL.search(sent[:nums[i - 1].start])
                and _TO_ABOUT_TAIL.search(left)
                and not any(x.lower() in _AUX or x.lower() in _FINITE for x in _APOS_WORD.findall(left)))) and not attached and not of_whom and not frac_second:
            label = prev_rec.label
            r.linked = True
        elif frac_first:
            label = _np_before(sent, n.start)
            r.linked = True
        elif frac_second:
            base = recs[i - 1]
            subj = _clean_label(_left_subject(sent, 0, nums[i - 1].start, before_paren=False), la_name)
            label = subj if subj and subj != base.label and not _is_weak(subj) else (f"{base.label} (denominator)" if base.label else "")
            r.linked = True
        elif attached:
            label = recs[i - 1].label
            if label.endswith(" (denominator)") and n.unit == "percent":
                label = recs[i - 1].alt_label  # "two of the 25 pupils (8%) achieved ...": 8% of the pupils achieved it
            r.linked = True
        elif of_whom and i > 0:
            base = next((recs[k] for k in range(i - 1, -1, -1) if depth_at[k] == 0), recs[i - 1])
            tail = _label_from_parts(np, pred) if np else (_transform_predicate(pred) if pred else "")
            if not np and _COPULA_NP.match(pred or ""):
                tail = f"who are {tail}"  # "Two of them are unaccompanied asylum-seeking young people"
            label = f"{base.label} {tail}".strip() if base.label else tail
            r.linked = True
        elif np and of_form and n.unit == "percent" and _ACCOUNTS_FOR_TAIL.search(left):
            subj = _left_subject(sent, lo if i > 0 else 0, n.start + 0)
            subj = _ACCOUNTS_FOR_REST.sub("", subj)
            label = f"{subj} as a percentage of {np}" if _content_words(subj) else np
        elif np and of_form and n.unit == "percent" and i > 0 and " as a percentage of " in recs[i - 1].label and _COMMA_AND_GAP.fullmatch(left):
            label = recs[i - 1].label.split(" as a percentage of ")[0] + " as a percentage of " + np
        elif np and _AVERAGE_OF_TAIL.search(left) and _content_words(_left_subject(sent, lo if i > 0 else 0, n.start)):
            label = f"{_left_subject(sent, lo if i > 0 else 0, n.start)} (average {np})"  # "caseloads averaging 20 young people"
        elif np and of_form and n.unit == "percent" and _POPULATION_NP.fullmatch(np) and _content_words(
                _left_subject(sent, lo if i > 0 else 0, n.start)):
            label = f"{_left_subject(sent, lo if i > 0 else 0, n.start)} as a percentage of the {np}"  # "the child population has risen from 20% of the total population"
        elif i > 0 and _BARE_OF.fullmatch(left) and recs[i - 1].label and nums[i - 1].unit is None and n.unit is None:
            label = f"{recs[i - 1].label} (denominator)"  # "142 of 150 posts filled": 150 is all the posts
            r.alt_label = _clean_label(_label_from_parts(np, pred), la_name) if np else ""
            r.linked = True
        elif np:
            label = _label_from_parts(np, pred, force_pred=bool(of_form) and n.unit == "percent")
            if out_of and out_of.group("noun"):
                label = f"{out_of.group('noun')} of {label}"
        elif out_of and out_of.group("noun"):
            label = out_of.group("noun")
        elif out_of and i > 0 and recs[i - 1].label:
            label = f"{recs[i - 1].label} (denominator)"
            r.linked = True
        elif pred and i > 0 and recs[i - 1].np and len(left) < 100 and not _SEMI_OR_COLON.search(left) and (_pred_is_verbal(pred) or _PREP_START.match(pred)):
            label = f"{_head(recs[i - 1].np)} {_transform_predicate(pred)}"  # "34 cases had not ... and 28 had progressed"
            r.linked = True
        elif pred and lead is not None and lead.label and _pred_is_verbal(pred) and i == 0:
            base = lead.label if len(lead.label.split()) <= 8 else _head(lead.label)
            label = f"{base} {_transform_predicate(pred)}"  # "174 (or 51%) live outside the area"
            r.linked = True
        elif (pred and i == 0 and n.unit is None and state.prev_in_block and prev_recs and prev_recs[0].label and not prev_recs[0].linked
              and (prev_recs[0].unit or "count") == "count"
              and _pred_is_verbal(pred) and _NUMBER_OPENS.match(sent[:n.start])):
            # "The local authority operates three children's homes. Two were judged to be good ..."
            pred = _OF_THEM.sub("", pred)
            label = f"{prev_recs[0].label} {'who are ' if _COPULA_NP.match(pred) else ''}{_transform_predicate(pred)}"
            r.linked = True
        else:
            subj = _left_subject(sent, lo if i > 0 else 0, n.start)
            if r.value_type in {"comparator", "target"}:
                subj = _strip_cues(subj)
            label = subj
            if pred and _pred_is_verbal(pred) and (not _content_words(subj) or _LEADING_PREP.match(subj)):
                label = _transform_predicate(pred)
                r.linked = True
        if n.unit in {"days", "weeks", "months"} and _TIME_SPAN.match(pred or "") and (not np or _is_weak(_clean_label(label, la_name))):
            label = "time " + _FROM_THE_TIME.sub("from ", pred)  # "an average of 450 days from the time a child enters care to ..."
        label = _clean_label(label, la_name)
        named = _strip_names(label, sent)
        weak = _is_weak(label) or (named != label and bool(_GENERIC_MEASURE.search(label)) and (
            _is_weak(named) or bool(_GENERIC_MEASURE.fullmatch(named))))  # "Durham rates were 11.4%"
        if weak or (_PREP_START.match(label) and lead is not None):
            label = _inherit(label, i, r, recs, left, sent, state, lead, prev_recs, pronoun_sentence, la_name) or ("" if weak else label)
        r.label = label
        r.weak = _is_weak(label)
        if n.unit == "money" or n.kind == "money":
            pm = _PER_UNIT.match(right_full)
            if pm and r.label:
                r.label = f"{r.label} {pm.group(1).lower()}"
        # ----- keep or drop -----------------------------------------------------------------
        r.keep = _decide_keep(r, n, bool(np), left, sent)
        r.left, r.in_list = left, lead is not None
        # ----- period -----------------------------------------------------------------------
        if attached:
            r.period = recs[i - 1].period
        if r.period is None:
            used = [x.period for x in recs[:i] if x.period is not None and x.period is not lead_period]
            r.period = _period_for(n, [p for p in periods if not any(p is u for u in used)] if used else periods, lead_period, sent, lo, nxt_start)
        if r.period is None and lead is not None:
            r.period = lead.period
        ctx = [lead.context if lead is not None else "", _topic(state)]
        if attached or frac_second or of_whom:
            ctx.append(recs[i - 1].ctx)
        r.ctx = " ".join(c for c in ctx if c)
    respectively = "respectively" in sent
    if respectively and _RESPECTIVELY.search(sent):  # "37% and 31.9% ... national average of 24.5% and 20.6% respectively"
        comps = [k for k, r in enumerate(recs) if r.value_type == "comparator"]
        acts = [k for k, r in enumerate(recs) if r.value_type == "actual" and (not comps or k < comps[0])]
        if len(comps) >= 2 and len(acts) >= len(comps):
            for c, a in zip(comps, acts[-len(comps):]):
                if recs[a].label:
                    recs[c].label = recs[a].label
                    recs[c].weak = False
    if len(periods) == 1 and periods[0].start >= nums[-1].end and ";" not in sent[nums[0].start:periods[0].start] \
            and not _COMPARISON_BASE.search(sent[max(0, periods[0].start - 40):periods[0].start]):
        for r in recs:  # "99% of health assessments and 97% of dental checks ... during the year ending 31 March 2017"
            if r.period is None:
                r.period = periods[0]
    for i in range(len(recs) - 1):
        a_, b_ = recs[i], recs[i + 1]
        if (nums[i].unit is None and nums[i].kind != "money" and nums[i + 1].unit not in {None, "gbp"}
                and _RANGE_JOIN.fullmatch(sent[nums[i].end:nums[i + 1].start])
                and _FROM_OR_BETWEEN.search(sent[:nums[i].start])):
            a_.unit = nums[i + 1].unit  # "from 288 to 286 days"
            a_.is_change = a_.is_change or (b_.is_change and a_.unit == "percentage_points")
        if (a_.period is not None and (b_.period is None or a_.period is b_.period) and _RANGE_JOIN.fullmatch(sent[nums[i].end:nums[i + 1].start])
                and _FROM_OR_BETWEEN.search(sent[:nums[i].start])):
            halves = _PERIOD_PAIR.match(a_.period.label)  # "between 2010–13 and 2012–14, from 288 to 286 days"
            if halves:
                p1, p2 = find_periods(halves.group(1), sent), find_periods(halves.group(2), sent)
                if p1 and p2:
                    a_.period, b_.period = p1[0], p2[0]
        if b_.np and not a_.np and a_.unit == b_.unit and _RANGE_JOIN.fullmatch(sent[nums[i].end:nums[i + 1].start]) and _FROM_TAIL.search(sent[:nums[i].start]):
            a_.label, a_.weak = b_.label, b_.weak  # "an increase from 63% to 66% of care leavers in education"
            a_.keep = a_.keep or (b_.keep and bool(b_.label))
    resp = _RESPECTIVELY.search(sent) if respectively else None
    if resp:
        group_idx = [k for k, n in enumerate(nums) if n.end <= resp.start() and recs[k].value_type in {"actual", "comparator"}]
        # the run of numbers just before "respectively"
        run = []
        for k in reversed(group_idx):
            if not run or _LIST_SEP_GAP.fullmatch(sent[nums[k].end:nums[run[0]].start]):
                run.insert(0, k)
            else:
                break
        if len(run) >= 2:
            cues = []
            head_text = sent[:nums[run[0]].start]
            for g, rx in _GROUP_RES:
                for m in rx.finditer(head_text):
                    cues.append((m.start(), g))
            cues.sort()
            ordered = []
            for pos, g in cues:
                if not ordered or ordered[-1] != g:
                    ordered.append(g)
            ordered = [g for g in ordered if g != "local_authority"]
            if len(ordered) == len(run) and not any(recs[k].value_type == "target" for k in run):
                base = next((recs[k] for k in range(run[0] - 1, -1, -1) if recs[k].value_type == "actual" and recs[k].label
                             and recs[k].unit == recs[run[0]].unit and recs[k].keep), None)
                for k, g in zip(run, ordered):
                    recs[k].value_type, recs[k].group = "comparator", g
                    if base is not None and (not recs[k].label or _is_weak(_strip_cues(recs[k].label))):
                        recs[k].label, recs[k].weak, recs[k].keep = base.label, False, True  # "(10 days and 11 days respectively)"
    for i, r in enumerate(recs):
        if i > 0 and r.unit is None and r.num.kind != "money" and recs[i - 1].unit in {"days", "weeks", "months", "rate_per_10000", "rate_per_1000"} and (
                r.value_type == "comparator" or _is_chain(sent[nums[i - 1].end:nums[i].start])):
            r.unit = recs[i - 1].unit  # "a statistical neighbour average of 211 days and an England average of 217"
            r.keep = bool(r.label) and not r.weak
        if i > 0 and recs[i - 1].is_change and not r.is_change and _PP_LIST_GAP.fullmatch(sent[nums[i - 1].end:nums[i].start]):
            r.is_change = True  # "increased by 19% and 13% respectively"
    for i, r in enumerate(recs):  # "365 (80 per 10,000 children) at 31 March 2014"
        if i > 0 and depth_at[i] > depth_at[i - 1] and recs[i - 1].period is not None:
            if r.period is None or r.period is recs[i - 1].period or _PAREN_RATE_OPEN.fullmatch(sent[nums[i - 1].end:nums[i].start]):
                r.period = recs[i - 1].period
    _parallel_qualifiers(recs, nums, sent)
    ga = _GROUPS_AFTER.search(sent, nums[-1].end)
    if ga:
        group_label = _clean_label(ga.group("subj"), la_name)
        for i, r in enumerate(recs):  # "Black African (24%) and White Other (11.2%) are the largest minority ethnic groups"
            nm = _NAME_BEFORE_PAREN.search(sent, nums[i - 1].end if i else 0, nums[i].start)
            if nm and r.unit == "percent":
                r.label = f"{nm.group(1).strip().lower()} ({group_label})"
                r.weak = False
    gm = _GROUPS_ARE.match(sent)
    if gm and nums[0].start >= gm.end("verb"):
        group_label = _clean_label(gm.group("subj"), la_name)
        for i, r in enumerate(recs):  # "The largest minority ethnic groups ... are Asian at 6% and dual heritage at 5%"
            nm = _GROUP_MEMBER.search(sent, gm.end("verb") - 4 if i == 0 else nums[i - 1].end, nums[i].start)
            if nm and r.unit == "percent":
                r.label = f"{nm.group(1).strip().lower()} ({group_label})"
                r.weak = False
    for i, r in enumerate(recs):
        # a comparator labelled by its comparison group alone ("the England average (647 days)")
        # measures what the authority's own figure measures, in this sentence or the one before
        if r.value_type == "comparator" and r.label and _is_weak(_strip_cues(r.label)):
            base = next((x for x in reversed(recs[:i]) if x.value_type == "actual" and x.label and x.unit == r.unit
                         and not _is_weak(_strip_cues(x.label))), None)
            if base is None and prev_recs and _ANAPHORIC.match(sent):
                base = next((x for x in prev_recs if x.label and x.unit == r.unit and not _is_weak(_strip_cues(x.label))), None)
            r.label = base.label if base is not None else ""
            if base is not None:
                r.ctx = f"{r.ctx} {base.ctx}".strip()
    fm = _FRONTED_PP.match(sent)
    if fm and not find_periods(fm.group("pp")) and not _NOT_A_SUBJECT_PP.match(fm.group("pp")) and (
            not fm.group("pp").split()[1][:1].isupper() or fm.group("pp").split()[1] in {"English", "Maths", "Mathematics", "Science"}):
        pp = fm.group("pp").lower()
        for i, r in enumerate(recs):  # "However, in writing, 75% of pupils made the expected progress"
            if nums[i].start >= fm.end() and r.label and pp.split(None, 1)[1] not in r.label.lower():
                r.label = f"{r.label} {pp}"
    return recs


_FRONTED_PP = re.compile(r"^\W*(?:(?:however|overall|similarly|by\s+contrast|in\s+contrast|additionally|furthermore|moreover|also),?\s+)?(?P<pp>(?:in|for|among|amongst)\s+[^,;()]{2,40}?),\s+", re.I)
_NOT_A_SUBJECT_PP = re.compile(
    r"(?:in|for|among|amongst)\s+(?:addition|total|particular|contrast|comparison|summary|practice|general|fact|short|"
    r"response|turn|part|line|terms|relation|respect|light|view|order|spite|some|most|many|all|these|those|this|that|the\s+(?:past|"
    r"last|previous|first|second|same|meantime|interim|future|main|majority)|recent|example|instance|particular|real|most|both|each|"
    r"its|their|our|his|her|the\s+(?:case|cases|context|period|year|area|borough|county|city|local|authority|council|above|below|following|next)\b"
    r"|.*\b(?:chart|table|figure|graph|report|data|survey|audit|inspection|review|sample|scorecard|dashboard)s?\b)",
    re.I,
)
_PP_AFTER = re.compile(r"\s+((?:in|for|to|into|with|at|from|on)\s+(?!the\b|a\b|an\b|this\b|their\b|its\b|our\b)[A-Za-z'’-]+(?:\s+(?!and\b|or\b|in\b|for\b|compared\b|than\b)[A-Za-z'’-]+){0,2}?)(?=\s*(?:[,;.)]|\band\b|\bor\b|$))")
_PP_AFTER_FULL = re.compile(r"\s+((?:to|into|with|at|from|on|in|for)\s+(?:(?:the|their|its|our|a|an)\s+)?[A-Za-z'’-]+(?:\s+(?!and\b|or\b|compared\b|than\b)[A-Za-z'’-]+){0,3}?)(?=\s*(?:[,;.)]|\band\b|\bor\b|$))")
_LIST_GLUE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)")
_LIST_GLUE_END = re.compile(r"(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)$")
_PP_BEFORE = re.compile(r"(?:^|,|\band|\bor)\s+((?:in|for)\s+[A-Za-z'’-]+)\s+(?:(?:was|is|were|are|at)\s+)?$")


def _parallel_qualifiers(recs: list[_Rec], nums: list[Num], sent: str) -> None:
    """Lists of one measure for several subjects: "by 11% in mathematics, 8% in reading and 12% in
    writing", "28% of children returned to their parents' care, 64% to kinship arrangements",
    "Attainment in mathematics was 39% higher, in reading 32% higher": each value's label is the
    measure with its own subject."""
    k = len(nums)
    # qualifiers after the numbers
    i = 0
    while i < k:
        j = i
        pps = []
        while j < k:
            m = _PP_AFTER.match(sent, nums[j].end)
            if not m or recs[j].unit != recs[i].unit:
                break
            pps.append(m.group(1))
            if j + 1 < k and _LIST_GLUE.fullmatch(sent[m.end():nums[j + 1].start]):
                j += 1
                continue
            j += 1
            break
        run = list(range(i, i + len(pps)))
        if len(run) >= 2 and recs[i].label:
            base = recs[i].label
            first = pps[0].lower()
            if base.lower().endswith(" " + first):
                base = base[: -len(first) - 1]
            for idx, pp in zip(run, pps):
                recs[idx].label = f"{base} {pp.lower()}"
                recs[idx].weak = False
                recs[idx].keep = recs[idx].keep or recs[i].keep
                recs[idx].is_change = recs[idx].is_change or recs[i].is_change
            i = run[-1] + 1
        else:
            i += 1
    # a later item that names only where it differs: "..., 64% to kinship arrangements and 8% to ..."
    for i in range(1, k):
        base = recs[i - 1]
        if not base.label or base.unit != recs[i].unit or not _LIST_GLUE_END.search(sent[nums[i - 1].end:nums[i].start]):
            continue
        m = _PP_AFTER_FULL.match(sent, nums[i].end)
        if not m:
            continue
        pp = m.group(1).lower()
        prep = pp.split()[0]
        at = base.label.lower().rfind(f" {prep} ")
        if at <= 0 or base.label.lower().endswith(pp):
            continue
        recs[i].label = base.label[:at] + " " + m.group(1)
        recs[i].weak = False
        recs[i].keep = recs[i].keep or base.keep
    # qualifiers before the numbers, the first one inside the measure's own words
    for i in range(1, k):
        m = _PP_BEFORE.search(sent, nums[i - 1].end, nums[i].start)
        if not m:
            continue
        base_rec = next((recs[x] for x in range(i - 1, -1, -1) if recs[x].label and recs[x].unit == recs[i].unit), None)
        if base_rec is None:
            continue
        own = re.match(r"(?:in|for)\s+[a-z'’-]+", m.group(1).lower()).group(0)
        prep = own.split()[0]
        base_pp = re.search(rf"\b{prep}\s+[a-z'’-]+", base_rec.label)
        if base_pp:
            recs[i].label = base_rec.label[:base_pp.start()] + own + base_rec.label[base_pp.end():]
            recs[i].weak = False
            recs[i].keep = recs[i].keep or base_rec.keep
            recs[i].is_change = recs[i].is_change or base_rec.is_change


_GROUPS_AFTER = re.compile(r"\)\s+(?:are|is|were|was)\s+(?:the\s+)?(?P<subj>(?:largest|main|biggest|principal)\s+[^,;()]*?\bgroups?\b[^,;().]*)", re.I)
_NAME_BEFORE_PAREN = re.compile(r"(?:^|,|\band)\s*((?:[A-Z][\w'’-]*\s+){1,3}?)\(\s*$")
_GROUPS_ARE = re.compile(r"^\W*(?:the\s+)?(?P<subj>(?:largest|main|biggest|principal)\s+[^,;()]*?\bgroups?\b[^,;()]*?)\s+(?P<verb>are|is|were|was)\s+", re.I)
_GROUP_MEMBER = re.compile(r"(?:\b(?:are|is|were|was)|,|\band)\s+((?:[A-Za-z][\w'’-]*\s+){1,3}?)(?:at\s+|\(\s*)$", re.I)
_NUMBER_OPENS = re.compile(r"^\W*(?:(?:only|just|of\s+these|of\s+them|of\s+those)\W+)?$", re.I)
_BARE_OF = re.compile(r"\s*of\s+(?:the\s+)?", re.I)
_COPULA_NAME = re.compile(r"\s*(?:are|is|were|was)\s+((?:[A-Z][\w'’/-]*\s*){1,4})", )
_NAME_OF_GROUP = re.compile(r"(.{1,40}) \((.+)\)")
_LIST_AND_PAREN = re.compile(r"^\s*\)?\s*(?:,\s*|and\s+|,\s*and\s+)[^,;()]{1,40}\(\s*$", re.I)
_CLAUSE_COMMA = re.compile(r",\s+(?:a|an|the|this|these|those|which|who|it|there|we|they|but|although|while|whilst|with|its|their|our)\b", re.I)
_PRED_PREPS = {"in", "at", "on", "with", "into", "outside", "within", "out", "from", "under", "subject", "known"}
_EVALUATIVE = {"improved", "improving", "increased", "increasing", "reduced", "reducing", "declined", "declining",
               "exceeding", "exceeded", "pleasing", "encouraging", "disappointing", "concerning", "outstanding"}


def _strip_names(label: str, sent: str) -> str:
    """The label without the words that are names in the sentence (capitalised, not at its start,
    not an acronym): what is left says whether the label names a measure."""
    names = _name_words(sent)
    return " ".join(w for w in label.split() if w.lower() not in names)


@functools.lru_cache(maxsize=256)
def _name_words(sent: str) -> frozenset[str]:
    """The names in a sentence, lower case (cached: a sentence's numbers all ask)."""
    return frozenset(w.lower() for w in _NAME_WORD.findall(sent[1:]) if not w.isupper())


_GENERIC_MEASURE = re.compile(r"(?:rates?|figures?|performance|levels?|numbers?|proportions?|percentages?|data|results?)", re.I)
_NAME_WORD = re.compile(r"(?<=[^.!?]\s)[A-Z][a-z'’]+(?:-[A-Z][a-z]+)?")


def _pred_is_verbal(pred: str) -> bool:
    w = pred.split()[0].lower() if pred.split() else ""
    return w in _AUX or w in _VERB_MAP or w in {"moved", "returned", "ceased", "became", "were", "lived", "received", "obtained", "achieved", "gained", "attended", "waited", "demonstrated", "secured", "referred"} or w in _ADV or w == "not"


_OF_POPULATION = re.compile(r"\s*of\s+(?:the\s+)?(total\s+population|population|all\s+\w+)", re.I)
_RATE_WORD = re.compile(r"\b(?:rate|rates|figure|number|percentage|proportion|level)\b", re.I)
_THIS_FIGURE_IS = re.compile(r"^\W*(?:this|it|that)(?:\s+(?:figure|rate|number|proportion|percentage|level|performance|average|result))?\s+(?:is|was|has|had|represents|remains|remained|compares|means|equates)\b", re.I)


def _inherit(label, i, r, recs, left, sent, state, lead, prev_recs, pronoun_sentence, la_name) -> str | None:
    """A label for a number whose own words do not say what it measures."""
    # (a value in another unit measures something else: "196 days" is not a percentage's measure)
    unit = r.unit or "count"
    prior = [x for x in recs[:i] if x.keep and x.label] or ([recs[i - 1]] if i > 0 and recs[i - 1].label else [])
    if prior and (unit == (prior[-1].unit or "count") or r.is_change and unit in {"percent", "percentage_points"}) and (
            _is_chain(left) or r.value_type in {"target", "comparator"} or r.is_change or r.unit == prior[-1].unit):
        return prior[-1].label
    same_unit = [x for x in prev_recs if x.label and (x.unit or "count") == unit]
    if i == 0 and r.value_type in {"target", "comparator"} and same_unit and _ANAPHORIC.match(sent):
        return same_unit[0].label
    if i == 0 and pronoun_sentence and prev_recs and prev_recs[0].label and (
            r.is_change and unit in {"percent", "percentage_points"} or _THIS_FIGURE_IS.match(sent) and (prev_recs[0].unit or "count") == unit):
        base = prev_recs[0].label
        m = _OF_POPULATION.match(sent[r.num.end:])
        if m and r.unit == "percent":
            return f"{base} as a percentage of the {m.group(1)}"
        return base
    if same_unit and not _topic(state) and (not label or _is_weak(label)) and _ANAPHORIC.match(sent):
        return same_unit[0].label
    if lead is not None and lead.label:
        if label and _PREP_START.match(label):
            return f"{lead.label} {label}"
        return lead.label
    if state.prev_subject and _RATE_WORD.search(label or "it") and not state.chart_topic:
        return state.prev_subject
    if _ANAPHORIC.match(sent) or _THE_FIGURE.match(sent):
        # "The figure for 2014–15 is 1%." refers to the sentence before, which gave no row: only a
        # chart or a heading that names the measure may stand in for it
        same_para = state.subject_topic if state.subject_block == state.block else ""
        topic = "" if r.unit in _OWN_LABEL_UNITS else (state.chart_topic or same_para or state.heading)
        if topic and label and _PREP_START.match(label):
            return f"{topic} {label}"
        return topic or None
    # (a comparator or a target takes the measure a chart or a heading introduces, not a topic guessed from a sentence)
    topic = "" if r.unit in _OWN_LABEL_UNITS else (_topic(state) if r.value_type == "actual" else state.chart_topic or state.heading)
    if topic:
        if label and _PREP_START.match(label):
            return f"{topic} {label}"
        return topic
    return None


# a duration or a sum of money measures what its own sentence says, not the topic of the section
_OWN_LABEL_UNITS = {"days", "weeks", "months", "years", "hours", "gbp"}


_INSPECTOR_MENTION = re.compile(r"\binspectors?\b|\bHMI\b|\binspection\s+team\b", re.I)
_LIMIT_TAIL = re.compile(
    r"\b(?:a\s+maximum\s+of|a\s+minimum\s+of|at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+fewer\s+than|no\s+less\s+than|"
    r"(?:is|are|was|were|remains?|remained|falls?|fell|falling|stays?|stayed|drops?|dropped|dropping|goes|went|rises?|rose)\s+"
    r"(?:well\s+|just\s+|still\s+|consistently\s+)?(?:above|below|under|less\s+than|beneath))\s+$",
    re.I,
)
_AGED_ABOUT_TAIL = re.compile(r"\b(?:aged|age|around|about)\s+$", re.I)
_AVERAGE_OR_DURATION = re.compile(r"\b(?:average|averages|averaged|mean|median|typical|sickness|absence|took|taken|takes|waited|wait|duration|length)\b", re.I)
_OF_WHOM_END = re.compile(r"\bof\s+(?:whom|which)\s*$")
_STAFF_WORDS = re.compile(r"staff|posts|workers|connectors|practitioners|officers", re.I)
_RATE_OR_SHARE = re.compile(r"\b(?:vacancy|turnover|sickness|absence)\s+rate\b|\bpercentage\b|\bproportion\b", re.I)
_DETERMINER_TAIL = re.compile(r"\b(?:the|these|those|all|both|each|every|its|their|our|first|last|next|a|an)\s+$", re.I)
# a singular person or case noun after a number ("1 child")
_ONE_PERSON_NOUN = re.compile(r"\s*(?:young\s+person|child|parent|family|carer|foster\s+carer|care\s+leaver|social\s+worker|case|adopter|household|"
                    r"serious\s+\w+(?:\s+\w+)?|inspection|complaint|referral|person|looked\s+after\s+child|unaccompanied\s+\w+(?:\s+\w+)?|"
                    r"residential\s+\w+(?:\s+\w+)?|secure\s+unit)\b(?:\s+\([^)]*\))?", re.I)
_SAID_VERB = re.compile(r"\s*(?:said|says|told|stating|stated|commented|described|explained|reported|noted|spoke)\b", re.I)
# words that make a non-whole number plausible
_FRACTION_CUES = re.compile(r"average|mean|fte|rate|caseload|ratio|staff|posts|workers|full[\s-]time", re.I)
# text ending in a verb or preposition that introduces a value: "stood at about"
_VERB_BEFORE_VALUE = re.compile(r"(?:\b(?:is|was|are|were|be|been|remains?|remained|stands?|stood|at|to|of|reached|totall?ed|totall?ing|from|with|numbered|"
            r"rose|fell|dropped|increased|decreased|declined|risen|fallen|averag\w+|by)|[(=:])\s*(?:approximately|around|about|only|just|some|nearly|almost|"
            r"over|roughly|a\s+(?:maximum|minimum|total|high|low|peak)\s+of|an?\s+average\s+of|an?\s+all-time\s+high\s+of)?\s*$", re.I)
_AVERAGE_OR_CASELOAD = re.compile(r"average|caseload", re.I)
_ONLY_JUST_TAIL = re.compile(r"\b(?:only|just|with|there\s+(?:was|is|were|are)|including|of\s+whom)\s+$", re.I)
_LETTERS = re.compile(r"[A-Za-z]+")


def _decide_keep(r: _Rec, n: Num, np_ok: bool, left: str, sent: str) -> bool:
    unit = r.unit
    if not r.label or r.weak:
        return False
    if _INSPECTOR_MENTION.search(r.label):
        return False  # the inspection's own team, not the area's services
    if r.value_type != "target" and n.kind != "money" and _LIMIT_TAIL.search(left[-30:]):
        return False  # a bound in a rule or plan ("a maximum of two visits"), not a measured value
    if not math.isfinite(n.value):
        return False
    if unit in {"days", "weeks", "months", "years", "hours"}:
        # durations are kept only as measured values (averages), not as the timescale of a definition
        if _DEFINITIONAL_DURATION.search(left[-40:]) or _AGED_ABOUT_TAIL.search(left[-12:]):
            return False
        if not _AVERAGE_OR_DURATION.search(f"{r.label} {left[-80:]}"):
            return False
        return True
    if unit is None:
        if n.kind == "word":
            of_which = _OF_WHOM_END.search(left)
            zero = n.raw.lower() in {"no", "none of the", "none"}
            if not np_ok and not of_which and not zero and not r.linked:
                return False
            if _DETERMINER_TAIL.search(left[-12:]) and not of_which:
                return False  # "the two authorities", "All three were judged"
            if n.value == 1 and not of_which:
                # "one young person entered the care system", "only one parent turned up" -- not "focus on one child and ..."
                m1 = _ONE_PERSON_NOUN.match(sent[n.end:])
                if not m1:
                    return False
                if _SAID_VERB.match(sent[n.end + m1.end():]):
                    return False  # "One young person said: ..." introduces a quotation
                nxt_word = (_LETTERS.findall(sent[n.end + m1.end():n.end + m1.end() + 30]) or [""])[0].lower()
                if not (nxt_word in _AUX or nxt_word in _FINITE or nxt_word in {"lives", "lived", "entered", "turned", "went", "was", "is"}
                        or _ONLY_JUST_TAIL.search(left[-25:])):
                    return False
        if n.value != int(n.value) and not _FRACTION_CUES.search(f"{r.label} {sent[n.end:n.end + 30]}"):
            return False
        if not np_ok and not _VERB_BEFORE_VALUE.search(left[-45:]) and not _OF_WHOM_END.search(left) and n.raw.lower() not in {"no", "none of the", "none"} and not r.linked:
            return False
        r.unit = "count"
        if n.value != int(n.value) and _STAFF_WORDS.search(r.label) and not _AVERAGE_OR_CASELOAD.search(r.label):
            r.unit = "fte"
        if not np_ok and _RATE_OR_SHARE.search(r.label) and 0 <= n.value <= 100:
            r.unit = "percent"
        if 1900 <= n.value <= 2100 and n.value == int(n.value) and "," not in n.raw and not np_ok:
            return False
    if unit == "percent" and not r.is_change and not (0 <= n.value <= 100):
        return False
    return True


# --------------------------------------------------------------------------------------------
# the last word on a row: is its label a measure, and is the number a measured value?

# labels that name a comparison, a place, a school subject or a bare population: what is measured
# is elsewhere
_NOT_A_MEASURE = re.compile(
    r"^(?:(?:the\s+)?(?:england|english|national|nationally|london|regional|region|statistical\s+neighbou?rs?|"
    r"comparators?|comparator\s+authorities|comparable\s+authorit(?:y|ies)|similar\s+(?:areas|authorities)|"
    r"(?:local\s+)?authority|council|service|team|own\s+data|\w+[\s-]year\s+average|rolling\s+average)"
    r"(?:\s+(?:average|averages|figure|figures|rate|rates|level|data|performance))?"
    r"|(?:in\s+|and\s+)?(?:reading|writing|mathematics|maths|english|science|spelling|grammar)(?:,?\s+(?:and\s+)?(?:reading|writing|mathematics|maths|english|science))*"
    r"|(?:the\s+)?(?:children|child|young\s+people|young\s+person|people|persons|cases|case|families|family|pupils|pupil|students|"
    r"population|total\s+population|total|section|individuals|adults|half|thirds?|quarters?|initial|new|care|placed|having|"
    r"looked\s+after|improving\s+picture|figures?|data|performance|rates?|numbers?|proportions?|percentages?)"
    r"|(?:denominator|\(denominator\))|.*\s\(denominator\)\s\(denominator\))$",
    re.I,
)
# a label is a noun phrase: it does not open with a verb, a pronoun or a relative word, nor end on a
# word that leaves it hanging ("children aged", "children not", "whom there")
_LABEL_BAD_FIRST = {"between", "will", "would", "can", "could", "should", "may", "might", "must", "has", "have", "had", "do",
                    "does", "did", "in", "at", "for", "on", "from", "by", "to", "of", "within", "among", "amongst", "across", "into",
                    "where", "when", "if", "as", "than", "compared", "against", "council", "authority", "lscb", "board",
                    "were", "was", "is", "are", "be", "been", "having", "whom", "who", "which", "that", "there", "it",
                    "they", "this", "these", "those", "its", "their", "his", "her", "consequently", "however", "also",
                    "although", "because", "while", "whilst", "despite", "including", "resulting", "meaning"}
_COMPARISON_IN_LABEL = re.compile(
    r"\b(?:above|below|higher\s+than|lower\s+than|better\s+than|worse\s+than|in\s+line\s+with|similar\s+to|compared\s+(?:with|to)|exceed(?:ed|s|ing)?)\b"
    r".*\b(?:average|national(?:ly)?|england|neighbou?rs?|comparators?|authorities|target|threshold)\b",
    re.I,
)
_TIME_SPAN = re.compile(r"(?:from\s+(?:the\s+time|when|entering|being|a\s+child|referral|the\s+date)|between\s+\w+)", re.I)
_APPOSITIVE = re.compile(r"\s*[,(]\s*(?:approximately|around|about|some|nearly|almost|just\s+over|over|or)?\s*", re.I)
_BOTH_UNFINISHED = re.compile(r"\bboth\b(?!.*\band\b)|\(\s*\d", re.I)  # (and a value in the label: "average (647 days) and ...")
_FROM_THE_TIME = re.compile(r"^from\s+the\s+time\s+(?:that\s+|when\s+)?", re.I)
_VAGUE_SHARE = re.compile(r"^(?:(?:very\s+)?(?:high|low|large|small|significant|substantial|sizeable)\s+)?(?:proportion|number|majority|minority|percentage|share)\b(?!\s+of\b)", re.I)
_AGENT_FIRST = re.compile(r"^(?:the\s+)?(?:local\s+authority|authority|council|partnership|department|service|team|we|lscb)\b(?!'s)(?!\s+(?:children|child|care|looked|foster|housing|homes?|accommodation))", re.I)
_VERB_FIRST = {
    "progressed", "progressing", "went", "go", "goes", "gone", "said", "saying", "say", "says", "reported", "reporting", "told", "telling", "made", "making", "achieved", "achieving",
    "receiving", "received", "attending", "attended", "having", "being", "taking", "took",
    "went", "going", "feeling", "felt", "knowing", "knew", "stating", "stated", "rated", "rating", "responded",
    "responding", "agreed", "agreeing", "described", "describing", "showed", "showing", "returned", "returning",
    "became", "becoming", "completed", "completing", "started", "starting", "gained", "gaining", "secured", "securing",
    "waited", "waiting", "benefited", "benefiting",
}
_BROKEN_PHRASE = re.compile(r"\b(?:the|a|an)\s+(?:for|of|in|to|at|with|by|from|on|and|or)\b(?<!\ba\sto)|\ba\s+to\b(?!\s+[a-g]s?\b)|\b(?:the|a|an)\s+(?:the|a|an)\b", re.I)
_LABEL_BAD_LAST = {"term", "both", "take", "takes", "took", "represent", "represents", "account", "accounts", "make", "makes", "show", "shows", "include",
                   "includes", "mean", "means", "equate", "equates", "compare", "compares", "did", "do", "does", "has", "have", "had", "can", "will", "would", "should", "aged", "not", "there", "whom", "who", "which", "that", "were", "was", "is", "are",
                   "been", "being", "having", "resulted", "resulting", "they", "it", "means", "meaning", "a", "an", "the",
                   "of", "to", "for", "with", "by", "from", "than", "and", "or", "as", "at", "in", "on", "into", "whose",
                   "where", "when", "while", "if", "such", "some", "all", "each", "both", "only", "challenge", "short"}
# one-word labels that are measures on their own
_ONE_WORD_MEASURES = {
    "adoptions", "referrals", "re-referrals", "assessments", "attendance", "absence", "exclusions", "stability",
    "turnover", "vacancies", "caseloads", "caseload", "placements", "adopters", "enquiries", "contacts",
    "complaints", "notifications", "apprenticeships", "establishment", "poverty", "immunisations", "residents",
    "languages",
}
# counts of these are facts about organisations, meetings and documents, not measures of a service
_ORG_HEADS = {
    "priorities", "priority", "groups", "group", "sub-groups", "subgroups", "panels", "panel", "boards", "board",
    "partnerships", "agencies", "agency", "organisations", "organizations", "charities", "councils", "authorities",
    "boroughs", "districts", "themes", "workstreams", "strands", "processes", "projects", "project",
    "programmes", "programme", "initiatives", "services", "service", "teams", "team", "hubs", "localities",
    "inspections", "recommendations", "actions", "meetings", "sessions", "events", "workshops", "courses",
    "surveys", "audits", "questionnaires", "executives", "directors", "managers", "members", "chairs", "trainers",
    "nominations", "awards", "professionals", "sites", "offices", "areas", "wards", "domains", "indicators",
    "measures", "standards", "criteria", "categories", "questions", "respondents", "responses", "men", "victims",
    "defendants", "perpetrators", "visits", "cfps", "schools", "school", "centres", "positions", "flats",
    "rooms", "principles", "objectives", "outcomes", "pathways", "strategies", "plans?", "models", "forums",
    "partners", "providers", "commissioners", "leads", "champions", "ambassadors", "days", "weeks", "months",
    "years", "hours", "occasions", "times", "stages", "levels", "steps", "phases", "tiers", "units", "pages",
    "reports", "documents", "policies", "procedures", "protocols", "tools", "systems", "files", "records",
}
# counts written in words are kept only for the populations and events services count
_WORD_COUNT_HEADS = {
    "children", "child", "people", "person", "leavers", "babies", "families", "family", "parents", "carers",
    "adopters", "households", "pupils", "siblings", "adoptions", "referrals", "assessments", "plans", "reviews",
    "notifications", "complaints", "placements", "arrangements", "orders", "homes", "deaths", "incidents",
    "episodes", "exclusions", "seekers", "mothers", "girls", "boys", "adults", "applications", "approvals",
    "matches", "conferences", "allegations", "investigations", "offences", "arrests", "moves", "disruptions",
    "unit", "review", "notification", "home", "adoption", "referral", "placement", "arrangement", "order",
    "death", "incident", "complaint", "conference", "allegation", "disruption",
}
# the inspection's (or an audit's) own evidence: "a review of 63 referrals", "inspectors tracked 30 cases"
_SAMPLE_LEFT = re.compile(
    r"\b(?:audit(?:ed|s|ing)?|sampl(?:e|ed|es|ing)|dip[\s-]?sampl\w*|track(?:ed|ing)?|scrutinis\w*|scrutiniz\w*|"
    r"examin(?:ed|ing|ation)|review(?:ed|ing|s)?|consider(?:ed|ing)|looked\s+at|look\s+at|read|spoke|speak(?:ing)?|"
    r"met|meet(?:ing)?|talk(?:ed|ing)|interview(?:ed|ing|s)?|observ(?:ed|ing|ations?)|discussions?|survey(?:ed|s)?|"
    r"consult(?:ed|ation)|analys(?:is|ed)|evaluation|exercise|visited|heard\s+from|feedback\s+from)"
    r"(?:\s+(?:of|with|to|from|on|in|into))?"
    r"\s+(?:(?:a|an|the|some|around|approximately|about|over|more\s+than|in\s+excess\s+of|nearly|almost|just|"
    r"further|total\s+of|sample\s+of|number\s+of|random|selection\s+of|range\s+of)\s+)*$",
    re.I,
)
# ... and the next item of its list: "discussions with 65 children and young people and 21 parents"
_SAMPLE_LIST = re.compile(
    r"\b(?:discussions?|meetings?|conversations?|review|audit|sample|spoke|spoken|met|interviews?|consultations?|"
    r"feedback|tracked|scrutinised|examined|considered)\s+(?:of|with|to|from)?\s*(?:[\w'’-]+\s+){0,3}?\d[^.;:()]{0,80}?(?:,|\band)\s*$",
    re.I,
)
_SAMPLE_WORDS = re.compile(
    r"\b(?:responded\s+to\s+(?:the|a|our|an)\s+(?:\w+\s+)?(?:survey|questionnaire|consultation)|took\s+part|participated\s+in\s+(?:the|a)\s+(?:survey|consultation)|"
    r"audited|sampled|tracked|scrutinised|scrutinized|considered|seen|discussed|examined|conducted|reviewed|"
    r"looked\s+at|read\s+by|surveyed|interviewed|spoken\s+to|consulted)\b",
    re.I,
)
_CONSIDERED_TO_BE = re.compile(r"\b(?:considered|seen|assessed|judged)\s+(?:to\s+be|as)\b", re.I)
_INSPECTORS = re.compile(r"\b(?:inspectors?|HMI|the\s+inspection\s+team)\b", re.I)
_SAMPLE_HEADS = {"cases", "case", "files", "file", "records", "children", "child", "people", "families", "plans",
                 "assessments", "referrals", "contacts", "reviews", "audits", "strategy", "meetings", "decisions"}
# a value in a hypothetical, not an observation: "we would have 430 children", "a higher rate than 80%"
_HYPOTHETICAL = re.compile(
    r"(?:\b(?:would|could|might)\s+(?:\w+\s+){0,2}?(?:have|be|mean|need|require|see|reach|equate\s+to|result\s+in|"
    r"increase\s+to|rise\s+to|fall\s+to|drop\s+to)"
    r"|\b(?:higher|lower|greater|better|more|less)\s+(?:rate|level|figure|proportion|percentage|number)?\s*than)"
    r"\s+(?:(?:a\s+further|an\s+additional|around|about|approximately|over|only|just|some|up\s+to|at\s+least)\s+)*$",
    re.I,
)
_IF_CLAUSE = re.compile(r"^\W*(?:if|were|should|unless|assuming|supposing)\b[^,;]*$", re.I)
_HYPOTHETICAL_WORDS = ("would", "could", "might", "higher", "lower", "greater", "better", "more", "less")
_PLANNED_WORDS = ("aim", "plan", "intend", "ambition", "commit", "seek", "propos", "want", "hope", "ensure")
_PLANNED = re.compile(
    r"(?:\b(?:aim(?:s|ed|ing)?|plan(?:s|ned|ning)?|intend(?:s|ed|ing)?|ambition\s+is|commit(?:s|ted)?|seek(?:s|ing)?|"
    r"propos(?:e|es|ed|ing)|want(?:s|ed)?|hope(?:s|d)?)\s+to\s+(?:[\w'’-]+\s+){0,4}?"
    r"|\b(?:to|will|would)\s+ensure\s+(?:that\s+)?(?:[\w'’-]+\s+){0,8}?)"
    r"(?:(?:a\s+further|an\s+additional|at\s+least|around|approximately|about|over|some|another)\s+)?$",
    re.I,
)


_TRAILING_VERBS = {"increased", "decreased", "rose", "fell", "dropped", "declined", "improved", "reduced", "risen",
                   "fallen", "grown", "grew", "remained", "remains", "stands", "stood"}
_OPERATES = re.compile(r"\b(?:operates|operated|runs|has)\b[^.;]*\bchildren['’]s\s+homes\b", re.I)
_NUMBER_OF_IN = re.compile(r"\b(?:number|numbers)\s+of\b", re.I)
_POPULATION_KEYS = {"children_looked_after", "children_in_need", "child_protection_plans", "children_under_18_population"}


def _credible(r: _Rec) -> bool:
    """Last checks on a kept row (precision first: a wrong row is worse than a missing one)."""
    label = r.label.strip()
    if not label:
        return False
    words = label.lower().split()
    while len(words) > 2 and words[-1] in _TRAILING_VERBS:  # "children subject to child protection plans increased"
        label = label.rsplit(None, 1)[0]
        words = words[:-1]
        if words[-1] in {"has", "have", "had"}:
            label = label.rsplit(None, 1)[0]
            words = words[:-1]
        r.label = label
    while len(words) > 2 and words[0] in {"where", "when", "whereas", "while", "whilst", "and", "but"}:
        label = label.split(None, 1)[1]  # "where children looked after out-performed their peers ..."
        words = words[1:]
        r.label = label
    n = r.num
    unit = r.unit or "count"
    r.key = classify_indicator(label, unit, f"{r.ctx} {r.sent}")
    # ("the population is projected to increase by a further 2.8%" says what changes)
    population_change = r.is_change and (label.lower() in {"population", "total population"} or (
        label.lower() in {"pupils", "children", "young people", "children and young people", "families"} and _NUMBER_OF_IN.search(r.sent)))
    if r.key in _POPULATION_KEYS and n.kind == "word" and n.value < 20:
        return False  # "in respect of two children looked after": a part of the population, not all of it
    if words[0] == "in" and len(words) > 2 and r.key is not None:
        label = r.label = label.split(None, 1)[1]  # "(a reduction) in timeliness of completion of assessments"
        words = words[1:]
    if _NOT_A_MEASURE.match(label) and not population_change:
        return False
    if words[0] in _LABEL_BAD_FIRST or words[-1] in _LABEL_BAD_LAST or _BROKEN_PHRASE.search(label):
        return False
    if _COMPARISON_IN_LABEL.search(label) or _AGENT_FIRST.match(label) or _VAGUE_SHARE.match(label) or _BOTH_UNFINISHED.search(label):
        return False  # "well above the London average", "local authority took"
    if r.key is None and not r.in_list and words[0] in _VERB_FIRST:
        return False  # "saying they do not feel safe": who is counted is not said
    if len(words) == 1 and words[0] not in _ONE_WORD_MEASURES and r.key is None and not population_change:
        return False
    left = r.left
    tail = left[-80:]
    # (_HYPOTHETICAL and _PLANNED match only a text ending in a space, with one of their words)
    spaced = tail[-1:].isspace()
    if r.value_type != "target" and (spaced and any(map(_fold(tail).__contains__, _HYPOTHETICAL_WORDS)) and _HYPOTHETICAL.search(tail)
                                     or _IF_CLAUSE.match(r.sent[:n.start])):
        return False
    if r.value_type == "actual" and spaced and any(map(_fold(tail).__contains__, _PLANNED_WORDS)) and _PLANNED.search(tail):
        r.value_type = "target"  # "aiming to work with a further 470 families"
    if r.prev is not None and r.prev.sample and _APPOSITIVE.fullmatch(left):
        return False  # "an audit of 226 cases, approximately 10% of the cases open": the size of the sample
    if unit != "count":
        return True
    # the head noun: the first word of the label that names who or what is counted
    head = next((w for w in words[:4] if w in _WORD_COUNT_HEADS or w in _ORG_HEADS or w in _SAMPLE_HEADS),
                (_head(label).lower().split() or words)[-1])
    if r.key is None and head in _ORG_HEADS and "population" not in words:
        return False
    # the evidence of an inspection or audit: the cases read, the children spoken to
    after = r.sent[n.end:n.end + 60].split(",")[0]
    if _SAMPLE_LEFT.search(left[-60:]) or _SAMPLE_LIST.search(r.sent, 0, n.start) or (head in _SAMPLE_HEADS and (
            _SAMPLE_WORDS.search(label) and not _CONSIDERED_TO_BE.search(label)
            or _SAMPLE_WORDS.search(after) and not _CONSIDERED_TO_BE.search(after)
            or head in {"cases", "case", "files", "file", "records"} and _INSPECTORS.search(r.sent))):
        r.sample = True
        return False
    if n.kind == "word" and r.key is None and not r.in_list and head not in _WORD_COUNT_HEADS:
        return False
    np_head = (_head(r.np).lower().split() or [""])[-1]
    if np_head and np_head not in label.lower() and not r.in_list:
        return False  # "three Panels" counted under a label taken from elsewhere
    if n.value == 1 and r.key is None and not r.in_list and not _OPERATES.search(r.sent):
        return False  # "1 young person moved", "one child was over six years of age"
    return True


_DEFINITIONAL_DURATION = re.compile(
    r"\b(?:within|in|for|over|after|under|up\s+to|last|past|next|every|each|than|least|period\s+of|once|per|by|before|between|target|timescale)\s+(?:the\s+)?(?:a\s+)?(?:target\s+)?$",
    re.I,
)
_FROM_OR_BETWEEN = re.compile(r"\b(?:from|between)\s+(?:around\s+|about\s+|approximately\s+)?$", re.I)
_PERIOD_PAIR = re.compile(r"^(?:between|from)\s+(.+?)\s+(?:and|to|until|-|\u2013)\s+(.+)$", re.I)
_WHEN_CLAUSE = re.compile(r"\s*,?\s*(?:when|where)\b[^,;()]{0,80}$", re.I)
_COMPARISON_BASE = re.compile(
    r"(?:\b(?:compared\s+(?:with|to)|than|from|since|prior\s+to|before|against)|(?:\d%?|\b(?:increase|decrease|rise|fall|improvement|reduction|change|drop))\s+on)\s+(?:at\s+|in\s+)?(?:the\s+|a\s+|that\s+(?:(?:of|for|in)\s+(?:the\s+)?)?)?"
    r"(?:same\s+(?:time|point|period)\s+|equivalent\s+(?:time|point|period)\s+)?(?:in\s+|of\s+)?$",
    re.I,
)


# a clause boundary between a number and a period
_CLAUSE_BREAK = re.compile(r"[;]|\b(?:compared|whereas|while|whilst|but|although|than)\b|\band\s+(?:in|at|the|this|it|there|by|during|a|an|for|from)\b|\b(?:and|or|but)\s*,?\s*$", re.I)


def _period_for(n: Num, periods: list[Period], lead_period, sent: str, lo: int, nxt: int) -> Period | None:
    # "from 2012 when Durham rates were 11.4%": the period the when-clause describes
    for p in periods:
        if p.end <= n.start and _WHEN_CLAUSE.match(sent, p.end, n.start):
            return p
    # the number's own period: right after it, before the next number, close by
    for p in periods:
        if _COMPARISON_BASE.search(sent[max(0, p.start - 40):p.start]):
            continue  # a comparison base: "an increase of 7% on the previous year"
        if n.end <= p.start < nxt and p.start - n.end <= 90:
            between = sent[n.end:p.start]
            if _CLAUSE_BREAK.search(between):
                break
            return p
    # a period stated between the previous number and this one (not a comparison base)
    cands = [p for p in periods if lo <= p.start and p.end <= n.start and not _COMPARISON_BASE.search(sent[max(0, p.start - 40):p.start])]
    if cands:
        return cands[-1]
    return lead_period


# ============================================================================================
# the main extraction


_ENDS_FULL_STOP = re.compile(r"\.\W*$")
_TRAILING_FOOTNOTE = re.compile(r"(?<=[A-Za-z])\d{1,2}$|\s+\d{1,3}$")  # a footnote or page number, not "per 10,000"
_ENDS_PUNCT = re.compile(r"[.!?;:,]\W*$")


def extract_indicators(doc: DocText, info: dict | None = None) -> list[dict]:
    """One record per numeric fact in the document's prose (see module docstring)."""
    info = info or {}
    la_name = info.get("la_name")
    state = _State()
    records: list[dict] = []
    lead_fresh = False
    blocks = build_blocks(doc)
    last_recs: list[_Rec] = []
    for bi, block in enumerate(blocks):
        state.block = bi
        nxt_block = blocks[bi + 1] if bi + 1 < len(blocks) else None
        if block.kind == "heading":
            last_recs = []
            h = _clean_label(_blank_markup(block.text).strip(" :.-"), la_name)
            h = _TRAILING_FOOTNOTE.sub("", h).strip()
            state.heading = "" if _GENERIC_HEADING.match(h) or not _content_words(h) else h
            state.chart_topic = ""
            state.subject_topic = ""
            state.lead = None
            continue
        if block.kind != "bullet" and not lead_fresh:
            state.lead = None
        lead_fresh = False
        parse_text = _blank_markup(block.text)
        state.prev_subject = ""
        block_first: _Rec | None = None
        prev_sentence_recs: list[_Rec] = []
        carried = last_recs  # for "Of this number ..." opening the next bullet
        sentences = split_sentences(parse_text)
        for a, b in sentences:
            sent = parse_text[a:b]
            low = sent.lower()
            # (the words the topic patterns need, see _CHART_TOPIC: a cheap test for every sentence)
            measure_word = ("rate" in low or "number" in low or "percentage" in low or "proportion" in low or "level" in low
                            or "figure" in low or "timeliness" in low)
            chart_word = "chart" in low or "figure" in low or "graph" in low or "table" in low
            m = _CHART_TOPIC.match(sent) if chart_word else None
            if m:
                t = _clean_label(m.group("t"), la_name)
                if _content_words(t):
                    state.chart_topic = t
            m2 = _SUBJECT_TOPIC.match(sent) if measure_word else None
            if m2:
                t = _clean_label(m2.group("t"), la_name)
                if _content_words(t):
                    state.subject_topic = t
                    state.subject_block = bi
            state.prev_in_block = bool(prev_sentence_recs)
            recs = _analyse_sentence(sent, state, prev_sentence_recs or carried, block_first, la_name, block.kind == "bullet")
            carried = []
            ms = _MEASURE_SUBJECT.match(sent) if measure_word else None
            state.prev_subject = _clean_label(ms.group(1), la_name) if ms else ""
            kept = [r for r in recs if r.keep and _credible(r)]
            for r in kept:
                rec = _to_record(r, block, a, doc, state, la_name)
                if rec is not None:
                    records.append(rec)
            prev_sentence_recs = kept  # "This figure ..." refers to the sentence just before, or to nothing
            if kept:
                last_recs = [block_first or kept[0]]
                if block_first is None:
                    block_first = kept[0]
            if sent.rstrip().endswith(":"):
                state.lead = _make_lead(sent, kept, block_first, prev_sentence_recs, state, la_name)
                lead_fresh = b >= len(parse_text.rstrip())
        if _ENDS_FULL_STOP.search(block.text) and not block.text.rstrip().endswith(":"):
            continues = nxt_block is not None and nxt_block.kind == "bullet" and nxt_block.text[:1].islower()
            if not continues and not (block.kind == "bullet" and state.lead is not None and state.lead.label is None and state.lead.period is not None):
                state.lead = None
        elif not _ENDS_PUNCT.search(block.text) and state.lead is None and not _content_words(block.text[-1:]) :
            last = sentences[-1:] if parse_text.strip() else []
            if last:
                a, b = last[0]
                sent = parse_text[a:b]
                if not find_numbers(sent) and len(sent.split()) <= 25:
                    state.lead = _make_lead(sent, [], block_first, prev_sentence_recs, state, la_name)
                    lead_fresh = True
    out = _dedupe(records)
    return out


# a block opening with "Of these", "Of the total"
_OF_THESE_LEAD = re.compile(r"^\W*(?:of\s+(?:this\s+number|these|them|those|which|whom)|of\s+the\s+(?:above|total)|of\s+this\s+(?:total|group|cohort))\b", re.I)
_PAREN_GROUP = re.compile(r"\([^)]*\)")
# from a verb such as "include" or "found that" to the end
_INCLUDES_REST = re.compile(r"\b(?:include|includes|including|are|were|is|was|as\s+follows|found\s+that|shows?\s+that)\b.*$", re.I)


def _make_lead(sent: str, kept: list[_Rec], block_first: _Rec | None, prev: list[_Rec], state: _State, la_name) -> _Lead:
    body = sent.rstrip().rstrip(":").strip()
    periods = find_periods(body)
    period = periods[0] if periods else None
    if _OF_THESE_LEAD.match(body):
        ref = block_first or (prev[0] if prev else None)
        if ref is not None:
            return _Lead(ref.label, ref.period, f"{ref.label} {ref.ctx} {ref.sent}")
        return _Lead(None, period, body)
    if kept:
        return _Lead(kept[0].label, kept[0].period or period, body)
    text = body
    for p in reversed(periods):
        text = text[:p.start] + text[p.end:]
    text = _PAREN_GROUP.sub(" ", text)
    text = _INCLUDES_REST.sub("", text)
    label = _clean_label(text, la_name)
    if not _content_words(label):
        label = None
    return _Lead(label, period, body)


def _to_record(r: _Rec, block: Block, sent_start: int, doc: DocText, state: _State, la_name) -> dict | None:
    n = r.num
    abs_start = sent_start + n.start
    abs_end = sent_start + n.end
    evidence = _evidence(block, sent_start, sent_start + len(r.sent), abs_start, abs_end, doc)
    if evidence is None:
        return None
    text, page, line = evidence
    unit = r.unit or "count"
    key = r.key
    p = r.period
    return {
        "indicator_key": key,
        "indicator_label": r.label,
        "value_type": r.value_type,
        "comparison_group": r.group if r.value_type == "comparator" else "local_authority",
        "value": float(n.value),
        "unit": unit,
        "period_label": p.label if p else None,
        "period_start": p.period_start if p else None,
        "period_end": p.period_end if p else None,
        "geographic_level": {"england": "National", "region": "Regional"}.get(r.group if r.value_type == "comparator" else "", "Local authority"),
        "evidence_page": page,
        "evidence_line": line,
        "evidence_text": text,
        "is_change": bool(r.is_change),
        "raw_value": n.raw.strip(),
        "_pos": (id(block), abs_start),
    }


_LEADING_JUNK = re.compile(r"^[\s\-+=@•*\u2013\u2014\u25aa·]+")


def _evidence(block: Block, s_start: int, s_end: int, n_start: int, n_end: int, doc: DocText, limit: int = 300):
    """(quote, page, line): the sentence part on the number's side of any page break, trimmed
    to <= limit characters around the number, verbatim (whitespace-normalised) from the doc."""
    ra, rb = block.run_bounds(n_start, doc.text)
    a, b = max(s_start, ra), min(s_end, rb)
    text = block.text
    if b - a > limit:
        centre = (n_start + n_end) // 2
        a2 = max(a, centre - limit // 2)
        b2 = min(b, a2 + limit)
        a2 = max(a, b2 - limit)
        # word boundaries
        if a2 > a:
            sp = text.find(" ", a2)
            if sp != -1 and sp < n_start:
                a2 = sp + 1
        if b2 < b:
            sp = text.rfind(" ", n_end, b2)
            if sp != -1:
                b2 = sp
        a, b = a2, b2
    # strip leading bullet / formula characters
    while a < b and (text[a].isspace() or text[a] in "-+=@•*\u2013\u2014\u25aa·"):
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    # map to document offsets (both ends must be inside lines)
    da = block.doc_offset(a)
    db = block.doc_offset(b - 1)
    if da is None or db is None:
        return None
    quote = normalise_space(doc.text[da:db + 1])
    quote = _LEADING_JUNK.sub("", quote)
    if not quote:
        return None
    page, line = doc.locate(da)
    return quote, page, line


def _dedupe(records: list[dict]) -> list[dict]:
    seen = set()
    out = []
    for r in records:
        k = (r["evidence_page"], r["evidence_line"], r["evidence_text"], r["raw_value"], r["value"], r["indicator_label"], r["value_type"], r.pop("_pos", None))
        if k in seen:
            continue
        seen.add(k)
        out.append(r)
    return out


# ============================================================================================
# tables

_NUMERIC_CELL = re.compile(r"^\s*(?P<pre>£)?\s*(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)\s*(?P<post>%|per\s?cent|days|weeks)?\s*$", re.I)
_GRADE_WORDS = re.compile(r"\b(?:outstanding|good|adequate|inadequate|requires\s+improvement|grade)\b", re.I)


_PAGES_WORD = re.compile(r"\bpages?\b|contents")
# dot leaders in a contents table
_DOT_LEADER = re.compile(r"\.{4,}|…")


def indicators_from_tables(cells: list[dict], doc: DocText, info: dict | None = None) -> list[dict]:
    """Indicator rows from numeric cells of extracted tables: the row and column say what and when."""
    info = info or {}
    la_name = info.get("la_name")
    by_table: dict = {}
    for c in cells:
        by_table.setdefault(c.get("table_index"), []).append(c)
    out: list[dict] = []
    for t_index, tcells in by_table.items():
        grid: dict = {}
        headers: dict = {}
        for c in tcells:
            grid[(c["row_index"], c["column_index"])] = c
            if c.get("header") not in (None, ""):
                headers[c["column_index"]] = str(c["header"])
        if not grid:
            continue
        rows = sorted({r for r, _ in grid})
        cols = sorted({k for _, k in grid})
        values = [str(c.get("value") or "") for c in tcells]
        # grade tables, contents tables and date lists are not measures
        if sum(bool(_GRADE_WORDS.search(v)) for v in values) >= max(2, len(values) // 4):
            continue
        header_text = " ".join(headers.values()).lower()
        if _PAGES_WORD.search(header_text) or any(_DOT_LEADER.search(v) for v in values):
            continue
        first_col = cols[0]
        numeric_cols = [k for k in cols if k != first_col]
        table_ctx = header_text + " " + _text_above(doc, tcells)
        if _looks_like_page_column(grid, rows, cols):
            continue
        for r_i in rows:
            row_label_cell = grid.get((r_i, first_col))
            row_label = str(row_label_cell.get("value") or "").strip() if row_label_cell else ""
            if _NUMERIC_CELL.match(row_label):
                row_label = ""
            for k in numeric_cols:
                c = grid.get((r_i, k))
                if c is None:
                    continue
                raw = str(c.get("value") or "").strip()
                m = _NUMERIC_CELL.match(raw)
                if not m:
                    continue
                col_header = headers.get(k, "").strip()
                rec = _table_record(raw, m, row_label, col_header, c, doc, la_name, table_ctx)
                if rec is not None:
                    out.append(rec)
    return out


_ONE_TO_THREE_DIGITS = re.compile(r"\d{1,3}")
_FOUR_LETTERS = re.compile(r"[A-Za-z]{4}")


def _looks_like_page_column(grid, rows, cols) -> bool:
    last = cols[-1]
    vals = []
    for r in rows:
        c = grid.get((r, last))
        v = str(c.get("value") or "").strip() if c else ""
        if v:
            vals.append(v)
    if len(vals) < 3 or not all(_ONE_TO_THREE_DIGITS.fullmatch(v) for v in vals):
        return False
    nums = [int(v) for v in vals]
    labels = [str((grid.get((r, cols[0])) or {}).get("value") or "") for r in rows]
    texty = sum(bool(_FOUR_LETTERS.search(l)) for l in labels) >= len(labels) * 0.6
    return nums == sorted(nums) and texty and len(cols) == 2


def _text_above(doc: DocText, cells: list[dict], n_lines: int = 6) -> str:
    """The lines just above a table (its heading or introducing sentence), for classification."""
    firsts = sorted((c.get("evidence_page") or 0, c.get("evidence_line") or 0) for c in cells)
    if not firsts or not firsts[0][0] or firsts[0][0] > len(doc.pages):
        return ""
    page, line = firsts[0]
    lines = doc.pages[page - 1].split("\n")
    return " ".join(lines[max(0, line - 1 - n_lines):max(0, line - 1)])


_YEAR_CELL = re.compile(r"(?:19|20)\d{2}")
_TARGET_WORD = re.compile(r"\btarget\b", re.I)
_THOUSANDS_COMMA = re.compile(r",\d{3}")
_PERCENT_WORD = re.compile(r"%|percent|percentage|proportion", re.I)
_PERCENT_SIGN = re.compile(r"\(?%\)?")


def _table_record(raw: str, m, row_label: str, col_header: str, cell: dict, doc: DocText, la_name, table_ctx: str = "") -> dict | None:
    n_txt = m.group("n")
    if _YEAR_CELL.fullmatch(n_txt) and not m.group("post"):
        return None  # a year
    value = float(n_txt.replace(",", "")) if _THOUSANDS_COMMA.search(n_txt) else float(n_txt.replace(",", "."))
    unit = "gbp" if m.group("pre") else "count"
    post = (m.group("post") or "").lower()
    if post in {"%", "per cent", "percent"}:
        unit = "percent"
    elif post in {"days", "weeks"}:
        unit = post
    row_period = find_periods(row_label) if row_label else []
    col_period = find_periods(col_header) if col_header else []
    row_is_period = bool(row_period) and len(row_period[0].label) >= len(row_label.strip()) - 4
    col_is_period = bool(col_period) and len(col_period[0].label) >= len(col_header.strip()) - 4
    if _YEAR_CELL.fullmatch(row_label.strip()):
        y = int(row_label.strip())
        row_period = [Period(0, 4, row_label.strip(), date(y, 1, 1), date(y, 12, 31), "year")]
        row_is_period = True
    if _YEAR_CELL.fullmatch(col_header.strip()):
        y = int(col_header.strip())
        col_period = [Period(0, 4, col_header.strip(), date(y, 1, 1), date(y, 12, 31), "year")]
        col_is_period = True
    period = None
    if row_is_period:
        period = row_period[0]
        label = col_header
    elif col_is_period:
        period = col_period[0]
        label = row_label
    else:
        label = f"{row_label} {col_header}".strip() if row_label and col_header else (row_label or col_header)
        if row_period:
            period = row_period[0]
        elif col_period:
            period = col_period[0]
    if _PERCENT_WORD.search(f"{col_header} {row_label}") and unit == "count" and 0 <= value <= 100:
        unit = "percent"
    label = _clean_label(_PERCENT_SIGN.sub(" ", label), la_name)
    if not label:
        return None
    ev = _table_evidence(cell, raw, row_label, doc)
    if ev is None:
        return None
    text, page, line = ev
    key = classify_indicator(label, unit, f"{row_label} {col_header} {table_ctx}")
    group, vtype, level = "local_authority", "actual", "Local authority"
    for g, rx in _GROUP_RES:
        if re.search(rf"^(?:{rx.pattern})$|\b(?:{rx.pattern})\b", f"{col_header}", re.I):
            group, vtype = g, "comparator"
            level = {"england": "National", "region": "Regional"}.get(g, "Local authority")
            break
    if _TARGET_WORD.search(col_header):
        vtype, group, level = "target", "local_authority", "Local authority"
    return {
        "indicator_key": key,
        "indicator_label": label,
        "value_type": vtype,
        "comparison_group": group,
        "value": value,
        "unit": unit,
        "period_label": period.label if period else None,
        "period_start": period.period_start if period else None,
        "period_end": period.period_end if period else None,
        "geographic_level": level,
        "evidence_page": page,
        "evidence_line": line,
        "evidence_text": text,
        "is_change": False,
        "raw_value": raw,
    }


def _table_evidence(cell: dict, raw: str, row_label: str, doc: DocText):
    """The document line that carries the cell (its row), verbatim."""
    page = cell.get("evidence_page")
    line = cell.get("evidence_line")
    if not page or page < 1 or page > len(doc.pages):
        return None
    lines = doc.pages[page - 1].split("\n")
    candidates = []
    if line and 1 <= line <= len(lines):
        candidates.append(line)
    candidates += [k + 1 for k in range(len(lines)) if k + 1 != line]
    num_re = re.compile(rf"(?<![\d.,]){re.escape(raw)}(?![\d.,])")
    for k in candidates:
        t = lines[k - 1]
        if num_re.search(t) and (not row_label or row_label in t or k == line):
            text = _LEADING_JUNK.sub("", normalise_space(t))
            if len(text) > 300:
                pos = text.find(raw)
                a = max(0, pos - 150)
                text = text[a:a + 300].strip()
            if text and doc.contains_quote(text):
                return text, page, k
    return None


# ============================================================================================
# checks

_YEARISH = re.compile(r"^(?:19|20)\d{2}$")


# text ending in a reference noun: "section", "page"
_REFERENCE_NOUN_TAIL = re.compile(r"\b(?:section|paragraph|chart|appendix|grade|recommendation|page)\s*$", re.I)


def check_indicators(records: list[dict], doc: DocText) -> list[str]:
    """Failures of the published rules, one human-readable line each (empty when all pass)."""
    problems = []
    for i, r in enumerate(records):
        where = f"{doc.source} p{r.get('evidence_page')} l{r.get('evidence_line')}"
        missing = [k for k in RECORD_KEYS if k not in r]
        if missing:
            problems.append(f"{where}: record {i} lacks {', '.join(missing)}")
            continue
        v = r["value"]
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(float(v)):
            problems.append(f"{where}: value {v!r} is not a finite number")
            continue
        if r["unit"] not in UNIT_VOCABULARY:
            problems.append(f"{where}: unit {r['unit']!r} is not a known unit")
        if r["value_type"] not in VALUE_TYPES:
            problems.append(f"{where}: value_type {r['value_type']!r} is not one of {', '.join(VALUE_TYPES)}")
        if r["comparison_group"] not in COMPARISON_GROUPS:
            problems.append(f"{where}: comparison_group {r['comparison_group']!r} is not known")
        if r["geographic_level"] not in GEOGRAPHIC_LEVELS:
            problems.append(f"{where}: geographic_level {r['geographic_level']!r} is not known")
        if r["unit"] == "percent" and not r["is_change"] and not (0 <= float(v) <= 100):
            problems.append(f"{where}: percentage {v} is outside 0-100 and not a change")
        if r["indicator_key"] is not None and r["indicator_key"] not in CATALOGUE_KEYS:
            problems.append(f"{where}: indicator_key {r['indicator_key']!r} is not in the catalogue")
        ev = r["evidence_text"] or ""
        if not ev or not doc.contains_quote(ev):
            problems.append(f"{where}: evidence text is not verbatim in the document: {ev[:80]!r}")
        elif len(ev) > 320:
            problems.append(f"{where}: evidence text is {len(ev)} characters long (limit ~300)")
        if ev[:1] in "=+-@":
            problems.append(f"{where}: evidence text starts with {ev[:1]!r} (spreadsheet injection)")
        raw = str(r["raw_value"] or "")
        if raw and not doc.contains_quote(raw) and not (raw.lower() == "no"):
            problems.append(f"{where}: raw value {raw!r} is not in the document")
        if r["unit"] == "count" and _YEARISH.match(raw) and not r["indicator_label"]:
            problems.append(f"{where}: value {raw} looks like a year, not a count")
        if not r["indicator_label"]:
            problems.append(f"{where}: empty indicator_label for value {raw!r}")
        if r["period_start"] and r["period_end"] and r["period_start"] > r["period_end"]:
            problems.append(f"{where}: period starts after it ends ({r['period_start']} > {r['period_end']})")
        if _REFERENCE_NOUN_TAIL.search(ev[: max(0, ev.find(raw))]) and raw and ev.find(raw) > 0:
            problems.append(f"{where}: value {raw!r} follows a reference word (section/chart/grade ...), not a measure")
    return problems
