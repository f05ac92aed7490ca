"""Reading one paragraph's figures: kind, comparison year, local period and label of each quantity.

Input is the paragraph text with its quantities, periods and cue spans (all as character offsets);
output is a list of ``Figure``. Document-level context (section headings, metadata) is applied later
by ``records.py``; here a figure only gets a period when its own sentence states one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from planscan.extract.indicators.cues import PERIOD_WORDS
from planscan.extract.indicators.labels import compose, left_tokens, right_tokens, strip_fillers, word_is
from planscan.extract.indicators.positions import Paragraph, Spans
from planscan.extract.text.numbers import Quantity, Skipped
from planscan.extract.text.periods import Period
from planscan.extract.text.fold import fold
from planscan.extract.text.units import is_stop_word, lookup_unit

@dataclass(slots=True)
class Cue:
    label: str
    start: int
    end: int


@dataclass(slots=True)
class Figure:
    quantity: Quantity
    value: float
    unit: str | None
    kind: str = "actual"
    vs_year: int | None = None
    vs_prior_no_year: bool = False
    change_without_vs: bool = False
    current_cue: bool = False
    label: str = ""
    base_label: str = ""
    label_confidence: float = 0.5
    period: Period | None = None
    inline_year: int | None = None
    target_cue: bool = False
    estimate_cue: bool = False
    kind_cue: str = ""  # the words of the sentence that gave the kind, for the record's kind_reason
    list_item: bool = False  # "Việt Trì (12)": an item of a list whose counted noun stands once
    qualifier: str | None = None  # "khoảng", "trên", "từ ... trở lên": value and kind stay as written
    parent: int | None = None  # index (in the paragraph's figures) of the total this one is part of
    unit_inferred: bool = False
    text_start: int = 0
    text_end: int = 0
    sentence: tuple[int, int] = (0, 0)


# Sentence ends: a full stop, ! or ? followed by space and not inside a number ("3.620").
_SENTENCE_END = re.compile(r"(?<=[.!?])[\s\"”)]+(?=\S)")
# A comparison may follow the unit's qualifier: "tăng 5,1 điểm phần trăm so với năm 2023".
_QUALIFIER = r"(?:[^\W\d_]+\s+){0,3}?"
_VS_YEAR = re.compile(
    r"^\W*(?:(?:so\s+voi|so|bang)\s+(?:cung\s+ky\s+|cung\s+thoi\s+diem\s+)?|cung\s+ky\s+|cung\s+thoi\s+diem\s+)"
    r"nam\s+((?:19|20)\d{2})"
    # a bare year right after a ratio ("bằng 110% năm 2021"), but not a bracketed remark "(năm 2022 là 58%)"
    r"|^[^\w(]*nam\s+((?:19|20)\d{2})"
    # OCR-damaged "cùng kỳ" between: "so với căng,kỹ năm 2019"
    rf"|^\W*{_QUALIFIER}so\s+voi(?:\W+[^\W\d_]+){{0,2}}?\W+nam\s+((?:19|20)\d{{2}})"
)
_VS_PRIOR = re.compile(
    rf"^\W*(?:{_QUALIFIER}so\s+voi\s+|so\s+|bang\s+)?(?:cung\s+ky|cung\s+thoi\s+diem|nam\s+truoc)"
)
# "đạt 104% kế hoạch", but not "đạt 45% (kế hoạch 40%)", which states the plan figure itself
_VS_PLAN = re.compile(r"^\W*(?:so\s+voi\s+)?(?:ke\s+hoach|du\s+toan|kh\b|chi\s+tieu)(?!\s*:?\s*\d)")
# "(kế hoạch 40%)": the plan figure for the one before it
_PLAN_FIGURE_BEFORE = re.compile(r"\(\s*(?:ke\s+hoach|kh|chi\s+tieu|du\s+toan)(?:\s+(?:giao|de\s+ra|nam\s+\d{4}))?\s*:?\s*$")
_INLINE_YEAR = re.compile(r"^\s*\(\s*(?:cung\s+ky\s+|thoi\s+diem\s+|tinh\s+den\s+)?(?:nam\s+)?((?:19|20)\d{2})\s*\)")
_VS_ANY = re.compile(r"^\W*(?:\w+\s+){0,3}?so\s+(?:voi\s+)?")
_CHANGE_BEFORE = re.compile(
    r"(?:^|\W)(tang|giam)(?:\s+(?:them|di|duoc|khoang|gan|hon|tren|lan luot|tuong ung))?\s*$"
)
# The numbering or bullet of a list item, alone before its name.
_ITEM_MARK = re.compile(r"\s*(?:[-+*\u2013\u2022]|[a-zđ]\)|\d{1,2}[.)])?\s*")
# "tăng lần lượt 32% và 9,8%": the second figure of a pair continues the first one's change
_PAIR_JOIN = re.compile(r"^\s*(?:va|,)\s*$")
_COMPARISON_VERB = re.compile(r"(?:^|\W)((?:tang|giam|dat|bang)\b[^\d]*)$")
_FROM_BEFORE = re.compile(r"(?:^|\W)tu\s*$")
_TO_BEFORE = re.compile(r"(?:^|\W)(?:len|xuong)\s*(?:den\s*)?$")
_TIME_UNITS = {"năm", "tháng", "quý", "tuần"}
# Letters of Vietnamese words (no f, j, w, z), for telling a guessed unit from an OCR fragment.
_VIET_WORD = re.compile(r"(?:[a-eg-ik-vxyđàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+[ ,]*)+")
_ROUND_BASES = {1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0}
_PER_BEFORE = re.compile(r"(?:(?:(?<![^\W\d_])([^\W\d_]+)\s+)?(?<![^\W\d_])([^\W\d_]+)|/)\s*$")
_LINKED = re.compile(r"(?:^|\s)(?:la|dat|bang|uoc dat|uoc|chiem|dat ty le|ty le|len|tu|tang|giam)\s*:?$")
# Said after the label of the figure a change or ratio refers to, so the record reads on its own.
_KIND_SUFFIX = {
    "tang": "tăng so với cùng kỳ",
    "giam": "giảm so với cùng kỳ",
    "ratio_to_prior": "so với cùng kỳ",
    "ratio_to_plan": "so với kế hoạch",
}
_ASPECT = ("đã", "đang", "sẽ")
_COMPARISONS = ("change", "ratio_to_prior", "ratio_to_plan")
_CUE_LABELS = ("ESTIMATE", "TARGET", "PLAN_GIVEN", "CURRENT")


# A comparison base, also when OCR left a stray mark between the words: "cùng kỳ -\nnăm 2018".
_REFERENCE_BEFORE = re.compile(
    r"(?:cung\s+ky|so\s+voi(?:\W+[^\W\d_]+){0,2}|so|bang|tu)[\W_]*$"
    r"|\d\s*%\s*$"  # "bằng 110% năm 2021": the base of a ratio
)


def _is_reference(folded: str, p: Period) -> bool:
    return bool(_REFERENCE_BEFORE.search(folded[max(0, p.start - 24) : p.start]))


# "(lông 13 trạm so với cùng kỳ": the first word of a remark in brackets, right before the figure
_LAST_WORD = re.compile(r"\(\s*([^\W\d_]+)\s*$")
_LINK_WORDS = {"dat", "bang", "la", "co", "uoc", "duoc", "chiem", "gom", "con", "them", "tong", "dang", "gia", "sang"}


def _damaged_direction(before: str) -> str | None:
    """'tang' or 'giam' when the word that opens a bracketed remark before a number is an OCR-damaged
    form of one of them (real neighbours such as "tổng", "đang", "giá" are not)."""
    m = _LAST_WORD.search(before)
    if not m:
        return None
    word = m.group(1)
    if word in _LINK_WORDS or not 3 <= len(word) <= 5:
        return None
    up, down = Levenshtein.distance(word, "tang"), Levenshtein.distance(word, "giam")
    if min(up, down) > 2 or up == down:
        return None
    return "tang" if up < down else "giam"


def _span_text(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start) : end].split())


def _cue_text(text: str, cues: list[Cue]) -> str:
    """The words of the last cue before the figure, as written."""
    return _span_text(text, cues[-1].start, cues[-1].end) if cues else ""


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans. A sentence starts with a capital, a bullet or a bracket: OCR puts stray "." and
    "?" inside sentences ("hồ. sơ"), and those are followed by lower case."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        nxt = text[m.end() : m.end() + 1]
        if not (nxt.isupper() or nxt in "-–(*+•\"“"):
            continue
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [s for s in out if s[1] > s[0]]


def _unit_from_subject(subject_words: list[str]) -> str | None:
    """'Số giờ tiếp, phát sóng' -> 'giờ': the counted noun a label names when the text gives no unit."""
    norms = [fold(w) for w in subject_words]
    for head in (("tong", "so"), ("so", "luong"), ("so",)):
        if tuple(norms[: len(head)]) == head:
            rest = subject_words[len(head) :]
            found = lookup_unit(rest)
            if found is not None:
                info, _ = found
                return info.unit
            return None
    return None


def analyse(
    text: str,
    quantities: list[Quantity],
    periods: list[Period],
    cues: list[Cue],
    skipped: list[Skipped] | None = None,
) -> list[Figure]:
    """Figures of one paragraph, in text order; ``skipped`` receives the quantities that are no
    figures, with the reason."""

    def skip(q: Quantity, reason: str) -> None:
        if skipped is not None:
            skipped.append(Skipped(text[q.start : q.end], q.start, q.end, reason))

    sents = sentences(text)
    folded = fold(text)
    at = Paragraph(text, folded, sents)
    all_periods = Spans(periods)
    # a figure's own periods: not a comparison base ("so với năm 2019")
    own_periods = Spans([
        p for p in periods if not p.reference and p.year is not None and not _is_reference(folded, p)
    ])
    order = {id(c): i for i, c in enumerate(cues)}
    cue_of = {label: Spans([c for c in cues if c.label == label]) for label in _CUE_LABELS}
    figures: list[Figure] = []
    # per sentence: its figures, its last level figure (of each unit), its last total of a count
    in_sentence: dict[tuple[int, int], list[Figure]] = {}
    last_level: dict[tuple, Figure] = {}
    last_total: dict[tuple[int, int], int] = {}
    # per unit: the level figures not part of another, for the totals of "trong đó"
    totals_of: dict[str | None, list[int]] = {}

    def add(f: Figure) -> None:
        i = len(figures)
        figures.append(f)
        in_sentence.setdefault(f.sentence, []).append(f)
        if f.kind not in _COMPARISONS:
            last_level[f.sentence] = last_level[(f.sentence, f.unit)] = f
            if f.unit and f.quantity.unit_family == "count" and not f.list_item:
                last_total[f.sentence] = i
            if f.parent is None:
                totals_of.setdefault(f.unit, []).append(i)

    for q in quantities:
        unit = q.unit
        if unit is not None and unit.split("/")[0].strip() in _TIME_UNITS:
            skip(q, "a duration or an age")
            continue
        if all_periods.covers(q.start):
            skip(q, "part of a period")
            continue
        if q.unit_source == "guess" and unit and not _VIET_WORD.fullmatch(unit.split("/")[0]):
            skip(q, "an OCR fragment taken for a unit")  # "234/287 tịữfJ"
            continue
        per = _PER_BEFORE.search(text[max(0, q.start - 20) : q.start]) if q.value in _ROUND_BASES else None
        if per and q.of is None and (
            not per.group(2)
            # "bác sĩ trên 1 vạn dân" after a noun; "cho trên 10.000 lao động" bounds a count
            or (any(word_is(per.group(2), w) for w in ("trên", "mỗi")) and not (per.group(1) and is_stop_word(per.group(1))))
        ):
            skip(q, "the base of a rate")  # "bác sĩ trên 1 vạn dân"
            continue
        sent = at.sentence_of(q.start)
        prev_in_sentence = in_sentence.get(sent, [])
        floor = prev_in_sentence[-1].text_end if prev_in_sentence else sent[0]
        floor = max(floor, sent[0])
        before = folded[max(floor, q.start - 30) : q.start]
        clause_end = at.clause_end(q.end, sent[1])
        after = folded[q.end : min(len(text), q.end + 60)]

        fig = Figure(quantity=q, value=q.value, unit=unit, sentence=sent, text_end=q.end)

        # --- kind --------------------------------------------------------------------------
        change = _CHANGE_BEFORE.search(before)
        vs_year = _VS_YEAR.match(after)
        vs_prior = _VS_PRIOR.match(after)
        vs_plan = _VS_PLAN.match(after)
        # the last cue of each kind in the sentence before the figure, and in the words since the last figure
        sentence_cue = {label: cue_of[label].last_within(sent[0], q.start) for label in _CUE_LABELS}
        left_cue = {label: cue_of[label].last_within(floor, q.start) for label in ("ESTIMATE", "PLAN_GIVEN")}
        inline = _INLINE_YEAR.match(folded[q.end : q.end + 40])
        from_to = bool(_FROM_BEFORE.search(before) or _TO_BEFORE.search(before))
        if inline or from_to:
            # "tăng từ 81,5% (cùng kỳ năm 2019) lên 86,3%": two stated levels, not a ratio or a change
            vs_year = vs_prior = vs_plan = None
        percent = q.unit_family == "percent" or unit == "%"
        damaged = None
        if not change and not from_to and (vs_year or vs_prior) and not percent:
            damaged = _damaged_direction(before)
        if damaged is not None:
            # "(lông 13 trạm so với cùng kỳ năm 2018)": a count against the same period is a change,
            # whatever OCR made of "tăng"
            fig.kind = "change"
            fig.kind_cue = text[q.end : q.end + (vs_year or vs_prior).end()].strip()
            if damaged == "giam":
                fig.value = -abs(q.value)
        elif change and not from_to:
            fig.kind = "change"
            fig.change_without_vs = not (vs_year or vs_prior or _VS_ANY.match(after))
            fig.kind_cue = _span_text(text, q.start - (len(before) - change.start(1)), q.start)
            if change.group(1) == "giam":
                fig.value = -abs(q.value)
        elif (vs_prior or vs_year) and (q.unit_family == "percent" or unit == "%"):
            fig.kind = "ratio_to_prior"
            fig.kind_cue = _span_text(text, q.end, q.end + (vs_prior or vs_year).end())
        elif vs_plan and (q.unit_family == "percent" or unit == "%"):
            fig.kind = "ratio_to_plan"
            fig.kind_cue = _span_text(text, q.end, q.end + vs_plan.end())
        pair = prev_in_sentence[-1] if prev_in_sentence else None
        if (
            fig.kind in ("actual", "ratio_to_prior") and pair is not None and pair.kind == "change" and pair.unit == unit
            and _PAIR_JOIN.match(folded[pair.quantity.end : q.start])
        ):
            fig.kind, fig.kind_cue = "change", pair.kind_cue
            fig.value = -abs(q.value) if pair.value < 0 else q.value
            fig.change_without_vs = pair.change_without_vs and not (vs_year or vs_prior)
        plan_figure = bool(_PLAN_FIGURE_BEFORE.search(before))
        if fig.kind in ("change", "ratio_to_prior"):
            if vs_year:
                fig.vs_year = int(next(g for g in vs_year.groups() if g))
            elif vs_prior:
                fig.vs_prior_no_year = True
        # a lead-in before a colon covers the whole list: "Ước thực hiện năm 2020: ...; ..." (the
        # estimate cue that ends first has a colon after it if any has)
        first_estimate = cue_of["ESTIMATE"].first_end_within(sent[0], q.start)
        fig.estimate_cue = left_cue["ESTIMATE"] is not None or (
            first_estimate is not None and at.colons.find(first_estimate, q.start) >= 0
        )
        fig.target_cue = plan_figure or sentence_cue["TARGET"] is not None or left_cue["PLAN_GIVEN"] is not None
        fig.current_cue = sentence_cue["CURRENT"] is not None and not fig.target_cue
        if fig.kind == "actual":
            if fig.estimate_cue:
                fig.kind = "estimate"
                fig.kind_cue = _cue_text(text, [c for c in [sentence_cue["ESTIMATE"]] if c])
            elif fig.target_cue:
                fig.kind = "target"
                last = max((c for c in (sentence_cue["TARGET"], sentence_cue["PLAN_GIVEN"]) if c),
                           key=lambda c: (c.start, order[id(c)]), default=None)
                fig.kind_cue = _cue_text(text, [last] if last else []) or "kế hoạch (in brackets)"

        # --- period stated in the sentence --------------------------------------------------
        if inline:
            fig.inline_year = int(inline.group(1))
        # the sentence's own periods: the last one before the figure, the first one after it in its clause
        preceding = own_periods.last_within(sent[0], q.start)
        following = own_periods.first_from(max(sent[0], q.end))
        if following is not None and following.start >= min(sent[1], clause_end):
            following = None
        if preceding and following and at.commas.find(preceding.end, q.start) >= 0 and not (
            fig.kind in ("change", "ratio_to_prior")
        ):
            # "... giai đoạn 2026-2030, Nghị quyết ..., nhất là 44 nhiệm vụ ... trong quý II năm 2026":
            # a period of the figure's own clause is nearer in meaning than one of an earlier clause
            fig.period = following
        elif preceding:
            fig.period = preceding
        elif following:
            fig.period = following

        # --- label ---------------------------------------------------------------------------
        left = left_tokens(text, floor, q.start, all_periods.covers, after_figure=bool(prev_in_sentence))
        if change or fig.kind in ("ratio_to_prior", "ratio_to_plan"):
            # the subject of a change is the figure it changes, not the words "tăng"/"đạt"
            left = [t for t in left if t.norm not in ("tang", "giam", "them")]
        colon = bool(left) and text[left[-1].end : q.start].strip() == ":"
        linked = colon or (bool(left) and bool(_LINKED.search(fold(" ".join(t.text for t in left[-3:])))))
        subject = strip_fillers(_drop_periods(left, all_periods.covers))
        if colon and subject:
            # "Phấn đấu năm 2021: 100% cán bộ ...": a short lead-in before a colon names no subject,
            # unless it is the name of a list item ("+ Doanh nghiệp: 495 triệu đồng")
            line_start = at.newlines.rfind(0, subject[0].start) + 1
            item = bool(_ITEM_MARK.fullmatch(text[line_start : subject[0].start]))
            if sum(t.is_word for t in subject) <= 2 and not item:
                subject = []
        if not linked:
            # "Đài đã xây dựng 186 tin, bài": an actor and a verb, not the name of what is counted
            marker = next((i for i, t in enumerate(subject) if any(word_is(t.text, w) for w in _ASPECT)), None)
            if marker is not None and q.unit_family != "percent":
                subject = []
        subject_words = [t.text for t in subject if t.is_word]
        if unit is None:
            item = _list_item(text, q, sent, figures, last_total.get(sent))
            if item is not None:
                add(item)
                continue
            inferred = _unit_from_subject(subject_words)
            if inferred is None:
                skip(q, "a bare number: nothing says what it counts")
                continue
            unit = fig.unit = inferred
            fig.unit_inferred = True
        right = right_tokens(text, q.end if q.unit_source != "before" else q.number_end, clause_end, percent)
        if q.unit_source == "before":
            subject = [t for t in subject if fold(t.text) not in fold(unit).split()]
        previous = None
        clause_start = max(at.semicolons.rfind(sent[0], q.start), sent[0])
        # the last level figure of the clause (figures are in text order: if the sentence's last
        # one is before the clause, all are)
        base = [f for f in (last_level.get(sent),) if f is not None and f.quantity.start >= clause_start]
        if base:
            previous = (base[-1].label, base[-1].unit)
        if fig.kind == "change" and unit != "%":
            # a change in a count is a change of the last figure with that count
            same = [f for f in (last_level.get((sent, unit)),) if f is not None and f.quantity.start >= clause_start]
            base = same or base
        unit_text = text[q.number_end : q.end].strip(" \t\n") if q.unit_source in ("after", "glued") else None
        if unit_text and not re.fullmatch(r"[^\W\d_]+(?:[ ,]+[^\W\d_]+)*", unit_text):
            unit_text = None  # OCR marks inside ("7/18 :xã"): show the unit as the lexicon writes it
        own_subject = fig.change_without_vs and len([t for t in subject if t.is_word]) >= 2
        if fig.kind in ("change", "ratio_to_prior", "ratio_to_plan") and base and not own_subject:
            fig.label, fig.label_confidence = base[-1].base_label or base[-1].label, 0.7
        elif base and base[-1].unit == unit and (plan_figure or (_TO_BEFORE.search(before) and not subject)):
            fig.label, fig.label_confidence = base[-1].base_label or base[-1].label, 0.7
        else:
            fig.label, fig.label_confidence = compose(
                subject, right, unit, previous, linked, unit_text, q.unit_family
            )
        if not fig.label:
            fig.label = f"Số {unit}"
        fig.base_label = fig.label
        suffix = _KIND_SUFFIX.get(fig.kind if fig.kind != "change" else ("giam" if fig.value < 0 else "tang"))
        if fig.change_without_vs and suffix:
            suffix = suffix.split(" so ")[0]  # "giảm", not "giảm so với cùng kỳ": no comparison was stated
        if suffix and fig.label_confidence >= 0.5:
            fig.label = f"{fig.label} {suffix}"
        fig.text_start = subject[0].start if subject else q.start
        if q.unit_source == "before":
            # "doanh nghiệp 03 cung ứng": the source phrase starts at the noun
            noun_at = folded.rfind(fold(unit), max(0, q.start - 40), q.start)
            if noun_at >= 0:
                fig.text_start = min(fig.text_start, noun_at)
        fig.text_end = max(q.end, right[-1].end if right else q.end)
        if fig.kind in ("change", "ratio_to_prior", "ratio_to_plan"):
            # the source phrase of a comparison is the whole of it: "tăng 13 trạm so với cùng kỳ năm 2018"
            verb = _COMPARISON_VERB.search(before)
            if verb:
                fig.text_start = q.start - (len(before) - verb.start(1))
            vs = (vs_year or vs_prior or vs_plan) if fig.kind != "change" or not fig.change_without_vs else None
            if vs:
                fig.text_end = max(fig.text_end, q.end + vs.end())
        fig.qualifier = _qualifier(text, folded, q, floor)
        fig.parent = _parent(at, q, sent, figures, totals_of.get(q.unit, []))
        add(fig)
    return figures


# "khoảng 180 ha", "gần 2.000 hộ", "trên 378 tỷ đồng", "từ 50% trở lên": a bound or an approximation
# written with the number; it changes neither the value nor the kind.
_QUALIFIER_BEFORE = re.compile(
    r"(?:^|[^\w])(khoang|gan|hon|tren|duoi|xap xi|it nhat|toi thieu|toi da|khong qua|khong duoi|vao khoang|tu)\s*$"
)
_QUALIFIER_AFTER = re.compile(r"^\s*(tro len|tro xuong)\b")


def _qualifier(text: str, folded: str, q: Quantity, floor: int) -> str | None:
    window = max(floor, q.start - 16)
    before = _QUALIFIER_BEFORE.search(folded[window : q.start])
    after = _QUALIFIER_AFTER.match(folded[q.end : q.end + 16])
    written_before = None
    if before is not None:
        start = window + before.start(1)
        written_before = " ".join(text[start : start + len(before.group(1))].split())
    if after is not None:
        written_after = " ".join(text[q.end + after.start(1) : q.end + after.end(1)].split())
        return f"{written_before} ... {written_after}" if written_before else written_after
    if written_before is None or fold(written_before) == "tu":
        return None  # a bare "từ" starts "từ X lên Y", not a bound
    return written_before


# How many totals in brackets a "trong đó" looks back over for one outside them (a bound on a
# paragraph written to cost its square; a real one has a handful).
_PARENT_REACH = 400


def _last_ending_by(candidates: list[int], figures: list[Figure], pos: int) -> int:
    """The place in ``candidates`` (figures in text order) after the last one that ends by ``pos``."""
    return bisect_right(candidates, pos, key=lambda i: figures[i].quantity.end)


def _parent(at: Paragraph, q: Quantity, sent: tuple[int, int], figures: list[Figure], candidates: list[int]) -> int | None:
    """The total a figure is a part of: the last figure in its unit before "trong đó" in its own
    sentence ("tổng vốn 100 tỷ đồng, trong đó ngân sách 40 tỷ đồng"), or the figure whose bracketed
    breakdown it stands in ("260 chợ (02 chợ đầu mối; ...)"). ``candidates``: the level figures in
    its unit that are part of no other."""
    if not candidates:
        return None
    mark = at.last_sum_mark(sent[0], q.start)
    if mark is not None:
        k = _last_ending_by(candidates, figures, mark)
        for i in reversed(candidates[max(0, k - _PARENT_REACH) : k]):
            if at.depth(sent[0], figures[i].quantity.start) <= 0:
                return i
    if at.depth(sent[0], q.start) > 0:
        opened = at.opens.rfind(sent[0], q.start)
        k = _last_ending_by(candidates, figures, opened)
        if k and not at.text[figures[candidates[k - 1]].quantity.end : opened].strip(" \t\n"):
            return candidates[k - 1]
    return None


# "Việt Trì (12), thị xã Phú Thọ (08)": a bare number in brackets after a name, in a list whose
# counted noun was written once, with the total, earlier in the sentence.
_BRACKETED = re.compile(r"\(\s*$")
_NAME_BEFORE = re.compile(r"([^\W\d_][^,;:()]*?)\s*\(\s*$")


def _list_item(text: str, q: Quantity, sent: tuple[int, int], figures: list[Figure], at: int | None) -> Figure | None:
    """``at``: the last figure of the sentence that may be a list's total (a level count, no item)."""
    if q.of is not None or not text[q.end : q.end + 3].lstrip(" \t").startswith(")"):
        return None
    head = text[max(sent[0], q.start - 60) : q.start]
    name = _NAME_BEFORE.search(head)
    if name is None or at is None:
        return None
    totals = [at]
    total = figures[totals[-1]]
    place = " ".join(name.group(1).split())
    item = Figure(
        quantity=q, value=q.value, unit=total.unit, kind=total.kind, sentence=sent,
        label=f"{total.base_label or total.label} - {place}", label_confidence=0.7,
        period=total.period, target_cue=total.target_cue, estimate_cue=total.estimate_cue,
        kind_cue=total.kind_cue, parent=totals[-1], list_item=True,
    )
    item.base_label = item.label
    item.text_start = q.start - len(head) + name.start(1)
    item.text_end = q.end + text[q.end :].index(")") + 1
    return item


_PERIOD_WORDS = set(PERIOD_WORDS)


def _drop_periods(toks, covered: Callable[[int], bool]):
    """Drop the words of period phrases (``covered``: whether a position is in one), but only words
    that can belong to one (a period match can overlap a neighbour when diacritics are ambiguous:
    "phấn đấu năm 2021")."""
    def in_period(t) -> bool:
        if not covered(t.start):
            return False
        return t.has_digit or not t.is_word or any(word_is(t.text, w) for w in _PERIOD_WORDS)

    return [t for t in toks if not in_period(t)]
