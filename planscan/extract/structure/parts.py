"""What each part of a document is: a report of what happened, a forecast, a plan, a budget
estimate, an approved programme or a directive.

A figure's kind follows from the part it stands in unless its own sentence says otherwise: the
figures of a resolution that adopts a programme are its objectives even when they say "đạt", a
budget resolution's amounts are estimates it sets, and a monthly report's "B. Nhiệm vụ tháng 3"
part holds the month's plan while part "A. Tình hình tháng 02" reports. Two sources decide:

- the document as a whole (``document_part``): its type (Báo cáo, Kế hoạch, Chỉ thị, Nghị quyết,
  Quyết định) and, for resolutions and decisions, what their operative clause does ("Điều 1. Phê
  duyệt Đề án ...", "Quyết nghị: ... thông qua Chương trình ..."; a budget "dự toán");
- a section heading (``heading_part``): "Tình hình ...", "Kết quả thực hiện ..." report;
  "Ước thực hiện ...", "Dự báo ..." forecast; "Kế hoạch năm ...", "Nhiệm vụ ...", "Mục tiêu ..."
  plan; "Dự toán ..." budget; "Phê duyệt ..." approved.

Everything is matched on the accent fold, so text that lost its diacritics reads the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from planscan.extract.structure.headings import states_figure
from planscan.extract.text.fold import fold
from planscan.schemas.records import Document, DocumentMeta

PartKind = Literal["report", "forecast", "plan", "budget", "approved", "directive"]

# The record kind a part gives the figures that state no kind of their own.
FIGURE_KIND: dict[str, str] = {
    "report": "actual",
    "forecast": "estimate",
    "plan": "target",
    "budget": "target",
    "approved": "target",
    "directive": "target",
}


@dataclass(frozen=True, slots=True)
class Part:
    kind: PartKind
    reason: str  # what decided it, quoted: "heading 'Kế hoạch năm 2021'", "document: Chỉ thị"

    @property
    def figure_kind(self) -> str:
        return FIGURE_KIND[self.kind]


def quote(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut at a word boundary to about ``limit`` characters, for a reason."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: flat.rfind(" ", 0, limit) if " " in flat[:limit] else limit] + " …"


# Headings, folded. A report heading wins over a plan word inside it ("Kết quả thực hiện kế hoạch
# năm 2020" reports); "tổ chức thực hiện" and "giải pháp" say how a plan is carried out.
_FORECAST_HEADING = re.compile(r"\b(?:uoc thuc hien|uoc tinh|uoc dat|du bao)\b")
_REPORT_HEADING = re.compile(r"\b(?:tinh hinh|ket qua|danh gia|thuc trang|hien trang|bao cao)\b")
_BUDGET_HEADING = re.compile(r"\b(?:du toan|phan bo (?:von|ngan sach|kinh phi))\b")
_APPROVED_HEADING = re.compile(r"\bphe duyet\b")
_PLAN_HEADING = re.compile(
    r"\b(?:muc tieu|dinh huong|phuong huong|nhiem vu|chi tieu|ke hoach|giai phap|to chuc thuc hien)\b"
)


def heading_part(heading: str) -> Part | None:
    """The part a section heading opens, or None when the heading does not say. A list item that
    states a figure ("2. Kinh phí thực hiện: 12 tỷ đồng.") opens no part."""
    if states_figure(heading):
        return None
    folded = fold(heading).lower()
    quoted = quote(heading)
    forecast = _FORECAST_HEADING.search(folded)
    plan = _PLAN_HEADING.search(folded)
    if forecast and not (plan and plan.start() < forecast.start()):
        return Part("forecast", f"heading '{quoted}'")
    if _REPORT_HEADING.search(folded):
        return Part("report", f"heading '{quoted}'")
    if _BUDGET_HEADING.search(folded):
        return Part("budget", f"heading '{quoted}'")
    if _APPROVED_HEADING.search(folded):
        return Part("approved", f"heading '{quoted}'")
    if plan:
        return Part("plan", f"heading '{quoted}'")
    return None


# The operative clause of a resolution or decision: "Điều 1. Phê duyệt ...", "Quyết nghị: Thông
# qua ...", "Điều 1: Nhất trí thông qua ...", "Ban hành ...".
_ADOPTS = re.compile(
    r"^\s*(?:dieu\s+1\s*[.:]\s*)?(?:tan thanh\s+|nhat tri\s+)?(?:phe duyet|thong qua|ban hanh|giao)\b(?P<rest>.*)"
)
# What is adopted: a plan of some sort. An establishment or boundary change ("đề án thành lập thị
# xã") describes the unit as it is, so its figures are facts, not objectives.
_PROGRAMME = re.compile(
    r"\b(?:chuong trinh|quy hoach|qui hoach|ke hoach|de an|du an|muc tieu|nhiem vu|chi tieu|du toan|phan bo)\b"
)
_FACTS = re.compile(r"\b(?:thanh lap|dieu chinh dia gioi|sap nhap|chia tach|nhap\s+\S+\s+vao)\b")
_BUDGET_TITLE = re.compile(r"\b(?:du toan|phan bo (?:du toan|ngan sach|von|kinh phi))\b")
_TYPE_AT_START = re.compile(r"^\s*(bao cao|ke hoach|chi thi|nghi quyet|quyet dinh|chuong trinh|de an)\b")
_TYPE_PART: dict[str, PartKind] = {
    "bao cao": "report",
    "ke hoach": "plan",
    "chuong trinh": "plan",
    "de an": "plan",
    "chi thi": "directive",
}
_HEAD_LINES = 40  # the header, the title and the operative clause of a decision fit in these


def _head(doc: Document) -> list[str]:
    out: list[str] = []
    for page in doc.pages:
        for line in page.lines:
            if line.text.strip():
                out.append(line.text)
            if len(out) >= _HEAD_LINES:
                return out
    return out


def document_part(doc: Document, meta: DocumentMeta | None = None) -> Part | None:
    """What the document as a whole is, from its type, title and operative clause; None when they
    do not say (a plain resolution on an establishment, an untitled excerpt)."""
    lines = _head(doc)
    folded = [fold(t).lower() for t in lines]
    doc_type = fold(meta.doc_type).lower() if meta and meta.doc_type else None
    title = fold(meta.title).lower() if meta and meta.title else ""
    if doc_type is None:
        # an excerpt that starts with its title: "Nghị quyết về dự toán ngân sách ..."
        for text in folded[:3]:
            m = _TYPE_AT_START.match(text)
            if m:
                doc_type, title = m.group(1), text
                break
    for i, text in enumerate(folded):
        m = _ADOPTS.match(text)
        if m is None or not (text.lstrip().startswith("dieu") or (i and "quyet nghi" in folded[i - 1])):
            continue
        # the adopted object may run onto the next line
        clause = " ".join([m.group("rest"), folded[i + 1] if i + 1 < len(folded) else ""])
        if _FACTS.search(clause) or not _PROGRAMME.search(clause):
            continue
        quoted = quote(lines[i])
        kind: PartKind = "budget" if _BUDGET_TITLE.search(clause) else "approved"
        return Part(kind, f"operative clause '{quoted}'")
    if doc_type is None:
        return None
    if _BUDGET_TITLE.search(title) and doc_type in ("nghi quyet", "quyet dinh"):
        return Part("budget", f"document: {meta.doc_type if meta and meta.doc_type else doc_type} on a budget")
    kind = _TYPE_PART.get(doc_type)
    if kind is None:
        return None
    return Part(kind, f"document: {meta.doc_type if meta and meta.doc_type else doc_type}")

