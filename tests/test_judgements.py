"""Judgement extraction (primary and reported), the area vocabulary and the cross-checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "dev"


def _seed(prefix: str) -> DocText:
    for folder in (REPO / "seeds", REPO.parent / "shared" / "seeds"):
        found = sorted(folder.glob(f"{prefix}_*.txt")) if folder.is_dir() else []
        if found:
            return read_document(found[0])
    pytest.skip(f"seed {prefix} not found in seeds/ or ../shared/seeds")


def _doc(*pages: str) -> DocText:
    return DocText(source="t.txt", format="txt", pages=tuple(pages))


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
