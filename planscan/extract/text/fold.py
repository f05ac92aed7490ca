"""The one accent fold: how text is compared once OCR may have lost, or mangled, its diacritics.

Contract of ``fold(text)``:

- lower case, every diacritic removed (tones and the vowel marks of ă â ê ô ơ ư), đ/Đ -> d;
- decomposed (NFD) input is composed first, so ``fold(nfc) == fold(nfd)`` for the same text;
- one output character per character of the composed text: for NFC input (what OCR, the
  restorer and almost every Vietnamese file give) the output has exactly the input's length, so an
  offset into ``fold(text)`` is an offset into ``text``. Only a combining mark that NFC cannot
  put on a letter is dropped, shortening the output; stages that keep offsets therefore work on
  NFC text (``pipeline.text_to_document`` composes what it reads);
- idempotent, and ASCII comes out merely lower-cased.

``strip_marks`` is the same fold with each letter's case kept; ``fold_words`` also collapses runs
of white space to one space, for comparing labels.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_D = {"đ": "d", "Đ": "D"}


def _step(ch: str, lower: bool) -> str:
    if ch in _D:
        return _D[ch].lower() if lower else _D[ch]
    if unicodedata.category(ch) == "Mn":
        return ""
    decomposed = unicodedata.normalize("NFD", ch)
    # a letter with marks is its first character; Hangul and the like decompose into letters, kept
    base = decomposed[0] if all(unicodedata.category(c) == "Mn" for c in decomposed[1:]) else ch
    if lower:
        low = base.lower()
        base = low if len(low) == 1 else base  # "İ".lower() is two characters
    return base


class _Table(dict):
    """str.translate table built on demand: one character to one character (or none for a mark)."""

    def __init__(self, lower: bool) -> None:
        super().__init__()
        self.lower = lower

    def __missing__(self, code: int) -> str:
        out = chr(code)
        for _ in range(4):  # to a fixed point, so that folding twice changes nothing
            nxt = _step(out, self.lower) if out else out
            if nxt == out:
                break
            out = nxt
        self[code] = out
        return out


_LOWER = _Table(lower=True)
_CASED = _Table(lower=False)


def _apply(text: str, table: _Table) -> str:
    if text.isascii():
        return text.lower() if table.lower else text
    out = unicodedata.normalize("NFC", text).translate(table)
    # dropping a stray mark can leave two characters that NFC composes; fold that again
    return out if out.isascii() or unicodedata.is_normalized("NFC", out) else _apply(out, table)


def fold(text: str) -> str:
    """Lower case, no diacritics, đ -> d; as long as ``text`` when ``text`` is NFC (see the module)."""
    return _apply(text, _LOWER)


def strip_marks(text: str) -> str:
    """``fold`` with each letter's case kept: "Đường" -> "Duong"."""
    return _apply(text, _CASED)


@lru_cache(maxsize=65536)  # labels repeat across documents and years
def fold_words(text: str) -> str:
    """``fold`` with white space collapsed to single spaces and trimmed, for comparing labels."""
    return " ".join(fold(text).split())
