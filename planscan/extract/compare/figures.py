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

import numpy as np
from rapidfuzz import fuzz, process

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


@lru_cache(maxsize=65536)  # a records file repeats its labels
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
    qualifies in the same document.

    Only figures within ``LINK_WINDOW`` places of each other are weighed (every figure of any real
    plan), so a records file of any length links in linear time; within the window the choice is
    the best score, found by weighing candidates in order of an upper bound computed for all of
    them at once (``fuzz.ratio`` in C) and stopping when no unweighed one can win."""
    levels = [f for f in figs if f.cls == "level"]
    if not levels:
        return
    lv = _LevelArrays(levels)
    statements = [f for f in figs if f.cls in ("change", "ratio_to_prior", "ratio_to_plan")]
    st_idx = np.array([f.idx for f in statements], dtype=int)
    st_year = np.array([_year(f.year) for f in statements], dtype=int)
    for s, e, lo, hi in lv.blocks(st_idx):
        ratio = lv.ratios([f.norm for f in statements[s:e]], lo, hi)
        dist_m = st_idx[s:e, None] - lv.idx[None, lo:hi]
        ok_m = (np.abs(dist_m) <= LINK_WINDOW) & (lv.year[None, lo:hi] == st_year[s:e, None])
        for k, f in enumerate(statements[s:e]):
            relative_pct = unit_class(f.rec.unit).family == "percent"
            # an extractor may give a bare "tỷ lệ" or "tăng" as the label: then position decides
            generic = len(f.norm.split()) <= 2
            mask = ok_m[k]
            if f.ptype is not None:
                mask = mask & lv.comparable_to(f.ptype)[lo:hi]
            if f.cls == "change" and not relative_pct:
                mask = mask & lv.compatible_with(f.rec.unit)[lo:hi]
            cols = mask.nonzero()[0]
            if not len(cols):
                continue
            cand, dist = cols + lo, dist_m[k, cols]
            bound = (np.minimum(100.0, 0.5 * ratio[k, cols] + 50.0) + 25.0 * lv.same_key(f.key, cand)
                     - 2.0 * np.minimum(np.abs(dist), 10) - 6.0 * (dist < 0))
            if generic:
                bound += np.where((dist >= 1) & (dist <= 3), 60.0 - 10.0 * dist, 0.0)
            best = _best(cand, bound, lambda c: _statement_score(f, levels[c], generic, relative_pct))
            if best is not None:
                f.base = levels[best]
                levels[best].statements.append(f)
    # "tăng từ A (cùng kỳ năm Y) lên B": the older figure is a statement about the prior period
    for s, e, lo, hi in lv.blocks(lv.idx):
        ratio = lv.ratios(list(lv.norms[s:e]), lo, hi)
        rows, cols = slice(s, e), slice(lo, hi)
        # what holds whatever was linked before: a later year, the same period type, a unit it
        # converts to, and the same key or a label similarity of 92 (which needs a ratio of 84:
        # it is half ratio, half word-set)
        static = ((lv.year[None, cols] > lv.year[rows, None]) & (lv.ptype[None, cols] == lv.ptype[rows, None])
                  & lv.unit_table[lv.unit[rows]][:, lv.unit[cols]]
                  & (np.abs(lv.idx[None, cols] - lv.idx[rows, None]) <= LINK_WINDOW)
                  & ((ratio >= 84.0 - _EPS) | (lv.key[None, cols] == lv.key[rows, None])))
        static[np.arange(e - s), np.arange(s, e) - lo] = False
        for k in static.any(axis=1).nonzero()[0]:
            i = s + int(k)
            f = levels[i]
            if f.year is None or f.base is not None:
                continue
            found = (static[k] & ~lv.has_base[cols]).nonzero()[0]
            if not len(found):
                continue
            cand = found + lo
            bound = np.minimum(100.0, 0.5 * ratio[k, found] + 50.0) - 0.5 * np.abs(lv.idx[cand] - f.idx)
            best = _best(cand, bound, lambda c: _prior_score(f, levels[c]))
            if best is not None:
                f.base = levels[best]
                levels[best].statements.append(f)
                lv.has_base[i] = True


LINK_WINDOW = 400
_BLOCK = 256
_EPS = 1e-3
_NO_YEAR = -(10**9)


def _year(y: int | None) -> int:
    return _NO_YEAR if y is None else y


def _best(cand: np.ndarray, bound: np.ndarray, score) -> int | None:
    """The candidate of highest ``score`` (the earliest on a tie, as a scan in order finds it),
    scoring candidates by decreasing ``bound`` (an upper bound of their score) until none can win."""
    best, best_score = None, -math.inf
    for k in np.argsort(-bound, kind="stable"):
        if bound[k] + _EPS < best_score:
            break
        c = int(cand[k])
        s = score(c)
        if s is not None and (s > best_score or (s == best_score and c < best)):
            best, best_score = c, s
    return best


def _statement_score(f: Fig, c: Fig, generic: bool, relative_pct: bool) -> float | None:
    """How well level figure ``c`` fits as the base of statement ``f``; None when it cannot be."""
    lab = label_similarity(c.norm, f.norm) + (25 if c.key == f.key and c.catalogued else 0)
    dist = f.idx - c.idx
    # "đạt N % so với cùng kỳ" qualifies a flow or a stock, hardly ever a rate
    pct_on_rate = relative_pct and unit_class(c.rec.unit).family == "percent" and f.cls != "change"
    near = 1 <= dist <= (3 if generic else 2) and not pct_on_rate
    if near and f.rec.line and c.rec.line:
        # with line numbers, "near" means the same sentence: the same or the next line
        near = f.rec.page == c.rec.page and 0 <= f.rec.line - c.rec.line <= 1
    if lab < LINK_THRESHOLD and not (near and (generic or lab >= 40)):
        return None
    s = lab - 2 * min(abs(dist), 10) - (6 if dist < 0 else 0) - (25 if pct_on_rate else 0)
    if generic and near:
        s += 60 - 10 * dist
    return s


def _prior_score(f: Fig, c: Fig) -> float | None:
    lab = label_similarity(c.norm, f.norm)
    if not (c.key == f.key or lab >= 92):
        return None
    return lab - abs(c.idx - f.idx) * 0.5


class _LevelArrays:
    """The level figures' fields as arrays, for weighing many candidates at once."""

    def __init__(self, levels: list[Fig]):
        self.levels = levels
        self.idx = np.array([f.idx for f in levels])
        self.year = np.array([_year(f.year) for f in levels])
        self._ptypes: dict[str | None, int] = {}
        self.ptype = np.array([self.ptype_id(f.ptype) for f in levels])
        self._units: dict[str, int] = {}
        self.unit = np.array([self._units.setdefault(f.rec.unit, len(self._units)) for f in levels])
        # [figure's unit, candidate's unit]: whether the candidate's converts to the figure's
        self.unit_table = np.array([[compatible(c, u)[0] for c in self._units] for u in self._units], dtype=bool)
        self._keys: dict[str, int] = {}
        self.key = np.array([self._keys.setdefault(f.key, len(self._keys)) for f in levels])
        self.catalogued = np.array([f.catalogued for f in levels])
        self.norms = np.array([f.norm for f in levels], dtype=object)
        self.has_base = np.array([f.base is not None for f in levels])
        self._cache: dict[tuple, np.ndarray] = {}

    def ptype_id(self, ptype: str | None) -> int:
        return self._ptypes.setdefault(ptype, len(self._ptypes))

    def blocks(self, idx: np.ndarray):
        """(start, end, lo, hi): runs of ``_BLOCK`` figures (``idx`` ascending) and the slice of
        levels within ``LINK_WINDOW`` places of any of them, weighed together as one matrix."""
        for s in range(0, len(idx), _BLOCK):
            e = min(s + _BLOCK, len(idx))
            lo = int(np.searchsorted(self.idx, idx[s] - LINK_WINDOW, "left"))
            hi = int(np.searchsorted(self.idx, idx[e - 1] + LINK_WINDOW, "right"))
            yield s, e, lo, hi

    def ratios(self, norms: list[str], lo: int, hi: int) -> np.ndarray:
        return process.cdist(norms, self.norms[lo:hi], scorer=fuzz.ratio, workers=1).astype(float)

    def comparable_to(self, ptype: str) -> np.ndarray:
        key = ("ptype", ptype)
        if key not in self._cache:
            ok = {p: comparable(p, ptype)[0] for p in self._ptypes}
            self._cache[key] = np.array([ok[f.ptype] for f in self.levels])
        return self._cache[key]

    def compatible_with(self, unit: str) -> np.ndarray:
        key = ("unit", unit)
        if key not in self._cache:
            ok = np.array([compatible(u, unit)[0] for u in self._units])
            self._cache[key] = ok[self.unit]
        return self._cache[key]

    def same_key(self, key: str, cand: np.ndarray, catalogued_only: bool = True) -> np.ndarray:
        k = self._keys.get(key, -1)
        same = self.key[cand] == k
        return same & self.catalogued[cand] if catalogued_only else same

