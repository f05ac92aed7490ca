"""Fraction cells ("16/18": 16 of the district's 18 communes) read on a worn copy.

The denominator of a fraction counts the units the row is about, so every fraction of one row has
the same one, whatever the column's year. Where most of a row's other fractions agree on it, a cell
whose denominator is one misread digit away ("17/118", "18/16") or whose slash was lost ("718" for
7/18) is repaired to it; the numerator stays as read and may not exceed the denominator.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from rapidfuzz.distance import Levenshtein

from planscan.extract.tables.arith import TEXT_LAYER_DPI, Pos, Repair
from planscan.schemas.tables import Table

_FRACTION = re.compile(r"^(\d{1,4})/(\d{1,4})$")
_DIGITS = re.compile(r"^\d{2,8}$")
# The other fractions of a row that must agree before one is repaired to them.
MIN_AGREE = 2
# How far a repaired numerator may lie from the row's others: one row counts one thing over years.
SPREAD = 3.0


def _one_edit(a: str, b: str) -> bool:
    """``a`` is ``b`` with one digit changed, added or dropped."""
    return Levenshtein.distance(a, b) == 1


def _repaired(text: str, den: str) -> Optional[str]:
    """The fraction of ``den`` that ``text`` is a misreading of, or None."""
    m = _FRACTION.match(text)
    if m:
        num, d = m.groups()
        if d != den and _one_edit(d, den) and int(num) <= int(den):
            return f"{num}/{den}"
        return None
    if _DIGITS.match(text):
        # The slash lost ("718"), or read as a "1" ("71118" is too far; "7118" is 7/18).
        for rest in (den, "1" + den):
            if text.endswith(rest) and len(text) > len(rest):
                num = text[: -len(rest)]
                if int(num) <= int(den):
                    return f"{num}/{den}"
    return None


def fraction_repairs(table: Table, value_cols: list[int]) -> dict[Pos, Repair]:
    """Repairs of a scanned table's fraction cells, by (table row, leaf column); none for a text
    layer's table, and none in a row whose fractions do not mostly agree. ``value_cols`` are the
    columns of counts (no percentages, which are no fractions of anything)."""
    if table.dpi == TEXT_LAYER_DPI:
        return {}
    cols = set(value_cols)
    by_row: dict[int, dict[int, str]] = {}
    for c in table.cells:
        if c.row > table.n_header_rows and c.col in cols and c.colspan == 1:
            by_row.setdefault(c.row, {})[c.col] = c.text.strip().replace(" ", "")
    out: dict[Pos, Repair] = {}
    for row, texts in by_row.items():
        dens = {k: m.group(2) for k, t in texts.items() if (m := _FRACTION.match(t))}
        if len(dens) < MIN_AGREE:
            continue
        for col, text in texts.items():
            others = Counter(d for k, d in dens.items() if k != col)
            if not others:
                continue
            (den, n), *rest = others.most_common()
            if n < MIN_AGREE or (rest and rest[0][1] == n) or 2 * n <= sum(others.values()):
                continue
            if dens.get(col) == den or (col in dens and list(dens.values()).count(dens[col]) > 1):
                continue  # right, or one of two denominators the row has more than once
            if _DIGITS.match(text) and any(k != col and dens.get(k) != den and t and t not in ("-", "x", "X")
                                           for k, t in texts.items()):
                continue  # a plain number beside figures that are no fractions of it may be one
            fixed = _repaired(text, den)
            nums = [int(_FRACTION.match(t).group(1)) for k, t in texts.items() if k != col and dens.get(k) == den]
            if fixed is not None and not min(nums) / SPREAD <= int(fixed.split("/")[0]) <= max(nums) * SPREAD:
                fixed = None  # "118" is no 1/18 in a row of 16/18 and 17/18: a numerator was lost
            if fixed is not None:
                out[(row, col)] = Repair(row=row, col=col, read=text, text=fixed,
                                         reason=f"the row's other fractions are of {den}")
    return out
