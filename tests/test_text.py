"""Reading documents: every format, and a clear rejection for each kind of bad input."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.text import DocText, DocumentError, read_document


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_text_file_is_one_page_and_form_feeds_split_pages(tmp_path):
    doc = read_document(_write(tmp_path, "a.txt", "First page line one.\nLine two.\fSecond page here.".encode()))
    assert doc.pages == ("First page line one.\nLine two.", "Second page here.")
    assert doc.format == "txt" and len(doc.sha256) == 64


def test_locate_gives_page_and_line_within_page():
    doc = DocText(source="t.txt", format="txt", pages=("a\nb\nc", "d\ne"))
    assert doc.locate(doc.text.index("c")) == (1, 3)
    assert doc.locate(doc.text.index("e")) == (2, 2)
    assert doc.locate(doc.text.index("d")) == (2, 1)


def test_quotes_are_checked_whitespace_normalised():
    doc = DocText(source="t.txt", format="txt", pages=("Children's services\n  are good.",))
    assert doc.contains_quote("services are good")
    assert not doc.contains_quote("services are outstanding")


def test_bullet_glyphs_and_windows_line_ends_are_cleaned(tmp_path):
    doc = read_document(_write(tmp_path, "b.md", "\uf0b7 First point\r\n\u2022 Second point here\r\n".encode()))
    assert "\r" not in doc.text and "\uf0b7" not in doc.text and "\u2022" not in doc.text
    assert doc.format == "md"


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\n  ", "white space"),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
        ("latin1.txt", "Children\u2019s services in Peterborough are good".encode("cp1252"), "not UTF-8"),
        ("garbled.txt", ("\x1b\x07\x06" * 200 + "abc").encode(), "garbled"),
        ("numbers.txt", ("1234 5678 %% 90 " * 50).encode(), "garbled"),
        ("report.pdf", b"<!DOCTYPE html><html><head><title>Report not found</title></head></html>", "HTML page"),
        ("fake.pdf", b"this is plainly not a PDF document at all", "not a PDF"),
        ("broken.pdf", b"%PDF-1.4\n" + b"garbage " * 100, "PDF cannot be opened"),
        ("scan.doc", b"whatever", "unsupported file type"),
    ],
)
def test_bad_input_is_rejected_naming_the_file_and_reason(tmp_path, name, data, reason):
    with pytest.raises(DocumentError) as info:
        read_document(_write(tmp_path, name, data), source=name)
    assert str(info.value).startswith(f"{name}: ")
    assert reason in info.value.reason


def test_pdf_without_text_layer_is_rejected(tmp_path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    with pytest.raises(DocumentError, match="no text layer"):
        read_document(_write(tmp_path, "scan.pdf", buf.getvalue()), source="scan.pdf")


def test_html_page_named_pdf_in_corpus_is_rejected(corpus_dir):
    fakes = [p for p in corpus_dir.glob("*.pdf") if not p.read_bytes()[:1024].count(b"%PDF-")]
    assert fakes, "the dev corpus has an HTML 'Report not found' page saved as .pdf"
    for path in fakes:
        with pytest.raises(DocumentError, match="not a PDF: the file is an HTML page"):
            read_document(path)


def test_pdf_pages_are_kept(corpus_dir):
    path = next(p for p in sorted(corpus_dir.glob("*.pdf")) if p.read_bytes()[:8].startswith(b"%PDF"))
    doc = read_document(path)
    import pypdfium2 as pdfium

    assert len(doc.pages) == len(pdfium.PdfDocument(str(path)))


def test_normalise_space_collapses_exactly_the_whitespace_of_a_regex_backslash_s():
    """Evidence quotes are compared after this normalisation: every character ``\\s`` matches (tabs,
    no-break and ideographic spaces, line and paragraph separators, the file separators) is
    whitespace, and nothing else is."""
    import re
    import sys

    from pipeline.text import normalise_space

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    spaces = "".join(re.findall(r"\s", every))
    assert spaces == "".join(c for c in every if c.isspace())  # (the characters str.split splits at)
    text = f" a{spaces}b\u00a0c\u3000 d\n\n"
    assert normalise_space(text) == re.sub(r"\s+", " ", text).strip() == "a b c d"
