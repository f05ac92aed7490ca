"""Pages of absurd pixel dimensions are refused (or, for a PDF page, rendered smaller) with a
one-line message, never decoded into memory. Every file here is a few hundred bytes on disk."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from planscan.errors import ExitCode, InputFileError
from planscan.ocr import rasterize
from planscan.ocr.pipeline import ocr_document
from planscan.ocr.settings import OcrSettings

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler not installed")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_claiming(path: Path, width: int, height: int) -> Path:
    """A valid PNG header claiming ``width`` x ``height`` grey pixels, with one row of data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" + b"\xff" * min(width, 64))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b""))
    return path


def tiff_claiming(path: Path, width: int, height: int) -> Path:
    """An uncompressed bilevel TIFF claiming ``width`` x ``height`` pixels in an 8-byte strip (a TIFF bomb)."""
    tags = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 1), (259, 3, 1, 1), (262, 3, 1, 0),
            (273, 4, 1, 0), (277, 3, 1, 1), (278, 4, 1, height), (279, 4, 1, 8)]
    ifd_size = 2 + 12 * len(tags) + 4
    data_offset = 8 + ifd_size
    body = struct.pack("<H", len(tags))
    for tag, typ, count, value in tags:
        value = data_offset if tag == 273 else value
        packed = struct.pack("<HI", value, 0)[:4] if typ == 3 else struct.pack("<I", value)
        body += struct.pack("<HHI", tag, typ, count) + packed
    body += struct.pack("<I", 0)
    path.write_bytes(b"II*\x00" + struct.pack("<I", 8) + body + b"\x00" * 8)
    return path


def pdf_page_inches(path: Path, inches: float) -> Path:
    """A one-page PDF whose page claims ``inches`` x ``inches`` (a 100-pixel image stretched over it)."""
    Image.new("L", (100, 100), 255).save(path, resolution=100 / inches)
    return path


@pytest.mark.parametrize("width,height", [(20_000, 20_000), (10_000, 10_000), (40_000, 10)])
def test_png_beyond_the_limits_is_refused_before_decoding(tmp_path, width, height):
    # 20,000^2 trips Pillow's bomb error, 10,000^2 only its warning, 40,000 x 10 Tesseract's side limit
    path = png_claiming(tmp_path / "huge.png", width, height)
    with pytest.raises(InputFileError) as err:
        rasterize.image_page_count(path)
    msg = str(err.value)
    assert msg.startswith(str(path)) and "\n" not in msg
    assert "scale it down" in msg
    with pytest.raises(InputFileError):
        rasterize.load_image_page(path, 1)


def test_tiff_bomb_is_refused(tmp_path):
    path = tiff_claiming(tmp_path / "bomb.tif", 200_000, 200_000)
    with pytest.raises(InputFileError, match="scale it down"):
        rasterize.image_page_count(path)


def test_the_bomb_guard_stays_on():
    # loading the OCR stages leaves Pillow's limit as Pillow sets it, and it is the page limit
    assert Image.MAX_IMAGE_PIXELS is not None and rasterize.max_pixels() == Image.MAX_IMAGE_PIXELS


def test_a_large_image_within_the_limits_still_reads(tmp_path):
    path = tmp_path / "page.png"
    Image.new("L", (2480, 3508), 255).save(path, dpi=(300, 300))
    assert rasterize.image_page_count(path) == 1
    arr, dpi = rasterize.load_image_page(path, 1)
    assert arr.shape == (3508, 2480) and dpi == 300


def test_huge_image_is_exit_code_2_with_one_line(tmp_path):
    path = png_claiming(tmp_path / "huge.png", 20_000, 20_000)
    proc = subprocess.run([sys.executable, "-m", "planscan.cli", "ocr", str(path), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == ExitCode.input_file
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "huge.png" in lines[0] and "Traceback" not in proc.stderr


@needs_poppler
def test_pdf_page_of_200_inches_is_refused_not_rendered(tmp_path):
    path = pdf_page_inches(tmp_path / "poster.pdf", 200)
    with pytest.raises(InputFileError) as err:
        rasterize.load_page(path, "pdf", 1, 300)
    assert "200 x 200 inches" in str(err.value) and "\n" not in str(err.value)


@needs_poppler
def test_pdf_page_of_200_inches_fails_only_that_page(tmp_path):
    path = pdf_page_inches(tmp_path / "poster.pdf", 200)
    doc = ocr_document(path, OcrSettings(jobs=1, use_cache=False, force_ocr=True))
    assert [p.status for p in doc.pages] == ["failed"]
    assert "200 x 200 inches" in doc.pages[0].error


@needs_poppler
def test_large_pdf_page_is_rendered_within_the_pixel_limit(tmp_path, monkeypatch):
    # a 12-inch page at 300 dpi is 13 million pixels: with a 4-million limit it renders at 166 dpi
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 4_000_000)
    path = pdf_page_inches(tmp_path / "big.pdf", 12)
    page = rasterize.load_page(path, "pdf", 1, 300)
    h, w = page.image.shape[:2]
    assert w * h <= 4_000_000 and max(w, h) <= rasterize.TESSERACT_MAX_SIDE
    assert 150 <= page.dpi < 300


def test_upsampling_stays_within_the_limits(monkeypatch):
    import numpy as np

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)
    arr = np.full((1000, 800), 255, np.uint8)  # 20 x 16 inches at 50 dpi: 300 dpi would be 28.8 million pixels
    out, dpi = rasterize.upsample(arr, 50, 300)
    assert out.shape[0] * out.shape[1] <= 1_000_000 and dpi < 300
