"""What each column of a table holds, read from its header path ("Năm 2019 / Kế hoạch").

Roles: the row number (STT), the label, the unit (ĐVT), notes, and value columns. A value column
gets a kind, a year, a period and, for a comparison, the year it compares with. The vocabulary is
the general one of Vietnamese plan and budget forms; matching is on folded text (no diacritics),
so OCR that lost marks still reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from planscan.extract.tables.arith import LOOKALIKE_DIGITS, ratio_pair
from planscan.extract.tables.rows import lower_first
from planscan.extract.text.fold import fold
from planscan.extract.text.units import unit_info
from planscan.schemas.tables import Table

_STT = re.compile(r"^(stt|tt|so tt|so thu tu|thu tu)$")
_UNIT = re.compile(r"^(dvt|don vi tinh|don vi|dv tinh|dv)$")
_NOTE = re.compile(r"^(ghi chu|ghi chu khac)$")
_LABEL = re.compile(r"^(chi tieu|noi dung|ten chi tieu|danh muc|hang muc|linh vuc|ten|chi tieu chu yeu|noi dung chi tieu|"
                    r"ten don vi|don vi hanh chinh|dia ban|xa, thi tran|ten xa|so hieu|muc|nhiem vu)\b")
# Kind words, tried in this order ("ước thực hiện" holds "thực hiện"; "UTH" holds "TH").
_KINDS: list[tuple[str, str]] = [
    (r"\b(tang|giam)\b.*\b(giam|tang)\b|\bchenh lech\b|\btang them\b", "change"),
    (r"\buoc\b|\buth\b|\but\b", "estimate"),
    (r"\bthuc hien\b|\bquyet toan\b|\bth\b|\bqt\b|\bdat duoc\b|\bket qua\b", "actual"),
    (r"\bke hoach\b|\bdu toan\b|\bchi tieu\b|\bkh\b|\bdt\b|\bmuc tieu\b|\bgiao\b|\bdu kien\b", "target"),
]
_PLAN_BASE = re.compile(r"\b(ke hoach|du toan|chi tieu|kh|dt|muc tieu)\b")
_RATIO = re.compile(r"\bso sanh\b|%\s*so\b|\bso (voi )?(cung ky|ke hoach|kh|du toan|dt|nam truoc|cung thoi diem)\b|\bty le .*\bso\b")
_SLASH = re.compile(r"([a-z ]*?)\s*((?:19|20)\d\d)?\s*/\s*([a-z ]*?)\s*((?:19|20)\d\d)?\s*$")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_MONTHS = re.compile(r"\b(\d{1,2}|sau|chin|ba)\s+thang(\s+(dau|cuoi)\s+nam)?")
_QUARTER = re.compile(r"\bquy\s+(i{1,3}|iv|[1-4])\b")
_WORD_MONTHS = {"sau": 6, "chin": 9, "ba": 3}
_PAREN = re.compile(r"\(([^()]+)\)")


@dataclass
class Column:
    index: int  # 1-based leaf column
    path: list[str]  # header texts from top to bottom
    role: str = "value"  # stt | label | unit | note | value
    kind: Optional[str] = None
    year: Optional[int] = None
    period: Optional[str] = None
    vs_year: Optional[int] = None
    unit: Optional[str] = None  # a unit the header itself gives: "%", "(triệu đồng)"
    compares: Optional[tuple[int, int]] = None  # a comparison's columns (a, b): it holds 100·a/b

    @property
    def title(self) -> str:
        """The header flattened: "So sánh (%) / KH 2021/UTH 2020"."""
        out: list[str] = []
        for t in self.path:
            if t and (not out or out[-1] != t):
                out.append(t)
        return " / ".join(out)


def header_paths(table: Table) -> list[list[str]]:
    """For each leaf column, the texts of the header cells above it (a column-number row left out)."""
    from planscan.extract.tables.column_numbers import is_column_numbers as _is_column_numbers

    paths: list[list[str]] = [[] for _ in range(table.n_cols)]
    for r in range(1, table.n_header_rows + 1):
        row = sorted((c for c in table.cells if c.row == r), key=lambda c: c.col)
        if _is_column_numbers([c.text for c in row]) and r > 1:
            continue
        for c in row:
            for k in range(c.col, min(c.col + c.colspan, table.n_cols + 1)):
                if c.text.strip():
                    paths[k - 1].append(c.text.strip())
    return paths


def _kind_of(text: str) -> Optional[str]:
    for pattern, kind in _KINDS:
        if re.search(pattern, text):
            return kind
    return None


def _period(folded_path: list[str], year: Optional[int]) -> Optional[str]:
    if year is None:
        return None
    for t in reversed(folded_path):
        m = _MONTHS.search(t)
        if m:
            n = _WORD_MONTHS.get(m.group(1)) or int(m.group(1))
            half = m.group(3) or "dau"
            return f"{n} tháng {'đầu' if half == 'dau' else 'cuối'} năm {year}" if n < 12 else f"năm {year}"
        q = _QUARTER.search(t)
        if q:
            return f"quý {q.group(1).upper()} năm {year}"
    return f"năm {year}"


def _last_year(texts: list[str]) -> Optional[int]:
    for t in reversed(texts):
        years = _YEAR.findall(t)
        if years:
            return int(years[-1])
    return None


def _header_unit(path: list[str]) -> Optional[str]:
    for t in reversed(path):
        for inner in _PAREN.findall(t):
            inner = inner.strip()
            if inner == "%":
                return "%"
            if unit_info(inner) is not None and not _YEAR.search(inner):
                return inner.lower()
    return None


def _role(folded: list[str]) -> str:
    leaf = re.sub(r"[().:]", " ", folded[-1] if folded else "")
    leaf = " ".join(leaf.split())
    joined = " ".join(folded)
    if _STT.match(leaf):
        return "stt"
    if _UNIT.match(leaf):
        return "unit"
    if _NOTE.match(leaf):
        return "note"
    if _LABEL.match(leaf) and not _YEAR.search(joined) and _kind_of(joined) in (None, "target"):
        # "Chỉ tiêu" is also a kind ("Chỉ tiêu 2021"): a label column carries no year.
        return "label"
    return "value"


def read_columns(table: Table, document_year: Optional[int] = None) -> list[Column]:
    """The meaning of every leaf column. Comparison columns borrow year and period from the
    columns they compare when their own header names none ("% so dự toán", "So cùng kỳ")."""
    cols = []
    for i, path in enumerate(header_paths(table), start=1):
        folded = [" ".join(fold(t).split()) for t in path]
        col = Column(index=i, path=path, role=_role(folded))
        if col.role == "value":
            _value_meaning(col, folded, document_year)
        cols.append(col)
    _snap_years(cols, table)
    _borrow(cols)
    _check_with_body(cols, table)
    _from_arithmetic(cols, table)
    if not any(c.role == "label" for c in cols):
        # No label header ("Chỉ tiêu", "Nội dung"): the first non-number column names the rows.
        for c in cols:
            if c.role == "value" and c.kind is None and c.year is None:
                c.role = "label"
                break
    return cols


def heading_sense(text: str) -> tuple[str, Optional[str], Optional[int]]:
    """(role, kind, base year) the column grammar reads in one header text alone, as a leaf with
    nothing above it: what a reading of a worn header cell is scored by."""
    folded = " ".join(fold(text).split())
    role = _role([folded])
    if role != "value":
        return role, None, None
    col = Column(index=1, path=[text])
    _value_meaning(col, [folded], None)
    return role, col.kind, col.vs_year


def measure_names(cols: list[Column]) -> dict[int, str]:
    """A cross-tab's measures by column ("Diện tích lúa (ha)" over rows of places): value columns
    whose header names neither a kind nor a year. Only two or more different ones make a cross-tab;
    a lone "Số lượng" column is the measure of the rows' own labels."""
    out: dict[int, str] = {}
    for c in cols:
        if c.role != "value" or c.kind is not None or any(_YEAR.search(t) for t in c.path):
            continue
        parts = [" ".join(_PAREN.sub(" ", t).split()) for t in reversed(c.path)]
        parts = [p for p in parts if p]
        if parts:
            out[c.index] = " ".join([parts[0]] + [lower_first(p) for p in parts[1:]])
    return out if len(set(out.values())) >= 2 else {}


def _value_meaning(col: Column, folded: list[str], document_year: Optional[int]) -> None:
    joined = " ".join(folded)
    col.unit = _header_unit(col.path)
    leaf = folded[-1] if folded else ""
    if _RATIO.search(joined) or (_SLASH.search(leaf) and _kind_of(leaf.split("/")[0]) and "/" in leaf):
        col.unit = "%"
        m = _SLASH.search(leaf) if "/" in leaf else None
        if m and (m.group(2) or m.group(4)) and _kind_of(m.group(3) or ""):
            col.year = int(m.group(2)) if m.group(2) else None
            col.vs_year = int(m.group(4)) if m.group(4) else col.year
            col.kind = "ratio_to_plan" if _PLAN_BASE.search(m.group(3)) else "ratio_to_prior"
        else:
            col.kind = "ratio_to_plan" if re.search(r"\bso\b.*" + _PLAN_BASE.pattern, joined) else "ratio_to_prior"
            col.year = _last_year(folded)
        col.period = _period(folded, col.year)
        return
    col.kind = next((k for k in (_kind_of(t) for t in reversed(folded)) if k), None)
    col.year = _last_year(folded) or document_year
    col.period = _period(folded, col.year)


def _borrow(cols: list[Column]) -> None:
    values = [c for c in cols if c.role == "value"]
    for i, c in enumerate(values):
        if c.kind not in ("ratio_to_plan", "ratio_to_prior"):
            continue
        before = [v for v in values[:i] if v.kind not in ("ratio_to_plan", "ratio_to_prior", "change") and v.year]
        if c.year is None and c.kind == "ratio_to_plan" and c.vs_year is not None:
            # An outcome against its plan: the plan's year is the outcome's ("UTH/KH 2035").
            c.year = c.vs_year
            c.period = next((v.period for v in before if v.year == c.year), f"năm {c.year}")
        if c.year is None and before:
            # A ratio states the latest of what it compares: the column just before it.
            c.year, c.period = before[-1].year, before[-1].period
        if c.vs_year is None and c.year is not None:
            if c.kind == "ratio_to_plan":
                c.vs_year = c.year
            else:
                earlier = [v.year for v in before if v.year < c.year]
                c.vs_year = max(earlier) if earlier else c.year - 1


_MARK = re.compile(r"^([IVXLC]+|[A-Za-zđ]|\d{1,2}(\.\d{1,2})*|[-+*])[.)]?$")


def _body_shape(table: Table, col: int) -> tuple[float, float, float, float]:
    """(share filled, share figures, share numbering marks, mean length) of a column's body cells."""
    texts = [c.text.strip() for c in table.cells if c.col == col and c.row > table.n_header_rows and c.colspan == 1]
    filled = [t for t in texts if t]
    if not filled:
        return 0.0, 0.0, 0.0, 0.0
    figures = sum(sum(ch.isdigit() for ch in t) >= 0.5 * len(t.replace(" ", "")) for t in filled)
    marks = sum(bool(_MARK.match(t)) for t in filled)
    return (len(filled) / len(texts), figures / len(filled), marks / len(filled),
            sum(len(t) for t in filled) / len(filled))


def _counts_rows(table: Table, col: int) -> bool:
    """The column's whole numbers count the rows: most of them one more than the one before, or 1
    again (a new group). On a worn copy whose roman group numbers read as digits this alone tells
    row numbers from a column of small figures."""
    texts = [c.text.strip() for c in sorted(table.cells, key=lambda c: c.row)
             if c.col == col and c.row > table.n_header_rows and c.colspan == 1]
    numbers = [int(t) for t in texts if t.isdigit() and len(t) <= 2]
    steps = list(zip(numbers, numbers[1:]))
    return len(steps) >= 3 and sum(b == a + 1 or b == 1 for a, b in steps) >= 0.7 * len(steps)


def _check_with_body(cols: list[Column], table: Table) -> None:
    """Roles the header does not bear out: an unreadable header (a worn copy) leaves the body to
    say which column numbers the rows, which names them, which gives units and which holds figures."""
    shapes = {c.index: _body_shape(table, c.index) for c in cols}
    for c in cols:
        filled, figures, marks, length = shapes[c.index]
        if c.role != "value" or not filled:
            continue
        if marks >= 0.6 and length <= 4 and c.index <= 2 and (figures < 0.95 or _counts_rows(table, c.index)):
            c.role = "stt"
        elif figures < 0.3 and length >= 12 and not any(x.role == "label" for x in cols):
            c.role = "label"
        elif figures < 0.3 and any(x.role == "label" and x.index == c.index - 1 for x in cols) \
                and not any(x.role == "unit" for x in cols):
            c.role = "unit"
        elif figures < 0.3:
            c.role = "note"


def _misread_cost(a: str, b: str) -> float:
    return sum(0.0 if x == y else 0.5 if frozenset((x, y)) in LOOKALIKE_DIGITS else 1.0 for x, y in zip(a, b))


def _snap_years(cols: list[Column], table: Table) -> None:
    """A column year far from every year the table states more than once, or in its caption, is a
    misread ("2028" in a header of 2019 and 2020): the nearest year around those, counting
    look-alike digits as near."""
    seen: dict[int, int] = {}
    for c in cols:
        for y in {int(y) for t in c.path for y in _YEAR.findall(fold(t))}:
            seen[y] = seen.get(y, 0) + 1
    for t in [table.title or ""] + table.context:
        for y in _YEAR.findall(fold(t)):
            seen[int(y)] = seen.get(int(y), 0) + 2
    anchors = {y for y, n in seen.items() if n >= 2}
    if not anchors:
        return
    near = sorted({a + d for a in anchors for d in (-1, 0, 1)})
    for c in cols:
        for attr in ("year", "vs_year"):
            y = getattr(c, attr)
            if y is None or min(abs(y - a) for a in anchors) <= 2:
                continue
            best = min(near, key=lambda a: (_misread_cost(str(y), str(a)), abs(a - y)))
            if _misread_cost(str(y), str(best)) <= 1.0:
                setattr(c, attr, best)
                if attr == "year" and c.period:
                    c.period = c.period.replace(str(y), str(best))


_RATIO_KINDS = ("ratio_to_plan", "ratio_to_prior")


def _from_arithmetic(cols: list[Column], table: Table) -> None:
    """What a comparison column compares, from its figures: the two columns it holds 100·a/b of in
    most rows. Its year and period are a's, its base year b's, and it compares with a plan when b is
    one; this overrides a header a worn copy misread or lost ("UTH 20355/KH 2035", the year taken
    from the column before). A column whose header lost its kind takes the one the comparison's
    header names for its side ("KH 2036/UTH 2035": a is the plan). A value column without a kind
    whose figures are such a quotient is a comparison whose header was lost."""
    values = {c.index: c for c in cols if c.role == "value"}
    levels = [i for i, c in values.items() if c.kind not in (*_RATIO_KINDS, "change")]
    for c in values.values():
        if c.kind not in _RATIO_KINDS and c.kind is not None:
            continue
        pair = ratio_pair(table, c.index, [i for i in levels if i != c.index])
        if pair is None:
            continue
        a, b = values[pair[0]], values[pair[1]]
        # "KH2036/UTH 2035": a worn copy glues a kind word to its year.
        sides = re.sub(r"(?<=[a-z])(?=\d)", " ", fold(c.path[-1])).split("/") if c.path else []
        if len(sides) == 2:
            for side, text in ((a, sides[0]), (b, sides[1])):
                if side.kind is None and (kind := _kind_of(" ".join(text.split()))) is not None:
                    side.kind = kind
        c.compares = pair
        c.unit = "%"
        if b.kind is not None:
            c.kind = "ratio_to_plan" if b.kind == "target" else "ratio_to_prior"
        elif c.kind is None:
            c.kind = "ratio_to_prior"
        if a.year is not None:
            c.year, c.period = a.year, a.period
        if b.year is not None:
            c.vs_year = b.year
