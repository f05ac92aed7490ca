"""The one unit table: units of measure, scale words and counted nouns, and which units compare.

Measure units (money, percent, length, area ...) have a family and a factor to the family's base
unit (money in đồng or in USD, length in m, area in m2, mass in kg, volume in m3, time in seconds).
Counted nouns (trạm, thuê bao, xã ...) are read from ``data/count_nouns.txt``. Scale words
("nghìn", "triệu", "tỷ") multiply a unit: "triệu tấn" is a mass, "nghìn doanh nghiệp" a count.
Everything is general Vietnamese usage; matching compares folded forms (``fold``) so that OCR
output without diacritics ("trieu dong") still resolves to the written unit ("triệu đồng").

Two readings of a written unit: ``lookup_unit``/``unit_info`` find a unit in the vocabulary
(None when it is not there), ``unit_class`` classifies any unit string, rates ("thuê bao/100
dân") and unknown nouns included, for ``compatible``, which decides whether two figures compare.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from planscan.extract.text.fold import fold, fold_words
from planscan.extract.text.syllables import split_tone

# A unit token: a word (letters, digits, ², ³, and joiners used inside units like "m/s" are split
# elsewhere) or a comma, which joins paired nouns ("xã, thị trấn").
_TOKEN = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*[²³]?|%|‰|,")


def unit_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


@dataclass(frozen=True, slots=True)
class UnitInfo:
    unit: str  # canonical written form, lower case; for an unknown noun or a rate, its fold
    # count, percent, money, money_rate, rate, length, area, mass, volume, time, power, energy,
    # data, data_rate
    family: str
    factor: float = 1.0  # a value in this unit times factor is a value in base_unit
    base_unit: str | None = None  # for a count, the counted noun


# (written unit, family, factor, base unit, aliases). Aliases are spelling and abbreviation variants.
# "ngày" is a day (time), "lít" a volume, "Mbps" a data rate: units of measure, never counted nouns.
# "cân" is left out: colloquial for kg, and its fold "can" is "cần" and "cán" far more often.
_MEASURES: list[tuple[str, str, float, str, tuple[str, ...]]] = [
    ("%", "percent", 1.0, "%", ("phần trăm",)),
    ("‰", "percent", 0.1, "%", ("phần nghìn", "phần ngàn")),
    # a share of GDP is no plain percentage: its base says so
    ("% gdp", "percent", 1.0, "% gdp", ("% grdp",)),
    ("đồng", "money", 1.0, "đồng", ("vnđ", "vnd", "đ")),
    ("nghìn đồng", "money", 1e3, "đồng", ("ngàn đồng", "nghìn đ", "ngàn đ", "1.000 đồng", "1000 đồng")),
    ("triệu đồng", "money", 1e6, "đồng", ("tr đồng", "trđ", "tr.đ", "tr đ", "tr.đồng", "triệu đ")),
    ("tỷ đồng", "money", 1e9, "đồng", ("tỉ đồng", "tỷ đ", "tỷ.đ", "tỉ đ")),
    ("nghìn tỷ đồng", "money", 1e12, "đồng", ("ngàn tỷ đồng", "nghìn tỉ đồng", "ngàn tỉ đồng")),
    ("triệu", "money", 1e6, "đồng", ()),
    ("tỷ", "money", 1e9, "đồng", ("tỉ",)),
    ("nghìn tỷ", "money", 1e12, "đồng", ("ngàn tỷ", "nghìn tỉ")),
    ("usd", "money", 1.0, "usd", ("đô la", "đô la mỹ")),
    ("km", "length", 1e3, "m", ("ki-lô-mét", "kilômét", "cây số")),
    ("m", "length", 1.0, "m", ("mét",)),
    ("cm", "length", 0.01, "m", ()),
    ("km2", "area", 1e6, "m2", ("km²",)),
    ("m2", "area", 1.0, "m2", ("m²", "mét vuông")),
    ("ha", "area", 1e4, "m2", ("héc-ta", "hécta", "hecta", "héc ta")),
    ("tấn", "mass", 1e3, "kg", ()),
    ("tạ", "mass", 100.0, "kg", ()),
    ("kg", "mass", 1.0, "kg", ("ki-lô-gam", "kilôgam")),
    ("m3", "volume", 1.0, "m3", ("m³", "mét khối")),
    ("lít", "volume", 0.001, "m3", ()),
    ("ngày", "time", 86400.0, "giây", ()),
    ("giờ", "time", 3600.0, "giây", ("tiếng",)),
    ("phút", "time", 60.0, "giây", ()),
    ("giây", "time", 1.0, "giây", ()),
    ("kw", "power", 1e3, "w", ()),
    ("mw", "power", 1e6, "w", ()),
    ("kwh", "energy", 1.0, "kwh", ()),
    ("mbps", "data_rate", 1e6, "bit/s", ("mb/s",)),
    ("gbps", "data_rate", 1e9, "bit/s", ("gb/s",)),
    ("gb", "data", 1e9, "byte", ()),
]

# Scale words before a unit or a counted noun: "2,5 triệu người", "1,2 nghìn tấn".
_SCALE_WORDS = {"nghìn": 1e3, "ngàn": 1e3, "vạn": 1e4, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
_SCALE_FOLDED = {fold(w): f for w, f in _SCALE_WORDS.items()}
# Families whose units take a scale word in front ("triệu tấn", "tỷ USD"); đồng has its own
# written forms above, and nobody writes "nghìn %" or "triệu giờ". "vạn" only counts ("vạn người"):
# before a unit its fold "van" is far more often "văn" or "ván".
_SCALED_FAMILIES = frozenset({"length", "area", "mass", "volume", "power", "energy"})
_UNIT_SCALES = {w: f for w, f in _SCALE_WORDS.items() if w != "vạn"}


def scale_factor(word: str) -> float | None:
    """The multiplier a scale word stands for ("triệu" -> 1e6), or None."""
    return _SCALE_FOLDED.get(fold(word))


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


@lru_cache(maxsize=1)
def _entries() -> tuple[tuple[str, UnitInfo], ...]:
    """(written form, unit); measure units first, then counted nouns in file order (priority)."""
    out = _spelled_entries()
    written = {form for form, _ in out}
    scaled = []
    for unit, family, factor, base, aliases in _MEASURES:
        if family in _SCALED_FAMILIES or base == "usd":
            for word, scale in _UNIT_SCALES.items():
                info = UnitInfo(f"{word} {unit}", family, scale * factor, base)
                scaled.extend((f"{word} {form}", info) for form in (unit, *aliases) if f"{word} {form}" not in written)
    measures = [e for e in out if e[1].family != "count"]
    counts = [e for e in out if e[1].family == "count"]
    return (*measures, *scaled, *counts)


@lru_cache(maxsize=1)
def _spelled_entries() -> tuple[tuple[str, UnitInfo], ...]:
    """The forms of the table and the noun list as written, without scale words put in front."""
    out = []
    for unit, family, factor, base, aliases in _MEASURES:
        info = UnitInfo(unit, family, factor, base)
        out.extend((form, info) for form in (unit, *aliases))
    out.extend((noun, UnitInfo(noun, "count", 1.0, noun)) for noun in _count_nouns())
    return tuple(out)


def unit_forms() -> tuple[tuple[str, str], ...]:
    """(written form, the unit it writes) of every unit and counted noun the table knows."""
    return tuple((form, info.unit) for form, info in _entries())


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


def lookup_unit(syllables: list[str] | tuple[str, ...], marks: str = "auto") -> tuple[UnitInfo, int] | None:
    """Longest known unit at the start of ``syllables`` (any case): (info, syllables used).

    ``marks`` says whose diacritics the text has:
    - "written", the author's: a unit matches only with its own marks ("quyền" is no "quyển",
      "công" no "cống", "số" no "sở"); a word written without marks is taken as written too,
      except that a unit of several syllables still matches by its fold ("thue bao" that OCR
      left bare inside marked text);
    - "bare", none (text that lost its diacritics, or English-model OCR whose few marks are
      noise): units match by their fold; among several the one whose vowel letters agree wins,
      else the table's order decides ("ho" is "hộ");
    - "restored", a restorer's, which may be wrong ("117 trăm" for "117 trạm"): a folded match
      stands, and among several the one whose vowel letters agree wins;
    - "auto": a word with marks is "written", one without is "bare".
    """
    exact = _exact_lexicon()
    head = list(syllables[: max_unit_syllables()])
    lowered = [unicodedata.normalize("NFC", s.lower()) for s in head]
    folded = [fold(s) for s in lowered]
    for n in range(len(folded), 0, -1):
        info = exact.get(tuple(lowered[:n]))
        if info is None:
            bare = lowered[:n] == folded[:n]
            if marks in ("restored", "bare") or (bare and (marks == "auto" or (marks == "written" and n > 1))):
                options = _folded_options().get(tuple(folded[:n]), ())
                info = next((o for o in options if _marks_agree(lowered[:n], o)), options[0] if options else None)
        if info is not None:
            return info, n
    return None


def written_unit(syllables: list[str] | tuple[str, ...]) -> str | None:
    """The unit as the text writes it, lower case ("tỷ đô la mỹ", "đ", "tr.đ"), when that is one
    of the table's own spellings; None for a spelling only its fold matches ("trieu dong")."""
    lowered = tuple(unicodedata.normalize("NFC", s.lower()) for s in syllables)
    if lowered not in _exact_lexicon():
        return None
    return " ".join(lowered).replace(" ,", ",")


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
    return "".join((split_tone(ch)[0] or ch)[0] for ch in text)


def _marks_agree(words: list[str], info: UnitInfo) -> bool:
    """Whether the text's own vowel-quality letters agree with the unit's ("mức" is no "mục")."""
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
    """Multi-syllable folded forms by syllable count, for OCR-damaged spellings.

    Only forms spelled out in full: an abbreviation ("tỷ đ"), a form ending in a scale word
    ("nghìn tỷ") or one a scale word was put in front of ("triệu tấn") is a near miss of too many
    ordinary words ("tiêu đề", "ngàn tù", "văn bản") to be guessed at."""
    out: dict[int, dict[str, UnitInfo]] = {}
    for form, info in _spelled_entries():
        key = tuple(unit_tokens(fold(form)))
        if len(key) < 2 or "," in key or key[-1] in _SCALE_FOLDED or any(len(s) == 1 for s in key):
            continue
        out.setdefault(len(key), {}).setdefault(" ".join(key), _lexicon()[key])
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


def is_stop_word(word: str) -> bool:
    return fold(word) in STOP_WORDS


def is_written_stop_word(word: str) -> bool:
    """A function word spelled with its marks ("là"), not merely one once the marks are gone ("thi")."""
    return unicodedata.normalize("NFC", word.lower()) in _STOP_WRITTEN


# --- which units compare --------------------------------------------------------------------

# Classifier nouns that say "a thing" and can stand for any counted noun ("205 chiếc" computers).
_GENERIC_COUNT = frozenset({"chiec", "cai", "con", "don vi", "luot", ""})


def _measure(unit: str) -> UnitInfo | None:
    info = unit_info(unit)
    return info if info is not None and info.family != "count" else None


@lru_cache(maxsize=4096)  # pure; a comparison asks about the same few units thousands of times
def unit_class(unit: str | None) -> UnitInfo:
    """What any written unit measures: a known measure, a money rate ("triệu đồng/người"), another
    rate ("thuê bao/100 dân"), or a count of a noun (a known one or not; "" for no unit).

    Counts and rates carry the folded unit (``unit``) and, for a count, the counted noun without
    its scale word (``base_unit``), so "trạm" and "tram" are one noun.
    """
    u = fold_words(unit or "").strip(" .")
    if "/" not in u or u in _slashed_forms():
        found = _measure(u)
        if found is not None:
            return found
    if "/" in u:
        head, _, tail = u.partition("/")
        money = _measure(head.strip())
        if money is not None and money.family == "money":
            return UnitInfo(u, "money_rate", money.factor, f"{money.base_unit}/{tail.strip()}")
        return UnitInfo(u, "rate", 1.0, u)
    first, _, rest = u.partition(" ")
    scale = _SCALE_FOLDED.get(first)
    if scale is not None and rest:
        return UnitInfo(u, "count", scale, rest)
    return UnitInfo(u, "count", 1.0, u)


@lru_cache(maxsize=1)
def _slashed_forms() -> frozenset[str]:
    """Measure units written with a slash ("mb/s"), which are no rates of two units."""
    return frozenset(fold_words(form) for form, info in _entries() if "/" in form and info.family != "count")


def _count_nouns_compatible(a: str, b: str) -> bool:
    if a == b or a in _GENERIC_COUNT or b in _GENERIC_COUNT:
        return True
    # "điểm" ~ "điểm phục vụ", "xã" ~ "xã, thị trấn": the same head noun with a qualifier.
    ha, hb = a.replace(",", " ").split()[0], b.replace(",", " ").split()[0]
    return ha == hb


@lru_cache(maxsize=16384)
def compatible(a: str | None, b: str | None) -> tuple[bool, float]:
    """Whether values in unit ``a`` and unit ``b`` measure the same thing; and the factor that
    converts a value in ``b`` into unit ``a`` (1.0 when no conversion is needed)."""
    ia, ib = unit_class(a), unit_class(b)
    if ia.family != ib.family:
        return False, 1.0
    if ia.family == "count":
        return _count_nouns_compatible(ia.base_unit or "", ib.base_unit or ""), ib.factor / ia.factor
    if ia.family == "rate":
        pa = [p.strip() for p in ia.unit.split("/")]
        pb = [p.strip() for p in ib.unit.split("/")]
        if len(pa) != len(pb):
            return False, 1.0
        ok = all(_count_nouns_compatible(x, y) if x and y else x == y for x, y in zip(pa, pb))
        return ok, 1.0
    if ia.base_unit != ib.base_unit:  # đồng never converts to USD, "đồng/người" never to "đồng/ha"
        return False, 1.0
    return True, ib.factor / ia.factor


def family(unit: str | None) -> str:
    return unit_class(unit).family
