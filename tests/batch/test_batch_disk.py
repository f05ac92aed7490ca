"""A full or read-only output disk, for real: a 1 MB tmpfs (skipped where mounting is not allowed).

Exit code 5 with one line naming the path, no partial file left, and the next run, with room,
completes. The injected-error twin of these (any machine) is tests/_util/test_atomic.py."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planscan.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
TEXTS = sorted((ROOT / "samples").glob("*/gold.txt"))


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planscan.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB tmpfs at tmp_path/disk, unmounted afterwards."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    r = _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk))
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, timeout=60)


def inputs(root: Path, n: int) -> list[str]:
    root.mkdir(parents=True, exist_ok=True)
    rels = []
    for i in range(n):
        rel = f"t{i:02d}.txt"
        shutil.copyfile(TEXTS[i % len(TEXTS)], root / rel)
        rels.append(rel)
    return rels


def assert_no_partial_file(outdir: Path) -> None:
    for p in outdir.rglob("*"):
        assert not p.name.endswith(".tmp"), f"temp file left: {p}"
        if p.name.endswith(".ocr.json"):
            json.loads(p.read_text(encoding="utf-8"))
        elif p.name.endswith(".indicators.jsonl"):
            for line in p.read_text(encoding="utf-8").splitlines():
                json.loads(line)
    log = outdir / "progress.jsonl"
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            json.loads(line)


def assert_complete(outdir: Path, rels: list[str]) -> None:
    with open(outdir / "summary.csv", encoding="utf-8", newline="") as fh:
        rows = {r["path"]: r for r in csv.DictReader(fh)}
    assert sorted(rows) == rels
    assert {r["status"] for r in rows.values()} <= {"done", "skipped"}
    for rel in rels:
        stem = rel[: -len(".txt")]
        assert (outdir / rel).read_text(encoding="utf-8").strip()
        json.loads((outdir / f"{stem}.ocr.json").read_text(encoding="utf-8"))


def test_a_full_disk_stops_the_batch_with_exit_5_and_the_next_run_completes(tmp_path, small_disk):
    rels = inputs(tmp_path / "in", 8)  # about 3 MB of outputs: three times what the disk holds
    outdir = small_disk / "out"
    r = cli("batch", str(tmp_path / "in"), "-o", str(outdir), "--jobs", "2", "-q", "--no-cache")
    assert r.returncode == ExitCode.file_access, r.stderr
    assert r.stderr.count("\n") == 1, r.stderr
    assert str(small_disk) in r.stderr and "free disk space" in r.stderr
    assert_no_partial_file(outdir)

    assert _mount("-o", "remount,size=64m", str(small_disk)).returncode == 0
    r = cli("batch", str(tmp_path / "in"), "-o", str(outdir), "--jobs", "2", "-q", "--no-cache")
    assert r.returncode == 0, r.stderr
    assert_complete(outdir, rels)
    assert_no_partial_file(outdir)


def test_a_read_only_disk_is_exit_5_naming_the_path_and_then_completes(tmp_path, small_disk):
    rels = inputs(tmp_path / "in", 2)
    outdir = small_disk / "out"
    outdir.mkdir()
    assert _mount("-o", "remount,ro", str(small_disk)).returncode == 0
    r = cli("batch", str(tmp_path / "in"), "-o", str(outdir), "-q", "--no-cache")
    assert r.returncode == ExitCode.file_access, r.stderr
    assert r.stderr.count("\n") == 1 and str(outdir) in r.stderr and "read-only" in r.stderr, r.stderr
    r = cli("extract", str(tmp_path / "in" / rels[0]), "-o", str(outdir / "x.jsonl"))
    assert r.returncode == ExitCode.file_access, r.stderr
    assert r.stderr.count("\n") == 1 and f"{outdir / 'x.jsonl'}" in r.stderr, r.stderr

    assert _mount("-o", "remount,rw", str(small_disk)).returncode == 0
    r = cli("batch", str(tmp_path / "in"), "-o", str(outdir), "-q", "--no-cache")
    assert r.returncode == 0, r.stderr
    assert_complete(outdir, rels)
