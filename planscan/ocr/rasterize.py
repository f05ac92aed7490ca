"""Input files to page images, one page at a time.

PDF pages are rendered with pdf2image (poppler's pdftoppm), images are read with Pillow (every frame
of a multi-page TIFF is a page). A page that was scanned at low resolution is rendered at its own
resolution and then upsampled with a cubic filter: Tesseract reads best at about 300 dpi, and
resampling once from the scan's own pixels is sharper than letting the renderer do it.
"""

from __future__ import annotations

import contextlib
import logging
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from planscan.errors import InputFileError, MissingDependencyError
from planscan.ocr import embedded

# Images without a resolution tag: guess it from the pixel size, assuming an A4/Letter page.
_PAGE_LONG_SIDE_INCHES = 11.69
# Below this fraction of the target resolution a scan is upsampled.
_UPSAMPLE_BELOW = 0.8
# Tesseract refuses an image wider or taller than this (OCRmyPDF checks it before calling it too).
TESSERACT_MAX_SIDE = 32767
# A page rendered below this to fit the limits would be too small to read: it is refused instead.
MIN_READABLE_DPI = 100
log = logging.getLogger("planscan.ocr")


def max_pixels() -> int:
    """The most pixels a page may have: Pillow's decompression-bomb limit (kept on), for renders too."""
    return int(Image.MAX_IMAGE_PIXELS or 89_478_485)


def max_dpi(width_in: float, height_in: float) -> float:
    """The highest resolution at which a page of this size fits Tesseract's side limit and the pixel limit."""
    width_in, height_in = max(width_in, 1e-3), max(height_in, 1e-3)
    return min(TESSERACT_MAX_SIDE / max(width_in, height_in), math.sqrt(max_pixels() / (width_in * height_in)))


def _too_large(path: Path, what: str, width: int, height: int) -> InputFileError:
    return InputFileError(
        f"{path}: {what} is {width:,} x {height:,} pixels, more than planscan reads (at most {max_pixels():,} pixels"
        f" and {TESSERACT_MAX_SIDE:,} a side, Tesseract's limit); scale it down to 300 dpi or split it, and retry"
    )


@contextlib.contextmanager
def _open_image(path: Path):
    """Pillow's image, with its decompression-bomb guard turned from a warning into a refusal and
    Tesseract's side limit checked, before any pixel is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                if max(im.size) > TESSERACT_MAX_SIDE:
                    raise _too_large(path, "the image", *im.size)
                yield im
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise InputFileError(
            f"{path}: the image claims more pixels than planscan decodes (at most {max_pixels():,}, Pillow's"
            f" decompression-bomb limit); scale it down to 300 dpi or split it, and retry"
        ) from e


@dataclass
class PageImage:
    number: int  # 1-based
    image: np.ndarray  # uint8, gray (H, W) or BGR (H, W, 3)
    dpi: int  # resolution of ``image`` after any upsampling
    source_dpi: int  # resolution it was read at


def image_page_count(path: Path) -> int:
    """Number of frames; raises InputFileError for anything Pillow cannot decode completely."""
    try:
        with _open_image(path) as im:
            n = getattr(im, "n_frames", 1)
            for k, frame in enumerate(ImageSequence.Iterator(im), start=1):
                if max(frame.size) > TESSERACT_MAX_SIDE or frame.size[0] * frame.size[1] > max_pixels():
                    raise _too_large(path, f"page {k}", *frame.size)
                frame.load()  # a truncated file fails here, not at open
            return n
    except UnidentifiedImageError as e:
        raise InputFileError(f"{path}: not a PDF or a readable image; convert it to PDF, PNG, JPEG or TIFF") from e
    except (OSError, SyntaxError, ValueError) as e:
        raise InputFileError(f"{path}: the image cannot be decoded ({e}); the file may be truncated, re-export it") from e


def _to_array(im: Image.Image) -> np.ndarray:
    if im.mode in ("1", "L", "I;16", "I", "F", "LA"):
        arr = np.asarray(im.convert("L"))
    else:
        arr = cv2.cvtColor(np.asarray(im.convert("RGB")), cv2.COLOR_RGB2BGR)
        # A grey scan stored as RGB: keep one channel, which halves the work downstream.
        small = arr[::8, ::8].astype(np.int16)
        if np.abs(small[..., 0] - small[..., 1]).max() <= 8 and np.abs(small[..., 1] - small[..., 2]).max() <= 8:
            arr = cv2.cvtColor(arr, cv2.COLOR_BGR2GRAY)
    return np.ascontiguousarray(arr)


def _guess_dpi(arr: np.ndarray) -> int:
    return max(50, int(round(max(arr.shape[:2]) / _PAGE_LONG_SIDE_INCHES)))


def load_image_page(path: Path, number: int) -> tuple[np.ndarray, int]:
    try:
        with _open_image(path) as im:
            im.seek(number - 1)
            if max(im.size) > TESSERACT_MAX_SIDE or im.size[0] * im.size[1] > max_pixels():
                raise _too_large(path, f"page {number}", *im.size)
            dpi_info = im.info.get("dpi")
            arr = _to_array(im)
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        raise InputFileError(f"{path}: page {number} cannot be decoded ({e}); the file may be truncated") from e
    dpi = 0
    if dpi_info:
        try:
            dpi = int(round(float(dpi_info[0])))
        except (TypeError, ValueError, IndexError):
            dpi = 0
    # Many tools write 72 or 96 dpi into screenshots and phone photos; trust a tag only when the
    # page size it implies is plausible for a paper page.
    if not dpi or not (4 <= max(arr.shape[:2]) / dpi <= 20):
        dpi = _guess_dpi(arr)
    return arr, dpi


def load_pdf_page(path: Path, number: int, dpi: int, grayscale: bool = False) -> np.ndarray:
    from pdf2image import convert_from_path
    from pdf2image.exceptions import (PDFInfoNotInstalledError, PDFPageCountError, PDFPopplerTimeoutError,
                                      PDFSyntaxError)

    from planscan.ocr.poppler import TIMEOUT, path_arg

    try:
        images = convert_from_path(
            path_arg(path), dpi=dpi, first_page=number, last_page=number, grayscale=grayscale, thread_count=1,
            timeout=TIMEOUT,
        )
    except PDFPopplerTimeoutError as e:
        raise InputFileError(f"{path}: page {number} did not render in {TIMEOUT:g} s; the PDF may be damaged") from e
    except PDFInfoNotInstalledError as e:
        raise MissingDependencyError(f"{path}: poppler is not installed; install it with: sudo apt-get install poppler-utils") from e
    except (PDFPageCountError, PDFSyntaxError) as e:
        raise InputFileError(f"{path}: page {number} cannot be rendered ({e}); the PDF may be damaged") from e
    if not images:
        raise InputFileError(f"{path}: page {number} rendered to nothing; the PDF may be damaged")
    return _to_array(images[0])


def upsample(arr: np.ndarray, dpi: int, target_dpi: int) -> tuple[np.ndarray, int]:
    h, w = arr.shape[:2]
    # never beyond the page limits: a large page scanned coarsely stays as large as they allow
    target_dpi = min(target_dpi, int(max_dpi(w / dpi, h / dpi)))
    if dpi >= target_dpi * _UPSAMPLE_BELOW:
        return arr, dpi
    scale = target_dpi / dpi
    out = cv2.resize(arr, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return out, target_dpi


def _fit_render_dpi(path: Path, number: int, dpi: int) -> int:
    """``dpi``, or less for a page whose stated size would render past the page limits (refused
    when it would then be too small to read)."""
    from planscan.ocr.poppler import page_size_inches

    size = page_size_inches(path, number)
    if size is None:
        return dpi
    fit = int(max_dpi(*size))
    if fit >= dpi:
        return dpi
    w_in, h_in = size
    if fit < MIN_READABLE_DPI:
        raise InputFileError(
            f"{path}: page {number} claims {w_in:,.0f} x {h_in:,.0f} inches; within Tesseract's {TESSERACT_MAX_SIDE:,}-pixel"
            f" side and {max_pixels():,} pixels it renders at {fit} dpi, too small to read; crop or split the page"
        )
    log.warning("%s: page %d (%.0f x %.0f inches) rendered at %d dpi instead of %d, to stay within %s pixels",
                path, number, w_in, h_in, fit, dpi, f"{max_pixels():,}")
    return fit


def load_page(path: Path, kind: str, number: int, target_dpi: int, native_dpi: int | None = None,
              grayscale: bool = False) -> PageImage:
    """Page ``number`` of a PDF or image, at ``target_dpi`` or upsampled to it."""
    if kind == "pdf":
        # Render a scanned page at its own resolution (capped at the target), a vector page at the target.
        render_dpi = min(native_dpi, target_dpi) if native_dpi and native_dpi >= 50 else target_dpi
        fitted = _fit_render_dpi(path, number, render_dpi)
        # A scan page at no more than the target resolution: its own image, decoded, is what the
        # renderer would paint, at a fraction of the cost.
        scan = embedded.scan_image(path, number) if native_dpi and fitted == render_dpi == native_dpi else None
        if scan is not None:
            arr = _to_array(scan.convert("L") if grayscale else scan)
        else:
            arr = load_pdf_page(path, number, fitted, grayscale=grayscale)
        source_dpi = fitted
    else:
        arr, source_dpi = load_image_page(path, number)
    arr, dpi = upsample(arr, source_dpi, target_dpi)
    return PageImage(number=number, image=arr, dpi=dpi, source_dpi=source_dpi)
