"""Candidate syllables of printed tokens, under the OCR and the accent-less channel."""

from __future__ import annotations

import pytest

from planscan.extract.restore.candidates import CandidateGenerator, simple_key
from planscan.extract.restore.channel import Channel
from planscan.extract.restore.vocabulary import load
from planscan.extract.text.syllables import key_of


@pytest.fixture(scope="module")
def ocr() -> CandidateGenerator:
    return CandidateGenerator(load(), Channel.shipped())


@pytest.fixture(scope="module")
def strip() -> CandidateGenerator:
    return CandidateGenerator(load(), Channel.accentless())


@pytest.mark.parametrize(
    "printed, expected",
    [("téng", "tổng"), ("¢6", "có"), ("1ap", "lập"), ("ddu", "đầu"), ("tudn", "tuần"), ("thir", "thứ"),
     ("uwéc", "ước"), ("nude", "nước"), ("x4", "xã")],
)
def test_ocr_garble_has_the_right_candidate(ocr, printed, expected):
    assert expected in [c.syllable for c in ocr.candidates(printed)]


def test_strip_channel_only_offers_readings_of_the_same_letters(strip):
    got = [c.syllable for c in strip.candidates("tuan")]
    assert all(key_of(s) == "tuan" for s in got)
    assert "tuần" in got


def test_candidates_cheapest_reading_is_the_exact_match(ocr):
    got = ocr.candidates("tháng")
    assert min(got, key=lambda c: c.cost).syllable == "tháng"


def test_generators_of_two_channels_do_not_share_a_cache():
    """The same token under two channels: each generator answers from its own channel."""
    vocab = load()
    to_o = CandidateGenerator(vocab, Channel(table={("ô", "6"): 0.1}))
    to_oi = CandidateGenerator(vocab, Channel(table={("ớ", "6"): 0.1}))
    first = {c.syllable: c.cost for c in to_o.candidates("m6i")}
    second = {c.syllable: c.cost for c in to_oi.candidates("m6i")}
    assert first["môi"] < 1.0 < first["mới"]
    assert second["mới"] < 1.0 < second["môi"]


def test_simple_key_maps_ocr_symbols():
    assert simple_key("¢6") == "co"
    assert simple_key("burn") == "bum"
