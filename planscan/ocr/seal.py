"""Round official seals (con dấu) on a grey page: found by their ring, and their ink removed.

A seal is stamped over the print in a lighter ink than the print's (a red or blue seal on a grey
scan becomes a mid grey). Under it, digits are lost to OCR twice: its ring and letters merge with
their strokes, and a ring arc that touches a digit joins it into one stroke running through the
cell, which the cell clean-up drops as a mark. So seals are removed on the grey page, before it is
binarised: inside a seal's disc only ink darker than the seal's own grey is kept (with its stroke
edges) and the table rules crossing it; the rest becomes paper.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from planscan.ocr.clean import ink_splits

# Official seals are about 30-45 mm across; the bounds leave room for small and large ones.
MIN_RADIUS_IN = 0.3
MAX_RADIUS_IN = 1.2
# Rings are looked for at this resolution: a ring is several pixels wide there and the search cheap.
WORK_DPI = 75
# A ring covers this share of its circle (print crossing it and worn ink break it up) ...
RING_COVER = 0.55
# ... and the circle just outside it at most this share of the ring's own cover: a circle that
# crosses a block of text or a grid finds ink everywhere, inside and outside alike.
OUTSIDE_SHARE = 0.5
# Rules are straight ink runs longer than any chord of a ring band (a ring 0.04 in wide and
# 1.2 in in radius has straight runs of at most about 0.6 in).
RULE_IN = 0.75
ANGLES = 360
# A seal's ring and letters are drawn with strokes at least this wide (inches); a thin stroke of
# regular print is narrower.
SEAL_STROKE_IN = 0.022
# A ring's ink reaches this far (inches) either side of its middle line, blur included.
RIM_IN = 0.04


@dataclass(frozen=True)
class Seal:
    x: float  # centre and radius of the outer ring's middle line, in page pixels
    y: float
    radius: float


def _splits(gray: np.ndarray) -> tuple[float, float] | None:
    # A page with a seal has plenty of ink; a few specks make no split.
    return ink_splits(gray, min_dark=64)


def _rules(ink: np.ndarray, dpi: int) -> np.ndarray:
    """Pixels of long straight horizontal or vertical ink runs (table rules)."""
    n = max(9, int(RULE_IN * dpi))
    h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1)))
    v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, n)))
    return cv2.bitwise_or(h, v)


def _lighter_ink(gray: np.ndarray, dpi: int, t: float, t2: float) -> np.ndarray:
    """Mask (255) of ink lighter than the print and away from it: a seal's, a stain's, the blurred
    edge of a worn stroke far from its core. Rules are left out."""
    ink = (gray < t).astype(np.uint8) * 255
    # Smoothed, so that the grain of a seal's ink does not pass for print cores all along its ring.
    core = (cv2.GaussianBlur(gray, (0, 0), max(0.5, dpi / 200)) <= t2).astype(np.uint8)
    k = 2 * max(1, dpi // 60) + 1  # a stroke's blurred edge lies within this of its core
    near = cv2.dilate(core, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    rules = cv2.dilate(_rules(ink, dpi), np.ones((k, k), np.uint8))
    ink[(near > 0) | (rules > 0)] = 0
    return ink


def _cover(mask: np.ndarray, x: float, y: float, r: float, band: float) -> float:
    """Share of the circle's angles at which ``mask`` has ink within ``band`` of radius ``r``."""
    a = np.linspace(0, 2 * np.pi, ANGLES, endpoint=False)[:, None]
    d = np.arange(-band, band + 1e-6, 0.5)[None, :]
    px = np.rint(x + (r + d) * np.cos(a)).astype(int)
    py = np.rint(y + (r + d) * np.sin(a)).astype(int)
    h, w = mask.shape
    ok = (px >= 0) & (px < w) & (py >= 0) & (py < h)
    hit = np.zeros(px.shape, bool)
    hit[ok] = mask[py[ok], px[ok]] > 0
    return float(hit.any(axis=1).mean())


def _is_ring(mask: np.ndarray, x: float, y: float, r: float, band: float) -> bool:
    c = _cover(mask, x, y, r, band)
    return c >= RING_COVER and _cover(mask, x, y, r + 3 * band + 1, band) <= OUTSIDE_SHARE * c


def _fit(points: tuple[np.ndarray, np.ndarray], x: float, y: float, r: float, width: float
         ) -> tuple[float, float, float] | None:
    """The circle fitted (least squares) to the ink near a proposed one: a Hough centre can be some
    pixels off, more than a ring is wide."""
    py, px = points
    for w in (3 * width, 2 * width, width):
        sel = np.abs(np.hypot(px - x, py - y) - r) <= w
        if np.count_nonzero(sel) < 20:
            return None
        qx, qy = px[sel].astype(np.float64), py[sel].astype(np.float64)
        a = np.column_stack([2 * qx, 2 * qy, np.ones_like(qx)])
        (x, y, c), *_ = np.linalg.lstsq(a, qx * qx + qy * qy, rcond=None)
        r = float(np.sqrt(max(c + x * x + y * y, 0.0)))
    return float(x), float(y), r


def find_seals(gray: np.ndarray, dpi: int) -> list[Seal]:
    """The round seals on a grey page (upright or not: a ring is a ring), outermost ring each."""
    splits = _splits(gray)
    if splits is None:
        return []
    t, t2 = splits
    f = min(1.0, WORK_DPI / dpi)
    light = _lighter_ink(gray, dpi, t, t2)
    small = cv2.resize(light, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    mask = (small >= 64).astype(np.uint8) * 255
    rmin, rmax = MIN_RADIUS_IN * dpi * f, MAX_RADIUS_IN * dpi * f
    band = max(1.0, 0.02 * dpi * f)  # a ring's width and the wobble of a hand-pressed stamp
    # The gradient-pair variant: a few proposals on a noisy page (the classic one gives hundreds),
    # each checked below; its loose roundness bar lets a ring broken by print through.
    found = cv2.HoughCircles(cv2.GaussianBlur(mask, (5, 5), 0), cv2.HOUGH_GRADIENT_ALT, dp=1, minDist=rmin,
                             param1=300, param2=0.2, minRadius=int(rmin), maxRadius=int(rmax))
    points = np.nonzero(mask)
    seals: list[tuple[float, float, float]] = []
    for x, y, r in (found[0] if found is not None else []):
        if any(np.hypot(x - sx, y - sy) < sr for sx, sy, sr in seals):
            continue
        fit = _fit(points, float(x), float(y), float(r), band)
        if fit is None or not rmin <= fit[2] <= rmax or not _is_ring(mask, *fit, band):
            continue
        x, y, r = fit
        # The proposal may be an inner ring: the seal reaches out to its outermost ring.
        outer = [q for q in np.arange(r + 2 * band, min(rmax, 1.6 * r) + 1e-6, 0.5) if _is_ring(mask, x, y, q, band)]
        r = float(max(outer, default=r))
        seals = [s for s in seals if np.hypot(x - s[0], y - s[1]) >= r]
        seals.append((x, y, r))
    return [Seal(x / f, y / f, r / f) for x, y, r in seals]


def remove_seals(gray: np.ndarray, dpi: int, seals: list[Seal] | None = None) -> np.ndarray:
    """The page with the ink of its seals (found, unless given) made paper; the print and rules
    under a seal stay. A page without a seal is returned as it is."""
    seals = find_seals(gray, dpi) if seals is None else seals
    splits = _splits(gray) if seals else None
    if splits is None:
        return gray
    t, _ = splits
    out = gray.copy()
    for s in seals:
        r = s.radius + RIM_IN * dpi
        x0, y0 = max(0, int(s.x - r)), max(0, int(s.y - r))
        x1, y1 = min(gray.shape[1], int(s.x + r) + 1), min(gray.shape[0], int(s.y + r) + 1)
        crop = out[y0:y1, x0:x1]
        yy, xx = np.ogrid[y0:y1, x0:x1]
        d = np.sqrt((xx - s.x) ** 2 + (yy - s.y) ** 2)
        disc = d <= r
        # Rules are told by their length, so they are looked for beyond the disc.
        m = int(RULE_IN * dpi)
        ex0, ey0 = max(0, x0 - m), max(0, y0 - m)
        around = (gray[ey0: y1 + m, ex0: x1 + m] < t).astype(np.uint8) * 255
        rules = _rules(around, dpi)[y0 - ey0: y1 - ey0, x0 - ex0: x1 - ex0] > 0
        ink = disc & (crop < t)
        ring = ink & ~rules & (np.abs(d - s.radius) <= RIM_IN * dpi / 2)
        if np.count_nonzero(ring) < 20:
            continue
        keep = _print_under(crop, dpi, t, ink, ring) | rules
        crop[disc & ~keep] = 255
    return out


def _print_under(crop: np.ndarray, dpi: int, t: float, ink: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Which pixels of a seal's region are print. Print darker than the seal's own grey (measured
    on its ring, the one part sure to be seal) is print whatever its shape, grown back to the
    stroke's edge; lighter ink is the seal's only where it is as wide as a seal's stroke, since a
    thin stroke of a worn copy's print can be as light as the seal."""
    smooth = cv2.GaussianBlur(crop, (0, 0), max(0.5, dpi / 300))
    level = float(np.median(smooth[ring]))
    spread = float(np.median(np.abs(smooth[ring].astype(np.float32) - level)))
    # The two classes of ink in the disc, but never closer to the seal than its own spread: over
    # blank paper the disc holds the seal alone, and Otsu would split the seal in two.
    otsu, _ = cv2.threshold(smooth[ink].reshape(1, -1), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    split = min(float(otsu), level - 2 * max(spread, 2.0))
    seed = (smooth <= split).astype(np.uint8)
    # A seed smaller than a full stop's core is the seal's grain, not print.
    n, labels, stats, _ = cv2.connectedComponentsWithStats(seed, connectivity=8)
    small = np.nonzero(stats[:, cv2.CC_STAT_AREA] < max(3, int(8 * (dpi / 300) ** 2)))[0]
    seed[np.isin(labels, small)] = 0
    k = 2 * max(1, dpi // 150) + 1
    dark = cv2.dilate(seed, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))) > 0
    light = ((crop < t) & ~dark).astype(np.uint8)
    w = max(3, int(SEAL_STROKE_IN * dpi) | 1)
    wide = cv2.morphologyEx(light, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (w, w)))
    # The seal stroke's blurred edge goes with it.
    seal = cv2.dilate(wide, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k + 2, k + 2))) > 0
    keep = ((crop < t) & (dark | ~seal)).astype(np.uint8)
    # Crumbs of the seal (its grain darker than the split, the frayed ends of its strokes) are
    # smaller than a full stop and lie against what was removed.
    n, labels, stats, _ = cv2.connectedComponentsWithStats(keep, connectivity=8)
    near = cv2.dilate(seal.astype(np.uint8), np.ones((k, k), np.uint8)) > 0
    crumbs = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] < (0.03 * dpi) ** 2]
    if crumbs:
        touching = np.unique(labels[near & (labels > 0)])
        keep[np.isin(labels, np.intersect1d(crumbs, touching))] = 0
    return keep > 0
