"""Paragraphs of a Document as single strings, with a map from each character back to its page and line.

Sentences in these documents run over several lines and sometimes over a page break, so figures are
read from joined paragraph text; provenance (page, line, word boxes) is recovered through the map.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from planscan.schemas.records import BBox, Document, Line

# A line that starts a new block: a heading number, a letter item or a bullet.
_BLOCK_START = re.compile(r"^\s*(?:ph[aâầ]n\s+th[uứ]|[IVXLCivxl1]{1,5}[.)]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ]\)\s|[-*+•–]\s)", re.I)
_SENTENCE_END = re.compile(r"[.!?:;]\W*$")


@dataclass(slots=True)
class Segment:
    start: int  # offset in the paragraph text
    end: int
    page: int  # 1-based page number
    line_index: int  # 0-based index into page.lines
    line: Line


@dataclass(slots=True)
class Paragraph:
    text: str
    segments: list[Segment] = field(default_factory=list)

    def locate(self, offset: int) -> Segment:
        starts = [s.start for s in self.segments]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        return self.segments[i]

    def bbox(self, start: int, end: int) -> BBox | None:
        """Union of the boxes of the words of the first line that the span [start, end) touches."""
        seg = self.locate(start)
        line = seg.line
        a, b = start - seg.start, min(end, seg.end) - seg.start
        boxes = []
        pos = 0
        for word in line.words:
            i = line.text.find(word.text, pos)
            if i < 0:
                continue
            j = i + len(word.text)
            pos = j
            if word.bbox is not None and i < b and a < j:
                boxes.append(word.bbox)
        if not boxes:
            return line.bbox
        return BBox(
            x0=min(x.x0 for x in boxes),
            y0=min(x.y0 for x in boxes),
            x1=max(x.x1 for x in boxes),
            y1=max(x.y1 for x in boxes),
        )


def is_heading_line(text: str) -> bool:
    """Mostly capitals, or a short numbered line ("1.1. Bưu chính"), but not a bullet of prose."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        return True
    numbered = _BLOCK_START.match(text) and not re.match(r"\s*[-*+•–]\s", text)
    return bool(numbered) and len(text.strip()) < 60 and not _SENTENCE_END.search(text)


def paragraphs(doc: Document) -> list[Paragraph]:
    """Blank lines and block starts end a paragraph, except that a sentence left open continues at the
    top of the next page, or after blank lines when the next line goes on in lower case."""
    out: list[Paragraph] = []
    parts: list[str] = []
    segs: list[Segment] = []
    length = 0

    def flush() -> None:
        nonlocal parts, segs, length
        if segs:
            out.append(Paragraph("".join(parts), segs))
        parts, segs, length = [], [], 0

    pending_blank = False
    for page in doc.pages:
        if page.status != "ok":
            flush()
            continue
        page_break = True
        for idx, line in enumerate(page.lines):
            text = line.text.replace("\f", "").rstrip()
            if not text.strip():
                pending_blank = True
                continue
            open_sentence = bool(parts) and not _SENTENCE_END.search(parts[-1])
            if _BLOCK_START.match(text):
                flush()
            elif pending_blank and not (open_sentence and (page_break or text.lstrip()[:1].islower())):
                # OCR leaves blank lines inside sentences; a line that goes on in lower case continues one
                flush()
            pending_blank = False
            page_break = False
            if parts:
                parts.append(" ")
                length += 1
            segs.append(Segment(length, length + len(text), page.number, idx, line))
            parts.append(text)
            length += len(text)
            if is_heading_line(text):
                flush()  # a heading is its own paragraph even when prose follows without a blank line
        pending_blank = pending_blank  # blank lines at a page foot are judged on the next page
    flush()
    return out
