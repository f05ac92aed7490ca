"""The body rows of a table as a tree: numbering (A/B, I/II, 1/2, 1.1, a/b, "-", "+") gives each row
a level, and a row whose label alone is ambiguous ("- Diện tích", "Trong đó: ...") is read with
its parent group's label. Each row also knows the row it is a part of (``whole``): its parent, or
for a top-level row the table's "Tổng số" / "Tổng cộng" row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from planscan.extract.text.fold import fold

_ROMAN = re.compile(r"^(?=[IVXLC]+$)M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_LEAD = re.compile(r"^\s*(trong đó|trong do|bao gồm|bao gom|gồm|gom|chia ra|cụ thể|cu the)\s*[:,]?\s*", re.I)
_BULLET = re.compile(r"^\s*([-+*•–—])\s*")
_INLINE_NUMBER = re.compile(r"^\s*((?:[IVX]+|[A-Z]|\d+(?:\.\d+)*|[a-zđ])[.)])\s+")
# A label of so few words names a measure of its group, not a thing ("- Diện tích", "- Sản lượng").
SHORT_LABEL_WORDS = 3
# The label of a row that sums the table's top-level rows (folded: no diacritics, lower case).
_TOTAL = re.compile(r"^(tong so|tong cong|tong|cong|tong chung|cong chung)(\s+(toan|ca|chung)\b.*)?$")


def numbering_style(mark: str, last_letter: str = "") -> Optional[str]:
    """The style of a numbering mark. "C", "I", "V", "X", "L" are roman numerals and letters: right
    after the letter before them (``last_letter``, the last "upper" mark: "B" then "C") they go on
    lettering the groups."""
    m = mark.strip().rstrip(".)")
    if not m:
        return None
    last = last_letter.strip().rstrip(".)")
    if len(m) == 1 and len(last) == 1 and ord(m) == ord(last) + 1 and re.fullmatch(r"[A-Z]", m):
        return "upper"
    if _ROMAN.match(m):
        return "roman"
    if re.fullmatch(r"[A-Z]", m):
        return "upper"
    if re.fullmatch(r"\d+", m):
        return "arabic"
    if re.fullmatch(r"\d+(\.\d+)+", m):
        return "decimal"
    if re.fullmatch(r"[a-zđ]", m):
        return "lower"
    if m in "-+*•–—":
        return "bullet" + m
    return None


@dataclass
class Row:
    index: int  # 1-based body row
    number: str  # the numbering mark as printed ("I", "1", "a", "-", "")
    label: str  # the label without marks
    raw: str  # the label cell as printed
    unit: str = ""
    level: int = 0
    parent: Optional["Row"] = None
    sub: bool = False  # "Trong đó", a bullet or an unnumbered row under a group
    children: list["Row"] = field(default_factory=list)
    whole: Optional["Row"] = None  # the row this one is a part of: its parent, or the table's total row

    def full_label(self) -> str:
        """The label, with the parent's where the row alone does not say what it measures."""
        label = sentence_case(self.label)
        if self.parent is None or not self.sub:
            return label
        if len(self.label.split()) > SHORT_LABEL_WORDS:
            return label
        return f"{label} {lower_first(sentence_case(self.parent.label))}".strip()


def sentence_case(text: str) -> str:
    """An upper-case group label in sentence case ("TỔNG THU NGÂN SÁCH" -> "Tổng thu ngân sách")."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) > 3 and sum(ch.isupper() for ch in letters) > 0.8 * len(letters):
        out = text.lower()
        return out[:1].upper() + out[1:]
    return text


def lower_first(text: str) -> str:
    if len(text) > 1 and text[1:2].islower():
        return text[:1].lower() + text[1:]
    return text


def _split_label(text: str) -> tuple[str, str, bool]:
    """(numbering mark found in the label, label without marks, whether it is a sub-row)."""
    t = text.strip()
    sub = False
    mark = ""
    m = _LEAD.match(t)
    if m:
        t, sub = t[m.end():], True
    m = _BULLET.match(t)
    if m:
        mark, t, sub = m.group(1), t[m.end():], True
    m = _LEAD.match(t)
    if m:
        t, sub = t[m.end():], True
    if not mark:
        m = _INLINE_NUMBER.match(t)
        if m and numbering_style(m.group(1)):
            mark, t = m.group(1), t[m.end():]
    return mark, t.strip(), sub


def build_rows(body: list[tuple[int, str, str, str]]) -> list[Row]:
    """Rows from (index, STT cell, label cell, unit cell), with levels and parents.

    A numbering style takes the level it first appears at (as in the outline of a text); a bullet
    or "Trong đó" row sits under the nearest numbered row above it."""
    levels: dict[str, int] = {}
    stack: list[Row] = []
    rows: list[Row] = []
    last_upper = ""
    for index, stt, label, unit in body:
        mark_in_label, clean, sub = _split_label(label)
        mark = stt.strip() or mark_in_label
        style = numbering_style(mark, last_upper) if mark else None
        if style == "upper":
            last_upper = mark
        row = Row(index=index, number=mark, label=clean, raw=label, unit=unit.strip())
        if style is None and not sub and is_total_label(clean):
            pass  # "Tổng cộng" under the last numbered row sums the table, not that row
        elif style is None or style.startswith("bullet"):
            row.sub = True if (sub or style or not mark) else sub
            parent = next((r for r in reversed(stack) if not r.sub), None)
            row.parent = parent
            row.level = (parent.level + 1) if parent else 0
        else:
            if style not in levels:
                levels[style] = len(levels)
            row.level = levels[style]
            row.sub = sub
            while stack and (stack[-1].sub or stack[-1].level >= row.level):
                stack.pop()
            row.parent = stack[-1] if stack else None
            stack.append(row)
        if row.parent is not None:
            row.parent.children.append(row)
        rows.append(row)
    _link_wholes(rows)
    return rows


def is_total_label(label: str) -> bool:
    """"Tổng số", "TỔNG CỘNG", "Cộng", "Tổng cộng toàn huyện": a row that sums the rows beside it."""
    return bool(_TOTAL.match(" ".join(fold(label).lower().strip(" :.").split())))


def _link_wholes(rows: list[Row]) -> None:
    """A row is a part of its parent; a top-level row, of the table's total row when it has one
    (above its parts or below them), which the numbering does not put over them."""
    total = next((r for r in rows if r.parent is None and not r.children and is_total_label(r.label)), None)
    for r in rows:
        if r.parent is not None:
            r.whole = r.parent
        elif total is not None and r is not total:
            r.whole = total


def is_empty_mark(text: str) -> bool:
    """A cell that holds no figure: empty, a dash, an "x"."""
    t = fold(text).strip()
    return t in ("", "-", "x", "--", "...", "…", "–", "—", "0x") or bool(re.fullmatch(r"[-–—_.x ]+", t))
