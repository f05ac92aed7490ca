"""The heading classifier: numbering styles, labels, OCR-damaged numerals, list items, accent-less text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planscan.extract.structure.headings import classify, int_to_roman, roman_to_int, states_figure
from planscan.extract.text.fold import strip_marks
from planscan.schemas.records import Line


@pytest.mark.parametrize("n", range(1, 40))
def test_roman_roundtrip(n):
    assert roman_to_int(int_to_roman(n)) == n


def test_roman_rejects_malformed():
    assert roman_to_int("IIII") is None and roman_to_int("IL") is None and roman_to_int("") is None


@pytest.mark.parametrize(
    "line, style, label, value, text",
    [
        ("Phần thứ nhất", "part", "thứ nhất", 1, ""),
        ("PHẦN THỨ BA: ĐÁNH GIÁ CHUNG", "part", "THỨ BA", 3, "ĐÁNH GIÁ CHUNG"),
        ("Phần 2. Giải pháp", "part", "2", 2, "Giải pháp"),
        ("Phiin thir nhit", "part", "thir nhit", 1, ""),
        ("Phan thi? hai", "part", "thi? hai", 2, ""),
        ("PHẦN I. MỞ ĐẦU", "part", "I", 1, "MỞ ĐẦU"),
        ("A. KẾT QUẢ ĐẠT ĐƯỢC", "letter-part", "A", 1, "KẾT QUẢ ĐẠT ĐƯỢC"),
        ("B. NHIỆM VỤ TRỌNG TÂM", "letter-part", "B", 2, "NHIỆM VỤ TRỌNG TÂM"),
        ("Phụ lục II", "appendix", "II", 2, ""),
        ("PHỤ LỤC SỐ 03: DANH MỤC CÔNG TRÌNH", "appendix", "03", 3, "DANH MỤC CÔNG TRÌNH"),
        ("PHỤ LỤC", "appendix", "", 1, ""),
        ("Phụ lục B. Biểu mẫu báo cáo", "appendix", "B", 2, "Biểu mẫu báo cáo"),
        ("Chương III", "chapter", "Chương III", 3, ""),
        ("Chương 2. TỔ CHỨC THỰC HIỆN", "chapter", "Chương 2", 2, "TỔ CHỨC THỰC HIỆN"),
        ("Mục 4. Quản lý tài chính", "subsection", "Mục 4", 4, "Quản lý tài chính"),
        ("Điều 12. Hiệu lực thi hành", "article", "Điều 12", 12, "Hiệu lực thi hành"),
        ("Dieu 7: Trach nhiem thi hanh", "article", "Điều 7", 7, "Trach nhiem thi hanh"),
        ("I. ĐÁNH GIÁ TÌNH HÌNH", "roman", "I", 1, "ĐÁNH GIÁ TÌNH HÌNH"),
        ("VII. Kiến nghị", "roman", "VII", 7, "Kiến nghị"),
        ("Il. CÁC NHIỆM VỤ", "roman", "Il", 2, "CÁC NHIỆM VỤ"),
        ("1V. DỰ TOÁN", "roman", "1V", 4, "DỰ TOÁN"),
        ("L. BỐI CẢNH CHUNG", "roman", "L", 1, "BỐI CẢNH CHUNG"),
        ("1. CÁC GIẢI PHÁP", "roman", "1", 1, "CÁC GIẢI PHÁP"),  # an upper-case title: OCR of "I."
        ("v. KIEN NGHI", "roman", "v", 5, "KIEN NGHI"),
        ("IL. Về công tác chỉ đạo", "roman", "IL", 2, "Về công tác chỉ đạo"),
        ("- -- IV, KINH PHÍ DỰ KIẾN", "roman", "IV", 4, "KINH PHÍ DỰ KIẾN"),
        ("3. Nông nghiệp và nông thôn", "arabic", "3", 3, "Nông nghiệp và nông thôn"),
        ("12) Giao thông vận tải", "arabic", "12", 12, "Giao thông vận tải"),
        ("2.1. Trồng trọt", "decimal", "2.1", 1, "Trồng trọt"),
        ("3.2.4 Chăn nuôi gia cầm", "decimal", "3.2.4", 4, "Chăn nuôi gia cầm"),
        ("b) Về y tế", "letter", "b", 2, "Về y tế"),
        ("đ) Về văn hóa", "letter", "đ", 5, "Về văn hóa"),
        ("c. Thủy lợi", "letter", "c", 3, "Thủy lợi"),
        ("- Công tác tuyên truyền", "bullet", "-", None, "Công tác tuyên truyền"),
        ("* Lĩnh vực giáo dục", "bullet", "*", None, "Lĩnh vực giáo dục"),
        ("+ Trường mầm non", "bullet", "+", None, "Trường mầm non"),
        ("• Hạ tầng số", "bullet", "\u2022", None, "Hạ tầng số"),
    ],
)
def test_numbering_styles(line, style, label, value, text):
    h = classify(line)
    assert h is not None and h.is_heading
    assert (h.style, h.label, h.value, h.text) == (style, label, value, text)


def test_ranks_nest_outer_to_inner():
    lines = ["Phần thứ hai", "B. NHIỆM VỤ", "II. MỤC TIÊU", "Điều 3. Nội dung", "2. Nông nghiệp", "2.1. Lúa",
             "2.1.1. Lúa xuân", "a) Giống", "* Giống lúa", "- Lúa lai", "+ Lúa thuần"]
    ranks = [classify(ln).rank for ln in lines]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert classify("Chương I").rank == classify("Phần thứ nhất").rank == classify("Phụ lục 1").rank


@pytest.mark.parametrize(
    "line, prev",
    [
        ("65 thuê bao/100 dân.", ""),
        ("4.386 người/điểm phục vụ", ""),
        ("2019 ước đạt 22.975 triệu đồng", ""),
        ("- xã hội của huyện.", "phát triển kinh tế"),  # a wrapped line, not a bullet
        ("1. các xã vùng cao", "tập trung vào"),  # a wrapped enumeration
        ("Trên địa bàn huyện có 03 doanh nghiệp", ""),
        ("", ""),
        ("   ", ""),
        ("ii) các nội dung khác", ""),
        ("Phần lớn các xã đã có điểm bưu điện.", ""),
        ("Phần mềm quản lý văn bản được duy trì.", ""),
        ("Phần ba còn lại", ""),
        ("Chương trình 135", ""),
        ("Phụ lục kèm theo Kế hoạch này", ""),
        ("Mục tiêu chung của kế hoạch", ""),
        ("Điều kiện tự nhiên thuận lợi", ""),
        ("x" * 301, ""),
    ],
)
def test_not_numbered(line, prev):
    assert classify(line, prev) is None


@pytest.mark.parametrize(
    "line",
    [
        "2. Thuế xuất nhập khẩu: 4.500 tỷ đồng.",
        "b) Diện tích lúa: 12.300 ha;",
        "- Số hộ nghèo: giảm 250 hộ.",
        "+ Tỷ lệ che phủ rừng: 45,5%.",
        "3.2. Kim ngạch xuất khẩu: ước đạt 120 triệu USD.",
    ],
)
def test_a_line_stating_a_figure_is_a_list_item(line):
    h = classify(line)
    assert h is not None and h.item and not h.is_heading


@pytest.mark.parametrize(
    "line",
    [
        "7. Tổng kinh phí: 91.500.000.000 đồng",  # a total whose breakdown follows
        "4. Thời gian thực hiện: từ năm 2021 đến năm 2025.",  # a period, not a figure
        "5. Phạm vi: thực hiện trên địa bàn 8 huyện.",  # the figure is deep in a sentence
        "2. Định hướng phát triển:",
        "1. Kết quả năm 2020",
    ],
)
def test_titles_with_numbers_stay_headings(line):
    h = classify(line)
    assert h is not None and h.is_heading


def test_states_figure():
    assert states_figure("Sản lượng: 5.000 tấn.")
    assert not states_figure("Sản lượng đạt 5.000 tấn")
    assert not states_figure("Ghi chú: xem phụ lục.")


def test_restored_line_takes_its_numeral_from_the_ocr_original():
    # restoration turned "Il." into "In." (a word) or into "I." (another numeral)
    h = classify(Line(text="In. CÁC CHỈ TIÊU", original="Il. CAC CHI TIEU"))
    assert (h.style, h.value, h.text, h.ambiguous) == ("roman", 2, "CÁC CHỈ TIÊU", True)
    h = classify(Line(text="I. CÁC GIẢI PHÁP", original="Ill. CAC GIAI PHAP"))
    assert (h.style, h.value, h.text) == ("roman", 3, "CÁC GIẢI PHÁP")
    assert "ocr-repaired" in h.flags
    h = classify(Line(text="1. Nông nghiệp", original=None))
    assert (h.style, h.value) == ("arabic", 1)


def test_lowercase_items_after_a_finished_sentence():
    assert classify("a) các xã vùng cao", "Gồm các nội dung sau:").style == "letter"
    assert classify("a) các xã vùng cao", "trong đó có") is None


# Invented headings: every style, upper and sentence case, with and without a stated figure.
_WORDS = ["phát triển", "kinh tế", "xã hội", "nông nghiệp", "giáo dục", "y tế", "hạ tầng", "giao thông",
          "thương mại", "du lịch", "môi trường", "tài chính", "ngân sách", "quốc phòng", "văn hóa", "thủy lợi",
          "kết quả", "nhiệm vụ", "giải pháp", "mục tiêu", "tình hình", "chỉ tiêu", "công nghiệp", "dịch vụ"]
_LABELS = ["Phần thứ nhất", "Phần thứ hai", "PHẦN THỨ TƯ", "Phần thứ năm", "Chương II", "Mục 3.", "Điều 14.",
           "Phụ lục 2.", "PHỤ LỤC III", "A.", "C.", "I.", "II.", "IV.", "Il.", "1V.", "L.", "1.", "7.", "12)",
           "1.1.", "2.3", "4.2.1.", "a)", "b.", "g)", "-", "*", "+", "•"]
_FIGURES = ["", ": 1.200 tỷ đồng.", ": 45,5%.", ": tăng 12 xã;", ": 3.000 người."]
_PREVIOUS = ["", "Nội dung đã hoàn thành.", "tiếp tục triển khai", "KẾT QUẢ CHUNG"]


@st.composite
def _heading_lines(draw):
    label = draw(st.sampled_from(_LABELS))
    words = " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6)))
    case = draw(st.sampled_from(["upper", "sentence", "lower"]))
    words = words.upper() if case == "upper" else words[:1].upper() + words[1:] if case == "sentence" else words
    return f"{label} {words}{draw(st.sampled_from(_FIGURES))}", draw(st.sampled_from(_PREVIOUS))


def _reading(h):
    if h is None:
        return None
    return (h.style, h.value, strip_marks(h.label).lower(), strip_marks(h.text).lower(), h.item, h.is_heading, h.rank)


@settings(max_examples=400, deadline=None)
@given(_heading_lines())
def test_accent_stripped_line_classifies_the_same(case):
    line, prev = case
    assert _reading(classify(line, prev)) == _reading(classify(strip_marks(line), strip_marks(prev)))


@settings(max_examples=200, deadline=None)
@given(_heading_lines())
def test_nfd_input_classifies_the_same(case):
    line, prev = case
    nfd = unicodedata.normalize("NFD", line)
    assert _reading(classify(line, prev)) == _reading(classify(nfd, prev))
