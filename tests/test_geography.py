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


def _mentions_word_by_word(text: str):
    """The plain algorithm _mentions must agree with: split the text into words (a letter, then
    letters and dots) and try the names wherever a word is the first word of a spelling."""
    import re

    from pipeline.geography import _first_words, _matcher

    pattern, _ = _matcher()
    end = 0
    for word in re.finditer(r"[A-Za-z][A-Za-z.]*", text):
        if word.start() < end or word.group(0).lower() not in _first_words():
            continue
        m = pattern.match(text, word.start())
        if m:
            end = m.end()
            yield m


def test_mentions_are_found_where_a_word_by_word_scan_finds_them():
    import random

    from pipeline.geography import _mentions

    names = sorted({n for la in authorities() for n in la.names})
    glue = [" ", "  ", "\n", ".", "..", ". ", ", ", "-", "'s ", "x.", "a", "(", "&", " of the ", " Council "]
    rng = random.Random(5)
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 12)):
            name = rng.choice(names)
            name = rng.choice([name, name.upper(), name.lower(), name.replace(" ", "\n")])
            parts += [rng.choice(glue), name]
        text = "".join(parts) + rng.choice(glue)
        found = [(m.start(), m.group(0)) for m in _mentions(text)]
        assert found == [(m.start(), m.group(0)) for m in _mentions_word_by_word(text)], text
