"""Record types passed between stages, and their JSON Schemas (the contract with other tools)."""

from planscan.schemas.records import BBox, Document, DocumentMeta, IndicatorRecord, Line, Page, Section, Word

__all__ = ["BBox", "Document", "DocumentMeta", "IndicatorRecord", "Line", "Page", "Section", "Word"]
