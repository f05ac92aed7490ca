"""Paragraphs of a Document as single strings, with a map from each character back to its page and line.

Sentences in these documents run over several lines and sometimes over a page break, so figures are
read from joined paragraph text; provenance (page, line, word boxes) is recovered through the map.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from planscan.extract.structure.headings import Heading, classify, ends_sentence
from planscan.schemas.records import BBox, Document, Line


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
    heading: Heading | None = None  # the numbering its first line starts with
    title: bool = False  # a heading line standing alone, not prose

    @property
    def is_heading(self) -> bool:
        """A title standing alone, or a short paragraph that a numbered heading starts."""
        h = self.heading
        return self.title or (h is not None and h.is_heading and h.style != "bullet" and len(self.text) < 120)

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


def is_heading_line(text: str, heading: Heading | None) -> bool:
    """Mostly capitals, or a short numbered title ("1.1. Bưu chính"), but not a bullet of prose."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        return True
    titled = heading is not None and heading.is_heading and heading.style != "bullet"
    return titled and len(text.strip()) < 60 and not ends_sentence(text)


# A line this long was wrapped by the page width, not ended by its writer.
_WRAPPED = 55


def paragraphs(doc: Document) -> list[Paragraph]:
    """Blank lines and block starts end a paragraph, except that a sentence left open continues at the
    top of the next page, or after blank lines when the next line goes on in lower case."""
    out: list[Paragraph] = []
    parts: list[str] = []
    segs: list[Segment] = []
    length = 0

    def flush(title: bool = False) -> None:
        nonlocal parts, segs, length
        if segs:
            out.append(Paragraph("".join(parts), segs, first_heading, title))
        parts, segs, length = [], [], 0

    pending_blank = False
    prev = ""
    first_heading: Heading | None = None
    for page in doc.pages:
        if page.status != "ok":
            flush()
            continue
        page_break = True
        for idx, line in enumerate(page.lines):
            text = line.text.replace("\f", "").rstrip()
            if not text.strip():
                pending_blank = True
                prev = ""
                continue
            open_sentence = bool(parts) and not ends_sentence(parts[-1])
            heading = classify(line, prev)
            if heading is not None:
                flush()
            elif pending_blank and not (
                open_sentence and (page_break or text.lstrip()[:1].islower() or len(parts[-1]) >= _WRAPPED)
            ):
                # OCR leaves blank lines inside sentences; a line that goes on in lower case continues
                # one, and so does any line after a full-width line that left its sentence open (a
                # list of names wraps: "..., thị xã Bình An (08), Tân\n\nHòa (22), ...")
                flush()
            pending_blank = False
            page_break = False
            if parts:
                parts.append(" ")
                length += 1
            else:
                first_heading = heading
            prev = text
            segs.append(Segment(length, length + len(text), page.number, idx, line))
            parts.append(text)
            length += len(text)
            if is_heading_line(text, heading):
                flush(title=True)  # a heading is its own paragraph even when prose follows without a blank line
    flush()
    return out
