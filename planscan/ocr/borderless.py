"""Borderless tables from the alignment of word boxes: columns are whitespace corridors that stay
empty over many consecutive rows, and at least one column holds figures.

The words are a page's text-layer words or its OCR words outside any ruled table, so a ruled
table is never found twice. The result is the same ``Grid`` (rows, columns, spans) and cell texts
the ruled detector gives, so the header, row and figure reading downstream is shared.

Why this does not fire on prose or on a document's header block: a justified paragraph has wide
gaps here and there (rivers), but they move from line to line, and a seed row needs three cells
separated by gaps of nearly a letter's height; a list ("- Chỉ tiêu: 95%") and the two-column
agency / motto block have at most two such cells per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from planscan.ocr.tables import Grid, GridCell, PageTables, join_cell_words
from planscan.schemas.records import Word

# A gap between two cells of a row, in word heights: wider than a stretched space of justified
# text (up to about half a letter's height), narrower than the padding of two table cells.
CELL_GAP = 0.8
# A corridor found over many rows may be narrower than each row's gap, but not a space.
CORRIDOR = 0.45
MIN_COLUMNS = 3
MIN_ROWS = 3
# A column of figures: this share of its filled body cells hold a number (or a "-" / "x").
NUMERIC_SHARE = 0.6
# Lines without figures between two rows of a table (group headings, "Trong đó:") stay in it.
MAX_PLAIN_RUN = 3
# Header lines read above the first row of figures.
MAX_HEADER_LINES = 5
# A blank stretch this many line heights tall ends a table (above: its header).
BLANK = 2.5
_EMPTY_MARK = re.compile(r"^[-–—x×.]+$", re.I)
_NUMBER = re.compile(r"[-+−]?\d[\d.,/]*%?")
_YEAR = re.compile(r"(19|20)\d\d")


@dataclass
class WordGrid(Grid):
    """A grid whose lines are whitespace corridors, not drawn rules."""


@dataclass
class _Line:
    words: list[Word]
    y0: int = 0
    y1: int = 0
    segments: list[list[Word]] = field(default_factory=list)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def _visual_lines(words: list[Word]) -> list[_Line]:
    """Words grouped into text lines by vertical overlap, top to bottom, each left to right."""
    lines: list[_Line] = []
    for w in sorted((w for w in words if w.bbox is not None), key=lambda w: (w.bbox.y0 + w.bbox.y1) / 2):
        cy = (w.bbox.y0 + w.bbox.y1) / 2
        if lines and lines[-1].y0 <= cy <= lines[-1].y1:
            ln = lines[-1]
            ln.words.append(w)
            ln.y0, ln.y1 = min(ln.y0, w.bbox.y0), max(ln.y1, w.bbox.y1)
        else:
            lines.append(_Line([w], w.bbox.y0, w.bbox.y1))
    for ln in lines:
        ln.words.sort(key=lambda w: w.bbox.x0)
    return lines


def _segments(line: _Line, gap: float) -> list[list[Word]]:
    segs: list[list[Word]] = []
    for w in line.words:
        if segs and w.bbox.x0 - max(x.bbox.x1 for x in segs[-1]) < gap:
            segs[-1].append(w)
        else:
            segs.append([w])
    return segs


def _text(ws: list[Word]) -> str:
    return " ".join(w.text for w in ws)


def _is_number(text: str) -> bool:
    """A figure as a table prints it ("4.386", "97,5", "16/18", "-0,9"); a bare year is a header's."""
    t = text.replace(" ", "").rstrip(",;:")
    return bool(_NUMBER.fullmatch(t)) and not _YEAR.fullmatch(t)


def _is_figure(text: str) -> bool:
    t = text.strip()
    return bool(t) and (_is_number(t) or bool(_EMPTY_MARK.match(t)))


def _is_seed(line: _Line) -> bool:
    return len(line.segments) >= MIN_COLUMNS and any(_is_number(_text(s)) for s in line.segments)


def _corridors(lines: list[_Line], width: float) -> list[tuple[int, int]]:
    """Maximal x-stretches no word of ``lines`` covers, at least ``width`` wide, between the
    leftmost and the rightmost word."""
    spans = sorted((w.bbox.x0, w.bbox.x1) for ln in lines for w in ln.words)
    out = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= width:
            out.append((reach, x0))
        reach = max(reach, x1)
    return out


def _crosses(line: _Line, corridors: list[tuple[int, int]]) -> int:
    return sum(any(w.bbox.x0 < b and w.bbox.x1 > a for w in line.words) for a, b in corridors)


def _fits(line: _Line, corridors: list[tuple[int, int]]) -> bool:
    """A line without figures that can be a row of the table: a group heading may run over a
    column edge or two, but leaves most of them free; a line of prose runs over them all."""
    return _crosses(line, corridors) <= max(1, len(corridors) // 2)


def _goes_on(line: _Line, above: _Line) -> bool:
    """A label wrapped onto the next line: lower case, no figures, right under the line above."""
    first = line.words[0].text[:1]
    return (first.isalpha() and first.islower() and not any(_is_number(_text(s)) for s in line.segments)
            and line.y0 - above.y1 < above.y1 - above.y0)


def _runs(lines: list[_Line], corridor: float) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """(first, last, corridors) of each stretch of lines that is the body of a table: seed rows,
    with the plain lines between them that keep inside its columns."""
    out = []
    i = 0
    while i < len(lines):
        if not _is_seed(lines[i]):
            i += 1
            continue
        seeds = [i]
        j = i + 1
        plain = 0
        while j < len(lines) and plain <= MAX_PLAIN_RUN:
            pitch = lines[j].y0 - lines[j - 1].y1
            if pitch > BLANK * (lines[j - 1].y1 - lines[j - 1].y0):
                break  # a blank stretch ends the table
            if _is_seed(lines[j]):
                cand = _corridors([lines[k] for k in seeds + [j]], corridor)
                if len(cand) < MIN_COLUMNS - 1:
                    break
                seeds.append(j)
                plain = 0
            else:
                cors = _corridors([lines[k] for k in seeds], corridor)
                if len(seeds) >= 2 and not _fits(lines[j], cors):
                    break
                plain += 1
            j += 1
        last = seeds[-1]
        cors = _corridors([lines[k] for k in seeds], corridor)
        # the last row's label may go on below it
        while last + 1 < len(lines) and _goes_on(lines[last + 1], lines[last]) and not _crosses(lines[last + 1], cors):
            last += 1
        if len(seeds) >= MIN_ROWS and len(cors) >= MIN_COLUMNS - 1 and all(
                _fits(lines[k], cors) for k in range(i, last + 1)):
            out.append((i, last, cors))
            i = last + 1
        else:
            i += 1
    return out


def _column_of(x: float, xs: list[int]) -> int:
    for c in range(len(xs) - 1):
        if x < xs[c + 1]:
            return c
    return len(xs) - 2


def _header_lines(lines: list[_Line], first: int, left: int, right: int, h: float) -> list[_Line]:
    """The lines just above the first row of figures that are the table's header: no blank stretch
    between them (header rows are often taller than a line, their labels centred), over the
    table's width, without figures. The top one has two pieces, or is one header cell merged over
    pieces of a line below ("Năm 2024" over "Kế hoạch | Thực hiện"); a caption or a unit note
    above the table is neither."""
    picked: list[_Line] = []
    below = lines[first]
    for k in range(first - 1, max(-1, first - 1 - MAX_HEADER_LINES), -1):
        ln = lines[k]
        if below.y0 - ln.y1 > BLANK * h or not _over_table(ln, left, right, h):
            break
        if any(_is_number(_text(s)) for s in ln.segments):
            break
        picked.insert(0, ln)
        below = ln
    while picked and len(picked[0].segments) < 2 and not _spans_below(picked[0], picked[1:], h):
        picked.pop(0)
    return picked


def _over_table(line: _Line, left: int, right: int, h: float) -> bool:
    """Each piece centred over the table's body; a label may be wider than the figures under it
    and run past the body's edge, a one-piece line (prose, a caption) may not."""
    if len(line.segments) == 1:
        return line.words[0].bbox.x0 >= left - 2 * h and line.words[-1].bbox.x1 <= right + 2 * h
    return all(left - h <= (s[0].bbox.x0 + s[-1].bbox.x1) / 2 <= right + h for s in line.segments)


def _spans_below(line: _Line, lower: list[_Line], h: float) -> bool:
    """A one-piece line that is a header cell merged over two pieces or more of the nearest header
    line under it that it overlaps, and no wider than they are together."""
    [seg] = line.segments
    x0, x1 = seg[0].bbox.x0, seg[-1].bbox.x1
    for ln in lower:
        under = [s for s in ln.segments if s[0].bbox.x0 < x1 and s[-1].bbox.x1 > x0]
        if under:
            return len(under) >= 2 and x0 >= under[0][0].bbox.x0 - h and x1 <= under[-1][-1].bbox.x1 + h
    return False


@dataclass
class _Block:
    words: list[Word]
    line: int
    c0: int
    c1: int  # inclusive
    r1: int = -1  # last header line it covers


def _header_blocks(header: list[_Line], xs: list[int], extents: list[tuple[int, int]]) -> list[_Block]:
    """Header pieces with the columns each covers: the columns whose body text it lies over, widened
    to the pieces under it ("Năm 2019" over "Kế hoạch | Thực hiện")."""
    blocks: list[_Block] = []
    for li, ln in enumerate(header):
        for seg in ln.segments:
            x0, x1 = min(w.bbox.x0 for w in seg), max(w.bbox.x1 for w in seg)
            cols = [c for c, (a, b) in enumerate(extents) if min(x1, b) - max(x0, a) >= 0.5 * max(1, min(b - a, x1 - x0))]
            if not cols:
                cols = [_column_of((x0 + x1) / 2, xs)]
            blocks.append(_Block(seg, li, min(cols), max(cols)))
    def extent(b: _Block) -> tuple[int, int]:
        return min(w.bbox.x0 for w in b.words), max(w.bbox.x1 for w in b.words)

    for b in sorted(blocks, key=lambda b: -b.line):
        x0, x1 = extent(b)
        lower = [u for u in blocks if u.line > b.line and extent(u)[0] < x1 and extent(u)[1] > x0]
        under = [u for u in lower if u.line == min(v.line for v in lower)]
        if len(under) >= 2:
            b.c0, b.c1 = min(b.c0, *(u.c0 for u in under)), max(b.c1, *(u.c1 for u in under))
    return blocks


def _merge_wrapped(blocks: list[_Block]) -> list[_Block]:
    """A header cell printed on two lines: pieces over the same columns, with nothing between them."""
    out: list[_Block] = []
    for b in sorted(blocks, key=lambda b: (b.line, b.c0)):
        above = next((a for a in out if a.c0 == b.c0 and a.c1 == b.c1 and not any(
            a.r1 < o.line < b.line and o.c0 <= b.c1 and b.c0 <= o.c1 for o in blocks)), None)
        if above is not None:
            above.words += b.words
            above.r1 = b.line
        else:
            b.r1 = b.line
            out.append(b)
    return out


def _header_cells(blocks: list[_Block], n_lines: int) -> tuple[list[tuple[int, int, int, int, str]], int]:
    """(row, col, rowspan, colspan, text) of the header: a cell reaches down to the next cell under
    it, and up to the top when nothing stands over it (merged cells, a label centred on two lines);
    lines where no cell starts are dropped. Also the number of header rows left."""
    spans = []
    for b in blocks:
        others = [o for o in blocks if o is not b and o.c0 <= b.c1 and b.c0 <= o.c1]
        top = b.line if any(o.r1 < b.line for o in others) else 0
        bottom = min((o.line - 1 for o in others if o.line > b.r1), default=n_lines - 1)
        spans.append((top, bottom, b))
    starts = sorted({top for top, _, _ in spans})
    index = {r: i for i, r in enumerate(starts)}

    def row_of_end(bottom: int) -> int:
        return max(i for r, i in index.items() if r <= bottom)

    cells = [(index[top], b.c0, row_of_end(bottom) - index[top] + 1, b.c1 - b.c0 + 1, join_cell_words(b.words))
             for top, bottom, b in spans]
    return cells, len(starts)


def _body_rows(lines: list[_Line], xs: list[int], numeric: set[int]) -> list[list[_Line]]:
    """Body lines as rows: a line without figures that starts lower case goes on the label above it
    (a wrapped label)."""
    rows: list[list[_Line]] = []
    for ln in lines:
        cols = {_column_of((w.bbox.x0 + w.bbox.x1) / 2, xs) for w in ln.words}
        if rows and not (cols & numeric) and _goes_on(ln, rows[-1][-1]):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return rows


def _row_cells(row: list[_Line], xs: list[int], corridors: list[tuple[int, int]]) -> list[tuple[int, int, list[Word]]]:
    """(col, colspan, words) of one body row. A piece of text that runs over a column edge (a
    group heading wider than its column) is one cell spanning the columns it covers."""
    by_col: dict[int, tuple[int, list[Word]]] = {}
    for ln in row:
        for seg in ln.segments:
            cols = sorted({_column_of((w.bbox.x0 + w.bbox.x1) / 2, xs) for w in seg})
            crossing = any(w.bbox.x0 < b and w.bbox.x1 > a for w in seg for a, b in corridors)
            groups = [(cols[0], cols[-1] - cols[0] + 1, seg)] if crossing and len(cols) > 1 else [
                (c, 1, [w for w in seg if _column_of((w.bbox.x0 + w.bbox.x1) / 2, xs) == c]) for c in cols]
            for c, span, ws in groups:
                old = by_col.get(c)
                by_col[c] = (max(span, old[0]), old[1] + ws) if old else (span, list(ws))
    out = []
    covered = -1
    for c in sorted(by_col):
        if c <= covered:
            # a cell under a span of this row: its words join the span's cell
            prev = out[-1]
            out[-1] = (prev[0], max(prev[1], c + by_col[c][0] - prev[0]), prev[2] + by_col[c][1])
        else:
            out.append((c, by_col[c][0], by_col[c][1]))
        covered = max(covered, out[-1][0] + out[-1][1] - 1)
    return out


def _numeric_columns(lines: list[_Line], xs: list[int]) -> set[int]:
    filled: dict[int, list[str]] = {}
    for ln in lines:
        cells: dict[int, list[Word]] = {}
        for w in ln.words:
            cells.setdefault(_column_of((w.bbox.x0 + w.bbox.x1) / 2, xs), []).append(w)
        for c, ws in cells.items():
            filled.setdefault(c, []).append(_text(ws))
    out = set()
    for c, texts in filled.items():
        figures = [t for t in texts if _is_figure(t)]
        if sum(_is_number(t) for t in texts) >= MIN_ROWS and len(figures) >= NUMERIC_SHARE * len(texts):
            out.add(c)
    return out


def _table(lines: list[_Line], first: int, last: int, corridors: list[tuple[int, int]],
           h: float) -> tuple[WordGrid, list[str]] | None:
    body = lines[first: last + 1]
    body_words = [w for ln in body for w in ln.words]
    left = min(w.bbox.x0 for w in body_words)
    right = max(w.bbox.x1 for w in body_words)
    xs = [left] + [(a + b) // 2 for a, b in corridors] + [right]
    numeric = _numeric_columns(body, xs)
    if not numeric or len(xs) - 1 < MIN_COLUMNS:
        return None
    header = _header_lines(lines, first, left, right, h)
    pad = max(1, int(h // 4))
    xs[0] = min([left] + [w.bbox.x0 for ln in header for w in ln.words]) - pad
    xs[-1] = max([right] + [w.bbox.x1 for ln in header for w in ln.words]) + pad
    extents = []
    for c in range(len(xs) - 1):
        ws = [w for w in body_words if _column_of((w.bbox.x0 + w.bbox.x1) / 2, xs) == c]
        extents.append((min(w.bbox.x0 for w in ws), max(w.bbox.x1 for w in ws)) if ws else (xs[c], xs[c + 1]))
    blocks = _merge_wrapped(_header_blocks(header, xs, extents)) if header else []
    head_cells, n_head = _header_cells(blocks, len(header)) if blocks else ([], 0)
    rows = _body_rows(body, xs, numeric)
    # Each row starts at its first line; the edge between two rows lies halfway between the
    # lowest ink above and the next row's top.
    tops = [min(header[b.line].y0 for b, cell in zip(blocks, head_cells) if cell[0] == i) for i in range(n_head)]
    tops += [r[0].y0 for r in rows]
    table_lines = header + body
    ys = [tops[0] - pad]
    for t in tops[1:]:
        ys.append((max(ln.y1 for ln in table_lines if ln.y0 < t) + t) // 2)
    ys.append(max(ln.y1 for ln in table_lines) + pad)
    if any(b <= a for a, b in zip(ys, ys[1:])):
        return None
    n_cols = len(xs) - 1
    placed: list[tuple[int, int, int, int, str]] = list(head_cells)
    for i, row in enumerate(rows):
        placed += [(n_head + i, c, 1, cs, join_cell_words(ws)) for c, cs, ws in _row_cells(row, xs, corridors)]
    covered = {(r + a, c + b) for r, c, rs, cs, _ in placed for a in range(rs) for b in range(cs)}
    # Every position belongs to a cell, as in a ruled grid: the empty ones are cells without text.
    placed += [(r, c, 1, 1, "") for r in range(n_head + len(rows)) for c in range(n_cols) if (r, c) not in covered]
    placed.sort()
    cells = [GridCell(r, c, rs, cs, (xs[c], ys[r], xs[c + cs], ys[r + rs])) for r, c, rs, cs, _ in placed]
    return WordGrid(ys=ys, xs=xs, cells=cells), [t for *_, t in placed]


def find_borderless(words: list[Word]) -> list[tuple[WordGrid, list[str]]]:
    """Every borderless table among ``words`` (one page), top to bottom: its grid and cell texts
    (in ``grid.cells`` order), in the words' own coordinates."""
    lines = _visual_lines(words)
    if len(lines) < MIN_ROWS:
        return []
    h = float(median(w.bbox.y1 - w.bbox.y0 for ln in lines for w in ln.words))
    for ln in lines:
        ln.segments = _segments(ln, CELL_GAP * h)
    out = []
    for first, last, corridors in _runs(lines, CORRIDOR * h):
        found = _table(lines, first, last, corridors, h)
        if found is not None:
            out.append(found)
    return out


def _inside(w: Word, grids: list[Grid]) -> bool:
    cx, cy = (w.bbox.x0 + w.bbox.x1) / 2, (w.bbox.y0 + w.bbox.y1) / 2
    return any(g.xs[0] <= cx <= g.xs[-1] and g.ys[0] <= cy <= g.ys[-1] for g in grids)


def with_borderless(page: PageTables) -> PageTables:
    """The page's tables with the borderless ones among the words outside its ruled tables added
    (in reading order), and those words no longer outside."""
    found = find_borderless(page.outside)
    if not found:
        return page
    ruled = [(g, t, page.alternatives_of(k)) for k, (g, t) in enumerate(zip(page.grids, page.texts))]
    tables = sorted(ruled + [(g, t, {}) for g, t in found], key=lambda p: (p[0].ys[0], p[0].xs[0]))
    new = [g for g, _ in found]
    outside = [w for w in page.outside if w.bbox is None or not _inside(w, new)]
    return PageTables(number=page.number, dpi=page.dpi, grids=[g for g, _, _ in tables],
                      texts=[t for _, t, _ in tables], outside=outside, alternatives=[a for _, _, a in tables])
