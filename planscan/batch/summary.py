"""The end of a batch: ``OUTDIR/summary.csv`` (one row per input) and the printed table."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from planscan.batch.result import ROW_FIELDS, STATUSES, FileResult

SUMMARY_NAME = "summary.csv"


def write_summary_csv(rows: list[FileResult], outdir: Path) -> Path:
    """Through the shared CSV writer, so it reads as every other planscan CSV does."""
    from planscan.io.export import write_records

    path = outdir / SUMMARY_NAME
    write_records([{**r.row(), "seconds": f"{r.seconds:.3f}"} for r in sorted(rows, key=lambda r: r.rel)],
                  path, "csv", columns=ROW_FIELDS)
    return path


def counts(rows: list[FileResult]) -> Counter:
    c = Counter({s: 0 for s in STATUSES})
    c.update(r.status for r in rows)
    return c


def print_summary(rows: list[FileResult], console: Console, seconds: float, ignored: list[str] = (),
                  skipped: list[tuple[str, str]] = ()) -> None:
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
    bad = [r for r in sorted(rows, key=lambda r: r.rel) if r.status in ("failed", "partial")]
    if bad:
        reasons = Table(title="failed and partial files", show_edge=False)
        reasons.add_column("file")
        reasons.add_column("status")
        reasons.add_column("reason", overflow="fold")
        for r in bad[:50]:
            reasons.add_row(r.rel, r.status, r.error or "")
        console.print(reasons)
        if len(bad) > 50:
            console.print(f"... and {len(bad) - 50} more; see summary.csv")
    for entry, why in list(skipped)[:20]:
        # repr: a name with a newline or a control character is shown exactly, on one line
        console.print(f"skipped {entry!r}: {why}", markup=False, highlight=False)
    if len(skipped) > 20:
        console.print(f"... and {len(skipped) - 20} more skipped; see progress.jsonl")
    if ignored:
        shown = ", ".join(repr(name) for name in list(ignored)[:10])
        more = f" and {len(ignored) - 10} more" if len(ignored) > 10 else ""
        console.print(f"ignored (not a PDF, image or text file): {shown}{more}", markup=False, highlight=False)
    extra = f"; {len(ignored)} files of other types ignored" if ignored else ""
    console.print(f"{len(rows)} files in {seconds:.1f} s{extra}")
