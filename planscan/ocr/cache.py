"""Page cache: a page OCR'd once with the same image, settings and Tesseract is never OCR'd again.

The key hashes the rasterised page image (before clean-up), ``OcrSettings.cache_key_fields()``, the
Tesseract version and this pipeline's version, so any change that could alter the output misses.
Entries are Page records as JSON, written atomically, so a killed run never leaves a bad entry.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from planscan._util.atomic import atomic_write_text
from planscan._util.cachedir import cache_dir
from planscan.errors import OutputError
from planscan.schemas.records import Page

# Bump when clean-up or recognition changes in a way the settings do not capture.
PIPELINE_VERSION = "ocr-3"


def page_key(image: np.ndarray, settings_fields: dict, tesseract_version: str) -> str:
    h = hashlib.sha256()
    h.update(repr((image.shape, str(image.dtype))).encode())
    h.update(np.ascontiguousarray(image).data)
    h.update(json.dumps(settings_fields, sort_keys=True, default=str).encode())
    h.update(tesseract_version.encode())
    h.update(PIPELINE_VERSION.encode())
    return h.hexdigest()


class PageCache:
    def __init__(self, directory: Path | None = None, enabled: bool = True):
        self.dir = Path(directory) if directory else cache_dir("ocr")
        self.enabled = enabled

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, key: str) -> Page | None:
        if not self.enabled:
            return None
        try:
            return Page.model_validate_json(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError, ValidationError):
            return None  # missing or damaged: recompute

    def put(self, key: str, page: Page) -> None:
        if not self.enabled or page.status != "ok":
            return
        try:
            atomic_write_text(self._path(key), page.model_dump_json())
        except (OutputError, OSError):
            pass  # a read-only cache only costs speed
