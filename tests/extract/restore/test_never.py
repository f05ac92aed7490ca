"""What restoration must never do: change a figure's digits, turn a unit after a number into a
word, or touch a web address, an e-mail address or a file name. And the one place a digit may
go: a lone digit English OCR printed for a short syllable, where the context is sure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planscan.extract.restore import explain_text, restore_text
from planscan.extract.restore.document import DocumentContext
from planscan.extract.restore.restorer import default_restorer
from planscan.extract.text.fold import strip_marks

CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus"
DOCS = sorted(p.parent for p in CORPUS.glob("*/gold.txt"))
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
# a figure that stands on its own: not glued to letters, where digits may be misread letters
_STANDALONE = re.compile(r"(?<![^\W\d_]|[¢&§@])\d+(?:[.,]\d+)*(?![^\W\d_]|[¢&§@])")


def _figures_by_line(text: str) -> list[list[str]]:
    return [_FIGURE.findall(line) for line in text.split("\n")]


@pytest.mark.skipif(not DOCS, reason="development corpus not present")
@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_no_digit_of_any_development_document_changes(doc):
    gold = (doc / "gold.txt").read_text(encoding="utf-8")
    for text in (gold, strip_marks(gold)):  # correct text through auto, and text typed without marks
        assert _figures_by_line(restore_text(text, "auto")) == _figures_by_line(text)


@pytest.mark.skipif(not DOCS, reason="development corpus not present")
@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_english_ocr_keeps_its_figures_but_lone_digits_read_as_syllables(doc):
    """Digits inside a garbled word ("nu6c" for "nước") are letters; a figure standing on its own
    keeps every digit, unless it is one or two digits the context reads as a syllable ("nha 6",
    "14" for "là")."""
    ocr = (doc / "ocr-eng.txt").read_text(encoding="utf-8")
    out, changes, _mode = explain_text(ocr.replace("\f", ""), "auto")
    lines = ocr.replace("\f", "").split("\n")
    read_as_words: dict[int, set[int]] = {}
    for n, ch in changes:
        if ch.original.isdigit():
            assert len(ch.original) <= 2 and not any(c.isdigit() for c in ch.restored)
            read_as_words.setdefault(n - 1, set()).add(ch.start)
    for i, (before, after) in enumerate(zip(lines, out.split("\n"), strict=True)):
        kept = [m.group() for m in _STANDALONE.finditer(before) if m.start() not in read_as_words.get(i, ())]
        assert _STANDALONE.findall(after) == kept


@pytest.mark.parametrize("mode", ["auto", "full"])
def test_a_figure_glued_to_a_word_keeps_every_digit(mode):
    assert "khoảng1.230 tỷ đồng" in restore_text("Tổng vốn khoảng1.230 tỷ đồng", mode)
    out = restore_text("Tong von khoang1.230 ty dong, nam2019 dat 15,5%", mode)
    assert "1.230" in out and "2019" in out and "15,5" in out


def test_short_garbled_tokens_are_read_as_syllables_where_no_figure_stands():
    out = restore_text("Téng s6 hé dan 1a 1.230 hé, trong d6 nha 6 kién c6 tang.", "full")
    assert out.startswith("Tổng số hộ dân là 1.230")
    assert "nhà ở kiên cố" in out
    assert restore_text("Dén nay ty 1e hé ngheo cla huyén giam con 12,5%.", "full") == \
        "Đến nay tỷ lệ hộ nghèo của huyện giảm còn 12,5%."


def test_a_lone_digit_that_can_be_a_figure_stays_one():
    out = restore_text("Téng s6 c6 6 xa va 1 thi tran dugc hé trg.", "full")
    assert _figures_by_line(out) == [["6", "1"]]


def test_units_after_a_number_stay_units():
    out = restore_text("Dien tich lua 120 ha, san luong 15 tan, duong giao thong dai 3 km.", "full")
    assert "120 ha" in out and "15 tấn" in out and "3 km" in out


@pytest.mark.parametrize("mode", ["auto", "full"])
def test_addresses_and_file_names_are_kept(mode):
    text = ("Xem tai http://tuangiao.dienbien.gov.vn hoac www.dienbien.gov.vn/van-ban, thu dien tu "
            "vanthu@dienbien.gov.vn, tep bao_cao-nam.pdf va bieu-mau.xlsx")
    out = restore_text(text, mode)
    for kept in ("http://tuangiao.dienbien.gov.vn", "www.dienbien.gov.vn/van-ban", "vanthu@dienbien.gov.vn",
                 "bao_cao-nam.pdf", "bieu-mau.xlsx"):
        assert kept in out
    assert out.startswith("Xem tại")


def test_a_name_the_document_spells_itself_wins():
    """A pair written with its marks in a correct line of the document is read so elsewhere."""
    line = "Xa Phu Kieu va ban Na Sang co nhieu ho ngheo"
    heading = "Báo cáo tình hình xã Phú Kiều và bản Nà Sáng năm nay"
    out = restore_text(heading + "\n\n" + line, "full").split("\n")[-1]
    assert out.startswith("Xã Phú Kiều và bản Nà Sáng")
    ctx = DocumentContext([heading, line], default_restorer().vocab.logp)
    assert ("phú", "kiều") in ctx.pairs and ("xa", "phu") not in ctx.pairs


def test_place_names_follow_the_corpus_capitalisation():
    assert restore_text("Thanh pho My Tho va thi xa Go Cong", "full") == "Thành phố Mỹ Tho và thị xã Gò Công"
