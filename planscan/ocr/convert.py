"""One input file to its outputs: OCR (or text layer), diacritic restoration, then the files."""

from __future__ import annotations

from pathlib import Path

from planscan.ocr.output import write_outputs
from planscan.ocr.pipeline import Progress, ocr_document
from planscan.ocr.settings import OcrSettings
from planscan.schemas.records import Document


def restore(doc: Document, mode: str) -> Document:
    """Restoration by the extract package when it is installed; the OCR result as it is otherwise."""
    if mode == "off":
        return doc.model_copy(update={"restored": "off"})
    try:
        from planscan.extract.restore import restore_document
    except ImportError:
        return doc
    return restore_document(doc, mode)


def convert(path: Path, outdir: Path, settings: OcrSettings, pdf: bool = False, stem: str | None = None,
            progress: Progress | None = None) -> tuple[Document, list[Path]]:
    doc = restore(ocr_document(Path(path), settings, progress=progress), settings.restore)
    return doc, write_outputs(doc, Path(outdir), stem or Path(path).stem, pdf, Path(path))
