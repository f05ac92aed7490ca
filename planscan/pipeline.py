"""Stage functions that take an input file to a Document, and a Document to records.

Dispatch on what the input is: a PDF or image is OCR'd (or its text layer read), a ``.txt`` file is
read as text with pages split on form feeds, a ``.ocr.json`` is loaded as it was written.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from planscan.errors import InputFileError
from planscan.schemas.records import Document, Line, Page
from planscan.textio import decode_utf8, read_input_bytes

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


def text_to_document(text: str, source: str = "-", sha256: str = "") -> Document:
    """Pages split on form feeds; every line kept, blank ones too, so line numbers match the file."""
    pages = []
    for number, page_text in enumerate(text.split("\f"), start=1):
        if number > 1 and page_text.startswith("\n"):
            pass  # the form feed starts the next page's first line; nothing to strip
        raw_lines = page_text.split("\n")
        if raw_lines and raw_lines[-1] == "":
            raw_lines.pop()
        pages.append(Page(number=number, source="text", lines=[Line(text=t, line=i) for i, t in enumerate(raw_lines)]))
    return Document(source=source, sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(), pages=pages)


def read_text_file(path: Path) -> Document:
    data = read_input_bytes(path)
    text = decode_utf8(data, str(path))
    return text_to_document(text.replace("\r\n", "\n"), source=str(path), sha256=hashlib.sha256(data).hexdigest())


def read_ocr_json(path: Path) -> Document:
    try:
        return Document.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as e:
        raise InputFileError(f"{path}: not a planscan .ocr.json ({e.__class__.__name__}); re-run planscan ocr") from e


def read_document(path: Path, settings=None, progress=None) -> Document:
    """Any supported input as a Document, restored as ``settings.restore`` says (default "auto").

    PDF and images go through OCR (or a PDF's text layer); ``.txt`` is read as text, and restoration
    in "auto" mode itself detects whether the diacritics are missing; ``.ocr.json`` is loaded as
    written (restored only if it was not restored before).
    """
    from planscan.ocr.settings import OcrSettings

    settings = settings or OcrSettings()
    path = Path(path)
    kind = input_kind(path)
    if kind == "text":
        doc = read_text_file(path)
    elif kind == "ocr-json":
        doc = read_ocr_json(path)
    else:
        from planscan.ocr.pipeline import ocr_document

        doc = ocr_document(path, settings, progress)
    if settings.restore != "off" and doc.restored in ("none", "off"):
        from planscan.extract.restore import restore_document

        doc = restore_document(doc, settings.restore)
    return doc


def extract_document(doc: Document):
    """(metadata, section tree, indicator records) of a Document, each stage fed the ones before."""
    from planscan.extract.indicators import extract_indicators
    from planscan.extract.metadata import parse_metadata

    meta = parse_metadata(doc)
    try:
        from planscan.extract.sections import parse_sections
    except ImportError:  # the section parser is optional until it lands
        sections = None
    else:
        sections = parse_sections(doc)
    return meta, sections, extract_indicators(doc, meta, sections)
