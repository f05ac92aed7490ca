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
    logp = vocab.logp
    bigrams = vocab.bigrams
    trigrams = vocab.trigrams
    floor = w.keep_logp

    def local(opt: Option) -> float:
        s, cost = opt
        if s is None:
            return -w.channel * cost + w.unigram * floor
        return -w.channel * cost + w.unigram * logp.get(s, floor)

    def opening(opt: Option) -> float:
        # a token whose context is cut: only a language model has something to say about it, as
        # the first of a segment (a token kept as printed is the model's <unk>)
        if lm is None:
            return local(opt)
        return local(opt) + w.lm * lm.logp(opt[0] or UNK, BOS)

    # scores[i][k]: best score of a path ending in option k of slot i; back[i][k]: its predecessor
    scores: list[list[float]] = []
    back: list[list[int]] = []
    first = [opening(o) for o in slots[0].options]
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
                row.append(top + opening(o))
                brow.append(top_k)
        elif lm is not None:
            pp_opts = slots[i - 2].options if (i >= 2 and slots[i - 1].joined) else None
            _lm_row(slot, prev_opts, prev_scores, back[-1], pp_opts, vocab, w, lm, local, row, brow)
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
    # trace back
    k = max(range(len(scores[-1])), key=scores[-1].__getitem__)
    path = [0] * len(slots)
    for i in range(len(slots) - 1, -1, -1):
        path[i] = k
        k = back[i][k]
    return path


def _lm_row(slot: Slot, prev_opts: Sequence[Option], prev_scores: list[float], pback: list[int],
            pp_opts: Optional[Sequence[Option]], vocab: Vocabulary, w: Weights, lm: LanguageModel,
            local: Callable[[Option], float], row: list[float], brow: list[int]) -> None:
    """A joined slot's scores when a language model scores every pair: each predecessor is weighed."""
    # the history of each predecessor: its own token and the one before it on its best path
    hist = [(p[0] or UNK, (pp_opts[pback[k]][0] or UNK) if pp_opts is not None else BOS)
            for k, p in enumerate(prev_opts)]
    for o in slot.options:
        s = o[0]
        tok = s or UNK
        best, arg = -math.inf, 0
        for k, p in enumerate(prev_opts):
            prev, pp = hist[k]
            sc = prev_scores[k] + w.lm * lm.logp(tok, prev, pp)
            if s is not None and p[0] is not None:
                sc += _pair_bonus(pp if pp_opts is not None else None, p[0], s, vocab, w)
            if sc > best:
                best, arg = sc, k
        row.append(best + local(o))
        brow.append(arg)


def _pair_bonus(pp: Optional[str], prev: Optional[str], s: str, vocab: Vocabulary, w: Weights) -> float:
    """The word-list gain of ``s`` after ``prev``, plus the trigram bonus when ``pp prev s`` is listed."""
    if prev is None:
        return 0.0
    b = vocab.bigrams.get(prev, {}).get(s)
    if b is None:
        return 0.0
    t = vocab.trigrams.get(pp + " " + prev) if pp is not None and w.trigram else None
    return w.bigram * b + (w.trigram if t is not None and s in t else 0.0)


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

    def score(o: Option) -> float:
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
            sc += w.lm * lm.logp(tok, lm_prev, lm_prev2)
            if i + 1 < len(slots) and slots[i + 1].joined:
                sc += w.lm * lm.logp(chosen_at(i + 1) or UNK, tok, lm_prev)
                if i + 2 < len(slots) and slots[i + 2].joined:
                    sc += w.lm * lm.logp(chosen_at(i + 2) or UNK, chosen_at(i + 1) or UNK, tok)
        return sc

    values = [score(o) for o in opts]
    chosen = values[path[i]]
    runner = max(v for j, v in enumerate(values) if j != path[i])
    margin = chosen - runner
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin))))
