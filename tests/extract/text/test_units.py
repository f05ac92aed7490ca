"""Unit vocabulary: folding, lookup, base-unit conversion."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planscan.extract.text.units import fold, is_count_noun, lookup_unit, money_to_dong, to_base, unit_info


@given(st.text(max_size=50))
def test_fold_keeps_length(text):
    assert len(fold(text)) == len(text)


def test_fold_strips_marks_and_case():
    assert fold("Tổng Doanh Thu ĐỒNG") == "tong doanh thu dong"


@pytest.mark.parametrize(
    "words, unit, used",
    [
        (["triệu", "đồng", "("], "triệu đồng", 2),
        (["trieu", "dong"], "triệu đồng", 2),
        (["tỷ", "đồng"], "tỷ đồng", 2),
        (["thuê", "bao", "điện", "thoại"], "thuê bao", 2),
        (["xã", ",", "thị", "trấn", "được"], "xã, thị trấn", 4),
        (["hộ"], "hộ", 1),
        (["hồ", "sơ"], "hồ sơ", 2),
        (["hồ", "chứa"], "hồ chứa", 2),
        (["hồ"], "hộ", 1),  # no bare "hồ" in the list: after a number it is a damaged "hộ"
        (["ho"], "hộ", 1),  # folded clash: the earlier, commoner noun wins
        (["%"], "%", 1),
    ],
)
def test_lookup_unit(words, unit, used):
    info, n = lookup_unit(words)
    assert (info.unit, n) == (unit, used)


def test_lookup_unknown():
    assert lookup_unit(["được", "phủ"]) is None


def test_base_conversion():
    assert to_base(4.5, "tỷ đồng") == (4.5e9, "đồng")
    assert to_base(3, "km") == (3000, "m")
    assert to_base(2, "ha") == (20000, "m2")
    assert money_to_dong(3620, "triệu đồng") == 3.62e9
    assert money_to_dong(3, "km") is None
    assert to_base(3, "con vịt") == (None, None)


def test_families():
    assert unit_info("%").family == "percent"
    assert unit_info("triệu đồng").family == "money"
    assert unit_info("giờ").family == "time"
    assert is_count_noun("trạm") and is_count_noun("doanh nghiệp") and not is_count_noun("km")


def test_fuzzy_lookup_for_ocr_damage_only():
    from planscan.extract.text.units import fuzzy_lookup_unit

    info, n = fuzzy_lookup_unit(["tricu", "dong", "("])
    assert (info.unit, n) == ("triệu đồng", 2)
    assert fuzzy_lookup_unit(["ngư", "dân"]) is None  # a real word, not a damaged "người dân"
    assert fuzzy_lookup_unit(["tram"]) is None  # single syllables are never guessed


def test_folded_match_tolerates_wrong_marks_and_prefers_agreeing_ones():
    assert lookup_unit(["thue", "bao"])[0].unit == "thuê bao"
    assert lookup_unit(["thué", "bao"])[0].unit == "thuê bao"
    assert lookup_unit(["xạ"])[0].unit == "xã"
    assert lookup_unit(["trăm"])[0].unit == "trạm"  # a mis-restored "trạm"
    assert lookup_unit(["hộ", "số"])[0].unit == "hồ sơ"  # the longer noun, though marks are off
    # folded "ho" is both "hộ" and "hồ": without marks the commoner (listed first) wins
    assert lookup_unit(["ho"])[0].unit == "hộ"
