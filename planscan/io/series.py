"""Time series of one indicator across every ingested document, as a table and a chart.

The same figure is often stated by several documents (a plan states its own half-year, the next
plan restates it, a third implies it from "tăng N so với cùng kỳ"). The table shows every
statement with its source; the chart keeps one point per district, period type and year,
preferring a stated figure to a derived one, an actual to an estimate, and the newest document.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from planscan._util.atomic import atomic_open
from planscan.errors import OutputError
from planscan.extract.indicators.keys import indicator_key
from planscan.extract.text.fold import fold_words
from planscan.extract.text.units import compatible
from planscan.io.store import Store

_LEVEL_KINDS = ("actual", "estimate", "target")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_words(period_type: str | None) -> str:
    """A period type as a Vietnamese reader says it: H1 -> "6 tháng đầu năm", Y -> "cả năm"."""
    pt = period_type or ""
    named = {"Y": "cả năm", "H1": "6 tháng đầu năm", "H2": "6 tháng cuối năm"}
    if pt in named:
        return named[pt]
    if m := re.fullmatch(r"(\d+)M", pt):
        return f"{m[1]} tháng đầu năm"
    if m := re.fullmatch(r"Q([1-4])", pt):
        return f"quý {_ROMAN[int(m[1])]}"
    if m := re.fullmatch(r"M(\d+)", pt):
        return f"tháng {m[1]}"
    if m := re.fullmatch(r"M(\d+)-(\d+)", pt):
        return f"tháng {m[1]}–{m[2]}"
    if m := re.fullmatch(r"multi:(\d+)-(\d+)", pt):
        return f"giai đoạn {m[1]}–{m[2]}"
    return "kỳ không rõ" if pt in ("", "?") else pt


def nearest_keys(store: Store, key: str, n: int = 5) -> list[str]:
    """The stored keys closest to ``key`` (by key or by label, accents ignored), for a hint."""
    from rapidfuzz import fuzz, process

    choices: dict[str, str] = {}
    for k, label, _count in store.keys():
        choices[fold_words(k)] = k
        if label:
            choices.setdefault(fold_words(label), k)
    found = process.extract(fold_words(key), list(choices), scorer=fuzz.WRatio, limit=n * 3, score_cutoff=50)
    out: list[str] = []
    for text, _score, _i in found:
        if choices[text] not in out:
            out.append(choices[text])
    return out[:n]


@dataclass
class SeriesPoint:
    district: str
    year: int | None
    period: str | None
    period_type: str | None
    kind: str
    value: float  # in the series unit
    unit: str
    stated_value: float
    stated_unit: str
    derived: bool
    indicator: str
    source: str
    document_id: int
    page: int | None
    review_status: str = "unreviewed"


def load_series(store: Store, key: str, district: str | None = None, reviewed: bool = True) -> tuple[str, list[SeriesPoint]]:
    """(the key used, its points). ``key`` may also be a label; it is then keyed like a record.

    With ``reviewed`` (the default) figures carry their reviewed values and rejected ones are left out."""

    def fetch(k: str) -> list[dict]:
        rows = [r for r in store.figures(key=k, reviewed=reviewed)
                if r["kind"] in _LEVEL_KINDS and r["review_status"] != "rejected"]
        return sorted(rows, key=lambda r: (r["district"] or "", r["period_type"] or "", r["year"] or 0, r["document_id"]))

    rows = fetch(key)
    if not rows:
        alt = indicator_key(key)
        if alt != key:
            rows = fetch(alt)
            key = alt if rows else key
    if district:
        want = fold_words(district)
        rows = [r for r in rows if r["district"] and want in fold_words(r["district"])]
    if not rows:
        return key, []
    unit = Counter(r["unit"] for r in rows).most_common(1)[0][0]
    points = []
    for r in rows:
        ok, factor = compatible(unit, r["unit"])
        if not ok:
            continue  # a figure whose unit cannot be converted does not belong on one axis
        points.append(
            SeriesPoint(
                district=r["district"] or "(unknown)", year=r["year"], period=r["period"],
                period_type=r["period_type"], kind=r["kind"], value=r["value"] * factor, unit=unit,
                stated_value=r["value"], stated_unit=r["unit"], derived=bool(r["derived"]),
                indicator=r["indicator"], source=r["source"], document_id=r["document_id"], page=r["page"],
                review_status=r["review_status"],
            )
        )
    return key, points


def best_points(points: list[SeriesPoint]) -> dict[tuple[str, str, str], list[SeriesPoint]]:
    """One point per (district, period type, actual|target) line and year, for the chart."""
    values = sorted(p.value for p in points if p.value > 0)
    median = values[len(values) // 2] if values else None

    def rank(p: SeriesPoint) -> tuple:
        # within one document, two figures for one year: the one in line with the rest of the
        # series wins (an increment mislabelled as a level, "thêm N trạm", is far off)
        closeness = -abs(math.log(p.value / median)) if median and p.value > 0 else -math.inf
        return (not p.derived, p.kind == "actual", p.document_id, closeness)

    lines: dict[tuple[str, str, str], dict[int, SeriesPoint]] = {}
    for p in points:
        if p.year is None:
            continue
        cls = "target" if p.kind == "target" else "actual"
        line = lines.setdefault((p.district, p.period_type or "?", cls), {})
        cur = line.get(p.year)
        if cur is None or rank(p) > rank(cur):
            line[p.year] = p
    return {k: [v[y] for y in sorted(v)] for k, v in lines.items()}


def series_table(key: str, points: list[SeriesPoint]):
    from rich.table import Table

    t = Table(title=f"{key} ({points[0].unit})" if points else key, header_style="bold")
    for col, just in (("district", "left"), ("year", "right"), ("period", "left"), ("kind", "left"),
                      ("value", "right"), ("source", "left"), ("review", "left")):
        t.add_column(col, justify=just, overflow="fold")
    for p in points:
        kind = p.kind + (" (derived)" if p.derived else "")
        value = f"{p.value:,.6g}".replace(",", " ")
        t.add_row(p.district, str(p.year or ""), p.period or "", kind, value,
                  "/".join(Path(p.source).parts[-2:]) + (f" p.{p.page}" if p.page else ""), p.review_status)
    return t


# marker and filled? per kind of point: an estimate and a value derived from a stated change look
# different from a reported actual
_MARKERS = {"actual": ("o", True), "estimate": ("s", False), "derived": ("o", False), "target": ("x", True)}
_KIND_WORDS = {"actual": "thực hiện", "estimate": "ước thực hiện", "derived": "suy ra từ mức tăng",
               "target": "kế hoạch"}


def plot_series(key: str, points: list[SeriesPoint], out: Path) -> None:
    """Draw the series with matplotlib (Agg, no display needed) into ``out`` (png, svg, pdf)."""
    import matplotlib.pyplot as plt

    fig = draw_series(key, points)
    fmt = out.suffix.lstrip(".").lower() or "png"
    try:
        with atomic_open(out, "wb", encoding=None) as fh:
            fig.savefig(fh, format=fmt)
    except (OSError, ValueError) as e:
        raise OutputError(f"{out}: the chart cannot be written ({e}); use a .png, .svg or .pdf path") from e
    finally:
        plt.close(fig)


def draw_series(key: str, points: list[SeriesPoint]):
    """The chart as a matplotlib figure: one line per district and period type (named in words),
    a marker per kind of point (actual, estimate, derived, target), years as whole numbers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    kinds_seen: set[str] = set()
    for (district, ptype, cls), pts in sorted(best_points(points).items()):
        xs = [p.year for p in pts]
        ys = [p.value for p in pts]
        style = "--" if cls == "target" else "-"
        name = f"{district} · {period_words(ptype)}" + (" · kế hoạch" if cls == "target" else "")
        (line,) = ax.plot(xs, ys, style, label=name)
        colour = line.get_color()
        for p in pts:
            kind = "derived" if p.derived else p.kind
            kinds_seen.add(kind)
            marker, face = _MARKERS[kind]
            ax.plot([p.year], [p.value], linestyle="none", marker=marker, markersize=7, color=colour,
                    markerfacecolor=colour if face else "white")
    handles, _labels = ax.get_legend_handles_labels()
    handles += [Line2D([], [], linestyle="none", marker=_MARKERS[k][0], color="0.3",
                       markerfacecolor="0.3" if _MARKERS[k][1] else "white", label=_KIND_WORDS[k])
                for k in _MARKERS if k in kinds_seen]
    ax.set_title(f"{points[0].indicator if points else key}\n[{key}]", fontsize=10)
    ax.set_xlabel("năm")
    ax.set_ylabel(points[0].unit if points else "")
    years = sorted({p.year for p in points if p.year is not None})
    if years:
        # a one-point series would otherwise get an axis of two centuries around its year
        lo, hi = years[0], years[-1]
        ax.set_xlim(lo - 0.6, hi + 0.6)
        step = max(1, math.ceil((hi - lo + 1) / 12))
        ax.set_xticks(range(lo, hi + 1, step))
        values = [p.value for p in points if p.year is not None]
        if max(values) == min(values):
            pad = abs(values[0]) * 0.1 or 1.0
            ax.set_ylim(values[0] - pad, values[0] + pad)
    ax.xaxis.get_major_formatter().set_useOffset(False)
    ax.grid(alpha=0.3)
    ax.legend(handles=handles, fontsize=8)
    fig.tight_layout()
    return fig
