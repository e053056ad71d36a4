"""The evaluate command: scoring extracted judgements against a labels file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate, main

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "dev"

LABEL_HEADER = (
    "id,la_name,new_la_code,inspection_start,publication_date,inspection_type,overall_effectiveness,"
    "impact_of_leaders,help_and_protection,children_in_care,care_leavers\n"
)


def _ilacs(la: str, grades: tuple[str, str, str, str]) -> str:
    leaders, help_, care, overall = grades
    return (
        f"Inspection of {la} local authority\nchildren's services\n"
        "Inspection dates: 8 October 2018 to 19 October 2018\nLead inspector: A Person\nJudgement Grade\n"
        f"The impact of leaders on social work practice with children\nand families {leaders}\n"
        f"The experiences and progress of children who need help and\nprotection {help_}\n"
        f"The experiences and progress of children in care and care\nleavers {care}\n"
        f"Overall effectiveness {overall}\n"
        f"Services for children in {la} are improving.\n"
    )


def _folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    # file names say the opposite of the contents: matching must not use them
    (docs / "leeds.txt").write_text(_ilacs("Barnsley", ("Good", "Good", "Good", "Good")), encoding="utf-8")
    (docs / "barnsley.txt").write_text(
        _ilacs("Leeds", ("Outstanding", "Outstanding", "Good", "Outstanding")), encoding="utf-8"
    )
    return docs


def _labels(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "labels.csv"
    path.write_text(LABEL_HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_labels_are_matched_by_authority_and_date_not_file_name(tmp_path):
    labels = _labels(
        tmp_path,
        [
            "a,barnsley,E08000038,2018-10-08,2018-11-19,ILACS,Good,Good,Good,Good,",
            "b,leeds,E08000035,2018-10-08,2018-12-18,ILACS,Outstanding,Outstanding,Outstanding,Good,",
        ],
    )
    out = io.StringIO()
    assert evaluate(_folder(tmp_path), labels, out=out) == 0
    report = out.getvalue()
    assert re.search(r"overall\s+8/8\s+100\.0%", report)
    assert "Disagreements (0):" in report


def test_every_disagreement_is_printed_with_document_area_expected_and_got(tmp_path):
    labels = _labels(
        tmp_path,
        [
            "a,barnsley,E08000038,2018-10-08,2018-11-19,ILACS,Inadequate,Good,Good,Good,Good",
            "b,leeds,E08000035,2018-10-08,2018-12-18,ILACS,Outstanding,Outstanding,Outstanding,Good,",
        ],
    )
    out = io.StringIO()
    assert evaluate(_folder(tmp_path), labels, out=out) == 1
    report = out.getvalue()
    assert "leeds.txt: overall_effectiveness: expected Inadequate, got Good (page 1)" in report
    assert "leeds.txt: care_leavers: expected Good, got (none)" in report
    assert re.search(r"overall_effectiveness\s+1/2\s+50\.0%", report)


def test_label_rows_without_a_document_are_listed(tmp_path):
    labels = _labels(tmp_path, ["a,wigan,E08000010,2022-05-09,2022-07-05,ILACS,Good,Good,Good,Good,"])
    out = io.StringIO()
    assert evaluate(_folder(tmp_path), labels, out=out) == 1
    assert "wigan 2022-05-09: no document with this inspection start and local authority" in out.getvalue()
    assert "Graded ILACS documents with no label row (2):" in out.getvalue()


def test_main_rejects_missing_arguments_and_paths(tmp_path, capsys):
    assert main([]) == 2
    assert main([str(tmp_path / "nowhere"), str(tmp_path / "labels.csv")]) == 2


def test_dev_corpus_labels_are_all_reproduced(capsys):
    if not (CORPUS / "labels.csv").exists():
        pytest.skip(f"dev corpus not found at {CORPUS}")
    assert main([str(CORPUS), str(CORPUS / "labels.csv")]) == 0
    report = capsys.readouterr().out
    assert "Label rows with no document (0):" in report
    assert re.search(r"\n  overall\s+105/105\s+100\.0%", report)
