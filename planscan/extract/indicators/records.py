"""Indicator records from a Document: every stated figure with what it measures, its period and kind.

The spaCy pipeline (``nlp.py``) reads each paragraph; this module adds what a paragraph cannot know:
the period of the enclosing section heading, the document's report period and plan year, the section
path, and provenance (page, line, word boxes) of each figure.

Year of a figure, nearest first: a year written right after it ("208 thôn (cùng kỳ năm 2019)"), a
period in its sentence, the nearest section heading that names a period, then the document's report
period or plan year. A span ("giai đoạn 2021-2025") gives start and end years and no single year.

Kind: what the sentence says (a change, a ratio, an estimate or target cue), else what the part it
stands in is (``structure.parts``): the nearest heading that says, else the document (a resolution
adopting a programme, a budget, a directive). Figures in the plan part of a plan (a section about
the plan year) are targets. Each record says why (``kind_reason``, ``period_reason``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from spacy.language import Language

from planscan.extract.indicators.figures import Figure
from planscan.extract.indicators.keys import indicator_key
from planscan.extract.indicators.labels import LEFT_CHARS
from planscan.extract.structure.metadata import parse_metadata
from planscan.extract.indicators.nlp import shared_nlp
from planscan.extract.structure.paragraphs import Paragraph, paragraphs
from planscan.extract.structure.parts import Part, document_part, heading_part, quote
from planscan.extract.text.periods import Period, find_periods, period_fields, with_year
from planscan.extract.structure.sections import parse_sections, section_chain
from planscan.extract.text.fold import fold
from planscan.schemas.records import Document, DocumentMeta, IndicatorRecord, Section

log = logging.getLogger("planscan.extract")

_OFFSET = re.compile(r"offset (\d+)")
_YEAR_POINT = re.compile(r"^(?:đầu|cuối|giữa|cả|hết)\s+năm\s+(\d{4})$")
_WHOLE_YEAR = re.compile(r"^(?:cả|hết)\s+năm\s+(\d{4})$")
_PLAN_HEADING = re.compile(r"\b(?:muc tieu|dinh huong|phuong huong|nhiem vu|chi tieu|ke hoach)\b")
_REPORT_HEADING = re.compile(r"\b(?:tinh hinh|ket qua|danh gia|du bao|uoc thuc hien|thuc hien)\b")
# Parts whose figures are objectives whatever verb states them.
_TARGET_PARTS = frozenset({"plan", "budget", "approved", "directive"})


class _HeadingInfo:
    """What the nearest headings of a figure say: the period one names (and which heading), whether
    one is about plans, and the part the nearest classifiable heading opens."""

    __slots__ = ("period", "period_heading", "plan", "part")

    def __init__(self) -> None:
        self.period: Period | None = None
        self.period_heading = ""
        self.plan = False
        self.part: Part | None = None


def _stated_periods(heading: str, year: int | None) -> list[Period]:
    """The periods a heading names; one that leaves its year to the document ("B. NHIỆM VỤ THÁNG
    03") takes ``year``, the document's."""
    out = []
    for p in find_periods(heading):
        if p.reference:
            continue
        if p.year is None and year is not None and p.kind in ("month", "quarter", "months"):
            p = with_year(p, year)
        if p.year is not None:
            out.append(p)
    return out


def _heading_period(chain: list[Section], year: int | None) -> _HeadingInfo:
    info = _HeadingInfo()
    for node in reversed(chain):
        if node.style == "bullet":
            continue
        folded = fold(node.heading)
        if info.part is None and info.period is None:
            info.part = heading_part(node.heading)
        periods = _stated_periods(node.heading, year)
        if _PLAN_HEADING.search(folded) and not _REPORT_HEADING.search(folded):
            info.plan = True
        if periods:
            info.period, info.period_heading = periods[-1], node.heading
            if info.part is None:
                info.part = heading_part(node.heading)
            return info
    return info


def _replace_year(label: str, old: int | None, new: int) -> str:
    if old is not None and str(old) in label:
        return label.replace(str(old), str(new))
    return f"năm {new}"


class _Context:
    def __init__(self, doc: Document, meta: DocumentMeta | None, sections: Section | None):
        self.doc = doc
        self.meta = meta
        self.sections = sections
        self.report_year = meta.report_year if meta else None
        self.plan_year = meta.plan_year if meta else None
        self.report_period = meta.report_period if meta else None
        self.part = document_part(doc, meta)
        self.doc_year = int(meta.date[:4]) if meta and meta.date and meta.date[:4].isdigit() else None
        self.heading_cache: dict[tuple[int, ...], _HeadingInfo] = {}
        if self.report_year is None and self.report_period:
            p = find_periods(self.report_period)
            self.report_year = p[0].year if p else None


class _Headings:
    """The period and plan flag of the latest heading, for when no section tree is available."""

    def __init__(self) -> None:
        self.period: Period | None = None
        self.heading = ""
        self.plan = False
        self.part: Part | None = None

    def update(self, para: Paragraph, year: int | None) -> None:
        if not para.is_heading:
            return
        folded = fold(para.text)
        periods = _stated_periods(para.text, year)
        plan = bool(_PLAN_HEADING.search(folded)) and not _REPORT_HEADING.search(folded)
        self.part = heading_part(para.text) or self.part
        if periods:
            self.period, self.heading = periods[-1], para.text
            self.plan = plan
        elif plan:
            self.plan = True


def _years_from_headings(ctx: _Context, paras: list[Paragraph]) -> None:
    """When the metadata lost them (a damaged first page): the first heading's year is the report
    year, and a later, larger heading year is the plan year."""
    years = [
        p.year
        for para in paras
        if para.is_heading
        for p in find_periods(para.text)
        if p.year is not None and not p.reference
    ]
    if not years:
        return
    if ctx.report_year is None:
        ctx.report_year = years[0]
    if ctx.plan_year is None and max(years) > ctx.report_year:
        ctx.plan_year = max(years)


def _record(fig: Figure, para: Paragraph, ctx: _Context, headings: _Headings) -> IndicatorRecord:
    q = fig.quantity
    seg = para.locate(q.start)
    chain = section_chain(ctx.sections, seg.page, seg.line_index + 1) if ctx.sections is not None else []
    key = tuple(id(n) for n in chain)
    if key not in ctx.heading_cache:
        ctx.heading_cache[key] = _heading_period(chain, ctx.report_year or ctx.plan_year)
    info = ctx.heading_cache[key]
    heading_period, plan_section, heading_name = info.period, info.plan, info.period_heading
    if heading_period is None and headings.period is not None:
        heading_period, plan_section, heading_name = headings.period, headings.plan or plan_section, headings.heading
    part = info.part or (headings.part if ctx.sections is None or not chain else None)
    part_reason = part.reason if part else ""
    if part is None and ctx.part is not None and ctx.part.kind != "plan":
        # a plan document's own report part decides by its years below, not by the document type
        part, part_reason = ctx.part, ctx.part.reason

    period: str | None = None
    year: int | None = None
    span: Period | None = None
    source = "document"
    period_reason = ""
    if fig.period is not None:
        period, year, source = fig.period.label, fig.period.year, "sentence"
        span = fig.period
        period_reason = f"sentence '{fig.period.label}'"
    elif fig.current_cue and plan_section and ctx.report_year is not None:
        # "hiện nay ..." in the plan part states where things stand, at the report period
        period, year, source = ctx.report_period or f"năm {ctx.report_year}", ctx.report_year, "document"
        plan_section = False
        period_reason = "cue 'hiện nay': the document's report period"
    elif heading_period is not None:
        period, year, source = heading_period.label, heading_period.year, "section"
        span = heading_period
        period_reason = f"heading '{quote(heading_name)}'"
    elif ctx.report_year is not None and not (fig.target_cue and ctx.plan_year):
        period, year = ctx.report_period or f"năm {ctx.report_year}", ctx.report_year
        period_reason = "document's report period"
    elif ctx.plan_year is not None:
        period, year = f"năm {ctx.plan_year}", ctx.plan_year
        period_reason = "document's plan year"
    if fig.inline_year is not None:
        period = _replace_year(period or "", year, fig.inline_year)
        year = fig.inline_year
        span = None
        period_reason = f"year in brackets after the figure ({fig.inline_year})"
    start_year = end_year = None
    if span is not None and span.kind == "range" and span.end_year is not None:
        # a figure for a span is for no single year: "giai đoạn 2021-2025"
        start_year, end_year, year = span.year, span.end_year, None

    kind = fig.kind
    kind_reason = f"cue '{fig.kind_cue}'" if fig.kind_cue else ""
    target_part = part is not None and part.kind in _TARGET_PARTS
    if target_part and not fig.current_cue:
        plan_section = True
    if kind == "change" and fig.change_without_vs and (fig.target_cue or plan_section):
        kind = "actual"  # "giảm tỷ lệ hộ nghèo 4% trở lên" in a plan: a target, decided below
        kind_reason = ""
    if kind == "actual" and year is not None and not kind_reason:
        later_than_report = ctx.report_year is not None and year > ctx.report_year
        not_past = ctx.report_year is None or year >= ctx.report_year
        if (plan_section and not_past) or (later_than_report and year == ctx.plan_year and not fig.current_cue):
            kind = "target"
            kind_reason = part_reason if target_part else (
                f"heading about plans, year {year}" if plan_section else f"year {year} is the plan year"
            )
    if kind == "actual" and not kind_reason and part is not None and not fig.current_cue:
        past = ctx.doc_year is not None and source == "sentence" and (end_year or year or ctx.doc_year) < ctx.doc_year
        if part.kind == "forecast":
            kind, kind_reason = "estimate", part.reason
        elif target_part and not past:
            kind, kind_reason = "target", part.reason
        elif part.kind == "report":
            kind_reason = part.reason
    if kind == "actual" and not kind_reason:
        kind_reason = "cue 'hiện nay'" if fig.current_cue else "no cue: a stated figure"
    if period and kind == "target":
        # a plan figure is for the plan year, whether written "đến cuối năm 2021" or "năm 2021"
        period = _YEAR_POINT.sub(r"năm \1", period)
    elif period:
        period = _WHOLE_YEAR.sub(r"năm \1", period)
    vs_year = fig.vs_year
    if vs_year is None and fig.vs_prior_no_year and year is not None:
        vs_year = year - 1

    confidence = fig.label_confidence
    if fig.unit_inferred or q.unit_source == "guess":
        confidence *= 0.8  # the unit was read from the label, or is a word the unit lexicon does not know
    if source == "document":
        confidence *= 0.9
    words = [w for s in para.segments if s.start <= q.end and q.start < s.end for w in s.line.words]
    confs = [w.conf for w in words if w.conf >= 0]
    if confs:
        confidence *= max(0.3, min(1.0, sum(confs) / len(confs) / 100))

    text = para.text[fig.text_start : fig.text_end].strip()
    unit = (fig.unit or "").lower()
    path = [n.heading for n in chain]
    ptype, bounds = period_fields(
        period, year, target=kind == "target", report_period=ctx.report_period, report_year=ctx.report_year
    )
    return IndicatorRecord(
        indicator=fig.label,
        max=(-abs(q.max) if fig.value < 0 else q.max) if q.max is not None else None,
        qualifier=fig.qualifier,
        # the sentence before the figure, as far back as its subject is read (a sentence of
        # thousands of figures would give each one all the ones before it)
        key=indicator_key(fig.base_label or fig.label, unit, kind,
                          para.text[max(fig.sentence[0], q.start - LEFT_CHARS) : q.start]),
        value=fig.value,
        unit=unit,
        of=q.of,
        value_base=(q.value_base if fig.value >= 0 else -abs(q.value_base)) if q.value_base is not None else None,
        base_unit=q.base_unit,
        year=year,
        period=period,
        period_type=ptype,
        period_first_month=bounds[0] if bounds else None,
        period_last_month=bounds[1] if bounds else None,
        start_year=start_year,
        end_year=end_year,
        kind=kind,
        kind_reason=kind_reason,
        period_reason=period_reason or "none stated",
        vs_year=vs_year,
        section=path,
        page=seg.page,
        line=seg.line_index + 1,
        bbox=para.bbox(q.start, q.end),
        text=text or q.raw,
        confidence=round(max(0.0, min(1.0, confidence)), 3),
        document=ctx.doc.source or ctx.doc.sha256,
    )


@dataclass(frozen=True, slots=True)
class NotAFigure:
    """A number read but not kept as a figure, and why (``planscan extract --explain``)."""

    page: int
    line: int
    text: str
    reason: str


def _mark_repeats(records: list[IndicatorRecord]) -> None:
    """A total stated again (in a summary, a later section) points to where it was first stated."""
    first: dict[tuple, str] = {}
    for r in records:
        same = (r.key, r.value, r.max, r.unit, r.year, r.period, r.kind)
        if same in first:
            r.same_as = first[same]
        else:
            first[same] = r.ref


def _make_docs(nlp: Language, paras: list[Paragraph]):
    for para in paras:
        sdoc = nlp.make_doc(para.text)
        # a restored line keeps what OCR read: its marks are the restorer's guesses
        sdoc._.trust_marks = not any(seg.line.original is not None for seg in para.segments)
        yield sdoc


def extract_indicators(
    doc: Document,
    meta: DocumentMeta | None = None,
    sections: Section | None = None,
    nlp: Language | None = None,
    skipped: list[NotAFigure] | None = None,
) -> list[IndicatorRecord]:
    """Every stated figure of ``doc`` as an IndicatorRecord, in reading order.

    ``meta`` and ``sections`` are computed when not given; ``nlp`` is a pipeline from
    ``nlp.make_nlp`` (the default one when not given). A number that cannot be read is skipped and
    logged as a warning with its page and line; ``skipped``, when given, receives every number that
    is no figure (a date, a reference, a name, a duration ...) with the reason.
    """
    if meta is None:
        meta = parse_metadata(doc)
    if sections is None:
        sections = parse_sections(doc)
    ctx = _Context(doc, meta, sections)
    paras = paragraphs(doc)
    if ctx.report_year is None or ctx.plan_year is None:
        _years_from_headings(ctx, paras)
    records: list[IndicatorRecord] = []
    nlp = nlp or shared_nlp()
    headings = _Headings()
    for para, sdoc in zip(paras, nlp.pipe(_make_docs(nlp, paras))):
        headings.update(para, ctx.report_year or ctx.plan_year)
        for message in sdoc._.number_warnings or []:
            m = _OFFSET.search(message)
            seg = para.locate(int(m.group(1))) if m else para.segments[0]
            log.warning("%s: page %d, line %d: %s", doc.source, seg.page, seg.line_index + 1, message)
        figs = sdoc._.figures or []
        first = len(records)
        for fig in figs:
            rec = _record(fig, para, ctx, headings)
            rec.ref = f"{rec.page}.{rec.line}.{len(records) + 1}"
            if fig.parent is not None:
                rec.part_of = records[first + fig.parent].ref
            records.append(rec)
        if skipped is not None:
            for item in sdoc._.skipped or []:
                seg = para.locate(item.start)
                skipped.append(NotAFigure(seg.page, seg.line_index + 1, " ".join(item.raw.split()), item.reason))
    _mark_repeats(records)
    return records
