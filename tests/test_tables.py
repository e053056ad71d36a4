"""Tables as tidy cells: markdown, tab-separated and flattened Ofsted judgement tables."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.frameworks import harmonise_word
from pipeline.tables import (
    GRADE_AT_END,
    clean_cell,
    extract_tables,
    find_tables,
    split_grade_at_end,
    table_summaries,
)
from pipeline.text import DocText, read_document

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds" if (REPO / "seeds").is_dir() else REPO.parent / "shared" / "seeds"
CORPUS = REPO.parent / "shared" / "corpus" / "dev"

CELL_KEYS = {
    "table_index",
    "row_index",
    "column_index",
    "header",
    "value",
    "evidence_page",
    "evidence_line",
}


def doc_of(*pages: str) -> DocText:
    return DocText(source="t.txt", format="txt", pages=tuple(pages))


def seed(prefix: str) -> DocText:
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"seed {prefix} not found under {SEEDS}")
    return read_document(paths[0])


def rows_of(cells: list[dict], table_index: int) -> list[dict[int, str]]:
    """Table ``table_index`` as a list of {column_index: value}, one per row."""
    rows: dict[int, dict[int, str]] = {}
    for c in cells:
        if c["table_index"] == table_index:
            rows.setdefault(c["row_index"], {})[c["column_index"]] = c["value"]
    return [rows[k] for k in sorted(rows)]


def line_no(text: str, needle: str) -> int:
    """1-based line number of the first line containing ``needle`` (single-page texts)."""
    for n, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in text")


# ---------------------------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------------------------


def test_seed_000_has_exactly_its_four_markdown_tables():
    doc = seed("000")
    cells = extract_tables(doc)
    summaries = table_summaries(doc)
    assert [s["n_rows"] for s in summaries] == [20, 4, 16, 19]
    assert {s["kind"] for s in summaries} == {"markdown"}
    assert all(set(c) == CELL_KEYS for c in cells)


def test_blank_markdown_header_row_gives_empty_headers():
    cells = extract_tables(seed("000"))
    contents = [c for c in cells if c["table_index"] == 0]
    assert contents and all(c["header"] == "" for c in contents)
    assert rows_of(cells, 0)[0] == {0: "About this inspection", 1: "2"}


def test_markdown_title_header_row_heads_its_column_only():
    cells = extract_tables(seed("000"))
    row = [c for c in cells if c["table_index"] == 2 and c["row_index"] == 0]
    assert {(c["column_index"], c["header"], c["value"]) for c in row} == {
        (0, "Safeguarding services", "Overall effectiveness"),
        (1, "", "Inadequate"),
    }


def test_markdown_section_row_keeps_only_its_non_empty_cell():
    cells = extract_tables(seed("000"))
    rows = rows_of(cells, 2)
    assert rows[2] == {0: "Outcomes for children and young people"}
    assert rows[3][1] == "Inadequate"


def test_markdown_cell_evidence_is_the_line_of_its_row():
    doc = seed("000")
    cells = extract_tables(doc)
    cell = next(c for c in cells if c["value"] == "Capacity for improvement" and c["table_index"] == 3)
    assert (cell["evidence_page"], cell["evidence_line"]) == (1, line_no(doc.text, "| Capacity for improvement | Good |"))


def test_seed_001_has_two_tables_and_the_meetings_table_in_two_parts_is_one():
    doc = seed("001")
    cells = extract_tables(doc)
    summaries = table_summaries(doc)
    assert len(summaries) == 2
    meetings = rows_of(cells, 0)
    assert len(meetings) == 14  # 8 rows before the repeated header, 6 after
    assert meetings[0][0] == "19 December 2011"
    assert meetings[8][0] == "14 January 2013"
    assert not any(c["value"] in ("Meeting Date", "Items discussed") for c in cells)
    assert {c["header"] for c in cells if c["table_index"] == 0} == {"Meeting Date", "Items discussed"}


def test_seed_001_adoption_table_keeps_cells_under_their_headers():
    cells = extract_tables(seed("001"))
    adoption = [c for c in cells if c["table_index"] == 1]
    by_pos = {(c["row_index"], c["column_index"]): (c["header"], c["value"]) for c in adoption}
    assert by_pos[(0, 0)] == ("", "2011 - 2012")
    assert by_pos[(0, 1)] == ("Adopters approved", "6")
    assert by_pos[(1, 3)] == ("Adoption Orders", "19")
    assert by_pos[(2, 3)] == ("Adoption Orders", "At 2 December 2013")
    assert (2, 0) not in by_pos


def test_seed_001_dot_leader_contents_is_not_a_table():
    cells = extract_tables(seed("001"))
    assert not any("INTRODUCTION" in c["value"] or "...." in c["value"] for c in cells)


def test_html_tags_are_removed_from_headers_and_values():
    cells = extract_tables(seed("001"))
    assert not any("<" in c["header"] or "<" in c["value"] for c in cells)


@pytest.mark.parametrize("prefix", ["002", "003", "004"])
def test_seeds_without_tables_give_none(prefix):
    assert extract_tables(seed(prefix)) == []


# ---------------------------------------------------------------------------------------------
# Markdown and tab tables, built in the test
# ---------------------------------------------------------------------------------------------


def test_markdown_table_repeated_after_a_page_break_is_merged():
    text = (
        "| Year | Referrals |\n|---|---|\n| 2018 | 1,200 |\n| 2019 | 1,350 |\n"
        "Page 4\n\n| Year | Referrals |\n|---|---|\n| 2020 | 1,410 |"
    )
    cells = extract_tables(doc_of(text))
    assert {c["table_index"] for c in cells} == {0}
    assert rows_of(cells, 0)[2] == {0: "2020", 1: "1,410"}


def test_markdown_tables_with_the_same_header_far_apart_stay_separate():
    prose = "This paragraph sits between the two tables and says something long about them. " * 3
    text = "| Year | Referrals |\n|---|---|\n| 2018 | 1,200 |\n\n" + (prose + "\n") * 5 + (
        "\n| Year | Referrals |\n|---|---|\n| 2020 | 1,410 |"
    )
    assert {c["table_index"] for c in extract_tables(doc_of(text))} == {0, 1}


def test_cells_never_start_with_spreadsheet_formula_characters():
    text = "| Measure | Change |\n|---|---|\n| =SUM(A1) | -5 |\n| @home | +3 |"
    values = [c["value"] for c in extract_tables(doc_of(text))]
    assert values == ["SUM(A1)", "5", "home", "3"]


def test_clean_cell_strips_tags_entities_and_emphasis():
    assert clean_cell("<b>Children&amp;families</b>") == "Children&families"
    assert clean_cell(" **Overall**  effectiveness<br>now ") == "Overall effectiveness now"


def test_tab_table_with_numeric_rows_takes_its_first_row_as_header():
    text = "Measure\tTarget\tActual\nRe-referrals\t20%\t23%\nAssessments in 45 days\t85%\t88%"
    cells = extract_tables(doc_of(text))
    assert {(c["header"], c["value"]) for c in cells if c["row_index"] == 0} == {
        ("Measure", "Re-referrals"),
        ("Target", "20%"),
        ("Actual", "23%"),
    }


def test_tab_table_with_year_columns_takes_its_first_row_as_header():
    text = "Indicator\t2017/18\t2018/19\nRe-referrals\t23%\t21%\nChildren in care\t355\t372"
    cells = extract_tables(doc_of(text))
    assert len(rows_of(cells, 0)) == 2
    assert {(c["header"], c["value"]) for c in cells if c["row_index"] == 1} == {
        ("Indicator", "Children in care"),
        ("2017/18", "355"),
        ("2018/19", "372"),
    }


def test_numbered_paragraphs_with_tabs_are_not_a_table():
    text = (
        "4.1\tThis section begins by providing an overview of relevant performance monitoring.\n"
        "4.2\tThe following section contains the usual reporting information provided regularly.\n"
        "4.3\tCharts are referred to throughout this section; these can be found in Appendix 1."
    )
    assert extract_tables(doc_of(text)) == []


def test_contents_page_numbers_under_a_contents_heading_are_not_a_table():
    text = "Contents\nIntroduction\t2\nBackground\t4\nFindings\t9\nRecommendations\t21"
    assert extract_tables(doc_of(text)) == []


def test_letterhead_laid_out_with_tabs_is_not_a_table():
    text = (
        "Piccadilly Gate\tT 0300 123 1231\nStore Street\tTextphone 0161 618 8524\n"
        "Manchester\tenquiries@ofsted.gov.uk\nM1 2WD\twww.ofsted.gov.uk"
    )
    assert extract_tables(doc_of(text)) == []


def test_a_single_line_with_a_stray_tab_is_not_a_table():
    text = "The service has received over 170 enquiries.\tThis represents a 37% growth.\nNext line."
    assert extract_tables(doc_of(text)) == []


# ---------------------------------------------------------------------------------------------
# Flattened judgement tables
# ---------------------------------------------------------------------------------------------

ILACS_PAGE = """Inspection of Anytown local authority
children's services
Inspection dates: 20 to 31 January 2025
Judgement Grade
The impact of leaders on social work
practice with children and families
Good
The experiences and progress of children who need help and
protection Requires improvement
to be good
The experiences and progress of children in care and
care leavers
Requires improvement to
be good
Overall effectiveness Requires improvement to be good
Services for children in Anytown are good and there has been steady improvement
at successive inspections since 2012."""


def test_ilacs_judgement_table_with_wrapped_areas_and_split_grades():
    doc = doc_of(ILACS_PAGE)
    cells = extract_tables(doc)
    assert rows_of(cells, 0) == [
        {0: "The impact of leaders on social work practice with children and families", 1: "Good"},
        {
            0: "The experiences and progress of children who need help and protection",
            1: "Requires improvement to be good",
        },
        {
            0: "The experiences and progress of children in care and care leavers",
            1: "Requires improvement to be good",
        },
        {0: "Overall effectiveness", 1: "Requires improvement to be good"},
    ]
    assert {c["header"] for c in cells if c["column_index"] == 0} == {"Judgement"}
    assert {c["header"] for c in cells if c["column_index"] == 1} == {"Grade"}


def test_judgement_row_evidence_is_the_line_where_the_row_starts():
    cells = extract_tables(doc_of(ILACS_PAGE))
    first = next(c for c in cells if c["row_index"] == 0 and c["column_index"] == 1)
    assert first["evidence_line"] == line_no(ILACS_PAGE, "The impact of leaders")


SIF_PAGE = """Report published: 7 July 2014
Children's services in Anytown require improvement to be
good
It is Ofsted's expectation that, as a minimum, all children and young people receive
good help, care and protection.
1. Children who need help and protection requires
improvement
2. Children looked after and achieving
permanence
Good
2.1 Adoption performance Outstanding
2.2 Experiences and progress of care leavers
Requires
improvement
3. Leadership, management and governance Requires improvement
The effectiveness of the Local Safeguarding Children Board (LSCB) is
good.
The LSCB coordinates the activity of statutory partners."""


def test_sif_numbered_judgement_table_without_header_and_with_split_grades():
    cells = extract_tables(doc_of(SIF_PAGE))
    assert rows_of(cells, 0) == [
        {0: "1. Children who need help and protection", 1: "requires improvement"},
        {0: "2. Children looked after and achieving permanence", 1: "Good"},
        {0: "2.1 Adoption performance", 1: "Outstanding"},
        {0: "2.2 Experiences and progress of care leavers", 1: "Requires improvement"},
        {0: "3. Leadership, management and governance", 1: "Requires improvement"},
    ]
    assert {c["header"] for c in cells if c["table_index"] == 0} == {""}


def test_headline_sentence_is_not_a_row_of_the_judgement_table():
    cells = extract_tables(doc_of(SIF_PAGE))
    assert not any("Children's services in" in c["value"] for c in cells)


def test_lscb_judgement_statement_is_a_one_row_table():
    cells = extract_tables(doc_of(SIF_PAGE))
    assert rows_of(cells, 1) == [
        {0: "The effectiveness of the Local Safeguarding Children Board (LSCB)", 1: "good"}
    ]
    page_two = "38\nThe Local Safeguarding Children Board (LSCB)\nThe Local Safeguarding Children Board is good\nExecutive summary"
    cells = extract_tables(doc_of(page_two))
    assert rows_of(cells, 0) == [{0: "The Local Safeguarding Children Board", 1: "good"}]
    assert cells[0]["evidence_line"] == 3


def test_key_judgement_box_with_printed_header_is_a_table():
    text = "Key judgement Judgement grade\nLeadership, management and\ngovernance\nGood\nSummary\nA strong team."
    cells = extract_tables(doc_of(text))
    assert rows_of(cells, 0) == [{0: "Leadership, management and governance", 1: "Good"}]
    assert {c["header"] for c in cells} == {"Key judgement", "Judgement grade"}


def test_flattened_record_of_main_findings_keeps_heading_rows_and_splits_at_blank_line():
    text = (
        "Safeguarding services\nOverall effectiveness Inadequate\nCapacity for improvement Adequate\n"
        "Outcomes for children and young people\n"
        "Children and young people are safe: effectiveness of services in taking reasonable\n"
        "steps to ensure that children and young people are safe Inadequate\n"
        "\nServices for looked after children\nOverall effectiveness Good\nBeing healthy Good\n"
        "Economic well-being Good"
    )
    doc = doc_of(text)
    cells = extract_tables(doc)
    first = rows_of(cells, 0)
    assert first[2] == {0: "Outcomes for children and young people"}
    assert first[3][1] == "Inadequate"
    assert rows_of(cells, 1)[-1] == {0: "Economic well-being", 1: "Good"}
    assert [s["caption"] for s in table_summaries(doc)] == [
        "Safeguarding services",
        "Services for looked after children",
    ]


def test_blank_line_ends_a_flattened_table():
    text = (
        "Overall effectiveness Good\nCapacity for improvement Good\nBeing healthy Good\n"
        "\nStaying safe Adequate\nEnjoying and achieving Adequate\nPartnerships Adequate"
    )
    cells = extract_tables(doc_of(text))
    assert [len(rows_of(cells, k)) for k in (0, 1)] == [3, 3]


def test_prose_lines_ending_in_grade_words_are_not_a_table():
    text = (
        "Most children benefit from trusting relationships with social workers, and this is very\n"
        "good. The quality of plans is not yet consistently\n"
        "good\n"
        "and managers know that the response to missing children is\n"
        "inadequate\n"
        "in some cases, while adoption remains outstanding\n"
        "in its reach. Leaders' response was robust and\n"
        "good"
    )
    assert extract_tables(doc_of(text)) == []


def test_bulleted_list_of_previous_grades_is_not_a_table():
    text = (
        "The judgements for the local authority were:\n"
        "  Overall effectiveness: Inadequate\n"
        "  Children who need help and protection: Inadequate\n"
        "  Adoption performance: Requires improvement\n"
        "  Experiences and progress of care leavers: Inadequate"
    )
    assert extract_tables(doc_of(text)) == []


def test_bulleted_lines_ending_in_grades_are_a_list_not_a_table():
    text = (
        "The council's latest inspection outcomes were:\n"
        "  Overall effectiveness Good\n"
        "  Impact of leaders Good\n"
        "  Help and protection Requires improvement\n"
        "- Children in care Good"
    )
    assert extract_tables(doc_of(text)) == []


def test_single_section_heading_with_grade_is_not_a_table():
    text = "Report text.\nThe experiences and progress of children who need help and\nprotection: good\nChildren are safe."
    assert extract_tables(doc_of(text)) == []


def test_split_grade_at_end_handles_wrapped_grades():
    assert split_grade_at_end("2.1 Adoption performance Requires\nimprovement") == (
        "2.1 Adoption performance",
        "Requires improvement",
    )
    assert split_grade_at_end("Overall effectiveness Good") == ("Overall effectiveness", "Good")
    assert split_grade_at_end("Overall effectiveness") is None
    assert GRADE_AT_END.search("Inadequate") and not GRADE_AT_END.search("goods")
    assert split_grade_at_end("is inadequate")[1] == "inadequate"  # not "adequate"


def test_table_summaries_from_cells_agree_with_the_document():
    doc = seed("000")
    from_doc = table_summaries(doc)
    from_cells = table_summaries(extract_tables(doc))
    assert [(s["n_rows"], s["n_cols"], s["evidence_line"]) for s in from_cells] == [
        (s["n_rows"], s["n_cols"], s["evidence_line"]) for s in from_doc
    ]


# ---------------------------------------------------------------------------------------------
# Corpus (real Ofsted PDFs; skipped when the corpus is absent)
# ---------------------------------------------------------------------------------------------


def corpus_docs() -> list[tuple[str, DocText]]:
    if not CORPUS.is_dir():
        pytest.skip(f"dev corpus not found at {CORPUS}")
    docs = []
    for path in sorted(CORPUS.glob("*.pdf")):
        try:
            docs.append((path.stem, read_document(path)))
        except Exception:  # the HTML "report not found" file
            continue
    return docs


@pytest.fixture(scope="module")
def corpus():
    return corpus_docs()


def _label_key(area: str) -> str | None:
    a = area.lower()
    if "impact of leaders" in a:
        return "impact_of_leaders"
    if "help and protection" in a:
        return "help_and_protection"
    if "in care and care leavers" in a or a.endswith("in care"):
        return "children_in_care"
    if "care leavers" in a:
        return "care_leavers"
    if "overall effectiveness" in a:
        return "overall_effectiveness"
    return None


def test_corpus_ilacs_judgement_tables_agree_with_official_grades(corpus):
    labels = {row["id"]: row for row in csv.DictReader((CORPUS / "labels.csv").open(encoding="utf-8"))}
    checked = 0
    for stem, doc in corpus:
        if stem not in labels:
            continue
        cells = extract_tables(doc)
        rows = rows_of(cells, 0)
        assert cells and cells[0]["evidence_page"] == 1, stem
        for row in rows:
            key = _label_key(row[0])
            assert key is not None, (stem, row)
            expected = labels[stem][key]
            assert harmonise_word(row[1]) == harmonise_word(expected), (stem, row, expected)
            checked += 1
    assert checked >= 90


def test_corpus_every_table_is_a_judgement_table_with_grades_and_quotable_cells(corpus):
    for stem, doc in corpus:
        tables = find_tables(doc)
        assert len(tables) <= 5, stem
        for table in tables:
            assert table.kind == "judgement", stem
            for _, cells in table.rows:
                assert len(cells) == 2 and GRADE_AT_END.search(cells[1]), (stem, cells)
                assert all(doc.contains_quote(c) for c in cells), (stem, cells)


def test_corpus_sif_reports_have_their_numbered_page_one_table(corpus):
    sif = 0
    for stem, doc in corpus:
        if "2.1 Adoption performance" not in doc.pages[0]:
            continue
        sif += 1
        first = rows_of(extract_tables(doc), 0)
        assert [r[0].split()[0] for r in first] == ["1.", "2.", "2.1", "2.2", "3."], stem
    assert sif >= 10
