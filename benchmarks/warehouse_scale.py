"""Memory of the steps after reading, over many more rows than any folder here holds.

    python -m uv run --frozen python benchmarks/warehouse_scale.py RELEASE_DATA_DIR --copies 1 5 20

Takes the Parquet files of a built release (e.g. a build of ../shared/corpus/dev) and, for each
N, stages N copies of every document's rows (document and row ids made distinct) in a fresh
warehouse, then runs what a build runs after reading, with the pipeline's own functions: the checks
over every row, the warehouse commit, the release staged (Parquet sorted by DuckDB, CSV from it a
batch at a time), the comparison with a previous release that lacks one document's rows, and the
validation (Frictionless over every CSV row unless ``--no-frictionless``, which is slow at large N,
and Parquet against CSV). Each N runs in a fresh process; its peak resident memory is printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# columns made distinct in each copy: document ids and the row ids derived from them
_IDS = {
    "documents": ["document_id"],
    "judgements": ["document_id", "judgement_id"],
    "indicators": ["document_id", "observation_id"],
    "tables": ["document_id"],
}


def _distinct(column: str) -> str:
    """The column's value made distinct in copy k (a document id stays 16 hex digits)."""
    if column == "document_id":
        return "CASE WHEN k = 0 THEN p.document_id ELSE left(md5(p.document_id || k), 16) END AS document_id"
    return f"CASE WHEN k = 0 THEN p.{column} ELSE p.{column} || '.copy' || k END AS {column}"


def one(source: Path, copies: int, frictionless: bool) -> None:
    from pipeline import build, checks, publish, schemas, warehouse

    build.prepare_imports()
    work = Path(tempfile.mkdtemp(prefix="pipeline-scale-"))
    try:
        con = warehouse.connect(work / "warehouse.duckdb")
        started = time.perf_counter()
        warehouse.begin_staging(con)
        for name in schemas.RESOURCES:
            parquet = warehouse.sql_path(source / f"{name}.parquet")
            if name in _IDS:
                distinct = ", ".join(_distinct(c) for c in _IDS[name])
                con.execute(
                    f"INSERT INTO {warehouse.staged(name)} SELECT p.* REPLACE ({distinct}) "
                    f"FROM read_parquet({parquet}) p, range({copies}) r(k)"
                )
            else:
                con.execute(f"INSERT INTO {warehouse.staged(name)} SELECT * FROM read_parquet({parquet})")
        failures = checks.run_staged(con, warehouse.staged_tables())
        assert not any(failures.values()), failures
        rows = warehouse.commit_staging(con, [])
        dist = work / "dist"
        first = publish.stage(con, dist, [], None)
        publish.publish(first, dist)  # the previous release
        con.execute("DELETE FROM indicators WHERE document_id = (SELECT min(document_id) FROM indicators)")
        staged = publish.stage(con, dist, [], None)  # compared with the previous release
        errors = publish.validate(staged, con=con) if frictionless else publish._parquet_matches_csv(staged.path / "data", con)
        assert not errors, errors[:5]
        print(
            f"| {copies} | {rows['documents']:,} | {rows['indicators']:,} | {sum(rows.values()):,} | "
            f"{staged.changes['indicators']['removed']:,} | {time.perf_counter() - started:.1f} s |",
            end=" ",
        )
        con.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("release_data", type=Path, help="the data/ folder of a built release")
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--no-frictionless", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        one(args.release_data, args.one, not args.no_frictionless)
        return 0
    print("| copies | documents | indicator rows | all rows | rows found removed | time | peak memory |")
    print("|---|---|---|---|---|---|---|")
    for n in args.copies:
        command = [sys.executable, __file__, str(args.release_data), "--one", str(n)]
        if args.no_frictionless:
            command.append("--no-frictionless")
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"{n} copies failed")
        print(f"{out.strip()} {usage.ru_maxrss / 1024:.0f} MiB |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
