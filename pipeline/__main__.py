"""Command line.

    python -m pipeline build                      build and publish (paths from PIPELINE_* variables)
    python -m pipeline evaluate DOCS LABELS.csv   score judgements against official grades
    python -m pipeline extract FILE               print what one document yields (JSON)
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.split("\n")[1])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the warehouse and publish a release to dist/")
    b.add_argument("--documents", type=Path, help="documents folder (default $PIPELINE_DOCUMENTS_DIR or seeds/)")
    b.add_argument("--warehouse", type=Path, help="DuckDB file (default $PIPELINE_WAREHOUSE or warehouse/pipeline.duckdb)")
    b.add_argument("--dist", type=Path, help="release folder (default $PIPELINE_DIST_DIR or dist/)")
    b.add_argument("--workers", type=int, help="processes for extraction (default: up to 2)")
    e = sub.add_parser("evaluate", help="score extracted judgements against a labels file")
    e.add_argument("rest", nargs=argparse.REMAINDER)
    x = sub.add_parser("extract", help="print the records one document yields, as JSON")
    x.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    if args.command == "build":
        from .build import Paths, build, print_progress

        env = Paths.from_env()
        paths = Paths(
            documents=args.documents or env.documents,
            warehouse=args.warehouse or env.warehouse,
            dist=args.dist or env.dist,
        )
        print(f"Building from {paths.documents} -> {paths.warehouse}, {paths.dist}", file=sys.stderr)
        result = build(paths, progress=print_progress, workers=args.workers)
        print(result.summary())
        return 0 if result.ok else 1
    if args.command == "evaluate":
        from .evaluate import main as evaluate_main

        return evaluate_main(args.rest)
    if args.command == "extract":
        from .extract import extract_file
        from .text import DocumentError

        try:
            ex = extract_file(args.file, args.file.name)
        except DocumentError as exc:
            print(f"rejected {exc}", file=sys.stderr)
            return 2
        print(json.dumps(ex.to_json(), indent=1, ensure_ascii=False))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
