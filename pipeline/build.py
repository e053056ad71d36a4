"""The build, step by step: collect documents, checking and staging their rows in the warehouse in
batches -> the checks over every row -> warehouse -> stage, validate and publish the release.
Each step is a plain function that the command line (``python -m pipeline build``) and the Dagster
assets both call.
"""

from __future__ import annotations

import gc
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
from .validation import Validator

if TYPE_CHECKING:  # polars, DuckDB and pandera are imported while the workers read
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


class TableStore:
    """The rows of the document tables, handled in batches of whole documents as they arrive: each
    batch is typed, made spreadsheet-safe, checked (``checks.run_batch``) and appended to the
    warehouse's staging tables, then dropped. The build process holds at most one batch, so its
    memory does not grow with the folder; the checks that need every row run in DuckDB at the end.
    Rows become typed frames every ``FRAME_ROWS`` (Python rows are large); frames are checked every
    ``BATCH_ROWS`` (pandera's cost is mostly per call).

    A refresh does not stage again the rows of documents that have not changed: ``carry_over``
    copies them inside DuckDB from the warehouse's tables, where the same file and the same code
    put them (they were checked then), and ``stage_rest`` records what every document's rows were
    made from.
    """

    FRAME_ROWS = 1000  # rows held as Python objects before they become a typed frame
    # rows held as frames before they are checked and staged: pandera's cost is mostly per batch
    # (~0.065 s whether it holds 100 rows or 20,000), and 20,000 rows of frames are ~6 MB
    BATCH_ROWS = 20000

    def __init__(self) -> None:
        self.con = None  # the warehouse connection, given by ``open`` once the workers have started
        self._pending: dict[str, list[dict]] = {name: [] for name in ("documents", *DOCUMENT_TABLES)}
        self._frames: dict[str, list[pl.DataFrame]] = {name: [] for name in self._pending}
        self._count = 0  # rows pending
        self._framed = 0  # rows in frames
        self._reference: dict[str, pl.DataFrame] = {}
        self.rows: dict[str, int] = dict.fromkeys(schemas.RESOURCES, 0)
        self.failures: dict[str, list[str]] = {}
        self.keys: list[dict] = []  # what each document's rows were made from (Collection.key_rows)
        self._unchecked: dict[str, pl.DataFrame] = {}  # staged by ``stage_rest``, for ``check_rest``

    def open(self, con) -> None:
        """Start staging into the warehouse over ``con``; the reference tables go first."""
        from . import checks, warehouse

        self.con = con
        self.failures = {check.name: [] for check in checks.CHECKS}
        warehouse.begin_staging(con)
        self._reference = {name: safe_text(schemas.frame(name, rows)) for name, rows in reference_rows().items()}
        empty = {name: schemas.frame(name, []) for name in self._pending}
        self._stage({**self._reference, **empty}, {})

    def add(self, extract: Extract) -> None:
        self._pending["documents"].append(extract.document)
        for name in DOCUMENT_TABLES:
            rows = getattr(extract, name)
            self._pending[name].extend(rows)
            self._count += len(rows)
        if self._count >= self.FRAME_ROWS:
            self._to_frames()
            if self._framed >= self.BATCH_ROWS:
                self._flush()

    def _to_frames(self) -> None:
        if self._pending["documents"]:
            for name, rows in self._pending.items():
                self._frames[name].append(safe_text(schemas.frame(name, rows)))
            self._pending = {name: [] for name in self._pending}
            self._framed += self._count
            self._count = 0

    def _flush(self) -> None:
        batch = self._batch()
        if batch:
            self._stage(batch, self._reference)

    def _batch(self) -> dict[str, pl.DataFrame]:
        """The rows held, as one frame per table (empty when none are held), no longer held."""
        import polars as pl

        self._to_frames()
        if not self._frames["documents"]:
            return {}
        batch = {name: pl.concat(parts) for name, parts in self._frames.items()}
        self._frames = {name: [] for name in self._frames}
        self._framed = 0
        return batch

    def _stage(self, batch: dict[str, pl.DataFrame], parents: dict[str, pl.DataFrame]) -> None:
        self._check(batch, parents)
        self._append(batch)

    def _check(self, batch: dict[str, pl.DataFrame], parents: dict[str, pl.DataFrame]) -> None:
        from . import checks

        for name, found in checks.run_batch(batch, parents).items():
            self.failures[name] += found

    def _append(self, batch: dict[str, pl.DataFrame]) -> None:
        from . import warehouse

        for name, df in batch.items():
            warehouse.append(self.con, name, df)
            self.rows[name] += df.height

    def carry_over(self, offered: dict[str, tuple[str, str]]) -> tuple[dict[str, dict], dict[str, int]]:
        """Stage, from the warehouse, the rows of the offered documents it holds under the same
        staging key (see ``collect``); their documents rows by sha256 and their row counts."""
        from . import warehouse

        documents, counts = warehouse.carry_over(self.con, offered)
        for name, n in counts.items():
            self.rows[name] += n
        return documents, {name: n for name, n in counts.items() if name in DOCUMENT_TABLES}

    def finish(self) -> dict[str, list[str]]:
        """Stage what is left and what every document's rows were made from (``keys``, set by
        ``read_documents``), and run the checks over every row; returns every check's failures."""
        self.stage_rest()
        return self.check_rest()

    def stage_rest(self) -> None:
        """``finish``'s first half: stage the rows still held, not yet checked, and the keys. Every
        row is then in the staging tables (a candidate release can be written from them)."""
        from . import warehouse

        self._unchecked = self._batch()
        self._append(self._unchecked)
        warehouse.append(self.con, warehouse.STATE, warehouse.internal_frame(warehouse.STATE, self.keys))

    def check_rest(self) -> dict[str, list[str]]:
        """``finish``'s second half: check the rows ``stage_rest`` staged, then run the checks over
        every row; returns every check's failures."""
        from . import checks, warehouse

        if self._unchecked:
            self._check(self._unchecked, self._reference)
            self._unchecked = {}
        for name, found in checks.run_staged(self.con, warehouse.staged_tables()).items():
            self.failures[name] += found
        return self.failures


def prepare_imports() -> None:
    """Import what checking, the warehouse and publishing need (about a second of start-up); the
    build does this while the worker processes read the documents. (Frictionless is loaded by the
    build's validator process: see ``validation``.)"""
    import polars  # noqa: F401

    schemas.pandera_polars()
    _set_aside_loaded_objects()
    import duckdb  # noqa: F401

    from . import checks, publish, warehouse  # noqa: F401


def _set_aside_loaded_objects() -> None:
    """The objects this process has loaded by now (the extractors, polars, pandera: most of its
    objects) live as long as it does. ``gc.freeze`` moves them out of the garbage collector's sight,
    so that neither its collections during the build nor the interpreter's on the way out (~0.15 s
    of a build) walk them again. Only before DuckDB is loaded: its objects must be collected at exit
    (its bindings report the ones that are not as leaks), and only once in a process. (A collection
    first would cost ~0.03 s and find next to nothing: importing makes little garbage.)"""
    if "duckdb" not in sys.modules and not gc.get_freeze_count():
        gc.freeze()


def read_documents(
    paths: Paths,
    connect: Callable[[], object],
    progress: Callable[[int, int, str], None] | None = None,
    workers: int | None = None,
    cache_dir: Path | None = None,
) -> tuple[Collection, TableStore]:
    """Every document of the folder read (or taken from the cache) and its rows checked and staged
    in the warehouse (over the connection ``connect`` returns, opened once the workers have started:
    forking after DuckDB has started its threads is not safe). ``store.finish()`` then runs the
    checks that need every row and returns every check's failures."""
    store = TableStore()

    def start() -> None:
        prepare_imports()
        store.open(connect())

    collection = collect(
        paths.documents,
        cache_dir or paths.cache,
        sink=store.add,
        workers=workers,
        progress=progress,
        while_waiting=start,
        carry_over=store.carry_over,
    )
    store.keys = collection.key_rows()
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


def sources(documents: pl.DataFrame) -> list[dict]:
    """The package's sources: one per document (from the documents table)."""
    out = []
    for d in documents.to_dicts():
        when = d["published_date"] or d["period_start"]
        title = d["title"] or d["source_file"]
        entry = {"title": f"{title} ({d['publisher'] or 'unknown publisher'}{', ' + when.isoformat() if when else ''})"}
        if d.get("source") and str(d["source"]).startswith(("http://", "https://")):
            entry["path"] = d["source"]
        out.append(entry)
    return out


def dictionary_sections() -> dict[str, str]:
    """Vocabularies printed under their resources in the release's data dictionary."""
    from .catalogue import CATALOGUE, COMPARISON_GROUPS, UNIT_VOCABULARY
    from .frameworks import AREA_VOCABULARY, FRAMEWORKS, SERVICE_VOCABULARY

    fw = ["Frameworks:", "", "| framework | name | years | grade scale |", "|---|---|---|---|"]
    fw += [f"| `{f.key}` | {f.label} | {f.years} | {f.grade_scale or 'ungraded'} |" for f in FRAMEWORKS.values()]
    areas = ["Judgement area keys:", "", "| key | label | frameworks |", "|---|---|---|"]
    areas += [f"| `{k}` | {v['label']} | {' '.join(v.get('frameworks', ()))} |" for k, v in AREA_VOCABULARY.items()]
    cat = ["Indicators in the catalogue:", "", "| key | label | unit | polarity |", "|---|---|---|---|"]
    cat += [f"| `{r['indicator_key']}` | {r['label']} | {r['unit']} | {r['polarity']} |" for r in CATALOGUE]
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
    rows: dict[str, int]  # rows per resource
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
            f" ({c.from_cache} from the extract cache, {c.carried} unchanged in the warehouse)",
        ]
        for r in c.rejected:
            lines.append(f"  rejected {r.source}: {r.reason}")
        lines.append("Rows: " + ", ".join(f"{n} {count}" for n, count in self.rows.items()))
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

    opened = []

    def connect():
        from . import warehouse

        opened.append(warehouse.connect(paths.warehouse))
        return opened[-1]

    with Validator() as validator:  # (a process of its own, started before anything else: see validation)
        try:
            collection, store = read_documents(paths, connect, progress, workers)
            lap("read")  # (the checks within documents ran on each batch as it arrived, but the last)
            result = _warehouse_and_publish(collection, store, opened[-1], paths, lap, validator)
        finally:
            for con in opened:
                con.close()
    result.phases = phases
    result.seconds = time.perf_counter() - started
    return result


def _warehouse_and_publish(
    collection: Collection, store: TableStore, con, paths: Paths, lap: Callable[[str], None], validator: Validator | None = None
) -> BuildResult:
    """Check the last rows, put them in the warehouse and publish them. The candidate release is
    written from the staging tables first, so that the last checks run in this process while
    Frictionless validates the release in the validator's (both take a few tenths of a second);
    the warehouse's tables are replaced only when every check has passed, and the release is
    published only when it is valid too."""
    from . import publish, warehouse

    staged = None
    failures: dict[str, list[str]] | None = None

    def check() -> None:
        nonlocal failures
        failures = store.check_rest()

    def abandon() -> None:  # neither a candidate release nor staged rows may outlive failed checks
        if staged is not None:
            publish.discard(staged)
        warehouse.discard_staging(con)

    try:
        store.stage_rest()
        staged = stage_candidate(con, paths.dist)
        lap("stage")
        errors = publish.validate(staged, con=con, validator=validator, meanwhile=check) if staged is not None else []
        if failures is None:  # (validate runs them; with nothing to validate, or had it not, they run here)
            check()
    except BaseException:
        abandon()
        raise
    result = BuildResult(collection, store.rows, failures, validation_errors=errors)
    lap("check and validate")
    if any(failures.values()):
        abandon()
        result.status = "not published: checks failed"
        return result
    warehouse.commit_staging(con, collection.rejected_rows())
    if staged is None:
        result.status = f"unchanged (latest is {publish.latest_version(paths.dist)})"
    elif result.validation_errors:
        publish.discard(staged)
        result.status = "not published: the package failed frictionless validation"
    else:
        publish.publish(staged, paths.dist)
        result.release = staged.version
        result.status = f"published {staged.version} ({staged.bump}) to {paths.dist / staged.version}"
    lap("publish")
    return result


def stage_candidate(con, dist: Path):
    """The candidate release written from the staging tables (``publish.stage``), before the
    warehouse's tables are replaced; None when its content equals the latest release."""
    from . import publish, warehouse

    documents = warehouse.read_table(con, "documents", warehouse.staged("documents"))
    return publish.stage(con, dist, sources(documents), dictionary_sections(), warehouse.staged_tables())


def print_progress(done: int, total: int, source: str) -> None:
    stream = sys.stderr
    if stream.isatty():
        stream.write(f"\r[{done}/{total}] {source[:60]:<60}")
        if done == total:
            stream.write("\n")
    elif done == total or done % 10 == 0 or total <= 20:
        stream.write(f"[{done}/{total}] {source}\n")
    stream.flush()
