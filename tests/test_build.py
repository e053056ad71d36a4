"""End to end through the command-line path: seeds in, a validated, versioned release out."""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from pipeline import collect as collect_module
from pipeline import publish, warehouse
from pipeline.schemas import RESOURCES
from pipeline.build import Paths, build

SEED_2010 = "000_01742e026f177561.txt"
SEED_2014 = "001_4a76b7c783c2be1c.txt"
SEED_APA = "003_6e92df3ec39980fa.txt"
SEED_VISIT = "004_55d8be6d247fbed7.txt"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def first_build(workdir):
    result = build(workdir, workers=1)
    assert result.ok, result.summary()
    return workdir, result


def test_seeds_publish_a_valid_first_release(first_build):
    paths, result = first_build
    assert result.release == "1.0.0"
    release = paths.dist / "1.0.0"
    for name in ("documents", "judgements", "indicators", "indicator_catalogue", "tables", "grade_scales"):
        assert (release / "data" / f"{name}.csv").exists() and (release / "data" / f"{name}.parquet").exists()
        csv_rows = pl.read_csv(release / "data" / f"{name}.csv", infer_schema=False).height
        assert csv_rows == pl.read_parquet(release / "data" / f"{name}.parquet").height
    assert _tree(release) == _tree(paths.dist / "latest")
    descriptor = json.loads((release / "datapackage.json").read_text())
    assert descriptor["version"] == "1.0.0" and descriptor["licenses"][0]["name"] == "OGL-UK-3.0"
    assert len(descriptor["sources"]) == 5 and "Crown copyright" in descriptor["attribution"]
    assert publish.validate(publish.Staged(release, "1.0.0", None, {}, "initial", []), full=True) == []
    assert "## 1.0.0" in (paths.dist / "CHANGELOG.md").read_text()
    dictionary = (release / "README.md").read_text()
    assert "`judgement_area_key`" in dictionary and "`observation_id`" in dictionary


def test_seed_documents_rows_have_type_dates_and_authority(first_build):
    paths, _ = first_build
    rows = {r["source_file"]: r for r in csv.DictReader(open(paths.dist / "latest/data/documents.csv"))}
    assert set(rows) == {SEED_2010, SEED_2014, "002_fdc1ca3b49c43e95.txt", SEED_APA, SEED_VISIT}
    for row in rows.values():
        assert (row["new_la_code"], row["old_la_code"], row["region_code"]) == ("E06000031", "874", "E12000006")
        assert row["geographic_level"] == "Local authority" and row["country_code"] == "E92000001"
    assert rows[SEED_2010]["document_type"] == "inspection_report"
    assert rows[SEED_2010]["framework"] == "safeguarding_lac"
    assert (rows[SEED_2010]["period_start"], rows[SEED_2010]["period_end"]) == ("2010-03-08", "2010-03-19")
    assert rows[SEED_APA]["framework"] == "apa" and rows[SEED_APA]["published_date"] == "2007-11-26"
    assert rows[SEED_VISIT]["document_type"] == "focused_visit_letter" and rows[SEED_VISIT]["graded"] == "false"
    assert (rows[SEED_VISIT]["period_start"], rows[SEED_VISIT]["period_end"]) == ("2021-06-22", "2021-06-23")
    assert rows[SEED_2014]["document_type"] == "committee_report" and rows[SEED_2014]["published_date"] == "2014-03-17"
    assert rows[SEED_2010]["publisher"] == "Ofsted" and rows[SEED_2014]["publisher"] == "Peterborough City Council"


def test_seed_table_counts(first_build):
    paths, _ = first_build
    docs = pl.read_csv(paths.dist / "latest/data/documents.csv", infer_schema=False)
    cells = pl.read_csv(paths.dist / "latest/data/tables.csv", infer_schema=False)
    per_doc = dict(cells.group_by("document_id").agg(pl.col("table_index").n_unique()).iter_rows())
    counts = {src: per_doc.get(doc_id, 0) for doc_id, src in zip(docs["document_id"], docs["source_file"])}
    # The 2014 report prints its meetings table in two halves under one header: counted as one table.
    assert counts == {SEED_2010: 4, SEED_2014: 2, "002_fdc1ca3b49c43e95.txt": 0, SEED_APA: 0, SEED_VISIT: 0}


def test_unchanged_rebuild_publishes_nothing(first_build):
    paths, _ = first_build
    before = _tree(paths.dist)
    again = build(paths, workers=1)
    assert again.ok and again.release is None and again.status.startswith("unchanged")
    assert again.collection.carried == 5 and again.collection.from_cache == 0  # rows carried over in DuckDB
    assert _tree(paths.dist) == before


def test_added_document_publishes_a_minor_release_with_a_changelog_entry(first_build, tmp_path):
    paths, _ = first_build
    text = (paths.documents / SEED_APA).read_text().replace("26 November 2007", "27 November 2007", 1)
    (paths.documents / "sub").mkdir()
    (paths.documents / "sub" / "apa-copy-edited.txt").write_text(text)
    result = build(paths, workers=1)
    assert result.ok and result.release == "1.1.0", result.summary()
    log = (paths.dist / "CHANGELOG.md").read_text()
    assert log.index("## 1.1.0") < log.index("## 1.0.0")
    assert "| documents | 1 | 0 | 0 |" in log
    assert (paths.dist / "1.0.0").is_dir() and json.loads((paths.dist / "latest/datapackage.json").read_text())["version"] == "1.1.0"


def test_removed_document_publishes_a_new_version_and_keeps_the_old(first_build):
    paths, _ = first_build
    old = _tree(paths.dist / "1.0.0")
    (paths.documents / SEED_VISIT).unlink()
    result = build(paths, workers=1)
    assert result.release == "1.1.0"
    assert "| documents | 0 | 1 | 0 |" in (paths.dist / "CHANGELOG.md").read_text()
    assert _tree(paths.dist / "1.0.0") == old


def test_bad_inputs_are_rejected_with_reasons_and_the_rest_is_published(workdir, corpus_dir):
    docs = workdir.documents
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (docs / "latin1.txt").write_bytes("Peterborough City Council \u2019 report".encode("cp1252"))
    (docs / "no-council.md").write_text("A note about children's services with no council named in it at all.\n" * 3)
    shutil.copy(docs / SEED_APA, docs / "copy-of-apa.txt")
    html = next(p for p in corpus_dir.glob("*.pdf") if b"%PDF-" not in p.read_bytes()[:1024])
    shutil.copy(html, docs / "report.pdf")
    result = build(workdir, workers=2)
    reasons = {r.source: r.reason for r in result.collection.rejected}
    assert set(reasons) == {"empty.txt", "binary.txt", "latin1.txt", "no-council.md", "copy-of-apa.txt", "report.pdf"}
    assert "empty" in reasons["empty.txt"]
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "local authority cannot be identified" in reasons["no-council.md"]
    assert "duplicate" in reasons["copy-of-apa.txt"] and SEED_APA in reasons["copy-of-apa.txt"]
    assert "HTML page" in reasons["report.pdf"]
    assert result.ok and result.release == "1.0.0" and result.rows["documents"] == 5
    summary = result.summary()
    assert "6 rejected" in summary and "rejected report.pdf: not a PDF" in summary


def test_failed_publish_leaves_the_last_release_as_it_was(first_build, monkeypatch):
    paths, _ = first_build
    before = _tree(paths.dist)
    (paths.documents / SEED_VISIT).unlink()

    def broken_copy(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(publish.shutil, "copytree", broken_copy)
    with pytest.raises(OSError, match="disk full"):
        build(paths, workers=1)
    leftovers = {p.name for p in paths.dist.iterdir()} - {"1.0.0", "latest", "CHANGELOG.md"}
    assert all(name.startswith(publish.STAGING_PREFIX) for name in leftovers)
    assert {k: v for k, v in _tree(paths.dist).items() if not k.startswith(publish.STAGING_PREFIX)} == before


def test_validation_catches_a_bad_csv_cell_and_a_parquet_that_differs(first_build, tmp_path):
    paths, _ = first_build
    copy = tmp_path / "copy"
    shutil.copytree(paths.dist / "1.0.0", copy)
    staged = publish.Staged(copy, "1.0.0", None, {}, "initial", [])
    grades = copy / "data" / "grade_scales.csv"
    grades.write_text(grades.read_text().replace(",good,2", ",good,two", 1))
    errors = publish.validate(staged)
    assert any("grade_scales" in e and "type-error" in e for e in errors), errors
    assert any("grade_scales: the CSV and Parquet files cannot be compared" in e for e in errors), errors
    grades.write_text(grades.read_text().replace(",good,two", ",good,2", 1).replace("Good,good", "Gut,good", 1))
    errors = publish.validate(staged)
    assert errors == ["grade_scales: data/grade_scales.parquet does not hold the same rows as data/grade_scales.csv"]


def test_the_validator_process_finds_what_validation_here_finds(first_build, tmp_path):
    """The build validates in a process of its own: its errors (a bad cell, an invalid descriptor)
    are the same as those found in this process, and a valid release passes."""
    from pipeline.validation import Validator

    paths, _ = first_build
    copy = tmp_path / "copy"
    shutil.copytree(paths.dist / "1.0.0", copy)
    staged = publish.Staged(copy, "1.0.0", None, {}, "initial", [])
    with Validator() as validator:
        assert publish.validate(staged, validator=validator) == []
        grades = copy / "data" / "grade_scales.csv"
        grades.write_text(grades.read_text().replace(",good,2", ",good,two", 1))
        here = publish.validate(staged)
        assert any("grade_scales" in e and "type-error" in e for e in here), here
        assert publish.validate(staged, validator=validator) == here
        descriptor = json.loads((copy / "datapackage.json").read_text())
        descriptor["resources"][0]["schema"]["fields"][0]["type"] = "strin"
        (copy / "datapackage.json").write_text(json.dumps(descriptor))
        errors = publish.validate(staged, validator=validator)
    assert errors and all(e.startswith("package: ") for e in errors), errors


def _break(copy: Path, name: str) -> None:
    """An error in the first row of a resource: its primary key's first cell left empty."""
    from pipeline import schemas

    key = schemas.primary_key(name)[0]
    _edit_rows(copy / "data" / f"{name}.csv", lambda rows: rows[1].__setitem__(rows[0].index(key), ""))


needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="validation is shared with forked processes only"
)


def _shared_broken_copy(paths, tmp_path, monkeypatch) -> tuple[Path, list[str]]:
    """A copy of the release with a type error in a resource of each of the two shares."""
    from pipeline import validation

    copy = tmp_path / "copy"
    shutil.copytree(paths.dist / "1.0.0", copy)
    monkeypatch.setattr(validation, "SHARE_FROM_BYTES", 0)  # (the seeds' release is small)
    with monkeypatch.context() as m:
        m.chdir(copy)
        groups = validation._shares(list(RESOURCES), {}, 2)
    assert len(groups) == 2, groups
    broken = [groups[0][0], groups[1][0]]
    for name in broken:
        _break(copy, name)
    return copy, broken


@needs_fork
def test_validation_shared_with_a_forked_process_finds_what_one_process_finds(first_build, tmp_path, monkeypatch):
    from pipeline import validation

    paths, _ = first_build
    copy, broken = _shared_broken_copy(paths, tmp_path, monkeypatch)
    one = validation.validate_resources(copy, list(RESOURCES), {})
    shared = validation.validate_resources(copy, list(RESOURCES), {}, processes=2)
    assert shared.errors == one.errors and shared.package == one.package == []
    assert all(one.errors[name] for name in broken) and not any(v for k, v in one.errors.items() if k not in broken), one.errors
    staged = publish.Staged(copy, "1.0.0", None, {}, "initial", [])
    with validation.Validator() as validator:  # (forked after the setting above: it inherits it)
        assert publish.validate(staged, validator=validator) == publish.validate(staged)


@needs_fork
def test_a_missing_csv_is_reported_when_validation_is_shared(first_build, tmp_path, monkeypatch):
    from pipeline import validation

    paths, _ = first_build
    copy = tmp_path / "copy"
    shutil.copytree(paths.dist / "1.0.0", copy)
    (copy / "data" / "judgement_areas.csv").unlink()
    staged = publish.Staged(copy, "1.0.0", None, {}, "initial", [])
    here = publish.validate(staged)
    assert any(e.startswith("judgement_areas: scheme-error") for e in here), here
    monkeypatch.setattr(validation, "SHARE_FROM_BYTES", 0)
    with validation.Validator() as validator:
        assert publish.validate(staged, validator=validator) == here


def _die(*args):
    os._exit(3)


@needs_fork
def test_a_share_whose_process_dies_is_validated_by_the_process_that_forked_it(first_build, tmp_path, monkeypatch, caplog):
    from pipeline import validation

    paths, _ = first_build
    copy, _ = _shared_broken_copy(paths, tmp_path, monkeypatch)
    one = validation.validate_resources(copy, list(RESOURCES), {})
    monkeypatch.setattr(validation, "_validate_inherited", _die)
    with caplog.at_level("WARNING"):
        shared = validation.validate_resources(copy, list(RESOURCES), {}, processes=2)
    assert shared.errors == one.errors
    assert "the process sharing the work died" in caplog.text


def test_a_release_is_validated_here_when_the_validator_process_has_died(first_build, tmp_path, caplog):
    from pipeline.validation import Validator

    paths, _ = first_build
    copy = tmp_path / "copy"
    shutil.copytree(paths.dist / "1.0.0", copy)
    _break(copy, "grade_scales")
    staged = publish.Staged(copy, "1.0.0", None, {}, "initial", [])
    with Validator() as validator:
        os.kill(validator.pid, signal.SIGKILL)
        with caplog.at_level("WARNING"):
            errors = publish.validate(staged, validator=validator)
    assert errors and errors == publish.validate(staged)
    assert "validating the release in this process: the validator process" in caplog.text


def test_work_given_to_validate_runs_once_while_the_validator_works_or_here_when_it_has_died(first_build, tmp_path):
    """The build's last checks run while the validator process validates the release: ``meanwhile``
    is called once, after the release went to the validator; and once too when the validator has
    died (before the release is validated here) or when there is none."""
    from pipeline.validation import Validator

    paths, _ = first_build
    copy = tmp_path / "copy"
    shutil.copytree(paths.dist / "1.0.0", copy)
    staged = publish.Staged(copy, "1.0.0", None, {}, "initial", [])
    with Validator() as validator:
        calls = []
        assert publish.validate(staged, validator=validator, meanwhile=lambda: calls.append(validator._waiting)) == []
        assert calls == [True]  # (the validator had the request and had not answered)
        os.kill(validator.pid, signal.SIGKILL)
        assert publish.validate(staged, validator=validator, meanwhile=lambda: calls.append("after death")) == []
    assert publish.validate(staged, meanwhile=lambda: calls.append("no validator")) == []
    assert calls == [True, "after death", "no validator"]


def test_the_build_process_loads_neither_frictionless_nor_pandas_nor_pyarrow(workdir):
    """They cost ~1 s of CPU to load: Frictionless (with pandas, for Parquet) is loaded only by the
    validator process, and the build reads DuckDB's results and its Parquet files without pyarrow."""
    script = """
import sys
from pipeline.build import Paths, build
from pathlib import Path
result = build(Paths(*map(Path, sys.argv[1:])), workers=1)
assert result.ok and result.release == "1.0.0", result.summary()
print(sorted(m for m in ("frictionless", "pandas", "pyarrow") if m in sys.modules))
"""
    args = [str(workdir.documents), str(workdir.warehouse), str(workdir.dist)]
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300, cwd=Path(__file__).parents[1])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert "leaked" not in done.stderr  # (DuckDB's Arrow export leaves nanobind reporting leaks at exit)


def test_objects_loaded_before_duckdb_are_set_aside_from_the_garbage_collector_and_duckdb_s_are_not():
    """prepare_imports freezes what the process loaded before DuckDB (so the interpreter's exit does
    not walk it again), and never DuckDB's objects (their bindings would report leaks at exit)."""
    script = """
import gc, sys
first = sys.argv[1]
if first == "duckdb":
    import duckdb
from pipeline.build import prepare_imports
prepare_imports()
frozen = gc.get_freeze_count()
print(frozen, "duckdb" in sys.modules)
import duckdb
con = duckdb.connect()
con.execute("select 1").fetchall()
con.close()
"""
    for first, frozen in (("nothing", True), ("duckdb", False)):
        done = subprocess.run([sys.executable, "-c", script, first], capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[1])
        assert done.returncode == 0, done.stderr
        count, loaded = done.stdout.split()
        assert (int(count) > 10_000) is frozen and loaded == "True"
        assert "leak" not in done.stderr


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # (a zombie has ended; only its parent has not collected it)


def _ends_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _slow_share(names, changed):
    Path(os.environ["HELPER_PID_FILE"]).write_text(str(os.getpid()))
    time.sleep(60)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="processes die with their parent on Linux only")
def test_a_validator_that_dies_while_its_helper_works_hangs_nothing_and_leaves_nothing(first_build, tmp_path, monkeypatch):
    from pipeline import validation

    paths, _ = first_build
    copy, _ = _shared_broken_copy(paths, tmp_path, monkeypatch)
    pid_file = tmp_path / "helper.pid"
    monkeypatch.setenv("HELPER_PID_FILE", str(pid_file))
    monkeypatch.setattr(validation, "_validate_inherited", _slow_share)
    with validation.Validator() as validator:  # (forked after the settings above: it inherits them)
        validator.submit(copy, list(RESOURCES), {})
        deadline = time.monotonic() + 60
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline, "the helper never started"
            time.sleep(0.05)
        os.kill(validator.pid, signal.SIGKILL)
        started = time.monotonic()
        with pytest.raises(validation.ValidatorDied):
            validator.result()
        assert time.monotonic() - started < 10
    helper = int(pid_file.read_text())
    ended = _ends_within(helper, 10)
    if not ended:
        os.kill(helper, signal.SIGKILL)
    assert ended, "the helper outlived the validator"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="processes die with their parent on Linux only")
def test_a_killed_build_process_leaves_no_validator_behind():
    script = """
import os, signal
from pipeline.validation import Validator
validator = Validator().__enter__()
print(validator.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""
    # (the validator holds the pipe too: read one line rather than wait for the pipe to close)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        validator = int(process.stdout.readline())
        assert process.wait(timeout=60) == -signal.SIGKILL
    finally:
        process.stdout.close()
    ended = _ends_within(validator, 10)
    if not ended:
        os.kill(validator, signal.SIGKILL)
    assert ended, "the validator outlived the build process"


def _repeat_key(path: Path, name: str) -> None:
    """Row 3 given the primary key of row 2 (its other cells unchanged): a changed row that only
    the check across rows can find."""
    from pipeline import schemas

    def edit(rows):
        for column in schemas.primary_key(name):
            k = rows[0].index(column)
            rows[3][k] = rows[2][k]

    _edit_rows(path, edit)


def test_shared_validation_of_changed_rows_reports_as_one_process_does(first_build, monkeypatch):
    from pipeline import validation

    paths, _ = first_build
    staged = _next_release_copy(paths)
    for name in ("judgements", "tables", "grade_scales"):
        _repeat_key(staged.path / "data" / f"{name}.csv", name)
    here = publish.validate(staged)
    repeated = [e.split(":")[0] for e in here if "held by more than one row" in e]
    assert repeated == ["judgements", "tables", "grade_scales"], here
    monkeypatch.setattr(validation, "SHARE_FROM_BYTES", 0)
    with validation.Validator() as validator:
        assert publish.validate(staged, validator=validator) == here


def test_a_release_is_never_rewritten(first_build):
    paths, result = first_build
    with warehouse.connect(paths.warehouse) as con:
        con.execute("DELETE FROM documents WHERE source_file <> ?", [SEED_2010])
        staged = publish.stage(con, paths.dist, [])
    assert staged is not None and staged.version != "1.0.0"
    (paths.dist / staged.version).mkdir()
    with pytest.raises(publish.PublishError, match="never rewritten"):
        publish.publish(staged, paths.dist)


def test_cli_build_prints_progress_and_summary(workdir, monkeypatch, capsys):
    from pipeline.__main__ import main

    monkeypatch.setenv("PIPELINE_DOCUMENTS_DIR", str(workdir.documents))
    monkeypatch.setenv("PIPELINE_WAREHOUSE", str(workdir.warehouse))
    monkeypatch.setenv("PIPELINE_DIST_DIR", str(workdir.dist))
    assert main(["build", "--workers", "1"]) == 0
    out, err = capsys.readouterr()
    assert "[5/5]" in err
    assert "Documents: 5 found, 5 read, 0 rejected" in out and "Release: published 1.0.0" in out


def test_warehouse_holds_a_table_per_resource(first_build):
    import duckdb

    paths, result = first_build
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        for name, count in result.rows.items():
            assert con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == count > 0
        assert con.execute("SELECT count(*) FROM rejected_documents").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE starts_with(table_name, '_staging_')").fetchone()[0] == 0


def test_a_document_whose_readings_disagree_is_withheld_and_the_rest_published(workdir):
    seed = workdir.documents / SEED_2010
    text = seed.read_text()
    assert "| Overall effectiveness | Inadequate |" in text
    seed.write_text(text.replace("| Overall effectiveness | Inadequate |", "| Overall effectiveness | Good |", 1))
    result = build(workdir, workers=1)
    reasons = {r.source: r.reason for r in result.collection.rejected}
    assert list(reasons) == [SEED_2010]
    assert reasons[SEED_2010].startswith("failed its checks: ") and "overall_effectiveness" in reasons[SEED_2010]
    assert result.ok and result.release == "1.0.0" and result.rows["documents"] == 4


def test_cache_entries_of_other_code_versions_are_pruned(first_build):
    paths, _ = first_build
    stale = paths.cache / ("0" * 64 + "-oldversion00-00000000.json")
    stale.write_text("{}")
    build(paths, workers=1)
    assert not stale.exists()
    assert len(list(paths.cache.glob("*.json"))) == 5


def test_manifest_overrides_fields_and_a_bad_override_rejects_only_its_document(workdir):
    import hashlib

    sha = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in workdir.documents.glob("*.txt")}
    manifest = workdir.documents / "manifest.csv"
    manifest.write_text(
        "sha256,publisher,published_date,document_type\n"
        f"{sha['002_fdc1ca3b49c43e95.txt']},Peterborough City Council,2019-07-10,\n"
        f"{sha[SEED_VISIT]},Ofsted,,not_a_type\n"
    )
    result = build(workdir, workers=1)
    reasons = {r.source: r.reason for r in result.collection.rejected}
    assert list(reasons) == [SEED_VISIT] and "manifest document_type 'not_a_type'" in reasons[SEED_VISIT]
    with warehouse.connect(workdir.warehouse, read_only=True) as con:
        docs = {d["source_file"]: d for d in warehouse.read_table(con, "documents").to_dicts()}
    assert docs["002_fdc1ca3b49c43e95.txt"]["published_date"].isoformat() == "2019-07-10"


def test_rows_checked_and_staged_in_many_small_batches_publish_the_same_release(first_build, tmp_path, monkeypatch):
    from pipeline.build import Paths, TableStore

    paths, result = first_build
    monkeypatch.setattr(TableStore, "FRAME_ROWS", 7)
    monkeypatch.setattr(TableStore, "BATCH_ROWS", 20)
    other = Paths(paths.documents, tmp_path / "other" / "w.duckdb", tmp_path / "other" / "dist")
    again = build(other, workers=1)
    assert again.ok and again.rows == result.rows, again.summary()
    for name in result.rows:
        csv_name = f"data/{name}.csv"
        assert (other.dist / "1.0.0" / csv_name).read_bytes() == (paths.dist / "1.0.0" / csv_name).read_bytes(), name


def test_failed_checks_leave_the_warehouse_and_the_release_as_they_were(first_build, monkeypatch):
    import duckdb

    from pipeline import checks

    paths, result = first_build
    before = _tree(paths.dist)
    (paths.documents / SEED_VISIT).unlink()
    broken = checks.Check("always_fails", "all", "fails", run=lambda frames, parents: ["a failure"] if frames["documents"].height else [])
    monkeypatch.setattr(checks, "CHECKS", (*checks.CHECKS, broken))
    monkeypatch.setattr(collect_module, "build_version", lambda: "a new check")  # new code: every row checked again
    again = build(paths, workers=1)
    assert not again.ok and again.status == "not published: checks failed"
    assert again.check_failures["always_fails"] == ["a failure"]
    assert _tree(paths.dist) == before
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchall()[0][0] == result.rows["documents"]
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE starts_with(table_name, '_staging_')").fetchall()[0][0] == 0


def test_an_error_in_the_last_checks_leaves_no_candidate_release_and_no_staged_rows(first_build, monkeypatch):
    """The candidate release is written before the last checks run (they run while it is
    validated): if they raise, neither it nor the staged rows are left for anything to publish."""
    import duckdb

    from pipeline.build import TableStore

    paths, result = first_build
    before = _tree(paths.dist)
    (paths.documents / SEED_VISIT).unlink()

    def broken(self):
        raise RuntimeError("a check crashed")

    monkeypatch.setattr(TableStore, "check_rest", broken)
    with pytest.raises(RuntimeError, match="a check crashed"):
        build(paths, workers=1)
    assert _tree(paths.dist) == before  # (no .staging-* folder either)
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchall()[0][0] == result.rows["documents"]
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE starts_with(table_name, '_staging_')").fetchall()[0][0] == 0


def test_validation_reports_an_invalid_descriptor_with_its_reason(first_build, tmp_path):
    paths, _ = first_build
    copy = tmp_path / "copy"
    shutil.copytree(paths.dist / "1.0.0", copy)
    descriptor = json.loads((copy / "datapackage.json").read_text())
    descriptor["resources"][0]["schema"]["fields"][0]["type"] = "strin"
    (copy / "datapackage.json").write_text(json.dumps(descriptor))
    errors = publish.validate(publish.Staged(copy, "1.0.0", None, {}, "initial", []))
    assert errors and all(e.startswith("package: ") for e in errors), errors
    assert any('field type "strin" is not supported' in e for e in errors), errors


def _next_release_copy(paths) -> publish.Staged:
    """The latest release copied as the staged candidate of the next one."""
    staged = paths.dist / ".staging-1.1.0"
    shutil.copytree(paths.dist / "1.0.0", staged)
    return publish.Staged(staged, "1.1.0", "1.0.0", {}, "minor", [])


def _edit_rows(path, edit) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_a_refresh_validates_row_by_row_only_rows_that_differ_from_the_previous_release(first_build):
    paths, _ = first_build
    staged = _next_release_copy(paths)
    changed = publish._changed_rows(staged)
    # resources others refer to are validated whole; the rest by the rows that differ: none here
    assert set(changed) == {"judgements", "indicators", "tables", "grade_scales", "judgement_areas"}
    for rel in changed.values():
        assert (staged.path / rel).read_text().count("\n") == 1  # the header alone
    assert publish.validate(staged) == []
    assert not (staged.path / publish._CHANGED_ROWS_DIR).exists()
    # a resource whose Table Schema changed is validated whole
    descriptor = json.loads((staged.path / "datapackage.json").read_text())
    next(r for r in descriptor["resources"] if r["name"] == "judgements")["schema"]["fields"][0]["description"] = "changed"
    (staged.path / "datapackage.json").write_text(json.dumps(descriptor))
    assert "judgements" not in publish._changed_rows(staged)


def test_errors_in_changed_rows_are_found_and_named_by_their_place_in_the_file(first_build):
    paths, _ = first_build
    staged = _next_release_copy(paths)
    judgements = staged.path / "data" / "judgements.csv"
    header = next(csv.reader(open(judgements)))
    grade, doc = header.index("harmonised_grade"), header.index("document_id")

    def bad_grade(rows):
        rows[3][grade] = "great"

    _edit_rows(judgements, bad_grade)
    errors = publish.validate(staged)
    assert any(e.startswith("judgements: constraint-error") and 'position "4"' in e for e in errors), errors

    shutil.copy(paths.dist / "1.0.0" / "data" / "judgements.csv", judgements)
    _edit_rows(judgements, lambda rows: rows[2].__setitem__(doc, "ffffffffffffffff"))
    errors = publish.validate(staged)
    assert any(e.startswith("judgements: foreign-key") for e in errors), errors


def test_a_changed_row_that_repeats_a_primary_key_of_an_unchanged_row_is_found(first_build):
    paths, _ = first_build
    staged = _next_release_copy(paths)
    judgements = staged.path / "data" / "judgements.csv"
    _edit_rows(judgements, lambda rows: rows[3].__setitem__(0, rows[2][0]))
    with open(judgements, newline="") as fh:
        repeated = list(csv.reader(fh))[2][0]
    errors = publish.validate(staged)
    assert f"judgements: 1 values of judgement_id are held by more than one row, e.g. ['{repeated}']" in errors, errors


def test_rows_left_unchanged_still_need_the_documents_they_refer_to(first_build):
    paths, _ = first_build
    staged = _next_release_copy(paths)
    documents = staged.path / "data" / "documents.csv"
    gone = {}
    _edit_rows(documents, lambda rows: gone.setdefault("id", rows.pop(1)[0]))  # one document dropped, its rows kept
    errors = publish.validate(staged)
    assert any(e.startswith("judgements: ") and "not found in documents" in e and gone["id"] in e for e in errors), errors


def test_a_blank_line_in_a_refreshed_file_is_found(first_build):
    paths, _ = first_build
    staged = _next_release_copy(paths)
    judgements = staged.path / "data" / "judgements.csv"
    lines = judgements.read_text().split("\n")
    judgements.write_text("\n".join(lines[:3] + [""] + lines[3:]))
    errors = publish.validate(staged)
    assert any(e.startswith("judgements: blank-row") for e in errors), errors


def test_a_release_staged_under_a_relative_path_is_still_validated_by_its_changed_rows(first_build, monkeypatch, caplog):
    paths, _ = first_build
    staged = _next_release_copy(paths)
    monkeypatch.chdir(paths.dist.parent)
    relative = publish.Staged(staged.path.relative_to(paths.dist.parent), *list(staged.__dict__.values())[1:])
    with caplog.at_level("WARNING", logger="pipeline.publish"):
        assert publish.validate(relative) == []
    assert "validating every row" not in caplog.text


def _published_data(dist: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((dist / "latest" / "data").glob("*.csv"))}


def test_a_refresh_carries_over_the_rows_of_unchanged_documents_and_publishes_what_a_rebuild_would(first_build, tmp_path):
    paths, _ = first_build
    text = (paths.documents / SEED_APA).read_text().replace("26 November 2007", "27 November 2007", 1)
    (paths.documents / "apa-copy-edited.txt").write_text(text)
    (paths.documents / SEED_VISIT).rename(paths.documents / "moved.txt")  # same bytes, another name
    refreshed = build(paths, workers=1)
    assert refreshed.ok, refreshed.summary()
    # the four untouched seeds come from the warehouse; the moved one from the extract cache
    assert refreshed.collection.carried == 4 and refreshed.collection.from_cache == 1
    assert "moved.txt" in {d["source_file"] for d in refreshed.collection.documents}

    fresh = Paths(tmp_path / "fresh" / "documents", tmp_path / "fresh" / "w.duckdb", tmp_path / "fresh" / "dist")
    shutil.copytree(paths.documents, fresh.documents)  # the same folder, built from nothing
    rebuilt = build(fresh, workers=1)
    assert rebuilt.ok and rebuilt.collection.carried == 0
    assert rebuilt.rows == refreshed.rows
    assert _published_data(fresh.dist) == _published_data(paths.dist)


def test_nothing_is_carried_over_under_other_code_or_another_manifest_row(first_build, monkeypatch):
    paths, _ = first_build
    manifest = paths.documents / collect_module.MANIFEST_NAME
    rows = list(csv.DictReader(open(manifest, newline="", encoding="utf-8")))
    next(r for r in rows if r["source_file"] == SEED_APA)["source"] = "https://example.org/apa"  # one row edited
    with open(manifest, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    again = build(paths, workers=1)
    assert again.ok and again.collection.carried == 4, again.summary()
    monkeypatch.setattr(collect_module, "build_version", lambda: "other code")
    again = build(paths, workers=1)
    assert again.ok and again.collection.carried == 0 and again.collection.from_cache == 5


def test_a_warehouse_of_an_older_schema_is_rebuilt_not_read(first_build, monkeypatch):
    import duckdb

    paths, _ = first_build
    with duckdb.connect(str(paths.warehouse)) as con:  # the tables as an older schema left them
        con.execute("ALTER TABLE judgements ADD COLUMN dropped_since VARCHAR")
        con.execute("ALTER TABLE indicators DROP COLUMN raw_value")
    monkeypatch.setattr(collect_module, "build_version", lambda: "the schema changed")
    again = build(paths, workers=1)
    assert again.ok and again.collection.carried == 0 and again.release is None, again.summary()
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        assert "dropped_since" not in [r[0] for r in con.execute("DESCRIBE judgements").fetchall()]


def test_a_damaged_warehouse_state_stages_every_document_again_with_a_warning(first_build, caplog):
    import duckdb

    paths, _ = first_build
    with duckdb.connect(str(paths.warehouse)) as con:
        con.execute(f'ALTER TABLE "{warehouse.STATE}" RENAME COLUMN staging_key TO something_else')
    with caplog.at_level("WARNING", logger="pipeline.warehouse"):
        again = build(paths, workers=1)
    assert again.ok and again.collection.carried == 0 and again.release is None, again.summary()
    assert "no rows carried over from the warehouse" in caplog.text and "staging_key" in caplog.text
    again = build(paths, workers=1)  # the state was written afresh
    assert again.ok and again.collection.carried == 5
