"""Write records as JSON Lines, JSON, CSV or Excel, atomically to a file or to standard output.

Generic over pydantic records and plain row dicts, so indicator records, comparison rows and any
later table share one writer. JSON formats keep the records' structure; CSV and Excel flatten it:
nested objects become dotted columns ("bbox.x0"), lists of strings are joined with " > " (a section
path reads as a path) and other lists are written as JSON.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel

from planscan._util.atomic import atomic_write_bytes
from planscan.errors import OutputError

FORMATS = ("jsonl", "json", "csv", "xlsx")
_SUFFIX_FORMAT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".xlsx": "xlsx"}
PATH_SEPARATOR = " > "


def to_row(record: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    """A JSON-ready dict of a record (pydantic models dumped in JSON mode, so no dates or enums leak)."""
    if isinstance(record, BaseModel):
        return record.model_dump(mode="json")
    if isinstance(record, Mapping):
        return json.loads(json.dumps(dict(record), ensure_ascii=False, default=str))
    raise TypeError(f"cannot export a {type(record).__name__}; give pydantic records or dicts")


def flatten(row: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """One level of cells: nested dicts become dotted keys, lists become one cell."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            if all(isinstance(v, str) for v in value):
                out[name] = PATH_SEPARATOR.join(value)
            else:
                out[name] = json.dumps(value, ensure_ascii=False)
        else:
            out[name] = value
    return out


def columns_of(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> list[str]:
    """Given columns first, then every other key in first-seen order."""
    seen: dict[str, None] = dict.fromkeys(columns or [])
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def format_for(path: Path | None, fmt: str | None = None) -> str:
    """The explicit format, else the one the output's suffix names, else JSON Lines."""
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise OutputError(f"{path or '-'}: unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    if path is not None:
        return _SUFFIX_FORMAT.get(path.suffix.lower(), "jsonl")
    return "jsonl"


def render(
    records: Iterable[BaseModel | Mapping[str, Any]], fmt: str, columns: Sequence[str] | None = None
) -> bytes:
    """The whole output as bytes (UTF-8 for text formats)."""
    rows = [to_row(r) for r in records]
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    if fmt == "json":
        return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    flat = [flatten(r) for r in rows]
    cols = columns_of(flat, columns)
    # a nested object that is null in some rows ("bbox") is the empty dotted cells, not a column of its own
    cols = [
        c for c in cols
        if not (any(o.startswith(c + ".") for o in cols) and all(r.get(c) is None for r in flat))
    ]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat)
        # a byte-order mark lets Excel open Vietnamese text as UTF-8
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        return _xlsx(flat, cols)
    raise OutputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _xlsx(rows: list[dict[str, Any]], cols: list[str]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("records")
    ws.append(cols)
    for row in rows:
        ws.append([row.get(c) for c in cols])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_records(
    records: Iterable[BaseModel | Mapping[str, Any]],
    output: Path | str | None = None,
    fmt: str | None = None,
    columns: Sequence[str] | None = None,
    stdout: BinaryIO | None = None,
) -> str:
    """Write ``records`` to ``output`` (atomically) or, when it is None or "-", to standard output.

    Returns the format used. Raises OutputError when the file cannot be written.
    """
    path = None if output in (None, "-") else Path(output)
    fmt = format_for(path, fmt)
    data = render(records, fmt, columns)
    if path is None:
        stream = stdout if stdout is not None else sys.stdout.buffer
        try:
            stream.write(data)
            stream.flush()
        except BrokenPipeError:  # `planscan extract x.pdf | head` is fine
            pass
        return fmt
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / ('records.' + fmt)}")
    atomic_write_bytes(path, data)
    return fmt
