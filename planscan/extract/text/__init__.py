"""Text primitives every later stage shares: the accent fold, syllables, numbers, units, periods."""
