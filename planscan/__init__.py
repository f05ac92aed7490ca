"""planscan: scanned Vietnamese government plans to correct text and structured figures.

The public API. Names resolve lazily, so ``import planscan`` stays cheap and a command loads only
the stages it uses::

    import planscan
    doc = planscan.read_document("plan.pdf")          # OCR (or text layer), then restoration
    meta, sections, records = planscan.extract_document(doc)
    planscan.restore_text("Tong doanh thu buu chinh")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from planscan._version import __version__

# name -> module that defines it; one line per public name
_API = {
    "read_document": "planscan.pipeline",
    "extract_document": "planscan.pipeline",
    "convert": "planscan.pipeline",
    "ocr_document": "planscan.ocr.pipeline",
    "OcrSettings": "planscan.ocr.settings",
    "Restorer": "planscan.extract.restore.restorer",
    "restore_text": "planscan.extract.restore.restorer",
    "restore_document": "planscan.extract.restore.restorer",
    "explain_text": "planscan.extract.restore.restorer",
    "parse_number": "planscan.extract.text.numbers",
    "find_quantities": "planscan.extract.text.numbers",
    "find_periods": "planscan.extract.text.periods",
    "parse_period": "planscan.extract.text.periods",
    "parse_metadata": "planscan.extract.structure.metadata",
    "parse_sections": "planscan.extract.structure.sections",
    "extract_indicators": "planscan.extract.indicators.records",
    "indicator_key": "planscan.extract.indicators.keys",
    "compare_documents": "planscan.extract.compare",
    "derive_values": "planscan.extract.compare",
    "ComparedDocument": "planscan.extract.compare",
    "Store": "planscan.io.store",
    "load_series": "planscan.io.series",
    "run_batch": "planscan.batch.runner",
    "BatchSettings": "planscan.batch.job",
    "Document": "planscan.schemas.records",
    "Page": "planscan.schemas.records",
    "Line": "planscan.schemas.records",
    "Word": "planscan.schemas.records",
    "DocumentMeta": "planscan.schemas.records",
    "Section": "planscan.schemas.records",
    "IndicatorRecord": "planscan.schemas.records",
    "ComparisonRow": "planscan.schemas.comparison",
    "DiffResult": "planscan.schemas.comparison",
    "PlanscanError": "planscan.errors",
    "ExitCode": "planscan.errors",
}

__all__ = ["__version__", *sorted(_API)]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'planscan' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # resolve once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))


if TYPE_CHECKING:  # static type checkers see the real names
    from planscan.batch.job import BatchSettings
    from planscan.batch.runner import run_batch
    from planscan.errors import ExitCode, PlanscanError
    from planscan.extract.compare import ComparedDocument, compare_documents, derive_values
    from planscan.extract.indicators.keys import indicator_key
    from planscan.extract.indicators.records import extract_indicators
    from planscan.extract.restore.restorer import Restorer, explain_text, restore_document, restore_text
    from planscan.extract.structure.metadata import parse_metadata
    from planscan.extract.structure.sections import parse_sections
    from planscan.extract.text.numbers import find_quantities, parse_number
    from planscan.extract.text.periods import find_periods, parse_period
    from planscan.io.series import load_series
    from planscan.io.store import Store
    from planscan.ocr.pipeline import ocr_document
    from planscan.ocr.settings import OcrSettings
    from planscan.pipeline import convert, extract_document, read_document
    from planscan.schemas.comparison import ComparisonRow, DiffResult
    from planscan.schemas.records import Document, DocumentMeta, IndicatorRecord, Line, Page, Section, Word
