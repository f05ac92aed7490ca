"""planscan diff: formats, warnings and errors, on the hand-labelled records of two plans."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planscan.cli import cli
from planscan.errors import ExitCode
from planscan.schemas.comparison import ComparisonRow, DiffOutput

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
OLD = str(SAMPLES / "tuangiao-2020" / "indicators.jsonl")
NEW = str(SAMPLES / "tuangiao-2021" / "indicators.jsonl")


def _run(*args):
    return CliRunner().invoke(cli, ["diff", *args], catch_exceptions=False)


def test_json_is_an_object_with_documents_and_typed_rows():
    res = _run(OLD, NEW, "--format", "json")
    assert res.exit_code == 0, res.output
    out = DiffOutput.model_validate(json.loads(res.stdout))
    assert [d.name for d in out.documents] == ["tuangiao-2020", "tuangiao-2021"]
    assert out.documents[0].path == OLD and len(out.documents[0].sha256) == 64
    assert len(out.rows) > 30
    bts = next(r for r in out.rows if r.key == "ict.bts_stations" and r.row_class == "level")
    assert [c.stated_value for c in bts.cells] == [117, 125]
    assert bts.consistency == "consistent" and bts.change_unit == "trạm"
    assert {c.document for c in bts.cells} == {"tuangiao-2020", "tuangiao-2021"}
    rate = next(r for r in out.rows if r.unit == "%" and r.change is not None)
    assert rate.change_unit == "pp"


def test_csv_markdown_table_and_xlsx_files(tmp_path):
    out = tmp_path / "d.csv"
    assert _run(OLD, NEW, "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    # column names do not depend on the file names; the documents are named in the cells
    assert {"value_1", "period_1", "document_2", "row_class", "change_unit"} <= set(rows[0])
    assert not any("tuangiao" in c for c in rows[0])
    bts = next(r for r in rows if r["key"] == "ict.bts_stations" and r["row_class"] == "level")
    assert float(bts["value_1"]) == 117 and float(bts["change"]) == 8 and bts["document_1"] == "tuangiao-2020"
    assert bts["consistency"] == "consistent"

    md = tmp_path / "d.md"
    assert _run(OLD, NEW, "--format", "markdown", "-o", str(md)).exit_code == 0
    text = md.read_text(encoding="utf-8")
    assert text.startswith("| label | class | unit | tuangiao-2020 | tuangiao-2021 |")
    assert "| Số trạm BTS | level | trạm | 117 (6 tháng đầu năm 2019) | 125 (6 tháng đầu năm 2020) | +8 |" in text
    assert "- consistent: " in text

    table = tmp_path / "d.txt"
    assert _run(OLD, NEW, "--format", "table", "-o", str(table)).exit_code == 0
    assert "Số trạm BTS" in table.read_text(encoding="utf-8")

    xlsx = tmp_path / "d.xlsx"
    assert _run(OLD, NEW, "-o", str(xlsx)).exit_code == 0
    from openpyxl import load_workbook

    ws = load_workbook(xlsx)["comparison"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["key", "label", "unit", "row_class"]
    assert ws.max_row == len(rows) + 1 and ws.freeze_panes == "A2"


def test_one_vocabulary_in_table_json_and_csv_with_a_legend(tmp_path):
    from rich.console import Console

    from planscan.io.diffformat import FLAGS, print_table
    from planscan.pipeline import diff_inputs

    result = diff_inputs([Path(OLD), Path(NEW)])
    con = Console(file=io.StringIO(), width=200, record=True)
    print_table(result, con)
    table = con.export_text()
    words = {f for r in result.rows for f in r.flags} | {r.consistency for r in result.rows if r.consistency}
    assert {"only-in-one-document", "consistent"} <= words
    for word in words:
        assert word in table  # the same word as in JSON and CSV
        assert f"{word}: " in table  # and explained in the legend under the table
    assert set(FLAGS) >= {f for r in result.rows for f in r.flags}
    assert not re.search(r"(?<!in-)one-doc\b|\bok\b|(?<![a-z])\?(?![a-z])", table)
    csv_out = tmp_path / "d.csv"
    assert _run(OLD, NEW, "-o", str(csv_out)).exit_code == 0
    cells = {w for r in csv.DictReader(csv_out.open(encoding="utf-8")) for w in r["flags"].split(", ") + [r["consistency"]]}
    assert words <= cells


@pytest.mark.parametrize("width", [80, 100])
def test_the_table_fits_the_terminal_and_shows_the_row_class_unharmed_by_markup(width):
    from rich.console import Console

    from planscan.io.diffformat import print_table
    from planscan.pipeline import diff_inputs

    result = diff_inputs([Path(OLD), Path(NEW)])
    result.rows[0].label = "Chỉ tiêu [target] [bold]x[/bold]"
    target, actual = (next(c for r in result.rows for c in r.cells if c is not None and c.document == d)
                      for d in result.documents)
    result.rows.append(ComparisonRow(key="x_plan", label="Kế hoạch", unit=target.stated_unit, row_class="fulfilment",
                                     cells=[target, actual], change=1.0, fulfilment_pct=95.0, flags=["target"]))
    con = Console(file=io.StringIO(), width=width, record=True)
    print_table(result, con)
    text = con.export_text()
    assert max(len(line) for line in text.splitlines()) <= width
    assert "[target]" in text and "[bold]x[/bold]" in text
    assert "fulfilment" in text and "% of target" in text and " pp" in text
    assert "Số trạm BTS" in text and "level" in text


def test_long_csv_has_one_row_per_indicator_and_document(tmp_path):
    out = tmp_path / "long.csv"
    assert _run(OLD, NEW, "--format", "csv-long", "-o", str(out)).exit_code == 0
    with out.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        from planscan.io.diffformat import LONG_COLUMNS

        assert reader.fieldnames == LONG_COLUMNS
        rows = list(reader)
    bts = [r for r in rows if r["key"] == "ict.bts_stations" and r["row_class"] == "level"]
    assert {("tuangiao-2020", 117.0), ("tuangiao-2021", 125.0)} <= {(r["document"], float(r["value"])) for r in bts}
    assert {r["derived"] for r in rows} <= {"true", "false"}


def test_only_paired_and_min_confidence_leave_rows_out():
    everything = json.loads(_run(OLD, NEW, "--format", "json").stdout)["rows"]
    paired = json.loads(_run(OLD, NEW, "--format", "json", "--only-paired").stdout)["rows"]
    assert 0 < len(paired) < len(everything)
    assert all(sum(c is not None for c in r["cells"]) >= 2 for r in paired)
    scores = sorted(r["score"] for r in paired if r["score"] is not None)
    cut = scores[len(scores) // 2]
    sure = json.loads(_run(OLD, NEW, "--format", "json", "--only-paired", "--min-confidence", str(cut)).stdout)["rows"]
    assert 0 < len(sure) < len(paired) and all(r["score"] >= cut for r in sure)


def test_an_unknown_output_suffix_is_exit_1(tmp_path):
    p = subprocess.run([sys.executable, "-m", "planscan.cli", "diff", OLD, NEW, "-o", str(tmp_path / "d.parquet")],
                       capture_output=True, text=True)
    assert p.returncode == ExitCode.bad_args == 1, p.stderr
    assert p.stderr.count("\n") == 1 and not (tmp_path / "d.parquet").exists()


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
    rows = json.loads(res.stdout)["rows"]
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
    rows = [ComparisonRow.model_validate(r) for r in json.loads(res.stdout)["rows"]]
    paired = [r for r in rows if r.row_class == "level" and all(r.cells)]
    assert len(paired) >= 10
    documents = json.loads(res.stdout)["documents"]
    assert all(d["metadata"]["district"] for d in documents)


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
    assert any(all(r["cells"]) for r in json.loads(res.stdout)["rows"])
