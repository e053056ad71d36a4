"""Classification of documents (type, framework, title, dates) and the English date parser."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from pipeline.dates import find_date_ranges, parse_date, parse_date_range
from pipeline.judgements import classify
from pipeline.text import DocumentError, read_document

from documents import CORPUS
from documents import doc_of as _doc
from documents import seed as _seed


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Inspection dates 8-19 March 2010", date(2010, 3, 8), date(2010, 3, 19)),
        ("on 22 and 23 June 2021.", date(2021, 6, 22), date(2021, 6, 23)),
        ("Inspection date: 13 April 2015 – 8 May 2015", date(2015, 4, 13), date(2015, 5, 8)),
        ("Inspection dates: 8 October to 19 October 2018", date(2018, 10, 8), date(2018, 10, 19)),
        ("29 January – 9 February 2024", date(2024, 1, 29), date(2024, 2, 9)),
        ("Inspection dates: 20 to 31 January 2025", date(2025, 1, 20), date(2025, 1, 31)),
        ("28 February to 4 March 2022", date(2022, 2, 28), date(2022, 3, 4)),
        ("22 February 2016–18 March 2016", date(2016, 2, 22), date(2016, 3, 18)),
        ("29 December – 9 January 2015", date(2014, 12, 29), date(2015, 1, 9)),
        ("on Tuesday 8th of July 2019", date(2019, 7, 8), date(2019, 7, 8)),
    ],
)
def test_parse_date_range_reads_printed_inspection_ranges(text, start, end):
    assert parse_date_range(text) == (start, end)


def test_parse_date_range_gives_a_month_or_a_year_its_whole_span():
    assert parse_date_range("its most recent full inspection in July 2018, with") == (
        date(2018, 7, 1),
        date(2018, 7, 31),
    )
    assert parse_date_range("The joint area review in 2006 judged") == (date(2006, 1, 1), date(2006, 12, 31))
    assert parse_date_range("in February 2020") == (date(2020, 2, 1), date(2020, 2, 29))


def test_years_in_legal_references_and_money_are_not_dates():
    assert parse_date_range("carried out under the Children Act 2004") is None
    assert find_date_ranges("a budget of £2018 and section 2010") == []
    assert parse_date_range("in 2017/18") is None


def test_parse_date_returns_the_first_full_date():
    assert parse_date("Report published: 18 September 2015") == date(2015, 9, 18)
    assert parse_date("26 November 2007") == date(2007, 11, 26)
    assert parse_date("in July 2018") is None
    assert parse_date("31 February 2015") is None


# --- seeds ------------------------------------------------------------------------------------


def test_safeguarding_and_looked_after_children_report_is_classified_with_its_dates():
    info = classify(_seed("000"))
    assert info["document_type"] == "inspection_report"
    assert info["framework"] == "safeguarding_lac"
    assert info["title"] == "Inspection of safeguarding and looked after children services Peterborough"
    assert (info["inspection_start"], info["inspection_end"]) == (date(2010, 3, 8), date(2010, 3, 19))


def test_committee_reports_have_no_framework():
    for prefix in ("001", "002"):
        info = classify(_seed(prefix))
        assert info["document_type"] == "committee_report", prefix
        assert info["framework"] is None
        assert info["inspection_start"] is None
    assert classify(_seed("002"))["title"].startswith("OUTCOME OF OFSTED INSPECTION OF PETERBOROUGH")
    assert classify(_seed("001"))["published_date"] == date(2014, 3, 17)


def test_apa_letter_has_its_letter_date_and_no_visit_dates():
    info = classify(_seed("003"))
    assert (info["document_type"], info["framework"]) == ("inspection_letter", "apa")
    assert info["title"] == (
        "2007 ANNUAL PERFORMANCE ASSESSMENT OF SERVICES FOR CHILDREN AND YOUNG PEOPLE IN PETERBOROUGH CITY COUNCIL"
    )
    assert info["published_date"] == date(2007, 11, 26)
    assert info["inspection_start"] is None


def test_focused_visit_letter_has_visit_dates_from_the_findings_sentence():
    info = classify(_seed("004"))
    assert (info["document_type"], info["framework"]) == ("focused_visit_letter", "ilacs_focused_visit")
    assert info["title"] == "Focused visit to Peterborough City Council children's services"
    assert (info["inspection_start"], info["inspection_end"]) == (date(2021, 6, 22), date(2021, 6, 23))
    assert info["published_date"] == date(2021, 8, 2)


# --- frameworks without examples in the corpus --------------------------------------------------


def test_framework_is_read_from_the_opening_not_from_later_mentions():
    opening = "Ofsted\n12 December 2008\nDear Mr Smith\nAnnual performance assessment of services for children\n"
    later = "x\n" * 10 + "Joint area review\nThe joint area review in 2006 judged ...\n"
    info = classify(_doc(opening, "Some text " * 700, later))
    assert info["framework"] == "apa"


def test_unannounced_contact_referral_assessment_letter_is_an_ungraded_letter():
    info = classify(
        _doc(
            "14 April 2011\nDear Mr Director\nAnnual unannounced inspection of contact, referral and assessment "
            "arrangements within local authority children's services\nThis letter summarises the findings of the "
            "unannounced inspection of contact, referral and assessment arrangements in Sometown, which was "
            "conducted on 22 and 23 March 2011.\n"
        )
    )
    assert (info["document_type"], info["framework"]) == ("inspection_letter", "unannounced_cra")
    assert (info["inspection_start"], info["inspection_end"]) == (date(2011, 3, 22), date(2011, 3, 23))
    assert info["published_date"] == date(2011, 4, 14)


@pytest.mark.parametrize(
    ("title", "framework"),
    [
        ("Inspection of local authority arrangements for the\nprotection of children", "cp_2012"),
        ("Inspection of services for looked after children", "lac_2012"),
        ("Joint area review\nSometown Children's Services Authority Area", "jar"),
        ("Re-inspection of services for children in need of help and\nprotection, children looked after", "sif"),
    ],
)
def test_report_titles_name_their_framework(title, framework):
    info = classify(_doc(f"Sometown\n{title}\nInspection dates: 14 – 25 January 2013\nPublished: 22 February 2013\n"))
    assert info["document_type"] == "inspection_report"
    assert info["framework"] == framework
    assert info["inspection_start"] == date(2013, 1, 14)


def test_monitoring_visit_before_2018_belongs_to_the_single_inspection_framework():
    letter = (
        "5 July {y}\nDear Ms Director\nMonitoring visit to Sometown children's services\nThis letter summarises the "
        "findings of the monitoring visit to Sometown children's services on 4 and 5 June {y}.\n"
    )
    early = classify(_doc(letter.format(y=2016)))
    late = classify(_doc(letter.format(y=2019)))
    assert early["document_type"] == late["document_type"] == "monitoring_visit_letter"
    assert (early["framework"], late["framework"]) == ("sif", "ilacs_monitoring_visit")
    assert late["inspection_start"] == date(2019, 6, 4)


def test_a_council_report_about_an_inspection_is_not_an_inspection_report():
    info = classify(
        _doc(
            "OUTCOME OF OFSTED INSPECTION OF SOMETOWN CHILDREN'S SERVICES\nReport to the Children's Scrutiny "
            "Committee\nRECOMMENDATIONS\n"
        )
    )
    assert info["document_type"] == "committee_report"
    assert info["framework"] is None


# --- the dev corpus -----------------------------------------------------------------------------


def _corpus() -> Path:
    if not (CORPUS / "manifest.csv").exists():
        pytest.skip(f"dev corpus not found at {CORPUS}")
    return CORPUS


def test_every_corpus_document_has_the_framework_the_manifest_records():
    corpus = _corpus()
    with (corpus / "manifest.csv").open(newline="") as fh:
        manifest = list(csv.DictReader(fh))
    wrong = []
    for row in manifest:
        try:
            doc = read_document(corpus / f"{row['id']}.pdf")
        except DocumentError:
            assert row["framework"] == "other"  # the HTML "Report not found" page
            continue
        info = classify(doc)
        expected = "sif" if "LSCB review" in row["framework_note"] and row["framework"] == "other" else row["framework"]
        if info["framework"] != expected or info["document_type"] != "inspection_report":
            wrong.append((row["id"], info["document_type"], info["framework"], expected))
        if info["inspection_start"] is None:
            wrong.append((row["id"], "no inspection dates"))
    assert wrong == []


def test_corpus_inspection_start_dates_agree_with_the_labels():
    corpus = _corpus()
    with (corpus / "labels.csv").open(newline="") as fh:
        labels = list(csv.DictReader(fh))
    for row in labels:
        info = classify(read_document(corpus / f"{row['id']}.pdf"))
        assert info["inspection_start"] == date.fromisoformat(row["inspection_start"]), row["id"]


def test_sif_reports_print_their_publication_date_and_ilacs_reports_do_not():
    corpus = _corpus()
    sif = classify(read_document(corpus / "peterborough_2015-09-18.pdf"))
    assert sif["published_date"] == date(2015, 9, 18)
    assert sif["inspection_end"] == date(2015, 5, 8)
    ilacs = classify(read_document(corpus / "kent_2026-02-02.pdf"))
    assert ilacs["title"] == "Inspection of Kent County Council children’s services"
    assert ilacs["published_date"] is None


# --- robustness: layouts not in the corpus ---------------------------------------------------------


@pytest.mark.parametrize("label", ["", "Subject: ", "Re: "])
def test_a_visit_letter_subject_line_may_carry_a_label(label):
    letter = (
        "2 August 2021\nDear Mr Director\n{label}Focused visit to Sometown children's services\nThis letter summarises "
        "the findings of the focused visit to Sometown children's services on 22 and 23 June 2021.\n"
    )
    info = classify(_doc(letter.format(label=label)))
    assert (info["document_type"], info["framework"]) == ("focused_visit_letter", "ilacs_focused_visit")
    assert info["inspection_start"] == date(2021, 6, 22)


def test_a_safeguarding_inspection_on_its_own_belongs_to_the_2009_2012_framework():
    info = classify(_doc("Inspection of safeguarding services\nSometown\nInspection dates: 1 – 12 August 2011\n"))
    assert (info["document_type"], info["framework"]) == ("inspection_report", "safeguarding_lac")
    assert info["inspection_start"] == date(2011, 8, 1)


def test_an_inspection_title_below_a_committee_heading_is_a_committee_report():
    for title in (
        "Inspection of Local Authority Children's Services\nInspection dates: 8 to 19 October 2018",
        "Inspection of services for children in need of help and\nprotection, children looked after and care leavers",
    ):
        info = classify(_doc(f"Agenda item 7\nReport to the Children's Scrutiny Committee\n{title}\nJudgement Grade\n"))
        assert (info["document_type"], info["framework"]) == ("committee_report", None), title


def test_an_ilacs_title_far_down_the_first_page_is_not_taken_for_the_report_title():
    text = "Sometown Council\n" + "Some introductory text about the council and its plans.\n" * 15
    text += "Inspection of local authority children's services\nInspection dates: 8 to 19 October 2018\n"
    assert classify(_doc(text))["framework"] is None


def test_assurance_visit_letters_are_ungraded_visit_letters():
    info = classify(
        _doc(
            "10 December 2020\nDear Ms Director\nFocused assurance visit to Sometown children's services\nThis letter "
            "summarises the findings of the assurance visit to Sometown children's services on 10 and 11 November "
            "2020.\n"
        )
    )
    assert (info["document_type"], info["framework"]) == ("focused_visit_letter", "ilacs_focused_visit")


def test_a_sentence_naming_a_joint_area_review_is_not_a_title():
    info = classify(
        _doc(
            "Sometown Council\nChildren's Services Improvement Plan\n"
            "joint area review recommendations have been addressed. Progress is reported below.\n"
            "Staying safe 2\n"
        )
    )
    assert info["framework"] is None
    title = "Sometown\nJoint area review\nSometown Children's Services Authority Area\n"
    assert classify(_doc(title))["framework"] == "jar"
