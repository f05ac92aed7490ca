"""Write a Document: <stem>.txt, <stem>.ocr.json and, on request, a searchable <stem>.pdf.

The searchable PDF keeps the original page (the scan exactly as it was, not the cleaned image) and
lays invisible text over it, one word at a time, placed by the OCR boxes. The boxes are in the
cleaned image's pixels, so each page's text is mapped back through the deskew, the right-angle
turn and the resampling to the original page. The font is Tesseract's glyphless font, with a
ToUnicode map, so copying and searching give the Vietnamese text.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from planscan._util.atomic import atomic_write_bytes, atomic_write_text
from planscan.errors import InputFileError, OutputError
from planscan.schemas.records import Document, Page

_GLYPH_WIDTH = 0.5  # advance of every glyph of the glyphless font, in em (its /DW 500)
_TOUNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def write_outputs(doc: Document, outdir: Path, stem: str, pdf: bool, source: Path) -> list[Path]:
    """Write the outputs atomically and return their paths."""
    outdir = Path(outdir)
    written = []
    txt = outdir / f"{stem}.txt"
    atomic_write_text(txt, doc.text)
    written.append(txt)
    js = outdir / f"{stem}.ocr.json"
    atomic_write_text(js, doc.model_dump_json(indent=1) + "\n")
    written.append(js)
    if pdf:
        out = outdir / f"{stem}.pdf"
        atomic_write_bytes(out, searchable_pdf(doc, Path(source)))
        written.append(out)
    return written


# --- geometry: cleaned-image pixels -> original page points ----------------------------------------


def undo_deskew(page: Page) -> np.ndarray:
    """3x3 map from the deskewed image's pixels back to the image before deskew (same pixel grid)."""
    w, h = float(page.width), float(page.height)
    # cv2 rotated about the centre by ``skew`` degrees (counter-clockwise on screen).
    a = np.deg2rad(page.skew)
    c, s = np.cos(a), np.sin(a)
    fwd = np.array([[c, s, (1 - c) * w / 2 - s * h / 2], [-s, c, s * w / 2 + (1 - c) * h / 2], [0, 0, 1]])
    return np.linalg.inv(fwd)


def page_matrix(page: Page, page_w: float, page_h: float, deskew: bool = True) -> np.ndarray:
    """3x3 affine map from the OCR'd image's pixels (y down) to PDF points (y up) on the original page.

    With ``deskew=False`` the small deskew rotation is left out (right-angle turn and scale only)."""
    w, h = float(page.width), float(page.height)
    m = undo_deskew(page) if deskew else np.eye(3)
    # Undo the right-angle turn; (w0, h0) is the raster size before it.
    r = page.rotation % 360
    if r == 90:
        w0, h0 = h, w
        m = np.array([[0, 1, 0], [-1, 0, h0], [0, 0, 1]]) @ m
    elif r == 180:
        w0, h0 = w, h
        m = np.array([[-1, 0, w0], [0, -1, h0], [0, 0, 1]]) @ m
    elif r == 270:
        w0, h0 = h, w
        m = np.array([[0, -1, w0], [1, 0, 0], [0, 0, 1]]) @ m
    else:
        w0, h0 = w, h
    # Raster pixels to points, flipping y.
    return np.array([[page_w / w0, 0, 0], [0, -page_h / h0, page_h], [0, 0, 1]]) @ m


def _fmt(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".") or "0"


def text_layer_stream(page: Page, page_w: float, page_h: float, font: str = "/FPlanscan",
                      origin: tuple[float, float] = (0.0, 0.0)) -> bytes:
    # Lines are laid upright (no deskew rotation), each on one baseline through the middle of where
    # it runs on the skewed scan: text extractors and viewers read slightly rotated glyphs as
    # characters of different lines, which split words ("TU" "ẦN") and scrambled the reading order.
    m = np.array([[1, 0, origin[0]], [0, 1, origin[1]], [0, 0, 1]]) @ page_matrix(page, page_w, page_h, deskew=False)
    undo = undo_deskew(page)
    ops = [f"q {' '.join(_fmt(v) for v in (m[0, 0], m[1, 0], m[0, 1], m[1, 1], m[0, 2], m[1, 2]))} cm", "BT 3 Tr"]
    ops.append(f"{font} 1 Tf")
    for line in page.lines:
        words = [w for w in line.words if w.text and w.bbox is not None]
        if not words:
            continue
        baseline = float(np.median([w.bbox.y1 - 0.2 * max(w.bbox.y1 - w.bbox.y0, 1) for w in words]))
        middle = (min(w.bbox.x0 for w in words) + max(w.bbox.x1 for w in words)) / 2
        y = (undo @ np.array([middle, baseline, 1.0]))[1]
        size = float(np.median([max(w.bbox.y1 - w.bbox.y0, 1) for w in words]))  # one size: one line
        for word in words:
            b = word.bbox
            n = len(word.text)
            scale = 100.0 * max(b.x1 - b.x0, 1) / (n * _GLYPH_WIDTH * size)
            code = "".join(f"{ord(ch):04X}" if ord(ch) <= 0xFFFF else "FFFD" for ch in word.text)
            x = (undo @ np.array([b.x0, baseline, 1.0]))[0]
            ops.append(f"{_fmt(size)} 0 0 {_fmt(-size)} {_fmt(x)} {_fmt(y)} Tm {_fmt(scale)} Tz <{code}> Tj")
    ops.append("ET Q")
    return ("\n".join(ops) + "\n").encode("ascii")


# --- PDF assembly ----------------------------------------------------------------------------------


def _font(writer):
    from pypdf.generic import (
        ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject, TextStringObject,
    )

    from planscan.ocr.tesseract import tessdata_font

    def stream(data: bytes, **extra) -> object:
        st = DecodedStreamObject()
        st.set_data(data)
        for k, v in extra.items():
            st[NameObject(k)] = v
        return writer._add_object(st.flate_encode())

    descriptor = DictionaryObject({
        NameObject("/Type"): NameObject("/FontDescriptor"),
        NameObject("/FontName"): NameObject("/GlyphLessFont"),
        NameObject("/Flags"): NumberObject(5),
        NameObject("/FontBBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(500), NumberObject(1000)]),
        NameObject("/ItalicAngle"): NumberObject(0),
        NameObject("/Ascent"): NumberObject(1000),
        NameObject("/Descent"): NumberObject(0),
        NameObject("/CapHeight"): NumberObject(1000),
        NameObject("/StemV"): NumberObject(80),
    })
    ttf = tessdata_font()
    if ttf is not None:
        descriptor[NameObject("/FontFile2")] = stream(ttf.read_bytes())
    cid = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/CIDFontType2"),
        NameObject("/BaseFont"): NameObject("/GlyphLessFont"),
        NameObject("/CIDSystemInfo"): DictionaryObject({
            NameObject("/Registry"): TextStringObject("Adobe"),
            NameObject("/Ordering"): TextStringObject("Identity"),
            NameObject("/Supplement"): NumberObject(0),
        }),
        NameObject("/FontDescriptor"): writer._add_object(descriptor),
        NameObject("/DW"): NumberObject(int(_GLYPH_WIDTH * 1000)),
        # Every code shows glyph 1 of the glyphless font: the text is invisible anyway.
        NameObject("/CIDToGIDMap"): stream(b"\x00\x01" * 65536),
    })
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): NameObject("/GlyphLessFont"),
        NameObject("/Encoding"): NameObject("/Identity-H"),
        NameObject("/DescendantFonts"): ArrayObject([writer._add_object(cid)]),
        NameObject("/ToUnicode"): stream(_TOUNICODE),
    })
    return writer._add_object(font)


def _overlay(page_obj, page: Page, font_ref, writer) -> None:
    from pypdf import PageObject
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    box = page_obj.mediabox
    pw, ph = float(box.width), float(box.height)
    overlay = PageObject.create_blank_page(width=pw, height=ph)
    content = DecodedStreamObject()
    content.set_data(text_layer_stream(page, pw, ph, origin=(float(box.left), float(box.bottom))))
    overlay[NameObject("/Contents")] = writer._add_object(content)
    overlay[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/FPlanscan"): font_ref})}
    )
    page_obj.merge_page(overlay)


def _image_pdf_pages(source: Path) -> list[bytes]:
    from PIL import Image, ImageSequence

    from planscan.ocr.rasterize import load_image_page

    pages = []
    with Image.open(source) as im:
        for i, frame in enumerate(ImageSequence.Iterator(im), start=1):
            _, dpi = load_image_page(source, i)
            buf = io.BytesIO()
            frame = frame.convert("L" if frame.mode in ("1", "L", "LA", "I;16") else "RGB")
            frame.save(buf, "PDF", resolution=float(dpi))
            pages.append(buf.getvalue())
    return pages


def searchable_pdf(doc: Document, source: Path) -> bytes:
    """The original pages with an invisible text layer from the OCR'd pages."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    writer = PdfWriter()
    try:
        if source.suffix.lower() == ".pdf":
            reader = PdfReader(str(source))
            if reader.is_encrypted:
                reader.decrypt("")
            for p in reader.pages:
                writer.add_page(p)
        else:
            for blob in _image_pdf_pages(source):
                writer.add_page(PdfReader(io.BytesIO(blob)).pages[0])
    except (OSError, PdfReadError, ValueError) as e:
        raise InputFileError(f"{source}: cannot be read back to build the searchable PDF ({e})") from e
    font_ref = None
    for page, page_obj in zip(doc.pages, writer.pages):
        if page.source != "ocr" or page.status != "ok" or not page.lines or not page.width:
            continue  # a text-layer page is already searchable; a failed page stays image only
        if font_ref is None:
            font_ref = _font(writer)
        if page_obj.rotation % 360:
            # The page was rendered (and OCR'd) as displayed: bake /Rotate into the content so
            # the page's own coordinates are the displayed ones the boxes refer to.
            page_obj.transfer_rotation_to_content()
        _overlay(page_obj, page, font_ref, writer)
    buf = io.BytesIO()
    try:
        writer.write(buf)
    except (OSError, ValueError) as e:
        raise OutputError(f"{source}: the searchable PDF could not be assembled ({e})") from e
    return buf.getvalue()
