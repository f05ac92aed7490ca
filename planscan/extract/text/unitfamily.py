"""Unit families and conversions used to decide whether two figures can be compared.

A unit belongs to one family (money, percent, rate, length, area, mass, time, count). Units of
one family convert through a base unit (money to đồng, length to m, ...); a count only pairs with
a count of the same noun, so "xã" never pairs with "hộ" and "%" never pairs with a count.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from planscan.extract.indicators.keys import fold

# Scale to the base unit of each family, keyed on the accent-free unit.
_SCALES: dict[str, tuple[str, str, float]] = {}


def _add(family: str, base: str, scale: float, *names: str) -> None:
    for name in names:
        _SCALES[name] = (family, base, scale)


_add("money", "đồng", 1.0, "dong", "vnd", "d")
_add("money", "đồng", 1e3, "nghin dong", "ngan dong", "ngan d", "nghin d", "1000 dong", "1.000 dong")
_add("money", "đồng", 1e6, "trieu dong", "trieu d", "trd", "tr.d", "tr d", "tr.dong", "trieu")
_add("money", "đồng", 1e9, "ty dong", "ti dong", "ty d", "ty", "ti", "ty.d")
_add("money", "đồng", 1e12, "nghin ty dong", "ngan ty dong", "nghin ty")
_add("length", "m", 1.0, "m", "met")
_add("length", "m", 1e3, "km", "cay so", "kilomet")
_add("area", "m2", 1.0, "m2", "m²", "met vuong")
_add("area", "m2", 1e4, "ha", "hec ta", "hecta", "hec-ta")
_add("area", "m2", 1e6, "km2", "km²")
_add("mass", "kg", 1.0, "kg", "kilogam", "can")
_add("mass", "kg", 100.0, "ta")
_add("mass", "kg", 1e3, "tan")
_add("mass", "kg", 1e6, "nghin tan", "ngan tan")
_add("time", "giờ", 1.0, "gio", "tieng")
_add("time", "giờ", 1 / 60, "phut")
_add("percent", "%", 1.0, "%", "phan tram")

# Classifier nouns that say "a thing" and can stand for any counted noun ("205 chiếc" computers).
_GENERIC_COUNT = {"chiec", "cai", "con", "don vi", "luot", ""}


@dataclass(frozen=True)
class UnitInfo:
    family: str  # money, percent, rate, money_rate, length, area, mass, time, count
    base: str  # base unit of the family, or the folded unit itself (count/rate)
    scale: float  # multiply a value in this unit by scale to get the base unit
    noun: str  # folded unit; for counts the counted noun


@lru_cache(maxsize=4096)  # pure; a comparison asks about the same few units thousands of times
def unit_info(unit: str | None) -> UnitInfo:
    u = fold(unit or "").strip(" .")
    if u in _SCALES:
        family, base, scale = _SCALES[u]
        return UnitInfo(family, base, scale, u)
    if "/" in u:
        head, _, tail = u.partition("/")
        head = head.strip()
        if head in _SCALES and _SCALES[head][0] == "money":
            _f, _b, scale = _SCALES[head]
            return UnitInfo("money_rate", "đồng/" + tail.strip(), scale, u)
        return UnitInfo("rate", " / ".join(p.strip() for p in u.split("/")), 1.0, u)
    return UnitInfo("count", u, 1.0, u)


def _count_nouns_compatible(a: str, b: str) -> bool:
    if a == b or a in _GENERIC_COUNT or b in _GENERIC_COUNT:
        return True
    # "điểm" ~ "điểm phục vụ", "xã" ~ "xã, thị trấn": the same head noun with a qualifier.
    ha, hb = a.replace(",", " ").split()[0], b.replace(",", " ").split()[0]
    return ha == hb


@lru_cache(maxsize=16384)
def compatible(a: str | None, b: str | None) -> tuple[bool, float]:
    """Whether values in unit ``a`` and unit ``b`` measure the same thing; and the factor that
    converts a value in ``b`` into unit ``a`` (1.0 when no conversion is needed)."""
    ia, ib = unit_info(a), unit_info(b)
    if ia.family != ib.family:
        return False, 1.0
    if ia.family == "count":
        return _count_nouns_compatible(ia.noun, ib.noun), 1.0
    if ia.family == "rate":
        pa = [p.strip() for p in ia.noun.split("/")]
        pb = [p.strip() for p in ib.noun.split("/")]
        if len(pa) != len(pb):
            return False, 1.0
        ok = all(_count_nouns_compatible(x, y) if x and y else x == y for x, y in zip(pa, pb))
        return ok, 1.0
    if ia.family == "money_rate" and ia.base != ib.base:
        return False, 1.0
    return True, ib.scale / ia.scale


def family(unit: str | None) -> str:
    return unit_info(unit).family
