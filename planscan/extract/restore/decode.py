"""Search a paragraph's lattice of candidate syllables for the best reading (Viterbi, first order).

A path scores, per token: minus the channel cost, plus the syllable's log frequency, plus the gain
of a listed syllable pair when it follows the previous syllable inside a known word, and a further
bonus when the previous two and this one make a known three-syllable chain. A slot may also hold ``None``:
"keep the token as printed", for names and codes the vocabulary does not know. Figures are slots
too (``<num>``), so "năm 2019" and "117 trạm" give context to the words around them.

A language model (``LanguageModel``, as ``lm.LanguageModel`` is one) may be given besides: its
log-probability of each syllable after the two before it is added, weighted by ``Weights.lm``.
Without one the decoder weighs the word lists alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Optional, Protocol, Sequence

from planscan.extract.restore.vocabulary import Vocabulary

# the language model's tokens for a token kept as printed and for the start of a segment
UNK, BOS = "<unk>", "<s>"

Option = tuple[Optional[str], float]


@dataclass(frozen=True)
class Weights:
    channel: float = 1.0
    # the word lists' weights beside the language model (tuned with it on held-out corpus text)
    unigram: float = 0.3
    bigram: float = 0.5
    trigram: float = 0.5
    # log frequency charged for keeping an unknown token as printed
    keep_logp: float = -16.0
    # weight of a language model's score, when the decoder is given one
    lm: float = 1.0


DEFAULT = Weights()


class LanguageModel(Protocol):
    """Context statistics the decoder weighs besides the vocabulary's word-list pairs."""

    def logp(self, w: str, prev1: Optional[str] = None, prev2: Optional[str] = None) -> float:
        """Log-probability of syllable ``w`` after ``prev2 prev1``; None where the context is cut
        (the start of a paragraph, punctuation, a token kept as printed)."""
        ...


def row_of(lm: LanguageModel) -> Callable[[tuple[str, ...], str, Optional[str]], Sequence[float]]:
    """``lm``'s scores of several words in one context: its own ``row`` when it has one (one context
    lookup for all of them, memoised), else one ``logp`` per word."""
    row = getattr(lm, "row", None)
    if row is not None:
        return row
    return lambda words, prev1, prev2=None: [lm.logp(t, prev1, prev2) for t in words]


@dataclass
class Slot:
    """One token's options: (canonical syllable or None for keep-as-printed, channel cost)."""

    options: Sequence[Option]
    joined: bool = True  # False when punctuation or a non-word separates it from the previous slot


def best_path(slots: Sequence[Slot], vocab: Vocabulary, w: Weights | None = None,
              lm: LanguageModel | None = None) -> list[int]:
    """For each slot, the index of the chosen option on the best-scoring path.

    The trigram bonus (and a language model's two-syllable history) looks back along the
    predecessor's own best path: exact for the path returned, but the search stays first order.
    """
    if not slots:
        return []
    w = w or DEFAULT
    if lm is not None:
        return _best_path_lm(slots, vocab, w, lm)
    logp = vocab.logp
    bigrams = vocab.bigrams
    trigrams = vocab.trigrams
    floor = w.keep_logp

    def local(opt: Option) -> float:
        s, cost = opt
        if s is None:
            return -w.channel * cost + w.unigram * floor
        return -w.channel * cost + w.unigram * logp.get(s, floor)

    # scores[i][k]: best score of a path ending in option k of slot i; back[i][k]: its predecessor
    scores: list[list[float]] = []
    back: list[list[int]] = []
    first = [local(o) for o in slots[0].options]
    scores.append(first)
    back.append([-1] * len(first))
    wb, wt = w.bigram, w.trigram
    for i in range(1, len(slots)):
        slot = slots[i]
        prev_opts = slots[i - 1].options
        prev_scores = scores[-1]
        top_k = max(range(len(prev_scores)), key=prev_scores.__getitem__)
        top = prev_scores[top_k]
        row: list[float] = []
        brow: list[int] = []
        if not slot.joined:
            for o in slot.options:
                row.append(top + local(o))
                brow.append(top_k)
        else:
            # Bonuses are never negative, so the best predecessor is the overall best unless a
            # predecessor that forms a listed pair with this option beats it: only those are checked.
            linked = [(k, f) for k, p in enumerate(prev_opts) if p[0] is not None and (f := bigrams.get(p[0]))]
            pp_opts = slots[i - 2].options if (i >= 2 and slots[i - 1].joined and wt) else None
            pback = back[-1]
            for o in slot.options:
                s = o[0]
                best, arg = top, top_k
                if s is not None:
                    for k, f in linked:
                        b = f.get(s)
                        if b is None:
                            continue
                        sc = prev_scores[k] + wb * b
                        if pp_opts is not None:
                            pp = pp_opts[pback[k]][0]
                            if pp is not None:
                                t = trigrams.get(pp + " " + prev_opts[k][0])
                                if t is not None and s in t:
                                    sc += wt
                        if sc > best:
                            best, arg = sc, k
                row.append(best + local(o))
                brow.append(arg)
        scores.append(row)
        back.append(brow)
    return _trace_back(scores, back)


def _best_path_lm(slots: Sequence[Slot], vocab: Vocabulary, w: Weights, lm: LanguageModel) -> list[int]:
    """best_path when a language model scores every pair: each option weighs each predecessor, its
    history the predecessor's token and the one before it on the predecessor's best path."""
    lm_row = row_of(lm)
    logp, bigrams, trigrams = vocab.logp, vocab.bigrams, vocab.trigrams
    wc, wu, wl, wb, wt, floor = w.channel, w.unigram, w.lm, w.bigram, w.trigram, w.keep_logp
    scores: list[list[float]] = []
    back: list[list[int]] = []
    syls: list[list[Optional[str]]] = []  # each slot's options' syllables
    for i, slot in enumerate(slots):
        sy = [o[0] for o in slot.options]
        toks = tuple(t or UNK for t in sy)
        local = [-wc * c + wu * (floor if t is None else logp.get(t, floor)) for t, c in slot.options]
        if i == 0 or not slot.joined:
            # a token whose context is cut: the language model scores it as the first of a segment
            lps = lm_row(toks, BOS, None)
            opening = [lo + wl * lp for lo, lp in zip(local, lps)]
            if i == 0:
                scores.append(opening)
                back.append([-1] * len(opening))
            else:
                prev_scores = scores[-1]
                top_k = max(range(len(prev_scores)), key=prev_scores.__getitem__)
                top = prev_scores[top_k]
                scores.append([top + op for op in opening])
                back.append([top_k] * len(opening))
            syls.append(sy)
            continue
        prev_sy, prev_scores, pback = syls[-1], scores[-1], back[-1]
        pp_sy = syls[-2] if i >= 2 and slots[i - 1].joined else None
        n = len(sy)
        best = [-math.inf] * n
        arg = [0] * n
        mine = set(sy)
        for k, p in enumerate(prev_sy):
            prev = p or UNK
            pp = (pp_sy[pback[k]] or UNK) if pp_sy is not None else BOS
            lps = lm_row(toks, prev, pp)
            base = prev_scores[k]
            gains = bigrams.get(p) if p is not None else None
            if gains is not None and gains.keys().isdisjoint(mine):
                gains = None
            tri = trigrams.get(pp + " " + p) if gains and pp_sy is not None and wt else None
            if gains is None:
                for m in range(n):
                    sc = base + wl * lps[m]
                    if sc > best[m]:
                        best[m] = sc
                        arg[m] = k
                continue
            for m in range(n):
                sc = base + wl * lps[m]
                s = sy[m]
                if s is not None:
                    g = gains.get(s)
                    if g is not None:
                        sc += wb * g + (wt if tri is not None and s in tri else 0.0)
                if sc > best[m]:
                    best[m] = sc
                    arg[m] = k
        scores.append([b + lo for b, lo in zip(best, local)])
        back.append(arg)
        syls.append(sy)
    return _trace_back(scores, back)


def _trace_back(scores: list[list[float]], back: list[list[int]]) -> list[int]:
    """The option index of every slot on the best path, from the last slot's best score back."""
    k = max(range(len(scores[-1])), key=scores[-1].__getitem__)
    path = [0] * len(scores)
    for i in range(len(scores) - 1, -1, -1):
        path[i] = k
        k = back[i][k]
    return path


def confidence(slots: Sequence[Slot], path: list[int], i: int, vocab: Vocabulary, w: Weights | None = None,
               lm: LanguageModel | None = None) -> float:
    """How much better the chosen option is than the runner-up with the neighbours held fixed."""
    w = w or DEFAULT
    opts = slots[i].options
    if len(opts) == 1:
        return 1.0

    def chosen_at(j: int) -> Optional[str]:
        return slots[j].options[path[j]][0]

    prev = chosen_at(i - 1) if i > 0 and slots[i].joined else None
    prev2 = chosen_at(i - 2) if prev is not None and i > 1 and slots[i - 1].joined else None
    nxt = chosen_at(i + 1) if i + 1 < len(slots) and slots[i + 1].joined else None
    # the language model's history: <s> where the context is cut, <unk> for a token kept as printed
    joined = i > 0 and slots[i].joined
    lm_prev = (chosen_at(i - 1) or UNK) if joined else BOS
    lm_prev2 = ((chosen_at(i - 2) or UNK) if i > 1 and slots[i - 1].joined else BOS) if joined else None

    # the option's own term, one row for all options
    own: Sequence[float] = row_of(lm)(tuple(o[0] or UNK for o in opts), lm_prev, lm_prev2) if lm is not None else ()

    def score(m: int, o: Option) -> float:
        s, cost = o
        lp = vocab.logp.get(s, w.keep_logp) if s is not None else w.keep_logp
        sc = -w.channel * cost + w.unigram * lp
        if s is not None:
            if prev is not None:
                sc += w.bigram * vocab.bigrams.get(prev, {}).get(s, 0.0)
            if nxt is not None:
                sc += w.bigram * vocab.bigrams.get(s, {}).get(nxt, 0.0)
        if lm is not None:
            tok = s or UNK
            sc += w.lm * own[m]
            if i + 1 < len(slots) and slots[i + 1].joined:
                sc += w.lm * lm.logp(chosen_at(i + 1) or UNK, tok, lm_prev)
                if i + 2 < len(slots) and slots[i + 2].joined:
                    sc += w.lm * lm.logp(chosen_at(i + 2) or UNK, chosen_at(i + 1) or UNK, tok)
        return sc

    values = [score(m, o) for m, o in enumerate(opts)]
    chosen = values[path[i]]
    runner = max(v for j, v in enumerate(values) if j != path[i])
    margin = chosen - runner
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin))))
