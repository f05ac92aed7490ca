"""planscan diff: formats, warnings and errors, on the hand-labelled records of two plans."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planscan.cli import cli
from planscan.errors import ExitCode
from planscan.schemas.comparison import ComparisonRow

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
OLD = str(SAMPLES / "tuangiao-2020" / "indicators.jsonl")
NEW = str(SAMPLES / "tuangiao-2021" / "indicators.jsonl")


def _run(*args):
    return CliRunner().invoke(cli, ["diff", *args], catch_exceptions=False)


def test_json_is_a_list_of_typed_rows():
    res = _run(OLD, NEW, "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert isinstance(rows, list) and len(rows) > 30
    parsed = [ComparisonRow.model_validate(r) for r in rows]
    bts = next(r for r in parsed if r.key == "ict.bts_stations" and r.row_class == "level")
    assert [c.stated_value for c in bts.cells] == [117, 125]
    assert bts.consistency == "consistent"
    assert {c.document for c in bts.cells} == {"tuangiao-2020", "tuangiao-2021"}


def test_csv_markdown_table_and_xlsx_files(tmp_path):
    out = tmp_path / "d.csv"
    assert _run(OLD, NEW, "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert "tuangiao-2020 value" in rows[0] and "tuangiao-2021 period" in rows[0]
    bts = next(r for r in rows if r["key"] == "ict.bts_stations" and r["class"] == "level")
    assert float(bts["tuangiao-2020 value"]) == 117 and float(bts["change"]) == 8
    assert bts["consistency"] == "consistent"

    md = tmp_path / "d.md"
    assert _run(OLD, NEW, "--format", "markdown", "-o", str(md)).exit_code == 0
    text = md.read_text(encoding="utf-8")
    assert text.startswith("| label | unit | tuangiao-2020 | tuangiao-2021 |")
    assert "| Số trạm BTS | trạm | 117 (6 tháng đầu năm 2019) | 125 (6 tháng đầu năm 2020) | 8 |" in text

    table = tmp_path / "d.txt"
    assert _run(OLD, NEW, "--format", "table", "-o", str(table)).exit_code == 0
    assert "Số trạm BTS" in table.read_text(encoding="utf-8")

    xlsx = tmp_path / "d.xlsx"
    assert _run(OLD, NEW, "-o", str(xlsx)).exit_code == 0
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    header = [c.value for c in ws[1]]
    assert header[:4] == ["key", "label", "unit", "class"]
    assert ws.max_row == len(rows) + 1


def test_xlsx_needs_an_output_file():
    res = CliRunner().invoke(cli, ["diff", OLD, NEW, "--format", "xlsx"])
    assert res.exception is not None and "-o" in str(res.exception)


def test_different_districts_warn_and_still_diff(tmp_path):
    def doc(path, district, label, unit, value, year):
        path.write_text(
            json.dumps(
                {
                    "meta": {"district": district, "doc_type": "Kế hoạch"},
                    "indicators": [
                        {"indicator": label, "value": value, "unit": unit, "year": year,
                         "period": f"năm {year}", "text": label}
                    ],
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        return str(path)

    a = doc(tmp_path / "a.json", "Tuần Giáo", "Số trạm BTS", "trạm", 117, 2019)
    b = doc(tmp_path / "b.json", "Mường Ảng", "Số trạm BTS", "trạm", 90, 2020)
    res = CliRunner().invoke(cli, ["diff", a, b, "--format", "json"])
    assert res.exit_code == 0
    assert "different districts" in res.stderr and "Mường Ảng" in res.stderr
    rows = json.loads(res.stdout)
    assert len(rows) == 1 and rows[0]["change"] == -27


def test_bad_inputs_give_one_line_errors_and_exit_codes(tmp_path):
    missing = tmp_path / "nope.jsonl"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    for target, code in ((missing, ExitCode.input_file), (bad, ExitCode.input_file)):
        p = subprocess.run(
            [sys.executable, "-m", "planscan.cli", "diff", OLD, str(target), "--format", "json"],
            capture_output=True, text=True,
        )
        assert p.returncode == code, p.stderr
        assert p.stderr.count("\n") == 1 and str(target) in p.stderr
    p = subprocess.run([sys.executable, "-m", "planscan.cli", "diff", OLD], capture_output=True, text=True)
    assert p.returncode == ExitCode.bad_args == 1, p.stderr


def test_diff_straight_from_text(tmp_path):
    pytest.importorskip("planscan.extract.indicators.records")
    from planscan.extract import indicators

    if not hasattr(indicators, "extract_indicators"):
        pytest.skip("indicator extraction not available")
    res = CliRunner().invoke(
        cli, ["diff", str(SAMPLES / "tuangiao-2020" / "gold.txt"), str(SAMPLES / "tuangiao-2021" / "gold.txt"),
              "--format", "json"],
    )
    assert res.exit_code == 0, res.output
    rows = [ComparisonRow.model_validate(r) for r in json.loads(res.stdout)]
    paired = [r for r in rows if r.row_class == "level" and all(r.cells)]
    assert len(paired) >= 10


def test_batch_outputs_carry_their_district_into_the_diff(tmp_path):
    """x.indicators.jsonl with its x.ocr.json (planscan batch output): the sidecar's metadata tells
    the districts apart, so plans of two districts are flagged."""
    pytest.importorskip("planscan.extract.indicators.records")
    from planscan.pipeline import extract_document, read_document

    outs = []
    for year, rename in (("2020", None), ("2021", "Mường Ảng")):
        text = (SAMPLES / f"tuangiao-{year}" / "gold.txt").read_text(encoding="utf-8")
        if rename:
            text = text.replace("Tuần Giáo", rename).replace("TUẦN GIÁO", rename.upper())
        src = tmp_path / f"plan{year}.txt"
        src.write_text(text, encoding="utf-8")
        doc = read_document(src)
        _meta, _sections, records = extract_document(doc)
        (tmp_path / f"plan{year}.ocr.json").write_text(doc.model_dump_json(), encoding="utf-8")
        out = tmp_path / f"plan{year}.indicators.jsonl"
        out.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
        outs.append(str(out))
    res = CliRunner().invoke(cli, ["diff", *outs, "--format", "json"])
    assert res.exit_code == 0
    assert "different districts" in res.stderr and "Mường Ảng" in res.stderr
    assert any(all(r["cells"]) for r in json.loads(res.stdout))
