"""The compiled-pattern cache (pipeline.patterns): the extractors' patterns made from the stored
code are the very patterns re.compile makes, and a missing, foreign or unwritable file only costs
compiling them again."""

from __future__ import annotations

import json
import logging
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import patterns

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not patterns._usable(), reason="this interpreter's regular-expression internals differ from CPython 3.11's: no cache")

# In a fresh interpreter (the test process has the extractors loaded already): import them through
# the cache in FOLDER (or, with "off", the ordinary way), then report how many patterns had to be
# compiled, and those whose stored entry is not exactly what re.compile hands to _sre.compile
# (flags, code, groups, group names by number and by name); then print the seeds' extracts.
_IMPORT_THROUGH_CACHE = """
import json, re, sys
from pathlib import Path
from re import _compiler
from pipeline.patterns import cached_compile
with cached_compile(None if sys.argv[1] == "off" else Path(sys.argv[1])) as cache:
    from pipeline.extract import extract_file
if cache is not None:
    handed = []
    class Spy:  # _sre, recording what re.compile hands to it
        def __getattr__(self, name):
            return getattr(_sre, name)
        def compile(self, *args):
            handed.append(args[1:])
            return _sre.compile(*args)
    _sre, _compiler._sre = _compiler._sre, Spy()
    differ = []
    for (kind, pattern, flags), entry in cache.used.items():
        _compiler.compile(pattern, flags)
        flags_, code, groups, groupindex, indexgroup = handed.pop()
        if (flags_, list(code), groups, dict(groupindex), tuple(indexgroup)) != tuple(entry):
            differ.append(pattern)
    print(json.dumps({"compiled": cache.compiled, "used": len(cache.used), "differ": differ}))
else:
    print("{}")
print(json.dumps([extract_file(p, p.name).to_json() for p in sorted(Path(sys.argv[2]).glob("*.txt"))], sort_keys=True, default=str))
"""


def _import_through_cache(folder: Path | str, seeds: Path) -> tuple[dict, str]:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_THROUGH_CACHE, str(folder), str(seeds)], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    report, extract = done.stdout.splitlines()[-2:]
    return json.loads(report), extract


def test_extractors_made_from_stored_patterns_are_re_compile_s_and_extract_the_same(tmp_path, seeds_dir):
    first, extract_compiling = _import_through_cache(tmp_path, seeds_dir)
    assert first["compiled"] == first["used"] > 300 and first["differ"] == []
    assert len(list(tmp_path.glob("patterns-*.marshal"))) == 1
    second, extract_stored = _import_through_cache(tmp_path, seeds_dir)
    assert second["compiled"] == 0 and second["used"] == first["used"]  # every pattern from the file ...
    assert second["differ"] == []  # ... made from what re.compile makes
    _, extract_plain = _import_through_cache("off", seeds_dir)
    assert extract_stored == extract_compiling == extract_plain


def test_a_pattern_from_the_file_behaves_as_re_compile_s(tmp_path):
    text = "In March 2024, 62% of 1,204 children (Ninety) were seen."
    rx = r"(?P<n>\d[\d,]*)(?P<pct>%)?|(?i:ninety)"
    with patterns.cached_compile(tmp_path):
        re.compile(rx, re.I)
    with patterns.cached_compile(tmp_path) as cache:
        stored = re.compile(rx, re.I)
    assert cache.compiled == 0
    plain = re.compile(rx, re.I)
    assert stored == plain and stored.groupindex == plain.groupindex and stored.groups == plain.groups
    assert [m.groupdict() for m in stored.finditer(text)] == [m.groupdict() for m in plain.finditer(text)]
    assert re.compile is patterns._re_compile  # (restored when the block ends)


def _stored(folder: Path) -> dict:
    return marshal.loads(patterns.cache_path(folder).read_bytes())["patterns"]


def test_the_file_keeps_other_imports_patterns_and_drops_them_when_they_outnumber_this_one_s(tmp_path):
    with patterns.cached_compile(tmp_path):
        re.compile("a"), re.compile("b")
    with patterns.cached_compile(tmp_path) as cache:  # (another way in: "a" and a new one)
        re.compile("a"), re.compile("c")
    assert sorted(p for _, p, _ in _stored(tmp_path)) == ["a", "b", "c"]
    with patterns.cached_compile(tmp_path) as cache:  # nothing new: the file is not written
        re.compile("a")
    assert cache.compiled == 0 and len(_stored(tmp_path)) == 3
    with patterns.cached_compile(tmp_path):  # 3 stored + 1 new > twice the 1 used: only it is kept
        re.compile("d")
    assert sorted(p for _, p, _ in _stored(tmp_path)) == ["d"]


def test_a_str_and_a_bytes_pattern_of_the_same_text_are_stored_apart(tmp_path):
    with patterns.cached_compile(tmp_path):
        re.compile("ab+"), re.compile(b"ab+")
    with patterns.cached_compile(tmp_path) as cache:
        text, data = re.compile("ab+"), re.compile(b"ab+")
    assert cache.compiled == 0
    assert text == patterns._re_compile("ab+") and data == patterns._re_compile(b"ab+")
    assert data.match(b"abb") and text.match("abb")


def test_a_damaged_entry_is_compiled_again_and_the_file_mended(tmp_path, caplog):
    with patterns.cached_compile(tmp_path):
        re.compile("x+"), re.compile("y+"), re.compile("z+")
    path = patterns.cache_path(tmp_path)
    data = marshal.loads(path.read_bytes())
    data["patterns"][("str", "x+", 0)] = (0, [1, 2, 3], 0, {}, (None,))  # code _sre refuses
    data["patterns"][("str", "y+", 0)] = (0, [], 0, {}, (None,), "a newer field")
    path.write_bytes(marshal.dumps(data))
    with caplog.at_level(logging.WARNING, logger="pipeline.patterns"):
        with patterns.cached_compile(tmp_path) as cache:
            assert re.compile("x+") == patterns._re_compile("x+") and re.compile("y+") == patterns._re_compile("y+")
            assert re.compile("z+") == patterns._re_compile("z+")
    assert cache.compiled == 2 and "damaged" in caplog.text
    with patterns.cached_compile(tmp_path) as cache:
        re.compile("x+"), re.compile("y+")
    assert cache.compiled == 0


@pytest.mark.parametrize("content", [b"not marshal data \x00\xff", marshal.dumps({"interpreter": "another one", "patterns": {("x", 0): (0, [1], 0, {}, (None,))}})])
def test_an_unreadable_or_foreign_file_is_compiled_anew_and_replaced(tmp_path, content):
    path = patterns.cache_path(tmp_path)
    path.write_bytes(content)
    with patterns.cached_compile(tmp_path) as cache:
        assert re.compile("x") == patterns._re_compile("x")
    assert cache.compiled == 1 and list(_stored(tmp_path)) == [("str", "x", 0)]
    assert marshal.loads(path.read_bytes())["interpreter"] == patterns._interpreter()


def test_an_unwritable_folder_costs_a_warning_only(tmp_path, caplog):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    with caplog.at_level(logging.WARNING, logger="pipeline.patterns"):
        with patterns.cached_compile(blocker / "cache"):
            assert re.compile("y+") == patterns._re_compile("y+")
    assert "could not store compiled patterns" in caplog.text


def test_the_cache_folder_is_chosen_by_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PIPELINE_PATTERN_CACHE", str(tmp_path))
    assert patterns.default_directory() == tmp_path
    monkeypatch.setenv("PIPELINE_PATTERN_CACHE", "")
    assert patterns.default_directory() is None
    with patterns.cached_compile(patterns.default_directory()) as cache:
        assert cache is None and re.compile is patterns._re_compile
    monkeypatch.delenv("PIPELINE_PATTERN_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert patterns.default_directory() == tmp_path / "xdg" / "childrens-services-open-data"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(patterns.os.path, "expanduser", lambda path: path)  # (no home folder to be found)
    assert patterns.default_directory() is None


def test_a_build_keeps_the_extractors_patterns_in_the_cache_folder(workdir, tmp_path):
    """The build process loads the extractors through the cache before forking its workers."""
    folder = tmp_path / "patterns"
    script = "import sys; from pathlib import Path; from pipeline.build import Paths, build; print(build(Paths(*map(Path, sys.argv[1:])), workers=2).summary())"
    env = {**os.environ, "PIPELINE_PATTERN_CACHE": str(folder)}
    args = [str(workdir.documents), str(workdir.warehouse), str(workdir.dist)]
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    (path,) = folder.glob("patterns-*.marshal")
    assert len(marshal.loads(path.read_bytes())["patterns"]) > 300


def test_a_second_thread_loading_the_extractors_waits_for_the_first_one_s_import(tmp_path):
    script = """
import sys, threading, time
from pipeline.collect import _load_extractors
first = threading.Thread(target=_load_extractors)
first.start()
while "pipeline.extract" not in sys.modules:  # (the first thread's import has begun)
    time.sleep(0.0005)
_load_extractors()
print(hasattr(sys.modules["pipeline.extract"], "extract_file"))
first.join()
"""
    env = {**os.environ, "PIPELINE_PATTERN_CACHE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"]
