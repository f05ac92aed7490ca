"""Render a comparison (``DiffResult``) as a rich table, CSV, JSON, Markdown or Excel.

JSON keeps the typed rows (``ComparisonRow``); the flat formats have one row per indicator with a
value and a period column per document, so a spreadsheet user sees the same table as the terminal.
"""

from __future__ import annotations

import io
from pathlib import Path

from planscan._util.atomic import atomic_open
from planscan.errors import OutputError
from planscan.schemas.comparison import ComparisonRow, DiffResult

FORMATS = ("table", "csv", "json", "markdown", "xlsx")


def _num(x: float | None) -> str:
    if x is None:
        return ""
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", " ")
    return f"{x:,.2f}".replace(",", " ").rstrip("0").rstrip(".")


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


def flatten(result: DiffResult) -> tuple[list[str], list[dict]]:
    """Column names and one flat dict per row."""
    cols = ["key", "label", "unit", "class"]
    for name in result.documents:
        cols += [f"{name} value", f"{name} period", f"{name} kind"]
    cols += ["change", "change %", "fulfilment %", "consistency", "flags", "checks"]
    out = []
    for r in result.rows:
        d: dict = {"key": r.key, "label": r.label, "unit": r.unit, "class": r.row_class}
        for name, cell in zip(result.documents, r.cells):
            d[f"{name} value"] = cell.value if cell else None
            d[f"{name} period"] = (cell.period or (str(cell.year) if cell.year else "")) if cell else ""
            d[f"{name} kind"] = cell.kind if cell else ""
        d["change"] = r.change
        d["change %"] = None if r.change_pct is None else round(r.change_pct, 2)
        d["fulfilment %"] = None if r.fulfilment_pct is None else round(r.fulfilment_pct, 2)
        d["consistency"] = r.consistency or ""
        d["flags"] = ", ".join(r.flags)
        d["checks"] = _check_text(r)
        out.append(d)
    return cols, out


def _md_escape(s) -> str:
    return str("" if s is None else s).replace("|", "\\|").replace("\n", " ")


def to_markdown(result: DiffResult) -> str:
    cols = ["label", "unit"] + list(result.documents) + ["change", "change %", "check", "flags"]
    lines = ["| " + " | ".join(_md_escape(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    for r in result.rows:
        vals = [r.label, r.unit]
        for cell in r.cells:
            vals.append(f"{_num(cell.value)} ({cell.period or cell.year or ''})" if cell else "")
        pct = r.fulfilment_pct if r.row_class == "fulfilment" else r.change_pct
        vals += [_num(r.change), "" if pct is None else f"{pct:.1f}", r.consistency or "", ", ".join(r.flags)]
        lines.append("| " + " | ".join(_md_escape(v) for v in vals) + " |")
    return "\n".join(lines) + "\n"


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


_SHORT_FLAG = {"only-in-one-document": "one-doc", "unit-converted": "converted", "period-mismatch": "period≠"}


def rich_table(result: DiffResult):
    from rich.table import Table

    t = Table(show_lines=False, header_style="bold", pad_edge=False)
    t.add_column("indicator", overflow="fold", min_width=22, ratio=3)
    t.add_column("unit", overflow="fold", max_width=12)
    for name in result.documents:
        t.add_column(name, justify="right", overflow="fold", no_wrap=False)
    t.add_column("change", justify="right")
    t.add_column("%", justify="right")
    t.add_column("check", overflow="fold", max_width=24)
    t.add_column("flags", overflow="fold", max_width=16)
    style = {"consistent": "green", "inconsistent": "bold red", "unverifiable": "dim"}
    for r in result.rows:
        vals = [r.label + ("" if r.row_class == "level" else f" [{r.row_class}]"), r.unit]
        for cell in r.cells:
            if cell is None:
                vals.append("")
            else:
                vals.append(f"{_num(cell.value)} [dim]{short_period(cell.period_type, cell.year, cell.period)}[/dim]")
        pct = r.fulfilment_pct if r.row_class == "fulfilment" else r.change_pct
        check = {"consistent": "ok", "unverifiable": "?"}.get(r.consistency or "", "")
        if r.consistency == "inconsistent":
            bad = next(c for c in r.checks if c.status == "inconsistent")
            check = f"NO: implies {_num(bad.implied)}, has {_num(bad.found)}"
        vals += [
            _num(r.change),
            "" if pct is None else f"{pct:+.1f}" if r.row_class != "fulfilment" else f"{pct:.1f}",
            f"[{style.get(r.consistency or '', '')}]{check}[/]" if check else "",
            ", ".join(_SHORT_FLAG.get(f, f) for f in r.flags),
        ]
        t.add_row(*vals)
    return t


def write(result: DiffResult, fmt: str, output: Path | None, console=None) -> None:
    """Write ``result`` in ``fmt`` to ``output`` (atomically) or to stdout. CSV, JSON and Excel go
    through the shared record writer (``planscan.io.export``); JSON keeps the typed rows."""
    from planscan.io.export import write_records

    if fmt == "json":
        write_records(result.rows, output, "json")
        return
    if fmt in ("csv", "xlsx"):
        if fmt == "xlsx" and output is None:
            raise OutputError("-: an Excel file needs a path; pass -o FILE.xlsx")
        cols, rows = flatten(result)
        write_records(rows, output, fmt, columns=cols)
        return
    if fmt == "table":
        from rich.console import Console

        if output is None:
            (console or Console()).print(rich_table(result))
            return
        con = Console(file=io.StringIO(), width=200, record=True)
        con.print(rich_table(result))
        text = con.export_text()
    else:
        text = to_markdown(result)
    if output is None:
        import sys

        sys.stdout.write(text)
        return
    try:
        with atomic_open(output, "w") as fh:
            fh.write(text)
    except OSError as e:
        raise OutputError(f"{output}: cannot be written ({e.strerror}); choose another -o path") from e
