"""Synthetic page images for the OCR tests (Hershey fonts: available wherever OpenCV is)."""

from __future__ import annotations

import cv2
import numpy as np

WORDS = "plan report district budget station network village school road water power office".split()


def text_page(width: int = 1240, height: int = 1754, lines: int = 30, seed: int = 0) -> np.ndarray:
    """A white A4 page at 150 dpi with left-aligned lines of dark text and a right margin.

    Hershey fonts have no Vietnamese letters, so tone marks are drawn as short strokes above
    the x-height, where Vietnamese sets them on most syllables.
    """
    rng = np.random.default_rng(seed)
    img = np.full((height, width), 255, np.uint8)
    y = 140
    for _ in range(lines):
        text = " ".join(rng.choice(WORDS, size=6))
        cv2.putText(img, text, (110, y), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 20, 2, cv2.LINE_AA)
        (w, _), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 1.1, 2)
        for x in range(125, 110 + w, 45):
            cv2.line(img, (x, y - 22), (x + 6, y - 29), 20, 2, cv2.LINE_AA)
        y += 50
        if y > height - 120:
            break
    return img


def rotate(img: np.ndarray, angle: float) -> np.ndarray:
    """Rotate about the centre (cv2 convention: positive is counter-clockwise), white fill."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
