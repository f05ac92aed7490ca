"""Real Tesseract on a piece of one sample page (marked: needs tesseract with vie)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PIL import Image

from planscan.ocr import clean, rasterize, tesseract
from planscan.ocr.output import write_outputs
from planscan.ocr.pipeline import ocr_document
from planscan.ocr.settings import OcrSettings

pytestmark = pytest.mark.tesseract
SAMPLE = "samples/tuangiao-2020/scan-harsh.pdf"
GOLD = "samples/tuangiao-2020/gold.txt"


@pytest.fixture(scope="module", autouse=True)
def _needs_tesseract():
    if shutil.which("tesseract") is None or shutil.which("pdftoppm") is None:
        pytest.skip("tesseract or poppler not installed")
    try:
        tesseract.check_tesseract("vie")
    except Exception as e:  # noqa: BLE001 - any reason means skip
        pytest.skip(str(e))


@pytest.fixture(scope="module")
def sideways_png(tmp_path_factory):
    """Top half of sample page 1 at its own 150 dpi, turned a quarter clockwise."""
    page = rasterize.load_pdf_page(__import__("pathlib").Path(SAMPLE), 1, 150, grayscale=True)
    top = page[: page.shape[0] // 2]
    path = tmp_path_factory.mktemp("real") / "sideways.png"
    Image.fromarray(clean.rotate_right_angle(top, 90)).save(path, dpi=(150, 150))
    return path


def test_sideways_harsh_scan_is_turned_and_read(sideways_png, tmp_path):
    doc = ocr_document(sideways_png, OcrSettings(jobs=1, use_cache=False))
    page = doc.pages[0]
    assert page.status == "ok" and page.rotation == 270
    assert page.dpi == 300 and page.width > page.height
    words = [w for line in page.lines for w in line.words]
    assert words and all(w.bbox is not None and 0 <= w.conf <= 100 for w in words)
    gold = set(open(GOLD, encoding="utf-8").read().lower().split())
    found = [w.text.lower() for w in words]
    assert sum(t in gold for t in found) / len(found) > 0.8
    assert "tuần" in found and "giáo" in found
    # The searchable PDF carries the same words over the original, unturned image.
    write_outputs(doc, tmp_path, "s", pdf=True, source=sideways_png)
    text = subprocess.run(["pdftotext", str(tmp_path / "s.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Tuần" in text


@pytest.fixture(scope="module")
def tall_png(tmp_path_factory):
    """Sample page 1 twice, one above the other: Tesseract needs many seconds for it on any machine,
    so a 1 s timeout always lands inside recognition, not before it."""
    import numpy as np

    page = rasterize.load_pdf_page(__import__("pathlib").Path(SAMPLE), 1, 150, grayscale=True)
    path = tmp_path_factory.mktemp("tall") / "tall.png"
    Image.fromarray(np.vstack([page, page])).save(path, dpi=(150, 150))
    return path


def test_page_timeout_kills_tesseract_and_fails_the_page(tall_png):
    doc = ocr_document(tall_png, OcrSettings(jobs=1, use_cache=False, clean=False, page_timeout=1))
    assert doc.pages[0].status == "failed" and "longer than 1 s" in doc.pages[0].error
