"""Each clean-up step on synthetic pages: the damage is made with a known size and must come back out."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from planscan.ocr import clean
from tests.ocr_helpers import rotate, text_page

DPI = 150


@pytest.mark.parametrize("angle", [-9.0, -4.0, -1.5, 2.5, 7.0])
def test_estimate_skew_finds_the_applied_angle(angle):
    page = rotate(text_page(), angle)
    # Rotating back by the estimate undoes the damage: the estimate is the negative of the skew.
    assert clean.estimate_skew(page, DPI) == pytest.approx(-angle, abs=0.3)


def test_deskew_step_straightens_and_records_angle():
    state = clean.CleanState(image=rotate(text_page(), 5.0), dpi=DPI)
    clean.deskew(state)
    assert state.skew == pytest.approx(-5.0, abs=0.3)
    assert abs(clean.estimate_skew(state.image, DPI)) <= 0.3


def test_deskew_leaves_straight_page_alone():
    page = text_page()
    state = clean.CleanState(image=page, dpi=DPI)
    clean.deskew(state)
    assert state.skew == 0.0
    assert state.image is page


@pytest.mark.parametrize("turn", [90, 270])
def test_sideways_page_is_detected_and_turned(turn):
    upright = text_page()
    sideways = clean.rotate_right_angle(upright, turn)
    assert clean.is_sideways(sideways, DPI)
    assert not clean.is_sideways(upright, DPI)
    state = clean.CleanState(image=sideways, dpi=DPI)
    clean.fix_orientation(state)
    assert state.rotation in (90, 270)
    assert state.image.shape == upright.shape
    assert not clean.is_sideways(state.image, DPI)


def _no_osd(img, dpi):
    raise AssertionError("OSD must not be needed here")


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_upside_down_and_sideways_pages_are_turned_by_ink_asymmetry(turn):
    upright = rotate(text_page(), 2.0)
    state = clean.CleanState(image=clean.rotate_right_angle(upright, turn), dpi=DPI, osd=_no_osd)
    clean.fix_orientation(state)
    assert (state.rotation + turn) % 360 == 0
    assert state.notes["skew_after_turn"] == pytest.approx(-2.0, abs=0.3)
    assert np.array_equal(state.image, upright)


def test_upright_ratio_needs_evidence():
    caps = np.full((1754, 1240), 255, np.uint8)
    for y in range(150, 1600, 50):
        cv2.putText(caps, "PLAN 2021 DISTRICT", (110, y), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 20, 2)
    assert clean.upright_ratio(caps, DPI) == 1.0
    assert clean.upright_ratio(np.full((400, 300), 255, np.uint8), DPI) == 1.0


def test_orientation_asks_confident_osd_when_the_ink_cannot_tell():
    caps = np.full((1754, 1240), 255, np.uint8)
    for y in range(150, 1600, 50):
        cv2.putText(caps, "PLAN 2021 DISTRICT", (110, y), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 20, 2)
    calls = []

    def osd(img, dpi):
        calls.append(img.shape)
        return 180, 12.0

    state = clean.CleanState(image=caps, dpi=DPI, osd=osd)
    clean.fix_orientation(state)
    assert calls and state.rotation == 180


def _caps_page():
    caps = np.full((1754, 1240), 255, np.uint8)
    for y in range(150, 1600, 50):
        cv2.putText(caps, "PLAN 2021 DISTRICT", (110, y), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 20, 2)
    return caps


def test_orientation_ignores_unconfident_osd():
    state = clean.CleanState(image=_caps_page(), dpi=DPI, osd=lambda img, dpi: (180, 0.2))
    clean.fix_orientation(state)
    assert state.rotation == 0


def test_orientation_ignores_osd_sideways_answer_on_horizontal_page():
    # OSD saying 90 on a page whose lines are plainly horizontal is its known failure mode.
    state = clean.CleanState(image=_caps_page(), dpi=DPI, osd=lambda img, dpi: (90, 30.0))
    clean.fix_orientation(state)
    assert state.rotation == 0


def test_background_normalisation_flattens_shading():
    page = text_page().astype(np.float32)
    shade = np.linspace(0.55, 1.0, page.shape[1], dtype=np.float32)[None, :]
    shaded = (page * shade).astype(np.uint8)
    paper = text_page() == 255
    assert shaded[paper].std() > 20
    state = clean.CleanState(image=shaded, dpi=DPI)
    clean.normalise_background(state)
    assert state.image[paper].std() < 6
    assert np.percentile(state.image[paper], 5) > 230
    # Text stays dark.
    assert state.image[text_page() < 60].mean() < 90


def test_colour_step_removes_red_seal_but_keeps_black_text():
    gray = text_page()
    img = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    seal = np.zeros(gray.shape, np.uint8)
    cv2.circle(seal, (600, 500), 200, 255, 25)
    img[seal > 0] = (40, 40, 200)  # BGR red ring, over text and paper
    state = clean.CleanState(image=img, dpi=DPI)
    clean.remove_colour(state)
    out = state.image
    assert out.ndim == 2
    assert out[(seal > 0) & (gray == 255)].min() >= 190
    text_outside_seal = (gray < 60) & (seal == 0)
    assert out[text_outside_seal].mean() < 60


def test_bleed_through_is_removed_after_normalisation():
    front = text_page(seed=1)
    back = cv2.flip(text_page(seed=2), 1)
    page = np.minimum(front, np.where(back < 128, 215, 255).astype(np.uint8))
    ghost = (back < 128) & (front == 255)
    state = clean.CleanState(image=page, dpi=DPI)
    clean.remove_bleed_through(state)
    assert (state.image[ghost] == 255).mean() > 0.99
    assert state.image[front < 60].mean() < 60


def test_despeckle_removes_dots_not_letters():
    page = text_page()
    rng = np.random.default_rng(3)
    noisy = page.copy()
    ys, xs = rng.integers(0, page.shape[0], 400), rng.integers(0, page.shape[1], 400)
    noisy[ys, xs] = 0
    state = clean.CleanState(image=noisy, dpi=DPI)
    clean.despeckle(state)
    isolated = page[ys, xs] == 255
    assert (state.image[ys[isolated], xs[isolated]] == 255).mean() > 0.95
    assert (state.image[page < 60] < 128).mean() > 0.98


def _noisy(page, sigma=14.0, seed=5):
    rng = np.random.default_rng(seed)
    return np.clip(page.astype(np.float32) * 0.8 + 30 + rng.normal(0, sigma, page.shape), 0, 255).astype(np.uint8)


def test_paper_noise_tells_clean_from_degraded():
    assert clean.paper_noise(text_page(), DPI) < clean.NOISY
    assert clean.paper_noise(_noisy(text_page()), DPI) > clean.NOISY


def test_binarize_gives_two_levels_on_a_degraded_page():
    state = clean.CleanState(image=_noisy(text_page()), dpi=DPI)
    clean.binarize(state)
    assert set(np.unique(state.image)) <= {0, 255}


def test_clean_page_stays_grey_for_tesseract():
    page = (text_page().astype(np.float32) * 0.8 + 30).astype(np.uint8)
    state = clean.CleanState(image=page, dpi=DPI)
    clean.denoise(state)
    clean.binarize(state)
    assert state.image is page


def test_denoise_smooths_a_degraded_page():
    noisy = _noisy(text_page())
    state = clean.CleanState(image=noisy, dpi=DPI)
    clean.denoise(state)
    paper = text_page() == 255
    assert state.image[paper].std() < 0.75 * noisy[paper].std()


def test_clean_page_steps_can_be_switched_off_and_kept(tmp_path):
    page = rotate(text_page(), 4.0)
    off = clean.clean_page(page, DPI, disabled=list(clean.DEFAULT_ORDER))
    assert off.skew == 0.0 and off.rotation == 0
    assert np.array_equal(off.image, page)
    no_deskew = clean.clean_page(page, DPI, disabled=["deskew"], keep_dir=tmp_path, keep_prefix="p1")
    assert no_deskew.skew == 0.0
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept[0] == "p1-00-input.png"
    assert any("binarize" in k for k in kept) and not any("deskew" in k for k in kept)
    full = clean.clean_page(_noisy(page), DPI)
    assert full.skew == pytest.approx(-4.0, abs=0.3)
    assert full.notes["noise"] > clean.NOISY
    assert set(np.unique(full.image)) <= {0, 255}
