"""The indicator catalogue: canonical indicators that recur in children's services documents.

``CATALOGUE`` is the ``indicator_catalogue`` resource (one dict per indicator with keys
``indicator_key, label, unit, polarity, definition, official_equivalent``).
``classify_indicator(label, unit, sentence)`` gives the ``indicator_key`` of an extracted
indicator, or None when it is none of them. Rules are ordered most specific first; each needs
the unit to match and a pattern to match the label (what is measured) -- the sentence (plus any
lead-in and topic the extractor passes) only supplies context such as "looked after".
The keys of whole populations (children looked after, in need, on a child protection plan,
unaccompanied asylum-seeking children) match only labels that name the whole population:
"children subject to child protection plans under the category of neglect" is a part of it and
stays unclassified. Context can rule a key out ("personal advisers ... caseloads" are not social
workers' caseloads).
"""

from __future__ import annotations

import functools
import re

# The vocabularies of the indicators resource (published in its data dictionary). Kept here, with
# the catalogue, so that checking and publishing can read them without loading the extractors.
UNIT_VOCABULARY = {
    "count": "a number of things (children, cases, adoptions, staff)",
    "percent": "a percentage (0-100 unless is_change)",
    "percentage_points": "a difference between two percentages",
    "rate_per_10000": "per 10,000 children (of the relevant population)",
    "rate_per_1000": "per 1,000 of the relevant population",
    "rate_per_100000": "per 100,000 of the relevant population",
    "gbp": "pounds sterling",
    "days": "days (including working days)",
    "weeks": "weeks",
    "months": "months",
    "years": "years",
    "hours": "hours",
    "fte": "full-time equivalent posts or staff",
    "ratio": "a ratio",
}
COMPARISON_GROUPS = {
    "local_authority": "the authority the document is about",
    "england": "England / national average",
    "statistical_neighbours": "the authority's statistical neighbours (average)",
    "region": "the region (regional average, London, the eastern region ...)",
    "similar_areas": "similar authorities / similar areas",
    "neighbouring_authorities": "neighbouring authorities",
    "other_local_authorities": "other or many local authorities, unspecified",
    "comparators": "unspecified comparators",
}
VALUE_TYPES = ("actual", "target", "comparator")
GEOGRAPHIC_LEVELS = ("Local authority", "National", "Regional")

# Official sources the indicators correspond to (DfE / ONS / HMRC statistical releases).
_SSDA903 = "DfE Children looked after in England including adoptions (SSDA903 return)"
_CIN = "DfE Characteristics of children in need (children in need census)"
_CSWW = "DfE Children's social work workforce (children's social work workforce census)"
_SCHOOLS = "DfE Schools, pupils and their characteristics (school census, January)"
_OUTCOMES = "DfE Outcomes for children looked after by local authorities in England (SSDA903)"

CATALOGUE: list[dict] = [
    # --- the area ----------------------------------------------------------------------------
    dict(indicator_key="children_under_18_population", label="Children and young people under 18 living in the area", unit="count", polarity="neutral",
         definition="Number of children and young people aged under 18 living in the local authority area.",
         official_equivalent="ONS mid-year population estimates: population aged 0-17"),
    dict(indicator_key="children_under_18_share_of_population", label="Children under 18 as a share of the total population", unit="percent", polarity="neutral",
         definition="Children and young people aged under 18 as a percentage of the area's total population.",
         official_equivalent="ONS mid-year population estimates: population aged 0-17 / all ages"),
    dict(indicator_key="child_poverty_rate", label="Children living in poverty", unit="percent", polarity="lower_is_better",
         definition="Percentage of the local authority's children living in poverty (low-income families).",
         official_equivalent="HMRC Children in low-income families local measure / DWP Children in low income families"),
    dict(indicator_key="free_school_meals_primary", label="Pupils entitled to free school meals: primary schools", unit="percent", polarity="neutral",
         definition="Percentage of pupils in primary schools who are entitled to (known to be eligible for) free school meals.",
         official_equivalent=_SCHOOLS + ": pupils known to be eligible for free school meals, state-funded primary"),
    dict(indicator_key="free_school_meals_secondary", label="Pupils entitled to free school meals: secondary schools", unit="percent", polarity="neutral",
         definition="Percentage of pupils in secondary schools who are entitled to (known to be eligible for) free school meals.",
         official_equivalent=_SCHOOLS + ": pupils known to be eligible for free school meals, state-funded secondary"),
    dict(indicator_key="free_school_meals", label="Pupils entitled to free school meals", unit="percent", polarity="neutral",
         definition="Percentage of pupils entitled to free school meals (phase not stated).",
         official_equivalent=_SCHOOLS + ": pupils known to be eligible for free school meals"),
    dict(indicator_key="ethnic_minority_children_share", label="Children from minority ethnic groups", unit="percent", polarity="neutral",
         definition="Children and young people from minority ethnic groups as a percentage of all children living in the area (or of pupils).",
         official_equivalent="ONS Census 2011 / 2021: ethnic group by age; " + _SCHOOLS + ": pupils of minority ethnic origin"),
    dict(indicator_key="eal_primary", label="Pupils with English as an additional language: primary schools", unit="percent", polarity="neutral",
         definition="Percentage of primary school pupils whose first language is known or believed to be other than English.",
         official_equivalent=_SCHOOLS + ": pupils whose first language is other than English, primary"),
    dict(indicator_key="eal_secondary", label="Pupils with English as an additional language: secondary schools", unit="percent", polarity="neutral",
         definition="Percentage of secondary school pupils whose first language is known or believed to be other than English.",
         official_equivalent=_SCHOOLS + ": pupils whose first language is other than English, secondary"),
    dict(indicator_key="eal", label="Pupils with English as an additional language", unit="percent", polarity="neutral",
         definition="Percentage of pupils whose first language is other than English (phase not stated).",
         official_equivalent=_SCHOOLS + ": pupils whose first language is other than English"),
    # --- children in need and child protection --------------------------------------------------
    dict(indicator_key="early_help_assessments", label="Early help assessments", unit="count", polarity="neutral",
         definition="Number of early help assessments (CAF / EHA) initiated or registered.",
         official_equivalent=None),
    dict(indicator_key="referrals", label="Referrals to children's social care", unit="count", polarity="neutral",
         definition="Number of referrals to children's social care (or rate per 10,000 children).",
         official_equivalent=_CIN + ": referrals in the year"),
    dict(indicator_key="referrals_rate", label="Referrals per 10,000 children", unit="rate_per_10000", polarity="neutral",
         definition="Referrals to children's social care per 10,000 children aged under 18.",
         official_equivalent=_CIN + ": rate of referrals per 10,000 children"),
    dict(indicator_key="re_referrals", label="Re-referrals within 12 months", unit="percent", polarity="lower_is_better",
         definition="Percentage of referrals that were within 12 months of a previous referral.",
         official_equivalent=_CIN + ": re-referrals within 12 months of a previous referral"),
    dict(indicator_key="single_assessments_in_timescale", label="Assessments completed within 45 working days", unit="percent", polarity="higher_is_better",
         definition="Percentage of (single) assessments completed within 45 working days of the referral.",
         official_equivalent=_CIN + ": assessments completed within 45 working days"),
    dict(indicator_key="initial_assessments_in_timescale", label="Initial assessments completed in timescale", unit="percent", polarity="higher_is_better",
         definition="Percentage of initial assessments completed within 7 (later 10) working days (pre-2013 framework).",
         official_equivalent="DfE Referrals, assessments and children in need (CIN census, to 2012-13): initial assessments within 10 working days (former NI 59)"),
    dict(indicator_key="core_assessments_in_timescale", label="Core assessments completed in timescale", unit="percent", polarity="higher_is_better",
         definition="Percentage of core assessments completed within 35 working days (pre-2013 framework).",
         official_equivalent="DfE Referrals, assessments and children in need (CIN census, to 2012-13): core assessments within 35 working days (former NI 60)"),
    dict(indicator_key="children_in_need", label="Children in need", unit="count", polarity="neutral",
         definition="Number of children identified through assessment as in need of a specialist children's service (children in need), at a date.",
         official_equivalent=_CIN + ": children in need at 31 March"),
    dict(indicator_key="children_in_need_rate", label="Children in need per 10,000 children", unit="rate_per_10000", polarity="neutral",
         definition="Children in need per 10,000 children aged under 18.",
         official_equivalent=_CIN + ": rate of children in need per 10,000 children"),
    dict(indicator_key="child_protection_plans", label="Children subject to a child protection plan", unit="count", polarity="neutral",
         definition="Number of children who are the subject of a child protection plan, at a date.",
         official_equivalent=_CIN + ": children who were the subject of a child protection plan at 31 March"),
    dict(indicator_key="child_protection_plans_rate", label="Children subject to a child protection plan per 10,000 children", unit="rate_per_10000", polarity="neutral",
         definition="Children subject to a child protection plan per 10,000 children aged under 18.",
         official_equivalent=_CIN + ": rate of children subject to a child protection plan per 10,000 children"),
    dict(indicator_key="child_protection_plans_second_time", label="Child protection plans for a second or subsequent time", unit="percent", polarity="lower_is_better",
         definition="Percentage of children becoming the subject of a child protection plan for a second or subsequent time.",
         official_equivalent=_CIN + ": children who became the subject of a plan for a second or subsequent time"),
    dict(indicator_key="child_protection_plans_2_years_plus", label="Child protection plans lasting two years or more", unit="percent", polarity="lower_is_better",
         definition="Children subject to a child protection plan for two years or more (percentage of plans, or number).",
         official_equivalent=_CIN + ": child protection plans ceasing that lasted two years or more"),
    dict(indicator_key="child_protection_visits_in_timescale", label="Child protection visits in timescale", unit="percent", polarity="higher_is_better",
         definition="Percentage of statutory visits to children subject to a child protection plan carried out within timescale.",
         official_equivalent=None),
    dict(indicator_key="private_fostering", label="Children in private fostering arrangements", unit="count", polarity="neutral",
         definition="Number of children living in a privately arranged fostering placement known to the local authority.",
         official_equivalent="DfE Private fostering arrangements in England (to 2015)"),
    dict(indicator_key="serious_incident_notifications", label="Serious incident notifications", unit="count", polarity="neutral",
         definition="Number of serious incident notifications submitted to Ofsted in a period.",
         official_equivalent="Ofsted / DfE Serious incident notifications"),
    dict(indicator_key="serious_case_reviews", label="Serious case reviews", unit="count", polarity="neutral",
         definition="Number of serious case reviews completed or ongoing in a period.",
         official_equivalent=None),
    dict(indicator_key="unallocated_cases", label="Unallocated cases", unit="count", polarity="lower_is_better",
         definition="Number of cases awaiting allocation to a social worker.",
         official_equivalent=None),
    # --- children looked after ------------------------------------------------------------------
    dict(indicator_key="children_looked_after", label="Children looked after", unit="count", polarity="neutral",
         definition="Number of children looked after by the local authority, at a date.",
         official_equivalent=_SSDA903 + ": children looked after at 31 March"),
    dict(indicator_key="children_looked_after_rate", label="Children looked after per 10,000 children", unit="rate_per_10000", polarity="neutral",
         definition="Children looked after per 10,000 children aged under 18.",
         official_equivalent=_SSDA903 + ": children looked after at 31 March, rate per 10,000 children aged under 18"),
    dict(indicator_key="cla_placed_outside_la", label="Children looked after placed outside the local authority area", unit="count", polarity="lower_is_better",
         definition="Children looked after living outside the local authority area (number, or percentage of all children looked after).",
         official_equivalent=_SSDA903 + ": placed outside the local authority boundary"),
    dict(indicator_key="cla_placed_over_20_miles", label="Children looked after placed more than 20 miles from home", unit="percent", polarity="lower_is_better",
         definition="Children looked after placed more than 20 miles from their home address.",
         official_equivalent=_SSDA903 + ": placed more than 20 miles from home"),
    dict(indicator_key="cla_in_residential_homes", label="Children looked after living in residential children's homes", unit="count", polarity="neutral",
         definition="Children looked after living in residential children's homes.",
         official_equivalent=_SSDA903 + ": placement type secure units, children's homes and semi-independent living"),
    dict(indicator_key="cla_in_residential_special_schools", label="Children looked after living in residential special schools", unit="count", polarity="neutral",
         definition="Children looked after living in residential special schools.",
         official_equivalent=_SSDA903 + ": placement type residential schools"),
    dict(indicator_key="cla_in_foster_care", label="Children looked after living with foster families", unit="count", polarity="neutral",
         definition="Children looked after living with foster families.",
         official_equivalent=_SSDA903 + ": placement type foster placements"),
    dict(indicator_key="cla_placed_with_parents", label="Children looked after placed with parents", unit="count", polarity="neutral",
         definition="Children looked after placed with their parents.",
         official_equivalent=_SSDA903 + ": placement type placed with parents or other person with parental responsibility"),
    dict(indicator_key="unaccompanied_asylum_seeking_children", label="Unaccompanied asylum-seeking children looked after", unit="count", polarity="neutral",
         definition="Unaccompanied asylum-seeking children looked after by the local authority.",
         official_equivalent=_SSDA903 + ": unaccompanied asylum-seeking children"),
    dict(indicator_key="adoptions", label="Adoptions", unit="count", polarity="higher_is_better",
         definition="Number of children looked after who were adopted (adoption orders granted) in a period.",
         official_equivalent=_SSDA903 + ": looked after children who were adopted during the year"),
    dict(indicator_key="adopters_approved", label="Adopters approved", unit="count", polarity="higher_is_better",
         definition="Number of adopters (adoptive households) approved in a period.",
         official_equivalent="Adoption and Special Guardianship Leadership Board (ASGLB) quarterly data: adopter approvals"),
    dict(indicator_key="children_matched_for_adoption", label="Children matched for adoption", unit="count", polarity="higher_is_better",
         definition="Number of children matched with prospective adopters in a period.",
         official_equivalent="Adoption and Special Guardianship Leadership Board (ASGLB) quarterly data: children matched"),
    dict(indicator_key="adoption_timeliness_days", label="Average days between entering care and moving in with an adoptive family", unit="days", polarity="lower_is_better",
         definition="Average number of days between a child entering care and moving in with its adoptive family (adoption scorecard A1), or between placement order and match (A2).",
         official_equivalent="DfE Adoption scorecards: A1 / A2 indicators"),
    dict(indicator_key="special_guardianship_orders", label="Special guardianship orders", unit="count", polarity="neutral",
         definition="Number of children looked after who became the subject of a special guardianship order in a period.",
         official_equivalent=_SSDA903 + ": children who ceased to be looked after because of a special guardianship order"),
    dict(indicator_key="cla_ceased", label="Children ceasing to be looked after", unit="count", polarity="neutral",
         definition="Number of children who ceased to be looked after in a period.",
         official_equivalent=_SSDA903 + ": children who ceased to be looked after during the year"),
    dict(indicator_key="cla_returned_after_ceasing", label="Children returning to care after ceasing to be looked after", unit="percent", polarity="lower_is_better",
         definition="Of the children who ceased to be looked after, the percentage who subsequently returned to be looked after.",
         official_equivalent=None),
    dict(indicator_key="care_leavers_independent_living", label="Children ceasing care and moving on to independent living", unit="count", polarity="neutral",
         definition="Children and young people who ceased to be looked after and moved on to independent living in a period.",
         official_equivalent=_SSDA903 + ": reason episode ceased - moved into independent living"),
    dict(indicator_key="care_leavers_hmo", label="Children ceasing care and living in houses of multiple occupation", unit="count", polarity="lower_is_better",
         definition="Children and young people who ceased to be looked after and are living in houses of multiple occupation.",
         official_equivalent=None),
    dict(indicator_key="cla_visits_in_timescale", label="Visits to children looked after in timescale", unit="percent", polarity="higher_is_better",
         definition="Percentage of statutory visits to children looked after carried out within timescale.",
         official_equivalent=None),
    dict(indicator_key="cla_reviews_in_timescale", label="Children looked after reviews in timescale", unit="percent", polarity="higher_is_better",
         definition="Percentage of children looked after reviews held within timescale.",
         official_equivalent=None),
    dict(indicator_key="cla_health_assessments", label="Children looked after with an up-to-date health assessment", unit="percent", polarity="higher_is_better",
         definition="Percentage of children looked after (for 12 months or more) whose annual health assessment is up to date.",
         official_equivalent=_OUTCOMES + ": health assessments up to date"),
    dict(indicator_key="cla_dental_checks", label="Children looked after with up-to-date dental checks", unit="percent", polarity="higher_is_better",
         definition="Percentage of children looked after (for 12 months or more) whose teeth have been checked by a dentist.",
         official_equivalent=_OUTCOMES + ": teeth checked by a dentist"),
    dict(indicator_key="cla_personal_education_plans", label="Children looked after with a personal education plan", unit="percent", polarity="higher_is_better",
         definition="Percentage of eligible children looked after who have a (current) personal education plan.",
         official_equivalent=None),
    dict(indicator_key="placement_stability_short_term", label="Children looked after with three or more placements in the year", unit="percent", polarity="lower_is_better",
         definition="Percentage of children looked after with three or more placements during the year (short-term placement stability, former NI 62).",
         official_equivalent=_SSDA903 + ": children looked after with three or more placements during the year"),
    dict(indicator_key="placement_stability_long_term", label="Children looked after in the same placement for at least two years", unit="percent", polarity="higher_is_better",
         definition="Percentage of children looked after for 2.5 years or more (aged under 16) who have lived in the same placement for at least two years (long-term placement stability, former NI 63).",
         official_equivalent=_SSDA903 + ": long-term stability of placements"),
    dict(indicator_key="children_missing_from_care", label="Children missing from care", unit="count", polarity="lower_is_better",
         definition="Number of children looked after who went missing from care in a period.",
         official_equivalent=_SSDA903 + ": children looked after who had a missing incident"),
    dict(indicator_key="cla_gcse_5_a_c", label="Children looked after achieving five GCSEs A*-C", unit="percent", polarity="higher_is_better",
         definition="Percentage of children looked after achieving five or more GCSEs at grades A*-C (or equivalent).",
         official_equivalent=_OUTCOMES + ": key stage 4 attainment"),
    # --- care leavers and young people -----------------------------------------------------------
    dict(indicator_key="care_leavers_suitable_accommodation", label="Care leavers in suitable accommodation", unit="percent", polarity="higher_is_better",
         definition="Percentage of care leavers (aged 19-21, formerly 19) in suitable accommodation.",
         official_equivalent=_SSDA903 + ": care leavers in suitable accommodation"),
    dict(indicator_key="care_leavers_eet", label="Care leavers in education, employment or training", unit="percent", polarity="higher_is_better",
         definition="Percentage of care leavers (aged 19-21, formerly 19) in education, employment or training.",
         official_equivalent=_SSDA903 + ": care leavers in education, employment or training"),
    dict(indicator_key="care_leavers_neet", label="Care leavers not in education, employment or training", unit="percent", polarity="lower_is_better",
         definition="Percentage of care leavers not in education, employment or training.",
         official_equivalent=_SSDA903 + ": care leavers not in education, employment or training"),
    dict(indicator_key="care_leavers_pathway_plans", label="Care leavers with a pathway plan", unit="percent", polarity="higher_is_better",
         definition="Percentage of care leavers with an up-to-date pathway plan.",
         official_equivalent=None),
    dict(indicator_key="care_leavers_in_touch", label="Care leavers the local authority is in touch with", unit="percent", polarity="higher_is_better",
         definition="Percentage of care leavers with whom the local authority is in touch.",
         official_equivalent=_SSDA903 + ": care leavers the local authority is in touch with"),
    dict(indicator_key="neet_young_people", label="Young people not in education, employment or training (NEET)", unit="percent", polarity="lower_is_better",
         definition="Percentage of young people (16-17 or 16-18) not in education, employment or training.",
         official_equivalent="DfE Participation in education, training and employment: NEET and activity not known (16-17 year olds)"),
    dict(indicator_key="first_time_entrants_youth_justice", label="First time entrants to the youth justice system", unit="rate_per_100000", polarity="lower_is_better",
         definition="Young people aged 10-17 receiving their first reprimand, warning or conviction (rate per 100,000).",
         official_equivalent="MoJ Youth justice statistics: first time entrants"),
    dict(indicator_key="teenage_conception_rate", label="Under-18 conception rate", unit="rate_per_1000", polarity="lower_is_better",
         definition="Conceptions to women aged under 18 per 1,000 women aged 15-17.",
         official_equivalent="ONS Conceptions in England and Wales: under-18 conception rate per 1,000 women aged 15-17"),
    dict(indicator_key="care_proceedings_within_26_weeks", label="Care proceedings completed within 26 weeks", unit="percent", polarity="higher_is_better",
         definition="Percentage of care proceedings completed within 26 weeks.",
         official_equivalent="MoJ Family court statistics / Cafcass: care proceedings disposal within 26 weeks"),
    dict(indicator_key="care_proceedings_duration_weeks", label="Average duration of care proceedings", unit="weeks", polarity="lower_is_better",
         definition="Average duration of care proceedings, in weeks.",
         official_equivalent="MoJ Family court statistics: average time to disposal of public law cases"),
    # --- workforce ------------------------------------------------------------------------------
    dict(indicator_key="social_worker_caseload_average", label="Average social worker caseload", unit="count", polarity="lower_is_better",
         definition="Average number of cases held by a (qualified) social worker.",
         official_equivalent=_CSWW + ": average caseload of children and family social workers"),
    dict(indicator_key="social_worker_vacancy_rate", label="Social worker vacancy rate", unit="percent", polarity="lower_is_better",
         definition="Vacant social worker posts as a percentage of all posts.",
         official_equivalent=_CSWW + ": vacancy rate (FTE)"),
    dict(indicator_key="agency_social_worker_rate", label="Agency social worker rate", unit="percent", polarity="lower_is_better",
         definition="Agency (locum) social workers as a percentage of the social work workforce.",
         official_equivalent=_CSWW + ": agency worker rate (FTE)"),
    dict(indicator_key="agency_social_workers", label="Agency social workers", unit="count", polarity="lower_is_better",
         definition="Number of agency (locum) social workers in post.",
         official_equivalent=_CSWW + ": agency workers (FTE)"),
    dict(indicator_key="social_worker_turnover_rate", label="Social worker turnover rate", unit="percent", polarity="lower_is_better",
         definition="Social workers leaving in the year as a percentage of social workers in post.",
         official_equivalent=_CSWW + ": turnover rate (FTE)"),
    dict(indicator_key="social_workers_in_post", label="Social workers in post", unit="count", polarity="neutral",
         definition="Number (or FTE) of social workers in post.",
         official_equivalent=_CSWW + ": children and family social workers (FTE)"),
    dict(indicator_key="staff_sickness_days", label="Staff sickness absence", unit="days", polarity="lower_is_better",
         definition="Average days of sickness absence per member of staff per year.",
         official_equivalent=_CSWW + ": absence rate"),
    # --- other ----------------------------------------------------------------------------------
    dict(indicator_key="children_homes_operated", label="Children's homes operated by the local authority", unit="count", polarity="neutral",
         definition="Number of children's homes the local authority operates.",
         official_equivalent="Ofsted Children's social care data in England: children's homes by provider type"),
    dict(indicator_key="children_educated_at_home", label="Children educated at home", unit="count", polarity="neutral",
         definition="Number of children electively educated at home.",
         official_equivalent="DfE Elective home education"),
    dict(indicator_key="children_missing_from_home", label="Children missing from home", unit="count", polarity="lower_is_better",
         definition="Number of children reported missing from home in a period.",
         official_equivalent=None),
]

CATALOGUE_KEYS = {row["indicator_key"] for row in CATALOGUE}

# --------------------------------------------------------------------------------------------
# classification rules: (key, units, label pattern, context pattern or None, exclusion pattern or None)

_PCT = {"percent"}
_CNT = {"count"}
_CNT_FTE = {"count", "fte"}
_RATE = {"rate_per_10000"}
_CNT_PCT = {"count", "percent"}

_LAC = r"(?:looked[\s-]after|in\s+care|\bcla\b|\blac\b|\bcic\b|children\s+we\s+look\s+after)"

_RULES: list[tuple[str, set[str], str, str | None, str | None]] = [
    # area
    ("children_under_18_share_of_population", _PCT, r"(?:total|whole|overall)\s+population|of\s+the\s+population", r"under\s+(?:the\s+age\s+of\s+)?18|children", None),
    ("children_under_18_population", _CNT, r"(?:children|young\s+people).*under\s+(?:the\s+age\s+of\s+)?18|under[\s-]18s?\b.*(?:population|children)|child\s+population", None, r"plan|looked|care\b|need"),
    ("child_poverty_rate", _PCT, r"poverty|low[\s-]income", None, None),
    ("free_school_meals_primary", _PCT, r"free\s+school\s+meals.*primary|primary.*free\s+school\s+meals|\bfsm\b.*primary", None, None),
    ("free_school_meals_secondary", _PCT, r"free\s+school\s+meals.*secondary|secondary.*free\s+school\s+meals|\bfsm\b.*secondary", None, None),
    ("free_school_meals", _PCT, r"free\s+school\s+meals|\bfsm\b", None, None),
    ("eal_primary", _PCT, r"(?:english\s+as\s+an\s+additional\s+language|\beal\b).*primary|primary.*(?:english\s+as\s+an\s+additional|\beal\b)", None, None),
    ("eal_secondary", _PCT, r"(?:english\s+as\s+an\s+additional\s+language|\beal\b).*secondary|secondary.*(?:english\s+as\s+an\s+additional|\beal\b)", None, None),
    ("eal", _PCT, r"english\s+as\s+an\s+additional\s+language|\beal\b|first\s+language\s+is\s+not\s+english", None, None),
    ("ethnic_minority_children_share", _PCT, r"minority\s+ethnic|ethnic\s+minorit|\bbme\b|\bbame\b|black,?\s+asian", None, r"adopt|largest|group\s+of\s+pupils\s+is"),
    # workforce
    ("social_worker_vacancy_rate", _PCT, r"vacanc", None, None),
    ("agency_social_worker_rate", _PCT, r"agency\s+(?:social\s+)?(?:workers?|staff|social\s+work|practitioners)|locum|interim\s+(?:staff|workers)|use\s+of\s+agency", None, None),
    ("agency_social_workers", _CNT_FTE, r"agency\s+(?:social\s+)?(?:workers|staff)|locum", None, None),
    ("social_worker_turnover_rate", _PCT, r"turnover", None, None),
    ("staff_sickness_days", {"days"}, r"sickness|staff\s+absence|absence\s+(?:rate|days)", None, r"persistent|pupils|children|school"),
    ("social_worker_caseload_average", _CNT, r"caseloads?", r"average|mean|typical|per\s+(?:social\s+)?worker", r"personal\s+advis|reviewing\s+officer|\biros?\b|chairs?\b"),
    ("social_workers_in_post", _CNT_FTE, r"social\s+workers?\s+in\s+post|permanent\s+(?:social\s+work\s+)?staff\s+in\s+post", None, None),
    # child protection
    ("child_protection_plans_second_time", _CNT_PCT, r"second\s+or\s+subsequent|repeat\s+(?:child\s+protection\s+)?plans?", None, None),
    ("child_protection_plans_2_years_plus", _CNT_PCT, r"(?:two|2)\s+years\s+or\s+(?:more|longer)|(?:longer|more)\s+than\s+(?:two|2)\s+years|for\s+(?:two|2)\s+years", r"plan", None),
    ("child_protection_visits_in_timescale", _PCT, r"visits?", r"child\s+protection|\bcp\b|protection\s+plan", _LAC),
    ("child_protection_plans_rate", _RATE, r"child\s+protection\s+plan|subject\s+(?:to|of)\s+(?:a\s+)?(?:child\s+protection\s+)?plans?|\bcpp\b", None, r"second|subsequent|two\s+years|2\s+years|categor|abuse|neglect"),
    # the whole population only: "children subject to child protection plans under the category of neglect" is a part of it
    ("child_protection_plans", _CNT, r"^(?:(?:children|young\s+people)(?:\s+and\s+young\s+people)?\s+(?:who\s+(?:are|were)\s+)?(?:(?:the\s+)?subjects?\s+(?:to|of)|on)\s+(?:a\s+)?|(?:(?:the\s+)?subjects?\s+(?:to|of)\s+(?:a\s+)?))?(?:child\s+protection|cp)\s+plans?(?:\s+by\s+the\s+(?:local\s+)?authority)?$|^cpps?$|^(?:children|young\s+people)(?:\s+and\s+young\s+people)?\s+(?:(?:the\s+)?subjects?\s+(?:to|of)|on)\s+(?:a\s+)?plans?$", None, None),
    ("private_fostering", _CNT, r"privately\s+arranged\s+fost|private(?:ly)?\s+fost", None, None),
    ("serious_incident_notifications", _CNT, r"serious\s+incident\s+notification", None, None),
    ("serious_case_reviews", _CNT, r"serious\s+case\s+reviews?", None, None),
    ("re_referrals", _PCT, r"re-?referrals?|repeat\s+referrals?|previous\s+referral", None, None),
    ("referrals_rate", _RATE, r"referrals?", None, r"re-?referral"),
    ("referrals", _CNT, r"^(?:new\s+)?referrals?(?:\s+(?:received|to\s+children's\s+social\s+care))?$|number\s+of\s+referrals", None, r"re-?referral"),
    ("single_assessments_in_timescale", _PCT, r"(?:single\s+)?assessments?.*(?:within|in)\s+(?:timescale|time|45|the\s+target)|(?:timeliness|timely).*assessments?|assessments?.*(?:on\s+time|timely)", r"single|45|assessment", r"initial|core|health|dental|early\s+help|caf\b"),
    ("initial_assessments_in_timescale", _PCT, r"initial\s+assessments?.*(?:timescale|time|within|days)|(?:timeliness|timely).*initial\s+assessments?", None, None),
    ("core_assessments_in_timescale", _PCT, r"core\s+assessments?.*(?:timescale|time|within|days)|(?:timeliness|timely).*core\s+assessments?", None, None),
    ("early_help_assessments", _CNT, r"early\s+help\s+assessments?|\bcafs?\b|common\s+assessment", None, None),
    ("children_in_need_rate", _RATE, r"in\s+need|\bcin\b", None, None),
    ("children_in_need", _CNT, r"formally\s+in\s+need\s+of\s+a\s+specialist\s+children's\s+service$|^(?:open\s+)?child(?:ren)?\s+in\s+need(?:\s+cases)?(?:\s+open\s+to\s+(?:children's\s+)?social\s+care)?$", None, r"plan|audit|review|sample"),
    ("unallocated_cases", _CNT, r"unallocated|awaiting\s+allocation|not\s+(?:yet\s+)?allocated", None, None),
    # children looked after: placement details first
    ("unaccompanied_asylum_seeking_children", _CNT, r"unaccompanied\s+asylum[\s-]seek(?:ing|ers)(?:\s+(?:children|young\s+people|minors))?$", None, None),
    ("cla_placed_over_20_miles", _CNT_PCT, r"(?:more\s+than|over|beyond)\s+20\s+miles|20\s+miles", None, r"within\s+20"),
    ("cla_in_residential_special_schools", _CNT, r"residential\s+special\s+schools?", None, r"of\s+whom|outside|out\s+of"),
    ("cla_in_residential_homes", _CNT, r"residential\s+(?:children's\s+)?homes?|children's\s+homes?", _LAC, r"of\s+whom|outside|out\s+of|operat|judged"),
    ("cla_in_foster_care", _CNT, r"(?:live|living|lived|placed)\s+(?:with\s+)?foster\s+(?:families|carers|care|placements)", None, r"of\s+whom|outside|out\s+of"),
    ("cla_placed_with_parents", _CNT, r"(?:live|living|lived|placed)\s+with\s+(?:their\s+)?parents", None, r"of\s+whom|outside|out\s+of"),
    ("cla_placed_outside_la", _CNT_PCT, r"(?:live|living|lived|placed)\s+(?:outside|out\s+of)\s+(?:the\s+)?(?:local\s+authority|authority|borough|county|city|area)", None, r"residential|foster|parents|special\s+school|of\s+whom|pupils|excluded|school"),
    ("special_guardianship_orders", _CNT, r"special\s+guardianship|\bsgos?\b", None, None),
    ("care_leavers_hmo", _CNT, r"multiple\s+occupation", None, None),
    ("care_leavers_independent_living", _CNT, r"independent\s+living", None, None),
    ("cla_returned_after_ceasing", _CNT_PCT, r"ceas\w+\s+to\s+be\s+(?:looked\s+after|in\s+care).*return|subsequently\s+returned|returned\s+to\s+(?:be\s+looked\s+after|care)", None, None),
    ("cla_ceased", _CNT, r"ceas\w+\s+to\s+be\s+(?:looked\s+after|in\s+care)|left\s+care", None, r"return|independent|multiple|special\s+guardianship|adopt"),
    ("adopters_approved", _CNT, r"adopters?\s+(?:households?\s+)?approved|approved\s+adopters|adoptive\s+(?:families|households)\s+approved", None, r"waiting|awaiting|not\s+(?:yet\s+)?matched"),
    ("children_matched_for_adoption", _CNT, r"^(?:children\s+)?matched", r"adopt", r"not\s+matched"),
    ("adoption_timeliness_days", {"days"}, r"adopt|placement\s+order|entering\s+care", None, None),
    ("adoptions", _CNT, r"^(?:the\s+)?(?:number\s+of\s+)?adoptions?(?:\s+orders?)?(?:\s+(?:made|granted|completed))?$|children\s+(?:were\s+)?adopted|adoption\s+orders?", None,
     r"approved|matched|scorecard|waited|through\s+this|process|fostering\s+for|foster\s+to\s+adopt|aged|older|over\s+the\s+age|siblings|brothers|disabilit|black|ethnic"),
    ("cla_visits_in_timescale", _PCT, r"visits?", _LAC, r"protection\s+plan"),
    ("cla_reviews_in_timescale", _PCT, r"reviews?\b.*(?:timescale|time|timely)|(?:timely|on\s+time).*reviews?", _LAC, r"health|dental"),
    ("cla_health_assessments", _PCT, r"health\s+assessments?|health\s+checks?", None, r"dental|teeth|not\s+(?:available|completed|done|up\s+to\s+date|on\s+time)|without|overdue|late\b|out\s+of\s+date|emotional"),
    ("cla_dental_checks", _PCT, r"dental|teeth|dentist", None, r"medical|immunis"),
    ("cla_personal_education_plans", _PCT, r"personal\s+education\s+plans?|\bpeps?\b", None, None),
    ("placement_stability_short_term", _PCT, r"three\s+or\s+more\s+(?:placement|placements|moves)|3\s+or\s+more\s+(?:placement|moves)|short[\s-]term\s+(?:placement\s+)?stability", None, None),
    ("placement_stability_long_term", _PCT, r"long(?:er)?[\s-]term\s+(?:placement\s+)?stability|same\s+placement\s+for\s+(?:at\s+least\s+)?(?:two|2)\s+years", None, None),
    ("children_missing_from_care", _CNT, r"missing\s+from\s+care|(?:looked\s+after|in\s+care)\b.*\b(?:going|went|gone)\s+missing", None, r"home\s+(?:or|and)\s+care|education"),
    ("children_missing_from_home", _CNT, r"missing(?:\s+from\s+home)?$|missing\s+from\s+home", None, r"care|looked\s+after|education"),
    ("cla_gcse_5_a_c", _PCT, r"five\s+(?:or\s+more\s+)?(?:a\*?\s*-\s*c|good)\s+gcses?|five\s+gcses|5\s+(?:or\s+more\s+)?(?:a\*?-c|good)\s+gcses?", _LAC, None),
    ("children_looked_after_rate", _RATE, r"looked[\s-]after|in\s+care|in\s+the\s+care\s+of|\bcla\b|\blac\b", None, None),
    ("children_looked_after", _CNT, r"^(?:the\s+)?(?:number\s+of\s+)?(?:children(?:\s+and\s+young\s+people)?\s+(?:being\s+|were\s+|are\s+)?looked[\s-]after(?:\s+by\s+the\s+(?:local\s+)?(?:authority|council|la))?|children(?:\s+and\s+young\s+people)?\s+in\s+the\s+care\s+of\s+the\s+(?:local\s+)?(?:authority|council|la)|looked[\s-]after\s+children(?:\s+and\s+young\s+people)?|children(?:\s+and\s+young\s+people)?\s+in\s+care|lac\s+population|cla|lac|children\s+we\s+look\s+after)$", None, None),
    # care leavers and young people
    ("care_leavers_suitable_accommodation", _PCT, r"suitable\s+accommodation", None, r"not\s+in\s+suitable|unsuitable"),
    ("care_leavers_neet", _PCT, r"(?:care\s+leavers?|former\s+relevant|care\s+experienced).*(?:not\s+in\s+(?:education|employment)|\bneet\b)|(?:\bneet\b|not\s+in\s+education).*(?:care\s+leavers?|former\s+relevant)", None, None),
    ("care_leavers_eet", _PCT, r"(?:care\s+leavers?|former\s+relevant|care\s+experienced).*(?:in\s+(?:education|employment|training)|\beet\b)|(?:\beet\b|education,\s+employment\s+(?:and|or)\s+training).*(?:care\s+leavers?|former\s+relevant)", None, r"\bneet\b|not\s+in"),
    ("care_leavers_pathway_plans", _PCT, r"pathway\s+plans?", None, None),
    ("care_leavers_in_touch", _PCT, r"in\s+touch", r"care\s+leavers?", None),
    ("neet_young_people", _PCT, r"\bneet\b|not\s+in\s+education,\s+employment\s+or\s+training", None, r"care\s+leaver|former\s+relevant|care\s+experienced|looked\s+after|in\s+care"),
    ("first_time_entrants_youth_justice", {"rate_per_100000", "count", "rate_per_10000"}, r"first[\s-]time\s+entrants", None, None),
    ("teenage_conception_rate", {"rate_per_1000"}, r"conception|pregnan", None, None),
    ("care_proceedings_within_26_weeks", _PCT, r"within\s+26\s+weeks|26[\s-]week", r"proceedings|court", None),
    ("care_proceedings_duration_weeks", {"weeks"}, r"proceedings", None, None),
    ("children_homes_operated", _CNT, r"children's\s+homes", r"operat|runs?\b|own", r"live|living|lived"),
    ("children_educated_at_home", _CNT, r"educated\s+at\s+home|elective\s+home\s+education|home[\s-]educated", None, None),
]
_COMPILED = [
    (key, units, re.compile(lab, re.I), re.compile(ctx, re.I) if ctx else None, re.compile(exc, re.I) if exc else None)
    for key, units, lab, ctx, exc in _RULES
]
assert all(key in CATALOGUE_KEYS for key, *_ in _RULES), [k for k, *_ in _RULES if k not in CATALOGUE_KEYS]

# context that rules a key out whatever the label says ("Personal advisers ... have manageable
# caseloads averaging 20 young people" is not the social workers' caseload)
_CTX_EXCLUDE = {
    "social_worker_caseload_average": re.compile(r"personal\s+advis|reviewing\s+officers?|\biros?\b|\bpas\b", re.I),
}

_NORM = re.compile(r"[\u2018\u2019`]")


# the rules (their indices, in order) for each unit
_RULES_BY_UNIT: dict[str, tuple[int, ...]] = {
    unit: tuple(i for i, (_, units, *_) in enumerate(_COMPILED) if unit in units)
    for unit in {u for _, units, *_ in _COMPILED for u in units}
}


@functools.lru_cache(maxsize=8192)
def _label_rules(lab: str, unit: str) -> tuple[int, ...]:
    """The rules (in order) whose unit and label patterns fit: labels recur, so this is cached."""
    out = []
    for i in _RULES_BY_UNIT.get(unit, ()):
        _, _, lab_re, _, exc_re = _COMPILED[i]
        if lab_re.search(lab) and not (exc_re is not None and exc_re.search(lab)):
            out.append(i)
    return tuple(out)


def classify_indicator(label: str, unit: str, sentence: str = "") -> str | None:
    """The catalogue key of an indicator measured in ``unit`` and described by ``label``
    (``sentence`` gives context: the sentence, lead-in or heading around it), or None."""
    if not label:
        return None
    lab = _NORM.sub("'", label.lower()).strip()
    rules = _label_rules(lab, unit)
    if not rules:
        return None
    ctx = _NORM.sub("'", f"{label} {sentence}".lower())
    for idx in rules:
        key, units, lab_re, ctx_re, exc_re = _COMPILED[idx]
        if ctx_re is not None and not ctx_re.search(ctx):
            continue
        ctx_exc = _CTX_EXCLUDE.get(key)
        if ctx_exc is not None and ctx_exc.search(ctx):
            continue
        return key
    return None
