"""Crash safety of `planscan batch` and `planscan ingest`: kill -9 at random moments, re-run, check.

    python bench/crash.py [--trials 30] [--ingest-trials 30] [--seed 1] [--work DIR]

Batch: 8 small scans (1-2 pages of the sample scans), one uninterrupted reference run, then each
trial starts `planscan batch` into a fresh folder and kills its whole process group (coordinator,
fork server, workers, Tesseract) with SIGKILL:
  timed     at a random moment of the run;
  ledger    inside the Nth SQLite step of the ledger (N random over all of the run's ledger work);
  summary-* while summary.csv is written: before its fsync, before its rename, or just after.
The kill points of the last two are installed in the coordinator by this script (``child`` mode,
monkeypatching only this process), so planscan itself carries no test hook. Each trial's page cache
is the reference cache with a few pages taken out, so workers also OCR and write cache entries.

After the kill, every output already there must be byte-identical to the reference (outputs are
written whole or not at all). After a re-run, every output must be there, valid (JSON parses, the
PDF passes `qpdf --check`, text non-empty) and byte-identical to the reference; the ledger and
summary.csv must agree; progress.jsonl must parse line by line; no temp file may be left.

Ingest: the reference batch outputs plus generated records files are ingested into a fresh store
and the process killed at a random moment; PRAGMA integrity_check must be ok and every stored
document complete (its pages and indicators all there), and a re-run must give the reference store.

tests/batch/test_crash.py runs a few trials of each through the same functions.
"""

from __future__ import annotations

import argparse
import atexit
import csv
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
# (sample, pages, output name): 1-2 pages each so a trial is quick; two in a sub-folder.
SCANS = [
    ("tuangiao-2020", [1], "a-2020-p1.pdf"),
    ("tuangiao-2020", [2], "a-2020-p2.pdf"),
    ("tuangiao-2020", [3, 4], "box/a-2020-p3-4.pdf"),
    ("tuangiao-2020", [1, 2], "a-2020-p1-2.pdf"),
    ("tuangiao-2021", [1], "b-2021-p1.pdf"),
    ("tuangiao-2021", [2], "b-2021-p2.pdf"),
    ("tuangiao-2021", [3], "box/b-2021-p3.pdf"),
    ("tuangiao-2021", [4, 5], "b-2021-p4-5.pdf"),
]
BOOKKEEPING = {"planscan-ledger.sqlite", "planscan-ledger.sqlite-wal", "planscan-ledger.sqlite-shm",
               "progress.jsonl", "summary.csv", ".planscan-batch.lock"}
BATCH_MODES = ("timed", "ledger", "summary-fsync", "summary-replace", "summary-after")
LEDGER_STEP = 20  # SQLite VM instructions between calls of the ledger's progress handler
TIMEOUT = 900


def planscan_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "planscan.cli", *args]


def run_env(**extra: str) -> dict[str, str]:
    """The environment of every process started here: this tree's planscan first on the path, so a
    copy of the tree (a frozen snapshot, while the working tree changes) runs its own code in the
    coordinator and in the workers alike, whatever the installed package is."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


def make_scans(indir: Path, scans=SCANS) -> list[str]:
    import pikepdf

    rels = []
    for sample, pages, rel in scans:
        out = indir / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        with pikepdf.open(SAMPLES / sample / "scan-harsh.pdf") as src, pikepdf.new() as dst:
            dst.pages.extend(src.pages[p - 1] for p in pages)
            dst.save(out, deterministic_id=True)
        rels.append(rel)
    return sorted(rels)


# --- checks --------------------------------------------------------------------------------------


def output_files(outdir: Path) -> dict[str, bytes]:
    """Every file under OUTDIR but the batch's own bookkeeping, by relative path."""
    found = {}
    for p in sorted(outdir.rglob("*")):
        rel = p.relative_to(outdir).as_posix()
        if p.is_file() and rel not in BOOKKEEPING:
            found[rel] = p.read_bytes()
    return found


def is_temp(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return name.startswith(".") and name.endswith(".tmp")


def invalid_reason(path: Path) -> str | None:
    """Why an output is not a complete, valid file of its kind; None when it is."""
    name = path.name
    try:
        if name.endswith((".ocr.json", ".tables.json")):
            json.loads(path.read_text(encoding="utf-8"))
        elif name.endswith(".indicators.jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                json.loads(line)
        elif name.endswith(".txt"):
            if not path.read_text(encoding="utf-8").strip():
                return "empty text"
        elif name.endswith(".pdf"):
            r = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                return f"qpdf --check exit {r.returncode}: {r.stdout.strip().splitlines()[-1:]}"
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        return f"{e.__class__.__name__}: {e}"
    return None


def read_summary(outdir: Path) -> dict[str, dict]:
    with open(outdir / "summary.csv", encoding="utf-8", newline="") as fh:
        return {r["path"]: r for r in csv.DictReader(fh)}


def ledger_rows(outdir: Path) -> list[tuple]:
    db = sqlite3.connect(outdir / "planscan-ledger.sqlite")
    try:
        return db.execute("SELECT rel, status, pages, failed_pages, figures, outputs FROM files").fetchall()
    finally:
        db.close()


def bookkeeping_problems(outdir: Path, rels: list[str], ref_summary: dict[str, dict]) -> list[str]:
    """summary.csv, the ledger and progress.jsonl after a finished run: all there and in agreement."""
    problems = []
    try:
        summary = read_summary(outdir)
    except (OSError, csv.Error) as e:
        return [f"summary.csv unreadable: {e}"]
    if sorted(summary) != rels:
        problems.append(f"summary.csv lists {sorted(summary)}")
    ledger = {}
    for rel, status, pages, failed, figures, outputs in ledger_rows(outdir):
        if rel in ledger:
            problems.append(f"ledger: {rel} twice")
        ledger[rel] = (status, pages, failed, figures, json.loads(outputs))
    for rel, row in summary.items():
        if row["status"] not in ("done", "skipped"):
            problems.append(f"{rel}: {row['status']} ({row['error']})")
        led = ledger.get(rel)
        if led is None:
            problems.append(f"{rel}: in summary.csv, not in the ledger")
            continue
        status, pages, failed, figures, outputs = led
        if status != "done" or (str(pages), str(failed), str(figures)) != (
                row["pages"], row["failed_pages"], row["figures"]):
            problems.append(f"{rel}: ledger {led[:4]} vs summary {row}")
        if any(not (outdir / o).is_file() for o in outputs):
            problems.append(f"{rel}: the ledger lists outputs that are missing")
        ref = ref_summary[rel]
        if {k: v for k, v in row.items() if k not in ("status", "seconds")} != {
                k: v for k, v in ref.items() if k not in ("status", "seconds")}:
            problems.append(f"{rel}: summary row {row} differs from the reference {ref}")
    for i, line in enumerate((outdir / "progress.jsonl").read_text(encoding="utf-8").splitlines()):
        try:
            json.loads(line)
        except json.JSONDecodeError:
            problems.append(f"progress.jsonl line {i + 1} is cut: {line[:60]!r}")
    return problems


# --- the child: planscan batch with a kill point installed -----------------------------------------


def _kill_group() -> None:
    os.killpg(os.getpgrp(), signal.SIGKILL)


def child(mode: str, n: int, count_file: str | None, argv: list[str]) -> None:
    """Run the planscan CLI in this process with the kill point ``mode`` (see the module doc)."""
    import planscan.batch.ledger as ledger_mod
    import planscan.batch.runner as runner_mod
    from planscan.cli import main

    calls = [0]

    def on_progress() -> int:
        calls[0] += 1
        if mode == "ledger" and calls[0] >= n:
            _kill_group()
        return 0

    orig_init = ledger_mod.Ledger.__init__

    def ledger_init(self, outdir):
        orig_init(self, outdir)
        self.db.set_progress_handler(on_progress, LEDGER_STEP)

    ledger_mod.Ledger.__init__ = ledger_init
    if count_file:
        atexit.register(lambda: Path(count_file).write_text(str(calls[0])))

    in_summary = [False]
    orig_fsync, orig_replace, orig_write = os.fsync, os.replace, runner_mod.write_summary_csv

    def fsync(fd):
        if in_summary[0] and mode == "summary-fsync":
            _kill_group()
        return orig_fsync(fd)

    def replace(a, b):
        if in_summary[0] and mode == "summary-replace":
            _kill_group()
        return orig_replace(a, b)

    def write_summary(*args, **kwargs):
        in_summary[0] = True
        try:
            out = orig_write(*args, **kwargs)
        finally:
            in_summary[0] = False
        if mode == "summary-after":
            _kill_group()
        return out

    os.fsync, os.replace, runner_mod.write_summary_csv = fsync, replace, write_summary
    main(argv)


# --- batch trials --------------------------------------------------------------------------------


@dataclass
class Reference:
    indir: Path
    outdir: Path
    cache: Path
    rels: list[str]
    files: dict[str, bytes]
    summary: dict[str, dict]
    seconds: float
    ledger_calls: int
    cache_entries: list[str] = field(default_factory=list)


def batch_args(indir: Path, outdir: Path) -> list[str]:
    return ["batch", str(indir), "-o", str(outdir), "--jobs", "2", "-q"]


def _errors(outdir: Path) -> list[str]:
    try:
        return sorted({row["error"] for row in read_summary(outdir).values() if row["error"]})[:3]
    except OSError:
        return []


def reference(work: Path) -> Reference:
    """The uninterrupted run every trial is compared with (it also fills the page cache)."""
    indir, outdir, cache = work / "in", work / "ref", work / "cache"
    rels = make_scans(indir)
    env = run_env(PLANSCAN_CACHE=str(cache))
    # A first run fills the cache; the timed second one is what a trial's run costs.
    r = subprocess.run(planscan_cmd(*batch_args(indir, work / "warm")), env=env, capture_output=True, text=True,
                       cwd=ROOT, timeout=TIMEOUT)
    if r.returncode != 0:
        raise SystemExit(f"reference run failed ({r.returncode}): {r.stderr} {_errors(work / 'warm')}")
    count_file = work / "ledger-calls"
    started = time.monotonic()
    r = subprocess.run([sys.executable, __file__, "child", "none", "0", str(count_file), "--",
                        *batch_args(indir, outdir)], env=env, capture_output=True, text=True, cwd=ROOT,
                       timeout=TIMEOUT)
    seconds = time.monotonic() - started
    if r.returncode != 0:
        raise SystemExit(f"reference run failed ({r.returncode}): {r.stderr} {_errors(outdir)}")
    files = output_files(outdir)
    warm = output_files(work / "warm")
    if files != warm:
        raise SystemExit("two uninterrupted runs gave different outputs: "
                         f"{sorted(k for k in files if files[k] != warm.get(k))}")
    bad = {rel: why for rel in files if (why := invalid_reason(outdir / rel))}
    if bad:
        raise SystemExit(f"reference outputs invalid: {bad}")
    entries = sorted(p.relative_to(cache).as_posix() for p in (cache / "ocr").rglob("*") if p.is_file())
    return Reference(indir=indir, outdir=outdir, cache=cache, rels=rels, files=files, summary=read_summary(outdir),
                     seconds=seconds, ledger_calls=int(count_file.read_text()), cache_entries=entries)


@dataclass
class Trial:
    kind: str
    mode: str
    at: str  # when the kill was due (seconds, or the ledger step)
    killed: bool
    present: int = 0  # outputs there right after the kill
    lost: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)
    different: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.corrupt or self.different or self.problems)


def _wait_group(pgid: int) -> None:
    """Until every process of the killed group is gone (workers are reaped by init, not by us)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def batch_trial(ref: Reference, work: Path, mode: str, rng: random.Random) -> Trial:
    outdir, cache = work / "out", work / "cache"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(ref.cache, cache)
    for entry in rng.sample(ref.cache_entries, k=min(2, len(ref.cache_entries))):
        (cache / entry).unlink()  # these pages are OCR'd again, and their cache entries written
    env = run_env(PLANSCAN_CACHE=str(cache))
    n, delay = 0, 0.0
    if mode == "ledger":
        n = rng.randint(1, max(1, ref.ledger_calls))
    elif mode == "timed":
        delay = rng.uniform(0.2, ref.seconds)
    proc = subprocess.Popen([sys.executable, __file__, "child", mode, str(n), "", "--",
                             *batch_args(ref.indir, outdir)], env=env, cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if mode == "timed":
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    stderr = proc.communicate(timeout=TIMEOUT)[1].decode("utf-8", "replace")
    _wait_group(proc.pid)
    trial = Trial("batch", mode, f"{delay:.1f} s" if mode == "timed" else str(n) if mode == "ledger" else "-",
                  killed=proc.returncode == -signal.SIGKILL)
    if proc.returncode not in (0, -signal.SIGKILL):
        trial.problems.append(f"the killed run exited {proc.returncode}: {stderr.strip()[-300:]}")

    # Right after the kill: whatever output is there is whole (a temp file may be left).
    after_kill = output_files(outdir) if outdir.exists() else {}
    for rel, data in after_kill.items():
        if is_temp(rel):
            continue
        trial.present += 1
        if rel not in ref.files:
            trial.problems.append(f"unexpected file after the kill: {rel}")
        elif data != ref.files[rel]:
            trial.corrupt.append(f"{rel} (after the kill)")

    r = subprocess.run(planscan_cmd(*batch_args(ref.indir, outdir)), env=env, capture_output=True, text=True,
                       cwd=ROOT, timeout=TIMEOUT)
    if r.returncode != 0:
        trial.problems.append(f"the re-run exited {r.returncode}: {r.stderr.strip()[-300:]}")
    final = output_files(outdir)
    for rel, data in ref.files.items():
        if rel not in final:
            trial.lost.append(rel)
        elif (why := invalid_reason(outdir / rel)) is not None:
            trial.corrupt.append(f"{rel}: {why}")
        elif final[rel] != data:
            trial.different.append(rel)
    trial.problems += [f"left over: {rel}" for rel in final if rel not in ref.files]
    trial.problems += bookkeeping_problems(outdir, ref.rels, ref.summary)
    return trial


# --- ingest trials -------------------------------------------------------------------------------


@dataclass
class IngestReference:
    inputs: list[str]
    documents: dict[str, tuple]  # sha256 -> (n_pages, n_indicators, pages, indicators, sections)
    seconds: float


def ingest_inputs(ref: Reference, work: Path, copies: int) -> list[str]:
    """The reference batch outputs (documents with pages and sections) and ``copies`` records files,
    each holding every reference document's records under new document hashes."""
    records_dir = work / "records"
    records_dir.mkdir(parents=True, exist_ok=True)
    sources = sorted(ref.outdir.rglob("*.indicators.jsonl"))
    for i in range(copies):
        lines = []
        for j, src in enumerate(sources):
            doc = f"{i:032x}{j:032x}"
            for line in src.read_text(encoding="utf-8").splitlines():
                rec = json.loads(line)
                rec["document"] = doc
                lines.append(json.dumps(rec, ensure_ascii=False))
        (records_dir / f"copy-{i:02d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(ref.outdir), *sorted(str(p) for p in records_dir.glob("*.jsonl"))]


def store_documents(db_path: Path) -> tuple[str, dict[str, tuple], list[str]]:
    """(integrity_check, sha256 -> counts, documents that are not whole)."""
    db = sqlite3.connect(db_path)
    try:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "documents" not in tables:
            return check, {}, []
        docs, partial = {}, []
        for doc_id, sha, n_pages, n_ind in db.execute("SELECT id, sha256, n_pages, n_indicators FROM documents"):
            pages = db.execute("SELECT count(*) FROM pages WHERE document_id=?", (doc_id,)).fetchone()[0]
            inds = db.execute("SELECT count(*) FROM indicators WHERE document_id=?", (doc_id,)).fetchone()[0]
            sections = db.execute("SELECT count(*) FROM sections WHERE document_id=?", (doc_id,)).fetchone()[0]
            docs[sha] = (n_pages, n_ind, pages, inds, sections)
            if inds != n_ind or (n_pages is not None and pages != n_pages):
                partial.append(f"{sha[:12]}: {pages}/{n_pages} pages, {inds}/{n_ind} indicators")
        return check, docs, partial
    finally:
        db.close()


def ingest_reference(ref: Reference, work: Path, copies: int) -> IngestReference:
    inputs = ingest_inputs(ref, work, copies)
    db = work / "ref-store.sqlite"
    started = time.monotonic()
    r = subprocess.run(planscan_cmd("ingest", *inputs, "--db", str(db)), env=run_env(), capture_output=True,
                       text=True, cwd=ROOT, timeout=TIMEOUT)
    seconds = time.monotonic() - started
    if r.returncode != 0:
        raise SystemExit(f"reference ingest failed ({r.returncode}): {r.stderr}")
    check, docs, partial = store_documents(db)
    if check != "ok" or partial:
        raise SystemExit(f"reference store not whole: {check} {partial}")
    return IngestReference(inputs=inputs, documents=docs, seconds=seconds)


def ingest_trial(iref: IngestReference, work: Path, rng: random.Random) -> Trial:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "store.sqlite"
    delay = rng.uniform(0.2, iref.seconds)
    proc = subprocess.Popen(planscan_cmd("ingest", *iref.inputs, "--db", str(db)), env=run_env(), cwd=ROOT,
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=TIMEOUT)
    _wait_group(proc.pid)
    trial = Trial("ingest", "timed", f"{delay:.1f} s", killed=proc.returncode == -signal.SIGKILL)
    if db.exists():
        check, docs, partial = store_documents(db)
        if check != "ok":
            trial.corrupt.append(f"integrity_check: {check}")
        trial.corrupt += [f"half stored: {p}" for p in partial]
        trial.present = len(docs)
        trial.different += [sha[:12] for sha, counts in docs.items() if iref.documents.get(sha) != counts]
    r = subprocess.run(planscan_cmd("ingest", *iref.inputs, "--db", str(db)), env=run_env(), capture_output=True,
                       text=True, cwd=ROOT, timeout=TIMEOUT)
    if r.returncode != 0:
        trial.problems.append(f"the re-run exited {r.returncode}: {r.stderr.strip()[-300:]}")
    check, docs, partial = store_documents(db)
    if check != "ok" or partial:
        trial.corrupt.append(f"after the re-run: {check} {partial}")
    trial.lost += [sha[:12] for sha in iref.documents if sha not in docs]
    trial.different += [sha[:12] for sha, counts in docs.items() if iref.documents.get(sha) != counts]
    return trial


# --- main ----------------------------------------------------------------------------------------


def batch_modes(trials: int) -> list[str]:
    """Every other trial a timed kill, the rest taking the ledger and summary kill points in turn."""
    hooks = [m for m in BATCH_MODES if m != "timed"]
    return ["timed" if i % 2 == 0 else hooks[(i // 2) % len(hooks)] for i in range(trials)]


def report_rows(trials: list[Trial]) -> None:
    print("| # | kind | kill point | at | killed | outputs there after kill | lost | corrupt | different | other |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for i, t in enumerate(trials, 1):
        print(f"| {i} | {t.kind} | {t.mode} | {t.at} | {'yes' if t.killed else 'finished'} | {t.present} |"
              f" {len(t.lost)} | {len(t.corrupt)} | {len(t.different)} | {len(t.problems)} |")
        for what in (t.lost, t.corrupt, t.different, t.problems):
            for line in what:
                print(f"    {line}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        mode, n, count_file = sys.argv[2], int(sys.argv[3]), sys.argv[4] or None
        child(mode, n, count_file, sys.argv[sys.argv.index("--") + 1:])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=30, help="batch trials")
    ap.add_argument("--ingest-trials", type=int, default=30)
    ap.add_argument("--ingest-copies", type=int, default=20, help="records files ingested besides the batch outputs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", type=Path, default=None, help="working folder (default: a temp folder, removed)")
    ap.add_argument("--ingest-only", type=Path, default=None, metavar="REF",
                    help="only the ingest trials, on the reference outputs of an earlier run (its WORK/ref)")
    args = ap.parse_args()
    if shutil.which("qpdf") is None:
        raise SystemExit("qpdf is not installed (make sysdeps)")
    import tempfile

    work = args.work or Path(tempfile.mkdtemp(prefix="planscan-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    started = time.monotonic()
    print(f"# crash safety, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.machine()},"
          f" {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    trials = []
    if args.ingest_only:
        ref = Reference(indir=Path(), outdir=args.ingest_only, cache=Path(), rels=[], files={}, summary={},
                        seconds=0.0, ledger_calls=0)
        args.trials = 0
    else:
        ref = reference(work)
        print(f"reference batch: {len(ref.rels)} scans, {len(ref.files)} outputs, {ref.seconds:.1f} s (cached pages),"
              f" {ref.ledger_calls} ledger steps of {LEDGER_STEP}")
    for i, mode in enumerate(batch_modes(args.trials)):
        trials.append(batch_trial(ref, work / "trial", mode, rng))
        t = trials[-1]
        print(f"batch {i + 1}/{args.trials} {mode} {t.at}: {'ok' if t.ok else 'FAILED'} ({t.present} outputs there)",
              flush=True)
    if args.ingest_trials:
        iref = ingest_reference(ref, work / "ingest", args.ingest_copies)
        print(f"reference ingest: {len(iref.inputs)} inputs, {len(iref.documents)} documents, {iref.seconds:.1f} s")
        for i in range(args.ingest_trials):
            trials.append(ingest_trial(iref, work / "ingest-trial", rng))
            t = trials[-1]
            print(f"ingest {i + 1}/{args.ingest_trials} {t.at}: {'ok' if t.ok else 'FAILED'} ({t.present} documents"
                  " there)", flush=True)
    print()
    report_rows(trials)
    print()
    for kind in ("batch", "ingest"):
        sel = [t for t in trials if t.kind == kind]
        if sel:
            print(f"{kind}: {len(sel)} trials, {sum(t.killed for t in sel)} killed mid-run,"
                  f" outputs lost {sum(len(t.lost) for t in sel)}, corrupt {sum(len(t.corrupt) for t in sel)},"
                  f" different {sum(len(t.different) for t in sel)}, other problems {sum(len(t.problems) for t in sel)}")
    print(f"{time.monotonic() - started:.0f} s in all")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if all(t.ok for t in trials) else 1)


if __name__ == "__main__":
    main()
