"""planscan extract: inputs of each kind, formats, empty input, bad input and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planscan.cli import main
from planscan.errors import ExitCode
from planscan.pipeline import read_text_file

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
GOLD = SAMPLES / "tuangiao-2020" / "gold.txt"


def run(args, capsysbinary):
    with pytest.raises(SystemExit) as e:
        main(args)
    out, err = capsysbinary.readouterr()
    return e.value.code, out.decode("utf-8"), err.decode("utf-8")


def test_text_input_writes_json_lines_to_stdout(capsysbinary):
    code, out, err = run(["extract", str(GOLD)], capsysbinary)
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) >= 30
    assert {r["kind"] for r in rows} >= {"actual", "estimate", "change", "ratio_to_prior"}
    assert all(r["document"] == str(GOLD) and r["year"] for r in rows)


def test_output_file_format_from_suffix_and_flag(tmp_path, capsysbinary):
    out = tmp_path / "figures.csv"
    code, stdout, _ = run(["extract", str(GOLD), "-o", str(out)], capsysbinary)
    assert code == 0 and stdout == ""
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("schema_version,indicator,key,value")
    js = tmp_path / "figures.dat"
    assert run(["extract", str(GOLD), "--format", "json", "-o", str(js)], capsysbinary)[0] == 0
    assert isinstance(json.loads(js.read_text(encoding="utf-8")), list)


def test_ocr_json_input_gives_the_same_records_as_its_text(tmp_path, capsysbinary):
    doc = read_text_file(GOLD)
    ocr_json = tmp_path / "plan.ocr.json"
    ocr_json.write_text(doc.model_dump_json(), encoding="utf-8")
    _, from_text, _ = run(["extract", str(GOLD), "--restore", "off"], capsysbinary)
    _, from_json, _ = run(["extract", str(ocr_json), "--restore", "off"], capsysbinary)
    strip = lambda s: [{k: v for k, v in json.loads(line).items() if k != "document"} for line in s.splitlines()]
    assert strip(from_text) == strip(from_json)


def test_text_without_figures_is_an_empty_result(tmp_path, capsysbinary):
    empty = tmp_path / "empty.txt"
    empty.write_text("Tăng cường công tác tuyên truyền.\n", encoding="utf-8")
    assert run(["extract", str(empty)], capsysbinary)[:2] == (0, "")


def test_missing_and_non_utf8_inputs_are_one_line_errors(tmp_path, capsysbinary):
    code, out, err = run(["extract", str(tmp_path / "nope.txt")], capsysbinary)
    assert code == ExitCode.input_file and out == "" and len(err.strip().splitlines()) == 1
    bad = tmp_path / "cp1258.txt"
    bad.write_bytes(b"S\xf4 tr\xe0m: 12\n")  # Windows-1258 bytes, not UTF-8
    code, _, err = run(["extract", str(bad)], capsysbinary)
    assert code == ExitCode.encoding_error and str(bad) in err


def test_one_bad_input_among_good_ones_is_partial(tmp_path, capsysbinary):
    code, out, err = run(["extract", str(GOLD), str(tmp_path / "nope.txt")], capsysbinary)
    assert code == ExitCode.partial
    assert out.count("\n") >= 30 and "nope.txt" in err


def test_diacritic_free_text_is_restored_before_reading(tmp_path, capsysbinary):
    plain = tmp_path / "plain.txt"
    plain.write_text(
        "BAO CAO KET QUA NAM 2023\n\nToan huyen co 120 tram phat song, tang 8 tram so voi cung ky nam 2022.\n",
        encoding="utf-8",
    )
    code, out, _ = run(["extract", str(plain)], capsysbinary)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [(r["value"], r["kind"], r["year"]) for r in rows] == [(120, "actual", 2023), (8, "change", 2023)]
    assert rows[0]["unit"].startswith("trạm")  # restored from "tram"


def test_unreadable_number_warns_on_stderr_with_its_place(tmp_path, capsysbinary, unreadable_number):
    src = tmp_path / "w.txt"
    src.write_text(f"NĂM 2023\nCó {unreadable_number} xã và 12 trạm.\n", encoding="utf-8")
    code, out, err = run(["extract", str(src), "--restore", "off"], capsysbinary)
    assert code == 0
    assert "planscan: warning:" in err and "page 1, line 2" in err and str(src) in err
    assert [json.loads(line)["value"] for line in out.splitlines()] == [12]


@pytest.mark.tesseract
def test_scanned_pdf_page_is_ocrd_restored_and_read(tmp_path, capsysbinary):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(SAMPLES / "tuangiao-2021" / "scan-harsh.pdf").pages[0])
    one_page = tmp_path / "page1.pdf"
    with open(one_page, "wb") as fh:
        writer.write(fh)
    code, out, err = run(["extract", str(one_page)], capsysbinary)
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) >= 10
    assert all(r["bbox"] is not None and r["page"] == 1 for r in rows)
    assert any(r["value"] == 125 and r["unit"] == "trạm" and r["year"] == 2020 for r in rows)


def _readme_examples() -> list[list[str]]:
    import re
    import shlex

    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Indicator records (`planscan extract`)", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    return [shlex.split(line.split("|")[0]) for b in blocks for line in b.splitlines() if line.startswith("planscan extract")]


def test_readme_examples_run(tmp_path, capsysbinary, monkeypatch):
    examples = _readme_examples()
    assert examples
    monkeypatch.chdir(tmp_path)
    for argv in examples:
        argv = [a if not a.startswith("samples/") else str(SAMPLES.parent / a) for a in argv[1:]]
        if any(a.endswith(".pdf") for a in argv):
            continue  # OCR examples run in the tesseract test above
        code, out, err = run(argv, capsysbinary)
        assert code == 0, (argv, err)
        assert out or any(p.is_file() for p in tmp_path.iterdir())


def test_extract_explain_says_why_each_figure_has_its_kind_and_why_other_numbers_are_none(tmp_path):
    from click.testing import CliRunner

    from planscan.cli import cli

    src = tmp_path / "plan.txt"
    src.write_text(
        "QUYẾT ĐỊNH\nĐiều 1. Phê duyệt Đề án trồng tre giai đoạn 2031 - 2035 như sau:\n"
        "Trồng mới 180 ha tre tại phường 4, dọc Quốc lộ 9.\n"
        "Quyết định có hiệu lực sau 10 ngày kể từ ngày ký.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["extract", str(src), "--explain"])
    assert result.exit_code == 0, result.output
    err = result.stderr
    figure = next(line for line in err.splitlines() if "\t180 ha\t" in line)
    assert "target: " in figure and "Điều 1" in figure and "giai đoạn 2031-2035" in figure
    assert "4\tnot a figure: part of a name or address" in err
    assert "9\tnot a figure: part of a name or address" in err
    assert "10\tnot a figure: a legal time limit" in err
    assert '"value": 180.0' in result.stdout and '"value": 10' not in result.stdout
