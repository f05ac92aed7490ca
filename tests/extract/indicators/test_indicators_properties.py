"""Property tests: any text, however odd, gives valid records that point at real lines, and never a crash."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planscan.extract.indicators.records import extract_indicators
from planscan.pipeline import text_to_document

WORDS = [
    "Tổng", "số", "trạm", "thuê", "bao", "xã", "hộ", "đạt", "ước", "tăng", "giảm", "so", "với", "cùng", "kỳ",
    "năm", "tháng", "đầu", "là", "có", "tỷ", "lệ", "triệu", "đồng", "km", "phấn", "đấu", "kế", "hoạch",
    "ngày", "Số:", "Quyết", "định", "kỷ", "niệm", "I.", "1.1.", "-", "(", ")", ",", ";", ".", ":", "%", "/",
    "từ", "lên", "bằng", "dự", "toán", "TÌNH", "HÌNH", "NĂM", "uoc", "dat", "tang",
]
NUMBERS = st.one_of(
    st.integers(0, 3000).map(str),
    st.integers(1, 999_999).map(lambda n: f"{n:,}".replace(",", ".")),
    st.tuples(st.integers(0, 999), st.integers(0, 99)).map(lambda t: f"{t[0]},{t[1]}"),
    st.tuples(st.integers(0, 40), st.integers(0, 40)).map(lambda t: f"{t[0]}/{t[1]}"),
    st.sampled_from(["1.2.3", "0,", "12/0", "3G", "2019", "09/4/2020", "0215.3862.331", "45/QĐ-TTg", "1.000.000,5"]),
)
TOKEN = st.one_of(st.sampled_from(WORDS), NUMBERS, st.sampled_from(["\n", "\n\n", "\n\f"]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKEN, max_size=60))
def test_any_text_gives_valid_records_with_real_provenance(tokens):
    text = " ".join(tokens)
    doc = text_to_document(text, source="p.txt")
    records = extract_indicators(doc)
    assert records == extract_indicators(doc)  # deterministic
    for r in records:
        assert math.isfinite(r.value)
        assert r.kind in {"actual", "estimate", "target", "change", "ratio_to_prior", "ratio_to_plan"}
        assert 1 <= r.page <= len(doc.pages)
        lines = doc.pages[r.page - 1].lines
        assert 1 <= r.line <= len(lines)
        assert any(c.isdigit() for c in lines[r.line - 1].text)
        assert r.text and r.indicator and r.key
        assert 0.0 <= r.confidence <= 1.0
        assert r.value_base is None or math.copysign(1, r.value_base) == math.copysign(1, r.value) or r.value == 0
