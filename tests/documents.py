"""Small helpers shared by the tests: a seed document by its number, and a document from strings."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.text import DocText, read_document

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "dev"


def seed(prefix: str) -> DocText:
    """The seed whose file name starts with ``prefix`` (e.g. "000"), from seeds/ or ../shared/seeds."""
    for folder in (REPO / "seeds", REPO.parent / "shared" / "seeds"):
        found = sorted(folder.glob(f"{prefix}_*.txt")) if folder.is_dir() else []
        if found:
            return read_document(found[0])
    pytest.skip(f"seed {prefix} not found in seeds/ or ../shared/seeds")


def doc_of(*pages: str) -> DocText:
    return DocText(source="t.txt", format="txt", pages=tuple(pages))
