#!/usr/bin/env python3
"""OCR benchmark: accuracy and cost of `planscan ocr` against raw Tesseract and OCRmyPDF, in one run.

The pages: ../shared/corpus/*/scan-{moderate,...}.pdf (``--levels``, ``--docs``). Every runner works
on the same pages at the same resolution, two pages at a time:
  - ``tess``: raw ``tesseract PAGE stdout -l vie`` on each page, two in parallel, on pages rendered
    beforehand with ``pdftoppm -r DPI -gray`` (PGM, uncompressed: the cheapest image Tesseract
    reads; PNG decoding alone costs it about 40 % more). Rendering not timed: the strict floor.
  - ``tess+render``: the same, each page rendered and read in turn (both sides then start from the PDF).
  - ``planscan``: ``planscan ocr PDF -o DIR --jobs 2 --no-cache --restore off`` (cold, start-up included);
  - ``planscan --pdf``: the same with the searchable PDF/A-2b;
  - ``ocrmypdf``: ``ocrmypdf -l vie --jobs 2 --force-ocr`` (PDF/A), when it is found (``--ocrmypdf``);
  - ``base planscan``, ``base --pdf``: the two planscan runs from another tree (``--baseline``).
Tesseract runs with OMP_THREAD_LIMIT=1 (``--tess-threads``), as planscan's and OCRmyPDF's page
workers do: with two pages in parallel on two cores its own threads would only fight them.
Each runner goes ``--rounds`` times (default 3), the runners' order turned each round, and the
table shows the median wall time and the median CPU seconds (user + system of all child
processes, from getrusage, this process being their subreaper so that workers whose parent
exits first are counted too), and ratios to ``tess`` and ``tess+render``. Accuracy is the syllable
accuracy (../shared/tools/score_text.py's measure) of the first round's text. Then it builds a
100-page PDF by repeating scan pages and reports the peak memory of ``planscan ocr --jobs 2`` on it.

usage: python bench/ocr.py [--corpus ../shared/corpus] [--levels moderate] [--docs a,b] [--rounds 3]
                           [--ocrmypdf PATH] [--baseline DIR] [--skip-memory] [--memory-pages 100] [--no-restore]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
PLANSCAN = [sys.executable, "-m", "planscan.cli"]
JOBS = 2


def load_scorer(tools: Path):
    sys.path.insert(0, str(tools))
    import vnmetrics  # noqa: E402  (the shared scoring module, not ours)

    def score(hyp: str, gold: str) -> float:
        # Exactly score_text.py's whole-text measure: form feeds dropped, lines joined.
        h = hyp.replace("\f", "").split("\n")
        g = gold.replace("\f", "").split("\n")
        return vnmetrics.text_accuracy("\n".join(h), "\n".join(g))

    return score


def become_subreaper() -> None:
    """Orphaned descendants (planscan's fork server and its workers, OCRmyPDF's) are handed to this
    process, so their CPU time reaches our RUSAGE_CHILDREN when we reap them (Linux only)."""
    import ctypes

    pr_set_child_subreaper = 36
    if ctypes.CDLL(None, use_errno=True).prctl(pr_set_child_subreaper, 1, 0, 0, 0) != 0:
        raise SystemExit("cannot become a child subreaper (Linux prctl); the CPU column would miss the workers")


def reap(limit: float = 30.0) -> None:
    """Wait for every descendant left over from a run (a fork server exits just after its caller)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return next(int(line.split()[1]) for line in out.splitlines() if line.startswith("Pages:"))


def render(pdf: Path, page: int, dpi: int, out: Path) -> Path:
    """Page ``page`` as an 8-bit grey PGM (the corpus scans are grey) at ``dpi``."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(out)], check=True)
    return out.with_suffix(".pgm")


def tesseract(image: Path, env: dict) -> str:
    out = subprocess.run(["tesseract", str(image), "stdout", "-l", "vie"], capture_output=True, check=True, env=env)
    return out.stdout.decode("utf-8")


def in_pairs(fn: Callable[[int], str], pages: int) -> str:
    """``fn(page)`` for every page, ``JOBS`` at a time; the texts in page order, form-feed separated."""
    with ThreadPoolExecutor(JOBS) as pool:
        return "\f".join(pool.map(fn, range(1, pages + 1)))


@dataclass
class Scan:
    name: str
    pdf: Path
    gold: str
    pages: int
    work: Path
    pgm: dict[int, Path] = field(default_factory=dict)


@dataclass
class Runner:
    name: str
    run: Callable[[Scan, int], str | None]  # the text it read (None when it gives none), given the round
    wall: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)


def runners(args, env_tess: dict, cache: Path) -> list[Runner]:
    def tess(scan: Scan, rnd: int) -> str:
        return in_pairs(lambda n: tesseract(scan.pgm[n], env_tess), scan.pages)

    def tess_render(scan: Scan, rnd: int) -> str:
        folder = scan.work / f"render-{rnd}"
        folder.mkdir(exist_ok=True)
        return in_pairs(lambda n: tesseract(render(scan.pdf, n, args.dpi, folder / f"p{n}"), env_tess), scan.pages)

    def planscan(searchable: bool, tree: Path | None = None) -> Callable[[Scan, int], str]:
        def run(scan: Scan, rnd: int) -> str:
            out = scan.work / f"planscan-{'pdf-' if searchable else ''}{'base-' if tree else ''}{rnd}"
            env = dict(os.environ, PLANSCAN_CACHE=str(cache))
            if tree:
                env["PYTHONPATH"] = str(tree)
            subprocess.run(PLANSCAN + ["ocr", str(scan.pdf), "-o", str(out), "--jobs", str(JOBS), "--no-cache",
                                       "--dpi", str(args.dpi), "--restore", "off"] + (["--pdf"] if searchable else []),
                           check=True, env=env, cwd=ROOT)
            return (out / f"{scan.pdf.stem}.txt").read_text(encoding="utf-8")
        return run

    def ocrmypdf(scan: Scan, rnd: int) -> None:
        subprocess.run([args.ocrmypdf, "-q", "-l", "vie", "--jobs", str(JOBS), "--force-ocr", str(scan.pdf),
                        str(scan.work / f"ocrmypdf-{rnd}.pdf")], check=True, capture_output=True)
        return None

    out = [Runner("tess", tess), Runner("tess+render", tess_render), Runner("planscan", planscan(False)),
           Runner("planscan --pdf", planscan(True))]
    if args.baseline:
        out += [Runner("base planscan", planscan(False, args.baseline)),
                Runner("base --pdf", planscan(True, args.baseline))]
    if args.ocrmypdf:
        out.append(Runner("ocrmypdf", ocrmypdf))
    return out


def peak_memory(cmd: list[str], env: dict) -> tuple[float, float]:
    """(peak RSS in GiB summed over the process and its children, wall seconds)."""
    import psutil

    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    peak = 0
    stop = threading.Event()

    def poll():
        nonlocal peak
        p = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                total = 0
                for q in [p] + p.children(recursive=True):
                    try:
                        total += q.memory_info().rss
                    except psutil.Error:
                        pass
                peak = max(peak, total)
            except psutil.Error:
                pass
            time.sleep(0.1)

    t = threading.Thread(target=poll, daemon=True)
    start = time.monotonic()
    t.start()
    rc = proc.wait()
    stop.set()
    t.join()
    if rc not in (0, 3):
        raise SystemExit(f"planscan ocr failed with exit code {rc}")
    return peak / 2**30, time.monotonic() - start


def build_long_pdf(sources: list[Path], pages: int, out: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    readers = [PdfReader(str(s)) for s in sources]
    all_pages = [pg for r in readers for pg in r.pages]
    for i in range(pages):
        writer.add_page(all_pages[i % len(all_pages)])
    with open(out, "wb") as fh:
        writer.write(fh)


def restored_text(ocr_json: Path) -> str | None:
    try:
        from planscan.extract.restore.restorer import restore_document
    except ImportError:
        return None
    from planscan.pipeline import read_ocr_json

    return restore_document(read_ocr_json(ocr_json), "auto").text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--tools", type=Path, default=None, help="folder of score_text.py [default: corpus/../tools]")
    ap.add_argument("--levels", default="moderate")
    ap.add_argument("--docs", default="tuangiao-2020,tuangiao-2021,haiduong-chilinh-2009",
                    help="comma-separated corpus folders ('all': every one with a gold.txt)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--tess-threads", type=int, default=1, help="OMP_THREAD_LIMIT of raw tesseract (0: as installed)")
    ap.add_argument("--ocrmypdf", default=shutil.which("ocrmypdf") or (
        str(Path(sys.executable).with_name("ocrmypdf")) if Path(sys.executable).with_name("ocrmypdf").exists() else None),
        help="the ocrmypdf executable [default: on PATH or beside this Python]")
    ap.add_argument("--baseline", type=Path, default=None,
                    help="a folder holding another planscan package (e.g. `git archive REV planscan | tar -x -C DIR`),"
                         " run as two more runners in the same rounds: before and after in one run")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--no-restore", action="store_true", help="leave out the '+ restore' accuracy")
    ap.add_argument("--memory-pages", type=int, default=100)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"{args.corpus}: corpus not found; pass --corpus")
    score = load_scorer(args.tools or args.corpus.parent / "tools")
    become_subreaper()
    env_tess = dict(os.environ)
    if args.tess_threads:
        env_tess["OMP_THREAD_LIMIT"] = str(args.tess_threads)
    from rich.console import Console
    from rich.table import Table

    console = Console(width=180)
    with tempfile.TemporaryDirectory(prefix="planscan-bench-") as tmp:
        tmp = Path(tmp)
        docs = sorted(p for p in args.corpus.iterdir() if (p / "gold.txt").is_file()
                      and (args.docs == "all" or p.name in args.docs.split(",")))
        scans = []
        for doc in docs:
            for level in args.levels.split(","):
                pdf = doc / f"scan-{level}.pdf"
                if pdf.is_file():
                    work = tmp / f"{doc.name}-{level}"
                    work.mkdir()
                    scan = Scan(f"{doc.name}/{pdf.stem}", pdf, (doc / "gold.txt").read_text(encoding="utf-8"),
                                page_count(pdf), work)
                    scan.pgm = {n: render(pdf, n, args.dpi, work / f"p{n}") for n in range(1, scan.pages + 1)}
                    scans.append(scan)
        if not scans:
            raise SystemExit("no scans selected; check --docs and --levels")
        rs = runners(args, env_tess, tmp / "cache")
        totals: dict[str, list[tuple[float, float]]] = {r.name: [] for r in rs}
        for rnd in range(args.rounds):
            order = rs[rnd % len(rs):] + rs[: rnd % len(rs)]  # each runner leads once: load drifts evenly
            sums = {r.name: [0.0, 0.0] for r in rs}
            for scan in scans:
                for r in order:
                    cpu0, t0 = children_cpu(), time.monotonic()
                    text = r.run(scan, rnd)
                    wall = time.monotonic() - t0
                    reap()
                    cpu = children_cpu() - cpu0
                    r.wall.setdefault(scan.name, []).append(wall)
                    r.cpu.setdefault(scan.name, []).append(cpu)
                    sums[r.name][0] += wall
                    sums[r.name][1] += cpu
                    if text is not None and scan.name not in r.text:
                        r.text[scan.name] = text
            for name, (wall, cpu) in sums.items():
                totals[name].append((wall, cpu))
            console.print(f"round {rnd + 1}: " + ", ".join(f"{n} {w:.1f} s wall / {c:.1f} s CPU"
                                                        for n, (w, c) in sums.items()))
        try:
            load = os.getloadavg()[0]
        except OSError:
            load = float("nan")
        table = Table(title=f"{len(scans)} scans, {sum(s.pages for s in scans)} pages, {JOBS} pages at a time, "
                            f"{args.rounds} rounds interleaved: median wall s / median CPU s (children's user+sys); "
                            f"ratio = runner / tess (tess+render). Load at the end {load:.1f}")
        table.add_column("scan", no_wrap=True)
        table.add_column("pages", justify="right")
        for r in rs:
            table.add_column(r.name, justify="right")
        med = statistics.median

        def cell(r: Runner, wall: float, cpu: float, base: tuple[float, float], base2: tuple[float, float]) -> str:
            if r.name == "tess":
                return f"{wall:.1f} / {cpu:.1f}"
            return (f"{wall:.1f} / {cpu:.1f}\nwall {wall / base[0]:.2f}x ({wall / base2[0]:.2f}x)\n"
                    f"CPU {cpu / base[1]:.2f}x ({cpu / base2[1]:.2f}x)")

        for scan in scans:
            vals = {r.name: (med(r.wall[scan.name]), med(r.cpu[scan.name])) for r in rs}
            table.add_row(scan.name, str(scan.pages), *(cell(r, *vals[r.name], vals["tess"], vals["tess+render"])
                                                         for r in rs))
        vals = {n: (med(w for w, _ in t), med(c for _, c in t)) for n, t in totals.items()}
        table.add_row("[b]all (median of round sums)[/b]", str(sum(s.pages for s in scans)),
                      *(cell(r, *vals[r.name], vals["tess"], vals["tess+render"]) for r in rs), end_section=True)
        console.print(table)

        acc = Table(title="syllable accuracy of the first round's text (score_text.py's whole-text measure)")
        for col in ("scan", "raw tess %", "planscan OCR %", "+ restore %"):
            acc.add_column(col, justify="left" if col == "scan" else "right")
        ps = next(r for r in rs if r.name == "planscan")
        for scan in scans:
            rest = None if args.no_restore else restored_text(scan.work / "planscan-0" / f"{scan.pdf.stem}.ocr.json")
            acc.add_row(scan.name, f"{100 * score(rs[0].text[scan.name], scan.gold):.2f}",
                        f"{100 * score(ps.text[scan.name], scan.gold):.2f}",
                        "-" if rest is None else f"{100 * score(rest, scan.gold):.2f}")
        console.print(acc)
        if not args.skip_memory:
            sources = sorted(args.corpus.glob("*/scan-harsh.pdf")) + sorted(args.corpus.glob("*/scan-moderate.pdf"))
            long_pdf = tmp / "long.pdf"
            build_long_pdf(sources, args.memory_pages, long_pdf)
            env = dict(os.environ, PLANSCAN_CACHE=str(tmp / "memcache"))
            gib, secs = peak_memory(PLANSCAN + ["ocr", str(long_pdf), "-o", str(tmp / "mem"), "--jobs", "2",
                                                "--no-cache", "--restore", "off"], env)
            console.print(f"peak memory, {args.memory_pages}-page PDF, --jobs 2: {gib:.2f} GiB "
                          f"(RSS summed over the process tree), {secs:.0f} s, {secs / args.memory_pages:.1f} s/page")


if __name__ == "__main__":
    main()
