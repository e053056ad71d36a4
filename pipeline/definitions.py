"""Dagster definitions: thin wrappers over the plain-Python steps in ``pipeline.build``.

    document_extracts  (one partition per source document; a backfill runs as one run)
        -> documents, judgements, indicators, tables, indicator_catalogue, grade_scales,
           judgement_areas  (warehouse tables in DuckDB, with blocking checks)
        -> release_candidate  (staged package, blocking frictionless check)
        -> published_release  (dist/<version>, dist/latest, dist/CHANGELOG.md)

A sensor registers new or changed documents in the documents folder as partitions and runs them;
a weekly schedule refreshes everything. Nothing connects to DuckDB at import time.
"""


import json
import os
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from . import build as steps
from . import checks as plain_checks
from . import publish, schemas, warehouse
from .collect import QUARANTINE_REASON, collect, scan

documents_partitions = dg.DynamicPartitionsDefinition(name="documents")
PARTITION_RANGE_START = "dagster/asset_partition_range_start"
PARTITION_RANGE_END = "dagster/asset_partition_range_end"


class PipelinePaths(dg.ConfigurableResource):
    """Where documents are read from and releases written to (defaults from PIPELINE_* variables)."""

    documents_dir: str = ""
    dist_dir: str = ""
    cache_dir: str = ""

    def paths(self, database: str) -> steps.Paths:
        env = steps.Paths.from_env()
        return steps.Paths(
            documents=Path(self.documents_dir) if self.documents_dir else env.documents,
            warehouse=Path(database),
            dist=Path(self.dist_dir) if self.dist_dir else env.dist,
        )

    def cache(self, database: str) -> Path:
        return Path(self.cache_dir) if self.cache_dir else self.paths(database).cache


def _md_table(rows: list[dict], limit: int = 10) -> dg.MetadataValue:
    if not rows:
        return dg.MetadataValue.md("_none_")
    cols = list(rows[0].keys())
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows[:limit]:
        lines.append("| " + " | ".join(str(r[c] if r[c] is not None else "").replace("|", "\\|")[:80] for c in cols) + " |")
    return dg.MetadataValue.md("\n".join(lines))


@dg.asset(
    partitions_def=documents_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="extraction",
    description=(
        "Reads each source document (text, Markdown or PDF) and extracts its documents row, tables, "
        "judgements and indicators, cached by content hash. A document that cannot be read is "
        "rejected with its reason and never stops the others."
    ),
    kinds={"python"},
)
def document_extracts(context: dg.AssetExecutionContext, pipeline_paths: PipelinePaths, duckdb: DuckDBResource) -> dg.MaterializeResult:
    paths = pipeline_paths.paths(duckdb.database)
    keys = list(context.partition_keys)
    collection = collect(
        paths.documents,
        pipeline_paths.cache(duckdb.database),
        only=keys,
        progress=lambda done, total, source: context.log.info(f"[{done}/{total}] {source}"),
    )
    for r in collection.rejected:
        context.log.warning(f"rejected {r.source}: {r.reason}")
    missing = set(keys) - {d["source_file"] for d in collection.documents} - {r.source for r in collection.rejected}
    for key in sorted(missing):
        context.log.warning(f"rejected {key}: the file is no longer in {paths.documents}")
    return dg.MaterializeResult(
        metadata={
            "documents_read": len(collection.documents),
            "documents_rejected": len(collection.rejected) + len(missing),
            "from_cache": collection.from_cache,
            "rejected": _md_table(collection.rejected_rows()),
            "judgements": collection.rows["judgements"],
            "indicators": collection.rows["indicators"],
            "table_cells": collection.rows["tables"],
            "preview": _md_table(
                [
                    {k: d[k] for k in ("source_file", "document_type", "framework", "la_name", "period_start")}
                    for d in collection.documents
                ]
            ),
        }
    )


def _column_schema(name: str) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                f["name"],
                f["type"],
                description=f.get("description"),
                constraints=dg.TableColumnConstraints(
                    nullable=not f.get("constraints", {}).get("required", False),
                    unique=bool(f.get("constraints", {}).get("unique", False)),
                ),
            )
            for f in schemas.spec(name)["fields"]
        ]
    )


WAREHOUSE_SPECS = [
    dg.AssetSpec(
        name,
        group_name="warehouse",
        description=schemas.spec(name).get("description"),
        deps=[document_extracts],
        kinds={"duckdb"},
        metadata={"dagster/column_schema": _column_schema(name)},
    )
    for name in schemas.RESOURCES
]
CHECK_SPECS = [
    dg.AssetCheckSpec(
        check.name,
        asset="judgements" if check.resource == "judgements" else "indicators" if check.resource == "indicators" else "documents",
        blocking=True,
        description=check.description,
    )
    for check in plain_checks.CHECKS
]


@dg.multi_asset(specs=WAREHOUSE_SPECS, check_specs=CHECK_SPECS, pool="duckdb_writer", can_subset=False)
def warehouse_tables(context: dg.AssetExecutionContext, pipeline_paths: PipelinePaths, duckdb: DuckDBResource):
    """Assembles every document's extract into the published tables, validates them with pandera,
    runs the blocking checks and writes the tables to DuckDB (one writer)."""
    paths = pipeline_paths.paths(duckdb.database)
    with duckdb.get_connection() as con:
        warehouse.configure(con)
        collection, store = steps.read_documents(paths, lambda: con, cache_dir=pipeline_paths.cache(duckdb.database))
        failures = store.finish()
        rejected = collection.rejected_rows()
        if any(failures.values()):
            warehouse.discard_staging(con)
            previews = {}
        else:
            warehouse.commit_staging(con, rejected)
            previews = {name: warehouse.preview(con, name) for name in schemas.RESOURCES}
    for name in schemas.RESOURCES:
        preview = previews.get(name)
        metadata = {
            "dagster/row_count": store.rows[name],
            "preview": dg.MetadataValue.md(preview.head(10).to_pandas().to_markdown(index=False))
            if preview is not None and preview.height
            else "_empty_",
        }
        if name == "documents":
            # documents whose rows the warehouse already held, under the same code: copied, not staged again
            metadata["documents_carried_over"] = collection.carried
            metadata["documents_rejected"] = len(rejected)
            metadata["rejected"] = _md_table(rejected, limit=50)
        yield dg.MaterializeResult(asset_key=name, metadata=metadata)
    withheld = [r for r in rejected if r["reason"].startswith(QUARANTINE_REASON)]
    for check in plain_checks.CHECKS:
        found = failures[check.name]
        yield dg.AssetCheckResult(
            check_name=check.name,
            asset_key=next(s.asset_key for s in CHECK_SPECS if s.name == check.name),
            passed=not found,
            metadata={
                "failures": len(found),
                "details": dg.MetadataValue.md("\n".join(f"- {f}" for f in found[:50]) or "none"),
                # documents whose own cross-checks failed are withheld from the release, not published
                "documents_withheld": len(withheld),
                "withheld": _md_table(withheld, limit=50),
            },
        )


@dg.asset(
    deps=[spec.key for spec in WAREHOUSE_SPECS],
    group_name="release",
    description="The candidate release, staged next to dist/ (nothing staged when its content equals the latest release).",
    check_specs=[dg.AssetCheckSpec("frictionless_valid", asset="release_candidate", blocking=True,
                                   description="The staged data package passes frictionless validate.")],
    pool="duckdb_writer",
)
def release_candidate(context: dg.AssetExecutionContext, pipeline_paths: PipelinePaths, duckdb: DuckDBResource):
    paths = pipeline_paths.paths(duckdb.database)
    with duckdb.get_connection() as con:
        warehouse.configure(con)
        documents = warehouse.read_table(con, "documents")
        staged = publish.stage(con, paths.dist, steps.sources(documents), steps.dictionary_sections())
        errors = publish.validate(staged, con=con) if staged is not None else []
    if staged is None:
        yield dg.MaterializeResult(metadata={"status": f"unchanged (latest is {publish.latest_version(paths.dist)})"})
        yield dg.AssetCheckResult(check_name="frictionless_valid", passed=True, metadata={"status": "nothing staged"})
        return
    yield dg.MaterializeResult(
        metadata={"status": "staged", "version": staged.version, "bump": staged.bump, "staging_path": str(staged.path),
                  "changes": dg.MetadataValue.json(staged.changes)}
    )
    if errors:
        publish.discard(staged)
    yield dg.AssetCheckResult(
        check_name="frictionless_valid",
        passed=not errors,
        metadata={"errors": dg.MetadataValue.md("\n".join(f"- {e}" for e in errors[:50]) or "none")},
    )


@dg.asset(
    deps=[release_candidate],
    group_name="release",
    description="Publishes the staged release to dist/<version>/, refreshes dist/latest/ and dist/CHANGELOG.md, all or nothing.",
)
def published_release(context: dg.AssetExecutionContext, pipeline_paths: PipelinePaths, duckdb: DuckDBResource) -> dg.MaterializeResult:
    paths = pipeline_paths.paths(duckdb.database)
    staged_dirs = sorted(paths.dist.glob(f"{publish.STAGING_PREFIX}*"))
    staged = [publish.load_staged(d) for d in staged_dirs if (d / ".staged.json").exists()]
    if not staged:
        return dg.MaterializeResult(metadata={"status": f"unchanged (latest is {publish.latest_version(paths.dist)})"})
    newest = max(staged, key=lambda s: publish.version_key(s.version))
    final = publish.publish(newest, paths.dist)
    return dg.MaterializeResult(metadata={"status": "published", "version": newest.version, "path": str(final)})


refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Extract the selected documents, rebuild the warehouse and publish.",
)
publish_job = dg.define_asset_job(
    "rebuild_and_publish",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(document_extracts),
    description="Rebuild the warehouse from all documents (extracting any not yet cached) and publish.",
)


def _range_tags(keys: list[str]) -> dict[str, str]:
    return {PARTITION_RANGE_START: keys[0], PARTITION_RANGE_END: keys[-1]}


@dg.sensor(job=refresh_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Registers new or changed documents in the documents folder as partitions and runs them.")
def new_documents_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    documents = steps.Paths.from_env().documents
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    current = {f.source: f.sha256 for f in scan(documents)}
    registered = list(context.instance.get_dynamic_partitions(documents_partitions.name))
    added = [k for k in current if k not in registered]
    removed = [k for k in registered if k not in current]
    ordered = [k for k in registered if k in current] + added
    to_run = [k for k in ordered if seen.get(k) != current[k]]
    requests = []
    if added:
        requests.append(dg.AddDynamicPartitionsRequest(documents_partitions.name, added))
    if removed:
        requests.append(dg.DeleteDynamicPartitionsRequest(documents_partitions.name, removed))
    runs = []
    if to_run:
        first, last = ordered.index(to_run[0]), ordered.index(to_run[-1])
        span = ordered[first : last + 1]
        runs.append(dg.RunRequest(run_key=f"documents-{hash(tuple(sorted(current.items())))}", tags=_range_tags(span)))
    elif removed:
        runs.append(dg.RunRequest(run_key=f"removed-{hash(tuple(removed))}", job_name=publish_job.name))
    if not requests and not runs:
        return dg.SkipReason(f"no new or changed documents in {documents}")
    return dg.SensorResult(run_requests=runs, dynamic_partitions_requests=requests, cursor=json.dumps(current))


@dg.schedule(job=refresh_job, cron_schedule="0 6 * * 1", execution_timezone="Europe/London",
             default_status=dg.DefaultScheduleStatus.RUNNING,
             description="Weekly refresh: every registered document, the warehouse and the release.")
def weekly_refresh(context: dg.ScheduleEvaluationContext):
    keys = list(context.instance.get_dynamic_partitions(documents_partitions.name))
    if not keys:
        return dg.SkipReason("no documents registered yet: the new_documents_sensor registers them")
    return dg.RunRequest(run_key=None, tags=_range_tags(keys))


def _database() -> str:
    return os.environ.get("PIPELINE_WAREHOUSE") or str(steps.ROOT / "warehouse" / "pipeline.duckdb")


defs = dg.Definitions(
    assets=[document_extracts, warehouse_tables, release_candidate, published_release],
    jobs=[refresh_job, publish_job],
    sensors=[new_documents_sensor],
    schedules=[weekly_refresh],
    resources={"pipeline_paths": PipelinePaths(), "duckdb": DuckDBResource(database=_database())},
)
