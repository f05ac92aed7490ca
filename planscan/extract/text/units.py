"""Units of measure and counted nouns, matched tolerantly against text that may have lost its diacritics.

Two vocabularies: measure units (money, percent, length, area ...) with a family and a factor to the
family's base unit, and counted nouns (trạm, thuê bao, xã ...) read from ``data/count_nouns.txt``.
Both are general Vietnamese; matching compares accent-folded forms so that OCR output without
diacritics ("trieu dong") still resolves to the written unit ("triệu đồng").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


class _FoldTable(dict):
    """str.translate table: lower case, strip tone and vowel marks, đ -> d, one char to one char.

    One char per char keeps offsets into the folded string valid in the original.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        low = ch.lower()
        if len(low) != 1:
            low = ch
        if low == "đ":
            out = "d"
        else:
            out = unicodedata.normalize("NFD", low)[0]
        self[code] = out
        return out


_FOLD = _FoldTable()

# A unit token: a word (letters, digits, ², ³, and joiners used inside units like "m/s" are split
# elsewhere) or a comma, which joins paired nouns ("xã, thị trấn").
_TOKEN = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*[²³]?|%|,")


def unit_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def fold(text: str) -> str:
    """Accent- and case-folded text of exactly the same length (for offset-preserving matching)."""
    return text.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class UnitInfo:
    unit: str  # canonical written form, lower case
    family: str  # percent, money, length, area, mass, volume, time, energy, data, count
    factor: float | None = None  # to the base unit of the family
    base_unit: str | None = None


# Measure units. Written forms are general Vietnamese usage; aliases map OCR/spelling variants.
_MEASURES: list[tuple[str, str, float | None, str | None, tuple[str, ...]]] = [
    ("%", "percent", 1.0, "%", ("phần trăm",)),
    ("đồng", "money", 1.0, "đồng", ("vnđ", "vnd", "đ")),
    ("nghìn đồng", "money", 1e3, "đồng", ("ngàn đồng",)),
    ("triệu đồng", "money", 1e6, "đồng", ("tr đồng", "trđ", "tr.đ")),
    ("tỷ đồng", "money", 1e9, "đồng", ("tỉ đồng",)),
    ("nghìn tỷ đồng", "money", 1e12, "đồng", ("ngàn tỷ đồng", "nghìn tỉ đồng")),
    ("triệu", "money", 1e6, "đồng", ()),
    ("tỷ", "money", 1e9, "đồng", ("tỉ",)),
    ("usd", "money", None, "usd", ("đô la", "đô la mỹ")),
    ("triệu usd", "money", None, "usd", ()),
    ("km", "length", 1e3, "m", ("ki-lô-mét", "kilômét", "cây số")),
    ("m", "length", 1.0, "m", ("mét",)),
    ("cm", "length", 0.01, "m", ()),
    ("km2", "area", 1e6, "m2", ("km²",)),
    ("m2", "area", 1.0, "m2", ("m²", "mét vuông")),
    ("ha", "area", 1e4, "m2", ("héc-ta", "hécta", "hecta")),
    ("tấn", "mass", 1e3, "kg", ()),
    ("tạ", "mass", 100.0, "kg", ()),
    ("kg", "mass", 1.0, "kg", ("ki-lô-gam", "kilôgam")),
    ("m3", "volume", 1.0, "m3", ("m³", "mét khối")),
    ("lít", "volume", 0.001, "m3", ()),
    ("giờ", "time", 3600.0, "giây", ("tiếng",)),
    ("phút", "time", 60.0, "giây", ()),
    ("giây", "time", 1.0, "giây", ()),
    ("ngày", "time", 86400.0, "giây", ()),
    ("kw", "energy", 1e3, "w", ()),
    ("mw", "energy", 1e6, "w", ()),
    ("kwh", "energy", 1.0, "kwh", ()),
    ("mbps", "data", 1e6, "bps", ("mb/s",)),
    ("gbps", "data", 1e9, "bps", ("gb/s",)),
    ("gb", "data", 1e9, "byte", ()),
]

# Words that may follow a bare number but never start a unit or counted noun: verbs, linkers,
# prepositions, classifiers of time that belong to periods. Folded.
_STOP_TEXT = """
    có là được đã đang sẽ và hoặc của trong ngoài trên dưới tại cho với so từ đến tới lên xuống
    đạt tăng giảm bằng còn chưa không chỉ mới vẫn như theo về thì mà nên nhưng do bởi vì
    này đó kia ấy nào các những mỗi mọi cả toàn tổng số gồm bao gồm trở
    tháng năm quý ước dự kiến khoảng gần hơn trên dưới đầu cuối giữa
    """
STOP_WORDS = frozenset(fold(w) for w in _STOP_TEXT.split())
_STOP_WRITTEN = frozenset(_STOP_TEXT.split())


@lru_cache(maxsize=1)
def _count_nouns() -> tuple[str, ...]:
    text = resources.files("planscan.extract.text").joinpath("data/count_nouns.txt").read_text(encoding="utf-8")
    nouns = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            nouns.append(unicodedata.normalize("NFC", line.lower()))
    return tuple(nouns)


def _entries() -> list[tuple[str, UnitInfo]]:
    """(written form, unit); measure units first, then counted nouns in file order (priority)."""
    out = []
    for unit, family, factor, base, aliases in _MEASURES:
        info = UnitInfo(unit, family, factor, base)
        out.extend((form, info) for form in (unit, *aliases))
    out.extend((noun, UnitInfo(noun, "count", 1.0, noun)) for noun in _count_nouns())
    return out


@lru_cache(maxsize=1)
def _exact_lexicon() -> dict[tuple[str, ...], UnitInfo]:
    """Lower-case syllable tuple -> unit, for text that kept its diacritics."""
    lex: dict[tuple[str, ...], UnitInfo] = {}
    for form, info in _entries():
        lex.setdefault(tuple(unit_tokens(form.lower())), info)
    return lex


@lru_cache(maxsize=1)
def _lexicon() -> dict[tuple[str, ...], UnitInfo]:
    """Folded syllable tuple -> unit; on a clash ("hộ"/"hồ") the earlier entry wins."""
    lex: dict[tuple[str, ...], UnitInfo] = {}
    for form, info in _entries():
        lex.setdefault(tuple(unit_tokens(fold(form))), info)
    return lex


@lru_cache(maxsize=1)
def max_unit_syllables() -> int:
    return max(len(k) for k in _lexicon())


def lookup_unit(syllables: list[str] | tuple[str, ...]) -> tuple[UnitInfo, int] | None:
    """Longest known unit at the start of ``syllables`` (any case/accents): (info, syllables used)."""
    exact = _exact_lexicon()
    head = list(syllables[: max_unit_syllables()])
    lowered = [s.lower() for s in head]
    folded = [fold(s) for s in head]
    for n in range(len(folded), 0, -1):
        # the written form first, so "hồ" stays "hồ" and "hộ" stays "hộ"; folded only for OCR text
        info = exact.get(tuple(lowered[:n]))
        if info is None:
            # Restoration and OCR both get vowel marks wrong ("117 trăm" for "117 trạm"), so a folded
            # match stands even when the marks disagree; among several, the one whose marks agree wins.
            options = _folded_options().get(tuple(folded[:n]), ())
            info = next((o for o in options if _marks_agree(lowered[:n], o)), options[0] if options else None)
        if info is not None:
            return info, n
    return None


@lru_cache(maxsize=1)
def _folded_options() -> dict[tuple[str, ...], tuple[UnitInfo, ...]]:
    out: dict[tuple[str, ...], list[UnitInfo]] = {}
    for form, info in _entries():
        opts = out.setdefault(tuple(unit_tokens(fold(form))), [])
        if info not in opts:
            opts.append(info)
    return {k: tuple(v) for k, v in out.items()}


_QUALITY = set("ăâêôơưđ")


def _base_letters(text: str) -> str:
    """Text without tone marks but with its vowel-quality letters (ă â ê ô ơ ư đ), same length."""
    out = []
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        # keep breve (0306), circumflex (0302) and horn (031B); drop the five tones
        kept = "".join(c for c in d if c not in "\u0300\u0301\u0303\u0309\u0323")
        out.append(unicodedata.normalize("NFC", kept)[:1] or ch)
    return "".join(out)


def _marks_agree(words: list[str], info: UnitInfo) -> bool:
    """A folded match is only trusted where the text's own vowel-quality letters agree with the unit's:
    OCR drops marks ("thue bao") but a written "ư" is not a "u" ("mức" is no "mục")."""
    text = _base_letters(" ".join(unit_tokens(" ".join(words))))
    for ref in _base_forms().get(info, ()):
        if len(ref) == len(text) and all(a == b for a, b in zip(text, ref) if a in _QUALITY):
            return True
    return False


@lru_cache(maxsize=1)
def _base_forms() -> dict[UnitInfo, tuple[str, ...]]:
    out: dict[UnitInfo, list[str]] = {}
    for form, info in _entries():
        out.setdefault(info, []).append(_base_letters(" ".join(unit_tokens(form.lower()))))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _fuzzy_keys() -> dict[int, dict[str, UnitInfo]]:
    """Multi-syllable folded forms by syllable count, for OCR-damaged spellings."""
    out: dict[int, dict[str, UnitInfo]] = {}
    for key, info in _lexicon().items():
        if len(key) >= 2 and "," not in key:
            out.setdefault(len(key), {}).setdefault(" ".join(key), info)
    return out


def fuzzy_lookup_unit(syllables: list[str] | tuple[str, ...], score_cutoff: float = 85.0) -> tuple[UnitInfo, int] | None:
    """Like lookup_unit, for spellings OCR damaged ("tricu dong"); only units of two or more
    syllables, because one short syllable matches too many words."""
    from rapidfuzz import fuzz, process

    folded = [fold(s) for s in syllables[: max_unit_syllables()] if s != ","]
    keys = _fuzzy_keys()
    for n in range(min(len(folded), max(keys, default=0)), 1, -1):
        choices = keys.get(n)
        if not choices:
            continue
        query = folded[:n]
        # OCR substitutes letters more than it drops them: keep syllable lengths within one
        candidates = [
            k for k in choices if all(abs(len(a) - len(b)) <= 1 for a, b in zip(k.split(), query))
        ]
        hit = process.extractOne(" ".join(query), candidates, scorer=fuzz.ratio, score_cutoff=score_cutoff)
        if hit is not None:
            return choices[hit[0]], n
    return None


def unit_info(unit: str) -> UnitInfo | None:
    """The record for a whole written unit, or None when it is not in the vocabulary."""
    return _exact_lexicon().get(tuple(unit_tokens(unit.lower()))) or _lexicon().get(
        tuple(unit_tokens(fold(unit)))
    )


def is_count_noun(word: str) -> bool:
    info = unit_info(word)
    return info is not None and info.family == "count"


def is_stop_word(word: str) -> bool:
    return fold(word) in STOP_WORDS


def is_written_stop_word(word: str) -> bool:
    """A function word spelled with its marks ("là"), not merely one once the marks are gone ("thi")."""
    return unicodedata.normalize("NFC", word.lower()) in _STOP_WRITTEN


def to_base(value: float, unit: str) -> tuple[float | None, str | None]:
    """Value in its family's base unit (money in đồng); (None, None) when the unit has no factor."""
    info = unit_info(unit)
    if info is None or info.factor is None:
        return None, None
    return value * info.factor, info.base_unit


def money_to_dong(value: float, unit: str) -> float | None:
    info = unit_info(unit)
    if info is None or info.family != "money" or info.base_unit != "đồng" or info.factor is None:
        return None
    return value * info.factor
