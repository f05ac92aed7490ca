"""The OCR channel: how likely an OCR engine turns a written letter into what it printed.

Costs are negative log probabilities of character edits, ``cost(gold letter -> OCR string)``,
where the OCR string has 0 (dropped), 1 or 2 characters ("ư" -> "ir", "m" -> "rn"). They are
estimated from aligned (OCR, correct) text by ``bench/estimate_confusion.py`` into
``data/confusion.tsv``; edits the table has not seen fall back to general priors: losing a
diacritic is cheap, changing the base letter is dear.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from planscan.extract.text.syllables import key_of

# Prior costs (nats) for edits the table does not cover.
KEEP = 0.05  # a letter read as itself
LOSE_MARKS = 0.9  # "ổ" read as "o": the usual English-model result
OTHER_MARKS = 1.6  # "ổ" read as "é" or "ó": same base letter, wrong marks
SUBSTITUTE = 6.0
DROP = 5.0
INSERT = 5.0
IDENTITY_CAP = 0.5

# Well-known shapes English OCR confuses, as (gold, printed); a seed the estimate refines.
PRIOR_PAIRS = [
    ("o", "6"), ("ó", "6"), ("ô", "6"), ("ố", "6"), ("ộ", "6"), ("ồ", "6"), ("ỏ", "6"), ("ổ", "6"),
    ("ơ", "&"), ("ở", "&"), ("ờ", "&"), ("ớ", "&"), ("ợ", "&"), ("ế", "&"), ("ể", "&"),
    ("c", "¢"), ("l", "1"), ("i", "1"), ("ì", "1"), ("í", "1"), ("l", "I"), ("o", "0"),
    ("đ", "d"), ("đ", "p"), ("đ", "ð"), ("s", "5"), ("ư", "w"), ("ư", "ir"), ("ư", "uw"), ("ư", "u'"),
    ("ư", "iv"), ("ữ", "ir"), ("ứ", "ir"), ("ừ", "ir"), ("ự", "ir"), ("ử", "ir"),
    ("m", "rn"), ("m", "rm"), ("n", "ri"), ("h", "li"), ("đ", "dd"),
]


@dataclass
class Channel:
    table: dict[tuple[str, str], float] = field(default_factory=dict)
    lose_marks: float = LOSE_MARKS
    keep: float = KEEP
    _memo: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)

    def sub(self, gold: str, printed: str) -> float:
        """Cost of the written letter ``gold`` printed as ``printed`` (0-2 characters); memoised."""
        pair = (gold, printed)
        got = self._memo.get(pair)
        if got is None:
            got = self._memo[pair] = self._sub(gold, printed)
        return got

    def _sub(self, gold: str, printed: str) -> float:
        got = self.table.get((gold, printed))
        if gold == printed:
            # A letter printed as itself is always a fair reading, even where the estimated engine
            # (one without Vietnamese) never managed it.
            return min(got, IDENTITY_CAP) if got is not None else self.keep
        if got is not None:
            return got
        if len(printed) == 1:
            base = key_of(gold)
            if base == printed:
                return self.lose_marks
            if base == key_of(printed):
                return OTHER_MARKS
        if printed == "":
            return DROP
        return SUBSTITUTE * len(printed)


_TABLE_OVERRIDE: list[Path] = []


def _table_path() -> Path:
    if _TABLE_OVERRIDE:
        return _TABLE_OVERRIDE[-1]
    return Path(str(resources.files("planscan.extract.restore") / "data" / "confusion.tsv"))


def use_table(path: Path | None) -> None:
    """Use the confusion table at ``path`` (one estimated for another OCR engine) from now on;
    None goes back to the shipped table. Clears every cache that depends on the channel."""
    _TABLE_OVERRIDE.clear()
    if path is not None:
        _TABLE_OVERRIDE.append(Path(path))
    channel.cache_clear()
    from planscan.extract.restore import candidates, restorer as restore

    candidates._reverse.cache_clear()
    candidates.candidates.cache_clear()
    restore._options.cache_clear()


def read_table(path: Path | None = None) -> dict[tuple[str, str], float]:
    table: dict[tuple[str, str], float] = {}
    for g, o in PRIOR_PAIRS:
        table[(g, o)] = 2.0
    p = path or _table_path()
    if p.exists():
        for line in p.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            g, o, cost = parts[0], parts[1], parts[2]
            try:
                table[(_unescape(g), _unescape(o))] = float(cost)
            except ValueError:
                continue
    return table


def _unescape(s: str) -> str:
    return "" if s == "<none>" else s.replace("\\t", "\t").replace("\\s", " ")


def escape(s: str) -> str:
    return "<none>" if s == "" else s.replace("\t", "\\t").replace(" ", "\\s")


@lru_cache(maxsize=2)
def channel(kind: str = "ocr") -> Channel:
    """'ocr': learned English-OCR channel; 'strip': text typed without diacritics (losing them is free)."""
    if kind == "strip":
        return Channel(table={}, lose_marks=0.0, keep=0.0)
    return Channel(table=read_table())


def edit_cost(gold: str, printed: str, ch: Channel) -> float:
    """Cheapest way for the written syllable ``gold`` to come out as ``printed``.

    Each gold letter prints as 0, 1 or 2 characters; stray printed characters cost INSERT. Equal
    lengths take the letter-by-letter sum: the usual English-OCR error keeps the length, and the
    full table would only rarely find a cheaper path.
    """
    n, m = len(gold), len(printed)
    memo = ch._memo
    sub = ch.sub
    if n == m:
        total = 0.0
        for pair in zip(gold, printed):
            c = memo.get(pair)
            total += c if c is not None else sub(*pair)
        return total
    inf = math.inf
    prev = [j * INSERT for j in range(m + 1)]
    for i in range(1, n + 1):
        g = gold[i - 1]
        drop = sub(g, "")
        cur = [prev[0] + drop] + [inf] * m
        for j in range(1, m + 1):
            best = prev[j - 1] + sub(g, printed[j - 1])
            c = prev[j] + drop
            if c < best:
                best = c
            if j >= 2:
                c = prev[j - 2] + sub(g, printed[j - 2 : j])
                if c < best:
                    best = c
            c = cur[j - 1] + INSERT
            if c < best:
                best = c
            cur[j] = best
        prev = cur
    return prev[m]
