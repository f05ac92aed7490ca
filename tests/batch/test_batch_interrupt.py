"""Ctrl-C and SIGTERM stop a batch within 2 s, end its workers and the programs they started, and
leave a ledger, summary.csv and progress log that say which files are not done; a re-run finishes."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from planscan.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

pytestmark = [pytest.mark.tesseract, pytest.mark.slow]


def one_page_pdfs(indir: Path, n: int) -> list[str]:
    from pypdf import PdfReader, PdfWriter

    rels = []
    for i in range(n):
        w = PdfWriter()
        w.add_page(PdfReader(SAMPLES / ("tuangiao-2020", "tuangiao-2021")[i % 2] / "scan-harsh.pdf").pages[0])
        rel = f"box/page-{i}.pdf"
        (indir / rel).parent.mkdir(parents=True, exist_ok=True)
        with open(indir / rel, "wb") as fh:
            w.write(fh)
        rels.append(rel)
    return rels


def live_group(pgid: int) -> list[psutil.Process]:
    """Processes of the group that are still running (a zombie waiting for init is dead)."""
    out = []
    for p in psutil.process_iter(["pid"]):
        try:
            if os.getpgid(p.pid) == pgid and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except (ProcessLookupError, psutil.Error):
            pass
    return out


def wait_for_tesseract(pgid: int, limit: float = 240.0) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if any(p.name() == "tesseract" for p in live_group(pgid)):
            return
        time.sleep(0.1)
    pytest.fail("no tesseract started")


def interrupt_once_ocr_runs(args: list[str], env: dict, how: str) -> tuple[subprocess.Popen, bytes, float]:
    """Run ``args`` in a session of its own, and Ctrl-C or SIGTERM it once a Tesseract runs: the
    ended process, its stderr, and the seconds it took to stop."""
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        wait_for_tesseract(proc.pid)
        sent = time.monotonic()
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)  # a terminal sends Ctrl-C to the whole foreground group
        else:
            proc.send_signal(signal.SIGTERM)  # a service manager stops the main process only
        _, err = proc.communicate(timeout=10)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc, err, took


def assert_group_ends(pgid: int, limit: float = 2.0) -> None:
    """No process of the group (workers, Tesseracts) is left ``limit`` seconds after its leader ended."""
    deadline = time.monotonic() + limit
    while live_group(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not live_group(pgid), [p.cmdline()[:2] for p in live_group(pgid)]


def summary(outdir: Path) -> dict[str, dict]:
    with open(outdir / "summary.csv", encoding="utf-8-sig") as fh:
        return {r["path"]: r for r in csv.DictReader(fh)}


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_interrupt_stops_workers_within_2s_and_a_rerun_completes(tmp_path, how):
    if not shutil.which("tesseract"):
        pytest.skip("tesseract not installed")
    indir, outdir = tmp_path / "in", tmp_path / "out"
    rels = one_page_pdfs(indir, 2)
    (indir / "notes.txt").write_text("Tổng thu ngân sách đạt 120 tỷ đồng.\n", encoding="utf-8")
    env = {**os.environ, "PLANSCAN_CACHE": str(tmp_path / "cache")}
    args = [sys.executable, "-m", "planscan.cli", "batch", str(indir), "-o", str(outdir), "--jobs", "2", "-q"]
    proc, err, took = interrupt_once_ocr_runs(args, env, how)
    assert proc.returncode == ExitCode.interrupted, err
    assert took < 2.0, f"took {took:.1f} s to stop"
    assert b"interrupted" in err and b"Traceback" not in err
    assert_group_ends(proc.pid)

    # No file of the run is done in the ledger, the summary lists every input, the log ends.
    with sqlite3.connect(outdir / "planscan-ledger.sqlite") as db:
        statuses = dict(db.execute("SELECT rel, status FROM files"))
    assert all(statuses.get(rel) == "interrupted" for rel in rels), statuses
    rows = summary(outdir)
    assert set(rows) == {*rels, "notes.txt"}
    assert all(rows[rel]["status"] == "interrupted" for rel in rels)
    events = [json.loads(line) for line in (outdir / "progress.jsonl").read_text(encoding="utf-8").splitlines()]
    assert events[-1]["event"] == "end" and events[-1]["status"] == "interrupted"
    assert events[-1]["exit_code"] == ExitCode.interrupted and events[-1]["interrupted"] >= len(rels)

    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    rows = summary(outdir)
    assert all(rows[rel]["status"] == "done" for rel in rels), rows
    for rel in rels:
        assert (outdir / rel).with_suffix(".txt").read_text(encoding="utf-8").strip()
