"""The one cache folder: ``$PLANSCAN_CACHE``, else ``$XDG_CACHE_HOME/planscan``, else ``~/.cache/planscan``.

Every cache (OCR pages, the built vocabulary) lives in a sub-folder of it, so one variable moves or
clears them all.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(sub: str = "") -> Path:
    """The cache folder, or its sub-folder ``sub``; not created here (a cache that cannot be
    written only costs speed, so its users decide what to do about that)."""
    env = os.environ.get("PLANSCAN_CACHE")
    if env:
        base = Path(env)
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "planscan"
    return base / sub if sub else base
