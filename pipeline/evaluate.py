"""Score extracted judgements against a labels file of official grades.

    python -m pipeline evaluate <documents dir> <labels.csv>     (the lead wires this to ``main``)
    python -m pipeline.evaluate <documents dir> <labels.csv>

The labels file is shaped like corpus/dev/labels.csv: one row per inspection with ``la_name``,
``new_la_code``, ``inspection_start`` (ISO date) and one column per judgement
(``overall_effectiveness``, ``impact_of_leaders``, ``help_and_protection``, ``children_in_care``,
``care_leavers``; empty = not graded). Each label row is matched to a document by its inspection
start date (as the document states it) and its local authority -- never by file name. The local
authority comes from ``pipeline.geography.identify_la(doc.text, on_date)``; where that finds none
(or is unavailable) a fallback looks for the label's ``la_name`` in the document's opening pages
(see :func:`_name_in_opening`).

Grades are compared on the harmonised scale ("Requires improvement" printed in a 2019 table and
"Requires improvement to be good" in the labels agree). A grade extracted where the label is empty
counts as a disagreement. Prints accuracy per judgement area and overall, every disagreement,
label rows with no document and graded documents with no label row. Exit status 0 only when
every label row is matched and every cell agrees.
"""

from __future__ import annotations

import csv
import re
import sys
from datetime import date
from pathlib import Path

from pipeline.frameworks import harmonise_word
from pipeline.judgements import classify, extract_judgements
from pipeline.text import SUPPORTED_FORMATS, DocText, DocumentError, document_format, read_document

# labels column -> judgement_area_key (service children_services)
LABEL_AREAS = {
    "overall_effectiveness": "overall_effectiveness",
    "impact_of_leaders": "impact_of_leaders",
    "help_and_protection": "help_and_protection",
    "children_in_care": "children_in_care",
    "care_leavers": "care_leavers",
}


def _iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        return None


def _norm(text: str) -> str:
    text = text.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"[^a-z0-9']+", " ", text)
    return f" {' '.join(text.split())} "


def _name_variants(la_name: str) -> list[str]:
    name = _norm(la_name).strip()
    variants = [name]
    m = re.match(r"(.+?) (?:city|county) of$", name)  # "bristol, city of"
    if m:
        variants.append(m.group(1))
    if " upon " in name:  # "kingston upon hull" is printed "Hull"
        variants.append(name.split(" upon ", 1)[1])
    return variants


def _name_in_opening(doc: DocText, la_name: str) -> int:
    """2 when the full name is in the document's first two pages, 1 for a shorter variant, else 0."""
    opening = _norm("\n".join(doc.pages[:2]))
    for rank, variant in enumerate(_name_variants(la_name)):
        if f" {variant} " in opening:
            return 2 if rank == 0 else 1
    return 0


def _identify_la_code(doc: DocText, on_date: date | None) -> str | None:
    """The document's local authority code from pipeline.geography, or None (then names are matched)."""
    try:
        from pipeline.geography import identify_la  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        found = identify_la(doc.text, on_date)
    except Exception:  # a failing lookup falls back to name matching  # noqa: BLE001
        return None
    if isinstance(found, dict):
        return found.get("new_la_code")
    authority = getattr(found, "authority", None)
    return getattr(authority, "new_la_code", None)


def _load_documents(folder: Path) -> tuple[list[tuple[str, DocText, dict, list[dict]]], list[str]]:
    loaded, unreadable = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if document_format(path) not in SUPPORTED_FORMATS:
            continue
        rel = str(path.relative_to(folder))
        try:
            doc = read_document(path, source=rel)
        except DocumentError as exc:
            unreadable.append(str(exc))
            continue
        info = classify(doc)
        loaded.append((rel, doc, info, extract_judgements(doc, info)))
    return loaded, unreadable


def evaluate(folder: Path, labels_path: Path, out=None) -> int:
    out = out or sys.stdout
    documents, unreadable = _load_documents(folder)
    with labels_path.open(newline="", encoding="utf-8") as fh:
        labels = list(csv.DictReader(fh))
    codes = {rel: _identify_la_code(doc, info.get("inspection_start")) for rel, doc, info, _r in documents}
    identified = sum(1 for c in codes.values() if c)
    la_method = (
        f"pipeline.geography.identify_la ({identified} of {len(codes)} documents), else the name in the opening pages"
    )

    totals: dict[str, list[int]] = {col: [0, 0] for col in LABEL_AREAS}
    disagreements: list[str] = []
    unmatched: list[str] = []
    matched_docs: set[str] = set()
    for row in labels:
        start = _iso(row.get("inspection_start", ""))
        candidates = [d for d in documents if d[2].get("inspection_start") == start and start is not None]
        chosen = None
        code = (row.get("new_la_code") or "").strip()
        by_code = [d for d in candidates if code and codes.get(d[0]) == code]
        if len(by_code) == 1:
            chosen = by_code[0]
        else:
            scored = [(d, _name_in_opening(d[1], row.get("la_name", ""))) for d in candidates]
            best = max((s for _d, s in scored), default=0)
            top = [d for d, s in scored if s == best and s > 0]
            if len(top) == 1:
                chosen = top[0]
        label_id = f"{row.get('la_name')} {row.get('inspection_start')}"
        if chosen is None:
            unmatched.append(f"{label_id}: no document with this inspection start and local authority")
            continue
        rel, _doc, _info, records = chosen
        matched_docs.add(rel)
        got = {
            r["judgement_area_key"]: r
            for r in records
            if r["source_kind"] == "primary" and r["service"] == "children_services"
        }
        for col, key in LABEL_AREAS.items():
            expected = (row.get(col) or "").strip()
            record = got.get(key)
            if not expected and record is None:
                continue
            totals[col][1] += 1
            exp_h = harmonise_word(expected) if expected else None
            got_h = record["harmonised_grade"] if record else None
            if exp_h == got_h:
                totals[col][0] += 1
            else:
                got_text = f"{record['grade']} (page {record['evidence_page']})" if record else "(none)"
                disagreements.append(f"{rel}: {col}: expected {expected or '(not graded)'}, got {got_text}")

    graded_unlabelled = [
        rel
        for rel, _doc, info, records in documents
        if rel not in matched_docs
        and info.get("framework") == "ilacs"
        and any(r["source_kind"] == "primary" for r in records)
    ]
    print(f"Documents read: {len(documents)} ({len(unreadable)} unreadable); label rows: {len(labels)}", file=out)
    print(f"Local authority matched by: {la_method}", file=out)
    print("Accuracy by judgement area (label cells, plus grades extracted where the label is empty):", file=out)
    all_ok = all_n = 0
    for col, (ok, n) in totals.items():
        all_ok += ok
        all_n += n
        pct = f"{100 * ok / n:.1f}%" if n else "n/a"
        print(f"  {col:24} {ok:4}/{n:<4} {pct}", file=out)
    overall = f"{100 * all_ok / all_n:.1f}%" if all_n else "n/a"
    print(f"  {'overall':24} {all_ok:4}/{all_n:<4} {overall}", file=out)
    print(f"Disagreements ({len(disagreements)}):", file=out)
    for line in disagreements:
        print(f"  {line}", file=out)
    print(f"Label rows with no document ({len(unmatched)}):", file=out)
    for line in unmatched:
        print(f"  {line}", file=out)
    print(f"Graded ILACS documents with no label row ({len(graded_unlabelled)}):", file=out)
    for rel in graded_unlabelled:
        print(f"  {rel}", file=out)
    if unreadable:
        print(f"Unreadable documents ({len(unreadable)}):", file=out)
        for line in unreadable:
            print(f"  {line}", file=out)
    return 0 if not disagreements and not unmatched else 1


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] in ("-h", "--help"):
        print("usage: evaluate <documents dir> <labels.csv>", file=sys.stderr)
        return 2
    folder, labels = Path(argv[0]), Path(argv[1])
    if not folder.is_dir():
        print(f"evaluate: {folder} is not a folder", file=sys.stderr)
        return 2
    if not labels.is_file():
        print(f"evaluate: {labels} does not exist", file=sys.stderr)
        return 2
    return evaluate(folder, labels)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
