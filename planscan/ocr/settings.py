"""Settings that decide what OCR produces. They are part of the page-cache key and the batch ledger key."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict


class OcrSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    dpi: int = 300
    lang: str = "vie"
    clean: bool = True  # run the OpenCV clean-up steps
    disabled_steps: tuple[str, ...] = ()  # clean-up steps switched off by name
    force_ocr: bool = False  # OCR even when the PDF has a text layer
    redo_ocr: bool = False  # OCR the pages whose text is only an invisible (earlier OCR) layer, replacing it
    restore: str = "auto"  # diacritic restoration mode applied to the result: auto|full|off
    jobs: Optional[int] = None  # page workers; None = number of cores
    use_cache: bool = True
    cache_dir: Optional[Path] = None  # None = the "ocr" folder of planscan._util.cachedir
    keep_temp: Optional[Path] = None  # folder to keep intermediate images in
    page_timeout: Optional[float] = None  # seconds
    # Tesseract page segmentation: 6 (one block of text lines) reads degraded scans far better than
    # 3 (automatic layout), which splits noisy pages into fragments; it keeps table rows together.
    psm: int = 6

    def cache_key_fields(self) -> dict:
        """Only what changes OCR output; jobs, cache and temp folders do not."""
        return {"dpi": self.dpi, "lang": self.lang, "clean": self.clean, "disabled_steps": list(self.disabled_steps),
                "psm": self.psm}


class PdfSettings(BaseModel):
    """How the searchable PDF is written (OCRmyPDF's names): they change the PDF, not the text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    output_type: Literal["pdfa", "pdf"] = "pdfa"  # PDF/A-2b, validated, or a plain PDF
    rotate_pages: bool = True  # turn sideways and upside-down pages upright (/Rotate, lossless)
    deskew: bool = True  # draw the scan turned by its skew so lines run level (the image bytes unchanged)
    clean_final: bool = False  # replace the image by the cleaned one Tesseract read
