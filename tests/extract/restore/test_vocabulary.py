"""The vocabulary: built once, cached as a pickle keyed by its sources, reloaded from there."""

from __future__ import annotations

from planscan.extract.restore import vocabulary


def test_vocabulary_is_cached_once_and_reloaded(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANSCAN_CACHE", str(tmp_path))
    (tmp_path / "vocab-0000.pickle").write_bytes(b"from an older version")
    vocabulary.load.cache_clear()
    try:
        first = vocabulary.load()
        files = list(tmp_path.glob("vocab-*.pickle"))
        assert len(files) == 1 and files[0].name != "vocab-0000.pickle"
        vocabulary.load.cache_clear()
        again = vocabulary.load()
        assert again.logp == first.logp and "tổng" in again.logp
    finally:
        vocabulary.load.cache_clear()
