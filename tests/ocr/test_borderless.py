"""Borderless tables from word boxes: synthetic word layouts (widths from a real font), general
prose from the text corpus, and born-digital PDFs made with fpdf2 (no development documents)."""

from __future__ import annotations

import json
import lzma
import re
from pathlib import Path

import pytest
from PIL import ImageFont

from planscan.extract.tables.build import build_tables
from planscan.ocr.borderless import WordGrid, find_borderless, with_borderless
from planscan.ocr.tables import Grid, GridCell, PageTables
from planscan.schemas.records import BBox, Word

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
WIKI = Path(__file__).resolve().parents[2].parent / "shared" / "text-corpus" / "viwiki.jsonl.xz"
SIZE = 42  # pixels: 10 pt at 300 dpi
LINE = 60  # line pitch


@pytest.fixture(scope="module")
def font() -> ImageFont.FreeTypeFont:
    if not FONT.is_file():
        pytest.skip(f"font {FONT} not installed")
    return ImageFont.truetype(str(FONT), SIZE)


def _words(font, text: str, x: float, y: int, align: str = "left", width: float = 0) -> list[Word]:
    """The words of ``text`` set on one line from ``x`` (or ending at ``x + width`` for "right",
    centred in it for "centre"), each box as wide as the font draws it."""
    space = font.getlength(" ")
    parts = text.split()
    total = sum(font.getlength(p) for p in parts) + space * (len(parts) - 1)
    if align == "right":
        x = x + width - total
    elif align == "centre":
        x = x + (width - total) / 2
    out = []
    for p in parts:
        w = font.getlength(p)
        out.append(Word(text=p, conf=-1, bbox=BBox(x0=round(x), y0=y, x1=round(x + w), y1=y + SIZE + 6)))
        x += w + space
    return out


def _justified(font, text: str, x0: int, x1: int, y: int) -> tuple[list[Word], int]:
    """A paragraph set justified between x0 and x1 (the last line ragged): its words and the y after it."""
    space = font.getlength(" ")
    out: list[Word] = []
    line: list[str] = []

    def flush(last: bool) -> None:
        nonlocal y
        widths = [font.getlength(p) for p in line]
        gap = space if last or len(line) == 1 else (x1 - x0 - sum(widths)) / (len(line) - 1)
        x = float(x0)
        for p, w in zip(line, widths):
            out.append(Word(text=p, conf=-1, bbox=BBox(x0=round(x), y0=y, x1=round(x + w), y1=y + SIZE + 6)))
            x += w + gap
        y += LINE

    for p in text.split():
        if line and font.getlength(" ".join(line + [p])) > x1 - x0:
            flush(False)
            line = []
        line.append(p)
    if line:
        flush(True)
    return out, y


# A report's table: "Chỉ tiêu" centred on the two header lines, "Năm 2024" over two columns,
# "Kế hoạch" / "năm 2025" one header cell on two lines; a label column and three figure columns.
COLS = [(200, 1000), (1000, 1380), (1380, 1760), (1760, 2140)]
BODY = [("Số trường đạt chuẩn quốc gia", "41", "45", "48"), ("Tỷ lệ trẻ em được tiêm chủng", "96,5", "97,2", "98,0"),
        ("Số bác sĩ trên vạn dân", "8,4", "9,1", "10,0"), ("Số giường bệnh", "1.250", "1.310", "1.400"),
        ("Tỷ lệ hộ dùng nước sạch", "88,3", "90,1", "92,0")]


def table_words(font, top: int) -> tuple[list[Word], int]:
    (a0, a1), (b0, b1), (c0, c1), (d0, d1) = COLS
    w = _words(font, "Chỉ tiêu", a0, top + 30)
    w += _words(font, "Năm 2024", b0, top, "centre", c1 - b0)
    w += _words(font, "Kế hoạch", d0, top, "centre", d1 - d0)
    w += _words(font, "Thực hiện", b0, top + LINE, "centre", b1 - b0)
    w += _words(font, "Ước cả năm", c0, top + LINE, "centre", c1 - c0)
    w += _words(font, "năm 2025", d0, top + LINE, "centre", d1 - d0)
    y = top + 2 * LINE + 20
    for label, *nums in BODY:
        w += _words(font, label, a0, y)
        for (x0, x1), n in zip(COLS[1:], nums):
            w += _words(font, n, x0, y, "right", x1 - x0 - 40)
        y += LINE
    return w, y


def test_table_grid_header_and_body(font):
    words, _ = table_words(font, 400)
    found = find_borderless(words)
    assert len(found) == 1
    grid, texts = found[0]
    assert isinstance(grid, WordGrid)
    assert (grid.n_rows, grid.n_cols) == (2 + len(BODY), 4)
    cells = {(c.row, c.col): (c.rowspan, c.colspan, t) for c, t in zip(grid.cells, texts)}
    assert cells[(0, 0)] == (2, 1, "Chỉ tiêu")
    assert cells[(0, 1)] == (1, 2, "Năm 2024")
    assert cells[(0, 3)] == (2, 1, "Kế hoạch năm 2025")
    assert cells[(1, 1)][2] == "Thực hiện" and cells[(1, 2)][2] == "Ước cả năm"
    for r, row in enumerate(BODY, start=2):
        assert [cells[(r, c)][2] for c in range(4)] == list(row)
    # every position of the grid belongs to exactly one cell, as in a ruled grid
    covered = [(c.row + a, c.col + b) for c in grid.cells for a in range(c.rowspan) for b in range(c.colspan)]
    assert sorted(covered) == [(r, c) for r in range(grid.n_rows) for c in range(4)]
    # each column edge lies in the gap between the text of its two columns
    for k, x in enumerate(grid.xs[1:-1]):
        left = [w for w in words if COLS[k][0] <= w.bbox.x0 < COLS[k][1] and w.bbox.y0 > 400 + LINE]
        right = [w for w in words if COLS[k + 1][0] <= w.bbox.x0 < COLS[k + 1][1] and w.bbox.y0 > 400 + LINE]
        assert max(w.bbox.x1 for w in left) < x < min(w.bbox.x0 for w in right)


def test_downstream_reads_header_rows_and_figures(font):
    from planscan.extract.tables.figures import tables_records

    words, _ = table_words(font, 400)
    page = with_borderless(PageTables(number=1, dpi=300, grids=[], texts=[], outside=words))
    [table] = build_tables([page])
    assert table.n_header_rows == 2 and not table.borders
    recs = {(r.row, r.col): r for r in tables_records([table])}
    assert len(recs) == 3 * len(BODY)
    assert (recs[(4, 2)].value, recs[(4, 2)].kind, recs[(4, 2)].year) == (1250, "actual", 2024)
    assert (recs[(2, 3)].value, recs[(2, 3)].kind) == (97.2, "estimate")
    assert (recs[(5, 4)].value, recs[(5, 4)].kind, recs[(5, 4)].year) == (92.0, "target", 2025)
    assert page.outside == []  # the table's words are no longer text around it


@pytest.mark.parametrize("row_height", [LINE, 2 * LINE])
def test_header_whose_top_line_is_one_merged_cell(font, row_height):
    """A caption and a unit note above; "Năm 2024" alone on the top line, over "Kế hoạch | Thực
    hiện"; the other labels centred on both header rows, which may be taller than a line."""
    (a0, a1), (b0, b1), (c0, c1), (d0, d1) = COLS
    words = _words(font, "Biểu 03: MỘT SỐ CHỈ TIÊU", a0, 300, "centre", d1 - a0)
    words += _words(font, "Đơn vị tính: %", d0, 300 + LINE, "right", d1 - d0)
    top = 300 + 2 * LINE + 20
    words += _words(font, "Năm 2024", b0, top, "centre", c1 - b0)
    words += _words(font, "Chỉ tiêu", a0, top + row_height // 2)
    words += _words(font, "KH 2025", d0, top + row_height // 2, "centre", d1 - d0)
    words += _words(font, "Kế hoạch", b0, top + row_height, "centre", b1 - b0)
    words += _words(font, "Thực hiện", c0, top + row_height, "centre", c1 - c0)
    y = top + 2 * row_height
    for label, *nums in BODY:
        words += _words(font, label, a0, y)
        for (x0, x1), n in zip(COLS[1:], nums):
            words += _words(font, n, x0, y, "right", x1 - x0 - 40)
        y += LINE
    [(grid, texts)] = find_borderless(words)
    cells = {(c.row, c.col): (c.rowspan, c.colspan, t) for c, t in zip(grid.cells, texts)}
    assert grid.n_rows == 2 + len(BODY)
    assert cells[(0, 0)] == (2, 1, "Chỉ tiêu") and cells[(0, 3)] == (2, 1, "KH 2025")
    assert cells[(0, 1)] == (1, 2, "Năm 2024")
    assert (cells[(1, 1)][2], cells[(1, 2)][2]) == ("Kế hoạch", "Thực hiện")
    assert not any("Biểu" in t or "Đơn vị" in t for t in texts)


def test_labels_wrapped_and_group_rows(font):
    (a0, _), *_ = COLS
    words, y = table_words(font, 400)
    # a group heading without figures and a label wrapped onto a second line
    words += _words(font, "Trong đó:", a0, y)
    words += _words(font, "Số trạm y tế có bác sĩ", a0, y + LINE)
    for (x0, x1), n in zip(COLS[1:], ("17", "18", "19")):
        words += _words(font, n, x0, y + LINE, "right", x1 - x0 - 40)
    words += _words(font, "làm việc thường xuyên", a0, y + 2 * LINE)
    [(grid, texts)] = find_borderless(words)
    rows = {}
    for c, t in zip(grid.cells, texts):
        rows.setdefault(c.row, {})[c.col] = t
    assert grid.n_rows == 2 + len(BODY) + 2
    assert rows[2 + len(BODY)][0] == "Trong đó:"
    assert rows[3 + len(BODY)] == {0: "Số trạm y tế có bác sĩ làm việc thường xuyên", 1: "17", 2: "18", 3: "19"}


def _wiki_paragraphs(n: int) -> list[str]:
    if not WIKI.is_file():
        pytest.skip("needs ../shared/text-corpus")
    out = []
    with lzma.open(WIKI, "rt", encoding="utf-8") as f:
        for line in f:
            for p in json.loads(line)["text"].split("\n"):
                # paragraphs with figures in them: the hardest prose for a detector of figure columns
                if len(p) > 300 and len(re.findall(r"\d+", p)) >= 3:
                    out.append(p)
            if len(out) >= n:
                return out[:n]
    return out


@pytest.mark.parametrize("x0,x1", [(200, 2280), (200, 1150)])
def test_prose_pages_hold_no_table(font, x0, x1):
    paragraphs = _wiki_paragraphs(60)
    pages, words, y = 0, [], 200
    for p in paragraphs:
        ws, y = _justified(font, p, x0, x1, y)
        words += ws
        y += 20
        if y > 3300:
            assert find_borderless(words) == []
            pages, words, y = pages + 1, [], 200
    assert pages >= 3


def _header_block(font) -> list[Word]:
    """A document's heading: agency and number on the left, the national motto and the place and
    date on the right, each half centred."""
    left = ["ỦY BAN NHÂN DÂN", "HUYỆN MINH SƠN", "Số: 215/KH-UBND"]
    right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Minh Sơn, ngày 12 tháng 3 năm 2024"]
    words = []
    for i, (a, b) in enumerate(zip(left, right)):
        words += _words(font, a, 150, 200 + i * LINE, "centre", 900)
        words += _words(font, b, 1050, 200 + i * LINE, "centre", 1300)
    return words


def test_document_header_and_lists_hold_no_table(font):
    words = _header_block(font)
    y = 200 + 4 * LINE
    for item in ("- Tốc độ tăng trưởng kinh tế: 7,5%", "- Thu nhập bình quân đầu người: 45 triệu đồng",
                 "- Tỷ lệ hộ nghèo: giảm 2%", "- Tỷ lệ che phủ rừng: 42,1%", "- Số xã đạt chuẩn nông thôn mới: 3 xã"):
        words += _words(font, item, 300, y)
        y += LINE
    assert find_borderless(words) == []


def test_report_page_finds_only_its_table(font):
    words = _header_block(font)
    prose, y = _justified(font, _wiki_paragraphs(1)[0], 200, 2140, 200 + 5 * LINE)
    table, y = table_words(font, y + 40)
    after, _ = _justified(font, _wiki_paragraphs(2)[1], 200, 2140, y + 40)
    found = find_borderless(words + prose + table + after)
    assert len(found) == 1
    grid, _ = found[0]
    assert (grid.n_rows, grid.n_cols) == (2 + len(BODY), 4)
    box = grid.box
    assert all(not (box[1] <= (w.bbox.y0 + w.bbox.y1) / 2 <= box[3]) for w in prose + after)


def test_words_of_a_ruled_table_are_not_read_again(font):
    # with_borderless looks only at the words outside the ruled tables a page already has
    ruled = Grid(ys=[0, 10, 20, 30], xs=[0, 10, 20, 30], cells=[GridCell(r, c, 1, 1, (c * 10, r * 10, c * 10 + 10, r * 10 + 10))
                                                             for r in range(3) for c in range(3)])
    page = PageTables(number=1, dpi=300, grids=[ruled], texts=[[""] * 9], outside=[])
    assert with_borderless(page) is page


def _pdf(path: Path, ruled: bool) -> None:
    """A born-digital report page: prose, a borderless table and, with ``ruled``, a ruled table below."""
    import fpdf  # dev dependency: never skipped
    if not BOLD.is_file():
        pytest.skip(f"font {BOLD} not installed")
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.add_font("S", "", str(FONT))
    pdf.add_font("S", "B", str(BOLD))
    pdf.add_page()
    pdf.set_margins(60, 60, 60)
    pdf.set_font("S", "", 12)
    pdf.multi_cell(0, 16, "Trong năm, các cơ sở y tế và trường học tiếp tục được đầu tư, nâng cấp; chất lượng khám "
                   "chữa bệnh và dạy học từng bước được nâng lên. Kết quả cụ thể như sau:", align="J")
    pdf.ln(8)
    pdf.set_font("S", "B", 12)
    pdf.cell(0, 16, "Biểu 02: KẾT QUẢ CÁC CHỈ TIÊU Y TẾ, GIÁO DỤC", align="C", new_x="LMARGIN", new_y="NEXT")
    x = [60, 250, 340, 430, 520]

    def put(text: str, x0: float, x1: float, y: float, align: str, border: int = 0, h: float = 15) -> None:
        pdf.set_xy(x0, y)
        pdf.cell(x1 - x0, h, text, align=align, border=border)

    y = pdf.get_y() + 6
    pdf.set_font("S", "B", 11)
    put("Chỉ tiêu", x[0], x[1], y + 8, "L")
    put("Năm 2024", x[1], x[3], y, "C")
    put("Kế hoạch", x[3], x[4], y, "C")
    put("Thực hiện", x[1], x[2], y + 15, "C")
    put("Ước cả năm", x[2], x[3], y + 15, "C")
    put("năm 2025", x[3], x[4], y + 15, "C")
    y += 36
    pdf.set_font("S", "", 11)
    for label, *nums in BODY:
        put(label, x[0], x[1], y, "L")
        for k, n in enumerate(nums):
            put(n, x[1 + k], x[2 + k] - 8, y, "R")
        y += 17
    if ruled:
        y += 30
        for r, row in enumerate([("Chỉ tiêu", "Năm 2023", "Năm 2024", "Năm 2025"), ("Số lớp học", "310", "322", "335"),
                                 ("Số giáo viên", "640", "655", "690"), ("Số phòng học", "280", "296", "300")]):
            for k, t in enumerate(row):
                put(t, x[k], x[k + 1], y, "L" if k == 0 else "R", border=1, h=20)
            y += 20
    pdf.set_xy(60, y + 16)
    pdf.multi_cell(0, 16, "Năm 2025, phấn đấu có thêm 3 trường đạt chuẩn quốc gia; tỷ lệ hộ dùng nước sạch đạt 92%.",
                   align="J")
    pdf.output(str(path))


def test_born_digital_report_figures_through_extract(tmp_path):
    from click.testing import CliRunner

    from planscan.cli import cli

    pdf = tmp_path / "report.pdf"
    _pdf(pdf, ruled=False)
    res = CliRunner().invoke(cli, ["extract", str(pdf)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    recs = [json.loads(ln) for ln in res.output.splitlines() if ln.startswith("{")]
    table = [r for r in recs if r["table"] is not None]
    assert len(table) == 3 * len(BODY)
    beds = next(r for r in table if r["value"] == 1250)
    assert (beds["table"], beds["row"], beds["col"], beds["kind"], beds["year"]) == (1, 4, 2, "actual", 2024)
    assert beds["indicator"] == "Số giường bệnh" and beds["bbox"] is not None
    # the table's rows are not read again as prose; the sentence after the table is
    prose = [r for r in recs if r["table"] is None]
    assert {r["value"] for r in prose} == {3, 92}
    assert not any(r["value"] in (1250, 1310, 96.5) for r in prose)


def test_born_digital_ruled_and_borderless_tables_each_found_once(tmp_path):
    from planscan.pipeline import read_tables

    pdf = tmp_path / "both.pdf"
    _pdf(pdf, ruled=True)
    tables = read_tables(pdf)
    assert [t.borders for t in tables] == [False, True]
    assert [(t.n_rows - t.n_header_rows, t.n_cols) for t in tables] == [(len(BODY), 4), (3, 4)]
    a, b = tables[0].bbox, tables[1].bbox
    assert a.y1 <= b.y0


def test_form_with_row_numbers_units_and_column_numbers(font):
    from planscan.extract.tables.figures import tables_records

    cols = [(200, 330), (330, 1100), (1100, 1350), (1350, 1650), (1650, 1950), (1950, 2250)]
    rows = [["STT", "Nội dung", "ĐVT", "TH 2023", "KH 2024", "UTH 2024"], ["A", "B", "C", "1", "2", "3"],
            ["I", "TỔNG THU NGÂN SÁCH NHÀ NƯỚC TRÊN ĐỊA BÀN", "", "", "", ""],
            ["1", "Thu từ doanh nghiệp", "Triệu đồng", "12.500", "13.000", "13.450"],
            ["2", "Thu phí, lệ phí", "Triệu đồng", "2.140", "-", "2.300"],
            ["3", "Số hộ được hỗ trợ", "Hộ", "315", "320", "x"]]
    words = []
    for r, row in enumerate(rows):
        for k, ((a, b), t) in enumerate(zip(cols, row)):
            if t:  # labels from the left of their column (a group heading runs on into the next)
                words += _words(font, t, a + 20, 300 + r * LINE) if k == 1 else _words(font, t, a, 300 + r * LINE,
                                                                                    "centre", b - a)
    [table] = build_tables([with_borderless(PageTables(number=1, dpi=300, grids=[], texts=[], outside=words))])
    assert (table.n_rows, table.n_cols, table.n_header_rows) == (6, 6, 2)
    assert table.grid()[2][:2] == ["I", "TỔNG THU NGÂN SÁCH NHÀ NƯỚC TRÊN ĐỊA BÀN"]
    recs = {(r.row, r.col): r for r in tables_records([table])}
    assert len(recs) == 7  # "-" and "x" hold no figure
    assert (recs[(2, 4)].value, recs[(2, 4)].unit, recs[(2, 4)].kind, recs[(2, 4)].year) == (12500, "triệu đồng", "actual", 2023)
    assert (recs[(4, 5)].kind, recs[(4, 5)].year, recs[(4, 5)].unit) == ("target", 2024, "hộ")
