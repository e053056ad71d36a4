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

import io
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from . import schemas

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


def csv_bytes(df: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.write_csv(buf, include_header=True, line_terminator="\n", null_value="", date_format="%Y-%m-%d")
    return buf.getvalue()


def stage(
    frames: dict[str, pl.DataFrame],
    dist_dir: Path,
    sources: list[dict],
    extra_sections: dict[str, str] | None = None,
) -> Staged | None:
    """Write the candidate release to a staging folder; None when it equals the latest release."""
    dist_dir = Path(dist_dir)
    dist_dir.mkdir(parents=True, exist_ok=True)
    _recover_latest(dist_dir)
    previous = latest_version(dist_dir)
    prev_dir = dist_dir / previous if previous else None
    data = {name: csv_bytes(frames[name]) for name in schemas.RESOURCES}
    new_schemas = {name: schemas.table_schema(name) for name in schemas.RESOURCES}
    prev_desc = json.loads((prev_dir / "datapackage.json").read_text(encoding="utf-8")) if prev_dir else None

    changes, bump, reasons = _compare(prev_dir, prev_desc, data, new_schemas)
    if prev_desc is not None and bump is None:
        return None
    version = "1.0.0" if previous is None else _next(previous, bump)
    if (dist_dir / version).exists():
        raise PublishError(f"release {version} already exists in {dist_dir}; releases are never rewritten")

    path = dist_dir / f"{STAGING_PREFIX}{version}"
    if path.exists():
        shutil.rmtree(path)
    (path / "data").mkdir(parents=True)
    resources = []
    for name in schemas.RESOURCES:
        csv_path = path / "data" / f"{name}.csv"
        csv_path.write_bytes(data[name])
        parquet_path = path / "data" / f"{name}.parquet"
        frames[name].write_parquet(parquet_path, compression="zstd", statistics=False)
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


def validate(staged: Staged, full: bool = False) -> list[str]:
    """Errors in the staged package (empty when valid).

    Frictionless validates the descriptor and every CSV resource in the package's context (types,
    constraints, primary and foreign keys). Each Parquet file is then read back and must hold
    exactly the rows of its CSV. ``full=True`` has Frictionless read the Parquet resources too,
    which is what ``frictionless validate datapackage.json`` does; it is slow on large tables
    (Frictionless reads Parquet through pandas), so the build uses the equality check instead.
    """
    from frictionless import Package
    from frictionless import validate as fl_validate

    errors: list[str] = []
    cwd = os.getcwd()
    try:
        os.chdir(staged.path)  # descriptor paths are relative to the package
        if full:
            reports = [fl_validate("datapackage.json")]
        else:
            # the descriptor once, then each CSV resource inside the loaded package (foreign keys included)
            reports = [Package.validate_descriptor("datapackage.json")]
            package = Package("datapackage.json")
            reports += [package.get_resource(name).validate() for name in schemas.RESOURCES]
    finally:
        os.chdir(cwd)
    for report in reports:
        for task in report.tasks:
            errors += [f"{task.name}: {err.type}: {err.message}" for err in task.errors[:20]]
        errors += [f"package: {err.type}: {err.message}" for err in report.errors[:20]]
        if not report.valid and not errors:
            errors.append("frictionless reported the package invalid")
    if not full:
        for name in schemas.RESOURCES:
            try:
                from_csv = pl.read_csv(staged.path / "data" / f"{name}.csv", schema=schemas.polars_schema(name))
                from_parquet = pl.read_parquet(staged.path / "data" / f"{name}.parquet")
            except (pl.exceptions.PolarsError, OSError) as exc:
                errors.append(f"{name}: the CSV and Parquet files cannot be compared: {str(exc).splitlines()[0]}")
                continue
            if not from_parquet.equals(from_csv):
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


def _compare(prev_dir, prev_desc, data, new_schemas):
    """Row changes per resource, and the version bump they call for (None: nothing changed)."""
    changes: dict[str, dict[str, int]] = {}
    reasons: list[str] = []
    levels: list[str] = []
    prev_resources = {r["name"]: r for r in (prev_desc or {}).get("resources", [])}
    for name in schemas.RESOURCES:
        new_df = pl.read_csv(io.BytesIO(data[name]), infer_schema=False) if data[name].strip() else pl.DataFrame()
        if prev_desc is None:
            changes[name] = {"added": new_df.height, "removed": 0, "changed": 0}
            continue
        if name not in prev_resources:
            changes[name] = {"added": new_df.height, "removed": 0, "changed": 0}
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
        old_path = prev_dir / prev_resources[name]["path"]
        old_df = pl.read_csv(old_path, infer_schema=False) if old_path.stat().st_size else pl.DataFrame()
        diff = _row_diff(old_df, new_df, new_schemas[name]["primaryKey"])
        changes[name] = diff
        if diff["added"]:
            levels.append("minor")
        if diff["removed"]:
            levels.append("minor")
            reasons.append(f"{name}: {diff['removed']} rows removed")
        if diff["changed"]:
            levels.append("patch")
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


def _row_diff(old: pl.DataFrame, new: pl.DataFrame, key: list[str]) -> dict[str, int]:
    if old.height == 0 or new.height == 0:
        return {"added": new.height, "removed": old.height, "changed": 0}
    common = [c for c in new.columns if c in old.columns]
    old = old.select(common).with_columns(pl.all().fill_null(""))
    new = new.select(common).with_columns(pl.all().fill_null(""))
    added = new.join(old, on=key, how="anti").height
    removed = old.join(new, on=key, how="anti").height
    both = new.join(old, on=key, how="inner", suffix="__old")
    value_cols = [c for c in common if c not in key]
    if value_cols and both.height:
        differs = pl.any_horizontal([pl.col(c) != pl.col(f"{c}__old") for c in value_cols])
        changed = both.filter(differs).height
    else:
        changed = 0
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
