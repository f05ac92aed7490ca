"""Ruled tables on a page image: the grid from its rules, and each cell's text.

The rules are found with OpenCV morphology (long thin openings of the ink mask). Rules that stop
part-way mark merged cells: a cell joins its neighbour where the rule between them is missing.
Cell text comes from word boxes: the text layer's for a born-digital PDF, or Tesseract's on the
page with the rules erased, so that a rule beside a digit is not read as a "1" or a "|".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import cv2
import numpy as np

from planscan.errors import PlanscanError
from planscan.ocr.cell_figures import (DIGITS_CONFIG, Reading, choose, figure_cells, figure_text, has_word,
                                        looks_numeric, settled)
from planscan.ocr.clean import ink_splits
from planscan.schemas.records import BBox, Word

log = logging.getLogger(__name__)

# A horizontal rule is at least this long (inches): longer than any letter, shorter than the
# narrowest column a form has (an STT column is about 0.4 in).
MIN_H_RULE_IN = 0.25
# A vertical rule piece spans at least one text row; a tall letter with its accents is shorter.
MIN_V_RULE_IN = 0.16
# A rule covers a cell edge when it runs along this share of it; less is a merged cell.
EDGE_COVER = 0.9


@dataclass
class GridCell:
    row: int  # 0-based elementary row
    col: int
    rowspan: int
    colspan: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in image pixels


@dataclass
class Grid:
    """One ruled table: the positions of its rules and its cells (merged ones as spans)."""

    ys: list[int]  # horizontal rules, top to bottom
    xs: list[int]  # vertical rules, left to right
    cells: list[GridCell] = field(default_factory=list)

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def ink(gray: np.ndarray) -> np.ndarray:
    """Binary mask of ink (255) from a grey page: adaptive, so shading and bleed do not flood it."""
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    block = max(15, (gray.shape[1] // 60) | 1)
    return cv2.adaptiveThreshold(blur, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def rule_masks(mask: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) rule masks: ink runs far longer than thick in one direction."""
    hl = max(8, int(MIN_H_RULE_IN * dpi))
    vl = max(6, int(MIN_V_RULE_IN * dpi))
    # Open first, then bridge the breaks a worn copy leaves in a rule: closing first would also
    # weld the strokes of a bold word into a "rule".
    gap = max(3, dpi // 30)
    h = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hl, 1)))
    h = cv2.morphologyEx(h, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    v = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vl)))
    v = cv2.morphologyEx(v, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, gap)))
    return _thin_only(h, dpi, horizontal=True), _thin_only(v, dpi, horizontal=False)


def _thin_only(rule: np.ndarray, dpi: int, horizontal: bool) -> np.ndarray:
    """Drop short thick pieces: a bold word blurred on a worn copy opens into a bar as long as a
    narrow cell but many times thicker than a rule."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(rule, connectivity=8)
    out = rule.copy()
    for i in range(1, n):
        length = stats[i, cv2.CC_STAT_WIDTH] if horizontal else stats[i, cv2.CC_STAT_HEIGHT]
        thick = stats[i, cv2.CC_STAT_HEIGHT] if horizontal else stats[i, cv2.CC_STAT_WIDTH]
        if length < dpi and thick > max(4, dpi // 25):
            out[labels == i] = 0
    return out


def _cluster(pieces: list[tuple[float, int]], tol: float) -> list[int]:
    """Positions of rules from (position, length) pieces: the longest piece of a rule sets its
    position and takes in the shorter ones near it, so specks near a rule cannot drag it away."""
    anchors: list[float] = []
    for pos, _ in sorted(pieces, key=lambda p: -p[1]):
        if all(abs(pos - a) > tol for a in anchors):
            anchors.append(pos)
    return sorted(int(round(a)) for a in anchors)


def _line_positions(rule: np.ndarray, axis: int, tol: int, min_len: int) -> list[int]:
    """Centres of rule pieces (connected components) along ``axis`` (0: rows of horizontal rules)."""
    n, _, stats, cents = cv2.connectedComponentsWithStats(rule, connectivity=8)
    pieces = []
    for i in range(1, n):
        length = stats[i, cv2.CC_STAT_WIDTH] if axis == 0 else stats[i, cv2.CC_STAT_HEIGHT]
        if length >= min_len:
            pieces.append((float(cents[i][1] if axis == 0 else cents[i][0]), int(length)))
    return _cluster(pieces, tol)


def _cover(rule: np.ndarray, horizontal: bool, at: int, a: int, b: int, band: int) -> float:
    """Share of the stretch a..b along the line at ``at`` that a rule runs on."""
    if b <= a:
        return 0.0
    if horizontal:
        strip = rule[max(0, at - band): at + band + 1, a:b]
        return float(np.count_nonzero(strip.max(axis=0))) / (b - a) if strip.size else 0.0
    strip = rule[a:b, max(0, at - band): at + band + 1]
    return float(np.count_nonzero(strip.max(axis=1))) / (b - a) if strip.size else 0.0


def _cells(ys: list[int], xs: list[int], h: np.ndarray, v: np.ndarray, band: int) -> list[GridCell]:
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(nr):
        for c in range(nc):
            # The middle of the edge only: rules of neighbouring cells meet at the corners.
            if c + 1 < nc:
                y0, y1 = ys[r], ys[r + 1]
                m = max(3, band // 2)
                if _cover(v, False, xs[c + 1], y0 + m, y1 - m, band) < EDGE_COVER:
                    union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr:
                x0, x1 = xs[c], xs[c + 1]
                m = max(3, band // 2)
                if _cover(h, True, ys[r + 1], x0 + m, x1 - m, band) < EDGE_COVER:
                    union(r * nc + c, (r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    cells.sort(key=lambda g: (g.row, g.col))
    return cells


def _pruned(ys: list[int], xs: list[int], h: np.ndarray, v: np.ndarray, band: int) -> Grid | None:
    """The grid without lines that bound no cell: a stroke of text or a stain taken for a rule
    splits cells that the missing rule beside it then merges again."""
    while True:
        cells = _cells(ys, xs, h, v, band)
        used_y = {0, len(ys) - 1} | {c.row for c in cells} | {c.row + c.rowspan for c in cells}
        used_x = {0, len(xs) - 1} | {c.col for c in cells} | {c.col + c.colspan for c in cells}
        # Only lines that are an edge of every cell they cross survive alone; the rest were merged.
        keep_y = [i for i in range(len(ys)) if i in used_y and _edge_share(cells, i, True) > 0]
        keep_x = [i for i in range(len(xs)) if i in used_x and _edge_share(cells, i, False) > 0]
        if len(keep_y) == len(ys) and len(keep_x) == len(xs):
            return Grid(ys=ys, xs=xs, cells=cells) if len(ys) >= 3 and len(xs) >= 2 else None
        ys = [ys[i] for i in keep_y]
        xs = [xs[i] for i in keep_x]


def _edge_share(cells: list[GridCell], i: int, horizontal: bool) -> float:
    """Share of the cells touching line ``i`` that have it as an edge (rather than cross it)."""
    edge = cross = 0
    for c in cells:
        a, n = (c.row, c.rowspan) if horizontal else (c.col, c.colspan)
        if a == i or a + n == i:
            edge += 1
        elif a < i < a + n:
            cross += 1
    return edge / (edge + cross) if edge + cross else 0.0


def find_grids(gray: np.ndarray, dpi: int) -> tuple[list[Grid], np.ndarray]:
    """Every ruled table on an upright, deskewed grey page, and the mask of all rules found."""
    mask = ink(gray)
    h, v = rule_masks(mask, dpi)
    rules = cv2.bitwise_or(h, v)
    tol = max(3, dpi // 20)
    # A table is a connected frame of rules; join pieces a worn copy left apart.
    joined = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (tol, tol)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    grids = []
    for i in range(1, n):
        x, y, w, hh = (int(stats[i, k]) for k in (cv2.CC_STAT_LEFT, cv2.CC_STAT_TOP, cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT))
        if w < dpi or hh < dpi // 3:
            continue
        sub_h = h[y: y + hh, x: x + w]
        sub_v = v[y: y + hh, x: x + w]
        # Pieces of one rule closer than a tenth of an inch are one rule: no row or column is that narrow.
        ys = _line_positions(sub_h, 0, dpi // 10, min_len=max(int(MIN_H_RULE_IN * dpi), w // 20))
        xs = _line_positions(sub_v, 1, dpi // 10, min_len=max(int(MIN_V_RULE_IN * dpi), 1))
        if len(ys) < 3 or len(xs) < 3:
            continue
        ys = [y + p for p in ys]
        # Column rules run through the body; a piece in a row or two is a stroke of bold text.
        xs = [x + p for p in xs if _cover(v, False, x + p, ys[0], ys[-1], tol) >= 0.5]
        if len(xs) < 2:
            continue
        grid = _pruned(ys, xs, h, v, tol)
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids, rules


def erase_rules(gray: np.ndarray, rules: np.ndarray, dpi: int) -> np.ndarray:
    """The page with its rules painted white (a little wider than found: their blurred edges too)."""
    grow = max(1, dpi // 150)
    wide = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * grow + 1, 2 * grow + 1)))
    out = gray.copy()
    out[wide > 0] = 255
    return out


def _centre_in(b: BBox, box: tuple[int, int, int, int]) -> bool:
    cx, cy = (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2
    return box[0] <= cx < box[2] and box[1] <= cy < box[3]


def join_cell_words(words: list[Word]) -> str:
    """The words of one cell in reading order: lines top to bottom, a wrapped line joined by a space
    (with nothing after a '/', which the form broke after)."""
    if not words:
        return ""
    ws = sorted(words, key=lambda w: (w.bbox.y0 + w.bbox.y1) / 2)
    lines: list[list[Word]] = []
    for w in ws:
        cy = (w.bbox.y0 + w.bbox.y1) / 2
        if lines:
            last = lines[-1]
            ly0 = min(x.bbox.y0 for x in last)
            ly1 = max(x.bbox.y1 for x in last)
            if ly0 <= cy <= ly1:
                last.append(w)
                continue
        lines.append([w])
    text = ""
    for line in lines:
        part = " ".join(w.text for w in sorted(line, key=lambda w: w.bbox.x0))
        text = part if not text else (text + part if text.endswith("/") else text + " " + part)
    return text


def fill_cells(grid: Grid, words: list[Word]) -> tuple[list[str], list[Word]]:
    """Each cell's text from the words whose centre falls in it, and the words outside the grid."""
    inside: list[list[Word]] = [[] for _ in grid.cells]
    outside: list[Word] = []
    for w in words:
        if w.bbox is None:
            continue
        for i, cell in enumerate(grid.cells):
            if _centre_in(w.bbox, cell.box):
                inside[i].append(w)
                break
        else:
            outside.append(w)
    return [join_cell_words(ws) for ws in inside], outside


@dataclass
class PageTables:
    """The ruled tables of one page with their cell texts, and the lines of text around them."""

    number: int
    dpi: int
    grids: list[Grid]
    texts: list[list[str]]  # per grid, per cell (in grid.cells order)
    outside: list[Word]  # words in no table: titles, notes, prose
    # Per grid: header cell index -> further readings of it (other images, other models), for a
    # worn copy whose header one reading gets wrong; extract picks among them and ``texts``.
    alternatives: list[dict[int, list[str]]] = field(default_factory=list)

    def alternatives_of(self, k: int) -> dict[int, list[str]]:
        return self.alternatives[k] if k < len(self.alternatives) else {}


def _scaled(grid: Grid, f: float) -> Grid:
    def box(b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return tuple(int(round(v * f)) for v in b)  # type: ignore[return-value]

    return Grid(ys=[int(round(y * f)) for y in grid.ys], xs=[int(round(x * f)) for x in grid.xs],
                cells=[GridCell(c.row, c.col, c.rowspan, c.colspan, box(c.box)) for c in grid.cells])


def tables_from_words(number: int, gray: np.ndarray, image_dpi: int, words: list[Word], word_dpi: int) -> PageTables:
    """A page with a text layer: the grid from the rendered page, the text from the layer's words
    (no OCR, so the text is exactly what the PDF holds)."""
    grids, _ = find_grids(gray, image_dpi)
    grids = [_scaled(g, word_dpi / image_dpi) for g in grids]
    return _fill(number, word_dpi, grids, words)


def _fill(number: int, dpi: int, grids: list[Grid], words: list[Word]) -> PageTables:
    texts = []
    rest = words
    for g in grids:
        t, rest = fill_cells(g, rest)
        texts.append(t)
    return PageTables(number=number, dpi=dpi, grids=grids, texts=texts, outside=rest)


# Mosaic layout: cells stacked one under another with this much white between them (in text
# heights), so Tesseract reads each cell alone, as a line or a few, never across a rule.
MOSAIC_GAP = 0.8
MOSAIC_MAX_HEIGHT = 12000  # pixels per Tesseract call; its images must stay below 32767


def _clean_crop(crop: np.ndarray) -> np.ndarray:
    """The cell with specks and marks that are no letters whitened: components far smaller than
    its letters; thin pieces along its edge, which are what is left of an erased rule; and strokes
    that run through the cell from one edge to another (a seal's ring, a signature), since a letter
    lies inside its cell."""
    mask = (crop < 160).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 1:
        return crop
    areas = stats[1:, cv2.CC_STAT_AREA]
    floor = max(6.0, 0.04 * float(np.median(areas)) if len(areas) >= 3 else 6.0)
    h, w = crop.shape
    out = crop.copy()
    for i in range(1, n):
        x, y, cw, ch, area = (int(v) for v in stats[i])
        left, top, right, bottom = x == 0, y == 0, x + cw >= w, y + ch >= h
        edge = left or top or right or bottom
        through = (top and bottom) or (left and right) or ((top or bottom) and (left or right) and ch > h / 2)
        if area < floor or through or (edge and min(cw, ch) <= 3 and max(cw, ch) > 4 * min(cw, ch)):
            out[labels == i] = 255
    return out


def _ink_box(crop: np.ndarray) -> tuple[int, int, int, int] | None:
    ys, xs = np.nonzero(crop < 160)
    if len(ys) < 8:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def _cell_crops(image: np.ndarray, grid: Grid, inset: int, pad: int,
                only: set[int] | None = None) -> list[tuple[int, np.ndarray] | None]:
    """Each cell's ink (of the cells ``only``, when given), inside its rules, with a white margin;
    None for an empty cell."""
    out: list[tuple[int, np.ndarray] | None] = []
    for i, c in enumerate(grid.cells):
        if only is not None and i not in only:
            out.append(None)
            continue
        x0, y0, x1, y1 = c.box
        crop = image[y0 + inset: y1 - inset, x0 + inset: x1 - inset]
        crop = _clean_crop(crop) if crop.size else crop
        box = _ink_box(crop) if crop.size else None
        if box is None:
            out.append(None)
            continue
        bx0, by0, bx1, by1 = box
        ink_crop = crop[by0:by1, bx0:bx1]
        out.append((i, cv2.copyMakeBorder(ink_crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)))
    return out


def _read_mosaic(crops: list[tuple[int, np.ndarray]], dpi: int, lang: str, timeout: float | None,
                 extra: str) -> dict[int, list[Word]]:
    """OCR the crops stacked in as few images as fit, and give each crop its words."""
    from planscan.ocr import tesseract

    gap = int(MOSAIC_GAP * dpi / 6)  # a text line is about a sixth of an inch
    out: dict[int, list[Word]] = {}
    chunk: list[tuple[int, np.ndarray]] = []
    height = 0
    for item in crops + [None]:  # type: ignore[list-item]
        if item is not None and height + item[1].shape[0] + gap <= MOSAIC_MAX_HEIGHT:
            chunk.append(item)
            height += item[1].shape[0] + gap
            continue
        if chunk:
            width = max(c.shape[1] for _, c in chunk) + 2 * gap
            canvas = np.full((height + gap, width), 255, np.uint8)
            spans = []
            y = gap
            for idx, crop in chunk:
                h, w = crop.shape
                canvas[y: y + h, gap: gap + w] = crop
                spans.append((idx, y, y + h))
                y += h + gap
            lines = tesseract.recognize(canvas, lang, dpi, psm=6, timeout=timeout, extra=extra)
            for line in lines:
                for w in line.words:
                    cy = (w.bbox.y0 + w.bbox.y1) / 2
                    for idx, a, b in spans:
                        if a - gap / 2 <= cy < b + gap / 2:
                            out.setdefault(idx, []).append(w)
                            break
        chunk = [item] if item is not None else []
        height = item[1].shape[0] + gap if item is not None else 0
    return out


NUMBER_LANG = "eng"


def _mean_conf(words: list[Word]) -> float:
    confs = [w.conf for w in words if w.conf >= 0]
    return sum(confs) / len(confs) if confs else -1.0


def core_ink(grey: np.ndarray) -> np.ndarray:
    """The page with only the darkest class of its ink black (a second Otsu split among the ink):
    a worn copy's blurred stroke edges and the lighter grey of a seal or stain drop out, which the
    page's one global threshold merges with the print."""
    splits = ink_splits(grey)
    if splits is None:
        return grey
    return np.where(grey <= splits[1], 0, 255).astype(np.uint8)


def _header_readings(grey: np.ndarray, core: np.ndarray, grid: Grid, header: set[int], dpi: int, lang: str,
                     timeout: float | None, extra: str) -> dict[int, list[str]]:
    """More readings of the header cells of a worn copy: the page language on the grey page and on
    its darkest ink. Each image errs differently from the binarised one (a lost first line, a
    year's digit), so extract can vote among them; the header is a few cells, read in one more
    Tesseract call. (The English model on these images corrected no header cell the two did not.)"""
    inset, pad = max(2, dpi // 60), dpi // 10
    n = len(grid.cells)
    sources = [_cell_crops(im, grid, inset, pad, only=header) for im in (grey, core)]
    # One mosaic: the same cell from each image under its own key (k * n + index).
    words = _read_mosaic([(k * n + c[0], c[1]) for k, crops in enumerate(sources) for c in crops if c is not None],
                         dpi, lang, timeout, extra)
    out: dict[int, list[str]] = {}
    for i in sorted(header):
        texts = [t for t in (join_cell_words(words.get(k * n + i, [])) for k in range(len(sources))) if t]
        if texts:
            out[i] = texts
    return out


def _ocr_cells(image: np.ndarray, grid: Grid, dpi: int, lang: str, timeout: float | None, extra: str,
               grey: np.ndarray | None = None,
               core: np.ndarray | None = None) -> tuple[list[str], dict[int, list[str]]]:
    """Each cell's text, and for a worn copy (``grey`` and ``core`` given) further readings of its
    header cells (those above the first row of figures)."""
    inset = max(2, dpi // 60)
    crops = [c for c in _cell_crops(image, grid, inset, pad=dpi // 10) if c is not None]
    words = _read_mosaic(crops, dpi, lang, timeout, extra)
    texts = [join_cell_words(words.get(i, [])) for i in range(len(grid.cells))]
    # Figures again with the English model, which reads Liberation/Times digits better than the
    # Vietnamese one (5 for 9, a lost comma); the Vietnamese pass keeps the words.
    column = figure_cells([(c.row, c.col, c.colspan) for c in grid.cells], texts)
    alternatives: dict[int, list[str]] = {}
    if column and grey is not None and core is not None:
        body = min(grid.cells[i].row for i in column)
        # All of them: a binarisation that lost a cell's letters leaves it no crop of its own.
        header = {i for i, c in enumerate(grid.cells) if c.row < body}
        if header:
            alternatives = _header_readings(grey, core, grid, header, dpi, lang, timeout, extra)
    # A header cell with a year ("Năm 2024") is mostly digits but keeps its words.
    nums = [(i, c) for i, c in crops if i in column or (looks_numeric(texts[i]) and not has_word(texts[i]))]
    if not nums:
        return texts, alternatives
    eng = _read_mosaic(nums, dpi, NUMBER_LANG, timeout, extra)
    first = {i: Reading(figure_text(texts[i]), _mean_conf(words.get(i, []))) for i, _ in nums}
    english = {i: Reading(figure_text(join_cell_words(eng.get(i, []))), _mean_conf(eng.get(i, []))) for i, _ in nums}
    # A cell of a figure column whose first two readings are in doubt (they differ, or are not
    # written as a figure is printed: on a worn copy a figure read as letters, a lost comma) is read
    # once more limited to the characters of figures, and, on a binarised page, also from its
    # darkest ink only; the reading kept is chosen among all of them. Two models agreeing on a
    # printed figure settle the cell: a clean page pays for no more readings.
    doubt = {i for i, _ in nums if i in column and not settled(first[i], english[i])}
    passes: list[dict[int, list[Word]]] = []
    if doubt:
        digits = f"{extra} {DIGITS_CONFIG}".strip()
        passes.append(_read_mosaic([(i, c) for i, c in nums if i in doubt], dpi, NUMBER_LANG, timeout, digits))
        if core is not None:
            cores = [c for c in _cell_crops(core, grid, inset, pad=dpi // 10, only=doubt) if c is not None]
            passes.append(_read_mosaic(cores, dpi, NUMBER_LANG, timeout, digits))
    for i, _ in nums:
        if i in doubt:
            t = choose([first[i], english[i]] + [Reading(figure_text(join_cell_words(p[i])), _mean_conf(p[i]))
                                                 for p in passes if p.get(i)])
        elif i in column:
            t = first[i].text  # settled: both readings agree
        else:
            t = english[i].text
        if t:
            texts[i] = t
    return texts, alternatives


def tables_from_scan(number: int, gray: np.ndarray, dpi: int, lang: str, timeout: float | None = None,
                     extra: str = "", grey: np.ndarray | None = None) -> PageTables:
    """A scanned page (upright, deskewed, grey): the grid from its rules, each cell read alone with
    the rules erased (all cells in one stacked image), and the rest of the page read as text.
    ``grey`` is the page before it was binarised (a degraded page), for more readings of figures
    and of header cells."""
    from planscan.ocr import tesseract

    grids, rules = find_grids(gray, dpi)
    if not grids:
        return PageTables(number=number, dpi=dpi, grids=[], texts=[], outside=[])
    clean = erase_rules(gray, rules, dpi)
    grey_clean = erase_rules(grey, rules, dpi) if grey is not None else None
    core = core_ink(grey_clean) if grey_clean is not None else None
    read = [_ocr_cells(clean, g, dpi, lang, timeout, extra, grey_clean, core) for g in grids]
    rest = clean.copy()
    for g in grids:
        x0, y0, x1, y1 = g.box
        rest[y0:y1, x0:x1] = 255
    lines = tesseract.recognize(rest, lang, dpi, psm=6, timeout=timeout, extra=extra)
    return PageTables(number=number, dpi=dpi, grids=grids, texts=[t for t, _ in read],
                      outside=[w for ln in lines for w in ln.words], alternatives=[a for _, a in read])


# Born-digital pages are rendered only to find their rules; this is plenty for a rule.
RULE_DPI = 150


def read_page_tables(path, settings, pages: set[int] | None = None) -> list[PageTables]:
    """The tables of every page of a PDF or image (of ``pages`` only, when given). A page with a
    text layer takes its words from it; any other page is cleaned exactly as ``ocr.pipeline``
    cleans it (so boxes agree with the Document's) and its cells are OCR'd. A page whose tables
    cannot be read (a Tesseract failure or timeout) has none; the other pages still do."""
    from pathlib import Path

    from planscan.ocr import clean, poppler, rasterize, tesseract
    from planscan.ocr.inputs import input_kind

    path = Path(path)
    kind = input_kind(path)
    layer: list = []
    natives: dict[int, tuple[int, bool]] = {}
    if kind == "pdf":
        info = poppler.pdf_info(path)
        count = info.pages
        if not settings.force_ocr:
            layer = poppler.text_layer(path, info)
        natives = poppler.page_images(path)
    else:
        count = rasterize.image_page_count(path)
    out = []
    for number in range(1, count + 1):
        if pages is not None and number not in pages:
            continue
        try:
            out.append(_page_tables(path, kind, number, layer, natives, settings))
        except PlanscanError as e:
            log.warning("%s: page %d: tables not read: %s", path, number, e)
    return out


def _page_tables(path, kind: str, number: int, layer: list, natives: dict, settings) -> PageTables:
    from planscan.ocr import clean, rasterize, seal, tesseract

    page = layer[number - 1] if number - 1 < len(layer) else None
    if page is not None:
        gray = clean.to_gray(rasterize.load_pdf_page(path, number, RULE_DPI, grayscale=True))
        return tables_from_words(number, gray, RULE_DPI, [w for ln in page.lines for w in ln.words], 72)
    tesseract.check_tesseract(settings.lang)
    native = natives.get(number)
    img = rasterize.load_page(path, kind, number, settings.dpi, native[0] if native else None,
                              native[1] if native else False)
    grey = None
    if settings.clean:
        # Binarisation last, on its own, so that the page before it is kept for a second reading
        # of figures; the other steps (and so the boxes) are exactly ocr.pipeline's.
        binarise = "binarize" not in settings.disabled_steps
        state = clean.clean_page(img.image, img.dpi, disabled=tuple(settings.disabled_steps) + ("binarize",),
                                 osd=lambda im, dpi: tesseract.osd(im, dpi, timeout=settings.page_timeout))
        # Seals go on the grey page: by binarisation their ink is as black as the print.
        state.image = seal.remove_seals(state.image, img.dpi)
        degraded = clean.is_degraded(state)
        if binarise and degraded:
            grey = state.image
            clean.binarize(state)
        gray, extra = state.image, "-c textord_heavy_nr=1" if degraded else ""
    else:
        gray, extra = clean.to_gray(img.image), ""
    return tables_from_scan(number, gray, img.dpi, settings.lang, settings.page_timeout, extra, grey)
