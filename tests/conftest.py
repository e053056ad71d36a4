"""Shared fixtures: the project's seeds, the optional dev corpus, and throw-away build folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


@pytest.fixture(scope="session", autouse=True)
def pattern_cache(tmp_path_factory) -> Path:
    """Builds run by the tests (here or in child processes) keep compiled patterns in a folder of
    their own, not in the user's cache (see pipeline.patterns)."""
    folder = tmp_path_factory.mktemp("patterns")
    before = os.environ.get("PIPELINE_PATTERN_CACHE")
    os.environ["PIPELINE_PATTERN_CACHE"] = str(folder)
    yield folder
    if before is None:
        del os.environ["PIPELINE_PATTERN_CACHE"]
    else:
        os.environ["PIPELINE_PATTERN_CACHE"] = before


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"dev corpus not found at {CORPUS} (it lives in ../shared/corpus/dev beside the repository)")
    return CORPUS


@pytest.fixture
def workdir(tmp_path: Path):
    """A documents folder holding copies of the seeds, plus empty warehouse and dist folders."""
    from pipeline.build import Paths

    docs = tmp_path / "documents"
    shutil.copytree(SEEDS, docs)
    return Paths(documents=docs, warehouse=tmp_path / "warehouse" / "w.duckdb", dist=tmp_path / "dist")
