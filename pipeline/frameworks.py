"""Ofsted inspection frameworks: their grade scales and judgement areas (the one place these facts live).

The same grade number means different things in different frameworks ("Grade 2" is adequate in a
2007 APA letter and good in a 2010 safeguarding inspection), so a grade is always read on the
scale of the framework its document belongs to.

Public: ``FRAMEWORKS`` (key -> Framework with its scale), ``scale_rows()`` (the grade_scales
resource), ``harmonise_word`` / ``harmonise_number``, ``rejoin_grade_words`` (grade words split by PDF
spacing, "Require s improvement", made whole), ``scale_word(framework, n)`` (the word a
number stands for), ``scale_number``, ``grade_scale(framework)``, ``SERVICE_VOCABULARY`` and
``AREA_VOCABULARY`` (key -> {label, description, frameworks}: the one vocabulary for the
judgements table's ``service`` and ``judgement_area_key``), ``PARENT_AREAS`` / ``parent_area``
(sub-judgements) and ``area_vocabulary_rows()`` (rows for the data dictionary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HARMONISED = {
    1: "outstanding",
    2: "good",
    3: "requires_improvement_or_adequate",
    4: "inadequate",
}
HARMONISED_RANK = {v: k for k, v in HARMONISED.items()}

SCALE_4_HIGH = "outstanding_4_to_inadequate_1"  # 4 outstanding, 3 good, 2 adequate, 1 inadequate
SCALE_1_HIGH = "outstanding_1_to_inadequate_4"  # 1 outstanding, 2 good, 3 adequate, 4 inadequate
SCALE_WORDS = "words_outstanding_to_inadequate"  # words only, "requires improvement (to be good)"


@dataclass(frozen=True)
class Framework:
    key: str
    label: str
    years: str
    grade_scale: str | None  # None: the framework does not grade
    grades: tuple[tuple[int | None, str, str], ...] = ()  # (number, word as the framework prints it, harmonised)


_ADEQUATE_4_HIGH = (
    (4, "Outstanding", "outstanding"),
    (3, "Good", "good"),
    (2, "Adequate", "requires_improvement_or_adequate"),
    (1, "Inadequate", "inadequate"),
)
_ADEQUATE_1_HIGH = (
    (1, "Outstanding", "outstanding"),
    (2, "Good", "good"),
    (3, "Adequate", "requires_improvement_or_adequate"),
    (4, "Inadequate", "inadequate"),
)
_WORDS = (
    (None, "Outstanding", "outstanding"),
    (None, "Good", "good"),
    (None, "Requires improvement to be good", "requires_improvement_or_adequate"),
    (None, "Inadequate", "inadequate"),
)

FRAMEWORKS: dict[str, Framework] = {
    f.key: f
    for f in (
        Framework("jar", "Joint area review", "2005-2009", SCALE_4_HIGH, _ADEQUATE_4_HIGH),
        Framework("apa", "Annual performance assessment", "2005-2008", SCALE_4_HIGH, _ADEQUATE_4_HIGH),
        Framework(
            "safeguarding_lac",
            "Inspection of safeguarding and looked after children services",
            "2009-2012",
            SCALE_1_HIGH,
            _ADEQUATE_1_HIGH,
        ),
        Framework(
            "unannounced_cra",
            "Unannounced inspection of contact, referral and assessment arrangements",
            "2009-2013",
            None,
        ),
        Framework("lac_2012", "Inspection of looked after children services", "2012-2013", SCALE_1_HIGH, _ADEQUATE_1_HIGH),
        Framework(
            "cp_2012",
            "Inspection of local authority arrangements for the protection of children",
            "2012-2013",
            SCALE_1_HIGH,
            _ADEQUATE_1_HIGH,
        ),
        Framework(
            "sif",
            "Single inspection framework: children in need of help and protection, children looked after "
            "and care leavers, and review of the Local Safeguarding Children Board",
            "2013-2018",
            SCALE_WORDS,
            _WORDS,
        ),
        Framework(
            "ilacs", "Inspection of local authority children's services", "2018-", SCALE_WORDS, _WORDS
        ),
        Framework("ilacs_focused_visit", "ILACS focused visit", "2018-", None),
        Framework("ilacs_monitoring_visit", "ILACS monitoring visit", "2018-", None),
    )
}


def scale_rows() -> list[dict]:
    """Rows of the ``grade_scales`` reference resource."""
    rows = []
    for fw in FRAMEWORKS.values():
        for number, word, harmonised in fw.grades:
            rows.append(
                {
                    "framework": fw.key,
                    "framework_label": fw.label,
                    "grade_scale": fw.grade_scale,
                    "grade_number": number,
                    "grade": word,
                    "harmonised_grade": harmonised,
                    "harmonised_rank": HARMONISED_RANK[harmonised],
                }
            )
    return rows


# Grade words as printed, as regular-expression sources (one place for every reader):
#: a grade phrase of the Ofsted word scales; ``\s+`` lets it run over a line break.
GRADE_PHRASE = r"(?:requires?\s+improvement(?:\s+to\s+be\s+good)?|outstanding|good|inadequate|adequate)"
#: the same, also when PDF spacing splits a word before its last letter(s) ("Require s improvement",
#: "Goo d"); readers of running text use this one and rejoin the word (``rejoin_grade_words``).
GRADE_PRINTED = (
    r"(?i:outstandin\s?g|inadequat\s?e|adequat\s?e|goo\s?d"
    r"|requir(?:e\s?s|\s?es|e)\s+improvement(?:\s+to\s+be\s+goo\s?d)?)"
)

_WORD_PATTERNS = (
    (re.compile(r"outstanding", re.I), "outstanding"),
    (re.compile(r"inadequate", re.I), "inadequate"),
    (re.compile(r"requires?\s*improvement|adequate|satisfactory", re.I), "requires_improvement_or_adequate"),
    (re.compile(r"good", re.I), "good"),
)


# a grade word split by PDF spacing before its last letter(s): "Require s", "Inadequat e", "Outstandin g"
_SPLIT_GRADE_WORD = re.compile(r"(?i)\b(?:require\ss|requir\ses?|outstandin\sg|inadequat\se|adequat\se|goo\sd)\b")


def rejoin_grade_words(text: str) -> str:
    """``text`` with grade words split by PDF spacing rejoined ("Require s improvement" -> "Requires improvement")."""
    return _SPLIT_GRADE_WORD.sub(lambda m: re.sub(r"\s", "", m.group(0)), text)


def harmonise_word(word: str) -> str | None:
    """The harmonised grade of a grade word ("Requires improvement to be good" -> requires_improvement_or_adequate)."""
    compact = rejoin_grade_words(re.sub(r"\s+", " ", word).strip())
    for pattern, harmonised in _WORD_PATTERNS:
        if pattern.search(compact):
            return harmonised
    return None


def _grades(framework: str) -> tuple[tuple[int | None, str, str], ...]:
    """The (number, word, harmonised) grades of ``framework``'s scale; none for an unknown framework."""
    fw = FRAMEWORKS.get(framework)
    return fw.grades if fw is not None else ()


def harmonise_number(framework: str, number: int) -> str | None:
    """The harmonised grade of a grade number on ``framework``'s scale; None if it has no such number."""
    return next((h for n, _word, h in _grades(framework) if n == number), None)


def scale_word(framework: str, number: int) -> str | None:
    """The grade word that ``number`` stands for on ``framework``'s scale ("apa", 2 -> "Adequate")."""
    return next((word for n, word, _h in _grades(framework) if n == number), None)


def scale_number(framework: str, harmonised: str) -> int | None:
    """The grade number a harmonised grade has on ``framework``'s scale (None for word-only scales)."""
    return next((n for n, _word, h in _grades(framework) if h == harmonised), None)


def grade_scale(framework: str | None) -> str | None:
    """The scale constant of ``framework`` (None for ungraded or unknown frameworks)."""
    fw = FRAMEWORKS.get(framework or "")
    return fw.grade_scale if fw else None


# ---------------------------------------------------------------------------------------------
# Services and judgement areas: the one vocabulary for ``service``, ``judgement_area_key`` and
# ``parent_area_key`` in the judgements table. The same key means the same judgement wherever it
# is printed; ``frameworks`` lists the frameworks that grade it.
# ---------------------------------------------------------------------------------------------

SERVICE_VOCABULARY: dict[str, dict] = {
    "children_services": {
        "label": "Children's services",
        "description": "The local authority's children's services as a whole (APA, JAR, SIF and ILACS "
        "judgements, and the judgements of their parts).",
    },
    "safeguarding": {
        "label": "Safeguarding services",
        "description": "Services to safeguard and protect children: the safeguarding half of a 2009-2012 "
        "safeguarding and looked after children inspection, and the 2012-2013 inspections of arrangements "
        "for the protection of children.",
    },
    "looked_after_children": {
        "label": "Services for looked after children",
        "description": "Services for looked after children and care leavers: the looked after children half "
        "of a 2009-2012 safeguarding and looked after children inspection, and the 2012-2013 inspections of "
        "services for looked after children.",
    },
    "lscb": {
        "label": "Local Safeguarding Children Board",
        "description": "The Local Safeguarding Children Board, reviewed alongside (or apart from) a single "
        "inspection framework inspection, 2013-2018.",
    },
}

_ECM = ("apa", "jar", "safeguarding_lac")


def _area(label: str, description: str, frameworks: tuple[str, ...]) -> dict:
    return {"label": label, "description": description, "frameworks": list(frameworks)}


AREA_VOCABULARY: dict[str, dict] = {
    # -- headline judgements -------------------------------------------------------------------
    "overall_effectiveness": _area(
        "Overall effectiveness",
        "The headline judgement of an inspection or assessment: overall effectiveness of children's "
        "services (APA; SIF headline 'Children's services in X are ...'; ILACS until April 2026) or of "
        "one service (safeguarding or looked after children services, 2009-2013).",
        ("apa", "jar", "safeguarding_lac", "lac_2012", "cp_2012", "sif", "ilacs"),
    ),
    "capacity_to_improve": _area(
        "Capacity to improve",
        "Capacity to improve / capacity for improvement (APA: 'capacity to improve, including the "
        "management of children's services'; JAR; safeguarding and looked after children inspections).",
        ("apa", "jar", "safeguarding_lac", "lac_2012", "cp_2012"),
    ),
    # -- single inspection framework and ILACS ---------------------------------------------------
    "help_and_protection": _area(
        "Children who need help and protection",
        "The experiences and progress of children who need help and protection (SIF judgement 1; ILACS).",
        ("sif", "ilacs"),
    ),
    "children_looked_after": _area(
        "Children looked after and achieving permanence",
        "SIF judgement 2: the experiences and progress of children looked after and achieving "
        "permanence (parent of adoption performance and care leavers).",
        ("sif",),
    ),
    "adoption_performance": _area(
        "Adoption performance",
        "SIF judgement 2.1, a sub-judgement of children looked after and achieving permanence.",
        ("sif",),
    ),
    "care_leavers": _area(
        "Care leavers",
        "The experiences and progress of care leavers: SIF judgement 2.2 (under children looked after) and, "
        "from 2023, a separate ILACS judgement.",
        ("sif", "ilacs"),
    ),
    "leadership_management_governance": _area(
        "Leadership, management and governance",
        "SIF judgement 3.",
        ("sif",),
    ),
    "lscb_effectiveness": _area(
        "Effectiveness of the Local Safeguarding Children Board",
        "The review of the effectiveness of the Local Safeguarding Children Board (service lscb), printed "
        "with a SIF inspection or as a stand-alone review.",
        ("sif",),
    ),
    "impact_of_leaders": _area(
        "Impact of leaders on social work practice",
        "ILACS: the impact of leaders on social work practice with children and families.",
        ("ilacs",),
    ),
    "children_in_care": _area(
        "Children in care",
        "ILACS: the experiences and progress of children in care. To 2022 one judgement covered children in "
        "care and care leavers ('children in care and care leavers'); from 2023 care leavers are judged "
        "separately (care_leavers). Ofsted's own outcome tables keep both in one column; judgement_area "
        "shows which wording was printed.",
        ("ilacs",),
    ),
    # -- 2012-2013 child protection / looked after children inspections ------------------------
    "effectiveness_of_help_and_protection": _area(
        "Effectiveness of help and protection",
        "2012-2013 protection of children inspections: the effectiveness of the help and protection "
        "provided to children, young people, families and carers.",
        ("cp_2012",),
    ),
    "quality_of_practice": _area(
        "Quality of practice",
        "2012-2013 inspections: the quality of practice.",
        ("cp_2012", "lac_2012"),
    ),
    "leadership_and_governance": _area(
        "Leadership and governance",
        "2012-2013 inspections: leadership and governance.",
        ("cp_2012", "lac_2012"),
    ),
    # -- 2009-2012 safeguarding and looked after children inspections --------------------------
    "outcomes_for_children": _area(
        "Outcomes for children and young people",
        "Outcomes for children and young people (safeguarding and looked after children inspections): "
        "parent of children_safe / children_feel_safe (safeguarding) and of the five Every Child Matters "
        "outcomes (looked after children).",
        ("safeguarding_lac", "lac_2012"),
    ),
    "children_safe": _area(
        "Children and young people are safe",
        "Effectiveness of services in taking reasonable steps to ensure that children and young people are safe.",
        ("safeguarding_lac",),
    ),
    "children_feel_safe": _area(
        "Children and young people feel safe",
        "Effectiveness of services in helping to ensure that children and young people feel safe.",
        ("safeguarding_lac",),
    ),
    "health_contribution": _area(
        "Contribution of health agencies",
        "The contribution of health agencies to keeping children and young people safe (safeguarding and "
        "looked after children inspections from 2010); under outcomes for children.",
        ("safeguarding_lac",),
    ),
    "quality_of_provision": _area(
        "Quality of provision",
        "Quality of provision (parent of service responsiveness, assessment and direct work, case planning).",
        ("safeguarding_lac",),
    ),
    "service_responsiveness": _area(
        "Service responsiveness",
        "Service responsiveness (including complaints); under quality of provision.",
        ("safeguarding_lac",),
    ),
    "assessment_and_direct_work": _area(
        "Assessment and direct work",
        "Assessment and direct work with children (and families); under quality of provision.",
        ("safeguarding_lac",),
    ),
    "case_planning_review_recording": _area(
        "Case planning, review and recording",
        "Case planning, review and recording; under quality of provision.",
        ("safeguarding_lac",),
    ),
    "leadership_and_management": _area(
        "Leadership and management",
        "Leadership and management (parent of ambition and prioritisation, evaluation, user engagement, "
        "partnerships, equality and diversity, value for money).",
        ("safeguarding_lac", "lac_2012"),
    ),
    "ambition_and_prioritisation": _area(
        "Ambition and prioritisation", "Under leadership and management.", ("safeguarding_lac",)
    ),
    "evaluation": _area(
        "Evaluation",
        "Evaluation, including performance management, quality assurance and workforce development; under "
        "leadership and management.",
        ("safeguarding_lac",),
    ),
    "user_engagement": _area("User engagement", "Under leadership and management.", ("safeguarding_lac",)),
    "partnerships": _area("Partnerships", "Under leadership and management.", ("safeguarding_lac",)),
    "equality_and_diversity": _area(
        "Equality and diversity", "Under leadership and management.", ("safeguarding_lac",)
    ),
    "value_for_money": _area("Value for money", "Under leadership and management.", ("safeguarding_lac",)),
    # -- Every Child Matters outcomes (APA, JAR, looked after children 2009-2012) --------------
    "being_healthy": _area("Being healthy", "Every Child Matters outcome.", _ECM),
    "staying_safe": _area("Staying safe", "Every Child Matters outcome.", _ECM),
    "enjoying_and_achieving": _area("Enjoying and achieving", "Every Child Matters outcome.", _ECM),
    "making_a_positive_contribution": _area(
        "Making a positive contribution", "Every Child Matters outcome.", _ECM
    ),
    "economic_wellbeing": _area(
        "Achieving economic well-being", "Every Child Matters outcome ('economic well-being').", _ECM
    ),
    # -- joint area reviews -----------------------------------------------------------------------
    "safeguarding": _area("Safeguarding", "Joint area review judgement of safeguarding.", ("jar",)),
    "looked_after_children": _area(
        "Looked after children", "Joint area review judgement of services for looked after children.", ("jar",)
    ),
    "learning_difficulties_and_disabilities": _area(
        "Learning difficulties and/or disabilities",
        "Joint area review judgement of services for children with learning difficulties and/or disabilities.",
        ("jar",),
    ),
    "service_management": _area("Service management", "Joint area review judgement.", ("jar",)),
}

# Sub-judgements: framework -> {child area -> parent area}. Top-level areas are absent.
PARENT_AREAS: dict[str, dict[str, str]] = {
    "sif": {"adoption_performance": "children_looked_after", "care_leavers": "children_looked_after"},
    "safeguarding_lac": {
        **{
            k: "outcomes_for_children"
            for k in (
                "children_safe",
                "children_feel_safe",
                "health_contribution",
                "being_healthy",
                "staying_safe",
                "enjoying_and_achieving",
                "making_a_positive_contribution",
                "economic_wellbeing",
            )
        },
        **{
            k: "quality_of_provision"
            for k in ("service_responsiveness", "assessment_and_direct_work", "case_planning_review_recording")
        },
        **{
            k: "leadership_and_management"
            for k in (
                "ambition_and_prioritisation",
                "evaluation",
                "user_engagement",
                "partnerships",
                "equality_and_diversity",
                "value_for_money",
            )
        },
    },
}
PARENT_AREAS["lac_2012"] = {
    k: v for k, v in PARENT_AREAS["safeguarding_lac"].items() if v == "outcomes_for_children"
}


def parent_area(framework: str | None, area_key: str) -> str | None:
    """The parent judgement of ``area_key`` in ``framework`` (None for a top-level judgement)."""
    return PARENT_AREAS.get(framework or "", {}).get(area_key)


def area_vocabulary_rows() -> list[dict]:
    """Rows for the data dictionary: one per judgement_area_key."""
    return [
        {
            "judgement_area_key": key,
            "label": v["label"],
            "description": v["description"],
            "frameworks": ", ".join(v["frameworks"]),
        }
        for key, v in AREA_VOCABULARY.items()
    ]
