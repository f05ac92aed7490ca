"""Render a comparison (``DiffResult``) as a rich table, CSV (wide or long), JSON, Markdown or Excel.

Every format says the same things in the same words: a row's class (level, target, fulfilment ...),
its flags and its consistency use one vocabulary (``FLAGS``, ``CONSISTENCY``, ``ROW_CLASSES``),
explained in the legend printed under the table. A change of a rate in % is in percentage points
("pp"). Column names never depend on file names: documents are numbered in the flat formats
(``value_1``, ``period_1`` ...) and named in ``document_1`` (wide) or ``document`` (long).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from planscan._util.atomic import atomic_open
from planscan.errors import BadArgumentError, OutputError
from planscan.schemas.comparison import ComparisonRow, DiffDocument, DiffOutput, DiffResult

FORMATS = ("table", "csv", "csv-long", "json", "markdown", "xlsx")

ROW_CLASSES = {
    "level": "actual or estimated level of the indicator",
    "target": "target set by a plan",
    "fulfilment": "a target against the actual of its own year (change = actual - target)",
    "change": "a stated change that could not be attached to a level",
    "ratio_to_prior": "a stated ratio to the prior period that could not be attached to a level",
    "ratio_to_plan": "a stated ratio to the plan that could not be attached to a level",
}
FLAGS = {
    "only-in-one-document": "the indicator is in one document only",
    "unit-converted": "values converted into the row's unit (e.g. triệu to tỷ đồng)",
    "period-mismatch": "the figures compared are for periods of different types",
    "period-unknown": "a figure has no period",
    "estimate": "an estimate (ước) is compared",
    "target": "a target is compared",
    "derived": "a value implied by a stated change, not stated itself",
    "year-gap": "the years compared are not consecutive",
    "reviewed": "holds a figure corrected in planscan review",
}
CONSISTENCY = {
    "consistent": "what the newer document states about the earlier period agrees with the older one",
    "inconsistent": "it disagrees: the implied and the found value are given",
    "unverifiable": "the older document does not state the figure",
}
UNITS = {"pp": "percentage points: the change of a rate in %"}
# Below this many columns the table puts class, unit, flags and check under the label.
_WIDE = 120


def _num(x: float | None) -> str:
    if x is None:
        return ""
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", " ")
    return f"{x:,.2f}".replace(",", " ").rstrip("0").rstrip(".")


def _signed(x: float | None) -> str:
    if x is None:
        return ""
    return ("+" if x > 0 else "") + _num(x)


def _check_text(row: ComparisonRow) -> str:
    parts = []
    for c in row.checks:
        s = f"{c.status}: {c.document} states {c.statement.replace('_', ' ')} {_num(c.stated)} {c.stated_unit}"
        if c.vs_year:
            s += f" vs {c.vs_year}"
        if c.implied is not None:
            s += f", implies {_num(c.implied)}"
        if c.found is not None:
            s += f", {c.found_document} has {_num(c.found)}"
        parts.append(s)
    return "; ".join(parts)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def _period(cell) -> str:
    return (cell.period or (str(cell.year) if cell.year else "")) if cell else ""


def select(result: DiffResult, only_paired: bool = False, min_confidence: float | None = None) -> DiffResult:
    """The rows to show: with ``only_paired`` those present in two documents at least; with
    ``min_confidence`` no pair whose pairing score is below it (rows of one document have none)."""
    rows = result.rows
    if only_paired:
        rows = [r for r in rows if sum(c is not None for c in r.cells) >= 2]
    if min_confidence is not None:
        rows = [r for r in rows if r.score is None or r.score >= min_confidence]
    return result.model_copy(update={"rows": rows})


def wide_rows(result: DiffResult) -> tuple[list[str], list[dict]]:
    """Column names (the same for any documents) and one flat dict per indicator."""
    n = len(result.documents)
    cols = ["key", "label", "unit", "row_class"]
    for i in range(1, n + 1):
        cols += [f"document_{i}", f"value_{i}", f"period_{i}", f"kind_{i}"]
    cols += ["change", "change_unit", "change_pct", "fulfilment_pct", "consistency", "flags", "checks", "score"]
    out = []
    for r in result.rows:
        d: dict = {"key": r.key, "label": r.label, "unit": r.unit, "row_class": r.row_class}
        for i, (name, cell) in enumerate(zip(result.documents, r.cells), start=1):
            d[f"document_{i}"] = name
            d[f"value_{i}"] = cell.value if cell else None
            d[f"period_{i}"] = _period(cell)
            d[f"kind_{i}"] = cell.kind if cell else None
        d.update(_tail(r))
        out.append(d)
    return cols, out


def _tail(r: ComparisonRow) -> dict:
    return {"change": r.change, "change_unit": r.change_unit, "change_pct": _round(r.change_pct),
            "fulfilment_pct": _round(r.fulfilment_pct), "consistency": r.consistency, "flags": ", ".join(r.flags),
            "checks": _check_text(r), "score": r.score}


LONG_COLUMNS = ["key", "label", "unit", "row_class", "document_index", "document", "value", "stated_value",
                "stated_unit", "year", "period", "period_type", "kind", "derived", "page", "line", "text",
                "change", "change_unit", "change_pct", "fulfilment_pct", "consistency", "flags", "checks", "score"]


def long_rows(result: DiffResult) -> list[dict]:
    """Tidy: one row per indicator and document that states it, the row's change repeated."""
    out = []
    for r in result.rows:
        tail = _tail(r)
        for i, cell in enumerate(r.cells, start=1):
            if cell is None:
                continue
            out.append({"key": r.key, "label": r.label, "unit": r.unit, "row_class": r.row_class, "document_index": i,
                        "document": cell.document, "value": cell.value, "stated_value": cell.stated_value,
                        "stated_unit": cell.stated_unit, "year": cell.year, "period": cell.period,
                        "period_type": cell.period_type, "kind": cell.kind, "derived": cell.derived,
                        "page": cell.page, "line": cell.line, "text": cell.text, **tail})
    return out


def _md_escape(s) -> str:
    return str("" if s is None else s).replace("|", "\\|").replace("\n", " ")


def _change_text(r: ComparisonRow) -> str:
    if r.change is None:
        return ""
    return _signed(r.change) + (" pp" if r.change_unit == "pp" else "")


def _pct_text(r: ComparisonRow) -> str:
    """The % beside a change, saying which %: of the target for fulfilment, none for a rate in pp."""
    if r.row_class == "fulfilment":
        return "" if r.fulfilment_pct is None else f"{r.fulfilment_pct:.1f} % of target"
    if r.change_pct is None or r.change_unit == "pp":
        return ""
    return f"{r.change_pct:+.1f} %"


def to_markdown(result: DiffResult) -> str:
    cols = ["label", "class", "unit"] + list(result.documents) + ["change", "%", "consistency", "flags"]
    lines = ["| " + " | ".join(_md_escape(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    for r in result.rows:
        vals = [r.label, r.row_class, r.unit]
        for cell in r.cells:
            vals.append(f"{_num(cell.value)} ({cell.period or cell.year or ''})" if cell else "")
        vals += [_change_text(r), _pct_text(r), r.consistency or "", ", ".join(r.flags)]
        lines.append("| " + " | ".join(_md_escape(v) for v in vals) + " |")
    return "\n".join(lines) + "\n\n" + "\n".join(f"- {line}" for line in legend(result)) + "\n"


_SHORT_TYPE = {"H1": "6T", "H2": "6Tc", "9M": "9T", "Y": ""}


def short_period(period_type: str | None, year: int | None, period: str | None) -> str:
    """"6T/2019" for a first half, "2020" for a year: what a Vietnamese analyst writes in a table."""
    if year is None:
        return period or ""
    if period_type is None:
        return str(year)
    p = _SHORT_TYPE.get(period_type)
    if p is None:
        p = "T" + period_type[1:] if period_type.startswith("M") else period_type
    return f"{p}/{year}" if p else str(year)


def legend(result: DiffResult) -> list[str]:
    """One line per word the rows use: classes, flags, consistency, pp."""
    used_classes = {r.row_class for r in result.rows}
    used_flags = {f for r in result.rows for f in r.flags}
    used_consistency = {r.consistency for r in result.rows if r.consistency}
    lines = [f"{k}: {v}" for k, v in ROW_CLASSES.items() if k in used_classes]
    lines += [f"{k}: {v}" for k, v in FLAGS.items() if k in used_flags]
    lines += [f"{f}: {f}" for f in sorted(used_flags - FLAGS.keys())]
    lines += [f"{k}: {v}" for k, v in CONSISTENCY.items() if k in used_consistency]
    if any(r.change_unit == "pp" for r in result.rows):
        lines += [f"{k}: {v}" for k, v in UNITS.items()]
    return lines


def _check_cell(r: ComparisonRow) -> str:
    from rich.markup import escape

    if not r.consistency:
        return ""
    style = {"consistent": "green", "inconsistent": "bold red", "unverifiable": "dim"}[r.consistency]
    text = r.consistency
    if r.consistency == "inconsistent":
        bad = next(c for c in r.checks if c.status == "inconsistent")
        text += f": implies {_num(bad.implied)}, has {_num(bad.found)}"
    return f"[{style}]{escape(text)}[/]"


def rich_table(result: DiffResult, width: int = _WIDE):
    """The table for a terminal ``width`` columns wide; below 120 the compact layout."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    wide = width >= _WIDE
    t = Table(header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, expand=False)
    t.add_column("indicator", overflow="fold", ratio=3, min_width=16)
    if wide:
        t.add_column("class", overflow="fold")
        t.add_column("unit", overflow="fold", max_width=12)
    for name in result.documents:
        t.add_column(escape(name), justify="right", overflow="fold", ratio=1)
    t.add_column("change", justify="right", overflow="fold", ratio=1)
    if wide:
        t.add_column("check", overflow="fold", max_width=30)
        t.add_column("flags", overflow="fold", max_width=30)
    for r in result.rows:
        label = escape(r.label)
        if not wide:
            about = " · ".join(escape(x) for x in (r.row_class, r.unit, *r.flags) if x)
            label += f"\n[dim]{about}[/dim]"
            if r.consistency:
                label += "\n" + _check_cell(r)
        vals = [label]
        if wide:
            vals += [escape(r.row_class), escape(r.unit)]
        for cell in r.cells:
            if cell is None:
                vals.append("")
            else:
                sep = " " if wide else "\n"
                vals.append(f"{_num(cell.value)}{sep}[dim]{escape(short_period(cell.period_type, cell.year, cell.period))}[/dim]")
        pct = _pct_text(r)
        vals.append(escape(_change_text(r)) + (("\n" if not wide else " ") + f"[dim]{escape(pct)}[/dim]" if pct else ""))
        if wide:
            vals += [_check_cell(r), escape(", ".join(r.flags))]
        t.add_row(*vals)
    return t


def print_table(result: DiffResult, console) -> None:
    from rich.markup import escape

    console.print(rich_table(result, console.width))
    lines = legend(result)
    if lines:
        console.print("[dim]" + "\n".join(escape(line) for line in lines) + "[/dim]", soft_wrap=False)


def output_document(result: DiffResult) -> DiffOutput:
    """The JSON object: the documents (path, sha256, metadata), the warnings and the rows."""
    docs = result.sources or [DiffDocument(name=n, path=n) for n in result.documents]
    return DiffOutput(documents=docs, warnings=result.warnings, rows=result.rows)


def format_for(output: Path | None, fmt: str | None, terminal: bool) -> str:
    """The explicit format, else the -o suffix's (an unknown one is exit 1), else table on a
    terminal and JSON in a pipe."""
    if fmt:
        return fmt
    if output is None:
        return "table" if terminal else "json"
    by_suffix = {".csv": "csv", ".json": "json", ".md": "markdown", ".xlsx": "xlsx", ".txt": "table"}
    found = by_suffix.get(output.suffix.lower())
    if found is None:
        raise BadArgumentError(f"{output}: unknown output suffix {output.suffix or '(none)'!r}; name it .csv, .json,"
                               " .md, .xlsx or .txt, or give --format")
    return found


def write(result: DiffResult, fmt: str, output: Path | None, console=None) -> None:
    """Write ``result`` in ``fmt`` to ``output`` (atomically) or to stdout, through the shared
    record writer (``planscan.io.export``) for CSV, JSON and Excel."""
    from planscan.io.export import write_records

    if fmt == "json":
        data = output_document(result).model_dump_json(indent=2) + "\n"
        _write_text(data, output)
        return
    if fmt in ("csv", "csv-long", "xlsx"):
        if fmt == "xlsx" and output is None:
            raise OutputError("-: an Excel file needs a path; pass -o FILE.xlsx")
        if fmt == "csv-long":
            write_records(long_rows(result), output, "csv", columns=LONG_COLUMNS)
        else:
            cols, rows = wide_rows(result)
            write_records(rows, output, fmt, columns=cols, sheet="comparison")
        return
    if fmt == "table":
        from rich.console import Console

        if output is None:
            print_table(result, console or Console())
            return
        con = Console(file=io.StringIO(), width=_WIDE, record=True)
        print_table(result, con)
        text = con.export_text()
    else:
        text = to_markdown(result)
    _write_text(text, output)


def _write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        with atomic_open(output, "w") as fh:
            fh.write(text)
    except OSError as e:
        raise OutputError(f"{output}: cannot be written ({e.strerror}); choose another -o path") from e
