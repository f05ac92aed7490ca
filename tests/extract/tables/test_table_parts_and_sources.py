"""Totals and their parts in a table (``part_of``), and a figure stated in prose and in a table as
one record with two sources (synthetic tables and sentences; no corpus text or figures)."""

from __future__ import annotations

from tests.extract.tables.test_tables_reading import make_table

from planscan.extract.compare import ComparedDocument, compare_documents
from planscan.extract.tables.figures import same_figure, table_records, with_table_figures
from planscan.extract.tables.rows import build_rows, is_total_label
from planscan.pipeline import extract_document, text_to_document
from planscan.schemas.records import IndicatorRecord

PEOPLE = [
    ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2023", "Kế hoạch năm 2024", "So sánh (%)"],
    ["", "TỔNG SỐ", "Người", "1.000", "1.100", "110,0"],
    ["1", "Xã Đông", "Người", "600", "650", "108,3"],
    ["", "Trong đó: - Nữ", "Người", "300", "320", "106,7"],
    ["2", "Xã Tây", "Người", "400", "450", "112,5"],
    ["3", "Diện tích tự nhiên", "Ha", "5.000", "5.000", "100,0"],
]


def _at(records: list[IndicatorRecord]) -> dict[tuple[int, int], IndicatorRecord]:
    return {(r.row, r.col): r for r in records}


def test_parts_link_to_the_figure_of_their_total_in_the_same_column():
    at = _at(table_records(make_table(PEOPLE)))
    assert at[(2, 4)].part_of == at[(1, 4)].ref == "T1.1.4"  # a numbered row under "Tổng số"
    assert at[(2, 5)].part_of == "T1.1.5"
    assert at[(3, 4)].part_of == at[(2, 4)].ref  # "Trong đó" under its numbered row, not under the total
    assert at[(4, 5)].part_of == "T1.1.5"
    assert at[(1, 4)].part_of is None  # the total is a part of nothing
    assert at[(5, 4)].part_of is None  # hectares are no part of a count of people
    assert all(at[(r, 6)].part_of is None for r in range(1, 6))  # a ratio of a part is no part of a ratio


def test_a_measure_of_a_group_and_a_part_larger_than_its_whole_are_no_parts():
    rows = [
        ["STT", "Chỉ tiêu", "ĐVT", "Ước thực hiện năm 2024"],
        ["1", "Cây lúa", "Ha", "500"],
        ["", "- Năng suất", "Tạ/ha", "55"],
        ["", "- Diện tích lúa nương", "Ha", "120"],
        ["2", "Diện tích rừng", "Ha", "80"],
        ["", "- Rừng phòng hộ", "Ha", "95"],
    ]
    at = _at(table_records(make_table(rows)))
    assert at[(2, 4)].part_of is None
    assert at[(3, 4)].part_of == "T1.1.4"
    assert at[(5, 4)].part_of is None
    assert at[(4, 4)].part_of is None  # no "Tổng số" row: top-level rows are parts of nothing


def test_a_part_skips_a_group_row_without_a_figure():
    rows = [
        ["STT", "Nội dung", "Dự toán năm 2024"],
        ["A", "TỔNG CHI", "900"],
        ["I", "Chi thường xuyên", ""],
        ["1", "Chi sự nghiệp giáo dục", "400"],
        ["", "Tổng cộng", "900"],
    ]
    at = _at(table_records(make_table(rows, unit="triệu đồng")))
    assert at[(3, 3)].part_of == "T1.1.3"  # through "Chi thường xuyên", which states no figure
    # a total row below its parts sums the top level ("A"), though it follows row "1"
    assert at[(1, 3)].part_of == "T1.4.3"


def test_total_rows_are_recognised_in_any_case_and_without_marks():
    assert is_total_label("TỔNG CỘNG") and is_total_label("Tổng số:") and is_total_label("Tong so")
    assert is_total_label("Cộng") and is_total_label("Tổng cộng toàn huyện")
    assert not is_total_label("Tổng thu ngân sách") and not is_total_label("Tổng đàn trâu")
    rows = build_rows([(1, "1", "Xã A", ""), (2, "2", "Xã B", ""), (3, "", "Tổng cộng", "")])
    assert rows[0].whole is rows[2] and rows[1].whole is rows[2] and rows[2].whole is None


def _prose(value: float, unit: str, text: str, ref: str, **kw) -> IndicatorRecord:
    base = dict(indicator="Tỷ lệ hộ nghèo", key="vn.1802", kind="target", year=2024, period="năm 2024",
                period_type="Y", page=1, line=4)
    return IndicatorRecord(value=value, unit=unit, text=text, ref=ref, **{**base, **kw})


def test_same_figure_within_the_precision_of_the_less_precise():
    cell = _prose(3620, "triệu đồng", "3.620", "T1.1.5", table=1, row=1, col=5, line=0)
    assert same_figure(_prose(3.62, "tỷ đồng", "3,62 tỷ đồng", "1.4.1"), cell)
    assert same_figure(_prose(3.6, "tỷ đồng", "3,6 tỷ đồng", "1.4.1"), cell)
    assert not same_figure(_prose(3.5, "tỷ đồng", "3,5 tỷ đồng", "1.4.1"), cell)
    assert not same_figure(_prose(3.62, "tỷ đồng", "3,62 tỷ đồng", "1.4.1", kind="estimate"), cell)
    assert not same_figure(_prose(3.62, "tỷ đồng", "3,62 tỷ đồng", "1.4.1", year=2023), cell)
    assert not same_figure(_prose(3620, "ha", "3.620 ha", "1.4.1"), cell)


TABLE_2024 = [
    ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2023", "Kế hoạch năm 2024"],
    ["1", "Tỷ lệ hộ nghèo", "%", "12,5", "10,2"],
]
PLAN_2024 = ("KẾ HOẠCH\nPhát triển kinh tế - xã hội năm 2024\nI. MỤC TIÊU\n"
             "Năm 2024, phấn đấu tỷ lệ hộ nghèo còn 10,2%.\n")


def test_a_figure_in_prose_and_in_a_table_is_one_record_with_both_sources():
    doc = text_to_document(PLAN_2024, "plan-2024.txt")
    _meta, _sections, records = extract_document(doc, tables=[make_table(TABLE_2024)])
    targets = [r for r in records if r.key == "vn.1802" and r.kind == "target"]
    assert len(targets) == 1
    (t,) = targets
    assert (t.table, t.row, t.col, t.value) == (1, 1, 5, 10.2)
    assert [(s.page, s.line, s.table) for s in t.also_in] == [(1, 4, None)]
    assert "10,2%" in t.also_in[0].text
    actual = [r for r in records if r.key == "vn.1802" and r.kind == "actual"]
    assert len(actual) == 1 and actual[0].also_in == []  # the prose does not state it


def test_links_to_a_sentence_folded_into_a_cell_follow_it():
    cell = _prose(10.2, "%", "10,2", "T1.1.5", table=1, row=1, col=5, line=0)
    stated = _prose(10.2, "%", "còn 10,2%", "1.4.1")
    again = _prose(10.2, "%", "10,2%", "2.7.5", same_as="1.4.1", page=2, line=7)
    part = _prose(3.1, "%", "trong đó 3,1%", "1.4.2", indicator="Tỷ lệ hộ nghèo dân tộc", key="x_other",
                  part_of="1.4.1")
    out = with_table_figures([stated, part, again], [cell])
    assert [r.ref for r in out] == ["1.4.2", "T1.1.5"]
    assert out[0].part_of == "T1.1.5"
    assert [s.ref for s in out[1].also_in] == ["1.4.1", "2.7.5"]
    assert with_table_figures([stated, part], []) == [stated, part]


def test_diff_pairs_a_figure_with_two_sources_once():
    old_table = [["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2022", "Kế hoạch năm 2023"],
                 ["1", "Tỷ lệ hộ nghèo", "%", "14,0", "12,8"]]
    old = table_records(make_table(old_table), document="plan-2023.pdf")
    doc = text_to_document(PLAN_2024, "plan-2024.txt")
    prose = extract_document(doc, tables=[])[2]
    # the table names it otherwise than the sentence, so the two are not one statement word for word
    table = [row[:] for row in TABLE_2024]
    table[1][1] = "Tỷ lệ hộ nghèo (theo chuẩn đa chiều)"
    cells = table_records(make_table(table), document="plan-2024.pdf")

    def target_rows(new: list[IndicatorRecord]) -> list:
        result = compare_documents([ComparedDocument("2023", old), ComparedDocument("2024", new)])
        return [r for r in result.rows if r.key == "vn.1802" and r.row_class == "target"]

    merged = target_rows(with_table_figures(prose, cells))
    assert len(merged) == 1 and all(c is not None for c in merged[0].cells)
    assert [c.value for c in merged[0].cells] == [12.8, 10.2]
    assert len(target_rows(prose + cells)) == 2  # kept twice, the second statement is a row of its own
