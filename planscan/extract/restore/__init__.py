"""Diacritic restoration: vocabulary, OCR channel, candidates, decoder, and the Restorer."""

from planscan.extract.restore.restorer import explain_text, restore_document, restore_text

__all__ = ["explain_text", "restore_document", "restore_text"]
