"""Page images for the review page, and where a figure's box falls on them.

A page is rendered on demand from the document's searchable PDF (or its scan, while it is still
where it was ingested from) and cached as PNG under the cache folder, keyed by the document's
content hash: once shown, a page needs neither file again. Boxes are in the pixels of the page
image as OCR saw it (turned upright, deskewed, resampled); the searchable PDF keeps the original
page, so boxes are mapped back through the same geometry the PDF's text layer uses, as fractions
of the page, which stay right at any zoom.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from planscan._util.atomic import atomic_write_bytes
from planscan._util.cachedir import cache_dir
from planscan.errors import InputFileError, MissingDependencyError, OutputError
from planscan.schemas.records import Page

RENDER_DPI = 110  # an A4 page 910 px wide: sharp enough to read figures, small enough to load fast


def page_geometry(row: dict) -> Page | None:
    """The Page (size, turn, skew) a stored page's boxes refer to, or None when it has no boxes."""
    if not row.get("width") or not row.get("height"):
        return None
    return Page(number=row["number"], width=row["width"], height=row["height"], dpi=row.get("dpi") or 0,
                rotation=row.get("rotation") or 0, skew=row.get("skew") or 0.0)


def box_fractions(page: Page, box) -> list[float] | None:
    """[left, top, width, height] of an OCR box as fractions of the original page (the bounding box
    of its four corners, which a deskew turns slightly)."""
    if box is None:
        return None
    (a, b, c), (d, e, f) = _fraction_matrix(page.width, page.height, page.rotation, page.skew)
    x0, y0, x1, y1 = (box.x0, box.y0, box.x1, box.y1) if hasattr(box, "x0") else box
    # four corners by hand: a page's few hundred boxes cost less than numpy's call overhead
    corners = ((x0, y0), (x1, y0), (x0, y1), (x1, y1))
    xs = [a * x + b * y + c for x, y in corners]
    ys = [1.0 - (d * x + e * y + f) for x, y in corners]
    left, top = min(max(min(xs), 0.0), 1.0), min(max(min(ys), 0.0), 1.0)
    return [round(left, 5), round(top, 5), round(min(max(max(xs), 0.0), 1.0) - left, 5),
            round(min(max(max(ys), 0.0), 1.0) - top, 5)]


@lru_cache(maxsize=256)
def _fraction_matrix(width: int, height: int, rotation: int, skew: float) -> tuple[tuple[float, ...], ...]:
    """The first two rows of the map from OCR pixels to fractions of the page (y up), per geometry."""
    from planscan.ocr.output import page_matrix

    m = page_matrix(Page(number=1, width=width, height=height, rotation=rotation, skew=skew), 1.0, 1.0)
    return tuple(float(v) for v in m[0]), tuple(float(v) for v in m[1])


def box_from_fractions(page: Page, frac: list[float]) -> tuple[int, int, int, int]:
    """The OCR-pixel box of a box drawn on the page (fractions [left, top, width, height])."""
    from planscan.ocr.output import page_matrix

    inv = np.linalg.inv(page_matrix(page, 1.0, 1.0))
    left, top, w, h = frac
    xs, ys = [left, left + w, left, left + w], [top, top, top + h, top + h]
    pts = inv @ np.array([xs, [1.0 - y for y in ys], [1, 1, 1, 1]], dtype=float)
    return (int(pts[0].min()), int(pts[1].min()), int(np.ceil(pts[0].max())), int(np.ceil(pts[1].max())))


def image_sources(doc: dict) -> list[Path]:
    """Files that may hold the document's pages, best first: the searchable PDF or scan recorded at
    ingest, then the source it was read from."""
    out = []
    for raw in (doc.get("image_file"), doc.get("source")):
        if raw and Path(raw).suffix.lower() in (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff") and Path(raw).is_file():
            out.append(Path(raw))
    return out


def _cache_path(sha256: str, number: int, dpi: int) -> Path:
    return cache_dir("review") / sha256[:2] / f"{sha256}-p{number}-{dpi}.png"


def has_image(doc: dict, number: int, dpi: int = RENDER_DPI) -> bool:
    return _cache_path(doc["sha256"], number, dpi).is_file() or bool(image_sources(doc))


def page_png(doc: dict, number: int, dpi: int = RENDER_DPI) -> bytes | None:
    """PNG of page ``number`` of a stored document (a ``documents`` row), or None when no file
    holds it any more and it was never rendered."""
    cached = _cache_path(doc["sha256"], number, dpi)
    try:
        return cached.read_bytes()
    except OSError:
        pass
    for path in image_sources(doc):
        try:
            png = _render(path, number, dpi)
        except (InputFileError, MissingDependencyError):
            continue
        try:
            atomic_write_bytes(cached, png)
        except (OutputError, OSError):
            pass  # a read-only cache only costs speed
        return png
    return None


def _render(path: Path, number: int, dpi: int) -> bytes:
    import cv2

    from planscan.ocr.rasterize import load_image_page, load_pdf_page

    if path.suffix.lower() == ".pdf":
        arr = load_pdf_page(path, number, dpi, grayscale=True)
    else:
        arr, native = load_image_page(path, number)
        if native and native != dpi:
            arr = cv2.resize(arr, None, fx=dpi / native, fy=dpi / native, interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".png", arr, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    if not ok:
        raise InputFileError(f"{path}: page {number} could not be encoded as PNG")
    return buf.tobytes()
