"""Reporting periods as Vietnamese plans write them: "6 tháng đầu năm 2019", "năm 2020",
"đầu tháng 6/2019", "quý I/2019", "9 tháng", "giai đoạn 2021 - 2025".

Matching runs on accent-folded text (same length as the original), so OCR output without diacritics
("6 thang dau nam 2019") gives the same periods; labels are written back in normal Vietnamese.
Full dates ("ngày 04 tháng 7 năm 2019") are not periods and are skipped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from planscan.extract.text.units import fold


@dataclass(frozen=True, slots=True)
class Period:
    label: str  # normalised Vietnamese, e.g. "6 tháng đầu năm 2019"
    year: int | None
    start: int
    end: int
    kind: str = "year"  # year, months, quarter, month, range, until (a stock at a date)
    months: int | None = None  # length in months when stated ("6 tháng" -> 6)
    month: int | None = None  # for "tháng 6/2019"
    quarter: int | None = None
    end_year: int | None = None  # for ranges
    reference: bool = False  # written as the comparison base: "so với cùng kỳ năm 2018"
    # months of ``year`` the figures cover, when the period says: "6 tháng đầu năm" -> 1..6,
    # "quý III" -> 7..9, "năm 2020" -> 1..12; None for moments ("đầu tháng 6", "đến ngày ...")
    first_month: int | None = None
    last_month: int | None = None


_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
def _pos(word: str | None) -> str:
    if not word:
        return ""
    return "cuối" if word == "cuoi" else "giữa" if word == "giua" else "cả" if word == "ca" else "đầu"

_S = r"[ \t\n]+"  # words of one phrase may wrap onto the next line
# Folded "năm"/"đầu" and the shapes an English-model OCR leaves of them ("nim", "ndm", "ddu", "pau").
_NAM = r"n(?:a|i|d|ad|da)m"
_DAU = r"(?:dau|ddu|pau|dpau|dau)"
_YEAR = r"(?P<year>(?:19|20)\d{2})(?!\d)"
_YEAR2 = r"(?P<year2>(?:19|20)\d{2})(?!\d)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        # "tính đến ngày 30/6/2020", "đến hết ngày 31 tháng 12 năm 2019": a stock at a date
        "until",
        re.compile(
            rf"\b(?:tinh{_S})?den{_S}(?:het{_S})?ngay{_S}(?P<d>\d{{1,2}})"
            rf"(?:[ \t]*[/.\-][ \t]*(?P<m>\d{{1,2}})[ \t]*[/.\-][ \t]*|{_S}thang{_S}(?P<m2>\d{{1,2}}){_S}{_NAM}{_S})"
            rf"(?P<year>(?:19|20)\d{{2}})(?!\d)"
        ),
    ),
    (
        "range",
        re.compile(
            rf"\b(?:(?P<what>giai doan|nhiem ky|thoi ky|nien khoa){_S})?(?:tu{_S})?(?:nam{_S})?"
            rf"(?P<y1>(?:19|20)\d{{2}})[ \t\n]*(?:-|\u2013|\u2014|den)[ \t\n]*(?:nam{_S})?(?P<y2>(?:19|20)\d{{2}})(?!\d)"
        ),
    ),
    (
        "months",
        re.compile(
            rf"\b(?P<n>\d{{1,2}}){_S}thang(?:{_S}(?P<pos>{_DAU}|cuoi){_S}{_NAM}|{_S}{_NAM})?(?:{_S}(?P<yearword>{_NAM}{_S})?{_YEAR})?"
        ),
    ),
    (
        "quarter",
        re.compile(rf"\bquy{_S}(?P<q>iv|iii|ii|i|[1-4])\b(?:[ \t]*/[ \t]*{_YEAR}|{_S}{_NAM}{_S}{_YEAR2})?"),
    ),
    (
        "month",
        re.compile(
            rf"\b(?:(?P<pos>{_DAU}|cuoi|giua){_S})?thang{_S}(?P<m>1[0-2]|0?[1-9])(?:[ \t]*/[ \t]*{_YEAR}|{_S}{_NAM}{_S}{_YEAR2})"
        ),
    ),
    (
        "year",
        re.compile(rf"\b(?:(?P<pos>{_DAU}|cuoi|giua|ca){_S})?{_NAM}{_S}{_YEAR}"),
    ),
]
# the base of a comparison: "so với cùng kỳ năm 2018", "so với năm 2018", "(cùng kỳ năm 2019)"
_REFERENCE_BEFORE = re.compile(r"(?:c\w{1,3}g[ \t\n]+k[yi]|so[ \t\n]+v\w{1,2}i)[ \t\n]*$")


# "ngày 04 " before "tháng 7 năm 2019", or "ngày 04 tháng 7 " (any month shape OCR left) before "năm 2019"
_DATE_BEFORE = re.compile(r"ng\w{1,2}y[ \t\n]+\d{1,2}[ \t\n]+(?:th\w{2,4}[ \t\n]+\S{1,2}[ \t\n]+)?$")


def _label(kind: str, m: re.Match[str]) -> tuple[str, dict]:
    g = m.groupdict()
    year = int(g.get("year") or g.get("year2") or 0) or None
    if kind == "until":
        d, mo = int(g["d"]), int(g.get("m") or g.get("m2"))
        words = m.group(0).split()
        lead = ("tính " if words[0] == "tinh" else "") + "đến " + ("hết " if "het" in words[:3] else "")
        return f"{lead}ngày {d}/{mo}/{year}", {"year": year, "month": mo}
    if kind == "range":
        y1, y2 = int(g["y1"]), int(g["y2"])
        what = {"giai doan": "giai đoạn", "nhiem ky": "nhiệm kỳ", "thoi ky": "thời kỳ", "nien khoa": "niên khóa"}.get(
            g.get("what") or "", "giai đoạn"
        )
        return f"{what} {y1}-{y2}", {"year": y1, "end_year": y2}
    if kind == "months":
        n = int(g["n"])
        text = f"{n} tháng"
        if g.get("pos"):
            text += f" {_pos(g['pos'])} năm"
        elif re.fullmatch(_NAM, (m.group(0)[len(g["n"]) :].split()[1:2] or [""])[0]):
            text += " năm"
        if year:
            text += f" {year}" if text.endswith("năm") else f" năm {year}"
        n_cov = min(max(n, 1), 12)
        # "6 tháng cuối năm" is July-December; otherwise reports count from January
        cover = (13 - n_cov, 12) if g.get("pos") == "cuoi" else (1, n_cov)
        return text, {"year": year, "months": n, "cover": cover}
    if kind == "quarter":
        q = _ROMAN_Q[g["q"]]
        text = f"quý {_QUARTER_NAMES[q]}"
        if year:
            text += f"/{year}" if "/" in m.group(0) else f" năm {year}"
        return text, {"year": year, "quarter": q, "cover": (3 * q - 2, 3 * q)}
    if kind == "month":
        mo = int(g["m"])
        pos = f"{_pos(g['pos'])} " if g.get("pos") else ""
        text = f"{pos}tháng {mo}/{year}" if "/" in m.group(0) else f"{pos}tháng {mo} năm {year}"
        # "đầu tháng 6" is a moment (a stock), "tháng 6" the whole month
        return text, {"year": year, "month": mo, "cover": None if pos else (mo, mo)}
    pos = f"{_pos(g.get('pos'))} " if g.get("pos") else ""
    return f"{pos}năm {year}", {"year": year, "cover": (1, 12) if pos in ("", "cả ") else None}


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps a span of ``taken`` (sorted, non-overlapping)."""
    i = bisect.bisect_left(taken, (start, start))
    return (i > 0 and taken[i - 1][1] > start) or (i < len(taken) and taken[i][0] < end)


def find_periods(text: str) -> list[Period]:
    """Periods in ``text`` in order; a longer match wins over the shorter ones inside it."""
    folded = fold(text)
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            start, end = m.span()
            while start < end and folded[start] in " \t\n":
                start += 1
            if _overlaps(taken, start, end):
                continue
            if kind == "months" and not (m.group("pos") or m.group("year") or re.search(_NAM, m.group(0))):
                # "ngày 04 tháng 7": the day of a date, not a span of months
                if re.search(r"ngay[ \t\n]*$", folded[max(0, start - 8) : start]) or re.match(
                    r"[ \t\n]+\d", folded[end : end + 3]
                ):
                    continue
            if kind in ("month", "year") and _DATE_BEFORE.search(folded[max(0, start - 30) : start]):
                continue  # "ngày 04 tháng 7 năm 2019" is a date
            label, extra = _label(kind, m)
            reference = bool(_REFERENCE_BEFORE.search(folded[max(0, start - 20) : start]))
            found.append(
                Period(
                    label=label,
                    year=extra.get("year"),
                    start=start,
                    end=end,
                    kind=kind,
                    months=extra.get("months"),
                    month=extra.get("month"),
                    quarter=extra.get("quarter"),
                    end_year=extra.get("end_year"),
                    reference=reference,
                    first_month=(extra.get("cover") or (None, None))[0],
                    last_month=(extra.get("cover") or (None, None))[1],
                )
            )
            bisect.insort(taken, (start, end))
    found.sort(key=lambda p: p.start)
    return found


def parse_period(label: str) -> Period | None:
    """The period a whole label names ("6 tháng đầu năm 2019"), or None if it names none."""
    periods = find_periods(label.strip())
    if not periods:
        return None
    best = max(periods, key=lambda p: p.end - p.start)
    return best


def last_year(text: str) -> int | None:
    """The year of the last period in ``text`` (the one nearest a figure that follows it)."""
    periods = [p for p in find_periods(text) if p.year is not None]
    return periods[-1].year if periods else None
