"""Indicator extraction benchmark: F1, kind and label agreement per input channel, plus throughput.

    .venv/bin/python bench/extract.py [--corpus ../shared/corpus] [--no-ocr] [--scan harsh] [--repeat 20]

For every corpus document it extracts records from gold.txt, from ocr-eng.txt (restoration "auto"
decides that the diacritics are missing) and from scan-<kind>.pdf (OCR, then restoration), scores
them with the corpus' own score_indicators.py, and prints a table. The baseline row is the naive
reading the issue measures against: every number with the word after it as its unit.
Throughput is pages per second of extraction (metadata, sections, indicators) from text.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from planscan.io.export import write_records  # noqa: E402
from planscan.ocr.settings import OcrSettings  # noqa: E402
from planscan.pipeline import extract_document, read_document, read_text_file  # noqa: E402

_SCORE = re.compile(r"(\w+)=([\d.]+)")


def score(records: list, gold: Path, tools: Path) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as fh:
        path = Path(fh.name)
    try:
        write_records(records, path, "jsonl")
        out = subprocess.run(
            [sys.executable, str(tools / "score_indicators.py"), str(path), str(gold)],
            check=True, capture_output=True, text=True,
        ).stdout
    finally:
        path.unlink(missing_ok=True)
    return {k: float(v) for k, v in _SCORE.findall(out)}


def baseline(text: str, year: int | None) -> list[dict]:
    """A number and the word after it, dated with the document's report year; no kind or label.

    Numbers that are themselves years, or parts of dates and codes, are kept: a plain regex cannot
    tell them apart, which is what the baseline is for.
    """
    out = []
    for m in re.finditer(r"(\d[\d.,]*)\s*(%|[^\W\d_]+)", text):
        raw = m.group(1).rstrip(".,")
        vi = re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+(,\d+)?", raw)
        try:
            value = float(raw.replace(".", "").replace(",", ".")) if vi else float(raw)
        except ValueError:
            continue
        out.append({"value": value, "unit": m.group(2).lower(), "year": year, "indicator": "", "kind": ""})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--tools", type=Path, default=ROOT.parent / "shared" / "tools")
    ap.add_argument("--no-ocr", action="store_true", help="skip the scanned PDFs (OCR takes minutes)")
    ap.add_argument("--scan", default="harsh", help="which scan-<kind>.pdf to OCR (default harsh)")
    ap.add_argument("--repeat", type=int, default=20, help="passes over the text inputs for throughput")
    ap.add_argument("--no-cache", action="store_true", help="OCR the scans again instead of using the page cache")
    ap.add_argument("--save", type=Path, default=None, help="folder to keep the records of each run in")
    args = ap.parse_args()

    docs = sorted(p for p in args.corpus.iterdir() if (p / "indicators.jsonl").exists())
    if not docs:
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1
    console = Console(width=140)
    table = Table(title="planscan extract: indicator F1 (score_indicators.py)")
    for col in ("document", "input", "records", "gold", "found", "precision", "recall", "F1", "kind %", "label %", "seconds"):
        table.add_column(col, justify="right" if col not in ("document", "input") else "left")
    totals: dict[str, list[float]] = {}

    def add(name: str, channel: str, records: list, gold: Path, seconds: float) -> None:
        s = score(records, gold, args.tools)
        found = s.get("found", 0)
        kind = 100 * s.get("kind_agree", 0) / found if found else 0.0
        label = 100 * s.get("label_agree", 0) / found if found else 0.0
        table.add_row(
            name, channel, f"{s['records']:.0f}", f"{s['gold']:.0f}", f"{found:.0f}", f"{s['precision']:.3f}",
            f"{s['recall']:.3f}", f"{s['f1']:.3f}", f"{kind:.1f}", f"{label:.1f}", f"{seconds:.2f}",
        )
        t = totals.setdefault(channel, [0, 0, 0, 0, 0])
        t[0] += s["records"]
        t[1] += s["gold"]
        t[2] += found
        t[3] += s.get("kind_agree", 0)
        t[4] += s.get("label_agree", 0)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            write_records(records, args.save / f"{name}.{channel.replace(' ', '_')}.jsonl", "jsonl")

    for d in docs:
        gold = d / "indicators.jsonl"
        text = (d / "gold.txt").read_text(encoding="utf-8")
        t0 = time.perf_counter()
        doc = read_document(d / "gold.txt", OcrSettings(restore="off"))
        meta, _, records = extract_document(doc)
        add(d.name, "baseline regex", baseline(text, meta.report_year or meta.plan_year), gold, 0.0)
        add(d.name, "gold.txt", records, gold, time.perf_counter() - t0)
        if (d / "ocr-eng.txt").exists():
            t0 = time.perf_counter()
            doc = read_document(d / "ocr-eng.txt", OcrSettings(restore="auto"))
            _, _, records = extract_document(doc)
            add(d.name, "ocr-eng.txt", records, gold, time.perf_counter() - t0)
        scan = d / f"scan-{args.scan}.pdf"
        if not args.no_ocr and scan.exists():
            t0 = time.perf_counter()
            doc = read_document(scan, OcrSettings(restore="auto", use_cache=not args.no_cache))
            _, _, records = extract_document(doc)
            add(d.name, scan.name, records, gold, time.perf_counter() - t0)

    for channel, (n_rec, n_gold, found, kind, label) in totals.items():
        p = found / n_rec if n_rec else 0.0
        r = found / n_gold if n_gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        table.add_row(
            "ALL", channel, f"{n_rec:.0f}", f"{n_gold:.0f}", f"{found:.0f}", f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}",
            f"{100 * kind / found if found else 0:.1f}", f"{100 * label / found if found else 0:.1f}", "",
        )
    console.print(table)

    # throughput: extraction from already-read text (metadata + sections + indicators)
    texts = [read_text_file(d / "gold.txt") for d in docs]
    extract_document(texts[0])  # warm the pipeline (spaCy, lexicons)
    t0 = time.perf_counter()
    for _ in range(args.repeat):
        for doc in texts:
            extract_document(doc)
    elapsed = time.perf_counter() - t0
    n_pages = args.repeat * sum(len(doc.pages) for doc in texts)
    tp = Table(title="throughput from text")
    tp.add_column("pages")
    tp.add_column("seconds", justify="right")
    tp.add_column("pages/s", justify="right")
    tp.add_row(str(n_pages), f"{elapsed:.2f}", f"{n_pages / elapsed:.1f}")
    console.print(tp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
