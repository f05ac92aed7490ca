"""The syllable language model: its build on invented text, and the table that ships."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planscan.extract.restore.document import DocumentContext
from planscan.extract.restore.lm import BOS, EOS, NUM, OOV_LOGP, UNK, LanguageModel

_SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "build_lm.py"


def _load_build():
    spec = importlib.util.spec_from_file_location("build_lm", _SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_lm = _load_build()

# invented sentences; "Sơn Trà" is written as a name in running text, "sông" only in lower case,
# "Hôm" only at the start of a sentence
TEXT = """Hôm nay nhà máy mới ở Sơn Trà bắt đầu sản xuất.
Công nhân nhà máy làm việc chăm chỉ, năm 2024 nhà máy có 120 công nhân.
Người dân Sơn Trà đi làm ở nhà máy mới bên sông.
Hôm qua trời mưa to, nước sông dâng cao.

Nhà máy mới xây thêm một kho bên sông.
Chúng tôi đến Sơn Trà vào mùa hè, nước sông trong xanh.
"""


def _score(lm: LanguageModel, phrase: str) -> float:
    total, prev1, prev2 = 0.0, BOS, None
    for w in phrase.split() + [EOS]:
        total += lm.logp(w, prev1, prev2)
        prev2, prev1 = prev1, w
    return total


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> LanguageModel:
    out = tmp_path_factory.mktemp("lm")
    build_lm.build_from_texts([TEXT] * 3, out)
    return LanguageModel.load(out)


@pytest.fixture(scope="module")
def tiny_pruned(tmp_path_factory) -> LanguageModel:
    out = tmp_path_factory.mktemp("lm_pruned")
    build_lm.build_from_texts([TEXT] * 3, out, max_bigrams=10, max_trigrams=8)
    return LanguageModel.load(out)


CONTEXTS = [(None, None), (BOS, None), ("nhà", BOS), ("máy", "nhà"), ("sông", "bên"), ("mới", "máy"), ("xanh", "trong"), ("mưa", "sông")]


@pytest.mark.parametrize("prev1,prev2", CONTEXTS)
@pytest.mark.parametrize("model", ["tiny", "tiny_pruned"])
def test_each_context_sums_to_one(model, prev1, prev2, request):
    lm = request.getfixturevalue(model)
    total = sum(math.exp(lm.logp(w, prev1, prev2)) for w in lm.vocabulary if w != BOS)
    assert total == pytest.approx(1.0, abs=5e-3)


def test_pruning_keeps_fewer_ngrams(tiny, tiny_pruned):
    assert tiny_pruned.stats["trigrams_kept"] == 8 < tiny.stats["trigrams_kept"]


def test_unseen_trigram_backs_off_to_the_bigram(tiny):
    # "sông dâng" is a seen bigram; "to sông" never occurs, so there is no trigram and no weight
    assert tiny.logp("dâng", "sông", "to") == pytest.approx(tiny.logp("dâng", "sông"), abs=1e-3)
    # "bên sông" is a seen context: continuations it never had share one back-off weight below 1
    seen = tiny.logp("trong", "sông", "nước")
    w1 = tiny.logp("dâng", "sông", "bên") - tiny.logp("dâng", "sông")
    w2 = tiny.logp("trong", "sông", "bên") - tiny.logp("trong", "sông")
    assert w1 == pytest.approx(w2, abs=2e-3) and w1 < 0
    # the trigram it did have is more likely than after a context that never led to it
    assert seen > tiny.logp("trong", "sông", "bên")


def test_unknown_syllable_gets_the_unknown_probability(tiny):
    assert "xyzabc" not in tiny
    # a share of <unk>'s mass: <unk> stands for every word outside the table
    assert tiny.logp("xyzabc", "nhà") == pytest.approx(tiny.logp("<unk>", "nhà") + OOV_LOGP)
    assert OOV_LOGP < 0
    assert tiny.logp("<unk>") > -30


_WORDS = ["nhà", "máy", "mới", "sông", "bên", "trong", "xanh", "mưa", "Sơn", "sơn", "trà", NUM, UNK, EOS,
          "xyzabc", "qqq"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=9),
       prev1=st.sampled_from([BOS, *_WORDS]), prev2=st.sampled_from([None, BOS, *_WORDS]))
@pytest.mark.parametrize("model", ["tiny", "tiny_pruned"])
def test_a_row_is_the_logp_of_each_word(model, words, prev1, prev2, request):
    """The row lookup (one context search for many words, memoised) against the plain lookup, word by word."""
    lm = request.getfixturevalue(model)
    assert lm.row(tuple(words), prev1, prev2) == tuple(lm.logp(w, prev1, prev2) for w in words)
    # asked again, from the memo
    assert lm.row(tuple(words), prev1, prev2) == tuple(lm.logp(w, prev1, prev2) for w in words)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=9),
       prev1=st.sampled_from([BOS, *_WORDS]), prev2=st.sampled_from([None, BOS, *_WORDS]))
def test_a_documents_row_is_its_logp_of_each_word(tiny, words, prev1, prev2):
    doc = DocumentContext(["Nhà máy mới bên sông Sơn Trà trong xanh"], set(tiny.vocabulary)).model(tiny)
    assert doc is not tiny
    assert list(doc.row(tuple(words), prev1, prev2)) == [doc.logp(w, prev1, prev2) for w in words]


def test_numbers_are_one_token(tiny):
    assert tiny.logp(NUM, "năm") > tiny.logp("có", "năm")


def test_case_counts_running_text_only(tiny):
    assert tiny.case_ratio("trà") > 0.8
    assert tiny.pair_case_ratio("sơn", "trà") > 0.8
    assert tiny.case_ratio("sông") == 0.0
    # capitalised only at the start of a sentence: no evidence of a name
    assert tiny.count_case("hôm") == (0, 0)


def test_blank_line_is_a_boundary_and_a_single_newline_is_not():
    assert [[t for t, _ in s] for s in build_lm.segments("phát triển\nkinh tế")] == [["phát", "triển", "kinh", "tế"]]
    assert [[t for t, _ in s] for s in build_lm.segments("phát triển\n \nkinh tế")] == [["phát", "triển"], ["kinh", "tế"]]
    assert [[t for t, _ in s] for s in build_lm.segments("năm 2,5 triệu; Hoà bình")] == [["năm", NUM, "triệu"], ["hoà", "bình"]]


def test_long_repeated_segments_are_capped():
    streams = build_lm.Streams()
    line = "căn cứ quy định hiện hành về quản lý và sử dụng tài sản công"
    streams.add(build_lm.segments("\n\n".join([line] * 10)))
    assert streams.dropped_segments == 10 - build_lm.REPEAT_CAP


@pytest.fixture(scope="module")
def shipped() -> LanguageModel:
    return LanguageModel.shipped()


@pytest.mark.parametrize(
    "right,garbled",
    [
        ("phát triển kinh tế", "phát triên kinh tê"),
        ("phát triển kinh tế", "phát triền kinh tể"),
        ("ủy ban nhân dân", "uy ban nhân dan"),
        ("ủy ban nhân dân", "ủy bán nhân dẫn"),
        ("nâng cao chất lượng", "nâng cao chât lượng"),
    ],
)
def test_shipped_model_prefers_the_right_tones(shipped, right, garbled):
    assert _score(shipped, right) > _score(shipped, garbled) + 3


def test_shipped_model_knows_place_names(shipped):
    assert shipped.case_ratio("nẵng") > 0.9
    # "thơ" (poetry) is a common word, but "Cần Thơ" is a name
    assert shipped.case_ratio("thơ") < 0.5 < shipped.pair_case_ratio("cần", "thơ")
    assert shipped.case_ratio("của") < 0.02
