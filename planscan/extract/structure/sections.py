"""The section tree of a Vietnamese plan or report.

Vietnamese administrative documents number their headings by a fixed convention, outermost first:
"Phần thứ nhất", roman "I.", arabic "1.", decimal "1.1.", letters "a)", then bullets "*", "-", "+".
A heading's rank comes from its style, so the tree is built with a stack: a heading closes every
open section of the same or lower rank. OCR damages the numbering ("Il." for "II.", "1V." for "IV.",
"L." or "1." for "I."); an upper-case heading after such a label is read as roman, and a label made
only of I-like strokes takes the value the sequence expects. Numbering that skips (II -> IV) or
goes back is kept as found and flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from planscan.extract.text.units import fold
from planscan.schemas.records import Document, Section

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
_ORDINAL_WORDS = {1: "nhất", 2: "hai", 3: "ba", 4: "tư", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười"}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

_PART = re.compile(r"^\s*ph\S{1,3}n\s+(?:th\S{1,3}\s+)?(?P<num>\S+?)\s*[.:]?\s*(?P<rest>.*)$")
_ROMANISH = re.compile(r"^\s*(?P<num>[IVXLl1|]{1,5}|[ivx]{1,4})\s*[.)]\s*(?P<rest>\S.*)$")
_DECIMAL = re.compile(r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\s*[.,)]?\s+(?P<rest>\S.*)$")
_ARABIC = re.compile(r"^\s*(?P<num>\d{1,2})\s*[.)]\s*(?P<rest>[^\W\d_].*)$")
_LETTER = re.compile(r"^\s*(?P<num>[a-zđ])\s*\)\s*(?P<rest>\S.*)$|^\s*(?P<num2>[a-zđ])\.\s+(?P<rest2>[^\W\d_].*)$")
_BULLET = re.compile(r"^\s*(?P<num>[-\u2013\u2014*+\u2022\u00b7])\s*(?P<rest>[^\W\d_\s(].*)$")
# Legal-style numbering (Quyết định, Quy chế, Điều lệ): Chương > Mục > Điều, on the same ranks as
# part > roman > arabic so that mixed documents nest the same way. Matched on folded text.
_CHAPTER = re.compile(r"^\s*ch\S{1,3}ng\s+(?P<num>[ivxlc]+|\d{1,2})\b\s*[.:\-\u2013]?\s*(?P<rest>.*)$")
_SUBSECTION = re.compile(r"^\s*m\S{1,2}c\s+(?P<num>[ivxlc]+|\d{1,2})\s*[.:\-\u2013]\s*(?P<rest>.*)$")
_ARTICLE = re.compile(r"^\s*d\S{1,3}u\s+(?P<num>\d{1,3})\s*[.:]\s*(?P<rest>.*)$")
# Scanned headings often keep only a trace of their roman numeral behind specks the OCR read as
# punctuation: "- II. CÁC GIẢI PHÁP", ". E, TÌNH HÌNH", "--- TV.KINH PHÍ", ": _IE,CÁC CHỈ TIÊU".
_JUNK = ".,:;_'\"`~*\u2022|\u2013\u2014-"  # "-" last, so the class has no range
_NOISY_ROMAN = re.compile(
    rf"^\s*[{_JUNK}]+[\s{_JUNK}]*(?P<num>[IVXLHET1l|]{{1,4}})(?:\s*[.,:]\s*|\s+)(?P<rest>[^\W\d_].*)$"
)
_JUNK_START = re.compile(rf"^\s*[{_JUNK}]+\s*(?=[^\W\d_])")
_LOOKALIKE = str.maketrans({"H": "II", "E": "I", "T": "I", "l": "I", "1": "I", "|": "I", "L": "I"})
_CLOSING = re.compile(r"^\s*n\S{1,2}i\s+nh\S{1,3}n\s*:")

# Outer to inner. Decimal numbering nests by its depth; bullets by their mark.
_RANK = {"part": 1, "upper-letter": 1.5, "roman": 2, "arabic": 3, "decimal": 4, "letter": 7, "bullet": 8}
_LETTERS = "abcdđeghiklmnopqrstuvxy"  # the Vietnamese alphabet's order, as lists use it
_UPPER_LETTER = re.compile(r"^\s*(?P<num>[A-HK-UYĐ])\s*[.)]\s+(?P<rest>\S.*)$")
_BULLET_RANK = {"*": 0, "\u2022": 1, "-": 1, "\u2013": 1, "\u2014": 1, "\u00b7": 2, "+": 2}


@dataclass
class _Node:
    style: str
    numbering: str
    heading: str
    rank: float
    page: int
    line: int
    value: int | None = None
    key: str = ""
    flags: list[str] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    page_end: int = 0
    line_end: int = 0
    last_value: dict[str, int] = field(default_factory=dict)
    bullet_count: int = 0
    title_lines: int = 0  # capitalised lines that continued the heading


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


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text[:60] if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


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


@dataclass
class _Heading:
    style: str
    numbering: str
    rest: str
    value: int | None
    rank: float
    flags: list[str]
    ambiguous_i: bool = False  # a roman label of only I-like strokes ("1", "Il", "111")
    legal: bool = False  # "Chương I", "Mục 2", "Điều 3": the word is part of the numbering


def classify_line(text: str, prev_text: str = "") -> _Heading | None:
    """The heading a line starts, or None. ``prev_text`` is the line before (blank if none)."""
    s = text.strip()
    if not s or len(s) > 300:
        return None
    prev = prev_text.rstrip()
    after_break = not prev or prev[-1] in ".:;!?)" or _mostly_upper(prev)

    f = fold(s)
    words = s.split()
    if _PART.match(f) and len(s) < 120 and len(words) > 1:
        # "Phần thứ nhất", "PHẦN THỨ HAI: ...", "Phần I." (and OCR's "Phiin thir nhit")
        after_thu = len(words) > 2 and fold(words[1]).startswith("th") and len(words[1]) <= 5
        k = 2 if after_thu else 1
        num = _part_number(words[k], after_thu)
        if num:
            numbering = " ".join(words[1 : k + 1])
            rest = " ".join(words[k + 1 :])
            clean = fold(words[0]) == "phan" and fold(words[k]).strip(".:") in _ORDINALS
            return _Heading("part", numbering, rest.strip(" .:-"), num, _RANK["part"], [] if clean else ["ocr-repaired"])

    for pattern, style, word in ((_CHAPTER, "part", "Chương"), (_SUBSECTION, "roman", "Mục"), (_ARTICLE, "arabic", "Điều")):
        m = pattern.match(f)
        if m and len(s) < 200:
            raw = s[m.start("num") : m.end("num")]
            value = int(raw) if raw.isdigit() else roman_to_int(raw)
            rest_text = s[m.start("rest") :]
            if value and (style != "part" or not rest_text.strip() or rest_text.lstrip()[:1].isupper()):
                rest = s[m.start("rest") :].strip(" .:-\u2013")
                # an article sits between a section and its numbered clauses ("Điều 2." > "1.")
                rank = _RANK[style] - 0.5 if style == "arabic" else _RANK[style]
                return _Heading(style, f"{word} {raw}", rest, value, rank, [], legal=True)

    m = _ROMANISH.match(s)
    if m and m.group("num") not in ("C", "D", "M"):  # "C. NHIỆM VỤ" follows "A.", "B.", not XCIX
        num, rest = m.group("num"), m.group("rest")
        value = roman_to_int(num)
        flags: list[str] = []
        ambiguous = False
        if num.islower():
            # "ii)" in running text is a list item; "v. TỔ CHỨC" is an OCR'd roman heading
            value = None if not _mostly_upper(rest) else value
            flags.append("ocr-repaired")
        if value is not None and (_mostly_upper(rest) or num not in ("I", "V", "X", "L", "C") or after_break):
            if num == "L":  # roman 50 never numbers a plan's sections; OCR of "I."
                value, flags, ambiguous = 1, ["ocr-repaired"], True
            return _Heading("roman", num, rest, value, _RANK["roman"], flags, ambiguous)
        if value is None and _mostly_upper(rest):
            # OCR strokes for I; a lower-case roman ("v.") before a capitalised heading
            repaired = num.replace("l", "I").replace("1", "I").replace("|", "I").replace("L", "I").upper()
            value = roman_to_int(repaired)
            if value is not None:
                ambiguous = set(num) <= set("Il1|L")
                return _Heading("roman", num, rest, value, _RANK["roman"], ["ocr-repaired"], ambiguous)

    m = _NOISY_ROMAN.match(s)
    if m and _mostly_upper(m.group("rest")) and len(m.group("rest").split()) >= 2:
        num = m.group("num")
        value = roman_to_int(num.translate(_LOOKALIKE))
        return _Heading("roman", num, m.group("rest"), value, _RANK["roman"], ["ocr-repaired"], True)

    m = _DECIMAL.match(s)
    if m and (m.group("rest")[:1].isupper() or after_break):
        num = m.group("num")
        depth = num.count(".") + 1
        return _Heading("decimal", num, m.group("rest"), int(num.split(".")[-1]), _RANK["decimal"] + depth - 2, [])

    m = _ARABIC.match(s)
    if m and (m.group("rest")[:1].isupper() or after_break):
        return _Heading("arabic", m.group("num"), m.group("rest"), int(m.group("num")), _RANK["arabic"], [])

    m = _UPPER_LETTER.match(s)
    if m and _mostly_upper(m.group("rest")):
        # "A. KẾT QUẢ THỰC HIỆN", "B. NHIỆM VỤ": lettered parts above the roman headings
        num = m.group("num")
        value = _LETTERS.find(num.lower()) + 1 or None
        return _Heading("letter", num, m.group("rest"), value, _RANK["upper-letter"], [])

    m = _LETTER.match(s)
    if m and (after_break or (m.group("rest2") or m.group("rest") or "")[:1].isupper()):
        num = m.group("num") or m.group("num2")
        rest = m.group("rest") or m.group("rest2")
        value = _LETTERS.find(num) + 1 or None
        return _Heading("letter", num, rest, value, _RANK["letter"], [])

    m = _BULLET.match(s)
    if m and (m.group("rest")[:1].isupper() or after_break):
        mark = m.group("num")
        return _Heading("bullet", mark, m.group("rest"), None, _RANK["bullet"] + _BULLET_RANK.get(mark, 1) / 10, [])
    return None


def _short_heading(h: _Heading) -> str:
    """The heading as a person would cite it: numbering plus text; a bullet paragraph up to its colon."""
    rest = " ".join(h.rest.split())
    if h.style == "bullet":
        colon = rest.find(":")
        if 0 < colon <= 80:
            rest = rest[:colon]
        elif len(rest) > 80:
            rest = rest[:80].rsplit(" ", 1)[0] + " …"
        return f"{h.numbering} {rest}"
    if h.legal:
        return f"{h.numbering}. {rest}" if rest else h.numbering
    if h.style == "part":
        # the ordinal as it should read, so that OCR damage does not reach section paths
        word = _ORDINAL_WORDS.get(h.value or 0, h.numbering.split()[-1])
        return f"Phần thứ {word}" + (f": {rest}" if rest else "")
    if h.style == "roman" and h.value:
        return f"{int_to_roman(h.value)}. {rest}"
    sep = ")" if h.style == "letter" and h.numbering.islower() else "."
    return f"{h.numbering}{sep} {rest}"


def _key(h: _Heading, parent: _Node) -> str:
    if h.legal:
        return {"part": "C", "roman": "M", "arabic": "D"}[h.style] + str(h.value)
    if h.style == "part":
        return f"P{h.value}"
    if h.style == "roman" and h.value:
        return int_to_roman(h.value)
    if h.style == "bullet":
        parent.bullet_count += 1
        return f"{h.numbering}{parent.bullet_count}"
    return h.numbering


def _renumber(text: str, original: str) -> str:
    """``text`` with its first word replaced by the first word of ``original``."""
    head = original.split(maxsplit=1)[0] if original.split() else ""
    parts = text.split(maxsplit=1)
    return f"{head} {parts[1]}" if len(parts) == 2 else text


def _check_sequence(parent: _Node, h: _Heading) -> None:
    if h.value is None and h.style == "roman":
        # a numeral OCR lost entirely: the one the sequence expects
        h.value = parent.last_value.get("roman", 0) + 1
        parent.last_value["roman"] = h.value
        return
    if h.value is None:
        return
    series = h.style if h.style != "decimal" else f"decimal{h.numbering.count('.')}"
    if h.style == "letter" and h.numbering.isupper():
        series = "upper-letter"
    if h.legal:
        series = "legal-" + h.style
    prev = parent.last_value.get(series)
    if h.ambiguous_i and prev is not None and (prev + 1 <= 3 or "ocr-repaired" in h.flags and abs(h.value - prev - 1) <= 1):
        # "1.", "Il.", "111." may be any of I, II, III: trust the sequence
        if h.value != prev + 1:
            h.value = prev + 1
            if "ocr-repaired" not in h.flags:
                h.flags.append("ocr-repaired")
    if prev is None:
        if h.value > 1:
            h.flags.append("skipped-numbering")
    elif h.value > prev + 1:
        h.flags.append("skipped-numbering")
    elif h.value <= prev:
        h.flags.append("out-of-order-numbering")
    parent.last_value[series] = h.value


def _build(doc: Document) -> _Node:
    pages = doc.pages
    first_page = pages[0].number if pages else 1
    root = _Node("root", "", "", 0, first_page, 0)
    stack: list[_Node] = [root]
    last_pos = (first_page, 0)
    prev_text = ""
    closed = False
    pending_title: _Node | None = None  # a part heading whose title runs on in capitals
    for page in pages:
        for j, line in enumerate(page.lines):
            text = line.text
            if not text.strip():
                prev_text = ""
                if pending_title is not None and pending_title.title_lines:
                    pending_title = None  # a title ends at a blank line; before it one may stand
                continue
            if closed:
                last_pos = (page.number, j)
                continue
            if _CLOSING.match(fold(text)):
                closed = True  # "Nơi nhận:" starts the signature block; its list is not a section
                for node in stack[1:]:
                    node.page_end, node.line_end = last_pos
                stack = [root]
                last_pos = (page.number, j)
                continue
            h = classify_line(text, prev_text)
            if h is not None and h.style == "roman" and line.original:
                # restoration may "correct" an OCR'd numeral into another numeral ("Il." -> "I."):
                # the number comes from what OCR saw, the words from the restored line
                ho = classify_line(line.original, prev_text)
                if ho is not None and ho.style == "roman" and ho.numbering != h.numbering:
                    h.value, h.ambiguous_i = ho.value, ho.ambiguous_i or set(ho.numbering) <= set("Il1|L")
                    if "ocr-repaired" not in h.flags:
                        h.flags.append("ocr-repaired")
            if h is None and line.original:
                # restoration may turn an OCR'd numeral into a word ("Il." -> "In."): number from
                # the original, heading text from the restored line
                h = classify_line(line.original, prev_text)
                if h is not None:
                    restored = classify_line(_renumber(text, line.original), prev_text)
                    if restored is not None and restored.style == h.style:
                        h.rest = restored.rest
            if (
                h is None
                and pending_title is not None
                and pending_title.title_lines >= 2
                and _JUNK_START.match(text)
                and _mostly_upper(text)
            ):
                # a part's title runs two lines at most; specks and then capitals after it are the
                # first roman heading with its numeral lost
                h = _Heading("roman", "", _JUNK_START.sub("", text), None, _RANK["roman"], ["ocr-repaired"], True)
            if (
                h is not None
                and h.style == "bullet"
                and pending_title is not None
                and pending_title.title_lines < 2
                and _mostly_upper(h.rest)
            ):
                h = None  # "- NGÀNH ...": a speck before the second line of a part's title
            if h is None and pending_title is not None and _mostly_upper(text) and pending_title.title_lines < 3:
                sep = ": " if pending_title.style == "part" and ":" not in pending_title.heading else " "
                pending_title.heading += sep + " ".join(text.split()).strip(" " + _JUNK)
                pending_title.title_lines += 1
                last_pos = (page.number, j)
                prev_text = text
                continue
            pending_title = None
            if h is not None:
                while len(stack) > 1 and stack[-1].rank >= h.rank:
                    node = stack.pop()
                    node.page_end, node.line_end = last_pos
                parent = stack[-1]
                # articles and chapters are numbered through the whole document, not per parent
                _check_sequence(root if h.legal and h.style in ("arabic", "part") else parent, h)
                node = _Node(h.style, h.numbering, _short_heading(h), h.rank, page.number, j, h.value, flags=list(h.flags))
                node.key = _key(h, parent)
                parent.children.append(node)
                stack.append(node)
                if h.style in ("part", "roman") and (not h.rest or _mostly_upper(h.rest)):
                    pending_title = node
                if h.style == "part" and h.rest:
                    pending_title = node
            last_pos = (page.number, j)
            prev_text = text
    for node in stack[1:]:
        node.page_end, node.line_end = last_pos
    root.page_end, root.line_end = last_pos
    return root


def _to_section(node: _Node, parent_id: str, level: int = 0) -> Section:
    sid = f"{parent_id}/{node.key}" if parent_id else node.key
    return Section(
        id=sid,
        numbering=node.numbering,
        style=node.style,  # type: ignore[arg-type]
        heading=node.heading,
        level=level,
        page_start=node.page,
        # 1-based, like IndicatorRecord.line and an editor's line numbers
        line_start=node.line + 1,
        page_end=node.page_end or node.page,
        line_end=node.line_end + 1,
        flags=node.flags,
        children=[_to_section(c, sid, level + 1) for c in node.children],
    )


def parse_sections(doc: Document) -> Section:
    """The root Section of ``doc``: each node's heading, level (root 0), flags and page/line span.

    Pages are 1-based (``Page.number``); lines are 1-based within the page (line n is
    ``doc.pages[i].lines[n - 1]``), as in ``IndicatorRecord.line``.
    """
    return _to_section(_build(doc), "")


def _contains(s: Section, page: int, line: int) -> bool:
    return (s.page_start, s.line_start) <= (page, line) <= (s.page_end, s.line_end)


def section_chain(root: Section, page: int, line: int) -> list[Section]:
    """Sections from the top to the deepest one holding (page, line); the root is left out.

    ``line`` is 1-based within the page."""
    chain: list[Section] = []
    node = root
    while True:
        nxt = None
        for child in node.children:
            if _contains(child, page, line):
                nxt = child
        if nxt is None:
            return chain
        chain.append(nxt)
        node = nxt


def section_path(root: Section, page: int, line: int) -> list[str]:
    """Headings from the top to the deepest section holding (page, line); the root is left out."""
    return [s.heading for s in section_chain(root, page, line)]


def iter_sections(root: Section):
    """Every section below the root, depth first, in document order."""
    for child in root.children:
        yield child
        yield from iter_sections(child)


def outline(root: Section, indent: str = "  ") -> list[str]:
    """One line per section, indented by depth, with its flags: the plain-text form of the tree."""
    out = []
    for s in iter_sections(root):
        flags = f"  [{', '.join(s.flags)}]" if s.flags else ""
        out.append(f"{indent * (s.level - 1)}{s.heading}  (p{s.page_start}:{s.line_start}-p{s.page_end}:{s.line_end}){flags}")
    return out
