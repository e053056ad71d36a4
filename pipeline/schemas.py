"""Table shapes: read from ``schemas/*.yaml`` (the single source of truth) and turned into
polars dtypes, pandera schemas, Frictionless Table Schemas, DuckDB tables and the data dictionary.
"""

from __future__ import annotations

import importlib.abc
import logging
import re
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    import polars as pl

log = logging.getLogger(__name__)

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"

# Published resources, in the order they appear in the package.
RESOURCES = (
    "documents",
    "judgements",
    "indicators",
    "indicator_catalogue",
    "tables",
    "grade_scales",
    "judgement_areas",
)

# polars is imported where it is used: the extraction workers never need it.
_POLARS = {"string": "String", "integer": "Int64", "number": "Float64", "boolean": "Boolean", "date": "Date"}


def _polars_type(frictionless_type: str) -> pl.DataType:
    import polars as pl

    return getattr(pl, _POLARS[frictionless_type])


# libyaml's safe loader when PyYAML has it (8x faster; the same result), else the Python one
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def _load(name: str) -> dict:
    path = SCHEMA_DIR / f"{name}.yaml"
    with path.open(encoding="utf-8") as fh:
        spec = yaml.load(fh, Loader=_YAML_LOADER)
    fields = []
    for field in spec["fields"]:
        if "include" in field:
            fields.extend(_load(f"_{field['include']}")["fields"])
        else:
            fields.append(field)
    names = [f["name"] for f in fields]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: duplicate field names")
    return {**spec, "fields": fields}


def spec(name: str) -> dict:
    """The expanded schema of a resource: name, title, description, primaryKey, foreignKeys, fields."""
    return _load(name)


def columns(name: str) -> list[str]:
    return [f["name"] for f in spec(name)["fields"]]


def primary_key(name: str) -> list[str]:
    return list(spec(name)["primaryKey"])


def foreign_keys(name: str) -> list[dict]:
    return list(spec(name).get("foreignKeys", []))


def polars_schema(name: str) -> dict[str, pl.DataType]:
    return {f["name"]: _polars_type(f["type"]) for f in spec(name)["fields"]}


def frame(name: str, rows: list[dict]) -> pl.DataFrame:
    """Rows as a DataFrame with exactly the resource's columns and types, sorted by primary key.

    Missing keys become nulls; unknown keys are an error (a typo must not vanish silently).
    """
    cols = columns(name)
    unknown = {k for row in rows for k in row} - set(cols)
    if unknown:
        raise ValueError(f"{name}: rows carry columns not in schemas/{name}.yaml: {sorted(unknown)}")
    schema = polars_schema(name)
    data = {c: [row.get(c) for row in rows] for c in cols}
    import polars as pl

    try:  # values of the column's type: the fast path
        df = pl.DataFrame(data, schema=schema)
    except (TypeError, pl.exceptions.PolarsError):  # else each value is cast (a bad one becomes null)
        df = pl.DataFrame(data, schema=schema, strict=False)
    return sort_rows(name, df)


def sort_rows(name: str, df: pl.DataFrame) -> pl.DataFrame:
    """The published order of a resource's rows: by primary key."""
    return df.sort(primary_key(name), nulls_last=True)


class _PandasAbsent(importlib.abc.MetaPathFinder):
    """While installed on ``sys.meta_path``: pandas reads as not installed."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("No module named 'pandas'", name="pandas")
        return None


_PANDERA_LOADING = threading.Lock()


def pandera_polars():
    """pandera's polars API, loaded without pandas.

    pandera's package imports pandas whenever it is installed (with pyarrow, ~0.6 s of CPU on every
    build), though validating polars frames never uses it; pandas is installed here only for
    Frictionless to read Parquet files. So on first load pandas is hidden, and pandera loads what it
    loads in a polars-only installation (which it supports). polars is loaded before (it notes
    once whether pandas is installed). If pandas is already loaded, or pandera fails to load that
    way, it is loaded the ordinary way. (While pandas is hidden, another thread of this process
    could not import it either: this runs once, at start-up.)"""
    import polars as pl

    with _PANDERA_LOADING:
        if "pandera.polars" in sys.modules or "pandas" in sys.modules:
            import pandera.polars

            return pandera.polars
        finder = _PandasAbsent()
        sys.meta_path.insert(0, finder)
        try:
            import pandera.polars

            # pandera looks for pandas once more on its first check (and remembers what it found)
            column = pandera.polars.Column(pl.Int64, checks=pandera.polars.Check.ge(0))
            pandera.polars.DataFrameSchema({"n": column}).validate(pl.DataFrame({"n": [1]}, schema={"n": pl.Int64}))
            return pandera.polars
        except ImportError as exc:
            log.warning("pandera did not load without pandas (%s); loading it with pandas", exc)
            for module in [m for m in sys.modules if m == "pandera" or m.startswith("pandera.")]:
                del sys.modules[module]
        finally:
            sys.meta_path.remove(finder)
        import pandera.polars

        return pandera.polars


@lru_cache(maxsize=None)
def pandera_schema(name: str):
    """A pandera (polars) schema with the types, required fields, enums, patterns, ranges and keys."""
    pa = pandera_polars()

    cols = {}
    for f in spec(name)["fields"]:
        c = f.get("constraints", {})
        checks = []
        if "enum" in c:
            checks.append(pa.Check.isin(c["enum"]))
        if "pattern" in c:
            checks.append(pa.Check.str_matches(f"^(?:{c['pattern']})$"))
        if "minimum" in c:
            checks.append(pa.Check.ge(c["minimum"]))
        if "maximum" in c:
            checks.append(pa.Check.le(c["maximum"]))
        cols[f["name"]] = pa.Column(
            _polars_type(f["type"]),
            checks=checks or None,
            nullable=not c.get("required", False),
            unique=bool(c.get("unique", False)),
            description=f.get("description"),
        )
    return pa.DataFrameSchema(cols, unique=primary_key(name), strict=True, ordered=True, name=name)


def table_schema(name: str) -> dict:
    """The Frictionless Table Schema of a resource, as written into datapackage.json."""
    s = spec(name)
    fields = []
    for f in s["fields"]:
        out = {"name": f["name"], "type": f["type"], "description": f.get("description", "")}
        if f["type"] == "date":
            out["format"] = "default"
        if f.get("constraints"):
            out["constraints"] = dict(f["constraints"])
        fields.append(out)
    schema = {"fields": fields, "primaryKey": primary_key(name), "missingValues": [""]}
    if foreign_keys(name):
        schema["foreignKeys"] = foreign_keys(name)
    return schema


def duckdb_type(field_type: str) -> str:
    return {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"}[
        field_type
    ]


def data_dictionary(extra_sections: dict[str, str] | None = None) -> str:
    """Markdown describing every resource and column, generated from the schemas."""
    lines = []
    for name in RESOURCES:
        s = spec(name)
        lines += [f"## `{name}` — {s.get('title', name)}", "", _fold(s.get("description", "")), ""]
        lines.append(f"Primary key: {', '.join(f'`{k}`' for k in primary_key(name))}.")
        for fk in foreign_keys(name):
            ref = fk["reference"]
            lines.append(
                f"Foreign key: {', '.join(fk['fields'])} → `{ref['resource']}`.{', '.join(ref['fields'])}."
            )
        lines += ["", "| column | type | required | description |", "|---|---|---|---|"]
        for f in s["fields"]:
            c = f.get("constraints", {})
            desc = _fold(f.get("description", ""))
            if "enum" in c:
                desc += " One of: " + ", ".join(f"`{v}`" for v in c["enum"]) + "."
            lines.append(f"| `{f['name']}` | {f['type']} | {'yes' if c.get('required') else ''} | {desc} |")
        lines.append("")
        if extra_sections and name in extra_sections:
            lines += [extra_sections[name], ""]
    return "\n".join(lines)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip().replace("|", "\\|")
