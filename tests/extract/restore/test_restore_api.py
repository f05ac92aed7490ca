"""restore_text / restore_document: the contract other stages rely on."""

from __future__ import annotations

import pytest

from planscan.extract.restore.restorer import restore_document, restore_text
from planscan.pipeline import text_to_document


def test_accentless_line_is_restored():
    out = restore_text("Tong doanh thu buu chinh 6 thang dau nam 2019", mode="full")
    assert out == "Tổng doanh thu bưu chính 6 tháng đầu năm 2019"


def test_numbers_codes_and_line_count_kept():
    text = "So 699/KH-UBND ngay 04 thang 7\n\nUBND huyen co 117 tram BTS, dat 3.620 trieu dong\n"
    out = restore_text(text, mode="full")
    assert out.count("\n") == text.count("\n")
    for keep in ("699/KH-UBND", "04", "UBND", "117", "BTS", "3.620"):
        assert keep in out


def test_abbreviations_with_d_bar_are_restored_only_when_accents_were_lost():
    out = restore_text("Nghi quyet cua HDND tinh theo Quyet dinh 45/QD-TTg; Huong dan 12/HD-UBND", mode="full")
    assert "HĐND" in out and "45/QĐ-TTg" in out
    assert "12/HD-UBND" in out  # HD is "hướng dẫn", not an abbreviation with Đ
    # text that has its diacritics wrote "QD" on purpose (or it is a code): left alone
    text = "Theo Quyết định 45/QD-TTg của Thủ tướng Chính phủ về phát triển"
    assert restore_text(text, mode="auto") == text


def test_off_mode_is_identity_and_bad_mode_rejected():
    assert restore_text("Tong so", mode="off") == "Tong so"
    with pytest.raises(ValueError):
        restore_text("x", mode="sideways")


def test_correct_text_is_left_alone_in_auto():
    text = "Trên địa bàn huyện có 03 doanh nghiệp tham gia cung cấp dịch vụ bưu chính."
    assert restore_text(text, mode="auto") == text


def test_restore_document_sets_original_and_mode():
    doc = text_to_document("Ke hoach phat trien\nUBND huyen\n")
    new = restore_document(doc, mode="auto")
    assert new.restored == "full"
    first = new.pages[0].lines[0]
    assert first.text == "Kế hoạch phát triển"
    assert first.original == "Ke hoach phat trien"
    assert doc.pages[0].lines[0].text == "Ke hoach phat trien"  # input untouched


def test_roman_numerals_ampersands_and_units_are_kept():
    out = restore_text("II. Phan IV: Thong tin & Truyen thong, cap 9 km", mode="full")
    assert out.startswith("II. Phần IV: Thông tin & Truyền thông")
    assert out.endswith("9 km")


def test_all_caps_heading_stays_all_caps_and_codes_stay():
    out = restore_text("KE HOACH PHAT TRIEN NAM 2020 (VNPT, UBND)", mode="full")
    assert out == "KẾ HOẠCH PHÁT TRIỂN NĂM 2020 (VNPT, UBND)"


def test_auto_switches_to_full_only_for_accentless_text():
    from planscan.extract.restore.restorer import explain_text

    assert explain_text("Ke hoach phat trien nam 2020\n", "auto")[2] == "full"
    assert explain_text("Kế hoạch phát triển năm 2020\n", "auto")[2] == "auto"


def test_restore_document_restores_words_in_place():
    from planscan.schemas.records import Document, Line, Page, Word

    words = [Word(text=t, conf=90.0, word=i) for i, t in enumerate(["Téng", "doanh", "thu", "3.620", "triéu", "déng"])]
    line = Line(text=" ".join(w.text for w in words), words=words)
    doc = Document(source="x.pdf", pages=[Page(number=1, lines=[line])])
    new = restore_document(doc, mode="full")
    got = new.pages[0].lines[0]
    assert got.text == "Tổng doanh thu 3.620 triệu đồng"
    assert [w.text for w in got.words] == ["Tổng", "doanh", "thu", "3.620", "triệu", "đồng"]
    assert got.words[0].original == "Téng" and got.words[1].original is None
    assert got.words[0].conf == 90.0


def test_context_runs_across_a_line_break_but_lines_stay():
    out = restore_text("Doanh thu dich vu vien\nthong dat 100 trieu dong\n\nvien\n", mode="full")
    lines = out.split("\n")
    assert lines[0] == "Doanh thu dịch vụ viễn"
    assert lines[1].startswith("thông đạt 100 triệu đồng")
    assert len(lines) == 5


def test_auto_fixes_invalid_syllables_in_text_with_diacritics():
    text = "Trên địa bàn huyện có 03 doanh nghiêp tham gia cung cấp dịch vụ bưu chính."
    assert restore_text(text, mode="auto") == text.replace("nghiêp", "nghiệp")


def test_auto_keeps_either_tone_placement():
    for text in ("văn hoá xã hội, thuỷ lợi", "văn hóa xã hội, thủy lợi"):
        assert restore_text(text, mode="auto") == text
