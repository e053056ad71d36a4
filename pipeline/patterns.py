"""Compiled regular expressions kept on disk between runs, as Python keeps compiled bytecode.

The extractors compile ~600 regular expressions when they are imported. CPython compiles a pattern
in two steps: its parser and compiler (pure Python: ~0.4 s of CPU for all of them, which every
build pays before its workers can start) turn the pattern into a list of integers, from which
``_sre.compile`` makes the ``re.Pattern`` in microseconds. While the extractors are imported,
``cached_compile`` takes the first step's output from a file, so that only the second is done.

The file holds what this interpreter made: it is named after the interpreter's version and build
and its regular-expression engine (``_sre.MAGIC``), and a pattern it does not hold is compiled and
added. It depends on the code and the interpreter only, not on any document, so it lives in the
user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``, then ``childrens-services-open-data``),
or in ``$PIPELINE_PATTERN_CACHE``; that variable set to an empty value turns the cache off. The
steps are CPython's internals (``re._parser``, ``re._compiler``, ``_sre``): where they are missing
or make a pattern that differs from ``re.compile``'s, patterns are compiled the ordinary way. The
tests check that every pattern of the extractors made from the file equals (same pattern, flags
and compiled code) the one ``re.compile`` makes.
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

# what _sre.compile takes after the pattern: (flags, code, groups, groupindex, indexgroup)
Entry = tuple
Key = tuple  # (pattern, flags)


def default_directory() -> Path | None:
    """Where the file lives (see the module's docstring); None when the cache is turned off."""
    chosen = os.environ.get("PIPELINE_PATTERN_CACHE")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "childrens-services-open-data"


def _interpreter() -> str:
    """What the stored code depends on: the interpreter and its regular-expression engine."""
    parts = (sys.implementation.cache_tag, sys.version, sys.maxunicode, _sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT, _sre.MAXGROUPS)
    return "|".join(map(str, parts))


def cache_path(directory: Path) -> Path:
    return directory / f"patterns-{hashlib.sha256(_interpreter().encode()).hexdigest()[:12]}.marshal"


class PatternCache:
    """The stored patterns of this interpreter, by (pattern, flags)."""

    def __init__(self, path: Path):
        self.path = path
        self.stored: dict[Key, Entry] = {}
        self.used: dict[Key, Entry] = {}
        self.compiled = 0  # patterns not found in the file
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
        if flags & (re.DEBUG | re.TEMPLATE):
            return _re_compile(pattern, flags)
        key = (pattern, flags)
        entry = self.used.get(key) or self.stored.get(key)
        if entry is None:
            entry = _entry(pattern, flags)
            self.compiled += 1
        self.used[key] = entry
        return _sre.compile(pattern, *entry)

    def save(self) -> None:
        """Store the patterns used since the file was read (a pattern the code no longer has is
        dropped), unless the file held exactly those."""
        if not self.compiled and self.used.keys() == self.stored.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(marshal.dumps({"interpreter": _interpreter(), "patterns": self.used}))
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
    ``re.compile`` makes (CPython's equality compares the pattern, the flags and the compiled code)."""
    if _sre is None:
        return False
    try:
        probe = r"(?P<a>x)(?i:y)+\d{2,}"
        return _sre.compile(probe, *_entry(probe, 0)) == _re_compile(probe)
    except Exception as exc:  # internals that differ from CPython 3.11's: compile as usual
        log.info("compiled patterns are not cached here: %s", exc)
        return False


@contextlib.contextmanager
def cached_compile(directory: Path | None) -> Iterator[PatternCache | None]:
    """While in the block, ``re.compile`` takes the patterns stored in ``directory``, and the ones
    it had to compile are stored when the block ends. For the import of the extractors, in a
    process that has no other thread."""
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
    except (OSError, ValueError) as exc:  # a read-only home: the next run compiles them again
        log.warning("could not store compiled patterns in %s: %s", cache.path, exc)
