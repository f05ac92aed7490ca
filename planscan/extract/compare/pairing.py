"""Pairing figures across documents into rows.

Rules (why they are what they are):
- Only figures of one class pair (see ``figures._CLASS``); a pair with an estimate is flagged
  ``estimate`` by the row. A target is also compared with the level figure of its own year, in
  a separate ``fulfilment`` pairing.
- Only the same period type pairs (H1 with H1, Y with Y); a mid-year point in time (M6) may pair
  with H1, flagged ``period-mismatch`` (``periods.comparable``). Year-on-year pairs need the
  newer figure's year to be later.
- Units must be compatible (``units.compatible``): money converts, "%" never meets a count.
- The score is accent-insensitive RapidFuzz label similarity, plus agreement of catalogue keys,
  denominators ("a/b xã") and magnitude. Pairs are assigned one-to-one, best score first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from planscan.extract.compare.figures import ComparedDocument, Fig, content_free, label_similarity, prepare
from planscan.extract.text.periods import comparable
from planscan.extract.text.units import compatible, unit_class

PAIR_THRESHOLD = 75.0


def pair_score(a: Fig, b: Fig, same_year: bool = False) -> tuple[float, bool] | None:
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
    if not same_key and (content_free(a.norm) or content_free(b.norm)):
        return None  # "Tỷ lệ", "Số xã": a damaged label says too little to pair on
    s = label_similarity(a.norm, b.norm)
    if a.key == b.key:
        s += 25 if a.catalogued else 10
    elif a.catalogued and b.catalogued:
        s -= 30
    ua, ub = unit_class(a.rec.unit), unit_class(b.rec.unit)
    if ua.family == "rate" and ua.unit == ub.unit:
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
class Group:
    """The figures of one row: at most one per document, oldest first."""

    cls: str
    members: dict[int, Fig] = field(default_factory=dict)
    scores: list[float] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def tail(self) -> Fig:
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


def group(all_figs: list[list[Fig]]) -> list[Group]:
    """Year-on-year rows: each document's figures join the best-matching row of the ones before."""
    groups: list[Group] = []
    for figs in all_figs:
        forming = [f for f in figs if f.base is None]
        cands = []
        for gi, g in enumerate(groups):
            a = g.tail
            for fi, b in enumerate(forming):
                if a.cls != b.cls:
                    continue
                sc = pair_score(a, b)
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
                groups.append(Group(b.cls, {b.doc: b}))
    return groups


def fulfilment(all_figs: list[list[Fig]]) -> list[tuple[Fig, Fig, float, bool]]:
    """(target, level figure of its year in another document, score, period-mismatch) pairs."""
    targets = [f for figs in all_figs for f in figs if f.cls == "target"]
    levels = [f for figs in all_figs for f in figs if f.cls == "level" and f.base is None]
    cands = []
    for ti, t in enumerate(targets):
        for li, a in enumerate(levels):
            if a.doc == t.doc:
                continue
            sc = pair_score(t, a, same_year=True)
            if sc is not None:
                cands.append((sc[0], ti, li, sc[1]))
    return [(targets[ti], levels[li], s, m) for s, ti, li, m in _greedy(cands)]


def paired_indices(docs: list[ComparedDocument], old: int = 0, new: int = 1) -> set[tuple[int, int]]:
    """Record indices (old, new) paired in year-on-year rows, for tests and the benchmark."""
    pairs = set()
    for g in group([prepare(d, i) for i, d in enumerate(docs)]):
        if old in g.members and new in g.members:
            pairs.add((g.members[old].idx, g.members[new].idx))
    return pairs
