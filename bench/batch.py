"""Batch throughput, worker memory and re-run cost, measured through the real CLI.

Builds a temp tree of 8 scans (2-page PDFs cut from ../shared/corpus/*/scan-*.pdf), then runs
``planscan batch`` cold with --jobs 1 and --jobs 2 (separate output folders, OCR page cache off),
then re-runs the finished --jobs 2 batch. While a batch runs, the process tree is sampled: each
worker's memory is the RSS of the worker plus its descendants (tesseract), and the CPU seconds
are those of every process in the tree.

    .venv/bin/python bench/batch.py [--files 8] [--pages-per-file 2] [--keep DIR]

Targets (issue 6): jobs 2 >= 1.7x the throughput of jobs 1; peak memory per worker <= 1 GiB;
re-run of a finished batch < 5 % of the first run's time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
PLANSCAN = [sys.executable, "-m", "planscan.cli"]


def build_tree(dest: Path, files: int, pages_per_file: int) -> int:
    scans = sorted(CORPUS.glob("*/scan-*.pdf"))
    if not scans:
        sys.exit(f"no scans in {CORPUS}; the benchmark needs ../shared/corpus")
    chunks = []
    for scan in scans:
        n = len(PdfReader(scan).pages)
        for start in range(0, n - pages_per_file + 1, pages_per_file):
            chunks.append((scan, start))
    # Spread the picks over documents and levels so both runs see the same mix.
    chunks.sort(key=lambda c: (c[1], str(c[0])))
    total_pages = 0
    for i, (scan, start) in enumerate(chunks[:files]):
        reader = PdfReader(scan)
        writer = PdfWriter()
        for p in range(start, start + pages_per_file):
            writer.add_page(reader.pages[p])
        out = dest / scan.parent.name / f"{scan.stem}-p{start + 1}.pdf"
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "wb") as fh:
            writer.write(fh)
        total_pages += pages_per_file
    if len(chunks) < files:
        sys.exit(f"only {len(chunks)} chunks available")
    return total_pages


class TreeSampler:
    """Peak RSS of each worker of the batch, including its descendants (tesseract), and the CPU
    seconds of the whole tree.

    Workers are forked from the pool's fork server, a child of the batch, so they are the server's
    children; they are not waited for by the batch, so their CPU is sampled here rather than read
    from the batch's rusage."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_worker_mb = 0.0
        self.peak_total_mb = 0.0
        self._cpu: dict[int, float] = {}  # pid -> latest user + system seconds seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self, p: psutil.Process) -> float:
        try:
            return p.memory_info().rss / 2**20
        except psutil.Error:
            return 0.0

    def _note_cpu(self, p: psutil.Process) -> None:
        try:
            t = p.cpu_times()
        except psutil.Error:
            return
        self._cpu[p.pid] = max(self._cpu.get(p.pid, 0.0), t.user + t.system)

    def cpu_seconds(self) -> float:
        """Own CPU of every process seen (a short tesseract loses at most its last interval)."""
        return sum(self._cpu.values())

    def _workers(self) -> list[psutil.Process]:
        workers = []
        for k in self.root.children(recursive=False):
            try:
                server = "multiprocessing.forkserver" in " ".join(k.cmdline())
            except psutil.Error:
                continue
            workers.extend(k.children(recursive=False) if server else [k])
        return workers

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                total = self._rss(self.root)
                for p in [self.root, *_descendants(self.root)]:
                    self._note_cpu(p)
                    if p is not self.root:
                        total += self._rss(p)
                for w in self._workers():
                    tree = self._rss(w) + sum(self._rss(d) for d in _descendants(w))
                    self.peak_worker_mb = max(self.peak_worker_mb, tree)
                self.peak_total_mb = max(self.peak_total_mb, total)
            except psutil.Error:
                pass
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _descendants(p: psutil.Process) -> list[psutil.Process]:
    try:
        return p.children(recursive=True)
    except psutil.Error:
        return []


def run(indir: Path, outdir: Path, jobs: int, cache: Path, nice: int = 0) -> dict:
    env = dict(os.environ, PLANSCAN_CACHE=str(cache))
    cmd = [*PLANSCAN, "batch", str(indir), "-o", str(outdir), "--jobs", str(jobs), "--no-cache", "-q"]
    if nice:
        cmd = ["nice", "-n", str(nice), *cmd]
    t0 = time.perf_counter()
    # Its own session, so its own scheduler autogroup: the kernel shares the CPU fairly between
    # sessions, so on a shared machine a batch's share would not grow with --jobs. --nice raises
    # the priority of that group (and of the processes in it, where there are no autogroups).
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    if nice:
        try:
            Path(f"/proc/{proc.pid}/autogroup").write_text(str(nice))
        except OSError:
            pass
    with TreeSampler(proc.pid) as sampler:
        rc = proc.wait()
    wall = time.perf_counter() - t0
    cpu = sampler.cpu_seconds()
    with open(outdir / "summary.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    ends = [json.loads(line) for line in (outdir / "progress.jsonl").read_text().splitlines()]
    end = [e for e in ends if e["event"] == "end"][-1]
    bad = [r for r in rows if r["status"] in ("failed", "partial")]
    if bad:  # a broken pipeline would look like a fast batch; say so instead
        print(f"  jobs {jobs}: {len(bad)} files failed, e.g. {bad[0]['path']}: {bad[0]['error']}", file=sys.stderr)
    return {
        "jobs": jobs,
        "rc": rc,
        "wall": wall,
        "cpu": cpu,
        "pages": sum(int(r["pages"]) for r in rows if r["status"] in ("done", "partial")),
        "statuses": {s: sum(1 for r in rows if r["status"] == s) for s in ("done", "skipped", "partial", "failed")},
        "peak_worker_mb": sampler.peak_worker_mb,
        "peak_total_mb": sampler.peak_total_mb,
        "ru_maxrss_mb": end.get("peak_rss_mb"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--pages-per-file", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2,
                    help="cold runs of each --jobs, interleaved; the fastest counts (other load only slows a run)")
    ap.add_argument("--nice", type=int, default=0,
                    help="run the batches at this niceness (negative needs root): on a machine shared with other"
                         " CPU-bound work, -15 measures what the batch does with the cores to itself")
    ap.add_argument("--keep", type=Path, help="keep the temp tree and outputs here")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="planscan-bench-batch-"))
    try:
        indir = tmp / "in"
        pages = build_tree(indir, args.files, args.pages_per_file)
        print(f"{args.files} scans, {pages} pages, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f},"
              f" batch niceness {args.nice}")
        runs: dict[int, list[dict]] = {1: [], 2: []}
        for i in range(args.repeat):
            for jobs in (1, 2):
                runs[jobs].append(run(indir, tmp / f"out-j{jobs}-{i}", jobs, tmp / "cache", args.nice))
        r1 = min(runs[1], key=lambda r: r["wall"])
        r2 = min(runs[2], key=lambda r: r["wall"])
        last = tmp / f"out-j2-{args.repeat - 1}"
        rr = run(indir, last, 2, tmp / "cache", args.nice)  # re-run of a finished batch
        first = runs[2][-1]
        rows = [*(("jobs 1 cold", r) for r in runs[1]), *(("jobs 2 cold", r) for r in runs[2]), ("jobs 2 re-run", rr)]
        print()
        print(f"{'run':<14} {'rc':>3} {'wall s':>8} {'cpu s':>7} {'cores':>6} {'pages':>6} {'pages/s':>8}"
              f" {'worker MiB':>11} {'all MiB':>8}  statuses")
        for name, r in rows:
            pps = r["pages"] / r["wall"] if r["pages"] else 0.0
            print(f"{name:<14} {r['rc']:>3} {r['wall']:>8.2f} {r['cpu']:>7.1f} {r['cpu'] / r['wall']:>6.2f}"
                  f" {r['pages']:>6} {pps:>8.3f} {r['peak_worker_mb']:>11.0f} {r['peak_total_mb']:>8.0f}"
                  f"  {r['statuses']}")
        speedup = r1["wall"] / r2["wall"]
        rerun = rr["wall"] / first["wall"]
        worker = max(r["peak_worker_mb"] for rs in runs.values() for r in rs)
        print()
        print(f"{'target':<40} {'measured':>12} {'goal':>10}  ok")
        print(f"{'throughput jobs 2 / jobs 1 (best runs)':<40} {speedup:>11.2f}x {'>= 1.70x':>10}  {speedup >= 1.7}")
        print(f"{'peak memory per worker (MiB)':<40} {worker:>12.0f} {'<= 1024':>10}  {worker <= 1024}")
        print(f"{'re-run / first run time':<40} {100 * rerun:>11.1f}% {'< 5 %':>10}  {rerun < 0.05}")
        print(f"load average at the end: {os.getloadavg()[0]:.2f} (other processes share the {os.cpu_count()} cores)")
    finally:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copytree(tmp, args.keep, dirs_exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
