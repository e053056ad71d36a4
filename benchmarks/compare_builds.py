"""Which of two versions of the pipeline builds a folder faster, on a machine whose speed moves.

Builds the folder from nothing (fresh warehouse, extract cache and dist/ each time) with the code of
two checkouts, alternately (A B, B A, A B, ...), and prints each one's times and the median of the
paired differences. A single timing here moves by ±20% from minute to minute; pairs made seconds
apart share the machine's mood. Each checkout first builds the folder once, untimed (which also fills
its own compiled-pattern cache, as the first run of a version of the code does). With
``--refresh``, what is timed is a refresh after one document changed, each round from a copy of
that built state.

    git worktree add /tmp/before <commit>
    python -m uv run --frozen python benchmarks/compare_builds.py /tmp/before . ../shared/corpus/dev --rounds 8
    python -m uv run --frozen python benchmarks/compare_builds.py /tmp/before . FOLDER --rounds 4 --refresh

Both checkouts run with this environment's Python and libraries (the code is taken from each
checkout's ``pipeline/`` and ``schemas/``).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from benchmark import distinct_copy, run_build  # (this folder)


# each checkout's compiled-pattern cache (pipeline/patterns.py), made and filled by its first
# build (nothing is created on import)
_PATTERNS = Path(tempfile.gettempdir()) / f"compare-builds-patterns-{os.getpid()}"


def _env(checkout: Path, documents: Path, work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PIPELINE_PATTERN_CACHE": str(_PATTERNS / hashlib.sha1(str(checkout.resolve()).encode()).hexdigest()[:12]),
        "PIPELINE_DOCUMENTS_DIR": str(documents),
        "PIPELINE_WAREHOUSE": str(work / "warehouse" / "w.duckdb"),
        "PIPELINE_DIST_DIR": str(work / "dist"),
        "PIPELINE_CACHE_DIR": str(work / "warehouse" / "extracts"),  # (never a cache from outside)
        "PYTHONPATH": str(checkout),  # (before the installed project on sys.path)
    }


def build_seconds(checkout: Path, documents: Path) -> float:
    work = Path(tempfile.mkdtemp(prefix="compare-builds-"))
    try:
        return run_build(_env(checkout, documents, work), checkout)[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def built_state(checkout: Path, documents: Path) -> Path:
    """A folder holding a copy of the documents and the warehouse, cache and dist/ built from them."""
    state = Path(tempfile.mkdtemp(prefix="compare-builds-state-"))
    shutil.copytree(documents, state / "documents")
    run_build(_env(checkout, state / "documents", state), checkout)
    return state


def refresh_seconds(checkout: Path, state: Path, n: int) -> float:
    """A refresh of a copy of ``state`` after its first document changed (distinct bytes for each n)."""
    work = Path(tempfile.mkdtemp(prefix="compare-builds-"))
    try:
        shutil.copytree(state, work, dirs_exist_ok=True)
        first = sorted((work / "documents").iterdir())[0]
        distinct_copy(first, first, 100 + n)
        return run_build(_env(checkout, work / "documents", work), checkout)[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path, help="a checkout of the project (the 'before')")
    parser.add_argument("b", type=Path, help="another checkout (the 'after')")
    parser.add_argument("documents", type=Path)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--refresh", action="store_true", help="time a refresh after one changed document")
    args = parser.parse_args()
    a, b, documents = args.a.resolve(), args.b.resolve(), args.documents.resolve()
    times: dict[Path, list[float]] = {a: [], b: []}
    # each checkout builds the folder once first: the state a refresh starts from, and the first
    # run of its code (which compiles its patterns, and is not timed)
    states = {checkout: built_state(checkout, documents) for checkout in (a, b)}
    for i in range(args.rounds):
        for checkout in (a, b) if i % 2 == 0 else (b, a):
            seconds = refresh_seconds(checkout, states[checkout], i) if args.refresh else build_seconds(checkout, documents)
            times[checkout].append(seconds)
        print(f"round {i + 1}: {times[a][-1]:.2f} s / {times[b][-1]:.2f} s", file=sys.stderr)
    for state in states.values():
        shutil.rmtree(state, ignore_errors=True)
    differences = [x - y for x, y in zip(times[a], times[b])]
    for name, checkout in (("a", a), ("b", b)):
        print(f"{name} {checkout}: median {statistics.median(times[checkout]):.2f} s, "
              + ", ".join(f"{t:.2f}" for t in times[checkout]))
    print(f"a - b, paired: median {statistics.median(differences):+.3f} s, mean {statistics.mean(differences):+.3f} s "
          f"({args.rounds} rounds; positive: b is faster)")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(_PATTERNS, ignore_errors=True)
