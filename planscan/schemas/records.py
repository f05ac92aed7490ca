"""Typed records for the one-way flow Document -> Page -> Line/Word -> Section -> IndicatorRecord.

Stages pass these, never loose dicts. ``schemas/*.schema.json`` are generated from them
(``python -m planscan.schemas.generate``) and checked in, so a change here shows up in review.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BBox(_Record):
    """Pixel box on the page image as OCR saw it (after rotation), origin top-left."""

    x0: int
    y0: int
    x1: int
    y1: int


class Word(_Record):
    text: str
    conf: float = Field(description="Tesseract confidence 0-100; -1 when unknown (text layer).")
    bbox: Optional[BBox] = None
    block: int = 0
    par: int = 0
    line: int = 0
    word: int = 0
    original: Optional[str] = Field(
        default=None, description="The form before diacritic restoration, when restoration changed it."
    )


class Line(_Record):
    text: str
    bbox: Optional[BBox] = None
    conf: float = -1.0
    block: int = 0
    par: int = 0
    line: int = 0
    words: list[Word] = Field(default_factory=list)
    original: Optional[str] = Field(default=None, description="The line before restoration, when it changed.")


class Page(_Record):
    number: int = Field(description="1-based page number in the input file.")
    width: int = 0
    height: int = 0
    dpi: int = 0
    rotation: int = Field(default=0, description="Degrees clockwise applied to make the page upright.")
    skew: float = Field(default=0.0, description="Degrees of deskew applied.")
    source: Literal["ocr", "text-layer", "text"] = "ocr"
    status: Literal["ok", "failed"] = "ok"
    error: Optional[str] = None
    lines: list[Line] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class Document(_Record):
    """A whole input: its pages, where it came from, and how it was read."""

    schema_version: str = SCHEMA_VERSION
    source: str = Field(description="Path of the input file as given.")
    sha256: str = ""
    pages: list[Page] = Field(default_factory=list)
    restored: Literal["off", "auto", "full", "none"] = "none"
    tesseract_version: Optional[str] = None

    @property
    def text(self) -> str:
        """Pages joined by a form feed at the start of each later page, as pdftotext writes them."""
        return "\n\f".join(p.text for p in self.pages) + ("\n" if self.pages else "")


class DocumentMeta(_Record):
    source: str = ""
    sha256: str = ""
    issuer: Optional[str] = Field(default=None, description="e.g. 'UBND huyện Tuần Giáo'")
    parent_issuer: Optional[str] = Field(default=None, description="e.g. 'UBND tỉnh Điện Biên'")
    district: Optional[str] = None
    province: Optional[str] = None
    number: Optional[str] = Field(default=None, description="Document number, e.g. '699'")
    code: Optional[str] = Field(default=None, description="Full code, e.g. '699/KH-UBND'")
    place: Optional[str] = None
    date: Optional[str] = Field(default=None, description="ISO date, e.g. '2019-07-04'")
    doc_type: Optional[str] = Field(default=None, description="Kế hoạch, Báo cáo, Quyết định ...")
    title: Optional[str] = None
    plan_year: Optional[int] = None
    report_period: Optional[str] = Field(default=None, description="e.g. '6 tháng đầu năm 2019'")
    report_year: Optional[int] = None


class Section(_Record):
    id: str = Field(description="Dotted path of numbering, e.g. 'P1/I/1/1.1'.")
    numbering: str = Field(description="The label as found, e.g. 'II', '1.1', 'a', '-'.")
    style: Literal["part", "roman", "arabic", "decimal", "letter", "bullet", "root"]
    heading: str
    level: int
    page_start: int = Field(description="1-based page of the heading.")
    line_start: int = Field(description="1-based line of the heading within its page.")
    page_end: int
    line_end: int = Field(description="1-based line within page_end of the section's last line.")
    flags: list[str] = Field(default_factory=list, description="e.g. 'skipped-numbering', 'ocr-repaired'.")
    children: list["Section"] = Field(default_factory=list)


Kind = Literal["actual", "estimate", "target", "change", "ratio_to_prior", "ratio_to_plan"]


class IndicatorRecord(_Record):
    schema_version: str = SCHEMA_VERSION
    indicator: str = Field(description="Label of what is measured.")
    key: str = Field(description="Normalised canonical key, stable across documents and years.")
    value: float
    max: Optional[float] = Field(
        default=None, description="Upper end of a range ('40 - 50 m2/người'); value is then its lower end."
    )
    qualifier: Optional[str] = Field(
        default=None,
        description="An approximation or bound written with the number, which changes neither value nor kind: "
        "'khoảng', 'gần', 'hơn', 'trên', 'dưới', 'trở lên'.",
    )
    unit: str = Field(description="Unit as written, lower case: 'trạm', 'triệu đồng', '%'.")
    of: Optional[float] = Field(default=None, description="Denominator for fractions like '16/18 xã'.")
    value_base: Optional[float] = Field(
        default=None, description="Value in the base unit of its family (money in đồng)."
    )
    base_unit: Optional[str] = None
    year: Optional[int] = Field(
        default=None, description="The one year the figure is for; null for a span of years or when none is stated."
    )
    start_year: Optional[int] = Field(default=None, description="First year of a span ('giai đoạn 2021-2025': 2021).")
    end_year: Optional[int] = Field(default=None, description="Last year of a span ('giai đoạn 2021-2025': 2025).")
    period: Optional[str] = None
    period_type: Optional[str] = Field(
        default=None,
        description="Type of the period, for comparison: H1, H2, 9M, Q1..Q4, <n>M (first n months), Y, "
        "M<m> (a month or a point in it), M<a>-<b>, multi:<a>-<b> (a plan period); null when unknown.",
    )
    period_first_month: Optional[int] = Field(
        default=None, ge=1, le=12, description="First month of the year the figure covers; for a point in time, its month."
    )
    period_last_month: Optional[int] = Field(
        default=None, ge=1, le=12, description="Last month of the year the figure covers; for a point in time, its month."
    )
    kind: Kind = "actual"
    kind_reason: str = Field(
        default="",
        description="Why the figure has its kind: the cue of its sentence ('cue 'phấn đấu'') or the part it "
        "inherited it from ('heading ...', 'operative clause ...', 'document: Chỉ thị').",
    )
    period_reason: str = Field(
        default="",
        description="Why the figure has its period: its sentence, a heading, or the document's report period or plan year.",
    )
    ref: str = Field(
        default="",
        description="Reference of the figure within its document: '<page>.<line>.<n>' in prose, "
        "'T<table>.<row>.<col>' for a table cell.",
    )
    part_of: Optional[str] = Field(
        default=None,
        description="ref of the total this figure is a part of ('trong đó ...', list items under a total; in a table, "
        "the figure of the same column in the parent row or the 'Tổng số' row).",
    )
    same_as: Optional[str] = Field(
        default=None, description="ref of an earlier record stating the same figure again (a repeated total)."
    )
    vs_year: Optional[int] = None
    derived: bool = Field(default=False, description="Computed from a stated change, not stated itself.")
    section: list[str] = Field(default_factory=list, description="Headings from the root to the figure.")
    page: int = Field(default=1, description="1-based page in the input file.")
    line: int = Field(default=0, description="1-based line within the page where the figure starts.")
    bbox: Optional[BBox] = None
    table: Optional[int] = Field(default=None, description="1-based table of the document the figure is a cell of.")
    row: Optional[int] = Field(default=None, description="1-based body row of that table.")
    col: Optional[int] = Field(default=None, description="1-based leaf column of that table.")
    text: str = Field(description="The source phrase that holds the number.")
    confidence: float = 1.0
    document: str = Field(default="", description="Reference to the document: its path or sha256.")
    also_in: list["FigureSource"] = Field(
        default_factory=list,
        description="Other places of the same document that state this figure (a sentence of the prose that "
        "gives a table's figure): one figure with several sources, not a duplicate.",
    )


class FigureSource(_Record):
    """Where else a document states a figure: its page and line, or its table cell, and the words."""

    page: int = Field(description="1-based page in the input file.")
    line: int = Field(default=0, description="1-based line within the page; 0 for a table cell.")
    bbox: Optional[BBox] = None
    table: Optional[int] = None
    row: Optional[int] = None
    col: Optional[int] = None
    ref: str = Field(default="", description="The ref the figure had there.")
    section: list[str] = Field(default_factory=list, description="Headings from the root to the statement.")
    text: str = Field(description="The source phrase that holds the number.")


Section.model_rebuild()
IndicatorRecord.model_rebuild()
