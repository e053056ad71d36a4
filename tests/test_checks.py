"""The checks over a batch of rows (pipeline/checks.py), on small hand-made frames."""

from __future__ import annotations

from pipeline import checks, schemas


def _frames(judgements: list[dict]) -> dict:
    docs = [{"document_id": "d1", "source_file": "one.pdf", "document_type": "inspection_report", "framework": "ilacs", "graded": True}]
    rows = [
        {"judgement_id": f"j{i}", "document_id": "d1", "framework": "ilacs", "source_kind": "primary", "service": "childrens_services",
         "evidence_line": 1, **row}
        for i, row in enumerate(judgements)
    ]
    return {"documents": schemas.frame("documents", docs), "judgements": schemas.frame("judgements", rows)}


def test_an_area_graded_differently_twice_in_a_document_is_reported_with_both_readings():
    frames = _frames([
        {"judgement_area_key": "overall_effectiveness", "grade": "Good", "harmonised_grade": "good", "evidence_page": 1},
        {"judgement_area_key": "overall_effectiveness", "grade": "Inadequate", "harmonised_grade": "inadequate", "evidence_page": 3},
        {"judgement_area_key": "help_and_protection", "grade": "Good", "harmonised_grade": "good", "evidence_page": 1},
        {"judgement_area_key": "help_and_protection", "grade": "good", "harmonised_grade": "good", "evidence_page": 2},
    ])
    failures = checks.judgement_consistency(frames)
    assert failures == [
        "one.pdf: area overall_effectiveness (childrens_services) is graded differently: "
        "'Good' at page 1 line 1; 'Inadequate' at page 3 line 1"
    ]


def test_areas_graded_once_or_alike_pass():
    frames = _frames([
        {"judgement_area_key": "overall_effectiveness", "grade": "Good", "harmonised_grade": "good", "evidence_page": 1},
        {"judgement_area_key": "overall_effectiveness", "grade": "Good", "harmonised_grade": "good", "evidence_page": 5},
        {"judgement_area_key": "help_and_protection", "grade": "Inadequate", "harmonised_grade": "inadequate", "evidence_page": 1},
    ])
    assert checks.judgement_consistency(frames) == []
