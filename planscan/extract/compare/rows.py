"""Year-on-year comparison of documents: one row per indicator, with its cells, change, flags
and stated-change checks, plus a fulfilment row for each target met by a later figure."""

from __future__ import annotations

from collections import Counter

from planscan.extract.compare.checks import aggregate, plan_check, row_checks
from planscan.extract.compare.derived import clean
from planscan.extract.compare.figures import ComparedDocument, Fig, prepare
from planscan.extract.compare.pairing import Group, fulfilment, group
from planscan.extract.indicators.catalogue import sector_of
from planscan.extract.text.fold import fold_words
from planscan.extract.text.units import compatible
from planscan.schemas.comparison import Cell, ComparisonRow, DiffResult


def _cell(f: Fig, name: str, unit: str) -> tuple[Cell, bool]:
    ok, factor = compatible(unit, f.rec.unit)
    factor = factor if ok else 1.0
    return (
        Cell(
            document=name,
            value=clean(f.rec.value * factor),
            stated_value=f.rec.value,
            stated_unit=f.rec.unit,
            year=f.year,
            period=f.rec.period,
            period_type=f.ptype,
            kind=f.rec.kind,
            derived=f.rec.derived,
            indicator=f.rec.indicator,
            page=f.rec.page,
            line=f.rec.line,
            text=f.rec.text,
        ),
        factor != 1.0,
    )


def _row_from_group(g: Group, names: list[str], targets: dict[int, Fig]) -> ComparisonRow:
    tail = g.tail
    unit = tail.rec.unit
    cells: list[Cell | None] = [None] * len(names)
    flags = set(g.flags)
    for d, f in g.members.items():
        cell, converted = _cell(f, names[d], unit)
        cells[d] = cell
        if converted:
            flags.add("unit-converted")
        if f.rec.kind == "estimate":
            flags.add("estimate")
        if f.rec.derived:
            flags.add("derived")
        if f.ptype is None:
            flags.add("period-unknown")
    present = [c for c in cells if c is not None]
    change = change_pct = None
    if len(present) >= 2:
        prev, last = present[-2], present[-1]
        change = clean(last.value - prev.value)
        change_pct = clean(100 * change / prev.value) if prev.value else None
        years = [c.year for c in (prev, last)]
        if None not in years and years[1] - years[0] > 1:
            flags.add("year-gap")
    else:
        flags.add("only-in-one-document")
    key = next((f.key for f in g.members.values() if f.catalogued), tail.key)
    checks = row_checks(g, names, unit, targets)
    return ComparisonRow(
        key=key,
        label=tail.rec.indicator,
        unit=unit,
        row_class=g.cls,  # type: ignore[arg-type]
        cells=cells,
        change=change,
        change_pct=change_pct,
        flags=sorted(flags),
        checks=checks,
        consistency=aggregate(checks),
        score=round(g.scores[-1], 1) if g.scores else None,
    )


def _fulfilment_row(t: Fig, a: Fig, score: float, mismatch: bool, names: list[str]) -> ComparisonRow:
    cells: list[Cell | None] = [None] * len(names)
    tcell, _ = _cell(t, names[t.doc], t.rec.unit)
    acell, converted = _cell(a, names[a.doc], t.rec.unit)
    cells[t.doc] = tcell
    cells[a.doc] = acell
    flags = {"target"} | ({"unit-converted"} if converted else set()) | ({"period-mismatch"} if mismatch else set())
    if a.rec.kind == "estimate":
        flags.add("estimate")
    pct = clean(100 * acell.value / tcell.value) if tcell.value else None
    checks = [plan_check(a, st, t, names, t.rec.unit) for st in a.statements if st.cls == "ratio_to_plan"]
    return ComparisonRow(
        key=t.key if t.catalogued else a.key,
        label=t.rec.indicator,
        unit=t.rec.unit,
        row_class="fulfilment",
        cells=cells,
        change=clean(acell.value - tcell.value),
        change_pct=clean(pct - 100) if pct is not None else None,
        fulfilment_pct=pct,
        flags=sorted(flags),
        checks=checks,
        consistency=aggregate(checks),
        score=round(score, 1),
    )


def _warnings(docs: list[ComparedDocument]) -> list[str]:
    out = []
    districts = {}
    for d in docs:
        if d.meta and d.meta.district:
            districts.setdefault(fold_words(d.meta.district), (d.meta.district, d.name))
    if len(districts) > 1:
        listed = ", ".join(f"{v[0]} ({v[1]})" for v in districts.values())
        out.append(f"the documents are from different districts: {listed}; pairs compare different places")
    sectors = {}
    for d in docs:
        counts = Counter(s for s in (sector_of(r.key) for r in d.records) if s)
        if counts:
            top, n = counts.most_common(1)[0]
            if n * 2 >= sum(counts.values()):
                sectors[d.name] = top
    if len(set(sectors.values())) > 1:
        listed = ", ".join(f"{s} ({n})" for n, s in sectors.items())
        out.append(f"the documents cover different sectors: {listed}; few indicators will pair")
    return out


def _doc_time(doc: ComparedDocument) -> tuple:
    """When a document speaks: its date, else its report year, else its figures' usual year."""
    m = doc.meta
    if m is not None and m.date:
        return (m.date[:4], m.date)
    if m is not None and m.report_year:
        return (str(m.report_year), "")
    years = sorted(r.year for r in doc.records if r.year and r.kind in ("actual", "estimate"))
    return (str(years[len(years) // 2]), "") if years else ("", "")


def compare_documents(docs: list[ComparedDocument]) -> DiffResult:
    """Compare documents oldest first (inputs given newest first are put in order, with a warning):
    one row per indicator, with stated-change checks."""
    times = [_doc_time(d) for d in docs]
    order_warning = []
    if all(t[0] for t in times) and times != sorted(times):
        docs = [d for _, _, d in sorted(((t, i, d) for i, (t, d) in enumerate(zip(times, docs))), key=lambda x: (x[0], x[1]))]
        order_warning = ["the inputs were not oldest first; compared in the order " + ", ".join(d.name for d in docs)]
    names = [d.name for d in docs]
    all_figs = [prepare(d, i) for i, d in enumerate(docs)]
    groups = group(all_figs)
    groups.sort(key=lambda g: min((f.doc, f.pos) for f in g.members.values()))
    pairs = fulfilment(all_figs)
    targets = {id(a): t for t, a, _s, _m in pairs}
    rows = [_row_from_group(g, names, targets) for g in groups]
    rows += [_fulfilment_row(t, a, score, mismatch, names) for t, a, score, mismatch in pairs]
    return DiffResult(documents=names, warnings=order_warning + _warnings(docs), rows=rows)
