"""Reporting periods: labels, years, OCR tolerance, dates are not periods."""

from __future__ import annotations

from pathlib import Path

import pytest

from planscan.extract.text.fold import strip_marks
from planscan.extract.text.periods import comparable, find_periods, last_year, parse_period, period_fields

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


@pytest.mark.parametrize(
    "text, label, year, kind",
    [
        ("6 tháng đầu năm 2019", "6 tháng đầu năm 2019", 2019, "months"),
        ("6 THÁNG ĐẦU NĂM 2019", "6 tháng đầu năm 2019", 2019, "months"),
        ("6 tháng cuối năm 2020", "6 tháng cuối năm 2020", 2020, "months"),
        ("9 tháng năm 2019", "9 tháng năm 2019", 2019, "months"),
        ("9 tháng", "9 tháng", None, "months"),
        ("năm 2020", "năm 2020", 2020, "year"),
        ("cả năm 2020", "cả năm 2020", 2020, "year"),
        ("cuối năm 2021", "cuối năm 2021", 2021, "year"),
        ("đầu tháng 6/2019", "đầu tháng 6/2019", 2019, "month"),
        ("tháng 6 năm 2019", "tháng 6 năm 2019", 2019, "month"),
        ("quý I/2019", "quý I/2019", 2019, "quarter"),
        ("quý 3 năm 2020", "quý III năm 2020", 2020, "quarter"),
        ("giai đoạn 2021 – 2025", "giai đoạn 2021-2025", 2021, "range"),
        ("6 tháng đầu\nnăm 2019", "6 tháng đầu năm 2019", 2019, "months"),
    ],
)
def test_parse_period(text, label, year, kind):
    p = parse_period(text)
    assert p is not None
    assert (p.label, p.year, p.kind) == (label, year, kind)
    # the same without diacritics, as English-model OCR writes it
    q = parse_period(strip_marks(text))
    assert q is not None and (q.label, q.year) == (label, year)


def test_range_keeps_end_year_and_months_length():
    assert parse_period("giai đoạn 2021-2025").end_year == 2025
    assert parse_period("6 tháng đầu năm 2019").months == 6
    assert parse_period("quý II/2020").quarter == 2
    assert parse_period("đầu tháng 6/2019").month == 6


@pytest.mark.parametrize("text", ["ngày 04 tháng 7 năm 2019", "ngay 04 thang 7 nam 2019", "không có gì", "3.620 triệu"])
def test_dates_and_plain_text_are_not_periods(text):
    assert find_periods(text) == []


def test_comparison_base_is_marked_as_reference():
    text = "Tổng doanh thu 6 tháng đầu năm 2019 ước đạt 3.620 triệu đồng (đạt 117,57 % so với cùng kỳ năm 2018)."
    periods = find_periods(text)
    assert [(p.label, p.reference) for p in periods] == [("6 tháng đầu năm 2019", False), ("năm 2018", True)]
    for p in periods:
        assert text[p.start : p.end].lower().startswith(p.label.split()[0])


def test_last_year():
    assert last_year("kế hoạch năm 2020, số liệu 6 tháng đầu năm 2019") == 2019
    assert last_year("không có năm") is None


def test_ocr_damaged_forms():
    assert [p.label for p in find_periods("6 THANG PAU NAM 2019")] == ["6 tháng đầu năm 2019"]
    assert [p.label for p in find_periods("6 thang ddu nam 2019 udc dat")] == ["6 tháng đầu năm 2019"]
    assert [p.label for p in find_periods("Tuan Gido nim 2021")] == ["năm 2021"]


@pytest.mark.parametrize("name, first", [("tuangiao-2020", 2019), ("tuangiao-2021", 2020)])
@pytest.mark.parametrize("kind", ["gold.txt", "ocr-eng.txt"])
def test_samples_report_period(name, first, kind):
    text = (SAMPLES / name / kind).read_text(encoding="utf-8")
    labels = [p.label for p in find_periods(text)]
    assert f"6 tháng đầu năm {first}" in labels
    assert f"năm {first + 1}" in labels
    refs = {p.year for p in find_periods(text) if p.reference}
    assert refs == {first - 1}


@pytest.mark.parametrize(
    "text, label, year",
    [
        ("Tính đến ngày 30/6/2020, toàn huyện có", "tính đến ngày 30/6/2020", 2020),
        ("đến hết ngày 31 tháng 12 năm 2019 đạt", "đến hết ngày 31/12/2019", 2019),
        ("tinh den ngay 30/6/2020", "tính đến ngày 30/6/2020", 2020),
    ],
)
def test_stock_at_a_date(text, label, year):
    (p,) = find_periods(text)
    assert (p.label, p.year, p.kind, p.month) == (label, year, "until", int(label.split("/")[1]))


def test_only_comparisons_are_references():
    refs = {p.label: p.reference for p in find_periods("Từ năm 2015 đến nay, so với năm 2018 và cùng kỳ năm 2019; số năm 2020")}
    assert refs == {"năm 2015": False, "năm 2018": True, "năm 2019": True, "năm 2020": False}


@pytest.mark.parametrize(
    "text, cover",
    [
        ("6 tháng đầu năm 2019", (1, 6)),
        ("6 tháng cuối năm 2019", (7, 12)),
        ("9 tháng năm 2019", (1, 9)),
        ("quý III/2020", (7, 9)),
        ("năm 2020", (1, 12)),
        ("cả năm 2020", (1, 12)),
        ("tháng 6 năm 2019", (6, 6)),
        ("đầu tháng 6/2019", (None, None)),
        ("cuối năm 2021", (None, None)),
        ("tính đến ngày 30/6/2020", (None, None)),
        ("giai đoạn 2021-2025", (None, None)),
    ],
)
def test_months_covered(text, cover):
    p = parse_period(text)
    assert (p.first_month, p.last_month) == cover


@pytest.mark.parametrize(
    "text, label, ptype, bounds",
    [
        ("6 tháng đầu năm 2019", "6 tháng đầu năm 2019", "H1", (1, 6)),
        # the forms the two earlier grammars disagreed on, and spelled-out counts
        ("sáu tháng đầu năm 2019", "6 tháng đầu năm 2019", "H1", (1, 6)),
        ("Sáu tháng cuối năm 2019", "6 tháng cuối năm 2019", "H2", (7, 12)),
        ("chín tháng năm 2020", "9 tháng năm 2020", "9M", (1, 9)),
        ("ba tháng đầu năm 2021", "3 tháng đầu năm 2021", "Q1", (1, 3)),
        ("mười hai tháng năm 2019", "12 tháng năm 2019", "Y", (1, 12)),
        ("nửa đầu năm 2019", "6 tháng đầu năm 2019", "H1", (1, 6)),
        ("nửa năm đầu 2019", "6 tháng đầu năm 2019", "H1", (1, 6)),
        ("nửa cuối năm 2019", "6 tháng cuối năm 2019", "H2", (7, 12)),
        ("từ đầu năm 2020", "từ đầu năm 2020", None, None),
        ("đầu năm 2020", "đầu năm 2020", "M1", (1, 1)),
        ("giữa năm 2020", "giữa năm 2020", "M6", (6, 6)),
        ("cuối năm 2021", "cuối năm 2021", "Y", (12, 12)),
        ("6 tháng cuối năm 2020", "6 tháng cuối năm 2020", "H2", (7, 12)),
        ("3 tháng cuối năm 2020", "3 tháng cuối năm 2020", "Q4", (10, 12)),
        ("4 tháng đầu năm 2020", "4 tháng đầu năm 2020", "4M", (1, 4)),
        ("4 tháng cuối năm 2020", "4 tháng cuối năm 2020", "M9-12", (9, 12)),
        ("9 tháng", "9 tháng", "9M", (1, 9)),
        ("quý III năm 2020", "quý III năm 2020", "Q3", (7, 9)),
        ("năm 2021", "năm 2021", "Y", (1, 12)),
        ("tháng 6 năm 2019", "tháng 6 năm 2019", "M6", (6, 6)),
        ("đầu tháng 6/2020", "đầu tháng 6/2020", "M6", (6, 6)),
        ("ngày 30 tháng 6 năm 2020", "ngày 30/6/2020", "M6", (6, 6)),
        ("đến 30/6/2020", "đến ngày 30/6/2020", "M6", (6, 6)),
        ("đến hết ngày 31 tháng 12 năm 2019", "đến hết ngày 31/12/2019", "M12", (12, 12)),
        ("giai đoạn 2021 - 2025", "giai đoạn 2021-2025", "multi:2021-2025", None),
    ],
)
def test_period_type_and_month_bounds(text, label, ptype, bounds):
    for form in (text, strip_marks(text), text.upper()):
        p = parse_period(form)
        assert p is not None, form
        assert (p.label, p.type, p.bounds) == (label, ptype, bounds), form


@pytest.mark.parametrize("text", ["sau tháng 6 mới có", "sau tháng đó", "ba tháng sau", "Sau thang dau tien"])
def test_a_spelled_out_count_needs_a_year_word(text):
    # folded "sáu" is "sau" (after), and "ba tháng" alone says nothing of which months
    assert [p.type for p in find_periods(text) if p.kind == "months"] == []


def test_unreadable_labels_have_no_period():
    assert parse_period("không có gì") is None
    assert parse_period("18 tháng năm 2019").type is None  # longer than a year: not a part of one


def test_a_figure_without_a_period_of_its_own_takes_the_report_period():
    assert period_fields("6 tháng đầu năm 2019", 2019) == ("H1", (1, 6))
    report = {"report_period": "6 tháng đầu năm 2020", "report_year": 2020}
    assert period_fields("từ đầu năm 2020", 2020, **report) == ("H1", (1, 6))
    assert period_fields(None, 2020, **report) == ("H1", (1, 6))
    assert period_fields(None, 2019, **report) == (None, None)  # not the report year
    assert period_fields(None, 2021, target=True, **report) == ("Y", (1, 12))
    assert period_fields("quý II/2021", 2021, target=True, **report) == ("Q2", (4, 6))


@pytest.mark.parametrize(
    "a, b, expected",
    [("H1", "H1", (True, False)), ("H1", "M6", (True, True)), ("M12", "Y", (True, True)), ("H1", "Y", (False, False)),
     ("Q1", "M4", (True, True)), (None, None, (True, True)), ("H1", None, (False, False))],
)
def test_comparable_period_types(a, b, expected):
    assert comparable(a, b) == expected


def test_a_month_may_leave_its_year_to_the_context():
    from planscan.extract.text.periods import with_year

    (p,) = find_periods("B. NHIỆM VỤ THÁNG 03")
    assert (p.label, p.year, p.type) == ("tháng 3", None, "M3")
    assert with_year(p, 2031).label == "tháng 3 năm 2031"
    assert find_periods("ngày 18 tháng 02 năm 2031") == []  # a date, not a period
