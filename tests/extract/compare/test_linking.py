"""Statement linking: the bounded search gives the links of a plain scan over every pair (the
reference twin below is the linking as it was before it was bounded), and its cost does not
grow with the length of a records file, because only figures within LINK_WINDOW are weighed."""

from __future__ import annotations

import math
import random

from planscan.extract.compare.figures import (LINK_THRESHOLD, LINK_WINDOW, ComparedDocument, label_similarity,
                                              prepare)
from planscan.extract.text.periods import comparable
from planscan.extract.text.units import compatible, unit_class
from planscan.io.records import record_from_dict

_WORDS = "tong san pham luong thuc dien tich trong rung so ho ngheo ty le tre em truong thu ngan sach".split()
_UNITS = ["tấn", "ha", "hộ", "%", "tỷ đồng", "triệu đồng", "km"]
_KINDS = ["actual", "estimate", "target", "change", "ratio_to_prior", "ratio_to_plan"]
_PERIODS = ["năm {y}", "6 tháng đầu năm {y}", "quý I năm {y}", None]


def _reference_links(figs) -> None:
    """The plain scan: every statement against every level figure, then every level against every other."""
    levels = [f for f in figs if f.cls == "level"]
    for f in figs:
        if f.cls not in ("change", "ratio_to_prior", "ratio_to_plan"):
            continue
        best, best_score = None, -math.inf
        relative_pct = unit_class(f.rec.unit).family == "percent"
        generic = len(f.norm.split()) <= 2
        for c in levels:
            if c.year != f.year or not comparable(c.ptype, f.ptype)[0] and f.ptype is not None:
                continue
            if f.cls == "change" and not relative_pct and not compatible(c.rec.unit, f.rec.unit)[0]:
                continue
            lab = label_similarity(c.norm, f.norm) + (25 if c.key == f.key and c.catalogued else 0)
            dist = f.idx - c.idx
            pct_on_rate = relative_pct and unit_class(c.rec.unit).family == "percent" and f.cls != "change"
            near = 1 <= dist <= (3 if generic else 2) and not pct_on_rate
            if near and f.rec.line and c.rec.line:
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


def _random_records(rng: random.Random, n: int) -> list:
    out = []
    for i in range(n):
        y = rng.choice([2019, 2020, 2021, None])
        period = rng.choice(_PERIODS)
        words = rng.sample(_WORDS, rng.randint(1, 5))
        out.append(record_from_dict({
            "indicator": " ".join(words), "value": rng.choice([1, 2.5, 10, 12, 88.9, 100, 3620]),
            "unit": rng.choice(_UNITS), "year": y, "period": period.format(y=y) if period and y else None,
            "kind": rng.choice(_KINDS), "page": 1 + i // 12, "line": rng.choice([0, i % 12]),
            "text": "",
        }))
    return out


def _links(figs) -> list:
    return [(f.idx, f.base.idx if f.base else None) for f in figs]


def test_bounded_search_links_as_the_plain_scan():
    rng = random.Random(12)
    for trial in range(60):
        records = _random_records(rng, rng.randint(2, 90))
        fast = prepare(ComparedDocument("", records), 0)
        plain = prepare(ComparedDocument("", records), 0)
        for f in plain:
            f.base = None
        _reference_links(plain)
        assert _links(fast) == _links(plain), trial


def test_only_figures_within_the_window_are_weighed():
    def doc(gap: int):
        fill = [record_from_dict({"indicator": f"chi tieu khac {k}", "value": k, "unit": "km", "year": 2020,
                                  "kind": "actual", "text": ""}) for k in range(gap)]
        level = record_from_dict({"indicator": "san luong luong thuc co hat", "value": 100, "unit": "tấn",
                                  "year": 2021, "kind": "actual", "text": ""})
        change = record_from_dict({"indicator": "san luong luong thuc co hat", "value": 5, "unit": "tấn",
                                   "year": 2021, "kind": "change", "vs_year": 2020, "text": ""})
        return prepare(ComparedDocument("", [level, *fill, change]), 0)[-1]

    assert doc(LINK_WINDOW - 5).base is not None
    assert doc(LINK_WINDOW + 5).base is None
