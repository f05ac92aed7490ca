"""Writers for tables as found: JSON (the Table records), CSV and XLSX (one file or sheet per table),
Markdown; the header flattened to one title per column ("So sánh (%) / KH 2021/UTH 2020")."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Optional

from planscan._util.atomic import atomic_write_bytes, atomic_write_text
from planscan.errors import BadArgumentError
from planscan.extract.tables.columns import read_columns
from planscan.schemas.tables import Table

FORMATS = ("json", "csv", "xlsx", "markdown")
_SUFFIX = {".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".md": "markdown", ".markdown": "markdown"}


def tables_format(path: Optional[Path], fmt: Optional[str]) -> str:
    if fmt:
        return fmt
    if path is None:
        return "json"
    found = _SUFFIX.get(path.suffix.lower())
    if found is None:
        raise BadArgumentError(f"{path}: unknown output suffix {path.suffix or '(none)'!r}; name the file .json, .csv, "
                               ".xlsx or .md, or give --format")
    return found


def flat_rows(table: Table) -> list[list[str]]:
    """The flattened header, then each body row's cells (a span's text in its first position)."""
    header = [c.title for c in read_columns(table)]
    grid = table.grid()
    body = [[t or "" for t in row] for row in grid[table.n_header_rows:]]
    return [header] + body


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _markdown(table: Table) -> str:
    rows = flat_rows(table)
    esc = [[t.replace("|", "\\|").replace("\n", " ") for t in row] for row in rows]
    title = table.title or f"Table {table.table}"
    lines = [f"## {title} (page {', '.join(map(str, table.pages))})", "", "| " + " | ".join(esc[0]) + " |",
             "|" + "---|" * len(esc[0])]
    lines += ["| " + " | ".join(row) + " |" for row in esc[1:]]
    return "\n".join(lines) + "\n"


def _xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for t in tables:
        ws = wb.create_sheet(f"table {t.table}")
        for i, row in enumerate(flat_rows(t)):
            ws.append(row)
            if i == 0:
                for cell in ws[1]:
                    cell.font = Font(bold=True)
    if not tables:
        wb.create_sheet("tables")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_tables(tables: list[Table], output: Optional[str], fmt: Optional[str]) -> list[Path]:
    """Write to ``output`` (atomically), or to stdout when it is None or "-"; CSV to a file writes
    one file per table (``name-1.csv``, ``name-2.csv`` ...) when there are several."""
    path = Path(output) if output not in (None, "-") else None
    fmt = tables_format(path, fmt)
    if fmt == "json":
        text = json.dumps([t.model_dump(mode="json") for t in tables], ensure_ascii=False, indent=1) + "\n"
    elif fmt == "markdown":
        text = "\n".join(_markdown(t) for t in tables)
    elif fmt == "xlsx":
        data = _xlsx(tables)
        if path is None:
            sys.stdout.buffer.write(data)
            return []
        atomic_write_bytes(path, data)
        return [path]
    else:
        if path is not None and len(tables) > 1:
            out = []
            for t in tables:
                p = path.with_name(f"{path.stem}-{t.table}{path.suffix}")
                atomic_write_text(p, _csv(flat_rows(t)))
                out.append(p)
            return out
        text = "\n".join(_csv(flat_rows(t)) for t in tables)
    if path is None:
        sys.stdout.write(text)
        return []
    atomic_write_text(path, text)
    return [path]
