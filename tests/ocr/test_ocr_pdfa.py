"""The searchable PDF as an archive file: PDF/A-2b with its metadata and output intent, valid for
qpdf, images kept without loss, pages upright, noise words out of the text layer; and on the
development scans its pdftotext output reads as well as the .txt."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pikepdf
import pikepdf.pdfa
import pytest

from planscan.ocr.output import layer_words, write_pdf
from planscan.ocr.settings import PdfSettings
from planscan.schemas.records import BBox, Document, DocumentMeta, Line, Page, Word

needs_tools = pytest.mark.skipif(shutil.which("qpdf") is None or shutil.which("pdftotext") is None,
                                 reason="qpdf and poppler-utils needed")
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def _doc(src: Path, rotation: int = 0, width: int = 1240, height: int = 1754) -> Document:
    words = [Word(text="Tổng", conf=95, bbox=BBox(x0=200, y0=300, x1=400, y1=340)),
             Word(text="số", conf=95, bbox=BBox(x0=420, y0=300, x1=480, y1=340))]
    line = Line(text="Tổng số", words=words)
    return Document(source=str(src), pages=[Page(number=1, width=width, height=height, dpi=150, rotation=rotation,
                                                 lines=[line])])


def _scan(tmp_path: Path, name: str = "scan.png") -> Path:
    img = np.full((1754, 1240), 255, np.uint8)
    cv2.rectangle(img, (200, 300), (480, 340), 0, -1)
    cv2.circle(img, (900, 1500), 40, 120, 3)  # grey levels: the image is not two-level
    src = tmp_path / name
    cv2.imwrite(str(src), img)
    return src


@needs_tools
def test_default_output_is_pdfa_2b_with_metadata_intent_and_passes_qpdf(tmp_path):
    src = _scan(tmp_path)
    meta = DocumentMeta(title="Kế hoạch phát triển", issuer="UBND huyện X", date="2019-07-04")
    out = write_pdf(_doc(src), src, tmp_path / "out.pdf", meta)
    check = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with pikepdf.open(out) as pdf:
        xmp = pdf.open_metadata()
        assert xmp["pdfaid:part"] == "2" and xmp["pdfaid:conformance"] == "B"
        assert xmp["dc:title"] == "Kế hoạch phát triển" and xmp["dc:creator"] == ["UBND huyện X"]
        assert xmp["dc:language"] == {"vi"} and xmp["xmp:CreateDate"].startswith("2019-07-04")
        assert "planscan" in xmp["xmp:CreatorTool"]
        assert str(pdf.Root.Lang) == "vi" and str(pdf.docinfo.Author) == "UBND huyện X"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFA1 and int(intent.DestOutputProfile.N) == 3
    assert pikepdf.pdfa.validate_written(out, "2b").passed


def test_plain_pdf_when_asked(tmp_path):
    src = _scan(tmp_path)
    out = write_pdf(_doc(src), src, tmp_path / "out.pdf", pdf_settings=PdfSettings(output_type="pdf"))
    with pikepdf.open(out) as pdf:
        assert "pdfaid:part" not in pdf.open_metadata() and "/OutputIntents" not in pdf.Root


def _images(pdf_path: Path) -> list[tuple]:
    with pikepdf.open(pdf_path) as pdf:
        return [(img.read_raw_bytes(), str(img.Filter), pikepdf.PdfImage(img).as_pil_image().copy())
                for page in pdf.pages for img in page.get_images().values()]


def test_png_and_jpeg_images_pass_through_without_loss(tmp_path):
    png = _scan(tmp_path)
    out = write_pdf(_doc(png), png, tmp_path / "png.pdf", pdf_settings=PdfSettings(output_type="pdf"))
    (_, flt, pil), = _images(out)
    assert flt == "/FlateDecode" and np.array_equal(np.asarray(pil), cv2.imread(str(png), cv2.IMREAD_GRAYSCALE))
    jpg = tmp_path / "scan.jpg"
    cv2.imwrite(str(jpg), cv2.imread(str(png)), [cv2.IMWRITE_JPEG_QUALITY, 80])
    out = write_pdf(_doc(jpg), jpg, tmp_path / "jpg.pdf", pdf_settings=PdfSettings(output_type="pdf"))
    (raw, flt, _), = _images(out)
    assert flt == "/DCTDecode" and raw == jpg.read_bytes()  # the JPEG's own bytes, not re-encoded


@needs_tools
def test_a_sideways_page_is_turned_upright_and_reads_in_order(tmp_path):
    # The scan is landscape (text running up the page); OCR turned it by 90 degrees.
    src = tmp_path / "side.png"
    cv2.imwrite(str(src), np.full((1240, 1754), 255, np.uint8))
    doc = _doc(src, rotation=90)
    out = write_pdf(doc, src, tmp_path / "out.pdf")
    with pikepdf.open(out) as pdf:
        assert pdf.pages[0].rotation == 90
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert text.split() == ["Tổng", "số"]


def test_seal_and_noise_words_stay_out_of_the_layer():
    def w(text, conf, h, x):
        return Word(text=text, conf=conf, bbox=BBox(x0=x, y0=100, x1=x + 60, y1=100 + h))

    body = [w("phát", 96, 40, 0), w("triển", 95, 42, 70)]
    line = Line(text="", words=body + [w("rhhÐ", 0, 40, 140), w("INHÀ", 43, 128, 210), w("ngành", 45, 41, 280),
                                        w("UBND", 80, 130, 350), w("NAM", 96, 130, 420)])
    kept = [x.text for x in layer_words(line, typical=40.0)]
    # Garbage, and anything three times a line tall unless read with near certainty, goes; an unsure
    # but word-like word stays.
    assert kept == ["phát", "triển", "ngành", "NAM"]


@pytest.mark.slow
@pytest.mark.tesseract
@needs_tools
@pytest.mark.parametrize("level", ["rotated", "harsh"])
def test_pdftotext_of_the_searchable_pdf_reads_as_well_as_the_txt(tmp_path, level):
    corpus = SHARED / "corpus" / "tuangiao-2020"
    if not (corpus / f"scan-{level}.pdf").is_file() or shutil.which("tesseract") is None:
        pytest.skip("development corpus or tesseract not available")
    sys.path.insert(0, str(SHARED / "tools"))
    import vnmetrics

    from planscan.ocr.settings import OcrSettings
    from planscan.pipeline import convert

    doc, written = convert(corpus / f"scan-{level}.pdf", tmp_path, OcrSettings(jobs=2), pdf=True)
    pdf = tmp_path / f"scan-{level}.pdf"
    layer = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    gold = (corpus / "gold.txt").read_text(encoding="utf-8").replace("\f", "")
    txt = (tmp_path / f"scan-{level}.txt").read_text(encoding="utf-8").replace("\f", "")
    assert vnmetrics.text_accuracy(layer.replace("\f", ""), gold) >= vnmetrics.text_accuracy(txt, gold) - 0.01


def _page_images(pdf: pikepdf.Pdf) -> list[np.ndarray]:
    from pikepdf import PdfImage

    page = pdf.pages[0]
    return [np.asarray(PdfImage(page.Resources.XObject[name]).as_pil_image().convert("L"))
            for name in page.Resources.XObject.keys()]


def _angles(pdf: pikepdf.Pdf) -> dict[str, float]:
    """The turn (degrees) of the matrix in force where the first page draws its image ("Do") and
    starts its text ("BT"), following cm through q/Q."""
    ctm, stack, out = np.eye(3), [], {}
    for operands, op in pikepdf.parse_content_stream(pdf.pages[0]):
        op = str(op)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            ctm = np.array([[a, b, 0], [c, d, 0], [e, f, 1]]) @ ctm
        elif op in ("Do", "BT") and op not in out:
            out[op] = float(np.degrees(np.arctan2(ctm[0, 1], abs(ctm[0, 0]))))
    return out


@needs_tools
def test_no_rotate_pages_keeps_a_sideways_page_as_scanned(tmp_path):
    src = tmp_path / "side.png"
    cv2.imwrite(str(src), np.full((1240, 1754), 255, np.uint8))
    out = write_pdf(_doc(src, rotation=90), src, tmp_path / "out.pdf",
                    pdf_settings=PdfSettings(output_type="pdf", rotate_pages=False))
    with pikepdf.open(out) as pdf:
        assert pdf.pages[0].rotation == 0
        assert float(pdf.pages[0].mediabox[2]) > float(pdf.pages[0].mediabox[3])  # still landscape


def test_deskew_turns_the_placed_scan_and_keeps_its_pixels(tmp_path):
    src = _scan(tmp_path)
    doc = _doc(src)
    doc = doc.model_copy(update={"pages": [doc.pages[0].model_copy(update={"skew": 2.0})]})
    placed = {}
    for deskew in (True, False):
        out = write_pdf(doc, src, tmp_path / f"deskew-{deskew}.pdf",
                        pdf_settings=PdfSettings(output_type="pdf", deskew=deskew))
        with pikepdf.open(out) as pdf:
            placed[deskew] = (_angles(pdf), _page_images(pdf))
    # --deskew draws the scan turned by its skew and its words level; without it the scan stays as
    # scanned and the words follow its slanted lines
    assert abs(abs(placed[True][0]["Do"]) - 2.0) < 0.01 and abs(placed[True][0]["BT"]) < 0.01
    assert abs(placed[False][0]["Do"]) < 0.01 and abs(abs(placed[False][0]["BT"]) - 2.0) < 0.01
    # the image itself is the scan, pixel for pixel, either way
    source = cv2.imread(str(src), cv2.IMREAD_GRAYSCALE)
    assert all(np.array_equal(im, source) for im in placed[True][1] + placed[False][1])


def test_clean_final_puts_the_cleaned_image_into_the_pdf(tmp_path):
    from planscan.ocr.output import searchable_pdf

    src = _scan(tmp_path)
    cleaned = np.full((1754, 1240), 255, np.uint8)
    cv2.rectangle(cleaned, (600, 900), (700, 950), 0, -1)  # unlike anything on the scan
    asked = []

    def image_of(page, clean):
        asked.append(clean)
        return cleaned

    pdf_bytes = searchable_pdf(_doc(src), src, pdf_settings=PdfSettings(output_type="pdf", clean_final=True),
                               image_of=image_of)
    out = tmp_path / "final.pdf"
    out.write_bytes(pdf_bytes)
    with pikepdf.open(out) as pdf:
        images = _page_images(pdf)
    assert asked == [True]
    assert len(images) == 1 and np.array_equal(images[0], cleaned)  # stored without loss
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert text.split() == ["Tổng", "số"]
