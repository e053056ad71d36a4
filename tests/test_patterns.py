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
# the cache in FOLDER, then report how many patterns had to be compiled, and whether every pattern
# made from the stored code equals re.compile's; then print the seed documents' extracts.
_IMPORT_THROUGH_CACHE = """
import json, re, sys, _sre
from pathlib import Path
from pipeline.patterns import cached_compile
with cached_compile(Path(sys.argv[1])) as cache:
    from pipeline.extract import extract_file
unequal = [key for key, entry in cache.used.items() if _sre.compile(key[0], *entry) != re.compile(*key)]
print(json.dumps({"compiled": cache.compiled, "used": len(cache.used), "unequal": unequal}))
print(json.dumps([extract_file(p, p.name).to_json() for p in sorted(Path(sys.argv[2]).glob("*.txt"))], sort_keys=True, default=str))
"""


def _import_through_cache(folder: Path, seeds: Path) -> tuple[dict, str]:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_THROUGH_CACHE, str(folder), str(seeds)], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    report, extract = done.stdout.splitlines()[-2:]
    return json.loads(report), extract


def test_extractors_made_from_stored_patterns_equal_compiled_ones_and_extract_the_same(tmp_path, seeds_dir):
    first, extract_compiled = _import_through_cache(tmp_path, seeds_dir)
    assert first["compiled"] == first["used"] > 300 and first["unequal"] == []
    assert len(list(tmp_path.glob("patterns-*.marshal"))) == 1
    second, extract_stored = _import_through_cache(tmp_path, seeds_dir)
    assert second["compiled"] == 0 and second["used"] == first["used"]  # every pattern from the file
    assert second["unequal"] == []  # same pattern, flags and compiled code as re.compile's
    assert extract_stored == extract_compiled


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


def test_patterns_the_code_no_longer_has_are_dropped_from_the_file(tmp_path):
    with patterns.cached_compile(tmp_path):
        re.compile("old pattern"), re.compile("kept")
    with patterns.cached_compile(tmp_path):
        re.compile("kept"), re.compile("new pattern")
    stored = marshal.loads(patterns.cache_path(tmp_path).read_bytes())["patterns"]
    assert sorted(pattern for pattern, _ in stored) == ["kept", "new pattern"]


@pytest.mark.parametrize("content", [b"not marshal data \x00\xff", marshal.dumps({"interpreter": "another one", "patterns": {("x", 0): (0, [1], 0, {}, (None,))}})])
def test_an_unreadable_or_foreign_file_is_compiled_anew_and_replaced(tmp_path, content):
    path = patterns.cache_path(tmp_path)
    path.write_bytes(content)
    with patterns.cached_compile(tmp_path) as cache:
        assert re.compile("x") == patterns._re_compile("x")
    assert cache.compiled == 1
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
