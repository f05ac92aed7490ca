"""Build the syllable language model that ships in planscan/extract/restore/data/lm/.

Input: the general Vietnamese text corpus (default ``../shared/text-corpus`` relative to the repo):
``vn_legal.jsonl.xz`` and ``viwiki.jsonl.xz``, JSON Lines with ``id``, ``source``, ``title``, ``text``.

    nice python scripts/build_lm.py build [--corpus DIR] [--out DIR]
    python scripts/build_lm.py perplexity [FILE ...]   # held-out documents, or the given text files
    python scripts/build_lm.py measure                  # size, load time, resident memory, lookup speed

What it does, in order:
- keeps 50 documents (25 per file, the smallest SHA-1 of their id among documents of 300–20,000
  syllables) out of the statistics and lists them in bench/data/heldout-docs.txt;
- cuts the text into segments: runs of syllables and numbers (one ``<num>`` token) between
  punctuation and blank lines; a single newline is not a boundary (gazette texts keep the hard line
  breaks of their PDFs), a dash between words is not either (the restorer treats it as joined);
- caps formulaic repeats: a segment of 8 tokens or more is counted at most 3 times in the corpus;
- counts syllable unigrams, bigrams and trigrams and smooths them with interpolated modified
  Kneser–Ney (three discounts per order, Chen & Goodman);
- prunes by weighted difference (count × log ratio of the n-gram's probability to its back-off
  estimate) to a fixed number of bigrams and trigrams, and recomputes the back-off weights so every
  context still sums to one;
- counts, for each syllable and each kept bigram, how often it is written with a capital in running
  text (after a word, a number or a comma on the same line, never ALL-CAPS), so proper names come
  from the corpus.

The output is a few .npy arrays (memory-mapped at run time), the vocabulary and meta.json; the
layout is read by planscan.extract.restore.lm. The build is deterministic: same corpus, same table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import math
import re
import sys
import time
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from planscan.extract.text.syllables import canonical, case_pattern, is_syllable_shape, key_of

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO / ".." / "shared" / "text-corpus"
DEFAULT_OUT = REPO / "planscan" / "extract" / "restore" / "data" / "lm"
HELDOUT_LIST = REPO / "bench" / "data" / "heldout-docs.txt"
FILES = ("vn_legal.jsonl.xz", "viwiki.jsonl.xz")

FORMAT = 2
UNK, BOS, EOS, NUM = "<unk>", "<s>", "</s>", "<num>"
SPECIALS = (UNK, BOS, EOS, NUM)
BITS = 21  # bits per token id in an n-gram key while counting: three ids fit an int64
MASK = (1 << BITS) - 1
MAX_VOCAB = 1 << 16  # the shipped table stores ids as uint16

HELDOUT_PER_FILE = 25
HELDOUT_MIN_SYLLABLES, HELDOUT_MAX_SYLLABLES = 300, 20_000
# a syllable seen once is as often a typo as a word: it becomes <unk>
MIN_COUNT = 2
# formulaic repeats: segments this long are counted at most REPEAT_CAP times
REPEAT_MIN_TOKENS, REPEAT_CAP = 8, 3
# table size: 7 bytes a bigram (with its row start as a trigram context), 4 a trigram
MAX_BIGRAMS, MAX_TRIGRAMS = 800_000, 1_600_000

# case flags of a token occurrence
NO_CASE, LOWER, TITLE = 0, 1, 2

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_EDGES = re.compile(r"(\W*)(.*?)(\W*)", re.S)
_DASHES = frozenset("-–—")


# ---------------------------------------------------------------- tokenising


def segments(text: str) -> Iterator[list[tuple[str, int]]]:
    """Runs of (token, case flag) between boundaries; a token is a canonical word part or <num>."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    for paragraph in _BLANK_LINE.split(text):
        current: list[tuple[str, int]] = []
        for line in paragraph.split("\n"):
            # running text: the previous thing on this line was a word, a number or a comma
            running = False
            for chunk in line.split():
                lead, core, trail = _EDGES.fullmatch(chunk).groups()
                if lead:
                    running = False
                    if not set(lead) <= _DASHES and current:
                        yield current
                        current = []
                if core:
                    if _WORD.fullmatch(core):
                        for part in core.split("-"):
                            pattern = case_pattern(part)
                            flag = NO_CASE if (pattern == "upper" or not running) else (TITLE if pattern == "title" else LOWER)
                            current.append((canonical(part), flag))
                            running = True
                    elif _NUMBER.fullmatch(core):
                        current.append((NUM, NO_CASE))
                        running = True
                    else:  # a code, an address, a mixed token: no context through it
                        if current:
                            yield current
                            current = []
                        running = False
                if trail:
                    running = trail == ","
                    if not set(trail) <= _DASHES and current:
                        yield current
                        current = []
        if current:
            yield current


# ---------------------------------------------------------------- corpus


def read_documents(path: Path) -> Iterator[dict]:
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _id_hash(doc_id: str) -> str:
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()


def choose_heldout(corpus: Path) -> list[str]:
    chosen: list[str] = []
    for name in FILES:
        eligible = [
            (_id_hash(d["id"]), d["id"])
            for d in read_documents(corpus / name)
            if HELDOUT_MIN_SYLLABLES <= d.get("n_syllables", 0) <= HELDOUT_MAX_SYLLABLES
        ]
        chosen += [doc_id for _, doc_id in sorted(eligible)[:HELDOUT_PER_FILE]]
    return chosen


def write_heldout(ids: list[str], path: Path = HELDOUT_LIST) -> None:
    header = (
        "# Documents of ../shared/text-corpus kept out of the language model (scripts/build_lm.py):\n"
        f"# per file, the {HELDOUT_PER_FILE} with the smallest SHA-1 of their id among those of "
        f"{HELDOUT_MIN_SYLLABLES}-{HELDOUT_MAX_SYLLABLES} syllables. One id a line.\n"
    )
    path.write_text(header + "".join(i + "\n" for i in ids), encoding="utf-8")


def read_heldout(path: Path = HELDOUT_LIST) -> list[str]:
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]


# ---------------------------------------------------------------- counting


class Streams:
    """Every counted segment as one id stream, each segment between <s> and </s>, with case flags."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {s: i for i, s in enumerate(SPECIALS)}
        self.names: list[str] = list(SPECIALS)
        self.tokens = array("i")
        self.flags = array("b")
        self._seen: dict[int, int] = {}
        self.dropped_segments = 0
        self.dropped_tokens = 0

    def add(self, segs: Iterable[list[tuple[str, int]]]) -> None:
        ids, names, tokens, flags = self.ids, self.names, self.tokens, self.flags
        for seg in segs:
            if len(seg) >= REPEAT_MIN_TOKENS:
                h = hash(tuple(t for t, _ in seg))
                n = self._seen.get(h, 0) + 1
                self._seen[h] = n
                if n > REPEAT_CAP:
                    self.dropped_segments += 1
                    self.dropped_tokens += len(seg)
                    continue
            tokens.append(1)
            flags.append(NO_CASE)
            for tok, flag in seg:
                i = ids.get(tok)
                if i is None:
                    # foreign words and other scripts: one <unk> token
                    if is_syllable_shape(key_of(tok)):
                        i = len(names)
                        names.append(tok)
                    else:
                        i = 0
                    ids[tok] = i
                tokens.append(i)
                flags.append(flag)
            tokens.append(2)
            flags.append(NO_CASE)


def _discounts(a: np.ndarray) -> np.ndarray:
    """Modified Kneser–Ney discounts D[0..3] (D[3] for counts of 3 and more) from counts of counts."""
    n = np.bincount(np.minimum(a, 5).astype(np.int64), minlength=6)[1:5].astype(float)
    d = np.zeros(4)
    if n[0] > 0 and n[1] > 0:
        y = n[0] / (n[0] + 2 * n[1])
        d[1:] = y
        for k in (1, 2, 3):
            if n[k - 1] > 0 and n[k] > 0:
                d[k] = k - (k + 1) * y * n[k] / n[k - 1]
    else:  # a tiny corpus: plain absolute discounting
        d[1:] = 0.5
    d[1:] = np.clip(d[1:], 0.05, [1.0, 2.0, 3.0])
    return d


def _take(d: np.ndarray, a: np.ndarray) -> np.ndarray:
    return d[np.minimum(a, 3)]


def _unique_counts(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes = np.sort(codes, kind="stable")
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    counts = np.diff(np.r_[starts, len(codes)])
    return codes[starts], counts


def estimate(streams: Streams, max_bigrams: int = MAX_BIGRAMS, max_trigrams: int = MAX_TRIGRAMS, min_count: int = MIN_COUNT) -> dict:
    """Smoothed, pruned tables (numpy arrays and the vocabulary) from the counted streams."""
    raw_t = np.frombuffer(streams.tokens, dtype=np.int32).astype(np.int64)
    flags = np.frombuffer(streams.flags, dtype=np.int8)
    names = streams.names
    counts = np.bincount(raw_t, minlength=len(names))
    # vocabulary: the specials, then syllables seen min_count times or more, most frequent first
    special = np.arange(len(names)) < len(SPECIALS)
    keep = ~special & (counts >= min_count)
    order = sorted(np.flatnonzero(keep).tolist(), key=lambda i: (-counts[i], names[i]))
    vocab = list(SPECIALS) + [names[i] for i in order]
    if len(vocab) > MAX_VOCAB:
        raise ValueError(f"{len(vocab)} syllables do not fit 16-bit ids; raise min_count")
    remap = np.zeros(len(names), dtype=np.int64)  # default <unk>
    remap[: len(SPECIALS)] = np.arange(len(SPECIALS))
    remap[order] = np.arange(len(SPECIALS), len(vocab))
    t = remap[raw_t]
    del raw_t
    V = len(vocab)
    bos, eos = 1, 2

    # n-gram occurrences inside segments: never from </s> on (the next segment starts there)
    first, second = t[:-1], t[1:]
    ok2 = first != eos
    code2 = (first[ok2] << BITS) | second[ok2]
    ok3 = (t[:-2] != eos) & (t[1:-1] != eos)
    code3 = (t[:-2][ok3] << (2 * BITS)) | (t[1:-1][ok3] << BITS) | t[2:][ok3]
    k2, c2 = _unique_counts(code2)
    del code2
    k3, c3 = _unique_counts(code3)
    del code3

    # unigrams: continuation counts (how many different syllables precede), discounted, mixed with uniform
    v2, w2 = k2 >> BITS, k2 & MASK
    a1 = np.bincount(w2, minlength=V).astype(np.int64)
    d1 = _discounts(a1[a1 > 0])
    predictable = V - 1  # everything but <s>
    s1 = a1.sum()
    gamma1 = _take(d1, a1[a1 > 0]).sum() / s1
    p1 = np.maximum(a1 - _take(d1, a1) * (a1 > 0), 0) / s1 + gamma1 / predictable
    p1[bos] = 0.0

    # bigrams: continuation counts, raw counts after <s>
    suffix3 = k3 & ((1 << (2 * BITS)) - 1)
    suf_keys, suf_counts = _unique_counts(suffix3)
    a2 = c2.copy()
    inner = v2 != bos
    pos = np.searchsorted(suf_keys, k2[inner])
    a2[inner] = suf_counts[pos]
    d2 = _discounts(a2)
    big_a = np.bincount(v2, weights=a2, minlength=V)
    mass2 = np.bincount(v2, weights=_take(d2, a2), minlength=V)
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma2 = np.where(big_a > 0, mass2 / big_a, 1.0)
    p2 = np.maximum(a2 - _take(d2, a2), 0) / big_a[v2] + gamma2[v2] * p1[w2]

    # trigrams: raw counts
    ctx3 = k3 >> BITS
    starts = np.flatnonzero(np.r_[True, ctx3[1:] != ctx3[:-1]])
    group = np.cumsum(np.r_[False, ctx3[1:] != ctx3[:-1]])
    d3 = _discounts(c3)
    big_a3 = np.add.reduceat(c3, starts).astype(float)
    gamma3 = np.add.reduceat(_take(d3, c3), starts) / big_a3
    sfx = np.searchsorted(k2, suffix3)
    p2_sfx = p2[sfx]
    backed3 = gamma3[group] * p2_sfx
    p3 = np.maximum(c3 - _take(d3, c3), 0) / big_a3[group] + backed3

    # pruning: keep the n-grams whose own estimate differs most from what back-off would give
    score3 = c3 * np.log(p3 / backed3)
    keep3 = np.sort(np.lexsort((k3, -score3))[:max_trigrams])
    score2 = c2 * np.log(p2 / (gamma2[v2] * p1[w2]))
    keep2 = np.zeros(len(k2), dtype=bool)
    keep2[np.lexsort((k2, -score2))[:max_bigrams]] = True
    # a kept trigram needs its context (for the back-off weight) and its suffix
    keep2[np.searchsorted(k2, ctx3[keep3])] = True
    keep2[sfx[keep3]] = True
    keep2 = np.flatnonzero(keep2)

    kk2, pp2 = k2[keep2], p2[keep2]
    kk3, pp3 = k3[keep3], p3[keep3]
    # back-off weights so that each context sums to one over the pruned tables
    kv2, kw2 = kk2 >> BITS, kk2 & MASK
    num1 = 1.0 - np.bincount(kv2, weights=pp2, minlength=V)
    den1 = 1.0 - np.bincount(kv2, weights=p1[kw2], minlength=V)
    backoff1 = np.log(np.maximum(num1, 1e-12) / np.maximum(den1, 1e-12))
    ctx_pos = np.searchsorted(kk2, kk3 >> BITS)
    num2 = 1.0 - np.bincount(ctx_pos, weights=pp3, minlength=len(kk2))
    den2 = 1.0 - np.bincount(ctx_pos, weights=p2_sfx[keep3], minlength=len(kk2))
    backoff2 = np.log(np.maximum(num2, 1e-12) / np.maximum(den2, 1e-12))

    # capitalisation in running text
    cap1 = np.bincount(t[flags == TITLE], minlength=V)
    low1 = np.bincount(t[flags == LOWER], minlength=V)
    both = (flags[:-1] != NO_CASE) & (flags[1:] != NO_CASE)
    pair = (first[both] << BITS) | second[both]
    pair_cap = (flags[:-1][both] == TITLE) & (flags[1:][both] == TITLE)
    obs_keys, obs = _unique_counts(pair)
    cap_keys, caps = _unique_counts(pair[pair_cap])
    n_obs = np.zeros(len(kk2))
    n_cap = np.zeros(len(kk2))
    for keys, values, into in ((obs_keys, obs, n_obs), (cap_keys, caps, n_cap)):
        at = np.searchsorted(keys, kk2).clip(max=len(keys) - 1) if len(keys) else np.zeros(len(kk2), dtype=np.int64)
        found = keys[at] == kk2 if len(keys) else np.zeros(len(kk2), dtype=bool)
        into[found] = values[at[found]]
    pair_share = np.round(255 * n_cap / (n_obs + 1)).astype(np.uint8)

    with np.errstate(divide="ignore"):
        logp1 = np.log(p1)
    logp1[bos] = -99.0
    return {
        "vocab": vocab,
        "uni_logp": logp1.astype(np.float32),
        "uni_backoff": backoff1.astype(np.float32),
        "uni_case": np.stack([cap1, low1], axis=1).astype(np.uint32),
        "bi_key": kk2.astype(np.int64),
        "bi_logp": np.log(pp2).astype(np.float16),
        "bi_backoff": backoff2.astype(np.float16),
        "bi_case": pair_share,
        "tri_key": kk3.astype(np.int64),
        "tri_logp": np.log(pp3).astype(np.float16),
        "stats": {
            "tokens": int(len(t) - 2 * np.count_nonzero(t == bos)),
            "segments": int(np.count_nonzero(t == bos)),
            "vocabulary": V,
            "bigrams_seen": int(len(k2)),
            "trigrams_seen": int(len(k3)),
            "bigrams_kept": int(len(kk2)),
            "trigrams_kept": int(len(kk3)),
            "discounts": {"1": d1[1:].round(4).tolist(), "2": d2[1:].round(4).tolist(), "3": d3[1:].round(4).tolist()},
            "repeat_segments_dropped": streams.dropped_segments,
            "repeat_tokens_dropped": streams.dropped_tokens,
        },
    }


ARRAYS = (
    "uni_logp", "uni_backoff", "uni_case", "bi_start", "bi_w", "bi_logp", "bi_backoff", "bi_case", "tri_start", "tri_w", "tri_logp",
)


def _rows(table: dict) -> dict:
    """The shipped layout: n-grams grouped by context, a row-start array and uint16 last ids.

    Bigrams of context v are bi_w[bi_start[v]:bi_start[v + 1]]; trigrams whose context is the
    bigram at index j are tri_w[tri_start[j]:tri_start[j + 1]], each row sorted.
    """
    k2, k3 = table["bi_key"], table["tri_key"]
    context = np.searchsorted(k2, k3 >> BITS)
    return {
        "bi_start": np.searchsorted(k2 >> BITS, np.arange(len(table["vocab"]) + 1)).astype(np.uint32),
        "bi_w": (k2 & MASK).astype(np.uint16),
        "tri_start": np.searchsorted(context, np.arange(len(k2) + 1)).astype(np.uint32),
        "tri_w": (k3 & MASK).astype(np.uint16),
    }


def write_table(table: dict, out: Path, sources: dict | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    arrays = {**table, **_rows(table)}
    for name in ARRAYS:
        np.save(out / f"{name}.npy", np.ascontiguousarray(arrays[name]))
    (out / "vocab.txt").write_text("".join(s + "\n" for s in table["vocab"]), encoding="utf-8")
    meta = {"format": FORMAT, "specials": list(SPECIALS), "stats": table["stats"], "sources": sources or {}}
    (out / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def build_from_texts(texts: Iterable[str], out: Path, **limits: int) -> dict:
    """Count, smooth, prune and write a table from plain texts (used by the tests on invented text)."""
    streams = Streams()
    for text in texts:
        streams.add(segments(text))
    table = estimate(streams, **limits)
    write_table(table, out)
    return table["stats"]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build(corpus: Path, out: Path) -> None:
    for name in FILES:
        if not (corpus / name).is_file():
            sys.exit(f"build_lm: {corpus / name} not found; pass --corpus DIR (the folder with {' and '.join(FILES)})")
    t0 = time.time()
    heldout = choose_heldout(corpus)
    write_heldout(heldout)
    held = set(heldout)
    streams = Streams()
    for name in FILES:
        for n, doc in enumerate(read_documents(corpus / name), 1):
            if doc["id"] not in held:
                streams.add(segments(doc["text"]))
            if n % 1000 == 0:
                print(f"{name}: {n} documents, {len(streams.tokens):,} tokens, {time.time() - t0:.0f} s", file=sys.stderr)
    table = estimate(streams)
    sources = {name: {"sha256": _sha256(corpus / name)} for name in FILES}
    write_table(table, out, sources)
    print(json.dumps(table["stats"], indent=1), file=sys.stderr)
    print(f"built {out} in {time.time() - t0:.0f} s", file=sys.stderr)


# ---------------------------------------------------------------- measuring


def perplexity(texts: Iterable[str], lm) -> dict:
    """Per-token perplexity (</s> included), over all tokens and over in-vocabulary targets only."""
    total = known = 0.0
    n = n_known = oov = 0
    for text in texts:
        for seg in segments(text):
            toks = [tok if tok in lm else UNK for tok, _ in seg] + [EOS]
            prev1, prev2 = BOS, None
            for tok in toks:
                lp = lm.logp(tok, prev1, prev2)
                total += lp
                n += 1
                if tok == UNK:
                    oov += 1
                else:
                    known += lp
                    n_known += 1
                prev2, prev1 = prev1, tok
    return {
        "tokens": n,
        "oov_rate": round(oov / max(n, 1), 4),
        "perplexity": round(math.exp(-total / max(n, 1)), 1),
        "perplexity_known": round(math.exp(-known / max(n_known, 1)), 1),
    }


def _cmd_perplexity(args: argparse.Namespace) -> None:
    from planscan.extract.restore.lm import LanguageModel

    lm = LanguageModel.load(args.table) if args.table else LanguageModel.shipped()
    if args.files:
        for f in args.files:
            print(f, perplexity([Path(f).read_text(encoding="utf-8")], lm))
        return
    wanted = set(read_heldout())
    for name in FILES:
        docs = [d["text"] for d in read_documents(args.corpus / name) if d["id"] in wanted]
        print(f"held-out {name} ({len(docs)} documents):", perplexity(docs, lm))


def _cmd_measure(args: argparse.Namespace) -> None:
    import subprocess

    table = args.table or DEFAULT_OUT
    size = sum(p.stat().st_size for p in Path(table).iterdir() if p.is_file())
    print(f"table: {size / 1e6:.1f} MB on disk in {table}")
    # CPU time beside wall time: on a shared machine the wall clock mostly measures the neighbours
    probe = (
        "import resource, time, random\n"
        "from pathlib import Path\n"
        "clocks = (time.perf_counter, time.process_time)\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "t0 = [c() for c in clocks]\n"
        "from planscan.extract.restore.lm import LanguageModel\n"
        f"lm = LanguageModel.load(Path({str(table)!r}))\n"
        "lm.logp('tế', 'kinh', 'triển')\n"
        "t1 = [c() for c in clocks]\n"
        "rng = random.Random(0)\n"
        "voc = lm.vocabulary[4:3004]\n"
        "qs = [(rng.choice(voc), rng.choice(voc), rng.choice(voc)) for _ in range(100000)]\n"
        "ids = [(lm.token_id(w), lm.token_id(a), lm.token_id(b)) for w, a, b in qs]\n"
        "t2 = [c() for c in clocks]\n"
        "for w, a, b in ids: lm.logp_ids(w, a, b)\n"
        "t3 = [c() for c in clocks]\n"
        "for w, a, b in qs: lm.logp(w, a, b)\n"
        "t4 = [c() for c in clocks]\n"
        "for w, a, b in qs: lm.logp(w, a, b)\n"
        "t5 = [c() for c in clocks]\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "fmt = lambda a, b, k: ' / '.join(f'{(y - x) * k:.2f}' for x, y in zip(a, b))\n"
        "print('wall / CPU:')\n"
        "print(f'load (import of the package + first lookup): {fmt(t0, t1, 1)} s')\n"
        "print(f'lookup on ids (random trigrams, mostly backing off): {fmt(t2, t3, 10)} us')\n"
        "print(f'lookup on syllables, first time: {fmt(t3, t4, 10)} us; repeated (memo): {fmt(t4, t5, 10)} us')\n"
        "print(f'peak RSS: {rss / 1024:.0f} MB (interpreter before the import: {base / 1024:.0f} MB)')\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    b.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p = sub.add_parser("perplexity")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--table", type=Path)
    p.add_argument("files", nargs="*")
    m = sub.add_parser("measure")
    m.add_argument("--table", type=Path)
    args = parser.parse_args(argv)
    if args.command == "build":
        build(args.corpus.resolve(), args.out)
    elif args.command == "perplexity":
        _cmd_perplexity(args)
    else:
        _cmd_measure(args)


if __name__ == "__main__":
    main()
