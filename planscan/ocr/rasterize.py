"""Input files to page images, one page at a time.

PDF pages are rendered with pdf2image (poppler's pdftoppm), images are read with Pillow (every frame
of a multi-page TIFF is a page). A page that was scanned at low resolution is rendered at its own
resolution and then upsampled with a cubic filter: Tesseract reads best at about 300 dpi, and
resampling once from the scan's own pixels is sharper than letting the renderer do it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from planscan.errors import InputFileError, MissingDependencyError

# Images without a resolution tag: guess it from the pixel size, assuming an A4/Letter page.
_PAGE_LONG_SIDE_INCHES = 11.69
# Below this fraction of the target resolution a scan is upsampled.
_UPSAMPLE_BELOW = 0.8


@dataclass
class PageImage:
    number: int  # 1-based
    image: np.ndarray  # uint8, gray (H, W) or BGR (H, W, 3)
    dpi: int  # resolution of ``image`` after any upsampling
    source_dpi: int  # resolution it was read at


def image_page_count(path: Path) -> int:
    """Number of frames; raises InputFileError for anything Pillow cannot decode completely."""
    try:
        with Image.open(path) as im:
            n = getattr(im, "n_frames", 1)
            for frame in ImageSequence.Iterator(im):
                frame.load()  # a truncated file fails here, not at open
            return n
    except UnidentifiedImageError as e:
        raise InputFileError(f"{path}: not a PDF or a readable image; convert it to PDF, PNG, JPEG or TIFF") from e
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as e:
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
        with Image.open(path) as im:
            im.seek(number - 1)
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
    if dpi >= target_dpi * _UPSAMPLE_BELOW:
        return arr, dpi
    scale = target_dpi / dpi
    out = cv2.resize(arr, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return out, target_dpi


def load_page(path: Path, kind: str, number: int, target_dpi: int, native_dpi: int | None = None,
              grayscale: bool = False) -> PageImage:
    """Page ``number`` of a PDF or image, at ``target_dpi`` or upsampled to it."""
    if kind == "pdf":
        # Render a scanned page at its own resolution (capped at the target), a vector page at the target.
        render_dpi = min(native_dpi, target_dpi) if native_dpi and native_dpi >= 50 else target_dpi
        arr = load_pdf_page(path, number, render_dpi, grayscale=grayscale)
        source_dpi = render_dpi
    else:
        arr, source_dpi = load_image_page(path, number)
    arr, dpi = upsample(arr, source_dpi, target_dpi)
    return PageImage(number=number, image=arr, dpi=dpi, source_dpi=source_dpi)
