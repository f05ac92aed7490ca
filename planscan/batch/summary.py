"""The end of a batch: ``OUTDIR/summary.csv`` (one row per input) and the printed table."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from planscan._util.atomic import atomic_open

SUMMARY_NAME = "summary.csv"
SUMMARY_FIELDS = ["path", "status", "pages", "failed_pages", "figures", "seconds", "error"]

# done: converted in this run; skipped: converted by an earlier run with the same content and
# settings; partial: converted, but some pages failed; failed: nothing usable (now or earlier).
STATUSES = ("done", "skipped", "partial", "failed")


@dataclass
class SummaryRow:
    path: str
    status: str
    pages: int = 0
    failed_pages: int = 0
    figures: int = 0
    seconds: float = 0.0
    error: str | None = None


def write_summary_csv(rows: list[SummaryRow], outdir: Path) -> Path:
    path = outdir / SUMMARY_NAME
    with atomic_open(path, "w") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(SUMMARY_FIELDS)
        for r in sorted(rows, key=lambda r: r.path):
            w.writerow([r.path, r.status, r.pages, r.failed_pages, r.figures, f"{r.seconds:.3f}", r.error or ""])
    return path


def counts(rows: list[SummaryRow]) -> Counter:
    c = Counter({s: 0 for s in STATUSES})
    c.update(r.status for r in rows)
    return c


def print_summary(rows: list[SummaryRow], console: Console, seconds: float, ignored: int = 0) -> None:
    c = counts(rows)
    table = Table(title="planscan batch", show_edge=False)
    table.add_column("status")
    table.add_column("files", justify="right")
    table.add_column("pages", justify="right")
    table.add_column("figures", justify="right")
    for status in STATUSES:
        sel = [r for r in rows if r.status == status]
        table.add_row(status, str(c[status]), str(sum(r.pages for r in sel)), str(sum(r.figures for r in sel)))
    console.print(table)
    bad = [r for r in sorted(rows, key=lambda r: r.path) if r.status in ("failed", "partial")]
    if bad:
        reasons = Table(title="failed and partial files", show_edge=False)
        reasons.add_column("file")
        reasons.add_column("status")
        reasons.add_column("reason", overflow="fold")
        for r in bad[:50]:
            reasons.add_row(r.path, r.status, r.error or "")
        console.print(reasons)
        if len(bad) > 50:
            console.print(f"... and {len(bad) - 50} more; see summary.csv")
    extra = f"; {ignored} files of other types ignored" if ignored else ""
    console.print(f"{len(rows)} files in {seconds:.1f} s{extra}")
