"""The DuckDB warehouse: one table per resource, rebuilt from the extracts on every run, and the
build's working store.

While the documents are read, each batch of rows is appended to a staging table per resource
(``_staging_<resource>``, each append its own small transaction); once every check has passed,
``commit_staging`` renames the staging tables into place inside one transaction, so readers never
see a half-written warehouse and no transaction holds a whole table. Publishing has DuckDB write
each table sorted by primary key to Parquet, and the CSV is written from that file a batch at a
time. The build process therefore never holds a whole table, and DuckDB keeps the rows on disk and
works (sorts, joins, aggregates) within ``MEMORY_LIMIT``, spilling to disk beyond it.

Only one process writes (the build, or the single Dagster warehouse asset).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterator

import duckdb
import polars as pl

from . import schemas
from .collect import DOCUMENT_TABLES

log = logging.getLogger(__name__)

STAGING = "_staging_"  # prefix of the staging tables
REJECTED = "rejected_documents"
# What each document's rows were made from (sha256, source_file, staging_key: see
# ``collect.staging_key``), so that a refresh carries over the rows of unchanged documents.
STATE = "_document_state"
# The warehouse's own tables beside the resources, and their columns (all text).
_INTERNAL_COLUMNS = {REJECTED: ("source_file", "reason"), STATE: ("sha256", "source_file", "staging_key")}
_INTERNAL = tuple(_INTERNAL_COLUMNS)
# DuckDB's working memory; it spills to disk beyond it, so it does not grow with the data. Its
# out-of-memory sort needs about this much: at 64MB, sorting 130,000 indicator rows failed.
MEMORY_LIMIT = "128MB"
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
    con.execute("SET preserve_insertion_order = true")  # a sorted query is written to a file in its order


def _columns_sql(name: str) -> str:
    return ", ".join(f'"{f["name"]}" {schemas.duckdb_type(f["type"])}' for f in schemas.spec(name)["fields"])


def _sorted_sql(name: str, table: str | None = None) -> str:
    """A resource table (or ``table``, in SQL, with its columns: a staging table) in its published
    order (by primary key), as a query."""
    order = ", ".join(f'"{k}" NULLS LAST' for k in schemas.primary_key(name))
    source = table or f'main."{name}"'
    return f"SELECT * FROM {source} ORDER BY {order}"


def internal_frame(name: str, rows: list[dict]) -> pl.DataFrame:
    """Rows of one of the warehouse's own tables (``REJECTED``, ``STATE``) as a frame of its columns."""
    return pl.DataFrame(rows, schema=dict.fromkeys(_INTERNAL_COLUMNS[name], pl.String))


def staged(name: str) -> str:
    """The staging table of a resource, as SQL."""
    return f'main."{STAGING}{name}"'


def staged_tables() -> dict[str, str]:
    return {name: staged(name) for name in schemas.RESOURCES}


def begin_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Empty staging tables, one per resource, plus the rejected documents."""
    discard_staging(con)
    for name in schemas.RESOURCES:
        con.execute(f"CREATE TABLE {staged(name)} ({_columns_sql(name)})")
    for name, columns in _INTERNAL_COLUMNS.items():
        con.execute(f"CREATE TABLE {staged(name)} ({', '.join(f'{c} VARCHAR' for c in columns)})")


def carry_over(con: duckdb.DuckDBPyConnection, offered: dict[str, tuple[str, str]]) -> tuple[dict[str, dict], dict[str, int]]:
    """Copy into the staging tables the rows of the offered documents (sha256 -> (source_file,
    staging key)) that the warehouse holds from the same file under the same staging key. Returns
    their documents rows by sha256 and their row counts per resource. In one transaction: if the
    warehouse cannot give them (a damaged table), nothing is copied and every document is staged
    the long way, with a warning that says why."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ?", [STATE]
    ).fetchall()[0][0]
    if not exists or not offered:
        return {}, {}
    con.register("offered", _ArrowStream(internal_frame(
        STATE, [{"sha256": sha, "source_file": source, "staging_key": key} for sha, (source, key) in offered.items()]
    )))
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            carried = _carry_over(con)
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            log.warning("no rows carried over from the warehouse (every document is staged again): %s", str(exc).splitlines()[0])
            return {}, {}
        except BaseException:  # (not the warehouse's fault: raised, with the transaction undone)
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    finally:
        con.unregister("offered")
    return carried


def _carry_over(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, dict], dict[str, int]]:
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE carried AS SELECT d.document_id, s.* FROM main.\"{STATE}\" s "
        "JOIN offered o USING (sha256, source_file, staging_key) "
        "JOIN main.documents d ON d.sha256 = s.sha256 AND d.source_file = s.source_file"
    )
    if not con.execute("SELECT count(*) FROM carried").fetchall()[0][0]:
        con.execute("DROP TABLE carried")
        return {}, {}  # (the tables may be of an older schema: they are not even read)
    counts = {}
    for name in ("documents", *DOCUMENT_TABLES):  # (the same key, so the same code and schema made them)
        columns = ", ".join(f'"{c}"' for c in schemas.columns(name))
        inserted = con.execute(
            f'INSERT INTO {staged(name)} ({columns}) SELECT {columns} FROM main."{name}" '
            "WHERE document_id IN (SELECT document_id FROM carried)"
        )
        counts[name] = inserted.fetchall()[0][0]
    documents = _fetch(con, f"SELECT * FROM {staged('documents')} WHERE document_id IN (SELECT document_id FROM carried)", "documents")
    con.execute("DROP TABLE carried")  # (on an error the transaction's rollback removes it)
    return {row["sha256"]: row for row in documents.to_dicts()}, counts


def sql_path(path: Path) -> str:
    """A file path as an SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def write_parquet(con: duckdb.DuckDBPyConnection, name: str, path: Path, table: str | None = None) -> None:
    """A resource table (or ``table``, see ``_sorted_sql``), sorted by primary key, to a Parquet
    file. DuckDB sorts out of memory (a sorted result streamed to Python instead must fit in its
    memory limit); row groups are small, so the file can be read back a batch at a time."""
    con.execute(
        f"COPY ({_sorted_sql(name, table)}) TO {sql_path(path)} "
        f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {BATCH_ROWS})"
    )


def parquet_batches(path: Path, name: str) -> Iterator[pl.DataFrame]:
    """A resource's Parquet file, in file order, as typed frames of at most ``BATCH_ROWS`` rows:
    polars reads the row groups of one slice at a time. One empty frame when there are no rows."""
    schema = schemas.polars_schema(name)
    scan = pl.scan_parquet(path)
    total = scan.select(pl.len()).collect().item()  # (from the file's metadata)
    if not total:
        yield pl.DataFrame(schema=schema)
    for offset in range(0, total, BATCH_ROWS):
        yield scan.slice(offset, BATCH_ROWS).collect(engine="in-memory").cast(schema)


def _fetch(con: duckdb.DuckDBPyConnection, query: str, name: str) -> pl.DataFrame:
    """A query's result as one frame typed as resource ``name``. For small results: they are
    fetched whole, as Python values (DuckDB's Arrow export would import pyarrow, ~0.2 s, or leave
    DuckDB reporting leaks at exit)."""
    schema = schemas.polars_schema(name)
    relation = con.sql(query)
    # (typed from the start: inferred from the first rows, a column null there would refuse later values)
    return pl.DataFrame(relation.fetchall(), schema=[(c, schema[c]) for c in relation.columns], orient="row").select(list(schema))


def append(con: duckdb.DuckDBPyConnection, name: str, df: pl.DataFrame) -> None:
    """Append a batch of rows (with the resource's columns, in order) to its staging table."""
    if df.height:
        con.register("incoming", _ArrowStream(df))
        try:
            con.execute(f"INSERT INTO {staged(name)} SELECT * FROM incoming")
        finally:
            con.unregister("incoming")


def commit_staging(con: duckdb.DuckDBPyConnection, rejected: list[dict] | None = None) -> dict[str, int]:
    """Put the staged tables (and rejected_documents) in place of the resource tables, in one
    transaction that only renames tables. Returns row counts."""
    append(con, REJECTED, internal_frame(REJECTED, rejected or []))
    con.execute("BEGIN TRANSACTION")
    try:
        for name in (*schemas.RESOURCES, *_INTERNAL):
            con.execute(f'DROP TABLE IF EXISTS main."{name}"')
            con.execute(f'ALTER TABLE {staged(name)} RENAME TO "{name}"')
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return row_counts(con)


def discard_staging(con: duckdb.DuckDBPyConnection) -> None:
    for name in (*schemas.RESOURCES, *_INTERNAL):
        con.execute(f"DROP TABLE IF EXISTS {staged(name)}")


def batches(con: duckdb.DuckDBPyConnection, name: str, rows: int = BATCH_ROWS) -> Iterator[pl.DataFrame]:
    """A resource table in its published order (by primary key), as typed frames of at most
    ``rows``; one empty frame when there are none. For small tables: the result is fetched whole
    (publishing goes through ``write_parquet`` and ``parquet_batches`` instead)."""
    result = read_table(con, name)
    return iter([result]) if not result.height else result.iter_slices(rows)


def preview(con: duckdb.DuckDBPyConnection, name: str, rows: int = 10) -> pl.DataFrame:
    """The first rows of a resource table in published order (DuckDB keeps only the top rows)."""
    return _fetch(con, f"{_sorted_sql(name)} LIMIT {int(rows)}", name)


def read_table(con: duckdb.DuckDBPyConnection, name: str, table: str | None = None) -> pl.DataFrame:
    """A whole resource table (or ``table``, see ``_sorted_sql``), for the small ones and for tests."""
    return _fetch(con, _sorted_sql(name, table), name)


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {name: con.execute(f'SELECT count(*) FROM main."{name}"').fetchall()[0][0] for name in (*schemas.RESOURCES, REJECTED)}


class _ArrowStream:
    """A polars frame seen only through the Arrow C stream interface. Given a polars frame itself,
    DuckDB converts it with pyarrow, which costs ~70 MB of memory for nothing."""

    def __init__(self, df: pl.DataFrame):
        self._df = df

    def __arrow_c_stream__(self, requested_schema=None):
        return self._df.__arrow_c_stream__(requested_schema)
