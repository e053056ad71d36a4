"""Indicators: numbers in prose and tables, with what they measure, for when, against what.

Small texts are real sentences from the seeds (or built on the pattern of Ofsted's standard
wording); corpus tests read ../shared/corpus/dev and skip when it is absent.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from pipeline.indicators import (
    RECORD_KEYS,
    check_indicators,
    extract_indicators,
    indicators_from_tables,
)
from pipeline.numbers import find_numbers, find_periods
from pipeline.text import DocText, read_document

REPO = Path(__file__).parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "dev"
SEEDS = REPO / "seeds" if (REPO / "seeds").is_dir() else REPO.parent / "shared" / "seeds"


def doc_of(*pages: str) -> DocText:
    return DocText(source="t.txt", format="txt", pages=tuple(pages))


def rows(*pages: str, info: dict | None = None) -> list[dict]:
    doc = doc_of(*pages)
    recs = extract_indicators(doc, info or {})
    assert check_indicators(recs, doc) == []
    return recs


def by_raw(recs: list[dict], raw: str) -> dict:
    found = [r for r in recs if r["raw_value"] == raw]
    assert found, f"no row with raw value {raw!r}: {[r['raw_value'] for r in recs]}"
    return found[0]


def values(recs: list[dict]) -> list[float]:
    return [r["value"] for r in recs]


# --------------------------------------------------------------------------------------------
# record shape


def test_records_have_exactly_the_published_keys():
    recs = rows("At the time of the inspection there were 292 looked after children and 30 children receiving a series of short breaks.")
    assert recs
    for r in recs:
        assert set(r) == set(RECORD_KEYS)


# --------------------------------------------------------------------------------------------
# the hard cases


def test_numbers_in_words_are_values():
    recs = rows("Ninety-two children are currently being educated at home and monitoring visits are done annually in almost all cases.")
    r = by_raw(recs, "Ninety-two")
    assert r["value"] == 92 and r["unit"] == "count"
    assert r["indicator_key"] == "children_educated_at_home"


def test_small_numbers_in_words_count_what_follows():
    recs = rows("While young people have a range of opportunities to express their views, during 2009 only two complaints were received from young people in care.")
    r = by_raw(recs, "two")
    assert r["value"] == 2 and "complaints" in r["indicator_label"]
    assert r["period_start"] == date(2009, 1, 1) and r["period_end"] == date(2009, 12, 31)
    recs = rows("There have been seven serious case reviews since the last inspection.")
    r = by_raw(recs, "seven")
    assert r["value"] == 7 and r["indicator_key"] == "serious_case_reviews"


def test_decimal_comma_with_a_space_before_the_percent_sign():
    recs = rows("### Core Assessments in timescale\n\nThe number of Core Assessments in timescale has dropped significantly and remains one of our most significant challenges. It dropped to 60,3 % in the month .")
    r = by_raw(recs, "60,3 %")
    assert r["value"] == pytest.approx(60.3) and r["unit"] == "percent"
    assert r["indicator_key"] == "core_assessments_in_timescale"


def test_space_before_percent_sign():
    recs = rows("### Child Protection visits in timescale\n\nThe data for the end of January shows that 93.8 % of the visits were in timescale.")
    r = by_raw(recs, "93.8 %")
    assert r["value"] == pytest.approx(93.8) and r["unit"] == "percent"
    assert r["indicator_key"] == "child_protection_visits_in_timescale"


def test_money_with_a_multiplier():
    recs = rows("The council continues to support social care through significant investment including an additional £1.5 million investment in our Child Sexual Exploitation Team.")
    r = by_raw(recs, "£1.5 million")
    assert r["value"] == 1_500_000 and r["unit"] == "gbp"
    text = "The council made available £1.5m which enabled the establishment of a dedicated team consisting of an operational manager, 6 social workers and administrative assistant."
    assert {n.raw: (n.value, n.unit) for n in find_numbers(text)}["£1.5m"] == (1_500_000, "gbp")
    recs = rows(text)
    assert by_raw(recs, "6")["unit"] == "count"
    assert not [r for r in recs if r["raw_value"] == "£1.5m"]  # "the council" does not say what the money is


def test_a_range_is_two_observations_each_with_its_period():
    recs = rows("All children and young people reported as missing are recorded and actively followed up by the police. The numbers of children and young people missing has dropped from 222 in 2008 to 189 in 2009 and only one young person was still missing by the end of the year.")
    a, b = by_raw(recs, "222"), by_raw(recs, "189")
    assert a["period_label"] == "in 2008" and a["period_start"] == date(2008, 1, 1)
    assert b["period_label"] == "in 2009" and b["period_end"] == date(2009, 12, 31)
    assert a["indicator_label"] == b["indicator_label"] and "missing" in a["indicator_label"]
    assert not a["is_change"] and not b["is_change"]


def test_each_clause_keeps_its_own_year():
    recs = rows("In 2008, there were 49 young people missing from care and in 2009, this had fallen to 29.")
    assert by_raw(recs, "49")["period_label"] == "In 2008"
    assert by_raw(recs, "29")["period_label"] == "in 2009"
    assert by_raw(recs, "29")["indicator_key"] == "children_missing_from_care"


def test_a_target_and_an_actual_in_one_sentence():
    recs = rows(
        "4.27.\n\nChart 11 shows our performance in relation to ensuring that children and young people in care\n"
        "receive an annual health assessment. Our performance is good when compared to other local\n"
        "authorities, even if it is a little below the target of 93% at 88%. We are working with partners."
    )
    target, actual = by_raw(recs, "93%"), by_raw(recs, "88%")
    assert target["value_type"] == "target" and actual["value_type"] == "actual"
    assert target["indicator_key"] == actual["indicator_key"] == "cla_health_assessments"


def test_a_stretch_target_stated_apart_from_the_actual():
    recs = rows("4.26.\n\nChart 10 shows the percentage of visits carried out to children in care in time. We have a stretch\ntarget of 98% for this indicator. Our most recent performance is 93%, which is a little\ndisappointing.")
    assert by_raw(recs, "98%")["value_type"] == "target"
    assert by_raw(recs, "93%")["value_type"] == "actual"
    assert by_raw(recs, "93%")["indicator_key"] == "cla_visits_in_timescale"


def test_a_sentence_hard_wrapped_across_lines_is_read_whole_and_quoted_from_its_start():
    text = (
        "4.12.\n\nChart 4 shows the position with respect to the timeliness of single assessments.\n\n"
        "4.13.\n\nMany authorities struggle to achieve a higher rate than around 80% of single assessments being\n"
        "completed in time, but we should be completing a considerably larger amount than just under\n"
        "60% within the target 45 working days. In addition to the general staffing shortage."
    )
    doc = doc_of(text)
    recs = extract_indicators(doc, {})
    r = by_raw(recs, "60%")
    assert r["evidence_page"] == 1 and r["evidence_line"] == 7  # the line where the sentence starts
    assert doc.contains_quote(r["evidence_text"]) and "60% within the target" in r["evidence_text"]
    assert r["indicator_key"] == "single_assessments_in_timescale"
    assert 45 not in values(recs)  # the timescale in the definition is not a value


def test_a_sentence_broken_by_a_page_break_with_footnote_and_page_number():
    page1 = (
        "Durham County Council has many residents.\n"
        "  The population is projected to\n\n"
        "2\nThe local authority was given the opportunity to review this section of the report and has updated it\n"
        "with local unvalidated data where this was available."
    )
    page2 = "6\nincrease by a further 2.8% by 2021. The county covers a mix of large rural areas."
    doc = doc_of(page1, page2)
    recs = extract_indicators(doc, {})
    assert check_indicators(recs, doc) == []
    r = by_raw(recs, "2.8%")
    assert r["is_change"]
    assert r["evidence_page"] == 2 and r["evidence_line"] == 2
    assert r["evidence_text"].startswith("increase by a further 2.8%")
    assert 2 not in values(recs) and 6 not in values(recs)  # footnote and page numbers


def test_x_out_of_y_gives_both_numbers():
    recs = rows("The partnership has a clear focus on permanency and in recent months has successfully matched or placed 36 children with appropriate prospective adopters out of a cohort of 48 children.")
    assert by_raw(recs, "36")["unit"] == "count"
    assert by_raw(recs, "48")["unit"] == "count"
    assert "cohort" in by_raw(recs, "48")["indicator_label"]


def test_a_slash_pair_gives_both_numbers():
    recs = rows("The number of children subject to plans is now where it should be, given that the rough indicator is half the LAC population (351/187).")
    assert by_raw(recs, "351")["indicator_label"] == "LAC population"
    assert by_raw(recs, "187")["value"] == 187


def test_footnote_number_glued_to_a_percentage_is_not_a_value():
    recs = rows("In 2014, 16%6 of care leavers were not in education, employment or training.")
    assert values(recs) == [16]


def test_a_change_is_marked_as_a_change():
    recs = rows("Through this approach, 75% of childcare settings were assessed as good or better by Ofsted in July 2013, compared with only 69% in July 2012. This is a year on year increase of 6%, compared with a national average increase of 3%.")
    assert not by_raw(recs, "75%")["is_change"]
    assert by_raw(recs, "69%")["period_label"] == "in July 2012"
    six, three = by_raw(recs, "6%"), by_raw(recs, "3%")
    assert six["is_change"] and three["is_change"]
    assert three["value_type"] == "comparator" and three["comparison_group"] == "england"
    assert three["geographic_level"] == "National"


def test_comparisons_with_england_and_statistical_neighbours():
    recs = rows("The proportion of children who had three or more placement moves was 7% in 2008/09 and is much lower than the 11% of the national average. Longer term stability during the same period was 77%, much higher than the England average of 67%.")
    seven, eleven = by_raw(recs, "7%"), by_raw(recs, "11%")
    assert seven["value_type"] == "actual" and seven["indicator_key"] == "placement_stability_short_term"
    assert seven["period_start"] == date(2008, 4, 1) and seven["period_end"] == date(2009, 3, 31)
    assert eleven["value_type"] == "comparator" and eleven["comparison_group"] == "england"
    assert eleven["indicator_key"] == "placement_stability_short_term"
    assert by_raw(recs, "67%")["comparison_group"] == "england"
    assert by_raw(recs, "77%")["indicator_key"] == "placement_stability_long_term"
    recs = rows("In the above chart, the average rate of children in care per 10,000 among our statistical\nneighbours was 87 per 10,000, compared with our current rate of 75 per 10,000, which is\nequivalent to 374 children and young people in care.")
    sn, la = by_raw(recs, "87 per 10,000"), by_raw(recs, "75 per 10,000")
    assert sn["value_type"] == "comparator" and sn["comparison_group"] == "statistical_neighbours"
    assert la["value_type"] == "actual" and la["unit"] == "rate_per_10000"
    assert la["indicator_key"] == "children_looked_after_rate"
    assert by_raw(recs, "374")["indicator_key"] == "children_looked_after"
    assert 10000 not in values(recs)


def test_respectively_pairs_comparators_with_their_figures():
    recs = rows("Children and young people from minority ethnic groups account for 37% of pupils in primary schools and 31.9% of pupils in secondary schools which is above the national average of 24.5% and 20.6% respectively.")
    assert by_raw(recs, "24.5%")["indicator_label"] == by_raw(recs, "37%")["indicator_label"]
    assert by_raw(recs, "20.6%")["indicator_label"] == by_raw(recs, "31.9%")["indicator_label"]
    assert by_raw(recs, "20.6%")["value_type"] == "comparator"
    assert by_raw(recs, "37%")["indicator_key"] == "ethnic_minority_children_share"


def test_rate_per_thousand_takes_its_label_from_the_previous_sentence():
    recs = rows("Teenage conception rates remain above the national average and the highest amongst statistical neighbours. The current rate is 48.5 per 1000 females aged 15-17 years.")
    r = by_raw(recs, "48.5 per 1000")
    assert r["unit"] == "rate_per_1000" and r["indicator_key"] == "teenage_conception_rate"
    assert 15 not in values(recs) and 17 not in values(recs)


def test_counts_of_open_cases_over_time():
    recs = rows("In February 2013, there were 977 open child in need cases. This had risen to 1,130 by May and there are now 1233 open child in need cases open to children's social care (January 2014).")
    assert by_raw(recs, "977")["period_label"] == "In February 2013"
    assert by_raw(recs, "1,130")["value"] == 1130
    r = by_raw(recs, "1233")
    assert r["period_start"] == date(2014, 1, 1) and r["period_end"] == date(2014, 1, 31)
    assert {x["indicator_key"] for x in recs} == {"children_in_need"}


def test_staffing_numbers_fte_and_vacancy_rate():
    recs = rows("We currently have 63.8 permanent staff in post out of an establishment of 81. This gives us a vacancy rate of 17.02.")
    assert by_raw(recs, "63.8")["unit"] == "fte"
    assert by_raw(recs, "81")["indicator_label"] == "establishment"
    r = by_raw(recs, "17.02")
    assert r["unit"] == "percent" and r["indicator_key"] == "social_worker_vacancy_rate"


def test_average_caseload_and_its_target():
    recs = rows("So far we have mostly managed\nto contain caseloads within target levels and, for example, the average caseload for qualified\nsocial workers across the service in mid-June was 19, just below the overall target of 20.")
    assert by_raw(recs, "19")["indicator_key"] == "social_worker_caseload_average"
    assert by_raw(recs, "20")["value_type"] == "target"


# --------------------------------------------------------------------------------------------
# what is not an indicator


@pytest.mark.parametrize(
    "text",
    [
        "Ensure that Section 47 investigations and enquiries are timely.",
        "The inspection was carried out under the Children Act 2004.",
        "Grade 2 (Good)",
        "Outstanding (Grade 1) A service that significantly exceeds minimum requirements",
        "Children's Services including support under section 17 of the Act.",
        "We refreshed our Children's Services vision and priorities in June 2013 under our delivery plan (Appendix 1).",
        "Further information is available from Peterborough, PE1 1HG. Telephone (01733) 747474.",
        "Ofsted Piccadilly Gate Store Street Manchester M1 2WD T 0300 123 1231",
        "In 2006 the population included many children and young people aged 0 to 19.",
        "Around a third of children under 18 live in the city.",
        "Circulate an electronic copy of the monthly monitoring report so that individual questions can be raised on a 1:1 basis electronically.",
        "The service operates 24/7 and the duty line opens at 10am.",
        "Chart 11 shows our performance in relation to ensuring that children in care receive a health assessment.",
        "A further Improvement Notice, due to poor performance was issued on 5<sup>th</sup> February 2012.",
        "The proportion of children who had three or more placement moves is lower than the national average.",
        "The proportion of looked after children who are placed more than 20 miles from Peterborough is higher than the national average.",
        "Single assessments should be completed within 45 working days.",
        "Recommendation 3\nCirculate an electronic copy of the monthly monitoring report.",
        "1. Notes the content of the report in relation to performance by children's social care.",
        "The inspection team consisted of three of Her Majesty's Inspectors (HMI) and one inspector from the Care Quality Commission.",
        "The Scrutiny Committee to hold a review meeting in 6 months.",
        "In such a significant cohort of children, fewer than 5 were escalated for senior manager consideration.",
        "Peterborough had its most recent full inspection in July 2018, with the outcome of Good overall.",
    ],
)
def test_numbers_that_do_not_measure_anything_are_not_indicators(text):
    assert rows(text) == []


def test_paragraph_numbers_are_not_values():
    recs = rows("36. Peterborough faces a significant challenge. The current rate is 48.5 per 1000 females aged 15-17 years.")
    assert 36 not in values(recs)
    recs = rows("10.The Public Law Outline (PLO) is being used effectively when 12 families are in proceedings.")
    assert 10 not in values(recs) and 12 in values(recs)


def test_table_rows_and_contents_lines_in_prose_are_left_to_the_tables_module():
    recs = rows("Contents\nAbout this inspection 2\nService information 4\nThe inspection outcomes 6\n\n| Overall effectiveness | 6 |\n2011 - 2012\t6\t6\t7")
    assert recs == []


# --------------------------------------------------------------------------------------------
# the SIF "Information about this local authority area" list (standard Ofsted wording, made-up figures)

SIF_INFO = (
    "Information about this local authority area2\n"
    "Children living in this area\n"
    "  Approximately 41,250 children and young people under the age of 18 years live\n"
    "in Northtown. This is 23% of the total population in the area.\n"
    "  Approximately 21% of the local authority’s children are living in poverty.\n"
    "  The proportion of children entitled to free school meals:\n"
    "  in primary schools is 18% (the national average is 15%)\n"
    "  in secondary schools is 16% (the national average is 13%).\n"
    "  Children and young people from minority ethnic groups account for 12% of all\n"
    "children living in the area, compared with 21% in the country as a whole.\n"
    "Child protection in this area\n"
    "  At 31 March 2016, 2,104 children had been identified through assessment as\n"
    "being formally in need of a specialist children’s service. This is an increase from\n"
    "1,987 at 31 March 2015.\n"
    "  At 31 March 2016, 305 children and young people were the subject of a child\n"
    "protection plan (a rate of 49 per 10,000 children). This is a reduction from 321\n"
    "at 31 March 2015.\n"
    "Children looked after in this area\n"
    "  At 31 March 2016, 402 children are being looked after by the local authority (a\n"
    "rate of 65 per 10,000 children). This is an increase from 388 (63 per 10,000\n"
    "children) at 31 March 2015. Of this number:\n"
    "  150 (or 37%) live outside the local authority area\n"
    "  30 live in residential children’s homes, of whom 40% live out of the authority area\n"
    "  320 live with foster families, of whom 30% live out of the authority area\n"
    "  12 live with parents, of whom none live out of the authority area\n"
    "  eight children are unaccompanied asylum-seeking children.\n"
    "  In the last 12 months:\n"
    "  there have been 25 adoptions\n"
    "  31 children became subject of special guardianship orders\n"
    "  190 children ceased to be looked after, of whom 4% subsequently returned to be\n"
    "looked after\n"
    "  17 children and young people ceased to be looked after and moved on to\n"
    "independent living\n"
    "  no children ceased to be looked after and are now living in houses of multiple\n"
    "occupation.\n"
)


def _key(recs, key, **kw):
    found = [r for r in recs if r["indicator_key"] == key and all(r[k] == v for k, v in kw.items())]
    assert found, f"no {key} {kw}: {[(r['raw_value'], r['indicator_key']) for r in recs]}"
    return found[0]


def test_sif_information_section_every_figure_with_its_key_and_as_at_date():
    recs = rows(SIF_INFO, info={"la_name": "Northtown", "framework": "sif"})
    at16, at15 = date(2016, 3, 31), date(2015, 3, 31)
    assert _key(recs, "children_under_18_population")["value"] == 41250
    assert _key(recs, "children_under_18_share_of_population")["value"] == 23
    assert _key(recs, "child_poverty_rate")["value"] == 21
    assert _key(recs, "free_school_meals_primary", value_type="actual")["value"] == 18
    nat = _key(recs, "free_school_meals_primary", value_type="comparator")
    assert nat["value"] == 15 and nat["comparison_group"] == "england" and nat["geographic_level"] == "National"
    assert _key(recs, "free_school_meals_secondary", value_type="comparator")["value"] == 13
    assert _key(recs, "ethnic_minority_children_share", value_type="comparator")["value"] == 21
    cin = _key(recs, "children_in_need", period_end=at16)
    assert cin["value"] == 2104 and cin["period_label"] == "At 31 March 2016" and cin["period_start"] == at16
    assert _key(recs, "children_in_need", period_end=at15)["value"] == 1987
    assert _key(recs, "child_protection_plans", period_end=at16)["value"] == 305
    assert _key(recs, "child_protection_plans", period_end=at15)["value"] == 321
    assert _key(recs, "child_protection_plans_rate", period_end=at16)["value"] == 49
    assert _key(recs, "children_looked_after", period_end=at16)["value"] == 402
    assert _key(recs, "children_looked_after", period_end=at15)["value"] == 388
    assert _key(recs, "children_looked_after_rate", period_end=at16)["value"] == 65
    assert _key(recs, "children_looked_after_rate", period_end=at15)["value"] == 63
    assert _key(recs, "cla_placed_outside_la", unit="count", period_end=at16)["value"] == 150
    assert _key(recs, "cla_placed_outside_la", unit="percent", period_end=at16)["value"] == 37
    assert _key(recs, "cla_in_residential_homes", period_end=at16)["value"] == 30
    assert _key(recs, "cla_in_foster_care", period_end=at16)["value"] == 320
    assert _key(recs, "cla_placed_with_parents", period_end=at16)["value"] == 12
    assert _key(recs, "unaccompanied_asylum_seeking_children")["value"] == 8
    adoptions = _key(recs, "adoptions")
    assert adoptions["value"] == 25 and adoptions["period_label"] == "In the last 12 months"
    assert _key(recs, "special_guardianship_orders", period_label="In the last 12 months")["value"] == 31
    assert _key(recs, "cla_ceased")["value"] == 190
    assert _key(recs, "cla_returned_after_ceasing")["value"] == 4
    assert _key(recs, "care_leavers_independent_living")["value"] == 17
    assert _key(recs, "care_leavers_hmo")["value"] == 0
    assert 18 not in [r["value"] for r in recs if r["unit"] == "count"]  # "under the age of 18"
    assert all(r["value"] != 2 for r in recs)  # the footnote marker on the heading


def test_sif_figures_stated_as_at_a_date_in_brackets():
    recs = rows(
        "  The proportion of children entitled to free school meals (January 2013 School Census)\n"
        "  in primary schools is 28.9% (the national average is 18%)\n"
        "  in secondary schools is 31.8% (the national average is 15%).\n"
    )
    r = _key(recs, "free_school_meals_primary", value_type="actual")
    assert r["value"] == pytest.approx(28.9) and r["period_start"] == date(2013, 1, 1) and r["period_end"] == date(2013, 1, 31)
    assert _key(recs, "free_school_meals_secondary", value_type="comparator")["value"] == 15


# --------------------------------------------------------------------------------------------
# periods and numbers


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2012 - 2013", date(2012, 4, 1), date(2013, 3, 31)),
        ("in 2012-13", date(2012, 4, 1), date(2013, 3, 31)),
        ("in 2008/09", date(2008, 4, 1), date(2009, 3, 31)),
        ("at 31 March 2014", date(2014, 3, 31), date(2014, 3, 31)),
        ("in 2009", date(2009, 1, 1), date(2009, 12, 31)),
        ("in July 2013", date(2013, 7, 1), date(2013, 7, 31)),
        ("as of the end of October 2018", date(2018, 10, 31), date(2018, 10, 31)),
        ("between 1 October 2013 and 11 December 2013", date(2013, 10, 1), date(2013, 12, 11)),
        ("In the period from April – December 2013", date(2013, 4, 1), date(2013, 12, 31)),
        ("GCSE results in 2015-16", date(2015, 9, 1), date(2016, 8, 31)),
    ],
)
def test_periods_as_stated_and_as_dates(text, start, end):
    p = find_periods(text)[0]
    assert (p.period_start, p.period_end) == (start, end)
    assert p.label in text


def test_relative_periods_have_a_label_but_no_dates():
    p = find_periods("In the last 12 months:")[0]
    assert p.label == "In the last 12 months" and p.period_start is None and p.period_end is None


def test_number_parsing_units_and_raw_values():
    got = {n.raw: (n.value, n.unit) for n in find_numbers("rates of 78.7 per 10,000 children, £3,000 per week, Fifty-eight per cent, 10.5 FTE, 5 percentage points, 1,860")}
    assert got["78.7 per 10,000"] == (78.7, "rate_per_10000")
    assert got["£3,000"] == (3000, "gbp")
    assert got["Fifty-eight per cent"] == (58, "percent")
    assert got["10.5 FTE"] == (10.5, "fte")
    assert got["5 percentage points"] == (5, "percentage_points")
    assert got["1,860"] == (1860, None)


# --------------------------------------------------------------------------------------------
# tables


def _cells(rows_, header, page=1, first_line=1, table_index=0):
    out = []
    for r_i, row in enumerate(rows_):
        for c_i, v in enumerate(row):
            out.append(dict(table_index=table_index, row_index=r_i, column_index=c_i, header=header[c_i], value=v,
                            evidence_page=page, evidence_line=first_line + r_i))
    return out


ADOPTION_TABLE_DOC = (
    "### **Progress in Adoption**\n\n"
    "The increased number of Adoption Orders made this year to-date (2 December 2013) demonstrates strong performance.\n\n"
    "\tAdopters approved\tChildren matched\tAdoption Orders\n"
    "2011 - 2012\t6\t6\t7\n"
    "2012 - 2013\t17\t16\t19\n"
    "\t\t\tAt 2 December 2013\n"
)


def test_adoption_table_cells_become_indicator_rows_with_row_period_and_column_measure():
    doc = doc_of(ADOPTION_TABLE_DOC)
    header = ["", "Adopters approved", "Children matched", "Adoption Orders"]
    cells = _cells([["2011 - 2012", "6", "6", "7"], ["2012 - 2013", "17", "16", "19"], ["", "", "", "At 2 December 2013"]], header, first_line=6)
    recs = indicators_from_tables(cells, doc, {})
    assert check_indicators(recs, doc) == []
    assert len(recs) == 6
    first = next(r for r in recs if r["indicator_label"] == "adopters approved" and r["value"] == 6)
    assert first["unit"] == "count" and first["period_label"] == "2011 - 2012"
    assert (first["period_start"], first["period_end"]) == (date(2011, 4, 1), date(2012, 3, 31))
    assert first["indicator_key"] == "adopters_approved"
    assert first["evidence_line"] == 6 and "2011 - 2012" in first["evidence_text"]
    orders = next(r for r in recs if r["indicator_label"] == "adoption orders" and r["period_label"] == "2012 - 2013")
    assert orders["value"] == 19 and orders["indicator_key"] == "adoptions"
    assert next(r for r in recs if r["value"] == 16)["indicator_key"] == "children_matched_for_adoption"


def test_contents_grade_and_date_tables_are_not_indicators():
    doc = doc_of("About this inspection\t2\nService information\t4\nThe inspection outcomes\t6\n"
                 "Overall effectiveness\tInadequate\nCapacity for improvement\tAdequate\n"
                 "19 December 2011\tPurpose of the Group\n14 March 2012\tDirectors Report\n")
    contents = _cells([["About this inspection", "2"], ["Service information", "4"], ["The inspection outcomes", "6"]], ["", ""], first_line=1)
    grades = _cells([["Overall effectiveness", "Inadequate"], ["Capacity for improvement", "Adequate"]], ["", ""], first_line=4, table_index=1)
    dates = _cells([["19 December 2011", "Purpose of the Group"], ["14 March 2012", "Directors Report"]], ["Meeting Date", "Items discussed"], first_line=6, table_index=2)
    assert indicators_from_tables(contents + grades + dates, doc, {}) == []


def test_table_with_percent_header_and_comparator_column():
    doc = doc_of("Indicator\tPeterborough\tEngland\nRe-referrals within 12 months (%)\t21.5\t22.6\n")
    cells = _cells([["Re-referrals within 12 months (%)", "21.5", "22.6"]], ["Indicator", "Peterborough", "England"], first_line=2)
    recs = indicators_from_tables(cells, doc, {})
    la = next(r for r in recs if r["value"] == 21.5)
    eng = next(r for r in recs if r["value"] == 22.6)
    assert la["unit"] == "percent" and la["indicator_key"] == "re_referrals" and la["value_type"] == "actual"
    assert eng["value_type"] == "comparator" and eng["comparison_group"] == "england" and eng["geographic_level"] == "National"


# --------------------------------------------------------------------------------------------
# checks


def _good_record(doc):
    return extract_indicators(doc, {})[0]


def test_check_reports_each_broken_rule_with_document_page_and_line():
    doc = doc_of("Approximately 23% of the local authority's children are living in poverty.")
    good = _good_record(doc)
    assert check_indicators([good], doc) == []
    bad = [
        dict(good, value=float("nan")),
        dict(good, unit="furlongs"),
        dict(good, value=123.0),
        dict(good, evidence_text="Approximately 23% of children live in mansions."),
        dict(good, unit="count", raw_value="2015", indicator_label=""),
    ]
    problems = check_indicators(bad, doc)
    text = "\n".join(problems)
    assert "not a finite number" in text
    assert "'furlongs' is not a known unit" in text
    assert "outside 0-100" in text
    assert "not verbatim" in text
    assert "looks like a year" in text
    assert all(p.startswith("t.txt p1 l1") for p in problems)


def test_check_allows_a_percentage_change_above_100():
    doc = doc_of("Referrals rose by 120% in a year.")
    r = dict(_good_record(doc), unit="percent", value=120.0, is_change=True)
    assert check_indicators([r], doc) == []


def test_evidence_never_starts_with_a_bullet_or_formula_character():
    recs = rows("- 6 demonstrated improvements in relationships at home\n- 9 secured improved school attendance\n+ 12 families were supported")
    assert recs and all(r["evidence_text"][0] not in "-+=@•" for r in recs)


# --------------------------------------------------------------------------------------------
# seeds and corpus


def _seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} not found in {SEEDS}")
    return found[0]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_rows_pass_every_check(prefix):
    doc = read_document(_seed(prefix))
    recs = extract_indicators(doc, {"la_name": "Peterborough"})
    assert check_indicators(recs, doc) == []


def test_seed_002_council_report_kpis():
    doc = read_document(_seed("002"))
    recs = extract_indicators(doc, {"la_name": "Peterborough"})
    keyed = {(r["indicator_key"], r["value"], r["value_type"]) for r in recs}
    assert ("cla_health_assessments", 93.0, "target") in keyed
    assert ("cla_health_assessments", 88.0, "actual") in keyed
    assert ("cla_dental_checks", 76.0, "actual") in keyed
    assert ("cla_personal_education_plans", 100.0, "actual") in keyed
    assert ("cla_visits_in_timescale", 98.0, "target") in keyed
    assert ("child_protection_visits_in_timescale", 92.0, "actual") in keyed
    assert ("children_looked_after_rate", 87.0, "comparator") in keyed
    assert ("social_worker_caseload_average", 19.0, "actual") in keyed
    plans = next(r for r in recs if r["value"] == 217)
    assert plans["indicator_key"] == "child_protection_plans" and plans["period_end"] == date(2018, 10, 31)
    assert not [r for r in recs if r["value"] in (4.13, 2021.0)]  # paragraph numbers, years


def _corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} absent (needs ../shared/corpus/dev)")
    return path


def test_corpus_sif_report_information_section():
    doc = read_document(_corpus_file("peterborough_2015-09-18.pdf"))
    recs = extract_indicators(doc, {"la_name": "Peterborough", "framework": "sif"})
    assert check_indicators(recs, doc) == []
    at15 = date(2015, 3, 31)
    assert _key(recs, "children_looked_after", period_end=at15)["value"] == 354
    assert _key(recs, "children_looked_after_rate", period_end=at15)["value"] == pytest.approx(78.7)
    assert _key(recs, "child_protection_plans", period_end=at15)["value"] == 227
    assert _key(recs, "children_in_need", period_end=at15)["value"] == 1860
    assert _key(recs, "child_poverty_rate")["value"] == 23
    assert _key(recs, "adoptions", period_label="In the last 12 months")["value"] == 32
    assert _key(recs, "special_guardianship_orders")["value"] == 27
    assert _key(recs, "free_school_meals_primary", value_type="comparator")["value"] == 17


def test_corpus_every_document_passes_the_checks():
    if not CORPUS.is_dir():
        pytest.skip("corpus absent (needs ../shared/corpus/dev)")
    from pipeline.text import DocumentError

    problems = []
    for path in sorted(CORPUS.glob("*.pdf")):
        try:
            doc = read_document(path)
        except DocumentError:
            continue
        recs = extract_indicators(doc, {})
        problems += check_indicators(recs, doc)
        assert all(math.isfinite(r["value"]) for r in recs)
    assert problems == []


def test_from_x_to_y_of_a_group_labels_both_values():
    recs = rows("Over the past six months, there has been an increase from 63% to 66% of 16 to 25-year-old care leavers in education or employment.")
    assert by_raw(recs, "63%")["indicator_label"] == by_raw(recs, "66%")["indicator_label"]
    assert by_raw(recs, "66%")["indicator_key"] == "care_leavers_eet"
    assert 16 not in values(recs) and 25 not in values(recs)


def test_a_value_given_in_a_which_clause_belongs_to_the_noun_before_it():
    recs = rows("This will have an impact on the high numbers of care leavers aged 19 years and over who are NEET, which is 49%.")
    r = by_raw(recs, "49%")
    assert r["indicator_key"] == "care_leavers_neet" and "care leavers" in r["indicator_label"]


def test_a_percentage_in_brackets_after_the_group_it_describes():
    recs = rows("The vast majority of care leavers (96%) live in suitable accommodation where they feel safe.")
    assert by_raw(recs, "96%")["indicator_key"] == "care_leavers_suitable_accommodation"
    recs = rows("Care leavers who are not in education or employment (52%) are closely monitored.")
    assert by_raw(recs, "52%")["indicator_key"] == "care_leavers_neet"


@pytest.mark.parametrize(
    "text",
    [
        "The local authority is in touch with all but two of its care leavers.",
        "Most children have an up-to-date personal education plan in place, although almost one in five do not.",
        "In the year April 2014 to March 2015, many young people aged 16 or 17 became looked after.",
        "All care leavers have allocated social workers until they are 18.",
    ],
)
def test_complements_odds_and_ages_are_not_values(text):
    assert rows(text) == []


def test_periods_stated_as_a_year_ending_or_a_month_range():
    recs = rows("As a result, 99% of health assessments and 97% of dental checks were completed on time during the year ending 31 March 2017.")
    r = by_raw(recs, "99%")
    assert r["indicator_key"] == "cla_health_assessments"
    assert (r["period_start"], r["period_end"]) == (date(2016, 4, 1), date(2017, 3, 31))
    assert by_raw(recs, "97%")["indicator_key"] == "cla_dental_checks"
    recs = rows("In the year April 2014 to March 2015, 21 young people became looked after.")
    r = by_raw(recs, "21")
    assert (r["period_start"], r["period_end"]) == (date(2014, 4, 1), date(2015, 3, 31))


def test_sif_variants_glued_footnotes_none_of_whom_since_and_in_the_care_of():
    recs = rows(
        "Children living in this area\n"
        "  Approximately 56,2002children and young people under the age of 18 years\n"
        "live in the borough. This is 29% of the total population in the area.\n"
        "Children in care in this area\n"
        "  At 3 March 2015, 102 children are in the care of the local authority (a rate of 31\n"
        "per 10,000 children). This is a reduction from 107 (33 per 10,000 children) at 31\n"
        "March 2014. Of this number:\n"
        "  none live in residential special schools\n"
        "  Since 1 April 2014:\n"
        "  21 children ceased to be looked after, of whom none subsequently\n"
        "returned to be looked after\n"
    )
    assert _key(recs, "children_under_18_population")["value"] == 56200
    assert _key(recs, "children_under_18_share_of_population")["value"] == 29
    assert _key(recs, "children_looked_after", period_end=date(2015, 3, 3))["value"] == 102
    assert _key(recs, "children_looked_after_rate", period_end=date(2014, 3, 31))["value"] == 33
    assert _key(recs, "cla_in_residential_special_schools")["value"] == 0
    ceased = _key(recs, "cla_ceased")
    assert ceased["value"] == 21 and ceased["period_label"] == "Since 1 April 2014"
    assert ceased["period_start"] == date(2014, 4, 1) and ceased["period_end"] is None
    assert _key(recs, "cla_returned_after_ceasing")["value"] == 0
    assert 2 not in values(recs) and 2002 not in values(recs)


def test_differences_listed_together_are_all_changes():
    recs = rows("Children looked after out-performed their peers by 11% in mathematics, 8% in reading and 12% in writing.")
    assert [r["is_change"] for r in recs] == [True, True, True]
    recs = rows("Attainment in mathematics was 39% higher, in reading 32% higher and in writing 51% higher.")
    assert all(r["is_change"] for r in recs) and len(recs) == 3


def test_a_value_between_two_financial_years_spans_both():
    recs = rows("Between 2011–12 and 2013–14 an average of 8% of the children aged five or older leaving care were adopted, which compares favourably with the national average of 5%.")
    r = by_raw(recs, "5%")
    assert r["value_type"] == "comparator" and r["comparison_group"] == "england"
    assert (r["period_start"], r["period_end"]) == (date(2011, 4, 1), date(2014, 3, 31))


def test_ages_given_as_alternatives_are_not_values():
    assert rows("Children who are 16 or 17 and are potentially homeless receive a sensitive and timely service.") == []


# --------------------------------------------------------------------------------------------
# precision: a wrong row is worse than a missing one


def test_a_contents_list_with_wrapped_titles_gives_no_rows():
    recs = rows(
        "Contents\n"
        "Executive summary 2\n"
        "The experiences and progress of children who need help and\n"
        "protection 10\n"
        "The experiences and progress of children looked after and achieving\n"
        "permanence 15\n"
        "What the inspection judgements mean: the local authority 30\n"
        "Section 2: The effectiveness of the local safeguarding children board 31\n"
    )
    assert recs == []


@pytest.mark.parametrize(
    "text",
    [
        # the inspection's own evidence (seed 000, corpus)
        "- discussions with 65 children and young people and 21 parents and carers receiving services\n"
        "- a review of 63 referrals and case files for children and young people with a range of need.",
        "However, a sample of seven health assessments showed that children's emotional needs were not addressed sufficiently.",
        "Inspectors tracked 30 cases of which four assessments were inadequate.",
        "This builds on an audit of some 900 Children in Need cases.",
        # hypothetical values (seed 002)
        "To put this into context, if we were looking after the same number of children as the average of our "
        "statistical neighbours do, we would have 430 children and young people in care.",
        "Achieving a higher rate than around 93% becomes very difficult since some older young people in care decline a health assessment.",
        # counts of meetings, groups and leaders are not measures of a service
        "It is a two-year plan with five broad priorities.",
        "However, since 2020, significant leadership churn, including four directors of children's services (DCS) and two chief executives, has continued.",
        "The independent adoption panel chair services three Panels, each of which has its own vice-chair.",
        # a label that is only a comparison, an agent or a bare population
        "At 94.7% it is now well above the London average (88%).",
        "Between 2012 and 2015, the local authority took, on average, 501 days to place children for adoption.",
        "Established for 100 children but with 167 pupils in June 2017, it was judged to be inadequate in November 2017.",
        # ages and references written in words
        "The activity has driven attendance at level three safeguarding training by general practitioners.",
    ],
)
def test_evidence_samples_hypotheticals_and_non_measures_give_no_rows(text):
    assert rows(text) == []


def test_a_planned_number_is_a_target():
    recs = rows("Due to this success, the local authority is aiming to work with a further 470 families over the next five years.")
    assert by_raw(recs, "470")["value_type"] == "target"


def test_a_when_clause_gives_the_value_its_own_year_and_the_measure_of_the_sentence():
    recs = rows(
        "At the time of the inspection, the offending rate for children who have been looked after for a year or more "
        "stood at 2.5% for 2015–16. This is better than 2014–15 rates for England, 5%, and statistical neighbours, 8%, "
        "and a significant improvement from 2012 when Durham rates were 11.4%."
    )
    r = by_raw(recs, "11.4%")
    assert r["period_label"] == "from 2012" and r["period_start"] == date(2012, 1, 1)
    assert r["indicator_label"] == by_raw(recs, "2.5%")["indicator_label"]
    assert "offending rate" in r["indicator_label"]


def test_a_part_of_a_population_does_not_carry_the_population_key():
    recs = rows("Only six children (6.5%) were subject to child protection plans under the categories of sexual or physical abuse.")
    assert all(r["indicator_key"] != "child_protection_plans" for r in recs)
    recs = rows("At the time of inspection, 67% of the 373 children on a child protection plan were under the category of neglect.")
    assert by_raw(recs, "373")["indicator_key"] is None
    assert "neglect" in by_raw(recs, "67%")["indicator_label"]
    recs = rows("Two asylum seekers have just entered higher education.")
    assert all(r["indicator_key"] != "unaccompanied_asylum_seeking_children" for r in recs)


def test_personal_advisers_caseloads_are_not_social_workers_caseloads():
    recs = rows("Personal advisors receive regular supervision and have manageable caseloads averaging 20 young people.")
    assert all(r["indicator_key"] != "social_worker_caseload_average" for r in recs)


def test_each_item_of_a_list_keeps_its_own_subject():
    recs = rows("Of 25 cases, 28% of children returned to their parents' care, 64% to kinship arrangements and 8% to long-term foster care.")
    assert by_raw(recs, "64%")["indicator_label"] == "children returned to kinship arrangements"
    assert by_raw(recs, "8%")["indicator_label"] == "children returned to long-term foster care"
    recs = rows("However, in writing, 75% of pupils made the expected progress, which was below the national average of 81%.")
    assert by_raw(recs, "75%")["indicator_label"].endswith("in writing")
    assert by_raw(recs, "81%")["indicator_label"] == by_raw(recs, "75%")["indicator_label"]


def test_a_comparator_named_only_by_its_group_measures_what_the_sentence_before_measures():
    recs = rows(
        "As at 31 March 2014, 71% of the local authority's children looked after lived in foster care. "
        "This compared with figures of 74% for comparable authorities and 75% nationally."
    )
    assert by_raw(recs, "74%")["indicator_label"] == by_raw(recs, "71%")["indicator_label"]
    assert by_raw(recs, "74%")["comparison_group"] == "similar_areas"
    assert by_raw(recs, "75%")["comparison_group"] == "england"


def test_from_x_to_y_days_between_two_periods():
    recs = rows(
        "The average time between the local authority receiving court authority to place a child and deciding on a match "
        "with an adoptive family improved very slightly between 2010–13 and 2012–14, from 288 to 286 days. "
        "This is longer than the England average and 134 days more than the performance threshold."
    )
    a, b = by_raw(recs, "288"), by_raw(recs, "286 days")
    assert a["unit"] == b["unit"] == "days"
    assert a["period_label"] == "2010–13" and b["period_label"] == "2012–14"
    diff = by_raw(recs, "134 days")
    assert diff["is_change"] and diff["indicator_label"] == b["indicator_label"]


def test_a_value_in_brackets_after_a_clause_keeps_the_clause():
    recs = rows("132. Most care leavers who completed Year 11 school studies in 2014 are in education, training or employment (86%).")
    r = by_raw(recs, "86%")
    assert r["indicator_key"] == "care_leavers_eet" and r["period_label"] == "in 2014"


def test_ages_in_words_are_not_values():
    recs = rows("Between 2011–12 and 2013–14 an average of 8% of the children aged five or older leaving the local authority’s care were adopted.")
    assert values(recs) == [8]
    assert "aged five or older" in by_raw(recs, "8%")["indicator_label"]


def test_a_count_opening_a_sentence_counts_what_the_sentence_before_counted():
    recs = rows("The local authority operates five children’s homes. Four were judged to be good or outstanding at their most recent Ofsted inspection.")
    assert by_raw(recs, "five")["indicator_key"] == "children_homes_operated"
    assert by_raw(recs, "Four")["indicator_label"].startswith("children's homes judged to be good")


def test_the_largest_minority_ethnic_groups_are_named_in_their_labels():
    recs = rows("The largest minority ethnic groups of children and young people in the area are Asian at 6% and dual heritage at 5%.")
    assert by_raw(recs, "6%")["indicator_label"].startswith("asian (largest minority ethnic groups")
    assert by_raw(recs, "5%")["indicator_label"].startswith("dual heritage (largest minority ethnic groups")
    recs = rows("Black African (24%) and White Other (11.2%) are the largest minority ethnic groups in the school population.")
    assert by_raw(recs, "11.2%")["indicator_label"].startswith("white other (largest minority ethnic groups")


def test_respectively_assigns_comparison_groups_to_a_pair_of_durations():
    recs = rows("Average staff sickness rates are 8 days per annum with a target of 7 days, again below that of similar authorities and England as a whole (10 days and 11 days respectively).")
    assert by_raw(recs, "8 days")["value_type"] == "actual"
    assert by_raw(recs, "7 days")["value_type"] == "target"
    assert by_raw(recs, "10 days")["comparison_group"] == "similar_areas"
    assert by_raw(recs, "11 days")["comparison_group"] == "england"


def test_a_figure_whose_antecedent_gave_no_row_is_not_labelled_from_an_earlier_topic():
    recs = rows(
        "The proportion of young people who completed their programmes has risen to 82%.\n\n"
        "74. The number of looked after children who have been cautioned for, or convicted of, an offence has fallen. "
        "The figure for 2014–15 is 1%."
    )
    assert all(r["raw_value"] != "1%" for r in recs)
    recs = rows(
        "74. The number of looked after children who have been cautioned for, or convicted of, an offence has fallen. "
        "In 2010–11, 7% of looked after children had been cautioned or convicted. The figure for 2014–15 is 1%."
    )
    assert by_raw(recs, "1%")["indicator_label"] == by_raw(recs, "7%")["indicator_label"] == "looked after children cautioned or convicted"
    assert by_raw(recs, "1%")["period_label"] == "for 2014–15"


def test_a_clause_opened_by_the_number_does_not_take_the_subject_of_the_clause_before():
    recs = rows("Senior managers and health partners have also taken action to improve the completion of strengths and difficulties questionnaires, so that 100% were completed in the year ending 31 March 2017.")
    assert all("senior managers" not in r["indicator_label"] for r in recs)


def test_grades_named_with_a_digit_stay_in_the_label():
    recs = rows("The proportion sitting and achieving the easier target of at least one CCSE is high at 84% and 54% of children looked after achieve 5 A* to Gs.")
    assert "5 a to gs" in by_raw(recs, "54%")["indicator_label"]
    assert 5 not in values(recs)


@pytest.mark.parametrize(
    "text",
    [
        "An individual absence plan is completed for all pupils whose attendance falls below 85%.",
        "Practitioners have high caseloads, with practitioners seen working with 20-30 children at any one time.",
        "They are well prepared for moving to semi-independent living at 18.",
    ],
)
def test_thresholds_ranges_and_ages_are_not_values(text):
    assert rows(text) == []


def test_n_of_m_gives_the_whole_as_a_denominator():
    recs = rows("This strategy is beginning to evidence impact, with 142 of 150 posts filled on a permanent basis.")
    assert by_raw(recs, "142")["indicator_label"] == "posts filled on a permanent basis"
    assert by_raw(recs, "150")["indicator_label"] == "posts filled on a permanent basis (denominator)"
    recs = rows("Only two of the 25 pupils (8%) achieved five good GCSEs including English and mathematics.")
    assert by_raw(recs, "8%")["indicator_label"] == "pupils achieved five good gcses including english and mathematics"
    assert by_raw(recs, "25")["indicator_label"].endswith("(denominator)")


def test_a_pdf_footnote_without_a_blank_line_before_it_is_page_furniture():
    from pipeline.indicators import _page_lines, _strip_page_furniture

    page = "\n".join(
        ["Children in care are visited regularly by their social workers."] * 12
        + ["1 The areas for improvement have been agreed with the local authority.", "4"]
    )
    lines, junk = _strip_page_furniture(_page_lines(page, 0), pdf=True)
    assert [line for (line, _), j in zip(lines, junk) if j] == page.split("\n")[-2:]
    assert not any(junk[:12])
    # ... but not a line with a percentage, nor one followed by too much text to be a note
    for other in ("1 In 2024 62% of children were seen.", "12 Children " + "were seen again " * 70):
        page = "\n".join(["Children in care are visited."] * 12 + [other, "4"])
        lines, junk = _strip_page_furniture(_page_lines(page, 0), pdf=True)
        assert not junk[12] and junk[13]
