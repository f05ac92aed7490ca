"""A batch on a hostile tree: links out of INDIR and out of OUTDIR, link loops, odd names, FIFOs,
sockets, folders named like files; inputs never changed; one writer per OUTDIR; two ingests into
one store. The real job runs on text inputs through the CLI (no OCR)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planscan.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
TEXTS = sorted((ROOT / "samples").glob("*/gold.txt"))


def cli(*args: str, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planscan.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, **kw)


def summary(outdir: Path) -> dict[str, dict]:
    with open(outdir / "summary.csv", encoding="utf-8", newline="") as fh:
        return {r["path"]: r for r in csv.DictReader(fh)}


def events(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / "progress.jsonl").read_text(encoding="utf-8").splitlines()]


def tree_state(root: Path, skip: Path | None = None) -> dict[str, str]:
    """Every regular file under ``root`` (links not followed) with its SHA-256."""
    state = {}
    for dirpath, dirs, names in os.walk(root):
        if skip is not None:
            dirs[:] = [d for d in dirs if Path(dirpath, d) != skip]
        for name in names:
            p = Path(dirpath, name)
            if p.is_file() and not p.is_symlink():
                state[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return state


def test_hostile_tree_outputs_stay_in_outdir_inputs_unchanged_names_exact(tmp_path):
    indir, outdir, outside, trap = tmp_path / "in", tmp_path / "out", tmp_path / "outside", tmp_path / "trap"
    for d in (indir / "real", outside, trap, outdir):
        d.mkdir(parents=True)
    text = TEXTS[0].read_bytes()
    names = ["real/a.txt", "-rf.txt", "new\nline.txt", "a..b.txt", "x.pdf/inner.txt", "sub/b.txt"]
    for n in names:
        (indir / n).parent.mkdir(parents=True, exist_ok=True)
        (indir / n).write_bytes(text)
    (outside / "far.txt").write_bytes(text)
    (indir / "link-out.txt").symlink_to(outside / "far.txt")  # a file link out of INDIR: read, named by the link
    (indir / "loop").symlink_to(indir, target_is_directory=True)  # folder links: never followed
    (indir / "real" / "up").symlink_to("..", target_is_directory=True)
    os.mkfifo(indir / "fifo.pdf")  # reading it would block for ever
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(indir / "sock.pdf"))
    (indir / "dangling.txt").symlink_to(tmp_path / "nothing-here.txt")
    (outdir / "sub").symlink_to(trap, target_is_directory=True)  # an output folder that leads elsewhere
    before = tree_state(tmp_path, skip=outdir)
    try:
        r = cli("batch", str(indir), "-o", str(outdir), "--jobs", "2", "--no-cache")
    finally:
        sock.close()

    assert r.returncode == ExitCode.partial, r.stderr
    assert tree_state(tmp_path, skip=outdir) == before  # no input changed, nothing written outside OUTDIR
    assert list(trap.iterdir()) == []
    rows = summary(outdir)
    converted = ["real/a.txt", "-rf.txt", "new\nline.txt", "a..b.txt", "x.pdf/inner.txt", "link-out.txt"]
    assert set(rows) == {*converted, "sub/b.txt"}  # the names exactly, newline and all
    for rel in converted:
        assert rows[rel]["status"] == "done", rows[rel]
        assert (outdir / rel).read_bytes().strip()
        assert (outdir / rel).resolve().is_relative_to(outdir.resolve())
    assert rows["sub/b.txt"]["status"] == "failed"
    assert "leads out of the output folder" in rows["sub/b.txt"]["error"]
    skipped = {e["path"]: e["reason"] for e in events(outdir) if e["event"] == "skip"}
    assert set(skipped) == {"fifo.pdf", "sock.pdf", "x.pdf", "loop", "real/up", "dangling.txt"}
    assert "FIFO" in skipped["fifo.pdf"] and "socket" in skipped["sock.pdf"] and "folder" in skipped["x.pdf"]
    assert "not followed" in skipped["loop"]
    assert "'fifo.pdf'" in r.stderr and "FIFO" in r.stderr  # the printed summary gives the reasons too
    # Every output of OUTDIR mirrors an input, under OUTDIR.
    for p in outdir.rglob("*"):
        assert p.resolve().is_relative_to(outdir.resolve()) or p == outdir / "sub"


def _read_only(folder: Path) -> None:
    """Make ``folder`` read-only for real: for root (whom permissions do not stop) a tmpfs remounted
    read-only, else file modes."""
    if os.geteuid() != 0:
        for p in folder.rglob("*"):
            p.chmod(0o444)
        folder.chmod(0o555)
        return
    held = folder.with_name(folder.name + "-files")
    folder.rename(held)
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)], capture_output=True,
                      timeout=60).returncode != 0:
        pytest.skip("root without permission to mount a tmpfs: a read-only input tree cannot be made")
    for p in held.iterdir():
        shutil.copy2(p, folder / p.name)
    assert subprocess.run(["mount", "-o", "remount,ro", str(folder)], timeout=60).returncode == 0


def test_inputs_are_only_read(tmp_path):
    """Inputs on a read-only file system convert as well as any (no input is opened for writing),
    and every input hashes the same before and after."""
    indir = tmp_path / "in"
    indir.mkdir()
    for i, src in enumerate(TEXTS):
        shutil.copyfile(src, indir / f"t{i}.txt")
    _read_only(indir)
    try:
        before = tree_state(indir)
        stats = {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in indir.iterdir()}
        r = cli("batch", str(indir), "-o", str(tmp_path / "out"), "--jobs", "1", "-q", "--no-cache")
        assert r.returncode == 0, r.stderr
        assert {row["status"] for row in summary(tmp_path / "out").values()} == {"done"}
        assert tree_state(indir) == before
        assert {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in indir.iterdir()} == stats
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(indir)], capture_output=True, timeout=60)


def _start_batch(indir: Path, outdir: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "planscan.cli", "batch", str(indir), "-o", str(outdir),
                             "--jobs", "1", "-q", "--no-cache"], cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for_start(proc: subprocess.Popen, outdir: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        log = outdir / "progress.jsonl"
        if log.exists() and '"event": "start"' in log.read_text(encoding="utf-8"):
            return
        time.sleep(0.05)
    raise AssertionError(f"the first batch never started: {proc.stderr.read() if proc.stderr else ''}")


def test_a_second_batch_is_refused_and_a_killed_runs_lock_is_taken_over(tmp_path):
    indir, outdir = tmp_path / "in", tmp_path / "out"
    indir.mkdir()
    for i in range(12):
        shutil.copyfile(TEXTS[i % len(TEXTS)], indir / f"t{i:02d}.txt")
    first = _start_batch(indir, outdir)
    try:
        _wait_for_start(first, outdir)
        second = cli("batch", str(indir), "-o", str(outdir), "-q")
        assert second.returncode == ExitCode.file_access
        assert second.stderr.count("\n") == 1, second.stderr
        assert "another planscan batch is writing here" in second.stderr and str(outdir) in second.stderr
        assert first.poll() is None  # the refused run did not disturb the first
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the lock holder dies without cleaning up
        first.wait()
    assert (outdir / ".planscan-batch.lock").exists()
    third = cli("batch", str(indir), "-o", str(outdir), "-q")
    assert third.returncode == 0, third.stderr
    assert {r["status"] for r in summary(outdir).values()} <= {"done", "skipped"}
    assert len(summary(outdir)) == 12


def test_two_ingests_into_one_store_both_complete(tmp_path):
    """Two processes ingesting at once: each document is one transaction, the second waits for the
    first's, and both finish with everything stored."""
    sources = sorted((ROOT / "samples").glob("*/indicators.jsonl"))
    files = []
    for who in ("a", "b"):
        lines = []
        for i in range(30):
            for j, src in enumerate(sources):
                doc = f"{ord(who):08x}{i:028x}{j:028x}"
                for line in src.read_text(encoding="utf-8").splitlines():
                    rec = json.loads(line)
                    rec["document"] = doc
                    lines.append(json.dumps(rec, ensure_ascii=False))
        path = tmp_path / f"{who}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    db = tmp_path / "store.sqlite"
    procs = [subprocess.Popen([sys.executable, "-m", "planscan.cli", "ingest", str(f), "--db", str(db)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outs):
        assert p.returncode == 0, err
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        docs = con.execute("SELECT sha256, n_indicators FROM documents").fetchall()
        assert len(docs) == 2 * 30 * len(sources)
        for sha, n in docs:
            got = con.execute("SELECT count(*) FROM indicators i JOIN documents d ON d.id=i.document_id"
                              " WHERE d.sha256=?", (sha,)).fetchone()[0]
            assert got == n
    finally:
        con.close()
