"""A scan page's own image is decoded straight from the PDF when that is all the page draws."""

from __future__ import annotations

import zlib

import numpy as np
import pikepdf
import pytest

from planscan.ocr.embedded import scan_image


def _scan_pdf(path, pixels: np.ndarray, extra: bytes = b"", rotate: int = 0, cm: str | None = None):
    pdf = pikepdf.new()
    h, w = pixels.shape
    img = pikepdf.Stream(pdf, zlib.compress(pixels.tobytes()), Type=pikepdf.Name.XObject,
                         Subtype=pikepdf.Name.Image, Width=w, Height=h, ColorSpace=pikepdf.Name.DeviceGray,
                         BitsPerComponent=8, Filter=pikepdf.Name.FlateDecode)
    pw, ph = w * 72 / 150, h * 72 / 150
    page = pdf.add_blank_page(page_size=(pw, ph))
    page.add_resource(img, pikepdf.Name.XObject, pikepdf.Name.Im0)
    page.contents_add(pdf.make_stream((f"q {cm or f'{pw} 0 0 {ph} 0 0'} cm /Im0 Do Q ".encode()) + extra))
    if rotate:
        page.rotate(rotate, relative=False)
    pdf.save(path)
    return path


@pytest.fixture
def pixels():
    rng = np.random.default_rng(3)
    return rng.integers(0, 256, size=(300, 200), dtype=np.uint8)


def test_the_image_comes_out_exactly(tmp_path, pixels):
    out = scan_image(_scan_pdf(tmp_path / "a.pdf", pixels), 1)
    assert out is not None and np.array_equal(np.asarray(out), pixels)


def test_a_rotated_page_comes_out_as_displayed(tmp_path, pixels):
    out = scan_image(_scan_pdf(tmp_path / "r.pdf", pixels, rotate=90), 1)
    assert np.array_equal(np.asarray(out), np.rot90(pixels, -1))  # /Rotate 90 shows it turned clockwise


@pytest.mark.parametrize("extra,cm", [
    (b"0 0 m 100 100 l S", None),  # a vector mark over the scan
    (b"", "96 0 0 -144 0 144"),  # drawn flipped
    (b"", "50 0 0 70 10 10"),  # not filling the page
])
def test_anything_more_than_an_upright_full_page_image_is_rendered(tmp_path, pixels, extra, cm):
    assert scan_image(_scan_pdf(tmp_path / "x.pdf", pixels, extra=extra, cm=cm), 1) is None
