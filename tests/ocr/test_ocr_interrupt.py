"""Ctrl-C and SIGTERM stop the commands that OCR a scan page by page (ocr, extract, ingest) within
2 s, end their page workers and the Tesseracts those started, and leave no output behind."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from planscan.errors import ExitCode
from tests.batch.test_batch_interrupt import assert_group_ends, interrupt_once_ocr_runs

ROOT = Path(__file__).resolve().parents[2]
SCAN = ROOT / "samples" / "tuangiao-2020" / "scan-harsh.pdf"  # four pages: work left when the signal comes

pytestmark = [pytest.mark.tesseract, pytest.mark.slow,
              pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")]


def _commands(tmp: Path) -> dict[str, tuple[list[str], Path]]:
    """Each command, and the output it would write."""
    return {
        "ocr": (["ocr", str(SCAN), "-o", str(tmp / "out"), "--jobs", "2", "--restore", "off"], tmp / "out"),
        "extract": (["extract", str(SCAN), "-o", str(tmp / "figures.csv"), "--restore", "off"], tmp / "figures.csv"),
        "ingest": (["ingest", str(SCAN), "--db", str(tmp / "plans.db")], tmp / "plans.db"),
    }


@pytest.mark.parametrize("command,how", [("ocr", "ctrl-c"), ("ocr", "sigterm"), ("extract", "ctrl-c"),
                                         ("ingest", "sigterm")])
def test_a_signal_stops_the_page_workers_within_2s(tmp_path, command, how):
    args, output = _commands(tmp_path)[command]
    env = {**os.environ, "PLANSCAN_CACHE": str(tmp_path / "cache")}
    proc, err, took = interrupt_once_ocr_runs([sys.executable, "-m", "planscan.cli", *args], env, how)
    assert proc.returncode == ExitCode.interrupted, err
    assert took < 2.0, f"took {took:.1f} s to stop"
    assert b"Traceback" not in err
    assert_group_ends(proc.pid)
    if command == "ingest":  # the store may exist; the document is not in it
        if output.exists():
            with sqlite3.connect(output) as db:
                assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    elif output.is_dir():
        assert not [p for p in output.rglob("*") if p.is_file()]
    else:
        assert not output.exists()
