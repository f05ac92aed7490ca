"""Every figure cell of a table as an IndicatorRecord that knows its table, row and column."""

from __future__ import annotations

import re
from typing import Optional

from planscan.extract.indicators.keys import indicator_key
from planscan.extract.tables.columns import Column, read_columns
from planscan.extract.tables.rows import Row, build_rows, is_empty_mark
from planscan.extract.text.fold import fold
from planscan.extract.text.numbers import parse_number
from planscan.extract.text.periods import period_fields
from planscan.extract.text.units import unit_info
from planscan.schemas.records import Document, IndicatorRecord, Line
from planscan.schemas.tables import Cell, Table

_FRACTION = re.compile(r"^\s*([\d.,]+)\s*/\s*([\d.,]+)\s*$")
# OCR look-alikes inside a figure: letters Tesseract writes for digits.
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "S": "5", "—": "-", "–": "-", "−": "-"})


def cell_value(text: str) -> Optional[tuple[float, Optional[float]]]:
    """(value, denominator) of a figure cell: "4.386" -> 4386, "8,7" -> 8.7, "16/18" -> 16 of 18."""
    t = text.strip().replace(" ", "").rstrip("%")
    if not t or is_empty_mark(t):
        return None
    m = _FRACTION.match(t)
    if m:
        a, b = parse_number(m.group(1)), parse_number(m.group(2))
        return (a, b) if a is not None and b is not None else None
    v = parse_number(t)
    if v is None and any(ch.isdigit() for ch in t):
        v = parse_number(t.translate(_LOOKALIKES))
    return (v, None) if v is not None else None


_SUPERSCRIPT = re.compile(r"^(k?m)([¿?*°])$")


def canonical_unit(text: str) -> str:
    """A unit cell as the unit table writes it (diacritics OCR lost or misplaced put back), each
    part of a rate on its own ("km/điểm phục vụ"); lower case as written when the table does not
    know it."""
    parts = []
    # A superscript Tesseract reads as a stray mark: "m¿", "m?" for "m³".
    text = _SUPERSCRIPT.sub(lambda m: m.group(1) + ("³" if m.group(1) in ("m", "km") else m.group(2)), text.strip().lower())
    for part in text.split("/"):
        part = " ".join(part.split())
        info = unit_info(part) if part else None
        parts.append(info.unit if info is not None and fold(info.unit) == fold(part) else part)
    return "/".join(parts)


def _grid(table: Table) -> dict[tuple[int, int], Cell]:
    return {(c.row, c.col): c for c in table.cells}


def _text(grid: dict[tuple[int, int], Cell], row: int, col: Optional[Column]) -> str:
    if col is None:
        return ""
    c = grid.get((row, col.index))
    return c.text if c is not None else ""


def table_rows(table: Table, cols: list[Column]) -> list[Row]:
    grid = _grid(table)
    stt = next((c for c in cols if c.role == "stt"), None)
    label = next((c for c in cols if c.role == "label"), None)
    unit = next((c for c in cols if c.role == "unit"), None)
    body = []
    for r in range(table.n_header_rows + 1, table.n_rows + 1):
        body.append((r - table.n_header_rows, _text(grid, r, stt), _text(grid, r, label), _text(grid, r, unit)))
    return build_rows(body)


def table_records(table: Table, document: str = "", document_year: Optional[int] = None) -> list[IndicatorRecord]:
    """The figures of one table, row by row, left to right."""
    cols = read_columns(table, document_year)
    rows = table_rows(table, cols)
    grid = _grid(table)
    out: list[IndicatorRecord] = []
    for row in rows:
        r = row.index + table.n_header_rows
        label = row.full_label()
        if not label:
            continue
        for col in cols:
            if col.role != "value":
                continue
            cell = grid.get((r, col.index))
            if cell is None:
                continue
            parsed = cell_value(cell.text)
            if parsed is None:
                continue
            value, of = parsed
            unit = canonical_unit(col.unit or row.unit or table.unit_note or "")
            kind = col.kind or "actual"
            ptype, bounds = period_fields(col.period, col.year, target=kind == "target")
            info = unit_info(unit) if unit else None
            base = value * info.factor if info is not None and info.family == "money" else None
            out.append(IndicatorRecord(
                indicator=label,
                key=indicator_key(label, unit, kind),
                value=value,
                unit=unit,
                of=of,
                value_base=base,
                base_unit=info.base_unit if base is not None else None,
                year=col.year,
                period=col.period,
                period_type=ptype,
                period_first_month=bounds[0] if bounds else None,
                period_last_month=bounds[1] if bounds else None,
                kind=kind,
                vs_year=col.vs_year if kind in ("ratio_to_prior", "ratio_to_plan", "change") else None,
                section=[s for s in (table.title, col.title) if s],
                page=cell.page,
                bbox=cell.bbox,
                text=cell.text.strip(),
                document=document,
                table=table.table,
                row=row.index,
                col=col.index,
            ))
    return out


def tables_records(tables: list[Table], document: str = "", document_year: Optional[int] = None) -> list[IndicatorRecord]:
    return [r for t in tables for r in table_records(t, document, document_year)]


def without_tables(doc: Document, tables: list[Table]) -> Document:
    """The Document without the lines inside its tables, for the prose path: a table row read as a
    sentence would give each figure again, without its column's meaning."""
    boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    for t in tables:
        for seg in t.segments:
            b = seg.bbox
            boxes.setdefault(seg.page, []).append((b.x0 / t.dpi, b.y0 / t.dpi, b.x1 / t.dpi, b.y1 / t.dpi))
    if not boxes:
        return doc
    pages = []
    for page in doc.pages:
        inside = boxes.get(page.number)
        if not inside or not page.dpi:
            pages.append(page)
            continue

        def in_table(line: Line) -> bool:
            if line.bbox is None:
                return False
            cx = (line.bbox.x0 + line.bbox.x1) / 2 / page.dpi
            cy = (line.bbox.y0 + line.bbox.y1) / 2 / page.dpi
            return any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in inside)

        pages.append(page.model_copy(update={"lines": [ln for ln in page.lines if not in_table(ln)]}))
    return doc.model_copy(update={"pages": pages})
