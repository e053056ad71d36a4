"""Ofsted inspection frameworks: their grade scales (the one place these facts live).

The same grade number means different things in different frameworks ("Grade 2" is adequate in a
2007 APA letter and good in a 2010 safeguarding inspection), so a grade is always read on the
scale of the framework its document belongs to.
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


_WORD_PATTERNS = (
    (re.compile(r"outstanding", re.I), "outstanding"),
    (re.compile(r"inadequate", re.I), "inadequate"),
    (re.compile(r"requires?\s*improvement|adequate|satisfactory", re.I), "requires_improvement_or_adequate"),
    (re.compile(r"good", re.I), "good"),
)


def harmonise_word(word: str) -> str | None:
    """The harmonised grade of a grade word ("Requires improvement to be good" -> requires_improvement_or_adequate)."""
    compact = re.sub(r"\s+", " ", word).strip()
    for pattern, harmonised in _WORD_PATTERNS:
        if pattern.search(compact):
            return harmonised
    return None


def harmonise_number(framework: str, number: int) -> str | None:
    """The harmonised grade of a grade number on ``framework``'s scale; None if it has no such number."""
    fw = FRAMEWORKS.get(framework)
    if fw is None:
        return None
    for n, _word, harmonised in fw.grades:
        if n == number:
            return harmonised
    return None
