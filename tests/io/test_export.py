"""Writing records: JSON Lines, JSON, CSV and Excel, to a file (atomically) or to standard output."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from planscan.errors import BadArgumentError, ExitCode, OutputError
from planscan.io.export import flatten, format_for, render, write_records
from planscan.schemas.records import BBox, IndicatorRecord


def _records():
    return [
        IndicatorRecord(indicator="Số trạm", key="x_tram", value=12, unit="trạm", year=2023, text="12 trạm",
                        section=["Phần thứ nhất", "I. KẾT QUẢ"], bbox=BBox(x0=1, y0=2, x1=3, y1=4)),
        IndicatorRecord(indicator="Tỷ lệ hộ", key="x_ty_le_ho", value=88.9, unit="%", year=2023, text="88,9 %"),
    ]


def test_jsonl_round_trips_records(tmp_path):
    out = tmp_path / "r.jsonl"
    assert write_records(_records(), out) == "jsonl"
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [IndicatorRecord.model_validate(r) for r in rows] == _records()


def test_json_is_a_list_and_keeps_vietnamese_unescaped(tmp_path):
    out = tmp_path / "r.json"
    write_records(_records(), out)
    text = out.read_text(encoding="utf-8")
    assert "Tỷ lệ hộ" in text
    assert [r["value"] for r in json.loads(text)] == [12, 88.9]


def test_csv_flattens_boxes_and_section_paths(tmp_path):
    out = tmp_path / "r.csv"
    write_records(_records(), out)
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # plain UTF-8, as pandas and csvkit write it; Excel takes the xlsx
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0]["bbox.x1"] == "3" and rows[0]["section"] == "Phần thứ nhất > I. KẾT QUẢ"
    assert rows[1]["bbox.x0"] == "" and "bbox" not in rows[1] and rows[1]["unit"] == "%"


def test_xlsx_has_a_header_and_one_row_per_record(tmp_path):
    out = tmp_path / "r.xlsx"
    write_records(_records(), out, columns=["indicator", "value"])
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("indicator", "value")
    assert rows[2][:2] == ("Tỷ lệ hộ", 88.9)
    assert len(rows) == 3


def test_plain_dict_rows_and_stdout():
    buf = io.BytesIO()
    write_records([{"a": 1, "b": {"c": [1, 2]}}, {"a": 2, "d": "x"}], None, "csv", stdout=buf)
    lines = buf.getvalue().decode("utf-8-sig").splitlines()
    assert lines[0] == "a,b.c,d" and lines[1] == '1,"[1, 2]",'
    assert flatten({"p": ["a", "b"]}) == {"p": "a > b"}


def test_stdout_is_jsonl_by_default():
    buf = io.BytesIO()
    assert write_records(_records(), "-", stdout=buf) == "jsonl"
    assert len(buf.getvalue().decode("utf-8").splitlines()) == 2


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    out = tmp_path / "r.jsonl"
    out.write_text("old\n", encoding="utf-8")

    def broken(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr("planscan.io.export.render", lambda *a, **k: b"x" * 10)
    import planscan._util.atomic as atomic

    real_replace = atomic.os.replace
    monkeypatch.setattr(atomic.os, "replace", broken)
    with pytest.raises(RuntimeError):
        write_records(_records(), out)
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.jsonl"]


def test_bad_format_and_folder_output_are_one_line_errors(tmp_path):
    with pytest.raises(BadArgumentError, match="unknown format"):
        format_for(None, "yaml")
    with pytest.raises(OutputError, match="is a folder"):
        write_records(_records(), tmp_path, "csv")
    assert format_for(tmp_path / "x.XLSX") == "xlsx"
    assert render([], "jsonl") == b""


def _csv(path):
    return list(csv.reader(path.open(encoding="utf-8", newline="")))


def test_csv_has_a_header_without_rows_and_the_same_columns_for_every_input(tmp_path):
    empty = tmp_path / "empty.csv"
    write_records([], empty, model=IndicatorRecord)
    (header,) = _csv(empty)  # pandas raises EmptyDataError on a CSV without one
    assert "bbox.x0" in header and "derived" in header and "value" in header
    # a text input has no boxes, a scan has them: the columns are the same
    text_like, scan_like = tmp_path / "text.csv", tmp_path / "scan.csv"
    write_records([_records()[1]], text_like, model=IndicatorRecord)
    write_records([_records()[0]], scan_like, model=IndicatorRecord)
    assert _csv(text_like)[0] == _csv(scan_like)[0] == header


def test_csv_booleans_and_nulls_are_true_false_and_empty(tmp_path):
    out = tmp_path / "b.csv"
    recs = [_records()[0], _records()[1].model_copy(update={"derived": True})]
    write_records(recs, out, model=IndicatorRecord)
    header, *rows = _csv(out)
    derived, x0 = header.index("derived"), header.index("bbox.x0")
    assert [r[derived] for r in rows] == ["false", "true"]
    assert rows[1][x0] == "" and "None" not in out.read_text(encoding="utf-8")


def test_xlsx_header_is_bold_frozen_filtered_with_widths_formats_and_a_named_sheet(tmp_path):
    out = tmp_path / "r.xlsx"
    write_records(_records(), out, model=IndicatorRecord, sheet="figures")
    wb = load_workbook(out)
    ws = wb["figures"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert all(c.font.bold for c in ws[1])
    header = [c.value for c in ws[1]]
    value_col = header.index("value") + 1
    assert ws.cell(row=3, column=value_col).number_format == "#,##0.00"
    label_col = header.index("indicator") + 1
    from openpyxl.utils import get_column_letter

    assert ws.column_dimensions[get_column_letter(label_col)].width >= len("Tỷ lệ hộ")
    derived_col = header.index("derived") + 1
    assert ws.cell(row=2, column=derived_col).value is False


@pytest.mark.parametrize("name", ["figures.parquet", "figures.txt", "figures"])
def test_an_output_suffix_that_names_no_format_is_exit_1_and_writes_nothing(tmp_path, name):
    with pytest.raises(BadArgumentError) as info:
        write_records(_records(), tmp_path / name)
    assert info.value.exit_code == ExitCode.bad_args == 1
    assert not (tmp_path / name).exists()
    if name.endswith(".parquet"):
        assert "Parquet" in str(info.value)
