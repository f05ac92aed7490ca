"""Year-on-year comparison: pair indicators across documents, derive prior values from stated
changes, and check each newer document's statements against the older document's figures.

Pairing rules (why they are what they are):
- Only figures of one class pair: levels (actual and estimate together, because mid-year plans
  report most flows as "ước đạt" and the next year's plan reports the same flow the same way;
  a pair with an estimate is flagged ``estimate``), targets with targets, and each relative kind
  with itself. A target is also compared with the level figure of its own year, in a separate
  ``fulfilment`` row.
- Only the same period type pairs (H1 with H1, Y with Y); a mid-year point in time (M6) may pair
  with H1, flagged ``period-mismatch``. Year-on-year pairs need the newer figure's year to be
  later.
- Units must be compatible (``unitfamily.compatible``): money converts, "%" never meets a count.
- The score is accent-insensitive RapidFuzz label similarity, plus agreement of catalogue keys,
  denominators ("a/b xã") and magnitude. Pairs are assigned one-to-one, best score first.

A newer document also speaks about the older period: "tăng M trạm so với cùng kỳ năm Y",
"đạt N % so với cùng kỳ", or "tăng từ A (cùng kỳ năm Y) lên B". Each such statement is
linked to the figure it qualifies, turned into an implied prior value with a rounding interval,
and checked against the older document's own figure in the same row.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from planscan.extract.indicators.catalogue import sector_of
from planscan.extract.indicators.keys import fold, indicator_key, normalise_label
from planscan.extract.text.periodtype import comparable, period_type, year_of
from planscan.extract.text.unitfamily import compatible, unit_info
from planscan.schemas.comparison import Cell, ComparisonRow, DiffResult, StatedCheck
from planscan.schemas.records import DocumentMeta, IndicatorRecord

PAIR_THRESHOLD = 75.0
_NUMBERS = re.compile(r"\d+(?:[.,/]\d+)*\s*%?")
LINK_THRESHOLD = 55.0
_CLASS = {
    "actual": "level",
    "estimate": "level",
    "target": "target",
    "change": "change",
    "ratio_to_prior": "ratio_to_prior",
    "ratio_to_plan": "ratio_to_plan",
}


@dataclass
class ComparedDocument:
    """One input of a comparison: its records (in text order) and, when known, its metadata."""

    name: str
    records: list[IndicatorRecord]
    meta: DocumentMeta | None = None


@dataclass(eq=False)
class _Fig:
    rec: IndicatorRecord
    doc: int
    idx: int
    key: str
    norm: str
    ptype: str | None
    year: int | None
    cls: str
    statements: list["_Fig"] = field(default_factory=list)
    base: "_Fig | None" = None

    @property
    def catalogued(self) -> bool:
        return not self.key.startswith("x_")

    @property
    def pos(self) -> tuple[int, int, int]:
        return (self.rec.page or 0, self.rec.line or 0, self.idx)


@lru_cache(maxsize=8192)
def _key(label: str, unit: str, kind: str) -> str:
    return indicator_key(label, unit, kind)


@lru_cache(maxsize=8192)
def _norm(label: str) -> str:
    # without the unit, so "Tỷ lệ" labels and bare labels compare on their words
    return normalise_label(label)


def _prepare(doc: ComparedDocument, d: int) -> list[_Fig]:
    meta = doc.meta
    report_type = period_type(meta.report_period) if meta and meta.report_period else None
    figs = []
    seen: set[tuple] = set()
    for i, r in enumerate(doc.records):
        # a figure repeated word for word (a summary restating a section) is one statement
        ident = (r.indicator, r.value, r.unit, r.year, r.period, r.kind, r.of, r.derived)
        if ident in seen:
            continue
        seen.add(ident)
        year = r.year if r.year is not None else year_of(r.period)
        ptype = period_type(r.period)
        if ptype is None:
            if meta is not None and year is not None and year == meta.report_year and report_type:
                ptype = report_type
            elif r.kind == "target":
                ptype = "Y"
        norm = _norm(r.indicator)
        if _content_free(norm) and r.text:
            # a damaged label ("Số xã") may sit in a source phrase that still says what is counted
            from_text = _norm(_NUMBERS.sub(" ", r.text))
            if not _content_free(from_text):
                norm = from_text
        figs.append(_Fig(r, d, i, _key(r.indicator, r.unit, r.kind), norm, ptype, year, _CLASS[r.kind]))
    _link_statements(figs)
    return figs


@lru_cache(maxsize=65536)
def label_similarity(a: str, b: str) -> float:
    """0-100 similarity of two normalised labels: half whole-string, half word-set, so a label
    that adds a qualifier ("... và có báo Đảng đọc trong ngày") still scores high."""
    if a == b:
        return 100.0
    r = fuzz.ratio(a, b)
    if min(len(a.split()), len(b.split())) < 3:
        return r  # "tỷ lệ" is a subset of every rate's label: word-set matching would say 100
    return 0.5 * r + 0.5 * fuzz.token_set_ratio(a, b)


def _link_statements(figs: list[_Fig]) -> None:
    """Attach each change/ratio statement, and each restated prior value, to the figure it
    qualifies in the same document."""
    levels = [f for f in figs if f.cls == "level"]
    for f in figs:
        if f.cls not in ("change", "ratio_to_prior", "ratio_to_plan"):
            continue
        best, best_score = None, -math.inf
        relative_pct = unit_info(f.rec.unit).family == "percent"
        # an extractor may give a bare "tỷ lệ" or "tăng" as the label: then position decides
        generic = len(f.norm.split()) <= 2
        for c in levels:
            if c.year != f.year or not comparable(c.ptype, f.ptype)[0] and f.ptype is not None:
                continue
            if f.cls == "change" and not relative_pct and not compatible(c.rec.unit, f.rec.unit)[0]:
                continue
            lab = label_similarity(c.norm, f.norm) + (25 if c.key == f.key and c.catalogued else 0)
            dist = f.idx - c.idx
            # "đạt N % so với cùng kỳ" qualifies a flow or a stock, hardly ever a rate
            pct_on_rate = relative_pct and unit_info(c.rec.unit).family == "percent" and f.cls != "change"
            near = 1 <= dist <= (3 if generic else 2) and not pct_on_rate
            if near and f.rec.line and c.rec.line:
                # with line numbers, "near" means the same sentence: the same or the next line
                near = f.rec.page == c.rec.page and 0 <= f.rec.line - c.rec.line <= 1
            if lab < LINK_THRESHOLD and not (near and (generic or lab >= 40)):
                continue
            s = lab - 2 * min(abs(dist), 10) - (6 if dist < 0 else 0) - (25 if pct_on_rate else 0)
            if generic and near:
                s += 60 - 10 * dist
            if s > best_score:
                best, best_score = c, s
        if best is not None:
            f.base = best
            best.statements.append(f)
    # "tăng từ A (cùng kỳ năm Y) lên B": the older figure is a statement about the prior period
    for f in levels:
        if f.year is None or f.base is not None:
            continue
        best, best_score = None, -math.inf
        for c in levels:
            if c is f or c.year is None or c.year <= f.year or c.base is not None:
                continue
            if c.ptype != f.ptype or not compatible(c.rec.unit, f.rec.unit)[0]:
                continue
            lab = label_similarity(c.norm, f.norm)
            if not (c.key == f.key or lab >= 92):
                continue
            s = lab - abs(c.idx - f.idx) * 0.5
            if s > best_score:
                best, best_score = c, s
        if best is not None:
            f.base = best
            best.statements.append(f)


# Words that name no indicator by themselves ("tỷ lệ", "số", "tổng") and function words.
_EMPTY_WORDS = frozenset(
    "ty le so tong luong cac cua va dat la co duoc tren trong nhung mot chi tieu muc khoang tang giam".split()
)


def _content_free(norm: str) -> bool:
    return sum(1 for w in norm.replace(",", " ").split() if w not in _EMPTY_WORDS) < 2


def _half_ulp(x: float) -> float:
    """Half a unit in the last written decimal place: the rounding a stated figure allows."""
    s = repr(float(x))
    if "e" in s or "." not in s:
        return 0.5
    dec = s.split(".")[1].rstrip("0")
    return 0.5 * 10 ** -len(dec)


def implied_priors(base: IndicatorRecord, stmt: IndicatorRecord) -> list[tuple[float, float, float, str]]:
    """The prior value(s) ``stmt`` implies for ``base``'s indicator, each with a rounding
    interval, in ``base``'s unit: [(value, low, high, interpretation)]. Empty if it cannot say."""
    bv, hb = base.value, _half_ulp(base.value)
    sv, hs = stmt.value, _half_ulp(stmt.value)
    base_is_pct = unit_info(base.unit).family == "percent"
    stmt_is_pct = unit_info(stmt.unit).family == "percent"
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


def derive_values(records: list[IndicatorRecord], meta: DocumentMeta | None = None) -> list[IndicatorRecord]:
    """Prior-period figures implied by the document's own change statements, marked derived.

    "N trạm (tăng M trạm so với cùng kỳ năm Y)" gives N - M trạm for the same period of year Y.
    """
    figs = _prepare(ComparedDocument("", records, meta), 0)
    out = []
    for f in figs:
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
        scale = unit_info(base.unit).scale
        out.append(
            base.model_copy(
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
        )
    return out


def _pair_score(a: _Fig, b: _Fig, same_year: bool = False) -> tuple[float, bool] | None:
    """Score for pairing older ``a`` with newer ``b`` (None: not allowed), and a period flag."""
    ok, mismatch = comparable(a.ptype, b.ptype)
    if not ok:
        return None
    if a.year is not None and b.year is not None:
        if same_year and a.year != b.year or not same_year and b.year <= a.year:
            return None
    uok, factor = compatible(b.rec.unit, a.rec.unit)
    if not uok:
        return None
    same_key = a.key == b.key and a.catalogued
    if not same_key and (_content_free(a.norm) or _content_free(b.norm)):
        return None  # "Tỷ lệ", "Số xã": a damaged label says too little to pair on
    s = label_similarity(a.norm, b.norm)
    if a.key == b.key:
        s += 25 if a.catalogued else 10
    elif a.catalogued and b.catalogued:
        s -= 30
    ua, ub = unit_info(a.rec.unit), unit_info(b.rec.unit)
    if ua.family == "rate" and ua.noun == ub.noun:
        s += 10  # a rate unit such as "người/điểm" is specific evidence, unlike a bare count noun
    if a.rec.of is not None and b.rec.of is not None and a.rec.of != b.rec.of:
        s -= 10
    va, vb = a.rec.value * factor, b.rec.value
    if va > 0 and vb > 0:
        # one year seldom multiplies a figure: the penalty grows with the ratio's order of magnitude.
        # Equal values are weak evidence ("n/n xã" recurs under many indicators), so the bonus is small.
        r = max(va, vb) / min(va, vb)
        s += 3 if r <= 1.3 else -20 * math.log10(r) if r > 2 else 0
    if not same_year and a.year is not None and b.year is not None and b.year - a.year > 1:
        s -= 5 * (b.year - a.year - 1)
    return s, mismatch


@dataclass(eq=False)
class _Group:
    cls: str
    members: dict[int, _Fig] = field(default_factory=dict)
    scores: list[float] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def tail(self) -> _Fig:
        return self.members[max(self.members)]


def _greedy(cands: list[tuple[float, int, int, bool]]) -> list[tuple[float, int, int, bool]]:
    """One-to-one assignment, best score first; ties broken by position for determinism."""
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for c in cands:
        if c[0] < PAIR_THRESHOLD or c[1] in used_a or c[2] in used_b:
            continue
        used_a.add(c[1])
        used_b.add(c[2])
        out.append(c)
    return out


def _group(all_figs: list[list[_Fig]]) -> list[_Group]:
    groups: list[_Group] = []
    for figs in all_figs:
        forming = [f for f in figs if not (f.base is not None)]
        cands = []
        for gi, g in enumerate(groups):
            a = g.tail
            for fi, b in enumerate(forming):
                if a.cls != b.cls:
                    continue
                sc = _pair_score(a, b)
                if sc is not None:
                    cands.append((sc[0], gi, fi, sc[1]))
        matched = set()
        for score, gi, fi, mismatch in _greedy(cands):
            g = groups[gi]
            b = forming[fi]
            g.members[b.doc] = b
            g.scores.append(score)
            if mismatch:
                g.flags.add("period-mismatch")
            matched.add(fi)
        for fi, b in enumerate(forming):
            if fi not in matched:
                groups.append(_Group(b.cls, {b.doc: b}))
    return groups


def _fulfilment(all_figs: list[list[_Fig]]) -> list[tuple[_Fig, _Fig, float, bool]]:
    targets = [f for figs in all_figs for f in figs if f.cls == "target"]
    levels = [f for figs in all_figs for f in figs if f.cls == "level" and f.base is None]
    cands = []
    for ti, t in enumerate(targets):
        for li, a in enumerate(levels):
            if a.doc == t.doc:
                continue
            sc = _pair_score(t, a, same_year=True)
            if sc is not None:
                cands.append((sc[0], ti, li, sc[1]))
    return [(targets[ti], levels[li], s, m) for s, ti, li, m in _greedy(cands)]


def _cell(f: _Fig, name: str, unit: str) -> tuple[Cell, bool]:
    ok, factor = compatible(unit, f.rec.unit)
    factor = factor if ok else 1.0
    return (
        Cell(
            document=name,
            value=_clean(f.rec.value * factor),
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


def _clean(x: float) -> float:
    return float(round(x, 9))


def _plan_check(a: _Fig, st: _Fig, target: _Fig | None, names: list[str], unit: str) -> StatedCheck:
    """"đạt 95 % kế hoạch": the target it implies, checked against the target an earlier plan set."""
    ok, to_row = compatible(unit, a.rec.unit)
    to_row = to_row if ok else 1.0
    check = StatedCheck(document=names[a.doc], statement="ratio_to_plan", stated=st.rec.value,
                        stated_unit=st.rec.unit, vs_year=a.year, text=st.rec.text, status="unverifiable")
    n, hn = st.rec.value, _half_ulp(st.rec.value)
    av, ha = a.rec.value, _half_ulp(a.rec.value)
    if n - hn <= 0:
        check.note = "the statement cannot be turned into a target"
        return check
    check.implied = _clean(av / (n / 100) * to_row)
    check.implied_low = _clean((av - ha) / ((n + hn) / 100) * to_row)
    check.implied_high = _clean((av + ha) / ((n - hn) / 100) * to_row)
    check.note = "implied target"
    if target is None:
        check.note += "; no earlier plan states the target"
        return check
    ok2, f_t = compatible(a.rec.unit, target.rec.unit)
    tv = target.rec.value * (f_t if ok2 else 1.0)
    tol = _half_ulp(target.rec.value) * (f_t if ok2 else 1.0) + 1e-9 * abs(tv)
    check.found = _clean(tv * to_row)
    check.found_document = names[target.doc]
    lo, hi = (av - ha) / ((n + hn) / 100), (av + ha) / ((n - hn) / 100)
    check.status = "consistent" if lo - tol <= tv <= hi + tol else "inconsistent"
    return check


def _checks(g: _Group, names: list[str], unit: str, targets: dict | None = None) -> list[StatedCheck]:
    out = []
    for d in sorted(g.members):
        b = g.members[d]
        ok, to_row = compatible(unit, b.rec.unit)
        to_row = to_row if ok else 1.0
        for st in b.statements:
            if st.cls == "ratio_to_plan":
                out.append(_plan_check(b, st, (targets or {}).get(id(b)), names, unit))
                continue
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
                check.implied, check.implied_low, check.implied_high = _clean(v * to_row), _clean(lo * to_row), _clean(hi * to_row)
                check.note = note
            if not priors:
                check.note = "the statement cannot be turned into a prior value"
            elif not older:
                check.note = (check.note + "; " if check.note else "") + "no earlier document states this figure"
            else:
                o = older[0]
                ok2, f_old = compatible(b.rec.unit, o.rec.unit)
                found = o.rec.value * (f_old if ok2 else 1.0)
                tol = _half_ulp(o.rec.value) * (f_old if ok2 else 1.0) + 1e-9 * abs(found)
                check.found = _clean(found * to_row)
                check.found_document = names[o.doc]
                hits = [p for p in priors if p[1] - tol <= found <= p[2] + tol]
                if hits:
                    check.status = "consistent"
                    check.implied = _clean(hits[0][0] * to_row)
                    check.implied_low, check.implied_high = _clean(hits[0][1] * to_row), _clean(hits[0][2] * to_row)
                    check.note = hits[0][3]
                else:
                    check.status = "inconsistent"
            out.append(check)
    return out


def _aggregate(checks: list[StatedCheck]):
    if not checks:
        return None
    statuses = {c.status for c in checks}
    if "inconsistent" in statuses:
        return "inconsistent"
    if "consistent" in statuses:
        return "consistent"
    return "unverifiable"


def _row_from_group(g: _Group, names: list[str], targets: dict | None = None) -> ComparisonRow:
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
        change = _clean(last.value - prev.value)
        change_pct = _clean(100 * change / prev.value) if prev.value else None
        years = [c.year for c in (prev, last)]
        if None not in years and years[1] - years[0] > 1:
            flags.add("year-gap")
    else:
        flags.add("only-in-one-document")
    key = next((f.key for f in g.members.values() if f.catalogued), tail.key)
    checks = _checks(g, names, unit, targets)
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
        consistency=_aggregate(checks),
        score=round(g.scores[-1], 1) if g.scores else None,
    )


def _warnings(docs: list[ComparedDocument]) -> list[str]:
    out = []
    districts = {}
    for d in docs:
        if d.meta and d.meta.district:
            districts.setdefault(fold(d.meta.district), (d.meta.district, d.name))
    if len(districts) > 1:
        listed = ", ".join(f"{v[0]} ({v[1]})" for v in districts.values())
        out.append(f"the documents are from different districts: {listed}; pairs compare different places")
    sectors = {}
    for d in docs:
        counts = Counter(s for s in (sector_of(_key(r.indicator, r.unit, r.kind)) for r in d.records) if s)
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
    all_figs = [_prepare(d, i) for i, d in enumerate(docs)]
    groups = _group(all_figs)
    groups.sort(key=lambda g: min((f.doc, f.pos) for f in g.members.values()))
    fulfilment = _fulfilment(all_figs)
    targets = {id(a): t for t, a, _s, _m in fulfilment}
    rows = [_row_from_group(g, names, targets) for g in groups]
    for t, a, score, mismatch in fulfilment:
        ok, factor = compatible(t.rec.unit, a.rec.unit)
        cells: list[Cell | None] = [None] * len(names)
        tcell, _ = _cell(t, names[t.doc], t.rec.unit)
        acell, converted = _cell(a, names[a.doc], t.rec.unit)
        cells[t.doc] = tcell
        cells[a.doc] = acell
        flags = {"target"} | ({"unit-converted"} if converted else set()) | ({"period-mismatch"} if mismatch else set())
        if a.rec.kind == "estimate":
            flags.add("estimate")
        pct = _clean(100 * acell.value / tcell.value) if tcell.value else None
        checks = [_plan_check(a, st, t, names, t.rec.unit) for st in a.statements if st.cls == "ratio_to_plan"]
        rows.append(
            ComparisonRow(
                key=t.key if t.catalogued else a.key,
                label=t.rec.indicator,
                unit=t.rec.unit,
                row_class="fulfilment",
                cells=cells,
                change=_clean(acell.value - tcell.value),
                change_pct=_clean(pct - 100) if pct is not None else None,
                fulfilment_pct=pct,
                flags=sorted(flags),
                checks=checks,
                consistency=_aggregate(checks),
                score=round(score, 1),
            )
        )
    return DiffResult(documents=names, warnings=order_warning + _warnings(docs), rows=rows)


def paired_indices(result_docs: list[ComparedDocument], old: int = 0, new: int = 1) -> set[tuple[int, int]]:
    """Record indices (old, new) paired in year-on-year rows, for tests and the benchmark."""
    all_figs = [_prepare(d, i) for i, d in enumerate(result_docs)]
    pairs = set()
    for g in _group(all_figs):
        if old in g.members and new in g.members:
            pairs.add((g.members[old].idx, g.members[new].idx))
    return pairs
