"""The indicator catalogue: canonical keys from the official indicator systems.

``data/catalogue.json`` (built by ``scripts/build_catalogue.py``; entries follow
``data/catalogue.schema.json``) keys each indicator of the national statistical indicator list by
its code (``vn.1307``), each indicator of a sector system by ``<sector>.<code>``, and a few
general-usage indicators those lists lack by a sector key (``ict.bts_stations``). Users add or
replace entries with a file of the same shape named by ``$PLANSCAN_CATALOGUE``: its entries are
merged over the shipped ones, key by key.

A label is matched accent-insensitively: exactly on a normalised alias first, then with
RapidFuzz's plain ``ratio`` (which tolerates OCR damage but not extra words, so "phát thanh" does
not swallow "phát thanh địa phương"). No match is ``None``, never an exception.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from planscan.errors import InputFileError
from planscan.extract.indicators.normalise import normalise_label
from planscan.extract.text.units import family as unit_family

ENV_EXTRA = "PLANSCAN_CATALOGUE"
FUZZY_CUTOFF = 90.0

Family = Literal["count", "percent", "money", "money_rate", "rate", "length", "area", "mass", "time"]

# Families that a figure's unit may have for an entry of each family (a strict mapping: "count"
# entries do not take rates like "km/điểm").
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


class EntrySource(BaseModel):
    """Where an entry comes from: an official list (document id, line of the name, name of the indicator system) or general
    usage (the corpus its phrases were checked in), or a user's file."""

    model_config = ConfigDict(extra="allow")
    document: str | None = None
    line: int | None = Field(default=None, ge=1)
    system: str | None = None
    general_usage: bool = False
    checked_in: list[str] = []


class EntryModel(BaseModel):
    """One catalogue entry, as stored in catalogue.json (the JSON Schema is generated from this)."""

    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$", description="vn.CODE, SECTOR.CODE or SECTOR.name")
    sector: str = Field(min_length=1)
    family: Family | None = Field(description="unit family the indicator is measured in; null when the name states none")
    label: str = Field(min_length=1, description="the official name, or the general-usage name")
    aliases: list[str] = []
    source: EntrySource


class CatalogueFile(BaseModel):
    model_config = ConfigDict(extra="allow")
    indicators: list[EntryModel]


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    sector: str
    family: str | None
    label: str
    aliases: tuple[str, ...]


_PAREN = re.compile(r"\s*\([^)]*\)")


class Catalogue:
    """Entries and their alias index; ``lookup`` finds the entry a label names."""

    def __init__(self, entries: list[CatalogueEntry]) -> None:
        self.entries = tuple(entries)
        self._by_key = {e.key: e for e in self.entries}
        self._exact: dict[str, CatalogueEntry] = {}
        self._choices: list[str] = []
        self._owners: list[CatalogueEntry] = []
        for e in self.entries:
            unit = "%" if e.family == "percent" else None
            for alias in (e.label, *e.aliases):
                n = normalise_label(alias, unit)
                self._exact.setdefault(n, e)  # an earlier list (the national one) wins a shared name
                self._choices.append(n)
                self._owners.append(e)
        self._completions: dict[str, dict[str, list[str]]] = {}  # asked once per figure of a counted noun

    def by_key(self, key: str) -> CatalogueEntry | None:
        return self._by_key.get(key)

    def lookup(self, label: str, unit: str | None = None) -> CatalogueEntry | None:
        """The entry ``label`` names (with a compatible ``unit``), or None."""
        forms = [normalise_label(label, unit)]
        no_paren = normalise_label(_PAREN.sub("", label), unit)
        if no_paren != forms[0]:
            forms.append(no_paren)
        for form in forms:
            e = self._exact.get(form)
            if e is not None and _unit_fits(e, unit):
                return e
        for form in forms:
            if len(form) < 6:  # short labels are too ambiguous for fuzzy matching
                continue
            for choice, _score, j in process.extract(
                form, self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
            ):
                e = self._owners[j]
                if _same_words(form, choice) and _unit_fits(e, unit):
                    return e
        return None

    def completions(self, head: str) -> dict[str, list[str]]:
        """Keys whose normalised aliases extend the normalised ``head`` ("thue bao" ->
        "thue bao internet"), each with the words that follow it."""
        if head not in self._completions:
            out: dict[str, list[str]] = {}
            prefix = head + " "
            for choice, e in zip(self._choices, self._owners):
                if choice.startswith(prefix):
                    out.setdefault(e.key, []).append(choice[len(prefix) :])
            if len(self._completions) > 4096:
                self._completions.clear()
            self._completions[head] = out
        return self._completions[head]


def _unit_fits(entry: CatalogueEntry, unit: str | None) -> bool:
    if unit is None or not unit.strip() or entry.family is None:
        return True
    return unit_family(unit) in _ACCEPTS.get(entry.family, {entry.family})


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


def read_entries(text: str, source: str) -> list[CatalogueEntry]:
    """Entries of a catalogue file's text; a malformed file is an InputFileError naming it."""
    try:
        data = CatalogueFile.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputFileError(f"{source}: not a catalogue file ({where}: {first['msg']}); see data/catalogue.schema.json") from None
    return [CatalogueEntry(e.key, e.sector, e.family, e.label, tuple(e.aliases)) for e in data.indicators]


def shipped_text() -> str:
    return resources.files("planscan.extract.indicators").joinpath("data/catalogue.json").read_text("utf-8")


@lru_cache(maxsize=4)
def load_catalogue(extra: str | None = None) -> Catalogue:
    """The shipped catalogue, with the entries of the file ``extra`` (if any) merged over it."""
    merged = {e.key: e for e in read_entries(shipped_text(), "catalogue.json")}
    if extra:
        path = Path(extra)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputFileError(f"{path}: cannot read the extra catalogue ({exc.strerror}); fix {ENV_EXTRA}") from None
        user = read_entries(text, str(path))
        # a user's entry comes first, so its aliases win over shipped entries sharing a name
        merged = {e.key: e for e in user} | {k: v for k, v in merged.items() if k not in {e.key for e in user}}
    return Catalogue(list(merged.values()))


def extra_path() -> str | None:
    """The user's extra catalogue file, from ``$PLANSCAN_CATALOGUE``."""
    return os.environ.get(ENV_EXTRA) or None


def default_catalogue() -> Catalogue:
    return load_catalogue(extra_path())


def entries() -> tuple[CatalogueEntry, ...]:
    return default_catalogue().entries


def by_key(key: str) -> CatalogueEntry | None:
    return default_catalogue().by_key(key)


def lookup(label: str, unit: str | None = None) -> CatalogueEntry | None:
    """The catalogue entry for ``label`` (with a compatible ``unit``), or None."""
    return default_catalogue().lookup(label, unit)


def sector_of(key: str) -> str | None:
    e = by_key(key)
    return e.sector if e else None


def json_schema() -> dict:
    """The JSON Schema of a catalogue file (shipped as data/catalogue.schema.json)."""
    schema = CatalogueFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "planscan indicator catalogue"
    return schema


if __name__ == "__main__":  # python -m planscan.extract.indicators.catalogue > data/catalogue.schema.json
    print(json.dumps(json_schema(), ensure_ascii=False, indent=1))
