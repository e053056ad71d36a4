"""Build the project's local authority reference table from the shared public facts.

    python -m pipeline.reference.build_reference ../shared/reference/local_authorities.csv

Reads the shared list (names, DfE and ONS codes, regions, status; public facts under the OGL),
applies the corrections listed in CORRECTIONS (each with its reason), adds the dates from which
successor authorities exist and the spellings documents use for each authority, and writes
``pipeline/reference/local_authorities.csv``, which the pipeline reads. Re-run it when the shared
list changes; the output is committed so that builds never depend on files outside the project.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).with_name("local_authorities.csv")

REGIONS = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and the Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}

# new_la_code -> {column: corrected value}; the reason is in the comment.
CORRECTIONS = {
    # Gloucestershire is in the South West (E12000009); the shared list gives the Yorkshire code.
    "E10000013": {"region_code": "E12000009"},
    # Buckinghamshire is in the South East (E12000008); the shared list gives the East Midlands code.
    "E06000060": {"region_code": "E12000008"},
}

# Authorities created by reorganisation, and the date from which they exist.
ESTABLISHED = {
    "E06000058": "2019-04-01",  # Bournemouth, Christchurch and Poole
    "E06000059": "2019-04-01",  # Dorset (unitary)
    "E06000061": "2021-04-01",  # North Northamptonshire
    "E06000062": "2021-04-01",  # West Northamptonshire
    "E06000063": "2023-04-01",  # Cumberland
    "E06000064": "2023-04-01",  # Westmorland and Furness
}

# Spellings that documents use, beyond the official name (";"-separated).
ALIASES = {
    "E09000002": "Barking & Dagenham",
    "E06000022": "Bath & North East Somerset; BANES; B&NES",
    "E06000055": "Bedford",
    "E06000058": "Bournemouth, Christchurch & Poole; BCP",
    "E06000043": "Brighton & Hove",
    "E06000023": "Bristol; City of Bristol",
    "E06000008": "Blackburn",
    "E06000047": "County Durham",
    "E09000013": "Hammersmith & Fulham",
    "E06000019": "County of Herefordshire",
    "E09000020": "Kensington & Chelsea; Royal Borough of Kensington and Chelsea",
    "E06000010": "Kingston upon Hull; Hull City; Hull",
    "E06000003": "Redcar & Cleveland",
    "E08000013": "St Helens; Saint Helens",
    "E06000033": "Southend",
    "E06000021": "Stoke",
    "E06000020": "Telford & Wrekin; Telford",
    "E06000040": "Windsor & Maidenhead; Royal Borough of Windsor and Maidenhead",
    "E10000009": "Dorset",
    "E06000028": "Bournemouth",
    "E06000029": "Poole",
    "E08000021": "Newcastle",
    "E06000004": "Stockton",
    "E09000001": "City of London Corporation",
}

COLUMNS = [
    "la_name", "old_la_code", "new_la_code", "region_code", "region_name",
    "status", "established", "abolished", "aliases", "notes",
]


def build(source: Path) -> list[dict]:
    rows = []
    with source.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            code = r["new_la_code"].strip()
            fixed = {**r, **CORRECTIONS.get(code, {})}
            region = fixed["region_code"].strip()
            if region not in REGIONS:
                raise ValueError(f"{source}: {r['la_name']}: unknown region code {region!r}")
            # BCP's shared aliases name its predecessors, which have their own rows; keep only its own.
            aliases = ALIASES.get(code, "")
            rows.append(
                {
                    "la_name": fixed["la_name"].strip(),
                    "old_la_code": fixed["old_la_code"].strip(),
                    "new_la_code": code,
                    "region_code": region,
                    "region_name": REGIONS[region],
                    "status": fixed["status"].strip(),
                    "established": ESTABLISHED.get(code, ""),
                    "abolished": fixed["abolished"].strip(),
                    "aliases": aliases,
                    "notes": r.get("other_names", "").strip() if "former ONS code" in r.get("other_names", "") else "",
                }
            )
    rows.sort(key=lambda row: row["la_name"].lower())
    return rows


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else Path(__file__).parents[3] / "shared/reference/local_authorities.csv"
    rows = build(source)
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} authorities to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
