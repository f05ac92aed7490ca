"""Test-wide settings."""

from hypothesis import settings

# Timing is measured in bench/, never asserted in tests: a slow first example (a lazily built
# vocabulary, a cold CI machine) must not fail a property test.
settings.register_profile("planscan", deadline=None)
settings.load_profile("planscan")
