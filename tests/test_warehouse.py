"""The warehouse as the build's working store: staged batches, checks over every row, the swap."""

from __future__ import annotations

import polars as pl

from pipeline import checks, publish, schemas, warehouse


def _documents(ids: list[str]) -> pl.DataFrame:
    return schemas.frame("documents", [{"document_id": i, "source_file": f"{i}.txt"} for i in ids])


def test_a_primary_key_repeated_in_two_batches_fails_the_check_over_every_row(tmp_path):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.begin_staging(con)
        warehouse.append(con, "documents", _documents(["a", "b"]))
        warehouse.append(con, "documents", _documents(["c", "a"]))  # a later batch repeats "a"
        found = checks.run_staged(con, warehouse.staged_tables())["unique_keys"]
    assert len(found) == 1 and found[0].startswith("documents: 2 rows share a primary key ['document_id']")
    assert "'document_id': 'a'" in found[0]


def test_commit_replaces_tables_sorted_by_key_and_discard_leaves_them(tmp_path):
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.begin_staging(con)
        warehouse.append(con, "documents", _documents(["b", "c"]))
        warehouse.append(con, "documents", _documents(["a"]))
        counts = warehouse.commit_staging(con, [{"source_file": "x.pdf", "reason": "not a PDF"}])
        assert counts["documents"] == 3 and counts["rejected_documents"] == 1
        assert warehouse.read_table(con, "documents")["document_id"].to_list() == ["a", "b", "c"]
        assert [b.height for b in warehouse.batches(con, "documents", rows=2)] == [2, 1]
        assert warehouse.preview(con, "documents", rows=2)["document_id"].to_list() == ["a", "b"]
        warehouse.begin_staging(con)  # a build whose checks fail changes nothing
        warehouse.append(con, "documents", _documents(["z"]))
        warehouse.discard_staging(con)
        assert warehouse.read_table(con, "documents")["document_id"].to_list() == ["a", "b", "c"]
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        assert not [t for t in tables if t.startswith(warehouse.STAGING)]


def test_row_diff_counts_added_removed_and_changed_rows_with_empty_and_missing_alike(tmp_path):
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text('k,v,w\n1,x,\n2,y,""\n3,z,q\n')
    new.write_text('k,v,w\n1,x,""\n2,Y,\n4,n,\n')
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        diff = publish._row_diff(con, old, ["k", "v", "w"], new, ["k", "v", "w"], ["k"])
    assert diff == {"added": 1, "removed": 1, "changed": 1}


def test_a_parquet_file_with_one_changed_value_is_caught(tmp_path):
    df = schemas.frame("judgement_areas", [{"judgement_area_key": "k", "label": "L"}])
    df.write_csv(tmp_path / "judgement_areas.csv", null_value="")
    df.with_columns(pl.lit("M").alias("label")).write_parquet(tmp_path / "judgement_areas.parquet")
    errors = [e for e in publish._parquet_matches_csv(tmp_path) if e.startswith("judgement_areas")]
    assert errors == ["judgement_areas: data/judgement_areas.parquet does not hold the same rows as data/judgement_areas.csv"]


def test_a_parquet_file_is_read_back_in_its_order_a_batch_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(warehouse, "BATCH_ROWS", 2)
    df = schemas.frame("judgement_areas", [{"judgement_area_key": f"k{i}", "label": f"L{i}"} for i in range(5)])[[3, 1, 2, 0, 4]]
    df.write_parquet(tmp_path / "a.parquet", row_group_size=2)  # (not in key order)
    batches = list(warehouse.parquet_batches(tmp_path / "a.parquet", "judgement_areas"))
    assert [b.height for b in batches] == [2, 2, 1]
    assert pl.concat(batches).equals(df)
    assert all(b.schema == schemas.polars_schema("judgement_areas") for b in batches)
    df.clear().write_parquet(tmp_path / "none.parquet")
    empty = list(warehouse.parquet_batches(tmp_path / "none.parquet", "judgement_areas"))
    assert [b.height for b in empty] == [0] and empty[0].schema == schemas.polars_schema("judgement_areas")


def test_a_table_is_read_whole_when_a_column_is_empty_in_its_first_hundred_rows(tmp_path):
    """Rows fetched as Python values are typed by the schema, not by their first rows."""
    rows = [{"document_id": f"d{i:03}", "source_file": f"{i}.pdf"} for i in range(150)]
    rows[-1].update(source="https://example.org/report.pdf", pages=12)
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.begin_staging(con)
        warehouse.append(con, "documents", schemas.frame("documents", rows))
        table = warehouse.read_table(con, "documents", warehouse.staged("documents"))
    assert table.schema == schemas.polars_schema("documents") and table.height == 150
    assert table.row(-1, named=True)["source"] == "https://example.org/report.pdf" and table["pages"].to_list()[-1] == 12


def test_an_error_while_carrying_rows_over_is_raised_and_undoes_its_transaction(tmp_path, monkeypatch):
    import pytest

    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.begin_staging(con)
        warehouse.append(con, "documents", _documents(["a"]))
        warehouse.commit_staging(con, [])
        warehouse.begin_staging(con)

        def broken(con):
            raise RuntimeError("a bug")

        monkeypatch.setattr(warehouse, "_carry_over", broken)
        with pytest.raises(RuntimeError, match="a bug"):
            warehouse.carry_over(con, {"sha": ("a.txt", "key")})
        con.execute("BEGIN TRANSACTION")  # (fails inside a transaction left open)
        con.execute("ROLLBACK")
