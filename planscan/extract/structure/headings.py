"""The one heading classifier: what a line's numbering says and whether the line heads a section.

Vietnamese administrative documents number their headings by a fixed convention, outermost first:
"Phần thứ nhất" (or "A.", "B." parts, or "Phụ lục" for appendices), roman "I.", arabic "1.",
decimal "1.1.", letters "a)", then bullets "*", "-", "+". Legal texts (Quyết định, Quy chế) number
"Chương" > "Mục" > "Điều" on the ranks of part > roman > arabic, so mixed documents nest alike.

Every pattern is matched on the accent fold, so text that lost its diacritics reads the same, and
OCR damage to numerals is repaired: "Il." for "II.", "1V." for "IV.", "L." or "1." for "I." before an
upper-case title. A label of only I-like strokes is marked ambiguous: its value is a guess that the
numbering sequence (sections.py) settles.

A numbered line that states a figure ("2. Thuế xuất nhập khẩu: 4.500 tỷ đồng.") is a list item: it
continues a list of values rather than titling what follows, so it does not hold the lines after it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from rapidfuzz import fuzz, process

from planscan.extract.text.numbers import find_quantities
from planscan.extract.text.fold import fold
from planscan.schemas.records import Line

Style = Literal[
    "part", "letter-part", "appendix", "chapter", "subsection", "article",
    "roman", "arabic", "decimal", "letter", "bullet",
]

_ORDINALS = {
    "nhat": 1,
    "hai": 2,
    "ba": 3,
    "tu": 4,
    "bon": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
}
ORDINAL_WORDS = {1: "nhất", 2: "hai", 3: "ba", 4: "tư", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười"}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese alphabet's order, as lists use it

# Matched on folded text, whose offsets are those of the original.
_PART = re.compile(r"^\s*ph\S{1,3}n\s+(?:th\S{1,3}\s+)?(?P<num>\S+?)\s*[.:]?\s*(?P<rest>.*)$")
_APPENDIX = re.compile(
    r"^\s*ph\S\s+l\S?c\b(?:\s+so\b)?\s*(?P<num>[ivxlc]{1,5}\b|\d{1,2}\b|[a-z]\b)?\s*[.:\-\u2013]?\s*(?P<rest>.*)$"
)
_CHAPTER = re.compile(r"^\s*ch\S{1,3}ng\s+(?P<num>[ivxlc]+|\d{1,2})\b\s*[.:\-\u2013]?\s*(?P<rest>.*)$")
_SUBSECTION = re.compile(r"^\s*m\S{1,2}c\s+(?P<num>[ivxlc]+|\d{1,2})\s*[.:\-\u2013]\s*(?P<rest>.*)$")
_ARTICLE = re.compile(r"^\s*d\S{1,3}u\s+(?P<num>\d{1,3})\s*[.:]\s*(?P<rest>.*)$")
_LEGAL = (
    (_CHAPTER, "chapter", "Chương"),
    (_SUBSECTION, "subsection", "Mục"),
    (_ARTICLE, "article", "Điều"),
)

_ROMANISH = re.compile(r"^\s*(?P<num>[IVXLl1|]{1,5}|[ivx]{1,4})\s*[.)]\s*(?P<rest>\S.*)$")
_DECIMAL = re.compile(r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\s*[.,)]?\s+(?P<rest>\S.*)$")
_ARABIC = re.compile(r"^\s*(?P<num>\d{1,2})\s*[.)]\s*(?P<rest>[^\W\d_].*)$")
_LETTER = re.compile(r"^\s*(?P<num>[a-zđ])\s*\)\s*(?P<rest>\S.*)$|^\s*(?P<num2>[a-zđ])\.\s+(?P<rest2>[^\W\d_].*)$")
_UPPER_LETTER = re.compile(r"^\s*(?P<num>[A-HK-UYĐ])\s*[.)]\s+(?P<rest>\S.*)$")
_BULLET = re.compile(r"^\s*(?P<num>[-\u2013\u2014*+\u2022\u00b7])\s*(?P<rest>[^\W\d_\s(].*)$")

# Scanned headings often keep only a trace of their roman numeral behind specks the OCR read as
# punctuation: "- II. CÁC GIẢI PHÁP", ". E, TÌNH HÌNH", "--- TV.KINH PHÍ", ": _IE,CÁC CHỈ TIÊU".
JUNK = ".,:;_'\"`~*\u2022|\u2013\u2014-"  # "-" last, so the class has no range
_NOISY_ROMAN = re.compile(
    rf"^\s*[{JUNK}]+[\s{JUNK}]*(?P<num>[IVXLHET1l|]{{1,4}})(?:\s*[.,:]\s*|\s+)(?P<rest>[^\W\d_].*)$"
)
_LOOKALIKE = str.maketrans({"H": "II", "E": "I", "T": "I", "l": "I", "1": "I", "|": "I", "L": "I"})
_I_STROKES = set("Il1|L")
_SENTENCE_END = re.compile(r"[.!?:;]\W*$")

# Outer to inner. Decimal numbering nests by its depth; bullets by their mark.
_RANK = {
    "part": 1.0, "appendix": 1.0, "chapter": 1.0, "letter-part": 1.5, "roman": 2.0, "subsection": 2.0,
    "article": 2.5, "arabic": 3.0, "decimal": 4.0, "letter": 7.0, "bullet": 8.0,
}
_BULLET_RANK = {"*": 0, "\u2022": 1, "-": 1, "\u2013": 1, "\u2014": 1, "\u00b7": 2, "+": 2}
# A figure that follows the label's colon within this many characters is what the line states.
_FIGURE_REACH = 12


@dataclass
class Heading:
    """A numbered line: its style, its label as found, its value in the sequence, and its text."""

    style: Style
    label: str  # "II", "1.1", "a", "-", "thứ hai", "Chương II"
    text: str  # the heading text after the label
    value: int | None
    flags: list[str] = field(default_factory=list)
    ambiguous: bool = False  # a roman label of only I-like strokes ("1", "Il", "111")
    item: bool = False  # states a figure: a list item, not a title of what follows

    @property
    def is_heading(self) -> bool:
        return not self.item

    @property
    def rank(self) -> float:
        if self.style == "decimal":
            return _RANK["decimal"] + self.label.count(".") - 1
        if self.style == "bullet":
            return _RANK["bullet"] + _BULLET_RANK.get(self.label, 1) / 10
        return _RANK[self.style]

    @property
    def legal(self) -> bool:
        """"Chương I", "Mục 2", "Điều 3": the word is part of the numbering."""
        return self.style in ("chapter", "subsection", "article")


def roman_to_int(s: str) -> int | None:
    s = s.upper()
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        if i + 1 < len(s) and _ROMAN[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total if int_to_roman(total) == s else None


def int_to_roman(n: int) -> str:
    out = []
    for v, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(sym)
            n -= v
    return "".join(out)


def mostly_upper(text: str, reach: int = 60) -> bool:
    """At least three letters among the first ``reach`` characters, four fifths of them capitals."""
    letters = [c for c in text[:reach] if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def states_figure(text: str) -> bool:
    """``text`` reads "<what>: <figure> ..." and ends its sentence: a value in a list, not a title."""
    s = text.rstrip()
    colon = s.find(":")
    if colon < 0 or not s.endswith((".", ";")):
        return False
    value = s[colon + 1 :]
    lead = len(value) - len(value.lstrip())
    if not any(c.isdigit() for c in value[: lead + _FIGURE_REACH + 1]):
        return False  # no figure starts near the colon: spare the quantity finder
    return any(q.start - lead <= _FIGURE_REACH for q in find_quantities(value))


def _part_number(word: str, after_thu: bool) -> int | None:
    """The number of "Phần <word>": an ordinal word, a digit or a roman numeral. Only after "thứ"
    may the word be OCR-damaged ("nhit"), so that "Phần lớn", "Phần mềm" stay ordinary sentences."""
    f = fold(word).strip(".:?!")
    if f in _ORDINALS and (after_thu or f not in ("nam", "ba", "tu")):
        return _ORDINALS[f]
    if f.isdigit() and len(f) <= 2:
        return int(f)
    r = roman_to_int(word.strip(".:"))
    if r and word.strip(".:").isupper():
        return r
    if not after_thu or len(f) < 3:
        return None
    hit = process.extractOne(f, list(_ORDINALS), scorer=fuzz.ratio, score_cutoff=60)
    return _ORDINALS[hit[0]] if hit else None


def _numeral(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else roman_to_int(raw)


def _appendix_number(raw: str) -> int:
    """Appendices are numbered by digits, romans or letters; "A", "B", "C", "D" are letters."""
    if not raw:
        return 1
    if len(raw) == 1 and raw.upper() not in "IVX":
        return LETTERS.find(raw.lower()) + 1 or 1
    return _numeral(raw.upper()) or 1


class _After:
    """Whether the line before ended a sentence or a title; worked out only when a label needs it."""

    def __init__(self, previous: str) -> None:
        self.previous = previous.rstrip()

    @cached_property
    def brk(self) -> bool:
        prev = self.previous
        return not prev or prev[-1] in ".:;!?)" or mostly_upper(prev)


def _classify_text(s: str, after: _After) -> Heading | None:
    f = fold(s)
    words = s.split()
    if _PART.match(f) and len(s) < 120 and len(words) > 1:
        # "Phần thứ nhất", "PHẦN THỨ HAI: ...", "Phần I." (and OCR's "Phiin thir nhit")
        after_thu = len(words) > 2 and fold(words[1]).startswith("th") and len(words[1]) <= 5
        k = 2 if after_thu else 1
        num = _part_number(words[k], after_thu)
        if num:
            label = " ".join(words[1 : k + 1]).rstrip(".:")
            rest = " ".join(words[k + 1 :])
            clean = fold(words[0]) == "phan" and fold(words[k]).strip(".:") in _ORDINALS
            return Heading("part", label, rest.strip(" .:-"), num, [] if clean else ["ocr-repaired"])

    m = _APPENDIX.match(f)
    if m and len(s) < 200:
        # "Phụ lục I", "PHỤ LỤC SỐ 02: BIỂU TỔNG HỢP", a bare "PHỤ LỤC" line; not "Phụ lục kèm theo"
        raw = s[m.start("num") : m.end("num")] if m.group("num") else ""
        rest = s[m.start("rest") :].strip(" .:-\u2013")
        if (raw or mostly_upper(s)) and (not rest or rest[:1].isupper()):
            return Heading("appendix", raw, rest, _appendix_number(raw))

    for pattern, style, word in _LEGAL:
        m = pattern.match(f)
        if m and len(s) < 200:
            raw = s[m.start("num") : m.end("num")]
            value = _numeral(raw)
            rest_text = s[m.start("rest") :]
            if value and (style != "chapter" or not rest_text.strip() or rest_text.lstrip()[:1].isupper()):
                return Heading(style, f"{word} {raw}", rest_text.strip(" .:-\u2013"), value)  # type: ignore[arg-type]

    m = _ROMANISH.match(s)
    if m and m.group("num") not in ("C", "D", "M"):  # "C. NHIỆM VỤ" follows "A.", "B.", not XCIX
        num, rest = m.group("num"), m.group("rest")
        value = roman_to_int(num)
        flags: list[str] = []
        if num.islower():
            # "ii)" in running text is a list item; "v. TỔ CHỨC" is an OCR'd roman heading
            value = None if not mostly_upper(rest) else value
            flags.append("ocr-repaired")
        if value is not None and (mostly_upper(rest) or num not in ("I", "V", "X", "L", "C") or after.brk):
            if num == "L":  # roman 50 never numbers a plan's sections; OCR of "I."
                return Heading("roman", num, rest, 1, ["ocr-repaired"], ambiguous=True)
            return Heading("roman", num, rest, value, flags)
        strokes = set(num) <= _I_STROKES and not num.isdigit() and len(num) > 1
        if value is None and (mostly_upper(rest) or strokes and after.brk and rest[:1].isupper()):
            # OCR strokes for I ("IL. Về ..." is II); a lower-case roman ("v.") before a capitalised heading
            repaired = num.replace("l", "I").replace("1", "I").replace("|", "I").replace("L", "I").upper()
            value = roman_to_int(repaired)
            if value is not None:
                return Heading("roman", num, rest, value, ["ocr-repaired"], ambiguous=set(num) <= _I_STROKES)

    m = _NOISY_ROMAN.match(s)
    if m and mostly_upper(m.group("rest")) and len(m.group("rest").split()) >= 2:
        num = m.group("num")
        return Heading("roman", num, m.group("rest"), roman_to_int(num.translate(_LOOKALIKE)), ["ocr-repaired"], True)

    m = _DECIMAL.match(s)
    if m and (m.group("rest")[:1].isupper() or after.brk):
        num = m.group("num")
        return Heading("decimal", num, m.group("rest"), int(num.split(".")[-1]), item=states_figure(m.group("rest")))

    m = _ARABIC.match(s)
    if m and (m.group("rest")[:1].isupper() or after.brk):
        return Heading("arabic", m.group("num"), m.group("rest"), int(m.group("num")), item=states_figure(m.group("rest")))

    m = _UPPER_LETTER.match(s)
    if m and mostly_upper(m.group("rest")):
        # "A. KẾT QUẢ THỰC HIỆN", "B. NHIỆM VỤ": lettered parts above the roman headings
        num = m.group("num")
        return Heading("letter-part", num, m.group("rest"), LETTERS.find(num.lower()) + 1 or None)

    m = _LETTER.match(s)
    if m and ((m.group("rest2") or m.group("rest") or "")[:1].isupper() or after.brk):
        num = m.group("num") or m.group("num2")
        rest = m.group("rest") or m.group("rest2")
        return Heading("letter", num, rest, LETTERS.find(num) + 1 or None, item=states_figure(rest))

    m = _BULLET.match(s)
    if m and (m.group("rest")[:1].isupper() or after.brk):
        return Heading("bullet", m.group("num"), m.group("rest"), None, item=states_figure(m.group("rest")))
    return None


def _renumber(text: str, original: str) -> str:
    """``text`` with its first word replaced by the first word of ``original``."""
    head = original.split(maxsplit=1)[0] if original.split() else ""
    parts = text.split(maxsplit=1)
    return f"{head} {parts[1]}" if len(parts) == 2 else text


def classify(line: str | Line, previous: str = "") -> Heading | None:
    """The numbered heading or list item that ``line`` starts, or None for any other line.

    ``previous`` is the line before (blank if none): after a finished sentence a lower-case item
    still starts a block, while "- xã hội" after an open one is a wrapped line. Given a restored
    ``Line``, the numeral is read from what OCR saw (``Line.original``) when restoration turned it
    into another numeral ("Il." -> "I.") or into a word ("Il." -> "In."); the words stay restored.
    """
    # offsets into the fold are offsets into the text only for composed (NFC) text
    text = unicodedata.normalize("NFC", line if isinstance(line, str) else line.text)
    original = None if isinstance(line, str) or line.original is None else unicodedata.normalize("NFC", line.original)
    s = text.strip()
    if not s or len(s) > 300:
        return None
    after = _After(previous)
    h = _classify_text(s, after)
    if not original or not original.strip() or len(original.strip()) > 300:
        return h
    if h is not None and h.style == "roman":
        ho = _classify_text(original.strip(), after)
        if ho is not None and ho.style == "roman" and ho.label != h.label:
            h.value, h.ambiguous = ho.value, ho.ambiguous or set(ho.label) <= _I_STROKES
            if "ocr-repaired" not in h.flags:
                h.flags.append("ocr-repaired")
    elif h is None:
        h = _classify_text(original.strip(), after)
        if h is not None:
            restored = _classify_text(_renumber(text, original).strip(), after)
            if restored is not None and restored.style == h.style:
                h.text = restored.text
    return h
