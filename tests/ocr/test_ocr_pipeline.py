"""ocr_document without Tesseract: recognition is faked (workers are forked, so the fakes reach them)."""

from __future__ import annotations

import os
import time

import cv2
import pytest
from PIL import Image

from planscan.errors import MissingDependencyError
from planscan.ocr import pipeline, rasterize, tesseract
from planscan.ocr.output import write_outputs
from planscan.ocr.pipeline import ocr_document
from planscan.ocr.settings import OcrSettings
from planscan.schemas.records import BBox, Document, Line, Page, Word
from tests.ocr_helpers import text_page


@pytest.fixture
def fake_tesseract(monkeypatch, tmp_path):
    """Recognition returns one line naming the image size; every call is logged to a file."""
    log = tmp_path / "calls.log"

    def recognize(image, lang, dpi, psm=3, timeout=None, extra=""):
        with open(log, "a") as fh:
            fh.write(f"{image.shape[1]}x{image.shape[0]}\n")
        text = f"trang {image.shape[1]}x{image.shape[0]} dpi {dpi}"
        return [Line(text=text, words=[Word(text=text, conf=95, bbox=BBox(x0=1, y0=1, x1=50, y1=20))])]

    monkeypatch.setattr(tesseract, "check_tesseract", lambda lang="vie": "5.3.0-fake")
    monkeypatch.setattr(tesseract, "recognize", recognize)
    monkeypatch.setattr(tesseract, "osd", lambda image, dpi, timeout=None: (0, 0.0))
    return log


def _settings(tmp_path, **kw):
    # One job runs pages in this process, where the monkeypatched fakes apply.
    kw.setdefault("jobs", 1)
    return OcrSettings(cache_dir=tmp_path / "cache", **kw)


def test_multipage_tiff_every_frame_is_a_page(tmp_path, fake_tesseract):
    frames = [Image.fromarray(text_page(seed=i)) for i in range(3)]
    src = tmp_path / "scan.tif"
    frames[0].save(src, save_all=True, append_images=frames[1:], dpi=(150, 150))
    assert rasterize.image_page_count(src) == 3
    doc = ocr_document(src, _settings(tmp_path))
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert all(p.status == "ok" and p.source == "ocr" for p in doc.pages)
    # 150 dpi scans are upsampled to 300 dpi before recognition.
    assert doc.pages[0].text == "trang 2480x3508 dpi 300"
    assert doc.tesseract_version == "5.3.0-fake" and len(doc.sha256) == 64


def test_image_without_dpi_tag_is_guessed_from_its_size(tmp_path):
    src = tmp_path / "a.png"
    cv2.imwrite(str(src), text_page())  # no pHYs chunk
    arr, dpi = rasterize.load_image_page(src, 1)
    assert arr.shape == (1754, 1240) and dpi == 150


def test_colour_image_stays_colour_grey_rgb_becomes_grey(tmp_path):
    grey_rgb = cv2.cvtColor(text_page(), cv2.COLOR_GRAY2BGR)
    cv2.imwrite(str(tmp_path / "g.png"), grey_rgb)
    assert rasterize.load_image_page(tmp_path / "g.png", 1)[0].ndim == 2
    grey_rgb[100:200, 100:200] = (0, 0, 255)
    cv2.imwrite(str(tmp_path / "c.png"), grey_rgb)
    assert rasterize.load_image_page(tmp_path / "c.png", 1)[0].ndim == 3


def test_cache_means_a_rerun_does_not_recognise_again(tmp_path, fake_tesseract):
    src = tmp_path / "a.png"
    Image.fromarray(text_page()).save(src, dpi=(150, 150))
    first = ocr_document(src, _settings(tmp_path))
    assert fake_tesseract.read_text().count("\n") == 1
    second = ocr_document(src, _settings(tmp_path))
    assert fake_tesseract.read_text().count("\n") == 1
    assert second.pages == first.pages
    ocr_document(src, _settings(tmp_path, use_cache=False))
    assert fake_tesseract.read_text().count("\n") == 2
    ocr_document(src, _settings(tmp_path, disabled_steps=("deskew",)))
    assert fake_tesseract.read_text().count("\n") == 3


def test_pdf_text_layer_is_read_not_ocrd_unless_forced(tmp_path, fake_tesseract, monkeypatch):
    src = tmp_path / "scan.png"
    Image.fromarray(text_page()).save(src, dpi=(150, 150))
    words = [Word(text=t, conf=90, bbox=BBox(x0=110 + 150 * i, y0=110, x1=230 + 150 * i, y1=150))
             for i, t in enumerate("Tổng doanh thu bưu chính viễn thông".split())]
    doc = Document(source=str(src), pages=[Page(number=1, width=1240, height=1754, dpi=150,
                                                lines=[Line(text=" ".join(w.text for w in words), words=words)])])
    write_outputs(doc, tmp_path, "layered", pdf=True, source=src)
    pdf = tmp_path / "layered.pdf"

    def no_tesseract(lang="vie"):
        raise MissingDependencyError("tesseract must not be needed for a text layer")

    monkeypatch.setattr(tesseract, "check_tesseract", no_tesseract)
    read = ocr_document(pdf, _settings(tmp_path))
    assert read.pages[0].source == "text-layer"
    assert read.pages[0].text == "Tổng doanh thu bưu chính viễn thông"
    assert not fake_tesseract.exists()
    monkeypatch.setattr(tesseract, "check_tesseract", lambda lang="vie": "5.3.0-fake")
    forced = ocr_document(pdf, _settings(tmp_path, force_ocr=True))
    assert forced.pages[0].source == "ocr" and forced.pages[0].text.startswith("trang ")


def _three_page_tiff(tmp_path):
    frames = [Image.fromarray(text_page(seed=i)) for i in range(3)]
    src = tmp_path / "three.tif"
    frames[0].save(src, save_all=True, append_images=frames[1:], dpi=(300, 300))
    return src


def _two_page_tiff(tmp_path):
    """A small first page and a big second one, so a fake can tell them apart inside a worker."""
    frames = [Image.fromarray(text_page(seed=0)), Image.fromarray(cv2.resize(text_page(seed=1), None, fx=2, fy=2))]
    src = tmp_path / "two.tif"
    frames[0].save(src, save_all=True, append_images=frames[1:], dpi=(300, 300))
    return src


# Page workers run in other processes, where a monkeypatch does not reach: these module-level
# workers install their fakes inside the worker, then run the real page pipeline.


def _fake_recognize(image, lang, dpi, psm=3, timeout=None, extra=""):
    return [Line(text=f"trang {image.shape[1]}x{image.shape[0]}")]


def _install_fakes(behaviour):
    def recognize(image, lang, dpi, psm=3, timeout=None, extra=""):
        if image.shape[0] > 3000:
            behaviour()
        return _fake_recognize(image, lang, dpi, psm, timeout, extra)

    tesseract.recognize = recognize
    tesseract.osd = lambda image, dpi, timeout=None: (0, 0.0)


def _raise():
    raise ValueError("boom")


def _hang():
    time.sleep(60)  # ignores its own timeout, like a hung process


def _fake_worker(task):
    _install_fakes(lambda: None)
    return pipeline.ocr_page(task)


def _crashing_worker(task):
    _install_fakes(_raise)
    return pipeline.ocr_page(task)


def _dying_worker(task):
    _install_fakes(lambda: os._exit(1))  # a segfault-like death of the worker process
    return pipeline.ocr_page(task)


def _hanging_worker(task):
    _install_fakes(_hang)
    return pipeline.ocr_page(task)


@pytest.fixture
def no_tesseract_check(monkeypatch):
    monkeypatch.setattr(tesseract, "check_tesseract", lambda lang="vie": "5.3.0-fake")


def test_crashing_page_is_failed_and_the_rest_completes(tmp_path, no_tesseract_check):
    doc = ocr_document(_two_page_tiff(tmp_path), _settings(tmp_path, use_cache=False, jobs=2),
                       page_fn=_crashing_worker)
    assert [p.status for p in doc.pages] == ["ok", "failed"]
    assert doc.pages[0].text.startswith("trang ")
    assert "crashed" in doc.pages[1].error and "boom" in doc.pages[1].error
    assert doc.pages[1].lines == []


def test_dying_worker_fails_only_its_page(tmp_path, no_tesseract_check):
    doc = ocr_document(_two_page_tiff(tmp_path), _settings(tmp_path, use_cache=False, jobs=2),
                       page_fn=_dying_worker)
    assert doc.pages[1].status == "failed" and "worker crashed" in doc.pages[1].error
    assert doc.pages[0].status == "ok"


def test_page_over_timeout_is_failed_and_the_rest_completes(tmp_path, no_tesseract_check, monkeypatch):
    monkeypatch.setattr(pipeline, "HARD_TIMEOUT_GRACE", 0.5)
    start = time.monotonic()
    doc = ocr_document(_two_page_tiff(tmp_path), _settings(tmp_path, use_cache=False, page_timeout=4, jobs=2),
                       page_fn=_hanging_worker)
    assert time.monotonic() - start < 30
    assert [p.status for p in doc.pages] == ["ok", "failed"]
    assert "longer than 4 s" in doc.pages[1].error


def test_progress_reports_every_page_and_order_is_kept_across_workers(tmp_path, no_tesseract_check):
    seen = []
    doc = ocr_document(_three_page_tiff(tmp_path), _settings(tmp_path, jobs=2), page_fn=_fake_worker,
                       progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 3) and seen[-1] == (3, 3) and len(seen) == 4
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert all(p.text == "trang 1240x1754" for p in doc.pages)


def test_keep_temp_saves_every_step_even_for_a_cached_page(tmp_path, fake_tesseract):
    src = tmp_path / "a.png"
    Image.fromarray(text_page()).save(src, dpi=(150, 150))
    ocr_document(src, _settings(tmp_path))
    keep = tmp_path / "keep"
    ocr_document(src, _settings(tmp_path, keep_temp=keep))
    names = sorted(p.name for p in keep.iterdir())
    assert names[0] == "a-p0001-00-input.png" and any(n.endswith("-deskew.png") for n in names)
