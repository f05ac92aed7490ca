"""The restoration vocabulary: syllables, their frequencies, and which syllables follow which.

Built from general resources only: wordfreq's Vietnamese syllable frequencies and the Viet74K word
list, only its entries the general text corpus attests (data/Viet74K-attested.txt; each
multi-syllable word is a chain of syllable bigrams). Context statistics of real text
come from the language model (lm.py), not from here. Building takes about a second, so it is done once and cached as a
pickle under the user cache dir ($PLANSCAN_CACHE, else ~/.cache/planscan), keyed by the data
and the code it came from; later start-ups only unpickle it (about 0.1 s).
"""

from __future__ import annotations

import hashlib
import math
import pickle
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from planscan._util.cachedir import cache_dir
from planscan.extract.text import syllables
from planscan.extract.text.syllables import canonical, has_marks, is_syllable_shape, key_of

# Bump when the pickled layout or the way it is built changes.
FORMAT = 11

# Frequency given to a syllable seen only in a word list, below wordfreq's floor.
_UNSEEN_FREQ = 3e-8
# A syllable that only wordfreq knows (no word list has it) must be at least this common.
_UNLISTED_MIN_FREQ = 4e-5
_WORD_SPLIT = re.compile(r"[\s\-]+")
# Stands for any number in the lexicon ("năm <num>"), so figures give context to their neighbours.
NUM = "<num>"
# Interpolation weight of the word-list bigram model against plain syllable frequencies.
LAMBDA = 0.2
# Weight of the forward gain against the backward one, and of a pair listed more than once.
FORWARD = 0.5
REPEAT = 0.3
# Weight of pairs found only inside entries of four syllables or more.
SAYING = 0.3


@dataclass
class Vocabulary:
    # canonical syllable -> natural log of its frequency
    logp: dict[str, float] = field(default_factory=dict)
    # key (no diacritics) -> canonical syllables, most frequent first
    by_key: dict[str, list[str]] = field(default_factory=dict)
    # canonical -> the spelling to print (the most common tone placement in the sources)
    display: dict[str, str] = field(default_factory=dict)
    # first syllable -> {next syllable: bonus}; from multi-syllable words
    bigrams: dict[str, dict[str, float]] = field(default_factory=dict)
    # first two syllables joined by a space -> {third: bonus}
    trigrams: dict[str, dict[str, float]] = field(default_factory=dict)
    # every prefix of every key, so candidate search can stop early
    key_prefixes: frozenset = frozenset()
    keys: list[str] = field(default_factory=list)

    def is_syllable(self, word: str) -> bool:
        return canonical(word) in self.logp


def _data_path(name: str) -> Path:
    return Path(str(resources.files("planscan.extract.restore") / "data" / name))


def _sources_digest() -> str:
    # the installed version from its metadata: importing wordfreq itself costs 60 ms of start-up
    from importlib.metadata import version

    h = hashlib.sha256(f"format={FORMAT};wordfreq={version('wordfreq')}".encode())
    h.update(_data_path("Viet74K-attested.txt").read_bytes())
    # the code that builds it too, so an upgrade never loads a vocabulary built the old way
    h.update(Path(__file__).read_bytes())
    h.update(Path(syllables.__file__).read_bytes())
    return h.hexdigest()[:16]


def _read_lexicon(name: str) -> list[str]:
    out = []
    for line in _data_path(name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def build() -> Vocabulary:
    import wordfreq

    freq: dict[str, float] = {}
    spelled: dict[str, dict[str, float]] = {}

    def add(word: str, f: float) -> str | None:
        w = word.strip().lower()
        k = key_of(w)
        if not w or not is_syllable_shape(k):
            return None
        c = canonical(w)
        if not c or any(not ch.isalpha() for ch in c):
            return None
        freq[c] = freq.get(c, 0.0) + f
        forms = spelled.setdefault(c, {})
        forms[w] = forms.get(w, 0.0) + f + 1e-12
        return c

    for word, f in wordfreq.get_frequency_dict("vi").items():
        add(word, f)

    pair_count: dict[tuple[str, str], float] = {}
    listed_alone: set[str] = set()
    word_pairs: set[tuple[str, str]] = set()
    triple_count: dict[tuple[str, str, str], float] = {}

    def add_words(entries: list[str]) -> None:
        for entry in entries:
            parts = [p for p in _WORD_SPLIT.split(entry.strip()) if p]
            sylls = []
            for p in parts:
                c = NUM if p == NUM else add(p, 0.0)
                sylls.append(c)
                if c and c != NUM:
                    listed_alone.add(c)
            # a word with a non-syllable part (a foreign loan) gives no reliable pairs
            in_word = len(sylls) <= 3
            for a, b in zip(sylls, sylls[1:]):
                if a and b:
                    pair_count[(a, b)] = pair_count.get((a, b), 0.0) + 1.0
                    if in_word:
                        word_pairs.add((a, b))
            for a, b, c in zip(sylls, sylls[1:], sylls[2:]):
                if a and b and c:
                    triple_count[(a, b, c)] = triple_count.get((a, b, c), 0.0) + 1.0

    add_words(_read_lexicon("Viet74K-attested.txt"))

    vocab = Vocabulary()
    listed = {c for a, b in pair_count for c in (a, b)} | listed_alone
    for c, f in freq.items():
        # web text's misspellings ("đươc", "nghành") and English words are in wordfreq too; a
        # syllable no word list has must be common to count ("nguyễn")
        if c not in listed and f < _UNLISTED_MIN_FREQ:
            continue
        vocab.logp[c] = math.log(max(f, _UNSEEN_FREQ))
        forms = spelled[c]
        vocab.display[c] = max(forms, key=lambda w: (forms[w], has_marks(w) == has_marks(c)))
    for c in sorted(vocab.logp, key=lambda s: -vocab.logp[s]):
        vocab.by_key.setdefault(key_of(c), []).append(c)
    # P(b|a) = LAMBDA * P(b | b completes a word with a) + (1 - LAMBDA) * P(b); stored is the gain
    # of a word-list pair over an unlisted one, log(1 + LAMBDA / ((1 - LAMBDA) * Z(a))), where Z(a)
    # is the frequency mass of a's listed followers: a syllable with few followers gains more. The
    # same is computed backwards, P(a|b), and the two averaged: "báo cáo" is told from "bao cao"
    # by "cáo", which is rarely preceded by anything else.
    def p_of(s: str) -> float:
        return math.exp(-6.0) if s == NUM else math.exp(vocab.logp.get(s, math.log(_UNSEEN_FREQ)))

    fwd_mass: dict[str, float] = {}
    bwd_mass: dict[str, float] = {}
    for (a, b) in pair_count:
        fwd_mass[a] = fwd_mass.get(a, 0.0) + p_of(b)
        bwd_mass[b] = bwd_mass.get(b, 0.0) + p_of(a)
    for (a, b), n in pair_count.items():
        fwd = math.log1p(LAMBDA / ((1 - LAMBDA) * max(fwd_mass[a], 1e-6)))
        bwd = math.log1p(LAMBDA / ((1 - LAMBDA) * max(bwd_mass[b], 1e-6)))
        gain = FORWARD * fwd + (1 - FORWARD) * bwd
        # Viet74K's long entries are sayings ("kiến có cánh ..."): their inner pairs of everyday
        # syllables are weaker evidence than the pairs of real words
        if (a, b) not in word_pairs:
            gain *= SAYING
        vocab.bigrams.setdefault(a, {})[b] = gain + REPEAT * math.log1p(max(n - 1, 0))
    for (a, b, c), n in triple_count.items():
        vocab.trigrams.setdefault(a + " " + b, {})[c] = math.log1p(n)
    vocab.keys = sorted(vocab.by_key)
    vocab.key_prefixes = frozenset(k[:i] for k in vocab.keys for i in range(len(k) + 1))
    return vocab


@lru_cache(maxsize=1)
def load() -> Vocabulary:
    """The vocabulary, from the cache when it is there; built and cached when not."""
    path = cache_dir() / f"vocab-{_sources_digest()}.pickle"
    try:
        with open(path, "rb") as fh:
            vocab = pickle.load(fh)
        if isinstance(vocab, Vocabulary):
            return vocab
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    vocab = build()
    try:
        from planscan._util.atomic import atomic_write_bytes

        atomic_write_bytes(path, pickle.dumps(vocab, protocol=pickle.HIGHEST_PROTOCOL))
        for old in path.parent.glob("vocab-*.pickle"):  # those of earlier versions
            if old != path:
                old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a read-only cache dir only costs start-up time
        pass
    return vocab
