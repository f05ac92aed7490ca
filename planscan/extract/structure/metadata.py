"""Document metadata from the header of a Vietnamese administrative document.

The header follows the state format for administrative documents: the issuing body in the left
column ("ỦY BAN NHÂN DÂN / HUYỆN TUẦN GIÁO"), the national name and motto in the right column, then
"Số: 699/KH-UBND" beside "Tuần Giáo, ngày 04 tháng 7 năm 2019", then the type ("KẾ HOẠCH") and the
title. Text extraction joins the two columns on one line and OCR damages every part, so each field is
found on accent-folded text with patterns that allow the usual OCR confusions, and each falls back
on another source (the type from the code "KH", the province from the body text).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date as _date
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from planscan.extract.structure.headings import classify
from planscan.extract.text.periods import Period, find_periods, with_year
from planscan.extract.text.fold import fold
from planscan.schemas.records import Document, DocumentMeta

HEADER_LINES = 25

# Document types (general administrative vocabulary) and the abbreviations used in codes.
DOC_TYPES = [
    "Kế hoạch",
    "Báo cáo",
    "Quyết định",
    "Tờ trình",
    "Công văn",
    "Thông báo",
    "Nghị quyết",
    "Chỉ thị",
    "Hướng dẫn",
    "Chương trình",
    "Đề án",
    "Kết luận",
    "Biên bản",
    "Quy chế",
    "Quy định",
    "Thông tư",
    "Nghị định",
    "Giấy mời",
    "Công điện",
    "Phương án",
    "Dự án",
]
CODE_TYPES = {
    "KH": "Kế hoạch",
    "BC": "Báo cáo",
    "QĐ": "Quyết định",
    "QD": "Quyết định",
    "TTR": "Tờ trình",
    "TB": "Thông báo",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "HD": "Hướng dẫn",
    "CTR": "Chương trình",
    "ĐA": "Đề án",
    "DA": "Đề án",
    "KL": "Kết luận",
    "BB": "Biên bản",
    "QC": "Quy chế",
    "GM": "Giấy mời",
    "CĐ": "Công điện",
    "PA": "Phương án",
}
_FOLDED_TYPES = {fold(t): t for t in DOC_TYPES}
_SQUEEZED_TYPES = {fold(t).replace(" ", ""): t for t in DOC_TYPES}

# Issuing bodies: the full form as printed and the short form used in running text.
_BODY_ABBREV = [
    (r"u[yỷ]?\s*ban\s+nh\S{1,3}n\s+d\S{1,3}n", "UBND"),
    (r"h\S{1,3}i\s+d\S{1,3}ng\s+nh\S{1,3}n\s+d\S{1,3}n", "HĐND"),
    (r"ubnd", "UBND"),
    (r"hdnd", "HĐND"),
]
# Administrative levels; the word after them is a place name.
_LEVELS = {
    "tinh": "tỉnh",
    "thanh pho": "thành phố",
    "huyen": "huyện",
    "quan": "quận",
    "thi xa": "thị xã",
    "thi tran": "thị trấn",
    "xa": "xã",
    "phuong": "phường",
}
# Agencies that issue under a parent body; the words after them are the agency's name.
_AGENCIES = {
    "so": "Sở",
    "phong": "Phòng",
    "ban": "Ban",
    "van phong": "Văn phòng",
    "chi cuc": "Chi cục",
    "cuc": "Cục",
    "trung tam": "Trung tâm",
    "dai": "Đài",
    "bo": "Bộ",
    "tong cuc": "Tổng cục",
    "uy ban": "Ủy ban",
}

# (?<!\S): a match starts at a word (where the leftmost one starts anyway), so a line without spaces
# costs one pass, not one per character
_MOTTO = re.compile(r"(?<!\S)\S+\s+\S+\s*[-\u2013]\s*t\S{0,2}\s+d\S{1,2}\s*[-\u2013]\s*h\S{2,4}\s+ph\S{1,4}")
_NATION = re.compile(
    r"c\S{2,3}g\s+h\S{1,3}\s+x\S{1,2}\s+h\S{1,3}\s+ch\S{1,2}\s+ngh\S{1,3}.*$"
    r"|d\S{1,3}ng\s+c\S{1,3}ng\s+s\S{1,2}n\s+vi\S{1,2}t\s+nam.*$"  # party documents: ĐẢNG CỘNG SẢN VIỆT NAM
)
_CODE = re.compile(
    r"(?P<num>\d{1,6})?[^\s\d/]{0,2}\s*/\s*(?P<sym>[A-ZĐ][A-Za-zĐđ]{0,5}(?:\s?-\s?[A-ZĐ][A-Za-zĐđ0-9]{0,10}){0,3})"
)
_PARTY_CODE = re.compile(r"(?P<num>\d{1,6})\s*-\s*(?P<type>[A-ZĐ][A-Za-zĐ]{0,4})\s*/\s*[A-ZĐ][A-Za-zĐ]{0,7}(?:-[A-ZĐ][A-Za-zĐ]{0,7})?")
_DOC_WORDS_BEFORE = re.compile(r"(?:van|dinh|quyet|tu|thi|trinh|bao|hoach)\s+s\S{0,2}\s*:?\s*$")
_SO = re.compile(r"(?:^|\s)(?:s\S{0,2}|\$)\s*:?\s*$")
_DATE = re.compile(
    r"(?:(?P<place>[^\d,:;]{2,40}?)\s*,\s*)?ng\S{1,2}y\s+(?P<d>\d{1,2})"
    r"(?:\s+th\S{2,4}\s+(?P<m>\S{1,2})\s+n\S{1,3}m\s+|\s*[/.\-]\s*(?P<m2>\d{1,2})\s*[/.\-]\s*)(?P<y>(?:19|20)\d{2})"
)
_TITLE_STOP = re.compile(
    r"^(?:can cu|thuc hien|kinh gui|de |nham|theo|trien khai|phan thu|i\.|1\.)", re.I
)


@lru_cache(maxsize=1)
def _provinces() -> dict[str, str]:
    text = resources.files("planscan.extract.structure").joinpath("data/provinces.txt").read_text(encoding="utf-8")
    names = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return {fold(n): unicodedata.normalize("NFC", n) for n in names}


def _province_name(raw: str) -> str | None:
    """A province name from words that may be OCR-damaged ("Dién Bién" -> "Điện Biên")."""
    key = fold(raw).strip(" .,;:()")
    provinces = _provinces()
    if key in provinces:
        return provinces[key]
    hit = process.extractOne(key, list(provinces), scorer=fuzz.ratio, score_cutoff=85)
    return provinces[hit[0]] if hit else None


def _title_case_name(words: str) -> str:
    """Place names capitalise every syllable: "TUẦN GIÁO" -> "Tuần Giáo"."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in words.split())


def _sentence_case(words: str) -> str:
    """Agency names capitalise the first syllable of each field they name:
    "THÔNG TIN VÀ TRUYỀN THÔNG" -> "Thông tin và Truyền thông", "KẾ HOẠCH VÀ ĐẦU TƯ" -> "Kế hoạch và Đầu tư"."""
    out = []
    first = True
    for w in words.split():
        low = w.lower()
        if low in ("và", "va", ",", "-", "–"):
            out.append(low)
            first = True
            continue
        out.append(low[:1].upper() + low[1:] if first else low)
        first = low.endswith(",")
    return " ".join(out)


def _strip_right_column(line: str) -> str:
    """The left-column part of a header line: drop the motto, the national name and the date."""
    f = fold(line)
    cut = len(line)
    for pattern in (_MOTTO, _NATION, _DATE):
        m = pattern.search(f)
        if m:
            cut = min(cut, m.start())
    return line[:cut].strip()


def _level_unit(folded_words: list[str], words: list[str]) -> tuple[str, str] | None:
    """(level, Name) when the words are "<level> <name>", e.g. "huyện", "Tuần Giáo"."""
    for n in (2, 1):
        key = " ".join(folded_words[:n])
        if key in _LEVELS and len(words) > n:
            return _LEVELS[key], _title_case_name(" ".join(words[n:]))
    return None


def _parse_body(text: str) -> tuple[str | None, str | None, dict[str, str]]:
    """Issuer and parent from the left-column header text (already joined, may be upper case)."""
    places: dict[str, str] = {}
    f = fold(text)
    for pattern, short in _BODY_ABBREV:
        if re.search(pattern, f):
            # keep the original text aligned with the folded one
            text = _replace_like(text, f, pattern, short)
            f = fold(text)
    words = text.split()
    fwords = fold(text).split()
    # split into bodies at each "UBND"/"HĐND" or agency word that starts a new unit
    starts = [i for i, w in enumerate(fwords) if w in ("ubnd", "hdnd")]
    starts += [
        i for i, w in enumerate(fwords[:-1])
        if w in ("huyen", "tinh", "thanh", "dang", "quan", "thi") and fwords[i + 1] == "uy"
    ]
    for i, w in enumerate(fwords):
        two = " ".join(fwords[i : i + 2])
        if (two in _AGENCIES or w in _AGENCIES) and i > 0 and i not in starts and fwords[i - 1] != "va":
            if w == "ban" and fwords[i - 1] == "uy":
                continue
            starts.append(i)
    starts = sorted(set(starts) | {0})
    bodies: list[str] = []
    for a, b in zip(starts, starts[1:] + [len(words)]):
        chunk_w, chunk_f = words[a:b], fwords[a:b]
        if not chunk_w:
            continue
        head = chunk_f[0]
        if head in ("ubnd", "hdnd"):
            unit = _level_unit(chunk_f[1:], chunk_w[1:])
            name = "UBND" if head == "ubnd" else "HĐND"
            if unit:
                places.setdefault(unit[0], unit[1])
                bodies.append(f"{name} {unit[0]} {unit[1]}")
            else:
                bodies.append(name)
            continue
        if len(chunk_f) > 2 and chunk_f[1] == "uy" and chunk_f[0] in ("huyen", "tinh", "thanh", "dang", "quan", "thi"):
            # party committees: "HUYỆN ỦY TUẦN GIÁO" -> "Huyện ủy Tuần Giáo"
            committee = {"huyen": "Huyện ủy", "tinh": "Tỉnh ủy", "thanh": "Thành ủy", "dang": "Đảng ủy",
                         "quan": "Quận ủy", "thi": "Thị ủy"}[chunk_f[0]]
            bodies.append(f"{committee} {_title_case_name(' '.join(chunk_w[2:]))}")
            continue
        unit = _level_unit(chunk_f, chunk_w)
        if unit:
            # a bare "HUYỆN X" under a lost "ỦY BAN NHÂN DÂN" line, or after it
            places.setdefault(unit[0], unit[1])
            if bodies and bodies[-1] in ("UBND", "HĐND"):
                bodies[-1] = f"{bodies[-1]} {unit[0]} {unit[1]}"
            else:
                bodies.append(f"UBND {unit[0]} {unit[1]}")
            continue
        for n in (2, 1):
            key = " ".join(chunk_f[:n])
            if key in _AGENCIES and len(chunk_w) > n:
                bodies.append(f"{_AGENCIES[key]} {_sentence_case(' '.join(chunk_w[n:]))}")
                break
        else:
            bodies.append(" ".join(chunk_w))
    if not bodies:
        return None, None, places
    issuer = bodies[-1]
    parent = bodies[-2] if len(bodies) > 1 else None
    return issuer, parent, places


_SPECKS = " .,:;_-~'\"`*|\u2013\u2014"  # what scan noise leaves at the ends of header lines
_BODY_WORDS = re.compile(
    r"^(?:u[yỷ]?\s*ban|ubnd|hdnd|h\S{1,3}i\s+d\S{1,3}ng|tinh|thanh pho|huyen|quan|thi xa|thi tran|xa|phuong|"
    r"so|phong|ban|van phong|chi cuc|cuc|trung tam|dai|bo|tong cuc|dang|huyen uy|tinh uy|thanh uy|mat tran)\b"
)


def _starts_with_body_word(part: str) -> bool:
    f = fold(part).lstrip(" .-*")
    if re.match(r"(?:s\S{0,2}|\$)\s*:?\s*\d", f):
        return False  # "Số 45-BC/HU" is a number line, not "Sở ..."
    return bool(_BODY_WORDS.match(f))


def _replace_like(text: str, folded: str, pattern: str, short: str) -> str:
    out, last = [], 0
    for m in re.finditer(pattern, folded):
        out.append(text[last : m.start()])
        out.append(short)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _doc_type_line(lines: list[str]) -> tuple[int, str] | None:
    for i, line in enumerate(lines):
        f = re.sub(r"[^a-z ]", "", fold(line)).strip()
        f = " ".join(f.split())
        if not f or len(f) > 20:
            continue
        if f in _FOLDED_TYPES:
            return i, _FOLDED_TYPES[f]
        squeezed = f.replace(" ", "")  # letter-spaced titles: "K Ế  H O Ạ C H"
        if line.strip().upper() == line.strip() and squeezed in _SQUEEZED_TYPES:
            return i, _SQUEEZED_TYPES[squeezed]
        hit = process.extractOne(f, list(_FOLDED_TYPES), scorer=fuzz.ratio, score_cutoff=80)
        if hit and line.strip().upper() == line.strip():  # type lines are printed in capitals
            return i, _FOLDED_TYPES[hit[0]]
    return None


def _month(raw: str) -> int | None:
    raw = raw.strip()
    if raw.isdigit() and 1 <= int(raw) <= 12:
        return int(raw)
    return None


def _opens_section(line: str) -> bool:
    """A numbered heading ("A. TÌNH HÌNH ...", "I. KẾT QUẢ ..."): the body has begun."""
    h = classify(line)
    return h is not None and h.is_heading and h.style not in ("bullet",)


def _title_periods(title: str) -> list[Period]:
    """The periods a title names, in order, each with a year: one that leaves its year to a later
    period of the title ("tháng 02 và kế hoạch tháng 3 năm 2031") takes that one's year."""
    found = [p for p in find_periods(title) if not p.reference]
    out: list[Period] = []
    for i, p in enumerate(found):
        if p.year is None:
            later = next((q.year for q in found[i + 1 :] if q.year is not None), None)
            if later is None or p.kind not in ("month", "quarter", "months"):
                continue
            p = with_year(p, later)
        out.append(p)
    return out


def parse_metadata(doc: Document) -> DocumentMeta:
    """Issuer, number and code, place and date, type, title, plan year and report period."""
    meta = DocumentMeta(source=doc.source, sha256=doc.sha256)
    first = next((p for p in doc.pages if any(ln.text.strip() for ln in p.lines)), None)
    if first is None:
        return meta
    lines = [ln.text for ln in first.lines]
    header = lines[:HEADER_LINES]

    type_at = _doc_type_line(header)
    # the code and date sit above the type line
    top = header[: type_at[0]] if type_at else header[:8]

    code_line = None
    for i, line in enumerate(top):
        for m in _CODE.finditer(line):
            before = fold(line[: m.start()])
            sym = m.group("sym").replace(" ", "")
            # the document's own number follows "Số:" (or starts its line); "Công văn số 684/..."
            # further down cites another document
            if not (_SO.search(before) or not before.strip()):
                continue
            if _DOC_WORDS_BEFORE.search(before):
                continue
            meta.number = m.group("num")
            meta.code = f"{m.group('num') or ''}/{sym}"
            code_line = i
            abbrev = sym.split("-")[0].upper()
            if abbrev in CODE_TYPES:
                meta.doc_type = CODE_TYPES[abbrev]
            elif "-" in sym:
                meta.doc_type = "Công văn"  # "123/UBND-VP": issuer-unit codes are letters
            break
        if code_line is not None:
            break
        # party documents write the type before the slash: "Số 45-BC/HU"
        pm = _PARTY_CODE.search(line)
        if pm and _SO.search(fold(line[: pm.start()])):
            meta.number, meta.code, code_line = pm.group("num"), pm.group(0).replace(" ", ""), i
            meta.doc_type = CODE_TYPES.get(pm.group("type").upper(), meta.doc_type)
            break

    for line in top:
        m = _DATE.search(fold(line))
        if not m:
            continue
        if not m.group("place") and fold(line[: m.start()]).strip(" *.-"):
            continue  # the document's date reads "<Place>, ngày ..." or starts its line; others are cited
        d, mo, y = int(m.group("d")), _month(m.group("m") or m.group("m2")), int(m.group("y"))
        if mo:
            try:
                meta.date = _date(y, mo, d).isoformat()
            except ValueError:
                meta.date = None
        if m.group("place"):
            place = line[m.start("place") : m.end("place")]
            place = _CODE.sub("", place)
            place = re.sub(r"^\s*(?:s\S{0,2}|\$)\s*:?\s*", "", place) if fold(place).startswith(("so", "s6", "$")) else place
            meta.place = place.strip(" .,:;") or None
        break

    left = []
    stop = code_line if code_line is not None else len(top)
    looks_like_header = code_line is not None or meta.date is not None or any(
        _MOTTO.search(fold(ln)) or _NATION.search(fold(ln)) for ln in top
    )
    for line in top[:stop] if looks_like_header else []:
        part = _strip_right_column(line)
        if part and _starts_with_body_word(part):
            left.append(part.strip(_SPECKS))
    if left:
        meta.issuer, meta.parent_issuer, places = _parse_body(" ".join(left))
        meta.district = places.get("huyện") or places.get("thị xã") or places.get("quận") or places.get("thành phố")
        if "tỉnh" in places:
            meta.province = _province_name(places["tỉnh"]) or places["tỉnh"]

    if type_at:
        meta.doc_type = type_at[1]
        title = []
        for line in header[type_at[0] + 1 :]:
            s = line.strip()
            if not s:
                if title:
                    break
                continue
            if _TITLE_STOP.match(fold(s)) or len(title) >= 4 or (title and _opens_section(s)):
                break
            title.append(s.strip(_SPECKS))
        if title:
            meta.title = " ".join(" ".join(title).split())
    elif meta.doc_type == "Công văn":
        for line in header:
            m = re.search(r"\bV/v\b\.?\s*(.+)", line, re.I)
            if m:
                meta.title = _strip_right_column(m.group(1)) or None
                break

    text = doc.text
    # the same name twice in a header, once OCR-damaged: keep the spelling the body uses more
    for field in ("place", "district"):
        value = getattr(meta, field)
        others = [v for v in (meta.place, meta.district) if v and v != value and fold(v) == fold(value or "")]
        if value and others and text.count(others[0]) > text.count(value):
            setattr(meta, field, others[0])
    if meta.issuer and meta.district and fold(meta.district) in fold(meta.issuer) and meta.district not in meta.issuer:
        start = fold(meta.issuer).rfind(fold(meta.district))
        meta.issuer = meta.issuer[:start] + meta.district + meta.issuer[start + len(meta.district) :]
    if meta.province is None:
        meta.province = _province_in_text(text)
    if meta.parent_issuer is None and meta.province and meta.issuer and meta.issuer.startswith(("UBND huyện", "UBND thị xã", "UBND thành phố", "UBND quận", "HĐND huyện")):
        meta.parent_issuer = f"UBND tỉnh {meta.province}"

    if meta.title:
        title_periods = _title_periods(meta.title)
        if title_periods:
            last = title_periods[-1]
            if meta.doc_type == "Báo cáo":
                # "Kết quả ... năm 2021 và phương hướng ... năm 2022": reports on the first, plans the last
                first_p = title_periods[0]
                meta.report_period, meta.report_year = first_p.label, first_p.year
                if last.year != first_p.year:
                    meta.plan_year = last.year
            else:
                meta.plan_year = last.year if last.kind in ("year", "range") else None
                if last.kind not in ("year", "range"):
                    meta.report_period, meta.report_year = last.label, last.year
    if meta.report_period is None:
        # the period a plan reports on is named in its first pages; a long document is not read whole
        opening = "\n".join(pg.text for pg in doc.pages[:3])
        body = opening[len("\n".join(header[: (type_at[0] + 1) if type_at else 0])) :]
        for p in find_periods(body):
            if p.year and not p.reference and p.kind in ("months", "quarter", "month"):
                meta.report_period, meta.report_year = p.label, p.year
                break
    return meta


def _province_in_text(text: str) -> str | None:
    """The first "tỉnh <Name>" in the text that names a real province."""
    f = fold(text)
    for m in re.finditer(r"\bt\S{0,1}nh\s+((?:\S+\s+){0,3}\S+)", f):
        words = text[m.start(1) : m.end(1)].split()
        for n in range(min(4, len(words)), 0, -1):
            cand = " ".join(words[:n]).strip(" .,;:()")
            if not cand[:1].isupper():
                break
            name = _province_name(cand)
            if name:
                return name
    return None
