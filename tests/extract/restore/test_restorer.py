"""The Restorer object: its own channel and caches, and the token-level rules of restoration."""

from __future__ import annotations

from pathlib import Path

import pytest

from planscan.extract.restore import Channel, Restorer, restore_text
from planscan.extract.restore.restorer import _swap_cost, default_restorer

# "m6i" is "môi" under a channel where "6" prints "ô", and something else where it prints "ố".
TEXT = "Bảo vệ m6i trường và cảnh quan"


def _tables(tmp_path: Path) -> tuple[Path, Path]:
    to_o, to_o_acute = tmp_path / "o.tsv", tmp_path / "o-acute.tsv"
    to_o.write_text("ô\t6\t0.1\t9\nố\t6\t9.0\t0\n", encoding="utf-8")
    to_o_acute.write_text("ố\t6\t0.1\t9\nô\t6\t9.0\t0\n", encoding="utf-8")
    return to_o, to_o_acute


def test_two_restorers_with_different_channels_work_side_by_side(tmp_path):
    to_o, to_o_acute = _tables(tmp_path)
    alone_a = Restorer(channel_table=to_o).restore_text(TEXT)
    alone_b = Restorer(channel=Channel.from_file(to_o_acute)).restore_text(TEXT)
    assert "môi trường" in alone_a and "môi trường" not in alone_b
    # interleaved, in either order, each gives what it gives alone
    a, b = Restorer(channel_table=to_o), Restorer(channel_table=to_o_acute)
    assert [b.restore_text(TEXT), a.restore_text(TEXT), b.restore_text(TEXT)] == [alone_b, alone_a, alone_b]
    a, b = Restorer(channel_table=to_o), Restorer(channel_table=to_o_acute)
    assert [a.restore_text(TEXT), b.restore_text(TEXT), a.restore_text(TEXT)] == [alone_a, alone_b, alone_a]
    # and neither touches the default one of the module-level functions
    assert restore_text(TEXT) == Restorer().restore_text(TEXT)


def test_a_restorer_takes_a_channel_or_a_table_not_both(tmp_path):
    to_o, _ = _tables(tmp_path)
    with pytest.raises(ValueError):
        Restorer(channel=Channel.shipped(), channel_table=to_o)


def test_module_functions_use_one_default_restorer():
    assert default_restorer() is default_restorer()


@pytest.fixture(scope="module")
def restorer() -> Restorer:
    return Restorer()


def test_capital_i_read_as_l_is_lower_case_inside_a_sentence(restorer):
    assert restorer.restore_line("trong Iinh vuc buu chinh", "full", "ocr")[0] == "trong lĩnh vực bưu chính"
    # at the start of a line or a sentence the capital may be real
    assert restorer.restore_line("Iinh vuc buu chinh", "full", "ocr")[0] == "Lĩnh vực bưu chính"
    assert restorer.restore_line("nam 2019. Iinh vuc", "full", "ocr")[0].endswith(". Lĩnh vực")


def test_auto_mode_fixes_misread_tone_marks_that_the_context_rejects(restorer):
    assert restorer.restore_text("thực hiện chuyến đối số trong cơ quan nhà nước", "auto") == (
        "thực hiện chuyển đổi số trong cơ quan nhà nước")
    assert restorer.restore_text("Các chí tiêu chủ yếu", "auto") == "Các chỉ tiêu chủ yếu"
    # hook and acute are the likeliest misreading, any other tone next, a vowel's quality mark last
    assert _swap_cost("tính", "tỉnh") < _swap_cost("tuân", "tuần") < _swap_cost("tan", "tân")


def test_two_syllables_printed_without_a_space_are_split(restorer):
    assert restorer.restore_text("so voi cungky nam 2018, tongdoanh thu", "full") == (
        "so với cùng kỳ năm 2018, tổng doanh thu")
    text = "Tăng 13 trạm so với cùngkỳ năm 2018 và tổng doanh thu của huyện"
    out, changes, _ = restorer.explain_text(text, "auto")
    assert out == text.replace("cùngkỳ", "cùng kỳ")
    assert [c.original for _, c in changes] == ["cùng"]
    # a token one syllable reads is never split, nor a code
    assert restorer.restore_text("Nghiêng về phía UBNDtinh", "auto") == "Nghiêng về phía UBNDtinh"


def test_a_word_glued_to_a_figure_is_restored_and_the_figure_kept(restorer):
    out = restorer.restore_text("Ke hoach nam2019 cua huyen, 4G va 3G, QD2019", "full")
    assert out == "Kế hoạch năm2019 của huyện, 4G và 3G, QD2019"


def test_context_runs_across_a_spaced_dash_in_a_set_phrase(restorer):
    assert restorer.restore_text("Doc lap - Tu do - Hanh phuc", "full") == "Độc lập - Tự do - Hạnh phúc"
