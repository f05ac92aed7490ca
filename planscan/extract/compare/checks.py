"""Stated-change checks: what a newer document says about the older period, against the older
document's own figure.

Each statement linked to a row's figure ("tăng 8 trạm so với cùng kỳ", "đạt 95 % kế hoạch")
implies a prior value (or a target) with a rounding interval; the check is consistent when the
older document's figure falls inside it, inconsistent when it does not, and unverifiable when
the statement cannot be turned into a value or no earlier document states the figure.
"""

from __future__ import annotations

from planscan.extract.compare.derived import clean, half_ulp, implied_priors
from planscan.extract.compare.figures import Fig
from planscan.extract.compare.pairing import Group
from planscan.extract.text.periods import comparable
from planscan.extract.text.units import compatible
from planscan.schemas.comparison import StatedCheck


def plan_check(a: Fig, st: Fig, target: Fig | None, names: list[str], unit: str) -> StatedCheck:
    """"đạt 95 % kế hoạch": the target it implies, checked against the target an earlier plan set."""
    ok, to_row = compatible(unit, a.rec.unit)
    to_row = to_row if ok else 1.0
    check = StatedCheck(document=names[a.doc], statement="ratio_to_plan", stated=st.rec.value,
                        stated_unit=st.rec.unit, vs_year=a.year, text=st.rec.text, status="unverifiable")
    n, hn = st.rec.value, half_ulp(st.rec.value)
    av, ha = a.rec.value, half_ulp(a.rec.value)
    if n - hn <= 0:
        check.note = "the statement cannot be turned into a target"
        return check
    check.implied = clean(av / (n / 100) * to_row)
    check.implied_low = clean((av - ha) / ((n + hn) / 100) * to_row)
    check.implied_high = clean((av + ha) / ((n - hn) / 100) * to_row)
    check.note = "implied target"
    if target is None:
        check.note += "; no earlier plan states the target"
        return check
    ok2, f_t = compatible(a.rec.unit, target.rec.unit)
    tv = target.rec.value * (f_t if ok2 else 1.0)
    tol = half_ulp(target.rec.value) * (f_t if ok2 else 1.0) + 1e-9 * abs(tv)
    check.found = clean(tv * to_row)
    check.found_document = names[target.doc]
    lo, hi = (av - ha) / ((n + hn) / 100), (av + ha) / ((n - hn) / 100)
    check.status = "consistent" if lo - tol <= tv <= hi + tol else "inconsistent"
    return check


def row_checks(g: Group, names: list[str], unit: str, targets: dict[int, Fig] | None = None) -> list[StatedCheck]:
    """The checks of every statement about a row's figures, in the row's unit; ``targets`` maps
    id(figure) to the earlier target a "đạt N % kế hoạch" is checked against."""
    out = []
    for d in sorted(g.members):
        b = g.members[d]
        ok, to_row = compatible(unit, b.rec.unit)
        to_row = to_row if ok else 1.0
        for st in b.statements:
            if st.cls == "ratio_to_plan":
                out.append(plan_check(b, st, (targets or {}).get(id(b)), names, unit))
                continue
            out.append(_prior_check(g, d, b, st, names, to_row))
    return out


def _prior_check(g: Group, d: int, b: Fig, st: Fig, names: list[str], to_row: float) -> StatedCheck:
    vs_year = st.rec.vs_year if st.cls != "level" else st.year
    if vs_year is None and b.year is not None:
        vs_year = b.year - 1
    statement = {"change": "change", "ratio_to_prior": "ratio_to_prior"}.get(st.cls, "prior_value")
    priors = implied_priors(b.rec, st.rec)
    older = [
        g.members[o]
        for o in sorted(g.members, reverse=True)
        if o < d and g.members[o].year == vs_year and comparable(g.members[o].ptype, b.ptype)[0]
    ]
    check = StatedCheck(
        document=names[d],
        statement=statement,
        stated=st.rec.value,
        stated_unit=st.rec.unit,
        vs_year=vs_year,
        text=st.rec.text,
        status="unverifiable",
    )
    if priors:
        v, lo, hi, note = priors[0]
        check.implied, check.implied_low, check.implied_high = clean(v * to_row), clean(lo * to_row), clean(hi * to_row)
        check.note = note
    if not priors:
        check.note = "the statement cannot be turned into a prior value"
    elif not older:
        check.note = (check.note + "; " if check.note else "") + "no earlier document states this figure"
    else:
        o = older[0]
        ok2, f_old = compatible(b.rec.unit, o.rec.unit)
        found = o.rec.value * (f_old if ok2 else 1.0)
        tol = half_ulp(o.rec.value) * (f_old if ok2 else 1.0) + 1e-9 * abs(found)
        check.found = clean(found * to_row)
        check.found_document = names[o.doc]
        hits = [p for p in priors if p[1] - tol <= found <= p[2] + tol]
        if hits:
            check.status = "consistent"
            check.implied = clean(hits[0][0] * to_row)
            check.implied_low, check.implied_high = clean(hits[0][1] * to_row), clean(hits[0][2] * to_row)
            check.note = hits[0][3]
        else:
            check.status = "inconsistent"
    return check


def aggregate(checks: list[StatedCheck]) -> str | None:
    """A row's consistency: inconsistent if any check is, else consistent if any is."""
    if not checks:
        return None
    statuses = {c.status for c in checks}
    if "inconsistent" in statuses:
        return "inconsistent"
    if "consistent" in statuses:
        return "consistent"
    return "unverifiable"
