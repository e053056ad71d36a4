"""Finding the documents in a folder, reading each once (cached by content), in parallel.

A document that cannot be read is *rejected* with its reason and never stops the others. The
extract of a document is cached under the warehouse folder by its SHA-256 and the version of the
extraction code, so an unchanged document is never extracted twice.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import multiprocessing
import os
import queue
import re
import sys
import threading
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from .processes import die_with_parent, fork_context
from .records import Extract
from .text import DocumentError, document_format

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.csv"
_PACKAGE_DIR = Path(__file__).resolve().parent
_PACKAGE = __name__.split(".")[0]


@dataclass(frozen=True)
class SourceFile:
    path: Path
    source: str  # path relative to the documents folder, with forward slashes
    sha256: str


@dataclass
class Rejected:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


# Documents whose own cross-checks fail are rejected whole, so they cannot spoil the release.
QUARANTINE_REASON = "failed its checks: "

DOCUMENT_TABLES = ("tables", "judgements", "indicators")


@dataclass
class Collection:
    """What a folder yielded: the documents row of every document read, and every rejection.

    The rows of a document's tables, judgements and indicators go to the ``sink`` given to
    :func:`collect` as the document arrives and are not kept here, so a large folder never sits in
    memory as Python objects.
    """

    documents_dir: Path
    documents: list[dict] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    from_cache: int = 0
    carried: int = 0  # documents whose rows the warehouse already held (see ``collect``'s ``carry_over``)
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DOCUMENT_TABLES, 0))
    # sha256 -> (source, staging key) of every document accepted: what its rows were made from
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.documents) + len(self.rejected)

    def rejected_rows(self) -> list[dict]:
        """The rejections as rows of the warehouse's rejected_documents table."""
        return [{"source_file": r.source, "reason": r.reason} for r in self.rejected]

    def key_rows(self) -> list[dict]:
        """What each accepted document's rows were made from, as rows of the warehouse's state."""
        return [{"sha256": sha, "source_file": source, "staging_key": key} for sha, (source, key) in sorted(self.keys.items())]


def scan(documents_dir: Path) -> list[SourceFile]:
    """Every document file (.txt, .md, .pdf) under the folder, in a stable order; hidden files skipped.

    Other files (the manifest, labels, spreadsheets) are not documents and are left alone.
    """
    out = []
    for path in sorted(documents_dir.rglob("*")):
        rel = path.relative_to(documents_dir).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in Path(rel).parts) or document_format(path) is None:
            continue
        out.append(SourceFile(path, rel, _file_sha256(path)))
    return out


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_manifest(documents_dir: Path) -> dict[str, dict]:
    """The folder's manifest.csv (optional), keyed by sha256: provenance and field overrides."""
    path = documents_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if "sha256" not in (reader.fieldnames or []):
            log.warning("%s has no sha256 column, so it is not a documents manifest; ignored", path)
            return {}
        rows = list(reader)
    out = {}
    for n, row in enumerate(rows, start=2):
        sha = (row.get("sha256") or "").strip().lower()
        if len(sha) != 64:
            raise ValueError(f"{path}: line {n}: sha256 must be the 64 hex digits of the file's SHA-256")
        out[sha] = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
    return out


# "from . import a, b", "from .x import y", "from pipeline.x import y", "import pipeline.x" (anywhere
# in a module, inside functions too); a regex, because parsing every module took ~0.2 s of start-up
_PACKAGE_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?:\.|" + _PACKAGE + r"\.)(\w*)(?:\.\w+)*[ \t]+import[ \t]+(\([^)]*\)|[\w \t,]+)|import[ \t]+" + _PACKAGE + r"\.(\w+))",
    re.M,
)


def extraction_sources() -> list[Path]:
    """The files an extract depends on: the modules ``extract.py`` imports, directly or not, the
    package's reference data and the table schemas. Checking, warehouse and publishing code are not
    among them."""
    modules: set[str] = set()
    todo = ["extract", "collect"]  # collect holds _extract_one, which calls extract_file
    while todo:
        name = todo.pop()
        if name in modules:
            continue
        modules.add(name)
        for module, names, imported in _PACKAGE_IMPORT.findall((_PACKAGE_DIR / f"{name}.py").read_text(encoding="utf-8")):
            if module or imported:
                todo.append(module or imported)
            else:  # from . import a, b
                todo += [n.split()[0] for n in names.strip("()").split(",") if n.strip()]
    files = [_PACKAGE_DIR / f"{m}.py" for m in modules]
    files += [p for p in _PACKAGE_DIR.rglob("*.csv") if "__pycache__" not in p.parts]
    files += list((_PACKAGE_DIR.parent / "schemas").glob("*.yaml"))
    return sorted(files)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the extraction code, reference data and schemas, and of the PDF reader's version:
    a change to any of them invalidates the cache (a change to publishing code does not)."""
    return _files_hash(_library_versions(_LIBRARIES_OF_EXTRACTION), extraction_sources())


# The libraries whose versions can change what a document yields (its text, its typed rows, the
# checks on them): part of both versions below.
_LIBRARIES_OF_EXTRACTION = ("pypdfium2",)
_LIBRARIES_OF_STAGING = ("pypdfium2", "polars", "pandera", "duckdb")


def _library_versions(names: tuple[str, ...]) -> bytes:
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in names:
        try:
            out.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} absent")
    return "\n".join(out).encode()


@lru_cache(maxsize=1)
def build_version() -> str:
    """A hash of all of the package's code and data, of the schemas and of the versions of the
    libraries that read and type the rows: a document's rows in the warehouse are what its extract
    became under this version of everything (reading, checking, typing), so rows staged under
    another version are never carried over."""
    files = [p for p in _PACKAGE_DIR.rglob("*") if p.suffix in (".py", ".csv") and "__pycache__" not in p.parts]
    return _files_hash(_library_versions(_LIBRARIES_OF_STAGING), sorted(files) + sorted((_PACKAGE_DIR.parent / "schemas").glob("*.yaml")))


def _files_hash(start: bytes, files: list[Path]) -> str:
    """A short hash of ``start`` and of each file's path (from the project's root) and bytes."""
    h = hashlib.sha256(start)
    for path in files:
        h.update(path.relative_to(_PACKAGE_DIR.parent).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def _manifest_salt(manifest_row: dict | None) -> str:
    return hashlib.sha1(json.dumps(manifest_row or {}, sort_keys=True).encode()).hexdigest()[:8]


def staging_key(sha256: str, manifest_row: dict | None) -> str:
    """What a document's staged rows are made from: its content, its manifest row, all the code."""
    return f"{sha256}-{build_version()}-{_manifest_salt(manifest_row)}"


class ExtractCache:
    """Extracts on disk, one JSON file per (document content, code version, manifest row)."""

    def __init__(self, directory: Path | None):
        self.directory = directory

    def _path(self, sha256: str, manifest_row: dict | None) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / f"{sha256}-{code_version()}-{_manifest_salt(manifest_row)}.json"

    def prune(self) -> int:
        """Remove entries made by other versions of the code (they can never be used again)."""
        if self.directory is None or not self.directory.is_dir():
            return 0
        current = f"-{code_version()}-"
        stale = [p for p in self.directory.glob("*.json") if current not in p.name]
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)

    def has(self, sha256: str, manifest_row: dict | None) -> bool:
        path = self._path(sha256, manifest_row)
        return path is not None and path.exists()

    def get(self, sha256: str, manifest_row: dict | None) -> Extract | Rejected | None:
        path = self._path(sha256, manifest_row)
        if path is None or not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable cache entry %s: %s", path, exc)
            return None
        if "rejected" in data:
            return Rejected("", data["rejected"])
        return Extract.from_json(data)

    def put(self, sha256: str, manifest_row: dict | None, result: Extract | Rejected) -> None:
        path = self._path(sha256, manifest_row)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"rejected": result.reason} if isinstance(result, Rejected) else result.to_json()
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)


_EXTRACTORS_LOADING = threading.Lock()


def _load_extractors() -> None:
    """Import the extraction modules, their regular expressions made from the compiled ones stored
    by an earlier run where there are some (see ``patterns``). (A second thread waits for the
    first's import to finish.)"""
    from .patterns import cached_compile, default_directory

    with _EXTRACTORS_LOADING:
        if f"{_PACKAGE}.extract" in sys.modules:
            return
        with cached_compile(default_directory()):
            from . import extract  # noqa: F401


def _extract_one(path: str, source: str, manifest_row: dict | None) -> Extract | Rejected:
    """Worker: never raises; a failure becomes a rejection that names the file and the reason."""
    from .extract import extract_file  # loaded once per process (see collect)

    try:
        result = extract_file(Path(path), source, manifest_row)
    except DocumentError as exc:
        return Rejected(source, exc.reason)
    except Exception as exc:  # a bug on one document must not stop the others: report it in full
        detail = traceback.format_exc(limit=3).strip().splitlines()[-1]
        log.error("extraction failed on %s", source, exc_info=True)
        return Rejected(source, f"extraction failed ({type(exc).__name__}: {exc}); {detail}")
    return result


_CRASH = "the reader crashed on this file"


def _extract_isolated(
    f: SourceFile, manifest_row: dict | None, target: Callable[..., Extract | Rejected] | None = None
) -> Extract | Rejected:
    """Extract one file in a process of its own (spawned, so it shares no state with this one)."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        try:
            return pool.submit(target or _extract_one, str(f.path), f.source, manifest_row).result()
        except BrokenProcessPool as exc:
            log.error("the process reading %s died", f.source)
            return Rejected(f.source, f"{_CRASH} (its process died: {exc})")


def collect(
    documents_dir: Path,
    cache_dir: Path | None = None,
    *,
    sink: Callable[[Extract], None] | None = None,
    workers: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    only: Iterable[str] | None = None,
    while_waiting: Callable[[], None] | None = None,
    carry_over: Callable[[dict[str, tuple[str, str]]], tuple[dict[str, dict], dict[str, int]]] | None = None,
) -> Collection:
    """Read every document in the folder (or only the given sources); reject what can't be read.

    Each accepted extract is handed to ``sink`` as soon as it is ready, in no particular order.
    New and changed documents are read by worker processes; ``while_waiting`` runs in this process
    once they have started (the build imports what checking and publishing need there), then the
    cached extracts are loaded while the workers read. A document whose own checks fail is
    rejected whole with its reasons (``QUARANTINE_REASON``).

    ``carry_over`` is offered the cached documents (sha256 -> (source, staging key)) and returns
    the documents rows (by sha256) of those whose rows the warehouse already holds, made from the
    same staging key, and the number of their rows per table: those are neither loaded nor sent to
    the sink.
    """
    documents_dir = Path(documents_dir)
    if not documents_dir.is_dir():
        raise FileNotFoundError(f"documents folder {documents_dir} does not exist")
    manifest = load_manifest(documents_dir)
    files = scan(documents_dir)
    if only is not None:
        wanted = set(only)
        files = [f for f in files if f.source in wanted]
    cache = ExtractCache(cache_dir)
    cache.prune()
    result = Collection(documents_dir)
    total = len(files)
    done = 0

    def accept(f: SourceFile, outcome: Extract | Rejected) -> None:
        nonlocal done
        if isinstance(outcome, Extract) and outcome.problems:
            reason = QUARANTINE_REASON + "; ".join(outcome.problems[:5])
            if len(outcome.problems) > 5:
                reason += f"; and {len(outcome.problems) - 5} more"
            outcome = Rejected(f.source, reason)
        if isinstance(outcome, Rejected):
            outcome = Rejected(f.source, outcome.reason)
            result.rejected.append(outcome)
            log.warning("rejected %s", outcome)
        else:
            outcome.document["source_file"] = f.source  # the same bytes may have moved
            result.documents.append(outcome.document)
            result.keys[f.sha256] = (f.source, staging_key(f.sha256, manifest.get(f.sha256)))
            for name in DOCUMENT_TABLES:
                result.rows[name] += len(getattr(outcome, name))
            if sink is not None:
                sink(outcome)
        done += 1
        if progress:
            progress(done, total, f.source)

    first_by_sha: dict[str, str] = {}
    todo: list[SourceFile] = []
    cached: list[SourceFile] = []
    for f in files:
        if f.sha256 in first_by_sha:
            accept(f, Rejected(f.source, f"duplicate: the same content as {first_by_sha[f.sha256]} (sha256 {f.sha256[:16]})"))
        else:
            first_by_sha[f.sha256] = f.source
            (cached if cache.has(f.sha256, manifest.get(f.sha256)) else todo).append(f)

    def load_cached() -> None:
        nonlocal done
        if carry_over is not None and cached:
            offered = {f.sha256: (f.source, staging_key(f.sha256, manifest.get(f.sha256))) for f in cached}
            carried, counts = carry_over(offered)
            for f in cached:
                if f.sha256 in carried:
                    result.documents.append(carried[f.sha256])
                    result.keys[f.sha256] = offered[f.sha256]
                    result.carried += 1
                    done += 1
                    if progress:
                        progress(done, total, f.source)
            for name, n in counts.items():
                result.rows[name] += n
        else:
            carried = {}
        for f in (f for f in cached if f.sha256 not in carried):
            outcome = cache.get(f.sha256, manifest.get(f.sha256))
            if outcome is None:  # unreadable entry: read the document again, here
                outcome = _extract_one(str(f.path), f.source, manifest.get(f.sha256))
                cache.put(f.sha256, manifest.get(f.sha256), outcome)
            else:
                result.from_cache += 1
            accept(f, outcome)

    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    crashed: list[SourceFile] = []
    if n_workers > 1 and todo:
        # With the fork start method every worker is started at the first submit, before this
        # process imports anything more or starts threads of its own. Even one document is read
        # by a worker, and meanwhile this process does its own work. When several workers start,
        # this process loads the extractors first (their patterns come compiled from the cache, or
        # take ~0.4 s of CPU to compile) and the forked workers inherit them.
        context = fork_context()
        n_workers = min(n_workers, len(todo))
        if n_workers > 1 and context.get_start_method() == "fork":
            _load_extractors()
        pool = ProcessPoolExecutor(
            max_workers=n_workers, mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
        )
        with pool:
            finished: queue.SimpleQueue[Future] = queue.SimpleQueue()  # futures as they finish
            pending: dict[Future, SourceFile] = {}
            # largest files first, so that no worker is left with a long document at the end
            for f in sorted(todo, key=lambda f: f.path.stat().st_size, reverse=True):
                future = pool.submit(_extract_one, str(f.path), f.source, manifest.get(f.sha256))
                pending[future] = f
                future.add_done_callback(finished.put)
            if while_waiting:
                while_waiting()
            load_cached()
            while pending:
                future = finished.get()
                f = pending.pop(future)  # the result is dropped once handled: memory stays flat
                try:
                    outcome = future.result()  # _extract_one never raises ...
                except BrokenProcessPool:  # ... but a worker can die (a crash in the PDF library)
                    crashed.append(f)
                    continue
                cache.put(f.sha256, manifest.get(f.sha256), outcome)
                accept(f, outcome)
        for f in crashed:  # one fresh process each, so the file that kills its reader is found
            outcome = _extract_isolated(f, manifest.get(f.sha256))
            if not (isinstance(outcome, Rejected) and outcome.reason.startswith(_CRASH)):  # may not recur
                cache.put(f.sha256, manifest.get(f.sha256), outcome)
            accept(f, outcome)
    else:
        if while_waiting:
            while_waiting()
        load_cached()
        if todo:
            _load_extractors()
        for f in todo:
            outcome = _extract_one(str(f.path), f.source, manifest.get(f.sha256))
            cache.put(f.sha256, manifest.get(f.sha256), outcome)
            accept(f, outcome)

    result.documents.sort(key=lambda d: d["source_file"])
    result.rejected.sort(key=lambda r: r.source)
    return result
