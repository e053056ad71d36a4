"""One document in, typed records out: its ``documents`` row, tables, judgements and indicators.

Plain Python (no Dagster). ``extract_file`` is what every caller uses -- the command line, the
Dagster assets, the benchmark and the tests -- so a document is always read the same way.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from . import geography, schemas
from .frameworks import FRAMEWORKS
from .indicators import check_indicators, extract_indicators, indicators_from_tables
from .judgements import classify, cross_check, extract_judgements_with_readings
from .tables import extract_tables
from .records import Extract
from .text import DocText, DocumentError, read_document

# Fields of the documents row that a manifest may set or override.
MANIFEST_FIELDS = (
    "title",
    "publisher",
    "document_type",
    "framework",
    "published_date",
    "period_start",
    "period_end",
    "licence",
    "source",
    "new_la_code",
)
DATE_FIELDS = ("published_date", "period_start", "period_end")


def document_id_for(sha256: str) -> str:
    return sha256[:16]


def extract_file(path: Path, source: str, manifest_row: dict | None = None, data: bytes | None = None) -> Extract:
    """Read and extract one file. Raises DocumentError when it cannot be read or placed."""
    doc = read_document(path, source=source, data=data)
    return extract_document(doc, manifest_row or {})


def extract_document(doc: DocText, manifest_row: dict) -> Extract:
    overrides = {k: v for k, v in manifest_row.items() if k in MANIFEST_FIELDS and v not in (None, "")}
    for key in DATE_FIELDS:
        if key in overrides and not isinstance(overrides[key], date):
            try:
                overrides[key] = date.fromisoformat(str(overrides[key]))
            except ValueError as exc:
                raise DocumentError(doc.source, f"manifest {key} {overrides[key]!r} is not an ISO date") from exc

    if overrides.get("framework") and overrides["framework"] not in FRAMEWORKS:
        raise DocumentError(doc.source, f"manifest framework {overrides['framework']!r} is not one of {sorted(FRAMEWORKS)}")
    types = next(f for f in schemas.spec("documents")["fields"] if f["name"] == "document_type")["constraints"]["enum"]
    if overrides.get("document_type") and overrides["document_type"] not in types:
        raise DocumentError(doc.source, f"manifest document_type {overrides['document_type']!r} is not one of {types}")

    info = dict(classify(doc))
    for key in ("title", "document_type", "framework", "published_date"):
        if key in overrides:
            info[key] = overrides[key]
    if "period_start" in overrides:
        info["inspection_start"] = overrides["period_start"]
    if "period_end" in overrides:
        info["inspection_end"] = overrides["period_end"]
    period_start, period_end = info.get("inspection_start"), info.get("inspection_end")
    if period_start is None and period_end is None:
        period_start, period_end = _period_covered(doc.text)
    on_date = period_start or info.get("published_date")

    if "new_la_code" in overrides:
        la = geography.by_code(overrides["new_la_code"])
        if la is None:
            raise DocumentError(doc.source, f"manifest new_la_code {overrides['new_la_code']!r} is not in the reference table")
    else:
        found = geography.identify_la(doc.text, on_date)
        if found.authority is None:
            raise DocumentError(doc.source, f"local authority cannot be identified: {found.reason}")
        la = found.authority
    place = la.geography()

    document_id = document_id_for(doc.sha256)
    info.update({"la_name": la.la_name, "period_start": period_start, "period_end": period_end})

    tables = extract_tables(doc)
    judgements, readings = extract_judgements_with_readings(doc, info)
    indicators = extract_indicators(doc, info) + indicators_from_tables(tables, doc, info)

    framework = info.get("framework")
    scale = FRAMEWORKS[framework].grade_scale if framework in FRAMEWORKS else None
    graded = bool(scale) and any(j["source_kind"] == "primary" for j in judgements)

    document = {
        "document_id": document_id,
        "source_file": doc.source,
        "sha256": doc.sha256,
        "bytes": doc.bytes,
        "format": doc.format,
        "pages": len(doc.pages) if doc.format == "pdf" else None,
        "title": info.get("title"),
        "publisher": overrides.get("publisher") or _publisher(doc.text, info, la),
        "document_type": info.get("document_type") or "other",
        "framework": framework,
        "graded": graded,
        "published_date": info.get("published_date"),
        "period_start": period_start,
        "period_end": period_end,
        **place,
        "licence": overrides.get("licence"),
        "source": overrides.get("source"),
    }

    problems = list(cross_check(info, judgements, readings, source=doc.source, doc=doc))
    problems += check_indicators(indicators, doc)

    judgement_rows = _with_ids(
        "judgement_id",
        [{**r, "document_id": document_id, **place} for r in judgements],
        ("source_kind", "service", "judgement_area_key", "evidence_page", "evidence_line"),
    )
    indicator_rows = _with_ids(
        "observation_id",
        [
            {
                **{k: v for k, v in r.items() if k != "geographic_level"},
                "document_id": document_id,
                **_indicator_geography(r.get("geographic_level"), la, place),
            }
            for r in indicators
        ],
        (
            "evidence_page", "evidence_line", "raw_value", "value", "value_type", "comparison_group",
            "indicator_label", "period_label",
        ),
    )
    table_rows = [{**cell, "document_id": document_id} for cell in tables]
    return Extract(document, table_rows, judgement_rows, indicator_rows, problems)


def _indicator_geography(level: str | None, la: geography.LocalAuthority, place: dict) -> dict:
    """A figure is about the authority, its region, or England, as the extractor read it."""
    if level == "National":
        return geography.national_geography()
    if level == "Regional":
        return geography.regional_geography(la)
    return place


def _with_ids(key: str, rows: list[dict], parts: tuple[str, ...]) -> list[dict]:
    """Stable ids: a hash of the document and the row's identifying fields, numbered on collision."""
    seen: dict[str, int] = {}
    out = []
    for row in rows:
        basis = "|".join(str(row.get(p)) for p in ("document_id", *parts))
        digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]
        n = seen.get(digest, 0)
        seen[digest] = n + 1
        out.append({**row, key: digest if n == 0 else f"{digest}-{n}"})
    return out


_PERIOD = re.compile(
    r"(?:report|data)\s+covers\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?period\s+(?:from\s+)?"
    r"(?P<range>[A-Z][a-z]+\s+\d{4}\s*(?:-|–|to)\s*[A-Z][a-z]+\s+\d{4})",
    re.I,
)


def _period_covered(text: str) -> tuple[date | None, date | None]:
    """'This report covers the 6 month period from May 2013 - October 2013' -> (2013-05-01, 2013-10-31)."""
    from .dates import parse_date_range

    m = _PERIOD.search(text)
    if not m:
        return None, None
    found = parse_date_range(m.group("range"))
    return found if found else (None, None)


def _publisher(text: str, info: dict, la: geography.LocalAuthority) -> str | None:
    ofsted_letterhead = re.search(r"\bOfsted\b", text[:3000]) and info.get("document_type") != "committee_report"
    if info.get("framework") or ofsted_letterhead:
        return "Ofsted"
    names = "|".join(re.escape(n) for n in la.names)
    counts: dict[str, int] = {}
    for m in re.finditer(rf"\b(?:{names})\s+(?:City|Borough|County|Metropolitan Borough|District)?\s*Council\b", text):
        name = re.sub(r"\s+", " ", m.group(0))
        counts[name] = counts.get(name, 0) + 1
    if counts:
        return max(counts.items(), key=lambda kv: kv[1])[0]
    return f"{la.la_name} council" if info.get("document_type") == "committee_report" else None
