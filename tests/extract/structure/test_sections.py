"""Section tree: numbering styles, OCR-damaged numerals, spans, flags, section_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from planscan.extract.structure.sections import (
    iter_sections,
    outline,
    parse_sections,
    section_chain,
    section_path,
)
from planscan.extract.text.fold import strip_marks
from planscan.pipeline import read_text_file, text_to_document
from planscan.schemas.records import Document, Line, Page

SAMPLES = Path(__file__).resolve().parents[3] / "samples"


def shape(root, bullets=False):
    """(depth, style, number) of every section: the tree's skeleton, independent of wording."""
    return [
        (s.level, s.style, s.id.rsplit("/", 1)[-1])
        for s in iter_sections(root)
        if bullets or s.style != "bullet"
    ]


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
    assert shape(parse_sections(text_to_document(strip_marks(text))), True) == shape(
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


def test_list_item_stating_a_figure_does_not_hold_the_prose_after_it():
    text = (
        "I. THU NGÂN SÁCH\n"
        "1. Thu nội địa: 1.200 tỷ đồng.\n"
        "2. Thu từ đất: 300 tỷ đồng.\n"
        "a) Tiền sử dụng đất: 250 tỷ đồng.\n"
        "b) Tiền thuê đất: 50 tỷ đồng.\n"
        "Nhìn chung công tác thu đạt khá.\n"
        "3. Các khoản thu khác\n"
        "Ước đạt 20 tỷ đồng.\n"
    )
    root = parse_sections(text_to_document(text))
    ids = [s.id for s in iter_sections(root)]
    assert ids == ["I", "I/1", "I/2", "I/2/a", "I/2/b", "I/3"]
    by_id = {s.id: s for s in iter_sections(root)}
    assert (by_id["I/1"].line_start, by_id["I/1"].line_end) == (2, 2)
    assert by_id["I/2"].line_end == 5  # its breakdown, not the remark after it
    assert section_path(root, 1, 6) == ["I. THU NGÂN SÁCH"]
    assert section_path(root, 1, 8)[-1] == "3. Các khoản thu khác"  # a title holds its prose
    assert not any(s.flags for s in iter_sections(root))


def test_appendices_are_top_level_sections():
    text = "I. MỤC TIÊU\nNội dung.\nPhụ lục I\nDANH MỤC DỰ ÁN\n1. Dự án một\nPHỤ LỤC 02: BIỂU TỔNG HỢP\n"
    root = parse_sections(text_to_document(text))
    assert [c.id for c in root.children] == ["I", "PL1", "PL2"]
    assert root.children[1].heading == "Phụ lục I: DANH MỤC DỰ ÁN"
    assert root.children[2].heading == "Phụ lục 02: BIỂU TỔNG HỢP"
    assert [c.id for c in root.children[1].children] == ["PL1/1"]
