"""The record of one document's extraction, kept apart from the extraction code so that the build
process can hold, cache and pass extracts without importing (and compiling) the extractors, which
only its worker processes need."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Extract:
    """Everything read from one document. ``problems`` are per-document check failures."""

    document: dict
    tables: list[dict] = field(default_factory=list)
    judgements: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def document_id(self) -> str:
        return self.document["document_id"]

    def to_json(self) -> dict:
        return {
            "document": _jsonable(self.document),
            "tables": [_jsonable(r) for r in self.tables],
            "judgements": [_jsonable(r) for r in self.judgements],
            "indicators": [_jsonable(r) for r in self.indicators],
            "problems": self.problems,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Extract":
        return cls(
            document=data["document"],
            tables=data["tables"],
            judgements=data["judgements"],
            indicators=data["indicators"],
            problems=data["problems"],
        )


def _jsonable(row: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}
