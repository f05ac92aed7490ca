"""Candidate syllables for one printed token, each with its channel cost.

Two ways in. First, the confusion model read backwards: each printed character (or pair) stands
for the plain letters it is known to come from ("6" -> o, "ir" -> u, "d" -> d or a), and a walk
over the trie of diacritic-free keys finds every key the token can be read as within a cost budget.
Second, rapidfuzz's nearest keys, for errors the model has not seen. Every syllable under those keys
is then scored with the weighted edit cost of printing it as the token.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from planscan.extract.confusion import INSERT, SUBSTITUTE, Channel, channel, edit_cost
from planscan.extract.syllables import key_of
from planscan.extract.vocabulary import Vocabulary, load

MAX_PER_KEY = 12
MAX_CANDIDATES = 10
PRIOR = 0.35
# A candidate more than this much dearer than the best is not worth a lattice slot.
SPREAD = 6.0
# Budget of the key walk, and the price of an edit the confusion model has no entry for.
WALK_BUDGET = 7.0
FREE_EDIT = 4.0
_LETTERS = "abcdeghiklmnopqrstuvxy"

# The most plausible plain reading of printed symbols, for the rapidfuzz probe.
_SINGLE = {"6": "o", "0": "o", "1": "l", "¢": "c", "&": "o", "5": "s", "$": "s", "§": "s", "@": "a",
           "ð": "d", "|": "l", "!": "l", "4": "a", "3": "a"}
_MULTI = {"ir": "u", "uw": "u", "rn": "m", "u'": "u", "iv": "u"}


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


@lru_cache(maxsize=4)
def _reverse(kind: str) -> dict[str, list[tuple[str, float]]]:
    """printed segment -> [(plain key letter or '', cost)], cheapest reading per letter."""
    ch = channel(kind)
    best: dict[tuple[str, str], float] = {}
    for (gold, printed), cost in ch.table.items():
        if not gold:
            continue
        k = key_of(gold)
        if len(k) != 1:
            continue
        if cost < best.get((printed, k), 1e9):
            best[(printed, k)] = cost
    # Plain letters and lost or garbled diacritics, which the table need not list one by one.
    for c in _LETTERS + "đ":
        k = key_of(c)
        best[(c, k)] = min(best.get((c, k), 1e9), ch.keep if c == k else ch.lose_marks)
    for v in "aăâeêioôơuưy":
        for printed in _marked_forms(v):
            k = key_of(v)
            best[(printed, k)] = min(best.get((printed, k), 1e9), ch.sub(v, printed))
    out: dict[str, list[tuple[str, float]]] = {}
    for (printed, k), cost in best.items():
        out.setdefault(printed, []).append((k, cost))
    for v in out.values():
        v.sort(key=lambda kc: kc[1])
    return out


def _marked_forms(vowel: str) -> list[str]:
    import unicodedata

    forms = []
    for base in {vowel, key_of(vowel)}:
        for tone in "\u0300\u0301\u0303\u0309\u0323":
            forms.append(unicodedata.normalize("NFC", base + tone))
    return forms


def walk_keys(token: str, vocab: Vocabulary, kind: str, budget: float = WALK_BUDGET) -> dict[str, float]:
    """Keys the printed token can be read as, with the cheapest reading's cost."""
    rev = _reverse(kind)
    prefixes = vocab.key_prefixes
    by_key = vocab.by_key
    n = len(token)
    found: dict[str, float] = {}
    # stack of (position in token, key so far, cost, free edits left)
    # text typed without diacritics has no misread letters, so it gets no free edits
    free0 = 0 if kind == "strip" else (1 if n <= 5 else 2)
    stack: list[tuple[int, str, float, int]] = [(0, "", 0.0, free0)]
    seen: dict[tuple[int, str, int], float] = {}
    while stack:
        i, key, cost, free = stack.pop()
        sig = (i, key, free)
        if seen.get(sig, 1e9) <= cost:
            continue
        seen[sig] = cost
        if i == n:
            if key in by_key and cost < found.get(key, 1e9):
                found[key] = cost
            # a letter the OCR dropped entirely
            if free:
                for c in _LETTERS:
                    k2 = key + c
                    if k2 in prefixes and cost + FREE_EDIT <= budget:
                        stack.append((i, k2, cost + FREE_EDIT, free - 1))
            continue
        for span in (1, 2):
            if i + span > n:
                break
            seg = token[i:i + span]
            for k, c in rev.get(seg, ()):
                nc = cost + c
                if nc > budget:
                    break
                k2 = key + k
                if k2 in prefixes:
                    stack.append((i + span, k2, nc, free))
        if free:
            nc = cost + FREE_EDIT
            if nc <= budget:
                stack.append((i + 1, key, nc, free - 1))  # a stray printed character
                for c in _LETTERS:
                    k2 = key + c
                    if k2 in prefixes:
                        stack.append((i + 1, k2, nc, free - 1))  # a misread letter
    return found


def generate(token: str, vocab: Vocabulary, ch: Channel, kind: str = "ocr") -> list[Candidate]:
    keys = walk_keys(token, vocab, kind)
    if kind != "strip":
        q = simple_key(token)
        if len(q) >= 2:
            cutoff = 1 if len(q) <= 5 else 2
            for k, _d, _i in process.extract(q, vocab.keys, scorer=Levenshtein.distance, score_cutoff=cutoff,
                                             limit=12):
                keys.setdefault(k, 0.0)
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
    return tuple(generate(token, load(), channel(kind), kind))


__all__ = ["Candidate", "candidates", "generate", "simple_key", "walk_keys", "INSERT", "SUBSTITUTE"]
