"""Indicator records: cues, quantities, labels, keys, the catalogue, and the records themselves."""

__all__ = ["extract_indicators"]


def __getattr__(name: str):
    # Lazy, so that importing keys or the catalogue does not load spaCy.
    if name == "extract_indicators":
        from planscan.extract.indicators.records import extract_indicators

        return extract_indicators
    raise AttributeError(name)
