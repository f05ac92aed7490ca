"""The section tree of a Vietnamese plan or report.

Headings are read by the one classifier in ``headings.py``; a heading's rank comes from its
numbering style, so the tree is built with a stack: a heading closes every open section of the same
or lower rank. A list item that states a figure holds only its own lines and the items numbered
below it, not the prose after it. Numbering that skips (II -> IV) or goes back is kept as found and
flagged; a label of only I-like OCR strokes takes the value the sequence expects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from planscan.extract.structure.headings import (
    JUNK,
    ORDINAL_WORDS,
    Heading,
    classify,
    int_to_roman,
    mostly_upper,
)
from planscan.extract.text.fold import fold
from planscan.schemas.records import Document, Section

_JUNK_START = re.compile(rf"^\s*[{JUNK}]+\s*(?=[^\W\d_])")
_CLOSING = re.compile(r"^\s*n\S{1,2}i\s+nh\S{1,3}n\s*:")
# The style a Section records: legal and lettered parts share the ranks of the plan styles.
_SECTION_STYLE = {
    "letter-part": "letter", "appendix": "part", "chapter": "part", "subsection": "roman", "article": "arabic",
}
_LEGAL_KEY = {"chapter": "C", "subsection": "M", "article": "D"}


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
    item: bool = False
    flags: list[str] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    page_end: int = 0
    line_end: int = 0
    last_value: dict[str, int] = field(default_factory=dict)
    bullet_count: int = 0
    title_lines: int = 0  # capitalised lines that continued the heading


def _short_heading(h: Heading) -> str:
    """The heading as a person would cite it: numbering plus text; a bullet paragraph up to its colon."""
    rest = " ".join(h.text.split())
    if h.style == "bullet":
        colon = rest.find(":")
        if 0 < colon <= 80:
            rest = rest[:colon]
        elif len(rest) > 80:
            rest = rest[:80].rsplit(" ", 1)[0] + " …"
        return f"{h.label} {rest}"
    if h.legal:
        return f"{h.label}. {rest}" if rest else h.label
    if h.style == "part":
        # the ordinal as it should read, so that OCR damage does not reach section paths
        word = ORDINAL_WORDS.get(h.value or 0, h.label.split()[-1])
        return f"Phần thứ {word}" + (f": {rest}" if rest else "")
    if h.style == "appendix":
        name = f"Phụ lục {h.label}" if h.label else "Phụ lục"
        return name + (f": {rest}" if rest else "")
    if h.style == "roman" and h.value:
        return f"{int_to_roman(h.value)}. {rest}"
    sep = ")" if h.style == "letter" else "."
    return f"{h.label}{sep} {rest}"


def _key(h: Heading, parent: _Node) -> str:
    if h.legal:
        return _LEGAL_KEY[h.style] + str(h.value)
    if h.style == "part":
        return f"P{h.value}"
    if h.style == "appendix":
        return f"PL{h.value}"
    if h.style == "roman" and h.value:
        return int_to_roman(h.value)
    if h.style == "bullet":
        parent.bullet_count += 1
        return f"{h.label}{parent.bullet_count}"
    return h.label


def _check_sequence(parent: _Node, h: Heading) -> None:
    if h.value is None and h.style == "roman":
        # a numeral OCR lost entirely: the one the sequence expects
        h.value = parent.last_value.get("roman", 0) + 1
        parent.last_value["roman"] = h.value
        return
    if h.value is None:
        return
    series = h.style if h.style != "decimal" else f"decimal{h.label.count('.')}"
    prev = parent.last_value.get(series)
    if h.ambiguous and prev is not None and (prev + 1 <= 3 or "ocr-repaired" in h.flags and abs(h.value - prev - 1) <= 1):
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


def _close(stack: list[_Node], keep: int, end: tuple[int, int]) -> None:
    while len(stack) > keep:
        node = stack.pop()
        node.page_end, node.line_end = end


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
                _close(stack, 1, last_pos)
                last_pos = (page.number, j)
                continue
            h = classify(line, prev_text)
            if (
                h is None
                and pending_title is not None
                and pending_title.title_lines >= 2
                and _JUNK_START.match(text)
                and mostly_upper(text)
            ):
                # a part's title runs two lines at most; specks and then capitals after it are the
                # first roman heading with its numeral lost
                h = Heading("roman", "", _JUNK_START.sub("", text), None, ["ocr-repaired"], ambiguous=True)
            if (
                h is not None
                and h.style == "bullet"
                and pending_title is not None
                and pending_title.title_lines < 2
                and mostly_upper(h.text)
            ):
                h = None  # "- NGÀNH ...": a speck before the second line of a part's title
            if h is None and pending_title is not None and mostly_upper(text) and pending_title.title_lines < 3:
                sep = ": " if pending_title.style == "part" and ":" not in pending_title.heading else " "
                pending_title.heading += sep + " ".join(text.split()).strip(" " + JUNK)
                pending_title.title_lines += 1
                last_pos = (page.number, j)
                prev_text = text
                continue
            pending_title = None
            if h is None and prev_text.rstrip().endswith((".", ";", "!", "?")):
                # prose after a list item's statement belongs to the section around the list
                keep = len(stack)
                while keep > 1 and stack[keep - 1].item:
                    keep -= 1
                _close(stack, keep, last_pos)
            if h is not None:
                while len(stack) > 1 and stack[-1].rank >= h.rank:
                    _close(stack, len(stack) - 1, last_pos)
                parent = stack[-1]
                # articles and chapters are numbered through the whole document, not per parent
                _check_sequence(root if h.style in ("article", "chapter") else parent, h)
                style = _SECTION_STYLE.get(h.style, h.style)
                node = _Node(style, h.label, _short_heading(h), h.rank, page.number, j, h.value, item=h.item,
                             flags=list(h.flags))
                node.key = _key(h, parent)
                parent.children.append(node)
                stack.append(node)
                if style in ("part", "roman") and (not h.text or mostly_upper(h.text)):
                    pending_title = node
                if style == "part" and h.text:
                    pending_title = node
            last_pos = (page.number, j)
            prev_text = text
    _close(stack, 1, last_pos)
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


def iter_sections(root: Section) -> Iterator[Section]:
    """Every section below the root, depth first, in document order."""
    for child in root.children:
        yield child
        yield from iter_sections(child)


def outline(root: Section, indent: str = "  ") -> list[str]:
    """One line per section, indented by depth, with its flags: the plain-text form of the tree."""
    out: list[str] = []
    for s in iter_sections(root):
        flags = f"  [{', '.join(s.flags)}]" if s.flags else ""
        out.append(f"{indent * (s.level - 1)}{s.heading}  (p{s.page_start}:{s.line_start}-p{s.page_end}:{s.line_end}){flags}")
    return out
