"""Year-on-year comparison on the hand-labelled records of two consecutive Tuần Giáo plans.

HAND_PAIRS was written by reading samples/tuangiao-20{20,21}/gold.txt and indicators.jsonl side
by side: (line index in the 2020 plan's indicators.jsonl, line index in the 2021 plan's), for
every figure both plans state for the first six months (2019 vs 2020). Statements about the
previous year (tăng/giảm ... so với cùng kỳ, đạt ...% so với cùng kỳ) are not rows of their own:
they are checked inside the row of the figure they qualify.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planscan.extract.compare import ComparedDocument, compare_documents, derive_values
from planscan.extract.compare.derived import implied_priors
from planscan.extract.compare.pairing import paired_indices
from planscan.io.records import read_records_file, record_from_dict
from planscan.schemas.comparison import ComparisonRow
from planscan.schemas.records import DocumentMeta

SAMPLES = Path(__file__).resolve().parents[3] / "samples"

HAND_PAIRS = {
    (0, 0),  # doanh nghiệp cung cấp dịch vụ bưu chính 3 -> 4
    (1, 2),  # doanh nghiệp cung ứng cả chiều đi và chiều đến 3 -> 3
    (2, 3),  # điểm phục vụ bưu chính 19 -> 20
    (3, 4),  # bưu cục cấp II 3 -> 3
    (4, 5),  # bưu cục cấp III 16 -> 17
    (5, 6),  # bán kính phục vụ bình quân 9 -> 8,7 km/điểm phục vụ
    (6, 7),  # người/điểm phục vụ 4.386 -> 4.270
    (7, 8),  # xã có điểm bưu điện văn hóa xã 16/18 -> 17/18
    (8, 9),  # tỷ lệ of the same 88,9 % -> 94,4 %
    (9, 10),  # điểm BĐVHX kết nối Internet 9 -> 11
    (10, 12),  # doanh thu bưu chính (ước) 3.620 -> 4.150 triệu đồng
    (12, 15),  # nhà cung cấp viễn thông 3 -> 3
    (13, 16),  # trạm BTS 117 -> 125
    (15, 18),  # xã, thị trấn phủ sóng 3G, 4G 19/19 -> 19/19
    (16, 19),  # tỷ lệ phủ sóng 100 % -> 100 %
    (17, 20),  # thuê bao điện thoại 54.748 -> 57.630
    (18, 21),  # mật độ thuê bao 65 -> 67,5 /100 dân
    (19, 22),  # thuê bao cố định 544 -> 552
    (21, 24),  # thuê bao di động 54.204 -> 57.078
    (22, 26),  # tuyến truyền dẫn nội tỉnh 69 -> 72
    (23, 27),  # tuyến quang 66 -> 69
    (24, 28),  # tổng chiều dài truyền dẫn (ước) 3.670 -> 3.840 km
    (25, 29),  # xã có cáp quang đến trung tâm xã 18/18 -> 18/18
    (26, 30),  # chiều dài ngầm hóa 3.000 -> 3.150 km
    (27, 31),  # doanh thu viễn thông (ước) 22.975 -> 23.870 triệu đồng
    (29, 83),  # giờ phát thanh tiếng dân tộc 365 -> 365
    (30, 84),  # hộ nghe đài phát thanh 15.750 -> 16.120
    (31, 85),  # tỷ lệ hộ nghe 83,2 -> 84,6 %
    (32, 86),  # giờ phát sóng truyền hình 70.832 -> 71.540
    (33, 88),  # giờ truyền hình địa phương 12.280 -> 12.410
    (34, 90),  # hộ xem truyền hình 15.750 -> 16.120
    (35, 91),  # tỷ lệ hộ xem 83,2 -> 84,6 %
}
# The 2021 plan's statements about 6T/2019 that the 2020 plan can confirm, by line index in the
# 2021 file: the change (or ratio) and the 2019 figure of the 2020 plan it must reproduce.
HAND_CONFIRMED = {
    1: 3,  # tăng 01 doanh nghiệp -> 3
    11: 9,  # tăng 02 điểm BĐVHX kết nối Internet -> 9
    13: 3620,  # đạt 114,64 % so với cùng kỳ -> 3.620 triệu đồng
    17: 117,  # tăng 8 trạm -> 117
    23: 544,  # tăng 8 thuê bao cố định -> 544
    25: 54204,  # tăng 2.874 thuê bao di động -> 54.204
    32: 22975,  # tăng 3,9 % doanh thu viễn thông -> 22.975 (rounded)
    87: 70832,  # tăng 708 giờ truyền hình -> 70.832
    89: 12280,  # tăng 130 giờ truyền hình địa phương -> 12.280
}


def _docs():
    out = []
    for year in ("2020", "2021"):
        records, meta = read_records_file(SAMPLES / f"tuangiao-{year}" / "indicators.jsonl")
        out.append(ComparedDocument(f"tuangiao-{year}", records, meta))
    return out


def test_pairing_matches_the_hand_pairing_exactly():
    pairs = paired_indices(_docs())
    assert pairs - HAND_PAIRS == set(), "wrong pairs"
    assert HAND_PAIRS - pairs == set(), "missed pairs"


def test_every_confirmable_stated_change_is_consistent():
    docs = _docs()
    texts = {i: r.text for i, r in enumerate(docs[1].records)}
    result = compare_documents(docs)
    checks = {c.text: c for row in result.rows for c in row.checks if c.document == "tuangiao-2021"}
    for idx, prior in HAND_CONFIRMED.items():
        check = checks[texts[idx]]
        assert check.status == "consistent", (texts[idx], check)
        assert check.found == prior
        assert check.implied_low <= prior <= check.implied_high
    # nothing in the 2021 plan contradicts the 2020 plan
    assert not [c for c in checks.values() if c.status == "inconsistent"]
    # statements whose 2019 figure the 2020 plan does not give stay unverifiable, never guessed
    unverifiable = {c.text for c in checks.values() if c.status == "unverifiable"}
    assert texts[35] in unverifiable  # internet subscribers: not in the 2020 plan's pages


def test_an_inconsistent_statement_is_flagged_with_both_numbers():
    docs = _docs()
    # the older plan says 110 stations instead of 117: "tăng 8 trạm" no longer adds up
    docs[0].records[13] = docs[0].records[13].model_copy(update={"value": 110.0})
    row = next(r for r in compare_documents(docs).rows if r.key == "ict.bts_stations" and r.row_class == "level")
    assert row.consistency == "inconsistent"
    bad = [c for c in row.checks if c.status == "inconsistent"]
    assert len(bad) == 1 and bad[0].found == 110 and bad[0].implied == 117


def test_rows_carry_values_changes_and_flags():
    result = compare_documents(_docs())
    bts = next(r for r in result.rows if r.key == "ict.bts_stations" and r.row_class == "level")
    assert [c.stated_value for c in bts.cells] == [117, 125]
    assert bts.change == 8 and bts.change_pct == pytest.approx(6.8376, abs=1e-3)
    assert bts.consistency == "consistent"
    assert bts.cells[0].period_type == bts.cells[1].period_type == "H1"
    revenue = next(r for r in result.rows if r.key == "vn.1301" and r.row_class == "level" and all(r.cells))
    assert "estimate" in revenue.flags
    lonely = [r for r in result.rows if "only-in-one-document" in r.flags]
    assert all(sum(c is not None for c in r.cells) == 1 for r in lonely)
    # the year estimate (năm 2020) never pairs with a half-year figure
    year_rows = [r for r in result.rows if any(c and c.period_type == "Y" for c in r.cells)]
    assert all(sum(c is not None for c in r.cells) == 1 for r in year_rows)
    # every row validates against the published schema
    for r in result.rows:
        ComparisonRow.model_validate(r.model_dump())


def _rec(indicator, value, unit, year, period, kind="actual", **kw):
    return record_from_dict(
        {"indicator": indicator, "value": value, "unit": unit, "year": year, "period": period, "kind": kind, "text": indicator, **kw}
    )


def test_money_converts_and_percent_never_pairs_with_a_count():
    old = [
        _rec("Doanh thu dịch vụ Internet", 4500, "triệu đồng", 2019, "6 tháng đầu năm 2019"),
        _rec("Tỷ lệ xã có đài truyền thanh", 30, "%", 2019, "6 tháng đầu năm 2019"),
    ]
    new = [
        _rec("Doanh thu dịch vụ Internet", 5.2, "tỷ đồng", 2020, "6 tháng đầu năm 2020"),
        _rec("Số xã có đài truyền thanh", 7, "xã", 2020, "6 tháng đầu năm 2020"),
    ]
    result = compare_documents([ComparedDocument("a", old), ComparedDocument("b", new)])
    money = next(r for r in result.rows if r.key == "ict.internet_revenue")
    assert money.cells[0].value == pytest.approx(4.5) and money.cells[1].value == 5.2
    assert "unit-converted" in money.flags
    assert money.change == pytest.approx(0.7)
    assert paired_indices([ComparedDocument("a", old), ComparedDocument("b", new)]) == {(0, 0)}


def test_only_the_same_period_type_pairs():
    old = [_rec("Số trạm BTS", 117, "trạm", 2019, "6 tháng đầu năm 2019")]
    new = [
        _rec("Số trạm BTS", 130, "trạm", 2020, "năm 2020", kind="estimate"),
        _rec("Số trạm BTS", 125, "trạm", 2020, "6 tháng đầu năm 2020"),
    ]
    docs = [ComparedDocument("a", old), ComparedDocument("b", new)]
    assert paired_indices(docs) == {(0, 1)}
    # a mid-year stock pairs with the half-year figure, flagged
    new2 = [_rec("Số trạm BTS", 125, "trạm", 2020, "đầu tháng 6/2020")]
    row = compare_documents([ComparedDocument("a", old), ComparedDocument("b", new2)]).rows[0]
    assert all(row.cells) and "period-mismatch" in row.flags


def test_target_is_compared_with_the_actual_of_its_year():
    old = [_rec("Số trạm BTS", 128, "trạm", 2020, "năm 2020", kind="target")]
    new = [
        _rec("Số trạm BTS", 125, "trạm", 2020, "6 tháng đầu năm 2020"),
        _rec("Số trạm BTS", 130, "trạm", 2020, "năm 2020", kind="estimate"),
        _rec("Số trạm BTS", 140, "trạm", 2021, "năm 2021", kind="target"),
    ]
    rows = compare_documents([ComparedDocument("a", old), ComparedDocument("b", new)]).rows
    ful = [r for r in rows if r.row_class == "fulfilment"]
    assert len(ful) == 1
    assert ful[0].cells[0].stated_value == 128 and ful[0].cells[1].stated_value == 130
    assert ful[0].fulfilment_pct == pytest.approx(101.5625)
    targets = [r for r in rows if r.row_class == "target" and all(r.cells)]
    assert [c.stated_value for c in targets[0].cells] == [128, 140]


def test_derived_values_from_stated_changes():
    records = [
        _rec("Số trạm BTS", 117, "trạm", 2019, "6 tháng đầu năm 2019"),
        _rec("Số trạm BTS", 13, "trạm", 2019, "6 tháng đầu năm 2019", kind="change", vs_year=2018),
        _rec("Doanh thu bưu chính", 3620, "triệu đồng", 2019, "6 tháng đầu năm 2019", kind="estimate"),
        _rec("Doanh thu bưu chính", 117.57, "%", 2019, "6 tháng đầu năm 2019", kind="ratio_to_prior", vs_year=2018),
    ]
    derived = derive_values(records)
    assert len(derived) == 2
    bts = derived[0]
    assert bts.value == 104 and bts.year == 2018 and bts.period == "6 tháng đầu năm 2018" and bts.derived
    assert bts.kind == "actual" and bts.key == "ict.bts_stations"
    assert derived[1].value == pytest.approx(3620 / 1.1757, rel=1e-6)


def test_implied_prior_interval_allows_for_rounding():
    base = _rec("Doanh thu", 23870, "triệu đồng", 2020, None)
    stmt = _rec("Doanh thu", 3.9, "%", 2020, None, kind="change")
    (v, lo, hi, note), = implied_priors(base, stmt)
    assert note == "relative" and lo < 22975 < hi and hi - lo < 30
    pct_base = _rec("Tỷ lệ hộ nghèo", 20.5, "%", 2020, None)
    drop = _rec("Tỷ lệ hộ nghèo", -3.5, "%", 2020, None, kind="change")
    notes = {p[3]: p[0] for p in implied_priors(pct_base, drop)}
    assert notes["percentage points"] == pytest.approx(24.0)


def test_different_districts_and_sectors_warn_but_still_compare():
    a = ComparedDocument(
        "a",
        [_rec("Số trạm BTS", 117, "trạm", 2019, "năm 2019"), _rec("Số thuê bao di động", 5, "thuê bao", 2019, "năm 2019")],
        DocumentMeta(district="Tuần Giáo"),
    )
    b = ComparedDocument(
        "b",
        [_rec("Tỷ lệ hộ nghèo", 30, "%", 2020, "năm 2020"), _rec("Số hộ nghèo", 4000, "hộ", 2020, "năm 2020")],
        DocumentMeta(district="Mường Ảng"),
    )
    result = compare_documents([a, b])
    assert any("different districts" in w and "Mường Ảng" in w for w in result.warnings)
    assert any("different sectors" in w for w in result.warnings)
    assert len(result.rows) == 4


def test_three_documents_chain_into_one_row():
    docs = [
        ComparedDocument(str(y), [_rec("Số trạm BTS", v, "trạm", y, f"6 tháng đầu năm {y}")])
        for y, v in ((2018, 104), (2019, 117), (2020, 125))
    ]
    rows = compare_documents(docs).rows
    assert len(rows) == 1 and [c.stated_value for c in rows[0].cells] == [104, 117, 125]
    assert rows[0].change == 8


def test_comparison_schema_file_is_current():
    schema = json.loads((Path(__file__).resolve().parents[3] / "planscan/schemas/comparison.schema.json").read_text())
    assert schema == ComparisonRow.model_json_schema()


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from planscan.extract.text.units import compatible  # noqa: E402

_LABELS = ["Số trạm BTS", "Số thuê bao di động", "Tỷ lệ hộ nghèo", "Số hộ nghèo", "Doanh thu bưu chính",
           "Số xã có đài truyền thanh", "Tỷ lệ xã có đài truyền thanh", "Diện tích lúa"]
_UNITS = ["trạm", "thuê bao", "%", "hộ", "triệu đồng", "tỷ đồng", "xã", "ha"]
_PERIODS = ["6 tháng đầu năm {y}", "năm {y}", "9 tháng năm {y}"]


@st.composite
def _records(draw, year):
    n = draw(st.integers(0, 8))
    out = []
    for _ in range(n):
        out.append(
            _rec(draw(st.sampled_from(_LABELS)), draw(st.floats(0.5, 1e5)), draw(st.sampled_from(_UNITS)), year,
                 draw(st.sampled_from(_PERIODS)).format(y=year), kind=draw(st.sampled_from(["actual", "estimate", "target"])))
        )
    return out


@settings(max_examples=60, deadline=None)
@given(_records(2019), _records(2020))
def test_pairing_invariants(old, new):
    docs = [ComparedDocument("a", old), ComparedDocument("b", new)]
    pairs = paired_indices(docs)
    assert len({a for a, _ in pairs}) == len(pairs) == len({b for _, b in pairs})  # one-to-one
    for a, b in pairs:
        ra, rb = old[a], new[b]
        assert compatible(ra.unit, rb.unit)[0]  # "%" never meets a count
        assert ra.period_type == rb.period_type
        assert (ra.kind == "target") == (rb.kind == "target")


def test_a_figure_repeated_in_one_document_is_one_statement():
    old = [_rec("Số trạm BTS", 117, "trạm", 2019, "6 tháng đầu năm 2019")]
    new = [_rec("Số trạm BTS", 125, "trạm", 2020, "6 tháng đầu năm 2020")] * 2
    rows = compare_documents([ComparedDocument("a", old), ComparedDocument("b", new)]).rows
    assert len(rows) == 1 and all(rows[0].cells)


def test_stated_plan_fulfilment_is_checked_against_the_earlier_target():
    old = [_rec("Doanh thu bưu chính", 8000, "triệu đồng", 2020, "năm 2020", kind="target")]

    def new(ratio):
        return [
            _rec("Doanh thu bưu chính", 8.45, "tỷ đồng", 2020, "năm 2020", kind="estimate"),
            _rec("Doanh thu bưu chính", ratio, "%", 2020, "năm 2020", kind="ratio_to_plan"),
        ]

    rows = compare_documents([ComparedDocument("a", old), ComparedDocument("b", new(105.6))]).rows
    ful = next(r for r in rows if r.row_class == "fulfilment")
    assert ful.fulfilment_pct == pytest.approx(105.625)
    (check,) = ful.checks
    assert check.statement == "ratio_to_plan" and check.status == "consistent" and check.found == 8000
    assert ful.consistency == "consistent"
    rows = compare_documents([ComparedDocument("a", old), ComparedDocument("b", new(95))]).rows
    ful = next(r for r in rows if r.row_class == "fulfilment")
    assert ful.consistency == "inconsistent" and ful.checks[0].implied == pytest.approx(8894.7368, rel=1e-6)


def test_inputs_given_newest_first_are_put_in_order_with_a_warning():
    docs = _docs()
    result = compare_documents(list(reversed(docs)))
    assert result.documents == ["tuangiao-2020", "tuangiao-2021"]
    assert any("not oldest first" in w for w in result.warnings)
    bts = next(r for r in result.rows if r.key == "ict.bts_stations" and r.row_class == "level")
    assert [c.stated_value for c in bts.cells] == [117, 125]
    assert not any("oldest" in w for w in compare_documents(docs).warnings)


def test_a_bare_ratio_links_only_to_a_figure_of_its_own_sentence():
    recs = [
        _rec("Số xã có điểm bưu điện văn hóa xã", 17, "xã", 2020, "6 tháng đầu năm 2020", page=1, line=10),
        _rec("Tỷ lệ", 114.64, "%", 2020, "6 tháng đầu năm 2020", kind="ratio_to_prior", vs_year=2019, page=1, line=14),
    ]
    assert derive_values(recs) == []  # three lines apart: not the figure it qualifies
    recs[1] = recs[1].model_copy(update={"line": 11})
    recs.insert(1, _rec("Doanh thu bưu chính", 4150, "triệu đồng", 2020, "6 tháng đầu năm 2020", kind="estimate",
                        page=1, line=10))
    (d,) = derive_values(recs)
    assert d.key == "vn.1301" and d.value == pytest.approx(4150 / 1.1464)


def test_comparison_reads_the_period_type_the_records_carry():
    old = [_rec("Số trạm BTS", 117, "trạm", 2019, "6 tháng đầu năm 2019")]
    new = [_rec("Số trạm BTS", 125, "trạm", 2020, "6 tháng đầu năm 2020")]
    assert old[0].period_type == new[0].period_type == "H1"
    assert (old[0].period_first_month, old[0].period_last_month) == (1, 6)
    assert paired_indices([ComparedDocument("a", old), ComparedDocument("b", new)]) == {(0, 0)}
    # a record that says its figure is for the whole year is not re-read from its label
    whole = [_rec("Số trạm BTS", 125, "trạm", 2020, "6 tháng đầu năm 2020", period_type="Y")]
    assert paired_indices([ComparedDocument("a", old), ComparedDocument("b", whole)]) == set()


def test_older_records_get_their_period_fields_once_at_load(tmp_path):
    path = tmp_path / "old.jsonl"
    lines = [
        {"district": "Tuần Giáo", "report_period": "6 tháng đầu năm 2020", "report_year": 2020},
        {"indicator": "Số trạm BTS", "value": 125, "unit": "trạm", "year": 2020, "text": "125 trạm"},
        {"indicator": "Số trạm BTS", "value": 140, "unit": "trạm", "year": 2021, "kind": "target", "text": "140 trạm"},
        {"indicator": "Số trạm BTS", "value": 117, "unit": "trạm", "period": "6 tháng đầu năm 2019", "text": "117 trạm"},
    ]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    records, meta = read_records_file(path)
    assert meta.district == "Tuần Giáo"
    # no period: the report period's; a target: a whole year; no year: the one its period names
    assert [(r.period_type, r.period_first_month, r.period_last_month) for r in records] == [
        ("H1", 1, 6), ("Y", 1, 12), ("H1", 1, 6)
    ]
    assert records[2].year == 2019


def test_derived_values_keep_the_period_fields_of_their_figure():
    records = [
        _rec("Số trạm BTS", 117, "trạm", 2019, "quý II/2019"),
        _rec("Số trạm BTS", 13, "trạm", 2019, "quý II/2019", kind="change", vs_year=2018),
    ]
    (d,) = derive_values(records)
    assert (d.period, d.period_type, d.period_first_month, d.period_last_month) == ("quý II/2018", "Q2", 4, 6)
