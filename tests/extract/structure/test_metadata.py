"""Document metadata from headers: clean, OCR-damaged, accent-stripped, and other layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from planscan.extract.structure.metadata import parse_metadata
from planscan.extract.text.fold import fold, strip_marks
from planscan.pipeline import read_text_file, text_to_document

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


def meta_of(text: str):
    return parse_metadata(text_to_document(text))


def test_gold_2020():
    m = parse_metadata(read_text_file(SAMPLES / "tuangiao-2020" / "gold.txt"))
    assert m.issuer == "UBND huyện Tuần Giáo"
    assert m.district == "Tuần Giáo"
    assert (m.number, m.code) == ("699", "699/KH-UBND")
    assert (m.place, m.date) == ("Tuần Giáo", "2019-07-04")
    assert m.doc_type == "Kế hoạch"
    assert m.title.startswith("Xây dựng phát triển các lĩnh vực ngành Thông tin và Truyền thông")
    assert m.title.endswith("năm 2020")
    assert m.plan_year == 2020
    assert (m.report_period, m.report_year) == ("6 tháng đầu năm 2019", 2019)
    assert m.source.endswith("gold.txt") and len(m.sha256) == 64


def test_gold_2021_finds_province_in_body_and_sets_parent():
    m = parse_metadata(read_text_file(SAMPLES / "tuangiao-2021" / "gold.txt"))
    assert m.issuer == "UBND huyện Tuần Giáo"
    assert m.parent_issuer == "UBND tỉnh Điện Biên"
    assert m.province == "Điện Biên"
    assert (m.code, m.date, m.plan_year) == ("438/KH-UBND", "2020-07-06", 2021)
    assert m.report_period == "6 tháng đầu năm 2020"


@pytest.mark.parametrize("name, code, year", [("tuangiao-2020", "699/KH-UBND", 2020), ("tuangiao-2021", "438/KH-UBND", 2021)])
def test_ocr_eng_header(name, code, year):
    m = parse_metadata(read_text_file(SAMPLES / name / "ocr-eng.txt"))
    assert fold(m.issuer) == "ubnd huyen tuan giao"
    assert m.code == code
    assert m.doc_type == "Kế hoạch"
    assert m.plan_year == year
    assert m.report_period == f"6 tháng đầu năm {year - 1}"
    assert fold(m.title).startswith("xay dung phat trien")


def test_ocr_eng_2021_date_survives_damage():
    m = parse_metadata(read_text_file(SAMPLES / "tuangiao-2021" / "ocr-eng.txt"))
    assert m.date == "2020-07-06"


@pytest.mark.parametrize("name", ["tuangiao-2020", "tuangiao-2021"])
def test_accent_stripped_gold_gives_the_same_fields(name):
    text = (SAMPLES / name / "gold.txt").read_text(encoding="utf-8")
    a = parse_metadata(text_to_document(text))
    b = parse_metadata(text_to_document(strip_marks(text)))
    for field in ("issuer", "district", "place", "title"):
        assert fold(getattr(b, field)) == fold(getattr(a, field)), field
    for field in ("code", "number", "date", "doc_type", "plan_year", "report_period", "report_year", "province"):
        assert getattr(b, field) == getattr(a, field), field


def test_department_under_province_report():
    text = (
        "UBND TỈNH LAI CHÂU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG Độc lập - Tự do - Hạnh phúc\n"
        "Số: 215/BC-STTTT Lai Châu, ngày 15 tháng 12 năm 2021\n"
        "\n"
        "BÁO CÁO\n"
        "Kết quả thực hiện nhiệm vụ năm 2021\n"
        "và phương hướng, nhiệm vụ năm 2022\n"
        "\n"
        "Căn cứ Kế hoạch số 12/KH-UBND ngày 02 tháng 3 năm 2021...\n"
    )
    m = meta_of(text)
    assert m.issuer == "Sở Thông tin và Truyền thông"
    assert m.parent_issuer == "UBND tỉnh Lai Châu"
    assert m.province == "Lai Châu"
    assert (m.number, m.code, m.date, m.place) == ("215", "215/BC-STTTT", "2021-12-15", "Lai Châu")
    assert m.doc_type == "Báo cáo"
    assert m.title == "Kết quả thực hiện nhiệm vụ năm 2021 và phương hướng, nhiệm vụ năm 2022"
    assert (m.report_period, m.report_year, m.plan_year) == ("năm 2021", 2021, 2022)


def test_columns_on_separate_lines_and_quarter_report():
    text = (
        "ỦY BAN NHÂN DÂN\n"
        "XÃ QUÀI CANG\n"
        "Số: 07/BC-UBND\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Quài Cang, ngày 30 tháng 3 năm 2022\n"
        "BÁO CÁO\n"
        "Tình hình kinh tế - xã hội quý I/2022\n"
    )
    m = meta_of(text)
    assert m.issuer == "UBND xã Quài Cang"
    assert (m.code, m.date, m.place) == ("07/BC-UBND", "2022-03-30", "Quài Cang")
    assert (m.doc_type, m.report_period, m.report_year) == ("Báo cáo", "quý I/2022", 2022)


def test_cong_van_without_type_line():
    text = (
        "UBND HUYỆN MƯỜNG ẢNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Số: 1234/UBND-VHTT Độc lập - Tự do - Hạnh phúc\n"
        "V/v triển khai chuyển đổi số năm 2022 Mường Ảng, ngày 5 tháng 8 năm 2022\n"
    )
    m = meta_of(text)
    assert m.doc_type == "Công văn"
    assert m.code == "1234/UBND-VHTT"
    assert m.issuer == "UBND huyện Mường Ảng"
    assert m.date == "2022-08-05"
    assert m.title == "triển khai chuyển đổi số năm 2022"


def test_empty_and_headerless_documents():
    m = meta_of("")
    assert m.issuer is None and m.code is None and m.date is None
    m = meta_of("Một đoạn văn bản không có phần đầu.\nCó 3 xã.")
    assert m.issuer is None and m.parent_issuer is None
    assert m.code is None and m.doc_type is None and m.date is None


def test_invalid_date_is_dropped_not_raised():
    m = meta_of("UBND HUYỆN A\nSố: 1/KH-UBND A, ngày 31 tháng 2 năm 2020\nKẾ HOẠCH\nViệc gì đó năm 2020\n")
    assert m.date is None and m.code == "1/KH-UBND"


def test_party_committee_header_and_numeric_date():
    text = (
        "TỈNH ỦY ĐIỆN BIÊN ĐẢNG CỘNG SẢN VIỆT NAM\n"
        "HUYỆN ỦY TUẦN GIÁO\n"
        "* Tuần Giáo, ngày 12/3/2021\n"
        "Số 45-BC/HU\n"
        "BÁO CÁO\n"
        "Sơ kết quý I/2021\n"
    )
    m = meta_of(text)
    assert m.issuer == "Huyện ủy Tuần Giáo"
    assert m.parent_issuer == "Tỉnh ủy Điện Biên"
    assert m.date == "2021-03-12"
    assert (m.doc_type, m.report_period, m.report_year) == ("Báo cáo", "quý I/2021", 2021)


def test_scanned_header_with_specks_and_a_misread_place():
    text = (
        "-ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "HUYỆN TUẦN GIÁO Độc lập - Tự do - Hạnh phúc.\n"
        "Số: 438/KH-UBND Tuân Giáo, ngày 06 tháng 7 năm 2020\n"
        "KẾ HOẠCH\n"
        "Xây dựng phát triển các lĩnh vực ngành Thông tin và Truyền thông -\n"
        "trên địa bàn huyện Tuần Giáo năm 2021\n"
        "\n"
        "UBND huyện Tuần Giáo xây dựng Kế hoạch phát triển trên địa bàn huyện Tuần Giáo.\n"
    )
    m = meta_of(text)
    assert m.issuer == "UBND huyện Tuần Giáo"
    assert (m.place, m.district) == ("Tuần Giáo", "Tuần Giáo")  # the spelling the body uses
    assert m.title == "Xây dựng phát triển các lĩnh vực ngành Thông tin và Truyền thông trên địa bàn huyện Tuần Giáo năm 2021"


def test_letter_spaced_type_line():
    m = meta_of("UBND HUYỆN A\nSố: 5/BC-UBND A, ngày 1 tháng 2 năm 2021\nB Á O  C Á O\nTình hình năm 2020\n")
    assert (m.doc_type, m.title, m.report_year) == ("Báo cáo", "Tình hình năm 2020", 2020)


def test_a_cited_document_number_is_not_the_documents_own():
    # a first page lost to OCR: the text starts in the body, which cites another document
    text = "Thực hiện Công văn số 684/STTTT-KHTC ngày 10 tháng 6 năm 2019 của Sở,\nUBND huyện xây dựng kế hoạch.\n"
    m = meta_of(text)
    assert m.code is None and m.number is None and m.date is None
