"""Position lookups over one paragraph, each a binary search, so the questions asked for every
figure (its sentence, where its clause ends, how deep in brackets it is, the cues and periods
before it) cost no scan of the paragraph: a paragraph of thousands of figures stays linear.

Each answers exactly what the plain scan it replaces answers (``str.rfind``, ``str.count``, a
regex search bounded at the clause's end, a filter over every cue).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate

# what ends a clause after a figure: a bracket, a semicolon, or a full stop that is no decimal point
CLAUSE_END = re.compile(r"[;()]|\.(?!\d)")
# "trong đó", "trong số đó": the figures after it are parts of the total before it
IN_SUM = re.compile(r"\btrong (?:do|so do)\b")
_IN_SUM_LONGEST = len("trong so do")


class Chars:
    """Where one character occurs in a text."""

    def __init__(self, text: str, ch: str):
        self.at = [m.start() for m in re.finditer(re.escape(ch), text)]

    def count(self, start: int, end: int) -> int:
        """``text.count(ch, start, end)``."""
        if start >= end:
            return 0
        return bisect_left(self.at, end) - bisect_left(self.at, start)

    def rfind(self, start: int, end: int) -> int:
        """``text.rfind(ch, start, end)``."""
        i = bisect_left(self.at, end) - 1
        return self.at[i] if i >= 0 and self.at[i] >= start else -1

    def find(self, start: int, end: int) -> int:
        """``text.find(ch, start, end)``."""
        i = bisect_left(self.at, start)
        return self.at[i] if i < len(self.at) and self.at[i] < end else -1


class Paragraph:
    """The lookups of one paragraph (``folded`` is its accent fold, of the same length)."""

    def __init__(self, text: str, folded: str, sentences: Sequence[tuple[int, int]]):
        self.text, self.folded = text, folded
        self.sentences = list(sentences)
        self._sentence_ends = [s[1] for s in self.sentences]
        self.opens, self.closes = Chars(text, "("), Chars(text, ")")
        self.semicolons, self.commas, self.colons = Chars(text, ";"), Chars(text, ","), Chars(text, ":")
        self.newlines = Chars(text, "\n")
        self._clause_ends = [m.start() for m in CLAUSE_END.finditer(text)]
        self._sums = [(m.start(), m.end()) for m in IN_SUM.finditer(folded)]
        self._sum_ends = [e for _, e in self._sums]

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """The sentence holding ``pos`` (or the next one after it), as a scan in order finds it."""
        i = bisect_right(self._sentence_ends, pos)
        if i < len(self.sentences):
            return self.sentences[i]
        return self.sentences[-1] if self.sentences else (0, pos)

    def clause_end(self, pos: int, limit: int) -> int:
        """``CLAUSE_END.search(text, pos, limit)``'s start, else ``limit``. Only the last character
        before ``limit`` can read differently there (a full stop the bound cuts from its digit)."""
        i = bisect_left(self._clause_ends, pos)
        if i < len(self._clause_ends) and self._clause_ends[i] < limit - 1:
            return self._clause_ends[i]
        if limit - 1 >= pos and CLAUSE_END.search(self.text, limit - 1, limit):
            return limit - 1
        return limit

    def depth(self, start: int, pos: int) -> int:
        """Brackets open at ``pos`` counting from ``start``: ``text.count("(", ...) - text.count(")", ...)``."""
        return self.opens.count(start, pos) - self.closes.count(start, pos)

    def last_sum_mark(self, start: int, end: int) -> int | None:
        """Where the last "trong đó" of ``IN_SUM.finditer(folded, start, end)`` starts. A mark that
        ends at the bound matches there only (its closing word boundary is the end), so the last few
        characters are searched bounded; the rest comes from the one search of the whole text."""
        tail = max(start, end - _IN_SUM_LONGEST)
        found = [m.start() for m in IN_SUM.finditer(self.folded, tail, end)]
        if found:
            return found[-1]
        i = bisect_left(self._sum_ends, end) - 1  # marks that end before the bound read as in the whole text
        return self._sums[i][0] if i >= 0 and self._sums[i][0] >= start else None


class Spans:
    """Spans (anything with ``start`` and ``end``) sorted by start, for the ones that lie within a
    stretch; spans are short, so the ones that cross a bound are few and walked over."""

    def __init__(self, spans: Sequence):
        self.spans = sorted(spans, key=lambda s: s.start)
        self._starts = [s.start for s in self.spans]
        self._reach = list(accumulate((s.end for s in self.spans), max))  # furthest end so far

    def covers(self, pos: int) -> bool:
        """``any(s.start <= pos < s.end for s in spans)``."""
        i = bisect_right(self._starts, pos)
        return i > 0 and self._reach[i - 1] > pos

    def within(self, start: int, end: int) -> list:
        """The spans with ``start <= s.start`` and ``s.end <= end``, in order."""
        lo, hi = bisect_left(self._starts, start), bisect_left(self._starts, end)
        return [s for s in self.spans[lo:hi] if s.end <= end]

    def last_within(self, start: int, end: int):
        """The last span of ``within(start, end)``, or None."""
        lo, hi = bisect_left(self._starts, start), bisect_left(self._starts, end)
        for k in range(hi - 1, lo - 1, -1):
            s = self.spans[k]
            if s.end <= end:
                return s  # the ones passed over cross the bound: short spans, so few
        return None

    def first_from(self, pos: int):
        """The first span that starts at ``pos`` or after, or None."""
        i = bisect_left(self._starts, pos)
        return self.spans[i] if i < len(self.spans) else None

    def first_end_within(self, start: int, end: int) -> int | None:
        """The smallest ``s.end`` of ``within(start, end)``, or None."""
        lo, hi = bisect_left(self._starts, start), bisect_left(self._starts, end)
        best = None
        for k in range(lo, hi):
            s = self.spans[k]
            if best is not None and s.start >= best:
                break  # a span starting after the best end ends after it too
            if s.end <= end and (best is None or s.end < best):
                best = s.end
        return best
