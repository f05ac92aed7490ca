"""Writing records: JSON Lines, JSON, CSV and Excel, to a file (atomically) or to standard output."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from planscan.errors import OutputError
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
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
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
    with pytest.raises(OutputError, match="unknown format"):
        format_for(None, "yaml")
    with pytest.raises(OutputError, match="is a folder"):
        write_records(_records(), tmp_path, "csv")
    assert format_for(tmp_path / "x.XLSX") == "xlsx"
    assert render([], "jsonl") == b""
