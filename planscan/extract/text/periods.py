"""Reporting periods as Vietnamese plans write them: "6 tháng đầu năm 2019", "năm 2020",
"đầu tháng 6/2019", "quý I/2019", "9 tháng", "giai đoạn 2021 - 2025", "sáu tháng đầu năm",
"nửa đầu năm 2019", "từ đầu năm 2020", "tính đến ngày 30/6/2020".

This is the one period grammar: every stage that needs a period's label, year, months or type
asks it. Matching runs on accent-folded text (same length as the original), so OCR output
without diacritics ("6 thang dau nam 2019", "sau thang dau nam") gives the same periods; labels
are written back in normal Vietnamese, numbers as digits ("sáu tháng" -> "6 tháng").
Full dates in running text ("ngày 04 tháng 7 năm 2019") are document dates, not periods, and are
skipped; a whole label that is a date (``parse_period``) is a point in time.

A period's type says which figures may be compared: H1, H2, 9M, Q1-Q4, <n>M (the first n
months), Y (a whole year, or its end), M<m> (one month, or a point in it: "đầu tháng 6/2020",
"đến 30/6/2020"), M<a>-<b> (another run of months), multi:<a>-<b> (a plan period), or None
when the period does not say ("từ đầu năm": up to the report date).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache

from planscan.extract.text.fold import fold


@dataclass(frozen=True, slots=True)
class Period:
    label: str  # normalised Vietnamese, e.g. "6 tháng đầu năm 2019"
    year: int | None
    start: int
    end: int
    kind: str = "year"  # year, months, quarter, month, range, until (a stock at a date), to_date
    months: int | None = None  # length in months when stated ("6 tháng" -> 6)
    month: int | None = None  # the month of a point in time: "đầu tháng 6/2019", "đến 30/6/2020"
    quarter: int | None = None
    end_year: int | None = None  # for ranges
    reference: bool = False  # written as the comparison base: "so với cùng kỳ năm 2018"
    # months of ``year`` the figures cover, when the period says: "6 tháng đầu năm" -> 1..6,
    # "quý III" -> 7..9, "năm 2020" -> 1..12; None for moments ("đầu tháng 6", "đến ngày ...")
    first_month: int | None = None
    last_month: int | None = None
    type: str | None = None  # H1, H2, 9M, Q1-Q4, <n>M, Y, M<m>, M<a>-<b>, multi:<a>-<b>

    @property
    def bounds(self) -> tuple[int, int] | None:
        """(first, last) month covered, or (m, m) for a point in month m; None if neither is known."""
        if self.first_month is not None and self.last_month is not None:
            return self.first_month, self.last_month
        if self.month is not None:
            return self.month, self.month
        return None


_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_NAMES = {1: "I", 2: "II", 3: "III", 4: "IV"}
# Spelled-out month counts, folded ("sáu" -> "sau"). "năm" (five) is left out: it is also "year".
_NUMBER_WORDS = {
    "muoi hai": 12, "muoi mot": 11, "muoi": 10, "mot": 1, "hai": 2, "ba": 3, "bon": 4,
    "sau": 6, "bay": 7, "tam": 8, "chin": 9,
}
_SPAN_TYPES = {(1, 12): "Y", (1, 6): "H1", (7, 12): "H2", (1, 9): "9M"}
# A stock at one point is close to, but not the same as, the flow of a period ending there: such
# pairs are allowed with a period-mismatch flag (see ``comparable``).
_NEAR = {
    "H1": {"M6", "M7"},
    "Y": {"M12"},
    "9M": {"M9", "M10"},
    "Q1": {"M3", "M4"},
}


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
_COUNT = r"\d{1,2}|" + "|".join(w.replace(" ", _S) for w in _NUMBER_WORDS)
_DMY = (
    rf"(?P<d>\d{{1,2}})(?:[ \t]*[/.\-][ \t]*(?P<m>\d{{1,2}})[ \t]*[/.\-][ \t]*"
    rf"|{_S}thang{_S}(?P<m2>\d{{1,2}}){_S}{_NAM}{_S})(?P<year>(?:19|20)\d{{2}})(?!\d)"
)
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "tính đến ngày 30/6/2020", "đến hết ngày 31 tháng 12 năm 2019", "đến 30/6/2020": a stock at a date
    ("until", re.compile(rf"\b(?:tinh{_S})?den{_S}(?:het{_S})?(?:ngay{_S}|(?=\d{{1,2}}[ \t]*/)){_DMY}")),
    (
        "range",
        re.compile(
            rf"\b(?:(?P<what>giai doan|nhiem ky|thoi ky|nien khoa){_S})?(?:tu{_S})?(?:nam{_S})?"
            rf"(?P<y1>(?:19|20)\d{{2}})[ \t\n]*(?:-|\u2013|\u2014|den)[ \t\n]*(?:nam{_S})?(?P<y2>(?:19|20)\d{{2}})(?!\d)"
        ),
    ),
    # "từ đầu năm 2020": up to the report date, however long that is
    ("to_date", re.compile(rf"\btu{_S}{_DAU}{_S}{_NAM}{_S}{_YEAR}")),
    # "nửa đầu năm 2019", "nửa năm đầu", "nửa cuối năm": half years
    (
        "months",
        re.compile(
            rf"\bnua{_S}(?:(?P<half>{_DAU}|cuoi){_S}{_NAM}|{_NAM}(?:{_S}(?P<half2>{_DAU}|cuoi))?)(?:{_S}{_YEAR})?"
        ),
    ),
    (
        "months",
        re.compile(
            rf"\b(?P<n>{_COUNT}){_S}thang(?:{_S}(?P<pos>{_DAU}|cuoi){_S}{_NAM}|{_S}{_NAM})?(?:{_S}(?P<yearword>{_NAM}{_S})?{_YEAR})?"
        ),
    ),
    (
        "quarter",
        re.compile(rf"\bquy{_S}(?P<q>iv|iii|ii|i|[1-4])\b(?:[ \t]*/[ \t]*{_YEAR}|{_S}{_NAM}{_S}{_YEAR2})?"),
    ),
    (
        "month",
        re.compile(
            # the year may be left to the context: "B. NHIỆM VỤ THÁNG 03" in a report on a year
            rf"\b(?:(?P<pos>{_DAU}|cuoi|giua){_S})?thang{_S}(?P<m>1[0-2]|0?[1-9])(?!\d)"
            rf"(?:[ \t]*/[ \t]*{_YEAR}|{_S}{_NAM}{_S}{_YEAR2})?(?![ \t]*/)"
        ),
    ),
    (
        "year",
        re.compile(rf"\b(?:(?P<pos>{_DAU}|cuoi|giua|ca){_S})?{_NAM}{_S}{_YEAR}"),
    ),
]
# A whole label that is a date: "ngày 30 tháng 6 năm 2020", "30/6/2020" (``parse_period`` only).
_DATE_LABEL = re.compile(rf"^(?:ngay{_S})?{_DMY}$")
# the base of a comparison: "so với cùng kỳ năm 2018", "so với năm 2018", "(cùng kỳ năm 2019)"
_REFERENCE_BEFORE = re.compile(r"(?:c\w{1,3}g[ \t\n]+k[yi]|so[ \t\n]+v\w{1,2}i)[ \t\n]*$")
# "ngày 04 " before "tháng 7 năm 2019", or "ngày 04 tháng 7 " (any month shape OCR left) before "năm 2019"
_DATE_BEFORE = re.compile(r"ng\w{1,2}y[ \t\n]+\d{1,2}[ \t\n]+(?:th\w{2,4}[ \t\n]+\S{1,2}[ \t\n]+)?$")


def span_type(first: int, last: int) -> str:
    """The type of a run of months of one year: (1, 6) is H1, (7, 9) Q3, (1, 4) 4M, (6, 6) M6."""
    if (first, last) in _SPAN_TYPES:
        return _SPAN_TYPES[(first, last)]
    if last - first == 2 and first % 3 == 1:
        return f"Q{last // 3}"
    if first == last:
        return f"M{first}"
    return f"{last}M" if first == 1 else f"M{first}-{last}"


def _count(word: str) -> int:
    word = " ".join(word.split())
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _until(m: re.Match[str], year: int | None) -> tuple[str, dict]:
    g = m.groupdict()
    d, mo = int(g["d"]), int(g.get("m") or g.get("m2"))
    words = m.group(0).split()
    lead = ("tính " if words[0] == "tinh" else "") + "đến " + ("hết " if "het" in words[:3] else "")
    lead = lead if words[0] in ("tinh", "den") else ""  # a bare date label: no "đến"
    return f"{lead}ngày {d}/{mo}/{year}", {"year": year, "month": mo, "type": f"M{mo}"}


def _months(m: re.Match[str], year: int | None) -> tuple[str, dict]:
    g = m.groupdict()
    if g.get("n") is None:  # "nửa đầu năm", "nửa năm cuối"
        n, pos = 6, g.get("half") or g.get("half2")
        text = "6 tháng " + ("cuối" if pos == "cuoi" else "đầu") + " năm"
        pos = "cuoi" if pos == "cuoi" else "dau"
    else:
        n, pos = _count(g["n"]), g.get("pos")
        text = f"{n} tháng"
        if pos:
            text += f" {_pos(pos)} năm"
        elif re.fullmatch(_NAM, (m.group(0)[len(g["n"]) :].split()[1:2] or [""])[0]):
            text += " năm"
    if year:
        text += f" {year}" if text.endswith("năm") else f" năm {year}"
    if not 1 <= n <= 12:
        return text, {"year": year, "months": n}
    # "6 tháng cuối năm" is July-December; otherwise reports count from January
    cover = (13 - n, 12) if pos == "cuoi" else (1, n)
    return text, {"year": year, "months": n, "cover": cover}


def _label(kind: str, m: re.Match[str]) -> tuple[str, dict]:
    g = m.groupdict()
    year = int(g.get("year") or g.get("year2") or 0) or None
    if kind == "until":
        return _until(m, year)
    if kind == "range":
        y1, y2 = int(g["y1"]), int(g["y2"])
        what = {"giai doan": "giai đoạn", "nhiem ky": "nhiệm kỳ", "thoi ky": "thời kỳ", "nien khoa": "niên khóa"}.get(
            g.get("what") or "", "giai đoạn"
        )
        return f"{what} {y1}-{y2}", {"year": y1, "end_year": y2, "type": f"multi:{y1}-{y2}"}
    if kind == "to_date":
        # the months run from January to a report date the phrase does not give: no type of its own
        return f"từ đầu năm {year}", {"year": year, "first": 1}
    if kind == "months":
        return _months(m, year)
    if kind == "quarter":
        q = _ROMAN_Q[g["q"]]
        text = f"quý {_QUARTER_NAMES[q]}"
        if year:
            text += f"/{year}" if "/" in m.group(0) else f" năm {year}"
        return text, {"year": year, "quarter": q, "cover": (3 * q - 2, 3 * q)}
    if kind == "month":
        mo = int(g["m"])
        pos = f"{_pos(g['pos'])} " if g.get("pos") else ""
        if year is None:
            text = f"{pos}tháng {mo}"
        else:
            text = f"{pos}tháng {mo}/{year}" if "/" in m.group(0) else f"{pos}tháng {mo} năm {year}"
        # "đầu tháng 6" is a moment (a stock), "tháng 6" the whole month
        return text, {"year": year, "month": mo, "cover": None if pos else (mo, mo), "type": f"M{mo}"}
    pos = _pos(g.get("pos"))
    label = f"{pos} năm {year}".lstrip()
    if pos in ("", "cả"):
        return label, {"year": year, "cover": (1, 12)}
    # a point in the year; a stock at its end is the year's figure
    month = {"đầu": 1, "giữa": 6, "cuối": 12}[pos]
    return label, {"year": year, "month": month, "type": "Y" if month == 12 else f"M{month}"}


def _period(kind: str, m: re.Match[str], start: int, end: int, reference: bool) -> Period:
    label, extra = _label(kind, m)
    cover = extra.get("cover")
    ptype = extra.get("type") or (span_type(*cover) if cover else None)
    return Period(
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
        first_month=cover[0] if cover else extra.get("first"),
        last_month=cover[1] if cover else None,
        type=ptype,
    )


def with_year(p: Period, year: int) -> Period:
    """A period that left its year to the context ("tháng 3", "quý II"), given that year."""
    if p.year is not None:
        return p
    return dataclasses.replace(p, year=year, label=f"{p.label} năm {year}")


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
            if kind == "months" and m.groupdict().get("n") is not None and not _qualified(m):
                if not m.group("n").isdigit():
                    continue  # a bare "sau tháng" is "after the month" as often as "six months"
                # "ngày 04 tháng 7": the day of a date, not a span of months
                if re.search(r"ngay[ \t\n]*$", folded[max(0, start - 8) : start]) or re.match(
                    r"[ \t\n]+\d", folded[end : end + 3]
                ):
                    continue
            if kind in ("month", "year") and _DATE_BEFORE.search(folded[max(0, start - 30) : start]):
                continue  # "ngày 04 tháng 7 năm 2019" is a date
            reference = bool(_REFERENCE_BEFORE.search(folded[max(0, start - 20) : start]))
            found.append(_period(kind, m, start, end, reference))
            bisect.insort(taken, (start, end))
    found.sort(key=lambda p: p.start)
    return found


def _qualified(m: re.Match[str]) -> bool:
    """Whether "n tháng" says of which year: "đầu năm", "năm", or a year."""
    return bool(m.group("pos") or m.group("year") or re.search(_NAM, m.group(0)[len(m.group("n")) :]))


@lru_cache(maxsize=8192)  # pure; records repeat a handful of period labels
def parse_period(label: str) -> Period | None:
    """The period a whole label names ("6 tháng đầu năm 2019", "30/6/2020"), or None if it names none."""
    label = label.strip()
    periods = find_periods(label)
    if periods:
        return max(periods, key=lambda p: p.end - p.start)
    m = _DATE_LABEL.match(fold(label))
    return _period("until", m, 0, len(label), False) if m else None


def period_fields(
    label: str | None,
    year: int | None,
    *,
    target: bool = False,
    report_period: str | None = None,
    report_year: int | None = None,
) -> tuple[str | None, tuple[int, int] | None]:
    """(type, month bounds) of a figure stated for ``label`` in ``year``.

    A figure whose period has no type of its own ("từ đầu năm", no period at all) is of the
    document's report period when it is of the report year, and a target is for a whole year.
    """
    p = parse_period(label) if label else None
    ptype, bounds = (p.type, p.bounds) if p is not None else (None, None)
    if ptype is not None:
        return ptype, bounds
    report = parse_period(report_period) if report_period else None
    if report is not None and report.type and year is not None and year == report_year:
        return report.type, report.bounds
    if target:
        return "Y", (1, 12)
    return None, bounds


def comparable(a: str | None, b: str | None) -> tuple[bool, bool]:
    """Whether figures of period types ``a`` and ``b`` may pair: (can pair, needs a period-mismatch flag)."""
    if a == b:
        return True, a is None
    if a is None or b is None:
        return False, False
    if b in _NEAR.get(a, ()) or a in _NEAR.get(b, ()):
        return True, True
    return False, False


def last_year(text: str) -> int | None:
    """The year of the last period in ``text`` (the one nearest a figure that follows it)."""
    periods = [p for p in find_periods(text) if p.year is not None]
    return periods[-1].year if periods else None
