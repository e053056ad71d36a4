"""Memory of the build process after each step of a build, to see what grows with the folder.

    python -m uv run --frozen python benchmarks/memory_by_phase.py ../shared/corpus/dev

Runs the build's steps one by one in this process (warehouse, cache and release under a temporary
folder) and prints, after each, the resident memory and its peak so far (from /proc, Linux only),
and the largest worker's peak (then that of the validator process too).
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def memory() -> str:
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    mib = lambda key: int(status[key].split()[0]) / 1024  # noqa: E731
    return f"{mib('VmRSS'):6.0f} MiB now, {mib('VmHWM'):6.0f} MiB peak"


def main() -> int:
    from pipeline import build

    folder = Path(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="pipeline-memory-"))
    paths = build.Paths(folder, work / "warehouse" / "w.duckdb", work / "dist")
    print(f"{'start':<10} {memory()}")
    opened = []

    def connect():
        from pipeline import warehouse

        opened.append(warehouse.connect(paths.warehouse))
        return opened[-1]

    from pipeline.validation import Validator

    with Validator() as validator:  # (as the build: Frictionless in a process of its own)
        collection, store = build.read_documents(paths, connect)
        con = opened[0]
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{'read':<10} {memory()}   ({collection.total} documents; largest worker peak {workers:.0f} MiB)")
        from pipeline import publish, warehouse

        store.stage_rest()  # (as the build: the release is written from the staging tables, and the
        # last checks run while the validator validates it; the warehouse is committed after)
        staged = build.stage_candidate(con, paths.dist)
        print(f"{'stage':<10} {memory()}")
        failures = {}
        errors = publish.validate(staged, con=con, validator=validator, meanwhile=lambda: failures.update(store.check_rest()))
        print(f"{'validate':<10} {memory()}   ({sum(store.rows.values())} rows staged, "
              f"{sum(map(len, failures.values()))} check failures, {len(errors)} validation errors)")
        warehouse.commit_staging(con, collection.rejected_rows())
        print(f"{'warehouse':<10} {memory()}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{'':<10} largest peak of the workers and the validator: {children:.0f} MiB")
    con.close()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
