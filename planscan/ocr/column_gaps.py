"""Whether a page's ink can hold a borderless table, before the page is OCR'd as text to look
for one (``planscan tables`` on a scan that has no Document yet).

A borderless table has three columns at least, so somewhere two text lines one under the other
each break into three pieces or more, with two gaps wider than a space at the same places. Prose
does not (a stretched space rarely lines up with one on the next line), nor do a list or the
two-column heading and signature blocks of an official letter (two pieces). The check is on the
page as rendered, before clean-up: over two lines a skew of a degree moves a gap by a pixel or so. It errs on the side of
reading the page: a page it passes costs one OCR, a page it wrongly rules out loses a table.
"""

from __future__ import annotations

import cv2
import numpy as np

from planscan.ocr.clean import to_gray
from planscan.ocr.tables import ink

CHECK_DPI = 150
# Wider than a stretched space of justified text (and the letter spacing of a heading), narrower
# than the gap between two table columns (0.8 of a word's height, as ocr.borderless reads them).
MIN_GAP_IN = 0.08
ACCENT_IN = 0.035  # a tone mark stands this far above its letter at most
SPECK_IN = 0.03  # ink smaller than this both ways is noise
TALL_IN = 0.5  # ink taller than any text line: a border, a seal, a photo


def may_hold_columns(image: np.ndarray, dpi: int) -> bool:
    """True when two text lines one under the other each have three pieces at least (ink apart by
    more than a space), and the gaps of both leave two upright corridors."""
    gray = to_gray(image)
    if dpi > CHECK_DPI:
        f = CHECK_DPI / dpi
        gray = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        dpi = CHECK_DPI
    gap = max(2, int(MIN_GAP_IN * dpi))
    # Letters and words closer than a column gap become one piece, with their tone marks.
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (gap, max(1, int(ACCENT_IN * dpi))))
    _, _, stats, _ = cv2.connectedComponentsWithStats(cv2.morphologyEx(ink(gray), cv2.MORPH_CLOSE, kernel), connectivity=8)
    pieces = [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in stats[1:]
              if max(w, h) >= SPECK_IN * dpi and h <= TALL_IN * dpi]
    lines = _lines(pieces)
    for a, b in zip(lines, lines[1:]):
        if len(a) >= 3 and len(b) >= 3 and _wide_gaps(a + b, gap) >= 2:
            return True
    return False


def _lines(pieces: list[tuple[int, int, int, int]]) -> list[list[tuple[int, int, int, int]]]:
    """Pieces grouped into text lines by vertical overlap, top to bottom."""
    lines: list[list[tuple[int, int, int, int]]] = []
    top = bottom = 0
    for p in sorted(pieces, key=lambda p: (p[1] + p[3]) / 2):
        cy = (p[1] + p[3]) / 2
        if lines and top <= cy <= bottom:
            lines[-1].append(p)
            top, bottom = min(top, p[1]), max(bottom, p[3])
        else:
            lines.append([p])
            top, bottom = p[1], p[3]
    return lines


def _wide_gaps(pieces: list[tuple[int, int, int, int]], width: int) -> int:
    """Stretches at least ``width`` wide that no piece covers, between the leftmost and the rightmost."""
    spans = sorted((p[0], p[2]) for p in pieces)
    n, reach = 0, spans[0][1]
    for x0, x1 in spans[1:]:
        n += x0 - reach >= width
        reach = max(reach, x1)
    return n
