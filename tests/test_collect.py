"""Reading a folder: rows stream to a sink, a cached document is never read again, a worker that
dies loses no document, and a file that kills its reader is rejected with the reason."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline import collect as collect_module
from pipeline.collect import Rejected, SourceFile, _extract_isolated, collect

REPORT = """Ofsted
Inspection of Barnet local authority children's services
Inspection dates: 7 to 11 March 2022
Judgement Grade
The impact of leaders on social work practice with children and families Good
The experiences and progress of children who need help and protection Good
The experiences and progress of children in care and care leavers Good
Overall effectiveness Good
In March 2022, 312 children were in care.
"""


def _folder(tmp_path: Path, n: int) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(n):
        (docs / f"doc{i}.txt").write_text(REPORT + f"\nCopy {i}.\n", encoding="utf-8")
    return docs


def test_rows_go_to_the_sink_as_documents_arrive_and_counts_are_kept(tmp_path):
    docs = _folder(tmp_path, 3)
    (docs / "empty.txt").write_text("", encoding="utf-8")
    received = []
    result = collect(docs, tmp_path / "cache", sink=received.append, workers=2)
    assert sorted(e.document["source_file"] for e in received) == ["doc0.txt", "doc1.txt", "doc2.txt"]
    assert [d["source_file"] for d in result.documents] == ["doc0.txt", "doc1.txt", "doc2.txt"]
    assert [r.source for r in result.rejected] == ["empty.txt"]
    assert result.rows["judgements"] == sum(len(e.judgements) for e in received) > 0
    assert result.rows["indicators"] == sum(len(e.indicators) for e in received) > 0


def test_while_waiting_runs_once_and_cached_documents_are_not_read_again(tmp_path, monkeypatch):
    docs = _folder(tmp_path, 3)
    calls = []
    first = collect(docs, tmp_path / "cache", workers=2, while_waiting=lambda: calls.append(1))
    assert calls == [1] and first.from_cache == 0
    shutil.copy(docs / "doc0.txt", docs / "moved.txt")
    (docs / "doc0.txt").unlink()

    def must_not_read(*args):
        raise AssertionError(f"read again: {args}")

    monkeypatch.setattr(collect_module, "_extract_one", must_not_read)
    again = collect(docs, tmp_path / "cache", workers=2)
    assert again.from_cache == 3
    assert [d["source_file"] for d in again.documents] == ["doc1.txt", "doc2.txt", "moved.txt"]


_READ = collect_module._extract_one
_PARENT: list[int] = []  # set in the test process; empty again in a spawned process


def _dies_in_a_forked_worker(path, source, manifest_row):
    if source == "doc1.txt" and _PARENT and os.getpid() != _PARENT[0]:
        os._exit(1)  # as a crash inside the PDF library would
    return _READ(path, source, manifest_row)


def test_a_worker_that_dies_loses_no_document(tmp_path, monkeypatch):
    docs = _folder(tmp_path, 4)
    _PARENT.append(os.getpid())
    monkeypatch.setattr(collect_module, "_extract_one", _dies_in_a_forked_worker)
    retried = []
    monkeypatch.setattr(collect_module, "_extract_isolated", lambda f, row: retried.append(f.source) or _extract_isolated(f, row))
    try:
        result = collect(docs, tmp_path / "cache", workers=2)
    finally:
        _PARENT.clear()
    # the pool broke; the unfinished documents were read again, each in a process of its own
    assert [d["source_file"] for d in result.documents] == ["doc0.txt", "doc1.txt", "doc2.txt", "doc3.txt"]
    assert result.rejected == []
    assert "doc1.txt" in retried


def crash(path, source, manifest_row):  # module level: a spawned process must be able to import it
    os._exit(3)


def test_a_file_that_kills_its_reader_is_rejected_with_the_reason_and_not_cached(tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    outcome = _extract_isolated(SourceFile(path, "bad.pdf", "0" * 64), None, target=crash)
    assert isinstance(outcome, Rejected)
    assert outcome.source == "bad.pdf" and outcome.reason.startswith("the reader crashed on this file")


@pytest.mark.parametrize("workers", [1, 2])
def test_the_same_folder_gives_the_same_documents_with_one_or_two_workers(tmp_path, workers):
    docs = _folder(tmp_path, 3)
    got = collect(docs, None, workers=workers)
    assert [d["source_file"] for d in got.documents] == ["doc0.txt", "doc1.txt", "doc2.txt"]
    assert got.rows["judgements"] == 3 * 4


def test_the_extract_cache_depends_on_extraction_code_but_not_on_publishing_code():
    from pipeline.collect import extraction_sources

    names = {p.name for p in extraction_sources()}
    # the modules extract.py reaches, whether imported relatively or as pipeline.x
    assert {"extract.py", "text.py", "indicators.py", "numbers.py", "catalogue.py", "judgements.py", "geography.py"} <= names
    assert {"local_authorities.csv", "indicators.yaml"} <= names  # reference data and table schemas
    assert not names & {"build.py", "checks.py", "warehouse.py", "publish.py", "definitions.py", "evaluate.py"}


def test_a_new_version_of_the_pdf_reader_or_of_the_typing_libraries_changes_the_keys(monkeypatch):
    import importlib.metadata

    real = importlib.metadata.version

    def keys() -> tuple[str, str]:
        collect_module.code_version.cache_clear()
        collect_module.build_version.cache_clear()
        return collect_module.code_version(), collect_module.build_version()

    try:
        before = keys()
        monkeypatch.setattr(importlib.metadata, "version", lambda name: "99.0" if name == "pypdfium2" else real(name))
        pdf_reader = keys()
        monkeypatch.setattr(importlib.metadata, "version", lambda name: "99.0" if name == "polars" else real(name))
        typing = keys()
    finally:
        monkeypatch.undo()
        keys()
    assert pdf_reader[0] != before[0] and pdf_reader[1] != before[1]  # extract cache and carried rows
    assert typing[0] == before[0] and typing[1] != before[1]  # carried rows only
