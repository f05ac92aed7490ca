"""Extraction never crashes on hostile input: long lines, mixed scripts, emoji, control
characters, combining-mark storms, text without spaces, runs of digits and repeated period words.
(Its cost per 1,000 characters is measured in bench/hostile.py --extract, not here.)"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planscan.pipeline import extract_document, text_to_document

VIET = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
OTHER = "ابتثجحخ的一是不了人абвгдеж😀🥲👍🏽👨‍👩‍👧🇻🇳🔥"
CONTROL = "".join(chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127, 0x85, 0x2028, 0x200b, 0xfeff))
MARKS = "".join(chr(c) for c in range(0x300, 0x370))
PIECES = ["năm", "2020", "tháng", "quý", "I", "đạt", "tăng", "%", "ha", "tỷ đồng", "so với cùng kỳ", "6 tháng đầu năm",
          "1.250", "3,5", "12/18", "-", "I.", "1.1.", ":", ";", "(", ")", "giai đoạn 2021-2025", "kế hoạch"]

word = st.text(alphabet=VIET + VIET.upper(), min_size=1, max_size=12)
garble = st.text(alphabet=VIET + OTHER + CONTROL + MARKS + "0123456789.,%/:;()-", min_size=1, max_size=30)
storm = st.tuples(st.sampled_from("aeouy"), st.integers(1, 60)).map(lambda t: t[0] + MARKS[: t[1]])
digits = st.integers(1, 3000).map(lambda n: "7" * n)
repeats = st.tuples(st.sampled_from(["năm ", "năm 2020 ", "tăng ", "1 ha, ", "("]), st.integers(1, 400)).map(
    lambda t: t[0] * t[1])
piece = st.one_of(word, garble, storm, digits, repeats, st.sampled_from(PIECES))
separator = st.sampled_from([" ", " ", " ", "", "\n", "\n\n", "\f", "\t", "\r\n"])


@st.composite
def hostile_text(draw) -> str:
    parts = draw(st.lists(st.tuples(piece, separator), max_size=40))
    return "".join(p + s for p, s in parts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile_text())
def test_extraction_never_crashes(text):
    doc = text_to_document(text, source="hostile.txt")
    meta, sections, records = extract_document(doc)
    for r in records:
        assert 1 <= r.page <= len(doc.pages)
    assert sections is not None and meta is not None


def test_a_paragraph_of_hundreds_of_figures_is_read():
    # one paragraph, no full stop: every figure's subject walk stays within its own neighbourhood
    text = "Sản lượng lúa " + ", ".join(f"xã {i} đạt {i + 1} tấn" for i in range(400))
    _, _, records = extract_document(text_to_document(text, source="long.txt"))
    assert len(records) >= 200
