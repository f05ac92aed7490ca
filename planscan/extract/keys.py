"""Stable indicator keys: the same indicator gets the same key in every document and year.

A label found in the catalogue gets the catalogue's canonical key; any other label gets a slug of
its accent-free, lower-cased words, so keys never depend on OCR diacritic damage or on case.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
# Leading words that say "the number of" and carry no identity: "Số", "Tổng số", "Tỷ lệ" stay
# distinctive (a rate is not a count), so only the empty count words are dropped.
_FILLER_PREFIXES = ("tong so ", "so luong ", "so ")
_MAX_SLUG = 80


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ -> d) and collapse whitespace."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def slug(text: str) -> str:
    """Accent-insensitive snake_case slug of a label; never empty."""
    folded = fold(text)
    s = _NON_WORD.sub("_", folded).strip("_")
    if len(s) > _MAX_SLUG:
        s = s[:_MAX_SLUG].rsplit("_", 1)[0]
    return s or "unnamed"


def _slug_key(label: str) -> str:
    folded = fold(label)
    for prefix in _FILLER_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix) + 2:
            folded = folded[len(prefix):]
            break
    return slug(folded)


def indicator_key(label: str, unit: str | None = None) -> str:
    """Canonical key of an indicator label (plus its unit, used to tell a rate from a count).

    Catalogue entries win; otherwise the key is ``x_<slug>`` of the normalised label, so that a
    reader can tell a catalogue key from a derived one.
    """
    try:
        from planscan.extract.catalogue import lookup
    except ImportError:  # catalogue not built yet: slug fallback only
        lookup = None
    if lookup is not None:
        entry = lookup(label, unit)
        if entry is not None:
            return entry.key
    return "x_" + _slug_key(label)
