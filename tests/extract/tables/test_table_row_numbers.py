"""A worn copy's row-number column, whose group numbers (I, II) read as digits, is still told from
a column of small figures by the body alone (synthetic tables)."""

from __future__ import annotations

from planscan.extract.tables.columns import read_columns
from planscan.extract.tables.figures import table_records
from tests.extract.tables.test_tables_reading import make_table

# The header is unreadable: "STT" and "Chỉ tiêu" came out as marks, so the body must say what each
# column is. Group numbers "I" and "II" were read as "1" and "11".
WORN = [["»i", "_ : ¬", "Dv", "Năm 2024"],
        ["1", "Giáo dục", "", ""],
        ["1", "Số trường học đạt chuẩn quốc gia", "Trường", "14"],
        ["2", "Số phòng học được kiên cố hóa", "Phòng", "230"],
        ["3", "Số giáo viên đạt chuẩn trình độ", "Người", "512"],
        ["11", "Y tế", "", ""],
        ["1", "Số trạm y tế xã đạt chuẩn", "Trạm", "9"],
        ["2", "Số giường bệnh trên vạn dân", "Giường", "31"]]


def test_row_numbers_read_as_digits_number_the_rows_and_give_no_figures():
    t = make_table(WORN, n_header=1)
    assert [c.role for c in read_columns(t)] == ["stt", "label", "unit", "value"]
    records = table_records(t)
    assert sorted(r.value for r in records) == [9, 14, 31, 230, 512]
    assert {r.col for r in records} == {4}


def test_a_column_of_small_figures_stays_a_value_column():
    rows = [["»i", "_ : ¬", "Năm 2024"],
            ["Xã Bình Minh Đông", "12", "1.200"], ["Xã Hòa Lạc Thượng", "5", "900"], ["Xã Tân Phú Trung", "30", "2.150"],
            ["Xã Phước Long Hạ", "7", "640"],
            ["Xã An Thạnh Nam", "18", "1.020"]]
    cols = read_columns(make_table(rows, n_header=1))
    assert cols[1].role == "value"


def test_letters_that_are_also_roman_numerals_go_on_lettering_their_groups():
    from planscan.extract.tables.rows import build_rows

    body = [(1, "A", "Thu cân đối", ""), (2, "I", "Thu nội địa", ""), (3, "1", "Thu từ doanh nghiệp", ""),
            (4, "II", "Thu khác", ""), (5, "B", "Chi đầu tư", ""), (6, "C", "Chi dự phòng", ""),
            (7, "D", "Chi chuyển nguồn", "")]
    rows = {r.index: r for r in build_rows(body)}
    assert rows[6].level == rows[5].level == rows[7].level == 0
    assert rows[6].parent is None and rows[7].parent is None
    # A roman "I" under a letter is still a roman group number.
    assert rows[2].parent is rows[1] and rows[4].parent is rows[1] and rows[3].parent is rows[2]
