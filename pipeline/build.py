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
from typing import Callable

import polars as pl

from . import checks, publish, schemas, warehouse
from .collect import Collection, Rejected, collect

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


QUARANTINE_REASON = "failed its checks: "


def quarantine(collection: Collection) -> None:
    """Documents whose own checks fail are rejected whole, so they cannot spoil the release."""
    kept = []
    for ex in collection.extracts:
        if ex.problems:
            reason = QUARANTINE_REASON + "; ".join(ex.problems[:5])
            if len(ex.problems) > 5:
                reason += f"; and {len(ex.problems) - 5} more"
            collection.rejected.append(Rejected(ex.document["source_file"], reason))
            log.warning("rejected %s: %s", ex.document["source_file"], reason)
        else:
            kept.append(ex)
    collection.extracts = kept


def assemble(collection: Collection) -> dict[str, pl.DataFrame]:
    """The published tables, typed and sorted, from the extracts and the reference data."""
    rows: dict[str, list[dict]] = {"documents": [], "tables": [], "judgements": [], "indicators": []}
    for ex in collection.extracts:
        rows["documents"].append(ex.document)
        rows["tables"].extend(ex.tables)
        rows["judgements"].extend(ex.judgements)
        rows["indicators"].extend(ex.indicators)
    rows.update(reference_rows())
    return {name: safe_text(schemas.frame(name, rows[name])) for name in schemas.RESOURCES}


_FORMULA_START = re.compile(r"^[\s=+\-@]+")
_NEGATIVE = re.compile(r"^-(\d)")


def safe_text(df: pl.DataFrame) -> pl.DataFrame:
    """No text cell may start with =, +, - or @ (spreadsheet formula injection).

    Leading bullet dashes and formula characters are stripped (evidence stays a verbatim substring);
    a leading minus sign of a number becomes the Unicode minus, which spreadsheets do not evaluate.
    """
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
            f"Documents: {c.total} found, {len(c.extracts)} read, {len(c.rejected)} rejected"
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

    collection = collect(paths.documents, paths.cache, workers=workers, progress=progress)
    quarantine(collection)
    lap("read")
    frames = assemble(collection)
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
