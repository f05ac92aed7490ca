"""A unit cell's OCR reading snapped to a known unit: "giữ" -> "giờ", "kqg/người" -> "kg/người",
"thuê bao/100 đân" -> "thuê bao/100 dân", "kmđiểm phục vụ" -> "km/điểm phục vụ", "'thuê bao" ->
"thuê bao".

Known units are the unit table's written forms and counted nouns (``units.unit_forms``, curated)
and the words general text writes after numbers (``data/unit_words.tsv``, built by
scripts/build_unit_words.py). A reading is split at "/" and each part compared with the known
forms by an edit distance that knows what OCR confuses: a lost or wrong diacritic costs little, a
horn read as the other horn ("ữ"/"ờ") or "q" for "g" more, any other letter a full edit. A part
snaps only when one known unit is close and no other is nearly as close; a part that is known
already, or near nothing, is kept as read, so a well-formed unit the lexicon lacks is untouched.
Where "/" was lost ("kmđiểm phục vụ"), a part no unit is near is tried as a known unit followed by
one that snaps.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from planscan.extract.text.fold import fold
from planscan.extract.text.syllables import canonical, is_syllable_shape, split_tone
from planscan.extract.text.units import scale_factor, unit_forms

# Edit costs. A diacritic OCR lost or misplaced is the cheapest error; look-alike letters next.
MARKS = 0.3
LOOKALIKE = 0.6
EDIT = 1.0
SPACE = 0.5  # a space lost or inserted between syllables
# A snap must cost at most this, and at most a third of the reading's letters (short words are
# near too many others), and a reading of real syllables at most LOOKALIKE; the next different
# unit must cost at least MARGIN more.
MAX_COST = 1.0
MARGIN = 0.5
# A corpus word beats an equally close corpus word only when it follows numbers this much more often.
FREQUENCY_RATIO = 5.0

# Letters (tone marks removed, vowel quality kept) that Tesseract takes for each other.
_LOOKALIKES = frozenset(frozenset(p) for p in ("ươ", "qg", "li", "l1", "ce", "nu", "hb", "rt"))
_PREFIX = re.compile(r"^((?:\d[\d.,]*\s*)?)(.*)$", re.S)
# What a unit cell may hold besides letters and digits; anything else is a speck or a ruling line.
_KEEP = frozenset(" /%‰²³.,-()")
_EDGE = " .,-'"


@dataclass(frozen=True, slots=True)
class _Known:
    form: str  # as it is written, lower case
    key: str  # what makes two forms the same unit (a curated unit's canonical form)
    curated: bool
    count: int  # times general text writes it after a number (0 for curated forms)


def _syllables(text: str) -> str:
    return " ".join(canonical(s) for s in text.split())


@lru_cache(maxsize=1)
def _known() -> dict[str, _Known]:
    """Canonical syllables of a form -> the known unit; curated forms first."""
    out: dict[str, _Known] = {}
    for form, unit in unit_forms():
        out.setdefault(_syllables(form), _Known(form, unit, True, 0))
    text = resources.files("planscan.extract.text").joinpath("data/unit_words.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        word, n, _ = line.split("\t")
        word = unicodedata.normalize("NFC", word)
        out.setdefault(_syllables(word), _Known(word, word, False, int(n)))
    return out


@lru_cache(maxsize=1)
def _by_length() -> dict[int, tuple[tuple[str, _Known], ...]]:
    out: dict[int, list[tuple[str, _Known]]] = {}
    for text, known in _known().items():
        out.setdefault(len(text), []).append((text, known))
    return {n: tuple(v) for n, v in out.items()}


def _quality(ch: str) -> str:
    return split_tone(ch)[0]


@lru_cache(maxsize=4096)
def _sub(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if " " in (a, b):
        return EDIT
    if fold(a) == fold(b):
        return MARKS
    return LOOKALIKE if frozenset((_quality(a), _quality(b))) in _LOOKALIKES else EDIT


def _indel(ch: str) -> float:
    return SPACE if ch == " " else EDIT


def ocr_distance(read: str, known: str) -> float:
    """Weighted edit distance from an OCR reading to a known form (both NFC, lower case)."""
    prev = [0.0]
    for ch in known:
        prev.append(prev[-1] + _indel(ch))
    for a in read:
        cur = [prev[0] + _indel(a)]
        for j, b in enumerate(known, 1):
            cur.append(min(prev[j - 1] + _sub(a, b), prev[j] + _indel(a), cur[j - 1] + _indel(b)))
        prev = cur
    return prev[-1]


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


@lru_cache(maxsize=4096)
def _nearest(text: str) -> tuple[_Known, float] | None:
    """The one known unit close to ``text`` (canonical syllables), or None."""
    n = len(text)
    limit = min(MAX_COST, _letters(text) / 3)
    if all(is_syllable_shape(fold(w)) for w in text.split()):
        # Real syllables may be a spelling the table lacks ("bác sỹ" beside "bác sĩ"): only the
        # errors OCR makes (marks, look-alike letters), no other letter changed, dropped or added.
        limit = min(limit, LOOKALIKE)
    if _letters(text) < 2:
        return None
    scored: list[tuple[float, _Known]] = []
    for length in range(n - 2, n + 3):
        for form, known in _by_length().get(length, ()):
            cost = ocr_distance(text, form)
            if cost < limit + MARGIN + 1e-9:
                scored.append((cost, known))
    if not scored:
        return None
    scored.sort(key=lambda ck: (ck[0], not ck[1].curated, -ck[1].count))
    cost, best = scored[0]
    if cost > limit + 1e-9:
        return None
    for other_cost, other in scored[1:]:
        if other.key == best.key or other_cost >= cost + MARGIN - 1e-9:
            continue
        if best.curated and not other.curated:
            continue  # the curated table names the unit; a corpus word as close does not contest it
        if not best.curated and not other.curated and best.count >= FREQUENCY_RATIO * other.count:
            continue
        return None
    return best, cost


def _snap_part(part: str) -> str | None:
    """A part of a unit ("100 đân", "giữ") as a known unit, or None when none fits."""
    lead, rest = _PREFIX.match(part).groups()
    words = rest.split()
    if words and scale_factor(words[0]) is not None and len(words) > 1:
        lead, words = lead + words[0] + " ", words[1:]
    text = _syllables(" ".join(words))
    if not text or text in _known():
        return part
    hit = _nearest(text)
    return lead + hit[0].form if hit is not None else None


def _split_lost_slash(part: str) -> str | None:
    """A part read with its "/" lost ("kmđiểm phục vụ") as two known units, or None."""
    best: tuple[float, str] | None = None
    first = part.split(" ", 1)[0]
    for i in range(1, len(first)):
        left, right = part[:i], part[i:]
        if _syllables(left) not in _known() or _letters(right.split(" ", 1)[0]) < 2:
            continue
        text = _syllables(right)
        hit = (_known()[text], 0.0) if text in _known() else _nearest(text)
        if hit is None:
            continue
        if best is not None and abs(best[0] - hit[1]) < MARGIN:
            return None  # two ways to cut it
        if best is None or hit[1] < best[0]:
            best = (hit[1], f"{left}/{hit[0].form}")
    return best[1] if best is not None else None


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().replace("|", "/")
    text = "".join(ch for ch in text if ch.isalnum() or ch in _KEEP)
    parts = [" ".join(p.split()).strip(_EDGE) for p in text.split("/")]
    while parts and not parts[-1]:
        parts.pop()
    while parts and not parts[0]:
        parts.pop(0)
    return "/".join(parts)


def snap_unit(text: str) -> str:
    """A unit cell's reading with each misread part replaced by the known unit it stands for;
    lower case. A reading that is known, or near no known unit, comes back as it was read."""
    cleaned = _clean(text)
    out = []
    for part in cleaned.split("/"):
        snapped = _snap_part(part)
        if snapped is None and "/" not in cleaned:
            snapped = _split_lost_slash(part)
        out.append(snapped if snapped is not None else part)
    return "/".join(out)
