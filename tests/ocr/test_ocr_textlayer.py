"""--redo-ocr: a page whose text is only an invisible OCR layer is OCR'd again and that layer is
replaced; a page with visible text keeps its text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pikepdf
import pytest

from planscan.ocr.output import write_pdf
from planscan.ocr.pipeline import ocr_document
from planscan.ocr.settings import OcrSettings, PdfSettings
from planscan.ocr.textlayer import invisible_text_pages, strip_invisible_text
from planscan.schemas.records import BBox, Document, Line, Page, Word

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _doc(src: Path, *texts: str) -> Document:
    words = [Word(text=t, conf=95, bbox=BBox(x0=200 + 300 * i, y0=300, x1=450 + 300 * i, y1=340))
             for i, t in enumerate(texts)]
    return Document(source=str(src), pages=[Page(number=1, width=1240, height=1754, dpi=150,
                                                 lines=[Line(text=" ".join(texts), words=words)])])


def _ocrd_before(tmp_path: Path) -> Path:
    """A scan that another tool OCR'd: image plus an invisible layer with other (older) words."""
    png = tmp_path / "scan.png"
    cv2.imwrite(str(png), np.full((1754, 1240), 255, np.uint8))
    return write_pdf(_doc(png, "Kếhoạch", "cũcũ"), png, tmp_path / "old.pdf", pdf_settings=PdfSettings(output_type="pdf"))


def _with_visible_page(src: Path, out: Path) -> Path:
    with pikepdf.open(src) as pdf:
        page = pdf.add_blank_page(page_size=(595, 842))
        font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name.Helvetica))
        page.add_resource(font, pikepdf.Name.Font, pikepdf.Name.F1)
        page.contents_add(pdf.make_stream(b"BT /F1 12 Tf 72 700 Td (Visible heading of a typed page) Tj ET"))
        pdf.save(out)
    return out


def _new_page(task) -> Page:
    return _doc(Path("x"), "mới", "đọc").pages[0].model_copy(update={"number": task.number})


def test_only_the_invisible_layer_pages_are_found(tmp_path):
    pdf = _with_visible_page(_ocrd_before(tmp_path), tmp_path / "mixed.pdf")
    assert invisible_text_pages(pdf) == {1}


@needs_poppler
def test_redo_ocr_replaces_the_old_layer_and_keeps_visible_text(tmp_path):
    pdf = _with_visible_page(_ocrd_before(tmp_path), tmp_path / "mixed.pdf")
    settings = OcrSettings(redo_ocr=True, jobs=1, use_cache=False)
    doc = ocr_document(pdf, settings, page_fn=_new_page)
    assert [p.source for p in doc.pages] == ["ocr", "text-layer"]
    # Helvetica is not embedded in the typed page, so this input cannot become PDF/A: a plain PDF.
    out = write_pdf(doc, pdf, tmp_path / "redone.pdf", pdf_settings=PdfSettings(output_type="pdf"),
                    ocr_settings=settings)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "mới đọc" in text and "Visible heading of a typed page" in text
    assert "cũcũ" not in text and "Kếhoạch" not in text
    with pikepdf.open(out) as result:
        assert len(result.pages[0].get_images()) == 1  # the scan itself is kept


def test_strip_keeps_visible_text_and_positioning(tmp_path):
    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    page.contents_add(pdf.make_stream(b"BT 3 Tr (hidden) Tj 0 Tr (shown) Tj ET q BT 3 Tr (x) ' ET Q BT (y) Tj ET"))
    strip_invisible_text(pdf, page)
    ops = [(str(i.operator), [bytes(o) if isinstance(o, pikepdf.String) else o for o in i.operands])
           for i in pikepdf.parse_content_stream(page)]
    shown = [o[0] for op, o in ops if op == "Tj"]
    assert shown == [b"shown", b"y"] and ("T*", []) in ops


def test_an_input_that_cannot_be_pdfa_is_an_invalid_output(tmp_path):
    from planscan.errors import ExitCode, InvalidOutputError

    pdf = _with_visible_page(_ocrd_before(tmp_path), tmp_path / "mixed.pdf")
    settings = OcrSettings(redo_ocr=True, jobs=1, use_cache=False)
    doc = ocr_document(pdf, settings, page_fn=_new_page)
    with pytest.raises(InvalidOutputError) as e:
        write_pdf(doc, pdf, tmp_path / "redone.pdf", ocr_settings=settings)
    assert e.value.exit_code == ExitCode.invalid_output and "--output-type pdf" in str(e.value)
    assert not (tmp_path / "redone.pdf").exists()
