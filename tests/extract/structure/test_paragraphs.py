"""Paragraphs across the blank lines OCR leaves inside sentences (made-up texts)."""

from __future__ import annotations

from planscan.extract.structure.paragraphs import paragraphs
from planscan.pipeline import text_to_document


def texts(text: str) -> list[str]:
    return [p.text for p in paragraphs(text_to_document(text, source="t.txt"))]


def test_a_wrapped_line_that_left_its_sentence_open_continues_after_a_blank_line():
    got = texts(
        "Xây dựng mới 40 trạm y tế tại các xã, cụ thể: Bình An (12), thị trấn Phú Lộc (08), Tân\n\n"
        "Hòa (20).\n"
    )
    assert len(got) == 1 and "Tân Hòa (20)" in got[0]


def test_a_short_line_and_a_finished_sentence_still_end_their_paragraph():
    assert len(texts("Kết quả đạt được\n\nToàn xã có 40 hộ.\n")) == 2
    assert len(texts("Toàn xã có 40 hộ nuôi ong, 12 hộ nuôi cá và 5 hộ trồng rừng sản xuất.\n\nNăm nay có 3 hộ.\n")) == 2
