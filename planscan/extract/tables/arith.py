"""The arithmetic a form's figures obey, used to read a worn copy: a comparison column holds
100·a/b of two other columns in most rows, and a total the sum of its parts.

``ratio_pair`` finds, from the body alone, which two columns a comparison column divides (so its
year, base year and kind need not come from a header a copy wore away). ``repairs`` finds cells
where one such identity fails by exactly one cell and the value it implies is a plausible misreading
of what was read (a digit lost, added or turned into a look-alike; a lost decimal comma). It repairs
only where the same identity holds in most other rows of the table, and reports each repair with
the text as read, so nothing is changed on weak evidence and a reviewer sees what was.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator, Optional, Protocol, Sequence

from planscan.extract.tables.rows import Row, is_empty_mark
from planscan.extract.text.fold import fold
from planscan.extract.text.numbers import parse_number
from planscan.schemas.tables import Table

# Digits a worn copy turns into one another (closed loops, a flag lost): a cheaper misreading.
LOOKALIKE_DIGITS = {frozenset(p) for p in ("08", "09", "06", "38", "68", "98", "56", "17", "49", "27", "35")}
# Share of the rows (or groups) an identity must hold in before it is trusted to tell a column's
# meaning or to repair a cell, and the fewest rows that make a share.
MOST = 0.6
MIN_ROWS = 3
# Costs of a misreading, in edits of the cell's digits: a comma lost costs nothing (the digits
# are all there), a look-alike half an edit; any other digit read for another needs two identities
# that agree on it.
_COST_LOOKALIKE = 0.5
_COST_EDIT = 1.0
_COST_OTHER_DIGIT = 1.5
_FIGURE = re.compile(r"^[-+]?\d[\d.,]*$")

Pos = tuple[int, int]  # (table row, leaf column)


@dataclass(frozen=True)
class Figure:
    value: float
    decimals: int  # digits after the decimal comma as printed
    digits: str  # the digits as printed, no separators or sign


def figure(text: str) -> Optional[Figure]:
    """A plain figure cell ("5.172", "96,8", "-0,4", "98 %"); None for empty marks, fractions
    ("16/18") and text."""
    t = text.strip().replace(" ", "").rstrip("%")
    if not t or is_empty_mark(t) or not _FIGURE.match(t):
        return None
    value = parse_number(t)
    if value is None:
        return None
    digits = re.sub(r"\D", "", t)
    if "," in t:
        decimals = len(t.rsplit(",", 1)[1])
    elif value != int(value) and "." in t:
        decimals = len(t.rsplit(".", 1)[1])
    else:
        decimals = 0
    return Figure(value, decimals, digits)


def written(value: float, decimals: int) -> str:
    """A figure as a Vietnamese form prints it: "5.172", "96,8"."""
    whole, _, frac = f"{abs(value):.{decimals}f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return ("-" if value < 0 else "") + grouped + ("," + frac if frac else "")


def _half(f: Figure) -> float:
    """Half a unit of the last printed decimal: how far a printed decimal figure may be from the one
    it was rounded from. A whole number is taken as exact (counts are; large sums barely move)."""
    return 0.5 * 10 ** -f.decimals if f.decimals else 0.0


def ratio_holds(r: Figure, a: Figure, b: Figure, loose: bool = False) -> bool:
    """Whether r is 100·a/b rounded to r's decimals; ``loose`` also allows for a and b being
    rounded themselves."""
    if b.value == 0:
        return False
    q = 100 * a.value / b.value
    tol = 0.5 * 10 ** -r.decimals
    if loose and a.value:
        tol += abs(q) * (_half(a) / abs(a.value) + _half(b) / abs(b.value))
    return abs(q - r.value) <= tol * (1 + 1e-9) + 1e-9


def sum_holds(whole: Figure, parts: list[Figure], loose: bool = False) -> bool:
    """Whether whole is the sum of parts to the precision printed; ``loose`` allows each figure
    half a unit of its last digit (a sum of rounded figures)."""
    tol = 0.5 * 10 ** -max(f.decimals for f in [whole, *parts])
    if loose:
        tol = sum(0.5 * 10 ** -f.decimals for f in [whole, *parts])
    return abs(whole.value - sum(p.value for p in parts)) <= tol * (1 + 1e-9) + 1e-9


def body_figures(table: Table, cols: list[int]) -> dict[Pos, Figure]:
    """The plain figures of the body cells of ``cols``."""
    wanted = set(cols)
    out = {}
    for c in table.cells:
        if c.row > table.n_header_rows and c.col in wanted and c.colspan == 1:
            f = figure(c.text)
            if f is not None:
                out[(c.row, c.col)] = f
    return out


def ratio_pair(table: Table, col: int, others: list[int]) -> Optional[tuple[int, int]]:
    """The two columns (a, b) of ``others`` whose 100·a/b column ``col`` holds in most rows where
    all three have a figure; None when no pair does or two pairs do equally well (columns with
    the same figures in every row)."""
    figs = body_figures(table, [col, *others])
    rows = sorted({r for r, _ in figs})
    scored = []
    for a in others:
        for b in others:
            if a == b or col in (a, b):
                continue
            n = holds = 0
            for r in rows:
                if (r, col) in figs and (r, a) in figs and (r, b) in figs and figs[(r, b)].value:
                    n += 1
                    holds += ratio_holds(figs[(r, col)], figs[(r, a)], figs[(r, b)], loose=True)
            if holds >= MIN_ROWS and holds >= MOST * n:
                scored.append((holds, holds / n, (a, b)))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
        return None
    return scored[0][2]


@dataclass(frozen=True)
class Repair:
    row: int  # table row
    col: int
    read: str  # the cell's text as read
    text: str  # the figure the table's arithmetic implies, as the table prints it
    reason: str  # which identities imply it, e.g. "col 7 = 100·col 5/col 4"


@dataclass(frozen=True)
class _Identity:
    cells: tuple[Pos, ...]  # the result first (the ratio, the total), then its terms
    family: str  # identities that must hold in most other rows before one is trusted
    reason: str

    def holds(self, figs: dict[Pos, Figure], loose: bool) -> bool:
        first, *rest = (figs[p] for p in self.cells)
        if self.family.startswith("ratio"):
            return ratio_holds(first, rest[0], rest[1], loose)
        return sum_holds(first, rest, loose)


def _neighbours(f: Figure, decimals: int) -> Iterator[tuple[float, float]]:
    """(value, cost) of the figures a misreading of ``f`` may have come from, printed with
    ``decimals``: its digits with the comma put back, or with one digit lost, added or swapped."""
    s = f.digits
    sign = -1.0 if f.value < 0 else 1.0
    variants: list[tuple[str, float]] = [(s, 0.0)]
    for i in range(len(s)):
        variants.append((s[:i] + s[i + 1:], _COST_EDIT))
        for d in "0123456789":
            if d != s[i]:
                cost = _COST_LOOKALIKE if frozenset((d, s[i])) in LOOKALIKE_DIGITS else _COST_OTHER_DIGIT
                variants.append((s[:i] + d + s[i + 1:], cost))
    for i in range(len(s) + 1):
        for d in "0123456789":
            variants.append((s[:i] + d + s[i:], _COST_EDIT))
    for digits, cost in variants:
        if not digits or (len(digits) > decimals + 1 and digits[0] == "0"):
            continue
        value = sign * int(digits) / 10 ** decimals
        if value != f.value:
            yield value, cost


# How far a repaired figure may lie from its peers (its row's other level figures, or its comparison
# column's): a digit added or lost moves a figure tenfold, which its peers rarely do.
_SPREAD = 3.0


def _peers(pos: Pos, figs: dict[Pos, Figure], ratio_cols: set[int], level_cols: list[int]) -> list[float]:
    row, col = pos
    if col in ratio_cols:
        return [f.value for (r, c), f in figs.items() if c == col and r != row]
    return [figs[(row, c)].value for c in level_cols if c != col and (row, c) in figs]


def _fits(pos: Pos, value: float, figs: dict[Pos, Figure], ratio_cols: set[int], level_cols: list[int]) -> bool:
    peers = sorted(abs(v) for v in _peers(pos, figs, ratio_cols, level_cols))
    if len(peers) < 2:
        return True
    middle = peers[len(peers) // 2]
    return middle == 0 or middle / _SPREAD <= abs(value) <= middle * _SPREAD


def _expected_decimals(pos: Pos, figs: dict[Pos, Figure], ratio_cols: set[int], level_cols: list[int]) -> Optional[int]:
    """The decimals a cell should print: those of most of its column for a comparison column
    (one precision for the column), those of all the row's other level cells otherwise (one unit for
    the row); None when its neighbours do not agree."""
    row, col = pos
    if col in ratio_cols:
        others = [f.decimals for (r, c), f in figs.items() if c == col and r != row]
        if len(others) < MIN_ROWS:
            return None
        d, n = Counter(others).most_common(1)[0]
        return d if n >= 0.7 * len(others) else None
    others = [figs[(row, c)].decimals for c in level_cols if c != col and (row, c) in figs]
    return others[0] if len(others) >= 2 and len(set(others)) == 1 else None


def repairs(table: Table, ratios: dict[int, tuple[int, int]], level_cols: list[int],
            groups: list[tuple[int, list[int]]]) -> list[Repair]:
    """Cells of ``table`` whose figure its arithmetic shows misread, with the figure it implies.

    ``ratios`` maps a comparison column to the columns (a, b) it holds 100·a/b of; ``level_cols``
    are the columns whose figures add up; ``groups`` are (total row, its part rows), rows of the
    table. A cell is repaired when an identity that holds in most other rows of its kind fails, and
    exactly one plausible misreading of one of its cells makes it hold without breaking another that
    held; a digit read for another that is no look-alike needs two failing identities that it mends."""
    cols = sorted({*ratios, *(c for ab in ratios.values() for c in ab), *level_cols})
    figs = body_figures(table, cols)
    identities = []
    for col, (a, b) in ratios.items():
        for r in range(table.n_header_rows + 1, table.n_rows + 1):
            identities.append(_Identity(((r, col), (r, a), (r, b)), f"ratio {col}",
                                        f"col {col} = 100·col {a}/col {b}"))
    for whole, parts in groups:
        for col in level_cols:
            identities.append(_Identity(((whole, col), *((p, col) for p in parts)), "sum",
                                        f"row {whole} = sum of rows {', '.join(map(str, parts))}"))
    identities = [i for i in identities if all(p in figs for p in i.cells)]
    if not identities:
        return []
    ratio_cols = set(ratios)
    expected = {p: _expected_decimals(p, figs, ratio_cols, level_cols) for i in identities for p in i.cells}
    odd = {p for p, d in expected.items() if d is not None and d != figs[p].decimals}
    strict = {i: i.holds(figs, loose=False) for i in identities}
    loose = {i: i.holds(figs, loose=True) for i in identities}
    failing = [i for i in identities if not loose[i] or any(p in odd for p in i.cells)]
    trusted = {i for i in failing if _trusted(i, identities, strict)}
    by_cell: dict[Pos, list[_Identity]] = {}
    for i in identities:
        for p in i.cells:
            by_cell.setdefault(p, []).append(i)

    candidates: dict[tuple[Pos, float], tuple[float, set[_Identity]]] = {}
    for i in trusted:
        suspects = [p for p in i.cells if p in odd] or list(i.cells)
        for p in suspects:
            decimals = expected[p] if expected[p] is not None else figs[p].decimals
            for value, cost in sorted(_neighbours(figs[p], decimals), key=lambda vc: vc[1]):
                if (p, value) in candidates or not _fits(p, value, figs, ratio_cols, level_cols):
                    continue
                trial = dict(figs)
                trial[p] = Figure(value, decimals, "")
                if any(loose[j] and not j.holds(trial, loose=True) for j in by_cell[p]):
                    mends: set[_Identity] = set()  # it would break an identity that holds
                else:
                    mends = {j for j in by_cell[p] if j in trusted and j.holds(trial, loose=False)}
                candidates[(p, value)] = (cost, mends)

    chosen: dict[Pos, tuple[float, set[_Identity]]] = {}
    disputed: set[Pos] = set()  # cells two identities would repair to different figures
    for i in trusted:
        mine = [key for key, (_, mends) in candidates.items() if i in mends]
        if len(mine) != 1:
            continue  # nothing, or two misreadings, explain it: no repair
        p, value = mine[0]
        cost, mends = candidates[(p, value)]
        if cost > _COST_EDIT and len(mends) < 2:
            continue
        if p in chosen and chosen[p][0] != value:
            disputed.add(p)
        chosen[p] = (value, mends)

    cells = {(c.row, c.col): c for c in table.cells}
    out = []
    for p, (value, mends) in sorted(chosen.items()):
        if p in disputed:
            continue
        decimals = expected[p] if expected[p] is not None else figs[p].decimals
        out.append(Repair(row=p[0], col=p[1], read=cells[p].text, text=written(value, decimals),
                          reason="; ".join(sorted(i.reason for i in mends))))
    return out


def _trusted(identity: _Identity, identities: list[_Identity], strict: dict[_Identity, bool]) -> bool:
    """Whether the identities of its kind hold in most other rows of the table, and a total's
    sum in another column of the same rows (a row tree misread on a worn copy sums nothing)."""
    others = [j for j in identities if j.family == identity.family and j is not identity]
    holds = sum(strict[j] for j in others)
    if holds < MIN_ROWS or holds < MOST * len(others):
        return False
    rows = [r for r, _ in identity.cells]
    return identity.family != "sum" or any(strict[j] and [r for r, _ in j.cells] == rows for j in others)


class _Column(Protocol):
    index: int
    role: str
    kind: Optional[str]
    unit: Optional[str]
    compares: Optional[tuple[int, int]]


# A table whose boxes are in PDF points holds a text layer's words: what the PDF prints, exactly.
TEXT_LAYER_DPI = 72
_LEVEL_KINDS = (None, "actual", "estimate", "target")


def table_repairs(table: Table, cols: Sequence[_Column], rows: list[Row]) -> dict[Pos, Repair]:
    """The repairs of a scanned table's figures (none for a text layer's), by cell: its comparison
    columns' quotients, and each total row's sum of its numbered parts of the same unit in its
    level columns ("Trong đó" rows name only some parts, and percentages do not add)."""
    if table.dpi == TEXT_LAYER_DPI:
        return {}
    ratios = {c.index: c.compares for c in cols if c.role == "value" and c.compares}
    levels = [c.index for c in cols if c.role == "value" and c.kind in _LEVEL_KINDS and c.unit != "%"]
    groups = []
    for whole in rows:
        parts = [r for r in rows if r.whole is whole and not r.sub]
        if parts and fold(whole.unit) != "%" and all(fold(p.unit) == fold(whole.unit) for p in parts):
            groups.append((whole.index + table.n_header_rows, [p.index + table.n_header_rows for p in parts]))
    return {(f.row, f.col): f for f in repairs(table, ratios, levels, groups)}
