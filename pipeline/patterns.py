"""Compiled regular expressions kept on disk between runs, as Python keeps compiled bytecode.

The extractors compile ~600 regular expressions when they are imported. CPython compiles a pattern
in two steps: its parser and compiler (pure Python: ~0.4 s of CPU for all of them, which every
build pays before its workers can start) turn the pattern into a list of integers, from which
``_sre.compile`` makes the ``re.Pattern`` in microseconds. While the extractors are imported,
``cached_compile`` takes the first step's output from a file, so that only the second is done.

The file holds what this interpreter made: it is named after the file's format, the interpreter's
version and build and its regular-expression engine (``_sre.MAGIC``); a pattern it does not hold,
or holds in a form ``_sre`` refuses, is compiled and the file written again. It depends on the code
and the interpreter only, not on any document, so it lives in the user's cache folder
(``$XDG_CACHE_HOME`` or ``~/.cache``, then ``childrens-services-open-data``), or in
``$PIPELINE_PATTERN_CACHE``; that variable set to an empty value turns the cache off, and so does
a home folder that cannot be found. The steps are CPython's internals (``re._parser``,
``re._compiler``, ``_sre``): where they are missing or make a pattern that differs from
``re.compile``'s, patterns are compiled the ordinary way. The tests check that every pattern of
the extractors made from the file is made from exactly what ``re.compile`` hands to
``_sre.compile``, and that the extractors give the same records with the cache and without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import re
import sys
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)

try:  # CPython 3.11+
    import _sre
    from re import _compiler, _parser
except ImportError:  # another interpreter: no cache
    _sre = _compiler = _parser = None

_re_compile = re.compile  # (re.compile itself is replaced inside cached_compile)

# Flags whose patterns are compiled the ordinary way (re.TEMPLATE is gone from Python 3.13)
_UNCACHED_FLAGS = re.DEBUG | getattr(re, "TEMPLATE", 0)

# The layout of the file's entries: a new one gives a file of another name.
FORMAT = 1

# (type, pattern, flags) -> what _sre.compile takes after the pattern: (flags, code, groups,
# groupindex, indexgroup)
Key = tuple
Entry = tuple


def default_directory() -> Path | None:
    """Where the file lives (see the module's docstring); None when the cache is turned off."""
    chosen = os.environ.get("PIPELINE_PATTERN_CACHE")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path(os.path.expanduser("~")) / ".cache")
    if not base.is_absolute():  # no home folder (HOME unset, no passwd entry): no cache
        return None
    return base / "childrens-services-open-data"


def _interpreter() -> str:
    """What the stored code depends on: the file's format, the interpreter and its engine."""
    parts = (FORMAT, sys.implementation.cache_tag, sys.version, sys.maxunicode, _sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT, _sre.MAXGROUPS)
    return "|".join(map(str, parts))


def cache_path(directory: Path) -> Path:
    return directory / f"patterns-{hashlib.sha256(_interpreter().encode()).hexdigest()[:12]}.marshal"


class PatternCache:
    """The stored patterns of this interpreter, by (type, pattern, flags)."""

    def __init__(self, path: Path):
        self.path = path
        self.stored: dict[Key, Entry] = {}
        self.used: dict[Key, Entry] = {}
        self.compiled = 0  # patterns not found in the file (or found unusable)
        try:
            data = marshal.loads(path.read_bytes())
            if isinstance(data, dict) and data.get("interpreter") == _interpreter() and isinstance(data.get("patterns"), dict):
                self.stored = data["patterns"]
        except FileNotFoundError:
            pass
        except (OSError, ValueError, EOFError, TypeError) as exc:
            log.warning("ignoring the unreadable pattern cache %s: %s", path, exc)

    def compile(self, pattern, flags=0) -> re.Pattern:
        """``re.compile(pattern, flags)``, from the stored code where there is some."""
        if type(pattern) not in (str, bytes):  # (a compiled pattern, or a subclass of str)
            return _re_compile(pattern, flags)
        flags = int(flags)
        if flags & _UNCACHED_FLAGS:
            return _re_compile(pattern, flags)
        key = (type(pattern).__name__, pattern, flags)
        entry = self.used.get(key) or self.stored.get(key)
        if entry is not None:
            try:
                compiled = _sre.compile(pattern, *entry)
            except (TypeError, ValueError, RuntimeError, OverflowError) as exc:  # a damaged entry
                log.warning("compiling again a pattern the cache %s holds damaged: %s", self.path, exc)
            else:
                self.used[key] = entry
                return compiled
        entry = _entry(pattern, flags)
        self.compiled += 1
        self.used[key] = entry
        return _sre.compile(pattern, *entry)

    def save(self) -> None:
        """Write the file again when a pattern had to be compiled. It keeps the patterns stored
        before too (other ways into the code import the extractors with a few patterns more or
        less), unless those would make it more than twice the size this import needed: then the
        patterns the code no longer has are dropped."""
        if not self.compiled:
            return
        patterns = {**self.stored, **self.used}
        if len(patterns) > 2 * len(self.used):
            patterns = self.used
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(marshal.dumps({"interpreter": _interpreter(), "patterns": patterns}))
            os.replace(tmp, self.path)  # (another process writing the same file at once is harmless)
        finally:
            tmp.unlink(missing_ok=True)


def _entry(pattern: str | bytes, flags: int) -> Entry:
    """What ``re._compiler.compile`` hands to ``_sre.compile`` for this pattern."""
    parsed = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(parsed, flags)]  # (plain ints: some opcodes are a subclass)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def _usable() -> bool:
    """This interpreter compiles as the cache assumes: a pattern made from ``_entry`` equals the one
    ``re.compile`` makes (CPython's equality compares the pattern, the flags and the compiled code)
    and has the same groups."""
    if _sre is None:
        return False
    try:
        probe = r"(?P<a>x)(?i:y)+(?P<b>\d{2,})"
        made, plain = _sre.compile(probe, *_entry(probe, 0)), _re_compile(probe)
        return made == plain and made.groupindex == plain.groupindex and made.match("xYy12").lastgroup == "b"
    except Exception as exc:  # internals that differ from CPython 3.11's: compile as usual
        log.info("compiled patterns are not cached here: %s", exc)
        return False


@contextlib.contextmanager
def cached_compile(directory: Path | None) -> Iterator[PatternCache | None]:
    """While in the block, ``re.compile`` takes the patterns stored in ``directory``, and the ones
    it had to compile are stored when the block ends. For the import of the extractors. (It is
    replaced for the whole process: a pattern another thread compiles meanwhile is made the same
    way, correctly, and stored too.)"""
    if directory is None or not _usable():
        yield None
        return
    cache = PatternCache(cache_path(directory))
    re.compile = cache.compile
    try:
        yield cache
    finally:
        re.compile = _re_compile
    try:
        cache.save()
    except (OSError, ValueError) as exc:  # a read-only cache folder: the next run compiles them again
        log.warning(
            "could not store compiled patterns in %s (set PIPELINE_PATTERN_CACHE to a writable folder, "
            "or to nothing to stop trying): %s", cache.path, exc
        )
