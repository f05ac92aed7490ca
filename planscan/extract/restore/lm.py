"""Syllable trigram language model from general Vietnamese text, for the restoration decoder.

The table in data/lm/ is built by scripts/build_lm.py from ../shared/text-corpus (legal texts and
Wikipedia; see data/README.md): interpolated modified Kneser–Ney, pruned, stored in back-off form
so a lookup is at most three binary searches, each within one context's row. Token ids are
uint16; probabilities are natural logs (float16 for bigrams and trigrams).

Tokens are canonical syllables (planscan.extract.text.syllables.canonical), ``<num>`` for a
number, ``<unk>`` for anything else, ``<s>`` and ``</s>`` around a run of words between punctuation.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Optional

import numpy as np

UNK, BOS, EOS, NUM = "<unk>", "<s>", "</s>", "<num>"
FORMAT = 2
# log of the share of <unk>'s mass one word outside the table gets: <unk> stands for the
# syllables seen once, foreign words and other scripts, tens of thousands of types
OOV_LOGP = -9.0
# memoised lookups before the memo is emptied: a document's lattice asks the same n-grams again
_MEMO_LIMIT = 1 << 18
# rows memoised before that memo is emptied (a row of nine costs about 600 bytes)
_ROW_LIMIT = 1 << 16


class LanguageModel:
    def __init__(self, directory: Path) -> None:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{directory}: language model format {meta.get('format')}, expected {FORMAT}; rebuild it with scripts/build_lm.py")
        self.stats: dict = meta["stats"]
        self.vocabulary: list[str] = (directory / "vocab.txt").read_text(encoding="utf-8").splitlines()
        self._ids = {s: i for i, s in enumerate(self.vocabulary)}
        self._unk = self._ids[UNK]

        def array(name: str) -> np.ndarray:
            # read whole (16 MB): a memory map would page-fault on the first queries instead
            return np.load(directory / f"{name}.npy")

        # Python lists for what a lookup bisects: bisect and item compares on a list cost a fraction
        # of numpy's per-call overhead on a scalar. Bigrams of context v are
        # bi_w[bi_start[v]:bi_start[v + 1]]; trigrams whose context is the bigram at index j are
        # tri_w[tri_start[j]:tri_start[j + 1]]; each row sorted, so a search spans one row.
        self._bi_start: list[int] = array("bi_start").tolist()
        self._bi_w: list[int] = array("bi_w").tolist()
        self._tri_start: list[int] = array("tri_start").tolist()
        self._tri_w: list[int] = array("tri_w").tolist()
        self._uni_logp: list[float] = array("uni_logp").tolist()
        self._uni_backoff: list[float] = array("uni_backoff").tolist()
        self._uni_case = array("uni_case")
        # float16 on disk; float32 memory views for lookups: indexing one gives a Python float at a
        # third of the cost of a numpy scalar, and every float16 value is exact in float32
        self._bi_logp = memoryview(array("bi_logp").astype(np.float32))
        self._bi_backoff = memoryview(array("bi_backoff").astype(np.float32))
        self._bi_case = array("bi_case")
        self._tri_logp = memoryview(array("tri_logp").astype(np.float32))
        self._memo: dict[tuple, float] = {}
        self._rows: dict[tuple, tuple[float, ...]] = {}

    @classmethod
    def load(cls, directory: Path) -> "LanguageModel":
        return cls(Path(directory))

    @classmethod
    def shipped(cls) -> "LanguageModel":
        """The table that ships in the package, loaded once on first use."""
        return _shipped()

    def __contains__(self, token: str) -> bool:
        return token in self._ids

    def token_id(self, token: Optional[str]) -> int:
        """Id of a canonical syllable or special token; <unk> for one the table does not know."""
        return self._ids.get(token, self._unk) if token is not None else -1

    def logp(self, w: str, prev1: Optional[str] = None, prev2: Optional[str] = None) -> float:
        """Natural log of p(w | prev2 prev1); a context of None is unknown (backs off past it).

        A word outside the table gets <unk>'s probability times OOV_LOGP's share; ``<unk>`` itself
        (a token kept as printed) gets all of it.

        Pass ``<s>`` as prev1 for the first syllable after a boundary. prev2 is ignored without prev1.
        """
        key = (w, prev1, prev2)
        v = self._memo.get(key)
        if v is None:
            ids = self._ids
            unk = self._unk
            wid = ids.get(w)
            v = self.logp_ids(
                unk if wid is None else wid,
                ids.get(prev1, unk) if prev1 is not None else -1,
                ids.get(prev2, unk) if (prev2 is not None and prev1 is not None) else -1,
            )
            if wid is None:
                v += OOV_LOGP  # <unk> is thousands of words: this one has a share of its mass
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = v
        return v

    def row(self, words: tuple[str, ...], prev1: str, prev2: Optional[str] = None) -> tuple[float, ...]:
        """``logp(w, prev1, prev2)`` of each of ``words``, memoised by the whole row: the decoder asks
        for one slot's options after each of the previous slot's, and the context is looked up once
        for all of them."""
        key = (words, prev1, prev2)
        got = self._rows.get(key)
        if got is not None:
            return got
        ids, unk = self._ids, self._unk
        bi_start, bi_w, bi_logp = self._bi_start, self._bi_w, self._bi_logp
        uni_logp = self._uni_logp
        v = ids.get(prev1, unk)
        # the trigram row of the context, when it has one; else every word backs off to the bigram
        tlo = thi = 0
        backoff = 0.0
        if prev2 is not None:
            u = ids.get(prev2, unk)
            lo, hi = bi_start[u], bi_start[u + 1]
            c = bisect_left(bi_w, v, lo, hi)
            if c < hi and bi_w[c] == v:
                tlo, thi = self._tri_start[c], self._tri_start[c + 1]
                if tlo < thi:
                    backoff = self._bi_backoff[c]
        tri_w, tri_logp = self._tri_w, self._tri_logp
        blo, bhi = bi_start[v], bi_start[v + 1]
        unseen = backoff + self._uni_backoff[v]
        out = []
        for w in words:
            wid = ids.get(w)
            x = unk if wid is None else wid
            if tlo < thi:
                i = bisect_left(tri_w, x, tlo, thi)
                if i < thi and tri_w[i] == x:
                    out.append(tri_logp[i] if wid is not None else tri_logp[i] + OOV_LOGP)
                    continue
            j = bisect_left(bi_w, x, blo, bhi)
            lp = backoff + bi_logp[j] if j < bhi and bi_w[j] == x else unseen + uni_logp[x]
            out.append(lp if wid is not None else lp + OOV_LOGP)
        got = tuple(out)
        if len(self._rows) >= _ROW_LIMIT:
            self._rows.clear()
        self._rows[key] = got
        return got

    def logp_ids(self, w: int, v: int = -1, u: int = -1) -> float:
        """logp on token ids (-1 for no context)."""
        if v < 0:
            return self._uni_logp[w]
        bi_start, bi_w = self._bi_start, self._bi_w
        backoff = 0.0
        if u >= 0:
            lo, hi = bi_start[u], bi_start[u + 1]
            c = bisect_left(bi_w, v, lo, hi)
            if c < hi and bi_w[c] == v:
                lo, hi = self._tri_start[c], self._tri_start[c + 1]
                if lo < hi:
                    tri_w = self._tri_w
                    i = bisect_left(tri_w, w, lo, hi)
                    if i < hi and tri_w[i] == w:
                        return self._tri_logp[i]
                    backoff = self._bi_backoff[c]
        j = self._bigram(v, w)
        if j >= 0:
            return backoff + self._bi_logp[j]
        return backoff + self._uni_backoff[v] + self._uni_logp[w]

    def _bigram(self, v: int, w: int) -> int:
        """Index of the bigram (v, w) in the table, or -1."""
        lo, hi = self._bi_start[v], self._bi_start[v + 1]
        j = bisect_left(self._bi_w, w, lo, hi)
        return j if j < hi and self._bi_w[j] == w else -1

    def count_case(self, syl: str) -> tuple[int, int]:
        """(capitalised, lower-case) occurrences of a syllable in running text of the corpus."""
        i = self._ids.get(syl)
        if i is None:
            return 0, 0
        cap, low = self._uni_case[i]
        return int(cap), int(low)

    def case_ratio(self, syl: str) -> float:
        """Share of a syllable's running-text occurrences written with a capital (0 when unseen)."""
        cap, low = self.count_case(syl)
        return cap / (cap + low + 1)

    def pair_case_ratio(self, prev: str, syl: str) -> float:
        """Share of a kept bigram's running-text occurrences with both syllables capitalised."""
        ids = self._ids
        a, b = ids.get(prev), ids.get(syl)
        if a is None or b is None:
            return 0.0
        j = self._bigram(a, b)
        return int(self._bi_case[j]) / 255.0 if j >= 0 else 0.0


@lru_cache(maxsize=1)
def _shipped() -> LanguageModel:
    return LanguageModel(Path(str(resources.files("planscan.extract.restore") / "data" / "lm")))
