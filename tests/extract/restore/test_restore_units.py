"""Candidate generator, channel and decoder on small hand-made inputs."""

from __future__ import annotations

import pytest

from planscan.extract.restore.candidates import candidates, simple_key
from planscan.extract.restore.channel import Channel, channel, edit_cost
from planscan.extract.restore.decode import Slot, Weights, decode
from planscan.extract.text.fold import strip_marks
from planscan.extract.text.syllables import apply_case, canonical, case_pattern, key_of
from planscan.extract.restore.vocabulary import Vocabulary


def _syllables(token: str, kind: str = "ocr") -> list[str]:
    return [c.syllable for c in candidates(token, kind)]


@pytest.mark.parametrize(
    "printed, expected",
    [("téng", "tổng"), ("¢6", "có"), ("1ap", "lập"), ("ddu", "đầu"), ("tudn", "tuần"), ("thir", "thứ"),
     ("uwéc", "ước"), ("nude", "nước"), ("x4", "xã")],
)
def test_ocr_garble_has_the_right_candidate(printed, expected):
    assert expected in _syllables(printed)


def test_strip_channel_only_offers_readings_of_the_same_letters():
    for s in _syllables("tuan", "strip"):
        assert key_of(s) == "tuan"
    assert "tuần" in _syllables("tuan", "strip")


def test_candidates_cheapest_reading_is_the_exact_match():
    got = candidates("tháng", "ocr")
    assert min(got, key=lambda c: c.cost).syllable == "tháng"


def test_simple_key_maps_ocr_symbols():
    assert simple_key("¢6") == "co"
    assert simple_key("burn") == "bum"


def test_edit_cost_prefers_known_confusions():
    ch = Channel(table={("ư", "ir"): 0.5})
    assert edit_cost("thư", "thir", ch) < edit_cost("thi", "thir", ch)
    assert edit_cost("tổng", "tong", ch) < edit_cost("tổng", "tang", ch)
    assert edit_cost("a", "a", channel("strip")) == 0.0


def _toy_vocab() -> Vocabulary:
    v = Vocabulary()
    v.logp = {"ban": -5.0, "bàn": -6.0, "bán": -5.5, "địa": -6.0, "đĩa": -8.0}
    v.bigrams = {"địa": {"bàn": 3.0}}
    v.display = {s: s for s in v.logp}
    return v


def test_decoder_uses_bigram_context():
    v = _toy_vocab()
    slots = [Slot([("địa", 0.0), ("đĩa", 0.0)]), Slot([("ban", 0.0), ("bàn", 0.0), ("bán", 0.0)])]
    path = decode(slots, v, Weights(unigram=1.0, bigram=1.0, domain=0.0))
    assert [slots[i].options[k][0] for i, (k, _c) in enumerate(path)] == ["địa", "bàn"]


def test_decoder_without_context_falls_back_to_frequency():
    v = _toy_vocab()
    slots = [Slot([("địa", 0.0), ("đĩa", 0.0)]), Slot([("ban", 0.0), ("bàn", 0.0), ("bán", 0.0)], joined=False)]
    path = decode(slots, v, Weights(unigram=1.0, bigram=1.0, domain=0.0))
    assert slots[1].options[path[1][0]][0] == "ban"
    assert 0.5 < path[1][1] <= 1.0


def test_decoder_channel_cost_can_outweigh_frequency():
    v = _toy_vocab()
    slots = [Slot([("ban", 9.0), ("bán", 0.0)])]
    assert decode(slots, v, Weights(unigram=1.0, domain=0.0))[0][0] == 1


def test_decoder_keep_option_wins_when_nothing_fits():
    v = _toy_vocab()
    slots = [Slot([("ban", 30.0), (None, 4.0)])]
    assert decode(slots, v, Weights(unigram=1.0, domain=0.0))[0][0] == 1


def test_decoder_empty():
    assert decode([], _toy_vocab()) == []


def test_syllable_helpers():
    assert strip_marks("Đường") == "Duong"
    assert canonical("HOÀ") == canonical("hòa")
    assert case_pattern("UBND") == "upper" and case_pattern("Tổng") == "title" and case_pattern("tổng") == "lower"
    assert apply_case("tổng", "upper") == "TỔNG"


def test_case_pattern_reads_ocr_headings_as_all_caps():
    assert case_pattern("HiNH") == "upper"
    assert case_pattern("ThOng") == "title"
    assert case_pattern("Ok") == "title"


def test_vocabulary_is_cached_once_and_reloaded(tmp_path, monkeypatch):
    from planscan.extract.restore import vocabulary

    monkeypatch.setenv("PLANSCAN_CACHE", str(tmp_path))
    (tmp_path / "vocab-0000.pickle").write_bytes(b"from an older version")
    vocabulary.load.cache_clear()
    try:
        first = vocabulary.load()
        files = list(tmp_path.glob("vocab-*.pickle"))
        assert len(files) == 1 and files[0].name != "vocab-0000.pickle"
        vocabulary.load.cache_clear()
        again = vocabulary.load()
        assert again.logp == first.logp and "tổng" in again.logp
    finally:
        vocabulary.load.cache_clear()


def test_capital_i_read_as_l_is_lower_case_inside_a_sentence():
    from planscan.extract.restore.restorer import restore_line

    assert restore_line("trong Iinh vuc buu chinh", "full", "ocr")[0] == "trong lĩnh vực bưu chính"
    # at the start of a line or a sentence the capital may be real
    assert restore_line("Iinh vuc buu chinh", "full", "ocr")[0] == "Lĩnh vực bưu chính"
    assert restore_line("nam 2019. Iinh vuc", "full", "ocr")[0].endswith(". Lĩnh vực")


def test_use_table_switches_the_channel_and_back(tmp_path):
    from planscan.extract.restore.channel import use_table

    before = channel("ocr").sub("ô", "é")
    table = tmp_path / "t.tsv"
    table.write_text("ô\té\t9.5\t0\n", encoding="utf-8")
    use_table(table)
    try:
        assert channel("ocr").sub("ô", "é") == 9.5
    finally:
        use_table(None)
    assert channel("ocr").sub("ô", "é") == before


def test_auto_mode_fixes_misread_tone_marks_that_the_context_rejects():
    from planscan.extract.restore.restorer import _swap_cost, restore_text

    assert restore_text("thực hiện chuyến đối số trong cơ quan nhà nước", "auto") == (
        "thực hiện chuyển đổi số trong cơ quan nhà nước")
    assert restore_text("Các chí tiêu chủ yếu", "auto") == "Các chỉ tiêu chủ yếu"
    # hook and acute are the likeliest misreading, any other tone next, a vowel's quality mark last
    assert _swap_cost("tính", "tỉnh") < _swap_cost("tuân", "tuần") < _swap_cost("tan", "tân")


def test_two_syllables_printed_without_a_space_are_split():
    from planscan.extract.restore.restorer import explain_text, restore_text

    assert restore_text("so voi cungky nam 2018, tongdoanh thu", "full") == "so với cùng kỳ năm 2018, tổng doanh thu"
    text = "Tăng 13 trạm so với cùngkỳ năm 2018 và tổng doanh thu của huyện"
    out, changes, _ = explain_text(text, "auto")
    assert out == text.replace("cùngkỳ", "cùng kỳ")
    assert [c.original for _, c in changes] == ["cùng"]
    # a token one syllable reads is never split, nor a code
    assert restore_text("Nghiêng về phía UBNDtinh", "auto") == "Nghiêng về phía UBNDtinh"


def test_a_word_glued_to_a_figure_is_restored_and_the_figure_kept():
    from planscan.extract.restore.restorer import restore_text

    out = restore_text("Ke hoach nam2019 cua huyen, 4G va 3G, QD2019", "full")
    assert out == "Kế hoạch năm2019 của huyện, 4G và 3G, QD2019"


def test_context_runs_across_a_spaced_dash_in_a_set_phrase():
    from planscan.extract.restore.restorer import restore_text

    assert restore_text("Doc lap - Tu do - Hanh phuc", "full") == "Độc lập - Tự do - Hạnh phúc"
