"""The accent-free comparable form of an indicator label, and its slug.

Both the catalogue (to match aliases) and the keys (to name what the catalogue lacks) need it,
so it sits below them.
"""

from __future__ import annotations

import re

from planscan.extract.text.fold import fold_words

_NON_WORD = re.compile(r"[^a-z0-9%/]+")
# "Số", "Tổng số", "Số lượng" only say "the number of"; "Tỷ lệ" stays, since a rate is not a count.
# "teng"/"t0ng" are how an English OCR model reads "tổng".
_FILLER_PREFIX = re.compile(r"^(?:t[oe0]ng so luong|t[oe0]ng so|so luong|t[oe0]ng|so)\s+(?=\S{2})")
# A change statement's tail ("tăng M trạm so với cùng kỳ năm Y") is not part of what is measured.
_CHANGE_TAIL = re.compile(
    r"\s*[,(]?\s*(?:tang|giam|dat|bang)?\s*(?:\d[\d.,]*\s*\S*\s*)?so voi (?:cung ky|nam truoc|ke hoach).*$"
)
_TRAILING_CHANGE = re.compile(r"\s+(?:tang|giam|tang them|giam di)$")
# Where and when a figure holds is its context, not its identity: "Tổng số trạm BTS trên địa bàn",
# "... đến cuối năm" and "Số trạm BTS" are one indicator (the period is a field of its own).
_CONTEXT_TAIL = re.compile(
    r"(?:,?\s+tren dia ban(?: (?:huyen|tinh|thi xa|thanh pho|xa|thi tran))?"
    r"|,?\s+(?:tren )?toan (?:huyen|tinh|thi xa|thanh pho|xa|thi tran)"
    r"|,?\s+(?:den|tinh den|vao)? ?(?:cuoi|dau) nam(?: \d{4})?"
    r"|,?\s+(?:den nay|hien nay|hien co|hien tai)"
    r"|,?\s+(?:nam|trong nam) \d{4}"
    r"|,?\s+\d{1,2} thang (?:dau|cuoi) nam(?: \d{4})?)$"
)
_SPELLING = [(re.compile(r"\bti le\b"), "ty le"), (re.compile(r"\bti trong\b"), "ty trong")]
_MAX_SLUG = 80


def normalise_label(label: str, unit: str | None = None) -> str:
    """The accent-free comparable form of a label: filler words and change tails dropped, and
    "tỷ lệ" prefixed when the unit is a percentage and the label does not already say so.
    Pass ``unit=None`` for a relative figure ("tăng 3,9 %"), whose % is not a rate."""
    s = fold_words(label)
    for pattern, repl in _SPELLING:
        s = pattern.sub(repl, s)
    s = _CHANGE_TAIL.sub("", s)
    s = _TRAILING_CHANGE.sub("", s)
    s = re.sub(r"[\s:;.\-]+$", "", s).strip()
    for _ in range(3):  # "... trên địa bàn huyện đến cuối năm 2020"
        t = _CONTEXT_TAIL.sub("", s).strip()
        if t == s or len(t.split()) < 2:
            break
        s = t
    s = _FILLER_PREFIX.sub("", s)
    if unit is not None and unit.strip() == "%" and not re.match(r"(?:ty le|ty trong|toc do|muc)\b", s):
        s = "ty le " + s
    return " ".join(s.split())


def slug(text: str) -> str:
    """Accent-insensitive snake_case slug; never empty."""
    s = _NON_WORD.sub("_", fold_words(text).replace("%", "pct").replace("/", "_per_")).strip("_")
    s = re.sub(r"_+", "_", s)
    if len(s) > _MAX_SLUG:
        s = s[:_MAX_SLUG].rsplit("_", 1)[0]
    return s or "unnamed"
