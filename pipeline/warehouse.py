"""The DuckDB warehouse: one table per resource, rebuilt from the extracts on every run, and the
build's working store.

While the documents are read, each batch of rows is appended to staging tables (schema
``_staging``); once every check has passed, ``commit_staging`` replaces the resource tables with the
staged rows, sorted by primary key, inside one transaction, so readers never see a half-written
warehouse. Publishing then reads the tables back in sorted batches. The build process therefore
never holds a whole table: DuckDB keeps the rows on disk and works within ``MEMORY_LIMIT``.

Only one process writes (the build, or the single Dagster warehouse asset).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import duckdb
import polars as pl

from . import schemas

STAGING = "_staging"
REJECTED = "rejected_documents"
MEMORY_LIMIT = "64MB"  # DuckDB spills to disk beyond this, so its memory does not grow with the data
BATCH_ROWS = 5000  # rows per batch read back for publishing


def connect(database: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    database = Path(database)
    if not read_only:
        database.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(database), read_only=read_only)
    configure(con)
    return con


def configure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")


def _columns_sql(name: str) -> str:
    return ", ".join(f'"{f["name"]}" {schemas.duckdb_type(f["type"])}' for f in schemas.spec(name)["fields"])


def _order_sql(name: str) -> str:
    return ", ".join(f'"{k}" NULLS LAST' for k in schemas.primary_key(name))


def begin_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Empty staging tables, one per resource, plus the rejected documents."""
    con.execute(f"DROP SCHEMA IF EXISTS {STAGING} CASCADE")
    con.execute(f"CREATE SCHEMA {STAGING}")
    for name in schemas.RESOURCES:
        con.execute(f'CREATE TABLE {STAGING}."{name}" ({_columns_sql(name)})')
    con.execute(f'CREATE TABLE {STAGING}."{REJECTED}" (source_file VARCHAR, reason VARCHAR)')


def append(con: duckdb.DuckDBPyConnection, name: str, df: pl.DataFrame) -> None:
    """Append a batch of rows (with the resource's columns, in order) to its staging table."""
    if df.height:
        con.register("incoming", _ArrowStream(df))
        try:
            con.execute(f'INSERT INTO {STAGING}."{name}" SELECT * FROM incoming')
        finally:
            con.unregister("incoming")


def commit_staging(con: duckdb.DuckDBPyConnection, rejected: list[dict] | None = None) -> dict[str, int]:
    """Replace every resource table (and rejected_documents) with the staged rows, sorted by primary
    key, in one transaction; the staging tables are dropped. Returns row counts."""
    append(con, REJECTED, pl.DataFrame(rejected or [], schema={"source_file": pl.String, "reason": pl.String}))
    counts = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for name in (*schemas.RESOURCES, REJECTED):
            con.execute(f'DROP TABLE IF EXISTS main."{name}"')
            if name == REJECTED:
                con.execute(f'CREATE TABLE main."{name}" (source_file VARCHAR, reason VARCHAR)')
                order = "source_file"
            else:
                con.execute(f'CREATE TABLE main."{name}" ({_columns_sql(name)})')
                order = _order_sql(name)
            con.execute(f'INSERT INTO main."{name}" SELECT * FROM {STAGING}."{name}" ORDER BY {order}')
            counts[name] = con.execute(f'SELECT count(*) FROM main."{name}"').fetchall()[0][0]
        con.execute(f"DROP SCHEMA {STAGING} CASCADE")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts


def discard_staging(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"DROP SCHEMA IF EXISTS {STAGING} CASCADE")


def write_tables(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame], rejected: list[dict] | None) -> dict[str, int]:
    """Replace the tables with whole frames, over an open connection, in one transaction."""
    begin_staging(con)
    for name in schemas.RESOURCES:
        append(con, name, frames[name].select(schemas.columns(name)))
    return commit_staging(con, rejected)


def write(database: Path, frames: dict[str, pl.DataFrame], rejected: list[dict] | None = None) -> dict[str, int]:
    with connect(database) as con:
        return write_tables(con, frames, rejected)


def batches(con: duckdb.DuckDBPyConnection, name: str, rows: int = BATCH_ROWS) -> Iterator[pl.DataFrame]:
    """A resource table in its published order (by primary key), as typed frames of at most ``rows``."""
    schema = schemas.polars_schema(name)
    reader = con.sql(f'SELECT * FROM main."{name}" ORDER BY {_order_sql(name)}').to_arrow_reader(rows)
    empty = True
    for batch in reader:
        if batch.num_rows:
            empty = False
            yield pl.from_arrow(batch).cast(schema)
    if empty:
        yield pl.DataFrame(schema=schema)


def read_table(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    """A whole resource table (for the small ones, and for tests)."""
    return pl.concat(list(batches(con, name)))


def read_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """Every resource table back from the warehouse, with the schemas' types and order."""
    return {name: read_table(con, name) for name in schemas.RESOURCES}


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {name: con.execute(f'SELECT count(*) FROM main."{name}"').fetchall()[0][0] for name in (*schemas.RESOURCES, REJECTED)}


class _ArrowStream:
    """A polars frame seen only through the Arrow C stream interface. Given a polars frame itself,
    DuckDB converts it with pyarrow, which costs ~70 MB of memory for nothing."""

    def __init__(self, df: pl.DataFrame):
        self._df = df

    def __arrow_c_stream__(self, requested_schema=None):
        return self._df.__arrow_c_stream__(requested_schema)


def counts(database: Path) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()
        ]
        return {t: con.execute(f'SELECT count(*) FROM main."{t}"').fetchall()[0][0] for t in tables}
