"""Every figure cell of a table as an IndicatorRecord that knows its table, row and column, and the
figure of the row it is a part of (``part_of``); a figure the prose states again is one record."""

from __future__ import annotations

import re
from typing import Optional

from planscan.extract.indicators.keys import indicator_key
from planscan.extract.tables.arith import table_repairs
from planscan.extract.tables.columns import Column, measure_names, read_columns
from planscan.extract.tables.fractions import fraction_repairs
from planscan.extract.tables.rows import Row, build_rows, is_empty_mark, lower_first
from planscan.extract.text.fold import fold
from planscan.extract.text.numbers import parse_number
from planscan.extract.text.periods import period_fields
from planscan.extract.text.unit_snap import snap_unit
from planscan.extract.text.units import compatible, unit_info
from planscan.schemas.records import Document, FigureSource, IndicatorRecord, Line
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
    """A unit cell as the unit table writes it (a misread part snapped to a known unit by
    ``unit_snap``; diacritics OCR lost or misplaced put back), each
    part of a rate on its own ("km/điểm phục vụ"); lower case as written when the table does not
    know it."""
    parts = []
    # A superscript Tesseract reads as a stray mark: "m¿", "m?" for "m³".
    text = _SUPERSCRIPT.sub(lambda m: m.group(1) + ("³" if m.group(1) in ("m", "km") else m.group(2)), text.strip().lower())
    for part in snap_unit(text).split("/"):
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


# A figure the table's arithmetic repaired: the identities make it likely, the eye did not see it.
REPAIRED_CONFIDENCE = 0.5


def table_records(table: Table, document: str = "", document_year: Optional[int] = None,
                  document_kind: Optional[str] = None) -> list[IndicatorRecord]:
    """The figures of one table, row by row, left to right. A column whose header names no kind
    takes ``document_kind`` (a plan's "target", a report's "actual") for the document's own year."""
    cols = read_columns(table, document_year)
    rows = table_rows(table, cols)
    grid = _grid(table)
    repaired = {**fraction_repairs(table, [c.index for c in cols if c.role == "value" and c.unit != "%"]),
                **table_repairs(table, cols, rows)}
    measures = measure_names(cols)
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
            repair = repaired.get((r, col.index))
            parsed = cell_value(repair.text if repair else cell.text)
            if parsed is None:
                continue
            value, of = parsed
            unit = canonical_unit(col.unit or row.unit or table.unit_note or "")
            kind = col.kind or (document_kind if document_kind and col.year == document_year else "actual")
            name = f"{measures[col.index]} {lower_first(label)}" if col.index in measures else label
            ptype, bounds = period_fields(col.period, col.year, target=kind == "target")
            info = unit_info(unit) if unit else None
            base = value * info.factor if info is not None and info.family == "money" else None
            out.append(IndicatorRecord(
                indicator=name,
                key=indicator_key(name, unit, kind),
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
                text=cell.text.strip(),  # as read, also when the table's arithmetic repaired the value
                confidence=REPAIRED_CONFIDENCE if repair else 1.0,
                document=document,
                table=table.table,
                row=row.index,
                col=col.index,
                ref=f"T{table.table}.{row.index}.{col.index}",
            ))
    _link_parts(out, {r.index: r for r in rows})
    return out


# Kinds whose figures add up: a part of a ratio or of a change is no part of the total's ratio.
_LEVEL_KINDS = ("actual", "estimate", "target")


def _link_parts(records: list[IndicatorRecord], rows: dict[int, Row]) -> None:
    """Each figure's ``part_of``: the figure in the same column of the nearest row above it in the
    tree that has one ("Trong đó: ..." under its total, "1, 2, 3" under "Tổng số"), when that one can
    hold it: the same unit, a level kind (no ratio or change), not smaller than the part. A measure
    of a group ("- Năng suất" under a row in hectares) is no part of it."""
    at = {(r.row, r.col): r for r in records}
    for rec in records:
        if rec.kind not in _LEVEL_KINDS or rec.unit == "%" or rec.of is not None or rec.value < 0:
            continue
        whole = rows[rec.row].whole
        while whole is not None and (whole.index, rec.col) not in at:
            whole = whole.whole
        if whole is None:
            continue
        total = at[(whole.index, rec.col)]
        if total.unit == rec.unit and total.of is None and rec.value <= total.value:
            rec.part_of = total.ref


def tables_records(tables: list[Table], document: str = "", document_year: Optional[int] = None,
                   document_kind: Optional[str] = None) -> list[IndicatorRecord]:
    return [r for t in tables for r in table_records(t, document, document_year, document_kind)]


def _decimals(value: float) -> int:
    text = f"{value:.12g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def same_figure(prose: IndicatorRecord, cell: IndicatorRecord) -> bool:
    """Whether a sentence and a table cell state one figure: the same key, kind, year and period,
    and the same value to the precision of the less precise of the two (a sentence's "3,6 tỷ
    đồng" is a cell's "3.620" triệu đồng)."""
    if (prose.key, prose.kind, prose.year, prose.period_type, prose.vs_year) != \
            (cell.key, cell.kind, cell.year, cell.period_type, cell.vs_year):
        return False
    if prose.max is not None or prose.derived or prose.of != cell.of:
        return False
    ok, factor = compatible(cell.unit, prose.unit)  # factor: prose's unit into the cell's
    if not ok:
        return False
    tolerance = max(0.5 * 10 ** -_decimals(prose.value) * factor, 0.5 * 10 ** -_decimals(cell.value))
    return abs(prose.value * factor - cell.value) <= tolerance * (1 + 1e-9)


def _source(r: IndicatorRecord) -> FigureSource:
    return FigureSource(page=r.page, line=r.line, bbox=r.bbox, table=r.table, row=r.row, col=r.col, ref=r.ref,
                        section=r.section, text=r.text)


def with_table_figures(prose: list[IndicatorRecord], cells: list[IndicatorRecord]) -> list[IndicatorRecord]:
    """The figures of a document's prose and of its tables, a figure stated in both once: the cell's
    record (the table says what its column means) with the sentence in ``also_in``. Links to a
    sentence folded into a cell (``part_of``, ``same_as``) point to the cell's record."""
    if not cells:
        return list(prose)
    by_key: dict[str, list[IndicatorRecord]] = {}
    for c in cells:
        by_key.setdefault(c.key, []).append(c)
    kept: list[IndicatorRecord] = []
    moved: dict[str, str] = {}
    sources: dict[int, list[FigureSource]] = {}
    for p in prose:
        cell = next((c for c in by_key.get(p.key, []) if same_figure(p, c)), None)
        if cell is None:
            kept.append(p)
            continue
        sources.setdefault(id(cell), []).append(_source(p))
        if p.ref:
            moved[p.ref] = cell.ref
    if not moved and not sources:
        return list(prose) + list(cells)
    out = []
    for r in kept + list(cells):
        update = {}
        if r.part_of in moved:
            update["part_of"] = moved[r.part_of]
        if r.same_as in moved:
            update["same_as"] = moved[r.same_as] if moved[r.same_as] != r.ref else None
        if id(r) in sources:
            update["also_in"] = r.also_in + sources[id(r)]
        out.append(r.model_copy(update=update) if update else r)
    return out


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
