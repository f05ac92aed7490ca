"""The figures of one document as comparison sees them, with each statement linked to the
figure it qualifies.

A newer document also speaks about the older period: "tăng M trạm so với cùng kỳ năm Y",
"đạt N % so với cùng kỳ", or "tăng từ A (cùng kỳ năm Y) lên B". Each such statement is linked
here to the figure it qualifies (its ``base``); ``derived`` turns it into an implied prior value
and ``checks`` compares that with the older document's own figure.

Keys, years and period types are read from the records, as extract (or the record reader, for
older files) computed them; only label similarity, which is comparison's own measure, is
computed here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from planscan.extract.indicators.normalise import normalise_label
from planscan.extract.text.periods import comparable
from planscan.extract.text.units import compatible, unit_class
from planscan.schemas.records import DocumentMeta, IndicatorRecord

LINK_THRESHOLD = 55.0
_NUMBERS = re.compile(r"\d+(?:[.,/]\d+)*\s*%?")
# Which figures may pair: levels (actual and estimate together, because mid-year plans report
# most flows as "ước đạt" and the next year's plan reports the same flow the same way), targets
# with targets, and each relative kind with itself.
_CLASS = {
    "actual": "level",
    "estimate": "level",
    "target": "target",
    "change": "change",
    "ratio_to_prior": "ratio_to_prior",
    "ratio_to_plan": "ratio_to_plan",
}
# Words that name no indicator by themselves ("tỷ lệ", "số", "tổng") and function words.
_EMPTY_WORDS = frozenset(
    "ty le so tong luong cac cua va dat la co duoc tren trong nhung mot chi tieu muc khoang tang giam".split()
)


@dataclass
class ComparedDocument:
    """One input of a comparison: its records (in text order) and, when known, its metadata."""

    name: str
    records: list[IndicatorRecord]
    meta: DocumentMeta | None = None


@dataclass(eq=False)
class Fig:
    """One record of one document, with the statements that qualify it."""

    rec: IndicatorRecord
    doc: int
    idx: int
    norm: str  # the label's comparable form, for similarity
    cls: str
    statements: list["Fig"] = field(default_factory=list)
    base: "Fig | None" = None
    # the record's own fields, held here because pairing reads them for every pair of figures
    key: str = field(init=False)
    ptype: str | None = field(init=False)
    year: int | None = field(init=False)

    def __post_init__(self) -> None:
        self.key, self.ptype, self.year = self.rec.key, self.rec.period_type, self.rec.year

    @property
    def catalogued(self) -> bool:
        return not self.key.startswith("x_")

    @property
    def pos(self) -> tuple[int, int, int]:
        return (self.rec.page or 0, self.rec.line or 0, self.idx)


@lru_cache(maxsize=8192)
def _norm(label: str) -> str:
    # without the unit, so "Tỷ lệ" labels and bare labels compare on their words
    return normalise_label(label)


def content_free(norm: str) -> bool:
    """Whether a normalised label says too little to name an indicator ("tỷ lệ", "số xã")."""
    return sum(1 for w in norm.replace(",", " ").split() if w not in _EMPTY_WORDS) < 2


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


def prepare(doc: ComparedDocument, d: int) -> list[Fig]:
    """The figures of document number ``d``, each statement linked to the figure it qualifies."""
    figs = []
    seen: set[tuple] = set()
    for i, r in enumerate(doc.records):
        # a figure repeated word for word (a summary restating a section) is one statement
        ident = (r.indicator, r.value, r.unit, r.year, r.period, r.kind, r.of, r.derived)
        if ident in seen:
            continue
        seen.add(ident)
        norm = _norm(r.indicator)
        if content_free(norm) and r.text:
            # a damaged label ("Số xã") may sit in a source phrase that still says what is counted
            from_text = _norm(_NUMBERS.sub(" ", r.text))
            if not content_free(from_text):
                norm = from_text
        figs.append(Fig(r, d, i, norm, _CLASS[r.kind]))
    _link_statements(figs)
    return figs


def _link_statements(figs: list[Fig]) -> None:
    """Attach each change/ratio statement, and each restated prior value, to the figure it
    qualifies in the same document."""
    levels = [f for f in figs if f.cls == "level"]
    for f in figs:
        if f.cls not in ("change", "ratio_to_prior", "ratio_to_plan"):
            continue
        best, best_score = None, -math.inf
        relative_pct = unit_class(f.rec.unit).family == "percent"
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
            pct_on_rate = relative_pct and unit_class(c.rec.unit).family == "percent" and f.cls != "change"
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
