"""What kind of input a file is, by its name, and its content hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

from planscan.errors import InputFileError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
PDF_SUFFIXES = {".pdf"}
TEXT_SUFFIXES = {".txt"}
OCR_JSON_SUFFIX = ".ocr.json"


def input_kind(path: Path) -> str:
    """'pdf', 'image', 'text' or 'ocr-json', by name; content is checked by the reader."""
    name = path.name.lower()
    if name.endswith(OCR_JSON_SUFFIX):
        return "ocr-json"
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in TEXT_SUFFIXES:
        return "text"
    raise InputFileError(f"{path}: not a PDF, PNG, JPEG, TIFF, .txt or .ocr.json file; convert it to one of these")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
