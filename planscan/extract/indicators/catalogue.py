"""The indicator catalogue: canonical keys for indicators common to district plans.

``data/catalogue.json`` lists, per sector, a key, a Vietnamese label, aliases and a unit family.
A label is matched accent-insensitively: exactly on a normalised alias first, then with
RapidFuzz's plain ``ratio`` (which tolerates OCR damage but not extra words, so "phát thanh" does
not swallow "phát thanh địa phương"). No match is ``None``, never an exception.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from planscan.extract.indicators.normalise import normalise_label
from planscan.extract.text.units import family as unit_family

FUZZY_CUTOFF = 90.0

# Families that a figure's unit may have for an entry of each family ("count" entries also take
# rates like "km/điểm" only when the catalogue says rate, so this is a strict mapping).
_ACCEPTS = {
    "count": {"count"},
    "percent": {"percent"},
    "money": {"money"},
    "money_rate": {"money_rate"},
    "rate": {"rate"},
    "length": {"length"},
    "area": {"area"},
    "mass": {"mass"},
    "time": {"time", "count"},  # "365 giờ" is a time; a bare count of hours is written without one
}


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    sector: str
    family: str
    label: str
    aliases: tuple[str, ...]


@lru_cache(maxsize=1)
def entries() -> tuple[CatalogueEntry, ...]:
    raw = json.loads(resources.files("planscan.extract.indicators").joinpath("data/catalogue.json").read_text("utf-8"))
    return tuple(
        CatalogueEntry(e["key"], e["sector"], e["family"], e["label"], tuple(e.get("aliases", [])))
        for e in raw["indicators"]
    )


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, int], list[str], list[int]]:
    exact: dict[str, int] = {}
    choices: list[str] = []
    owners: list[int] = []
    for i, e in enumerate(entries()):
        unit = "%" if e.family == "percent" else None
        for alias in (e.label, *e.aliases):
            n = normalise_label(alias, unit)
            exact.setdefault(n, i)
            choices.append(n)
            owners.append(i)
    return exact, choices, owners


def by_key(key: str) -> CatalogueEntry | None:
    for e in entries():
        if e.key == key:
            return e
    return None


def _unit_fits(entry: CatalogueEntry, unit: str | None) -> bool:
    if unit is None or not unit.strip():
        return True
    return unit_family(unit) in _ACCEPTS.get(entry.family, {entry.family})


_PAREN = re.compile(r"\s*\([^)]*\)")


def lookup(label: str, unit: str | None = None) -> CatalogueEntry | None:
    """The catalogue entry for ``label`` (with a compatible ``unit``), or None."""
    exact, choices, owners = _index()
    all_entries = entries()
    forms = [normalise_label(label, unit)]
    no_paren = normalise_label(_PAREN.sub("", label), unit)
    if no_paren != forms[0]:
        forms.append(no_paren)
    for form in forms:
        i = exact.get(form)
        if i is not None and _unit_fits(all_entries[i], unit):
            return all_entries[i]
    for form in forms:
        if len(form) < 6:  # short labels are too ambiguous for fuzzy matching
            continue
        for choice, _score, j in process.extract(
            form, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
        ):
            entry = all_entries[owners[j]]
            if _same_words(form, choice) and _unit_fits(entry, unit):
                return entry
    return None


def _same_words(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ only by OCR-sized damage inside words: the same number of
    words, equal numbers, and at most one edit in any word of three letters or more. A whole
    word more or less ("chưa có" for "có", "cấp xã" for "cấp huyện") is a different indicator."""
    wa, wb = a.split(), b.split()
    if len(wa) != len(wb):
        return False
    for x, y in zip(wa, wb):
        if x == y:
            continue
        if any(c.isdigit() for c in x + y) or min(len(x), len(y)) < 3:
            return False
        if Levenshtein.distance(x, y) > 1:
            return False
    return True


def sector_of(key: str) -> str | None:
    e = by_key(key)
    return e.sector if e else None
