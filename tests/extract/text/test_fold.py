"""The one accent fold: its contract, as the module docstring states it."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from planscan.extract.text.fold import fold, fold_words, strip_marks

# Every Vietnamese letter, in both cases, with every tone.
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
VIETNAMESE = sorted(
    {unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES}
    | set("bcdđghklmnpqrstvx")
)
VIETNAMESE += [c.upper() for c in VIETNAMESE]

vietnamese_text = st.text(alphabet=st.sampled_from(VIETNAMESE + list(" .,;:%/-()\n\t0123456789")), max_size=60)
any_text = st.text(max_size=60)
mixed_text = st.one_of(vietnamese_text, any_text)


def _nfc_without_stray_marks(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text) and not any(unicodedata.category(c) == "Mn" for c in text)


@given(vietnamese_text)
def test_length_kept_for_nfc_vietnamese(text):
    nfc = unicodedata.normalize("NFC", text)
    assert len(fold(nfc)) == len(nfc)
    assert len(strip_marks(nfc)) == len(nfc)


@given(any_text.map(lambda t: unicodedata.normalize("NFC", t)).filter(_nfc_without_stray_marks))
def test_length_kept_for_any_nfc_text(text):
    assert len(fold(text)) == len(text)


@given(vietnamese_text)
def test_offsets_in_the_fold_are_offsets_in_the_text(text):
    nfc = unicodedata.normalize("NFC", text)
    folded = fold(nfc)
    for i, ch in enumerate(nfc):
        assert folded[i] == fold(ch)


@given(mixed_text)
def test_idempotent(text):
    assert fold(fold(text)) == fold(text)
    assert strip_marks(strip_marks(text)) == strip_marks(text)


@given(mixed_text)
def test_nfc_and_nfd_fold_alike(text):
    nfc, nfd = unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)
    assert fold(nfc) == fold(nfd) == fold(text)
    assert strip_marks(nfc) == strip_marks(nfd)


@given(mixed_text)
def test_no_marks_left(text):
    assert not any(unicodedata.category(c) == "Mn" for c in fold(text))
    assert "đ" not in fold(text) and "Đ" not in fold(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_only_lower_cased(text):
    assert fold(text) == text.lower()
    assert strip_marks(text) == text


@given(mixed_text)
def test_strip_marks_is_the_fold_with_case(text):
    assert fold(strip_marks(text)) == fold(text)


@given(vietnamese_text)
def test_vietnamese_folds_to_ascii_letters(text):
    assert fold(text).isascii()
    assert strip_marks(text).isascii()


def test_every_vietnamese_letter():
    for letter in VIETNAMESE:
        base = unicodedata.normalize("NFD", letter.lower().replace("đ", "d"))[0]
        assert fold(letter) == base, letter
        assert fold(unicodedata.normalize("NFD", letter)) == base, letter
    assert fold("Tổng Doanh Thu ĐỒNG") == "tong doanh thu dong"
    assert strip_marks("Đường Hồ Chí Minh") == "Duong Ho Chi Minh"


def test_decomposed_and_misordered_marks():
    # old keyboards type the tone before the vowel mark; NFC cannot compose that fully
    assert fold("to\u0301\u0302ng") == "tong"
    assert fold(unicodedata.normalize("NFD", "Tuần Giáo")) == "tuan giao"


def test_fold_words_collapses_space():
    assert fold_words("  Tổng Doanh thu \n BƯU CHÍNH đạt ") == "tong doanh thu buu chinh dat"


def test_decomposed_text_files_extract_like_composed_ones():
    from planscan.extract.text.numbers import find_quantities
    from planscan.pipeline import text_to_document

    text = "Toàn huyện có 54.748 thuê bao, đạt 3.620 triệu đồng.\n"
    lines = [ln.text for ln in text_to_document(unicodedata.normalize("NFD", text)).pages[0].lines]
    assert lines == [text.rstrip("\n")]
    assert [(q.value, q.unit, q.start) for q in find_quantities(lines[0])] == [
        (q.value, q.unit, q.start) for q in find_quantities(text)
    ]
