"""Frictionless validation of a staged release's CSV resources, here or in a process of its own.

Only Frictionless is loaded here (no polars, no DuckDB). The build starts a ``Validator`` process
first thing: it loads Frictionless (~0.3 s of CPU) on the core that is otherwise idle while the
build process compiles the extractors' patterns, before the worker processes start; at the end it
validates the release while the build process compares the Parquet files (see
``publish.validate``). The build process itself then never loads Frictionless.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

# A report's errors are listed up to this many per task (a resource) and per package.
ERRORS_SHOWN = 20


def prepare() -> None:
    """Load Frictionless and have it find its plugins (~0.3 s of CPU on first use)."""
    import frictionless

    frictionless.system.methods  # noqa: B018  (it finds and loads its plugins on first use)


class Validator:
    """A process of its own that loads Frictionless as soon as it starts and validates releases
    (``validate_resources``) on request; shut down when its ``with`` block ends. Start it before
    this process starts threads (DuckDB's): it is forked when the start method allows."""

    def __enter__(self) -> Validator:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork") if "fork" in methods else None
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        self._pool.submit(prepare)
        return self

    def submit(self, package_dir: str | Path, names: list[str], changed: dict[str, str]) -> Future:
        """``validate_resources`` in the validator process (sharing the work with a process it
        forks when there is enough to read); its future's result is the Findings (or
        ``BrokenProcessPool`` if the validator process has died)."""
        return self._pool.submit(validate_resources, str(package_dir), names, changed, 2)

    def __exit__(self, *exc) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class Findings:
    package: list[str] = field(default_factory=list)  # the descriptor's errors (then nothing else is read)
    errors: dict[str, list[str]] = field(default_factory=dict)  # resource -> errors, for each resource read
    by_changed_rows: list[str] = field(default_factory=list)  # resources whose changed rows alone were read


def validate_resources(package_dir: str | Path, names: list[str], changed: dict[str, str], processes: int = 1) -> Findings:
    """Load the package in ``package_dir`` (which validates its descriptor) and validate each of
    ``names`` inside it, so that foreign keys look up the package's other resources.

    A resource in ``changed`` (name -> path, relative to the package, of a CSV of its rows that
    differ from the previous release, in the resource's schema) is validated by those rows alone
    when they hold no error; when they do, the whole resource is validated, so that the errors
    name rows by their place in the published file.

    With ``processes`` above 1 (and the fork start method), when there is enough to read, the
    largest resources are validated in forked processes that inherit the loaded package, while
    this one validates the rest."""
    from frictionless import FrictionlessException, Package

    found = Findings()
    cwd = os.getcwd()
    try:
        os.chdir(package_dir)  # descriptor paths are relative to the package
        try:
            package = Package("datapackage.json")
        except FrictionlessException as exc:
            found.package = [f"package: {err.type}: {err.message}" for err in (exc.reasons or [exc.error])[:ERRORS_SHOWN]]
            return found
        groups = _shares(names, changed, processes)
        if len(groups) == 1:
            _validate_in(package, names, changed, found)
        else:
            _validate_shared(package, groups, changed, found)
    finally:
        os.chdir(cwd)
    return found


# Below this many bytes to read, forking a process to share the work costs more than it saves.
SHARE_FROM_BYTES = 256 * 1024


def _shares(names: list[str], changed: dict[str, str], processes: int) -> list[list[str]]:
    """``names`` in at most ``processes`` groups of about equal bytes to read (each resource's CSV,
    or the file of its changed rows), largest first; one group when there is little to read.
    (Run in the package's folder.)"""
    if processes < 2 or len(names) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [names]
    paths = {r["name"]: r["path"] for r in json.loads(Path("datapackage.json").read_text(encoding="utf-8"))["resources"]}
    size = {name: os.path.getsize(changed.get(name, paths[name])) for name in names}
    if sum(size.values()) < SHARE_FROM_BYTES:
        return [names]
    groups: list[list[str]] = [[] for _ in range(processes)]
    load = [0] * processes
    for name in sorted(names, key=lambda name: -size[name]):
        k = load.index(min(load))
        groups[k].append(name)
        load[k] += size[name]
    return [group for group in groups if group]


_INHERITED = None  # the package loaded by the process that forks the helpers of _validate_shared


def _validate_shared(package, groups: list[list[str]], changed: dict[str, str], found: Findings) -> None:
    """The first group validated here, the others in forked processes that inherit ``package``;
    a group whose process dies is validated here."""
    global _INHERITED
    _INHERITED = package
    try:
        with ProcessPoolExecutor(len(groups) - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = {pool.submit(_validate_inherited, group, changed): group for group in groups[1:]}
            _validate_in(package, groups[0], changed, found)
            for future, group in futures.items():
                try:
                    theirs = future.result()
                except BrokenProcessPool as exc:
                    log.warning("validating %s here: the process sharing the work died (%s)", ", ".join(group), exc)
                    _validate_in(package, group, changed, found)
                    continue
                found.errors.update(theirs.errors)
                found.by_changed_rows += theirs.by_changed_rows
    finally:
        _INHERITED = None


def _validate_inherited(names: list[str], changed: dict[str, str]) -> Findings:
    found = Findings()
    _validate_in(_INHERITED, names, changed, found)
    return found


def _validate_in(package, names: list[str], changed: dict[str, str], found: Findings) -> None:
    from frictionless import Resource

    for name in names:
        if name in changed:
            descriptor = {**package.get_resource(name).to_descriptor(), "name": f"{name}-changed-rows", "path": changed[name]}
            rows = Resource(descriptor)
            package.add_resource(rows)  # so that its foreign keys look up the package's resources
            report = rows.validate()
            if report.valid:
                found.errors[name] = []
                found.by_changed_rows.append(name)
                continue
        found.errors[name] = _report_errors(package.get_resource(name).validate())


def validate_package(package_dir: str | Path) -> list[str]:
    """Everything ``frictionless validate datapackage.json`` checks, Parquet resources included."""
    from frictionless import validate

    cwd = os.getcwd()
    try:
        os.chdir(package_dir)
        return _report_errors(validate("datapackage.json"))
    finally:
        os.chdir(cwd)


def _report_errors(report) -> list[str]:
    errors = []
    for task in report.tasks:
        errors += [f"{task.name}: {err.type}: {err.message}" for err in task.errors[:ERRORS_SHOWN]]
    errors += [f"package: {err.type}: {err.message}" for err in report.errors[:ERRORS_SHOWN]]
    if not report.valid and not errors:
        errors.append("frictionless reported the package invalid")
    return errors
