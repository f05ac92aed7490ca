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


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def not_utf8(name: str, offset: int, data: bytes) -> EncodingError:
    """The error for text that is not UTF-8, naming what it probably is and how to convert it."""
    sample = data[:4096]
    if sample.count(0) * 4 > len(sample):  # every other byte NUL: UTF-16 that lost its byte-order mark
        return EncodingError(f"{name}: looks like UTF-16 without a byte-order mark; convert it, e.g."
                             " iconv -f UTF-16LE -t UTF-8")
    return EncodingError(
        f"{name}: is not UTF-8 (bad byte at offset {offset}); a legacy Vietnamese encoding (Windows-1258,"
        " TCVN3/ABC, VNI, VISCII) must be converted first: iconv -f CP1258 -t UTF-8 (or -f TCVN, -f VISCII);"
        " VNI and TCVN3 font text with UniKey's converter"
    )


def decode_utf8(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is dropped), or UTF-16 when a byte-order mark says so (what Windows Notepad
    saves as "Unicode"); ``name`` is the file (or <stdin>) the error message names."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise EncodingError(f"{name}: starts as UTF-16 but byte {e.start} is not; re-save it as UTF-8") from e
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise not_utf8(name, e.start, data) from e


CHUNK_CHARS = 1 << 20


def iter_utf8_chunks(stream, name: str, chunk_bytes: int = CHUNK_CHARS):
    """The text of a binary stream a chunk at a time, decoded as ``decode_utf8`` decodes a whole
    file (UTF-8, a BOM dropped, or UTF-16 when a byte-order mark says so), with its errors; for
    inputs of any size."""
    import codecs

    decoder = None
    first = b""
    offset = 0
    while True:
        try:
            data = stream.read(chunk_bytes)
        except OSError as e:
            raise InputFileError(f"{name}: cannot be read ({e.strerror}); check the path and permissions") from e
        if isinstance(data, str):  # a text stream (a test's stdin) is already decoded
            if not data:
                return
            yield data
            continue
        if decoder is None:
            first = data
            utf16 = data.startswith(_UTF16_BOMS)
            decoder = codecs.getincrementaldecoder("utf-16" if utf16 else "utf-8-sig")()
        try:
            text = decoder.decode(data, final=not data)
        except UnicodeDecodeError as e:
            if isinstance(decoder, codecs.getincrementaldecoder("utf-16")):
                raise EncodingError(f"{name}: starts as UTF-16 but byte {offset + e.start} is not; re-save it as UTF-8") from e
            raise not_utf8(name, offset + e.start, first) from e
        offset += len(data)
        if text:
            yield text
        if not data:
            return
