"""Writers for tables as found: JSON (the Table records) and Markdown here; CSV (one file per table)
and XLSX (one sheet per table) through the shared writers of ``io.export``, so they follow its rules
(a header always, UTF-8 without a byte-order mark, a bold frozen header with a filter). The header
is flattened to one title per column ("So sánh (%) / KH 2021/UTH 2020")."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Optional

from planscan._util.atomic import atomic_write_bytes, atomic_write_text
from planscan.errors import BadArgumentError
from planscan.extract.tables.columns import read_columns
from planscan.extract.text.numbers import parse_number
from planscan.io.export import render, workbook
from planscan.schemas.tables import Table

FORMATS = ("json", "csv", "xlsx", "markdown")
_SUFFIX = {".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".md": "markdown", ".markdown": "markdown"}
# Characters Excel refuses in a sheet name.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_PLAIN_NUMBER = re.compile(r"[-−]?\d[\d.,]*")


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


def _unique(titles: list[str]) -> list[str]:
    """Column names a row can be keyed by: an empty title is named by its position, a repeated one
    gets its position added."""
    out: list[str] = []
    for i, t in enumerate(titles, start=1):
        name = t or f"column {i}"
        out.append(f"{name} ({i})" if name in out else name)
    return out


def flat_rows(table: Table) -> list[list[str]]:
    """The flattened header, then each body row's cells (a span's text in its first position)."""
    header = [c.title for c in read_columns(table)]
    grid = table.grid()
    body = [[t or "" for t in row] for row in grid[table.n_header_rows:]]
    return [header] + body


def _records(table: Table, numbers: bool = False) -> tuple[list[str], list[dict]]:
    """(columns, one dict per body row). With ``numbers``, a value column's cell that is one number
    as Vietnamese forms print it ("4.386", "97,5") is that number, for a spreadsheet to sum."""
    columns = read_columns(table)
    cols = _unique([c.title for c in columns])
    body = [[t or "" for t in row] for row in table.grid()[table.n_header_rows:]]
    values = {c.index - 1 for c in columns if c.role == "value"} if numbers else set()
    rows = []
    for row in body:
        cells: list[object] = list(row)
        for k in values:
            text = row[k].strip()
            if _PLAIN_NUMBER.fullmatch(text):
                v = parse_number(text.replace("−", "-"))
                cells[k] = v if v is not None else row[k]
        rows.append(dict(zip(cols, cells)))
    return cols, rows


def sheet_name(table: Table) -> str:
    """What the sheet holds, within Excel's 31 characters: the table's number and caption
    ("1. Biểu số 01 - CÁC CHỈ TIÊU ..."), or its number and pages ("Table 2, pages 3-4")."""
    if table.title:
        name = f"{table.table}. " + " ".join(_SHEET_FORBIDDEN.sub(" - ", table.title).split())
    else:
        first, last = (table.pages[0], table.pages[-1]) if table.pages else (None, None)
        where = "" if first is None else f", page {first}" if first == last else f", pages {first}-{last}"
        name = f"Table {table.table}{where}"
    return name[:31].rstrip(" -.'")


def _csv(table: Table) -> bytes:
    cols, rows = _records(table)
    return render(rows, "csv", cols)


def _markdown(table: Table) -> str:
    rows = flat_rows(table)
    esc = [[t.replace("|", "\\|").replace("\n", " ") for t in row] for row in rows]
    title = table.title or f"Table {table.table}"
    lines = [f"## {title} (page {', '.join(map(str, table.pages))})", "", "| " + " | ".join(esc[0]) + " |",
             "|" + "---|" * len(esc[0])]
    lines += ["| " + " | ".join(row) + " |" for row in esc[1:]]
    return "\n".join(lines) + "\n"


def _xlsx(tables: list[Table]) -> bytes:
    sheets = []
    for t in tables:
        cols, rows = _records(t, numbers=True)
        sheets.append((sheet_name(t), rows, cols))
    return workbook(sheets)


def write_tables(tables: list[Table], output: Optional[str], fmt: Optional[str]) -> list[Path]:
    """Write to ``output`` (atomically), or to stdout when it is None or "-"; CSV to a file writes
    one file per table (``name-1.csv``, ``name-2.csv`` ...) when there are several."""
    path = Path(output) if output not in (None, "-") else None
    fmt = tables_format(path, fmt)
    if fmt in ("json", "markdown"):
        text = (json.dumps([t.model_dump(mode="json") for t in tables], ensure_ascii=False, indent=1) + "\n"
                if fmt == "json" else "\n".join(_markdown(t) for t in tables))
        if path is None:
            sys.stdout.write(text)
            return []
        atomic_write_text(path, text)
        return [path]
    if fmt == "csv" and path is not None and len(tables) > 1:
        out = []
        for t in tables:
            p = path.with_name(f"{path.stem}-{t.table}{path.suffix}")
            atomic_write_bytes(p, _csv(t))
            out.append(p)
        return out
    # one table per CSV: on stdout, tables follow each other after a blank line
    data = _xlsx(tables) if fmt == "xlsx" else b"\n".join(_csv(t) for t in tables)
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return []
    atomic_write_bytes(path, data)
    return [path]
