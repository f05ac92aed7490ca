"""Labels of what a figure measures, read from the words around it.

Vietnamese report prose names a figure in one of a few ways, and each is read differently:

- subject then verb: "Số hộ được nghe đài là 15.750 hộ" -> the subject before "là/đạt/ước đạt";
- existential: "Toàn huyện có 69 tuyến truyền dẫn nội tỉnh" -> "Số" + the counted noun + what follows;
- a rate of the previous count: "(đạt tỷ lệ 88,9 %)" -> "Tỷ lệ" + what the count was of;
- a percentage before its noun: "100% thôn, bản được phủ sóng" -> "Tỷ lệ thôn, bản được phủ sóng".

All matching is on accent-folded words, so it works on text that lost its diacritics too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from planscan.extract.indicators.cues import LEAD_FILLERS, MEASURE_HEADS, RIGHT_STOPS, RIGHT_TRAIL, TRAIL_FILLERS
from planscan.extract.text.fold import fold
from planscan.extract.text.units import lookup_unit

_TOKEN = re.compile(r"[^\W_]+(?:[.,/][^\W_]+)*|[^\w\s]", re.UNICODE)
MAX_LEFT_WORDS = 30
LEFT_CHARS = 40 * MAX_LEFT_WORDS  # far more than 30 words and the marks between them take
MAX_RIGHT_WORDS = 16


@dataclass(frozen=True, slots=True)
class Tok:
    text: str
    norm: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def has_digit(self) -> bool:
        return any(c.isdigit() for c in self.text)

    @property
    def blocks(self) -> bool:
        """A number that ends a subject read leftwards: a figure, a date, a code or a year. Small
        numbers that name things ("dưới 5 tuổi", "4G", "cấp 3") and periods do not."""
        if not self.has_digit or self.norm == "#period":
            return False
        digits = sum(c.isdigit() for c in self.text)
        return digits >= 3 or any(c in self.text for c in "/:.,")


# tokens repeat (a paragraph of figures tokenises the same words around each one)
_fold_token = lru_cache(maxsize=65536)(fold)


def _tok(m: re.Match) -> Tok:
    word = m.group()
    return Tok(word, _fold_token(word), m.start(), m.end())


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Tok]:
    # the pattern has no anchor or look-around: bounding the search is cutting the text there
    return [_tok(m) for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


class _Ahead:
    """The tokens of a stretch, read only as far as they are looked at: the walk right of a figure
    mostly ends at its next word or number, whatever the stretch's length."""

    def __init__(self, text: str, start: int, end: int):
        self._matches = _TOKEN.finditer(text, start, end)
        self.toks: list[Tok] = []
        self.texts: list[str] = []

    def has(self, i: int) -> bool:
        """Whether the stretch has a token ``i`` (read up to it)."""
        while len(self.toks) <= i:
            m = next(self._matches, None)
            if m is None:
                return False
            t = _tok(m)
            self.toks.append(t)
            self.texts.append(t.text)
        return True

    def starts_with(self, phrases: list[tuple[str, ...]], at: int) -> int:
        """``_starts_with`` of the stretch's words at ``at``, reading as far as the longest phrase."""
        self.has(at + _LONGEST_PHRASE - 1)
        return _starts_with(self.texts, phrases, at)


def _phrases(words: list[str]) -> list[tuple[str, ...]]:
    return sorted((tuple(w.lower().split()) for w in words), key=len, reverse=True)


_LEAD = _phrases(LEAD_FILLERS)
_TRAIL = _phrases(TRAIL_FILLERS)
_STOPS = _phrases(RIGHT_STOPS)
_RIGHT_TRAIL = _phrases(RIGHT_TRAIL)
_HEADS = _phrases(MEASURE_HEADS)
_LONGEST_PHRASE = max(len(p) for p in _STOPS + _HEADS)


def word_is(text: str, word: str) -> bool:
    """Exact on accented text; accent-insensitive only when the text has lost its marks."""
    low = text.lower()
    if low == word:
        return True
    return low == _fold_token(low) and _fold_token(low) == _fold_token(word)


def _match(words: list[str], phrase: tuple[str, ...], at: int) -> bool:
    return len(words) - at >= len(phrase) and all(word_is(words[at + k], w) for k, w in enumerate(phrase))


def _starts_with(words: list[str], phrases: list[tuple[str, ...]], at: int = 0) -> int:
    if at >= len(words):
        return 0
    first = _fold_token(words[at].lower())
    for p in phrases:
        if _fold_token(p[0]) == first and _match(words, p, at):
            return len(p)
    return 0


def _ends_with(words: list[str], phrases: list[tuple[str, ...]]) -> int:
    if not words:
        return 0
    last = _fold_token(words[-1].lower())
    for p in phrases:
        if _fold_token(p[-1]) == last and len(words) >= len(p) and _match(words, p, len(words) - len(p)):
            return len(p)
    return 0


def left_tokens(
    text: str, floor: int, start: int, transparent: Callable[[int], bool] | None = None, after_figure: bool = False
) -> list[Tok]:
    """Tokens of the subject phrase before a figure, walking left from ``start`` to a clause boundary.

    A comma ends the walk only when the part before it holds a figure (then it is a separate clause);
    a comma inside a noun list ("trạm thu, phát sóng") is kept. Parentheses without digits ("(BTS)") are
    part of the subject; a parenthesis with a figure is a separate remark and ends it.
    ``transparent`` says whether a position is inside a period, whose digits are no boundary.
    """
    # the walk stops after MAX_LEFT_WORDS words: the text further back than this is never reached
    # by a real subject, and tokenising it for every figure made a long paragraph cost its square
    toks = tokens(text, max(floor, start - LEFT_CHARS), start)
    # digits inside a period ("6 tháng đầu năm 2019") do not make a clause boundary
    if transparent is not None:
        toks = [Tok(t.text, "#period", t.start, t.end) if transparent(t.start) else t for t in toks]
    out: list[Tok] = []
    i = len(toks) - 1
    words = 0
    while i >= 0 and words < MAX_LEFT_WORDS:
        t = toks[i]
        if t.text == ";":
            break
        if t.text in ".!?":
            if not out or out[0].text[:1].isupper() or not out[0].is_word:
                break
            i -= 1  # OCR noise inside a sentence ("lưới? quốc gia"): skip the mark
            continue
        if t.text == ":":
            if out:
                break
            i -= 1
            continue
        if t.text == ")":
            j = i - 1
            while j >= 0 and toks[j].text != "(":
                j -= 1
            group = toks[j + 1 : i]
            if j < 0 or any(g.has_digit for g in group) or sum(g.is_word for g in group) > 3:
                break
            out[:0] = toks[j : i + 1]
            i = j - 1
            continue
        if t.text == "(":
            break
        if t.text == ",":
            j = i - 1
            while j >= 0 and toks[j].text not in ",;.:()":
                j -= 1
            if any(g.blocks for g in toks[j + 1 : i]):
                break
            if j < 0 and after_figure:
                break  # the words before the comma end the previous figure's clause
        if t.blocks or (t.has_digit and t.norm != "#period" and not any(o.is_word for o in out)):
            break  # a small number right before the figure is OCR debris ("tỷ 16 38,9%"), not a name
        out.insert(0, t)
        words += t.is_word
        i -= 1
    return out


def right_tokens(text: str, start: int, ceiling: int, noun_first: bool = False) -> list[Tok]:
    """Tokens of the descriptive phrase after a figure's unit, up to a clause boundary or a cue.

    ``noun_first``: the phrase starts with the counted noun itself (after "100%"), so a list of
    nouns ("cán bộ, công chức, viên chức") may continue past commas.
    """
    # as on the left: the walk ends within MAX_RIGHT_WORDS words (the phrase checks look a few past),
    # and the stretch is tokenised only as far as the walk and those checks read
    ahead = _Ahead(text, start, min(ceiling, start + LEFT_CHARS))
    toks = ahead.toks
    out: list[Tok] = []
    words = 0
    since_comma = 0
    i = 0
    while ahead.has(i) and words < MAX_RIGHT_WORDS:
        t = toks[i]
        if t.text == "," and 1 <= since_comma <= 2 and ahead.has(i + 1) and toks[i + 1].is_word:
            # a list of short nouns: "cán bộ, công chức, viên chức", "thôn, bản"
            if (
                not toks[i + 1].has_digit
                and not ahead.starts_with(_STOPS, i + 1)
                and not ahead.starts_with(_HEADS, i + 1)
                and noun_first
            ):
                out.append(t)
                since_comma = 0
                i += 1
                continue
        if not t.is_word or t.has_digit:
            if t.text in "&-–'" and out:
                out.append(t)
                i += 1
                continue
            break
        if ahead.starts_with(_STOPS, i):
            break
        if word_is(t.text, "và") and ahead.has(i + 1) and toks[i + 1].has_digit:
            break
        out.append(t)
        words += 1
        since_comma += 1
        i += 1
    # "16 xã có báo đọc trong ngày đạt tỷ lệ 88%": the verb before the next figure is not description
    while out:
        w = [t.text for t in out]
        n = _ends_with(w, _RIGHT_TRAIL)
        if not n:
            break
        out = out[: len(out) - n]
        while out and not out[-1].is_word:
            out.pop()
    return out


def join(toks: list[Tok]) -> str:
    """Text of tokens with the document's own spacing collapsed to single spaces."""
    parts: list[str] = []
    prev: Tok | None = None
    for t in toks:
        if prev is not None and (t.start > prev.end or (prev.is_word and t.is_word)):
            if not (t.text in ",)" or prev.text == "("):
                parts.append(" ")
        parts.append(t.text)
        prev = t
    return "".join(parts).strip()


def strip_fillers(toks: list[Tok]) -> list[Tok]:
    """Drop the where/when words at the left and the linking verb at the right of a subject."""
    toks = list(toks)
    changed = True
    while changed and toks:
        changed = False
        while toks and not toks[0].is_word:
            toks.pop(0)
            changed = True
        while toks and not toks[-1].is_word and toks[-1].text != ")":
            toks.pop()
            changed = True
        words = [t for t in toks if t.is_word]
        norms = [t.text for t in words]
        n = _starts_with(norms, _LEAD)
        if n:
            cut = words[n - 1]
            toks = [t for t in toks if t.start > cut.start]
            changed = True
            continue
        n = _ends_with(norms, _TRAIL)
        if n:
            first_cut = words[len(words) - n]
            toks = [t for t in toks if t.start < first_cut.start] if len(words) > n else []
            changed = True
    return toks


# What a measure of each unit family is called when the text gives no subject.
_MEASURE_NAMES = {"area": "diện tích", "length": "chiều dài", "mass": "khối lượng", "money": "giá trị", "volume": "thể tích"}


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _descriptor(label: str) -> str:
    """What a count label counts: 'Số xã có điểm bưu điện' -> 'xã có điểm bưu điện'."""
    words = label.split()
    norms = [fold(w) for w in words]
    for head in (("tong", "so"), ("so", "luong"), ("so",), ("tong",)):
        if tuple(norms[: len(head)]) == head and len(words) > len(head):
            return " ".join(words[len(head) :])
    return label[:1].lower() + label[1:] if label else label


def is_unit_head(words: list[str], unit: str | None) -> bool:
    """True when a phrase starts with its own counted noun ('thuê bao di động' for 'thuê bao')."""
    if not words:
        return False
    found = lookup_unit(words)
    if found is not None and found[0].family == "count" and unit and fold(found[0].unit) == fold(unit):
        return True
    return bool(unit) and fold(" ".join(words)).startswith(fold(unit))


def compose(
    subject: list[Tok],
    right: list[Tok],
    unit: str | None,
    previous: tuple[str, str | None] | None,
    linked: bool = True,
    unit_text: str | None = None,
    family: str | None = None,
) -> tuple[str, float]:
    """The label and a confidence in it, from the subject before and the phrase after a figure.

    ``previous`` is the label and unit of the figure before this one in the sentence, which a rate or a
    bare percentage refers back to.
    """
    subj_words = [t.text for t in subject if t.is_word]
    subj_norms = subj_words
    subject_text = join(subject)
    right_text = join(right)
    unit = unit or ""
    generic = not subj_words or fold(" ".join(subj_norms)) in {"ty le", "muc", "so", "tong so", "binh quan", "tong"}
    # a short unlinked fragment ("cấp huyện và 142 thủ tục") names less than the words after the figure;
    # a short subject linked by a verb ("lợi nhuận đạt 800 triệu đồng") is the name
    weak = (
        len(subj_words) <= 2 and not linked and not _starts_with(subj_norms, _HEADS) and (bool(right_text) or bool(unit))
    )

    if unit == "%":
        if not generic:
            if _starts_with(subj_norms, [("số", "lượng"), ("tổng", "số"), ("số",)]):
                return _cap("tỷ lệ " + _descriptor(subject_text)), 0.8
            return _cap(subject_text), 0.85
        if right_text:
            return _cap("tỷ lệ " + right_text), 0.75
        if previous is not None and previous[1] != "%":
            return _cap("tỷ lệ " + _descriptor(previous[0])), 0.7
        if previous is not None and previous[0]:
            return previous[0], 0.6  # "đạt 62% (năm 2022 là 58%)": the same rate at another time
        return "Tỷ lệ", 0.3
    if "/" in unit:
        numerator, denominator = (s.strip() for s in unit.split("/", 1))
        if not generic and not weak:
            return _cap(subject_text), 0.8
        if re.match(r"^100 d[aâ]n", fold(denominator)) or fold(denominator).startswith("100 dan"):
            if previous is not None and previous[1] and fold(previous[1]) == fold(numerator):
                return _cap("mật độ " + _descriptor(previous[0])), 0.7
            return _cap(f"mật độ {numerator}"), 0.5
        lead = (subject_text + " ") if subj_words else ""
        counted = lookup_unit(numerator.split())
        if counted is not None and counted[0].family == "count":
            # "bình quân 4.386 người/điểm phục vụ" -> "Số người bình quân trên một điểm phục vụ"
            return _cap(f"số {numerator} {lead}trên một {denominator}"), 0.6
        return _cap(f"{lead}{numerator} trên {denominator}"), 0.5
    shown_unit = unit_text or unit
    tail = f" {right_text}" if right_text else ""
    # what the figure is "of": a count of its noun, or the measure its unit family names
    head_name = _MEASURE_NAMES.get(family or "", f"số {shown_unit}")
    if not generic and not weak:
        head = _starts_with(subj_norms, _HEADS)
        if is_unit_head(subj_words, unit) and not head:
            return _cap(("số " + subject_text + tail).strip()), 0.8
        if not linked and not head:
            # "phần mềm X được duy trì tại 19/19 xã": the figure counts the unit, the subject says of what
            return _cap(f"{head_name}{tail} ({subject_text})"), 0.6
        return _cap(subject_text), 0.85
    if family in _MEASURE_NAMES:
        # "trồng mới 420 ha rừng" -> "Diện tích rừng trồng mới": a measure, not a count of hectares
        verb = f" {subject_text[:1].lower()}{subject_text[1:]}" if subj_words and not linked and not generic else ""
        return _cap(f"{_MEASURE_NAMES[family]}{tail}{verb}".strip()), 0.6 if (right_text or verb) else 0.4
    if right_text or unit:
        return _cap(f"số {shown_unit}{tail}".strip()), 0.7 if right_text else 0.5
    return _cap(subject_text) if subject_text else "", 0.3
