"""One cache folder for every cache, moved by one variable."""

from __future__ import annotations

from pathlib import Path

from planscan._util.cachedir import cache_dir
from planscan.extract.restore import vocabulary
from planscan.ocr.cache import PageCache


def test_planscan_cache_moves_every_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANSCAN_CACHE", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    assert PageCache().dir == tmp_path / "c" / "ocr"
    assert vocabulary.cache_dir() == tmp_path / "c"


def test_xdg_then_home(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANSCAN_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir("ocr") == tmp_path / "xdg" / "planscan" / "ocr"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == Path(tmp_path / "home" / ".cache" / "planscan")
