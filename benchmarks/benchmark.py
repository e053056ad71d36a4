"""Benchmark: build and publish a folder of documents, end to end, and compare with reading its text.

    python -m uv run --frozen python benchmarks/benchmark.py ../shared/corpus/dev [--copies N] [--repeat N]

Prints, for the folder (or for a folder of N distinct copies of every file in it): documents,
pages, wall time and peak memory of a full build (`python -m pipeline build` in a fresh process,
fresh warehouse, cache and dist), the time of a plain pypdfium2 text extraction of the same PDFs
measured in the same run and the ratio of the two; then the time to refresh after adding one
document to the built folder and after changing one. A first build, left out of the ratio, fills
the compiled-pattern cache (``pipeline/patterns.py``) as the first run of a version of the code
does; its time is printed too. Everything is written under a temporary folder; the project's
own warehouse and dist/, and the user's pattern cache, are not touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def plain_text_seconds(files: list[Path]) -> tuple[float, int]:
    """Seconds to read every page's text with pypdfium2 alone, one process; and the page count."""
    import pypdfium2 as pdfium

    pages = 0
    started = time.perf_counter()
    for path in files:
        if not path.read_bytes()[:1024].count(b"%PDF-"):
            continue
        pdf = pdfium.PdfDocument(str(path))
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_bounded()
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    return time.perf_counter() - started, pages


def parallel_throughput(files: list[Path]) -> float:
    """How many times one process's throughput two processes give here: each reads all the files'
    text at the same time as the other (the machine's cores may be shared or hyper-threads)."""
    from concurrent.futures import ProcessPoolExecutor

    one, two = [], []
    with ProcessPoolExecutor(max_workers=2) as pool:
        for _ in range(3):  # alternated, and the best of three of each: this machine is noisy
            one.append(plain_text_seconds(files)[0])
            started = time.perf_counter()
            list(pool.map(plain_text_seconds, [files, files]))
            two.append(time.perf_counter() - started)
    return 2 * min(one) / min(two)


def run_build(env: dict[str, str], checkout: Path = ROOT) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MiB, the largest of the build process and its workers) of one build
    (with the code of ``checkout``)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build"], cwd=checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed:\n{out}")
    return wall, usage.ru_maxrss / 1024, out


def distinct_copy(src: Path, dest: Path, n: int) -> None:
    """A copy with different bytes (so a different SHA-256) and the same content."""
    data = src.read_bytes()
    suffix = f"\n%copy {n}\n".encode() if src.suffix.lower() == ".pdf" else b"\n" * (n + 1)
    dest.write_bytes(data + suffix)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("documents", type=Path)
    parser.add_argument("--copies", type=int, default=1, help="build a folder of N distinct copies of every file")
    parser.add_argument("--cores", action="store_true", help="also measure what two processes give over one")
    parser.add_argument(
        "--repeat", type=int, default=1,
        help="time the text extraction and the full build N times, alternately (each build from nothing), "
        "and report each round's ratio, their median and the best of each (this machine is noisy)",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pipeline-bench-"))
    docs = work / "documents"
    docs.mkdir()
    sources = sorted(p for p in args.documents.iterdir() if p.is_file() and p.suffix.lower() in (".pdf", ".txt", ".md"))
    spare, sources = sources[-1], sources[:-1]  # kept back to be "added" for the refresh
    for n in range(args.copies):
        for src in sources:
            distinct_copy(src, docs / f"c{n}-{src.name}", n)
    files = sorted(docs.iterdir())
    env = {
        **os.environ,
        "PIPELINE_DOCUMENTS_DIR": str(docs),
        "PIPELINE_WAREHOUSE": str(work / "warehouse" / "w.duckdb"),
        "PIPELINE_DIST_DIR": str(work / "dist"),
        "PIPELINE_CACHE_DIR": str(work / "warehouse" / "extracts"),  # (never a cache from outside)
        "PIPELINE_PATTERN_CACHE": str(work / "patterns"),  # (empty until the first build: see below)
    }

    def from_nothing() -> None:  # fresh warehouse, extract cache and dist
        shutil.rmtree(work / "warehouse", ignore_errors=True)
        shutil.rmtree(work / "dist", ignore_errors=True)

    # The first build of a version of the code compiles the extractors' regular expressions and
    # stores them (pipeline/patterns.py); every later build, from nothing or not, reads them.
    first_s, first_mib, _ = run_build(env)
    rounds = []
    for _ in range(args.repeat):
        text_s, pages = plain_text_seconds(files)
        from_nothing()
        build_s, build_mib, summary = run_build(env)
        rounds.append((text_s, build_s, build_mib))
    shutil.copy(spare, docs / f"added-{spare.name}")
    add_s, add_mib, _ = run_build(env)
    distinct_copy(files[0], files[0], 99)
    change_s, change_mib, _ = run_build(env)

    print(f"folder: {args.documents} x{args.copies}  ({len(files)} documents, {pages} PDF pages)")
    lines = summary.strip().splitlines()
    print(lines[0])
    print(next((line for line in lines if line.startswith("Time:")), ""))  # the build's own phases
    print("| measure | value |")
    print("|---|---|")
    print(f"| documents | {len(files)} |")
    print(f"| PDF pages | {pages} |")
    print(f"| plain pypdfium2 text extraction | {text_s:.1f} s |")
    print(f"| full build and publish | {build_s:.1f} s |")
    print(f"| ratio build / text extraction | {build_s / text_s:.2f} |" if text_s else "| ratio | n/a |")
    print(f"| peak memory, full build | {build_mib:.0f} MiB |")
    print(f"| first full build of this code (compiles the patterns) | {first_s:.1f} s (peak {first_mib:.0f} MiB) |")
    print(f"| refresh after adding one document | {add_s:.1f} s (peak {add_mib:.0f} MiB) |")
    print(f"| refresh after changing one document | {change_s:.1f} s (peak {change_mib:.0f} MiB) |")
    if args.repeat > 1:
        ratios = sorted(b / t for t, b, _ in rounds)
        print(f"| rounds (text / build / ratio) | {'; '.join(f'{t:.1f} / {b:.1f} / {b / t:.2f}' for t, b, _ in rounds)} |")
        print(f"| median ratio of the rounds | {statistics.median(ratios):.2f} |")
        best_text, best_build = min(t for t, _, _ in rounds), min(b for _, b, _ in rounds)
        print(f"| best build / best text extraction | {best_build:.1f} / {best_text:.1f} s = {best_build / best_text:.2f} |")
        print(f"| largest peak memory of the builds | {max(m for _, _, m in rounds):.0f} MiB |")
    if args.cores:
        print(f"| two processes' text extraction throughput / one's | {parallel_throughput(files):.2f} |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
