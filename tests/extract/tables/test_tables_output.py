"""The output formats of ``planscan tables``: JSON and Markdown of its own, CSV and XLSX through the
shared writers of ``io.export`` (synthetic tables; a born-digital PDF made with fpdf2 for the CLI)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from planscan.cli import main
from planscan.errors import BadArgumentError
from planscan.io.tables import sheet_name, write_tables
from tests.extract.tables.test_tables_reading import PLAN, make_table
from tests.io.test_tablestore import BODY, HEADER, table_pdf


def _two_tables():
    first = make_table(PLAN)
    first.title = "Biểu số 03: CÁC CHỈ TIÊU CHỦ YẾU VỀ GIÁO DỤC"
    second = make_table([["STT", "Nội dung", "Dự toán năm 2024"], ["1", "Thu nội địa", "4.386"],
                         ["2", "Thu khác", "-0,9"]], unit="triệu đồng")
    second.table, second.pages = 2, [2, 3]
    return first, second


def test_csv_has_the_flattened_header_and_cells_as_printed_without_a_bom(tmp_path):
    first, second = _two_tables()
    written = write_tables([first, second], str(tmp_path / "annex.csv"), None)
    assert [p.name for p in written] == ["annex-1.csv", "annex-2.csv"]
    raw = written[0].read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without a byte-order mark, as every CSV planscan writes
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0][3:6] == ["Thực hiện năm 2023", "Năm 2024 / Kế hoạch", "Năm 2024 / Ước thực hiện"]
    assert rows[0][8] == "So sánh (%) / KH 2025/UTH 2024"
    assert rows[1][1] == "KINH TẾ" and rows[2][3] == "10/25" and rows[4][3] == "1.250,5"
    assert len(rows) == 1 + len(PLAN) - 2
    assert list(csv.reader(io.StringIO(written[1].read_text(encoding="utf-8")))) == [
        ["STT", "Nội dung", "Dự toán năm 2024"], ["1", "Thu nội địa", "4.386"], ["2", "Thu khác", "-0,9"]]


def test_csv_of_several_tables_on_stdout_follow_each_other(capsysbinary):
    first, second = _two_tables()
    assert write_tables([first, second], None, "csv") == []
    out = capsysbinary.readouterr().out.decode("utf-8")
    blocks = out.split("\n\n")
    assert len(blocks) == 2 and blocks[1].startswith("STT,Nội dung,Dự toán năm 2024\n")


def test_a_header_without_titles_still_names_every_column(tmp_path):
    t = make_table([["STT", "Chỉ tiêu", "", ""], ["1", "Số xã", "18", "18"]], n_header=1)
    (path,) = write_tables([t], str(tmp_path / "t.csv"), None)
    assert path.read_text(encoding="utf-8").splitlines()[0] == "STT,Chỉ tiêu,column 3,column 4"


def test_xlsx_has_a_named_sheet_per_table_with_a_bold_frozen_filtered_header_and_numbers(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    first, second = _two_tables()
    (path,) = write_tables([first, second], str(tmp_path / "annex.xlsx"), None)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["1. Biểu số 03 - CÁC CHỈ TIÊU CH", "Table 2, pages 2-3"]
    ws = wb.worksheets[0]
    assert ws["D1"].value == "Thực hiện năm 2023" and ws["D1"].font.bold
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:I{len(PLAN) - 1}"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width
    # a value column's number is a number; a fraction, a mark and a label stay text
    assert ws["D5"].value == 1250.5 and ws["D3"].value == "10/25" and ws["F4"].value == "x"
    assert ws["A3"].value == "1" and ws["C3"].value == "Trường"
    assert [[c.value for c in row] for row in wb.worksheets[1].iter_rows()] == [
        ["STT", "Nội dung", "Dự toán năm 2024"], ["1", "Thu nội địa", 4386], ["2", "Thu khác", -0.9]]


def test_sheet_names_fit_excel():
    t = make_table(PLAN)
    t.title = "Phụ lục [II]: THU/CHI NGÂN SÁCH * 2024?"
    name = sheet_name(t)
    assert len(name) <= 31 and not set(name) & set("[]:*?/\\") and name.startswith("1. Phụ lục")


def test_json_and_markdown(tmp_path):
    first, second = _two_tables()
    (path,) = write_tables([first, second], str(tmp_path / "t.json"), None)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [d["table"] for d in data] == [1, 2] and data[0]["n_header_rows"] == 2
    assert set(data[0]["cells"][0]) == {"row", "col", "rowspan", "colspan", "text", "page", "bbox"}
    assert data[0]["cells"][4]["colspan"] == 2  # "Năm 2024" over its two columns
    (md,) = write_tables([second], str(tmp_path / "t.md"), None)
    lines = md.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "## Table 2 (page 2, 3)"
    assert lines[2] == "| STT | Nội dung | Dự toán năm 2024 |" and lines[5] == "| 2 | Thu khác | -0,9 |"


def test_an_unknown_suffix_is_refused():
    with pytest.raises(BadArgumentError):
        write_tables([], "tables.parquet", None)


def _run(args, capsysbinary):
    with pytest.raises(SystemExit) as e:
        main(args)
    out, err = capsysbinary.readouterr()
    return e.value.code, out, err.decode("utf-8")


def test_cli_writes_the_tables_of_a_born_digital_pdf(tmp_path, capsysbinary):
    openpyxl = pytest.importorskip("openpyxl")
    pdf = table_pdf(tmp_path / "annex.pdf")
    code, out, err = _run(["tables", str(pdf), "--format", "csv"], capsysbinary)
    assert code == 0, err
    assert list(csv.reader(io.StringIO(out.decode("utf-8")))) == [HEADER] + BODY
    code, out, err = _run(["tables", str(pdf), "-o", str(tmp_path / "annex.xlsx")], capsysbinary)
    assert code == 0 and out == b"", err
    ws = openpyxl.load_workbook(tmp_path / "annex.xlsx").worksheets[0]
    assert ws.title.startswith("1. Biểu số 09") and ws["D2"].value == 1000 and ws["E4"].value == 450
    code, _, err = _run(["tables", str(pdf), "-o", str(tmp_path / "annex.txt")], capsysbinary)
    assert code == 1 and "unknown output suffix" in err
