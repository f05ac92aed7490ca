"""The spaCy pipeline that reads figures from paragraph text.

``spacy.blank("vi")`` with pyvi off (nothing to download), a tokenizer that splits punctuation off
words (so "(đạt" is two tokens) and keeps numbers like "3.620" and "16/18" whole, then:

1. ``planscan_fold_norm``: token NORM = accent-folded lower case, so cue patterns also match text
   whose diacritics were lost;
2. ``planscan_cues``: a Matcher over NORM with the cue phrases of ``indicator_rules`` -> ``doc.spans["cues"]``;
3. ``planscan_quantities``: numbers with their units (``numbers.find_quantities``) and periods
   (``periods.find_periods``) -> ``doc._.quantities``, ``doc._.periods``;
4. ``planscan_figures``: kind, comparison year, local period and label of each quantity -> ``doc._.figures``.

Each component computes first and sets annotations at the end, as spaCy's own components do.
"""

from __future__ import annotations

import warnings
from functools import lru_cache

import spacy
from spacy.language import BaseDefaults, Language
from spacy.matcher import Matcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from planscan.extract.indicators import figures as figures_mod
from planscan.extract.indicators.cues import matcher_patterns
from planscan.extract.text.numbers import NumberWarning, find_quantities
from planscan.extract.text.periods import find_periods
from planscan.extract.text.units import fold

for _name in ("quantities", "periods", "figures", "number_warnings", "source_text"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory("planscan_fold_norm")
def make_fold_norm(nlp: Language, name: str):
    def fold_norm(doc: Doc) -> Doc:
        # Doc.text joins every token again on each access; later components read this copy
        doc._.source_text = doc.text
        norms = [fold(t.lower_) for t in doc]
        for token, norm in zip(doc, norms):
            token.norm_ = norm
        return doc

    return fold_norm


@Language.factory("planscan_cues", default_config={"spans_key": "cues"})
def make_cues(nlp: Language, name: str, spans_key: str):
    matcher = Matcher(nlp.vocab)
    for label, patterns in matcher_patterns():
        matcher.add(label, patterns)

    def cues(doc: Doc) -> Doc:
        spans = matcher(doc, as_spans=True)
        doc.spans[spans_key] = spans
        return doc

    return cues


@Language.factory("planscan_quantities")
def make_quantities(nlp: Language, name: str):
    def quantities(doc: Doc) -> Doc:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", NumberWarning)
            text = doc._.source_text if doc._.source_text is not None else doc.text
            found = find_quantities(text)
        periods = find_periods(text)
        doc._.quantities = found
        doc._.periods = periods
        doc._.number_warnings = [str(w.message) for w in caught if issubclass(w.category, NumberWarning)]
        return doc

    return quantities


@Language.factory("planscan_figures", default_config={"spans_key": "cues"})
def make_figures(nlp: Language, name: str, spans_key: str):
    def figures(doc: Doc) -> Doc:
        cues = [
            figures_mod.Cue(s.label_, s.start_char, s.end_char) for s in doc.spans.get(spans_key, [])
        ] if spans_key in doc.spans else []
        text = doc._.source_text if doc._.source_text is not None else doc.text
        found = figures_mod.analyse(text, doc._.quantities or [], doc._.periods or [], cues)
        doc._.figures = found
        return doc

    return figures


def _tokenizer(nlp: Language) -> Tokenizer:
    return Tokenizer(
        nlp.vocab,
        prefix_search=compile_prefix_regex(BaseDefaults.prefixes).search,
        suffix_search=compile_suffix_regex(BaseDefaults.suffixes).search,
        infix_finditer=compile_infix_regex(BaseDefaults.infixes).finditer,
    )


def make_nlp() -> Language:
    """A fresh pipeline; nothing is downloaded."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = _tokenizer(nlp)
    nlp.add_pipe("planscan_fold_norm")
    nlp.add_pipe("planscan_cues")
    nlp.add_pipe("planscan_quantities")
    nlp.add_pipe("planscan_figures")
    return nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """One pipeline per process: building it costs more than reading a page."""
    return make_nlp()
