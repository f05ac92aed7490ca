"""Test-wide settings."""

import pytest
from hypothesis import settings

# Timing is measured in bench/, never asserted in tests: a slow first example (a lazily built
# vocabulary, a cold CI machine) must not fail a property test.
settings.register_profile("planscan", deadline=None)
settings.load_profile("planscan")


@pytest.fixture(scope="session")
def nlp():
    """The default indicator pipeline, built once: building it costs more than reading many pages.
    A test that needs another one builds it with ``make_nlp(overrides)``."""
    from planscan.extract.indicators.nlp import make_nlp

    return make_nlp()


@pytest.fixture(scope="session")
def unreadable_number() -> str:
    """A well-formed number past what a float holds: the quantity finder warns that it cannot read
    it, skips it and goes on, as for any number it cannot parse."""
    return "9" + ".999" * 140
