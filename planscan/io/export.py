"""Write records as JSON Lines, JSON, CSV or Excel, atomically to a file or to standard output.

The one writer per format, shared by ``extract``, ``diff``, ``series``, ``tables``, the review page
and the batch ``summary.csv``. JSON formats keep the records' structure; CSV and Excel flatten it:
nested objects become dotted columns ("bbox.x0"), lists of strings are joined with " > " (a section
path reads as a path) and other lists are written as JSON.

What a spreadsheet user and pandas can rely on:
- CSV is plain UTF-8 without a byte-order mark (as csvkit, pandas and sqlite-utils write it), with a
  header even when there are no rows, ``true``/``false`` for booleans and an empty cell for null.
  Excel users take the ``.xlsx`` (Excel guesses a BOM-less CSV's encoding wrongly).
- Columns are stable: given a record type, they are its fields (nested ones dotted) whether or not
  a value is present, so a text input and a scan give the same columns.
- XLSX has a bold, frozen header with a filter, column widths from the contents, number formats
  and a sheet named for what it holds.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel

from planscan._util.atomic import atomic_open, atomic_write_bytes
from planscan.errors import BadArgumentError, OutputError

FORMATS = ("jsonl", "json", "csv", "xlsx")
_SUFFIX_FORMAT = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".xlsx": "xlsx"}
PATH_SEPARATOR = " > "
# Excel's limit on a sheet name
_SHEET_NAME_MAX = 31


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


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The record type a field holds (``Optional[BBox]`` -> ``BBox``), or None for a plain value."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        models = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(models) == 1:
            return _nested_model(models[0])
    return None


def model_columns(model: type[BaseModel], prefix: str = "") -> list[str]:
    """The flat columns of a record type, in field order: what ``flatten`` gives for a full record."""
    cols: list[str] = []
    for name, field in model.model_fields.items():
        nested = _nested_model(field.annotation)
        if nested is not None:
            cols += model_columns(nested, f"{prefix}{name}.")
        else:
            cols.append(f"{prefix}{name}")
    return cols


def columns_of(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> list[str]:
    """Given columns first, then every other key in first-seen order."""
    seen: dict[str, None] = dict.fromkeys(columns or [])
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def format_for(path: Path | None, fmt: str | None = None) -> str:
    """The explicit format, else the one the output's suffix names, else JSON Lines (stdout only).

    An output file whose suffix names no format is an error (exit 1): writing JSON Lines into
    ``figures.parquet`` would hand the next tool a file it cannot read.
    """
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise BadArgumentError(f"{path or '-'}: unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    if path is None:
        return "jsonl"
    found = _SUFFIX_FORMAT.get(path.suffix.lower())
    if found is None:
        hint = " (Parquet is not written: write .csv and convert it with pandas or duckdb)" \
            if path.suffix.lower() == ".parquet" else ""
        raise BadArgumentError(
            f"{path}: unknown output suffix {path.suffix or '(none)'!r}; name the file .csv, .xlsx, .json or"
            f" .jsonl, or give --format{hint}"
        )
    return found


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def render(
    records: Iterable[BaseModel | Mapping[str, Any]],
    fmt: str,
    columns: Sequence[str] | None = None,
    *,
    model: type[BaseModel] | None = None,
    sheet: str = "records",
) -> bytes:
    """The whole output as bytes (UTF-8 for text formats).

    ``model`` fixes the columns of CSV and Excel to the record type's fields (after ``columns``),
    so they do not depend on which values the records happen to have; ``sheet`` names the sheet.
    """
    rows = [to_row(r) for r in records]
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    if fmt == "json":
        return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    flat = [flatten(r) for r in rows]
    fixed = list(columns or []) + (model_columns(model) if model is not None else [])
    cols = columns_of(flat, fixed)
    # a nested object that is null in some rows ("bbox") is the empty dotted cells, not a column of its own
    cols = [
        c for c in cols
        if not (any(o.startswith(c + ".") for o in cols) and all(r.get(c) is None for r in flat))
    ]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(cols)
        for r in flat:
            writer.writerow([_csv_cell(r.get(c)) for c in cols])
        return buf.getvalue().encode("utf-8")
    if fmt == "xlsx":
        return _xlsx(flat, cols, sheet)
    raise BadArgumentError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _number_format(values: list[Any]) -> str | None:
    nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not nums:
        return None
    return "#,##0" if all(float(v).is_integer() for v in nums) else "#,##0.00"


def _xlsx(rows: list[dict[str, Any]], cols: list[str], sheet: str) -> bytes:
    return workbook([(sheet, rows, cols)])


def workbook(sheets: Sequence[tuple[str, Sequence[Mapping[str, Any]], Sequence[str]]]) -> bytes:
    """An Excel workbook of flat rows, one sheet per ``(name, rows, columns)``, each laid out as
    ``render`` lays out its one sheet (``planscan tables`` writes a sheet per table)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows, cols in sheets or [("empty", [], [])]:
        _fill_sheet(wb.create_sheet(name[:_SHEET_NAME_MAX]), rows, list(cols))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill_sheet(ws, rows: Sequence[Mapping[str, Any]], cols: list[str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.append(cols)
    for row in rows:
        ws.append([row.get(c) for c in cols])
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    ws.freeze_panes = "A2"
    if cols:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(rows) + 1}"
    for i, name in enumerate(cols, start=1):
        values = [row.get(name) for row in rows]
        width = max([len(name)] + [len(str(v)) for v in values if v is not None])
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = min(60, max(8, width + 2))
        fmt = _number_format(values)
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    cell.number_format = fmt


def write_records(
    records: Iterable[BaseModel | Mapping[str, Any]],
    output: Path | str | None = None,
    fmt: str | None = None,
    columns: Sequence[str] | None = None,
    stdout: BinaryIO | None = None,
    *,
    model: type[BaseModel] | None = None,
    sheet: str = "records",
) -> str:
    """Write ``records`` to ``output`` (atomically) or, when it is None or "-", to standard output.

    Returns the format used. Raises BadArgumentError for an output whose format is unknown (before
    anything is written) and OutputError when the file cannot be written.
    """
    path = None if output in (None, "-") else Path(output)
    if path is not None and path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name such as {path / ('records.' + (fmt or 'csv'))}")
    fmt = format_for(path, fmt)
    if fmt == "jsonl":  # line by line: records of any number (an extraction as it runs) in bounded memory
        return _write_jsonl(records, path, stdout)
    data = render(records, fmt, columns, model=model, sheet=sheet)
    if path is None:
        stream = stdout if stdout is not None else sys.stdout.buffer
        try:
            stream.write(data)
            stream.flush()
        except BrokenPipeError:  # `planscan extract x.pdf | head` is fine
            pass
        return fmt
    atomic_write_bytes(path, data)
    return fmt


def _write_jsonl(records: Iterable[BaseModel | Mapping[str, Any]], path: Path | None, stdout: BinaryIO | None) -> str:
    lines = ((json.dumps(to_row(r), ensure_ascii=False) + "\n").encode("utf-8") for r in records)
    if path is None:
        stream = stdout if stdout is not None else sys.stdout.buffer
        try:
            for line in lines:
                stream.write(line)
            stream.flush()
        except BrokenPipeError:  # `planscan extract x.pdf | head` is fine
            pass
        return "jsonl"
    with atomic_open(path, "wb") as fh:
        for line in lines:
            fh.write(line)
    return "jsonl"
