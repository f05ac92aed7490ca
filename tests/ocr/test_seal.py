"""Round seals: found by their ring on synthetic pages, and their ink removed so the figures under
them are read; pages without a seal, round letters and table rules are left alone."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from planscan.ocr import clean, seal, tables

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
SANS_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
DPI = 300
XS = [150, 700, 1100, 1500, 1900]
YS = [200 + 110 * i for i in range(9)]
FIGURES = [["4.729", "10", "3.865"], ["217", "58.310", "96,4"], ["7.400", "1.052", "88"], ["6.214", "35", "903"],
           ["12,5", "640", "2.718"], ["1.987", "44,2", "501"], ["76", "8.093", "150"], ["3.306", "27", "61,8"]]
CENTRE, OUTER, INNER = (1300, 640), 250, 195  # a 1.7 in seal over the middle columns


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    if not path.is_file():
        pytest.skip(f"font {path} not installed")
    return ImageFont.truetype(str(path), size)


def _table(width: int = 2100, height: int = 1300) -> np.ndarray:
    img = Image.new("L", (width, height), 255)
    d = ImageDraw.Draw(img)
    font = _font(FONT, 40)
    for y in YS:
        d.line([(XS[0], y), (XS[-1], y)], fill=0, width=4)
    for x in XS:
        d.line([(x, YS[0]), (x, YS[-1])], fill=0, width=4)
    for r, row in enumerate(FIGURES):
        d.text((XS[0] + 20, YS[r] + 30), f"Indicator {r + 1}", font=font, fill=0)
        for c, text in enumerate(row):
            w = d.textlength(text, font=font)
            d.text((XS[c + 2] - w - 25, YS[r] + 30), text, font=font, fill=40)
    return np.array(img)


def _stamp(page: np.ndarray, grey: int = 150, centre: tuple[int, int] = CENTRE) -> np.ndarray:
    """A double ring with letters in mid-grey ink, stamped over the page (the darker ink wins)."""
    mark = Image.new("L", (page.shape[1], page.shape[0]), 255)
    d = ImageDraw.Draw(mark)
    cx, cy = centre
    for r, w in ((OUTER, 11), (INNER, 10)):
        d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=grey, width=w)
    font = _font(SANS_BOLD, 90)
    w = d.textlength("UBND", font=font)
    d.text((cx - w / 2, cy - 55), "UBND", font=font, fill=grey)
    return np.minimum(page, np.array(mark))


def _scan(page: np.ndarray, seed: int = 0) -> np.ndarray:
    """Blur and grain as a scanner leaves them."""
    rng = np.random.default_rng(seed)
    noisy = cv2.GaussianBlur(page, (0, 0), 1.0).astype(np.float32) + rng.normal(0, 6, page.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _cells(gray: np.ndarray) -> dict[tuple[int, int], str]:
    binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]
    pt = tables.tables_from_scan(1, binary, DPI, "eng")
    return {(c.row, c.col): t for c, t in zip(pt.grids[0].cells, pt.texts[0])}


def _under_seal() -> list[tuple[int, int]]:
    """Cells whose figure the seal's rings or letters cross."""
    out = []
    for r in range(len(FIGURES)):
        for c in range(3):
            x0, x1, y0, y1 = XS[c + 2] - 200, XS[c + 2] - 20, YS[r] + 30, YS[r] + 80
            corners = [np.hypot(x - CENTRE[0], y - CENTRE[1]) for x in (x0, x1) for y in (y0, y1)]
            if min(corners) < OUTER + 6 and max(corners) > INNER - 6 or abs(YS[r] + 55 - CENTRE[1]) < 90:
                out.append((r, c))
    return out


def test_a_grey_double_ring_is_found_with_its_outer_radius():
    page = _scan(_stamp(_table()))
    (s,) = seal.find_seals(page, DPI)
    assert np.hypot(s.x - CENTRE[0], s.y - CENTRE[1]) < 8
    assert abs(s.radius - OUTER) < 8


def test_figures_under_a_seal_are_read_after_removal_and_not_before():
    pytest.importorskip("pytesseract")
    page = _scan(_stamp(_table()))
    cleaned = seal.remove_seals(page, DPI)
    before, after = _cells(page), _cells(cleaned)
    under = _under_seal()
    assert len(under) >= 6
    wrong_before = [(r, c) for r, c in under if before[(r, c + 1)] != FIGURES[r][c]]
    right_after = [(r, c) for r, c in under if after[(r, c + 1)] == FIGURES[r][c]]
    assert len(wrong_before) >= 3
    assert len(right_after) >= len(under) - 1
    # No figure read right before is read wrong after.
    for r, row in enumerate(FIGURES):
        for c, text in enumerate(row):
            if before[(r, c + 1)] == text:
                assert after[(r, c + 1)] == text


def test_the_rules_under_a_seal_stay_and_its_ring_goes():
    page = _scan(_stamp(_table()))
    cleaned = seal.remove_seals(page, DPI)
    (grid,), _ = tables.find_grids(cleaned, DPI)
    assert np.allclose(grid.ys, YS, atol=3) and np.allclose(grid.xs, XS, atol=3)
    assert len(grid.cells) == (len(YS) - 1) * (len(XS) - 1)
    # the outer ring where it crosses blank paper (left of the seal, between two rows)
    x, y = CENTRE[0] - OUTER, CENTRE[1] - 25
    assert page[y - 3: y + 3, x - 4: x + 4].min() < 170
    assert cleaned[y - 3: y + 3, x - 4: x + 4].min() > 200


def test_a_page_without_a_seal_is_unchanged():
    page = _scan(_table())
    assert seal.find_seals(page, DPI) == []
    assert np.array_equal(seal.remove_seals(page, DPI), page)


def test_round_letters_and_grey_rules_are_no_seal():
    img = Image.new("L", (2100, 1300), 255)
    d = ImageDraw.Draw(img)
    big = _font(SANS_BOLD, 160)
    d.text((200, 150), "O0Q OCO", font=big, fill=150)  # round letters in seal-grey ink
    d.text((200, 500), "OOO 000", font=_font(FONT, 120), fill=20)
    for y in range(800, 1250, 60):  # a grey grid, as a faded form's rules
        d.line([(150, y), (1900, y)], fill=150, width=6)
    for x in range(150, 1950, 350):
        d.line([(x, 800), (x, 1220)], fill=150, width=6)
    page = _scan(np.array(img))
    assert seal.find_seals(page, DPI) == []


def test_a_red_seal_on_a_colour_scan_is_already_paper_after_the_colour_step():
    grey = _table()
    colour = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    ring = np.zeros_like(grey)
    cv2.circle(ring, CENTRE, OUTER, 255, 11)
    colour[ring > 0] = np.minimum(colour[ring > 0], np.array([40, 40, 200], np.uint8))
    state = clean.CleanState(image=colour, dpi=DPI)
    clean.remove_colour(state)
    assert state.image[(ring > 0) & (grey == 255)].min() >= 195
    assert seal.find_seals(state.image, DPI) == []
