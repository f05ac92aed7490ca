#!/usr/bin/env python3
"""OCR benchmark: accuracy, wall time and peak memory of `planscan ocr` against raw Tesseract.

For each ../shared/corpus/*/scan-{moderate,harsh,rotated}.pdf it prints the syllable accuracy
(../shared/tools/score_text.py's measure) of
  - raw `tesseract -l vie` on `pdftoppm -r 300` pages,
  - `planscan ocr --restore off` (OCR alone) and the same text after restoration (`auto`),
and the wall time of a cold `planscan ocr --jobs 2 --no-cache` run, with and without the PDF/A
(`--pdf`), and of OCRmyPDF (a peer, when installed in the venv), against raw Tesseract on the same
pages, measured in the same run. Then it builds a 100-page PDF by repeating scan pages and
reports the peak memory (RSS summed over the process tree) of `planscan ocr --jobs 2` on it.

usage: python bench/ocr.py [--corpus ../shared/corpus] [--levels moderate,harsh,rotated] [--docs a,b]
                           [--skip-memory] [--memory-pages 100]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLANSCAN = [sys.executable, "-m", "planscan.cli"]


def load_scorer(tools: Path):
    sys.path.insert(0, str(tools))
    import vnmetrics  # noqa: E402  (the shared scoring module, not ours)

    def score(hyp: str, gold: str) -> float:
        # Exactly score_text.py's whole-text measure: form feeds dropped, lines joined.
        h = hyp.replace("\f", "").split("\n")
        g = gold.replace("\f", "").split("\n")
        return vnmetrics.text_accuracy("\n".join(h), "\n".join(g))

    return score


def raw_tesseract(pdf: Path, work: Path, threads: int | None = None) -> tuple[str, float]:
    """pdftoppm -r 300, then tesseract -l vie on each page one after another.

    Only the Tesseract calls are timed: its recognition is the floor planscan is held to, and
    pdftoppm's PNG output (slow, compressed) would flatter planscan. ``threads=None`` is Tesseract
    as installed (OpenMP on every core); ``threads=1`` sets OMP_THREAD_LIMIT=1.
    """
    env = dict(os.environ)
    if threads:
        env["OMP_THREAD_LIMIT"] = str(threads)
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(work / "p")], check=True)
    texts = []
    start = time.monotonic()
    for png in sorted(work.glob("p-*.png")):
        out = subprocess.run(["tesseract", str(png), "stdout", "-l", "vie"], capture_output=True, check=True,
                             env=env)
        texts.append(out.stdout.decode("utf-8"))
    return "\f".join(texts), time.monotonic() - start


def planscan_ocr(pdf: Path, outdir: Path, cache: Path, jobs: int = 2, searchable: bool = False) -> float:
    """A cold run; with ``searchable`` also the PDF/A (planscan's default output type)."""
    env = dict(os.environ, PLANSCAN_CACHE=str(cache))
    start = time.monotonic()
    subprocess.run(PLANSCAN + ["ocr", str(pdf), "-o", str(outdir), "--jobs", str(jobs), "--no-cache",
                               "--restore", "off"] + (["--pdf"] if searchable else []), check=True, env=env, cwd=ROOT)
    return time.monotonic() - start


def ocrmypdf(pdf: Path, out: Path, jobs: int = 2) -> float | None:
    """OCRmyPDF as a peer (PDF/A output, vie, --force-ocr), when it is installed."""
    exe = Path(sys.executable).with_name("ocrmypdf")
    if not exe.exists():
        return None
    start = time.monotonic()
    subprocess.run([str(exe), "-q", "-l", "vie", "--jobs", str(jobs), "--force-ocr", str(pdf), str(out)],
                   check=True, capture_output=True)
    return time.monotonic() - start


def restored_text(ocr_json: Path) -> str | None:
    try:
        from planscan.extract.restore.restorer import restore_document
    except ImportError:
        return None
    from planscan.pipeline import read_ocr_json

    return restore_document(read_ocr_json(ocr_json), "auto").text


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
                procs = [p] + p.children(recursive=True)
                total = 0
                for q in procs:
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--tools", type=Path, default=None, help="folder of score_text.py [default: corpus/../tools]")
    ap.add_argument("--levels", default="moderate,harsh,rotated")
    ap.add_argument("--docs", default=None, help="comma-separated corpus folders [default: all with a gold.txt]")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--no-restore", action="store_true", help="leave out the '+ restore' column")
    ap.add_argument("--memory-pages", type=int, default=100)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"{args.corpus}: corpus not found; pass --corpus")
    score = load_scorer(args.tools or args.corpus.parent / "tools")
    from rich.console import Console
    from rich.table import Table

    table = Table(title="planscan ocr vs raw tesseract -l vie on pdftoppm -r 300 pages. Times: tesseract "
                        "recognition alone vs the whole cold planscan run; ratio = planscan / tess, planscan / tess "
                        "1-thread")
    cols = ("scan", "pages", "raw tess %", "planscan OCR %", "+ restore %", "tess s", "tess 1-thread s",
            "planscan -j2 s", "ratio", "--pdf s", "ratio", "ocrmypdf s", "ratio")
    for col in cols:
        table.add_column(col, justify="right" if col != "scan" else "left", no_wrap=col == "scan")
    per_level: dict[str, list[tuple[float, float, float | None, int]]] = {}
    t_raw = t_raw1 = t_ps = t_pdf = t_peer = 0.0
    with tempfile.TemporaryDirectory(prefix="planscan-bench-") as tmp:
        tmp = Path(tmp)
        wanted = set(args.docs.split(",")) if args.docs else None
        for doc in sorted(p for p in args.corpus.iterdir() if (p / "gold.txt").is_file()
                          and (wanted is None or p.name in wanted)):
            gold = (doc / "gold.txt").read_text(encoding="utf-8")
            for level in args.levels.split(","):
                pdf = doc / f"scan-{level}.pdf"
                if not pdf.is_file():
                    continue
                work = tmp / f"{doc.name}-{level}"
                (work / "raw").mkdir(parents=True)
                raw_text, raw_s = raw_tesseract(pdf, work / "raw")
                (work / "raw1").mkdir()
                _, raw1_s = raw_tesseract(pdf, work / "raw1", threads=1)
                ps_s = planscan_ocr(pdf, work / "out", tmp / "cache")
                pdf_s = planscan_ocr(pdf, work / "pdfa", tmp / "cache", searchable=True)
                peer_s = ocrmypdf(pdf, work / "peer.pdf")
                ocr_text = (work / "out" / f"{pdf.stem}.txt").read_text(encoding="utf-8")
                rest = None if args.no_restore else restored_text(work / "out" / f"{pdf.stem}.ocr.json")
                a_raw, a_ocr = score(raw_text, gold), score(ocr_text, gold)
                a_rest = score(rest, gold) if rest is not None else None
                n_pages = ocr_text.count("\f") + 1
                per_level.setdefault(level, []).append((a_raw, a_ocr, a_rest, len(gold.split())))
                t_raw += raw_s
                t_raw1 += raw1_s
                t_ps += ps_s
                t_pdf += pdf_s
                t_peer += peer_s or 0.0
                table.add_row(f"{doc.name}/{pdf.stem}", str(n_pages), f"{100 * a_raw:.2f}", f"{100 * a_ocr:.2f}",
                              "-" if a_rest is None else f"{100 * a_rest:.2f}", f"{raw_s:.1f}", f"{raw1_s:.1f}",
                              f"{ps_s:.1f}", f"{ps_s / raw_s:.2f} / {ps_s / raw1_s:.2f}", f"{pdf_s:.1f}",
                              f"{pdf_s / raw_s:.2f}", "-" if peer_s is None else f"{peer_s:.1f}",
                              "-" if peer_s is None else f"{peer_s / raw_s:.2f}")
        for level, rows in per_level.items():
            w = sum(r[3] for r in rows)
            mean = lambda i: sum(r[i] * r[3] for r in rows) / w  # noqa: E731 - token-weighted
            rest = "-" if any(r[2] is None for r in rows) else f"{100 * mean(2):.2f}"
            table.add_row(f"[b]all {level}[/b]", "", f"{100 * mean(0):.2f}", f"{100 * mean(1):.2f}", rest,
                          "", "", "", "", "", "", "", "")
        table.add_row("[b]total time[/b]", "", "", "", "", f"{t_raw:.1f}", f"{t_raw1:.1f}", f"{t_ps:.1f}",
                      f"{t_ps / max(t_raw, 1e-9):.2f} / {t_ps / max(t_raw1, 1e-9):.2f}", f"{t_pdf:.1f}",
                      f"{t_pdf / max(t_raw, 1e-9):.2f}", f"{t_peer:.1f}" if t_peer else "-",
                      f"{t_peer / max(t_raw, 1e-9):.2f}" if t_peer else "-")
        console = Console(width=160)
        console.print(table)
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
