"""Indicator keys: stable across accents, case and change tails; catalogue first, slug fallback."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from planscan.extract.indicators.catalogue import entries, lookup
from planscan.extract.indicators.keys import indicator_key
from planscan.extract.indicators.normalise import normalise_label
from planscan.extract.text.fold import fold


def test_catalogue_key_is_accent_and_case_insensitive():
    a = indicator_key("Tổng số trạm thu, phát sóng thông tin di động (BTS)", "trạm")
    b = indicator_key("TONG SO TRAM THU, PHAT SONG THONG TIN DI DONG (BTS)", "tram")
    assert a == b == "ict.bts_stations"
    assert indicator_key("Số trạm BTS", "trạm") == "ict.bts_stations"


def test_ocr_damage_inside_a_word_still_matches():
    # one wrong letter per word, as an English OCR model produces
    assert indicator_key("Téng doanh thu buu chinh", "triệu đồng") == "ict.postal_revenue"


def test_an_extra_or_different_word_is_a_different_indicator():
    base = indicator_key("Số thôn, bản có dịch vụ Internet băng thông rộng", "thôn, bản")
    negated = indicator_key("Số thôn, bản chưa có dịch vụ Internet băng thông rộng", "thôn, bản")
    assert base == "ict.broadband_villages"
    assert negated != base
    assert indicator_key("Số thủ tục cấp xã mức độ 1, 2", "thủ tục") != indicator_key(
        "Số thủ tục cấp xã mức độ 3, 4", "thủ tục"
    )


def test_percent_and_count_of_the_same_label_get_different_keys():
    count = indicator_key("xã có điểm bưu điện văn hóa xã", "xã")
    rate = indicator_key("xã có điểm bưu điện văn hóa xã", "%")
    assert count == "ict.communes_with_cultural_post_office"
    assert rate == "ict.communes_with_cultural_post_office_rate"


def test_change_statement_keys_to_its_indicator():
    assert indicator_key("Số trạm BTS tăng so với cùng kỳ", "trạm", "change") == "ict.bts_stations"
    # a relative change in % of a money figure keys to the money indicator, not to a rate
    assert indicator_key("Doanh thu dịch vụ viễn thông", "%", "change") == "ict.telecom_revenue"
    assert indicator_key("Doanh thu dịch vụ viễn thông", "%") != "ict.telecom_revenue"


def test_fallback_slug_is_stable_and_prefixed():
    k = indicator_key("Số phóng sự tuyên truyền về an toàn giao thông", "phóng sự")
    assert k == "x_phong_su_tuyen_truyen_ve_an_toan_giao_thong"
    assert indicator_key("số PHÓNG SỰ tuyên truyền về an toàn giao thông") == k


def test_filler_prefixes_are_dropped():
    assert normalise_label("Tổng số thuê bao điện thoại") == normalise_label("Số thuê bao điện thoại")
    assert normalise_label("Tỉ lệ hộ nghèo") == "ty le ho ngheo"


def test_catalogue_is_well_formed():
    data = entries()
    keys = [e.key for e in data]
    assert len(keys) == len(set(keys))
    sectors = {e.sector for e in data}
    assert {"ict", "agriculture", "budget", "poverty", "health", "education"} <= sectors
    for e in data:
        assert e.aliases, e.key
        assert e.family in {"count", "percent", "money", "money_rate", "rate", "length", "area", "mass", "time"}
        # every alias finds its own entry (no alias is shadowed by another entry's alias)
        unit = {"percent": "%", "money": "triệu đồng", "length": "km", "area": "ha", "mass": "tấn", "time": "giờ",
                "rate": None, "money_rate": None, "count": None}[e.family]
        for alias in e.aliases:
            hit = lookup(alias, unit)
            assert hit is not None and hit.key == e.key, (alias, hit)


def test_catalogue_lookup_respects_unit_family():
    assert lookup("Tỷ lệ hộ nghèo", "%").key == "poverty.poor_household_rate"
    assert lookup("Tỷ lệ hộ nghèo", "hộ") is None
    assert lookup("Doanh thu bưu chính", "trạm") is None
    assert lookup("nothing like an indicator", None) is None


_vi_words = st.lists(
    st.sampled_from(["số", "trạm", "thuê", "bao", "điện", "thoại", "hộ", "nghèo", "xã", "có", "đài", "Đảng", "dịch", "vụ"]),
    min_size=1,
    max_size=6,
)


@given(_vi_words, st.sampled_from([None, "trạm", "%", "triệu đồng", "xã"]))
def test_key_ignores_accents_and_case(words, unit):
    label = " ".join(words)
    k = indicator_key(label, unit)
    assert k == indicator_key(fold(label).upper(), unit)
    assert k and " " not in k


def test_gold_labels_of_one_indicator_share_a_key_across_years(tmp_path):
    # the same indicator labelled by hand in two years' documents keys identically
    def keys(path):
        out = {}
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            out.setdefault(r["indicator"], indicator_key(r["indicator"], r["unit"], r["kind"]))
        return out

    old = keys("samples/tuangiao-2020/indicators.jsonl")
    new = keys("samples/tuangiao-2021/indicators.jsonl")
    shared = set(old) & set(new)
    assert len(shared) >= 15
    for label in shared:
        assert old[label] == new[label]


def test_place_and_time_context_is_not_part_of_the_key():
    base = indicator_key("Số trạm BTS", "trạm")
    for label in ("Tổng số trạm BTS đến cuối năm", "Tổng số trạm BTS trên địa bàn huyện", "Số trạm BTS năm 2021"):
        assert indicator_key(label, "trạm") == base, label
    # but a qualifier that changes what is counted stays
    assert indicator_key("Số trạm BTS phát triển mới", "trạm") != base
