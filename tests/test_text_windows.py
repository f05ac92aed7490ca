"""A .txt input read in parts gives the pages and lines of the plain split of the whole text
(form feeds, "\\n", "\\r\\n" across chunk ends, empty pages), and streamed restoration restores the
blocks restore_lines makes."""

from __future__ import annotations

import random
import unicodedata

from planscan.extract.restore.restorer import _blocks
from planscan.extract.restore.stream import paragraph_blocks, split_lines
from planscan.pipeline import _text_lines, text_to_document, text_windows

ALPHABET = ["a", "b", " ", "\n", "\f", "\r\n", "\r", "ă", "\u0301", "x\ny", "\n\n", "\f\n"]


def _plain(text: str) -> list[tuple[int, int, str]]:
    """The reference twin: split the whole text as the reader always has."""
    out = []
    for number, page in enumerate(text.replace("\r\n", "\n").split("\f"), start=1):
        lines = page.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        out += [(number, i, unicodedata.normalize("NFC", t)) for i, t in enumerate(lines)]
    return out


def _texts(n: int = 300):
    rng = random.Random(9)
    for _ in range(n):
        yield "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 50)))


def test_lines_in_any_chunking_are_the_plain_split():
    for text in _texts():
        for size in (1, 2, 3, 7, 1000):
            chunks = [text[i:i + size] for i in range(0, len(text), size)]
            got = [(p, i, unicodedata.normalize("NFC", t)) for p, i, t in _text_lines(chunks) if i is not None]
            assert got == _plain(text), (text, size)


def test_windows_number_pages_and_lines_as_the_whole(tmp_path):
    for k, text in enumerate(_texts(100)):
        path = tmp_path / f"{k}.txt"
        path.write_bytes(text.encode("utf-8"))
        whole = text_to_document(text)
        for window in (1, 4, 16):
            docs = list(text_windows(path, window))
            assert [(p.number, ln.line, ln.text) for d in docs for p in d.pages for ln in p.lines] == \
                   [(p.number, ln.line, ln.text) for p in whole.pages for ln in p.lines]
            assert sorted({p.number for d in docs for p in d.pages}) == [p.number for p in whole.pages]


def test_stream_blocks_are_restore_lines_blocks():
    rng = random.Random(4)
    for _ in range(200):
        lines = [rng.choice(["", " ", "x", "yy z"]) for _ in range(rng.randint(0, 700))]
        expected = [lines[a:b] for a, b in _blocks(lines)]
        got = [[t for t, _ in block] for block in paragraph_blocks((ln, "\n") for ln in lines)]
        assert got == expected


def test_split_lines_keeps_every_break_verbatim():
    for text in _texts():
        for size in (1, 3, 1000):
            items = list(split_lines(text[i:i + size] for i in range(0, len(text), size)))
            assert "".join(t + b for t, b in items) == text
            assert [t for t, _ in items] == text.splitlines()
