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
import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from .extract import Extract, extract_file
from .text import DocumentError, document_format

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.csv"
_PACKAGE_DIR = Path(__file__).resolve().parent


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


@dataclass
class Collection:
    documents_dir: Path
    extracts: list[Extract] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    from_cache: int = 0

    @property
    def total(self) -> int:
        return len(self.extracts) + len(self.rejected)


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


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the extraction code and reference data: a change to either invalidates the cache."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE_DIR.rglob("*")):
        if path.suffix in (".py", ".csv") and "__pycache__" not in path.parts:
            h.update(path.relative_to(_PACKAGE_DIR).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


class ExtractCache:
    """Extracts on disk, one JSON file per (document content, code version, manifest row)."""

    def __init__(self, directory: Path | None):
        self.directory = directory

    def _path(self, sha256: str, manifest_row: dict | None) -> Path | None:
        if self.directory is None:
            return None
        salt = hashlib.sha1(json.dumps(manifest_row or {}, sort_keys=True).encode()).hexdigest()[:8]
        return self.directory / f"{sha256}-{code_version()}-{salt}.json"

    def prune(self) -> int:
        """Remove entries made by other versions of the code (they can never be used again)."""
        if self.directory is None or not self.directory.is_dir():
            return 0
        current = f"-{code_version()}-"
        stale = [p for p in self.directory.glob("*.json") if current not in p.name]
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)

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


def _extract_one(path: str, source: str, manifest_row: dict | None) -> Extract | Rejected:
    """Worker: never raises; a failure becomes a rejection that names the file and the reason."""
    try:
        result = extract_file(Path(path), source, manifest_row)
    except DocumentError as exc:
        return Rejected(source, exc.reason)
    except Exception as exc:  # a bug on one document must not stop the others: report it in full
        detail = traceback.format_exc(limit=3).strip().splitlines()[-1]
        log.error("extraction failed on %s", source, exc_info=True)
        return Rejected(source, f"extraction failed ({type(exc).__name__}: {exc}); {detail}")
    return result


def collect(
    documents_dir: Path,
    cache_dir: Path | None = None,
    workers: int | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    only: Iterable[str] | None = None,
) -> Collection:
    """Read every document in the folder (or only the given sources); reject what can't be read."""
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

    def report(source: str) -> None:
        if progress:
            progress(done, total, source)

    first_by_sha: dict[str, str] = {}
    todo: list[SourceFile] = []
    by_source: dict[str, Extract | Rejected] = {}
    for f in files:
        if f.sha256 in first_by_sha:
            by_source[f.source] = Rejected(
                f.source, f"duplicate: the same content as {first_by_sha[f.sha256]} (sha256 {f.sha256[:16]})"
            )
        else:
            first_by_sha[f.sha256] = f.source
            cached = cache.get(f.sha256, manifest.get(f.sha256))
            if cached is None:
                todo.append(f)
            else:
                by_source[f.source] = _as_source(cached, f)
                result.from_cache += 1
    for source in by_source:
        done += 1
        report(source)

    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    jobs = [(str(f.path), f.source, manifest.get(f.sha256)) for f in todo]
    if n_workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=n_workers) as pool:
            outcomes = pool.map(_extract_one, *zip(*jobs), chunksize=1)
            for f, outcome in zip(todo, outcomes):
                cache.put(f.sha256, manifest.get(f.sha256), outcome)
                by_source[f.source] = outcome
                done += 1
                report(f.source)
    else:
        for f, job in zip(todo, jobs):
            outcome = _extract_one(*job)
            cache.put(f.sha256, manifest.get(f.sha256), outcome)
            by_source[f.source] = outcome
            done += 1
            report(f.source)

    for f in files:  # keep the folder's order
        outcome = by_source[f.source]
        if isinstance(outcome, Rejected):
            result.rejected.append(outcome)
            log.warning("rejected %s", outcome)
        else:
            result.extracts.append(outcome)
    return result


def _as_source(cached: Extract | Rejected, f: SourceFile) -> Extract | Rejected:
    """A cached result under the file's current name (the same bytes may have moved)."""
    if isinstance(cached, Rejected):
        return Rejected(f.source, cached.reason)
    cached.document["source_file"] = f.source
    return cached
