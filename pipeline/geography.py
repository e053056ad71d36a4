"""Local authorities: the project's reference table, and finding a document's authority in its text.

The reference table (``pipeline/reference/local_authorities.csv``, built by
``pipeline.reference.build_reference`` from public facts) is the one place that local authority
facts live. Geography columns follow the DfE open data standard for statistics files.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

REFERENCE_CSV = Path(__file__).parent / "reference" / "local_authorities.csv"

COUNTRY = {"country_code": "E92000001", "country_name": "England"}
GEOGRAPHY_COLUMNS = (
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
)


@dataclass(frozen=True)
class LocalAuthority:
    la_name: str
    old_la_code: str
    new_la_code: str
    region_code: str
    region_name: str
    status: str
    established: date | None
    abolished: date | None
    names: tuple[str, ...]  # spellings found in documents, official name first

    def existed_on(self, day: date | None) -> bool:
        if day is None:
            return self.status == "current"
        return (self.established is None or day >= self.established) and (
            self.abolished is None or day < self.abolished
        )

    def geography(self) -> dict:
        return {
            "geographic_level": "Local authority",
            **COUNTRY,
            "region_code": self.region_code,
            "region_name": self.region_name,
            "new_la_code": self.new_la_code,
            "old_la_code": self.old_la_code,
            "la_name": self.la_name,
        }


def national_geography() -> dict:
    return {
        "geographic_level": "National",
        **COUNTRY,
        "region_code": None,
        "region_name": None,
        "new_la_code": None,
        "old_la_code": None,
        "la_name": None,
    }


def regional_geography(la: LocalAuthority) -> dict:
    """The geography of a figure about the region an authority lies in."""
    return {
        "geographic_level": "Regional",
        **COUNTRY,
        "region_code": la.region_code,
        "region_name": la.region_name,
        "new_la_code": None,
        "old_la_code": None,
        "la_name": None,
    }


def empty_geography() -> dict:
    return {column: None for column in GEOGRAPHY_COLUMNS}


def _names(official: str, aliases: str) -> tuple[str, ...]:
    names = [official]
    if ", City of" in official:  # "Bristol, City of" -> "City of Bristol", "Bristol"
        base = official.replace(", City of", "")
        names += [f"City of {base}", base]
    names += [a.strip() for a in aliases.split(";") if a.strip()]
    if official.startswith("St. "):
        names.append("St " + official[4:])
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=1)
def authorities() -> tuple[LocalAuthority, ...]:
    out = []
    with REFERENCE_CSV.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out.append(
                LocalAuthority(
                    la_name=r["la_name"],
                    old_la_code=r["old_la_code"],
                    new_la_code=r["new_la_code"],
                    region_code=r["region_code"],
                    region_name=r["region_name"],
                    status=r["status"],
                    established=date.fromisoformat(r["established"]) if r["established"] else None,
                    abolished=date.fromisoformat(r["abolished"]) if r["abolished"] else None,
                    names=_names(r["la_name"], r["aliases"]),
                )
            )
    return tuple(out)


def by_code(code: str) -> LocalAuthority | None:
    """An authority by ONS (E06000031) or DfE (874) code."""
    code = code.strip()
    for la in authorities():
        if code in (la.new_la_code, la.old_la_code):
            return la
    return None


# Words that turn a bare place name into a statement about the authority itself.
_COUNCIL_AFTER = r"(?:\s+(?:City|Borough|County|Metropolitan\s+Borough|District)?\s*Council|\s+children'?s\s+services|\s+Safeguarding\s+Children)"
_COUNCIL_BEFORE = r"(?:(?:London\s+)?Borough\s+of|City\s+of|County\s+of|Council\s+of\s+the\s+City\s+of|services\s+in|Services\s+in)\s+"


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """Lower-cased first words of every spelling: only where one starts is a name tried."""
    return frozenset(n.split()[0].lower() for la in authorities() for n in la.names)


@lru_cache(maxsize=1)
def _first_word_finder() -> re.Pattern:
    """Where a word that is the first word of a spelling may start: one search of the text
    instead of a look at each of its words."""
    words = [w for w in _first_words() if re.fullmatch(r"[a-z.]+", w)]
    return re.compile(r"(?<![A-Za-z])" + _trie_pattern(words) + r"(?![A-Za-z.])", re.I | re.A)


def _trie_pattern(words: list[str]) -> str:
    """Words as one pattern that shares their common beginnings ("bar(?:net|nsley)"), so that at
    each place of the text the pattern follows one branch instead of trying every word."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word may end here: the longer words are tried first, then the end
            return f"(?:{body})?"
        return body

    return pattern(trie)


def _mentions(text: str):
    """Every mention of an authority's name in the text, longest spelling first at each place.

    A name is tried only where a word of the text (a run of letters and dots, begun by a letter)
    starts and is the first word of some spelling. (A first word with other characters, such as
    "stoke-on-trent", can never equal such a word.)"""
    pattern, _ = _matcher()
    end = 0
    for word in _first_word_finder().finditer(text):
        start = word.start()
        if start < end:
            continue
        before = start - 1
        while before >= 0 and text[before] == ".":
            before -= 1
        if before >= 0 and text[before].isascii() and text[before].isalpha():
            continue  # inside a word that began earlier ("x.Leeds")
        m = pattern.match(text, start)
        if m:
            end = m.end()
            yield m


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, list[LocalAuthority]]]:
    spelling: dict[str, list[LocalAuthority]] = {}
    for la in authorities():
        for name in la.names:
            spelling.setdefault(_key(name), []).append(la)
    # Longest names first, so "Kingston upon Hull" wins over "Hull" and "North Northamptonshire"
    # over "Northamptonshire" at the same place.
    alternatives = sorted({n for la in authorities() for n in la.names}, key=len, reverse=True)
    body = "|".join(_flexible(n) for n in alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.I), spelling


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).strip()


def _flexible(name: str) -> str:
    """A name as a pattern that tolerates line breaks, '&' for 'and' and 'upon'/'Upon'."""
    parts = []
    for word in name.split():
        if word.lower() == "and":
            parts.append(r"(?:and|&)")
        elif word.lower() in ("upon", "of", "on", "the", "with", "in"):
            parts.append(f"(?i:{re.escape(word)})")
        else:
            parts.append(re.escape(word))
    return r"\s+".join(parts)


@dataclass(frozen=True)
class Identification:
    authority: LocalAuthority | None
    reason: str  # how it was found, or why not


def identify_la(text: str, on_date: date | None = None, opening_chars: int = 1500) -> Identification:
    """The local authority a document is about.

    Scores every mention of an authority's name: mentions in the opening of the document (title,
    address block) and mentions that name the council or its children's services weigh most.
    Where a name belongs to several authorities (Dorset before and after 2019), the one that
    existed on ``on_date`` is taken.
    """
    _, spelling = _matcher()
    scores: dict[str, float] = {}
    found: dict[str, LocalAuthority] = {}
    for m in _mentions(text):
        if not _is_name_cased(m.group(0)):
            continue  # "reading", "bury": ordinary words, not places
        candidates = spelling.get(_key(m.group(0)), [])
        if not candidates:
            continue
        la = _pick(candidates, on_date)
        weight = 1.0
        if m.start() < opening_chars:
            weight += 5.0
        after = text[m.end() : m.end() + 40]
        before = text[max(0, m.start() - 40) : m.start()]
        if re.match(_COUNCIL_AFTER, after, re.I) or re.search(_COUNCIL_BEFORE + r"$", before):
            weight += 3.0
        scores[la.new_la_code] = scores.get(la.new_la_code, 0.0) + weight
        found[la.new_la_code] = la
    if not scores:
        return Identification(None, "no local authority named in the text")
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best_code, best = ranked[0]
    if best < 4.0:
        return Identification(
            None, f"no local authority is named clearly enough (best: {found[best_code].la_name}, score {best:.0f})"
        )
    if len(ranked) > 1 and ranked[1][1] >= 0.8 * best:
        other = found[ranked[1][0]]
        return Identification(
            None,
            f"ambiguous local authority: {found[best_code].la_name} (score {best:.0f}) "
            f"or {other.la_name} (score {ranked[1][1]:.0f})",
        )
    return Identification(found[best_code], f"named in the text (score {best:.0f})")


def _is_name_cased(found: str) -> bool:
    """A match counts as a place name when its words are capitalised as names are (or all capitals)."""
    if found.isupper():
        return True
    return all(w[0].isupper() or w.lower() in ("upon", "of", "on", "the", "with", "in", "and", "&") for w in found.split())


def _pick(candidates: list[LocalAuthority], on_date: date | None) -> LocalAuthority:
    if len(candidates) == 1:
        return candidates[0]
    existing = [la for la in candidates if la.existed_on(on_date)]
    pool = existing or candidates
    # Prefer the authority whose official name this is, then the current one.
    return sorted(pool, key=lambda la: (la.status != "current", len(la.names)))[0]
