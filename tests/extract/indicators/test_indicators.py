"""Indicator records: kinds, periods, labels, exclusions and provenance, on small made-up texts.

The texts here are written for the tests in the genre of the plans (not taken from the samples);
``test_indicators_samples.py`` measures the samples against their labelled figures.
"""

from __future__ import annotations

import logging

import pytest

from planscan.extract.indicators.records import extract_indicators
from planscan.pipeline import text_to_document
from planscan.schemas.records import BBox, Document, Line, Page, Word


def records(text: str):
    return extract_indicators(text_to_document(text, source="t.txt"))


def one(text: str, value: float):
    found = [r for r in records(text) if r.value == value]
    assert len(found) == 1, [(r.value, r.unit, r.kind) for r in records(text)]
    return found[0]


REPORT = """KẾ HOẠCH
Phát triển nông nghiệp huyện năm 2024

Phần thứ nhất
KẾT QUẢ THỰC HIỆN 9 THÁNG ĐẦU NĂM 2023

I. TÌNH HÌNH THỰC HIỆN 9 THÁNG ĐẦU NĂM 2023
Toàn huyện có 1.245 hộ nuôi cá, tổng sản lượng thủy sản ước đạt 310,5 tấn
(tăng 12,4 tấn so với cùng kỳ năm 2022). Số hộ được vay vốn là 86 hộ
(đạt tỷ lệ 6,9 %). Thu ngân sách trên địa bàn đạt 104,2% dự toán.
Giá trị sản xuất bằng 97,5% so với cùng kỳ năm 2022, diện tích lúa giảm 15 ha so với cùng kỳ.

Phần thứ hai
NHIỆM VỤ, MỤC TIÊU NĂM 2024

I. MỤC TIÊU
Phấn đấu đến cuối năm 2024 có 1.300 hộ nuôi cá; 100% xã có trạm khuyến nông.
"""


def test_kinds_values_and_years_of_a_report_and_its_plan():
    recs = records(REPORT)
    by_value = {r.value: r for r in recs}
    assert by_value[1245].unit == "hộ" and by_value[1245].kind == "actual" and by_value[1245].year == 2023
    est = by_value[310.5]
    assert (est.unit, est.kind, est.year, est.value_base) == ("tấn", "estimate", 2023, 310500.0)
    change = by_value[12.4]
    assert (change.kind, change.vs_year, change.unit) == ("change", 2022, "tấn")
    assert by_value[6.9].kind == "actual" and by_value[6.9].unit == "%"
    assert by_value[104.2].kind == "ratio_to_plan"
    prior = by_value[97.5]
    assert (prior.kind, prior.vs_year) == ("ratio_to_prior", 2022)
    down = by_value[-15]
    assert (down.kind, down.unit, down.vs_year) == ("change", "ha", 2022)  # "so với cùng kỳ" = the year before
    target = by_value[1300]
    assert (target.kind, target.year, target.unit) == ("target", 2024, "hộ")
    assert by_value[100].kind == "target" and by_value[100].year == 2024
    assert by_value[1245].period == "9 tháng đầu năm 2023"


def test_labels_name_what_is_measured():
    recs = {r.value: r for r in records(REPORT)}
    assert recs[1245].indicator == "Số hộ nuôi cá"
    assert recs[310.5].indicator == "Tổng sản lượng thủy sản"
    assert recs[12.4].indicator.startswith("Tổng sản lượng thủy sản")  # a change names what changed
    assert recs[86].indicator == "Số hộ được vay vốn"
    assert recs[6.9].indicator == "Tỷ lệ hộ được vay vốn"  # a rate refers back to its count
    assert recs[100].indicator.startswith("Tỷ lệ xã có trạm khuyến nông")
    assert all(r.key for r in recs.values())


def test_dates_codes_anniversaries_phones_and_generations_are_not_figures():
    text = (
        "Thực hiện Quyết định số 125/QĐ-UBND ngày 12 tháng 3 năm 2023 của UBND tỉnh, "
        "kỷ niệm 75 năm Ngày thành lập huyện (15/8/1948 - 15/8/2023); mạng 3G, 4G phủ sóng; "
        "liên hệ SĐT 0215.3862.331 để được hướng dẫn; đại hội nhiệm kỳ 2020 - 2025."
    )
    assert records(text) == []


def test_text_without_figures_gives_no_records():
    assert records("") == []
    assert records("Tăng cường công tác tuyên truyền trên địa bàn huyện.\n") == []


def test_from_to_gives_two_levels_with_their_own_years():
    text = "NĂM 2023\nSố thôn có nhà văn hóa tăng từ 41 thôn (cùng kỳ năm 2022) lên 45/50 thôn.\n"
    recs = {r.value: r for r in records(text)}
    assert recs[41].year == 2022 and recs[41].kind == "actual"
    assert recs[45].year == 2023 and recs[45].of == 50
    assert recs[45].indicator == recs[41].indicator


def test_unit_taken_from_the_label_when_the_text_omits_it():
    rec = one("Trong năm 2023, số giờ phát sóng truyền hình là 4.380 (bằng cùng kỳ năm 2022).", 4380)
    assert rec.unit == "giờ" and rec.year == 2023


def test_a_sentence_over_two_lines_and_a_page_break_keeps_provenance():
    text = "Năm 2023 tổng doanh thu bưu chính ước đạt\n\n\n\fvề 2.150 triệu đồng.\n"
    rec = one(text, 2150)
    assert rec.page == 2 and rec.line == 1
    assert rec.unit == "triệu đồng" and rec.value_base == 2.15e9 and rec.base_unit == "đồng"
    assert "doanh thu bưu chính" in rec.indicator


def test_bbox_is_the_union_of_the_figure_words():
    words = [
        Word(text="Toàn", conf=95, bbox=BBox(x0=10, y0=10, x1=50, y1=30)),
        Word(text="xã", conf=95, bbox=BBox(x0=55, y0=10, x1=75, y1=30)),
        Word(text="có", conf=95, bbox=BBox(x0=80, y0=10, x1=100, y1=30)),
        Word(text="120", conf=90, bbox=BBox(x0=105, y0=11, x1=140, y1=31)),
        Word(text="hộ", conf=90, bbox=BBox(x0=145, y0=9, x1=165, y1=30)),
        Word(text="nghèo.", conf=90, bbox=BBox(x0=170, y0=10, x1=220, y1=30)),
    ]
    line = Line(text=" ".join(w.text for w in words), words=words, bbox=BBox(x0=10, y0=9, x1=220, y1=31))
    doc = Document(source="scan.pdf", pages=[Page(number=1, lines=[line])])
    (rec,) = extract_indicators(doc)
    assert rec.value == 120 and rec.unit == "hộ nghèo"
    assert rec.bbox == BBox(x0=105, y0=9, x1=220, y1=31)  # "120", "hộ", "nghèo." and nothing before
    assert 0 < rec.confidence <= 0.9


def test_unreadable_number_is_skipped_with_a_warning_naming_page_and_line(unreadable_number, caplog):
    with caplog.at_level(logging.WARNING, logger="planscan.extract"):
        recs = records(f"Dòng đầu.\n\fTrang hai.\nCó {unreadable_number} điểm và 12 xã.\n")
    assert [r.value for r in recs] == [12]
    assert any("page 2, line 2" in m and unreadable_number[:20] in m for m in caplog.messages)


def test_text_without_diacritics_still_gives_kinds():
    text = "NAM 2023\nTong doanh thu uoc dat 1.250 trieu dong (tang 5,2% so voi cung ky nam 2022).\n"
    recs = {r.value: r for r in records(text)}
    assert recs[1250].kind == "estimate"
    assert recs[5.2].kind == "change" and recs[5.2].vs_year == 2022


def test_budget_report_ratios_and_a_half_year_task_section():
    text = """BÁO CÁO
Kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2023

I. KẾT QUẢ THỰC HIỆN 6 THÁNG ĐẦU NĂM 2023
Tổng thu ngân sách trên địa bàn đạt 45,6 tỷ đồng, bằng 112% dự toán, tăng 8,3% so với cùng kỳ.
Có 15/18 xã đạt chuẩn quốc gia về y tế, chiếm 83,3%. Giải quyết việc làm cho 1.200 lao động.

II. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2023
Phát triển thêm 10 trạm BTS, nâng tổng số trạm lên 130 trạm.
"""
    recs = {r.value: r for r in records(text)}
    assert (recs[45.6].unit, recs[45.6].value_base, recs[45.6].kind) == ("tỷ đồng", 45.6e9, "actual")
    assert recs[112].kind == "ratio_to_plan"
    assert (recs[8.3].kind, recs[8.3].vs_year) == ("change", 2022)
    assert recs[15].of == 18 and recs[15].indicator.startswith("Số xã đạt chuẩn quốc gia về y tế")
    assert recs[83.3].indicator.startswith("Tỷ lệ xã đạt chuẩn")
    assert recs[1200].unit == "lao động" and recs[1200].indicator.startswith("Số lao động")
    for v in (10, 130):
        assert (recs[v].kind, recs[v].year, recs[v].period) == ("target", 2023, "6 tháng cuối năm 2023")


def test_rate_bases_measures_and_reductions_in_a_plan():
    text = """BÁO CÁO
Tình hình thực hiện kế hoạch năm 2022, phương hướng, nhiệm vụ năm 2023

Phần thứ nhất
KẾT QUẢ THỰC HIỆN NĂM 2022
Trồng mới 420 ha rừng. Số bác sĩ trên 1 vạn dân là 8,5 bác sĩ. Số hộ nghèo giảm 120 hộ.

Phần thứ hai
PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2023
Các chỉ tiêu chủ yếu: sản lượng lương thực đạt 32.000 tấn; tỷ lệ hộ nghèo giảm 4% trở lên.
"""
    recs = {r.value: r for r in records(text)}
    assert 1 not in recs  # "trên 1 vạn dân" is the base of a rate
    assert recs[420].indicator == "Diện tích rừng trồng mới"
    assert recs[-120].kind == "change" and recs[-120].vs_year is None
    assert recs[-120].indicator == "Số hộ nghèo giảm"
    reduction = recs[-4]
    assert (reduction.kind, reduction.year) == ("target", 2023)
    assert reduction.indicator.startswith("Tỷ lệ hộ nghèo")  # its own subject, not the figure before the ";"


def test_current_state_inside_the_plan_part_is_an_actual_of_the_report_period():
    text = """KẾ HOẠCH
Phát triển viễn thông năm 2024

Phần thứ nhất
TÌNH HÌNH THỰC HIỆN 6 THÁNG ĐẦU NĂM 2023
Toàn huyện có 120 trạm BTS.

Phần thứ hai
KẾ HOẠCH NĂM 2024
I. MỤC TIÊU
Hiện nay trên địa bàn có 5 xã chưa có sóng di động. Phát triển thêm 10 trạm BTS.
"""
    recs = {r.value: r for r in records(text)}
    assert (recs[5].kind, recs[5].year, recs[5].period) == ("actual", 2023, "6 tháng đầu năm 2023")
    assert (recs[10].kind, recs[10].year) == ("target", 2024)
    assert recs[10].section == ["Phần thứ hai: KẾ HOẠCH NĂM 2024", "I. MỤC TIÊU"]


def test_ocr_damage_blank_lines_stray_marks_and_a_garbled_verb():
    text = (
        "I. KẾT QUẢ NĂM 2023\n"
        "Tổng doanh thu bưu chính ước đạt 4.100 triệu\n\n"
        "đồng (đạt 110,5% so với cùng kỳ năm 2022). Toàn huyện có 130 trạm BTS (lông 9 trạm so\n"
        "với cùng kỳ năm 2022). Tỷ lệ hộ dùng điện lưới? quốc gia đạt 97%.\n"
    )
    recs = {r.value: r for r in records(text)}
    assert recs[4100].unit == "triệu đồng" and recs[4100].kind == "estimate"  # the blank line is not a break
    assert recs[110.5].kind == "ratio_to_prior" and recs[110.5].indicator.startswith("Tổng doanh thu bưu chính")
    assert (recs[9].kind, recs[9].vs_year) == ("change", 2022)  # "lông" was "tăng"
    assert recs[97].indicator == "Tỷ lệ hộ dùng điện lưới quốc gia"  # "?" followed by lower case ends nothing


def test_garbled_comparison_words_and_unit_fragments():
    text = "I. KẾT QUẢ NĂM 2023\nCó 11 điểm kết nối Internet, tăng 02 điểm so với căng,kỹ năm 2022; 234/287 tịữfj.\n"
    recs = records(text)
    assert [(r.value, r.kind, r.year, r.vs_year) for r in recs] == [(11, "actual", 2023, None), (2, "change", 2023, 2022)]


def test_assigned_plan_figure_against_what_was_done():
    text = (
        "I. KẾT QUẢ THỰC HIỆN QUÝ I/2024\n"
        "Kế hoạch giao 500 ha lúa, thực hiện 480 ha, đạt 96% kế hoạch. Tổ chức 3 lớp tập huấn cho 120 lượt người.\n"
    )
    recs = {r.value: r for r in records(text)}
    assert (recs[500].kind, recs[480].kind, recs[96].kind) == ("target", "actual", "ratio_to_plan")
    assert recs[500].indicator.startswith("Diện tích lúa") and recs[500].period == "quý I/2024"
    assert recs[3].indicator == "Số lớp tập huấn"  # not "... tập huấn cho"


def test_source_phrase_of_a_comparison_holds_the_whole_comparison():
    rec = one("NĂM 2023\nToàn huyện có 130 trạm (tăng 9 trạm so với cùng kỳ năm 2022).\n", 9)
    assert rec.text == "tăng 9 trạm so với cùng kỳ năm 2022"


def test_an_estimate_lead_in_covers_its_list():
    text = "II. DỰ BÁO NĂM 2023\nƯớc thực hiện cả năm: doanh thu đạt 8.450 triệu đồng; số thuê bao đạt 4.600 thuê bao.\n"
    recs = {r.value: r for r in records(text)}
    assert recs[8450].kind == recs[4600].kind == "estimate"
    assert recs[4600].year == 2023 and recs[4600].indicator == "Số thuê bao"


def test_years_come_from_headings_when_the_metadata_has_none():
    from planscan.schemas.records import DocumentMeta

    text = (
        "I. KẾT QUẢ 6 THÁNG ĐẦU NĂM 2023\nToàn huyện có 120 trạm.\n\n"
        "II. NĂM 2024\nĐến cuối năm 2024 có 130 trạm.\n"
    )
    recs = extract_indicators(text_to_document(text), meta=DocumentMeta())
    assert [(r.value, r.year, r.kind) for r in recs] == [(120, 2023, "actual"), (130, 2024, "target")]


def test_ratio_base_year_is_not_the_next_figures_year():
    text = "BÁO CÁO NĂM 2022\nDoanh thu năm 2022 đạt 5 tỷ đồng, bằng 110% năm 2021, lợi nhuận đạt 800 triệu đồng.\n"
    recs = {r.value: r for r in records(text)}
    assert (recs[110].kind, recs[110].vs_year) == ("ratio_to_prior", 2021)
    assert recs[800].year == 2022 and recs[800].indicator == "Lợi nhuận"


def test_plan_figure_in_brackets_points_and_lead_ins():
    text = (
        "I. KẾT QUẢ THỰC HIỆN NĂM 2024\n"
        "Đến hết năm 2024, 100% xã có cáp quang; tỷ lệ hộ có Internet đạt 65,3%, tăng 5,1 điểm phần trăm so với "
        "năm 2023. Tỷ lệ hồ sơ trực tuyến toàn trình đạt 45% (kế hoạch 40%).\n\n"
        "II. NHIỆM VỤ NĂM 2025\nPhấn đấu 80% dân số trưởng thành có điện thoại thông minh.\n"
    )
    recs = {r.value: r for r in records(text)}
    assert recs[100].indicator == "Tỷ lệ xã có cáp quang"  # not "Hết"
    assert (recs[5.1].kind, recs[5.1].vs_year) == ("change", 2023)
    assert recs[45].kind == "actual"  # "(kế hoạch 40%)" states the plan, it is not "45% of plan"
    assert (recs[40].kind, recs[40].indicator) == ("target", recs[45].indicator)
    assert (recs[80].kind, recs[80].year) == ("target", 2025)
    assert recs[80].indicator == "Tỷ lệ dân số trưởng thành có điện thoại thông minh"


def test_a_bracketed_earlier_level_is_not_a_comparison():
    text = "I. KẾT QUẢ NĂM 2023\nTỷ lệ lao động qua đào tạo đạt 62% (năm 2022 là 58%).\n"
    recs = {r.value: r for r in records(text)}
    assert (recs[62].kind, recs[62].year) == ("actual", 2023)
    assert (recs[58].kind, recs[58].year) == ("actual", 2022)
    assert recs[58].indicator == recs[62].indicator == "Tỷ lệ lao động qua đào tạo"


def test_small_numbers_inside_a_subject_are_part_of_its_name():
    text = "I. KẾT QUẢ NĂM 2023\nTỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng còn 18,2%; tỷ lệ dân số được phủ sóng 4G đạt 98%.\n"
    recs = {r.value: r for r in records(text)}
    assert recs[18.2].indicator == "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng"
    assert recs[98].indicator == "Tỷ lệ dân số được phủ sóng 4G"
    assert 5 not in recs and 4 not in recs
