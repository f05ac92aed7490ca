"""Table reading benchmark on the development tables: figures, grids, number cells and time.

    .venv/bin/python bench/tables.py [--corpus ../shared/corpus/tables] [--channels digital,moderate,harsh]
                                     [--no-img2table] [--no-tesseract] [--docs NAME,...]

For each document and channel (digital.pdf, scan-moderate.pdf, scan-harsh.pdf) it reads the tables
with planscan, scores the table figures with the corpus' score_indicators.py (F1, kind agreement),
checks every gold table's grid (found; columns exact; body rows within one) and the text of every
number cell, and times table reading against OCR'ing the same pages as text. Beside planscan it
prints plain Tesseract (``tesseract -l vie`` on the page: number cells found as a token of its
output, as the corpus README measures) and img2table (its ruled-table detector and Tesseract OCR;
its grids go through planscan's header and figure reading, so the figures compare detectors).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table as RichTable  # noqa: E402

from planscan.extract.tables.build import header_depth  # noqa: E402
from planscan.extract.tables.figures import tables_records  # noqa: E402
from planscan.io.export import write_records  # noqa: E402
from planscan.ocr.settings import OcrSettings  # noqa: E402
from planscan.pipeline import read_tables  # noqa: E402
from planscan.schemas.records import BBox  # noqa: E402
from planscan.schemas.tables import Cell, Segment, Table  # noqa: E402

CHANNELS = {"digital": "digital.pdf", "moderate": "scan-moderate.pdf", "harsh": "scan-harsh.pdf"}
_SCORE = re.compile(r"(\w+)=([\d.]+)")
_NUMBER = re.compile(r"[-+]?\d[\d.,/]*")


@dataclass
class Tally:
    gold: int = 0
    recs: int = 0
    found: int = 0
    kind: int = 0
    tables: int = 0
    tables_found: int = 0
    cols_exact: int = 0
    rows_close: int = 0
    cells: int = 0
    cells_ok: int = 0
    pages: int = 0
    seconds: float = 0.0
    text_seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def add_score(self, s: dict) -> None:
        self.gold += int(s.get("gold", 0))
        self.recs += int(s.get("records", 0))
        self.found += int(s.get("found", 0))
        self.kind += int(s.get("kind_agree", 0))

    @property
    def f1(self) -> float:
        p = self.found / self.recs if self.recs else 0.0
        r = self.found / self.gold if self.gold else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score(records: list, gold: Path, tools: Path) -> dict:
    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as fh:
        path = Path(fh.name)
    try:
        write_records(records, path, "jsonl")
        out = subprocess.run([sys.executable, str(tools / "score_indicators.py"), str(path), str(gold)],
                             check=True, capture_output=True, text=True).stdout
    finally:
        path.unlink(missing_ok=True)
    return {k: float(v) for k, v in _SCORE.findall(out)}


def figure_columns(gold_jsonl: Path) -> dict[int, set[int]]:
    cols: dict[int, set[int]] = {}
    for line in gold_jsonl.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            cols.setdefault(r["table"], set()).add(r["col"])
    return cols


def gold_number_cells(gold_tables: list[dict], fig_cols: dict[int, set[int]]) -> list[tuple[int, int, int, int, str]]:
    """(table, page, body row, col, text) of every body cell of a figure column that holds a number."""
    out = []
    for t in gold_tables:
        for row in t["body"]:
            for c in row:
                if c["col"] in fig_cols.get(t["table"], set()) and _NUMBER.fullmatch(c["text"].strip()):
                    out.append((t["table"], c["page"], c["row"], c["col"], c["text"].strip()))
    return out


def _overlap(a: tuple, b: tuple) -> float:
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    area = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return inter / area if area > 0 else 0.0


def match_tables(found: list[Table], gold_tables: list[dict], box_key: str) -> dict[int, Table]:
    """Each gold table's found table: the one whose first segment overlaps the gold box most."""
    out: dict[int, Table] = {}
    for g in gold_tables:
        seg = g["segments"][0]
        gb = seg[box_key] if box_key in seg else seg["bbox"]
        best, best_ov = None, 0.3
        for t in found:
            s = t.segments[0]
            if s.page != seg["page"]:
                continue
            f = 72.0 / t.dpi
            ov = _overlap(gb, (s.bbox.x0 * f, s.bbox.y0 * f, s.bbox.x1 * f, s.bbox.y1 * f))
            if ov > best_ov:
                best, best_ov = t, ov
        if best is not None:
            out[g["table"]] = best
    return out


def check_grids(tally: Tally, found: list[Table], gold_tables: list[dict], numbers: list, box_key: str) -> None:
    matched = match_tables(found, gold_tables, box_key)
    for g in gold_tables:
        tally.tables += 1
        t = matched.get(g["table"])
        if t is None:
            tally.notes.append(f"table {g['table']} not found")
            continue
        tally.tables_found += 1
        tally.cols_exact += t.n_cols == g["n_cols"]
        body = t.n_rows - t.n_header_rows
        tally.rows_close += abs(body - g["n_body_rows"]) <= 1
        if t.n_cols != g["n_cols"] or abs(body - g["n_body_rows"]) > 1:
            tally.notes.append(f"table {g['table']}: {t.n_cols} cols (gold {g['n_cols']}), {body} body rows "
                               f"(gold {g['n_body_rows']})")
    for table, _page, row, col, text in numbers:
        tally.cells += 1
        t = matched.get(table)
        if t is None:
            continue
        cell = next((c for c in t.cells if c.row == row + t.n_header_rows and c.col == col), None)
        tally.cells_ok += cell is not None and cell.text.replace(" ", "") == text.replace(" ", "")


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", out).group(1))


def ocr_text_seconds(pdf: Path, digital: bool) -> float:
    """OCR'ing the pages as text (planscan ocr's path, one worker, no cache): the time budget's base."""
    from planscan.ocr.pipeline import ocr_document

    start = time.perf_counter()
    ocr_document(pdf, OcrSettings(jobs=1, use_cache=False, force_ocr=digital, restore="off"))
    return time.perf_counter() - start


def run_planscan(tally: Tally, folder: Path, pdf: Path, channel: str, tools: Path, time_text: bool) -> None:
    gold_tables = json.loads((folder / "tables.json").read_text(encoding="utf-8"))["tables"]
    gold_jsonl = folder / "indicators.jsonl"
    start = time.perf_counter()
    tables = read_tables(pdf, OcrSettings(jobs=1, use_cache=False))
    tally.seconds += time.perf_counter() - start
    tally.pages += page_count(pdf)
    if time_text:
        tally.text_seconds += ocr_text_seconds(pdf, channel == "digital")
    tally.add_score(score(tables_records(tables, str(pdf)), gold_jsonl, tools))
    numbers = gold_number_cells(gold_tables, figure_columns(gold_jsonl))
    key = {"digital": "bbox_digital", "moderate": "bbox", "harsh": "bbox_harsh"}[channel]
    check_grids(tally, tables, gold_tables, numbers, key)


def run_tesseract(tally: Tally, folder: Path, pdf: Path) -> None:
    """Raw ``tesseract -l vie`` on each page at 300 dpi: a number cell counts when its text is a token."""
    gold_tables = json.loads((folder / "tables.json").read_text(encoding="utf-8"))["tables"]
    numbers = gold_number_cells(gold_tables, figure_columns(folder / "indicators.jsonl"))
    tokens: dict[int, list[str]] = {}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(1, page_count(pdf) + 1):
            png = Path(tmp) / f"p{n}"
            subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-f", str(n), "-l", str(n), "-singlefile",
                            str(pdf), str(png)], check=True)
            out = subprocess.run(["tesseract", str(png) + ".png", "-", "-l", "vie"], capture_output=True,
                                 text=True).stdout
            tokens[n] = out.split()
    tally.seconds += time.perf_counter() - start
    tally.pages += len(tokens)
    for _table, page, _row, _col, text in numbers:
        tally.cells += 1
        if text in tokens.get(page, []):
            tokens[page].remove(text)
            tally.cells_ok += 1


def img2table_tables(pdf: Path) -> list[Table]:
    """img2table's ruled tables as planscan Table records (its merged cells repeat one box; they
    become spans), the header depth read by planscan."""
    from img2table.document import PDF
    from img2table.ocr import TesseractOCR

    found = PDF(src=str(pdf)).extract_tables(ocr=TesseractOCR(n_threads=1, lang="vie"), borderless_tables=False)
    out: list[Table] = []
    for page_index, tabs in sorted(found.items()):
        for tb in tabs:
            rows = list(tb.content.values())
            seen: dict[tuple, Cell] = {}
            for r, cells in enumerate(rows, start=1):
                for k, c in enumerate(cells, start=1):
                    key = (c.bbox.x1, c.bbox.y1, c.bbox.x2, c.bbox.y2)
                    if key in seen:
                        cell = seen[key]
                        cell.rowspan = max(cell.rowspan, r - cell.row + 1)
                        cell.colspan = max(cell.colspan, k - cell.col + 1)
                        continue
                    seen[key] = Cell(row=r, col=k, text=" ".join((c.value or "").split()), page=page_index + 1,
                                     bbox=BBox(x0=c.bbox.x1, y0=c.bbox.y1, x1=c.bbox.x2, y1=c.bbox.y2))
            n_cols = max((len(c) for c in rows), default=0)
            cells = list(seen.values())
            box = BBox(x0=tb.bbox.x1, y0=tb.bbox.y1, x1=tb.bbox.x2, y1=tb.bbox.y2)
            out.append(Table(table=len(out) + 1, pages=[page_index + 1], bbox=box, dpi=200, n_rows=len(rows),
                             n_cols=n_cols, n_header_rows=header_depth(cells, len(rows), n_cols), cells=cells,
                             segments=[Segment(page=page_index + 1, bbox=box, first_row=1, last_row=len(rows))]))
    return out


def run_img2table(tally: Tally, folder: Path, pdf: Path, channel: str, tools: Path) -> None:
    gold_tables = json.loads((folder / "tables.json").read_text(encoding="utf-8"))["tables"]
    gold_jsonl = folder / "indicators.jsonl"
    start = time.perf_counter()
    tables = img2table_tables(pdf)
    tally.seconds += time.perf_counter() - start
    tally.pages += page_count(pdf)
    # Without planscan's joining, a continued table's second part is a table of its own.
    tally.add_score(score(tables_records(tables, str(pdf)), gold_jsonl, tools))
    key = {"digital": "bbox_digital", "moderate": "bbox", "harsh": "bbox_harsh"}[channel]
    check_grids(tally, tables, gold_tables, gold_number_cells(gold_tables, figure_columns(gold_jsonl)), key)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "tables")
    ap.add_argument("--tools", type=Path, default=ROOT.parent / "shared" / "tools")
    ap.add_argument("--channels", default="digital,moderate,harsh")
    ap.add_argument("--docs", default="", help="Comma-separated folder names (default: all).")
    ap.add_argument("--no-img2table", action="store_true")
    ap.add_argument("--no-tesseract", action="store_true")
    ap.add_argument("--readers", default="planscan,tesseract,img2table")
    ap.add_argument("--no-speed", action="store_true", help="Do not time OCR as text (the time budget's base).")
    args = ap.parse_args(argv)
    folders = sorted(p.parent for p in args.corpus.glob("*/tables.json"))
    if args.docs:
        folders = [f for f in folders if f.name in args.docs.split(",")]
    console = Console(width=170)
    out = RichTable(title="Table reading on the development tables (pooled)")
    for col in ("channel", "reader", "figure F1", "kind", "tables found", "cols exact", "rows ±1",
                "number cells", "s/page", "× text OCR"):
        out.add_column(col, justify="right" if col not in ("channel", "reader") else "left")
    for channel in args.channels.split(","):
        readers = [r for r in args.readers.split(",")
                   if not (r == "tesseract" and (args.no_tesseract or channel == "digital"))
                   and not (r == "img2table" and args.no_img2table)]
        for reader in readers:
            tally = Tally()
            for folder in folders:
                pdf = folder / CHANNELS[channel]
                if reader == "planscan":
                    run_planscan(tally, folder, pdf, channel, args.tools, not args.no_speed and channel != "digital")
                elif reader == "tesseract":
                    run_tesseract(tally, folder, pdf)
                else:
                    run_img2table(tally, folder, pdf, channel, args.tools)
            for note in tally.notes:
                console.print(f"[dim]{channel} {reader}: {note}[/dim]")
            per_page = tally.seconds / tally.pages if tally.pages else 0.0
            ratio = f"{tally.seconds / tally.text_seconds:.2f}" if tally.text_seconds else "-"
            figs = reader != "tesseract"
            out.add_row(
                channel, reader,
                f"{tally.f1:.3f}" if figs else "-",
                f"{100 * tally.kind / tally.found:.1f} %" if figs and tally.found else "-",
                f"{tally.tables_found}/{tally.tables}" if figs else "-",
                f"{tally.cols_exact}/{tally.tables}" if figs else "-",
                f"{tally.rows_close}/{tally.tables}" if figs else "-",
                f"{100 * tally.cells_ok / tally.cells:.1f} % ({tally.cells_ok}/{tally.cells})" if tally.cells else "-",
                f"{per_page:.2f}", ratio,
            )
    console.print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
