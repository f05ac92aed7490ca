"""Page grids to Table records: the header's depth, the caption and unit note above, and a table
that goes on over the next page (its header repeated or not) joined into one."""

from __future__ import annotations

import re
from dataclasses import dataclass

from planscan.extract.tables.column_numbers import is_column_numbers
from planscan.extract.tables.header_vote import choose_reading
from planscan.extract.text.fold import fold
from planscan.ocr.borderless import WordGrid
from planscan.ocr.tables import Grid, PageTables, join_cell_words
from planscan.schemas.records import BBox, Word
from planscan.schemas.tables import Cell, Segment, Table

_UNIT_NOTE = re.compile(r"(?:đơn vị tính|đơn vị|đvt)\s*[:.]\s*([^)\]]+)", re.I)
# Lines above a table that can belong to it (its caption, its unit note), in text lines.
CONTEXT_LINES = 6


@dataclass
class _Part:
    page: int
    dpi: int
    grid: Grid
    cells: list[Cell]
    n_header: int
    context: list[str]
    # (row, col) of each header cell -> its readings: its own text first, then those OCR added
    readings: dict[tuple[int, int], list[str]]


def _lines(words: list[Word]) -> list[tuple[int, int, str]]:
    """Words grouped into text lines: (top, bottom, text), top to bottom."""
    rows: list[list[Word]] = []
    for w in sorted((w for w in words if w.bbox is not None), key=lambda w: (w.bbox.y0 + w.bbox.y1) / 2):
        cy = (w.bbox.y0 + w.bbox.y1) / 2
        if rows and min(x.bbox.y0 for x in rows[-1]) <= cy <= max(x.bbox.y1 for x in rows[-1]):
            rows[-1].append(w)
        else:
            rows.append([w])
    return [(min(w.bbox.y0 for w in r), max(w.bbox.y1 for w in r), join_cell_words(r)) for r in rows]


def header_depth(cells: list[Cell], n_rows: int, n_cols: int) -> int:
    """Rows of the header: as deep as the cells of the top row reach down (merged header cells),
    plus a column-number row under it. A top row of figures is no header (a continuation)."""
    def row_texts(r: int) -> list[str]:
        return [c.text for c in cells if c.row == r]

    if n_rows == 0:
        return 0
    top = row_texts(1)
    if is_column_numbers(top):
        return 1
    if _looks_like_body(top):
        return 0
    depth = 1
    while True:
        deeper = max((c.row + c.rowspan - 1 for c in cells if c.row <= depth), default=depth)
        if deeper == depth:
            break
        depth = deeper
    if depth < n_rows and is_column_numbers(row_texts(depth + 1)):
        depth += 1
    return min(depth, n_rows)


_NUMBERISH = re.compile(r"^[-+−]?\d[\d.,/ ]*%?$")


def _looks_like_body(texts: list[str]) -> bool:
    """Figures in most value positions: a data row, not a header (headers hold words and years)."""
    nums = [t for t in texts if _NUMBERISH.match(t.strip()) and not re.fullmatch(r"(19|20)\d\d", t.strip())]
    return len(nums) >= max(2, len(texts) // 3)


def _cells(grid: Grid, texts: list[str], page: int) -> list[Cell]:
    return [
        Cell(row=g.row + 1, col=g.col + 1, rowspan=g.rowspan, colspan=g.colspan, text=t, page=page,
             bbox=BBox(x0=g.box[0], y0=g.box[1], x1=g.box[2], y1=g.box[3]))
        for g, t in zip(grid.cells, texts)
    ]


def _header_key(cells: list[Cell], n_header: int) -> list[str]:
    return [fold(c.text).replace(" ", "") for c in sorted(cells, key=lambda c: (c.row, c.col)) if c.row <= n_header]


def _header_readings(cells: list[Cell], n_header: int,
                     alternatives: dict[int, list[str]]) -> dict[tuple[int, int], list[str]]:
    """Each header cell's readings (its text, then the other readings OCR gave), the column-number
    row left out: its "1" would lose to a reading "I", which is a syllable."""
    rows = {r: [c.text for c in cells if c.row == r] for r in range(1, n_header + 1)}
    return {(c.row, c.col): [c.text] + alternatives.get(i, []) for i, c in enumerate(cells)
            if c.row <= n_header and not is_column_numbers(rows[c.row])}


def _chosen(cells: list[Cell], readings: dict[tuple[int, int], list[str]]) -> list[Cell]:
    out = []
    for c in cells:
        rs = readings.get((c.row, c.col), [])
        text = choose_reading(rs) if len(set(rs)) > 1 else c.text
        out.append(c if text == c.text else c.model_copy(update={"text": text}))
    return out


def _parts(pages: list[PageTables]) -> list[_Part]:
    parts = []
    for pt in pages:
        lines = _lines(pt.outside)
        for k, (grid, texts) in enumerate(zip(pt.grids, pt.texts)):
            cells = _cells(grid, texts, pt.number)
            n_header = header_depth(cells, grid.n_rows, grid.n_cols)
            readings = _header_readings(cells, n_header, pt.alternatives_of(k))
            cells = _chosen(cells, readings)
            top = grid.ys[0]
            above = [t for y0, y1, t in lines if y1 <= top + 2]
            # Only what sits between this table and anything above it belongs to it.
            earlier = [g for g in pt.grids if g.ys[-1] <= top and g is not grid]
            if earlier:
                limit = max(g.ys[-1] for g in earlier)
                above = [t for y0, y1, t in lines if limit <= y0 and y1 <= top + 2]
            parts.append(_Part(pt.number, pt.dpi, grid, cells, n_header, above[-CONTEXT_LINES:], readings))
    return parts


def _continues(prev: _Part, part: _Part) -> bool:
    """The table on the next page goes on with ``prev``: as many columns, and its header the same
    as ``prev``'s or none at all."""
    if part.page != prev.page + 1 or part.grid.n_cols != prev.grid.n_cols:
        return False
    if _caption(part.context) is not None:
        return False  # a caption of its own: a new table with the same form
    if part.n_header == 0:
        return True
    if part.n_header != prev.n_header:
        return False
    a, b = _header_key(prev.cells, prev.n_header), _header_key(part.cells, part.n_header)
    same = sum(x == y for x, y in zip(a, b))
    # On a worn copy the repeated header reads differently each time; its merged cells do not.
    return len(a) == len(b) and (same >= 0.6 * len(a) or _header_layout(prev) == _header_layout(part))


def _header_layout(part: _Part) -> list[tuple[int, int, int, int]]:
    return sorted((c.row, c.col, c.rowspan, c.colspan) for c in part.cells if c.row <= part.n_header)


_FORM_NUMBER = re.compile(r"\b(biểu|phụ lục|bảng|mẫu)\s+(số\s+)?[0-9A-Z][\w./-]*", re.I)


def _caption(context: list[str]) -> str | None:
    """"Biểu số 01: CÁC CHỈ TIÊU ...": the form's number (wherever it stands above the table) and the
    run of upper-case title lines nearest the table."""
    title: list[str] = []
    for t in reversed(context):
        letters = [ch for ch in t if ch.isalpha()]
        if len(letters) > 6 and sum(ch.isupper() for ch in letters) > 0.8 * len(letters):
            title.insert(0, t)
        elif title:
            break
    number = next((m.group(0) for m in (_FORM_NUMBER.search(t) for t in context) if m), None)
    if not title:
        return number
    text = " ".join(title)
    return f"{number}: {text}" if number and number not in text else text


def unit_note(context: list[str]) -> str | None:
    for t in reversed(context):
        m = _UNIT_NOTE.search(t)
        if m:
            return m.group(1).strip().rstrip(".;,").lower() or None
    return None


def _repeated_header_vote(group: list[_Part]) -> list[Cell]:
    """The first part's cells, each header cell chosen among its readings and those of the same
    cell in the header its continuation pages repeat (the same layout of merged cells)."""
    first = group[0]
    repeats = [p for p in group[1:] if p.n_header == first.n_header and _header_layout(p) == _header_layout(first)]
    if not repeats:
        return list(first.cells)
    pooled = {pos: list(rs) for pos, rs in first.readings.items()}
    for part in repeats:
        for c in part.cells:
            if (c.row, c.col) in pooled:
                pooled[(c.row, c.col)] += part.readings.get((c.row, c.col), [c.text])
    return _chosen(first.cells, pooled)


def _box(grid: Grid) -> BBox:
    x0, y0, x1, y1 = grid.box
    return BBox(x0=x0, y0=y0, x1=x1, y1=y1)


def build_tables(pages: list[PageTables]) -> list[Table]:
    """Every table of a document, in reading order, numbered from 1."""
    groups: list[list[_Part]] = []
    for part in _parts(pages):
        if groups and _continues(groups[-1][-1], part) and part is not groups[-1][-1]:
            # Only the last table of a page goes on, onto the first table of the next.
            last = groups[-1][-1]
            later_on_page = [p for g in groups for p in g if p.page == last.page and p.grid.ys[0] > last.grid.ys[0]]
            first_on_page = not any(p.page == part.page for g in groups for p in g)
            if not later_on_page and first_on_page:
                groups[-1].append(part)
                continue
        groups.append([part])
    tables = []
    for number, group in enumerate(groups, start=1):
        first = group[0]
        cells = _repeated_header_vote(group)
        n_rows = first.grid.n_rows
        segments = [Segment(page=first.page, bbox=_box(first.grid), first_row=1, last_row=n_rows)]
        for part in group[1:]:
            offset = n_rows - part.n_header
            body = [c for c in part.cells if c.row > part.n_header]
            cells += [c.model_copy(update={"row": c.row + offset}) for c in body]
            last = n_rows + part.grid.n_rows - part.n_header
            segments.append(Segment(page=part.page, bbox=_box(part.grid), first_row=n_rows + 1, last_row=last,
                                    header_repeated=part.n_header > 0))
            n_rows = last
        tables.append(Table(
            table=number, pages=[p.page for p in group], bbox=_box(first.grid), dpi=first.dpi, n_rows=n_rows,
            n_cols=first.grid.n_cols, n_header_rows=first.n_header, borders=not isinstance(first.grid, WordGrid),
            title=_caption(first.context), unit_note=unit_note(first.context), context=first.context, segments=segments,
            cells=cells,
        ))
    return tables
