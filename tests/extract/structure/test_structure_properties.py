"""Property tests: the structure parsers never raise on odd text and keep their invariants."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planscan.extract.structure.metadata import parse_metadata
from planscan.extract.text.periods import find_periods
from planscan.extract.structure.sections import iter_sections, parse_sections
from planscan.pipeline import text_to_document

# Fragments that start headings, numbers and periods, mixed with noise, so the parsers meet
# their own patterns in odd combinations.
_PIECES = [
    "Phần thứ nhất", "PHẦN THỨ HAI", "I. ", "Il. ", "1V. ", "L. ", "1. ", "1.1. ", "a) ", "- ", "* ", "+ ",
    "Chương I", "Điều 3. ", "Mục 2. ", "A. ", "TÌNH HÌNH ", "Những kết quả ", "năm 2019", "6 tháng đầu ",
    "quý I/2020", "tháng 6/2019", "ngày 04 tháng 7 năm 2019", "Số: 699/KH-UBND", "ỦY BAN NHÂN DÂN",
    "HUYỆN TUẦN GIÁO", "Độc lập - Tự do - Hạnh phúc", "KẾ HOẠCH", "117 trạm", "3.620 triệu đồng", "16/18 xã",
    "Nơi nhận:", ":--", "\n", "\n", "\n", "\f", " ", ".", ",", "(", ")", "§", "¢", "Ð",
]
_text = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


@settings(max_examples=200, deadline=None)
@given(_text)
def test_sections_never_raise_and_nest(text):
    root = parse_sections(text_to_document(text))
    def check(node, depth):
        assert node.level == depth
        assert (node.page_start, node.line_start) <= (node.page_end, node.line_end)
        for child in node.children:
            assert (node.page_start, node.line_start) <= (child.page_start, child.line_start)
            assert (child.page_end, child.line_end) <= (node.page_end, node.line_end)
            check(child, depth + 1)
    check(root, 0)
    ids = [s.id for s in iter_sections(root)]
    assert all(ids)


@settings(max_examples=200, deadline=None)
@given(_text)
def test_metadata_never_raises(text):
    meta = parse_metadata(text_to_document(text))
    if meta.date is not None:
        y, m, d = map(int, meta.date.split("-"))
        assert 1900 <= y <= 2099 and 1 <= m <= 12 and 1 <= d <= 31


@settings(max_examples=200, deadline=None)
@given(_text)
def test_periods_never_raise_and_point_into_the_text(text):
    for p in find_periods(text):
        assert 0 <= p.start < p.end <= len(text)
        assert p.year is None or 1900 <= p.year <= 2099
