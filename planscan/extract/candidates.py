"""Candidate syllables for one printed token, each with its channel cost.

Two ways in: the token's likely diacritic-free keys (printed characters mapped back through the
confusion model: "6" -> "o", "ir" -> "u", "rn" -> "m" ...) looked up exactly, and rapidfuzz
nearest keys for errors the model did not foresee. Every syllable under those keys is then scored
with the weighted edit cost of printing it as the token.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from planscan.extract.confusion import Channel, channel, edit_cost
from planscan.extract.syllables import key_of
from planscan.extract.vocabulary import Vocabulary, load

# Printed characters (or pairs) that stand for a different plain letter in the key.
_MULTI = {"ir": "u", "uw": "u", "rn": "m", "dd": "d", "u'": "u", "iv": "u"}
_SINGLE = {"6": "o", "0": "o", "1": "l", "¢": "c", "&": "o", "5": "s", "$": "s", "§": "s", "w": "u",
           "@": "a", "ð": "d", "|": "l", "!": "l", "8": "a"}
# Letters that printed plain stand in for a marked vowel often enough to try the other reading.
_ALTERNATIVES = {"d": "a", "i": "a", "1": "i", "e": "o", "c": "e", "l": "i", "p": "d", "&": "e"}

MAX_PER_KEY = 12
MAX_CANDIDATES = 10
PRIOR = 0.35
# A candidate more than this much dearer than the best is not worth a lattice slot.
SPREAD = 5.0


@dataclass(frozen=True)
class Candidate:
    syllable: str  # canonical
    cost: float  # channel cost, nats


def simple_key(token: str) -> str:
    """The single most plausible diacritic-free reading of a lower-case printed token."""
    base = token
    for a, b in _MULTI.items():
        base = base.replace(a, b)
    return key_of("".join(_SINGLE.get(c, c) for c in base))


def plain_keys(token: str) -> set[str]:
    """Diacritic-free readings of a lower-case printed token worth an exact look-up."""
    simple = simple_key(token)
    raw = key_of("".join(_SINGLE.get(c, c) for c in token))
    out = {simple, raw}
    # one alternative reading per position: "tudn" -> "tuan", "nim" -> "nam"
    for k in (simple,):
        for i, c in enumerate(k):
            alt = _ALTERNATIVES.get(c)
            if alt:
                out.add(k[:i] + alt + k[i + 1:])
    return out


def generate(token: str, vocab: Vocabulary, ch: Channel) -> list[Candidate]:
    keys = {k for k in plain_keys(token) if k in vocab.by_key}
    simple = simple_key(token)
    probe = key_of(token)
    for q in {simple, probe}:
        if len(q) < 2:
            continue
        cutoff = 1 if len(q) <= 4 else 2
        for k, _d, _i in process.extract(q, vocab.keys, scorer=Levenshtein.distance, score_cutoff=cutoff, limit=20):
            keys.add(k)
    scored: list[Candidate] = []
    for k in keys:
        for syl in vocab.by_key[k][:MAX_PER_KEY]:
            scored.append(Candidate(syl, edit_cost(syl, token, ch)))
    if not scored:
        return []
    # rank by channel cost plus a weak frequency prior, so a common reading is not cut for a rare one
    scored.sort(key=lambda c: c.cost - PRIOR * vocab.logp[c.syllable])
    best = min(c.cost for c in scored)
    return [c for c in scored if c.cost <= best + SPREAD][:MAX_CANDIDATES]


@lru_cache(maxsize=200_000)
def candidates(token: str, kind: str = "ocr") -> tuple[Candidate, ...]:
    """Candidates for a lower-case token under channel ``kind`` ('ocr' or 'strip'); cached."""
    return tuple(generate(token, load(), channel(kind)))
