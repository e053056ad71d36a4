"""Checks that stand before anything is published: each returns a list of failures (empty when the
check passes), every failure naming the document and the place. The command line refuses to publish
on any failure; Dagster runs the same functions as blocking asset checks.

Most checks look only within a document, so the build runs them on each batch of whole documents
as it arrives (``run_batch``: the batch's tables, with the reference tables as ``parents`` for
foreign keys); the one that needs every row, unique primary keys, runs in DuckDB over the staged
tables (``run_staged``). Nothing needs a whole table in memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import polars as pl

from . import schemas
from .frameworks import FRAMEWORKS, harmonise_number, harmonise_word

if TYPE_CHECKING:
    import duckdb

Frames = dict[str, pl.DataFrame]

@dataclass(frozen=True)
class Check:
    name: str
    resource: str
    description: str
    run: Callable[[Frames, Frames | None], list[str]] | None = None  # over a batch of whole documents
    run_staged: Callable[[duckdb.DuckDBPyConnection, dict[str, str]], list[str]] | None = None  # over staged tables


def schema_validity(frames: Frames, parents: Frames | None = None) -> list[str]:
    schemas.pandera_polars()  # (first, so that pandera loads without pandas)
    import pandera.errors as pe

    failures: list[str] = []
    # pandera runs a small query per column and check (some 200 a batch): polars' default engine
    # takes ~1 ms to start each, its in-memory engine a third of that
    with pl.Config(engine_affinity="in-memory"):
        for name in frames:
            if frames[name].height == 0 and list(frames[name].schema.items()) == list(schemas.polars_schema(name).items()):
                continue  # no rows, and exactly the resource's columns and types: pandera could find nothing (~20 ms a call)
            try:
                schemas.pandera_schema(name).validate(frames[name], lazy=True)
            except pe.SchemaErrors as exc:
                found = [f"{name}: {line.strip()[:300]}" for line in str(exc).splitlines() if '"error"' in line]
                failures += found or [f"{name}: {str(exc)[:500]}"]
            except pe.SchemaError as exc:
                failures.append(f"{name}: {exc}")
    return failures


def unique_keys(con: duckdb.DuckDBPyConnection, tables: dict[str, str]) -> list[str]:
    """Primary keys are unique across every row of each resource's table (``tables``: resource ->
    table in SQL), done by DuckDB."""
    failures = []
    for name in schemas.RESOURCES:
        key = ", ".join(f'"{k}"' for k in schemas.primary_key(name))
        shared = f"SELECT {key}, count(*) AS n FROM {tables[name]} GROUP BY ALL HAVING count(*) > 1"
        rows, _ = con.execute(f"SELECT coalesce(sum(n), 0), count(*) FROM ({shared})").fetchall()[0]
        if rows:
            cur = con.execute(f"SELECT * EXCLUDE (n) FROM ({shared}) ORDER BY ALL LIMIT 3")
            names = [d[0] for d in cur.description]
            sample = [dict(zip(names, r)) for r in cur.fetchall()]
            failures.append(f"{name}: {rows} rows share a primary key {schemas.primary_key(name)}, e.g. {sample}")
    return failures


def foreign_keys(frames: Frames, parents: Frames | None = None) -> list[str]:
    failures = []
    tables = {**(parents or {}), **frames}
    for name in frames:
        for fk in schemas.foreign_keys(name):
            ref = fk["reference"]
            child = frames[name].select(fk["fields"]).drop_nulls().unique()
            parent = tables[ref["resource"]].select(ref["fields"]).rename(dict(zip(ref["fields"], fk["fields"])))
            missing = child.join(parent, on=fk["fields"], how="anti")
            if missing.height:
                failures.append(
                    f"{name}: {missing.height} values of {fk['fields']} are not in {ref['resource']}, "
                    f"e.g. {missing.head(3).to_dicts()}"
                )
    return failures


def _where(row: dict, sources: dict[str, str]) -> str:
    return f"{sources.get(row['document_id'], row['document_id'])} (page {row['evidence_page']} line {row['evidence_line']})"


def judgement_consistency(frames: Frames, parents: Frames | None = None) -> list[str]:
    """Same area graded twice agrees; grade numbers agree with words; reports give headline judgements."""
    docs = frames["documents"]
    j = frames["judgements"]
    sources = dict(zip(docs["document_id"], docs["source_file"]))
    failures = []
    area = ["document_id", "service", "judgement_area_key"]
    primary = j.filter(pl.col("source_kind") == "primary")
    differing = primary.group_by(area).agg(pl.col("harmonised_grade").n_unique().alias("n")).filter(pl.col("n") > 1)
    if differing.height:  # (rare: only then are the rows of each area read)
        for (doc_id, service, key), group in primary.join(differing.select(area), on=area, how="semi", nulls_equal=True, maintain_order="left").group_by(area, maintain_order=True):
            readings = "; ".join(f"{r['grade']!r} at page {r['evidence_page']} line {r['evidence_line']}" for r in group.to_dicts())
            failures.append(f"{sources.get(doc_id, doc_id)}: area {key} ({service}) is graded differently: {readings}")
    for row in j.filter(pl.col("grade_number").is_not_null()).to_dicts():
        if row["framework"] not in FRAMEWORKS:
            continue
        by_number = harmonise_number(row["framework"], row["grade_number"])
        if by_number != row["harmonised_grade"]:
            failures.append(
                f"{_where(row, sources)}: area {row['judgement_area_key']}: grade {row['grade_number']} reads "
                f"{by_number} on the {row['framework']} scale, but the row says {row['harmonised_grade']}"
            )
        by_word = harmonise_word(row["grade"])
        if by_word is not None and by_word != by_number:
            failures.append(
                f"{_where(row, sources)}: area {row['judgement_area_key']}: grade {row['grade_number']} ({by_number} "
                f"on the {row['framework']} scale) disagrees with the word {row['grade']!r} ({by_word})"
            )
    graded_docs = set(primary["document_id"].to_list())
    for doc in docs.to_dicts():
        fw = FRAMEWORKS.get(doc["framework"] or "")
        grades_things = fw is not None and fw.grade_scale is not None
        if doc["document_type"] == "inspection_report" and grades_things and doc["document_id"] not in graded_docs:
            failures.append(f"{doc['source_file']}: a graded {doc['framework']} inspection report yields no judgements")
        if not grades_things and doc["document_id"] in graded_docs:
            failures.append(
                f"{doc['source_file']}: an ungraded document ({doc['document_type']}, framework "
                f"{doc['framework'] or 'none'}) yields primary judgements"
            )
        if doc["graded"] != (doc["document_id"] in graded_docs):
            failures.append(f"{doc['source_file']}: graded={doc['graded']} but it has "
                            f"{'no ' if doc['document_id'] not in graded_docs else ''}primary judgements")
    return failures


def indicator_values(frames: Frames, parents: Frames | None = None) -> list[str]:
    from .catalogue import UNIT_VOCABULARY

    docs = frames["documents"]
    sources = dict(zip(docs["document_id"], docs["source_file"]))
    failures = []
    for row in frames["indicators"].to_dicts():
        value = row["value"]
        if value is None or not math.isfinite(value):
            failures.append(f"{_where(row, sources)}: value {row['raw_value']!r} does not parse")
        if row["unit"] not in UNIT_VOCABULARY:
            failures.append(f"{_where(row, sources)}: unknown unit {row['unit']!r}")
        if row["unit"] == "percent" and not row.get("is_change") and value is not None and not 0 <= value <= 100:
            failures.append(f"{_where(row, sources)}: percentage {value} outside 0-100 ({row['evidence_text'][:80]!r})")
    return failures


def text_cells_safe(frames: Frames, parents: Frames | None = None) -> list[str]:
    failures = []
    for name, df in frames.items():
        for col, dtype in df.schema.items():
            if dtype == pl.String:
                bad = df.filter(pl.col(col).str.contains(r"^[=+\-@]"))
                if bad.height:
                    failures.append(f"{name}.{col}: {bad.height} cells start with =, +, - or @, e.g. {bad[col][0][:60]!r}")
    return failures


CHECKS = (
    Check("schema_valid", "all", "Every table matches its schema in schemas/ (types, required, enums, patterns, ranges).", schema_validity),
    Check("unique_keys", "all", "Primary keys are unique in every table.", run_staged=unique_keys),
    Check("foreign_keys", "all", "Every document_id exists in documents; every indicator_key in the catalogue.", foreign_keys),
    Check(
        "judgements_consistent",
        "judgements",
        "An area graded twice in a document reads the same; a grade number agrees with its word on the "
        "framework's scale; graded inspection reports give judgements and ungraded documents none.",
        judgement_consistency,
    ),
    Check("text_cells_safe", "all", "No text cell starts with =, +, - or @ (spreadsheet formula injection).", text_cells_safe),
    Check("indicator_values", "indicators", "Indicator values parse, units are known, percentages lie in 0-100 unless a change.", indicator_values),
)


def run_batch(frames: Frames, parents: Frames | None = None) -> dict[str, list[str]]:
    """The checks that look within documents, over a batch of whole documents' rows."""
    return {check.name: check.run(frames, parents) for check in CHECKS if check.run is not None}


def run_staged(con: duckdb.DuckDBPyConnection, tables: dict[str, str]) -> dict[str, list[str]]:
    """The checks that need every row, over each resource's table in DuckDB (resource -> SQL)."""
    return {check.name: check.run_staged(con, tables) for check in CHECKS if check.run_staged is not None}
