"""The Dagster definitions load, and materialising every asset publishes a valid package."""

from __future__ import annotations

import json
import warnings

import dagster as dg
import pytest

warnings.filterwarnings("ignore", category=dg.BetaWarning) if hasattr(dg, "BetaWarning") else None


@pytest.fixture
def defs_module(workdir, monkeypatch):
    monkeypatch.setenv("PIPELINE_DOCUMENTS_DIR", str(workdir.documents))
    monkeypatch.setenv("PIPELINE_WAREHOUSE", str(workdir.warehouse))
    monkeypatch.setenv("PIPELINE_DIST_DIR", str(workdir.dist))
    from pipeline import definitions

    return definitions


def test_definitions_load_with_jobs_sensor_and_schedule(defs_module):
    defs = defs_module.defs
    repo = defs.get_repository_def()
    assert {j.name for j in repo.get_all_jobs()} >= {"refresh", "rebuild_and_publish"}
    assert defs.get_sensor_def("new_documents_sensor") and defs.get_schedule_def("weekly_refresh")
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert {"document_extracts", "documents", "judgements", "indicators", "tables", "release_candidate", "published_release"} <= keys
    checks = {k.name for k in repo.asset_graph.asset_check_keys}
    assert {"schema_valid", "unique_keys", "foreign_keys", "judgements_consistent", "frictionless_valid"} <= checks


def test_materialising_every_asset_publishes_a_valid_release(defs_module, workdir):
    m = defs_module
    resources = {
        "pipeline_paths": m.PipelinePaths(documents_dir=str(workdir.documents), dist_dir=str(workdir.dist)),
        "duckdb": m.DuckDBResource(database=str(workdir.warehouse)),
    }
    with dg.instance_for_test() as instance:
        keys = sorted(p.relative_to(workdir.documents).as_posix() for p in workdir.documents.glob("*.txt"))
        instance.add_dynamic_partitions(m.documents_partitions.name, keys)
        result = dg.materialize(
            [m.document_extracts, m.warehouse_tables, m.release_candidate, m.published_release],
            instance=instance,
            resources=resources,
            tags=m._range_tags(keys),
        )
        assert result.success
        checks = result.get_asset_check_evaluations()
        assert checks and all(c.passed for c in checks), [c.check_name for c in checks if not c.passed]
        mats = {e.asset_key.to_user_string(): e for e in result.get_asset_materialization_events()}
        assert mats["documents"].materialization.metadata["dagster/row_count"].value == 5
        descriptor = json.loads((workdir.dist / "latest" / "datapackage.json").read_text())
        assert descriptor["version"] == "1.0.0"

        # a refresh: one new document; the others' rows are carried over in the warehouse
        text = (workdir.documents / "003_6e92df3ec39980fa.txt").read_text().replace("26 November 2007", "27 November 2007", 1)
        (workdir.documents / "added.txt").write_text(text)
        instance.add_dynamic_partitions(m.documents_partitions.name, ["added.txt"])
        again = dg.materialize(
            [m.document_extracts, m.warehouse_tables, m.release_candidate, m.published_release],
            instance=instance,
            resources=resources,
            partition_key="added.txt",
        )
        assert again.success
        mats = {e.asset_key.to_user_string(): e for e in again.get_asset_materialization_events()}
        assert mats["documents"].materialization.metadata["dagster/row_count"].value == 6
        assert mats["documents"].materialization.metadata["documents_carried_over"].value == 5
    descriptor = json.loads((workdir.dist / "latest" / "datapackage.json").read_text())
    assert descriptor["version"] == "1.1.0"


def test_sensor_registers_new_documents_and_requests_one_run(defs_module, workdir):
    m = defs_module
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance)
        result = m.new_documents_sensor(context)
        assert isinstance(result, dg.SensorResult)
        added = result.dynamic_partitions_requests[0]
        assert sorted(added.partition_keys) == sorted(p.name for p in workdir.documents.glob("*.txt"))
        assert len(result.run_requests) == 1
        instance.add_dynamic_partitions(m.documents_partitions.name, list(added.partition_keys))
        again = m.new_documents_sensor(dg.build_sensor_context(instance=instance, cursor=result.cursor))
        assert isinstance(again, dg.SkipReason)
