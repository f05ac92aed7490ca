"""Reading text inputs: the one place that turns unreadable or non-UTF-8 bytes into our errors.

Kept free of the record types so `planscan restore` can use it without their import cost.
"""

from __future__ import annotations

from pathlib import Path

from planscan.errors import EncodingError, InputFileError


def read_input_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputFileError(f"{path}: cannot be read ({e.strerror}); check the path and permissions") from e


def decode_utf8(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped); ``name`` is the file (or <stdin>) the error message names."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise EncodingError(
            f"{name}: is not UTF-8 (bad byte at offset {e.start}); convert it, e.g. iconv -f CP1258 -t UTF-8"
        ) from e
