"""The one unit table: lookup, families, base-unit factors, scale words and compatibility."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planscan.extract.text.fold import fold
from planscan.extract.text.units import (
    _MEASURES,
    compatible,
    family,
    fuzzy_lookup_unit,
    lookup_unit,
    scale_factor,
    unit_class,
    unit_info,
)


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
        (["ho"], "hộ", 1),  # folded clash: the earlier, commoner noun wins
        (["%"], "%", 1),
        (["tỷ", "USD", ","], "tỷ usd", 2),  # not "tỷ" (đồng) followed by a stray word
        (["triệu", "tấn", "/"], "triệu tấn", 2),
        (["nghìn", "tỷ", "."], "nghìn tỷ", 2),
    ],
)
def test_lookup_unit(words, unit, used):
    info, n = lookup_unit(words)
    assert (info.unit, n) == (unit, used)


def test_lookup_unknown():
    assert lookup_unit(["được", "phủ"]) is None
    assert unit_info("con vịt") is None


@pytest.mark.parametrize(
    "unit, fam, factor, base",
    [
        ("tỷ đồng", "money", 1e9, "đồng"),
        ("Triệu đồng", "money", 1e6, "đồng"),
        ("trđ", "money", 1e6, "đồng"),
        ("1.000 đồng", "money", 1e3, "đồng"),
        ("đ", "money", 1.0, "đồng"),
        ("tỷ USD", "money", 1e9, "usd"),
        ("km", "length", 1e3, "m"),
        ("cây số", "length", 1e3, "m"),
        ("ha", "area", 1e4, "m2"),
        ("nghìn ha", "area", 1e7, "m2"),
        ("tấn", "mass", 1e3, "kg"),
        ("nghìn tấn", "mass", 1e6, "kg"),
        ("lít", "volume", 1e-3, "m3"),
        ("ngày", "time", 86400.0, "giây"),
        ("giờ", "time", 3600.0, "giây"),
        ("Mbps", "data_rate", 1e6, "bit/s"),
        ("mb/s", "data_rate", 1e6, "bit/s"),
        ("GB", "data", 1e9, "byte"),
        ("kW", "power", 1e3, "w"),
        ("kWh", "energy", 1.0, "kwh"),
        ("%", "percent", 1.0, "%"),
        ("phần trăm", "percent", 1.0, "%"),
    ],
)
def test_measures_family_and_factor(unit, fam, factor, base):
    info = unit_class(unit)
    assert (info.family, info.base_unit) == (fam, base)
    assert info.factor == pytest.approx(factor)
    assert unit_info(unit) == info  # the vocabulary and the classifier are one table


def test_every_measure_form_resolves_to_its_own_unit_folded_or_not():
    for unit, fam, factor, base, aliases in _MEASURES:
        for form in (unit, *aliases):
            for written in (form, fold(form), form.upper()):
                info = unit_class(written)
                assert (info.family, info.factor, info.base_unit) == (fam, factor, base), written


def test_disagreements_of_the_old_tables_decided():
    # days, litres and data rates are measures, not counted nouns
    assert family("ngày") == "time" and compatible("ngày", "giờ") == (True, 1 / 24)
    assert family("lít") == "volume" and compatible("m3", "lít") == (True, 0.001)
    assert family("mbps") == "data_rate" and compatible("Gbps", "Mbps") == (True, 0.001)
    assert compatible("mbps", "gb")[0] is False  # a rate of data is no amount of data
    assert compatible("kw", "kwh")[0] is False  # power is no energy
    assert compatible("usd", "đồng")[0] is False  # no exchange rate is assumed


def test_scale_words():
    assert scale_factor("nghìn") == scale_factor("ngàn") == 1e3
    assert scale_factor("trieu") == 1e6 and scale_factor("tỉ") == 1e9
    assert scale_factor("trạm") is None
    info = unit_class("nghìn doanh nghiệp")
    assert (info.family, info.factor, info.base_unit) == ("count", 1e3, "doanh nghiep")
    assert compatible("doanh nghiệp", "nghìn doanh nghiệp") == (True, 1000.0)


def test_compatibility():
    assert compatible("triệu đồng", "tỷ đồng") == (True, 1000.0)
    assert compatible("tỷ đồng", "triệu đồng") == (True, 0.001)
    assert compatible("trieu dong", "tỷ đ") == (True, 1000.0)
    assert compatible("giờ", "phút") == (True, pytest.approx(1 / 60))
    assert compatible("%", "trạm")[0] is False
    assert compatible("xã", "hộ")[0] is False
    assert compatible("trạm", "tram")[0] is True
    assert compatible("điểm", "điểm phục vụ")[0] is True
    assert compatible("xã", "xã, thị trấn")[0] is True
    assert compatible("chiếc", "máy tính")[0] is True  # a generic classifier
    assert compatible("thuê bao/100 dân", "thuê bao/100 dân")[0] is True
    assert compatible("km/điểm phục vụ", "người/điểm phục vụ")[0] is False
    assert compatible("ha", "km")[0] is False
    assert compatible(None, "")[0] is True and compatible(None, "%")[0] is False


def test_money_rates_convert_only_over_the_same_denominator():
    info = unit_class("triệu đồng/người/năm")
    assert (info.family, info.factor, info.base_unit) == ("money_rate", 1e6, "đồng/nguoi/nam")
    assert compatible("triệu đồng/người/năm", "nghìn đồng/người/năm") == (True, 0.001)
    assert compatible("triệu đồng/ha", "triệu đồng/người")[0] is False
    assert family("%/năm") == "rate"


_units = st.sampled_from(
    ["triệu đồng", "tỷ đồng", "đồng", "nghìn tỷ đồng", "km", "m", "ha", "m2", "km2", "tấn", "kg", "giờ", "ngày",
     "phút", "lít", "m3", "%", "xã", "hộ", "thuê bao/100 dân", "triệu đồng/người", "nghìn đồng/người", "usd", "tỷ usd"]
)


@given(_units, _units)
def test_compatibility_is_symmetric_and_factors_invert(a, b):
    ok_ab, f_ab = compatible(a, b)
    ok_ba, f_ba = compatible(b, a)
    assert ok_ab == ok_ba
    if ok_ab:
        assert f_ab * f_ba == pytest.approx(1.0)


@given(_units, _units, _units)
def test_factors_chain(a, b, c):
    if compatible(a, b)[0] and compatible(b, c)[0] and family(a) != "count":
        assert compatible(a, c)[1] == pytest.approx(compatible(a, b)[1] * compatible(b, c)[1])


def test_fuzzy_lookup_for_ocr_damage_only():
    info, n = fuzzy_lookup_unit(["tricu", "dong", "("])
    assert (info.unit, n) == ("triệu đồng", 2)
    assert fuzzy_lookup_unit(["ngư", "dân"]) is None  # a real word, not a damaged "người dân"
    assert fuzzy_lookup_unit(["tram"]) is None  # single syllables are never guessed


@pytest.mark.parametrize(
    "words",
    [["quyền"], ["cống", "dân"], ["mức"], ["đối"], ["số"], ["cặp"], ["hồ"], ["trăm"]],
)
def test_written_marks_match_only_their_own_unit(words):
    # "thông tư theo thẩm quyền" is no "quyển", "công dân" no "cống", "số" no "sở"
    found = lookup_unit(words)
    assert found is None or fold(found[0].unit) != fold(words[0]) or found[0].unit == words[0]


def test_restored_marks_may_be_wrong_so_folded_matches_stand_and_agreeing_ones_win():
    assert lookup_unit(["thue", "bao"])[0].unit == "thuê bao"
    assert lookup_unit(["thué", "bao"], marks="restored")[0].unit == "thuê bao"
    assert lookup_unit(["thué", "bao"], marks="written") is None
    assert lookup_unit(["thue", "bao"], marks="written")[0].unit == "thuê bao"
    assert lookup_unit(["giai"], marks="written") is None  # "giai đoạn", not "giải"
    assert lookup_unit(["xạ"], marks="restored")[0].unit == "xã"
    assert lookup_unit(["trăm"], marks="restored")[0].unit == "trạm"  # a mis-restored "trạm"
    assert lookup_unit(["hộ", "số"], marks="restored")[0].unit == "hồ sơ"  # the longer noun, though marks are off
    # folded "ho" is both "hộ" and "hồ": without marks the commoner (listed first) wins
    assert lookup_unit(["ho"])[0].unit == "hộ"
