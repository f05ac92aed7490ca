"""A synthetic English-OCR channel: correct Vietnamese text garbled as the learnt channel prints it.

Samples, for each word, the printed form from the shipped channel tables
(planscan/extract/restore/data/channel-eng.tsv and channel-syllables-eng.tsv, learnt from rendered
general text by scripts/build_channel.py): a short syllable the syllable table lists is printed as
one of its whole-token forms with the table's probability (the rest of its mass goes to the letter
table); every other letter is printed by the letter table's row. Digits, punctuation, spaces and
line breaks stay as they are, so the output is line-aligned with its input. Seeded: the same text
and seed give the same output.
"""

from __future__ import annotations

import math
import random
import re
from bisect import bisect_left
from itertools import accumulate
from pathlib import Path

from planscan.extract.restore.channel import _unescape
from planscan.extract.text.syllables import apply_case, canonical, case_pattern

DATA = Path(__file__).resolve().parents[1] / "planscan" / "extract" / "restore" / "data"
_WORD = re.compile(r"[^\W\d_]+")


def _rows(path: Path) -> dict[str, list[tuple[str, float]]]:
    rows: dict[str, list[tuple[str, float]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        g, o, cost = line.split("\t")[:3]
        rows.setdefault(_unescape(g), []).append((_unescape(o), math.exp(-float(cost))))
    return rows


class SyntheticOCR:
    def __init__(self, engine: str = "eng") -> None:
        self.letters = {g: self._sampler(r) for g, r in _rows(DATA / f"channel-{engine}.tsv").items()}
        self.syllables = {g: self._sampler(r, rest=True) for g, r in
                          _rows(DATA / f"channel-syllables-{engine}.tsv").items()}

    @staticmethod
    def _sampler(row: list[tuple[str, float]], rest: bool = False) -> tuple[list[str], list[float]]:
        forms = [o for o, _p in row]
        probs = [p for _o, p in row]
        total = sum(probs)
        if rest and total < 1.0:
            forms.append("")  # None below: spell it letter by letter
            probs.append(1.0 - total)
            total = 1.0
        return forms, [c / total for c in accumulate(probs)]

    @staticmethod
    def _draw(sampler: tuple[list[str], list[float]], rnd: random.Random) -> str:
        forms, cum = sampler
        return forms[min(bisect_left(cum, rnd.random()), len(forms) - 1)]

    def word(self, word: str, rnd: random.Random) -> str:
        lower = word.lower()
        pattern = case_pattern(word)
        syl = self.syllables.get(canonical(lower))
        if syl is not None:
            printed = self._draw(syl, rnd)
            if printed:
                return apply_case(printed, pattern) if pattern != "lower" else printed
        out = []
        for c in lower:
            s = self.letters.get(c)
            out.append(self._draw(s, rnd) if s is not None else c)
        printed = "".join(out) or lower[:1]
        return apply_case(printed, pattern) if pattern != "lower" else printed

    def text(self, text: str, seed: int = 1) -> str:
        rnd = random.Random(seed)
        return _WORD.sub(lambda m: self.word(m.group(), rnd), text)
