"""The column-number row forms write under a header ("1 2 3 4 5=4/3"): told apart from header words."""

from __future__ import annotations

import re

# Letters, digits and the formulas forms write under a header ("5=4/3").
_COLUMN_NUMBER = re.compile(r"^\(?[A-Za-z0-9]{1,3}\)?(?:\s*[=*/+\-x×:]\s*\(?[A-Za-z0-9]{1,3}\)?)*$")


def is_column_numbers(texts: list[str]) -> bool:
    """Most cells of the row filled, and every filled one a column number or formula."""
    filled = [t for t in texts if t.strip()]
    return len(filled) >= max(2, len(texts) // 2) and all(_COLUMN_NUMBER.match(t.strip()) for t in filled)
