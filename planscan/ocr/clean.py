"""OpenCV clean-up of a page image before Tesseract.

Each step is a small function ``step(state) -> None`` registered under a name; ``clean_page`` runs
them in order and any of them can be switched off by name (``OcrSettings.disabled_steps``,
``--no-clean`` for all). A step computes first and then updates the state, so a step that finds
nothing to do leaves the image untouched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import cv2
import numpy as np


@dataclass
class CleanState:
    image: np.ndarray  # uint8 gray (or BGR before the ``colour`` step)
    dpi: int
    rotation: int = 0  # degrees clockwise applied
    skew: float = 0.0  # degrees applied by deskew (counter-clockwise positive, as cv2)
    osd: Callable[[np.ndarray, int], tuple[int, float]] | None = None  # Tesseract OSD, if available
    notes: dict = field(default_factory=dict)


Step = Callable[[CleanState], None]
STEPS: dict[str, Step] = {}


def step(name: str) -> Callable[[Step], Step]:
    def register(fn: Step) -> Step:
        STEPS[name] = fn
        return fn

    return register


def to_gray(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _small(gray: np.ndarray, dpi: int, target: int = 100) -> tuple[np.ndarray, float]:
    f = min(1.0, target / max(dpi, 1))
    if f >= 1.0:
        return gray, 1.0
    return cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA), f


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Binary mask (255 = ink) by Otsu; used for measuring, not for the image Tesseract sees."""
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask


def ink_splits(gray: np.ndarray, min_dark: int = 2) -> tuple[float, float] | None:
    """(ink/paper split, print core/lighter ink split) of a grey page: Otsu, then Otsu among the
    ink; None when fewer than ``min_dark`` pixels are ink."""
    t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    dark = gray[gray < t]
    if dark.size < min_dark:
        return None
    t2, _ = cv2.threshold(dark.reshape(1, -1), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return float(t), float(t2)


# --- colour: seals and coloured ink -------------------------------------------------------------


@step("colour")
def remove_colour(state: CleanState) -> None:
    """Coloured marks (red or blue seals, signatures) become paper; black and grey print stays.

    Taking the brightest channel maps a saturated colour to a light grey, while black ink is dark in
    every channel, so text under a red seal survives.
    """
    img = state.image
    if img.ndim == 3:
        state.image = np.ascontiguousarray(img.max(axis=2))


# --- background and illumination -----------------------------------------------------------------


def background(gray: np.ndarray, dpi: int) -> np.ndarray:
    """Estimate the paper (without ink) as a smooth image: a max filter wider than a stroke, then a blur."""
    small, f = _small(gray, dpi, target=50)
    k = max(3, int(round(small.shape[1] / 60)) | 1)  # wider than any stroke at 50 dpi
    bg = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.medianBlur(bg, k if k <= 255 else 255)
    bg = cv2.GaussianBlur(bg, (0, 0), k / 2)
    return cv2.resize(bg, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)


@step("background")
def normalise_background(state: CleanState) -> None:
    """Divide by the estimated paper so shading, yellowing and dark scan edges become white."""
    gray = to_gray(state.image)
    # In 8 bits with saturation: the same page as float arithmetic to within one grey level, at
    # half the cost.
    state.image = cv2.divide(gray, np.maximum(background(gray, state.dpi), 1), scale=255.0)


def paper_noise(gray: np.ndarray, dpi: int) -> float:
    """Grey-level noise of the blank paper (std in a 5x5 window, at 300 dpi): ~3-4 for an office
    scan, 6 and more for a photocopy of a photocopy or an upsampled low-resolution scan."""
    small, _ = _small(gray, dpi, target=300)
    # The middle of the page holds both paper and print; a crop is enough and ten times quicker.
    h, w = small.shape
    cy, cx, r = h // 2, w // 2, 512
    small = small[max(0, cy - r): cy + r, max(0, cx - r): cx + r]
    t, _ = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    f = small.astype(np.float32)
    mean = cv2.blur(f, (5, 5))
    var = cv2.blur(f * f, (5, 5)) - mean * mean
    paper = cv2.erode((small > t).astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    if not paper.any():
        return 0.0
    return float(np.sqrt(max(float(np.median(var[paper])), 0.0)))


# Above this paper noise a page counts as degraded: it is smoothed and binarised by us, because
# Tesseract's own global threshold then turns noise into specks and marks into accents. A clean
# page is left grey: Tesseract's thresholding keeps fine accents (the hook above) better than ours.
NOISY = 5.0


def is_degraded(state: CleanState) -> bool:
    if "noise" not in state.notes:
        state.notes["noise"] = round(paper_noise(to_gray(state.image), state.dpi), 2)
    return state.notes["noise"] > NOISY


# --- orientation ---------------------------------------------------------------------------------


def line_profile_score(mask: np.ndarray) -> float:
    """How sharply ink falls into horizontal rows (0..2, independent of page size and ink amount)."""
    # cv2.reduce sums the rows in integers several times faster than numpy's float sum, to the same values
    rows = cv2.reduce(mask, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().astype(np.float64)
    return float(np.square(np.diff(rows)).sum() / max(float(np.square(rows).sum()), 1.0))


def _line_mask(gray: np.ndarray, dpi: int, target: int) -> np.ndarray:
    small, _ = _small(gray, dpi, target=target)
    mask = ink_mask(small)
    # Smear ink along the line direction so that each text line becomes one band of ink.
    return cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1)))


def best_angle(mask: np.ndarray, angles) -> tuple[float, float]:
    """(angle, score) of the rotation with the sharpest row profile among ``angles``."""
    scored = [
        (line_profile_score(_rotate(mask, float(a), border=0, interpolation=cv2.INTER_NEAREST)), float(a))
        for a in angles
    ]
    score, angle = max(scored)
    return angle, score


_COARSE = np.arange(-10.0, 10.01, 1.0)  # the whole-degree angles every skew search starts from


def line_direction(gray: np.ndarray, dpi: int) -> tuple[bool, float]:
    """(whether text lines run vertically, the whole-degree skew of horizontal lines).

    Sideways when even the best small rotation gives a sharper column profile than row profile. The
    row search doubles as the coarse stage of ``estimate_skew``, so an upright page pays for it once."""
    small, _ = _small(gray, dpi, target=75)
    mask = ink_mask(small)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1))
    angle, horizontal = best_angle(cv2.dilate(mask, kernel), _COARSE)
    _, vertical = best_angle(cv2.dilate(np.ascontiguousarray(mask.T), kernel), _COARSE)
    return vertical > 1.5 * horizontal, angle


def is_sideways(gray: np.ndarray, dpi: int) -> bool:
    """Text lines run vertically (see ``line_direction``)."""
    return line_direction(gray, dpi)[0]


_ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def rotate_right_angle(image: np.ndarray, degrees_clockwise: int) -> np.ndarray:
    degrees_clockwise %= 360
    return image if degrees_clockwise == 0 else cv2.rotate(image, _ROTATE[degrees_clockwise])


def upright_ratio(gray: np.ndarray, dpi: int) -> float:
    """Ink above the x-height band over ink below it, summed over the text lines.

    Vietnamese sets accents above most syllables and Latin letters have more ascenders than
    descenders, so an upright page gives well above 1 (about 2.5-3) and an upside-down one well
    below (about 0.35). Expects roughly horizontal lines.
    """
    small, _ = _small(gray, dpi, target=150)
    rows = (ink_mask(small) > 0).sum(axis=1).astype(np.float64)
    on = rows > 0.002 * small.shape[1]
    above = below = total = 0.0
    i, n = 0, len(rows)
    while i < n:
        if not on[i]:
            i += 1
            continue
        j = i
        while j < n and on[j]:
            j += 1
        seg = rows[i:j]
        if 6 <= j - i <= 60:  # one line of body text at 150 dpi, not a rule or a picture
            core = np.nonzero(seg >= 0.5 * seg.max())[0]
            above += seg[: core[0]].sum()
            below += seg[core[-1] + 1:].sum()
            total += seg.sum()
        i = j
    # Body text puts about 14 % of its line ink outside the x-height band; capitals, digits or a
    # slight left-over skew give only a few per cent, which says nothing about the direction.
    if above + below < 0.08 * total or above + below < 50:
        return 1.0  # capitals, digits or too little text: no evidence either way
    return above / max(below, 1.0)


@step("orientation")
def fix_orientation(state: CleanState) -> None:
    """Turn the page upright (0/90/180/270).

    Two cheap image measures decide most pages: the projection profile (text lines are horizontal
    rows of ink) tells upright or upside-down from sideways, and the ink above versus below the
    x-height band tells upright from upside-down. Tesseract's OSD is asked only when the second
    measure is unsure, and its answer is kept only when it is confident.
    """
    gray = to_gray(state.image)
    sideways, coarse = line_direction(gray, state.dpi)
    probe = rotate_right_angle(gray, 90) if sideways else gray
    angle = estimate_skew(probe, state.dpi, start=None if sideways else coarse)
    state.notes["skew_after_turn"] = angle
    small, f = _small(probe, state.dpi, target=150)
    ratio = upright_ratio(_rotate(small, angle, interpolation=cv2.INTER_LINEAR), 150)
    state.notes["upright_ratio"] = round(ratio, 2)
    turn = 0
    if ratio <= 1 / 1.5:
        turn = 180
    elif ratio < 1.5 and state.osd is not None:
        h = probe.shape[0]
        osd_small, f = _small(probe[h // 4: 3 * h // 4], state.dpi, target=150)
        osd_turn, conf = state.osd(osd_small, max(1, int(round(state.dpi * f))))
        state.notes["osd"] = (osd_turn, conf)
        # OSD's 90/270 answers on a page the profile calls horizontal are its usual failure mode.
        if conf >= 1.0 and osd_turn in (0, 180):
            turn = osd_turn
    rotation = ((90 if sideways else 0) + turn) % 360  # a half turn keeps the skew angle
    if rotation:
        state.image = rotate_right_angle(state.image, rotation)
    state.rotation = (state.rotation + rotation) % 360


# --- deskew --------------------------------------------------------------------------------------


def _rotate(image: np.ndarray, angle: float, border: int | tuple = 255, interpolation: int = cv2.INTER_LINEAR) -> np.ndarray:
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=interpolation, borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def estimate_skew(gray: np.ndarray, dpi: int, limit: float = 10.0, start: float | None = None) -> float:
    """Angle (degrees, cv2 convention) that makes text lines horizontal: the sharpest row profile.

    Whole degrees first, then finer steps around the best; ``start`` is a whole-degree answer found
    already (``line_direction``), which skips the first stage."""
    mask = _line_mask(gray, dpi, target=100)
    best = start if start is not None else best_angle(mask, np.arange(-limit, limit + 1e-9, 1.0))[0]
    for step_ in (0.25, 0.05):
        best, _ = best_angle(mask, np.arange(best - 4 * step_, best + 4 * step_ + 1e-9, step_))
    return float(round(best, 2))


def straighten(image: np.ndarray, rotation: int, skew: float) -> np.ndarray:
    """The page as orientation and deskew left it (``Page.rotation``, ``Page.skew``), keeping its colour."""
    image = rotate_right_angle(image, rotation)
    if abs(skew) < 0.01:
        return image
    white = (255, 255, 255) if image.ndim == 3 else 255
    return _rotate(image, skew, border=white, interpolation=cv2.INTER_CUBIC)


@step("deskew")
def deskew(state: CleanState) -> None:
    # Orientation has measured it already on the turned page; measure again only without it.
    angle = state.notes.pop("skew_after_turn", None)
    if angle is None:
        angle = estimate_skew(to_gray(state.image), state.dpi)
    state.notes["skew_estimate"] = angle
    if abs(angle) < 0.1:
        return
    state.image = _rotate(state.image, angle, interpolation=cv2.INTER_CUBIC)
    state.skew += angle


@step("denoise")
def denoise(state: CleanState) -> None:
    """Smooth toner noise on degraded pages (a blur about a third of a stroke wide)."""
    if not is_degraded(state):
        return
    state.image = cv2.GaussianBlur(to_gray(state.image), (0, 0), state.dpi / 300.0)


# --- bleed-through and speckle -------------------------------------------------------------------


@step("bleed")
def remove_bleed_through(state: CleanState) -> None:
    """Light grey marks (ink showing through from the back, faint seals) become paper.

    Run after background normalisation: the paper is then white and print is the darkest class, so
    anything much lighter than the Otsu split between ink and paper is not print.
    """
    gray = to_gray(state.image)
    t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    cut = t + 0.6 * (255 - t)
    # every level at or above the cut becomes white: the larger of the image and its thresholded self
    _, light = cv2.threshold(gray, math.ceil(cut) - 1, 255, cv2.THRESH_BINARY)
    state.image = cv2.max(gray, light)


@step("despeckle")
def despeckle(state: CleanState) -> None:
    """Remove isolated dots far smaller than any letter part (toner noise)."""
    gray = to_gray(state.image)
    mask = ink_mask(gray)
    # BBDT finds the same 8-connected components as the default (Spaghetti) and, with statistics,
    # in under half the time on a full page.
    n, labels, stats, _ = cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S, cv2.CCL_BBDT)
    if n <= 1:
        return
    # A diacritic dot at 300 dpi covers roughly 20-40 pixels; noise is well below that.
    min_area = max(2, int(round(6 * (state.dpi / 300.0) ** 2)))
    specks = np.nonzero(stats[1:, cv2.CC_STAT_AREA] < min_area)[0] + 1
    if not len(specks):
        return
    out = gray.copy()
    # Most specks are one pixel, the one at their box's corner: those at once, the others each within
    # its own few-pixel box (looking up every pixel's label costs more than this).
    single = stats[specks, cv2.CC_STAT_AREA] == 1
    out[stats[specks[single], cv2.CC_STAT_TOP], stats[specks[single], cv2.CC_STAT_LEFT]] = 255
    for i in specks[~single]:
        x, y, w, h = stats[i, :4]
        box = out[y: y + h, x: x + w]
        box[labels[y: y + h, x: x + w] == i] = 255
    state.image = out


# --- binarisation --------------------------------------------------------------------------------


@step("binarize")
def binarize(state: CleanState) -> None:
    """Otsu on degraded pages; clean pages stay grey for Tesseract's own thresholding (see NOISY)."""
    if not is_degraded(state):
        return
    gray = to_gray(state.image)
    _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    state.image = out


DEFAULT_ORDER = ("colour", "background", "orientation", "deskew", "denoise", "bleed", "despeckle", "binarize")


def clean_page(
    image: np.ndarray,
    dpi: int,
    disabled: tuple[str, ...] | list[str] = (),
    osd: Callable[[np.ndarray, int], tuple[int, float]] | None = None,
    keep_dir: Path | None = None,
    keep_prefix: str = "page",
    order: tuple[str, ...] = DEFAULT_ORDER,
) -> CleanState:
    """Run the enabled steps in order; with ``keep_dir``, save the image after each step."""
    state = CleanState(image=image, dpi=dpi, osd=osd)
    if keep_dir is not None:
        keep_dir.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(keep_dir / f"{keep_prefix}-00-input.png"), state.image)
    for i, name in enumerate(order, start=1):
        if name in disabled:
            continue
        STEPS[name](state)
        if keep_dir is not None:
            cv2.imwrite(str(keep_dir / f"{keep_prefix}-{i:02d}-{name}.png"), state.image)
    state.image = to_gray(state.image)
    return state
