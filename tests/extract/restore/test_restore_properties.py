"""Property tests of the restoration contract, against plain reference implementations."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planscan.extract.restore.restorer import restore_text
from planscan.extract.text.fold import strip_marks

_FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

vietnamese_letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
word = st.text(alphabet=vietnamese_letters + vietnamese_letters.upper() + "¢&61", min_size=1, max_size=8)
number = st.from_regex(r"\d{1,4}([.,]\d{3})*", fullmatch=True)
piece = st.one_of(word, number, st.sampled_from(["UBND", "699/KH-UBND", "(", ")", ",", "-", "%", "3G"]))
line = st.lists(piece, max_size=12).map(" ".join)
text = st.lists(line, max_size=6).map("\n".join)


def reference_line_count(s: str) -> int:
    return len(s.splitlines())


@_FAST
@given(text, st.sampled_from(["auto", "full", "off"]))
def test_line_count_never_changes(s, mode):
    out = restore_text(s, mode)
    assert reference_line_count(out) == reference_line_count(s)
    assert out.count("\n") == s.count("\n")


@_FAST
@given(text)
def test_digit_only_tokens_never_change(s):
    out = restore_text(s, "full")
    digits = lambda t: re.findall(r"(?<![^\s])\d+(?:[.,]\d+)*(?![^\s])", t)  # noqa: E731
    assert digits(out) == digits(s)


@_FAST
@given(st.text(max_size=200), st.sampled_from(["auto", "full", "off"]))
def test_arbitrary_unicode_never_raises(s, mode):
    out = restore_text(s, mode)
    assert isinstance(out, str)
    assert out.count("\n") == s.count("\n")


@_FAST
@given(text)
def test_restoration_only_adds_diacritics_to_clean_accentless_text(s):
    """On text that is already diacritic-free letters, restoring and stripping again changes nothing
    but letters the OCR model may read differently (digits and symbols that stand for letters)."""
    plain = strip_marks(s)
    if re.search(r"[¢&]|\d[^\W\d]|[^\W\d]\d", plain):
        return
    out = restore_text(plain, "full")
    # the only other change allowed is the space between two syllables printed as one token
    assert strip_marks(out).lower().replace(" ", "") == plain.lower().replace(" ", "")
    assert len(strip_marks(out).lower().split()) >= len(plain.split())


@_FAST
@given(text, st.sampled_from(["auto", "full"]))
def test_decomposed_input_restores_like_composed(s, mode):
    import unicodedata

    nfd = unicodedata.normalize("NFD", s)
    assert restore_text(nfd, mode) == restore_text(unicodedata.normalize("NFC", s), mode)
