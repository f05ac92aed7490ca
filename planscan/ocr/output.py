"""Write a Document: <stem>.txt, <stem>.ocr.json and, on request, a searchable <stem>.pdf.

The searchable PDF keeps the original page (the scan exactly as it was, not the cleaned image) and
lays invisible text over it, one word at a time, placed by the OCR boxes. The boxes are in the
cleaned image's pixels, so each page's text is mapped back through the deskew, the right-angle
turn and the resampling to the original page. The font is Tesseract's glyphless font, with a
ToUnicode map, so copying and searching give the Vietnamese text.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import pikepdf

from planscan._util.atomic import atomic_write_bytes, atomic_write_text
from planscan.errors import EncryptedPdfError, InputFileError, OutputError
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


# --- PDF assembly (pikepdf: qpdf's public object model) ---------------------------------------------


def _font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    from pikepdf import Array, Dictionary, Name, Stream, String

    from planscan.ocr.tesseract import tessdata_font

    descriptor = Dictionary(
        Type=Name.FontDescriptor, FontName=Name.GlyphLessFont, Flags=5, FontBBox=Array([0, 0, 500, 1000]),
        ItalicAngle=0, Ascent=1000, Descent=0, CapHeight=1000, StemV=80,
    )
    ttf = tessdata_font()
    if ttf is not None:
        descriptor.FontFile2 = Stream(pdf, ttf.read_bytes())
    cid = Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name.GlyphLessFont,
        CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        DW=int(_GLYPH_WIDTH * 1000),
        # Every code shows glyph 1 of the glyphless font: the text is invisible anyway.
        CIDToGIDMap=Stream(pdf, b"\x00\x01" * 65536),
    )
    font = Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name.GlyphLessFont, Encoding=Name("/Identity-H"),
        DescendantFonts=Array([pdf.make_indirect(cid)]), ToUnicode=Stream(pdf, _TOUNICODE),
    )
    return pdf.make_indirect(font)


def _overlay(page_obj: pikepdf.Page, page: Page, font: pikepdf.Object) -> None:
    box = page_obj.mediabox
    left, bottom, right, top = (float(v) for v in box)
    fonts = page_obj.obj.get("/Resources", pikepdf.Dictionary()).get("/Font", pikepdf.Dictionary())
    # A name of our own that the page does not use yet, the same on every run.
    name = next(n for n in (f"/FPlanscan{i or ''}" for i in range(len(fonts) + 1)) if n not in fonts)
    page_obj.add_resource(font, pikepdf.Name.Font, pikepdf.Name(name))
    layer = text_layer_stream(page, right - left, top - bottom, font=name, origin=(left, bottom))
    # The original content is wrapped in q/Q so a graphics state it leaves changed cannot move the text.
    page_obj.contents_add(b"q\n", prepend=True)
    page_obj.contents_add(b"\nQ\n" + layer)


def _open_source(source: Path, stack: contextlib.ExitStack) -> pikepdf.Pdf:
    if source.suffix.lower() == ".pdf":
        return stack.enter_context(pikepdf.open(source))
    from PIL import Image, ImageSequence

    from planscan.ocr.rasterize import load_image_page

    pdf = stack.enter_context(pikepdf.new())
    with Image.open(source) as im:
        for i, frame in enumerate(ImageSequence.Iterator(im), start=1):
            _, dpi = load_image_page(source, i)
            buf = io.BytesIO()
            frame = frame.convert("L" if frame.mode in ("1", "L", "LA", "I;16") else "RGB")
            frame.save(buf, "PDF", resolution=float(dpi))
            # Foreign pages are copied when the new PDF is saved: their PDF stays open until then.
            pdf.pages.append(stack.enter_context(pikepdf.open(io.BytesIO(buf.getvalue()))).pages[0])
    return pdf


def searchable_pdf(doc: Document, source: Path) -> bytes:
    """The original pages with an invisible text layer from the OCR'd pages."""
    with contextlib.ExitStack() as stack:
        try:
            pdf = _open_source(source, stack)
        except pikepdf.PasswordError as e:
            raise EncryptedPdfError(f"{source}: is encrypted with a password; decrypt it first (qpdf --decrypt)") from e
        except (OSError, pikepdf.PdfError, ValueError) as e:
            raise InputFileError(f"{source}: cannot be read back to build the searchable PDF ({e})") from e
        font = None
        for page, page_obj in zip(doc.pages, pdf.pages):
            if page.source != "ocr" or page.status != "ok" or not page.lines or not page.width:
                continue  # a text-layer page is already searchable; a failed page stays image only
            if font is None:
                font = _font(pdf)
            if page_obj.rotation % 360:
                # The page was rendered (and OCR'd) as displayed: bake /Rotate into the content so
                # the page's own coordinates are the displayed ones the boxes refer to.
                page_obj.flatten_rotation()
            _overlay(page_obj, page, font)
        buf = io.BytesIO()
        try:
            # A fixed /ID: the same input and OCR give the same bytes, so a re-run changes nothing.
            pdf.save(buf, encryption=False, deterministic_id=True)
        except (OSError, pikepdf.PdfError, ValueError) as e:
            raise OutputError(f"{source}: the searchable PDF could not be assembled ({e})") from e
    return buf.getvalue()
