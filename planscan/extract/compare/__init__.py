"""Comparison across documents: pairing, derived values, stated-change checks, diff rows."""

from planscan.extract.compare.rows import ComparedDocument, compare_documents, derive_values

__all__ = ["ComparedDocument", "compare_documents", "derive_values"]
