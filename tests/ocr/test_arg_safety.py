"""No shell, a time limit on every external program, and input names that look like options."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from planscan.ocr.poppler import path_arg, pdf_info, text_layer

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "planscan"
SCAN = ROOT / "samples" / "tuangiao-2021" / "scan-harsh.pdf"
SPAWNERS = {"run", "Popen", "call", "check_call", "check_output", "getoutput", "getstatusoutput"}


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")


def test_no_shell_anywhere_in_planscan():
    found = []
    for path, text in _sources():
        for needle in ("shell=True", "os.system", "os.popen", "os.spawn", "os.exec", "getstatusoutput", "getoutput"):
            if needle in text:
                found.append(f"{path.relative_to(ROOT)}: {needle}")
    assert found == []


def test_every_process_planscan_starts_has_a_time_limit():
    """subprocess.run and friends with timeout=; Popen (which has none) is not used at all."""
    calls = []
    for path, text in _sources():
        for node in ast.walk(ast.parse(text)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "subprocess"
                    and node.func.attr in SPAWNERS):
                calls.append((path, node))
    assert calls, "the scan found no subprocess call at all; it is looking in the wrong place"
    for path, node in calls:
        where = f"{path.relative_to(ROOT)}:{node.lineno}"
        assert node.func.attr != "Popen", f"{where}: Popen has no time limit"
        assert any(k.arg == "timeout" for k in node.keywords), f"{where}: no timeout"
        assert not any(k.arg == "shell" for k in node.keywords), f"{where}: shell="


def test_path_arg_keeps_a_leading_dash_from_being_an_option():
    assert path_arg("-rf.pdf") == "./-rf.pdf"
    assert path_arg(Path("--help.pdf")) == "./--help.pdf"
    assert path_arg("/abs/-x.pdf") == "/abs/-x.pdf" and path_arg("a/-x.pdf") == "a/-x.pdf"


def _one_page(dst: Path) -> None:
    with pikepdf.open(SCAN) as src, pikepdf.new() as out:
        out.pages.append(src.pages[0])
        out.save(dst)


def test_poppler_reads_a_file_named_like_an_option(tmp_path, monkeypatch):
    if not shutil.which("pdfinfo"):
        pytest.skip("poppler not installed")
    _one_page(tmp_path / "-rf.pdf")
    monkeypatch.chdir(tmp_path)
    assert pdf_info(Path("-rf.pdf")).pages == 1
    assert text_layer(Path("-rf.pdf")) == [None]  # a scan: no text layer, and no "-rf" option error


@pytest.mark.tesseract
@pytest.mark.slow
def test_a_file_named_dash_rf_goes_through_ocr_and_batch(tmp_path):
    if not shutil.which("tesseract"):
        pytest.skip("tesseract not installed")
    work = tmp_path / "work"
    (work / "in").mkdir(parents=True)
    _one_page(work / "-rf.pdf")
    shutil.copyfile(work / "-rf.pdf", work / "in" / "-rf.pdf")
    keep = {p.name for p in work.iterdir()}

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "planscan.cli", *args], capture_output=True, text=True,
                              cwd=work, timeout=600)

    r = cli("ocr", "--pdf", "-o", "ocr-out", "--", "-rf.pdf")  # a relative name, as a user would type it
    assert r.returncode == 0, r.stderr
    assert (work / "ocr-out" / "-rf.txt").read_text(encoding="utf-8").strip()
    assert (work / "ocr-out" / "-rf.pdf").stat().st_size > 0
    r = cli("batch", "in", "-o", "batch-out", "-q")
    assert r.returncode == 0, r.stderr
    assert (work / "batch-out" / "-rf.txt").read_text(encoding="utf-8").strip()
    assert (work / "batch-out" / "-rf.txt").read_bytes() == (work / "ocr-out" / "-rf.txt").read_bytes()
    # Nothing was written where an option-like name would have sent it, and the input is as it was.
    assert {p.name for p in work.iterdir()} == keep | {"ocr-out", "batch-out"}
    assert (work / "-rf.pdf").read_bytes() == (work / "in" / "-rf.pdf").read_bytes()
