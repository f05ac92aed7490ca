"""The spaCy pipeline of the indicator stage: its tokenizer, NORM, spans, extensions and config."""

from __future__ import annotations

import re

import pytest
from spacy.util import load_model_from_config, registry

from planscan.extract.indicators.nlp import COMPONENTS, make_nlp
from planscan.extract.indicators.records import extract_indicators
from planscan.extract.text.numbers import Quantity, find_quantities
from planscan.pipeline import text_to_document


@registry.misc("tests.digit_runs.v1")
def digit_runs():
    """Every run of digits as a bare quantity: two of them can lie inside one token ("16/18")."""

    def find(text: str, **options) -> list[Quantity]:
        return [
            Quantity(value=float(m.group()), unit=None, raw=m.group(), start=m.start(), end=m.end())
            for m in re.finditer(r"\d+", text)
        ]

    return find


@registry.misc("tests.percentages_only.v1")
def percentages_only():
    def find(text: str, **options) -> list[Quantity]:
        return [q for q in find_quantities(text) if q.unit == "%"]

    return find


def test_tokens_split_punctuation_off_words_and_keep_numbers_whole(nlp):
    doc = nlp("(đạt 3.620 ha, 16/18 xã)")
    assert [t.text for t in doc] == ["(", "đạt", "3.620", "ha", ",", "16/18", "xã", ")"]


def test_norm_is_the_accent_fold_so_cues_match_text_without_diacritics(nlp):
    accented, plain = nlp("Ước đạt 120 trạm"), nlp("uoc dat 120 tram")
    assert [t.norm_ for t in accented] == [t.norm_ for t in plain] == ["uoc", "dat", "120", "tram"]
    for doc in (accented, plain):
        assert ("ESTIMATE", 0, 2) in {(s.label_, s.start, s.end) for s in doc.spans["cues"]}


def test_quantities_and_periods_are_spans_carrying_what_was_read(nlp):
    doc = nlp("Diện tích trồng mới đạt 3.620 ha trong 6 tháng đầu năm 2023, có 16/18 xã tham gia.")
    quantities = doc.spans["quantities"]
    assert [(s.text, s.label_) for s in quantities] == [("3.620 ha", "area"), ("16/18 xã", "count")]
    assert [(s._.quantity.value, s._.quantity.of, s._.quantity.unit) for s in quantities] == [
        (3620, None, "ha"),
        (16, 18, "xã"),
    ]
    (period,) = doc.spans["periods"]
    assert (period.text, period.label_) == ("6 tháng đầu năm 2023", "months")
    assert (period._.period.year, period._.period.first_month, period._.period.last_month) == (2023, 1, 6)
    assert [(f.value, f.unit, f.period.label) for f in doc._.figures] == [
        (3620, "ha", "6 tháng đầu năm 2023"),
        (16, "xã", "6 tháng đầu năm 2023"),
    ]


def test_two_quantities_inside_one_token_keep_their_own_values():
    nlp = make_nlp({"planscan_quantities": {"finder": {"@misc": "tests.digit_runs.v1"}}})
    doc = nlp("có 16/18 xã")
    assert [(s.text, s._.quantity.value) for s in doc.spans["quantities"]] == [("16/18", 16), ("16/18", 18)]
    assert doc[1:2]._.quantity is None and doc.spans["quantities"][0]._.period is None


def test_a_component_configured_with_another_finder_changes_only_that_pipeline(nlp):
    text = "NĂM 2023\nToàn huyện có 120 trạm, đạt 95,5% kế hoạch.\n"
    percent_nlp = make_nlp({"planscan_quantities": {"finder": {"@misc": "tests.percentages_only.v1"}}})
    assert percent_nlp.get_pipe_config("planscan_quantities")["finder"] == {"@misc": "tests.percentages_only.v1"}
    only = extract_indicators(text_to_document(text, source="t.txt"), nlp=percent_nlp)
    both = extract_indicators(text_to_document(text, source="t.txt"), nlp=nlp)
    default = extract_indicators(text_to_document(text, source="t.txt"))
    assert [r.value for r in only] == [95.5]
    assert [r.value for r in both] == [r.value for r in default] == [120, 95.5]


def test_spans_keys_are_configured_per_component():
    nlp = make_nlp({"planscan_cues": {"spans_key": "words"}, "planscan_figures": {"cues_key": "words"}})
    doc = nlp("Tổng số trạm là 12 trạm (tăng 2 trạm so với cùng kỳ năm 2022).")
    assert "cues" not in doc.spans and [s.label_ for s in doc.spans["words"]].count("UP") == 1
    assert [f.kind for f in doc._.figures] == ["actual", "change"]


def test_the_pipeline_is_rebuilt_from_its_own_config(nlp):
    rebuilt = load_model_from_config(nlp.config)
    assert rebuilt.pipe_names == list(COMPONENTS)
    text = "Tổng số trạm là 12 trạm (tăng 2 trạm so với cùng kỳ năm 2022)."
    assert [(f.value, f.kind, f.label) for f in rebuilt(text)._.figures] == [
        (f.value, f.kind, f.label) for f in nlp(text)._.figures
    ]


def test_an_override_for_a_component_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match="planscan_quantity"):
        make_nlp({"planscan_quantity": {"spans_key": "q"}})


def test_an_unreadable_number_is_reported_on_the_doc_and_skipped(nlp, unreadable_number):
    doc = nlp(f"có {unreadable_number} xã và 3 thôn")
    assert [s._.quantity.value for s in doc.spans["quantities"]] == [3]
    assert len(doc._.number_warnings) == 1 and "offset 3" in doc._.number_warnings[0]
