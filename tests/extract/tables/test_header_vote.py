"""Header cells read several ways (other images, other models, a repeated header): the reading kept.
Synthetic readings and a drawn table only."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from planscan.extract.tables.build import build_tables
from planscan.extract.tables.columns import read_columns
from planscan.extract.tables.header_vote import choose_reading
from planscan.ocr.tables import Grid, GridCell, PageTables


def test_a_year_most_readings_agree_on_beats_a_misread_one():
    readings = ["Dự toán năm 2O24", "Dự toán năm 2924", "Dự toán năm 2024", "Du toan nam 2024",
                "Dự toán nám 2024"]
    assert choose_reading(readings) == "Dự toán năm 2024"


def test_a_run_of_digits_that_is_no_year_loses():
    assert choose_reading(["QT 20223/DT 2023", "QT 2023/DT 2023", "QT 2023 DT 2023"]) == "QT 2023/DT 2023"


def test_a_reading_that_lost_its_kind_word_loses_to_the_one_that_keeps_it():
    # the first line of a two-line cell lost: no kind left for the column grammar
    assert choose_reading(["năm 2026", "Chỉ tiêu năm 2026", "Chi tieu nam 2026"]) == "Chỉ tiêu năm 2026"


def test_known_syllables_beat_shredded_letters_and_specks():
    assert choose_reading(["Thựơ hxqn |_", "Thực hiện", "Thuc hien"]) == "Thực hiện"
    assert choose_reading(["» ; Ghi chủ ¬", "Ghi chú"]) == "Ghi chú"


def test_of_two_spellings_with_the_same_letters_the_common_word_wins():
    common = "Ước thực hiện năm 2027"
    assert choose_reading(["Ước thực hiện nắm 2027", common]) == common


def test_a_comparison_that_names_its_base_beats_one_whose_slash_was_lost():
    assert choose_reading(["TH 2023 KH 2023", "TH 2023/KH 2023", "TH 2023 KH 2023"]) == "TH 2023/KH 2023"


def test_equal_readings_keep_the_first_and_no_reading_gives_nothing():
    assert choose_reading(["Kế hoạch", "Kế hoạch"]) == "Kế hoạch"
    assert choose_reading(["", "  "]) == ""
    assert choose_reading(["Năm 2025"]) == "Năm 2025"


def _page(number: int, header: list[str], body: list[list[str]], alternatives: dict[int, list[str]]) -> PageTables:
    rows = [header] + body
    xs = [100 * (k + 1) for k in range(len(header) + 1)]
    ys = [200 + 20 * r for r in range(len(rows) + 1)]
    cells = [GridCell(r, k, 1, 1, (xs[k], ys[r], xs[k + 1], ys[r + 1]))
             for r, row in enumerate(rows) for k in range(len(row))]
    return PageTables(number=number, dpi=72, grids=[Grid(ys=ys, xs=xs, cells=cells)],
                      texts=[[t for row in rows for t in row]], outside=[], alternatives=[alternatives])


BODY = [["1", "Số trạm bơm", "12", "14"], ["2", "Số kênh mương", "30", "35"]]


def test_the_header_cell_is_chosen_among_its_alternatives_and_the_column_gets_its_kind_and_year():
    header = ["STT", "Nội dung", "năm 2O23", "Kẽ koach 2924"]
    alternatives = {2: ["Thực hiện năm 2023", "Thuc hien nam 2023"],
                    3: ["Kế hoạch 2024", "Ke hoach 2024", "Kế hoạch 2024"],
                    5: ["I"]}  # a body cell's reading is never taken
    [table] = build_tables([_page(1, header, BODY, alternatives)])
    cols = read_columns(table)
    assert [c.text for c in table.cells if c.row == 1][2:] == ["Thực hiện năm 2023", "Kế hoạch 2024"]
    assert [(c.kind, c.year) for c in cols[2:]] == [("actual", 2023), ("target", 2024)]
    assert [c.text for c in table.cells if c.row == 2][:2] == ["1", "Số trạm bơm"]


def test_a_column_number_row_keeps_its_numbers():
    header = ["STT", "Nội dung", "Thực hiện 2023", "Kế hoạch 2024"]
    numbers = ["1", "2", "3", "4"]
    [table] = build_tables([_page(1, header, [numbers] + BODY, {4: ["I", "I"], 6: ["Ị", "Ì"]})])
    assert table.n_header_rows == 2
    assert [c.text for c in table.cells if c.row == 2] == numbers


def test_the_header_a_continued_table_repeats_is_one_more_reading_of_each_cell():
    worn = ["STT", "Nội dung", "Thực hxqn 2O23", "Kế hoạch 2024"]
    clean = ["STT", "Nội dung", "Thực hiện 2023", "Kế hoạch 2024"]
    p1 = _page(1, worn, BODY, {})
    p2 = _page(2, clean, [["3", "Số hồ chứa", "4", "5"]], {2: ["Thực hiện 2023"]})
    [table] = build_tables([p1, p2])
    assert table.pages == [1, 2]
    assert [c.text for c in table.cells if c.row == 1][2] == "Thực hiện 2023"
    assert [(c.kind, c.year) for c in read_columns(table)[2:]] == [("actual", 2023), ("target", 2024)]


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_a_drawn_header_worn_in_its_binarised_image_is_read_from_the_grey_one():
    import pytesseract

    from planscan.ocr import tables
    from planscan.ocr.tesseract import _languages
    from tests.ocr.test_tables import DPI, XS, YS, render_table

    langs = _languages(pytesseract.pytesseract.tesseract_cmd)
    if "vie" not in langs or "eng" not in langs:
        pytest.skip("tesseract vie/eng data not installed")
    grey = render_table(bold_header=False)
    binarised = grey.copy()
    # the binarisation of a worn copy shreds one header cell ("Thực hiện"): every other pixel
    # column of its letters gone; the grey page still holds them
    x0, x1, y0, y1 = XS[3] + 10, XS[4] - 10, YS[1] + 10, YS[2] - 10
    cell = binarised[y0:y1, x0:x1]
    cell[:, ::2] = 255
    cell[::3, :] = 255
    pt = tables.tables_from_scan(1, binarised, DPI, "vie", grey=grey)
    cells = pt.grids[0].cells
    alternatives = pt.alternatives_of(0)
    assert alternatives and all(cells[i].row < 2 for i in alternatives)  # the header only
    assert all(len(rs) >= 2 for rs in alternatives.values())
    [table] = build_tables([pt])
    cols = read_columns(table)
    assert [(c.kind, c.year) for c in cols[2:4]] == [("target", 2024), ("actual", 2024)]
    # without the grey page (a clean copy) nothing more is read
    assert tables.tables_from_scan(1, grey, DPI, "vie").alternatives_of(0) == {}
