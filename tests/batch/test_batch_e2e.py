"""The real batch job through the CLI: kill -9 and resume, a corrupt file among good ones, and the
Dask executor against the local one. Text inputs keep these fast (no OCR); one test OCRs a page."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planscan.batch import BatchSettings, run_batch
from planscan.errors import ExitCode
from planscan.schemas.records import Document, IndicatorRecord

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
TEXTS = sorted(SAMPLES.glob("*/*.txt"))


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planscan.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, **kw)


def text_tree(root: Path, copies: int) -> list[str]:
    """``copies`` text inputs in nested folders, cycling through the sample texts."""
    rels = []
    for i in range(copies):
        src = TEXTS[i % len(TEXTS)]
        rel = f"box{i % 3}/{src.parent.name}-{src.stem}-{i:02d}.txt"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, root / rel)
        rels.append(rel)
    return rels


def summary(outdir: Path) -> dict[str, dict]:
    with open(outdir / "summary.csv", encoding="utf-8") as fh:
        return {r["path"]: r for r in csv.DictReader(fh)}


def progress_events(outdir: Path) -> list[dict]:
    path = outdir / "progress.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def temp_files(outdir: Path) -> list[Path]:
    return [p for p in outdir.rglob("*") if p.name.endswith(".tmp")]


def assert_outputs_valid(outdir: Path, rel: str) -> None:
    stem = Path(rel).with_suffix("")
    txt = (outdir / f"{stem}.txt").read_text(encoding="utf-8")
    doc = Document.model_validate_json((outdir / f"{stem}.ocr.json").read_text(encoding="utf-8"))
    assert doc.pages and txt.strip()
    assert txt.count("\f") == len(doc.pages) - 1
    lines = (outdir / f"{stem}.indicators.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines, f"{rel}: no indicators"
    for line in lines:
        IndicatorRecord.model_validate_json(line)


def test_kill_minus_9_mid_run_then_resume_loses_nothing(tmp_path):
    indir, outdir = tmp_path / "in", tmp_path / "out"
    rels = text_tree(indir, 16)
    proc = subprocess.Popen([sys.executable, "-m", "planscan.cli", "batch", str(indir), "-o", str(outdir),
                             "--jobs", "1", "-q"], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if sum(e["event"] == "file" for e in progress_events(outdir)) >= 2:
                break
            time.sleep(0.02)
        assert proc.poll() is None, f"batch ended before it could be killed: {proc.stderr.read()}"
        os.killpg(proc.pid, signal.SIGKILL)  # the coordinator and its workers, as a power cut would
    finally:
        proc.wait()
    done_before = [e["path"] for e in progress_events(outdir) if e["event"] == "file" and e["status"] == "done"]
    assert 2 <= len(done_before) < len(rels)

    r = cli("batch", str(indir), "-o", str(outdir), "--jobs", "2", "-q")
    assert r.returncode == 0, r.stderr
    rows = summary(outdir)
    assert set(rows) == set(rels)
    assert all(rows[p]["status"] == "skipped" for p in done_before)  # finished work is not redone
    assert all(row["status"] in ("done", "skipped") for row in rows.values())
    for rel in rels:
        assert_outputs_valid(outdir, rel)
    assert temp_files(outdir) == []
    start = [e for e in progress_events(outdir) if e["event"] == "start"][-1]
    assert start["skipped"] >= len(done_before)

    # A third run has nothing to do.
    r = cli("batch", str(indir), "-o", str(outdir), "-q")
    assert r.returncode == 0
    assert [e for e in progress_events(outdir) if e["event"] == "start"][-1]["to_process"] == 0


def test_corrupt_and_encrypted_files_fail_alone(tmp_path):
    from pypdf import PdfWriter

    indir, outdir = tmp_path / "in", tmp_path / "out"
    rels = text_tree(indir, 2)
    (indir / "box0" / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog" + os.urandom(300))
    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.encrypt("secret")
    with open(indir / "locked.pdf", "wb") as fh:
        w.write(fh)
    (indir / "latin1.txt").write_bytes("Kế hoạch".encode("utf-8")[:3] + b"\xff\xfe bad bytes\n")

    r = cli("batch", str(indir), "-o", str(outdir), "--jobs", "2")
    assert r.returncode == ExitCode.partial, r.stderr
    rows = summary(outdir)
    for bad in ("box0/broken.pdf", "locked.pdf", "latin1.txt"):
        assert rows[bad]["status"] == "failed"
        assert Path(bad).name in rows[bad]["error"]
        assert Path(bad).name in r.stderr  # the printed table names it too
    assert "encrypt" in rows["locked.pdf"]["error"].lower()
    assert "UTF-8" in rows["latin1.txt"]["error"]
    for rel in rels:
        assert rows[rel]["status"] == "done"
        assert_outputs_valid(outdir, rel)
    assert not (outdir / "box0" / "broken.txt").exists()
    assert temp_files(outdir) == []


def test_only_bad_files_means_nothing_ran(tmp_path):
    indir = tmp_path / "in"
    indir.mkdir()
    (indir / "a.pdf").write_bytes(b"not a pdf at all")
    (indir / "b.png").write_bytes(b"")
    r = cli("batch", str(indir), "-o", str(tmp_path / "out"), "-q")
    assert r.returncode == ExitCode.nothing_ran
    assert {row["status"] for row in summary(tmp_path / "out").values()} == {"failed"}


def test_dask_executor_writes_the_same_outputs_as_local(tmp_path):
    distributed = pytest.importorskip("distributed")
    indir = tmp_path / "in"
    rels = text_tree(indir, 4)
    settings = BatchSettings()
    local = run_batch(indir, tmp_path / "local", settings, jobs=2, quiet=True)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        dask = run_batch(indir, tmp_path / "dask", settings, executor="dask", dask_client=client, quiet=True)
    assert local.exit_code == dask.exit_code == ExitCode.ok
    for rel in rels:
        stem = Path(rel).with_suffix("")
        for suffix in (".txt", ".ocr.json", ".indicators.jsonl"):
            a = (tmp_path / "local" / f"{stem}{suffix}").read_bytes()
            b = (tmp_path / "dask" / f"{stem}{suffix}").read_bytes()
            assert a == b, f"{rel}{suffix} differs"
    no_time = lambda rows: {p: {k: v for k, v in r.items() if k != "seconds"} for p, r in rows.items()}  # noqa: E731
    assert no_time(summary(tmp_path / "dask")) == no_time(summary(tmp_path / "local"))


@pytest.mark.tesseract
@pytest.mark.slow
def test_page_timeout_fails_the_pages_not_the_batch_and_a_retry_converts_them(tmp_path):
    if not shutil.which("tesseract"):
        pytest.skip("tesseract not installed")
    from pypdf import PdfReader, PdfWriter

    indir, outdir = tmp_path / "in", tmp_path / "out"
    rels = text_tree(indir, 1)
    w = PdfWriter()
    w.add_page(PdfReader(SAMPLES / "tuangiao-2021" / "scan-harsh.pdf").pages[0])
    with open(indir / "slow.pdf", "wb") as fh:
        w.write(fh)
    args = ("batch", str(indir), "-o", str(outdir), "--jobs", "2", "--no-cache", "-q")
    r = cli(*args, "--page-timeout", "0.001")
    assert r.returncode == ExitCode.partial, r.stderr
    rows = summary(outdir)
    assert rows["slow.pdf"]["status"] == "failed" and rows["slow.pdf"]["failed_pages"] == "1"
    assert "page 1" in rows["slow.pdf"]["error"] and "page-timeout" in rows["slow.pdf"]["error"]
    assert rows[rels[0]]["status"] == "done"
    # Timed-out pages wait for --retry-failed, which with time enough converts them.
    r = cli(*args)
    assert summary(outdir)["slow.pdf"]["status"] == "failed"
    r = cli(*args, "--retry-failed")
    assert r.returncode == 0, r.stderr
    row = summary(outdir)["slow.pdf"]
    assert row["status"] == "done" and row["pages"] == "1" and int(row["figures"]) > 0
    assert_outputs_valid(outdir, "slow.pdf")
    searchable = PdfReader(outdir / "slow.pdf").pages[0].extract_text()
    assert "UBND" in searchable or "huyện" in searchable


def test_cli_refuses_bad_folders_with_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    r = cli("batch", str(tmp_path / "empty"), "-o", str(tmp_path / "out"))
    assert r.returncode == ExitCode.nothing_ran
    assert r.stderr.count("\n") == 1 and "no PDF, image or text files" in r.stderr
    r = cli("batch", str(tmp_path / "empty"), "-o", str(tmp_path / "empty"))
    assert r.returncode == ExitCode.input_file and "separate output folder" in r.stderr
    r = cli("batch", str(tmp_path / "empty"), "-o", str(tmp_path / "out"), "--executor", "local",
            "--scheduler", "tcp://127.0.0.1:8786")
    assert r.returncode == ExitCode.bad_args
