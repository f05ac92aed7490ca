"""Test-wide settings."""

import warnings

import pytest
from hypothesis import settings

# Timing is measured in bench/, never asserted in tests: a slow first example (a lazily built
# vocabulary, a cold CI machine) must not fail a property test.
settings.register_profile("planscan", deadline=None)
settings.load_profile("planscan")


@pytest.fixture
def unreadable_number(monkeypatch):
    """``arm(token)`` makes the quantity finder warn that it cannot read ``token``, as it does for a
    number it cannot parse, and go on; the spaCy pipeline is rebuilt around the patched finder."""
    from planscan.extract.indicators import nlp
    from planscan.extract.text.numbers import NumberWarning

    real = nlp.find_quantities

    def arm(token: str) -> None:
        def noisy(text):
            i = text.find(token)
            if i >= 0:
                warnings.warn(f"offset {i}: cannot read number '{token}'; skipped", NumberWarning)
            return real(text)

        monkeypatch.setattr(nlp, "find_quantities", noisy)
        nlp.shared_nlp.cache_clear()

    yield arm
    nlp.shared_nlp.cache_clear()
