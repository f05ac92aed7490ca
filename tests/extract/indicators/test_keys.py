"""Indicator keys: stable across accents, case and change tails; catalogue first, slug fallback."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from planscan.extract.indicators.catalogue import lookup
from planscan.extract.indicators.keys import indicator_key
from planscan.extract.indicators.normalise import normalise_label
from planscan.extract.text.fold import fold


def test_catalogue_key_is_accent_and_case_insensitive():
    a = indicator_key("Tổng số trạm thu phát sóng thông tin di động (BTS)", "trạm")
    b = indicator_key("TONG SO TRAM THU PHAT SONG THONG TIN DI DONG (BTS)", "tram")
    assert a == b == "ict.bts_stations"
    assert indicator_key("Số trạm BTS", "trạm") == "ict.bts_stations"


def test_official_indicators_are_keyed_by_their_code():
    # the national list's own name, and its "Số lượng" form said as "Số"
    assert indicator_key("Số lượng thuê bao truy nhập Internet", "thuê bao") == "vn.1307"
    assert indicator_key("Số thuê bao điện thoại", "thuê bao") == "vn.1304"
    assert indicator_key("Tỷ lệ che phủ rừng", "%") == "vn.2003"
    assert indicator_key("Số hộ nghèo", "hộ") == "labour.0407"


def test_ocr_damage_inside_a_word_still_matches():
    # one wrong letter per word, as an English OCR model produces
    assert indicator_key("Téng doanh thu buu chinh", "triệu đồng") == "vn.1301"


def test_an_extra_or_different_word_is_a_different_indicator():
    base = indicator_key("Số thuê bao điện thoại di động", "thuê bao")
    assert base == "ict.mobile_subscribers"
    assert indicator_key("Số thuê bao điện thoại di động trả trước", "thuê bao") != base
    assert indicator_key("Số hộ chưa thoát nghèo", "hộ") != indicator_key("Số hộ thoát nghèo", "hộ") == "labour.0409"
    assert indicator_key("Số thủ tục cấp xã mức độ 1, 2", "thủ tục") != indicator_key(
        "Số thủ tục cấp xã mức độ 3, 4", "thủ tục"
    )


def test_percent_and_count_of_the_same_label_get_different_keys():
    count = indicator_key("Số hộ nghèo", "hộ")
    rate = indicator_key("hộ nghèo", "%")
    assert count == "labour.0407"
    assert rate == "vn.1802"  # "Tỷ lệ hộ nghèo", a general alias of the national "Tỷ lệ nghèo"


def test_change_statement_keys_to_its_indicator():
    assert indicator_key("Số trạm BTS tăng so với cùng kỳ", "trạm", "change") == "ict.bts_stations"
    # a relative change in % of a money figure keys to the money indicator, not to a rate
    assert indicator_key("Doanh thu dịch vụ viễn thông", "%", "change") == "vn.1303"
    assert indicator_key("Doanh thu dịch vụ viễn thông", "%") != "vn.1303"


def test_fallback_slug_is_stable_and_prefixed():
    k = indicator_key("Số phóng sự tuyên truyền về an toàn giao thông", "phóng sự")
    assert k == "x_phong_su_tuyen_truyen_ve_an_toan_giao_thong"
    assert indicator_key("số PHÓNG SỰ tuyên truyền về an toàn giao thông") == k


def test_filler_prefixes_are_dropped():
    assert normalise_label("Tổng số thuê bao điện thoại") == normalise_label("Số thuê bao điện thoại")
    assert normalise_label("Tỉ lệ hộ nghèo") == "ty le ho ngheo"


def test_catalogue_lookup_respects_unit_family():
    assert lookup("Tỷ lệ hộ nghèo", "%").key == "vn.1802"
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


def test_an_addition_is_not_the_stock():
    stock = indicator_key("Số trạm BTS", "trạm")
    added = {
        indicator_key("Số trạm BTS", "trạm", "target", "Phát triển thêm "),
        indicator_key("Số trạm BTS", "trạm", "actual", "Trong năm, xây dựng mới "),
        indicator_key("Số trạm BTS (lắp đặt mới)", "trạm", "actual"),
        indicator_key("Số trạm BTS phát triển mới", "trạm"),
    }
    assert len(added) == 1 and stock not in added
    assert next(iter(added)).startswith("x_")
    # the stock after the addition is the stock; a change of the stock keys to the stock
    assert indicator_key("Tổng số trạm BTS", "trạm", "target", "Phát triển thêm 10 trạm BTS, nâng tổng số trạm BTS lên ") == stock
    assert indicator_key("Số trạm BTS", "trạm", "change", "tăng thêm ") == stock
    # an indicator that itself counts additions keeps its key
    assert indicator_key("Số doanh nghiệp đăng ký thành lập mới", "doanh nghiệp") == "planning.0601"
    # "mới" inside a name is no addition
    assert indicator_key("Số xã đạt chuẩn nông thôn mới", "xã", "target", "Phấn đấu có ") == "agriculture.new_rural_communes"


def test_a_bare_counted_noun_takes_the_indicator_its_sentence_names():
    internet = indicator_key("Số thuê bao Internet", "thuê bao")
    assert internet == "vn.1307"
    assert indicator_key("Tổng số thuê bao", "thuê bao", "estimate", "- Dịch vụ Internet: có 3 doanh nghiệp, tổng số thuê bao ước đạt ") == internet
    assert indicator_key("Số thuê bao", "thuê bao", "actual", "Mạng di động: số thuê bao đạt ") == "ict.mobile_subscribers"
    # a sentence naming two services says nothing about which one the bare noun counts
    two = indicator_key("Tổng số thuê bao", "thuê bao", "actual", "Dịch vụ điện thoại và Internet: tổng số thuê bao đạt ")
    assert two.startswith("x_")
    # with no sentence, a bare noun stays derived
    assert indicator_key("Tổng số thuê bao", "thuê bao").startswith("x_")
