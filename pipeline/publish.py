"""Publishing a versioned Frictionless data package to ``dist/``.

    dist/CHANGELOG.md            one entry per release, newest first
    dist/<version>/              an immutable release: datapackage.json, README.md, data/*.csv|parquet
    dist/latest/                 a byte-for-byte copy of the newest release

Three steps, so that validation stands between building and publishing: ``stage`` writes the
candidate release to a staging folder (or returns None when its content equals the latest
release), ``validate`` runs Frictionless over it, ``publish`` moves it into place. Publishing is
all-or-nothing: on any failure the previous release, ``latest`` and the changelog are as they were.
"""

from __future__ import annotations

import csv
import dataclasses
import filecmp
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import duckdb

from . import schemas, validation, warehouse
from .warehouse import sql_path

log = logging.getLogger(__name__)

PACKAGE_NAME = "english-childrens-services-judgements-and-indicators"
PACKAGE_TITLE = "English children's services: inspection judgements and performance indicators"
LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Ofsted inspection reports and letters: © Crown copyright. Council reports: © the publishing council."
)
STAGING_PREFIX = ".staging-"
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


class PublishError(Exception):
    pass


@dataclass
class Staged:
    path: Path  # the staging folder holding the candidate release
    version: str
    previous: str | None
    changes: dict[str, dict[str, int]]  # resource -> {added, removed, changed}
    bump: str  # major, minor, patch or initial
    reasons: list[str]


def latest_version(dist_dir: Path) -> str | None:
    descriptor = dist_dir / "latest" / "datapackage.json"
    if not descriptor.exists():
        versions = [p.name for p in dist_dir.glob("*") if _VERSION.match(p.name)]
        return max(versions, key=version_key) if versions else None
    return json.loads(descriptor.read_text(encoding="utf-8"))["version"]


def version_key(version: str) -> tuple[int, int, int]:
    m = _VERSION.match(version)
    if not m:
        raise PublishError(f"not a semantic version: {version!r}")
    return tuple(int(g) for g in m.groups())  # type: ignore[return-value]


def write_csv(batches, path: Path) -> int:
    """Write a resource's rows, given as frames in published order, to a CSV file (header first);
    returns the number of rows."""
    rows = 0
    with open(path, "wb") as fh:
        for i, df in enumerate(batches):
            df.write_csv(fh, include_header=i == 0, line_terminator="\n", null_value="", date_format="%Y-%m-%d")
            rows += df.height
    return rows


def _read_csv_sql(path: Path, columns: dict[str, str]) -> str:
    """DuckDB's reader of one of our CSV files, with its columns named and typed (no sniffing)."""
    spec = ", ".join(f"'{c}': '{t}'" for c, t in columns.items())
    return (
        f"read_csv({sql_path(path)}, header = true, auto_detect = false, columns = {{{spec}}}, delim = ',', "
        "quote = '\"', escape = '\"', dateformat = '%Y-%m-%d', allow_quoted_nulls = false)"
    )


def _text_csv_sql(path: Path, name: str) -> str:
    """DuckDB's reader of a resource's CSV file with every cell as the text it holds."""
    return _read_csv_sql(path, dict.fromkeys(schemas.columns(name), "VARCHAR"))


def _duckdb(con=None):
    """A DuckDB cursor for comparing files: over the warehouse's connection when there is one, so
    that all of the build's DuckDB work shares one memory limit; else an in-memory database."""
    if con is not None:
        return con.cursor()
    db = duckdb.connect()
    warehouse.configure(db)
    return db


def stage(
    con,
    dist_dir: Path,
    sources: list[dict],
    extra_sections: dict[str, str] | None = None,
    tables: dict[str, str] | None = None,
) -> Staged | None:
    """Write the candidate release from the warehouse tables over ``con`` (or from ``tables``:
    resource -> table in SQL, such as the staging tables) to a staging folder, one batch of rows at
    a time; None when its content equals the latest release."""
    dist_dir = Path(dist_dir)
    dist_dir.mkdir(parents=True, exist_ok=True)
    _recover_latest(dist_dir)
    previous = latest_version(dist_dir)
    prev_dir = dist_dir / previous if previous else None
    new_schemas = {name: schemas.table_schema(name) for name in schemas.RESOURCES}
    prev_desc = json.loads((prev_dir / "datapackage.json").read_text(encoding="utf-8")) if prev_dir else None

    work = dist_dir / f"{STAGING_PREFIX}candidate"
    if work.exists():
        shutil.rmtree(work)
    (work / "data").mkdir(parents=True)
    counts = {}
    for name in schemas.RESOURCES:  # Parquet sorted by DuckDB, then the CSV from it a batch at a time
        parquet = work / "data" / f"{name}.parquet"
        warehouse.write_parquet(con, name, parquet, (tables or {}).get(name))
        counts[name] = write_csv(warehouse.parquet_batches(parquet, name), work / "data" / f"{name}.csv")
    changes, bump, reasons = _compare(con, prev_dir, prev_desc, work / "data", counts, new_schemas)
    if prev_desc is not None and bump is None:
        shutil.rmtree(work)
        return None
    version = "1.0.0" if previous is None else _next(previous, bump)
    if (dist_dir / version).exists():
        shutil.rmtree(work)
        raise PublishError(f"release {version} already exists in {dist_dir}; releases are never rewritten")

    path = dist_dir / f"{STAGING_PREFIX}{version}"
    if path.exists():
        shutil.rmtree(path)
    os.rename(work, path)
    resources = []
    for name in schemas.RESOURCES:
        s = schemas.spec(name)
        resources.append(
            {
                "name": name,
                "title": s.get("title", name),
                "description": re.sub(r"\s+", " ", s.get("description", "")).strip(),
                "path": f"data/{name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": new_schemas[name],
            }
        )
    for name in schemas.RESOURCES:  # the same rows as Parquet
        schema = {k: v for k, v in new_schemas[name].items() if k != "foreignKeys"}
        # frictionless reads Parquet through pandas, where a missing integer arrives as NaN
        schema["missingValues"] = ["", "nan", "NaN", "None"]
        resources.append(
            {
                "name": f"{name}-parquet",
                "title": f"{schemas.spec(name).get('title', name)} (Parquet)",
                "path": f"data/{name}.parquet",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "schema": schema,
            }
        )
    descriptor = {
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": (
            "Ofsted inspection judgements (every framework since 2005, harmonised to one scale) and "
            "performance indicators stated in inspection reports and council reports on children's "
            "social care in England, each value with the verbatim words and page it came from."
        ),
        "version": version,
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "licenses": [LICENCE],
        "attribution": ATTRIBUTION,
        "sources": sources,
        "resources": resources,
    }
    (path / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (path / "README.md").write_text(_readme(descriptor, extra_sections), encoding="utf-8")
    staged = Staged(path, version, previous, changes, bump or "initial", reasons)
    (path / ".staged.json").write_text(
        json.dumps({**staged.__dict__, "path": str(path)}, indent=2), encoding="utf-8"
    )
    return staged


def load_staged(path: Path) -> Staged:
    data = json.loads((Path(path) / ".staged.json").read_text(encoding="utf-8"))
    data["path"] = Path(data["path"])
    return Staged(**data)


def validate(
    staged: Staged,
    full: bool = False,
    con=None,
    validator: validation.Validator | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[str]:
    """Errors in the staged package (empty when valid).

    Frictionless validates the descriptor and every CSV resource in the package's context (types,
    constraints, primary and foreign keys). Each Parquet file is then read back and must hold
    exactly the rows of its CSV. ``full=True`` has Frictionless read the Parquet resources too,
    which is what ``frictionless validate datapackage.json`` does; it is slow on large tables
    (Frictionless reads Parquet through pandas), so the build uses the equality check instead.

    With a ``validator`` (``validation.Validator``), Frictionless runs in its process while this
    one calls ``meanwhile`` (other work of the caller's, such as its last checks) and compares the
    Parquet files; without one, or if its process has ended, it all runs here, ``meanwhile`` first.
    ``meanwhile`` is called once in any case.

    A refresh changes few rows, and Frictionless reads some 20,000 rows a second, so a resource
    that the previous release (validated before it was published) holds under the same Table
    Schema and header is validated row by row only where its rows differ from that release's: a
    row equal value for value to a row already found valid passes every check that looks at one
    row (types, formats, constraints); rows are matched by a 64-bit hash of their values. Those
    that differ are validated by Frictionless inside the package, foreign keys included. The checks
    that look across rows are then run by DuckDB over the whole file: the primary key and every
    unique field are unique, and every foreign key of every row (changed or not) finds its row in
    the resource it refers to. Resources that others refer to (documents, the catalogue) are always
    validated whole, and so is a file with a blank line (which DuckDB's reader would skip). When the
    changed rows hold an error, the whole resource is validated again, so that the errors name rows
    by their place in the published file.
    """
    path = Path(staged.path).resolve()
    pending = [meanwhile] if meanwhile is not None else []

    def run_meanwhile() -> None:
        while pending:
            pending.pop()()

    if full:
        run_meanwhile()
        return validation.validate_package(path)
    try:
        changed = _changed_rows(dataclasses.replace(staged, path=path), con)
        names = list(schemas.RESOURCES)
        parquet_errors = found = None
        if validator is not None:
            try:
                validator.submit(path, names, changed)
                run_meanwhile()
                parquet_errors = _parquet_matches_csv(path / "data", con)
                found = validator.result()
            except validation.ValidatorDied as exc:
                log.warning("validating the release in this process: %s", exc)
        if found is None:
            run_meanwhile()
            found = validation.validate_resources(path, names, changed)
    finally:
        shutil.rmtree(path / _CHANGED_ROWS_DIR, ignore_errors=True)
    if found.package:
        return found.package
    errors = [err for name in schemas.RESOURCES for err in found.errors.get(name, [])]
    by_changed_rows = [name for name in schemas.RESOURCES if name in found.by_changed_rows]
    errors += _keys_over_files(path / "data", by_changed_rows, con)
    errors += parquet_errors if parquet_errors is not None else _parquet_matches_csv(path / "data", con)
    return errors


_CHANGED_ROWS_DIR = ".changed-rows"  # inside the staging folder while it is validated, then removed


def _changed_rows(staged: Staged, con=None) -> dict[str, str]:
    """For each resource that can be validated by its changed rows (see ``validate``): the path,
    relative to the package, of a CSV file of its rows that are not rows of the previous release."""
    if staged.previous is None:
        return {}
    prev_dir = staged.path.parent / staged.previous
    try:
        prev_desc = json.loads((prev_dir / "datapackage.json").read_text(encoding="utf-8"))
        new_desc = json.loads((staged.path / "datapackage.json").read_text(encoding="utf-8"))
        old = {r["name"]: r for r in prev_desc.get("resources", [])}
        new_resources = list(new_desc["resources"])
        referred = {fk["reference"]["resource"] for r in new_resources for fk in r.get("schema", {}).get("foreignKeys", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        # (Frictionless reports what is wrong with a descriptor when it loads the package)
        log.warning("validating every row: the release descriptors cannot be compared (%r)", exc)
        return {}
    out: dict[str, str] = {}
    with _duckdb(con) as db:
        for res in new_resources:
            name = res["name"]
            if name not in schemas.RESOURCES or name in referred or name not in old:
                continue
            if old[name].get("schema") != res.get("schema") or old[name].get("path") != res["path"]:
                continue
            new_csv, old_csv = staged.path / res["path"], prev_dir / old[name]["path"]
            if not old_csv.exists() or _header(new_csv) != _header(old_csv) or _has_blank_row(new_csv):
                continue
            row_hash = "hash(" + ", ".join(f'"{c}"' for c in schemas.columns(name)) + ")"
            target = staged.path / _CHANGED_ROWS_DIR / f"{name}.csv"
            target.parent.mkdir(exist_ok=True)
            try:  # (only the old rows' hashes are held: 8 bytes a row, whatever their width)
                db.execute(
                    f"COPY (SELECT * FROM {_text_csv_sql(new_csv, name)} "
                    f"WHERE {row_hash} NOT IN (SELECT {row_hash} FROM {_text_csv_sql(old_csv, name)})) "
                    f"TO {sql_path(target)} (FORMAT csv, HEADER true)"
                )
            except duckdb.Error as exc:  # Frictionless reads the whole file and says what is wrong with it
                log.warning("validating every row of %s: its rows cannot be compared (%s)", name, str(exc).splitlines()[0])
                continue
            out[name] = f"{_CHANGED_ROWS_DIR}/{name}.csv"
    return out


def _header(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.readline()


def _has_blank_row(path: Path) -> bool:
    """Whether the CSV file holds an empty line between its rows (outside quoted cells). The file
    is parsed only when its bytes hold two line ends in a row somewhere (a quoted cell may too)."""
    with open(path, "rb") as fh:
        if not any(b"\n\n" in block or b"\n\r\n" in block for block in _overlapping_blocks(fh)):
            return False
    with open(path, newline="", encoding="utf-8") as fh:
        return any(not row for row in csv.reader(fh))


def _overlapping_blocks(fh, size: int = 1 << 20):
    """A binary file in blocks, each starting with the last two bytes of the one before."""
    tail = b""
    for block in iter(lambda: fh.read(size), b""):
        yield tail + block
        tail = block[-2:]


def _keys_over_files(data_dir: Path, names: list[str], con=None) -> list[str]:
    """The checks across rows, over the whole CSV of each of these resources: the primary key and
    each unique field hold no value twice, and each foreign key finds its row in the CSV of the
    resource it refers to. (A row missing a key cell is an error of its own, found row by row.)"""
    errors = []

    def sample(query: str) -> tuple[int, list]:  # how many rows the query gives, and the first three
        rows = db.execute(f"SELECT *, count(*) OVER () FROM ({query}) ORDER BY ALL LIMIT 3").fetchall()
        return (rows[0][-1] if rows else 0), [r[0] if len(r) == 2 else r[:-1] for r in rows]

    with _duckdb(con) as db:
        for name in names:
            table = _text_csv_sql(data_dir / f"{name}.csv", name)
            keys = [tuple(schemas.primary_key(name))]
            keys += [(f["name"],) for f in schemas.spec(name)["fields"] if f.get("constraints", {}).get("unique")]
            for key in dict.fromkeys(keys):  # (a primary key of one field is often a unique field too)
                cols = ", ".join(f'"{c}"' for c in key)
                present = " AND ".join(f'"{c}" IS NOT NULL' for c in key)
                n, values = sample(f"SELECT {cols} FROM {table} WHERE {present} GROUP BY ALL HAVING count(*) > 1")
                if n:
                    errors.append(f"{name}: {n} values of {', '.join(key)} are held by more than one row, e.g. {values}")
            for fk in schemas.foreign_keys(name):
                ref = fk["reference"]
                parent = _text_csv_sql(data_dir / f"{ref['resource']}.csv", ref["resource"])
                cols = ", ".join(f'c."{c}"' for c in fk["fields"])
                present = " AND ".join(f'c."{c}" IS NOT NULL' for c in fk["fields"])
                on = " AND ".join(f'c."{c}" = p."{r}"' for c, r in zip(fk["fields"], ref["fields"]))
                n, values = sample(f"SELECT DISTINCT {cols} FROM {table} c ANTI JOIN {parent} p ON {on} WHERE {present}")
                if n:
                    errors.append(
                        f"{name}: {n} values of {', '.join(fk['fields'])} are not found in {ref['resource']}, e.g. {values}"
                    )
    return errors


def _parquet_matches_csv(data_dir: Path, con=None) -> list[str]:
    """Each Parquet file holds the same columns, types and rows as its CSV. DuckDB reads both in
    batches and compares their row counts and the sums of their rows' hashes (order aside)."""
    errors = []
    with _duckdb(con) as db:
        for name in schemas.RESOURCES:
            typed = {f["name"]: schemas.duckdb_type(f["type"]) for f in schemas.spec(name)["fields"]}
            csv, parquet = _read_csv_sql(data_dir / f"{name}.csv", typed), f"read_parquet({sql_path(data_dir / f'{name}.parquet')})"
            cols = ", ".join(f'"{c}"' for c in typed)
            fingerprint = f"SELECT count(*), sum(hash({cols})::HUGEINT) FROM {{}}"
            try:
                described = db.execute(f"DESCRIBE SELECT * FROM {parquet}").fetchall()
                same = db.execute(fingerprint.format(csv)).fetchall() == db.execute(fingerprint.format(parquet)).fetchall()
            except duckdb.Error as exc:
                errors.append(f"{name}: the CSV and Parquet files cannot be compared: {str(exc).splitlines()[0]}")
                continue
            if [(r[0], r[1]) for r in described] != list(typed.items()) or not same:
                errors.append(f"{name}: data/{name}.parquet does not hold the same rows as data/{name}.csv")
    return errors


def publish(staged: Staged, dist_dir: Path) -> Path:
    """Move the staged release into place, refresh latest/ and the changelog; all or nothing."""
    dist_dir = Path(dist_dir)
    final = dist_dir / staged.version
    if final.exists():
        raise PublishError(f"release {staged.version} already exists; releases are never rewritten")
    changelog = dist_dir / "CHANGELOG.md"
    old_log = changelog.read_text(encoding="utf-8") if changelog.exists() else None
    new_log_tmp = dist_dir / ".CHANGELOG.md.tmp"
    new_log_tmp.write_text(_changelog(old_log, staged), encoding="utf-8")
    (staged.path / ".staged.json").unlink(missing_ok=True)
    latest, latest_new, latest_old = dist_dir / "latest", dist_dir / ".latest-new", dist_dir / ".latest-old"
    moved = swapped = False
    try:
        os.rename(staged.path, final)
        moved = True
        if latest_new.exists():
            shutil.rmtree(latest_new)
        shutil.copytree(final, latest_new)
        if latest.exists():
            os.rename(latest, latest_old)
        swapped = True
        os.rename(latest_new, latest)
        os.replace(new_log_tmp, changelog)
    except BaseException:
        log.error("publishing %s failed; restoring the previous release", staged.version)
        if swapped:
            if latest.exists() and latest_old.exists():
                shutil.rmtree(latest)
            if latest_old.exists():
                os.rename(latest_old, latest)
        if moved and final.exists():
            shutil.rmtree(final)
        shutil.rmtree(latest_new, ignore_errors=True)
        new_log_tmp.unlink(missing_ok=True)
        raise
    shutil.rmtree(latest_old, ignore_errors=True)
    return final


def discard(staged: Staged) -> None:
    shutil.rmtree(staged.path, ignore_errors=True)


def _recover_latest(dist_dir: Path) -> None:
    """Finish or undo a publish that was cut off between moving latest/ aside and replacing it."""
    latest, latest_old = dist_dir / "latest", dist_dir / ".latest-old"
    if latest_old.exists():
        if latest.exists():
            shutil.rmtree(latest_old)
        else:
            os.rename(latest_old, latest)
    shutil.rmtree(dist_dir / ".latest-new", ignore_errors=True)
    (dist_dir / ".CHANGELOG.md.tmp").unlink(missing_ok=True)


def _compare(con, prev_dir, prev_desc, data_dir: Path, counts: dict[str, int], new_schemas):
    """Row changes per resource, and the version bump they call for (None: nothing changed)."""
    changes: dict[str, dict[str, int]] = {}
    reasons: list[str] = []
    levels: list[str] = []
    prev_resources = {r["name"]: r for r in (prev_desc or {}).get("resources", [])}
    db = None
    try:
        for name in schemas.RESOURCES:
            if prev_desc is None:
                changes[name] = {"added": counts[name], "removed": 0, "changed": 0}
                continue
            if name not in prev_resources:
                changes[name] = {"added": counts[name], "removed": 0, "changed": 0}
                levels.append("minor")
                reasons.append(f"new resource {name}")
                continue
            old_fields = {f["name"]: f for f in prev_resources[name]["schema"]["fields"]}
            new_fields = {f["name"]: f for f in new_schemas[name]["fields"]}
            for col in old_fields.keys() - new_fields.keys():
                levels.append("major")
                reasons.append(f"{name}: column {col} removed")
            for col in old_fields.keys() & new_fields.keys():
                if old_fields[col]["type"] != new_fields[col]["type"]:
                    levels.append("major")
                    reasons.append(f"{name}: column {col} changed type")
            added_cols = sorted(new_fields.keys() - old_fields.keys())
            if added_cols:
                levels.append("minor")
                reasons.append(f"{name}: columns added: {', '.join(added_cols)}")
            if prev_resources[name]["schema"] != new_schemas[name] and not added_cols:
                levels.append("patch")
                reasons.append(f"{name}: schema description or constraints changed")
            old_path, new_path = prev_dir / prev_resources[name]["path"], data_dir / f"{name}.csv"
            if filecmp.cmp(old_path, new_path, shallow=False):
                diff = {"added": 0, "removed": 0, "changed": 0}
            else:
                db = db or _duckdb(con)
                diff = _row_diff(db, old_path, list(old_fields), new_path, list(new_fields), new_schemas[name]["primaryKey"])
            changes[name] = diff
            if diff["added"]:
                levels.append("minor")
            if diff["removed"]:
                levels.append("minor")
                reasons.append(f"{name}: {diff['removed']} rows removed")
            if diff["changed"]:
                levels.append("patch")
    finally:
        if db is not None:
            db.close()
    for name in prev_resources.keys() - set(schemas.RESOURCES):
        if not name.endswith("-parquet"):
            levels.append("major")
            reasons.append(f"resource {name} removed")
    if prev_desc is None:
        return changes, "initial", ["first release"]
    for level in ("major", "minor", "patch"):
        if level in levels:
            return changes, level, reasons
    return changes, None, reasons


def _row_diff(db, old_path: Path, old_cols: list[str], new_path: Path, new_cols: list[str], key: list[str]) -> dict[str, int]:
    """Rows added, removed and changed (same key, another value in a column both have) between two
    CSV files, compared as text with empty and missing alike. DuckDB joins the keys and a hash of
    each row's other values, so what it holds is narrow whatever the width of the rows."""
    common = [c for c in new_cols if c in old_cols]
    values = [c for c in common if c not in key]

    def rows(path: Path, cols: list[str], side: str) -> str:
        keys = ", ".join(f'coalesce("{c}", \'\') AS "{c}"' for c in key)
        digest = "hash(" + ", ".join(f'coalesce("{c}", \'\')' for c in values) + ")" if values else "0"
        return f"(SELECT {keys}, {digest} AS h, true AS in_{side} FROM {_read_csv_sql(path, dict.fromkeys(cols, 'VARCHAR'))})"

    using = ", ".join(f'"{k}"' for k in key)
    added, removed, changed = db.execute(
        "SELECT count(*) FILTER (WHERE in_old IS NULL), count(*) FILTER (WHERE in_new IS NULL), "
        "count(*) FILTER (WHERE in_new AND in_old AND n.h <> o.h) "
        f"FROM {rows(new_path, new_cols, 'new')} AS n FULL OUTER JOIN {rows(old_path, old_cols, 'old')} AS o USING ({using})"
    ).fetchall()[0]
    return {"added": added, "removed": removed, "changed": changed}


def _next(version: str, bump: str) -> str:
    major, minor, patch = version_key(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _changelog(old: str | None, staged: Staged) -> str:
    day = datetime.now(timezone.utc).date().isoformat()
    what = {
        "initial": "First release.",
        "major": "Major release: a change that can break users' code (see below).",
        "minor": "Minor release: rows, columns or resources added or removed.",
        "patch": "Patch release: values corrected.",
    }[staged.bump]
    lines = [f"## {staged.version} — {day}", "", what, ""]
    lines += [f"- {r}" for r in staged.reasons if staged.bump != "initial"]
    if staged.reasons and staged.bump != "initial":
        lines.append("")
    lines += ["| resource | rows added | rows removed | rows changed |", "|---|---:|---:|---:|"]
    for name, c in staged.changes.items():
        lines.append(f"| {name} | {c['added']} | {c['removed']} | {c['changed']} |")
    entry = "\n".join(lines) + "\n"
    header = "# Changelog\n\nReleases of the data package, newest first. Each release is in `dist/<version>/`.\n"
    if old:
        body = old.split("\n", 1)[1] if old.startswith("# Changelog") else old
        body = body.split("\n## ", 1)
        rest = ("## " + body[1]) if len(body) > 1 else ""
        return f"{header}\n{entry}\n{rest}".rstrip() + "\n"
    return f"{header}\n{entry}"


def _readme(descriptor: dict, extra_sections: dict[str, str] | None) -> str:
    intro = [
        f"# {descriptor['title']}",
        "",
        f"Version {descriptor['version']}. {descriptor['description']}",
        "",
        "## Files",
        "",
        "Each resource is published as UTF-8 CSV (`data/<resource>.csv`, with a header row) and as "
        "Parquet (`data/<resource>.parquet`) with the same rows. `datapackage.json` describes them "
        "(Frictionless Data Package: types, keys and constraints).",
        "",
        "## Licence and attribution",
        "",
        f"{LICENCE['title']} ({LICENCE['path']}). {descriptor['attribution']}",
        "",
        "## How to cite",
        "",
        f"{descriptor['title']}, version {descriptor['version']} (data package `{descriptor['name']}`). "
        "Cite the version you used; releases are never changed once published.",
        "",
        f"## Sources ({len(descriptor['sources'])} documents)",
        "",
        "The `documents` resource lists every source document with its SHA-256, publisher and dates.",
        "",
        "# Data dictionary",
        "",
    ]
    return "\n".join(intro) + "\n" + schemas.data_dictionary(extra_sections)
