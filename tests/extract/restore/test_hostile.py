"""Restoration on hostile input: it never raises, keeps every line and keeps every digit (but the
lone one- or two-digit tokens it reads as syllables, which it reports). Timing is bench/hostile.py's."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planscan.extract.restore import explain_text

_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.data_too_large])

VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
OCR = "abcdeghiklmnopqrstuvxyé6¢&ð1@0"
OTHER = "ابتثجحخ的一是不了人我абвгдежзΑΒΓαβγ😀😂👍🏽👨‍👩‍👧🇻🇳✅"
CONTROL = "".join(map(chr, [*range(0, 32), 127, 0x85, 0x200B, 0x2028, 0x2029, 0xFEFF]))
MARKS = "".join(map(chr, range(0x300, 0x370)))

word = st.one_of(
    st.text(VIET + VIET.upper(), min_size=1, max_size=9),
    st.text(OCR, min_size=1, max_size=9),
    st.text(OTHER, min_size=1, max_size=6),
    st.text(OCR + MARKS, min_size=1, max_size=30),  # combining-mark storms
    st.from_regex(r"\d{1,4}([.,]\d{3})*", fullmatch=True),
    st.sampled_from(["http://x.gov.vn/a", "a@b.vn", "f.pdf", "UBND", "IV", "6", "14", "1a", "&"]),
)
separator = st.sampled_from([" ", " ", " ", "", "\n", "\t", ", ", ". ", "\r\n", "\f"]) | st.text(CONTROL, min_size=1,
                                                                                            max_size=2)
hostile = st.lists(st.tuples(word, separator), max_size=120).map(lambda ws: "".join(w + s for w, s in ws))
no_spaces = st.text(VIET + OCR + MARKS + "0123456789", min_size=200, max_size=3000)
long_line = st.lists(st.text(OCR, min_size=1, max_size=7), min_size=300, max_size=800).map(" ".join)


def _check(text: str, mode: str) -> None:
    out, changes, _used = explain_text(text, mode)
    assert len(out.splitlines()) == len(text.splitlines())
    assert out.count("\n") == text.count("\n")
    read_as_words = sum(sum(c.isdigit() for c in ch.original) for _n, ch in changes if ch.original.isdigit())
    for _n, ch in changes:
        if ch.original.isdigit():
            assert len(ch.original) <= 2
    # digits inside a garbled word may be letters ("nu6c"); every other digit stays
    glued = sum(sum(c.isdigit() for c in ch.original) for _n, ch in changes if not ch.original.isdigit())
    assert sum(c.isdigit() for c in out) + read_as_words + glued >= sum(c.isdigit() for c in text)
    assert sum(c.isdigit() for c in out) <= sum(c.isdigit() for c in text)


@_SETTINGS
@given(hostile, st.sampled_from(["auto", "full"]))
def test_mixed_hostile_text(text, mode):
    _check(text, mode)


@_SETTINGS
@given(st.one_of(no_spaces, long_line), st.sampled_from(["auto", "full"]))
def test_no_spaces_and_long_lines(text, mode):
    _check(text, mode)
