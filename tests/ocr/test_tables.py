"""Ruled-table grids and cell text on synthetic pages (Pillow renders them; no corpus files)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from planscan.ocr import tables
from planscan.schemas.records import BBox, Word

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
DPI = 300

# columns (x positions) and rows (y positions) of a table with a two-row header:
# "Năm" over two sub-columns, and "STT"/"Tên" spanning both header rows.
XS = [200, 380, 1100, 1450, 1800, 2150]
YS = [300, 400, 500, 600, 700, 800, 900]
HEADER = [("STT", 0, 0, 2, 1), ("Tên chỉ tiêu", 0, 1, 2, 1), ("Năm 2024", 0, 2, 1, 2), ("Ghi chú", 0, 4, 2, 1),
          ("Kế hoạch", 1, 2, 1, 1), ("Thực hiện", 1, 3, 1, 1)]
BODY = [["1", "Số trường học", "16/18", "97,5", ""], ["2", "Số trạm y tế", "1.234", "4.386", "mới"],
        ["", "- Trong đó trạm mới", "-", "12", ""], ["3", "Tổng diện tích", "8,7", "105,3", ""]]


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    if not path.is_file():
        pytest.skip(f"font {path} not installed")
    return ImageFont.truetype(str(path), size)


def render_table(width: int = 2480, height: int = 1200, bold_header: bool = True) -> np.ndarray:
    img = Image.new("L", (width, height), 255)
    d = ImageDraw.Draw(img)
    font, bold = _font(FONT, 40), _font(BOLD if bold_header else FONT, 40)
    # rules: full frame and body rules; in the header only where cells end
    for y in (YS[0], YS[2], *YS[3:]):
        d.line([(XS[0], y), (XS[-1], y)], fill=0, width=4)
    d.line([(XS[2], YS[1]), (XS[4], YS[1])], fill=0, width=4)  # under "Năm 2024" only
    for i, x in enumerate(XS):
        top = YS[1] if i == 3 else YS[0]  # no rule between the two sub-columns in the first row
        d.line([(x, top), (x, YS[-1])], fill=0, width=4)
    for text, r, c, rs, cs in HEADER:
        x0, x1, y0, y1 = XS[c], XS[c + cs], YS[r], YS[r + rs]
        w = d.textlength(text, font=bold)
        d.text(((x0 + x1 - w) / 2, (y0 + y1) / 2 - 24), text, font=bold, fill=0)
    for r, row in enumerate(BODY):
        for c, text in enumerate(row):
            x0, x1, y0 = XS[c], XS[c + 1], YS[r + 2]
            w = d.textlength(text, font=font)
            x = x0 + 15 if c == 1 else x1 - w - 20 if c in (2, 3) else (x0 + x1 - w) / 2
            d.text((x, y0 + 26), text, font=font, fill=0)
    return np.array(img)


def test_grid_rows_columns_and_merged_header_cells():
    grids, _ = tables.find_grids(render_table(), DPI)
    assert len(grids) == 1
    g = grids[0]
    assert (g.n_rows, g.n_cols) == (6, 5)
    spans = {(c.row, c.col): (c.rowspan, c.colspan) for c in g.cells}
    assert spans[(0, 0)] == (2, 1) and spans[(0, 1)] == (2, 1) and spans[(0, 4)] == (2, 1)
    assert spans[(0, 2)] == (1, 2)
    assert spans[(1, 2)] == (1, 1) and spans[(1, 3)] == (1, 1)
    assert all(spans[(r, c)] == (1, 1) for r in range(2, 6) for c in range(5))
    assert abs(g.xs[0] - XS[0]) <= 3 and abs(g.ys[-1] - YS[-1]) <= 3


def test_bold_text_is_not_a_rule():
    # a wide bold word in a cell welds into long horizontal runs if rules are closed before opening
    img = render_table()
    d = ImageDraw.Draw(pil := Image.fromarray(img))
    d.text((400, 520), "TỔNG SỐ TRƯỜNG HỌC MẦM NON", font=_font(BOLD, 44), fill=0)
    grids, _ = tables.find_grids(np.array(pil), DPI)
    assert (grids[0].n_rows, grids[0].n_cols) == (6, 5)


def test_no_grid_on_a_page_of_text():
    img = Image.new("L", (2480, 1200), 255)
    d = ImageDraw.Draw(img)
    for i in range(10):
        d.text((200, 100 + 90 * i), "Tổng thu ngân sách nhà nước trên địa bàn đạt 1.234 triệu đồng", font=_font(FONT, 40), fill=0)
    assert tables.find_grids(np.array(img), DPI)[0] == []


def _w(text: str, x0: int, y0: int, x1: int, y1: int) -> Word:
    return Word(text=text, conf=-1, bbox=BBox(x0=x0, y0=y0, x1=x1, y1=y1))


def test_words_fall_into_their_cells_and_wrapped_lines_join():
    grid = tables.find_grids(render_table(), DPI)[0][0]
    words = [_w("Thực", 1460, 520, 1560, 560), _w("hiện", 1580, 520, 1680, 560), _w("cả", 1460, 570, 1520, 595),
             _w("UTH", 1810, 520, 1900, 560), _w("2024/", 1910, 520, 2040, 560), _w("KH", 1810, 570, 1880, 595),
             _w("Ghi", 100, 100, 150, 130)]
    texts, outside = tables.fill_cells(grid, words)
    by_pos = {(c.row, c.col): t for c, t in zip(grid.cells, texts)}
    assert by_pos[(2, 3)] == "Thực hiện cả"
    assert by_pos[(2, 4)] == "UTH 2024/KH"  # a break after "/" joins with nothing
    assert [w.text for w in outside] == ["Ghi"]


@pytest.mark.parametrize("raw, clean", [
    ("I05,9", "105,9"), ("20.", "20"), ("105.9", "105,9"), ("4.310", "4.310"), ("_ 19", "19"),
    ("| 16/18", "16/18"), ("L00,0", "100,0"), ("abc", ""), ("-0,9", "-0,9"),
])
def test_figure_text_repairs_what_tesseract_does_to_digits(raw, clean):
    assert tables.figure_text(raw) == clean


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_scan_cells_read_exactly_with_rules_erased():
    from planscan.ocr.tesseract import _languages
    import pytesseract

    langs = _languages(pytesseract.pytesseract.tesseract_cmd)
    if "vie" not in langs or "eng" not in langs:
        pytest.skip("tesseract vie/eng data not installed")
    pt = tables.tables_from_scan(1, render_table(bold_header=False), DPI, "vie")
    g = pt.grids[0]
    by_pos = {(c.row, c.col): t for c, t in zip(g.cells, pt.texts[0])}
    for r, row in enumerate(BODY):
        for c in (2, 3):
            if row[c] != "-":
                assert by_pos[(r + 2, c)] == row[c]
    assert by_pos[(2, 1)] == "Số trường học"
