"""Stable indicator keys: the same indicator gets the same key in every document and year.

A label found in the catalogue gets the catalogue's canonical key (``ict.bts_stations``); any
other label gets ``x_`` plus a slug of its normalised, accent-free words, so keys never depend on
OCR diacritic damage, case, or the "tăng ... so với cùng kỳ" tail of a change statement.
"""

from __future__ import annotations

from functools import lru_cache

from planscan.extract.indicators.catalogue import lookup
from planscan.extract.indicators.normalise import normalise_label, slug

_RELATIVE_KINDS = {"change", "ratio_to_prior", "ratio_to_plan"}


@lru_cache(maxsize=65536)  # pure, and documents repeat their labels across years and districts
def indicator_key(label: str, unit: str | None = None, kind: str | None = None) -> str:
    """Canonical key of an indicator label; ``unit`` tells a rate ("%") from a count.

    Catalogue entries win; any other label gets ``x_<slug>`` of its normalised form, so a reader
    can tell a catalogue key from a derived one. For a relative figure (``kind`` change,
    ratio_to_prior, ratio_to_plan) a "%" unit is a relative change of the indicator, so the key is
    that of the indicator the label names, whatever its unit.
    """
    if kind in _RELATIVE_KINDS and unit is not None and unit.strip() == "%":
        unit = None
    entry = lookup(label, unit)
    if entry is not None:
        return entry.key
    return "x_" + slug(normalise_label(label, unit))
