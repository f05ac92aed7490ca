from __future__ import annotations

import numpy as np

from planscan.ocr.cache import PageCache, page_key
from planscan.ocr.settings import OcrSettings
from planscan.schemas.records import Line, Page


def test_key_changes_with_image_settings_and_version():
    img = np.zeros((20, 30), np.uint8)
    base = page_key(img, OcrSettings().cache_key_fields(), "5.3.0")
    assert base == page_key(img.copy(), OcrSettings(jobs=7, use_cache=False).cache_key_fields(), "5.3.0")
    other = img.copy()
    other[3, 4] = 1
    assert page_key(other, OcrSettings().cache_key_fields(), "5.3.0") != base
    assert page_key(img, OcrSettings(dpi=400).cache_key_fields(), "5.3.0") != base
    assert page_key(img, OcrSettings(disabled_steps=("deskew",)).cache_key_fields(), "5.3.0") != base
    assert page_key(img, OcrSettings().cache_key_fields(), "5.4.0") != base
    assert page_key(img.reshape(30, 20), OcrSettings().cache_key_fields(), "5.3.0") != base


def test_round_trip_and_failed_pages_are_not_kept(tmp_path):
    cache = PageCache(tmp_path)
    page = Page(number=2, lines=[Line(text="Kế hoạch")])
    cache.put("ab" * 32, page)
    assert cache.get("ab" * 32) == page
    cache.put("cd" * 32, Page(number=1, status="failed", error="boom"))
    assert cache.get("cd" * 32) is None
    assert PageCache(tmp_path, enabled=False).get("ab" * 32) is None


def test_damaged_entry_is_a_miss(tmp_path):
    cache = PageCache(tmp_path)
    cache.put("ef" * 32, Page(number=1))
    path = next(tmp_path.rglob("*.json"))
    path.write_text("{not json", encoding="utf-8")
    assert cache.get("ef" * 32) is None
