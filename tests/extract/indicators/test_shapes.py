"""Shapes of figures: ranges, qualifiers, lists with a shared counted noun, parts of a total and
repeated totals (made-up texts)."""

from __future__ import annotations

from planscan.extract.indicators.records import extract_indicators
from planscan.pipeline import text_to_document


def records(text: str):
    return extract_indicators(text_to_document(text, source="t.txt"))


def test_a_range_is_one_record_with_its_upper_end():
    recs = records("Diện tích nhà ở bình quân đạt 30 - 35 m2/người. Tăng trưởng 8-8,5%/năm.")
    assert [(r.value, r.max, r.unit) for r in recs] == [(30.0, 35.0, "m2/người"), (8.0, 8.5, "%/năm")]


def test_a_qualifier_changes_neither_value_nor_kind():
    recs = records("Toàn huyện có khoảng 1.200 hộ nuôi ong, trên 45 tỷ đồng vốn vay và từ 20% trở lên số xã đạt chuẩn.")
    got = {r.value: (r.qualifier, r.kind) for r in recs}
    assert got[1200] == ("khoảng", "actual")
    assert got[45] == ("trên", "actual")
    assert got[20] == ("từ ... trở lên", "actual")


def test_a_list_with_a_shared_counted_noun_gives_each_item_that_noun():
    text = "Đến năm 2035 xây dựng mới 30 trạm y tế tại các xã, cụ thể: Bình An (12), Tân Hòa (08), Phú Lộc (10)."
    recs = records(text)
    total = next(r for r in recs if r.value == 30)
    items = [r for r in recs if r.part_of == total.ref]
    assert [(r.value, r.unit) for r in items] == [(12.0, "trạm y tế"), (8.0, "trạm y tế"), (10.0, "trạm y tế")]
    assert all(r.year == total.year and r.kind == total.kind for r in items)
    assert "Tân Hòa" in items[1].indicator


def test_parts_of_a_sum_point_to_their_total():
    recs = records("Tổng vốn đầu tư 120 tỷ đồng, trong đó vốn ngân sách 70 tỷ đồng, vốn doanh nghiệp 50 tỷ đồng.")
    total, *parts = recs
    assert total.part_of is None and [p.part_of for p in parts] == [total.ref, total.ref]


def test_a_total_stated_again_is_marked_as_the_same_figure():
    recs = records("Tổng số hộ nghèo là 410 hộ.\n\nI. TỔNG HỢP\nTổng số hộ nghèo là 410 hộ.")
    assert len(recs) == 2 and recs[1].same_as == recs[0].ref and recs[0].same_as is None


def test_the_second_of_a_pair_continues_the_first_ones_change():
    recs = records("Vốn đăng ký và vốn thực hiện tăng lần lượt 12% và 7,5% so với cùng kỳ năm 2030.")
    assert [(r.value, r.kind) for r in recs] == [(12.0, "change"), (7.5, "change")]


def test_a_bound_on_a_count_is_no_base_of_a_rate():
    recs = records("Tạo việc làm cho trên 10.000 lao động; có 9 bác sĩ trên 1 vạn dân.")
    assert [(r.value, r.unit, r.qualifier) for r in recs][:1] == [(10000.0, "lao động", "trên")]
    assert 1.0 not in [r.value for r in recs]
