"""Write a Document: <stem>.txt, <stem>.ocr.json and, on request, a searchable PDF.

The searchable PDF keeps each page's image as scanned (its bytes copied, so a lossless scan stays
lossless and a JPEG is not recompressed) and lays invisible text over it, one word at a time, placed
by the OCR boxes. The boxes are in the cleaned image's pixels, so the text is mapped back through
the deskew, the right-angle turn and the resampling onto the scan; each line keeps the angle of its
baseline on the ink. The page is then turned upright with ``/Rotate``, which turns image and text
together without touching the image. With ``deskew`` or ``clean_final`` the page's image is
replaced by the straightened (or fully cleaned) one instead, stored losslessly.

The font is Tesseract's glyphless font with a ToUnicode map, so copying and searching give the
Vietnamese text. By default the file is PDF/A-2b: pikepdf's PDF/A support adds the sRGB output
intent and the XMP metadata, and validates the written bytes (``InvalidOutputError`` otherwise).
"""

from __future__ import annotations

import contextlib
import io
import math
import unicodedata
import zlib
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pikepdf

from planscan._util.atomic import atomic_write_bytes, atomic_write_text
from planscan.errors import EncryptedPdfError, InputFileError, InvalidOutputError, MissingDependencyError, OutputError
from planscan.ocr.settings import OcrSettings, PdfSettings
from planscan.ocr.textlayer import only_invisible_text, strip_invisible_text
from planscan.schemas.records import Document, DocumentMeta, Line, Page, Word

_GLYPH_WIDTH = 0.5  # advance of every glyph of the glyphless font, in em (its /DW 500)
# Each distinct word of a page is one character code of the page's font, mapped by ToUnicode to the
# whole word. Text extractors (poppler's pdftotext among them) break a word wherever one glyph's
# baseline is half a point off the previous one's, so glyph by glyph a word laid along a slanted
# baseline fell apart ("TU" "ẦN"); a word that is one glyph keeps together at any angle.
_CMAP_HEAD = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
"""
_CMAP_TAIL = b"""endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""
# Word heights, as multiples of the page's typical word height, and Tesseract confidences that
# decide which words stay out of the text layer (see layer_words).
_TALL, _HUGE = 1.8, 2.5
_LOW_CONF, _SURE = 50.0, 90.0
# A gap between two words of a line wider than this many text heights is bridged (see text_layer_stream).
_GAP = 1.0


def write_outputs(doc: Document, outdir: Path, stem: str, pdf: bool, source: Path, *,
                  meta: DocumentMeta | None = None, pdf_settings: PdfSettings | None = None,
                  ocr_settings: OcrSettings | None = None) -> list[Path]:
    """Write <stem>.txt, <stem>.ocr.json and, with ``pdf``, <stem>.pdf atomically; return their paths."""
    outdir = Path(outdir)
    written = []
    txt = outdir / f"{stem}.txt"
    atomic_write_text(txt, doc.text)
    written.append(txt)
    js = outdir / f"{stem}.ocr.json"
    atomic_write_text(js, doc.model_dump_json(indent=1) + "\n")
    written.append(js)
    if pdf:
        written.append(write_pdf(doc, Path(source), outdir / f"{stem}.pdf", meta, pdf_settings, ocr_settings))
    return written


def write_pdf(doc: Document, source: Path, out: Path, meta: DocumentMeta | None = None,
              pdf_settings: PdfSettings | None = None, ocr_settings: OcrSettings | None = None) -> Path:
    """The searchable PDF of ``doc`` at ``out`` (which may be ``source`` itself: it is read first)."""
    atomic_write_bytes(out, searchable_pdf(doc, source, meta, pdf_settings, ocr_settings))
    return out


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


# --- which words go into the layer -----------------------------------------------------------------


def _looks_like_text(text: str) -> bool:
    """Letters or digits make most of it and it has no letters of two cases mixed inside
    (seal rings and stamps read as "rhhÐ", "WWfG")."""
    core = text.strip(".,;:!?()[]\"'“”‘’-–—%/")
    if not core:
        return False
    alnum = sum(ch.isalnum() for ch in core)
    if alnum < 0.75 * len(core):
        return False
    inner = core[1:]
    return not (any(ch.isupper() for ch in inner) and any(ch.islower() for ch in inner))


def typical_height(page: Page) -> float:
    """The median height of the page's word boxes: its body text."""
    heights = [w.bbox.y1 - w.bbox.y0 for ln in page.lines for w in ln.words if w.bbox is not None]
    return float(np.median(heights)) if heights else 0.0


def layer_words(line: Line, typical: float) -> list[Word]:
    """The words of ``line`` that belong in the text layer: noise (seals, stamps, specks) stays out.

    ``typical`` is the page's typical word height (``typical_height``). A word far taller than that
    is a seal's ring or letters, a signature or a stamp that Tesseract read as text, unless it is
    read with near certainty (a large title); a word Tesseract is unsure of stays out when it is
    merely tall or does not look like text. Confident ordinary words always stay."""
    out = []
    for w in line.words:
        if not w.text.strip() or w.bbox is None:
            continue
        height = w.bbox.y1 - w.bbox.y0
        if typical and height > _HUGE * typical and w.conf < _SURE:
            continue
        if 0 <= w.conf < _LOW_CONF and ((typical and height > _TALL * typical) or not _looks_like_text(w.text)):
            continue
        out.append(w)
    return out


def _baseline(words: list[Word]) -> tuple[float, float]:
    """(slope, intercept) of the line through the bottoms of the words, in pixels (y down).

    The median of the pairwise slopes (Theil-Sen) and of the offsets: a word with a descender or a
    dot below sits lower, and the median ignores it."""
    xs = np.array([(w.bbox.x0 + w.bbox.x1) / 2 for w in words], dtype=float)
    ys = np.array([w.bbox.y1 for w in words], dtype=float)
    slope = 0.0
    if len(words) >= 3:
        i, j = np.triu_indices(len(words), 1)
        dx = xs[j] - xs[i]
        ok = dx > 1
        if ok.any():
            slope = float(np.median((ys[j] - ys[i])[ok] / dx[ok]))
            slope = max(-0.1, min(0.1, slope))  # a few degrees at most after deskew
    return slope, float(np.median(ys - slope * xs))


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def to_unicode(codes: dict[str, int]) -> bytes:
    """The ToUnicode CMap of a page's word codes."""
    out = [_CMAP_HEAD]
    items = sorted(codes.items(), key=lambda kv: kv[1])
    for i in range(0, len(items), 100):  # at most 100 entries per bfchar block
        chunk = items[i: i + 100]
        out.append(f"{len(chunk)} beginbfchar\n".encode("ascii"))
        out.extend(f"<{code:04X}> <{_utf16_hex(word)}>\n".encode("ascii") for word, code in chunk)
        out.append(b"endbfchar\n")
    out.append(_CMAP_TAIL)
    return b"".join(out)


def text_layer_stream(page: Page, matrix: np.ndarray, font: str = "/FPlanscan",
                      codes: dict[str, int] | None = None) -> bytes:
    """Content stream of invisible words; ``matrix`` maps the OCR'd pixels to the page's points.

    ``codes`` collects the character code given to each distinct word (see ``_CMAP_HEAD``)."""
    codes = {} if codes is None else codes
    ops = [f"q {_cm(matrix)}", "BT 3 Tr"]
    ops.append(f"{font} 1 Tf")
    typical = typical_height(page)
    for line in page.lines:
        words = layer_words(line, typical)
        if not words:
            continue
        slope, icpt = _baseline(words)
        angle = math.atan(slope)
        c, s = math.cos(angle), math.sin(angle)
        size = float(np.median([max(w.bbox.y1 - w.bbox.y0, 1) for w in words]))  # one size: one line
        for k, word in enumerate(words):
            b = word.bbox
            # The glyphs run along the baseline (angle a, y down) and stand perpendicular to it.
            x, y = float(b.x0), slope * b.x0 + icpt
            right = float(b.x1)
            if k + 1 < len(words) and words[k + 1].bbox.x0 - right > _GAP * size:
                # A wide gap inside a line (a seal or signature over it, a table's columns) would
                # make extractors read the two sides as columns, out of the line's order: the word
                # reaches on to half a space before the next one.
                right = words[k + 1].bbox.x0 - 0.5 * _GAP * size
            scale = 100.0 * max(right - b.x0, 1) / c / (_GLYPH_WIDTH * size)
            tm = (size * c, size * s, size * s, -size * c, x, y)
            text = unicodedata.normalize("NFC", word.text)
            if text not in codes and len(codes) >= 0xFFFE:
                continue  # two-byte codes: no page has this many distinct words
            code = codes.setdefault(text, len(codes) + 1)
            ops.append(f"{' '.join(_fmt(v) for v in tm)} Tm {_fmt(scale)} Tz <{code:04X}> Tj")
    ops.append("ET Q")
    return ("\n".join(ops) + "\n").encode("ascii")


# --- PDF assembly (pikepdf: qpdf's public object model) ---------------------------------------------


def _descendant(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The glyphless CID font every page's text font draws with (shared by all pages)."""
    from pikepdf import Array, Dictionary, Name, Stream, String

    from planscan.ocr.tesseract import tessdata_font

    ttf = tessdata_font()
    if ttf is None:
        raise MissingDependencyError("Tesseract's pdf.ttf (the invisible text font) is missing; install it with: "
                                     "sudo apt-get install tesseract-ocr")
    descriptor = Dictionary(
        Type=Name.FontDescriptor, FontName=Name.GlyphLessFont, Flags=5, FontBBox=Array([0, 0, 500, 1000]),
        ItalicAngle=0, Ascent=1000, Descent=0, CapHeight=1000, StemV=80,
        FontFile2=Stream(pdf, ttf.read_bytes()),
    )
    cid = Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name.GlyphLessFont,
        CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        DW=int(_GLYPH_WIDTH * 1000),
        # Every code shows glyph 1 of the glyphless font: the text is invisible anyway.
        CIDToGIDMap=Stream(pdf, b"\x00\x01" * 65536),
    )
    return pdf.make_indirect(cid)


def _page_font(pdf: pikepdf.Pdf, descendant: pikepdf.Object, codes: dict[str, int]) -> pikepdf.Object:
    from pikepdf import Array, Dictionary, Name, Stream

    return pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name.GlyphLessFont, Encoding=Name("/Identity-H"),
        DescendantFonts=Array([descendant]), ToUnicode=Stream(pdf, to_unicode(codes)),
    ))


def _free_name(page_obj: pikepdf.Page, kind: str, prefix: str) -> str:
    used = page_obj.obj.get("/Resources", pikepdf.Dictionary()).get(kind, pikepdf.Dictionary())
    # A name of our own that the page does not use yet, the same on every run.
    return next(n for n in (f"/{prefix}{i or ''}" for i in range(len(used) + 1)) if n not in used)


def _cm(m: np.ndarray) -> str:
    return f"{' '.join(_fmt(v) for v in (m[0, 0], m[1, 0], m[0, 1], m[1, 1], m[0, 2], m[1, 2]))} cm"


def _overlay(pdf: pikepdf.Pdf, page_obj: pikepdf.Page, page: Page, descendant: pikepdf.Object,
             matrix: np.ndarray, content: np.ndarray | None = None) -> None:
    """The text layer over the page; ``content`` (if given) transforms the page's own content."""
    name = _free_name(page_obj, "/Font", "FPlanscan")
    codes: dict[str, int] = {}
    layer = text_layer_stream(page, matrix, font=name, codes=codes)
    page_obj.add_resource(_page_font(pdf, descendant, codes), pikepdf.Name.Font, pikepdf.Name(name))
    # The original content is wrapped in q/Q so a graphics state it leaves changed cannot move the text.
    page_obj.contents_add(b"q\n" + (_cm(content).encode("ascii") + b"\n" if content is not None else b""),
                          prepend=True)
    page_obj.contents_add(b"\nQ\n" + layer)


def _image_xobject(pdf: pikepdf.Pdf, image: np.ndarray) -> pikepdf.Stream:
    """A gray or BGR array as a Flate-compressed (lossless) image; two-level images at 1 bit."""
    from pikepdf import Name, Stream

    if image.ndim == 3:
        data, cs, bpc = np.ascontiguousarray(image[..., ::-1]).tobytes(), Name.DeviceRGB, 8
    elif np.isin(image, (0, 255)).all():
        data, cs, bpc = np.packbits(image > 127, axis=1).tobytes(), Name.DeviceGray, 1
    else:
        data, cs, bpc = image.tobytes(), Name.DeviceGray, 8
    return Stream(pdf, zlib.compress(data, 6), Type=Name.XObject, Subtype=Name.Image, Width=image.shape[1],
                  Height=image.shape[0], ColorSpace=cs, BitsPerComponent=bpc, Filter=Name.FlateDecode)


def _image_page(pdf: pikepdf.Pdf, xobject: pikepdf.Stream, width_pt: float, height_pt: float) -> pikepdf.Page:
    from pikepdf import Array, Dictionary, Name

    content = f"q {_fmt(width_pt)} 0 0 {_fmt(height_pt)} 0 0 cm /Im0 Do Q\n".encode("ascii")
    page = pikepdf.Page(Dictionary(Type=Name.Page, MediaBox=Array([0, 0, width_pt, height_pt]),
                                   Resources=Dictionary(XObject=Dictionary(Im0=xobject)),
                                   Contents=pdf.make_stream(content)))
    return page


def _frames(source: Path) -> Iterator[tuple[object, str, int]]:
    """(Pillow frame, file format, dpi) of each frame of an image file."""
    from PIL import Image, ImageSequence

    from planscan.ocr.rasterize import load_image_page

    with Image.open(source) as im:
        for i, frame in enumerate(ImageSequence.Iterator(im), start=1):
            _, dpi = load_image_page(source, i)
            yield frame, im.format, dpi


def _image_source(source: Path, stack: contextlib.ExitStack) -> pikepdf.Pdf:
    """An image file as a PDF of one page per frame, each image stored without loss."""
    from pikepdf import Name, Stream

    pdf = stack.enter_context(pikepdf.new())
    for frame, fmt, dpi in _frames(source):
        w, h = frame.size
        # A JPEG file's bytes go into the PDF as they are: decoding and encoding again loses detail.
        if fmt == "JPEG" and frame.mode in ("L", "RGB"):
            xobj = Stream(pdf, source.read_bytes(), Type=Name.XObject, Subtype=Name.Image, Width=w, Height=h,
                          ColorSpace=Name.DeviceGray if frame.mode == "L" else Name.DeviceRGB,
                          BitsPerComponent=8, Filter=Name.DCTDecode)
        elif frame.mode == "1":
            arr = np.where(np.asarray(frame.convert("L")) > 127, 255, 0).astype(np.uint8)
            xobj = _image_xobject(pdf, arr)
        elif frame.mode in ("L", "LA", "I;16", "I", "F"):
            xobj = _image_xobject(pdf, np.asarray(frame.convert("L")))
        else:
            xobj = _image_xobject(pdf, np.asarray(frame.convert("RGB"))[..., ::-1])
        pdf.pages.append(_image_page(pdf, xobj, w * 72.0 / dpi, h * 72.0 / dpi))
    return pdf


def _open_source(source: Path, stack: contextlib.ExitStack) -> pikepdf.Pdf:
    if source.suffix.lower() == ".pdf":
        return stack.enter_context(pikepdf.open(source))
    return _image_source(source, stack)


def _has_text(page_obj: pikepdf.Page) -> bool:
    return len(page_obj.obj.get("/Resources", pikepdf.Dictionary()).get("/Font", pikepdf.Dictionary())) > 0


def final_image(source: Path, kind: str, page: Page, ocr: OcrSettings, cleaned: bool,
                native_dpi: int | None = None) -> np.ndarray:
    """The page image in the OCR'd frame (upright, deskewed): as scanned, or fully cleaned."""
    from planscan.ocr import clean, rasterize, tesseract

    img = rasterize.load_page(source, kind, page.number, ocr.dpi, native_dpi)
    if cleaned:
        osd = (lambda im, dpi: tesseract.osd(im, dpi, timeout=ocr.page_timeout))
        return clean.clean_page(img.image, img.dpi, disabled=ocr.disabled_steps, osd=osd).image
    return clean.straighten(img.image, page.rotation, page.skew)


def _replace_with_image(pdf: pikepdf.Pdf, index: int, image: np.ndarray, dpi: int) -> pikepdf.Page:
    h, w = image.shape[:2]
    new = _image_page(pdf, _image_xobject(pdf, image), w * 72.0 / dpi, h * 72.0 / dpi)
    pdf.pages[index] = new
    return pdf.pages[index]


def _metadata(pdf: pikepdf.Pdf, meta: DocumentMeta | None) -> None:
    from planscan._version import __version__

    pdf.Root.Lang = pikepdf.String("vi")
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["pdf:Producer"] = f"planscan {__version__}"
        xmp["xmp:CreatorTool"] = f"planscan {__version__}"
        xmp["dc:language"] = ["vi"]
        if meta is not None and meta.title:
            xmp["dc:title"] = meta.title
        if meta is not None and meta.issuer:
            xmp["dc:creator"] = [meta.issuer]
        if meta is not None and meta.date:
            xmp["xmp:CreateDate"] = f"{meta.date}T00:00:00"


def searchable_pdf(doc: Document, source: Path, meta: DocumentMeta | None = None,
                   pdf_settings: PdfSettings | None = None, ocr_settings: OcrSettings | None = None,
                   image_of: Callable[[Page, bool], np.ndarray] | None = None) -> bytes:
    """The input's pages, upright, with an invisible text layer from the OCR'd pages.

    ``image_of(page, cleaned)`` gives a replacement image (default: rendered again from ``source``);
    it is asked only with ``clean_final`` or for a page OCR'd over its own text."""
    opts = pdf_settings or PdfSettings()
    ocr = ocr_settings or OcrSettings()
    kind = "pdf" if source.suffix.lower() == ".pdf" else "image"
    if image_of is None:
        image_of = lambda page, cleaned: final_image(source, kind, page, ocr, cleaned)  # noqa: E731
    with contextlib.ExitStack() as stack:
        try:
            pdf = _open_source(source, stack)
        except pikepdf.PasswordError as e:
            raise EncryptedPdfError(f"{source}: is encrypted with a password; decrypt it first (qpdf --decrypt)") from e
        except (OSError, pikepdf.PdfError, ValueError) as e:
            raise InputFileError(f"{source}: cannot be read back to build the searchable PDF ({e})") from e
        font = None
        for index, page in enumerate(doc.pages[: len(pdf.pages)]):
            if page.source != "ocr" or page.status != "ok" or not page.width:
                continue  # a text-layer page is already searchable; a failed page stays as it was
            if font is None:
                font = _descendant(pdf)
            page_obj = pdf.pages[index]
            if ocr.redo_ocr and _has_text(page_obj) and only_invisible_text(page_obj):
                strip_invisible_text(pdf, page_obj)  # the earlier OCR layer gives way to ours
            # A page OCR'd over its own text (--force-ocr) shows its image only, as OCRmyPDF does.
            if opts.clean_final or _has_text(page_obj) and not ocr.redo_ocr:
                page_obj = _replace_with_image(pdf, index, image_of(page, opts.clean_final), page.dpi)
                left, bottom, right, top = (float(v) for v in page_obj.mediabox)
                matrix = np.array([[(right - left) / page.width, 0, 0], [0, -(top - bottom) / page.height, top],
                                   [0, 0, 1]])
                content = None
            else:
                if page_obj.rotation % 360:
                    # The page was rendered (and OCR'd) as displayed: bake /Rotate into the content so
                    # the page's own coordinates are the displayed ones the boxes refer to.
                    page_obj.flatten_rotation()
                left, bottom, right, top = (float(v) for v in page_obj.mediabox)
                shift = np.array([[1, 0, left], [0, 1, bottom], [0, 0, 1]])
                matrix = shift @ page_matrix(page, right - left, top - bottom)
                content = None
                if opts.deskew and abs(page.skew) >= 0.01:
                    # The scan is drawn turned by its skew, so its lines run level on the page: the
                    # image's bytes stay as they were, only the matrix that places them changes.
                    level = shift @ page_matrix(page, right - left, top - bottom, deskew=False)
                    content = level @ np.linalg.inv(matrix)
                    matrix = level
                if opts.rotate_pages and page.rotation % 360:
                    page_obj.rotate(page.rotation % 360, relative=False)
            _overlay(pdf, page_obj, page, font, matrix, content)
        buf = io.BytesIO()
        try:
            if opts.output_type == "pdfa":
                _save_pdfa(pdf, buf, meta, source)
            else:
                _metadata(pdf, meta)
                # A fixed /ID: the same input and OCR give the same bytes, so a re-run changes nothing.
                pdf.save(buf, encryption=False, deterministic_id=True)
        except (OSError, pikepdf.PdfError, ValueError) as e:
            raise OutputError(f"{source}: the searchable PDF could not be assembled ({e})") from e
    return buf.getvalue()


def _save_pdfa(pdf: pikepdf.Pdf, buf: io.BytesIO, meta: DocumentMeta | None, source: Path) -> None:
    import pikepdf.pdfa

    _metadata(pdf, meta)
    try:
        # prepare() adds pikepdf's sRGB output intent and the PDF/A declaration; save() validates
        # the bytes it wrote and raises if they do not conform.
        pikepdf.pdfa.prepare(pdf, "2b", output_intent="sRGB")
        # prepare() stamps xmp:MetadataDate with the clock; without it (it is optional) the same
        # input gives the same bytes, so a re-run or a resumed batch changes nothing.
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            if "xmp:MetadataDate" in xmp:
                del xmp["xmp:MetadataDate"]
        pikepdf.pdfa.save(pdf, buf, "2b", repair=False, deterministic_id=True)
    except pikepdf.pdfa.PdfaError as e:
        first = next(iter(e.report.findings), None)
        why = f"{first.rule}: {first.message}" if first is not None else str(e)
        raise InvalidOutputError(f"{source}: the output is not valid PDF/A-2b ({why}); "
                                 "use --output-type pdf for a plain PDF") from e
