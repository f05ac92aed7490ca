"""The lattice decoder: small hand-made cases, and random lattices against plain reference decoders.

Two references, as RapidFuzz tests its fast module against a plain Python one: a Viterbi that
weighs every predecessor of every option (the fast one weighs only those that form a listed pair),
and, where the model is first order, a brute-force search over every path of the lattice.
"""

from __future__ import annotations

import itertools
import math
import random
from typing import Optional, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from planscan.extract.restore.decode import BOS, UNK, LanguageModel, Slot, Weights, best_path, confidence
from planscan.extract.restore.vocabulary import Vocabulary

_SETTINGS = settings(max_examples=200, deadline=None)
SYLLABLES = ["ba", "bà", "bá", "địa", "đĩa", "tổng", "số"]


# --- the plain references ----------------------------------------------------------------------

def _local(opt, vocab: Vocabulary, w: Weights) -> float:
    s, cost = opt
    if s is None:
        return -w.channel * cost + w.unigram * w.keep_logp
    return -w.channel * cost + w.unigram * vocab.logp.get(s, w.keep_logp)


def _context(pp: Optional[str], prev: Optional[str], s: str, vocab: Vocabulary, w: Weights) -> float:
    """What the syllables before add to ``s`` from the word lists: the pair gain and the trigram
    bonus (only on a listed pair)."""
    total = 0.0
    if prev is not None and s in vocab.bigrams.get(prev, {}):
        total += w.bigram * vocab.bigrams[prev][s]
        if pp is not None and s in vocab.trigrams.get(pp + " " + prev, {}):
            total += w.trigram
    return total


def _lm_term(slots: Sequence[Slot], chosen: Sequence[Optional[str]], i: int, w: Weights,
             lm: Optional[LanguageModel]) -> float:
    """A language model's score of slot i's token (a kept one is <unk>) after the two before it;
    <s> where the context is cut. ``chosen`` holds the tokens of slots i-2..i at those indices."""
    if lm is None:
        return 0.0
    tok = chosen[i] or UNK
    if i == 0 or not slots[i].joined:
        return w.lm * lm.logp(tok, BOS)
    pp = (chosen[i - 2] or UNK) if i > 1 and slots[i - 1].joined else BOS
    return w.lm * lm.logp(tok, chosen[i - 1] or UNK, pp)


def path_score(slots: Sequence[Slot], path: Sequence[int], vocab: Vocabulary, w: Weights,
               lm: Optional[LanguageModel] = None) -> float:
    """The score of one path, term by term."""
    total = 0.0
    chosen = [slot.options[k][0] for slot, k in zip(slots, path)]
    for i, slot in enumerate(slots):
        opt = slot.options[path[i]]
        total += _local(opt, vocab, w) + _lm_term(slots, chosen, i, w, lm)
        if opt[0] is None:
            continue
        prev = chosen[i - 1] if i > 0 and slot.joined else None
        pp = chosen[i - 2] if prev is not None and i > 1 and slots[i - 1].joined else None
        total += _context(pp, prev, opt[0], vocab, w)
    return total


def reference_viterbi(slots: Sequence[Slot], vocab: Vocabulary, w: Weights,
                      lm: Optional[LanguageModel] = None) -> list[int]:
    """Viterbi with no shortcut: every option weighs every predecessor. The syllable two back is
    the one on the predecessor's best path, as in the fast decoder."""
    if not slots:
        return []
    scores: list[list[float]] = []
    back: list[list[int]] = []
    for i, slot in enumerate(slots):
        row, brow = [], []
        for opt in slot.options:
            if i == 0:
                row.append(_local(opt, vocab, w) + _lm_term(slots, [opt[0]], 0, w, lm))
                brow.append(-1)
                continue
            best, arg = -math.inf, -1
            for k, p in enumerate(slots[i - 1].options):
                sc = scores[i - 1][k]
                two_back = slots[i - 2].options[back[i - 1][k]][0] if i > 1 else None
                sc += _lm_term(slots, ([None] * i + [two_back, p[0], opt[0]])[-(i + 1):], i, w, lm)
                if opt[0] is not None:
                    prev = p[0] if slot.joined else None
                    pp = two_back if prev is not None and i > 1 and slots[i - 1].joined else None
                    sc += _context(pp, prev, opt[0], vocab, w)
                if sc > best:
                    best, arg = sc, k
            row.append(best + _local(opt, vocab, w))
            brow.append(arg)
        scores.append(row)
        back.append(brow)
    k = max(range(len(scores[-1])), key=scores[-1].__getitem__)
    path = []
    for i in range(len(slots) - 1, -1, -1):
        path.append(k)
        k = back[i][k]
    return path[::-1]


def brute_force(slots: Sequence[Slot], vocab: Vocabulary, w: Weights,
                lm: Optional[LanguageModel] = None) -> list[int]:
    """The best of every path of the lattice."""
    paths = itertools.product(*(range(len(s.options)) for s in slots))
    return list(max(paths, key=lambda p: path_score(slots, p, vocab, w, lm)))


# --- random lattices ---------------------------------------------------------------------------

class TableLM:
    """A language model that is a table of random scores, for the decoder's hook."""

    def __init__(self, rnd: random.Random, second_order: bool) -> None:
        ctx = [None, BOS, UNK, *SYLLABLES]
        self.table = {(pp if second_order else None, prev, s): rnd.uniform(-6.0, 0.0)
                      for pp in ctx for prev in ctx for s in (UNK, *SYLLABLES)}

    def logp(self, w: str, prev1: Optional[str] = None, prev2: Optional[str] = None) -> float:
        return self.table[(prev2 if (prev2, prev1, w) in self.table else None, prev1, w)]


@st.composite
def lattices(draw, trigram: bool = True):
    """(slots, vocab, weights) drawn at random; the values from a seeded generator, so ties are
    as rare as between real scores. Gains and weights are never negative, as in the vocabulary."""
    rnd = random.Random(draw(st.integers(0, 2**32)))
    v = Vocabulary()
    v.logp = {s: rnd.uniform(-12.0, -3.0) for s in SYLLABLES if draw(st.booleans()) or s == "ba"}
    density = draw(st.sampled_from([0.0, 0.2, 0.5, 1.0]))
    v.bigrams = {a: bs for a in SYLLABLES if (bs := {b: rnd.uniform(0.0, 4.0) for b in SYLLABLES
                                                      if rnd.random() < density})}
    v.trigrams = {f"{a} {b}": {c for c in SYLLABLES if rnd.random() < density}
                  for a in SYLLABLES for b in SYLLABLES if rnd.random() < density}
    options = st.lists(st.sampled_from([None, *SYLLABLES]), min_size=1, max_size=4)
    slots = [Slot([(s, rnd.uniform(0.0, 9.0)) for s in draw(options)], joined=draw(st.booleans()))
             for _ in range(draw(st.integers(1, 6)))]
    w = Weights(channel=rnd.uniform(0.1, 2.0), unigram=rnd.uniform(0.0, 1.5), bigram=rnd.uniform(0.0, 3.0),
                trigram=rnd.uniform(0.0, 3.0) if trigram else 0.0,
                keep_logp=rnd.uniform(-20.0, -8.0), lm=rnd.uniform(0.1, 2.0))
    return slots, v, w, rnd


def _same_up_to_ties(slots, got, want, vocab, w, lm=None) -> None:
    assert len(got) == len(slots)
    assert all(0 <= k < len(s.options) for k, s in zip(got, slots))
    # the same score; a different path is allowed only as a tie
    assert math.isclose(path_score(slots, got, vocab, w, lm), path_score(slots, want, vocab, w, lm), abs_tol=1e-9)


@_SETTINGS
@given(lattices())
def test_fast_decoder_agrees_with_the_plain_viterbi(lattice):
    slots, vocab, w, _rnd = lattice
    _same_up_to_ties(slots, best_path(slots, vocab, w), reference_viterbi(slots, vocab, w), vocab, w)


@_SETTINGS
@given(lattices(trigram=False))
def test_first_order_decoder_finds_the_best_of_all_paths(lattice):
    slots, vocab, w, _rnd = lattice
    _same_up_to_ties(slots, best_path(slots, vocab, w), brute_force(slots, vocab, w), vocab, w)


@_SETTINGS
@given(lattices(), st.booleans())
def test_decoder_with_a_language_model_agrees_with_the_plain_viterbi(lattice, second_order):
    slots, vocab, w, rnd = lattice
    lm = TableLM(rnd, second_order)
    got = best_path(slots, vocab, w, lm)
    _same_up_to_ties(slots, got, reference_viterbi(slots, vocab, w, lm), vocab, w, lm)
    if not second_order and not w.trigram:
        _same_up_to_ties(slots, got, brute_force(slots, vocab, w, lm), vocab, w, lm)


@_SETTINGS
@given(lattices())
def test_trigram_decoder_is_never_better_than_the_best_path(lattice):
    """With trigrams the search is first order: its path may fall short of the best, never beat it."""
    slots, vocab, w, _rnd = lattice
    got = path_score(slots, best_path(slots, vocab, w), vocab, w)
    assert got <= path_score(slots, brute_force(slots, vocab, w), vocab, w) + 1e-9


# --- hand-made cases ---------------------------------------------------------------------------

def _toy_vocab() -> Vocabulary:
    v = Vocabulary()
    v.logp = {"ban": -5.0, "bàn": -6.0, "bán": -5.5, "địa": -6.0, "đĩa": -8.0}
    v.bigrams = {"địa": {"bàn": 3.0}}
    v.display = {s: s for s in v.logp}
    return v


def test_decoder_uses_bigram_context():
    v = _toy_vocab()
    slots = [Slot([("địa", 0.0), ("đĩa", 0.0)]), Slot([("ban", 0.0), ("bàn", 0.0), ("bán", 0.0)])]
    path = best_path(slots, v, Weights(unigram=1.0, bigram=1.0))
    assert [slots[i].options[k][0] for i, k in enumerate(path)] == ["địa", "bàn"]


def test_decoder_without_context_falls_back_to_frequency():
    v = _toy_vocab()
    w = Weights(unigram=1.0, bigram=1.0)
    slots = [Slot([("địa", 0.0), ("đĩa", 0.0)]), Slot([("ban", 0.0), ("bàn", 0.0), ("bán", 0.0)], joined=False)]
    path = best_path(slots, v, w)
    assert slots[1].options[path[1]][0] == "ban"
    assert 0.5 < confidence(slots, path, 1, v, w) <= 1.0


def test_decoder_channel_cost_can_outweigh_frequency():
    slots = [Slot([("ban", 9.0), ("bán", 0.0)])]
    assert best_path(slots, _toy_vocab(), Weights(unigram=1.0)) == [1]


def test_decoder_keep_option_wins_when_nothing_fits():
    slots = [Slot([("ban", 30.0), (None, 4.0)])]
    assert best_path(slots, _toy_vocab(), Weights(unigram=1.0)) == [1]


def test_a_language_model_can_overrule_the_word_lists():
    class Prefers:
        def logp(self, w, prev1=None, prev2=None):
            return 0.0 if (prev1, w) == ("địa", "bán") else -5.0

    v = _toy_vocab()
    slots = [Slot([("địa", 0.0)]), Slot([("ban", 0.0), ("bàn", 0.0), ("bán", 0.0)])]
    w = Weights(unigram=1.0, bigram=1.0)
    assert best_path(slots, v, w) == [0, 1]
    assert best_path(slots, v, w, Prefers()) == [0, 2]


def test_decoder_empty():
    assert best_path([], _toy_vocab()) == []
