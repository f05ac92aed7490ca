"""Restoration of a text of any length in bounded memory.

The text is read a chunk at a time, cut into the paragraph blocks ``Restorer.restore_lines`` makes
(runs of lines between blank lines, at most 200 lines), and each block is restored and written
before the next is read. The mode is decided on the first ``DETECT_CHARS`` characters, which for
any text shorter than that is the whole text, as ``restore_text`` decides it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator

from planscan.extract.restore.restorer import MODES, BLOCK_LINES, Change, Restorer, default_restorer

DETECT_CHARS = 2_000_000
# A "line" without a break this long (a file with no newlines) is cut at a space, so a block stays small.
MAX_LINE_CHARS = 1 << 16


def split_lines(chunks: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(line, the break after it) for every line of the text ``chunks`` make, with every break
    ``str.splitlines`` knows kept verbatim ("" after the last line when the text does not end with one)."""
    pending = ""
    for chunk in chunks:
        pending += chunk
        pieces = pending.splitlines(keepends=True)
        # the last piece may continue in the next chunk (a "\r" may be half of a "\r\n")
        pending = pieces.pop() if pieces and (not _has_break(pieces[-1]) or pieces[-1].endswith("\r")) else ""
        for piece in pieces:
            yield _cut(piece)
        while len(pending) > MAX_LINE_CHARS:
            cut = pending.rfind(" ", 0, MAX_LINE_CHARS) + 1 or MAX_LINE_CHARS
            yield pending[:cut], ""
            pending = pending[cut:]
    if pending:
        for piece in pending.splitlines(keepends=True):
            yield _cut(piece)


def _has_break(piece: str) -> bool:
    return piece.splitlines() != [piece]


def _cut(piece: str) -> tuple[str, str]:
    body = piece.splitlines()[0] if piece else ""
    return body, piece[len(body):]


def paragraph_blocks(lines: Iterable[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    """The blocks of ``Restorer.restore_lines``, from a stream of (line, break)."""
    run: list[tuple[str, str]] = []
    for item in lines:
        if not item[0].strip():
            if run:
                yield run
            run = []
            yield [item]
            continue
        if len(run) >= BLOCK_LINES:
            yield run
            run = []
        run.append(item)
    if run:
        yield run


def restore_stream(chunks: Iterable[str], write: Callable[[str], None], mode: str = "auto",
                   restorer: Restorer | None = None,
                   on_change: Callable[[int, Change], None] | None = None) -> tuple[str, int]:
    """Restore the text ``chunks`` make, calling ``write`` with the restored text block by block
    and ``on_change`` with each change's (1-based line number, Change). Returns (mode used, changes)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    r = restorer or default_restorer()
    lines = split_lines(chunks)
    head: list[tuple[str, str]] = []
    size = 0
    for item in lines:
        head.append(item)
        size += len(item[0]) + 1
        if size >= DETECT_CHARS:
            break
    if mode == "off" or not head:
        used, kind = ("off" if mode == "off" else mode), "ocr"
    else:
        detected, kind = r.detect_kind("\n".join(unicodedata.normalize("NFC", t) for t, _ in head))
        used = detected if mode == "auto" else "full"
    lineno = 0
    changed = 0
    for block in paragraph_blocks(_chain(head, lines)):
        if used == "off":
            write("".join(t + b for t, b in block))
            continue
        texts = [unicodedata.normalize("NFC", t) for t, _ in block]
        out = []
        for (text, changes), (_, brk) in zip(r.restore_block(texts, used, kind), block):
            lineno += 1
            out.append(text + brk)
            changed += len(changes)
            if on_change:
                for ch in changes:
                    on_change(lineno, ch)
        write("".join(out))
    return used, changed


def _chain(head: list, rest: Iterator) -> Iterator:
    yield from head
    yield from rest
