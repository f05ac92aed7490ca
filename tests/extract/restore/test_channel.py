"""The OCR channel and the weighted edit cost, against a plain reference implementation."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planscan.extract.restore.channel import INSERT, PRIOR_PAIRS, Channel, edit_cost

_SETTINGS = settings(max_examples=200, deadline=None)

GOLD_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằặéèếềểễệíìịóòỏõọốồổỗộớờởợúùủũụứừửữựýỳ"
PRINTED = GOLD_LETTERS + "0156&¢|'"


def reference_edit_cost(gold: str, printed: str, ch: Channel) -> float:
    """The textbook recursion: the last written letter printed as 0, 1 or 2 characters, or the
    last printed character a stray one; no shortcut for equal lengths."""

    @cache
    def cost(i: int, j: int) -> float:  # gold[:i] printed as printed[:j]
        if i == 0:
            return j * INSERT
        g = gold[i - 1]
        ways = [cost(i - 1, j) + ch.sub(g, "")]
        if j >= 1:
            ways.append(cost(i - 1, j - 1) + ch.sub(g, printed[j - 1]))
            ways.append(cost(i, j - 1) + INSERT)
        if j >= 2:
            ways.append(cost(i - 1, j - 2) + ch.sub(g, printed[j - 2:j]))
        return min(ways)

    return cost(len(gold), len(printed))


def _fresh(ch: Channel) -> Channel:
    """The same channel without its memo, so the twins never share a memoised value."""
    return Channel(table=dict(ch.table), lose_marks=ch.lose_marks, keep=ch.keep, marks_only=ch.marks_only)


costs = st.floats(min_value=0.0, max_value=12.0, allow_nan=False)
# Small alphabets, so that random tables hold the very edits the random strings need.
SMALL_GOLD = "aăđoơư"
SMALL_PRINTED = "ado6&i"
tables = st.dictionaries(st.tuples(st.sampled_from(SMALL_GOLD), st.text(alphabet=SMALL_PRINTED, max_size=2)), costs,
                         max_size=40)
random_channels = st.builds(lambda t, lose, keep: Channel(table=t, lose_marks=lose, keep=keep), tables, costs, costs)


def _check(gold: str, printed: str, ch: Channel) -> None:
    ch = _fresh(ch)
    fast = edit_cost(gold, printed, ch)
    reference = reference_edit_cost(gold, printed, _fresh(ch))
    if len(gold) != len(printed):
        assert fast == pytest.approx(reference, abs=1e-9)
    else:
        # equal lengths take the letter-by-letter sum by design: an upper bound of the full search
        assert fast == pytest.approx(sum(ch.sub(g, p) for g, p in zip(gold, printed)), abs=1e-9)
        assert fast >= reference - 1e-9


@_SETTINGS
@given(st.text(alphabet=SMALL_GOLD, max_size=6), st.text(alphabet=SMALL_PRINTED, max_size=8), random_channels)
def test_edit_cost_agrees_with_the_reference_on_random_channels(gold, printed, ch):
    _check(gold, printed, ch)


@_SETTINGS
@given(st.text(alphabet=GOLD_LETTERS, max_size=7), st.text(alphabet=PRINTED, max_size=8),
       st.sampled_from([Channel.shipped(), Channel.accentless()]))
def test_edit_cost_agrees_with_the_reference_on_the_real_channels(gold, printed, ch):
    _check(gold, printed, ch)


def test_edit_cost_prefers_known_confusions():
    ch = Channel(table={("ư", "ir"): 0.5})
    assert edit_cost("thư", "thir", ch) < edit_cost("thi", "thir", ch)
    assert edit_cost("tổng", "tong", ch) < edit_cost("tổng", "tang", ch)
    assert edit_cost("a", "a", Channel.accentless()) == 0.0


def test_a_table_file_overrides_the_priors(tmp_path):
    table = tmp_path / "t.tsv"
    table.write_text("# written\tprinted\tcost\tcount\nô\té\t9.5\t0\nư\tir\t0.25\t3\nđ\t<none>\t1.5\t1\n",
                     encoding="utf-8")
    ch = Channel.from_file(table)
    assert ch.sub("ô", "é") == 9.5 and ch.sub("ư", "ir") == 0.25 and ch.sub("đ", "") == 1.5
    gold, printed = PRIOR_PAIRS[0]
    assert ch.sub(gold, printed) == 2.0  # the prior shape confusions stay where the table is silent
    assert Channel.shipped().sub("ô", "é") != 9.5


def test_a_missing_table_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        Channel.from_file(tmp_path / "none.tsv")
