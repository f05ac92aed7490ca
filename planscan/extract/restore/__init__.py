"""Diacritic restoration: vocabulary, OCR channel, candidates, decoder, and the Restorer that owns them."""

from planscan.extract.restore.channel import Channel
from planscan.extract.restore.restorer import Restorer, explain_text, restore_document, restore_text

__all__ = ["Channel", "Restorer", "explain_text", "restore_document", "restore_text"]
