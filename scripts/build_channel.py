#!/usr/bin/env python3
"""Learn the OCR channel from general Vietnamese text rendered, degraded and read back by Tesseract.

usage: nice scripts/build_channel.py [--engine eng|vie|both] [--pages N] [--jobs 2] [--work DIR] [--seed S]

Input: ../shared/text-corpus (vn_legal.jsonl.xz, viwiki.jsonl.xz), skipping the documents listed
in bench/data/heldout-docs.txt. Never the development plans: those are only for measuring.

Each page takes a few paragraphs of a corpus document, sets them in one of the serif and sans fonts
Debian ships (fonts-liberation2, fonts-dejavu-core, fonts-freefont-ttf, fonts-noto-core) at 11-14 pt,
renders them at the engine's resolutions, and degrades the image as scans are degraded (skew, blur,
low contrast, bleed-through, speckle, noise, JPEG). Tesseract (`--psm 6`) reads it, the output is
aligned with the source line by line, and bench/estimate_confusion.py's estimator turns the edits
into the character table (written letter -> printed as 0-2 characters, smoothed -ln P). A second
table keeps whole-token confusions of short syllables ("ở" printed "6", "là" printed "1a").

  eng: the English model at 150-300 dpi          -> data/channel-eng.tsv, channel-syllables-eng.tsv
  vie: the Vietnamese model at 100-150 dpi, harsh -> data/channel-vie.tsv, channel-syllables-vie.tsv

Everything is drawn from one seeded generator per page, so a build is reproducible and a page's
OCR, cached in the work folder, is reused when the script runs again.
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import io
import json
import lzma
import math
import os
import random
import re
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import estimate_confusion as est  # noqa: E402

from planscan.extract.restore.channel import escape  # noqa: E402
from planscan.extract.text.syllables import has_marks  # noqa: E402

CORPUS = ROOT.parent / "shared" / "text-corpus"
CORPUS_FILES = ("vn_legal.jsonl.xz", "viwiki.jsonl.xz")
HELDOUT = ROOT / "bench" / "data" / "heldout-docs.txt"
DATA = ROOT / "planscan" / "extract" / "restore" / "data"
FONT_DIR = Path("/usr/share/fonts/truetype")

# (regular, bold, weight). Vietnamese administrative documents are set in Times New Roman by rule,
# so its two metric clones count double; the others keep the channel from fitting one typeface.
FONTS = [
    ("liberation2/LiberationSerif-Regular.ttf", "liberation2/LiberationSerif-Bold.ttf", 2),
    ("freefont/FreeSerif.ttf", "freefont/FreeSerifBold.ttf", 2),
    ("liberation2/LiberationSans-Regular.ttf", "liberation2/LiberationSans-Bold.ttf", 1),
    ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf", 1),
    ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf", 1),
    ("freefont/FreeSans.ttf", "freefont/FreeSansBold.ttf", 1),
    ("noto/NotoSerif-Regular.ttf", "noto/NotoSerif-Bold.ttf", 1),
    ("noto/NotoSans-Regular.ttf", "noto/NotoSans-Bold.ttf", 1),
]
SIZES = (11, 12, 13, 14)
ENGINES = {
    # model, resolutions, how harsh the degradation may get (0 clean .. 1 photocopy of a photocopy)
    "eng": ("eng", (150, 200, 300, 300), (0.0, 0.8)),
    "vie": ("vie", (100, 120, 150), (0.2, 0.8)),
}
LINES_PER_PAGE = 36
# Pages per engine, about 12 minutes of CPU. From half of them to all, the edits decoding uses
# move by under 0.3 nats on average (the build prints this) and restoration by half a point at most.
PAGES = {"eng": 120, "vie": 60}
# Letters a page may use: Vietnamese, other Latin letters, digits and the usual punctuation.
# Paragraphs with anything else (Chinese, Greek, symbols the fonts lack) are not set.
_ALLOWED = re.compile(r"^[0-9A-Za-zÀ-ỹ\s.,;:!?%()\[\]/\-–—'\"“”‘’…&+*=<>°№§]+$")
# A syllable table row needs this many occurrences of the written syllable.
SYLLABLE_MIN = 5
SYLLABLE_MAX_LEN = 3  # whole-token confusions matter for short tokens the letter table misjudges


def missing_letters(font: str) -> str:
    """The Vietnamese letters the font has no glyph for (Liberation 1.x lacks "ơ", "ư" and "ạ":
    Pillow would draw boxes and the channel would learn the boxes)."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(FONT_DIR / font, lazy=True).getBestCmap()
    letters = "".join(est.ALPHABET) + "".join(est.ALPHABET).upper()
    return "".join(c for c in letters if ord(c) not in cmap)


def heldout_ids(path: Path = HELDOUT) -> set[str]:
    if not path.exists():
        return set()
    return {ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")}


def usable(paragraph: str) -> bool:
    """Running Vietnamese prose: allowed characters, few digits, most words marked as Vietnamese."""
    if len(paragraph) < 30 or not _ALLOWED.match(paragraph):
        return False
    words = paragraph.split()
    if sum(c.isdigit() for c in paragraph) > 0.15 * len(paragraph):
        return False
    return sum(1 for w in words if has_marks(w)) >= 0.3 * len(words)


def paragraphs(text: str) -> list[str]:
    """A document's paragraphs, each on one line: gazette texts keep PDF line breaks inside them,
    but no paragraph crosses a blank line."""
    out = []
    for block in re.split(r"\n\s*\n", unicodedata.normalize("NFC", text)):
        for para in block.split("\n"):
            para = " ".join(para.split())
            if usable(para):
                out.append(para)
    return out


def sample_documents(n_docs: int, seed: int, corpus: Path = CORPUS) -> list[list[str]]:
    """``n_docs`` documents' usable paragraphs, chosen by a seeded hash of their ids across both files."""
    skip = heldout_ids()
    keep = 3 * n_docs  # some documents are too short or too foreign to set a page from
    chosen: list[tuple[float, str]] = []  # a heap of the best-ranked, worst on top
    for name in CORPUS_FILES:
        with lzma.open(corpus / name, "rt", encoding="utf-8") as f:
            for row in f:
                doc = json.loads(row)
                if doc["id"] in skip:
                    continue
                rank = random.Random(f"{seed}:{doc['id']}").random()
                if len(chosen) < keep:
                    heapq.heappush(chosen, (-rank, doc["text"]))
                elif -rank > chosen[0][0]:
                    heapq.heapreplace(chosen, (-rank, doc["text"]))
    docs = []
    for _rank, text in sorted(chosen, reverse=True):
        paras = paragraphs(text)
        if sum(len(p) for p in paras) > 2000:
            docs.append(paras)
        if len(docs) == n_docs:
            break
    return docs


@dataclass(frozen=True)
class Setting:
    font: str
    bold: str
    size: float  # pt
    dpi: int
    harsh: float  # 0..1
    spacing: float  # line height / font size
    justify: bool
    seed: int


def draw_setting(rng: random.Random, engine: str, seed: int) -> Setting:
    _model, dpis, (lo, hi) = ENGINES[engine]
    font, bold, _w = rng.choices(FONTS, weights=[w for *_f, w in FONTS])[0]
    return Setting(font=font, bold=bold, size=rng.choice(SIZES), dpi=rng.choice(dpis), harsh=rng.uniform(lo, hi),
                   spacing=rng.uniform(1.2, 1.5), justify=rng.random() < 0.5, seed=seed)


def wrap(paras: Iterable[str], font: ImageFont.FreeTypeFont, width: float, indent: float) -> Iterator[tuple[list[str], bool, bool]]:
    """(words of a line, first line of its paragraph, last line of its paragraph), greedily filled."""
    space = font.getlength(" ")
    for para in paras:
        words, line, used, first = para.split(), [], 0.0, True
        for w in words:
            wl = font.getlength(w)
            room = width - (indent if first else 0.0)
            if line and used + space + wl > room:
                yield line, first, False
                line, used, first = [], 0.0, False
            used += (space if line else 0.0) + wl
            line.append(w)
        if line:
            yield line, first, True


def render(paras: list[str], s: Setting) -> tuple[Image.Image, list[str]]:
    """The page image (gray, paper 255) and its lines of text as set."""
    px = s.size * s.dpi / 72
    regular = ImageFont.truetype(str(FONT_DIR / s.font), round(px), layout_engine=ImageFont.Layout.RAQM)
    bold = ImageFont.truetype(str(FONT_DIR / s.bold), round(px), layout_engine=ImageFont.Layout.RAQM)
    w, h = round(8.27 * s.dpi), round(11.69 * s.dpi)
    left, right, top = round(1.18 * s.dpi), round(0.79 * s.dpi), round(0.8 * s.dpi)
    img = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(img)
    width, indent, step = w - left - right, 0.4 * s.dpi, px * s.spacing
    lines: list[str] = []
    y = float(top)
    for words, first, last in wrap(paras, regular, width, indent):
        if len(lines) == LINES_PER_PAGE or y + step > h - top:
            break
        text = " ".join(words)
        # short upper-case paragraphs are headings, set in bold as documents set them
        font = bold if text.isupper() and first and last else regular
        x = left + (indent if first else 0)
        if s.justify and not last and len(words) > 1:
            gap = (width - (indent if first else 0) - sum(font.getlength(wd) for wd in words)) / (len(words) - 1)
            for wd in words:
                d.text((x, y), wd, font=font, fill=0)
                x += font.getlength(wd) + gap
        else:
            d.text((x, y), text, font=font, fill=0)
        lines.append(text)
        y += step
    return img, lines


def degrade(img: Image.Image, s: Setting, rng: random.Random, back: Image.Image | None) -> Image.Image:
    """What scanning does to a printed page, scaled by ``s.harsh``: grey toner on grey paper, the back
    page showing through, a slight skew, blur, speckle, sensor noise and JPEG compression."""
    k = s.harsh
    nrng = np.random.default_rng(s.seed)
    a = np.asarray(img, dtype=np.float32) / 255.0
    if back is not None and rng.random() < 0.3 + 0.5 * k:
        b = np.asarray(back.transpose(Image.Transpose.FLIP_LEFT_RIGHT).resize(img.size), dtype=np.float32) / 255.0
        a = a * (1 - rng.uniform(0.04, 0.08 + 0.2 * k) * (1 - b))
    ink, paper = rng.uniform(0.0, 0.1 + 0.35 * k), rng.uniform(0.97 - 0.25 * k, 1.0)
    a = ink + (paper - ink) * a
    # uneven light: a gentle gradient across the page
    yy, xx = np.mgrid[0:a.shape[0], 0:a.shape[1]]
    a = a * (1 - rng.uniform(0, 0.15 * k) * (xx / a.shape[1] + yy / a.shape[0]) / 2)
    out = Image.fromarray(np.clip(a * 255, 0, 255).astype(np.uint8))
    out = out.rotate(rng.uniform(-0.4 - 1.6 * k, 0.4 + 1.6 * k), resample=Image.Resampling.BILINEAR, fillcolor=int(paper * 255))
    out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 0.4 + 0.8 * k) * s.dpi / 150))
    a = np.asarray(out, dtype=np.float32)
    a += nrng.normal(0, rng.uniform(2, 4 + 14 * k), a.shape)
    speck = nrng.random(a.shape) < rng.uniform(0, 0.002 * k)
    a[speck] = rng.uniform(0, 100)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=rng.randint(round(85 - 50 * k), 90))
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def ocr(img: Image.Image, model: str, dpi: int) -> str:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    got = subprocess.run(["tesseract", "stdin", "stdout", "-l", model, "--psm", "6", "--dpi", str(dpi)],
                         input=buf.getvalue(), capture_output=True, check=True, env=env)
    return got.stdout.decode("utf-8", "replace")


def make_page(job: tuple[str, int, int, list[str], list[str], Path, bool]) -> None:
    """Render, degrade and read one page; writes NNNN.gold.txt, NNNN.ocr.txt and NNNN.json."""
    engine, seed, index, paras, back_paras, work, keep_image = job
    stem = work / f"{index:04d}"
    rng = random.Random(f"{seed}:{engine}:{index}")
    s = draw_setting(rng, engine, seed * 100_000 + index)
    img, lines = render(paras, s)
    back = render(back_paras, s)[0] if back_paras else None
    page = degrade(img, s, rng, back)
    if keep_image:
        page.save(stem.with_suffix(".png"))
    text = ocr(page, ENGINES[engine][0], s.dpi)
    # psm 6 prints one line per text line; blank lines it adds would break the line alignment
    printed = [ln for ln in text.replace("\f", "").split("\n") if ln.strip()]
    stem.with_suffix(".ocr.txt").write_text("\n".join(printed) + "\n", encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps({**asdict(s), "text": text_key(paras, back_paras)}), encoding="utf-8")
    stem.with_suffix(".gold.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def text_key(paras: list[str], back: list[str]) -> str:
    """What a cached page was set from: a page is made again when the sample changes (a document
    newly held out shifts every later page to the next document)."""
    return hashlib.sha1(json.dumps([paras, back], ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def cached(stem: Path, key: str) -> bool:
    meta = stem.with_suffix(".json")
    return stem.with_suffix(".gold.txt").exists() and meta.exists() and json.loads(meta.read_text()).get("text") == key


def page_jobs(engine: str, pages: int, seed: int, work: Path, keep_images: int, corpus: Path = CORPUS) -> list[tuple]:
    """One job per page not in the work folder yet; each page takes text from its own document."""
    docs = sample_documents(pages + 1, seed + (0 if engine == "eng" else 7), corpus)
    jobs = []
    for i in range(pages):
        rng = random.Random(f"text:{seed}:{engine}:{i}")
        start = rng.randrange(max(1, len(docs[i]) - 8))
        paras, back = docs[i][start:start + 40], docs[i + 1][:12]
        if not cached(work / f"{i:04d}", text_key(paras, back)):
            jobs.append((engine, seed, i, paras, back, work, i < keep_images))
    return jobs


def page_pairs(work: Path, pages: int) -> list[tuple[Path, Path]]:
    return [(work / f"{i:04d}.ocr.txt", work / f"{i:04d}.gold.txt") for i in range(pages)]


def count_syllables(pairs: list[tuple[Path, Path]]) -> tuple[Counter, Counter]:
    """How often each written token came out as each printed token (lower case, no digits)."""
    seen: Counter = Counter()
    total: Counter = Counter()
    for ocr_path, gold_path in pairs:
        for g, o in est.token_pairs(ocr_path.read_text(encoding="utf-8"), gold_path.read_text(encoding="utf-8")):
            total[g] += 1
            seen[(g, o)] += 1
    return seen, total


def write_syllables(seen: Counter, total: Counter, path: Path, source: str, beta: float = 1.0) -> int:
    """Whole-token confusions of short written syllables, -ln P with add-``beta`` mass kept for
    printed forms never seen; only syllables printed wrong at least twice get rows."""
    rows = []
    for g in sorted(total, key=lambda x: (-total[x], x)):
        n = total[g]
        if n < SYLLABLE_MIN or len(g) > SYLLABLE_MAX_LEN:
            continue
        outs = [(o, c) for (gg, o), c in seen.items() if gg == g and (c >= 2 or o == g)]
        if not any(o != g for o, _c in outs):
            continue
        for o, c in sorted(outs, key=lambda kv: -kv[1]):
            rows.append(f"{escape(g)}\t{escape(o)}\t{-math.log(c / (n + beta)):.3f}\t{c}")
    header = ("# written syllable\tprinted as\tcost (-ln P)\tcount\n"
              f"# estimated by {source}; each syllable's rows leave some mass for unseen forms\n")
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


def read_costs(path: Path) -> dict[tuple[str, str], float]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            g, o, cost, *_ = line.split("\t")
            out[(g, o)] = float(cost)
    return out


def convergence(pairs: list[tuple[Path, Path]], tmp: Path) -> list[tuple[int, float, float]]:
    """(pages, mean |cost change|, largest change) of the estimate from half the pages to all of
    them, over the edits that cost under 4 nats (the ones decoding takes)."""
    out = []
    prev = None
    for n in sorted({max(1, len(pairs) // 4), max(1, len(pairs) // 2), len(pairs)}):
        edits, totals = est.count_pairs(pairs[:n])
        est.write_table(edits, totals, tmp)
        costs = read_costs(tmp)
        if prev is not None:
            keys = [k for k in costs if costs[k] < 4 or prev.get(k, 99) < 4]
            diffs = [abs(costs.get(k, 9.0) - prev.get(k, 9.0)) for k in keys]
            out.append((n, sum(diffs) / len(diffs), max(diffs)))
        prev = costs
    tmp.unlink()
    return out


def build(engine: str, pages: int, seed: int, work: Path, jobs: int, keep_images: int, out: Path,
          corpus: Path = CORPUS) -> None:
    work.mkdir(parents=True, exist_ok=True)
    todo = page_jobs(engine, pages, seed, work, keep_images, corpus)
    if todo:
        with ProcessPoolExecutor(jobs) as pool:
            for n, _ in enumerate(pool.map(make_page, todo), 1):
                if n % 20 == 0:
                    print(f"{engine}: {n}/{len(todo)} pages", flush=True)
    pairs = page_pairs(work, pages)
    source = (f"scripts/build_channel.py: {len(pairs)} pages of ../shared/text-corpus rendered, degraded "
              f"and read by Tesseract '{ENGINES[engine][0]}' (seed {seed})")
    edits, totals = est.count_pairs(pairs)
    n_rows = est.write_table(edits, totals, out / f"channel-{engine}.tsv", source)
    seen, total = count_syllables(pairs)
    n_syl = write_syllables(seen, total, out / f"channel-syllables-{engine}.tsv", source)
    lines = sum(len(g.read_text(encoding="utf-8").splitlines()) for _o, g in pairs)
    print(f"{engine}: {len(pairs)} pages, {lines} lines, {sum(totals.values())} letters -> {n_rows} edits, "
          f"{n_syl} syllable rows")
    for n, mean, worst in convergence(pairs, work / "convergence.tsv"):
        print(f"{engine}: up to {n} pages, mean |change| of usable costs {mean:.3f} nats, largest {worst:.2f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=("eng", "vie", "both"), default="both")
    ap.add_argument("--pages", type=int, help=f"pages per engine, {LINES_PER_PAGE} lines each (default {PAGES})")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "channel", help="page cache")
    ap.add_argument("--keep-images", type=int, default=0, help="save the first N page images as PNG")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="the general text corpus (input)")
    ap.add_argument("-o", "--output", type=Path, default=DATA)
    args = ap.parse_args(argv)
    if not all((args.corpus / name).exists() for name in CORPUS_FILES):
        sys.exit(f"{args.corpus}: the text corpus is missing ({', '.join(CORPUS_FILES)}); it is the build's only input")
    for regular, bold, _w in FONTS:
        for font in (regular, bold):
            if not (FONT_DIR / font).exists() or missing_letters(font):
                sys.exit(f"{FONT_DIR / font}: missing or without Vietnamese letters; install fonts-liberation2 "
                         "fonts-dejavu-core fonts-freefont-ttf fonts-noto-core")
    for engine in (("eng", "vie") if args.engine == "both" else (args.engine,)):
        build(engine, args.pages or PAGES[engine], args.seed, args.work / engine, args.jobs, args.keep_images, args.output, args.corpus)


if __name__ == "__main__":
    main()
