"""The spaCy pipeline that reads figures from paragraph text.

``spacy.blank("vi")`` (nothing to download) with ``planscan.tokenizer.v1``, a tokenizer that splits
punctuation off words (so "(đạt" is two tokens) and keeps numbers like "3.620" and "16/18" whole,
then these components, each a registered factory with its config:

1. ``planscan_norm``: token NORM = the accent fold of the lower-case text, so the cue patterns also
   match text whose diacritics were lost;
2. ``planscan_cues``: a Matcher over NORM with the cue phrases of ``cues.py`` -> ``doc.spans["cues"]``;
3. ``planscan_quantities``: numbers with their units -> ``doc.spans["quantities"]``, each span's
   ``Span._.quantity``, and ``doc._.number_warnings`` for numbers that could not be read;
4. ``planscan_periods``: stated periods -> ``doc.spans["periods"]`` with ``Span._.period``;
5. ``planscan_figures``: kind, comparison year, local period and label of each quantity -> ``doc._.figures``.

The quantity and period finders are the text layer's one grammar each, named in the config as
registered functions (``planscan.find_quantities.v1``, ``planscan.find_periods.v1``), so a pipeline
with another finder is built with ``make_nlp`` overrides, not by patching this module. Each component
computes first and sets annotations at the end, as spaCy's own components do.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import BaseDefaults, Language
from spacy.matcher import Matcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from planscan.extract.indicators import figures as figures_mod
from planscan.extract.indicators.cues import matcher_patterns
from planscan.extract.text.numbers import NumberWarning, Quantity, Skipped, find_quantities
from planscan.extract.text.periods import Period, find_periods
from planscan.extract.text.fold import fold

# called as finder(text, trust_marks=..., skipped=[...]): options a finder may ignore
QuantityFinder = Callable[..., list[Quantity]]
PeriodFinder = Callable[[str], list[Period]]

# The components in pipeline order; ``make_nlp`` overrides are keyed by these names.
COMPONENTS = ("planscan_norm", "planscan_cues", "planscan_quantities", "planscan_periods", "planscan_figures")

for _name in ("figures", "number_warnings", "source_text", "skipped"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
# False when the text's diacritics were put in by the restorer rather than written by the author;
# set on a Doc before it enters the pipeline (``nlp.make_doc``), read by the quantity finder.
if not Doc.has_extension("trust_marks"):
    Doc.set_extension("trust_marks", default=True)


def _found(kind: str) -> Callable[[Span], Any]:
    # Span extension values set with ``span._.x = v`` are keyed by the span's characters, so two
    # quantities inside the same tokens would share one; each span's id names its own object, and
    # any other span (another kind's, or one a caller made) has none.
    def get(span: Span) -> Any:
        return span.doc.user_data.get(("planscan", kind), {}).get(span.id)

    return get


for _name in ("quantity", "period"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, getter=_found(_name))


def _set_found(doc: Doc, kind: str, key: str, found: list, labels: list[str]) -> None:
    """``doc.spans[key]``: one span per found item (covering the tokens of its characters), whose
    ``Span._.<kind>`` is the item."""
    spans, table = [], {}
    for i, (item, label) in enumerate(zip(found, labels)):
        span = doc.char_span(item.start, item.end, alignment_mode="expand")
        if span is None:
            raise ValueError(f"{kind} at characters {item.start}-{item.end} is not inside the text")
        span = Span(doc, span.start, span.end, label=label, span_id=f"{kind} {i}")
        spans.append(span)
        table[span.id] = item
    doc.user_data[("planscan", kind)] = table
    doc.spans[key] = spans


@registry.tokenizers("planscan.tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """spaCy's default punctuation rules without its English exceptions."""

    def make(nlp: Language) -> Tokenizer:
        return Tokenizer(
            nlp.vocab,
            prefix_search=compile_prefix_regex(BaseDefaults.prefixes).search,
            suffix_search=compile_suffix_regex(BaseDefaults.suffixes).search,
            infix_finditer=compile_infix_regex(BaseDefaults.infixes).finditer,
        )

    return make


@registry.misc("planscan.find_quantities.v1")
def quantity_finder() -> QuantityFinder:
    return find_quantities


@registry.misc("planscan.find_periods.v1")
def period_finder() -> PeriodFinder:
    return find_periods


@Language.factory("planscan_norm")
def make_norm(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    def norm(doc: Doc) -> Doc:
        norms = [fold(t.lower_) for t in doc]
        # Doc.text joins every token again on each access; later components read this copy
        doc._.source_text = doc.text
        for token, value in zip(doc, norms):
            token.norm_ = value
        return doc

    return norm


def _text(doc: Doc) -> str:
    return doc._.source_text if doc._.source_text is not None else doc.text


@Language.factory("planscan_cues", default_config={"spans_key": "cues"})
def make_cues(nlp: Language, name: str, spans_key: str) -> Callable[[Doc], Doc]:
    matcher = Matcher(nlp.vocab)
    for label, patterns in matcher_patterns():
        matcher.add(label, patterns)

    def cues(doc: Doc) -> Doc:
        spans = matcher(doc, as_spans=True)
        doc.spans[spans_key] = spans
        return doc

    return cues


@Language.factory(
    "planscan_quantities",
    default_config={"spans_key": "quantities", "finder": {"@misc": "planscan.find_quantities.v1"}},
)
def make_quantities(nlp: Language, name: str, spans_key: str, finder: QuantityFinder) -> Callable[[Doc], Doc]:
    def quantities(doc: Doc) -> Doc:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", NumberWarning)
            skipped: list[Skipped] = []
            found = finder(_text(doc), trust_marks=doc._.trust_marks, skipped=skipped)
        messages = [str(w.message) for w in caught if issubclass(w.category, NumberWarning)]
        doc._.skipped = skipped
        _set_found(doc, "quantity", spans_key, found, [q.unit_family or "count" for q in found])
        doc._.number_warnings = messages
        return doc

    return quantities


@Language.factory(
    "planscan_periods",
    default_config={"spans_key": "periods", "finder": {"@misc": "planscan.find_periods.v1"}},
)
def make_periods(nlp: Language, name: str, spans_key: str, finder: PeriodFinder) -> Callable[[Doc], Doc]:
    def periods(doc: Doc) -> Doc:
        found = finder(_text(doc))
        _set_found(doc, "period", spans_key, found, [p.kind for p in found])
        return doc

    return periods


@Language.factory(
    "planscan_figures",
    default_config={"cues_key": "cues", "quantities_key": "quantities", "periods_key": "periods"},
)
def make_figures(
    nlp: Language, name: str, cues_key: str, quantities_key: str, periods_key: str
) -> Callable[[Doc], Doc]:
    def figures(doc: Doc) -> Doc:
        cues = [figures_mod.Cue(s.label_, s.start_char, s.end_char) for s in doc.spans.get(cues_key, [])]
        quantities = [s._.quantity for s in doc.spans.get(quantities_key, [])]
        periods = [s._.period for s in doc.spans.get(periods_key, [])]
        if doc._.skipped is None:
            doc._.skipped = []
        found = figures_mod.analyse(_text(doc), quantities, periods, cues, doc._.skipped)
        doc._.figures = found
        return doc

    return figures


def make_nlp(overrides: Mapping[str, Mapping[str, Any]] | None = None) -> Language:
    """A fresh pipeline; nothing is downloaded.

    ``overrides`` maps a component name to config values that replace its defaults, e.g.
    ``{"planscan_quantities": {"finder": {"@misc": "my.finder.v1"}}}``.
    """
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"no such planscan component: {', '.join(sorted(unknown))}")
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "planscan.tokenizer.v1"}}})
    for name in COMPONENTS:
        nlp.add_pipe(name, config=dict(overrides.get(name, {})))
    return nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """The default pipeline, built once per process: building it costs more than reading a page."""
    return make_nlp()
