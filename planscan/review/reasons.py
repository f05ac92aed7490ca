"""Why a figure has its kind and its period, in a few words a reviewer can check against the text:
the cue phrases of its source text (the ones the extractor's matcher reads), or where the period
came from when the text does not state one."""

from __future__ import annotations

import re
from functools import lru_cache

from planscan.extract.indicators.cues import CUE_PHRASES
from planscan.extract.text.fold import fold_words

_KIND_CUES = ("ESTIMATE", "TARGET", "PLAN_GIVEN", "CURRENT", "UP", "DOWN", "VS_PRIOR", "VS_PLAN")


@lru_cache(maxsize=None)
def _cue_pattern(label: str) -> tuple[re.Pattern, dict[str, int]]:
    """One pattern finding every phrase of cue ``label`` as whole words, overlapping ones too (a
    lookahead at each place), and each phrase's rank: longest first, as the matcher prefers."""
    ranked = sorted(CUE_PHRASES[label], key=len, reverse=True)
    alternatives = "|".join(re.escape(p) for p in ranked)
    return re.compile(rf"(?=(?<!\w)({alternatives})(?!\w))"), {p: i for i, p in reversed(list(enumerate(ranked)))}


def kind_reason(kind: str, text: str, section: list[str]) -> str:
    folded = f" {fold_words(text or '')} "
    found = []
    for label in _KIND_CUES:
        pattern, rank = _cue_pattern(label)
        phrases = {m.group(1) for m in pattern.finditer(folded)}
        if phrases:
            found.append(f"{label.lower().replace('_', ' ')}: “{min(phrases, key=rank.__getitem__)}”")
    if found:
        return "; ".join(found)
    if kind == "target" and section:
        return f"plan section: {section[-1][:60]}"
    return "no cue word: a stated figure" if kind == "actual" else "from its context"


def period_reason(period: str | None, text: str, section: list[str]) -> str:
    if not period:
        return "no period found"
    if fold_words(period) in fold_words(text or ""):
        return "stated with the figure"
    for heading in reversed(section or []):
        if fold_words(period) in fold_words(heading):
            return f"from the heading: {heading[:60]}"
    return "from the document's report period"
