"""The OCR channel: how likely an OCR engine turns a written letter into what it printed.

Costs are negative log probabilities of character edits, ``cost(gold letter -> OCR string)``,
where the OCR string has 0 (dropped), 1 or 2 characters ("ư" -> "ir", "m" -> "rn"). They are
learnt by ``scripts/build_channel.py`` from general text rendered, degraded and read by the
engine (``data/channel-eng.tsv`` for Tesseract's English model, ``data/channel-vie.tsv`` for its
Vietnamese one); edits the table has not seen fall back to general priors: losing a
diacritic is cheap, changing the base letter is dear.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterator

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


# The table learnt for Tesseract's English model, shipped with the package.
SHIPPED_TABLE = Path(str(resources.files("planscan.extract.restore") / "data" / "channel-eng.tsv"))


@dataclass
class Channel:
    table: dict[tuple[str, str], float] = field(default_factory=dict)
    # printed token -> [(written short syllable, cost)]: whole-token misreadings the letter table
    # misjudges ("6" for "ở", "1a" for "là"), from the channel's syllable table
    syllables: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    lose_marks: float = LOSE_MARKS
    keep: float = KEEP
    # The text kept every letter and lost only marks (typed without diacritics): candidates are
    # the key's own syllables, with no misread letters, stray characters or moved tones.
    marks_only: bool = False
    _memo: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)

    @classmethod
    def from_file(cls, path: Path | str) -> Channel:
        """The OCR channel of the letter table at ``path`` (as scripts/build_channel.py and
        bench/estimate_confusion.py write it), with the syllable table beside it when there is one
        (``channel-syllables-eng.tsv`` beside ``channel-eng.tsv``)."""
        path = Path(path)
        beside = path.with_name(path.name.replace("channel-", "channel-syllables-", 1))
        syllables = read_syllables(beside) if beside != path and beside.exists() else {}
        return cls(table=read_table(path), syllables=syllables)

    @classmethod
    def shipped(cls) -> Channel:
        """The OCR channel of the shipped table: Tesseract's English model reading Vietnamese."""
        return cls.from_file(SHIPPED_TABLE)

    @classmethod
    def accentless(cls) -> Channel:
        """Text typed without diacritics: losing them is free, every letter is as written."""
        return cls(table={}, lose_marks=0.0, keep=0.0, marks_only=True)

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


def _rows(path: Path) -> Iterator[tuple[str, str, float]]:
    """(written, printed, cost) of each row of a channel table; comments and broken rows skipped."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            continue
        try:
            cost = float(parts[2])
        except ValueError:
            continue
        yield _unescape(parts[0]), _unescape(parts[1]), cost


def read_table(path: Path) -> dict[tuple[str, str], float]:
    """The prior shape confusions, overridden by the costs of the table at ``path``."""
    table: dict[tuple[str, str], float] = {(g, o): 2.0 for g, o in PRIOR_PAIRS}
    for g, o, cost in _rows(path):
        table[(g, o)] = cost
    return table


def read_syllables(path: Path) -> dict[str, list[tuple[str, float]]]:
    """printed -> [(written syllable, cost)], cheapest first, from a syllable table at ``path``."""
    out: dict[str, list[tuple[str, float]]] = {}
    for written, printed, cost in _rows(path):
        out.setdefault(printed, []).append((written, cost))
    for v in out.values():
        v.sort(key=lambda sc: sc[1])
    return out


def _unescape(s: str) -> str:
    return "" if s == "<none>" else s.replace("\\t", "\t").replace("\\s", " ")


def escape(s: str) -> str:
    return "<none>" if s == "" else s.replace("\t", "\\t").replace(" ", "\\s")


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
