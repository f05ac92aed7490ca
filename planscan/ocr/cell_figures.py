"""Figure cells of a ruled table: which cells hold figures, and which of several OCR readings of a
figure to keep.

A worn copy makes Tesseract read a figure cell as letters ("HN N" for 117), drop its decimal comma
("979" for 97,9) or read a rule stub as a digit. So every cell of a figure column is read with the
page's language and with the English model; a cell those two leave in doubt (they differ, or
their figure is not written as printed) is read again with the English model limited to the
characters figures are written with. The reading kept is the one written the way Vietnamese
figures are ("4.386", "97,9", "16/18"), agreed on by most readings, read with the most confidence.
On a clean page most cells are settled by the first two readings and pay for no more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What Tesseract writes for a digit next to a rule or in a worn copy.
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "L": "1", "|": "1", "]": "1",
                             "[": "1", "S": "5", "B": "8", "—": "-", "–": "-", "−": "-", "⁄": "/"})
_FIGURE = re.compile(r"[-+]?\d[\d.,/]*%?")
# Figures as Vietnamese forms print them: thousands grouped by ".", one or two decimals after ",",
# a fraction "16/18". A decimal part of three digits is more likely a group read with the wrong mark.
_GROUPED = re.compile(r"[-+]?\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?%?")
_SMALL = re.compile(r"[-+]?\d{1,3}(?:,\d{1,2})?%?")
_FRACTION = re.compile(r"\d{1,4}/\d{1,4}")
_PLAIN = re.compile(r"[-+]?\d+(?:[.,]\d+)?%?")
_YEAR = re.compile(r"(19|20)\d\d")
# Marks that say "no figure" in a figure column; they are kept as printed.
EMPTY_MARKS = frozenset({"-", "x", "X", "--"})
# Numbering marks (I, II, a, b): a column with them numbers rows and is not a figure column.
_NUMBERING = re.compile(r"[IVXLC]{1,4}|[a-zđ]|[A-E]")
# Only these characters in the digits-only reading.
DIGITS_CONFIG = "-c tessedit_char_whitelist=0123456789.,/%-"


def looks_numeric(text: str) -> bool:
    """A cell that is a figure: digits with at most a few other marks."""
    t = text.replace(" ", "")
    digits = sum(ch.isdigit() for ch in t)
    return digits >= 1 and digits >= 0.5 * len(t)


def has_word(text: str) -> bool:
    """A reading with a word in it ("Năm 2024", "6 tháng đầu năm 2020"): a header or label cell,
    whose digits are part of its text, not a figure. Letters Tesseract writes for digits ("lO")
    and single letters (a rule's stub) make no word."""
    return any(len(t) >= 2 and t.isalpha() and any(ch.isalpha() for ch in t.translate(_LOOKALIKES))
               for t in text.split())


def figure_text(text: str) -> str:
    """A figure cell's OCR text cleaned: look-alike letters as digits, specks and stubs (tokens
    without a digit) dropped, a trailing dot dropped, and a decimal dot (one or two digits after
    it, never a thousands group) written as the comma Vietnamese figures use. "" if no figure."""
    tokens = text.split()
    # A token without a real digit beside ones with digits is a speck or a rule's stub ("| 16/18").
    if any(any(ch.isdigit() for ch in t) for t in tokens):
        tokens = [t for t in tokens if any(ch.isdigit() for ch in t)]
    tokens = [t.translate(_LOOKALIKES).strip("._'\"`,:;") for t in tokens]
    t = "".join(tokens)
    if not _FIGURE.fullmatch(t):
        return ""
    return re.sub(r"(?<=\d)\.(\d{1,2})$", r",\1", t) if t.count(".") == 1 and "," not in t else t


def grammar(text: str) -> int:
    """2: written as a figure is printed; 1: digits, but not as printed (no group mark in "4386",
    three decimals); 0: no figure."""
    if not text:
        return 0
    if _GROUPED.fullmatch(text) or _SMALL.fullmatch(text) or _FRACTION.fullmatch(text):
        return 2
    return 1 if _PLAIN.fullmatch(text) else 0


@dataclass(frozen=True)
class Reading:
    text: str  # after figure_text
    conf: float  # Tesseract's mean word confidence, 0..100 (-1 when unknown)


def choose(readings: list[Reading]) -> str:
    """The reading written as a figure is printed; among those, the one most readings agree on;
    then the most confident. "" when no reading is a figure."""
    best: tuple | None = None
    pick = ""
    for r in readings:
        g = grammar(r.text)
        if g == 0:
            continue
        votes = sum(o.text == r.text for o in readings)
        key = (g, votes, r.conf)
        if best is None or key > best:
            best, pick = key, r.text
    return pick


def settled(first: Reading, second: Reading) -> bool:
    """Two readings by different models that agree on a figure written as it is printed: models
    that err differently rarely make the same well-formed mistake, so the cell needs no more."""
    return first.text == second.text and grammar(first.text) == 2


def _figure_of(text: str) -> bool:
    """A first reading that is a figure of the body: mostly digits, two or more, no word and no year
    (which headers hold: "Thực hiện 6 tháng đầu năm 2020" is no figure "62020")."""
    t = figure_text(text)
    return (sum(ch.isdigit() for ch in t) >= 2 and not _YEAR.fullmatch(t) and looks_numeric(text)
            and not has_word(text))


def figure_cells(cells: list[tuple[int, int, int]], texts: list[str]) -> set[int]:
    """Indexes of the cells to read as figures: the body cells (from the first row with a figure
    on) of the columns whose body cells are mostly figures and hold no numbering marks.
    ``cells`` are (row, col, colspan) in the order of ``texts``."""
    starts = [r for (r, _c, _s), t in zip(cells, texts) if _figure_of(t)]
    if not starts:
        return set()
    body = min(starts)
    by_col: dict[int, list[int]] = {}
    for i, (r, c, span) in enumerate(cells):
        if r >= body and span == 1:
            by_col.setdefault(c, []).append(i)
    out: set[int] = set()
    for members in by_col.values():
        filled = [texts[i].strip() for i in members if texts[i].strip()]
        figures = sum(bool(figure_text(t)) or looks_numeric(t) or t in EMPTY_MARKS for t in filled)
        marks = sum(bool(_NUMBERING.fullmatch(t)) for t in filled)
        if len(filled) >= 2 and figures >= 0.5 * len(filled) and marks < 0.1 * len(filled):
            out.update(i for i in members if texts[i].strip() not in EMPTY_MARKS)
    return out
