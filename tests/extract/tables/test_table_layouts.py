"""Layouts the held-out forms have: a cross-tab (places by measures) and a provincial budget with
7-digit figures. Synthetic tables only."""

from __future__ import annotations

from tests.extract.tables.test_tables_reading import make_table

from planscan.extract.tables.figures import table_records

CROSS = [
    ["STT", "Tên xã", "Diện tích lúa (ha)", "Sản lượng (tấn)", "Số hộ nghèo (hộ)"],
    ["1", "Xã Bình Minh", "320", "1.650,5", "45"],
    ["2", "Xã Tân Lập", "275", "1.402", "61"],
    ["", "Tổng cộng", "595", "3.052,5", "106"],
]


def test_a_cross_tab_figure_is_named_by_its_measure_and_its_place():
    recs = table_records(make_table(CROSS), "d", document_year=2023)
    assert len(recs) == 9
    first = {r.col: r for r in recs if r.row == 1}
    assert first[3].value == 320 and first[3].unit == "ha"
    assert first[4].value == 1650.5 and first[4].unit == "tấn"
    for r in first.values():
        assert "Bình Minh" in r.indicator
    assert first[3].indicator.startswith("Diện tích lúa")
    assert first[4].indicator.startswith("Sản lượng")
    # Three measures of one place are three indicators, not one.
    assert len({r.key for r in first.values()}) == 3
    # The same measure of two places are two indicators too.
    second = {r.col: r for r in recs if r.row == 2}
    assert second[3].key != first[3].key
    assert all(r.year == 2023 for r in recs)


def test_a_cross_tab_takes_its_kind_from_the_document():
    report = table_records(make_table(CROSS), "d", document_year=2023, document_kind="actual")
    plan = table_records(make_table(CROSS), "d", document_year=2024, document_kind="target")
    assert {r.kind for r in report} == {"actual"}
    assert {r.kind for r in plan} == {"target"} and {r.year for r in plan} == {2024}


def test_a_column_that_names_its_kind_keeps_it_whatever_the_document():
    rows = [["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2023", "Kế hoạch năm 2024"],
            ["1", "Số trường đạt chuẩn", "Trường", "12", "15"]]
    recs = {r.col: r for r in table_records(make_table(rows), "d", document_year=2024, document_kind="target")}
    assert recs[4].kind == "actual" and recs[4].year == 2023
    assert recs[5].kind == "target" and recs[5].year == 2024
    # A plain label column is no cross-tab: the label is the row's alone.
    assert recs[4].indicator == "Số trường đạt chuẩn"


def test_a_provincial_budget_keeps_seven_digit_figures_exact():
    rows = [["STT", "Nội dung", "Dự toán năm 2024", "Quyết toán năm 2023"],
            ["A", "TỔNG THU NSNN TRÊN ĐỊA BÀN", "12.345.678", "11.002.345"],
            ["1", "Thu nội địa", "9.876.543", "8.765.432,5"]]
    recs = {(r.row, r.col): r for r in table_records(make_table(rows, unit="triệu đồng"), "d")}
    assert recs[(1, 3)].value == 12345678 and recs[(1, 3)].kind == "target" and recs[(1, 3)].year == 2024
    assert recs[(2, 4)].value == 8765432.5 and recs[(2, 4)].kind == "actual" and recs[(2, 4)].year == 2023
    assert recs[(2, 3)].unit == "triệu đồng"
    assert recs[(2, 3)].part_of == recs[(1, 3)].ref


def test_extract_gives_a_plans_cross_tab_the_plan_year_and_target():
    from planscan.pipeline import extract_document, text_to_document

    doc = text_to_document("ỦY BAN NHÂN DÂN HUYỆN BÌNH AN\nKẾ HOẠCH\nPhát triển nông nghiệp năm 2024\n", "plan.txt")
    meta, _sections, records = extract_document(doc, tables=[make_table(CROSS)])
    assert meta.plan_year == 2024
    cells = [r for r in records if r.table is not None]
    assert len(cells) == 9 and {(r.kind, r.year) for r in cells} == {("target", 2024)}
