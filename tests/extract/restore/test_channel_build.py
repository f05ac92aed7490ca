"""The learnt OCR channel: alignment of rendered source with its OCR, the estimator, the shipped tables."""

from __future__ import annotations

import importlib.util
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from planscan.extract.restore.channel import Channel, edit_cost, read_table

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "planscan" / "extract" / "restore" / "data"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


sys.path.insert(0, str(ROOT / "bench"))
build = _load("build_channel", ROOT / "scripts" / "build_channel.py")
est = build.est


def _mass(path: Path) -> dict[str, float]:
    """Sum of P over each written form's rows."""
    mass: dict[str, float] = defaultdict(float)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            written, _printed, cost, *_ = line.split("\t")
            mass[written] += math.exp(-float(cost))
    return mass


def test_tokens_pair_up_by_position_in_the_line():
    got = list(est.token_pairs("Tong hop 1a ¢6 nha 6\nmét phan", "Tổng hợp là có nhà ở\nmột phần"))
    assert got == [("tổng", "tong"), ("hợp", "hop"), ("là", "1a"), ("có", "¢6"), ("nhà", "nha"), ("ở", "6"),
                   ("một", "mét"), ("phần", "phan")]


def test_a_dropped_or_extra_word_does_not_shift_the_pairs():
    got = dict(est.token_pairs("cac té tién ctia vuong", "các tổ tiên của vương triều"))
    assert got["của"] == "ctia" and got["vương"] == "vuong"
    assert "triều" not in got


def test_unrelated_tokens_are_not_taken_for_an_ocr_error():
    assert list(est.token_pairs("xyz", "hợp")) == []


@pytest.mark.parametrize("gold, printed, outputs", [
    ("ở", "6", [("ở", "6")]),
    ("là", "1a", [("l", "1"), ("à", "a")]),
    ("có", "¢6", [("c", "¢"), ("ó", "6")]),
    ("mà", "rna", [("m", "rn"), ("à", "a")]),
    ("của", "ctia", [("c", "c"), ("ủ", "ti"), ("a", "a")]),
    ("thư", "thir", [("t", "t"), ("h", "h"), ("ư", "ir")]),
    ("một", "mt", [("m", "m"), ("ộ", ""), ("t", "t")]),
])
def test_each_written_letter_gets_what_it_printed_as(gold, printed, outputs):
    assert est.letter_outputs(gold, printed) == outputs


def test_syllable_counts_come_from_aligned_pages(tmp_path):
    (tmp_path / "p.gold.txt").write_text("là có ở\nlà một\n", encoding="utf-8")
    (tmp_path / "p.ocr.txt").write_text("1a ¢6 6\nla mét\n", encoding="utf-8")
    seen, total = build.count_syllables([(tmp_path / "p.ocr.txt", tmp_path / "p.gold.txt")])
    assert total["là"] == 2 and seen[("là", "1a")] == 1 and seen[("là", "la")] == 1
    assert seen[("ở", "6")] == 1


def test_smoothed_letter_rows_are_proper_distributions(tmp_path):
    edits = Counter({("ở", "6"): 30, ("ở", "o"): 50, ("ở", "ở"): 5, ("l", "1"): 10, ("l", "l"): 300,
                     ("ư", "ir"): 4, ("ư", "u"): 40, ("m", "rn"): 2, ("m", "m"): 100})
    totals = Counter()
    for (letter, _out), n in edits.items():
        totals[letter] += n
    est.write_table(edits, totals, tmp_path / "t.tsv", "a test")
    mass = _mass(tmp_path / "t.tsv")
    assert set(mass) >= {"ở", "l", "ư", "m", "ẵ"}  # unseen letters back off, they still get rows
    assert all(p <= 1 + 1e-3 for p in mass.values())
    # smoothing leaves every seen edit some mass, and an attested confusion more than a rare one
    costs = build.read_costs(tmp_path / "t.tsv")
    assert costs[("ở", "6")] < costs[("m", "rn")] < math.inf


def test_syllable_rows_leave_mass_for_unseen_forms(tmp_path):
    seen = Counter({("ở", "6"): 6, ("ở", "o"): 10, ("ở", "ở"): 1, ("là", "1a"): 3, ("là", "la"): 9, ("và", "và"): 9})
    total = Counter()
    for (g, _o), n in seen.items():
        total[g] += n
    build.write_syllables(seen, total, tmp_path / "s.tsv", "a test")
    mass = _mass(tmp_path / "s.tsv")
    assert set(mass) == {"ở", "là"}  # "và" was never printed wrong: no row needed
    assert all(p < 1 for p in mass.values())


@pytest.mark.parametrize("name", ["channel-eng.tsv", "channel-vie.tsv"])
def test_shipped_tables_are_proper(name):
    mass = _mass(DATA / name)
    assert len(mass) >= 80  # every Vietnamese letter
    assert all(p <= 1 + 1e-2 for p in mass.values())


@pytest.mark.parametrize("gold, typical, arbitrary", [
    ("ở", "6", "k"),
    ("là", "1a", "ka"),
    ("có", "c6", "xo"),
    ("một", "mét", "mát"),
    ("như", "nhu", "nhy"),
])
def test_english_channel_prices_typical_confusions_below_arbitrary_ones(gold, typical, arbitrary):
    ch = Channel(table=read_table(DATA / "channel-eng.tsv"))
    assert edit_cost(gold, typical, ch) < edit_cost(gold, arbitrary, ch) - 1.0


def test_vietnamese_channel_keeps_letters_and_reads_hook_as_acute():
    vie, eng = build.read_costs(DATA / "channel-vie.tsv"), build.read_costs(DATA / "channel-eng.tsv")
    # the Vietnamese model prints the letter itself, the English one hardly ever does
    assert vie[("ở", "ở")] < 0.1 < eng.get(("ở", "ở"), math.inf)
    # and its likeliest error on a vowel with the hook is the acute (the mix-up auto mode corrects)
    for hooked, acute in (("ể", "ế"), ("ẩ", "ấ")):
        errors = {o: c for (g, o), c in vie.items() if g == hooked and o != hooked}
        assert min(errors, key=errors.get) == acute
