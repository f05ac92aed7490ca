"""Whether a page's ink can hold a borderless table, before the page is OCR'd as text to look
for one (``planscan tables`` on a scan that has no Document yet).

A borderless table has three columns at least, so over two text lines somewhere on the page the
ink leaves two upright gaps, wider than a space, at the same places. Prose does not (its spaces
do not line up from one line to the next), nor do a list or the two-column heading and signature
blocks of an official letter (one gap). The check is on the page as rendered, before clean-up:
over two lines a skew of a degree or two moves a gap by a pixel or so. It errs on the side of
reading the page: a page it passes costs one OCR, a page it wrongly rules out loses a table.
"""

from __future__ import annotations

import cv2
import numpy as np

from planscan.ocr.clean import to_gray
from planscan.ocr.tables import ink

CHECK_DPI = 150
STRIP_IN = 0.4  # about two lines of 10-13 pt text
STEP_IN = 0.05
# Wider than a space of justified text, narrower than the gap between two table columns.
MIN_GAP_IN = 0.06
SPECK_IN = 0.03  # ink smaller than this both ways is noise (or a tone mark)
TALL_IN = 0.5  # ink taller than any text line: a border, a seal, a photo


def may_hold_columns(image: np.ndarray, dpi: int) -> bool:
    """True when somewhere on the page two gaps between ink persist over a strip of two lines."""
    gray = to_gray(image)
    if dpi > CHECK_DPI:
        f = CHECK_DPI / dpi
        gray = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        dpi = CHECK_DPI
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink(gray), connectivity=8)
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    keep = ((w >= SPECK_IN * dpi) | (h >= SPECK_IN * dpi)) & (h <= TALL_IN * dpi)
    keep[0] = False
    mask = keep[labels]
    # Ink per column above each row: a strip's column counts are one subtraction.
    above = np.vstack([np.zeros((1, mask.shape[1]), np.int32), np.cumsum(mask, axis=0, dtype=np.int32)])
    strip, step, gap = max(2, int(STRIP_IN * dpi)), max(1, int(STEP_IN * dpi)), max(2, int(MIN_GAP_IN * dpi))
    for y in range(0, max(1, mask.shape[0] - strip + 1), step):
        filled = (above[min(y + strip, mask.shape[0])] - above[y]) > 0
        if _wide_gaps(filled, gap) >= 2:
            return True
    return False


def _wide_gaps(filled: np.ndarray, width: int) -> int:
    """Runs of at least ``width`` empty columns between the first and the last inked one."""
    cols = np.flatnonzero(filled)
    if cols.size < 2:
        return 0
    return int(np.count_nonzero(np.diff(cols) > width))
