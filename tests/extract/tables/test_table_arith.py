"""The arithmetic of forms on synthetic tables: which columns a comparison divides, and figure cells
a worn copy misread, repaired only where the table's identities agree."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from planscan.extract.tables.arith import figure, ratio_pair, repairs, table_repairs, written
from planscan.extract.tables.columns import read_columns
from planscan.extract.tables.figures import REPAIRED_CONFIDENCE, table_records, table_rows
from planscan.schemas.tables import Cell, Table

HEADER = ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2030", "Kế hoạch năm 2031", "Ước thực hiện năm 2031",
          "Kế hoạch năm 2032", "So sánh (%) UTH 2031/KH 2031", "So sánh (%) KH 2032/UTH 2031"]


def _ratio(a: float, b: float, decimals: int = 1) -> str:
    return written(round(100 * a / b + 1e-9, decimals), decimals)


def body_rows(seed: int, n: int = 8) -> list[list[str]]:
    """Rows of counts whose comparison columns are the quotients of the level columns."""
    rnd = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        actual = rnd.randint(50, 60000)
        plan = round(actual * rnd.uniform(0.95, 1.2))
        estimate = round(plan * rnd.uniform(0.9, 1.1))
        nxt = round(estimate * rnd.uniform(1.0, 1.15))
        rows.append([str(i), f"Chỉ tiêu thứ {i}", "Cái", written(actual, 0), written(plan, 0), written(estimate, 0),
                     written(nxt, 0), _ratio(estimate, plan), _ratio(nxt, estimate)])
    return rows


def scanned(header: list[str], body: list[list[str]], dpi: int = 300) -> Table:
    cells = [Cell(row=1, col=k, text=t) for k, t in enumerate(header, start=1)]
    cells += [Cell(row=r, col=k, text=t) for r, row in enumerate(body, start=2) for k, t in enumerate(row, start=1)]
    return Table(n_rows=len(body) + 1, n_cols=len(header), n_header_rows=1, cells=cells, dpi=dpi, pages=[1])


def test_figure_reads_decimals_and_digits():
    assert figure("5.172") == figure("5.172 ")
    f = figure("96,8")
    assert (f.value, f.decimals, f.digits) == (96.8, 1, "968")
    assert figure("16/18") is None and figure("-") is None and figure("x") is None
    assert written(5172, 0) == "5.172" and written(87.5, 2) == "87,50" and written(-0.9, 1) == "-0,9"


def test_the_pair_of_a_comparison_column_comes_from_its_figures():
    table = scanned(HEADER, body_rows(1))
    assert ratio_pair(table, 8, [4, 5, 6, 7]) == (6, 5)
    assert ratio_pair(table, 9, [4, 5, 6, 7]) == (7, 6)
    # Figures that are no quotient of any two columns name no pair.
    noise = [row[:7] + [str(90 + i), str(130 - 3 * i)] for i, row in enumerate(body_rows(1))]
    assert ratio_pair(scanned(HEADER, noise), 8, [4, 5, 6, 7]) is None


def test_a_misread_comparison_header_takes_its_years_and_kind_from_the_body():
    header = HEADER[:6] + ["năm 2032", "So sánh (%) UTH 2O931/KH 2031", "So sánh (%) KH 2032/UTH 2031"]
    cols = {c.index: c for c in read_columns(scanned(header, body_rows(2)))}
    assert (cols[8].kind, cols[8].year, cols[8].vs_year, cols[8].compares) == ("ratio_to_plan", 2031, 2031, (6, 5))
    assert (cols[9].kind, cols[9].year, cols[9].vs_year) == ("ratio_to_prior", 2032, 2031)
    # "năm 2032" lost its kind word; the comparison "KH 2032/UTH 2031" names it a plan.
    assert (cols[7].kind, cols[7].year) == ("target", 2032)


def test_a_header_lost_whole_is_read_from_its_quotients():
    header = HEADER[:7] + ["~:.", "So sánh (%) KH 2032/UTH 2031"]
    cols = {c.index: c for c in read_columns(scanned(header, body_rows(3)))}
    assert (cols[8].kind, cols[8].unit, cols[8].year, cols[8].vs_year) == ("ratio_to_plan", "%", 2031, 2031)


def _damage(body: list[list[str]], row: int, col: int, text: str) -> list[list[str]]:
    out = [list(r) for r in body]
    out[row][col - 1] = text
    return out


def test_a_comparison_cell_with_a_lost_or_added_digit_is_repaired():
    body = body_rows(4)
    good = body[2][7]
    lost = good[:1] + good[2:]  # its second digit lost
    table = scanned(HEADER, _damage(body, 2, 8, lost))
    fixes = repairs(table, {8: (6, 5), 9: (7, 6)}, [4, 5, 6, 7], [])
    assert [(f.row, f.col, f.read, f.text) for f in fixes] == [(4, 8, lost, good)]
    good = body[5][7]
    added = good[:-1] + "5" + good[-1:]  # a digit added before the last
    fixes = repairs(scanned(HEADER, _damage(body, 5, 8, added)), {8: (6, 5), 9: (7, 6)}, [4, 5, 6, 7], [])
    assert [(f.row, f.text) for f in fixes] == [(7, good)]


def test_a_lost_decimal_comma_is_put_back():
    body = body_rows(5)
    good = body[3][8]
    table = scanned(HEADER, _damage(body, 3, 9, good.replace(",", "")[:-1]))  # the comma lost with the last digit
    fixes = repairs(table, {8: (6, 5), 9: (7, 6)}, [4, 5, 6, 7], [])
    assert [(f.row, f.col, f.text) for f in fixes] == [(5, 9, good)]


def test_a_level_cell_the_comparison_divides_is_repaired():
    body = body_rows(6)
    good = body[4][5]  # the estimate, numerator of col 8 and base of col 9
    table = scanned(HEADER, _damage(body, 4, 6, good[1:]))
    fixes = repairs(table, {8: (6, 5), 9: (7, 6)}, [4, 5, 6, 7], [])
    assert [(f.row, f.col, f.text) for f in fixes] == [(6, 6, good)]
    assert "col 8" in fixes[0].reason and "col 9" in fixes[0].reason


def _budget() -> tuple[list[str], list[list[str]]]:
    """A budget form: a grand total over two groups, each the sum of its numbered parts, in three
    level columns ("Trong đó" names only some of a part)."""
    header = ["STT", "Nội dung", "Dự toán năm 2040", "Ước thực hiện năm 2040", "Dự toán năm 2041"]
    parts = {"I": [[1230, 1340, 1330], [3460, 3580, 3790], [4270, 4410, 4630]],
             "II": [[630, 660, 710], [2085, 2140, 2230]]}
    groups = {g: [sum(col) for col in zip(*rows)] for g, rows in parts.items()}
    body = [["", "TỔNG CỘNG", *(written(sum(v), 0) for v in zip(*groups.values()))]]
    for g, rows in parts.items():
        body.append([g, f"Nhóm {g}", *(written(v, 0) for v in groups[g])])
        for i, row in enumerate(rows, start=1):
            body.append([str(i), f"Khoản {g}.{i}", *(written(v, 0) for v in row)])
        body.append(["", "Trong đó: phần lẻ", "20", "30", "25"])
    return header, body


def test_a_part_that_breaks_its_total_is_repaired():
    header, body = _budget()
    assert body[3][2] == "3.460"
    table = scanned(header, _damage(body, 3, 3, "3.960"))  # a look-alike digit
    cols = read_columns(table)
    rows = table_rows(table, cols)
    fixes = table_repairs(table, cols, rows)
    assert [(p, f.text, f.read) for p, f in fixes.items()] == [((5, 3), "3.460", "3.960")]
    assert "sum of rows" in fixes[(5, 3)].reason
    records = table_records(table)
    rec = next(r for r in records if (r.row, r.col) == (4, 3))
    assert (rec.value, rec.text, rec.confidence) == (3460, "3.960", REPAIRED_CONFIDENCE)
    assert all(r.confidence == 1.0 for r in records if r is not rec)


def test_a_total_misread_is_repaired_from_its_parts():
    header, body = _budget()
    good = body[1][3]
    table = scanned(header, _damage(body, 1, 4, good.replace(".", "")[:-1]))  # the last digit lost
    cols = read_columns(table)
    fixes = table_repairs(table, cols, table_rows(table, cols))
    assert {p: f.text for p, f in fixes.items()} == {(3, 4): good}
    # Two parts of one sum misread: no single cell mends it.
    table = scanned(header, _damage(_damage(body, 2, 3, "1.238"), 3, 3, "3.960"))
    cols = read_columns(table)
    assert table_repairs(table, cols, table_rows(table, cols)) == {}


def test_a_text_layer_table_is_never_repaired():
    body = body_rows(7)
    body = _damage(body, 2, 8, body[2][7][1:])
    table = scanned(HEADER, body, dpi=72)
    cols = read_columns(table)
    assert table_repairs(table, cols, table_rows(table, cols)) == {}
    assert table_repairs(scanned(HEADER, body), cols, table_rows(table, cols))


def test_no_repair_on_weak_evidence():
    body = body_rows(8, n=3)  # too few rows to trust the identity
    table = scanned(HEADER, _damage(body, 1, 8, body[1][7][:-1]))
    assert repairs(table, {8: (6, 5), 9: (7, 6)}, [4, 5, 6, 7], []) == []
    # Two cells of one row misread: the identity fails by more than one cell.
    body = body_rows(8)
    table = scanned(HEADER, _damage(_damage(body, 2, 6, body[2][5][1:]), 2, 8, body[2][7][1:]))
    assert all(f.row != 4 or f.col not in (6, 8) for f in repairs(table, {8: (6, 5)}, [4, 5, 6, 7], []))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_a_consistent_table_is_left_alone(seed: int):
    table = scanned(HEADER, body_rows(seed))
    cols = read_columns(table)
    assert table_repairs(table, cols, table_rows(table, cols)) == {}


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), row=st.integers(0, 7), col=st.sampled_from([4, 5, 6, 7, 8, 9]),
       where=st.integers(0, 8), how=st.sampled_from(["drop", "add", "swap"]))
def test_a_single_misreading_is_repaired_to_the_truth_or_left(seed: int, row: int, col: int, where: int, how: str):
    body = body_rows(seed)
    good = body[row][col - 1]
    i = where % len(good)
    if not good[i].isdigit():
        i = max(0, i - 1)
    bad = {"drop": good[:i] + good[i + 1:], "add": good[:i] + "7" + good[i:],
           "swap": good[:i] + {"3": "8", "8": "3", "6": "5", "5": "6"}.get(good[i], "0") + good[i + 1:]}[how]
    table = scanned(HEADER, _damage(body, row, col, bad))
    fixes = repairs(table, {8: (6, 5), 9: (7, 6)}, [4, 5, 6, 7], [])
    assert all(figure(f.text).value == figure(body[f.row - 2][f.col - 1]).value for f in fixes)
    assert all((f.row, f.col) == (row + 2, col) for f in fixes)
