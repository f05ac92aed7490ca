"""Comparison across documents: figures and their statements (figures), pairing into rows
(pairing), values implied by stated changes (derived), stated-change checks (checks), and the
diff rows (rows)."""

from planscan.extract.compare.derived import derive_values
from planscan.extract.compare.figures import ComparedDocument
from planscan.extract.compare.rows import compare_documents

__all__ = ["ComparedDocument", "compare_documents", "derive_values"]
