"""The DuckDB warehouse: one table per resource, rebuilt from the extracts on every run.

Only one process writes (the build, or the single Dagster warehouse asset). Tables are replaced
inside one transaction, so readers never see a half-written warehouse.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from . import schemas


def write(database: Path, frames: dict[str, pl.DataFrame], rejected: list[dict] | None = None) -> dict[str, int]:
    """Replace every resource table (and rejected_documents) in the database; returns row counts."""
    database = Path(database)
    database.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(database)) as con:
        return write_tables(con, frames, rejected)


def write_tables(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame], rejected: list[dict] | None) -> dict[str, int]:
    """Replace the tables over an open connection, in one transaction."""
    counts = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for name in schemas.RESOURCES:
            _replace(con, name, frames[name], schemas.spec(name)["fields"])
            counts[name] = frames[name].height
        rej = pl.DataFrame(rejected or [], schema={"source_file": pl.String, "reason": pl.String})
        _replace(con, "rejected_documents", rej, None)
        counts["rejected_documents"] = rej.height
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts


def read_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """The resource tables back from the warehouse, with the schemas' types and order."""
    frames = {}
    for name in schemas.RESOURCES:
        table = con.sql(f'SELECT * FROM "{name}"').to_arrow_table()
        df = pl.from_arrow(table)
        frames[name] = df.cast(schemas.polars_schema(name)).sort(schemas.primary_key(name), nulls_last=True)
    return frames


def _replace(con: duckdb.DuckDBPyConnection, name: str, df: pl.DataFrame, fields: list[dict] | None) -> None:
    con.execute(f'DROP TABLE IF EXISTS "{name}"')
    if fields:
        cols = ", ".join(f'"{f["name"]}" {schemas.duckdb_type(f["type"])}' for f in fields)
    else:
        cols = ", ".join(f'"{c}" VARCHAR' for c in df.columns)
    con.execute(f'CREATE TABLE "{name}" ({cols})')
    if df.height:
        con.register("incoming", _ArrowStream(df))
        con.execute(f'INSERT INTO "{name}" SELECT * FROM incoming')
        con.unregister("incoming")


class _ArrowStream:
    """A polars frame seen only through the Arrow C stream interface. Given a polars frame itself,
    DuckDB converts it with pyarrow, which costs ~70 MB of memory (and its import) for nothing."""

    def __init__(self, df: pl.DataFrame):
        self._df = df

    def __arrow_c_stream__(self, requested_schema=None):
        return self._df.__arrow_c_stream__(requested_schema)


def counts(database: Path) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
