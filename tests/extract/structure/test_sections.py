"""Section tree: numbering styles, OCR-damaged numerals, spans, flags, section_path."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from planscan.extract.structure.sections import (
    classify_line,
    int_to_roman,
    iter_sections,
    outline,
    parse_sections,
    roman_to_int,
    section_chain,
    section_path,
)
from planscan.pipeline import read_text_file, text_to_document
from planscan.schemas.records import Document, Line, Page

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


def strip_accents(text: str) -> str:
    out = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in out if not unicodedata.combining(c))


def shape(root, bullets=False):
    """(depth, style, number) of every section: the tree's skeleton, independent of wording."""
    return [
        (s.level, s.style, s.id.rsplit("/", 1)[-1])
        for s in iter_sections(root)
        if bullets or s.style != "bullet"
    ]


@pytest.mark.parametrize("n", range(1, 40))
def test_roman_roundtrip(n):
    assert roman_to_int(int_to_roman(n)) == n


def test_roman_rejects_malformed():
    assert roman_to_int("IIII") is None and roman_to_int("IL") is None and roman_to_int("") is None


@pytest.mark.parametrize(
    "line, style, value",
    [
        ("Phần thứ nhất", "part", 1),
        ("PHẦN THỨ HAI", "part", 2),
        ("Phiin thir nhit", "part", 1),
        ("Phan thi? hai", "part", 2),
        ("I. TÌNH HÌNH THỰC HIỆN", "roman", 1),
        ("Il. CÁC CHỈ TIÊU CHỦ YẾU", "roman", 2),
        ("1V. KINH PHÍ", "roman", 4),
        ("L. TINH HINH THUC HIEN", "roman", 1),
        ("1. CAC GIAI PHAP CHU YEU", "roman", 1),  # upper-case heading: an OCR'd roman, not arabic
        ("v. TO CHUC THUC HIEN", "roman", 5),
        ("1. Những kết quả nổi bật", "arabic", 1),
        ("1.1. Bưu chính", "decimal", 1),
        ("2.3 Viễn thông", "decimal", 3),
        ("1.4, Ve bao chi", "decimal", 4),
        ("a) Đối với các doanh nghiệp", "letter", 1),
        ("- Dịch vụ viễn thông: Trên địa bàn", "bullet", None),
        ("* Công tác Báo chí", "bullet", None),
        ("+ Hạ tầng", "bullet", None),
    ],
)
def test_classify_line(line, style, value):
    h = classify_line(line, "")
    assert h is not None and (h.style, h.value) == (style, value)


@pytest.mark.parametrize(
    "line, prev",
    [
        ("65 thuê bao/100 dân.", ""),
        ("4.386 người/điểm phục vụ", ""),
        ("2019 ước đạt 22.975 triệu đồng", ""),
        ("- xã hội của huyện.", "phát triển kinh tế"),  # a wrapped line, not a bullet
        ("Trên địa bàn huyện có 03 doanh nghiệp", ""),
        ("", ""),
        ("ii) các nội dung khác", ""),
    ],
)
def test_not_headings(line, prev):
    assert classify_line(line, prev) is None


def test_gold_2020_tree():
    root = parse_sections(read_text_file(SAMPLES / "tuangiao-2020" / "gold.txt"))
    part = root.children[0]
    assert part.style == "part" and part.heading.startswith("Phần thứ nhất")
    assert "6 THÁNG ĐẦU NĂM 2019" in part.heading  # the part's title lines belong to its heading
    assert [c.heading.split(".")[0] for c in part.children if c.style == "roman"] == ["I", "II", "III"]
    first = part.children[0]
    assert first.children[0].heading == "1. Những kết quả nổi bật"
    assert [c.heading for c in first.children[0].children] == ["1.1. Bưu chính", "1.2. Viễn thông, internet"]
    assert (part.page_start, part.line_start) == (1, 13)  # 1-based: the file's line 13
    assert part.level == 1 and first.level == 2
    # "2." after "3."-less "2." (a page of the plan is held out): kept, flagged
    flagged = [s for s in iter_sections(root) if "out-of-order-numbering" in s.flags]
    assert flagged and all(s.style == "arabic" for s in flagged)


def test_gold_2021_two_parts_and_skipless_romans():
    root = parse_sections(read_text_file(SAMPLES / "tuangiao-2021" / "gold.txt"))
    parts = [c for c in root.children if c.style == "part"]
    assert [p.heading.split(":")[0] for p in parts] == ["Phần thứ nhất", "Phần thứ hai"]
    assert [c.id for c in parts[1].children] == ["P2/I", "P2/II", "P2/III", "P2/IV", "P2/V"]
    assert not any("skipped-numbering" in s.flags for s in iter_sections(root))


@pytest.mark.parametrize("name", ["tuangiao-2020", "tuangiao-2021"])
def test_ocr_eng_tree_has_the_gold_shape(name):
    gold = parse_sections(read_text_file(SAMPLES / name / "gold.txt"))
    ocr = parse_sections(read_text_file(SAMPLES / name / "ocr-eng.txt"))
    assert shape(ocr) == shape(gold)
    assert any("ocr-repaired" in s.flags for s in iter_sections(ocr))


@pytest.mark.parametrize("name", ["tuangiao-2020", "tuangiao-2021"])
def test_accent_stripped_tree_has_the_gold_shape(name):
    text = (SAMPLES / name / "gold.txt").read_text(encoding="utf-8")
    assert shape(parse_sections(text_to_document(strip_accents(text))), True) == shape(
        parse_sections(text_to_document(text)), True
    )


def test_skipped_numbering_is_kept_and_flagged():
    text = "I. MỘT\nNội dung.\nII. HAI\nNội dung.\nIV. BỐN\nNội dung.\n"
    root = parse_sections(text_to_document(text))
    assert [c.heading for c in root.children] == ["I. MỘT", "II. HAI", "IV. BỐN"]
    assert [c.flags for c in root.children] == [[], [], ["skipped-numbering"]]


def test_ambiguous_ocr_roman_takes_the_expected_value():
    text = "I. MỘT\nNội dung.\nIl. HAI\nNội dung.\n1. BA MỤC\nNội dung.\n"
    root = parse_sections(text_to_document(text))
    assert [c.heading for c in root.children] == ["I. MỘT", "II. HAI", "III. BA MỤC"]
    assert root.children[2].flags == ["ocr-repaired"]


def test_spans_cover_pages_and_end_before_the_next_heading():
    doc = text_to_document("I. MỘT\nmột\n\fhai\nII. HAI\nba\n\n")
    root = parse_sections(doc)
    one, two = root.children
    assert (one.page_start, one.line_start, one.page_end, one.line_end) == (1, 1, 2, 1)
    assert (two.page_start, two.line_start, two.page_end, two.line_end) == (2, 2, 2, 3)


def test_section_path():
    root = parse_sections(read_text_file(SAMPLES / "tuangiao-2020" / "gold.txt"))
    doc = read_text_file(SAMPLES / "tuangiao-2020" / "gold.txt")
    # the line with "117" BTS stations sits under 1.2 and its bullet
    page, line = next(
        (p.number, j) for p in doc.pages for j, ln in enumerate(p.lines, start=1) if "(BTS) là 117" in ln.text
    )
    path = section_path(root, page, line)
    assert path[0].startswith("Phần thứ nhất")
    assert path[1].startswith("I. TÌNH HÌNH")
    assert path[2:] == ["1. Những kết quả nổi bật", "1.2. Viễn thông, internet", "- Dịch vụ viễn thông"]
    assert section_path(root, 1, 1) == []  # the header is outside every section


def test_signature_block_is_not_a_section():
    root = parse_sections(read_text_file(SAMPLES / "tuangiao-2021" / "gold.txt"))
    assert not any("UBND tỉnh" in s.heading for s in iter_sections(root))


def _restored(*lines: tuple[str, str | None]) -> Document:
    """One page of restored lines, each with the OCR original it came from (None: unchanged)."""
    return Document(source="x", pages=[Page(number=1, lines=[Line(text=t, original=o) for t, o in lines])])


def test_restoration_that_damaged_a_numeral_uses_the_original():
    root = parse_sections(_restored(("I. MỤC TIÊU", None), ("In. CÁC CHỈ TIÊU", "Il. CAC CHI TIEU")))
    assert [c.heading for c in root.children] == ["I. MỤC TIÊU", "II. CÁC CHỈ TIÊU"]


def test_empty_document_and_outline():
    root = parse_sections(Document(source="x"))
    assert root.style == "root" and root.children == []
    assert outline(root) == []
    lines = outline(parse_sections(text_to_document("I. MỘT\n1. Hai\n")))
    assert lines == ["I. MỘT  (p1:1-p1:2)", "  1. Hai  (p1:2-p1:2)"]  # a parent spans its children


def test_restoration_that_renumbered_a_roman_uses_the_ocr_numeral():
    root = parse_sections(_restored(
        ("I. MỤC TIÊU", None), ("I. CÁC CHỈ TIÊU", "Il. CAC CHI TIEU"), ("I. CÁC GIẢI PHÁP", "Ill. CAC GIAI PHAP"),
    ))
    assert [c.heading for c in root.children] == ["I. MỤC TIÊU", "II. CÁC CHỈ TIÊU", "III. CÁC GIẢI PHÁP"]
    assert not any("out-of-order-numbering" in c.flags for c in root.children)


def test_legal_style_chapters_sections_and_articles():
    text = (
        "QUYẾT ĐỊNH\nChương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\nQuy chế này quy định.\n"
        "Điều 2. Đối tượng áp dụng\n1. Cơ quan nhà nước.\n2. Tổ chức, cá nhân.\n"
        "Chương II\nNHỮNG QUY ĐỊNH CỤ THỂ\nMục 1. QUẢN LÝ HẠ TẦNG\nĐiều 3. Hạ tầng viễn thông\n"
        "Điều 5: Trách nhiệm\nChương trình phát triển có 3 dự án.\n"
    )
    root = parse_sections(text_to_document(text))
    assert [s.id for s in iter_sections(root)] == [
        "C1", "C1/D1", "C1/D2", "C1/D2/1", "C1/D2/2", "C2", "C2/M1", "C2/M1/D3", "C2/M1/D5",
    ]
    assert root.children[0].heading == "Chương I: QUY ĐỊNH CHUNG"
    by_id = {s.id: s for s in iter_sections(root)}
    assert by_id["C2/M1/D3"].flags == []  # articles count on across chapters
    assert by_id["C2/M1/D5"].flags == ["skipped-numbering"]
    assert by_id["C2/M1/D5"].heading == "Điều 5. Trách nhiệm"


def test_upper_case_lettered_parts_above_romans():
    text = (
        "BÁO CÁO\nA. KẾT QUẢ THỰC HIỆN NĂM 2021\nI. LĨNH VỰC KINH TẾ\n1. Nông nghiệp\na) Trồng trọt\n"
        "- Lúa: đạt 5.000 tấn.\nB. NHIỆM VỤ NĂM 2022\nI. MỤC TIÊU\nC. KIẾN NGHỊ\n"
    )
    root = parse_sections(text_to_document(text))
    assert [c.heading for c in root.children] == [
        "A. KẾT QUẢ THỰC HIỆN NĂM 2021", "B. NHIỆM VỤ NĂM 2022", "C. KIẾN NGHỊ",
    ]
    assert [s.id for s in iter_sections(root)][:5] == ["A", "A/I", "A/I/1", "A/I/1/a", "A/I/1/a/-1"]
    assert all(not c.flags for c in root.children)


def test_scanned_headings_with_specks_for_numerals():
    # shapes a Vietnamese-model OCR gives headings on a harsh photocopy
    text = (
        "Phần thứ hai\n"
        "-. ĐỊNH HƯỚNG KẾ HOẠCH PHÁT TRIỂN CÁC LĨNH VỰC\n"
        "- NGÀNH THÔNG TIN VÀ TRUYỀN THÔNG NĂM 2021\n"
        ': ": I, MỤC TIÊU\n'
        "1. Bưu chính, viễn thông\n"
        ": _IE,CÁC CHỈ TIÊU CHỦ YẾU NĂM 2021\n"
        "- II. CÁC GIẢI PHÁP CHỦ YẾU NĂM 2021\n"
        "--- TV.KINH PHÍ\n"
        "- :V,TỔ CHỨC THỰC HIỆN\n"
        "Phần thứ ba\n"
        "TÌNH HÌNH THỰC HIỆN KẾ HOẠCH\n"
        "-_. NGÀNH THÔNG TIN VÀ TRUYỀN THÔNG\n"
        ":-- TÌNH HÌNH THỰC HIỆN KẾ HOẠCH 6 THÁNG ĐẦU NĂM 2019\n"
        "1. Những kết quả nổi bật\n"
    )
    root = parse_sections(text_to_document(text))
    two, three = root.children
    assert two.heading == "Phần thứ hai: ĐỊNH HƯỚNG KẾ HOẠCH PHÁT TRIỂN CÁC LĨNH VỰC NGÀNH THÔNG TIN VÀ TRUYỀN THÔNG NĂM 2021"
    assert [c.id for c in two.children] == ["P2/I", "P2/II", "P2/III", "P2/IV", "P2/V"]
    assert [c.heading for c in two.children][-2:] == ["IV. KINH PHÍ", "V. TỔ CHỨC THỰC HIỆN"]
    assert all("ocr-repaired" in c.flags for c in two.children)
    assert not any("numbering" in f for c in two.children for f in c.flags)
    assert three.heading.endswith("NGÀNH THÔNG TIN VÀ TRUYỀN THÔNG")
    assert [c.heading for c in three.children] == ["I. TÌNH HÌNH THỰC HIỆN KẾ HOẠCH 6 THÁNG ĐẦU NĂM 2019"]
    assert three.children[0].children[0].heading == "1. Những kết quả nổi bật"


def test_upper_case_bullet_is_not_taken_for_a_roman():
    root = parse_sections(text_to_document("1. Mục tiêu\n- THÔNG TIN CHUNG về dự án\n- TỔ CHỨC THỰC HIỆN\n"))
    assert [s.style for s in iter_sections(root)] == ["arabic", "bullet", "bullet"]


def test_section_chain_gives_the_records():
    root = parse_sections(text_to_document("Phần thứ hai\nĐỊNH HƯỚNG NĂM 2021\nI. MỤC TIÊU\n1. Bưu chính\nCó 3 xã.\n"))
    chain = section_chain(root, 1, 5)
    assert [s.style for s in chain] == ["part", "roman", "arabic"]
    assert chain[0].heading == "Phần thứ hai: ĐỊNH HƯỚNG NĂM 2021"
    assert section_path(root, 1, 5) == [s.heading for s in chain]


@pytest.mark.parametrize(
    "line",
    ["Phần lớn các xã đã có điểm bưu điện.", "Phần mềm quản lý văn bản được duy trì.", "Phần ba còn lại", "Chương trình 135"],
)
def test_sentences_that_start_like_parts(line):
    assert classify_line(line, "") is None


def test_part_with_roman_number_and_inline_title():
    h = classify_line("PHẦN I. MỞ ĐẦU", "")
    assert (h.style, h.value, h.rest) == ("part", 1, "MỞ ĐẦU")
