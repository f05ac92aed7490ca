"""What a document itself says about its own words: the pairs it spells correctly somewhere.

A name or term the document writes with its diacritics in a heading or a correct line ("Mỹ Tho",
"quỹ đất") is the strongest evidence for an accent-less or garbled occurrence of it elsewhere in
the same document. ``DocumentContext`` collects the syllable pairs of the document's correct lines
and lends the decoder a language model that gives each of them at least DOC_LOGP.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence
from typing import Optional

from planscan.extract.restore.decode import LanguageModel, row_of
from planscan.extract.text.syllables import canonical, has_marks

# A pair the document spells itself is at least this likely (natural log; about one in two).
DOC_LOGP = -0.7
# A line is taken as correctly spelled when it has this many words, every one a known syllable,
# and this share of them marked: OCR garble makes unknown syllables long before it makes a line
# of valid ones.
MIN_WORDS = 4
MIN_MARKED = 0.3
_WORD = re.compile(r"[^\W\d_]+")
_RUN_BREAK = re.compile(r"[^\w\s]")


class DocumentContext:
    """The syllable pairs of a document's correct lines, and a language model that prefers them."""

    def __init__(self, lines: Iterable[str], known: Container[str]) -> None:
        self.pairs: set[tuple[str, str]] = set()
        for line in lines:
            if _correct(line, known):
                for run in _RUN_BREAK.split(line):
                    sylls = [canonical(w.lower()) for w in _WORD.findall(run)]
                    self.pairs.update(zip(sylls, sylls[1:]))

    def model(self, lm: LanguageModel) -> LanguageModel:
        """``lm`` with this document's pairs raised to at least DOC_LOGP (``lm`` itself when the
        document spells no pair)."""
        return _WithPairs(lm, self.pairs) if self.pairs else lm


def _correct(line: str, known: Container[str]) -> bool:
    words = _WORD.findall(line)
    if len(words) < MIN_WORDS or any(canonical(w.lower()) not in known for w in words):
        return False
    return sum(1 for w in words if has_marks(w)) >= MIN_MARKED * len(words)


class _WithPairs:
    def __init__(self, lm: LanguageModel, pairs: set[tuple[str, str]]) -> None:
        self.lm = lm
        self.pairs = pairs
        self._row = row_of(lm)
        # the syllables a pair starts with: most contexts start none, and need no pair looked up
        self._firsts = {a for a, _b in pairs}

    def row(self, words: tuple[str, ...], prev1: str, prev2: Optional[str] = None) -> Sequence[float]:
        got = self._row(words, prev1, prev2)
        if prev1 not in self._firsts:
            return got
        pairs = self.pairs
        return [DOC_LOGP if (prev1, w) in pairs and v < DOC_LOGP else v for w, v in zip(words, got)]

    def logp(self, w: str, prev1: Optional[str] = None, prev2: Optional[str] = None) -> float:
        v = self.lm.logp(w, prev1, prev2)
        if (prev1, w) in self.pairs and v < DOC_LOGP:
            return DOC_LOGP
        return v
