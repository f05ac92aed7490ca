"""Candidate syllables for one printed token, each with its channel cost.

Two ways in. First, the confusion model read backwards: each printed character (or pair) stands
for the plain letters it is known to come from ("6" -> o, "ir" -> u, "d" -> d or a), and a walk
over the trie of diacritic-free keys finds every key the token can be read as within a cost budget.
Second, rapidfuzz's nearest keys, for errors the model has not seen. Every syllable under those keys
is then scored with the weighted edit cost of printing it as the token. Third, for short tokens, the
channel's whole-token misreadings of a syllable ("6" for "ở").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from planscan.extract.restore.channel import Channel, edit_cost
from planscan.extract.restore.vocabulary import Vocabulary
from planscan.extract.text.syllables import canonical, key_of

# Syllables scored per key (a key has up to ~20 tone and mark variants; the rare ones never win).
MAX_PER_KEY = 8
# Keys scored per token, and how far above the cheapest key's walk cost they may be.
MAX_KEYS = 10
KEY_SPREAD = 6.0
# rapidfuzz's nearest keys are added only when the walk's cheapest reading costs more than this.
FUZZY_ABOVE = 1.5
MAX_CANDIDATES = 8
# Weight of the frequency prior when ranking candidates for the MAX_CANDIDATES cut.
PRIOR = 0.35
# A candidate more than this much dearer than the best is not worth a lattice slot.
SPREAD = 6.0
# Budget of the key walk, and the price of an edit the confusion model has no entry for.
WALK_BUDGET = 7.0
FREE_EDIT = 4.0
# States a walk visits at most: bounds the cost of one token whatever it is (a garbled token with
# free edits visits a few hundred; the bound only cuts the hopeless ones short).
MAX_STEPS = 4000
# Free edits are tried only when the confusion model alone reads no key cheaper than this.
GOOD_ENOUGH = 2.5
# Price of reading a token with its tone moved to the vowel that carries it.
TONE_MOVE = 0.7
# Beyond this a reading explains too little of the token: it is left as printed.
MAX_COST = 9.0
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


class CandidateGenerator:
    """Candidates for lower-case printed tokens under one channel, over one vocabulary; each
    generator keeps its own bounded cache, so generators of different channels never mix."""

    def __init__(self, vocab: Vocabulary, channel: Channel, cache_size: int = 200_000) -> None:
        self.vocab = vocab
        self.channel = channel
        self._reverse: dict[str, list[tuple[str, float]]] | None = None
        self._kids: dict[str, tuple[frozenset[str], tuple[str, ...]]] | None = None
        self._by_length: dict[tuple[int, int], list[str]] = {}
        self.candidates = lru_cache(maxsize=cache_size)(self.candidates)  # type: ignore[method-assign]

    def candidates(self, token: str) -> tuple[Candidate, ...]:
        """Candidates for a lower-case token, cheapest-looking first; cached per generator."""
        return tuple(self.generate(token))

    def reverse(self) -> dict[str, list[tuple[str, float]]]:
        """printed segment -> [(plain key letter or '', cost)], cheapest reading per letter."""
        if self._reverse is None:
            self._reverse = _reverse_map(self.channel)
        return self._reverse

    def readable(self, token: str, budget: float) -> bool:
        """Whether the channel alone (no free edits) reads the token as some key within ``budget``."""
        return bool(self._walk(token, budget, 0))

    def walk_keys(self, token: str, budget: float = WALK_BUDGET) -> dict[str, float]:
        """Keys the printed token can be read as, with the cheapest reading's cost.

        Free edits (a letter the model has no entry for) multiply the search, so they are tried only
        when the confusion model alone finds no cheap reading.
        """
        found = self._walk(token, budget, 0)
        if not self.channel.marks_only and (not found or min(found.values()) > GOOD_ENOUGH):
            for k, c in self._walk(token, budget, 1 if len(token) <= 5 else 2).items():
                if c < found.get(k, 1e9):
                    found[k] = c
        return found

    def _near_length(self, n: int, within: int) -> list[str]:
        """The keys whose length is within ``within`` of ``n``, in the vocabulary's order: no other key
        is that close in Levenshtein distance, and rapidfuzz breaks ties by position, so its nearest
        keys are the same as over every key."""
        got = self._by_length.get((n, within))
        if got is None:
            got = self._by_length[(n, within)] = [k for k in self.vocab.keys if abs(len(k) - n) <= within]
        return got

    def _children(self) -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
        """key prefix -> (every letter that extends it to a prefix, those of _LETTERS in its order):
        the walk tests one small set instead of building and hashing a string per letter tried."""
        if self._kids is None:
            prefixes = self.vocab.key_prefixes
            kids: dict[str, set[str]] = {}
            for p in prefixes:
                if p:
                    kids.setdefault(p[:-1], set()).add(p[-1])
            self._kids = {p: (frozenset(kids.get(p, ())), tuple(c for c in _LETTERS if c in kids.get(p, ())))
                          for p in prefixes}
        return self._kids

    def _walk(self, token: str, budget: float, free0: int) -> dict[str, float]:
        rev = self.reverse()
        children = self._children()
        by_key = self.vocab.by_key
        n = len(token)
        found: dict[str, float] = {}
        # stack of (position in token, key so far, cost, free edits left, dropped letters left)
        stack: list[tuple[int, str, float, int, int]] = [(0, "", 0.0, free0, 1)]
        push = stack.append
        seen: dict[tuple[int, str, int, int], float] = {}
        dropped = rev.get("", ())
        # the readings of every segment of the token, looked up once rather than at every state
        segs = [(rev.get(token[i:i + 1], ()), rev.get(token[i:i + 2], ()) if i + 2 <= n else ())
                for i in range(n)]
        # the least the rest of the token can cost from each position: a state that cannot finish
        # within the budget is never pushed
        least = [0.0] * (n + 1)
        for i in range(n - 1, -1, -1):
            one, two = segs[i]
            best = (one[0][1] if one else 1e9) + least[i + 1]
            if two:
                best = min(best, two[0][1] + least[i + 2])
            if free0:
                best = min(best, FREE_EDIT + least[i + 1])
            least[i] = best
        steps = 0
        while stack and steps < MAX_STEPS:
            steps += 1
            i, key, cost, free, drops = stack.pop()
            sig = (i, key, free, drops)
            if seen.get(sig, 1e9) <= cost:
                continue
            seen[sig] = cost
            kidset, kids = children[key]
            if drops:
                # a written letter the OCR printed as nothing ("duc" for "được")
                for k, c in dropped:
                    nc = cost + c
                    if nc + least[i] > budget:
                        break
                    if k in kidset:
                        push((i, key + k, nc, free, drops - 1))
            if i == n:
                if key in by_key and cost < found.get(key, 1e9):
                    found[key] = cost
                if free and cost + FREE_EDIT <= budget:
                    for c in kids:
                        push((i, key + c, cost + FREE_EDIT, free - 1, drops))
                continue
            for span, readings in ((1, segs[i][0]), (2, segs[i][1])):
                if not readings or cost + least[i + span] > budget:
                    continue
                for k, c in readings:
                    nc = cost + c
                    if nc + least[i + span] > budget:
                        break
                    if k in kidset:
                        k2 = key + k
                        # a state already reached as cheaply would only be popped and dropped
                        if seen.get((i + span, k2, free, drops), 1e9) > nc:
                            push((i + span, k2, nc, free, drops))
            if free:
                nc = cost + FREE_EDIT
                if nc + least[i + 1] <= budget:
                    push((i + 1, key, nc, free - 1, drops))  # a stray printed character
                    for c in kids:
                        push((i + 1, key + c, nc, free - 1, drops))  # a misread letter
        return found

    def generate(self, token: str) -> list[Candidate]:
        vocab, ch = self.vocab, self.channel
        garbles = not ch.marks_only
        keys = self.walk_keys(token)
        # rapidfuzz's nearest keys cover what the confusion model cannot explain; when the model
        # already reads the token cheaply they add nothing but time
        if garbles and (not keys or min(keys.values()) > FUZZY_ABOVE):
            q = simple_key(token)
            if len(q) >= 2:
                cutoff = 1 if len(q) <= 5 else 2
                for k, d, _i in process.extract(q, self._near_length(len(q), cutoff), scorer=Levenshtein.distance,
                                                score_cutoff=cutoff, limit=12):
                    # the plain reading itself is a key: as good as the walk's best; a near key is an
                    # edit the model did not explain
                    keys[k] = min(keys.get(k, 1e9), FREE_EDIT * d + (0.0 if d == 0 else 1.0))
        # whole-token misreadings of short syllables ("6" for "ở", "1a" for "là"), where the
        # letter-by-letter cost misjudges the engine
        whole = {canonical(syl): cost for syl, cost in ch.syllables.get(token, ())
                 if canonical(syl) in vocab.logp}
        if not keys and not whole:
            return []
        # the walk's cost is close to the best syllable's under a key, so far-off keys are not scored
        floor = min(keys.values(), default=0.0)
        ranked = sorted((c, k) for k, c in keys.items() if c <= floor + KEY_SPREAD)[:MAX_KEYS]
        # OCR often puts a tone on the wrong vowel ("tuýen" for "tuyến"): the token with its tone moved
        # to where Vietnamese spelling puts it is a second reading, at a small price.
        moved = canonical(token) if garbles else token
        if moved == token:
            moved = None
        scored: list[Candidate] = []
        same = canonical(token)
        for _c, k in ranked:
            syls = vocab.by_key[k][:MAX_PER_KEY]
            if same in vocab.logp and key_of(same) == k and same not in syls:
                syls = [*syls, same]
            for syl in syls:
                cost = edit_cost(syl, token, ch)
                if moved is not None:
                    cost = min(cost, edit_cost(syl, moved, ch) + TONE_MOVE)
                scored.append(Candidate(syl, cost))
        if whole:
            scored = [Candidate(c.syllable, min(c.cost, whole.pop(c.syllable, c.cost))) for c in scored]
            scored += [Candidate(syl, cost) for syl, cost in whole.items()]
        # rank by channel cost plus a weak frequency prior, so a common reading is not cut for a rare one
        scored.sort(key=lambda c: c.cost - PRIOR * vocab.logp[c.syllable])
        best = min(c.cost for c in scored)
        out = [c for c in scored if c.cost <= min(best + SPREAD, MAX_COST)][:MAX_CANDIDATES]
        # the token read as written is always a candidate when it is a syllable: a rare one ("Tho"
        # in "Mỹ Tho") must not lose its place to common syllables of the same letters
        if same in vocab.logp and all(c.syllable != same for c in out):
            mine = next((c for c in scored if c.syllable == same), None)
            if mine is not None and mine.cost <= MAX_COST:
                out[-1:] = [mine] if len(out) >= MAX_CANDIDATES else [*out[-1:], mine]
        return out


def _reverse_map(ch: Channel) -> dict[str, list[tuple[str, float]]]:
    best: dict[tuple[str, str], float] = {}
    for (gold, printed), cost in ch.table.items():
        if not gold:
            continue
        k = key_of(gold)
        if len(k) != 1:
            continue
        if gold == printed:
            cost = ch.sub(gold, printed)  # a letter printed as itself is always a fair reading
        if cost < best.get((printed, k), 1e9):
            best[(printed, k)] = cost
    # Plain letters and lost or garbled diacritics, which the table need not list one by one.
    for c in _LETTERS + "đ":
        k = key_of(c)
        best[(c, k)] = min(best.get((c, k), 1e9), ch.keep if c == k else ch.lose_marks)
    for v in "aăâeêioôơuưy":
        for printed in _marked_forms(v):
            k = key_of(v)
            # the marked letter as printed (itself: a fair reading), or another one misread as it
            best[(printed, k)] = min(best.get((printed, k), 1e9), ch.sub(printed, printed), ch.sub(v, printed))
    out: dict[str, list[tuple[str, float]]] = {}
    for (printed, k), cost in best.items():
        out.setdefault(printed, []).append((k, cost))
    for v in out.values():
        v.sort(key=lambda kc: kc[1])
    return out


def _marked_forms(vowel: str) -> list[str]:
    forms = []
    for base in {vowel, key_of(vowel)}:
        for tone in "\u0300\u0301\u0303\u0309\u0323":
            forms.append(unicodedata.normalize("NFC", base + tone))
    return forms


__all__ = ["Candidate", "CandidateGenerator", "simple_key"]
