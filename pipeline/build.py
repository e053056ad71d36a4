"""The build, step by step: collect documents -> assemble and validate tables -> check ->
warehouse -> stage, validate and publish the release. Each step is a plain function that the
command line (``python -m pipeline build``) and the Dagster assets both call.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import schemas
from .collect import DOCUMENT_TABLES, Collection, collect
from .records import Extract

if TYPE_CHECKING:  # polars, DuckDB, pandera and frictionless are imported while the workers read
    import polars as pl

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    documents: Path
    warehouse: Path
    dist: Path

    @property
    def cache(self) -> Path:
        return Path(os.environ.get("PIPELINE_CACHE_DIR") or self.warehouse.parent / "extracts")

    @classmethod
    def from_env(cls) -> "Paths":
        return cls(
            documents=Path(os.environ.get("PIPELINE_DOCUMENTS_DIR") or ROOT / "seeds"),
            warehouse=Path(os.environ.get("PIPELINE_WAREHOUSE") or ROOT / "warehouse" / "pipeline.duckdb"),
            dist=Path(os.environ.get("PIPELINE_DIST_DIR") or ROOT / "dist"),
        )


def reference_rows() -> dict[str, list[dict]]:
    """Rows of the reference resources, which do not come from documents."""
    from .catalogue import CATALOGUE
    from .frameworks import AREA_VOCABULARY, scale_rows

    areas = [
        {
            "judgement_area_key": key,
            "label": v["label"],
            "description": v.get("description"),
            "frameworks": " ".join(v.get("frameworks", ())),
        }
        for key, v in AREA_VOCABULARY.items()
    ]
    return {"indicator_catalogue": list(CATALOGUE), "grade_scales": scale_rows(), "judgement_areas": areas}


class RowStore:
    """The rows of the document tables, held as typed polars frames made in batches as documents
    arrive, so that memory grows by the compact columnar size of the data, not by Python objects."""

    BATCH_ROWS = 1000

    def __init__(self) -> None:
        self._pending: dict[str, list[dict]] = {name: [] for name in ("documents", *DOCUMENT_TABLES)}
        self._parts: dict[str, list[pl.DataFrame]] = {name: [] for name in self._pending}
        self._count = 0

    def add(self, extract: Extract) -> None:
        self._pending["documents"].append(extract.document)
        for name in DOCUMENT_TABLES:
            rows = getattr(extract, name)
            self._pending[name].extend(rows)
            self._count += len(rows)
        if self._count >= self.BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        for name, rows in self._pending.items():
            if rows:
                self._parts[name].append(safe_text(schemas.frame(name, rows)))
                self._pending[name] = []
        self._count = 0

    def frames(self) -> dict[str, pl.DataFrame]:
        self._flush()
        import polars as pl

        return {
            name: schemas.sort_rows(name, pl.concat(parts, rechunk=False)) if parts else schemas.frame(name, [])
            for name, parts in self._parts.items()
        }


def assemble(store: RowStore) -> dict[str, pl.DataFrame]:
    """The published tables, typed and sorted, from the documents' rows and the reference data."""
    frames = store.frames()  # made safe batch by batch
    frames.update({name: safe_text(schemas.frame(name, rows)) for name, rows in reference_rows().items()})
    return {name: frames[name] for name in schemas.RESOURCES}


def prepare_imports() -> None:
    """Import what checking, the warehouse and publishing need (about a second of start-up); the
    build does this while the worker processes read the documents."""
    import duckdb  # noqa: F401
    import frictionless  # noqa: F401
    import pandera.polars  # noqa: F401
    import polars  # noqa: F401

    from . import checks, publish, warehouse  # noqa: F401


def read_documents(
    paths: Paths,
    progress: Callable[[int, int, str], None] | None = None,
    workers: int | None = None,
    cache_dir: Path | None = None,
) -> tuple[Collection, RowStore]:
    """Every document of the folder read (or taken from the cache), its rows kept in a RowStore."""
    store = RowStore()
    collection = collect(
        paths.documents,
        cache_dir or paths.cache,
        sink=store.add,
        workers=workers,
        progress=progress,
        while_waiting=prepare_imports,
    )
    return collection, store


_FORMULA_START = re.compile(r"^[\s=+\-@]+")
_NEGATIVE = re.compile(r"^-(\d)")


def safe_text(df: pl.DataFrame) -> pl.DataFrame:
    """No text cell may start with =, +, - or @ (spreadsheet formula injection).

    Leading bullet dashes and formula characters are stripped (evidence stays a verbatim substring);
    a leading minus sign of a number becomes the Unicode minus, which spreadsheets do not evaluate.
    """
    import polars as pl

    exprs = [
        pl.col(c).str.replace(_NEGATIVE.pattern, "\u2212${1}").str.replace(_FORMULA_START.pattern, "")
        for c, t in df.schema.items()
        if t == pl.String
    ]
    return df.with_columns(exprs) if exprs else df


def sources(frames: dict[str, pl.DataFrame]) -> list[dict]:
    out = []
    for d in frames["documents"].to_dicts():
        when = d["published_date"] or d["period_start"]
        title = d["title"] or d["source_file"]
        entry = {"title": f"{title} ({d['publisher'] or 'unknown publisher'}{', ' + when.isoformat() if when else ''})"}
        if d.get("source") and str(d["source"]).startswith(("http://", "https://")):
            entry["path"] = d["source"]
        out.append(entry)
    return out


def dictionary_sections() -> dict[str, str]:
    """Vocabularies printed under their resources in the release's data dictionary."""
    from .catalogue import CATALOGUE
    from .frameworks import AREA_VOCABULARY, FRAMEWORKS

    fw = ["Frameworks:", "", "| framework | name | years | grade scale |", "|---|---|---|---|"]
    fw += [f"| `{f.key}` | {f.label} | {f.years} | {f.grade_scale or 'ungraded'} |" for f in FRAMEWORKS.values()]
    areas = ["Judgement area keys:", "", "| key | label | frameworks |", "|---|---|---|"]
    areas += [f"| `{k}` | {v['label']} | {' '.join(v.get('frameworks', ()))} |" for k, v in AREA_VOCABULARY.items()]
    cat = ["Indicators in the catalogue:", "", "| key | label | unit | polarity |", "|---|---|---|---|"]
    cat += [f"| `{r['indicator_key']}` | {r['label']} | {r['unit']} | {r['polarity']} |" for r in CATALOGUE]
    from .frameworks import SERVICE_VOCABULARY
    from .indicators import COMPARISON_GROUPS, UNIT_VOCABULARY

    services = ["Services (`service`):", "", "| service | label |", "|---|---|"]
    services += [f"| `{k}` | {v['label']} |" for k, v in SERVICE_VOCABULARY.items()]
    units = ["Units (`unit`):", "", "| unit | meaning |", "|---|---|"]
    units += [f"| `{k}` | {v} |" for k, v in UNIT_VOCABULARY.items()]
    groups = ["Comparison groups (`comparison_group`):", "", "| group | meaning |", "|---|---|"]
    groups += [f"| `{k}` | {v} |" for k, v in COMPARISON_GROUPS.items()]
    return {
        "grade_scales": "\n".join(fw),
        "judgements": "\n".join(areas + [""] + services),
        "indicators": "\n".join(units + [""] + groups),
        "indicator_catalogue": "\n".join(cat),
    }


@dataclass
class BuildResult:
    collection: Collection
    frames: dict[str, pl.DataFrame]
    check_failures: dict[str, list[str]]
    release: str | None = None  # version published, or None
    status: str = ""
    seconds: float = 0.0
    validation_errors: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step

    @property
    def ok(self) -> bool:
        return not any(self.check_failures.values()) and not self.validation_errors

    def summary(self) -> str:
        c = self.collection
        lines = [
            f"Documents: {c.total} found, {len(c.documents)} read, {len(c.rejected)} rejected"
            f" ({c.from_cache} from cache)",
        ]
        for r in c.rejected:
            lines.append(f"  rejected {r.source}: {r.reason}")
        lines.append("Rows: " + ", ".join(f"{n} {df.height}" for n, df in self.frames.items()))
        for name, failures in self.check_failures.items():
            if failures:
                lines.append(f"Check {name} FAILED ({len(failures)}):")
                lines += [f"  {f}" for f in failures[:20]]
        for err in self.validation_errors[:20]:
            lines.append(f"  frictionless: {err}")
        lines.append(f"Release: {self.status}")
        steps = ", ".join(f"{k} {v:.1f}" for k, v in self.phases.items())
        lines.append(f"Time: {self.seconds:.1f} s ({steps})" if steps else f"Time: {self.seconds:.1f} s")
        return "\n".join(lines)


def build(paths: Paths, progress: Callable[[int, int, str], None] | None = None, workers: int | None = None) -> BuildResult:
    started = time.perf_counter()
    phases: dict[str, float] = {}
    mark = [started]

    def lap(name: str) -> None:
        now = time.perf_counter()
        phases[name] = now - mark[0]
        mark[0] = now

    collection, store = read_documents(paths, progress, workers)
    from . import checks, publish, warehouse

    lap("read")
    frames = assemble(store)
    failures = checks.run_all(frames)
    result = BuildResult(collection, frames, failures, phases=phases)
    lap("check")
    if not result.ok:
        result.status = "not published: checks failed"
    else:
        warehouse.write(paths.warehouse, frames, [{"source_file": r.source, "reason": r.reason} for r in collection.rejected])
        lap("warehouse")
        staged = publish.stage(frames, paths.dist, sources(frames), dictionary_sections())
        if staged is None:
            result.status = f"unchanged (latest is {publish.latest_version(paths.dist)})"
        else:
            result.validation_errors = publish.validate(staged)
            if result.validation_errors:
                publish.discard(staged)
                result.status = "not published: the package failed frictionless validation"
            else:
                publish.publish(staged, paths.dist)
                result.release = staged.version
                result.status = f"published {staged.version} ({staged.bump}) to {paths.dist / staged.version}"
        lap("publish")
    result.seconds = time.perf_counter() - started
    return result


def print_progress(done: int, total: int, source: str) -> None:
    stream = sys.stderr
    if stream.isatty():
        stream.write(f"\r[{done}/{total}] {source[:60]:<60}")
        if done == total:
            stream.write("\n")
    elif done == total or done % 10 == 0 or total <= 20:
        stream.write(f"[{done}/{total}] {source}\n")
    stream.flush()
