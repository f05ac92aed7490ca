"""Stable indicator keys: the same indicator gets the same key in every document and year.

A label found in the catalogue gets the catalogue's canonical key (``ict.bts_stations``); any
other label gets ``x_`` plus a slug of its normalised, accent-free words, so keys never depend on
OCR diacritic damage, case, or the "tăng ... so với cùng kỳ" tail of a change statement.
"""

from __future__ import annotations

import re
from functools import lru_cache

from planscan.extract.text.fold import fold_words

_NON_WORD = re.compile(r"[^a-z0-9%/]+")
# "Số", "Tổng số", "Số lượng" only say "the number of"; "Tỷ lệ" stays, since a rate is not a count.
# "teng"/"t0ng" are how an English OCR model reads "tổng".
_FILLER_PREFIX = re.compile(r"^(?:t[oe0]ng so luong|t[oe0]ng so|so luong|t[oe0]ng|so)\s+(?=\S{2})")
# A change statement's tail ("tăng M trạm so với cùng kỳ năm Y") is not part of what is measured.
_CHANGE_TAIL = re.compile(
    r"\s*[,(]?\s*(?:tang|giam|dat|bang)?\s*(?:\d[\d.,]*\s*\S*\s*)?so voi (?:cung ky|nam truoc|ke hoach).*$"
)
_TRAILING_CHANGE = re.compile(r"\s+(?:tang|giam|tang them|giam di)$")
# Where and when a figure holds is its context, not its identity: "Tổng số trạm BTS trên địa bàn",
# "... đến cuối năm" and "Số trạm BTS" are one indicator (the period is a field of its own).
_CONTEXT_TAIL = re.compile(
    r"(?:,?\s+tren dia ban(?: (?:huyen|tinh|thi xa|thanh pho|xa|thi tran))?"
    r"|,?\s+(?:tren )?toan (?:huyen|tinh|thi xa|thanh pho|xa|thi tran)"
    r"|,?\s+(?:den|tinh den|vao)? ?(?:cuoi|dau) nam(?: \d{4})?"
    r"|,?\s+(?:den nay|hien nay|hien co|hien tai)"
    r"|,?\s+(?:nam|trong nam) \d{4}"
    r"|,?\s+\d{1,2} thang (?:dau|cuoi) nam(?: \d{4})?)$"
)
_SPELLING = [(re.compile(r"\bti le\b"), "ty le"), (re.compile(r"\bti trong\b"), "ty trong")]
_MAX_SLUG = 80


_RELATIVE_KINDS = {"change", "ratio_to_prior", "ratio_to_plan"}


def normalise_label(label: str, unit: str | None = None) -> str:
    """The accent-free comparable form of a label: filler words and change tails dropped, and
    "tỷ lệ" prefixed when the unit is a percentage and the label does not already say so.
    Pass ``unit=None`` for a relative figure ("tăng 3,9 %"), whose % is not a rate."""
    s = fold_words(label)
    for pattern, repl in _SPELLING:
        s = pattern.sub(repl, s)
    s = _CHANGE_TAIL.sub("", s)
    s = _TRAILING_CHANGE.sub("", s)
    s = re.sub(r"[\s:;.\-]+$", "", s).strip()
    for _ in range(3):  # "... trên địa bàn huyện đến cuối năm 2020"
        t = _CONTEXT_TAIL.sub("", s).strip()
        if t == s or len(t.split()) < 2:
            break
        s = t
    s = _FILLER_PREFIX.sub("", s)
    if unit is not None and unit.strip() == "%" and not re.match(r"(?:ty le|ty trong|toc do|muc)\b", s):
        s = "ty le " + s
    return " ".join(s.split())


def slug(text: str) -> str:
    """Accent-insensitive snake_case slug; never empty."""
    s = _NON_WORD.sub("_", fold_words(text).replace("%", "pct").replace("/", "_per_")).strip("_")
    s = re.sub(r"_+", "_", s)
    if len(s) > _MAX_SLUG:
        s = s[:_MAX_SLUG].rsplit("_", 1)[0]
    return s or "unnamed"


@lru_cache(maxsize=65536)  # pure, and documents repeat their labels across years and districts
def indicator_key(label: str, unit: str | None = None, kind: str | None = None) -> str:
    """Canonical key of an indicator label; ``unit`` tells a rate ("%") from a count.

    Catalogue entries win; any other label gets ``x_<slug>`` of its normalised form, so a reader
    can tell a catalogue key from a derived one. For a relative figure (``kind`` change,
    ratio_to_prior, ratio_to_plan) a "%" unit is a relative change of the indicator, so the key is
    that of the indicator the label names, whatever its unit.
    """
    from planscan.extract.indicators.catalogue import lookup  # late: catalogue imports this module

    if kind in _RELATIVE_KINDS and unit is not None and unit.strip() == "%":
        unit = None
    entry = lookup(label, unit)
    if entry is not None:
        return entry.key
    return "x_" + slug(normalise_label(label, unit))
