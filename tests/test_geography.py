"""Local authority reference data and identifying a document's authority from its text."""

from __future__ import annotations

from datetime import date

from pipeline.geography import authorities, by_code, identify_la


def test_reference_includes_abolished_authorities_with_dates():
    former = {la.la_name: la for la in authorities() if la.status == "former"}
    assert "Northamptonshire" in former and former["Northamptonshire"].abolished == date(2021, 4, 1)
    assert by_code("874").new_la_code == "E06000031"
    assert by_code("E06000031").region_code == "E12000006"


def test_reference_region_codes_agree_with_region_names():
    names = {}
    for la in authorities():
        names.setdefault(la.region_code, set()).add(la.region_name)
    assert all(len(v) == 1 for v in names.values()), names
    assert by_code("E10000013").region_name == "South West"  # Gloucestershire


def test_authority_named_in_title_and_council_phrases_is_found():
    text = "Inspection of Peterborough City Council children's services\nPeterborough is a city."
    assert identify_la(text).authority.la_name == "Peterborough"


def test_longer_names_win_over_names_they_contain():
    text = "Inspection of North Northamptonshire Council children's services. North Northamptonshire."
    assert identify_la(text, date(2026, 5, 1)).authority.new_la_code == "E06000061"
    text = "Kingston upon Hull City Council children's services. Hull City Council."
    assert identify_la(text).authority.new_la_code == "E06000010"


def test_a_name_shared_across_reorganisation_is_read_by_date():
    text = "Inspection of Dorset County Council children's services. Dorset County Council."
    assert identify_la(text, date(2015, 6, 1)).authority.old_la_code == "835"
    assert identify_la(text, date(2022, 6, 1)).authority.old_la_code == "838"


def test_ordinary_words_are_not_places():
    text = "Reading and writing improved. Children bury their heads. " * 3
    assert identify_la(text.lower()).authority is None


def test_unidentifiable_authority_gives_a_reason():
    found = identify_la("A report about children's services in general, with no council named.")
    assert found.authority is None and "no local authority" in found.reason


def test_every_seed_is_about_peterborough(seeds_dir):
    from pipeline.text import read_document

    for path in sorted(seeds_dir.glob("*.txt")):
        assert identify_la(read_document(path).text).authority.new_la_code == "E06000031", path.name


def test_every_corpus_report_gets_its_authority(corpus_dir):
    import csv

    from pipeline.text import DocumentError, read_document

    manifest = {r["id"]: r for r in csv.DictReader(open(corpus_dir / "manifest.csv"))}
    wrong = []
    for path in sorted(corpus_dir.glob("*.pdf")):
        try:
            doc = read_document(path)
        except DocumentError:
            continue
        found = identify_la(doc.text).authority
        if found is None or found.new_la_code != manifest[path.stem]["new_la_code"]:
            wrong.append((path.name, found and found.la_name))
    assert not wrong
