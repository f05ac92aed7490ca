"""The candidate search's fast paths agree with their plain reference twins on any token."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from planscan.extract.restore import candidates as cands
from planscan.extract.restore.candidates import CandidateGenerator
from planscan.extract.restore.channel import Channel
from planscan.extract.restore.vocabulary import load

# letters, marked letters and what English OCR prints for them
_PRINTED = "abcdeghiklmnopqrstuvxyđéôưàạ6¢&ð1@|0"
tokens = st.text(alphabet=_PRINTED, min_size=1, max_size=9)


@pytest.fixture(scope="module")
def ocr() -> CandidateGenerator:
    return CandidateGenerator(load(), Channel.shipped())


def plain_walk(gen: CandidateGenerator, token: str, budget: float, free0: int) -> dict[str, float]:
    """The key walk written plainly: every extension built as a string and tested against the
    vocabulary's prefixes, every state pushed."""
    rev = gen.reverse()
    prefixes, by_key = gen.vocab.key_prefixes, gen.vocab.by_key
    n = len(token)
    found: dict[str, float] = {}
    stack = [(0, "", 0.0, free0, 1)]
    seen: dict[tuple[int, str, int, int], float] = {}
    steps = 0
    while stack and steps < cands.MAX_STEPS:
        steps += 1
        i, key, cost, free, drops = stack.pop()
        if seen.get((i, key, free, drops), 1e9) <= cost:
            continue
        seen[(i, key, free, drops)] = cost
        if drops:
            for k, c in rev.get("", ()):
                if cost + c <= budget and key + k in prefixes:
                    stack.append((i, key + k, cost + c, free, drops - 1))
        if i == n:
            if key in by_key and cost < found.get(key, 1e9):
                found[key] = cost
            if free:
                for c in cands._LETTERS:
                    if key + c in prefixes and cost + cands.FREE_EDIT <= budget:
                        stack.append((i, key + c, cost + cands.FREE_EDIT, free - 1, drops))
            continue
        for span in (1, 2):
            if i + span > n:
                break
            for k, c in rev.get(token[i:i + span], ()):
                if cost + c <= budget and key + k in prefixes:
                    stack.append((i + span, key + k, cost + c, free, drops))
        if free and cost + cands.FREE_EDIT <= budget:
            nc = cost + cands.FREE_EDIT
            stack.append((i + 1, key, nc, free - 1, drops))
            for c in cands._LETTERS:
                if key + c in prefixes:
                    stack.append((i + 1, key + c, nc, free - 1, drops))
    return found


@settings(max_examples=150, deadline=None)
@given(token=tokens, free0=st.integers(0, 2))
def test_walk_finds_what_the_plain_walk_finds(ocr, token, free0):
    assert ocr._walk(token, cands.WALK_BUDGET, free0) == plain_walk(ocr, token, cands.WALK_BUDGET, free0)


@settings(max_examples=200, deadline=None)
@given(query=st.text(alphabet="abcdeghiklmnopqrstuvxy", min_size=2, max_size=9), within=st.integers(1, 2))
def test_nearest_keys_of_near_lengths_are_the_nearest_of_all(ocr, query, within):
    def nearest(keys: list[str]) -> list[tuple[str, float]]:
        return [(k, d) for k, d, _ in process.extract(query, keys, scorer=Levenshtein.distance,
                                                      score_cutoff=within, limit=12)]

    assert nearest(ocr._near_length(len(query), within)) == nearest(ocr.vocab.keys)
