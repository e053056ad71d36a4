"""Frictionless validation of a staged release's CSV resources, here or in a process of its own.

Only Frictionless is loaded here (no polars, no DuckDB). The build starts a ``Validator`` process
first thing: it loads Frictionless (~0.3 s of CPU) on the core that is otherwise idle while the
build process loads the extractors, before the worker processes start; at the end it
validates the release while the build process runs its last checks and compares the Parquet
files (see ``publish.validate``). The build process itself then never loads Frictionless.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .processes import die_with_parent, fork_context

log = logging.getLogger(__name__)

# A report's errors are listed up to this many per task (a resource) and per package.
ERRORS_SHOWN = 20


def prepare() -> None:
    """Load Frictionless and have it find its plugins (~0.3 s of CPU on first use)."""
    import frictionless

    frictionless.system.methods  # noqa: B018  (it finds and loads its plugins on first use)


class ValidatorDied(RuntimeError):
    """The validator process ended (killed, or crashed) before it answered."""


class Validator:
    """A process of its own, started when the ``with`` block begins, that loads Frictionless at once
    and then validates releases on request: ``submit`` one, then take its ``result``. It is stopped
    when the block ends, whatever it is doing, and it dies if this process dies (Linux).

    It talks over a pipe, so starting it starts no thread in this process: worker processes forked
    later inherit none. Start it before this process starts threads (DuckDB's): it is forked where
    the platform allows."""

    def __enter__(self) -> Validator:
        context = fork_context()
        self._conn, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, os.getpid()), name="validator")
        self._process.start()
        theirs.close()
        self._waiting = False
        return self

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def submit(self, package_dir: str | Path, names: list[str], changed: dict[str, str]) -> None:
        """Have the validator run ``validate_resources`` (sharing the work with a process it forks
        when there is enough to read)."""
        if self._waiting:
            raise RuntimeError("the validator is still busy with an earlier request")
        try:
            self._conn.send((str(package_dir), list(names), dict(changed)))
        except OSError as exc:
            raise ValidatorDied(f"the validator process is gone ({exc})") from exc
        self._waiting = True

    def result(self) -> Findings:
        """The Findings of the request submitted last; an error raised in the validator is raised
        here; ``ValidatorDied`` if its process has ended."""
        try:
            while not self._conn.poll(0.05):
                if not self._process.is_alive():
                    raise ValidatorDied(f"the validator process ended (exit code {self._process.exitcode})")
            outcome = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise ValidatorDied(f"the validator process is gone ({exc})") from exc
        self._waiting = False
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def __exit__(self, *exc) -> None:
        self._conn.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _serve(conn, parent_pid: int) -> None:
    """The validator process: load Frictionless, then answer requests until its pipe closes."""
    die_with_parent(parent_pid)
    try:
        prepare()
    except Exception:  # the first request meets the same error and reports it
        log.warning("the validator could not load Frictionless", exc_info=True)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            outcome = validate_resources(*request, processes=2)
        except Exception as exc:  # raised in the build process, as if it had run there
            outcome = RuntimeError(f"validation failed in the validator process: {exc!r}\n{traceback.format_exc()}")
        conn.send(outcome)


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
    with contextlib.chdir(package_dir):  # descriptor paths are relative to the package
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
    return found


# Below this many bytes to read, forking a process to share the work costs more than it saves.
SHARE_FROM_BYTES = 256 * 1024


def _shares(names: list[str], changed: dict[str, str], processes: int) -> list[list[str]]:
    """``names`` in at most ``processes`` groups of about equal bytes to read (each resource's CSV,
    or the file of its changed rows), largest first; one group when there is little to read.
    (Run in the package's folder.)"""
    if processes < 2 or len(names) < 2 or fork_context().get_start_method() != "fork":
        return [names]
    paths = {r["name"]: r["path"] for r in json.loads(Path("datapackage.json").read_text(encoding="utf-8"))["resources"]}
    size = {name: _size(changed.get(name, paths.get(name, ""))) for name in names}
    if sum(size.values()) < SHARE_FROM_BYTES:
        return [names]
    groups: list[list[str]] = [[] for _ in range(processes)]
    load = [0] * processes
    for name in sorted(names, key=lambda name: -size[name]):
        k = load.index(min(load))
        groups[k].append(name)
        load[k] += size[name]
    return [group for group in groups if group]


def _size(path: str) -> int:
    """A file's size; 0 for a file that is missing or unreadable (Frictionless says what is wrong)."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


_INHERITED = None  # the package loaded by the process that forks the helpers of _validate_shared


def _validate_shared(package, groups: list[list[str]], changed: dict[str, str], found: Findings) -> None:
    """The first group validated here, the others in forked processes that inherit ``package``;
    a group whose process dies is validated here."""
    global _INHERITED
    _INHERITED = package
    try:
        pool = ProcessPoolExecutor(
            len(groups) - 1, mp_context=fork_context(), initializer=die_with_parent, initargs=(os.getpid(),)
        )
        with pool:
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

    with contextlib.chdir(package_dir):
        return _report_errors(validate("datapackage.json"))


def _report_errors(report) -> list[str]:
    errors = []
    for task in report.tasks:
        errors += [f"{task.name}: {err.type}: {err.message}" for err in task.errors[:ERRORS_SHOWN]]
    errors += [f"package: {err.type}: {err.message}" for err in report.errors[:ERRORS_SHOWN]]
    if not report.valid and not errors:
        errors.append("frictionless reported the package invalid")
    return errors
