"""Values implied by stated changes, with the rounding intervals the stated figures allow.

"N trạm (tăng M trạm so với cùng kỳ năm Y)" implies N - M trạm for the same period of year Y;
"đạt P % so với cùng kỳ" implies N / (P / 100). ``derive_values`` turns a document's own
statements into such prior-period records, marked derived.
"""

from __future__ import annotations

from planscan.extract.compare.figures import ComparedDocument, prepare
from planscan.extract.text.units import compatible, unit_class
from planscan.schemas.records import IndicatorRecord


def half_ulp(x: float) -> float:
    """Half a unit in the last written decimal place: the rounding a stated figure allows."""
    s = repr(float(x))
    if "e" in s or "." not in s:
        return 0.5
    dec = s.split(".")[1].rstrip("0")
    return 0.5 * 10 ** -len(dec)


def clean(x: float) -> float:
    """``x`` without the float noise of a unit conversion (4.5000000001 -> 4.5)."""
    return float(round(x, 9))


def implied_priors(base: IndicatorRecord, stmt: IndicatorRecord) -> list[tuple[float, float, float, str]]:
    """The prior value(s) ``stmt`` implies for ``base``'s indicator, each with a rounding
    interval, in ``base``'s unit: [(value, low, high, interpretation)]. Empty if it cannot say."""
    bv, hb = base.value, half_ulp(base.value)
    sv, hs = stmt.value, half_ulp(stmt.value)
    base_is_pct = unit_class(base.unit).family == "percent"
    stmt_is_pct = unit_class(stmt.unit).family == "percent"
    out: list[tuple[float, float, float, str]] = []
    if stmt.kind == "change":
        if not stmt_is_pct or base_is_pct:
            ok, f = compatible(base.unit, stmt.unit) if not stmt_is_pct else (True, 1.0)
            if ok:
                note = "percentage points" if stmt_is_pct else "absolute"
                out.append((bv - sv * f, (bv - hb) - (sv + hs) * f, (bv + hb) - (sv - hs) * f, note))
        if stmt_is_pct:
            lo_r, hi_r = 1 + (sv + hs) / 100, 1 + (sv - hs) / 100
            if lo_r > 0 and hi_r > 0 and 1 + sv / 100 > 0:
                out.append((bv / (1 + sv / 100), (bv - hb) / lo_r, (bv + hb) / hi_r, "relative"))
    elif stmt.kind == "ratio_to_prior" and stmt_is_pct and sv - hs > 0:
        out.append((bv / (sv / 100), (bv - hb) / ((sv + hs) / 100), (bv + hb) / ((sv - hs) / 100), "ratio"))
    elif stmt.kind in ("actual", "estimate"):
        ok, f = compatible(base.unit, stmt.unit)
        if ok:
            out.append((sv * f, (sv - hs) * f, (sv + hs) * f, "stated prior"))
    return out


def _replace_year(period: str | None, old: int | None, new: int) -> str | None:
    if period is None or old is None:
        return period
    return period.replace(str(old), str(new))


def derive_values(records: list[IndicatorRecord]) -> list[IndicatorRecord]:
    """Prior-period figures implied by the document's own change statements, marked derived.

    "N trạm (tăng M trạm so với cùng kỳ năm Y)" gives N - M trạm for the same period of year Y,
    which has the same period type and months as N's.
    """
    return [r for _, r in derive_from(records)]


def derive_from(records: list[IndicatorRecord]) -> list[tuple[int, IndicatorRecord]]:
    """``derive_values`` with the place in ``records`` of the statement each value comes from, so
    a value derived before can be found again after its figures were corrected."""
    out = []
    for f in prepare(ComparedDocument("", records), 0):
        if f.base is None or f.cls not in ("change", "ratio_to_prior"):
            continue
        base = f.base.rec
        priors = implied_priors(base, f.rec)
        if not priors:
            continue
        value = priors[0][0]
        vs_year = f.rec.vs_year or (base.year - 1 if base.year else None)
        if vs_year is None:
            continue
        scale = unit_class(base.unit).factor
        derived = base.model_copy(
            update={
                "value": round(value, 6),
                "year": vs_year,
                "period": _replace_year(base.period, base.year, vs_year),
                "derived": True,
                "vs_year": None,
                "of": None,
                "value_base": round(value * scale, 6) if base.value_base is not None else None,
                "text": f.rec.text,
                "page": f.rec.page,
                "line": f.rec.line,
                "bbox": f.rec.bbox,
                "confidence": round(min(base.confidence, f.rec.confidence) * 0.9, 4),
            }
        )
        out.append((f.idx, derived))
    return out
