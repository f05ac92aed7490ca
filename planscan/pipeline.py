"""Stage functions that take an input file to a Document, and a Document to records.

Dispatch on what the input is: a PDF or image is OCR'd (or its text layer read), a ``.txt`` file is
read as text with pages split on form feeds, a ``.ocr.json`` is loaded as it was written.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from planscan.errors import InputFileError
from planscan.ocr.inputs import file_sha256, input_kind
from planscan.schemas.records import Document, Line, Page
from planscan._util.textio import decode_utf8, read_input_bytes

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
        from planscan.extract.restore.restorer import restore_document

        doc = restore_document(doc, settings.restore)
    return doc


def extract_document(doc: Document):
    """(metadata, section tree, indicator records) of a Document, each stage fed the ones before."""
    from planscan.extract.indicators.records import extract_indicators
    from planscan.extract.structure.metadata import parse_metadata

    meta = parse_metadata(doc)
    try:
        from planscan.extract.structure.sections import parse_sections
    except ImportError:  # the section parser is optional until it lands
        sections = None
    else:
        sections = parse_sections(doc)
    return meta, sections, extract_indicators(doc, meta, sections)


def convert(path: Path, outdir: Path, settings, pdf: bool = False, stem: str | None = None,
            progress=None) -> tuple[Document, list[Path]]:
    """One scan to its OCR outputs: OCR (or text layer), restoration as ``settings.restore`` says, files."""
    from planscan.extract.restore.restorer import restore_document
    from planscan.ocr.output import write_outputs
    from planscan.ocr.pipeline import ocr_document

    doc = ocr_document(Path(path), settings, progress=progress)
    doc = doc.model_copy(update={"restored": "off"}) if settings.restore == "off" else restore_document(doc, settings.restore)
    return doc, write_outputs(doc, Path(outdir), stem or Path(path).stem, pdf, Path(path))
