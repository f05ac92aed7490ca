"""Stable indicator keys: the same indicator gets the same key in every document and year.

A label found in the catalogue gets the catalogue's canonical key (``vn.1307``,
``ict.bts_stations``); any other label gets ``x_`` plus a slug of its normalised, accent-free words,
so keys never depend on OCR diacritic damage, case, or the "tăng ... so với cùng kỳ" tail of a
change statement.

The words before the figure in its sentence decide two things the label alone cannot:
- an addition ("phát triển thêm 10 trạm BTS", "xây dựng mới 5 trạm") is not the stock the label
  names, so it never gets the stock's catalogue key; all its phrasings share one ``x_..._them_moi``
  key;
- a bare counted noun ("tổng số thuê bao ước đạt ...") names the catalogue indicator that the
  sentence's own words complete ("Dịch vụ Internet: ... thuê bao" -> "thuê bao Internet"), when
  exactly one does.
"""

from __future__ import annotations

import re
from functools import lru_cache

from planscan.extract.indicators.catalogue import Catalogue, extra_path, load_catalogue
from planscan.extract.indicators.normalise import normalise_label, slug
from planscan.extract.text.fold import fold_words

_RELATIVE_KINDS = {"change", "ratio_to_prior", "ratio_to_plan"}
# A verb of building or adding, then "thêm"/"mới": the figure is what was added, not the stock.
_ADDITION = r"(?:(?:phat trien|xay dung|lap dat|lap|dau tu|bo sung|trang bi|thanh lap|trong|mo)\s+(?:them|moi)|them moi|them)"
_ADDITION_BEFORE = re.compile(rf"\b{_ADDITION}\s*$")
_ADDITION_IN_LABEL = re.compile(rf"\b{_ADDITION}\b")
_ADDED = "them moi"


@lru_cache(maxsize=65536)  # pure, and documents repeat their labels across years and districts
def _resolve(label: str, unit: str | None, kind: str | None, extra: str | None) -> tuple[str | None, str, bool, bool]:
    """What the label alone says: (catalogue key or None, normalised label, whether the label
    states an addition, whether the entry itself counts additions)."""
    catalogue = load_catalogue(extra)
    if kind in _RELATIVE_KINDS and unit is not None and unit.strip() == "%":
        unit = None
    entry = catalogue.lookup(label, unit)
    norm = normalise_label(label, unit)
    said_added = _ADDITION_IN_LABEL.search(fold_words(label)) is not None
    return (entry.key if entry else None), norm, said_added, entry is not None and _names_addition(catalogue, entry.key)


def _key(label: str, unit: str | None, kind: str | None, before: str, extra: str | None) -> str:
    key, norm, said_added, counts_additions = _resolve(label, unit, kind, extra)
    added = kind not in _RELATIVE_KINDS and (said_added or _ADDITION_BEFORE.search(fold_words(before[-40:])) is not None)
    if key is None and before:
        key = _completed(load_catalogue(extra), norm, unit, before)
        counts_additions = key is not None and _names_addition(load_catalogue(extra), key)
    if key is not None and not (added and not counts_additions):
        return key
    if added:
        stock = " ".join(_ADDITION_IN_LABEL.sub(" ", norm).split()) or norm
        return "x_" + slug(f"{stock} {_ADDED}")
    return "x_" + slug(norm)


def _names_addition(catalogue: Catalogue, key: str) -> bool:
    """Whether the entry itself counts additions ("Số doanh nghiệp đăng ký thành lập mới")."""
    e = catalogue.by_key(key)
    return e is not None and any(_ADDITION_IN_LABEL.search(fold_words(a)) for a in (e.label, *e.aliases))


def _completed(catalogue: Catalogue, head: str, unit: str | None, before: str) -> str | None:
    """The key of the one entry whose alias is the bare counted noun ``head`` (a normalised label)
    completed by words the sentence says before the figure, or None."""
    if not unit or head != fold_words(unit).strip():  # only a bare counted noun ("thuê bao" of "thuê bao")
        return None
    tails_by_key = catalogue.completions(head)
    if not tails_by_key:
        return None
    said = set(re.findall(r"\w+", fold_words(before)))
    fits = [k for k, tails in tails_by_key.items() if any(set(t.split()) <= said for t in tails)]
    return fits[0] if len(fits) == 1 else None


def indicator_key(label: str, unit: str | None = None, kind: str | None = None, before: str = "") -> str:
    """Canonical key of an indicator label; ``unit`` tells a rate ("%") from a count, ``before`` is
    the text of the figure's sentence before its number.

    Catalogue entries win; any other label gets ``x_<slug>`` of its normalised form, so a reader
    can tell a catalogue key from a derived one. For a relative figure (``kind`` change,
    ratio_to_prior, ratio_to_plan) a "%" unit is a relative change of the indicator, so the key is
    that of the indicator the label names, whatever its unit.
    """
    return _key(label, unit, kind, before, extra_path())
