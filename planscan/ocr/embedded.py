"""A scanned PDF page's own image, decoded straight from the file (pikepdf), instead of rendered.

A typical scan page draws one image over the whole page and nothing else; rendering it with
pdftoppm at the image's own resolution gives the same pixels but costs a second or two per page
(decode, paint, write and read back a file), as much as the rest of the clean-up. Anything else on
the page (text, vector marks, masks, a skewed or flipped placement) means the page is rendered.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from PIL import Image

_ALLOWED = {"q", "Q", "cm", "Do"}
# /Rotate turns the page clockwise for display; PIL's rotations are counter-clockwise.
_ROTATE = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}


def _placement(page: pikepdf.Page) -> tuple[str, list[float]] | None:
    """(image name, CTM at the Do) when the content is q/cm/Do/Q only and draws one image."""
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack, drawn = [], None
    for inst in pikepdf.parse_content_stream(page):
        op = str(inst.operator)
        if op not in _ALLOWED:
            return None
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else ctm
        elif op == "cm":
            a, b, c, d, e, f = (float(v) for v in inst.operands)
            A, B, C, D, E, F = ctm
            ctm = [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F]
        elif op == "Do":
            if drawn is not None:
                return None
            drawn = (str(inst.operands[0]), ctm)
    return drawn


def scan_image(path: Path, number: int) -> Image.Image | None:
    """Page ``number``'s scan (mode 1, L or RGB) as displayed (``/Rotate`` applied), or None when
    the page is more than one upright image filling the page."""
    try:
        with pikepdf.open(path) as pdf:
            page = pdf.pages[number - 1]
            res = page.obj.get("/Resources", pikepdf.Dictionary())
            if any(k in res and len(res[k]) for k in ("/Font", "/Pattern", "/Shading")):
                return None
            xobjects = res.get("/XObject", pikepdf.Dictionary())
            placed = _placement(page)
            if placed is None or len(xobjects) != 1 or placed[0] not in xobjects:
                return None
            name, (a, b, c, d, e, f) = placed
            img = xobjects[name]
            if img.get("/Subtype") != "/Image" or any(k in img for k in ("/ImageMask", "/SMask", "/Mask", "/Decode")):
                return None
            x0, y0, x1, y1 = (float(v) for v in page.mediabox)
            crop = page.obj.get("/CropBox")
            if crop is not None and [float(v) for v in crop] != [x0, y0, x1, y1]:
                return None
            # Upright, unflipped, and filling the page to within a point.
            if abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0:
                return None
            if max(abs(e - x0), abs(f - y0), abs(a - (x1 - x0)), abs(d - (y1 - y0))) > 1.0:
                return None
            pil = pikepdf.PdfImage(img).as_pil_image()
            rotation = int(page.obj.get("/Rotate", 0)) % 360
    except (pikepdf.PdfError, NotImplementedError, ValueError, KeyError, IndexError, OSError, TypeError):
        return None
    if pil.mode not in ("1", "L", "RGB"):
        return None
    return pil.transpose(_ROTATE[rotation]) if rotation else pil
