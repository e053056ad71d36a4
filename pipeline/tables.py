"""Every table in a document, as tidy cells (the ``tables`` resource of DATASET.md).

Plain Python, text in, dicts out. One pass over the lines of ``doc.text``; every regex is compiled
once here. Three kinds of table are recognised:

``markdown``
    Pipe tables: a header line, a ``|---|---|`` separator, then ``| a | b |`` rows. A header row
    whose cells are all blank (``| | |``) means the table has no header (``header`` is ``""``); a
    header row holding only a title (``| Safeguarding services | |``) gives that title as the
    header of its column and ``""`` for the others. Blocks of two or more ``| a | b |`` lines with
    no separator are tables without a header.

``tab``
    Runs of two or more consecutive lines split by tab characters, from word-processor text. Not
    tables: contents lists (cells ending in leader dots ``.....``, or page numbers under a
    "Contents" heading), numbered paragraphs (``4.7<TAB>Chart 1 shows ...``: a paragraph number
    then prose), prose with stray tabs (at least two rows must have two or more non-empty
    cells, and most rows must not be paragraph-length), letterheads (addresses, telephone numbers,
    e-mail and web addresses, postcodes in a third of the rows) and ``Label:<TAB>value`` forms
    (the last two rules apply to pipe tables too). The first row is the header when its cells are
    wrapped in bold/heading tags (``<b>Meeting Date</b>``), or when it holds no digit while the
    rows under it do, or when its only numbers are years over rows of figures, or when its cells
    are short labels over much longer cells.

``judgement``
    Ofsted judgement tables flattened into lines by PDF text extraction: each row is an area name
    (possibly wrapped over up to three lines) ending with a grade phrase (``Good``, ``Requires
    improvement to be good`` -- itself possibly split over lines -- ``Inadequate``, ...). A run of
    such rows is a table when it follows a header line (``Judgement Grade``, ``Key judgement
    Judgement grade``), or when its rows are numbered (``1. Children who need help and protection
    Good`` / ``2.1 Adoption performance Good``), or when it has three or more graded rows.
    Area names must read as labels, not sentences (no trailing "is"/"are"/"be"..., at most 160
    characters), so headlines such as "Children's services in X are good" and prose are not rows;
    bulleted lines and ``Area: grade`` list items are lists, not tables. A blank line ends a
    flattened table.
    A stand-alone statement of the Local Safeguarding Children Board judgement ("The Local
    Safeguarding Children Board is good", "The effectiveness of the Local Safeguarding Children
    Board (LSCB) is / good.") is a one-row table of its own. A single graded line without a
    printed header (the SIF section-heading boxes without "Key judgement") is not taken as a
    table. Flattened tables have two columns: the area (column 0) and the grade (column 1); a
    title-like line without a grade between graded rows is kept as a row with only column 0.
    The header is what the document prints (``Judgement`` / ``Grade``), else ``""``: nothing is
    invented.

Choices (documented here because consumers rely on them):

* Tidy cells: only non-empty cells are emitted; a row with no non-empty cell is dropped and does
  not take a ``row_index``. ``row_index`` counts data rows (header excluded) from 0;
  ``column_index`` is the cell's position in the row as printed, so a row starting with an empty
  cell keeps its other cells under the right headers.
* A table printed in parts, where a later part repeats the same (non-empty) header row after a
  gap of at most a few short lines (a page break, a running header, a page number), is ONE table:
  the repeated header row is dropped and the later rows continue the ``row_index`` of the first.
* ``value`` and ``header`` are whitespace-normalised, with HTML tags (``<b>``), markdown emphasis
  (``**``) and entities removed, and with leading bullet markers and ``=``, ``+``, ``-``, ``@``
  stripped (the spreadsheet rule of DATASET.md: a cell ``-5`` is published as ``5``).
* ``evidence_page`` / ``evidence_line`` locate the start of the row (for a wrapped flattened row,
  its first line).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress

from .frameworks import GRADE_PHRASE
from .text import DocText, normalise_space

__all__ = [
    "GRADE_PHRASE",
    "GRADE_AT_END",
    "Table",
    "clean_cell",
    "extract_tables",
    "find_tables",
    "split_grade_at_end",
    "table_summaries",
]

# ---------------------------------------------------------------------------------------------
# Grade phrases (shared helper: a grade word or phrase at the end of a line or label)
# ---------------------------------------------------------------------------------------------

#: A grade phrase ending the text (case-insensitive), preceded by a word boundary.
GRADE_AT_END = re.compile(r"(?<![\w-])" + GRADE_PHRASE + r"[ \t]*$", re.I)


def split_grade_at_end(text: str) -> tuple[str, str] | None:
    """Split "Adoption performance Requires improvement" into (area, grade); None without a grade.

    The text may span lines ("... requires\\nimprovement"); both parts come back
    whitespace-normalised. The area may be empty (the text is only a grade).
    """
    m = GRADE_AT_END.search(text.rstrip())
    if m is None:
        return None
    return normalise_space(text[: m.start()]), normalise_space(m.group(0))


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@dataclass
class Table:
    """One table: its kind, header cells and data rows (offset of the row start in doc.text, cells)."""

    kind: str  # "markdown", "tab" or "judgement"
    header: tuple[str, ...]
    rows: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    caption: str = ""  # the short line printed just before the table, if any (not verbatim-checked)
    start_line: int = 0  # index of the first line of the table (header included) in doc.text
    end_line: int = 0  # index of the last line of the table

    @property
    def n_cols(self) -> int:
        return max([len(self.header)] + [len(cells) for _, cells in self.rows])


# ---------------------------------------------------------------------------------------------
# Cell cleaning
# ---------------------------------------------------------------------------------------------

_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_MD_EMPH = re.compile(r"(\*\*|__)(.+?)\1")
_MD_ESCAPE = re.compile(r"\\([|*_`\\])")
_LEADING_JUNK = re.compile(r"^[\s=+\-@\u2022\u2023\u2043\u25aa\u25cf\u25e6\u00b7*]+")
_HEADER_TAG = re.compile(r"^\s*<(b|strong|th|h[1-6])\b[^>]*>.*</\1>\s*$", re.I | re.S)


def clean_cell(raw: str) -> str:
    """Cell text as published: no tags, entities or markdown emphasis, one space, no leading =+-@."""
    s = _BR.sub(" ", raw)
    s = _TAG.sub("", s)
    s = html.unescape(s)
    s = _MD_EMPH.sub(r"\2", s)
    s = _MD_ESCAPE.sub(r"\1", s)
    s = normalise_space(s)
    return _LEADING_JUNK.sub("", s)


# ---------------------------------------------------------------------------------------------
# Markdown pipe tables
# ---------------------------------------------------------------------------------------------

_MD_SEP = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$")
_PIPE_LINE = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")


def _pipe_cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return _PIPE_SPLIT.split(s)


def _markdown_tables(lines: list[str], starts: list[int], used: list[bool]) -> list[Table]:
    tables = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if "|" not in line or used[i]:
            i += 1
            continue
        # header + separator
        if i + 1 < n and _MD_SEP.match(lines[i + 1]) and "|" in lines[i + 1] and not _MD_SEP.match(line):
            header = tuple(clean_cell(c) for c in _pipe_cells(line))
            if not any(header):
                header = ()
            table = Table("markdown", header, start_line=i)
            j = i + 2
            while j < n and "|" in lines[j] and lines[j].strip():
                cells = tuple(clean_cell(c) for c in _pipe_cells(lines[j]))
                table.rows.append((starts[j], cells))
                j += 1
            table.end_line = j - 1
            for k in range(i, j):
                used[k] = True
            if not _is_letterhead_or_form([list(cells) for _, cells in table.rows]):
                tables.append(table)
            i = j
            continue
        # pipe-bordered lines without a separator: a headerless table of two or more rows
        if _PIPE_LINE.match(line):
            j = i
            while j < n and _PIPE_LINE.match(lines[j]) and not used[j]:
                j += 1
            block = [(k, _pipe_cells(lines[k])) for k in range(i, j)]
            if (
                j - i >= 2
                and sum(1 for _, c in block if sum(1 for x in c if x.strip()) >= 2) >= 2
                and not _is_letterhead_or_form([c for _, c in block])
            ):
                table = Table("markdown", (), start_line=i, end_line=j - 1)
                for k, cells in block:
                    table.rows.append((starts[k], tuple(clean_cell(c) for c in cells)))
                    used[k] = True
                tables.append(table)
            i = max(j, i + 1)
            continue
        i += 1
    return tables


# ---------------------------------------------------------------------------------------------
# Tab-separated tables
# ---------------------------------------------------------------------------------------------

_LEADER = re.compile(r"(?:\.{3,}|…+|(?:\. ){3,}\.?|_{4,})\s*$")
_PAGE_NUMBER = re.compile(r"^(?:\d{1,3}|[ivxlc]{1,6})$", re.I)
_CONTENTS_HEADING = re.compile(r"^\W*(?:table\s+of\s+)?contents\W*$", re.I)
_LIST_MARKER = re.compile(
    r"^(?:\(?\d{1,3}(?:\.\d{1,3})*[.)]?|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,5}[.)]|[-\u2022\u2013*o])$"
)
_DIGIT = re.compile(r"\d")
_NUMERIC_CELL = re.compile(r"^[-+(]?[£$]?\d[\d,]*(?:\.\d+)?\s*%?\)?$")
_YEARISH = re.compile(r"^(?:19|20)\d\d(?:\s*[-/\u2013]\s*(?:19|20)?\d\d)?$")
_SENTENCE_END = re.compile(r"[.!?:;]['\u2019\")]?$")


def _is_contents(rows: list[list[str]], lines: list[str], first: int) -> bool:
    """Dot-leader contents lines, or page numbers under a "Contents" heading."""
    leaders = sum(1 for cells in rows if any(_LEADER.search(c.strip()) for c in cells if c.strip()))
    if leaders * 2 >= len(rows):
        return True
    filled = [[c.strip() for c in cells if c.strip()] for cells in rows]
    page_like = [f for f in filled if len(f) == 2 and _PAGE_NUMBER.match(f[1]) and re.search("[A-Za-z]", f[0])]
    if len(page_like) * 4 >= 3 * len(rows):
        # look for a "Contents" heading among the three non-blank lines above
        k, seen = first - 1, 0
        while k >= 0 and seen < 3:
            if lines[k].strip():
                if _CONTENTS_HEADING.match(clean_cell(lines[k])):
                    return True
                seen += 1
            k -= 1
    return False


def _is_numbered_prose(rows: list[list[str]]) -> bool:
    """Paragraph numbers followed by prose: "4.7<TAB>Chart 1 shows the position ..."."""
    filled = [[c.strip() for c in cells if c.strip()] for cells in rows]
    filled = [f for f in filled if f]
    if not filled or not all(len(f) == 2 and _LIST_MARKER.match(f[0]) for f in filled):
        return False
    texts = [f[1] for f in filled]
    long_or_sentences = sum(1 for t in texts if len(t) > 80 or _SENTENCE_END.search(t))
    return long_or_sentences * 2 >= len(texts)


def _tab_header(rows: list[list[str]]) -> bool:
    """Is the first row of a tab block its header?"""
    first = [c for c in rows[0]]
    filled = [c for c in first if c.strip()]
    if not filled:
        return False
    if all(_HEADER_TAG.match(c) for c in filled):
        return True
    cleaned = [clean_cell(c) for c in filled]
    if any(len(c) > 60 or _SENTENCE_END.search(c) for c in cleaned):
        return False
    if len(rows) < 2:
        return False
    body = rows[1:]
    if not any(_DIGIT.search(c) for c in cleaned) and sum(
        1 for cells in body if any(_DIGIT.search(c) for c in cells)
    ) * 2 >= len(body):
        return True
    # "Indicator<TAB>2017/18<TAB>2018/19" over rows of figures: years head columns of numbers
    if all(not _NUMERIC_CELL.match(c) or _YEARISH.match(c) for c in cleaned) and sum(
        1 for cells in body if any(_NUMERIC_CELL.match(clean_cell(c)) and not _YEARISH.match(clean_cell(c)) for c in cells)
    ) * 2 >= len(body):
        return True
    # short labels over much longer cells
    head_len = sum(len(c) for c in cleaned) / len(cleaned)
    body_cells = [clean_cell(c) for cells in body for c in cells if c.strip()]
    if body_cells and sum(len(c) for c in body_cells) / len(body_cells) >= 2.5 * head_len:
        return True
    return False


_CONTACT = re.compile(
    r"\w@\w|www\.|https?://|\b(?:tel|telephone|fax|textphone|e-?mail|direct\s+line)\b|"
    r"\b0\d{2,4}[ -]?\d{3}[ -]?\d{3,4}\b|(?-i:\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b)",
    re.I,
)


def _is_letterhead_or_form(rows: list[list[str]]) -> bool:
    """Addresses, telephone/e-mail blocks and "Label:<TAB>value" forms laid out with tabs or pipes."""
    filled = [[c.strip() for c in cells if c.strip()] for cells in rows]
    filled = [f for f in filled if f]
    if not filled:
        return True
    contact = sum(1 for f in filled if any(_CONTACT.search(c) for c in f))
    if contact * 3 >= len(filled):
        return True
    form = sum(1 for f in filled if len(f) == 2 and clean_cell(f[0]).endswith(":"))
    return form * 2 > len(filled)


def _tab_tables(lines: list[str], starts: list[int], used: list[bool]) -> list[Table]:
    tables = []
    i, n = 0, len(lines)
    while i < n:
        if "\t" not in lines[i] or not lines[i].strip() or used[i]:
            i += 1
            continue
        j = i
        while j < n and "\t" in lines[j] and lines[j].strip() and not used[j]:
            j += 1
        rows = [lines[k].split("\t") for k in range(i, j)]
        multi = sum(1 for cells in rows if sum(1 for c in cells if c.strip()) >= 2)
        paragraphs = sum(1 for cells in rows if max(len(c) for c in cells) > 300)
        if (
            j - i >= 2
            and multi >= 2
            and paragraphs * 2 < len(rows)
            and not _is_contents(rows, lines, i)
            and not _is_numbered_prose(rows)
            and not _is_letterhead_or_form(rows)
        ):
            has_header = _tab_header(rows)
            header = tuple(clean_cell(c) for c in rows[0]) if has_header else ()
            table = Table("tab", header, start_line=i, end_line=j - 1)
            for k in range(i + (1 if has_header else 0), j):
                table.rows.append((starts[k], tuple(clean_cell(c) for c in lines[k].split("\t"))))
            for k in range(i, j):
                used[k] = True
            tables.append(table)
        i = j
    return tables


# ---------------------------------------------------------------------------------------------
# Flattened judgement tables (PDF text)
# ---------------------------------------------------------------------------------------------

_JUDGEMENT_HEADER = re.compile(
    r"^\s*(?P<h1>(?:key\s+)?(?:judge?ments?|areas?|aspects?)(?:\s+areas?)?)\s+"
    r"(?P<h2>(?:judge?ment\s+)?(?:grades?|ratings?|judge?ments?))\s*$",
    re.I,
)
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})?\.?\s+\S")
_NUMBERED_FIRST = re.compile(r"^1\.?\s")
_MAX_NUMBERED_AREA = 100
_CONNECTIVE_END = re.compile(
    r"(?:\b(?:of|the|and|with|in|for|to|who|on|a|an|by|from|that|including|their|its)|[,&/-])\s*$", re.I
)
_STARTS_LOWER = re.compile(r"^\s*[a-z(]")
_LABEL_START = re.compile(r"^[A-Z0-9\u2018'\"(]")
_NOT_LABEL_END = re.compile(
    r"(?:^|\s)(?:is|are|was|were|be|been|being|am|as|and|or|but|of|the|a|an|to|in|on|at|for|with|by|from|"
    r"that|which|who|not|very|consistently|always|never|now|still|remains?|remained|requires?|required|"
    r"judged|rated|graded|considered|becomes?|became|so|how|what|more|less|most|least|too|also|all|"
    r"generally|mostly|largely|broadly|reasonably|equally|particularly|sufficiently|already|has|have|"
    r"had|this|these|those|than|rather|their|its|it|they|we|there|whose|overall|yet|increasingly|typically|"
    r"usually|often)"
    r"[.,;:]?$",
    re.I,
)
_TWO_SENTENCES = re.compile(r"[a-z]\.\s+[A-Z]")
_MAX_AREA = 160
_MAX_AREA_LINES = 3

_LSCB = re.compile(
    r"^[ \t]?(?P<area>The\s+(?:effectiveness\s+of\s+the\s+)?(?:[A-Z][\w\u2019'&-]*\s+){0,4}?"
    r"Safeguarding\s+Children\s+Board(?:\s*\([A-Z]{3,8}\))?)"
    r"\s+(?:(?:is|are)\s+)?(?P<grade>(?i:requires?\s+improvement(?:\s+to\s+be\s+good)?|outstanding|good|inadequate))"
    r"\.?[ \t]*$",
    re.M,
)
_LSCB_LINE = re.compile(r"\n[ \t]?The")  # where an _LSCB match can start (after the "\n")


def _final_at(lines: list[str], ends: list[bool], i: int, used: list[bool]) -> tuple[int, str, str] | None:
    """If a row's grade ends on line i..i+k, return (last line index, area tail on line i, grade).

    A grade may start on line i and run over the next one or two lines ("Requires" / "improvement",
    "Requires improvement to" / "be good"); the longest such grade wins.
    """
    line = lines[i]
    if not line.strip():
        return None
    # only "requires improvement ..." runs over lines: a grade starting on line i, which holds "requ"
    for extra in (2, 1) if "requ" in line.lower() else ():
        if i + extra >= len(lines) or not ends[i + extra]:
            continue
        if any(used[i + 1 : i + extra + 1]):
            continue
        chunk = "\n".join(lines[i : i + extra + 1])
        if any(not lines[k].strip() for k in range(i + 1, i + extra + 1)):
            continue
        m = GRADE_AT_END.search(chunk)
        if m and m.start() < len(line) and "\n" in chunk[m.start() :]:
            return i + extra, line[: m.start()], normalise_space(m.group(0))
    if not ends[i]:
        return None
    m = GRADE_AT_END.search(line)
    if m:
        return i, line[: m.start()], normalise_space(m.group(0))
    return None


_GRADE_LAST_WORDS = ("good", "outstanding", "adequate", "improvement")


def _ends_with_grade_word(line: str) -> bool:
    """Cheap test before any regex: does the line end with the last word of a grade phrase?"""
    return line.rstrip()[-11:].lower().endswith(_GRADE_LAST_WORDS)


_PLURAL_VERB_GRADE = re.compile(r"^require\s", re.I)


_BAD_AREA_END = re.compile(r"[:,;(\-\u2013\u2014/&]$")  # "Adoption performance: Good" is a list item
_LIST_ITEM = re.compile(r"^(?:\s{2,}|\s*[-*\u2013\u2022]\s)")  # bullets (glyphs read as spaces) or dashes


def _good_row(area: str, grade: str) -> bool:
    """A table row's area reads as a label, and its grade is not a sentence's verb ("require ...")."""
    return (
        bool(area)
        and not _PLURAL_VERB_GRADE.match(grade)
        and not _BAD_AREA_END.search(area)
        and len(area) <= _MAX_AREA
        and bool(_LABEL_START.match(area))
        and not _NOT_LABEL_END.search(area)
        and not _TWO_SENTENCES.search(area)
    )


def _title_like(line: str) -> bool:
    s = line.strip()
    return (
        0 < len(s) <= 80
        and bool(_LABEL_START.match(s))
        and not _SENTENCE_END.search(s)
        and not GRADE_AT_END.search(s)
        and not _NOT_LABEL_END.search(s)
    )


# how a _JUDGEMENT_HEADER line starts (after a line break and white space)
_HEADER_LINE_START = re.compile(r"\n[^\S\n]*(?:key|judg|area|aspect)", re.I)


def _header_candidates(text: str, starts: list[int]) -> list[int]:
    """The indices of the lines that may be a judgement table header (found faster than line by line)."""
    return [0] + [bisect_right(starts, m.start() + 1) - 1 for m in _HEADER_LINE_START.finditer(text)]


def _judgement_tables(text: str, lines: list[str], starts: list[int], used: list[bool]) -> list[Table]:
    """Rows are found line by line; runs of adjacent rows become tables when anchored."""
    n = len(lines)
    # _ends_with_grade_word(line), skipping at once the many lines whose last character cannot end a grade
    # word (no character but these has a lower case ending in "d", "g", "e" or "t")
    ends = [(line[-1:] in "dDgGeEtT" or line[-1:].isspace()) and _ends_with_grade_word(line) for line in lines]
    header_at = {}
    for k in _header_candidates(text, starts):
        hm = _JUDGEMENT_HEADER.match(lines[k])
        if hm:
            header_at[k] = hm
    # the lines where anything can happen (the others are passed over): used lines and headers move the
    # floor; a row's grade ends on a line ending with a grade word, at most two lines below its start
    active = set(header_at)
    active.update(compress(range(n), used))
    for k in compress(range(n), ends):
        active.update((k - 2, k - 1, k))
    rows: list[dict] = []  # {first, last, area, grade}
    headers: dict[int, tuple[str, str]] = {}
    floor = -1  # rows may not reach back to or before this line index
    next_line = 0
    for i in sorted(active):
        if i < next_line:
            continue
        next_line = i + 1
        if used[i]:
            floor = i
            continue
        hm = header_at.get(i)
        if hm:
            headers[i] = (normalise_space(hm.group("h1")), normalise_space(hm.group("h2")))
            floor = i
            continue
        final = _final_at(lines, ends, i, used)
        if final is None:
            continue
        last, tail, grade = final
        first = i
        area_lines = [tail] if tail.strip() else []
        # gather wrapped area lines above
        if not area_lines and first - 1 > floor and lines[first - 1].strip():
            first -= 1
            area_lines.insert(0, lines[first])
        while (
            area_lines
            and len(area_lines) < _MAX_AREA_LINES
            and first - 1 > floor
            and lines[first - 1].strip()
            and (_STARTS_LOWER.match(area_lines[0]) or _CONNECTIVE_END.search(lines[first - 1]))
        ):
            first -= 1
            area_lines.insert(0, lines[first])
        area = normalise_space(" ".join(area_lines))
        if _good_row(area, grade) and not _LIST_ITEM.match(lines[first]):
            rows.append({"first": first, "last": last, "area": area, "grade": grade})
        floor = last  # a later row never reaches back over a graded line, kept or not
        next_line = last + 1

    # group rows into blocks of adjacent rows (one title-like line may lie between two rows)
    tables: list[Table] = []
    block: list[dict] = []

    def gap_heading(prev: dict, row: dict) -> dict | bool:
        """True if adjacent, a heading-row dict if one title-like line lies between, else False.

        A blank line ends a table: flattened tables are printed without blank lines inside."""
        between = list(range(prev["last"] + 1, row["first"]))
        if not between:
            return True
        if any(not lines[k].strip() for k in between):
            return False
        if len(between) == 1 and _title_like(lines[between[0]]) and not used[between[0]]:
            k = between[0]
            return {"first": k, "last": k, "area": normalise_space(lines[k]), "grade": ""}
        return False

    def header_before(row: dict) -> int | None:
        k = row["first"] - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        return k if k in headers else None

    def close(block: list[dict]) -> None:
        if not block:
            return
        graded = [r for r in block if r["grade"]]
        h = header_before(block[0])
        if h is not None:
            accepted = block
        else:
            numbered = [
                idx
                for idx, r in enumerate(block)
                if r["grade"] and _NUMBERED.match(r["area"]) and len(r["area"]) <= _MAX_NUMBERED_AREA
            ]
            if len(numbered) >= 2 and _NUMBERED_FIRST.match(block[numbered[0]]["area"]):
                accepted = block[numbered[0] :]
            elif len(graded) >= 3:
                accepted = block
            else:
                return
        while accepted and not accepted[-1]["grade"]:
            accepted = accepted[:-1]
        if not accepted:
            return
        header = headers[h] if h is not None else ()
        table = Table(
            "judgement",
            header,
            start_line=h if h is not None else accepted[0]["first"],
            end_line=accepted[-1]["last"],
        )
        for r in accepted:
            cells = (r["area"], r["grade"]) if r["grade"] else (r["area"],)
            table.rows.append((starts[r["first"]], cells))
        for k in range(table.start_line, table.end_line + 1):
            used[k] = True
        tables.append(table)

    for row in rows:
        if block:
            gap = gap_heading(block[-1], row)
            if gap is False or header_before(row) is not None:
                close(block)
                block = []
            elif isinstance(gap, dict):
                block.append(gap)
        block.append(row)
    close(block)
    return tables


def _lscb_matches(text: str) -> list[re.Match]:
    """``_LSCB.finditer(text)``, faster: a match starts a line with "The" (after at most a space or
    tab), so the pattern is tried only there."""
    out, pos = [], 0
    for i in chain((0,), (c.start() + 1 for c in _LSCB_LINE.finditer(text))):
        if i < pos:
            continue
        m = _LSCB.match(text, i)
        if m:
            out.append(m)
            pos = m.end()
    return out


def _lscb_tables(text: str, lines_starts: list[int], used: list[bool]) -> list[Table]:
    tables = []
    for m in _lscb_matches(text):
        if m.group(0).count("\n") > 2:
            continue
        first = bisect_right(lines_starts, m.start()) - 1
        last = bisect_right(lines_starts, m.end() - 1) - 1
        if any(used[first : last + 1]):
            continue
        area = normalise_space(m.group("area"))
        grade = normalise_space(m.group("grade"))
        table = Table("judgement", (), start_line=first, end_line=last)
        table.rows.append((m.start("area"), (area, grade)))
        for k in range(first, last + 1):
            used[k] = True
        tables.append(table)
    return tables


# ---------------------------------------------------------------------------------------------
# Merging tables printed in parts, captions
# ---------------------------------------------------------------------------------------------

_MAX_GAP_LINES = 4
_MAX_GAP_CHARS = 80


def _merge_parts(tables: list[Table], lines: list[str]) -> list[Table]:
    merged: list[Table] = []
    for t in tables:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.kind == t.kind
            and t.header
            and any(t.header)
            and [h for h in t.header] == [h for h in prev.header]
        ):
            between = [lines[k] for k in range(prev.end_line + 1, t.start_line) if lines[k].strip()]
            if len(between) <= _MAX_GAP_LINES and all(len(b.strip()) <= _MAX_GAP_CHARS for b in between):
                prev.rows.extend(t.rows)
                prev.end_line = t.end_line
                continue
        merged.append(t)
    return merged


_HEADING_MARKS = re.compile(r"^[#\s]+|[*_]{2}")
_BULLET_START = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)])\s")


def _caption(table: Table, lines: list[str]) -> str:
    k = table.start_line - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 0 or "\t" in lines[k] or "|" in lines[k] or _BULLET_START.match(lines[k]):
        return ""
    s = normalise_space(_HEADING_MARKS.sub("", lines[k]))
    return s if 0 < len(s) <= 120 and not s.endswith(".") else ""


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def find_tables(doc: DocText) -> list[Table]:
    """The tables of a document, in order of appearance (parts of one table merged)."""
    text = doc.text
    lines = text.split("\n")
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    used = [False] * len(lines)
    # (a document without a pipe or a tab has no markdown or tab table)
    found = _markdown_tables(lines, starts, used) if "|" in text else []
    found += _tab_tables(lines, starts, used) if "\t" in text else []
    found += _judgement_tables(text, lines, starts, used)
    found += _lscb_tables(text, starts, used)
    found.sort(key=lambda t: t.start_line)
    tables = _merge_parts(found, lines)
    tables = [t for t in tables if any(any(c for c in cells) for _, cells in t.rows)]
    for t in tables:
        t.caption = _caption(t, lines)
    return tables


def extract_tables(doc: DocText) -> list[dict]:
    """Every table of ``doc`` as tidy cells (keys: table_index, row_index, column_index, header,
    value, evidence_page, evidence_line); only non-empty cells, rows without content skipped."""
    cells_out: list[dict] = []
    for table_index, table in enumerate(find_tables(doc)):
        row_index = 0
        for offset, cells in table.rows:
            if not any(cells):
                continue
            page, line = doc.locate(offset)
            for column_index, value in enumerate(cells):
                if not value:
                    continue
                header = table.header[column_index] if column_index < len(table.header) else ""
                cells_out.append(
                    {
                        "table_index": table_index,
                        "row_index": row_index,
                        "column_index": column_index,
                        "header": header,
                        "value": value,
                        "evidence_page": page,
                        "evidence_line": line,
                    }
                )
            row_index += 1
    return cells_out


def table_summaries(source: DocText | list[dict]) -> list[dict]:
    """One dict per table: table_index, n_rows, n_cols, header (header cells joined by " | "),
    evidence_page, evidence_line (of its first data row); given a DocText, also kind and caption
    (the short line printed just before the table, may be ""). Accepts the document, or the cells
    that :func:`extract_tables` returned (then columns without any value are not counted)."""
    if not isinstance(source, DocText):
        return _summaries_from_cells(source)
    doc = source
    out = []
    for table_index, table in enumerate(find_tables(doc)):
        rows = [(offset, cells) for offset, cells in table.rows if any(cells)]
        page, line = doc.locate(rows[0][0])
        out.append(
            {
                "table_index": table_index,
                "kind": table.kind,
                "n_rows": len(rows),
                "n_cols": max(len(cells) for _, cells in rows) if rows else 0,
                "header": " | ".join(table.header),
                "caption": table.caption,
                "evidence_page": page,
                "evidence_line": line,
            }
        )
    return out


def _summaries_from_cells(cells: list[dict]) -> list[dict]:
    by_table: dict[int, list[dict]] = {}
    for cell in cells:
        by_table.setdefault(cell["table_index"], []).append(cell)
    out = []
    for table_index in sorted(by_table):
        group = by_table[table_index]
        first = min(group, key=lambda c: (c["row_index"], c["column_index"]))
        n_cols = max(c["column_index"] for c in group) + 1
        headers = {c["column_index"]: c["header"] for c in group}
        out.append(
            {
                "table_index": table_index,
                "n_rows": max(c["row_index"] for c in group) + 1,
                "n_cols": n_cols,
                "header": " | ".join(headers.get(k, "") for k in range(n_cols)),
                "evidence_page": first["evidence_page"],
                "evidence_line": first["evidence_line"],
            }
        )
    return out
