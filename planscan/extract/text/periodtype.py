"""The type of a figure's period ("6 tháng đầu năm 2019" is H1, "năm 2020" is Y), so that only
figures of the same kind of period are compared.

Types: H1, H2, 9M, Q1-Q4, <n>M (first n months), Y (a whole year, or its end), M<m> (a point in
time: "đầu tháng 6/2020", "đến 30/6/2020"), multi:<a>-<b> (a plan period). A stock stated at a
point in mid-year is close to, but not the same as, the half-year figure, so M6/M7 pair with H1
only with a period-mismatch flag (see ``comparable``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from planscan.extract.indicators.keys import fold

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_NEAR = {
    "H1": {"M6", "M7"},
    "Y": {"M12"},
    "9M": {"M9", "M10"},
    "Q1": {"M3", "M4", "3M"},
    "3M": {"Q1"},
}


@lru_cache(maxsize=8192)  # pure; documents repeat a handful of period labels
def period_type(period: str | None) -> str | None:
    p = fold(period or "")
    if not p:
        return None
    m = re.search(r"giai doan (\d{4})\s*[-–—]\s*(\d{4})", p)
    if m:
        return f"multi:{m.group(1)}-{m.group(2)}"
    if re.search(r"\b(?:6|sau) thang cuoi\b", p):
        return "H2"
    m = re.search(r"\bngay \d{1,2} thang (\d{1,2})\b", p)
    if m:
        return f"M{int(m.group(1))}"
    m = re.search(r"\b(1[0-2]|[1-9]|sau|chin|ba) thang(?: dau)?\b", p)
    if m:
        n = {"sau": 6, "chin": 9, "ba": 3}.get(m.group(1)) or int(m.group(1))
        return {6: "H1", 9: "9M", 3: "Q1", 12: "Y"}.get(n, f"{n}M")
    m = re.search(r"\bquy (iv|iii|ii|i|[1-4])\b", p)
    if m:
        return f"Q{_ROMAN[m.group(1)]}"
    if re.search(r"\bnua (?:dau )?nam\b|\bnua nam dau\b", p):
        return "H1"
    m = re.search(r"\b(?:ngay )?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*\d{4}\b", p)
    if m:
        return f"M{int(m.group(2))}"
    m = re.search(r"\bthang (\d{1,2})\b", p)
    if m:
        return f"M{int(m.group(1))}"
    if re.search(r"\bdau nam\b", p):
        return None  # "từ đầu năm" is year-to-date: the document's own report period, if anything
    if re.search(r"\b(?:nam|ca nam|cuoi nam)\b", p):
        return "Y"
    return None


def comparable(a: str | None, b: str | None) -> tuple[bool, bool]:
    """(can pair, pairing needs a period-mismatch flag)."""
    if a == b:
        return True, a is None
    if a is None or b is None:
        return False, False
    if b in _NEAR.get(a, ()) or a in _NEAR.get(b, ()):
        return True, True
    return False, False


def year_of(period: str | None) -> int | None:
    years = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", period or "")
    return int(years[-1]) if years else None
