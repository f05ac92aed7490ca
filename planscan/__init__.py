"""planscan: scanned Vietnamese government plans to correct text and structured figures."""

__version__ = "0.1.0"
