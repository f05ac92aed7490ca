"""Header, columns, row tree and figures of synthetic tables (no corpus text or figures)."""

from __future__ import annotations

from planscan.extract.tables.build import build_tables, header_depth, unit_note
from planscan.extract.tables.columns import read_columns
from planscan.extract.tables.figures import canonical_unit, cell_value, table_records, table_rows, without_tables
from planscan.ocr.tables import Grid, GridCell, PageTables
from planscan.schemas.records import BBox, Document, Line, Page, Word
from planscan.schemas.tables import Cell, Segment, Table

SPAN = None  # a position covered by the span of a cell to its left or above


def make_table(rows: list[list], n_header: int | None = None, unit: str | None = None) -> Table:
    """A Table from a dense grid: a string starts a cell, SPAN continues the cell left of it (or above
    when the cell above spans down, marked by a leading '^')."""
    cells: list[Cell] = []
    n_cols = len(rows[0])
    owner: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(rows, start=1):
        for k, v in enumerate(row, start=1):
            if v is SPAN:
                left = owner[(r, k - 1)]
                if left.row == r:
                    left.colspan += 1
                owner[(r, k)] = left
            elif v == "^":
                up = owner[(r - 1, k)]
                if up.col == k:
                    up.rowspan += 1
                owner[(r, k)] = up
            else:
                c = Cell(row=r, col=k, text=v, bbox=BBox(x0=k * 100, y0=r * 20, x1=k * 100 + 100, y1=r * 20 + 20))
                cells.append(c)
                owner[(r, k)] = c
    depth = header_depth(cells, len(rows), n_cols) if n_header is None else n_header
    box = BBox(x0=100, y0=20, x1=100 * (n_cols + 1), y1=20 * (len(rows) + 1))
    return Table(n_rows=len(rows), n_cols=n_cols, n_header_rows=depth, cells=cells, unit_note=unit, dpi=72,
                 bbox=box, pages=[1], segments=[Segment(page=1, bbox=box, first_row=1, last_row=len(rows))])


PLAN = [
    ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2023", "Năm 2024", SPAN, "Kế hoạch năm 2025", "So sánh (%)", SPAN],
    ["^", "^", "^", "^", "Kế hoạch", "Ước thực hiện", "^", "UTH 2024/KH 2024", "KH 2025/UTH 2024"],
    ["A", "KINH TẾ", "", "", "", "", "", "", ""],
    ["1", "Số trường đạt chuẩn", "Trường", "10/25", "12/25", "12/25", "15/25", "100,0", "125,0"],
    ["", "- Mầm non", "Trường", "4", "5", "x", "6", "-", "120,0"],
    ["2", "Tổng giá trị sản xuất", "Tỷ đồng", "1.250,5", "1.300", "1.310,2", "1.400", "100,8", "106,9"],
    ["a", "Lúa chiêm", "", "", "", "", "", "", ""],
    ["", "- Diện tích", "Ha", "520", "530", "528", "540", "99,6", "102,3"],
]


def test_header_depth_follows_merged_cells_and_column_numbers():
    assert make_table(PLAN).n_header_rows == 2
    numbered = [["STT", "Nội dung", "Dự toán 2024", "Ước thực hiện 2024"], ["A", "B", "1", "2"],
                ["1", "Thu nội địa", "100", "110"]]
    assert make_table(numbered).n_header_rows == 2
    continuation = [["3", "Thu khác", "12", "14"], ["4", "Thu viện trợ", "1.200", "1.300"]]
    assert make_table(continuation).n_header_rows == 0


def test_columns_get_role_kind_year_period_and_base():
    cols = {c.index: c for c in read_columns(make_table(PLAN))}
    assert [cols[i].role for i in (1, 2, 3)] == ["stt", "label", "unit"]
    got = {i: (cols[i].kind, cols[i].year, cols[i].period, cols[i].vs_year) for i in range(4, 10)}
    assert got == {
        4: ("actual", 2023, "năm 2023", None),
        5: ("target", 2024, "năm 2024", None),
        6: ("estimate", 2024, "năm 2024", None),
        7: ("target", 2025, "năm 2025", None),
        8: ("ratio_to_plan", 2024, "năm 2024", 2024),
        9: ("ratio_to_prior", 2025, "năm 2025", 2024),
    }
    assert cols[8].unit == "%" and cols[9].title == "So sánh (%) / KH 2025/UTH 2024"


def test_comparisons_without_years_borrow_them_from_what_they_compare():
    rows = [["TT", "Nội dung", "Thực hiện", SPAN, "So cùng kỳ (%)", "Tăng (+), giảm (-)"],
            ["^", "^", "9 tháng đầu năm 2023", "9 tháng đầu năm 2024", "^", "^"],
            ["1", "Thu ngân sách", "80", "90", "112,5", "10"]]
    cols = {c.index: c for c in read_columns(make_table(rows))}
    assert (cols[4].kind, cols[4].period) == ("actual", "9 tháng đầu năm 2024")
    assert (cols[5].kind, cols[5].year, cols[5].vs_year, cols[5].period) == (
        "ratio_to_prior", 2024, 2023, "9 tháng đầu năm 2024")
    assert cols[6].kind == "change"
    budget = [["STT", "Nội dung", "Dự toán năm 2024", "Ước thực hiện năm 2024", "% so dự toán"],
              ["1", "Chi thường xuyên", "500", "520", "104,0"]]
    c5 = read_columns(make_table(budget))[4]
    assert (c5.kind, c5.year, c5.vs_year) == ("ratio_to_plan", 2024, 2024)


def test_unreadable_header_leaves_roles_to_the_body():
    rows = [["~`", "C;h t!", "Dv", "Thực hiện năm 2023"],
            ["I", "Diện tích gieo trồng lúa nước", "Ha", "1.200"],
            ["1", "Sản lượng lương thực có hạt", "Tấn", "3.400"],
            ["2", "Số trang trại chăn nuôi tập trung", "Trang trại", "12"]]
    cols = read_columns(make_table(rows, n_header=1))
    assert [c.role for c in cols] == ["stt", "label", "unit", "value"]


def test_row_tree_labels_read_with_their_group():
    t = make_table(PLAN)
    rows = table_rows(t, read_columns(t))
    by_index = {r.index: r for r in rows}
    assert by_index[1].label == "KINH TẾ" and by_index[1].parent is None
    assert by_index[2].parent is by_index[1] and by_index[3].parent is by_index[2]
    assert by_index[6].full_label() == "Diện tích lúa chiêm"
    assert by_index[5].parent is by_index[4]


def test_records_from_figure_cells():
    recs = table_records(make_table(PLAN), document="doc.pdf")
    by_pos = {(r.row, r.col): r for r in recs}
    assert (2, 4) in by_pos and (by_pos[(2, 4)].value, by_pos[(2, 4)].of) == (10, 25)
    assert (3, 6) not in by_pos and (3, 8) not in by_pos  # "x" and "-" hold no figure
    r = by_pos[(4, 4)]
    assert (r.value, r.unit, r.kind, r.year, r.table, r.bbox.x0) == (1250.5, "tỷ đồng", "actual", 2023, 1, 400)
    assert r.value_base == 1250.5e9
    assert by_pos[(4, 9)].unit == "%" and by_pos[(4, 9)].kind == "ratio_to_prior"
    assert by_pos[(4, 9)].vs_year == 2024
    assert all(r.row != 1 for r in recs)  # a group row without figures gives none
    assert by_pos[(6, 5)].indicator == "Diện tích lúa chiêm" and by_pos[(6, 5)].unit == "ha"


def test_unit_from_the_note_when_no_unit_column():
    rows = [["STT", "Nội dung", "Dự toán năm 2024"], ["1", "Thu nội địa", "4.386"], ["2", "Thu khác", "-0,9"]]
    recs = table_records(make_table(rows, unit=unit_note(["Đơn vị tính: Triệu đồng"])))
    assert [(r.value, r.unit) for r in recs] == [(4386, "triệu đồng"), (-0.9, "triệu đồng")]


def test_cell_values_and_units():
    assert cell_value("16/18") == (16, 18)
    assert cell_value("8,7") == (8.7, None)
    assert cell_value("-") is None and cell_value("x") is None and cell_value("") is None
    assert canonical_unit("Điếm") == "điểm"
    assert canonical_unit("Km/điểm phục vụ") == "km/điểm phục vụ"
    assert canonical_unit("m¿") == "m³"


def _grid_page(number: int, header: list[str], body: list[list[str]], above: list[str]) -> PageTables:
    rows = [header] + body
    xs = [100 * (k + 1) for k in range(len(header) + 1)]
    ys = [200 + 20 * r for r in range(len(rows) + 1)]
    cells, texts = [], []
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            cells.append(GridCell(r, k, 1, 1, (xs[k], ys[r], xs[k + 1], ys[r + 1])))
            texts.append(text)
    words = [Word(text=t, conf=-1, bbox=BBox(x0=100, y0=100 + 20 * i, x1=400, y1=115 + 20 * i)) for i, t in enumerate(above)]
    return PageTables(number=number, dpi=72, grids=[Grid(ys=ys, xs=xs, cells=cells)], texts=[texts], outside=words)


def test_a_table_continued_with_its_header_repeated_is_one_table():
    header = ["STT", "Chỉ tiêu", "Kế hoạch năm 2025"]
    p1 = _grid_page(1, header, [["1", "Số xã", "18"], ["2", "Số thôn", "120"]], ["Biểu số 07", "MỘT SỐ CHỈ TIÊU CHỦ YẾU"])
    p2 = _grid_page(2, header, [["3", "Số hộ", "9.000"]], [])
    tables = build_tables([p1, p2])
    assert len(tables) == 1
    t = tables[0]
    assert (t.pages, t.n_rows, t.n_header_rows) == ([1, 2], 4, 1)
    assert t.title == "Biểu số 07: MỘT SỐ CHỈ TIÊU CHỦ YẾU"
    assert [r.row for r in table_records(t)] == [1, 2, 3]
    # the same form on the next page under a caption of its own is another table
    p2b = _grid_page(2, header, [["1", "Số hộ", "9.000"]], ["Biểu số 08", "CHỈ TIÊU XÃ HỘI"])
    assert len(build_tables([p1, p2b])) == 2


def test_prose_path_skips_lines_inside_tables():
    t = make_table(PLAN)
    inside = Line(text="1 Số trường 10", bbox=BBox(x0=150, y0=90, x1=600, y1=100), words=[])
    outside = Line(text="Tổng thu đạt 100 tỷ đồng", bbox=BBox(x0=150, y0=400, x1=600, y1=410), words=[])
    doc = Document(source="x.pdf", pages=[Page(number=1, dpi=72, lines=[inside, outside])])
    assert [ln.text for ln in without_tables(doc, [t]).pages[0].lines] == [outside.text]


def test_a_misread_year_snaps_to_the_years_the_table_states():
    rows = [["STT", "Chỉ tiêu", "Năm 2022", SPAN, "Kế hoạch năm 2028"],
            ["^", "^", "Kế hoạch", "Ước thực hiện", "^"],
            ["1", "Số xã", "18", "18", "19"]]
    cols = read_columns(make_table(rows))
    assert (cols[4].year, cols[4].period) == (2023, "năm 2023")  # an 8 for a 3, five years from the rest
    assert cols[2].year == 2022
