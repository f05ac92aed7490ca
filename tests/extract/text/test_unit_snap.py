"""Unit cells OCR misread, snapped back to a known unit; known and unknown well-formed units kept."""

import random
import unicodedata

import pytest

from planscan.extract.text.syllables import canonical
from planscan.extract.text.unit_snap import ocr_distance, snap_unit
from planscan.extract.text.units import unit_forms, unit_info

# Horns and the letters Tesseract swaps: what a worn scan does to a unit cell.
_HORN = str.maketrans("ơờớởỡợưừứửữự", "ưừứửữựơờớởỡợ")
_SWAP = {"g": "q", "i": "l", "c": "e"}


def _lookalike(word: str, rng: random.Random) -> str:
    """One letter read as its look-alike ("g" as "q", "i" as "l", "c" as "e")."""
    spots = [i for i, ch in enumerate(word) if ch in _SWAP]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + _SWAP[word[i]] + word[i + 1:]


def _stray_letter(word: str, rng: random.Random) -> str:
    """A stray letter printed inside the word (a blot read as "q" beside a "g")."""
    i = rng.randrange(1, len(word))
    return word[:i] + rng.choice("qlri") + word[i:]


def _horn_swap(word: str, rng: random.Random) -> str:
    spots = [i for i, ch in enumerate(word) if ch.translate(_HORN) != ch]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[:i] + word[i].translate(_HORN) + word[i + 1:]


def _same(a: str, b: str) -> bool:
    """The same unit, whichever of its spellings ("hóa"/"hoá", "tỷ"/"tỉ")."""
    return unit_info(a) == unit_info(b) or [canonical(w) for w in a.split()] == [canonical(w) for w in b.split()]


def _curated_words() -> list[str]:
    """Spelled-out forms of the unit table of at least four letters, one per unit."""
    seen, out = set(), []
    for form, unit in unit_forms():
        if unit not in seen and sum(ch.isalpha() for ch in form) >= 4:
            seen.add(unit)
            out.append(form)
    return out


def test_examples_of_worn_cells():
    assert snap_unit("giữ") == "giờ"
    assert snap_unit("thuê bao/100 đân") == "thuê bao/100 dân"
    assert snap_unit("'thuê bao") == "thuê bao"
    assert snap_unit("kqg/người") == "kg/người"
    assert snap_unit("kmđiếm phục vụ") == "km/điểm phục vụ"
    assert snap_unit("tấn|ha") == "tấn/ha"
    assert snap_unit("triệu đồng/ngưởi") == "triệu đồng/người"


@pytest.mark.parametrize("damage", [_lookalike, _stray_letter, _horn_swap])
def test_synthetic_misreadings_snap_back_or_stay(damage):
    rng = random.Random(7)
    words = _curated_words()
    damaged = [(w, damage(w, rng)) for w in words]
    damaged = [(w, d) for w, d in damaged if d != w and unit_info(d) is None]
    assert len(damaged) >= 10
    back = 0
    for word, read in damaged:
        got = snap_unit(read)
        # never another unit: either the one it was, or the reading as it came
        assert got == read or _same(got, word), (word, read, got)
        back += _same(got, word)
    assert back >= 0.8 * len(damaged)


def test_lost_slash_between_two_known_units():
    rng = random.Random(3)
    heads = ["km", "tấn", "kg", "triệu đồng", "người"]
    tails = ["người", "hộ", "ha", "xã", "điểm phục vụ", "năm"]
    for _ in range(15):
        head, tail = rng.choice(heads), rng.choice(tails)
        if head == tail:
            continue
        assert snap_unit(f"{head}/{tail}") == f"{head}/{tail}"
        assert snap_unit(head.replace(" ", " ") + tail) in (f"{head}/{tail}", head + tail)
    assert snap_unit("kmngười") == "km/người"


def test_known_units_are_kept_as_written():
    for form, _ in unit_forms():
        assert snap_unit(form) == unicodedata.normalize("NFC", form.lower()), form


@pytest.mark.parametrize("unit", [
    "km/h", "con/lồng", "tổ máy", "gói cước", "lồng bè", "mẫu xét nghiệm", "kwp", "ca/100.000 dân",
    "bác sĩ/vạn dân", "bác sỹ/vạn dân", "lượt khám", "lượt khách/ngày", "hồ chứa", "cá thể", "tấn/ha", "%", "usd/người", "m³", "triệu m³", "ô tô/km²",
])
def test_well_formed_units_untouched(unit):
    assert snap_unit(unit) == unit


def test_specks_are_dropped_and_short_readings_not_guessed():
    assert snap_unit("“hộ”") == "hộ"
    assert snap_unit("kt") == "kt"  # as near km, kg and kw: no guess
    assert snap_unit("m") == "m"


def test_distance_prices_marks_below_letters():
    assert ocr_distance("đân", "dân") < ocr_distance("giữ", "giờ") < ocr_distance("gia", "giờ")
    assert ocr_distance("thuêbao", "thuê bao") < 1.0
