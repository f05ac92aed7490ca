"""The per-figure lookups of a paragraph answer what the plain scans of its text answer, and a
paragraph of thousands of figures is read with a bounded amount of work per figure."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

import planscan.extract.indicators.labels as labels
from planscan.extract.indicators.figures import sentences
from planscan.extract.indicators.positions import CLAUSE_END, IN_SUM, Paragraph, Spans
from planscan.extract.text.fold import fold
from planscan.pipeline import extract_document, text_to_document

PIECES = ["trong đó", "trong số đó", "trong", "đó", "(", ")", ";", ",", ":", ".", ". ", "3.5", ".5", "\n", " ",
          "Xã", "tấn", "12", "Tổng"]
paragraph_text = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@given(paragraph_text, st.data())
@settings(max_examples=300, deadline=None)
def test_lookups_answer_as_the_scans(text, data):
    folded = fold(text)
    sents = sentences(text)
    at = Paragraph(text, folded, sents)
    n = len(text)
    a = data.draw(st.integers(0, n))
    b = data.draw(st.integers(0, n))
    for ch, chars in (("(", at.opens), (";", at.semicolons), (",", at.commas), ("\n", at.newlines)):
        assert chars.rfind(a, b) == text.rfind(ch, a, b)
        assert chars.find(a, b) == text.find(ch, a, b)
        assert chars.count(a, b) == text.count(ch, a, b)
    assert at.depth(a, b) == text.count("(", a, b) - text.count(")", a, b)
    m = CLAUSE_END.search(text, a, b)
    assert at.clause_end(a, b) == (m.start() if m else b)
    marks = list(IN_SUM.finditer(folded, a, b))
    assert at.last_sum_mark(a, b) == (marks[-1].start() if marks else None)
    expected = next((s for s in sents if s[0] <= a < s[1] or a < s[0]), sents[-1] if sents else (0, a))
    assert at.sentence_of(a) == expected


@dataclass
class _Span:
    start: int
    end: int


spans = st.lists(st.tuples(st.integers(0, 80), st.integers(1, 12)), max_size=30).map(
    lambda xs: [_Span(s, s + length) for s, length in sorted(xs)])


@given(spans, st.integers(0, 100), st.integers(0, 100))
@settings(max_examples=300, deadline=None)
def test_span_lookups_answer_as_the_filters(items, a, b):
    index = Spans(items)
    within = [s for s in items if a <= s.start and s.end <= b]
    assert index.within(a, b) == within
    assert index.last_within(a, b) == (within[-1] if within else None)
    assert index.first_end_within(a, b) == (min(s.end for s in within) if within else None)
    assert index.covers(a) == any(s.start <= a < s.end for s in items)
    assert index.first_from(a) == next((s for s in items if s.start >= a), None)


def _figures_paragraph(n: int) -> tuple[str, list[float]]:
    values = [float(1000 + 7 * i) for i in range(n)]
    return "Sản lượng lúa " + "".join(f"xã {i} đạt {int(v)} tấn, " for i, v in enumerate(values)), values


def test_a_paragraph_of_thousands_of_figures_reads_each_with_bounded_work(monkeypatch):
    """Every figure of one long sentence is read, in order, and the label words tokenised per
    figure do not grow with the number of figures before it (they grew with it before)."""
    read = {"tokens": 0}
    real = labels._tok

    def counting(m):
        read["tokens"] += 1
        return real(m)

    monkeypatch.setattr(labels, "_tok", counting)
    per_figure = {}
    for n in (150, 1500):
        read["tokens"] = 0
        text, values = _figures_paragraph(n)
        records = extract_document(text_to_document(text, source="figures.txt"))[2]
        tonnes = [r.value for r in records if r.unit == "tấn"]
        assert tonnes == values
        assert all(r.indicator == "Khối lượng" and r.kind == "actual" for r in records if r.unit == "tấn")
        per_figure[n] = read["tokens"] / n
    assert per_figure[1500] <= 1.1 * per_figure[150]
    assert per_figure[1500] < 40  # a figure's neighbourhood, not the 1,200 characters around it
