"""Vietnamese numbers and the quantities they state: "3.620 triệu đồng", "16/18 xã", "88,9 %".

Vietnamese writes "." between thousands and "," before decimals. OCR and hurried typing also give
"0.9 %" for "0,9 %": a dot is read as thousands only before exactly three digits, as a decimal
otherwise. ``find_quantities`` skips what only looks like a quantity: dates, document numbers,
section numbers, phone numbers, ordinals ("mức độ 3"), durations and anniversaries ("89 năm"),
and years.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
import unicodedata
import warnings
from dataclasses import dataclass

from planscan.extract.text.fold import fold
from planscan.extract.text.units import (
    UnitInfo,
    fuzzy_lookup_unit,
    is_stop_word,
    is_written_stop_word,
    lookup_unit,
    max_unit_syllables,
    scale_factor,
    unit_info,
    written_unit,
)


class NumberWarning(UserWarning):
    """A number-like string could not be read; it is skipped. The message names where it was."""


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    unit: str | None
    raw: str
    start: int
    end: int
    of: float | None = None
    unit_family: str | None = None
    value_base: float | None = None
    base_unit: str | None = None
    number_start: int = 0
    number_end: int = 0
    # where the unit came from: "after", "glued", "fuzzy" (OCR-damaged spelling), "before" (the noun
    # precedes the number), "range" (the other end of "10 - 15 km"), "guess" (an unknown noun)
    unit_source: str | None = None
    max: float | None = None  # the upper end of a range ("40 - 50 m2/người"): value is the lower

    @property
    def is_percent(self) -> bool:
        return self.unit_family == "percent"

    @property
    def is_money(self) -> bool:
        return self.unit_family == "money"

    @property
    def is_rate(self) -> bool:
        return self.unit_family == "rate"


# --- parsing one number -------------------------------------------------------------------

_INT = re.compile(r"\d+")
_VI_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?")
_VI_DECIMAL = re.compile(r"\d+,\d+")
_DOT_DECIMAL = re.compile(r"\d+\.\d+")
_EN_GROUPED = re.compile(r"[1-9]\d{0,2}(?:,\d{3}){2,}(?:\.\d+)?|[1-9]\d{0,2}(?:,\d{3})+\.\d+")
_SPACE_GROUPED = re.compile(r"[1-9]\d{0,2}(?: \d{3})+(?:,\d+)?")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def parse_number(s: str) -> float | None:
    """A number written the Vietnamese way (or damaged by OCR) as a float; None if it is not one.

    "3.620" -> 3620, "117,57" -> 117.57, "1.234.567" -> 1234567, "03" -> 3, "0.9" -> 0.9.
    """
    t = s.strip().translate(_SPACES)
    sign = 1.0
    if t[:1] in ("-", "\u2212", "+"):
        sign = -1.0 if t[0] != "+" else 1.0
        t = t[1:].lstrip()
    if not t:
        return None
    try:
        v = _parse_unsigned(t, sign)
    except (ValueError, OverflowError):  # e.g. hundreds of digits: not a figure anyone wrote
        return None
    return v if v is None or math.isfinite(v) else None


def _parse_unsigned(t: str, sign: float) -> float | None:
    if _INT.fullmatch(t):
        return sign * float(int(t))
    if _VI_GROUPED.fullmatch(t) or _VI_DECIMAL.fullmatch(t):
        return sign * float(t.replace(".", "").replace(",", "."))
    if _DOT_DECIMAL.fullmatch(t):
        # Not a thousands grouping (that needs exactly three digits after each dot): an OCR'd or
        # English-style decimal point.
        return sign * float(t)
    if _EN_GROUPED.fullmatch(t):
        return sign * float(t.replace(",", ""))
    if _SPACE_GROUPED.fullmatch(t):
        return sign * float(t.replace(" ", "").replace(",", "."))
    return None


# --- finding quantities in running text ---------------------------------------------------

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
# OCR turns letters with marks into symbols ("¢6" for "có", "1¢" for "lệ"); a digit touching one of
# these is part of a damaged word, not a number.
_GLYPHS = r"¢£¥§$€©®™°¤¦¨¬µ¶¿|\\@#&*^~"
_CANDIDATE = re.compile(
    rf"(?<![\w.,/\-{_GLYPHS}])(?P<a>{_NUM})(?:/(?P<b>{_NUM}))?(?P<tail>(?:/\d+)*)(?![{_GLYPHS}])"
)
_SECTION_AT_LINE_START = re.compile(r"(?:^|(?<=\f))[ \t]*(?:\d{1,2}\.)*\d{1,2}[.)](?=[ \t]|$)", re.M)
_PHONE = re.compile(r"(?<![\d.,/])(?:\+84|0)\d{1,4}(?:[ .\-]?\d{2,4}){2,4}(?![\d/])")
_DATE = re.compile(
    r"(?<![\d.,/])(?:\d{1,2}[/\-.]\d{1,2}[/\-.](?:19|20)\d{2}|\d{1,2}/(?:19|20)\d{2})(?![\d/])"
)
_DOC_CODE = re.compile(r"\s*/\s*[^\W\d_]")
_WORD = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*[²³]?|%|,|\S")

# Folded words that, right before a number, make it an ordinal, a level or a date part.
_ORDINAL_WORDS = """ngày tháng năm quý tuần kỳ khóa khoá lần thứ đợt cấp hạng loại mức độ điều khoản
    chương mục phần tập trang phiên lớp nhiệm""".split()
_ORDINAL_BEFORE = frozenset(fold(w) for w in _ORDINAL_WORDS)
_ORDINAL_WRITTEN = frozenset(_ORDINAL_WORDS)
_VERB_ORDINALS = frozenset({"cấp", "cap"})


def _is_word(written: str, words_written: frozenset[str], words_folded: frozenset[str]) -> bool:
    """``written`` is one of the words: exactly when it carries marks ("thu" is not "thứ"), by its
    folded form when OCR left it bare."""
    low = written.lower()
    if fold(low) == low:  # no marks at all: text that lost its diacritics
        return low in words_folded
    return unicodedata.normalize("NFC", low) in words_written
# Document-type words: "Quyết định số 45" names a document, not a count.
_DOC_WORDS = re.compile(
    r"(?:quyet dinh|nghi quyet|nghi dinh|cong van|van ban|ke hoach|bao cao|thong tu|thong bao|"
    r"chi thi|to trinh|luat|phap lenh|huong dan|giay phep)\s+so\s*:?\s*$"
)
_NUMBER_WORD_BEFORE = re.compile(r"(?:^|[\s(])so\s*:\s*$")
# Words after "N năm" that make it an anniversary ("89 năm Ngày thành lập").
_DURATION_WORDS = ("năm", "tháng", "quý", "tuần", "thế", "tuổi")
_DURATION_AFTER = frozenset(fold(w) for w in _DURATION_WORDS)
_DURATION_WRITTEN = frozenset(_DURATION_WORDS)
_YEAR_CONTEXT_BEFORE = re.compile(r"(?:giai doan|nhiem ky|nien khoa|nien do|tu|den|[-\u2013\u2014])\s*$")


_MARGIN_SPECKS = frozenset("-~_.:\u2013\u2014")
_MARGIN_SPECK = re.compile(r"\S[ \t]*\n")


def _phrase_words(text: str, pos: int, limit: int) -> list[tuple[str, int, int]]:
    """Word/punctuation tokens from pos, at most ``limit``, stopping at a blank line or page break."""
    out: list[tuple[str, int, int]] = []
    last = pos
    for m in _WORD.finditer(text, pos):
        gap = text[last : m.start()]
        if "\f" in gap or gap.count("\n") > 2:
            break
        if m.group() in _MARGIN_SPECKS and _MARGIN_SPECK.match(text, m.start()) and m.start() > pos:
            continue  # a speck or stray hyphen at the right margin of a scan, not a word
        last = m.end()
        out.append((m.group(), m.start(), m.end()))
        if len(out) >= limit:
            break
    return out


def _unit_after(
    text: str, pos: int, after_number: bool = True, marks: str = "auto"
) -> tuple[UnitInfo | None, str | None, int, str | None]:
    """(info, unit as text, end offset, source) for the unit that follows a number at ``pos``.
    ``marks``: whose diacritics the text has (see ``units.lookup_unit``)."""
    words = _phrase_words(text, pos, max_unit_syllables() + 1)
    if not words:
        return None, None, pos, None
    glued = after_number and words[0][1] == pos and words[0][0] not in ("%", ",")
    tokens = [w for w, _, _ in words]
    scale = scale_factor(tokens[0])
    if scale and len(tokens) > 1 and not glued:
        # "2,5 triệu người", "1,2 nghìn hộ": a scale word before a counted noun
        rest = lookup_unit(tokens[1:], marks)
        if rest is not None and rest[0].family == "count":
            info, n = rest
            unit = f"{tokens[0].lower()} {info.unit}"
            return UnitInfo(unit, "count", scale, info.unit), unit, words[n][2], "after"
    found = lookup_unit(tokens, marks)
    if found is not None:
        info, n = found
        # a comma pair must be complete: "xã, thị trấn", not "xã," (handled by the lexicon)
        if glued and info.family == "count":
            return None, None, pos, None
        # units stay as written ("tỷ đô la mỹ", "đ") when written in one of the table's spellings;
        # symbols keep their one form ("m²" and "mét vuông" are "m2", "phần trăm" is "%")
        symbolic = any(c.isdigit() or c in "%‰" for c in info.unit)
        unit = info.unit if symbolic else written_unit(tokens[:n]) or info.unit
        return info, unit, words[n - 1][2], "glued" if glued else "after"
    if glued:
        return None, None, pos, None
    found = fuzzy_lookup_unit(tokens) if not is_written_stop_word(tokens[0]) else None
    if found is not None and all(w[:1].isalpha() for w in tokens[: found[1]]):
        info, n = found
        return info, info.unit, words[n - 1][2], "fuzzy"
    first = tokens[0]
    if not first[:1].isalpha() or not first[:1].islower() or is_stop_word(first):
        return None, None, pos, None
    # An unknown noun phrase: keep at most two syllables, stop at function words.
    take = [words[0]]
    if len(words) > 1 and words[1][0][:1].isalpha() and words[1][0][:1].islower() and not is_stop_word(words[1][0]):
        if words[1][1] - words[0][2] <= 2:
            take.append(words[1])
    unit = " ".join(w for w, _, _ in take).lower()
    return None, unit, take[-1][2], "guess"


_PER_TIME = frozenset(fold(w) for w in ("năm", "tháng", "quý", "tuần", "ngày", "giờ", "lượt", "lần"))


def _denominators(text: str, pos: int, marks: str = "auto") -> tuple[list[str], int]:
    """All "/..." parts after a unit, in order: "đồng/người/năm" -> ["người", "năm"]."""
    parts: list[str] = []
    while len(parts) < 3:
        denom, end = _denominator(text, pos, marks)
        if denom is None:
            break
        parts.append(denom)
        pos = end
    return parts, pos


def _denominator(text: str, pos: int, marks: str = "auto") -> tuple[str | None, int]:
    """After a unit: "/100 dân", "/điểm phục vụ", "/km2" -> ("100 dân", end)."""
    m = re.compile(r"[ \t]*/[ \t]*").match(text, pos)
    if not m:
        return None, pos
    p = m.end()
    num = re.compile(rf"({_NUM})[ \t]*").match(text, p)
    prefix = ""
    if num:
        prefix = num.group(1) + " "
        p = num.end()
    info, unit, end, source = _unit_after(text, p, after_number=False, marks=marks)
    if unit is None:
        # per unit of time: "%/năm", "triệu đồng/người/năm"
        w = re.compile(r"[^\W\d_]+").match(text, p)
        if w and fold(w.group()) in _PER_TIME:
            return prefix + w.group().lower(), w.end()
        return None, pos
    if source == "guess":
        # a guessed denominator may run on: keep the longest lower-case run of up to 3 syllables
        words = _phrase_words(text, p, 3)
        keep = []
        for w, s, e in words:
            if not w[:1].isalpha() or is_stop_word(w) or (keep and s - keep[-1][2] > 1):
                break
            keep.append((w, s, e))
        if keep:
            unit, end = " ".join(w for w, _, _ in keep).lower(), keep[-1][2]
    return prefix + unit, end


def _names_a_thing(text: str, so_start: int, marks: str = "auto") -> bool:
    """True for "<counted noun> số N" ("nhà số 12", "tuyến số 3"); false for "dân số", "tổng số"."""
    word, start = _preceding_word(text, so_start)
    written = text[start : start + len(word)]
    return bool(word) and word not in ("dan", "tong", "chi", "he", "con", "ty") and lookup_unit([written], marks) is not None


def _same_unit_fraction(denom: str, unit: str | None) -> bool:
    head, _, rest = denom.partition(" ")
    return bool(unit) and parse_number(head) is not None and rest == unit


def _preceding_word(text: str, pos: int) -> tuple[str, int]:
    """The folded word right before pos (skipping spaces) and its start."""
    i = pos
    while i > 0 and text[i - 1] in " \t\n":
        i -= 1
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    return fold(text[j:i]), j


def _noun_before(text: str, pos: int, marks: str = "auto") -> UnitInfo | None:
    """A counted noun written just before the number ("doanh nghiệp 03 cung ứng")."""
    start = max(0, pos - 40)
    chunk = text[start:pos]
    if "\n\n" in chunk:
        chunk = chunk.rsplit("\n\n", 1)[1]
    words = _WORD.findall(chunk)
    for n in range(min(len(words), max_unit_syllables()), 0, -1):
        found = lookup_unit(words[-n:], marks)
        if found is not None and found[1] == n and found[0].family == "count":
            return found[0]
    return None


def _masked_spans(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _DATE.finditer(text)]
    for m in _PHONE.finditer(text):
        if sum(c.isdigit() for c in m.group()) >= 9:
            spans.append(m.span())
    for m in _SECTION_AT_LINE_START.finditer(text):
        spans.append(m.span())
    spans.sort()
    return spans


def _in_spans(starts: list[int], spans: list[tuple[int, int]], a: int, b: int) -> bool:
    i = bisect.bisect_right(starts, a) - 1
    return i >= 0 and spans[i][0] <= a and b <= spans[i][1]


@dataclass(frozen=True, slots=True)
class Skipped:
    """A number that is no statistic, and why: a date, a document reference, a name or address, an
    ordinal, a duration, a legal time limit ... (``planscan extract --explain`` lists them)."""

    raw: str
    start: int
    end: int
    reason: str


# Designators right before a number that make it part of a name or an address ("phường 4",
# "Quốc lộ 50", "tổ dân phố 3"), or of a reference to a document or programme ("Đề án 30",
# "Chương trình 135", "Quyết định 210"). Written with marks: matched exactly on marked text, by the
# fold on text without marks. A name keeps its number only before a unit of measure ("lô 3 ha"
# is an area); a reference only before a unit at all ("(kế hoạch 120 hộ)" states the plan figure).
_PLACE_WORDS = (
    "phường", "quận", "khóm", "ấp", "thôn", "xóm", "bản", "tổ", "khu", "đội", "tiểu khu", "khoảnh",
    "lô", "quốc lộ", "tỉnh lộ", "huyện lộ", "đường tỉnh", "đường huyện", "đường số", "hẻm", "ngõ",
    "ngách", "kiệt", "khu phố", "tổ dân phố", "khu dân cư", "cụm dân cư", "tiểu vùng", "vùng",
)
_REFERENCE_WORDS = (
    "đề án", "chương trình", "dự án", "tiểu dự án", "kết luận", "nghị quyết", "quyết định", "nghị định",
    "thông tư", "chỉ thị", "công văn", "quy chế", "công điện", "phụ lục", "biểu mẫu", "kế hoạch",
    "tờ trình",
)
_DESIGNATORS = {w: "part of a name or address" for w in _PLACE_WORDS} | {
    w: "reference to a document or programme" for w in _REFERENCE_WORDS
}
_DESIGNATORS_FOLDED = {fold(w): r for w, r in _DESIGNATORS.items()}
_WORDS_BEFORE = re.compile(r"((?:[^\W\d_]+[ \t]+){1,3})(?:s[oố][ \t]*)?$")


def _designator_before(text: str, pos: int, marks: str) -> str | None:
    """The kind of designator written right before the number at ``pos``, or None. Only text that
    lost its marks is matched by the fold, and then only designators of several syllables:
    elsewhere a bare "quan" is no "quận"."""
    m = _WORDS_BEFORE.search(text[max(0, pos - 30) : pos])
    if not m:
        return None
    words = unicodedata.normalize("NFC", m.group(1)).lower().split()
    if words and fold(words[-1]) == "so":
        words.pop()  # "Kết luận số 18"
    for n in range(min(3, len(words)), 0, -1):
        phrase = " ".join(words[-n:])
        folded = fold(phrase)
        if marks == "bare":
            # one bare syllable is too many words: "quan" is "quân" as often as "quận"
            reason = _DESIGNATORS_FOLDED.get(folded) if n > 1 else None
        else:
            reason = _DESIGNATORS.get(phrase)
        if reason is not None:
            return reason
    return None


# Numbers of days, months or years in a legal clause are time limits, not statistics:
# "có hiệu lực sau 10 ngày", "trong thời hạn 15 ngày kể từ", "chậm nhất 30 ngày".
_LEGAL_LIMIT_AFTER = re.compile(r"^\s*(?:lam viec\s+)?(?:ke tu|tinh tu|sau khi|truoc khi)\b")
_LIMIT_UNITS = frozenset({"ngày", "tháng", "năm", "giờ", "tuần"})
# Counted nouns that name a fixed division, not something counted: "2 bên đường", "chính quyền 02
# cấp", "3 loại rừng", "2 chiều".
_CLASSIFIERS = frozenset({"bên", "cấp", "loại", "chiều", "phía", "miền", "vế"})
# A number glued to the qualifier or verb before it: "khoảng180 ha", "đạt95%".
_GLUED_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:khoảng|khoang|gần|gan|hơn|hon|trên|tren|dưới|duoi|đạt|dat|là|la|có|co|còn|con)(?=\d)",
    re.IGNORECASE,
)


_GLUED_RANGE = re.compile(r"(?<=\d)[\-\u2013\u2014](?=\d)")


def _unglued(text: str) -> str:
    """``text`` (same length) with a space for the last letter of a qualifier glued to a number and
    for the dash of a range written without spaces ("13-13,5%"), for finding number candidates
    only: the words themselves are read from the real text."""
    return _GLUED_RANGE.sub(" ", _GLUED_BEFORE.sub(lambda m: m.group()[:-1] + " ", text))


_MARKED_SHARE = 0.2


def _accented(text: str) -> bool:
    """Whether the text keeps its vowel marks. Written Vietnamese marks about three letters in ten;
    English-model OCR of it keeps stray marks on about one in ten, which are noise ("hé" for
    "hộ"); "đ" says nothing, since text stripped of its marks often keeps it."""
    letters = sum(c.isalpha() for c in text)
    marked = sum(c.isalpha() and c not in "đĐ" and c != fold(c) for c in text)
    return letters > 0 and marked >= max(1.0, _MARKED_SHARE * letters)


def find_quantities(
    text: str, where: str = "", trust_marks: bool = True, skipped: list[Skipped] | None = None
) -> list[Quantity]:
    """Every stated quantity in ``text``, in order, with its unit and character offsets.

    ``trust_marks=False`` for text whose diacritics a restorer put in: units then also match by
    their fold, since restored marks may be wrong.

    Never raises on odd input: a number that cannot be read is skipped with a ``NumberWarning``
    whose message names ``where`` (e.g. "plan.txt page 2 line 5") and the offset in ``text``.
    ``skipped``, when given, receives every number that is no statistic, with the reason.
    """
    marks = "restored" if not trust_marks else "written" if _accented(text) else "bare"
    original = text
    text = _repair_lookalikes(text)
    spans = _masked_spans(text)
    starts = [s for s, _ in spans]
    out: list[Quantity] = []
    last_skipped_ordinal_end = -10

    def skip(m: re.Match[str], reason: str) -> None:
        if skipped is not None:
            skipped.append(Skipped(original[m.start() : m.end()], m.start(), m.end(), reason))

    for m in _CANDIDATE.finditer(_unglued(text)):
        a_start, a_end = m.span("a")
        if _in_spans(starts, spans, a_start, m.end("a")):
            skip(m, "a date, phone number or section number")
            continue
        tail_end = m.end()
        after = text[tail_end : tail_end + 3]
        if m.group("tail"):
            skip(m, "a date or a code")
            continue
        # document code "699/KH-UBND" (also after a fraction-looking "15/QĐ")
        if _DOC_CODE.match(text, m.end("b") if m.group("b") else a_end):
            skip(m, "a document code")
            continue
        before = fold(text[max(0, a_start - 40) : a_start])
        prev_word, prev_start = _preceding_word(text, a_start)
        if _NUMBER_WORD_BEFORE.search(before) or _DOC_WORDS.search(before):
            skip(m, "a document number")
            continue
        prev_written = text[prev_start:a_start].strip()
        if _is_word(prev_written, _ORDINAL_WRITTEN, _ORDINAL_BEFORE) and not (
            (fold(prev_written) == prev_written.lower() or _is_word(prev_written, _VERB_ORDINALS, _VERB_ORDINALS))
            and _unit_after(text, m.end(), marks=marks)[3] in ("after", "fuzzy")
        ):
            # (without marks "thu" may be "thứ" or "thu" (revenue), "do" "độ" or "đó"; "cấp" is also
            # the verb "issue" ("cấp 120 giấy phép", "nâng cấp 04 cửa hàng"): a unit after the number
            # says it counts something)
            last_skipped_ordinal_end = m.end()
            if fold(prev_written).lower() in ("ngay", "thang", "nam", "quy", "tuan"):
                skip(m, f"part of a date or period ('{prev_written} {m.group()}')")
            else:
                skip(m, f"an ordinal or level ('{prev_written} {m.group()}')")
            continue
        # a list continuing an ordinal: "mức độ 3, 4", "mức độ 1 và 2"
        between = fold(text[last_skipped_ordinal_end:a_start])
        if last_skipped_ordinal_end >= 0 and re.fullmatch(r"\s*(?:,|va|hoac|-|\u2013)\s*", between):
            # unless it has a unit of its own: "cấp II, 16 bưu cục cấp III"
            if _unit_after(text, m.end())[3] not in ("after", "fuzzy"):
                last_skipped_ordinal_end = m.end()
                skip(m, "an ordinal or level continuing a list")
                continue

        raw_a = m.group("a")
        raw_b = m.group("b")
        if raw_b is None and raw_a.isdigit() and (len(raw_a) >= 9 or (len(raw_a) >= 4 and raw_a[0] == "0")):
            skip(m, "a code or account number")  # an ungrouped run of digits this long, or a leading zero
            continue
        if prev_word == "so" and _names_a_thing(text, prev_start, marks):
            skip(m, "a number that names a thing ('... số N')")  # "nhà số 12", "tổ số 5"
            continue
        value = parse_number(raw_a)
        if value is None:
            _warn(f"{_where(where)}offset {a_start}: cannot read number {raw_a[:40]!r}; skipped")
            continue
        of = None
        number_end = m.end("a")
        if raw_b is not None:
            of = parse_number(raw_b)
            if of is None:
                _warn(f"{_where(where)}offset {a_start}: cannot read fraction {m.group()[:40]!r}; skipped")
                continue
            number_end = m.end("b")

        info, unit, end, source = _resolve_unit(text, number_end, marks)
        if info is None and after[:1].isalpha() and source is None and text[number_end : number_end + 1].isalpha():
            skip(m, "part of a word or code")  # glued letters that are no unit: "3G", "1a", "Covid-19x"
            continue
        # durations and anniversaries: "89 năm", "6 tháng" (the latter is a period)
        if unit is None or source == "guess":
            next_words = _phrase_words(text, number_end, 1)
            if next_words and _is_word(next_words[0][0], _DURATION_WRITTEN, _DURATION_AFTER):
                skip(m, "a duration or anniversary")
                continue
        if of is not None:
            # "16/18 xã" is a fraction; "01/5 và", "6/2019" are dates
            if unit is None or source == "guess" and is_stop_word(unit.split()[0]):
                skip(m, "a date")
                continue
            if of < value and not (info is not None and info.family == "count"):
                skip(m, "a date")
                continue
        # a bare year: "năm 2019", "2019 ước đạt", "2020 – 2025"
        if (
            of is None
            and re.fullmatch(r"(?:19|20)\d{2}", raw_a)
            and (unit is None or source == "guess" or _YEAR_CONTEXT_BEFORE.search(before))
        ):
            skip(m, "a year")
            continue
        if unit is not None and unicodedata.normalize("NFC", unit.split()[0]) in _CLASSIFIERS and of is None:
            skip(m, f"a fixed division or classification ('{unit}')")
            continue
        designator = _designator_before(text, a_start, marks)
        if designator is not None and (
            info is None or (designator.startswith("part") and info.family == "count")
        ):
            skip(m, designator)
            continue
        if unit in _LIMIT_UNITS and (
            re.search(r"hieu luc|thoi han|cham nhat|trong vong", before)
            or _LEGAL_LIMIT_AFTER.match(fold(text[end : end + 30]))
        ):
            skip(m, "a legal time limit")
            continue
        if unit is None or source == "guess":
            noun = _noun_before(text, a_start, marks)
            if noun is not None:
                info, unit, source, end = noun, noun.unit, "before", number_end
        q = _quantity(text, raw_a, value, of, a_start, number_end, info, unit, end, source, marks)
        if text is not original and q.raw != original[q.start : q.end]:
            if q.unit_source not in ("after", "fuzzy"):
                skip(m, "OCR letters that look like digits, with no unit")
                continue
            q = dataclasses.replace(q, raw=original[q.start : q.end])
        out.append(q)
    return _propagate_range_units(text, out)


# Letters English-model OCR prints for digits inside numbers ("B,7 km" for "8,7 km").
_LOOKALIKE_DIGITS = str.maketrans({"B": "8", "O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "S": "5"})
_LOOKALIKE_TOKEN = re.compile(r"(?<![\w.,])[\dBOoIl|S]+(?:[.,][\dBOoIl|S]+)*(?=[ \t]*%|[ \t]+[^\W\d_])")


def _repair_lookalikes(text: str) -> str:
    """``text`` with digit look-alikes inside number-shaped tokens turned into digits (same length).

    Only tokens that hold a real digit and a look-alike, and are followed by a word, are touched;
    find_quantities then keeps such a number only when a known unit follows it."""
    if not any(c in text for c in "BOoIl|S"):
        return text
    parts, last = [], 0
    for m in _LOOKALIKE_TOKEN.finditer(text):
        tok = m.group()
        if not any(c.isdigit() for c in tok) or tok.isdigit() or not any(c in ".," for c in tok) and not tok[0].isdigit():
            continue
        fixed = tok.translate(_LOOKALIKE_DIGITS)
        if parse_number(fixed) is None:
            continue
        parts.append(text[last : m.start()])
        parts.append(fixed)
        last = m.end()
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _resolve_unit(
    text: str, number_end: int, marks: str = "auto"
) -> tuple[UnitInfo | None, str | None, int, str | None]:
    """The unit after a number, looking past a speck OCR read as a full stop."""
    info, unit, end, source = _unit_after(text, number_end, marks=marks)
    if unit is None:
        # "2.874. thuê bao": a sentence never goes on in lower case, so the dot is noise
        dot = _SPECK_DOT.match(text, number_end)
        if dot and text[dot.end()].islower():
            found = _unit_after(text, dot.end(), after_number=False, marks=marks)
            if found[3] in ("after", "fuzzy"):
                return found
    return info, unit, end, source


_SPECK_DOT = re.compile(r"[.,][ \t]+(?=[^\W\d_])|[:;][ \t]*(?=[^\W\d_])")
_COMMA_THOUSANDS = re.compile(r"[1-9]\d{0,2},\d{3}")


def _quantity(
    text: str,
    raw: str,
    value: float,
    of: float | None,
    start: int,
    number_end: int,
    info: UnitInfo | None,
    unit: str | None,
    end: int,
    source: str | None,
    marks: str = "auto",
) -> Quantity:
    """The record for one number and its unit: rates, same-unit wholes and base values settled."""
    family = info.family if info is not None else ("count" if unit else None)
    denoms, end2 = _denominators(text, end, marks) if unit else ([], end)
    value_base = base_unit = None
    if denoms and of is None and _same_unit_fraction(denoms[0], unit):
        # "85,3 tỷ đồng/120 tỷ đồng": a part of a whole in the same unit, like "16/18 xã"
        of = parse_number(denoms[0].split()[0])
        denoms, end = [], end2
    if family == "count" and _COMMA_THOUSANDS.fullmatch(raw):
        # "54,748 thuê bao": nobody counts households to three decimals; OCR swapped "." and ","
        value = float(raw.replace(",", ""))
    if denoms:
        unit = "/".join([unit, *denoms])
        family = "rate"
        end = end2
    elif info is not None and (info.family != "count" or info.factor != 1.0):
        value_base, base_unit = value * info.factor, info.base_unit
    q_end = max(end, number_end) if source != "before" else number_end
    return Quantity(
        value=value,
        unit=unit,
        raw=text[start:q_end],
        start=start,
        end=q_end,
        of=of,
        unit_family=family,
        value_base=value_base,
        base_unit=base_unit,
        number_start=start,
        number_end=number_end,
        unit_source=source,
    )


def _warn(message: str) -> None:
    warnings.warn(message, NumberWarning, stacklevel=3)


_RANGE_JOIN = re.compile(r"[ \t]*(?:-|\u2013|\u2014|đến|tới|den|toi)[ \t]*$")


def _propagate_range_units(text: str, out: list[Quantity]) -> list[Quantity]:
    """ "10 - 15 km", "từ 80 đến 90%": one quantity with the lower end as value and the upper as
    ``max``, in the second number's unit. Ends that do not rise ("50 - 40") stay two figures, the
    first taking the second's unit."""
    for i in range(len(out) - 1, 0, -1):
        a, b = out[i - 1], out[i]
        if a.unit is None and b.unit is not None and b.of is None and _RANGE_JOIN.match(text[a.number_end : b.number_start]):
            factor = b.value_base / b.value if b.value_base is not None and b.value else None
            base = a.value * factor if factor is not None else None
            if b.value > a.value and b.max is None:
                out[i - 1 : i + 1] = [
                    dataclasses.replace(
                        b, value=a.value, max=b.value, raw=text[a.start : b.end], start=a.start,
                        number_start=a.number_start, value_base=base,
                    )
                ]
                continue
            out[i - 1] = Quantity(
                value=a.value, unit=b.unit, raw=a.raw, start=a.start, end=a.end, of=None,
                unit_family=b.unit_family, value_base=base,
                base_unit=b.base_unit, number_start=a.number_start, number_end=a.number_end, unit_source="range",
            )
    return out


def _where(where: str) -> str:
    return f"{where}: " if where else ""


def percent_values(text: str) -> list[Quantity]:
    return [q for q in find_quantities(text) if q.is_percent]


def money_values(text: str) -> list[Quantity]:
    return [q for q in find_quantities(text) if q.is_money]


def rate_values(text: str) -> list[Quantity]:
    return [q for q in find_quantities(text) if q.is_rate]


__all__ = [
    "NumberWarning",
    "Quantity",
    "find_quantities",
    "money_values",
    "parse_number",
    "percent_values",
    "rate_values",
    "unit_info",
]
