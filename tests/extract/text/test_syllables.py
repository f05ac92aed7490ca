"""Syllable helpers: marks, canonical tone placement, case patterns."""

from __future__ import annotations

from planscan.extract.text.fold import strip_marks
from planscan.extract.text.syllables import apply_case, canonical, case_pattern


def test_syllable_helpers():
    assert strip_marks("Đường") == "Duong"
    assert canonical("HOÀ") == canonical("hòa")
    assert case_pattern("UBND") == "upper" and case_pattern("Tổng") == "title" and case_pattern("tổng") == "lower"
    assert apply_case("tổng", "upper") == "TỔNG"


def test_case_pattern_reads_ocr_headings_as_all_caps():
    assert case_pattern("HiNH") == "upper"
    assert case_pattern("ThOng") == "title"
    assert case_pattern("Ok") == "title"
