"""The small habits: restore says it reads stdin on a terminal, UTF-16 with a BOM is read and a
legacy encoding is named, long commands show page progress on a terminal, a file with no page read
leaves no empty outputs, and the batch summary names the files it ignored."""

from __future__ import annotations

import contextlib
import os
import pty
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from planscan.cli import cli
from planscan.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
TEXT = "Tổng thu ngân sách đạt 120 tỷ đồng.\n"


def test_restore_on_a_terminal_says_it_reads_standard_input():
    master, slave = pty.openpty()
    try:
        p = subprocess.Popen([sys.executable, "-m", "planscan.cli", "restore"], stdin=slave, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, cwd=ROOT)
        os.write(master, "Tổng thu\n".encode())
        for _ in range(3):  # Ctrl-D ends the input; a terminal's end of input is not sticky, so more than once
            time.sleep(0.5)
            os.write(master, b"\x04")
        out, err = p.communicate(timeout=120)
    finally:
        os.close(master)
        os.close(slave)
    assert p.returncode == 0, err
    assert "standard input" in err.decode() and "Ctrl-D" in err.decode()
    # not on a pipe: the text is all there is on stderr there
    piped = subprocess.run([sys.executable, "-m", "planscan.cli", "restore"], input="Tổng thu\n", text=True,
                           capture_output=True, cwd=ROOT, timeout=120)
    assert piped.returncode == 0 and piped.stderr == ""


def test_utf16_with_a_bom_is_read(tmp_path):
    for codec in ("utf-16-le", "utf-16-be"):
        f = tmp_path / f"{codec}.txt"
        bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
        f.write_bytes(bom + TEXT.encode(codec))
        res = CliRunner().invoke(cli, ["restore", str(f)])
        assert res.exit_code == 0 and res.stdout == TEXT
        res = CliRunner().invoke(cli, ["extract", str(f), "--format", "json"])
        assert res.exit_code == 0 and '"tỷ đồng"' in res.stdout


def test_a_legacy_encoding_is_named_with_its_converters(tmp_path):
    f = tmp_path / "cp1258.txt"
    f.write_bytes("Thu ngân sách".encode("cp1258"))
    p = subprocess.run([sys.executable, "-m", "planscan.cli", "restore", str(f)], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert p.returncode == ExitCode.encoding_error
    assert str(f) in p.stderr and "TCVN3" in p.stderr and "VNI" in p.stderr and "iconv" in p.stderr
    assert p.stderr.count("\n") == 1
    bare = tmp_path / "utf16-no-bom.txt"
    bare.write_bytes(TEXT.encode("utf-16-le"))
    p = subprocess.run([sys.executable, "-m", "planscan.cli", "restore", str(bare)], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert p.returncode == ExitCode.encoding_error and "UTF-16" in p.stderr


def test_sections_diff_and_ingest_show_page_progress(tmp_path, monkeypatch):
    shown: list[str] = []

    @contextlib.contextmanager
    def bar(name):
        shown.append(name)
        yield lambda done, total: None

    monkeypatch.setattr("planscan.cli._pages_bar", bar)
    a, b = SAMPLES / "tuangiao-2020" / "gold.txt", SAMPLES / "tuangiao-2021" / "gold.txt"
    assert CliRunner().invoke(cli, ["sections", str(a)]).exit_code == 0
    assert shown == ["gold.txt"]
    assert CliRunner().invoke(cli, ["diff", str(a), str(b), "--format", "json"]).exit_code == 0
    assert shown == ["gold.txt"] * 3
    assert CliRunner().invoke(cli, ["ingest", str(a), "--db", str(tmp_path / "p.db")]).exit_code == 0
    assert shown == ["gold.txt"] * 4


def _on_a_terminal(cmd: list[str]) -> tuple[int, bytes, bytes]:
    """(exit code, stdout, what reached the terminal) of ``cmd`` run with stderr on a pseudo-terminal
    and stdout on a pipe."""
    master, slave = pty.openpty()
    seen = bytearray()
    try:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, cwd=ROOT)
        os.close(slave)
        slave = -1
        out = p.stdout.read()
        p.wait(timeout=600)
        while True:  # what the terminal got; the pty reports EIO once the writer is gone and it is read out
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)
    return p.returncode, out, bytes(seen)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_extract_of_a_scan_shows_its_page_bar_on_a_terminal_only(tmp_path):
    from PIL import Image

    from tests.ocr_helpers import text_page

    scan = tmp_path / "two-pages.tiff"
    pages = [Image.fromarray(text_page(lines=4, seed=s)) for s in (1, 2)]
    pages[0].save(scan, save_all=True, append_images=pages[1:], dpi=(150, 150))
    cmd = [sys.executable, "-m", "planscan.cli", "extract", str(scan), "--restore", "off"]
    code, out, terminal = _on_a_terminal(cmd)
    assert code == 0, terminal
    # the bar: the file's name and the pages done out of the pages there are
    assert b"two-pages.tiff" in terminal and b"2/2" in terminal, terminal
    piped = subprocess.run(cmd, capture_output=True, cwd=ROOT, timeout=600)
    assert piped.returncode == 0
    # stdout is the same records either way, and a pipe gets no bar at all
    assert piped.stdout == out
    assert b"two-pages.tiff" not in piped.stderr and b"2/2" not in piped.stderr


def test_the_page_bar_draws_on_stderr_only(capfd):
    from planscan.ocr.progress import page_bar

    with page_bar("scan.pdf", True) as progress:
        progress(1, 2)
        progress(2, 2)
    with page_bar("scan.pdf", False) as progress:
        assert progress is None
    assert capfd.readouterr().out == ""


def test_a_file_with_no_page_read_leaves_no_outputs(tmp_path, monkeypatch):
    from planscan.batch.job import BatchSettings, process_file
    from planscan.schemas.records import Document, Page

    def unreadable(path, settings=None, progress=None):
        return Document(source=str(path), pages=[Page(number=n, status="failed", error=f"page {n}: timed out")
                                                 for n in (1, 2)])

    monkeypatch.setattr("planscan.batch.job.read_document", unreadable)
    src = tmp_path / "scan.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    result = process_file(src, "scan.txt", out, BatchSettings())
    assert result.status == "failed" and result.failed_pages == 2 and result.outputs == []
    assert "page 1" in result.error
    assert not [p for p in out.rglob("*") if p.is_file()]


def test_the_batch_summary_names_the_ignored_files(tmp_path):
    from planscan.batch import BatchSettings, run_batch

    indir = tmp_path / "in"
    indir.mkdir()
    shutil.copyfile(SAMPLES / "tuangiao-2020" / "gold.txt", indir / "plan.txt")
    (indir / "notes.md").write_text("x", encoding="utf-8")
    (indir / "budget.xls").write_bytes(b"x")
    buf = Console(file=__import__("io").StringIO(), width=200, record=True)
    report = run_batch(indir, tmp_path / "out", BatchSettings(), jobs=1, console=buf, show_bar=False)
    text = buf.export_text()
    assert report.ignored == 2
    assert "'notes.md'" in text and "'budget.xls'" in text and "ignored" in text
