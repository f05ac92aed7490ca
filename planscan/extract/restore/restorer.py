"""Diacritic restoration: make English-OCR and accent-stripped Vietnamese text correct again.

A ``Restorer`` owns everything restoration needs: the vocabulary, the channels (the OCR channel,
``Restorer(channel_table=path)`` for one estimated for another engine, and the accent-less one),
the candidate and option caches, and the decoder's weights. Two Restorers never share state, so
two channels work side by side in one process. The module-level ``restore_text``,
``restore_document`` and ``explain_text`` use one default Restorer, built on first use.

Modes: ``full`` (the text lost its diacritics: every word-like token is re-decided), ``auto`` (the
text has diacritics; tokens that are not valid syllables are corrected, a valid one only when the
context strongly wants another tone on the same letters; accent-less text is detected and switched
to ``full``), ``off``. Whitespace, punctuation, numbers, codes and line breaks are never touched:
only word-like tokens are replaced in place. Each paragraph is decoded as one lattice, so context
runs across line breaks while every line stays a line.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Literal, Optional

from planscan.extract.restore.candidates import Candidate, CandidateGenerator, simple_key
from planscan.extract.restore.channel import Channel
from planscan.extract.restore.document import DocumentContext
from planscan.extract.restore.decode import LanguageModel, Option, Slot, Weights, best_path, confidence
from planscan.extract.restore.vocabulary import NUM, Vocabulary, load
from planscan.extract.text.fold import fold
from planscan.extract.text.units import lookup_unit
from planscan.extract.text.syllables import apply_case, canonical, case_pattern, has_marks, key_of, split_tone

if TYPE_CHECKING:  # the record types cost a tenth of `planscan restore`'s start-up; text needs none
    from planscan.schemas.records import Document, Line, Word

MODES = ("auto", "full", "off")

# Letters plus the symbols English OCR prints for Vietnamese letters ("¢6" for "có", "K&" for "Kế").
_W = r"(?:[^\W_]|[¢&§@])"
_CORE = re.compile(rf"{_W}+(?:['‘’]{_W}+)*")
_CONFUSABLE_DIGITS = frozenset("013456")
# Keeping an unknown token as printed costs this much channel: lower for capitalised words,
# which are more often names.
KEEP_COST = 9.0
KEEP_COST_TITLE = 6.0
# Weight of the corpus's capitalisation of a syllable in reading a capitalised word inside a sentence.
CASE_WEIGHT = 0.5
# Auto mode: below this share of marked syllables the text is taken as accent-less.
ACCENTED_SHARE = 0.25
# Auto mode: the channel cost of replacing a valid syllable by another with the same letters.
AUTO_SWAP = 9.0
# Auto mode: a change of tone alone costs less; an OCR with Vietnamese misreads the small marks
# above a vowel far more often than the vowel's letter or quality marks, hook and acute most of all.
AUTO_TONE_SWAP = 6.0
AUTO_HOOK_ACUTE = 4.0
# and such a change is made only when the context is this sure of it ("tuyến truyền dẫn" must not
# become "tuyên truyền dẫn" because "tuyên truyền" is a common phrase).
AUTO_MIN_CONFIDENCE = 0.9
_HOOK_ACUTE = frozenset("\u0309\u0301")
# A lone token of one or two digits is read as the syllable English OCR printed it for only when
# the context is this sure.
DIGIT_MIN_CONFIDENCE = 0.95
# Entries of each Restorer's option cache (about 1 kB each); the candidate caches are as large.
CACHE_SIZE = 50_000


def _swap_cost(printed: str, other: str) -> float:
    """Channel cost, in auto mode, of a valid syllable printed for another one with the same letters."""
    b1, t1 = split_tone(printed)
    b2, t2 = split_tone(other)
    if b1 != b2:
        return AUTO_SWAP
    if {t1, t2} == _HOOK_ACUTE:
        return AUTO_HOOK_ACUTE
    return AUTO_TONE_SWAP


@dataclass(frozen=True)
class Change:
    start: int  # offsets in the original line
    end: int
    original: str
    restored: str
    # the confidence, or how to work it out: it costs a dozen language-model lookups, and most
    # callers (restored text, a document) never ask
    _confidence: float | Callable[[], float] = field(repr=False, compare=False)

    @property
    def confidence(self) -> float:
        """How sure the decoder is of the change (0-1, three decimals)."""
        c = self._confidence
        if callable(c):
            c = c()
            object.__setattr__(self, "_confidence", c)
        return c


_VOWEL_LIKE = frozenset("aeiouy60&@43")
_NUM_OPTIONS: tuple[Option, ...] = ((NUM, 0.0),)
_ROMAN = re.compile(r"^(?:I{2,3}|IV|VI{0,3}|IX|XI{0,3}|XI?V|XVI{0,3})$")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")


# Longer tokens are kept as printed: the longest syllable has 7 letters ("nghiêng"), English OCR
# prints a few as two ("ư" as "ir"), and two syllables run together make at most about 16. The
# cap bounds the cost of a token, whatever the input ("no spaces at all").
MAX_TOKEN = 16


@lru_cache(maxsize=100_000)
def _restorable(core: str) -> bool:
    if len(core) > MAX_TOKEN:
        return False
    letters = sum(1 for c in core if c.isalpha() or c in "¢&§@")
    if letters == 0 or (len(core) == 1 and not core.isalpha()):
        return False  # "&" alone is an ampersand
    if not all(c in _OCR_SYMBOLS or _latin(c) for c in core):
        return False  # another script (Cyrillic, Arabic, Chinese), combining marks: not Vietnamese
    if _ROMAN.match(core):
        return False  # section numbers: II, IV, VI
    digits = [c for c in core if c.isdigit()]
    if digits:
        if len(core) < 2 or len(digits) > letters or any(d not in _CONFUSABLE_DIGITS for d in digits):
            return False
        if any(c.isupper() for c in core[1:]):
            return False  # "6T", "3G": codes, not garbled words
    # No vowel at all: an abbreviation or a unit (UBND, km, kg) is kept. But English OCR prints
    # marked vowels as consonants ("cdp" for "cấp", "hgp" for "hợp", "tt" for "tử"), and a
    # lower-case vowel-less token in Vietnamese prose is nearly always such a garble; the decoder
    # still keeps it as printed when no syllable reads well.
    plain = fold(core)
    if any(c in _VOWEL_LIKE for c in plain):
        return True
    return core.islower() and len(core) >= 2 and plain not in _UNITS


_OCR_SYMBOLS = frozenset("¢&§@0123456789'‘’")


def _latin(c: str) -> bool:
    plain = fold(c)
    return len(plain) == 1 and "a" <= plain <= "z"


# Lower-case units and symbols without a vowel that must never be read as garbled syllables.
_UNITS = frozenset("km kg kw kwh mw mwh gw mb gb tb kb mbps gbps kbps cm mm dm nm ml mg gd vnd vnđ đ".split())


@lru_cache(maxsize=4096)
def _is_measure_unit(syllable: str) -> bool:
    """Whether a syllable, as written, is a unit of measure or a scale word ("ha", "tấn", "tỷ")."""
    found = lookup_unit([syllable], marks="written")
    return found is not None and found[1] == 1 and found[0].family != "count"


@cache
def _abbreviations() -> dict[str, str]:
    """Accent-less spelling -> written form of the abbreviations listed with "Đ" ("HDND" -> "HĐND")."""
    from importlib import resources

    p = resources.files("planscan.extract.restore") / "data" / "abbreviations.txt"
    out: dict[str, str] = {}
    for line in p.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            out[word.replace("Đ", "D")] = word
    return out


# Context runs across spaces, and across a spaced dash inside a set phrase ("Độc lập - Tự do - Hạnh
# phúc", "kinh tế - xã hội", "Tài chính - Kế hoạch"), not across other punctuation.
_JOINS = re.compile(r"\s*(?:[-–]\s+)?$")
_WORD_THEN_FIGURE = re.compile(r"([^\W\d_]{2,})(\d+)")
_FIGURE_GOES_ON = re.compile(r"[.,]\d")
# Written forms that are not words: web addresses, e-mail addresses, domain and file names. Their
# tokens are kept as printed and cut the context.
_VERBATIM = re.compile(
    r"(?:https?|ftp)://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|gov|edu|int|info|io)\b(?:/\S*)?"
    r"|\b[\w-]+\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|txt|csv|json|xml|html?|jpe?g|png|tiff?|zip|rar)\b",
    re.IGNORECASE)


def _verbatim_spans(line: str) -> list[tuple[int, int]]:
    return [m.span() for m in _VERBATIM.finditer(line)] if ("." in line or "@" in line) else []


def _pieces(line: str) -> Iterable[tuple[int, int, str]]:
    """Word-like tokens of the line with their offsets; a word glued to a figure ("nam2019",
    "khoảng1.230") is two pieces, so the word is restored and the figure kept."""
    for m in _CORE.finditer(line):
        start, end, core = m.start(), m.end(), m.group()
        g = _WORD_THEN_FIGURE.fullmatch(core)
        # a trailing digit may be a letter English OCR misread ("d6" for "đó"): it is
        # a figure only when it goes on ("khoảng1.230") or the word is already a written syllable
        if g and case_pattern(g.group(1)) != "upper" and (
                len(g.group(2)) >= 2 or _FIGURE_GOES_ON.match(line, end) or has_marks(g.group(1))):
            cut = start + len(g.group(1))
            yield start, cut, g.group(1)
            yield cut, end, g.group(2)
        else:
            yield start, end, core


# A token is split in two only when no single syllable reads it for less than this, and the two
# halves read for less than SPLIT_PART each; the split itself costs SPLIT_COST.
SPLIT_ABOVE = 5.0
# English OCR garbles most tokens, and a garbled token can often be read as two short syllables by
# chance: only a token no single syllable explains at all is split.
SPLIT_ABOVE_OCR = 9.0
SPLIT_PART = 1.5
SPLIT_COST = 2.0
# From this length on a split needs no word-list pair; shorter tokens are more often foreign words.
SPLIT_FREE_LEN = 7
# Shorter tokens are never split: "tivi", "taxi", "logo" are written as one word.
SPLIT_MIN_LEN = 5
# A pair of the language model this likely (natural log) counts as a listed one for a short split.
SPLIT_PAIR_LOGP = -6.0


def _inside_sentence(line: str, start: int, core: str) -> bool:
    """Whether a capitalised token stands inside a sentence, where a capital marks a name."""
    if case_pattern(core) != "title":
        return False
    before = line[:start].rstrip()
    return bool(before) and before[-1] not in ".:;!?-–•*+()\"'“”…"


def _case_of(core: str, syl: str, line: str, start: int) -> str:
    """The case to write ``syl`` in. A capital I read as "l" inside a sentence is English OCR's
    reading of a lower-case l ("Iinh vực" for "lĩnh vực"), not a capital."""
    pattern = case_pattern(core)
    if pattern == "title" and core[0] == "I" and syl[:1] == "l":
        before = line[:start].rstrip()
        if before and before[-1] not in ".:;!?-–•*+)":
            return "lower"
    return pattern


BLOCK_LINES = 200  # the most lines restored together (stream.paragraph_blocks cuts the same blocks)


def _blocks(lines: list[str]) -> Iterable[tuple[int, int]]:
    """Index ranges of paragraphs: runs of lines between blank lines, at most BLOCK_LINES lines long."""
    start = 0
    for i, line in enumerate(lines):
        if not line.strip() or i - start >= BLOCK_LINES:
            if i > start:
                yield start, i
            start = i + 1 if not line.strip() else i
            if not line.strip():
                yield i, i + 1
    if start < len(lines):
        yield start, len(lines)


# Everything str.splitlines() breaks on, kept verbatim, so no line is ever merged or split.
_BREAKS = re.compile(r"(\r\n|\n|\r|\f|\v|\x1c|\x1d|\x1e|\x85|\u2028|\u2029)")

# where a restorable token sits: (start, end, core), or (start, end, core, True) for the first half of a split one
Place = tuple[int, int, str] | tuple[int, int, str, bool]


class Restorer:
    """Diacritic restoration with its own vocabulary, channels, caches and decoder weights.

    ``channel`` (or ``channel_table``, the path of a channel table) is the OCR channel, by default
    the one learnt for Tesseract's English model; text typed without diacritics always gets the
    accent-less channel. ``lm`` is the language model the decoder weighs, by default the shipped
    syllable trigram model (None: the word lists alone).
    """

    def __init__(self, *, channel: Channel | None = None, channel_table: Path | str | None = None,
                 vocab: Vocabulary | None = None, weights: Weights | None = None,
                 lm: LanguageModel | None | Literal["shipped"] = "shipped", cache_size: int = CACHE_SIZE) -> None:
        if channel is not None and channel_table is not None:
            raise ValueError("give a channel or a channel table, not both")
        if channel is None:
            channel = Channel.from_file(channel_table) if channel_table is not None else Channel.shipped()
        self.vocab = vocab if vocab is not None else load()
        self.weights = weights or Weights()
        if lm == "shipped":
            from planscan.extract.restore.lm import LanguageModel as TrigramModel

            lm = TrigramModel.shipped()
        self.lm = lm
        # 'ocr': the OCR engine's channel; 'strip': text typed without diacritics
        self.channels = {"ocr": channel, "strip": Channel.accentless()}
        self._candidates = {kind: CandidateGenerator(self.vocab, ch, cache_size) for kind, ch in self.channels.items()}
        # per-instance caches: bound methods wrapped here, so they die with the Restorer
        self._options = lru_cache(maxsize=cache_size)(self._options)  # type: ignore[method-assign]
        self._split_at = lru_cache(maxsize=cache_size // 4)(self._split_at)  # type: ignore[method-assign]

    # --- public API -----------------------------------------------------------------------------

    def restore_text(self, text: str, mode: str = "auto") -> str:
        """Restored text; the same number of lines, line breaks and form feeds where they were."""
        return self.explain_text(text, mode)[0]

    def explain_text(self, text: str, mode: str = "auto") -> tuple[str, list[tuple[int, Change]], str]:
        """Restored text, its changes as (1-based line number, Change), and the mode actually used."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if mode == "off" or not text:
            return text, [], "off" if mode == "off" else mode
        parts = _BREAKS.split(text)
        lines = parts[0::2]
        seps = parts[1::2]
        restored, changes, used = self.restore_lines(lines, mode)
        out = [restored[0]]
        for sep, ln in zip(seps, restored[1:]):
            out.append(sep)
            out.append(ln)
        # line numbers as an editor counts them: a "\r\n" is one break
        numbered = [(i + 1, ch) for i, chs in enumerate(changes) for ch in chs]
        return "".join(out), numbered, used

    def restore_lines(self, lines: Iterable[str], mode: str = "auto") -> tuple[list[str], list[list[Change]], str]:
        """Restore many lines that belong together; returns them, their changes and the mode used."""
        # Decomposed text (NFD, as some PDF text layers have it) would split letters from their
        # marks; every line is taken in its composed form.
        raw = list(lines)
        lines = [unicodedata.normalize("NFC", ln) for ln in raw]
        used, kind = self._resolve("\n".join(lines), mode)
        if used == "off":
            return raw, [[] for _ in raw], used
        out, changes = [], []
        lm = self._document_model(lines, used)
        for a, b in _blocks(lines):
            for text, ch in self.restore_block(lines[a:b], used, kind, lm):
                out.append(text)
                changes.append(ch)
        return out, changes, used

    def restore_line(self, line: str, mode: str = "full", kind: str = "ocr") -> tuple[str, list[Change]]:
        """Restore one line (mode 'full' or 'auto', already resolved); returns the text and its changes."""
        if mode == "off" or not line:
            return line, []
        return self.restore_block([line], mode, kind)[0]

    def restore_document(self, doc: Document, mode: str = "auto") -> Document:
        """A new Document with line and word text restored and ``original`` set where it changed."""
        all_lines = [ln.text for p in doc.pages for ln in p.lines]
        used, kind = self._resolve("\n".join(all_lines), mode)
        new = doc.model_copy(deep=True)
        new.restored = used
        if used == "off":
            return new
        lm = self._document_model((unicodedata.normalize("NFC", t) for t in all_lines), used)
        for page in new.pages:
            for ln in page.lines:
                if not unicodedata.is_normalized("NFC", ln.text):
                    ln.original = ln.original or ln.text
                    ln.text = unicodedata.normalize("NFC", ln.text)
            texts = [ln.text for ln in page.lines]
            for a, b in _blocks(texts):
                for ln, (text, changes) in zip(page.lines[a:b], self.restore_block(texts[a:b], used, kind, lm)):
                    self._restore_line_record(ln, text, changes, used, kind)
        return new

    def detect_kind(self, text: str) -> tuple[str, str]:
        """(mode, channel) for ``auto`` on this text: ('auto'|'full', 'ocr'|'strip')."""
        logp = self.vocab.logp
        marked = total = 0
        non_ascii = letters = 0
        for m in _CORE.finditer(text):
            w = m.group()
            for c in w:
                # Latin letters only: a text quoting Chinese or Arabic is no less accent-less
                plain = fold(c)
                if len(plain) == 1 and "a" <= plain <= "z":
                    letters += 1
                    if c.lower() != plain:
                        non_ascii += 1
            if total >= 5000:
                continue
            lower = w.lower()
            if not w.isalpha():
                continue
            total += 1
            if has_marks(lower) and canonical(lower) in logp:
                marked += 1
        mode = "full" if total and marked / total < ACCENTED_SHARE else "auto"
        kind = "strip" if letters and non_ascii / letters < 0.002 else "ocr"
        return mode, kind

    def candidates(self, token: str, kind: str = "ocr") -> tuple[Candidate, ...]:
        """Candidate syllables of a lower-case printed token under channel ``kind``; cached."""
        return self._candidates[kind].candidates(token)

    # --- lattice --------------------------------------------------------------------------------

    def _resolve(self, text: str, mode: str) -> tuple[str, str]:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if mode == "off":
            return "off", "ocr"
        detected, kind = self.detect_kind(text)
        return (detected if mode == "auto" else "full"), kind

    def _is_abbreviation(self, core: str, lower: str) -> bool:
        """ALL-CAPS tokens that no syllable spells (UBND, VNPT, BTS) are codes, kept as they are."""
        if case_pattern(core) != "upper":
            return False
        return simple_key(lower) not in self.vocab.by_key

    def _options(self, core: str, mode: str, kind: str) -> Optional[tuple[Option, ...]]:
        """Lattice options for a word-like token; None when it is kept as printed without question.

        A single option means the token stays but still gives context to its neighbours. Cached
        per Restorer (see __init__).
        """
        vocab = self.vocab
        lower = unicodedata.normalize("NFC", core).lower()
        if mode == "auto":
            c = canonical(lower)
            if c in vocab.logp:
                # A valid syllable changes only when the context strongly wants another tone or mark
                # on the same letters: OCR with Vietnamese gets those wrong, not the letters.
                alts = [(a, _swap_cost(c, a)) for a in vocab.by_key.get(key_of(c), ())[:6] if a != c]
                return ((c, 0.0), *alts)
        if self._is_abbreviation(core, lower):
            return None
        cands = self.candidates(lower, kind)
        keep = KEEP_COST_TITLE if case_pattern(core) != "lower" else KEEP_COST
        opts: list[Option] = [(c.syllable, c.cost) for c in cands]
        opts.append((None, keep))
        return tuple(opts)

    def _split_at(self, core: str, mode: str, kind: str) -> Optional[int]:
        """Where a token is two syllables printed without the space between them, or None; cached."""
        # capitalised tokens are more often names ("Samsung") than two words run together
        if not (core.isalpha() and core.islower() and len(core) >= SPLIT_MIN_LEN):
            return None
        single = min((c for s, c in self._options(core, mode, kind) or () if s is not None), default=math.inf)
        if single <= (SPLIT_ABOVE if self.channels[kind].marks_only else SPLIT_ABOVE_OCR):
            return None
        best, at = single, None
        readable = self._candidates[kind].readable
        for cut in range(2, len(core) - 1):
            left, right = core[:cut], core[cut:]
            if not (right.islower() and _restorable(left) and _restorable(right)):
                continue
            # a cheap walk first: a half no plain reading explains within SPLIT_PART is no syllable
            if not (readable(left, SPLIT_PART) and readable(right, SPLIT_PART)):
                continue
            lc = min((c for s, c in self._options(left, mode, kind) or () if s is not None), default=math.inf)
            if lc > SPLIT_PART:
                continue
            rc = min((c for s, c in self._options(right, mode, kind) or () if s is not None), default=math.inf)
            if rc > SPLIT_PART:
                continue
            if lc + rc + SPLIT_COST < best and (len(core) >= SPLIT_FREE_LEN
                                                or self._listed_pair(left, right, mode, kind)):
                best, at = lc + rc + SPLIT_COST, cut
        return at

    def _listed_pair(self, left: str, right: str, mode: str, kind: str) -> bool:
        """Whether some reading of the two halves is a pair of the word lists or a common pair of the
        language model ("cùng kỳ"): a short foreign word ("video", "logo") splits into two syllables by chance, a real word pair rarely."""
        bigrams = self.vocab.bigrams
        ls = [s for s, _c in (self._options(left, mode, kind) or ())[:4] if s is not None]
        rs = [s for s, _c in (self._options(right, mode, kind) or ())[:4] if s is not None]
        if any(r in bigrams.get(a, ()) for a in ls for r in rs):
            return True
        # or a pair the corpus writes often ("cùng kỳ")
        return self.lm is not None and any(self.lm.logp(r, a) > SPLIT_PAIR_LOGP for a in ls for r in rs)

    def _line_slots(self, line: str, mode: str, kind: str) -> tuple[list[Slot], list[Optional[Place]], bool, bool]:
        """The line's lattice slots, where each restorable one sits, and whether the line starts and
        ends on a word (so context may run on from the line before and into the line after)."""
        slots: list[Slot] = []
        where: list[Optional[Place]] = []
        last_end: Optional[int] = None
        first_start: Optional[int] = None
        verbatim = _verbatim_spans(line)
        after_number = False
        for start, end, core in _pieces(line):
            opts: Optional[tuple[Option, ...]]
            follows_number, after_number = after_number and line[last_end or 0:start].isspace(), False
            if verbatim and any(a <= start < b for a, b in verbatim):
                opts = None  # a web or e-mail address, a file name: kept as printed
            elif _NUMBER.match(core):
                opts, place = self._digit_options(line, start, end, core, mode, kind), (start, end, core)
                after_number = True
            elif mode == "full" and core in _abbreviations():
                # "HDND" in accent-less text is "HĐND"
                opts = ((_abbreviations()[core].lower(), 0.0),)
                place = (start, end, core)
            elif _ROMAN.match(core) or (core.islower() and _ROMAN.match(core.upper())
                                        and canonical(core) not in self.vocab.logp):
                # a section number ("Phần IV", "khóa xii" in a lower-cased title; not "xi", a
                # syllable) gives context as a figure does
                opts = _NUM_OPTIONS
            elif _restorable(core):
                opts = self._options(core, mode, kind)
                if follows_number and opts is not None and mode == "full":
                    # a unit after a number stays a unit ("120 ha", "15 tấn")
                    units = tuple(o for o in opts if o[0] is not None and _is_measure_unit(o[0]))
                    opts = units or opts
                if opts is not None and len(opts) > 2 and mode == "full" and _inside_sentence(line, start, core):
                    opts = self._by_case(opts)
                place = (start, end, core)
                cut = self._split_at(core, mode, kind) if opts is not None else None
                if cut is not None:
                    # two syllables the OCR printed without a space ("cungky"): two slots, the first
                    # written with the space it lost
                    left, right = core[:cut], core[cut:]
                    lopts = self._options(left, mode, kind)
                    if first_start is None:
                        first_start = start
                    gap = line[last_end:start] if last_end is not None else None
                    slots.append(Slot(options=lopts, joined=gap is not None and _JOINS.match(gap) is not None))
                    where.append((start, start + cut, left, True))
                    opts, place = self._options(right, mode, kind), (start + cut, end, right)
                    last_end = start + cut
            else:
                opts = None
            if opts is None:
                last_end = None
                if first_start is None:
                    first_start = -1
                continue
            if first_start is None:
                first_start = start
            gap = line[last_end:start] if last_end is not None else None
            # context runs across plain spaces and the dot or comma inside a figure, not across punctuation
            joined = gap is not None and _JOINS.match(gap) is not None
            slots.append(Slot(options=opts, joined=joined))
            where.append(place if len(opts) > 1 or opts[0][0] not in (None, NUM) else None)
            last_end = end
        opens = first_start is not None and first_start >= 0 and line[:first_start].strip() == ""
        closes_open = last_end is not None and line[last_end:].strip() == ""
        return slots, where, opens, closes_open

    def _by_case(self, opts: tuple[Option, ...]) -> tuple[Option, ...]:
        """A capitalised word inside a sentence is most often a name: its readings cost more the
        less often the corpus writes them with a capital ("Mỹ Tho", not "Mỹ Thơ")."""
        ratio = getattr(self.lm, "case_ratio", None)
        if ratio is None:
            return opts
        logs = [math.log(ratio(s) + 0.01) if s is not None else None for s, _c in opts]
        top = max(v for v in logs if v is not None)
        return tuple((s, c if v is None else c + CASE_WEIGHT * (top - v)) for (s, c), v in zip(opts, logs))

    def _digit_options(self, line: str, start: int, end: int, core: str, mode: str,
                       kind: str) -> tuple[Option, ...]:
        """A figure's slot. A lone token of one or two digits that English OCR prints for a short
        syllable ("nha 6" for "nhà ở", "14" for "là") may also be read as that syllable, where no
        figure's neighbours stand."""
        readings = self.channels[kind].syllables.get(core) if mode == "full" and len(core) <= 2 else None
        if not readings or (start and not line[start - 1].isspace()) or (end < len(line) and line[end] not in " ,;"):
            return _NUM_OPTIONS
        vocab = self.vocab
        return _NUM_OPTIONS + tuple((canonical(syl), cost) for syl, cost in readings[:4]
                                    if canonical(syl) in vocab.logp)

    def _document_model(self, lines: Iterable[str], mode: str) -> LanguageModel | None:
        """The language model for one document: in text that lost its diacritics, the pairs it
        still spells correctly somewhere count most. (Text that has them would only vote for
        itself, against the tone fixes of auto mode.)"""
        if self.lm is None or mode != "full":
            return self.lm
        return DocumentContext(lines, self.vocab.logp).model(self.lm)

    def restore_block(self, lines: list[str], mode: str, kind: str,
                      lm: LanguageModel | None = None) -> list[tuple[str, list[Change]]]:
        """Restore consecutive lines of one paragraph with context running across the line breaks
        ("viễn" at the end of a line and "thông" at the start of the next); lines stay separate.
        ``lm``: the document's language model (``_document_model``), else the Restorer's own."""
        vocab, w = self.vocab, self.weights
        lm = lm if lm is not None else self.lm
        all_slots: list[Slot] = []
        per_line = []
        prev_open = False
        for line in lines:
            if mode == "off" or not line.strip():
                per_line.append((len(all_slots), [], []))
                prev_open = False
                continue
            slots, where, opens, closes = self._line_slots(line, mode, kind)
            if slots and prev_open and opens:
                slots[0] = Slot(options=slots[0].options, joined=True)
            per_line.append((len(all_slots), slots, where))
            all_slots.extend(slots)
            prev_open = closes if slots else False
        if not any(p for _o, _s, where in per_line for p in where):
            return [(line, []) for line in lines]
        path = best_path(all_slots, vocab, w, lm)
        results = []
        for line, (offset, slots, where) in zip(lines, per_line):
            out: list[str] = []
            changes: list[Change] = []
            pos = 0
            for j, place in enumerate(where):
                if place is None:
                    continue
                start, end, core = place[:3]
                i = offset + j
                syl = all_slots[i].options[path[i]][0]
                if len(place) > 3:  # the first half of a split token: always written, with its space
                    word = core if syl is None else apply_case(vocab.display.get(syl, syl),
                                                               _case_of(core, syl, line, start))
                    out.append(line[pos:start])
                    out.append(word + " ")
                    pos = end
                    changes.append(Change(start, end, core, word + " ", _confidence_of(all_slots, path, i, vocab, w, lm)))
                    continue
                if syl is None or syl == NUM or syl == canonical(core.lower()):
                    continue  # kept, or the same syllable (perhaps with the tone placed the other way)
                word = apply_case(vocab.display.get(syl, syl), _case_of(core, syl, line, start))
                if word == core or word.lower() == core.lower():
                    continue
                valid = mode == "auto" and canonical(core.lower()) in vocab.logp
                conf: float | Callable[[], float]
                if valid or core.isdigit():
                    raw = confidence(all_slots, path, i, vocab, w, lm)
                    if valid and raw < AUTO_MIN_CONFIDENCE:
                        continue  # a valid word is replaced only when the context is sure
                    if core.isdigit() and raw < DIGIT_MIN_CONFIDENCE:
                        continue  # a figure becomes a word only when the context is sure
                    conf = round(raw, 3)
                else:
                    conf = _confidence_of(all_slots, path, i, vocab, w, lm)
                out.append(line[pos:start])
                out.append(word)
                pos = end
                changes.append(Change(start, end, core, word, conf))
            if changes:
                out.append(line[pos:])
                results.append(("".join(out), changes))
            else:
                results.append((line, []))
        return results

    def _restore_line_record(self, ln: Line, text: str, changes: list[Change], mode: str, kind: str) -> None:
        if not changes:
            return
        ln.original = ln.original or ln.text
        ln.text = text
        if not ln.words:
            return
        if " ".join(w.text for w in ln.words) == ln.original:
            # Restoration only replaces tokens in place, so the words are the restored line's pieces.
            pieces = text.split(" ")
            if len(pieces) == len(ln.words):
                for w, piece in zip(ln.words, pieces):
                    _set_word(w, piece)
                return
        for w in ln.words:
            piece, _ = self.restore_line(w.text, mode, kind)
            _set_word(w, piece)


def _confidence_of(slots: list[Slot], path: list[int], i: int, vocab: Vocabulary, w: Weights,
                   lm: LanguageModel | None) -> Callable[[], float]:
    """The confidence of slot i's choice, rounded to three decimals, worked out when first asked."""
    return lambda: round(confidence(slots, path, i, vocab, w, lm), 3)


def _set_word(w: Word, piece: str) -> None:
    if piece != w.text:
        w.original = w.original or w.text
        w.text = piece


@cache
def default_restorer() -> Restorer:
    """The Restorer of the module-level functions: shipped channel and vocabulary, built on first use."""
    return Restorer()


def restore_text(text: str, mode: str = "auto") -> str:
    """Restored text (see ``Restorer.restore_text``), with the default Restorer."""
    return default_restorer().restore_text(text, mode)


def explain_text(text: str, mode: str = "auto") -> tuple[str, list[tuple[int, Change]], str]:
    """Restored text, its changes and the mode used (see ``Restorer.explain_text``), with the default Restorer."""
    return default_restorer().explain_text(text, mode)


def restore_document(doc: Document, mode: str = "auto") -> Document:
    """A restored copy of ``doc`` (see ``Restorer.restore_document``), with the default Restorer."""
    return default_restorer().restore_document(doc, mode)
