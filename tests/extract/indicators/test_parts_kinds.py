"""Kinds and periods that figures inherit from the part of the document they stand in (made-up texts)."""

from __future__ import annotations

from planscan.extract.indicators.records import extract_indicators
from planscan.pipeline import text_to_document


def records(text: str):
    return {r.value: r for r in extract_indicators(text_to_document(text, source="t.txt"))}


APPROVED = """QUYẾT ĐỊNH
Về việc phê duyệt Đề án phát triển cây tre
Quyết định:
Điều 1. Phê duyệt Đề án phát triển cây tre tỉnh Bình An giai đoạn 2031 - 2035 như sau:
1. Mục tiêu
Diện tích tre giai đoạn 2031 - 2035 đạt 4.500 ha.
Đến năm 2033 có 1.200 hộ trồng tre.
2. Kinh phí thực hiện: 12 tỷ đồng.
"""


def test_figures_of_an_approved_programme_are_targets_even_when_they_say_dat() -> None:
    recs = records(APPROVED)
    assert {recs[v].kind for v in (4500, 1200, 12)} == {"target"}
    assert "Điều 1" in recs[12].kind_reason or "heading" in recs[12].kind_reason


def test_a_span_has_start_and_end_years_and_no_single_year() -> None:
    recs = records(APPROVED)
    span = recs[4500]
    assert (span.year, span.start_year, span.end_year) == (None, 2031, 2035)
    assert "2031" in span.period_reason
    assert (recs[1200].year, recs[1200].start_year) == (2033, None)


MONTHLY = """BÁO CÁO
Tình hình kinh tế - xã hội tháng 02 năm 2031
A. TÌNH HÌNH KINH TẾ - XÃ HỘI THÁNG 02 NĂM 2031
Sản lượng lúa đạt 3.400 tấn. Toàn tỉnh có 260 doanh nghiệp thành lập mới.
B. NHIỆM VỤ TRỌNG TÂM THÁNG 03 NĂM 2031
Tổ chức tiêm vắc xin cho 5.000 con gia súc.
"""


def test_a_monthly_reports_plan_part_keeps_its_month_to_itself() -> None:
    recs = records(MONTHLY)
    assert (recs[3400].kind, recs[3400].period) == ("actual", "tháng 2 năm 2031")
    assert (recs[260].kind, recs[260].period) == ("actual", "tháng 2 năm 2031")
    plan = recs[5000]
    assert (plan.kind, plan.period) == ("target", "tháng 3 năm 2031")
    assert "NHIỆM VỤ" in plan.kind_reason and "THÁNG 03" in plan.period_reason


def test_a_sentence_cue_wins_over_the_part() -> None:
    recs = records(APPROVED.replace("2. Kinh phí", "Hiện nay toàn tỉnh có 800 ha tre.\n2. Kinh phí"))
    assert recs[800].kind == "actual" and "hiện nay" in recs[800].kind_reason.lower()


MONTHLY_TITLED = """BỘ NÔNG NGHIỆP
Số: 12/BC-BNN
BÁO CÁO
Tình hình sản xuất tháng 02 và kế hoạch tháng 3 năm 2031
A. TÌNH HÌNH SẢN XUẤT THÁNG 02
Sản lượng lúa đạt 3.400 tấn.
B. KẾ HOẠCH THÁNG 3
Tiêm vắc xin cho 5.000 con gia súc.
"""


def test_a_plan_months_part_does_not_give_the_whole_report_its_month():
    from planscan.extract.structure.metadata import parse_metadata

    meta = parse_metadata(text_to_document(MONTHLY_TITLED, source="t.txt"))
    assert (meta.report_period, meta.report_year) == ("tháng 2 năm 2031", 2031)
    assert "TÌNH HÌNH" not in (meta.title or "")  # the title stops where part A begins
    recs = records(MONTHLY_TITLED)
    assert (recs[3400].kind, recs[3400].period, recs[3400].period_type) == ("actual", "tháng 2 năm 2031", "M2")
    assert (recs[5000].kind, recs[5000].period, recs[5000].period_type) == ("target", "tháng 3 năm 2031", "M3")
