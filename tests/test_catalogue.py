"""The indicator catalogue and the classifier that assigns its keys."""

from __future__ import annotations

import re

import pytest

from pipeline.catalogue import _RULES, CATALOGUE, CATALOGUE_KEYS, classify_indicator
from pipeline.catalogue import UNIT_VOCABULARY

REQUIRED = ("indicator_key", "label", "unit", "polarity", "definition", "official_equivalent")


def test_catalogue_rows_have_exactly_the_published_columns():
    for row in CATALOGUE:
        assert tuple(row) == REQUIRED, row["indicator_key"]


def test_catalogue_keys_are_unique_snake_case():
    keys = [row["indicator_key"] for row in CATALOGUE]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in keys)


def test_catalogue_units_and_polarities_are_from_the_vocabularies():
    for row in CATALOGUE:
        assert row["unit"] in UNIT_VOCABULARY, row
        assert row["polarity"] in {"higher_is_better", "lower_is_better", "neutral"}, row
        assert row["label"] and row["definition"].endswith(".")
        assert not row["label"][:1] in "=+-@" and not row["definition"][:1] in "=+-@"


def test_every_classifier_rule_names_a_catalogue_key_and_every_key_can_be_reached():
    rule_keys = {key for key, *_ in _RULES}
    assert rule_keys <= CATALOGUE_KEYS
    assert CATALOGUE_KEYS - rule_keys == set()


def test_catalogue_covers_the_measures_the_issue_asks_for():
    wanted = {
        "children_looked_after", "children_looked_after_rate", "child_protection_plans", "child_protection_plans_rate",
        "children_in_need", "children_in_need_rate", "re_referrals", "single_assessments_in_timescale",
        "child_protection_visits_in_timescale", "cla_visits_in_timescale", "cla_health_assessments", "cla_dental_checks",
        "cla_personal_education_plans", "placement_stability_short_term", "placement_stability_long_term",
        "social_worker_caseload_average", "social_worker_vacancy_rate", "agency_social_worker_rate",
        "care_leavers_suitable_accommodation", "care_leavers_eet", "neet_young_people", "free_school_meals_primary",
        "child_poverty_rate", "children_under_18_population", "ethnic_minority_children_share", "adoptions",
        "special_guardianship_orders",
    }
    assert wanted <= CATALOGUE_KEYS


def test_national_statistics_are_named_for_the_core_measures():
    by_key = {row["indicator_key"]: row for row in CATALOGUE}
    assert "SSDA903" in by_key["children_looked_after_rate"]["official_equivalent"]
    assert "per 10,000" in by_key["children_looked_after_rate"]["official_equivalent"]
    assert "children in need census" in by_key["child_protection_plans"]["official_equivalent"]
    assert "workforce" in by_key["social_worker_vacancy_rate"]["official_equivalent"]


@pytest.mark.parametrize(
    "label, unit, sentence, key",
    [
        ("children looked after by the local authority", "count", "", "children_looked_after"),
        ("children looked after by the local authority", "rate_per_10000", "", "children_looked_after_rate"),
        ("children and young people subject of a child protection plan", "count", "", "child_protection_plans"),
        ("children and young people subject of a child protection plan", "rate_per_10000", "", "child_protection_plans_rate"),
        ("children identified through assessment as being formally in need of a specialist children's service", "count", "", "children_in_need"),
        ("children living in poverty", "percent", "", "child_poverty_rate"),
        ("children entitled to free school meals in primary schools", "percent", "", "free_school_meals_primary"),
        ("children entitled to free school meals in secondary schools", "percent", "", "free_school_meals_secondary"),
        ("children and young people with english as an additional language in primary schools", "percent", "", "eal_primary"),
        ("children looked after by the local authority living outside the local authority area", "count", "", "cla_placed_outside_la"),
        ("children looked after by the local authority living with foster families", "count", "", "cla_in_foster_care"),
        ("children becoming subject of special guardianship orders", "count", "", "special_guardianship_orders"),
        ("adoptions", "count", "", "adoptions"),
        ("children ceasing to be looked after", "count", "", "cla_ceased"),
        ("children ceasing to be looked after returned to be looked after", "percent", "", "cla_returned_after_ceasing"),
        ("referrals where a previous referral has occurred within the last 12 months", "percent", "", "re_referrals"),
        ("single assessments completed in time", "percent", "", "single_assessments_in_timescale"),
        ("visits in timescale", "percent", "Child Protection visits in timescale", "child_protection_visits_in_timescale"),
        ("visits carried out to children in care in time", "percent", "", "cla_visits_in_timescale"),
        ("children and young people in care who have had dental checks", "percent", "", "cla_dental_checks"),
        ("eligible children and young people in care who have a personal education plan", "percent", "", "cla_personal_education_plans"),
        ("children who had three or more placement moves", "percent", "", "placement_stability_short_term"),
        ("average caseload for qualified social workers across the service", "count", "", "social_worker_caseload_average"),
        ("vacancy rate", "percent", "", "social_worker_vacancy_rate"),
        ("agency workers in post as a percentage of total staffing establishment", "percent", "", "agency_social_worker_rate"),
        ("care leavers in suitable accommodation", "percent", "", "care_leavers_suitable_accommodation"),
        ("care leavers in education, employment or training", "percent", "", "care_leavers_eet"),
        ("young people NEET", "percent", "", "neet_young_people"),
        ("teenage conception rates", "rate_per_1000", "", "teenage_conception_rate"),
    ],
)
def test_classifier_assigns_the_catalogue_key(label, unit, sentence, key):
    assert classify_indicator(label, unit, sentence) == key


@pytest.mark.parametrize(
    "label, unit",
    [
        ("children looked after by the local authority", "percent"),  # the unit must fit
        ("themed audits", "count"),
        ("cases scrutinised", "count"),
        ("children in need cases reviewed in the audit", "count"),  # an audit sample, not the children in need count
        ("", "count"),
    ],
)
def test_classifier_leaves_other_measures_unclassified(label, unit):
    assert classify_indicator(label, unit, "") is None
