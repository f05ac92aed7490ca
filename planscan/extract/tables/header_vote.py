"""Which of several readings of a header cell to keep.

A worn copy's header cell is read more than once (other images of the page, another model, the
header a continued table repeats on its next page), and the readings err differently: one loses a
line, one a year's digit, one a word's letters. The reading kept is the one that reads most like a
header: its words known Vietnamese syllables (and known word pairs) of the restoration vocabulary,
its years plausible and those most readings agree on, its text something the column grammar
understands (a kind word, a comparison and its base, a label or unit heading), and agreeing with
other readings.
"""

from __future__ import annotations

import re
from collections import Counter

from planscan.extract.restore.vocabulary import Vocabulary, load
from planscan.extract.tables.columns import heading_sense
from planscan.extract.text.fold import fold
from planscan.extract.text.syllables import canonical

_LETTERS = re.compile(r"[^\W\d_]+")
_DIGIT_RUN = re.compile(r"\d+")
_YEAR = re.compile(r"(19|20)\d\d")
# Marks a header may hold; anything else is a speck or a rule's stub read as a character.
_HEADER_MARKS = frozenset(" ()%/,.:-+=")

# Weights: a year most readings agree on, and a text the grammar understands, outweigh a word or
# two; a reading the same as another counts as one more witness.
KNOWN = 1.0  # a syllable of the vocabulary as written
KEY_ONLY = 0.5  # right letters, marks lost or wrong (another model's reading)
UNKNOWN = -1.0
PAIR = 0.5  # two syllables that make a word of the vocabulary ("thực hiện")
AGREED_YEARS = 2.0
BAD_YEAR = -1.0  # a run of 3+ digits that is no year ("29019", "2621")
PARSES = 2.0  # a kind, or a label/unit/number heading
COMPARES = 0.5  # a comparison that names what it compares with ("KH 2021/UTH 2020")
FREQUENCY = 0.02  # per unit of log frequency: of two spellings of a word, the common one
WITNESS = 1.0
SPECK = -0.5


def _abbreviation(token: str) -> bool:
    # "KH", "UTH", "STT", "ĐVT": capitals that no syllable list holds but forms use
    return token.isupper() and 2 <= len(token) <= 4


def _years(text: str) -> tuple[str, ...] | None:
    """The text's runs of 3 or more digits, or None when one of them is no plausible year."""
    runs = [r for r in _DIGIT_RUN.findall(text) if len(r) >= 3]
    return tuple(runs) if all(_YEAR.fullmatch(r) for r in runs) else None


def _agreement_key(text: str) -> str:
    # Letters and digits only: a mark lost or a "/" read as a space is no different reading; the
    # grammar and speck scores tell those apart.
    return "".join(ch for ch in fold(text) if ch.isalnum() or ch == "%")


def _words_score(text: str, vocab: Vocabulary) -> float:
    score = 0.0
    tokens = _LETTERS.findall(text)
    for t in tokens:
        if _abbreviation(t):
            continue
        if vocab.is_syllable(t):
            score += KNOWN + FREQUENCY * vocab.logp[canonical(t)]
        else:
            score += KEY_ONLY if fold(t) in vocab.by_key else UNKNOWN
    for a, b in zip(tokens, tokens[1:]):
        if canonical(b) in vocab.bigrams.get(canonical(a), {}):
            score += PAIR
    return score


def _grammar_score(text: str) -> float:
    """What the column grammar reads in the text alone: a role heading, a kind, a comparison's base."""
    if not fold(text).strip():
        return 0.0
    role, kind, vs_year = heading_sense(text)
    if role != "value":
        return PARSES
    return (PARSES if kind else 0.0) + (COMPARES if vs_year is not None else 0.0)


def choose_reading(readings: list[str]) -> str:
    """The best of ``readings`` (the first, the page's own, wins a tie); "" for none."""
    readings = [r.strip() for r in readings if r.strip()]
    if len(set(readings)) <= 1:
        return readings[0] if readings else ""
    vocab = load()
    years = Counter(y for y in map(_years, readings) if y is not None)
    agreed, votes = years.most_common(1)[0] if years else ((), 0)
    keys = Counter(_agreement_key(r) for r in readings)
    best, best_score = readings[0], float("-inf")
    for r in readings:
        y = _years(r)
        score = _words_score(r, vocab)
        score += sum(ch not in _HEADER_MARKS and not ch.isalnum() for ch in r) * SPECK
        if y is None:
            score += BAD_YEAR * sum(1 for d in _DIGIT_RUN.findall(r) if len(d) >= 3 and not _YEAR.fullmatch(d))
        elif agreed and votes >= 2 and y == agreed:
            score += AGREED_YEARS
        score += _grammar_score(r)
        score += WITNESS * (keys[_agreement_key(r)] - 1)
        if score > best_score:
            best, best_score = r, score
    return best
