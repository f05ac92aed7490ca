"""Fraction cells misread on a worn copy, repaired from the row's other fractions (synthetic)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from planscan.extract.tables.figures import table_records
from planscan.extract.tables.fractions import _one_edit, fraction_repairs
from tests.extract.tables.test_tables_reading import make_table

HEAD = ["STT", "Chỉ tiêu", "ĐVT", "TH 2022", "TH 2023", "KH 2024", "KH 2025"]


def scanned(rows):
    t = make_table([HEAD] + rows, n_header=1)
    return t.model_copy(update={"dpi": 300})


def test_a_misread_denominator_and_a_lost_slash_are_repaired_from_the_row():
    t = scanned([["1", "Số xã có nhà văn hóa", "Xã", "11/24", "12/244", "14/24", "15/26"],
                 ["2", "Số xã đạt chuẩn nông thôn mới", "Xã", "5/24", "624", "7/24", "8/24"]])
    fixed = {pos: r.text for pos, r in fraction_repairs(t, [4, 5, 6, 7]).items()}
    assert fixed == {(2, 5): "12/24", (2, 7): "15/24", (3, 5): "6/24"}
    recs = {(r.row, r.col): r for r in table_records(t)}
    assert (recs[(1, 5)].value, recs[(1, 5)].of) == (12, 24) and recs[(1, 5)].text == "12/244"
    assert recs[(1, 5)].confidence < 1 and recs[(1, 4)].confidence == 1


def test_no_repair_without_agreement_or_on_a_text_layer():
    # Two denominators as often: nothing to go by.
    t = scanned([["1", "Số xã", "Xã", "11/24", "12/25", "14/24", "15/25"]])
    assert fraction_repairs(t, [4, 5, 6, 7]) == {}
    # Only one other fraction.
    t = scanned([["1", "Số xã", "Xã", "11/24", "12/26", "", ""]])
    assert fraction_repairs(t, [4, 5, 6, 7]) == {}
    # A numerator larger than the denominator is no fraction of it.
    t = scanned([["1", "Số xã", "Xã", "11/24", "30/26", "14/24", "15/24"]])
    assert fraction_repairs(t, [4, 5, 6, 7]) == {}
    digital = make_table([HEAD, ["1", "Số xã", "Xã", "11/24", "12/244", "14/24", "15/24"]], n_header=1)
    assert fraction_repairs(digital, [4, 5, 6, 7]) == {}


def test_a_plain_number_beside_other_figures_stays_a_number():
    t = scanned([["1", "Số xã", "Xã", "11/24", "124", "14/24", "324"]])
    assert fraction_repairs(t, [4, 5, 6, 7]) == {}


def test_correct_fractions_never_change():
    t = scanned([["1", "Số xã", "Xã", "11/24", "12/24", "14/24", "24/24"],
                 ["2", "Số thôn", "Thôn", "100/180", "120/180", "150/180", "180/180"]])
    assert fraction_repairs(t, [4, 5, 6, 7]) == {}


def _plain_one_edit(a: str, b: str) -> bool:
    edits = set()
    for i in range(len(b) + 1):
        for d in "0123456789":
            edits.add(b[:i] + d + b[i:])
            if i < len(b):
                edits.add(b[:i] + d + b[i + 1:])
        if i < len(b):
            edits.add(b[:i] + b[i + 1:])
    return a != b and a in edits


@given(st.text("0123456789", min_size=1, max_size=5), st.text("0123456789", min_size=1, max_size=5))
def test_one_edit_agrees_with_the_plain_enumeration(a, b):
    assert _one_edit(a, b) == _plain_one_edit(a, b)


def test_a_numerator_far_from_the_rows_others_is_no_repair():
    # "124" beside 16/24 and 17/24 lost a digit of its numerator: 1/24 would be a guess.
    t = scanned([["1", "Số xã", "Xã", "16/24", "124", "17/24", "17/24"]])
    assert fraction_repairs(t, [4, 5, 6, 7]) == {}
    t = scanned([["1", "Số xã", "Xã", "16/24", "1724", "17/24", "18/24"]])
    assert {p: r.text for p, r in fraction_repairs(t, [4, 5, 6, 7]).items()} == {(2, 5): "17/24"}


def test_percentages_beside_fractions_do_not_block_a_repair_through_extract():
    head = HEAD + ["So sánh (%)"]
    t = make_table([head, ["1", "Số xã", "Xã", "5/24", "624", "7/24", "8/24", "114,3"]], n_header=1)
    t = t.model_copy(update={"dpi": 300})
    recs = {(r.row, r.col): r for r in table_records(t)}
    assert (recs[(1, 5)].value, recs[(1, 5)].of) == (6, 24)
