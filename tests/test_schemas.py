"""schemas/ is the single source of truth: pandera, the data package and the dictionary agree."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline import schemas
from pipeline.build import safe_text
from pipeline.checks import text_cells_safe


@pytest.mark.parametrize("name", schemas.RESOURCES)
def test_every_resource_schema_makes_pandera_frictionless_and_dictionary(name):
    cols = schemas.columns(name)
    assert [f["name"] for f in schemas.table_schema(name)["fields"]] == cols
    assert list(schemas.pandera_schema(name).columns) == cols
    dictionary = schemas.data_dictionary()
    assert all(f"`{c}`" in dictionary for c in cols)


def test_contract_columns_are_present():
    required = {
        "documents": "document_id source_file sha256 bytes format pages title publisher document_type framework graded published_date period_start period_end",
        "judgements": "judgement_id document_id inspection_start inspection_end framework service judgement_area judgement_area_key parent_area_key grade grade_number grade_scale harmonised_grade harmonised_rank source_kind evidence_page evidence_line evidence_text",
        "indicators": "observation_id document_id indicator_key indicator_label value_type comparison_group value unit period_label period_start period_end evidence_page evidence_line evidence_text",
        "indicator_catalogue": "indicator_key label unit polarity definition official_equivalent",
        "tables": "document_id table_index row_index column_index header value evidence_page evidence_line",
        "grade_scales": "framework grade_number grade harmonised_grade harmonised_rank",
    }
    geography = "geographic_level country_code country_name region_code region_name new_la_code old_la_code la_name".split()
    for name, cols in required.items():
        assert set(cols.split()) <= set(schemas.columns(name)), name
        if name in ("documents", "judgements", "indicators"):
            assert set(geography) <= set(schemas.columns(name))


def test_frame_rejects_unknown_columns():
    with pytest.raises(ValueError, match="not in schemas/grade_scales.yaml"):
        schemas.frame("grade_scales", [{"framework": "apa", "grde": "Good"}])


def test_frame_types_columns_and_casts_a_value_of_another_type():
    import polars as pl

    typed = schemas.frame("grade_scales", [{"framework": "apa", "grade_number": 2, "harmonised_rank": 1}])
    cast = schemas.frame("grade_scales", [{"framework": "apa", "grade_number": "2", "harmonised_rank": 1.0}])
    assert typed.schema == cast.schema == pl.Schema(schemas.polars_schema("grade_scales"))
    assert typed.equals(cast)
    assert schemas.frame("grade_scales", [{"framework": "apa", "grade_number": "two"}])["grade_number"].to_list() == [None]


def test_pandera_catches_a_value_outside_its_enum():
    import pandera.errors as pe

    df = schemas.frame(
        "grade_scales",
        [{"framework": "apa", "grade_scale": "s", "grade": "Good", "harmonised_grade": "great", "harmonised_rank": 2}],
    )
    with pytest.raises(pe.SchemaErrors):
        schemas.pandera_schema("grade_scales").validate(df, lazy=True)


def test_pandera_checks_polars_frames_without_loading_pandas_and_pandas_still_loads_after():
    """The build never pays for pandas (pandera loads it whenever it is installed); Frictionless can
    still load it afterwards to read Parquet."""
    import subprocess
    import sys

    script = """
import sys
from pipeline import checks, schemas
from pipeline.build import reference_rows
good = {name: schemas.frame(name, rows) for name, rows in reference_rows().items()}
scale = next(r for r in reference_rows()["grade_scales"])
indicator = next(r for r in reference_rows()["indicator_catalogue"])
bad = {"grade_scales": schemas.frame("grade_scales", [{**scale, "harmonised_grade": "great", "harmonised_rank": 7}]),
       "indicator_catalogue": schemas.frame("indicator_catalogue", [{**indicator, "indicator_key": "Not A Key"}])}
assert all(frame.height for frame in good.values())
assert checks.schema_validity(good) == [], checks.schema_validity(good)
failures = " ".join(checks.schema_validity(bad))
for column in ("harmonised_grade", "harmonised_rank", "indicator_key"):  # an enum, a maximum, a pattern
    assert column in failures, (column, failures)
assert "pandas" not in sys.modules, "pandera loaded pandas"
import pandas
assert checks.schema_validity(bad)
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_formula_characters_are_stripped_from_text_cells():
    df = pl.DataFrame({"a": ["- a bullet", "=cmd()", "-12 children", "@x", "fine"]})
    cleaned = safe_text(df)
    assert cleaned["a"].to_list() == ["a bullet", "cmd()", "\u221212 children", "x", "fine"]
    assert text_cells_safe({"t": cleaned}) == []
    assert text_cells_safe({"t": df})
