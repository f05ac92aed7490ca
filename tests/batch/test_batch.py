"""Batch coordinator: walking, ledger, resume, fault isolation, exit codes, progress and summary.

The per-file job is swapped for small module-level functions here (workers import this module),
so these tests exercise the coordinator and the executors without OCR; test_batch_e2e.py runs the
real job through the CLI.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from planscan._util.atomic import atomic_write_text
from planscan.batch import BatchSettings, FileResult, run_batch
from planscan.batch.ledger import LEDGER_NAME, Ledger
from planscan.batch.runner import sweep_temp_files
from planscan.batch.walk import check_dirs, walk_inputs
from planscan.errors import DatabaseError, ExitCode, InputFileError, NothingRan, OutputError

# --- jobs run in worker processes ----------------------------------------------------------


def copy_job(path, rel, outdir, settings, stem=None):
    """Stands in for OCR: the output is the input's bytes, upper-cased, written atomically."""
    out = Path(outdir) / Path(rel).parent / f"{stem or Path(rel).stem}.out.txt"
    text = Path(path).read_bytes().decode("utf-8", "replace").upper()
    atomic_write_text(out, text)
    if "partial" in rel:
        return FileResult(rel=rel, status="partial", pages=2, failed_pages=1, error="page 2: timed out after 1 s",
                          exit_code=int(ExitCode.partial), outputs=[out.relative_to(outdir).as_posix()])
    if "bad" in rel:
        return FileResult(rel=rel, status="failed", error=f"{path}: not a PDF", exit_code=int(ExitCode.input_file))
    return FileResult(rel=rel, status="done", pages=1, figures=len(text.split()), seconds=0.01,
                      outputs=[out.relative_to(outdir).as_posix()], peak_rss_mb=50.0)


def crash_job(path, rel, outdir, settings, stem=None):
    if "crash" in rel:
        os._exit(9)  # what a segfault or the OOM killer looks like to the pool
    return copy_job(path, rel, outdir, settings, stem)


def hang_job(path, rel, outdir, settings, stem=None):
    if "hang" in rel:
        time.sleep(3600)  # a worker stuck outside Tesseract's own timeout
    return copy_job(path, rel, outdir, settings, stem)


# --- helpers ------------------------------------------------------------------------------------


def make_tree(root: Path, names: list[str]) -> Path:
    for n in names:
        p = root / n
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"nội dung {n}\fpage two\n", encoding="utf-8")
    return root


def read_summary(outdir: Path) -> dict[str, dict]:
    with open(outdir / "summary.csv", encoding="utf-8") as fh:
        return {row["path"]: row for row in csv.DictReader(fh)}


def events(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / "progress.jsonl").read_text(encoding="utf-8").splitlines()]


# --- walk ---------------------------------------------------------------------------------------


def test_walk_finds_inputs_skips_hidden_outdir_and_other_types(tmp_path):
    indir = make_tree(tmp_path / "in", ["a.txt", "sub/b.pdf", "sub/c.PNG", ".hidden.txt", ".git/x.txt",
                                         "notes.md", "prior.ocr.json", "out/old.txt"])
    found = walk_inputs(indir, indir / "out")
    assert [f.rel for f in found.files] == ["a.txt", "sub/b.pdf", "sub/c.PNG"]
    assert [f.kind for f in found.files] == ["text", "pdf", "image"]
    assert found.ignored == 2  # notes.md and prior.ocr.json


def test_walk_gives_clashing_stems_their_suffix(tmp_path):
    indir = make_tree(tmp_path, ["plan.pdf", "plan.txt", "other.pdf", "x/plan.txt"])
    stems = {f.rel: f.stem for f in walk_inputs(indir).files}
    assert stems == {"plan.pdf": "plan.pdf", "plan.txt": "plan.txt", "other.pdf": "other", "x/plan.txt": "plan"}


def test_output_folder_may_not_be_or_contain_the_input(tmp_path):
    (tmp_path / "in").mkdir()
    with pytest.raises(InputFileError, match="input folder itself"):
        check_dirs(tmp_path / "in", tmp_path / "in")
    with pytest.raises(InputFileError, match="inside the output folder"):
        check_dirs(tmp_path / "in", tmp_path)
    check_dirs(tmp_path / "in", tmp_path / "in" / "out")


# --- ledger -------------------------------------------------------------------------------------


def test_ledger_round_trip_and_foreign_database(tmp_path):
    led = Ledger(tmp_path)
    led.mark_running([("a.pdf", "h1", "s1")])
    assert led.get("a.pdf", "h1", "s1") is None  # in flight is not finished: a re-run redoes it
    stored = FileResult(rel="a.pdf", status="done", pages=3, figures=7, seconds=1.5, outputs=["a.txt"],
                        peak_rss_mb=100.0)
    led.record("a.pdf", "h1", "s1", stored)
    assert led.get("a.pdf", "h1", "s1") == stored  # the one result type, back as it went in
    led.record("a.pdf", "h1", "s1", stored)
    assert led.db.execute("SELECT attempts FROM files WHERE rel='a.pdf'").fetchone()[0] == 2
    assert led.get("a.pdf", "h1", "other-settings") is None
    assert led.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    led.db.execute("PRAGMA query_only=1")  # stands in for a read-only disk: a file-access failure (exit 5)
    with pytest.raises(OutputError, match=f"{LEDGER_NAME}: the batch ledger cannot be written"):
        led.mark_running([("b.pdf", "h2", "s1")])
    led.close()

    other = tmp_path / "other"
    other.mkdir()
    con = sqlite3.connect(other / LEDGER_NAME)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match=LEDGER_NAME):
        Ledger(other)
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / LEDGER_NAME).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DatabaseError):
        Ledger(tmp_path / "junk")


def test_settings_hash_ignores_how_to_run_but_not_what_to_produce():
    from planscan.ocr.settings import OcrSettings

    base = BatchSettings()
    assert base.settings_hash() == BatchSettings(ocr=OcrSettings(jobs=7, page_timeout=5, use_cache=False)).settings_hash()
    assert base.settings_hash() != BatchSettings(pdf=False).settings_hash()
    assert base.settings_hash() != BatchSettings(ocr=OcrSettings(dpi=400)).settings_hash()
    assert base.settings_hash() != BatchSettings(ocr=OcrSettings(restore="off")).settings_hash()


def test_sweep_removes_only_atomic_temp_files(tmp_path):
    (tmp_path / "d").mkdir()
    stale = tmp_path / "d" / ".plan.txt.k2j4_x9a.tmp"
    stale.write_text("half")
    keep = [tmp_path / "d" / "plan.txt", tmp_path / ".hidden", tmp_path / "notes.tmp"]
    for k in keep:
        k.write_text("x")
    assert sweep_temp_files(tmp_path) == 1
    assert not stale.exists() and all(k.exists() for k in keep)


# --- coordinator --------------------------------------------------------------------------------


def test_batch_converts_mirrors_tree_and_resumes(tmp_path):
    indir = make_tree(tmp_path / "in", ["a.txt", "sub/b.txt", "sub/deeper/c.txt"])
    out = tmp_path / "out"
    rep = run_batch(indir, out, jobs=2, job=copy_job, quiet=True)
    assert rep.exit_code == ExitCode.ok
    assert rep.counts["done"] == 3
    assert (out / "sub/deeper/c.out.txt").read_text(encoding="utf-8").startswith("NỘI DUNG SUB/DEEPER/C.TXT")
    summary = read_summary(out)
    assert set(summary) == {"a.txt", "sub/b.txt", "sub/deeper/c.txt"}
    assert {r["status"] for r in summary.values()} == {"done"}
    ev = events(out)
    assert ev[0]["event"] == "start" and ev[0]["to_process"] == 3
    assert [e["event"] for e in ev].count("file") == 3
    assert ev[-1]["event"] == "end" and ev[-1]["exit_code"] == 0
    assert ev[-1]["peak_rss_mb"] == 50.0

    # Re-run: nothing is redone.
    rep2 = run_batch(indir, out, jobs=2, job=copy_job, quiet=True)
    assert rep2.exit_code == ExitCode.ok
    assert rep2.counts["skipped"] == 3 and rep2.counts["done"] == 0
    assert events(out)[-2]["event"] == "start" and events(out)[-2]["to_process"] == 0

    # A changed file, a deleted output and a new file are done again; the rest is skipped.
    (indir / "a.txt").write_text("changed", encoding="utf-8")
    (out / "sub/b.out.txt").unlink()
    make_tree(indir, ["new.txt"])
    rep3 = run_batch(indir, out, jobs=1, job=copy_job, quiet=True)
    summary = read_summary(out)
    assert {p: r["status"] for p, r in summary.items()} == {
        "a.txt": "done", "sub/b.txt": "done", "sub/deeper/c.txt": "skipped", "new.txt": "done"}
    assert (out / "a.out.txt").read_text(encoding="utf-8") == "CHANGED"
    assert rep3.counts == {"done": 3, "skipped": 1, "partial": 0, "failed": 0}

    # Other settings are another key: everything is redone.
    rep4 = run_batch(indir, out, BatchSettings(pdf=False), jobs=1, job=copy_job, quiet=True)
    assert rep4.counts["done"] == 4


def test_failures_are_isolated_and_named(tmp_path):
    indir = make_tree(tmp_path / "in", ["good1.txt", "bad.txt", "partial.txt", "good2.txt"])
    out = tmp_path / "out"
    rep = run_batch(indir, out, jobs=2, job=copy_job, quiet=True)
    assert rep.exit_code == ExitCode.partial
    summary = read_summary(out)
    assert summary["bad.txt"]["status"] == "failed" and "not a PDF" in summary["bad.txt"]["error"]
    assert summary["partial.txt"]["status"] == "partial" and summary["partial.txt"]["failed_pages"] == "1"
    assert summary["good1.txt"]["status"] == summary["good2.txt"]["status"] == "done"

    # Without --retry-failed a re-run keeps the failures (same exit code) and does not redo them.
    rep2 = run_batch(indir, out, jobs=2, job=copy_job, quiet=True)
    assert rep2.exit_code == ExitCode.partial
    assert rep2.counts == {"done": 0, "skipped": 2, "partial": 1, "failed": 1}
    rep3 = run_batch(indir, out, jobs=2, job=copy_job, quiet=True, retry_failed=True)
    assert events(out)[-1]["event"] == "end"
    assert [e for e in events(out) if e["event"] == "start"][-1]["to_process"] == 2
    assert rep3.counts["failed"] == 1


def test_nothing_ran_exit_code(tmp_path):
    indir = make_tree(tmp_path / "in", ["bad1.txt", "bad2.txt"])
    rep = run_batch(indir, tmp_path / "out", jobs=1, job=copy_job, quiet=True)
    assert rep.exit_code == ExitCode.nothing_ran
    # One input gives its own reason, as planscan ocr and extract do.
    one = make_tree(tmp_path / "one", ["bad.txt"])
    assert run_batch(one, tmp_path / "out1", jobs=1, job=copy_job, quiet=True).exit_code == ExitCode.input_file
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.md").write_text("x")
    with pytest.raises(NothingRan, match="no PDF, image or text files"):
        run_batch(tmp_path / "empty", tmp_path / "out2", job=copy_job, quiet=True)


def test_a_worker_crash_is_pinned_on_its_file(tmp_path):
    indir = make_tree(tmp_path / "in", [f"f{i}.txt" for i in range(5)] + ["crash.txt"])
    out = tmp_path / "out"
    rep = run_batch(indir, out, jobs=2, job=crash_job, quiet=True)
    summary = read_summary(out)
    assert summary["crash.txt"]["status"] == "failed"
    assert "worker process died" in summary["crash.txt"]["error"]
    assert all(summary[f"f{i}.txt"]["status"] == "done" for i in range(5))
    assert rep.exit_code == ExitCode.partial


def test_unreadable_file_is_recorded_and_the_rest_runs(tmp_path, monkeypatch):
    import planscan.batch.runner as runner

    real = runner.file_sha256

    def sha(path):  # what reading a file without permission does (chmod 0 is no bar to root)
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(runner, "file_sha256", sha)
    indir = make_tree(tmp_path / "in", ["ok.txt", "locked.txt"])
    rep = run_batch(indir, tmp_path / "out", jobs=1, job=copy_job, quiet=True)
    summary = read_summary(tmp_path / "out")
    assert summary["locked.txt"]["status"] == "failed"
    assert "locked.txt" in summary["locked.txt"]["error"] and "Permission denied" in summary["locked.txt"]["error"]
    assert summary["ok.txt"]["status"] == "done"
    assert rep.exit_code == ExitCode.partial


def test_second_batch_on_same_outdir_is_refused(tmp_path):
    import fcntl

    indir = make_tree(tmp_path / "in", ["a.txt"])
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".planscan-batch.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(OutputError, match="another planscan batch"):
            run_batch(indir, out, job=copy_job, quiet=True)


def test_dask_executor_matches_local(tmp_path):
    distributed = pytest.importorskip("distributed")
    indir = make_tree(tmp_path / "in", ["a.txt", "s/b.txt", "s/c.txt", "bad.txt"])
    run_batch(indir, tmp_path / "local", jobs=2, job=copy_job, quiet=True)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        rep = run_batch(indir, tmp_path / "dask", executor="dask", dask_client=client, job=copy_job, quiet=True)
    assert rep.exit_code == ExitCode.partial
    for rel in ["a.out.txt", "s/b.out.txt", "s/c.out.txt"]:
        assert (tmp_path / "dask" / rel).read_bytes() == (tmp_path / "local" / rel).read_bytes()
    strip = lambda d: {p: {k: v for k, v in r.items() if k != "seconds"} for p, r in d.items()}  # noqa: E731
    assert strip(read_summary(tmp_path / "dask")) == strip(read_summary(tmp_path / "local"))


def test_progress_counts_pages_in_flight_once(tmp_path):
    from rich.console import Console

    from planscan.batch.progress import BatchProgress

    with BatchProgress(tmp_path, show_bar=True, console=Console(file=open(os.devnull, "w"))) as p:
        p.start(files=2, to_process=2, skipped=0, pages_estimate=10)
        p.page_update("a.pdf", 3, 6)
        assert p.pages_seen() == 3
        p.file_done(FileResult(rel="a.pdf", status="done", pages=6), 6)
        p.page_update("a.pdf", 6, 6)  # a late report of a finished file
        p.page_update("b.pdf", 1, 4)
        assert p.pages_seen() == 7
        assert p.eta_seconds() is not None and p.eta_seconds() > 0
        p.file_done(FileResult(rel="b.pdf", status="done", pages=5), 4)
        assert (p.pages_seen(), p.pages_total) == (11, 11)  # real count replaces the estimate
        p.end(status="finished")
    ev = events(tmp_path)
    assert [e["event"] for e in ev] == ["start", "file", "file", "end"]
    assert ev[2]["pages_done"] == 11 and ev[2]["files_done"] == 2


def test_a_file_past_the_file_timeout_is_stopped_and_the_rest_runs(tmp_path):
    indir = make_tree(tmp_path / "in", ["a.txt", "b.txt", "hang.txt", "c.txt", "d.txt"])
    out = tmp_path / "out"
    t0 = time.monotonic()
    rep = run_batch(indir, out, jobs=2, job=hang_job, quiet=True, file_timeout=2.0)
    assert time.monotonic() - t0 < 60
    summary = read_summary(out)
    assert summary["hang.txt"]["status"] == "failed" and "still running after 2 s" in summary["hang.txt"]["error"]
    assert all(summary[f"{n}.txt"]["status"] == "done" for n in "abcd")
    assert rep.exit_code == ExitCode.partial
    # A stuck file is an input fault: the next run leaves it alone unless asked.
    rep2 = run_batch(indir, out, jobs=2, job=hang_job, quiet=True, file_timeout=2.0)
    assert rep2.counts == {"done": 0, "skipped": 4, "partial": 0, "failed": 1}


def test_a_file_name_that_is_not_utf8_is_reported_not_fatal(tmp_path):
    indir = make_tree(tmp_path / "in", ["ok.txt"])
    try:
        with open(os.fsencode(indir) + b"/k\xe9 ho\xe1ch.txt", "wb") as fh:  # CP1258 bytes in the name
            fh.write(b"text")
    except OSError:
        pytest.skip("the file system refuses non-UTF-8 names")
    rep = run_batch(indir, tmp_path / "out", jobs=1, job=copy_job, quiet=True)
    summary = read_summary(tmp_path / "out")
    assert summary["ok.txt"]["status"] == "done"
    bad = summary["k\\xe9 ho\\xe1ch.txt"]
    assert bad["status"] == "failed" and "not UTF-8" in bad["error"] and "convmv" in bad["error"]
    assert rep.exit_code == ExitCode.partial
    assert events(tmp_path / "out")[-1]["failed"] == 1
