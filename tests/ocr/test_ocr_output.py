"""Outputs: text with form feeds, JSON that reads back, and a searchable PDF whose words sit on the scan."""

from __future__ import annotations

import re
import shutil
import subprocess

import cv2
import numpy as np
import pytest

from planscan.ocr import clean
from planscan.ocr.output import page_matrix, write_outputs
from planscan.pipeline import read_ocr_json
from planscan.schemas.records import BBox, Document, Line, Page, Word

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _page(number, words, width=1240, height=1754, dpi=150, rotation=0, skew=0.0, status="ok"):
    lines = [
        Line(text=" ".join(t for t, _ in ws), words=[Word(text=t, conf=90, bbox=b) for t, b in ws], line=i)
        for i, ws in enumerate(words)
    ]
    return Page(number=number, width=width, height=height, dpi=dpi, rotation=rotation, skew=skew, lines=lines,
                status=status)


def test_txt_has_form_feeds_and_json_round_trips(tmp_path):
    doc = Document(
        source="x.png",
        pages=[
            _page(1, [[("Kế", BBox(x0=10, y0=10, x1=40, y1=30)), ("hoạch", BBox(x0=50, y0=10, x1=120, y1=30))]]),
            _page(2, [], status="failed"),
            _page(3, [[("Báo", BBox(x0=10, y0=10, x1=40, y1=30))], [("cáo", BBox(x0=10, y0=40, x1=40, y1=60))]]),
        ],
    )
    written = write_outputs(doc, tmp_path / "out", "x", pdf=False, source=tmp_path / "x.png")
    assert [p.name for p in written] == ["x.txt", "x.ocr.json"]
    assert (tmp_path / "out" / "x.txt").read_text(encoding="utf-8") == "Kế hoạch\n\f\n\fBáo\ncáo\n"
    assert read_ocr_json(tmp_path / "out" / "x.ocr.json") == doc
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]  # no temp files left


@pytest.mark.parametrize("rotation,skew", [(0, 0.0), (0, 4.0), (90, 0.0), (270, -3.0), (180, 2.0)])
def test_page_matrix_maps_cleaned_pixels_back_to_the_original(rotation, skew):
    # Put a dot on an original 150 dpi raster, push it through the same geometry as clean-up, and
    # check that the matrix sends its new position back to where it was, in points.
    h0, w0 = 1754, 1240
    orig = np.full((h0, w0), 255, np.uint8)
    cv2.circle(orig, (300, 400), 6, 0, -1)
    img = clean.rotate_right_angle(orig, rotation)
    if skew:
        hh, ww = img.shape
        m = cv2.getRotationMatrix2D((ww / 2, hh / 2), skew, 1.0)
        img = cv2.warpAffine(img, m, (ww, hh), borderValue=255)
    ys, xs = np.nonzero(img < 128)
    page = Page(number=1, width=img.shape[1], height=img.shape[0], dpi=150, rotation=rotation, skew=skew)
    pw, ph = w0 * 72 / 150, h0 * 72 / 150
    x, y, _ = page_matrix(page, pw, ph) @ np.array([xs.mean(), ys.mean(), 1.0])
    assert x == pytest.approx(300 * 72 / 150, abs=1.0)
    assert y == pytest.approx(ph - 400 * 72 / 150, abs=1.0)


@needs_poppler
def test_searchable_pdf_from_image_has_the_words_where_the_scan_has_them(tmp_path):
    img = np.full((1754, 1240), 255, np.uint8)
    cv2.rectangle(img, (200, 300), (500, 340), 0, -1)  # stands in for a word
    src = tmp_path / "scan.png"
    cv2.imwrite(str(src), img)
    words = [[("Tổng", BBox(x0=200, y0=300, x1=500, y1=340)), ("số", BBox(x0=520, y0=300, x1=600, y1=340))]]
    doc = Document(source=str(src), pages=[_page(1, words)])
    written = write_outputs(doc, tmp_path / "out", "scan", pdf=True, source=src)
    pdf = tmp_path / "out" / "scan.pdf"
    assert pdf in written
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Tổng" in text and "số" in text
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Tổng<', xhtml)
    assert m, xhtml
    x0, y0, x1, y1 = (float(v) * 150 / 72 for v in m.groups())
    assert x0 == pytest.approx(200, abs=6) and x1 == pytest.approx(500, abs=12)
    assert 280 <= y0 <= 320 and 320 <= y1 <= 360
    # The page still shows the original image.
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "1240  1754" in out


@needs_poppler
def test_text_layer_lands_right_on_a_page_with_rotate_attribute(tmp_path):
    import io

    from PIL import Image
    from pypdf import PdfReader, PdfWriter

    buf = io.BytesIO()
    Image.fromarray(np.full((1754, 1240), 255, np.uint8)).save(buf, "PDF", resolution=150.0)
    w = PdfWriter()
    w.add_page(PdfReader(buf).pages[0])
    w.pages[0].rotate(90)  # shown landscape: the raster OCR saw is 1754 x 1240
    w.write(tmp_path / "rot.pdf")
    words = [[("Tổng", BBox(x0=200, y0=300, x1=500, y1=340))]]
    doc = Document(source="rot.pdf", pages=[_page(1, words, width=1754, height=1240)])
    write_outputs(doc, tmp_path / "out", "rot", pdf=True, source=tmp_path / "rot.pdf")
    xhtml = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "out" / "rot.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    m = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Tổng<', xhtml)
    assert m, xhtml
    x0, y0, x1, y1 = (float(v) * 150 / 72 for v in m.groups())
    assert x0 == pytest.approx(200, abs=6) and x1 == pytest.approx(500, abs=12)
    assert 280 <= y0 <= 320 and 320 <= y1 <= 360


@needs_poppler
def test_text_layer_of_a_deskewed_page_reads_back_in_lines(tmp_path):
    # Words OCR'd on a page deskewed by 3.5 degrees: laid back rotated, extractors split them into
    # pieces of different lines ("TU" "ẦN"); upright lines keep words whole and the reading order.
    src = tmp_path / "scan.png"
    cv2.imwrite(str(src), np.full((1754, 1240), 255, np.uint8))
    lines = []
    for row, text in enumerate(["HUYỆN TUẦN GIÁO Độc lập Tự do Hạnh phúc", "Số trạm thu phát sóng thông tin di động"]):
        x, ws = 150, []
        for t in text.split():
            ws.append((t, BBox(x0=x, y0=300 + 60 * row, x1=x + 28 * len(t), y1=345 + 60 * row)))
            x += 28 * len(t) + 20
        lines.append(ws)
    doc = Document(source=str(src), pages=[_page(1, lines, skew=3.5)])
    write_outputs(doc, tmp_path / "out", "scan", pdf=True, source=src)
    text = subprocess.run(["pdftotext", str(tmp_path / "out" / "scan.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert [ln for ln in text.splitlines() if ln.strip()][:2] == [
        "HUYỆN TUẦN GIÁO Độc lập Tự do Hạnh phúc",
        "Số trạm thu phát sóng thông tin di động",
    ]
