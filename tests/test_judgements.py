"""Judgement extraction (primary and reported), the area vocabulary and the cross-checks."""

from __future__ import annotations

import re
from datetime import date

import pytest

from pipeline.frameworks import AREA_VOCABULARY, SCALE_1_HIGH, SCALE_4_HIGH, SCALE_WORDS, SERVICE_VOCABULARY
from pipeline.judgements import (
    READING_KEYS,
    RECORD_KEYS,
    classify,
    cross_check,
    extract_judgements,
    extract_judgements_with_readings,
)
from pipeline.text import DocText, read_document

from documents import CORPUS
from documents import doc_of as _doc
from documents import seed as _seed


def _run(doc: DocText):
    info = classify(doc)
    records, readings = extract_judgements_with_readings(doc, info)
    return info, records, readings


def _primary(records, service=None):
    return {
        r["judgement_area_key"]: r
        for r in records
        if r["source_kind"] == "primary" and (service is None or r["service"] == service)
    }


def _reported(records):
    return [r for r in records if r["source_kind"] == "reported"]


ILACS_2024 = """Inspection of Sometown local authority
children's services
Inspection dates: 15 to 26 April 2024
Lead inspector: A Person, His Majesty's Inspector
Judgement Grade
The impact of leaders on social work
practice with children and families
Requires improvement to be good
The experiences and progress of
children who need help and protection
Good
The experiences and progress of
children in care
Good
The experiences and progress of care
leavers
Inadequate
Overall effectiveness Requires improvement to be good
Since the last inspection in 2019, when children's services were judged to be outstanding, there has been a
decline. The local authority operates two children's homes. Both were judged to be good at their most
recent inspections.
The experiences and progress of children who need help and
protection: good
1. Text.
"""


# --- records ------------------------------------------------------------------------------------


def test_records_have_exactly_the_contract_keys_and_quote_the_document():
    for prefix in ("000", "001", "002", "003", "004"):
        doc = _seed(prefix)
        info, records, readings = _run(doc)
        for r in records:
            assert tuple(r) == RECORD_KEYS
            assert doc.contains_quote(r["evidence_text"]), (prefix, r["evidence_text"])
            assert r["evidence_text"][:1] not in "=+-@|"
            assert len(r["evidence_text"]) <= 300
        for r in readings:
            assert tuple(r) == READING_KEYS


def test_area_and_service_keys_come_from_the_vocabulary():
    for key, entry in AREA_VOCABULARY.items():
        assert set(entry) == {"label", "description", "frameworks"}, key
    for prefix in ("000", "001", "002", "003"):
        for r in extract_judgements(_seed(prefix), classify(_seed(prefix))):
            assert r["judgement_area_key"] in AREA_VOCABULARY
            assert r["service"] in SERVICE_VOCABULARY


# --- safeguarding and looked after children (seed 000) --------------------------------------------


def test_safeguarding_lac_grades_each_service_once_from_the_record_of_main_findings():
    doc = _seed("000")
    info, records, readings = _run(doc)
    safeguarding = _primary(records, "safeguarding")
    lac = _primary(records, "looked_after_children")
    assert safeguarding["overall_effectiveness"]["grade"] == "Inadequate"
    assert safeguarding["overall_effectiveness"]["evidence_text"] == "Overall effectiveness | Inadequate"
    assert safeguarding["capacity_to_improve"]["grade"] == "Adequate"
    assert safeguarding["children_safe"]["parent_area_key"] == "outcomes_for_children"
    assert safeguarding["assessment_and_direct_work"]["harmonised_grade"] == "inadequate"
    assert safeguarding["assessment_and_direct_work"]["parent_area_key"] == "quality_of_provision"
    assert safeguarding["user_engagement"]["grade"] == "Good"
    assert lac["overall_effectiveness"]["grade"] == "Good"
    assert lac["economic_wellbeing"]["parent_area_key"] == "outcomes_for_children"
    # 13 table rows + quality of provision and leadership and management graded inline; 16 + 3
    assert len(safeguarding) == 15 and len(lac) == 19
    assert all(r["grade_scale"] == SCALE_1_HIGH for r in _primary(records).values())
    assert all(r["inspection_start"] == date(2010, 3, 8) for r in _primary(records).values())


def test_safeguarding_lac_areas_graded_only_inline_keep_their_printed_number():
    info, records, _ = _run(_seed("000"))
    quality = _primary(records, "safeguarding")["quality_of_provision"]
    assert (quality["grade"], quality["grade_number"]) == ("Adequate", 3)
    assert quality["evidence_text"] == "The quality of provision Grade 3 (adequate)"
    # table rows print words only
    assert _primary(records, "safeguarding")["overall_effectiveness"]["grade_number"] is None


def test_safeguarding_lac_yields_both_readings_and_they_agree():
    doc = _seed("000")
    info, records, readings = _run(doc)
    overall = [
        r for r in readings if r["service"] == "safeguarding" and r["judgement_area_key"] == "overall_effectiveness"
    ]
    assert {r["reading_source"] for r in overall} == {"record_of_main_findings", "inline"}
    inline = next(r for r in overall if r["reading_source"] == "inline")
    assert (inline["grade_number"], inline["grade"]) == (4, "Inadequate")
    assert cross_check(info, records, readings, source="000", doc=doc) == []


def test_record_of_main_findings_disagreeing_with_the_text_is_reported():
    doc = _doc(
        "Inspection of safeguarding and looked after children services Sometown\nInspection dates 8-19 March 2010\n",
        "The inspection outcomes: safeguarding services\nOverall effectiveness\nGrade 4 (Inadequate)\n9. Text.\n"
        "The inspection outcomes: services for looked after children\nOverall effectiveness\nGrade 2 (Good)\n",
        "Record of main findings: Sometown\nSafeguarding services\nOverall effectiveness Adequate\n"
        "Services for looked after children\nOverall effectiveness Good\n",
    )
    info, records, readings = _run(doc)
    failures = cross_check(info, records, readings, source="t.txt", doc=doc)
    assert failures == [
        "t.txt: area overall_effectiveness (safeguarding): record of main findings says Adequate (page 3), "
        "text says Inadequate (page 2)"
    ]


def test_wrapped_record_of_main_findings_rows_from_pdf_text_are_read():
    doc = _doc(
        "Inspection of safeguarding and looked\nafter children services\nSometown\n"
        "Inspection dates: 1 – 12 February 2010\n",
        "Record of main findings: Sometown\nSafeguarding services\nOverall effectiveness Adequate\n"
        "Outcomes for children and young people\nChildren and young people are safe: effectiveness of\n"
        "services in taking reasonable steps to ensure that\nchildren and young people are safe\nInadequate\n"
        "Quality of provision\nService responsiveness including complaints Good\n"
        "Services for looked after children\nOverall effectiveness Good\nEconomic well-being Adequate\n",
    )
    info, records, _ = _run(doc)
    safe = _primary(records, "safeguarding")["children_safe"]
    assert safe["grade"] == "Inadequate"
    assert safe["judgement_area"].startswith("Children and young people are safe: effectiveness of services")
    assert _primary(records, "safeguarding")["service_responsiveness"]["parent_area_key"] == "quality_of_provision"
    assert _primary(records, "looked_after_children")["economic_wellbeing"]["grade"] == "Adequate"


def test_a_grade_number_that_contradicts_its_word_is_reported():
    doc = _doc(
        "Inspection of safeguarding and looked after children services Sometown\nInspection dates 8-19 March 2010\n",
        "The inspection outcomes: safeguarding services\nOverall effectiveness\nGrade 2 (Inadequate)\n"
        "The inspection outcomes: services for looked after children\nOverall effectiveness\nGrade 2 (Good)\n",
    )
    info, records, readings = _run(doc)
    failures = cross_check(info, records, readings, source="t.txt")
    assert any("grade 2 means good on the safeguarding_lac scale but the word is 'Inadequate'" in f for f in failures)


# --- APA (seed 003) ------------------------------------------------------------------------------


def test_apa_grade_numbers_are_read_on_the_apa_scale():
    info, records, readings = _run(_seed("003"))
    primary = _primary(records)
    assert primary["overall_effectiveness"]["grade"] == "Adequate"
    assert primary["overall_effectiveness"]["grade_number"] == 2
    assert primary["staying_safe"]["grade"] == "Inadequate"  # Grade 1 on 4-outstanding scale
    assert primary["making_a_positive_contribution"]["harmonised_grade"] == "good"  # Grade 3
    assert primary["capacity_to_improve"]["judgement_area"] == (
        "Capacity to improve, including the management of children's services"
    )
    assert primary["economic_wellbeing"]["evidence_text"] == "Achieving economic well-being Grade 2"
    assert {r["grade_scale"] for r in primary.values()} == {SCALE_4_HIGH}
    assert len(primary) == 7
    assert all(r["parent_area_key"] is None for r in primary.values())


def test_apa_prose_is_a_second_reading_that_agrees_with_the_grade():
    doc = _seed("003")
    info, records, readings = _run(doc)
    prose = {r["judgement_area_key"]: r for r in readings if r["reading_source"] == "prose"}
    assert prose["staying_safe"]["grade"] == "Inadequate"
    assert len(prose) == 7
    assert cross_check(info, records, readings, source="003", doc=doc) == []


def test_apa_reports_the_joint_area_review_it_cites():
    reported = _reported(extract_judgements(_seed("003"), classify(_seed("003"))))
    assert len(reported) == 1
    r = reported[0]
    assert (r["framework"], r["judgement_area_key"], r["grade"]) == ("jar", "staying_safe", "Inadequate")
    assert (r["inspection_start"], r["inspection_end"]) == (date(2006, 1, 1), date(2006, 12, 31))
    assert r["grade_scale"] == SCALE_4_HIGH


# --- reported judgements in council reports ----------------------------------------------------------


def test_committee_report_restating_a_full_inspection_is_reported_not_primary():
    records = extract_judgements(_seed("002"), classify(_seed("002")))
    assert _primary(records) == {}
    (r,) = _reported(records)
    assert (r["framework"], r["judgement_area_key"], r["grade"]) == ("ilacs", "overall_effectiveness", "Good")
    assert (r["inspection_start"], r["inspection_end"]) == (date(2018, 7, 1), date(2018, 7, 31))
    assert "most recent full inspection in July 2018, with the outcome of Good overall" in r["evidence_text"]


def test_2014_committee_report_reports_the_2010_and_2011_safeguarding_judgements():
    records = extract_judgements(_seed("001"), classify(_seed("001")))
    reported = {(r["judgement_area_key"], r["inspection_start"]): r for r in _reported(records)}
    overall = reported[("overall_effectiveness", date(2010, 3, 1))]
    assert (overall["framework"], overall["service"]) == ("safeguarding_lac", "safeguarding")
    assert overall["grade"] == "Inadequate"
    capacity = reported[("capacity_to_improve", date(2011, 8, 1))]
    assert capacity["grade"] == "Inadequate"
    assert len(reported) == 2  # not the childcare settings "assessed as good or better"


def test_other_providers_and_qualified_grades_are_not_reported():
    text = (
        "Previous Ofsted inspections\n"
        "The local authority operates three children's homes. All three were judged to be good in their most "
        "recent Ofsted inspections.\n"
        "Most children attend schools judged good or better by Ofsted in 2015.\n"
        "The latest serious case review was judged by Ofsted as adequate in 2009.\n"
        "The previous inspection of the local authority's services for looked after children was in May 2010. "
        "The local authority was judged to be good.\n"
    )
    records = extract_judgements(_doc(text), {"document_type": "committee_report", "framework": None})
    assert [(r["service"], r["framework"], r["grade"], r["inspection_start"]) for r in records] == [
        ("looked_after_children", "safeguarding_lac", "Good", date(2010, 5, 1))
    ]


def test_reported_grades_are_split_between_the_areas_each_names():
    text = (
        "Children in Sometown benefit from services that have improved since the last inspection in 2017, when they "
        "were judged good overall, and outstanding for leadership, management and governance.\n"
    )
    records = extract_judgements(_doc(text), {"document_type": "committee_report", "framework": None})
    got = {(r["judgement_area_key"], r["grade"], r["framework"]) for r in records}
    assert got == {
        ("overall_effectiveness", "Good", "sif"),
        ("leadership_management_governance", "Outstanding", "sif"),
    }


def test_ungraded_visit_letters_yield_no_primary_judgements():
    doc = _seed("004")
    info, records, readings = _run(doc)
    assert _primary(records) == {} and readings == []
    assert cross_check(info, records, readings, source="004", doc=doc) == []


def test_a_primary_judgement_in_an_ungraded_document_fails_the_check():
    info = {"document_type": "committee_report", "framework": None}
    record = dict.fromkeys(
        ("inspection_start", "inspection_end", "framework", "grade_number", "grade_scale", "parent_area_key")
    )
    record.update(
        service="children_services", judgement_area="Overall effectiveness", judgement_area_key="overall_effectiveness",
        grade="Good", harmonised_grade="good", harmonised_rank=2, source_kind="primary", evidence_page=1,
        evidence_line=1, evidence_text="Overall effectiveness Good",
    )
    assert cross_check(info, [record], [], source="x") == [
        "x: ungraded committee_report (None) yielded 1 primary judgements"
    ]


# --- ILACS ----------------------------------------------------------------------------------------


def test_ilacs_table_gives_one_primary_judgement_per_area():
    doc = _doc(ILACS_2024)
    info, records, readings = _run(doc)
    primary = _primary(records)
    assert set(primary) == {
        "impact_of_leaders",
        "help_and_protection",
        "children_in_care",
        "care_leavers",
        "overall_effectiveness",
    }
    assert primary["impact_of_leaders"]["grade"] == "Requires improvement to be good"
    assert primary["care_leavers"]["grade"] == "Inadequate"
    assert primary["care_leavers"]["parent_area_key"] is None
    assert primary["overall_effectiveness"]["evidence_text"] == "Overall effectiveness Requires improvement to be good"
    assert primary["help_and_protection"]["grade_scale"] == SCALE_WORDS
    assert {r["reading_source"] for r in readings if r["judgement_area_key"] == "help_and_protection"} == {
        "judgement_table",
        "section_heading",
    }
    assert cross_check(info, records, readings, source="t", doc=doc) == []
    reported = _reported(records)
    assert [(r["framework"], r["grade"], r["inspection_start"]) for r in reported] == [
        ("ilacs", "Outstanding", date(2019, 1, 1))
    ]


def test_ilacs_report_without_overall_effectiveness_fails_unless_after_april_2026():
    text = ILACS_2024.replace("Overall effectiveness Requires improvement to be good\n", "")
    info, records, readings = _run(_doc(text))
    assert cross_check(info, records, readings, source="t") == [
        "t: ilacs inspection_report has no overall_effectiveness judgement (children_services)"
    ]
    later = text.replace("15 to 26 April 2024", "11 to 22 May 2026")
    info, records, readings = _run(_doc(later))
    assert cross_check(info, records, readings, source="t") == []


def test_section_heading_disagreeing_with_the_table_is_reported():
    text = ILACS_2024.replace("protection: good", "protection: inadequate")
    info, records, readings = _run(_doc(text))
    failures = cross_check(info, records, readings, source="t")
    assert failures == [
        "t: area help_and_protection (children_services): judgement table says Good (page 1), "
        "section heading says Inadequate (page 1)"
    ]


# --- single inspection framework --------------------------------------------------------------------


SIF_2015 = """1
Sometown Council
Inspection of services for children in need of help and
protection, children looked after and care leavers
and
Review of the effectiveness of the Local Safeguarding Children
Board1
Inspection date: 13 April 2015 – 8 May 2015
Report published: 18 September 2015
Children's services in Sometown require improvement to be good
Leadership, management and governance require improvement. When any failures are found they are
addressed.
1. Children who need help and protection Require s improvement
2. Children looked after and achieving
permanence
Requires improvement
2.1 Adoption performance Good
2.2 Experiences and progress of care leavers Requires improvement
3. Leadership, management and governance 1 Requires improvement
"""
SIF_LSCB = """The Local Safeguarding Children Board (LSCB)
The Local Safeguarding Children Board is good
Executive summary
An LSCB that is good coordinates the activity of statutory partners.
"""


def test_sif_headline_table_and_lscb_are_primary_judgements():
    doc = _doc(SIF_2015, "Previous Ofsted inspections\nThe local authority was judged to be adequate.\n", SIF_LSCB)
    info, records, readings = _run(doc)
    primary = _primary(records)
    assert primary["overall_effectiveness"]["grade"] == "Require improvement to be good"
    assert primary["overall_effectiveness"]["judgement_area"] == "Children's services in Sometown"
    assert primary["help_and_protection"]["grade"] == "Requires improvement"  # split word rejoined
    assert primary["help_and_protection"]["evidence_text"] == (
        "1. Children who need help and protection Require s improvement"
    )
    assert primary["adoption_performance"]["parent_area_key"] == "children_looked_after"
    assert primary["care_leavers"]["parent_area_key"] == "children_looked_after"
    assert primary["leadership_management_governance"]["evidence_text"].startswith("3. Leadership, management")
    assert primary["lscb_effectiveness"]["service"] == "lscb"
    assert primary["lscb_effectiveness"]["grade"] == "Good"
    assert primary["lscb_effectiveness"]["evidence_page"] == 3
    assert cross_check(info, records, readings, source="t", doc=doc) == []


def test_sif_2014_overall_judgement_wording_is_the_headline():
    text = SIF_2015.replace(
        "Children's services in Sometown require improvement to be good",
        "The overall judgement is that children's services\nare inadequate",
    )
    primary = _primary(extract_judgements(_doc(text), classify(_doc(text))))
    assert primary["overall_effectiveness"]["grade"] == "Inadequate"
    assert primary["overall_effectiveness"]["judgement_area"] == "The overall judgement"


def test_standalone_lscb_review_needs_only_the_lscb_judgement():
    doc = _doc(
        "1\nSometown Safeguarding Children Board\nReview of the effectiveness of the Local Safeguarding Children\n"
        "Board\nInspection date: 15 June 2015 – 17 June 2015\nReport published: 3 August 2015\n"
        "The Local Safeguarding Children Board requires improvement\n"
    )
    info, records, readings = _run(doc)
    assert (info["framework"], info["document_type"]) == ("sif", "inspection_report")
    assert [(r["service"], r["judgement_area_key"], r["grade"]) for r in records] == [
        ("lscb", "lscb_effectiveness", "Requires improvement")
    ]
    assert cross_check(info, records, readings, source="t") == []


def test_sif_previous_inspection_lists_are_reported_not_primary():
    doc = _doc(
        SIF_2015 + SIF_LSCB,
        "Previous Ofsted inspections\nThe last inspection report for the local authority's children's services was\n"
        "published in May 2015. The judgements for the local authority were:\n"
        "  Overall effectiveness: Inadequate\n  Leadership, management and governance: Inadequate.\nLocal leadership\n",
    )
    info, records, readings = _run(doc)
    assert _primary(records)["leadership_management_governance"]["grade"] == "Requires improvement"
    reported = {r["judgement_area_key"]: r for r in _reported(records)}
    assert reported["leadership_management_governance"]["grade"] == "Inadequate"
    assert reported["overall_effectiveness"]["framework"] == "sif"
    assert reported["overall_effectiveness"]["inspection_start"] is None  # only the publication month is printed
    assert cross_check(info, records, readings, source="t") == []


# --- the dev corpus: every SIF judgement as printed -------------------------------------------------

RI, G, O, I = "requires_improvement_or_adequate", "good", "outstanding", "inadequate"
# overall, 1 help and protection, 2 children looked after, 2.1 adoption, 2.2 care leavers, 3 leadership, LSCB
SIF_PRINTED = {
    "barking-and-dagenham_2014-07-07": (RI, RI, RI, RI, RI, RI, RI),
    "bracknell-forest_2017-07-14": (G, G, O, O, O, G, G),
    "durham_2016-05-16": (RI, RI, RI, G, G, RI, G),
    "hounslow_2014-03-21": (RI, RI, RI, RI, RI, RI, RI),
    "kirklees_2016-11-25": (I, I, I, RI, RI, I, I),
    "lambeth_2018-05-09": (RI, RI, RI, I, RI, RI, None),
    "lincolnshire_2015-01-06": (G, G, G, O, G, G, G),
    "milton-keynes_2016-11-25": (RI, RI, RI, RI, RI, RI, RI),
    "norfolk_2018-01-19": (RI, RI, RI, O, RI, RI, None),
    "oxfordshire_2014-06-30": (G, G, G, G, G, G, G),
    "peterborough_2015-09-18": (RI, RI, RI, G, RI, RI, G),
    "richmond-upon-thames_2017-12-08": (G, G, G, G, G, G, G),
    "surrey_2015-08-03": (None, None, None, None, None, None, RI),
    "wandsworth_2018-07-20": (RI, RI, RI, RI, G, RI, None),
    "west-berkshire_2017-07-07": (G, RI, G, G, G, G, None),
    "windsor-and-maidenhead_2015-05-13": (RI, RI, RI, RI, RI, RI, RI),
}
SIF_KEYS = (
    "overall_effectiveness",
    "help_and_protection",
    "children_looked_after",
    "adoption_performance",
    "care_leavers",
    "leadership_management_governance",
    "lscb_effectiveness",
)


@pytest.mark.parametrize("name", sorted(SIF_PRINTED))
def test_every_sif_judgement_in_the_corpus_is_extracted_as_printed(name):
    path = CORPUS / f"{name}.pdf"
    if not path.exists():
        pytest.skip(f"dev corpus not found at {CORPUS}")
    doc = read_document(path)
    info, records, readings = _run(doc)
    primary = _primary(records)
    got = tuple(primary[k]["harmonised_grade"] if k in primary else None for k in SIF_KEYS)
    assert got == SIF_PRINTED[name]
    assert len(primary) == sum(1 for g in SIF_PRINTED[name] if g)
    assert cross_check(info, records, readings, source=name, doc=doc) == []


def test_corpus_documents_pass_every_cross_check():
    if not CORPUS.is_dir():
        pytest.skip(f"dev corpus not found at {CORPUS}")
    failures = []
    for path in sorted(CORPUS.glob("*.pdf")):
        try:
            doc = read_document(path)
        except Exception:  # the HTML "Report not found" page  # noqa: BLE001
            continue
        info, records, readings = _run(doc)
        failures += cross_check(info, records, readings, source=path.name, doc=doc)
    assert failures == []


def test_a_judgement_table_extracted_column_by_column_is_paired_in_order():
    text = (
        "Sometown\nInspection of services for children in need of help and\nprotection, children looked after and "
        "care leavers\nInspection date: 13 April 2015 – 8 May 2015\nChildren's services in Sometown are inadequate\n"
        "1. Children who need help and protection\n2. Children looked after and achieving permanence\n"
        "2.1 Adoption performance\n2.2 Experiences and progress of care leavers\n"
        "3. Leadership, management and governance\nInadequate\nRequires improvement\nGood\nRequires improvement\n"
        "Inadequate\n"
    )
    doc = _doc(text)
    info, records, readings = _run(doc)
    got = {k: r["grade"] for k, r in _primary(records).items()}
    assert got == {
        "overall_effectiveness": "Inadequate",
        "help_and_protection": "Inadequate",
        "children_looked_after": "Requires improvement",
        "adoption_performance": "Good",
        "care_leavers": "Requires improvement",
        "leadership_management_governance": "Inadequate",
    }
    assert all(doc.contains_quote(r["evidence_text"]) and len(r["evidence_text"]) <= 300 for r in records)


def test_council_report_restating_a_judgement_table_and_two_inspections():
    text = (
        "Report to the Children and Families Scrutiny Committee\nDate of meeting: 14 March 2023\n"
        "The service was judged as 'Inadequate' by Ofsted in 2016 and 'Requires Improvement' in 2019.\n"
        "Ofsted judgements from the inspection in November 2022 were:\n"
        "Overall effectiveness Good\nImpact of leaders Good\nHelp and protection Requires improvement to be good\n"
        "Children in care and care leavers Good\n"
        "In July 2022, 78% of children in care were judged to be in good placements.\n"
    )
    doc = _doc(text)
    info = classify(doc)
    assert (info["document_type"], info["published_date"]) == ("committee_report", date(2023, 3, 14))
    records = extract_judgements(doc, info)
    got = {(r["judgement_area_key"], r["grade"], r["framework"], r["inspection_start"]) for r in records}
    assert got == {
        ("overall_effectiveness", "Inadequate", "sif", date(2016, 1, 1)),
        ("overall_effectiveness", "Requires Improvement", "ilacs", date(2019, 1, 1)),
        ("overall_effectiveness", "Good", "ilacs", date(2022, 11, 1)),
        ("impact_of_leaders", "Good", "ilacs", date(2022, 11, 1)),
        ("help_and_protection", "Requires improvement to be good", "ilacs", date(2022, 11, 1)),
        ("children_in_care", "Good", "ilacs", date(2022, 11, 1)),
    }


def test_jar_grade_table_reads_numbers_on_the_four_high_scale():
    doc = _doc(
        "Joint area review\nSometown Children's Services Authority Area\nPublished: 20 June 2007\n",
        "Grades\n4: outstanding; 3: good; 2: adequate; 1: inadequate\nSafeguarding 2\nLooked after children 3\n"
        "Service management 2 2\nCapacity to improve 3 3\n",
    )
    info, records, readings = _run(doc)
    assert info["framework"] == "jar"
    got = {k: (r["grade"], r["grade_number"], r["grade_scale"]) for k, r in _primary(records).items()}
    assert got == {
        "safeguarding": ("Adequate", 2, SCALE_4_HIGH),
        "looked_after_children": ("Good", 3, SCALE_4_HIGH),
        "service_management": ("Adequate", 2, SCALE_4_HIGH),
        "capacity_to_improve": ("Good", 3, SCALE_4_HIGH),
    }


def test_a_grade_printed_level_with_the_first_line_of_a_wrapped_area_is_read():
    doc = _doc(
        "Inspection of children's social care services\nInspection dates: 8 October 2018 to 19 October 2018\n"
        "Judgement Grade\n"
        "The impact of leaders on social work practice with children Good\nand families\n"
        "The experiences and progress of children who need help and Requires improvement\nprotection\n"
        "The experiences and progress of children in care and care Inadequate\nleavers\n"
        "Overall effectiveness Requires improvement\n"
    )
    info, records, readings = _run(doc)
    primary = _primary(records)
    assert {k: r["grade"] for k, r in primary.items()} == {
        "impact_of_leaders": "Good",
        "help_and_protection": "Requires improvement",
        "children_in_care": "Inadequate",
        "overall_effectiveness": "Requires improvement",
    }
    assert primary["children_in_care"]["judgement_area"] == (
        "The experiences and progress of children in care and care leavers"
    )
    assert primary["children_in_care"]["evidence_text"] == (
        "The experiences and progress of children in care and care Inadequate leavers"
    )


# --- reported judgements: statements found in the audit of the dev corpus ---------------------------


def _reported_rows(text: str, info: dict | None = None):
    doc = _doc(text)
    records = extract_judgements(doc, info or {"document_type": "committee_report", "framework": None})
    assert all(doc.contains_quote(r["evidence_text"]) for r in records)
    return {(r["judgement_area_key"], r["grade"], r["framework"], r["inspection_start"]) for r in records}


def test_a_statement_giving_one_area_two_grades_reports_neither():
    # a real SIF report lists care leavers both as inadequate and as requiring improvement
    text = (
        "The last inspection of the local authority’s children’s services was in July 2015.\n"
        "The local authority was judged inadequate in respect of children looked after,\ncare leavers and overall "
        "effectiveness, while adoption, care leavers and\nleadership, management and governance were found to "
        "require improvement.\n"
    )
    got = _reported_rows(text)
    assert {k for k, *_ in got} == {
        "children_looked_after",
        "overall_effectiveness",
        "adoption_performance",
        "leadership_management_governance",
    }
    assert ("children_looked_after", "Inadequate", "sif", date(2015, 7, 1)) in got


def test_an_area_that_is_the_object_of_an_earlier_clause_does_not_take_the_grade():
    text = (
        "An Ofsted re-inspection in 2018 found that, while improvements had been made for children in care services "
        "and adoption services were judged to be good, help and protection services were still failing.\n"
    )
    assert _reported_rows(text) == {("adoption_performance", "Good", "sif", date(2018, 1, 1))}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Children’s services have continued to build on the improvements evident at the last Ofsted local "
            "authority judgement inspection, in 2017, which judged services to require improvement.",
            ("overall_effectiveness", "Require improvement", "sif", date(2017, 1, 1)),
        ),
        (
            "Since the last inspection, in June 2019, progress has been made. The local authority had previously "
            "been judged inadequate in 2016, and following statutory direction the council agreed to work in "
            "partnership.",
            ("overall_effectiveness", "Inadequate", "sif", date(2016, 1, 1)),
        ),
        (
            "The experience and progress of children who need help and protection was inadequate at the last "
            "inspection in 2016.",
            ("help_and_protection", "Inadequate", "sif", date(2016, 1, 1)),
        ),
        (
            "Services for children in Sometown are now good and have substantially improved since they were found "
            "to be inadequate in 2017.",
            ("overall_effectiveness", "Inadequate", "sif", date(2017, 1, 1)),
        ),
        (
            "Ofsted's inspection of children's services in March 2017 judged the council to be inadequate.",
            ("overall_effectiveness", "Inadequate", "sif", date(2017, 3, 1)),
        ),
    ],
)
def test_earlier_inspection_outcomes_in_other_wordings_are_reported(sentence, expected):
    assert expected in _reported_rows(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Significant investment since the Ofsted inspection in 2015 has underpinned improvements, and no aspects of "
        "the service have been judged inadequate.",
        "Children's services have not been judged inadequate since 2012.",
        "There have been improvements since the last Ofsted inspection and all services are now judged to be good.",
        "The council was rated good by the Local Government Association peer review in 2017.",
        "In the 2018 inspection the council's fostering service was judged to be good.",
        "The last Ofsted inspection, in May 2019, did not judge the council to be inadequate.",
        "Established for 100 children but with 167 pupils in June 2017, it was judged to be inadequate in November "
        "2017.",
    ],
)
def test_negated_present_and_other_services_judgements_are_not_reported(sentence):
    assert _reported_rows(sentence) == set()


def test_areas_after_a_grade_must_follow_it_directly():
    text = (
        "Services for children in Sometown were judged to require improvement to be good in 2019, with children in "
        "care and care leavers judged good.\n"
    )
    assert _reported_rows(text) == {
        ("overall_effectiveness", "Require improvement to be good", "ilacs", date(2019, 1, 1)),
        ("children_in_care", "Good", "ilacs", date(2019, 1, 1)),
    }


def test_a_later_judgement_in_the_same_sentence_does_not_take_the_earlier_date():
    got = _reported_rows(
        "The council was judged inadequate at the last inspection in 2016 but has since been judged good."
    )
    assert ("overall_effectiveness", "Inadequate", "sif", date(2016, 1, 1)) in got
    assert ("overall_effectiveness", "Good", "sif", date(2016, 1, 1)) not in got
    # an elliptical clause shares the date
    got = _reported_rows("Ofsted judged the local authority to be good in 2019, but inadequate for care leavers.")
    assert ("care_leavers", "Inadequate", "ilacs", date(2019, 1, 1)) in got


def test_a_joint_area_review_judgement_printed_before_its_area_is_reported_on_the_jar_scale():
    info, records, _ = _run(_seed("000"))
    (jar,) = _reported(records)
    assert (jar["framework"], jar["service"], jar["judgement_area_key"], jar["grade"]) == (
        "jar",
        "children_services",
        "safeguarding",
        "Inadequate",
    )
    assert jar["inspection_start"] == date(2006, 1, 1)
    assert jar["evidence_text"].startswith("Since the Joint Area Review 2006 judgement of inadequate safeguarding")


# audited by reading every statement of an earlier inspection's outcome in the dev corpus
CORPUS_REPORTED = {
    "leicester_2021-11-12": {("overall_effectiveness", "requires_improvement_or_adequate", "sif", "2017")},
    "tower-hamlets_2019-07-22": {("overall_effectiveness", "inadequate", "sif", "2017")},
    "wirral_2019-07-29": {
        ("overall_effectiveness", "inadequate", "sif", "2016"),
        ("help_and_protection", "inadequate", "sif", "2016"),
    },
    "sunderland_2021-08-20": {
        ("overall_effectiveness", "inadequate", "sif", "2015"),
        ("adoption_performance", "good", "sif", "2018"),
    },
    "norfolk_2018-01-19": {
        ("children_looked_after", "inadequate", "sif", "2015"),
        ("overall_effectiveness", "inadequate", "sif", "2015"),
        ("adoption_performance", "requires_improvement_or_adequate", "sif", "2015"),
        ("leadership_management_governance", "requires_improvement_or_adequate", "sif", "2015"),
    },
    "peterborough_2015-09-18": {
        ("overall_effectiveness", "requires_improvement_or_adequate", "cp_2012", "2013"),
        ("overall_effectiveness", "inadequate", "safeguarding_lac", "2010"),
        ("overall_effectiveness", "inadequate", "safeguarding_lac", "2011"),
        ("overall_effectiveness", "good", "safeguarding_lac", "2010"),
    },
}


@pytest.mark.parametrize("name", sorted(CORPUS_REPORTED))
def test_corpus_reported_judgements_are_those_the_reports_state(name):
    path = CORPUS / f"{name}.pdf"
    if not path.exists():
        pytest.skip(f"dev corpus not found at {CORPUS}")
    doc = read_document(path)
    got = {
        (r["judgement_area_key"], r["harmonised_grade"], r["framework"], str(r["inspection_start"])[:4])
        for r in _reported(extract_judgements(doc, classify(doc)))
    }
    assert got == CORPUS_REPORTED[name]


# --- documents not in the corpus: other frameworks and layouts -------------------------------------------


def _grades(records, service=None):
    return {k: (r["grade"], r["grade_number"]) for k, r in _primary(records, service).items()}


def _checked(*pages: str):
    doc = _doc(*pages)
    info, records, readings = _run(doc)
    assert cross_check(info, records, readings, source="t", doc=doc) == []
    return info, records


def test_protection_of_children_record_of_main_findings_in_words_and_in_grade_numbers():
    opening = (
        "Sometown\nInspection of local authority arrangements for the\nprotection of children\n"
        "Inspection dates: 14 – 25 January 2013\nLead inspector: A Person HMI\nPublished: 22 February 2013\n"
    )
    info, records = _checked(
        opening,
        "The overall effectiveness of the arrangements to protect children in Sometown is\nadequate.\n",
        "Record of main findings\nLocal authority arrangements for the protection of children\n"
        "Overall effectiveness of the arrangements to protect children Adequate\n"
        "The effectiveness of the help and protection provided to children,\nyoung people, families and carers "
        "Adequate\nThe quality of practice Adequate\nLeadership and governance Good\nCapacity for improvement Good\n",
    )
    assert info["framework"] == "cp_2012"
    assert _grades(records, "safeguarding") == {
        "overall_effectiveness": ("Adequate", None),
        "effectiveness_of_help_and_protection": ("Adequate", None),
        "quality_of_practice": ("Adequate", None),
        "leadership_and_governance": ("Good", None),
        "capacity_to_improve": ("Good", None),
    }
    _info, records = _checked(
        opening,
        "Record of main findings\nOverall effectiveness of the arrangements to protect children | Grade 3\n"
        "The quality of practice | Grade 3\nLeadership and governance | Grade 2 (good)\n",
    )
    assert _grades(records, "safeguarding") == {
        "overall_effectiveness": ("Adequate", 3),  # 3 is adequate on the 2012-13 scale
        "quality_of_practice": ("Adequate", 3),
        "leadership_and_governance": ("Good", 2),
    }


def test_an_area_named_inside_another_does_not_take_its_grade():
    info, records = _checked(
        "Sometown\nInspection of services for looked after children\nInspection dates: 16 – 27 April 2012\n",
        "Making a positive contribution, including user engagement\nGrade 2 (good)\n40. Text.\n",
        "Record of main findings: Sometown\nServices for looked after children\nOverall effectiveness Adequate\n"
        "Capacity for improvement Good\nOutcomes for looked after children and care leavers\nBeing healthy Good\n"
        "Making a positive contribution, including user\nengagement Good\nEconomic well-being Inadequate\n",
    )
    grades = _grades(records, "looked_after_children")
    assert grades["making_a_positive_contribution"] == ("Good", None)
    assert "user_engagement" not in grades
    assert grades["economic_wellbeing"] == ("Inadequate", None)


def test_a_safeguarding_inspection_on_its_own_needs_only_its_safeguarding_judgement():
    info, records = _checked(
        "Inspection of safeguarding services\nSometown\nInspection dates: 1 – 12 August 2011\n",
        "Overall effectiveness\nGrade 4 (Inadequate)\n9. Text.\nCapacity for improvement\nGrade 4 (Inadequate)\n",
    )
    assert info["framework"] == "safeguarding_lac"
    assert _grades(records, "safeguarding") == {
        "overall_effectiveness": ("Inadequate", 4),
        "capacity_to_improve": ("Inadequate", 4),
    }


APA_OPENING = (
    "Ofsted\n3 December 2007\nMr A Director\nDirector of Children's Services\nDear Mr Director\n"
    "2007 annual performance assessment of services for children and young people in Sometown\n"
)


def test_apa_grade_table_and_grades_printed_with_their_word():
    info, records = _checked(
        APA_OPENING,
        "Summary table of judgements\nAreas for judgement Grade awarded\n"
        "Overall effectiveness of children’s services | 3\nBeing healthy | 3\nStaying safe | Grade 3 (good)\n"
        "Making a positive contribution | 4\n"
        "Capacity to improve, including the management of children’s services | 2\n",
    )
    assert _grades(records) == {
        "overall_effectiveness": ("Good", 3),
        "being_healthy": ("Good", 3),
        "staying_safe": ("Good", 3),
        "making_a_positive_contribution": ("Outstanding", 4),
        "capacity_to_improve": ("Adequate", 2),
    }
    _info, records = _checked(
        APA_OPENING,
        "Overall effectiveness of children’s services\nGrade 3 (good)\nSometown delivers good services.\n"
        "Being healthy\nGrade 4 (outstanding)\nThe contribution of services is outstanding.\n",
    )
    assert _grades(records) == {"overall_effectiveness": ("Good", 3), "being_healthy": ("Outstanding", 4)}


def test_numbers_in_prose_are_not_read_as_grades():
    _info, records = _checked(
        APA_OPENING,
        "Overall effectiveness of children’s services\nGrade 2\nServices are adequate.\n"
        "Staying safe results at key stage 2\nThe proportion of pupils being healthy at level 3\n"
        "Young people achieving economic well-being in year 4\n",
    )
    assert _grades(records) == {"overall_effectiveness": ("Adequate", 2)}


def test_sif_headline_with_a_lost_apostrophe_and_split_words():
    info, records = _checked(
        "1\nSometown Council\nInspection of services for children in need of help and\nprotection, children looked "
        "after and care leavers\nInspection date: 2 February 2015 – 24 February 2015\n"
        "Childrens services in Sometown\nrequire improvement to be good\n"
        "1. Children who need help and protection Require s improvement\n2. Children looked after and achieving\n"
        "permanence\nGood\n2.1 Adoption performance Outstanding\n2.2 Experiences and progress of care leavers Good\n"
        "3. Leadership, management and governance Require s\nimprovement\n",
    )
    grades = _grades(records)
    assert grades["overall_effectiveness"] == ("Require improvement to be good", None)
    assert grades["leadership_management_governance"] == ("Requires improvement", None)
    assert grades["children_looked_after"] == ("Good", None)


def test_prose_about_the_lscb_is_not_its_judgement():
    _info, records = _checked(
        SIF_2015.replace("Children's services in Sometown require improvement to be good", "Children's services in "
                         "Sometown are good"),
        "60. The Local Safeguarding Children Board is good at holding partners to account for their work.\n",
    )
    assert "lscb_effectiveness" not in _primary(records)


MONITORING = (
    "Ofsted\nPiccadilly Gate\nStore Street\nManchester\nM1 2WD\n\n14 June 2021\nJane Smith\nDirector of Children’s "
    "Services\nSometown Council\nDear Jane\n{subject}Monitoring visit to Sometown children’s services\n"
    "This letter summarises the findings of the monitoring visit to Sometown children’s services on 18 and 19 May "
    "2021. This visit was the fourth monitoring visit since the local authority was judged inadequate in March 2019.\n"
    "The experiences and progress of children who need help and protection are inadequate in some teams.\n"
    "Inspection of local authority children’s services\nOverall effectiveness: inadequate\n"
)


@pytest.mark.parametrize("subject", ["", "Subject: "])
def test_monitoring_visit_letters_yield_no_primary_judgements_only_the_inspection_they_follow(subject):
    doc = _doc(MONITORING.format(subject=subject))
    info, records, readings = _run(doc)
    assert info["document_type"] == "monitoring_visit_letter"
    assert readings == []
    assert [(r["source_kind"], r["judgement_area_key"], r["grade"], r["framework"], r["inspection_start"])
            for r in records] == [("reported", "overall_effectiveness", "Inadequate", "ilacs", date(2019, 3, 1))]
    assert cross_check(info, records, readings, source="t", doc=doc) == []


def test_focused_visit_and_unannounced_inspection_letters_yield_no_primary_judgements():
    focused = _doc(
        "2 August 2021\nDear Mr Director\nFocused visit to Sometown City Council children’s services\n"
        "This letter summarises the findings of the focused visit to Sometown children’s services on 22 and 23 June "
        "2021.\nAt the last standard inspection in July 2018, Sometown was judged to be good overall.\n"
        "The experiences and progress of children in care are good.\n"
    )
    info, records, readings = _run(focused)
    assert (info["document_type"], readings) == ("focused_visit_letter", [])
    assert [(r["source_kind"], r["grade"], r["inspection_start"]) for r in records] == [
        ("reported", "Good", date(2018, 7, 1))
    ]
    cra = _doc(
        "14 April 2011\nDear Mr Director\nAnnual unannounced inspection of contact, referral and assessment "
        "arrangements within local authority children’s services\nThis letter summarises the findings of the "
        "unannounced inspection conducted on 22 and 23 March 2011.\nThe overall effectiveness is good.\n"
    )
    info, records, readings = _run(cra)
    assert (info["framework"], records, readings) == ("unannounced_cra", [], [])


def test_a_council_report_headed_with_the_inspection_name_is_not_an_ilacs_report():
    doc = _doc(
        "Report to the Children and Young People Scrutiny Committee\n14 March 2023\n"
        "Inspection of Local Authority Children's Services (ILACS)\n"
        "The impact of leaders on social work practice with children and families Good\n"
        "Overall effectiveness Good\n"
    )
    info, records, readings = _run(doc)
    assert (info["document_type"], info["framework"]) == ("committee_report", None)
    assert _primary(records) == {} and readings == []


def test_an_annual_performance_assessment_annexed_to_a_joint_area_review_is_not_graded_as_the_review():
    doc = _doc(
        "Joint area review\nSometown Children's Services Authority Area\nPublished: 20 June 2007\n",
        "Grades\n4: outstanding; 3: good; 2: adequate; 1: inadequate\nSafeguarding 2\nLooked after children 3\n"
        "Service management 2 2\nCapacity to improve 3 3\n",
        "Annex A: the annual performance assessment letter\nBeing healthy\nGrade 4\nStaying safe\nGrade 2\n",
    )
    info, records, _ = _run(doc)
    assert set(_primary(records)) == {
        "safeguarding",
        "looked_after_children",
        "service_management",
        "capacity_to_improve",
    }


def _printed_in_evidence(record) -> bool:
    squash = lambda s: re.sub(r"[\s'‘’\"]", "", s.lower())  # noqa: E731
    evidence = squash(record["evidence_text"])
    if record["grade_number"] is not None and str(record["grade_number"]) not in evidence:
        return False
    return record["grade_number"] is not None or squash(record["grade"]) in evidence


def test_every_grade_in_the_corpus_and_seeds_is_printed_in_its_evidence():
    docs = []
    for prefix in ("000", "001", "002", "003", "004"):
        docs.append(_seed(prefix))
    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob("*.pdf")):
            try:
                docs.append(read_document(path))
            except Exception:  # the HTML "Report not found" page  # noqa: BLE001
                continue
    bad = []
    for doc in docs:
        for r in extract_judgements(doc, classify(doc)):
            if not (_printed_in_evidence(r) and doc.contains_quote(r["evidence_text"])):
                bad.append((doc.source, r["judgement_area_key"], r["grade"], r["evidence_text"]))
            if len(r["evidence_text"]) > 300 or r["evidence_text"][:1] in "=+-@|":
                bad.append((doc.source, "evidence shape", r["evidence_text"]))
    assert bad == []


def test_grade_words_split_by_pdf_spacing_are_rejoined_and_read_on_their_own_meaning():
    from pipeline.frameworks import harmonise_word

    assert harmonise_word("Require s improvement to be good") == "requires_improvement_or_adequate"
    assert harmonise_word("Outstandin g") == "outstanding"
    got = _reported_rows("At the last inspection in 2016, services were judged to require s improvement to be good.")
    assert got == {("overall_effectiveness", "Requires improvement to be good", "sif", date(2016, 1, 1))}
    info, records = _checked(
        ILACS_2024.replace("Overall effectiveness Requires improvement to be good", "Overall effectiveness Inadequat e")
        .replace("leavers\nInadequate", "leavers\nOutstandin g")
    )
    assert _grades(records)["overall_effectiveness"] == ("Inadequate", None)
    assert _primary(records)["care_leavers"]["harmonised_grade"] == "outstanding"
