"""Vietnamese syllable shape: diacritic stripping, tone extraction and tone placement, case.

A syllable is handled in three forms: as written (any case, any tone placement), canonical
(lower case, NFC, tone on the main vowel by the modern rule so "hoà" and "hòa" are one entry) and
its key (its ``fold``: no diacritics at all, "đ" as "d"), which is what OCR without a Vietnamese
model leaves.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from planscan.extract.text.fold import fold

# Combining tone marks: grave, acute, tilde, hook above, dot below.
TONES = "\u0300\u0301\u0303\u0309\u0323"
_TONE_SET = frozenset(TONES)
# Vowel-quality marks that are part of the letter, not the tone: breve, circumflex, horn.
_QUALITY = "\u0306\u0302\u031b"

VOWELS = frozenset("aăâeêioôơuưy")
_MARKED_VOWELS = frozenset("ăâêôơư")

# Onset, vowel nucleus, coda of a syllable written without diacritics. Loose on purpose: it only
# keeps foreign words and junk out of the inventory, the vocabulary decides the rest.
_SHAPE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(uye|uya|uyu|oai|oay|oeo|uay|uoi|uou|ieu|yeu|uoc|[aeiouy]{1,2})"
    r"(ch|ng|nh|[cmnpt])?$"
)


def key_of(syllable: str) -> str:
    """The key a syllable is indexed under: its fold ("Tuần" -> "tuan")."""
    return fold(syllable)


def has_marks(text: str) -> bool:
    return key_of(text) != text.lower()


def split_tone(syllable: str) -> tuple[str, str]:
    """(base letters with quality marks, NFC; tone mark or '')."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = ""
    kept = []
    for c in decomposed:
        if c in _TONE_SET:
            tone = tone or c
        else:
            kept.append(c)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def tone_index(base: str) -> int:
    """Index in ``base`` (lower case, NFC, no tone) of the vowel that carries the tone, or -1."""
    vowels = [i for i, c in enumerate(base) if c in VOWELS]
    if not vowels:
        return -1
    # "qu" and "gi" (before another vowel) are onsets: their vowel letter never takes the tone.
    if base.startswith("qu") and vowels[0] == 1 and len(vowels) > 1:
        vowels = vowels[1:]
    elif base.startswith("gi") and vowels[0] == 1 and len(vowels) > 1:
        vowels = vowels[1:]
    marked = [i for i in vowels if base[i] in _MARKED_VOWELS]
    if marked:
        return marked[-1]
    if len(vowels) == 1:
        return vowels[0]
    ends_open = vowels[-1] == len(base) - 1
    if ends_open and len(vowels) == 2:
        pair = base[vowels[0]] + base[vowels[1]]
        return vowels[1] if pair in ("oa", "oe", "uy") else vowels[0]
    if ends_open and len(vowels) >= 3:
        return vowels[1]
    return vowels[-1]


def place_tone(base: str, tone: str) -> str:
    if not tone:
        return base
    i = tone_index(base)
    if i < 0:
        return base
    return unicodedata.normalize("NFC", base[:i] + unicodedata.normalize("NFD", base[i]) + tone + base[i + 1:])


@lru_cache(maxsize=200_000)
def canonical(syllable: str) -> str:
    """Lower case, NFC, tone on the main vowel by the modern rule."""
    base, tone = split_tone(syllable.lower())
    return place_tone(base, tone)


def is_syllable_shape(key: str) -> bool:
    return bool(_SHAPE.match(key))


@lru_cache(maxsize=100_000)
def case_pattern(token: str) -> str:
    """'upper' for ALL-CAPS words (two letters or more), 'title' for a capital first letter, else 'lower'."""
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return "lower"
    upper = sum(1 for c in letters if c.isupper())
    # OCR lower-cases a letter of a heading now and then ("HiNH"): mostly capitals is ALL-CAPS
    if len(letters) >= 2 and (upper == len(letters) or (len(letters) >= 4 and upper >= 0.75 * len(letters))):
        return "upper"
    if letters[0].isupper():
        return "title"
    return "lower"


def apply_case(word: str, pattern: str) -> str:
    if pattern == "upper":
        return word.upper()
    if pattern == "title":
        return word[:1].upper() + word[1:]
    return word
