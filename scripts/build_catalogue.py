"""Build planscan/extract/indicators/data/catalogue.json from the official indicator systems.

    python scripts/build_catalogue.py [--corpus DIR] [--out PATH]

Sources, all in ../shared/text-corpus/vn_legal.jsonl.xz:
- the national list, the appendix "Danh mục chỉ tiêu thống kê quốc gia" of the Law on Statistics
  2015 (document ``uts_vlc/v2021/corpus/luat-thong-ke``): rows of ordinal, code and name under
  "NN. group" headings. Keys ``vn.<code>``.
- sector indicator systems issued by circulars (``SECTOR_LISTS``): their appendix II "Nội dung ..."
  gives each indicator as a "CODE. Name" heading under "NN. group". Keys ``<sector>.<code>``.
- ``GENERAL`` below: indicators of daily administrative usage that the official lists lack (BTS
  stations, mobile subscribers ...) and general-usage aliases of official indicators ("thuê bao
  Internet" for "Số lượng thuê bao truy nhập Internet"). Every one of their phrases must occur in the
  text corpus (the phrase rule of issue 10, read the way scripts/check_phrases.py reads it); a
  phrase that does not is dropped and reported.

Every entry records its source: the document id and the line of its code (official entries), or
the corpus files its phrases were checked in (general entries). Nothing here comes from the
development documents of ../shared/corpus.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from build_lm import DEFAULT_CORPUS, FILES, NUM, REPO, read_documents
from check_phrases import found_in_corpus
from planscan.extract.text.syllables import canonical

OUT = REPO / "planscan" / "extract" / "indicators" / "data" / "catalogue.json"
LEGAL = "vn_legal.jsonl.xz"
NATIONAL_LIST = "uts_vlc/v2021/corpus/luat-thong-ke"
# (document id, key prefix, name of the system)
SECTOR_LISTS = (
    ("congbao8/uu_dai_dt/thong-tu-so-09-2023-tt-bkhdt-40228", "planning", "Thông tư 09/2023/TT-BKHĐT"),
    ("congbao8/uu_dai_dt/thong-tu-so-06-2023-tt-bkhdt-40164", "statistics", "Thông tư 06/2023/TT-BKHĐT"),
    ("congbao8/cong_doan/thong-tu-so-04-2024-tt-bldtbxh-41844", "labour", "Thông tư 04/2024/TT-BLĐTBXH"),
)
# The sector (for grouping rows by field) of each group of the national list.
NATIONAL_GROUPS = {
    "01": "population", "02": "labour", "03": "enterprise", "04": "investment", "05": "economy",
    "06": "budget", "07": "finance", "08": "agriculture", "09": "industry", "10": "trade",
    "11": "prices", "12": "transport", "13": "ict", "14": "science", "15": "education",
    "16": "health", "17": "culture", "18": "living_standards", "19": "justice", "20": "environment",
}

# General usage. Official keys take extra aliases; other keys are entries the official lists lack.
# Each: key, sector, family, label, aliases (an official key's label is the official name).
GENERAL: tuple[dict, ...] = (
    # aliases of official indicators
    {"key": "vn.1307", "aliases": ["thuê bao Internet", "thuê bao truy nhập Internet"]},
    {"key": "vn.1304", "aliases": ["thuê bao điện thoại"]},
    {"key": "vn.1303", "aliases": ["doanh thu dịch vụ viễn thông"]},
    {"key": "vn.1301", "aliases": ["doanh thu bưu chính", "doanh thu dịch vụ bưu chính"]},
    {"key": "vn.0102", "aliases": ["dân số", "dân số trung bình"]},
    {"key": "vn.0107", "aliases": ["tỷ lệ tăng dân số tự nhiên"]},
    {"key": "vn.0203", "aliases": ["tỷ lệ lao động qua đào tạo"]},
    {"key": "vn.0401", "aliases": ["vốn đầu tư toàn xã hội", "vốn đầu tư phát triển toàn xã hội"]},
    {"key": "vn.0503", "aliases": ["tốc độ tăng trưởng kinh tế"]},
    {"key": "vn.0601", "aliases": ["thu ngân sách nhà nước", "thu ngân sách nhà nước trên địa bàn"]},
    {"key": "vn.0604", "aliases": ["chi ngân sách nhà nước"]},
    {"key": "vn.0801", "aliases": ["diện tích gieo trồng"]},
    {"key": "vn.0808", "aliases": ["diện tích trồng rừng mới", "trồng rừng mới tập trung"]},
    {"key": "vn.1605", "aliases": ["tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ"]},
    {"key": "vn.1606", "aliases": ["tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng"]},
    {"key": "vn.1802", "aliases": ["tỷ lệ hộ nghèo"]},
    {"key": "vn.2003", "aliases": ["độ che phủ rừng", "tỷ lệ che phủ của rừng"]},
    {"key": "labour.0407", "aliases": ["hộ nghèo"]},
    {"key": "labour.0408", "aliases": ["hộ cận nghèo"]},
    {"key": "labour.0409", "aliases": ["hộ thoát nghèo"]},
    # what the official lists lack (general usage)
    {"key": "ict.bts_stations", "sector": "ict", "family": "count", "label": "Số trạm thu phát sóng thông tin di động (BTS)",
     "aliases": ["trạm BTS", "trạm thu phát sóng thông tin di động", "trạm thu phát sóng di động"]},
    {"key": "ict.mobile_subscribers", "sector": "ict", "family": "count", "label": "Số thuê bao điện thoại di động",
     "aliases": ["thuê bao di động", "thuê bao điện thoại di động"]},
    {"key": "ict.fixed_subscribers", "sector": "ict", "family": "count", "label": "Số thuê bao điện thoại cố định",
     "aliases": ["thuê bao điện thoại cố định", "thuê bao cố định"]},
    {"key": "ict.telephone_density", "sector": "ict", "family": "rate", "label": "Mật độ thuê bao điện thoại",
     "aliases": ["mật độ thuê bao điện thoại", "mật độ điện thoại"]},
    {"key": "ict.internet_density", "sector": "ict", "family": "rate", "label": "Mật độ thuê bao Internet",
     "aliases": ["mật độ thuê bao Internet"]},
    {"key": "ict.internet_revenue", "sector": "ict", "family": "money", "label": "Doanh thu dịch vụ Internet",
     "aliases": ["doanh thu dịch vụ Internet"]},
    {"key": "ict.telecom_enterprises", "sector": "ict", "family": "count", "label": "Số doanh nghiệp viễn thông",
     "aliases": ["doanh nghiệp viễn thông", "doanh nghiệp cung cấp dịch vụ viễn thông"]},
    {"key": "ict.postal_enterprises", "sector": "ict", "family": "count", "label": "Số doanh nghiệp bưu chính",
     "aliases": ["doanh nghiệp bưu chính", "doanh nghiệp cung cấp dịch vụ bưu chính"]},
    {"key": "ict.postal_service_points", "sector": "ict", "family": "count", "label": "Số điểm phục vụ bưu chính",
     "aliases": ["điểm phục vụ bưu chính"]},
    {"key": "ict.post_offices", "sector": "ict", "family": "count", "label": "Số bưu cục", "aliases": ["bưu cục"]},
    {"key": "ict.cultural_post_offices", "sector": "ict", "family": "count", "label": "Số điểm bưu điện văn hóa xã",
     "aliases": ["điểm bưu điện văn hóa xã", "bưu điện văn hóa xã"]},
    {"key": "ict.fixed_broadband_subscribers", "sector": "ict", "family": "count",
     "label": "Số thuê bao Internet băng rộng cố định",
     "aliases": ["thuê bao Internet băng rộng cố định", "thuê bao băng rộng cố định"]},
    {"key": "ict.mobile_broadband_subscribers", "sector": "ict", "family": "count",
     "label": "Số thuê bao băng rộng di động", "aliases": ["thuê bao băng rộng di động"]},
    {"key": "ict.optical_cable_length", "sector": "ict", "family": "length", "label": "Chiều dài cáp quang",
     "aliases": ["chiều dài cáp quang", "chiều dài tuyến cáp quang"]},
    {"key": "ict.grassroots_radio_stations", "sector": "ict", "family": "count", "label": "Số đài truyền thanh cơ sở",
     "aliases": ["đài truyền thanh cơ sở", "đài truyền thanh cấp xã"]},
    {"key": "ict.broadcast_hours", "sector": "ict", "family": "time", "label": "Thời lượng phát sóng",
     "aliases": ["thời lượng phát sóng"]},
    {"key": "ict.online_public_services", "sector": "ict", "family": "count", "label": "Số dịch vụ công trực tuyến",
     "aliases": ["dịch vụ công trực tuyến"]},
    {"key": "ict.radio_households_rate", "sector": "ict", "family": "percent", "label": "Tỷ lệ hộ được nghe đài phát thanh",
     "aliases": ["tỷ lệ hộ được nghe đài phát thanh"]},
    {"key": "ict.tv_households_rate", "sector": "ict", "family": "percent", "label": "Tỷ lệ hộ được xem truyền hình",
     "aliases": ["tỷ lệ hộ được xem truyền hình"]},
    {"key": "agriculture.food_output", "sector": "agriculture", "family": "mass", "label": "Sản lượng lương thực có hạt",
     "aliases": ["sản lượng lương thực có hạt", "sản lượng lương thực"]},
    {"key": "agriculture.rice_output", "sector": "agriculture", "family": "mass", "label": "Sản lượng lúa",
     "aliases": ["sản lượng lúa"]},
    {"key": "agriculture.rice_area", "sector": "agriculture", "family": "area", "label": "Diện tích lúa",
     "aliases": ["diện tích lúa", "diện tích gieo trồng lúa"]},
    {"key": "agriculture.rice_yield", "sector": "agriculture", "family": "rate", "label": "Năng suất lúa",
     "aliases": ["năng suất lúa"]},
    {"key": "agriculture.new_rural_communes", "sector": "agriculture", "family": "count",
     "label": "Số xã đạt chuẩn nông thôn mới", "aliases": ["xã đạt chuẩn nông thôn mới"]},
    {"key": "budget.local_expenditure", "sector": "budget", "family": "money", "label": "Chi ngân sách địa phương",
     "aliases": ["chi ngân sách địa phương", "tổng chi ngân sách địa phương"]},
    {"key": "budget.local_revenue", "sector": "budget", "family": "money", "label": "Thu ngân sách địa phương",
     "aliases": ["thu ngân sách địa phương", "tổng thu ngân sách địa phương"]},
    {"key": "budget.domestic_revenue", "sector": "budget", "family": "money", "label": "Thu nội địa", "aliases": ["thu nội địa"]},
    {"key": "budget.investment_expenditure", "sector": "budget", "family": "money", "label": "Chi đầu tư phát triển",
     "aliases": ["chi đầu tư phát triển"]},
    {"key": "budget.recurrent_expenditure", "sector": "budget", "family": "money", "label": "Chi thường xuyên",
     "aliases": ["chi thường xuyên"]},
    {"key": "economy.income_per_capita", "sector": "economy", "family": "money_rate", "label": "Thu nhập bình quân đầu người",
     "aliases": ["thu nhập bình quân đầu người"]},
    {"key": "living_standards.near_poor_household_rate", "sector": "living_standards", "family": "percent",
     "label": "Tỷ lệ hộ cận nghèo", "aliases": ["tỷ lệ hộ cận nghèo"]},
    {"key": "health.insurance_coverage_rate", "sector": "health", "family": "percent",
     "label": "Tỷ lệ dân số tham gia bảo hiểm y tế", "aliases": ["tỷ lệ dân số tham gia bảo hiểm y tế", "tỷ lệ bao phủ bảo hiểm y tế"]},
    {"key": "education.standard_schools", "sector": "education", "family": "count", "label": "Số trường đạt chuẩn quốc gia",
     "aliases": ["trường đạt chuẩn quốc gia"]},
    {"key": "education.teachers", "sector": "education", "family": "count", "label": "Số giáo viên", "aliases": ["giáo viên"]},
    {"key": "education.students", "sector": "education", "family": "count", "label": "Số học sinh", "aliases": ["học sinh"]},
)

_GROUP = re.compile(r"^(\d{2})\.\s+(\S.*)$")
_ORDINAL = re.compile(r"^\d{1,3}$")
_CODE = re.compile(r"^\d{4}$")
_CODED_HEADING = re.compile(r"^(\d{3,4})\.\s+(\S.*)$")
_NUMBERED = re.compile(r"^(?:\d+\.|[a-zđ]\)|[-+*•])")
_TABLE_HEAD = {"số", "thứ tự", "mã số", "nhóm, tên chỉ tiêu", "stt", "tt"}

# Unit family implied by how an official name begins (checked on the lower-cased name).
_FAMILY_BY_START = (
    (("tỷ lệ", "tỷ trọng", "tốc độ tăng", "cơ cấu"), "percent"),
    (("mật độ", "năng suất", "tỷ suất", "tỷ số", "hệ số"), "rate"),
    (("doanh thu", "vốn", "thu ", "chi ", "chi tiêu", "kinh phí", "tổng quỹ", "giá trị", "tiền lương", "thu nhập",
      "tổng giá", "tổng vốn", "dư nợ", "bội chi", "tổng sản phẩm", "tổng kinh phí"), "money"),
    (("diện tích",), "area"),
    (("số ", "số lượng", "tổng số", "lực lượng lao động"), "count"),
)


def infer_family(name: str) -> str | None:
    """The unit family an official name implies, or None when it names several measures ("Dân số,
    mật độ dân số") or none ("Chỉ số giá ...", "Kết quả ...")."""
    low = name.lower()
    if "bình quân" in low and not low.startswith(("tỷ lệ", "tốc độ")):
        return "money_rate" if low.startswith(("thu nhập", "chi tiêu", "tổng sản phẩm", "tiền lương")) else "rate"
    if re.search(r"\btrên (?:một|mười|một trăm|\d)", low):
        return "rate"
    for starts, family in _FAMILY_BY_START:
        if low.startswith(starts):
            # "Số ..., lao động, vốn ..." or "Thu và cơ cấu thu": more than one measure
            if family != "percent" and (" và cơ cấu" in low or " và tỷ lệ" in low or ", mật độ" in low):
                return None
            return family
    return None


def _clean(name: str) -> str:
    return " ".join(name.split()).rstrip(" .;:")


def parse_national(text: str) -> Iterator[tuple[str, str, str, int]]:
    """(code, group, name, line) of the appendix rows: ordinal, code, then name lines."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == "DANH MỤC CHỈ TIÊU THỐNG KÊ QUỐC GIA")
    group = ""
    code: str | None = None
    name: list[str] = []
    at = 0

    def flush() -> Iterator[tuple[str, str, str, int]]:
        if code and name and code[:2] == group:
            yield code, group, _clean(" ".join(name)), at

    i = start + 1
    while i < len(lines):
        s = lines[i].strip()
        if not s or s.lower() in _TABLE_HEAD or s.startswith("("):
            i += 1
            continue
        g = _GROUP.match(s)
        if g:
            yield from flush()
            group, code, name = g.group(1), None, []
        elif _ORDINAL.match(s) and i + 1 < len(lines):
            yield from flush()
            code, name = None, []
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and _CODE.match(lines[j].strip()):
                code, at, i = lines[j].strip(), j + 1, j
        elif code is not None:
            name.append(s)
        i += 1
    yield from flush()


def parse_sector(text: str) -> Iterator[tuple[str, str, str, int]]:
    """(code, group, name, line) of the "CODE. Name" headings of appendix II (the one that gives
    each indicator's content). National indicators a ministry collects come before its own groups
    and carry national codes, so a code must belong to the group heading above it."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if re.match(r"^Phụ lục II\b", line.strip()))
    group = ""
    for i in range(start + 1, len(lines)):
        s = lines[i].strip()
        g = _GROUP.match(s)
        if g and not _CODED_HEADING.match(s):
            group = g.group(1)
            continue
        m = _CODED_HEADING.match(s)
        if not m or not group:
            continue
        code = m.group(1).zfill(4)
        name = m.group(2)
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        # the name wraps onto the next line: a lower-case start, or a first line as long as a full one
        if nxt and not _NUMBERED.match(nxt) and (nxt[0].islower() or len(s) >= 60):
            name += " " + nxt
        name = _clean(name)
        if code[:2] != group or name.lower().startswith("nhóm chỉ tiêu"):
            continue
        yield code, group, name, i + 1


def _phrase(text: str) -> tuple[str, ...]:
    """The canonical syllables of a phrase, as scripts/check_phrases.py reads the corpus."""
    return tuple(NUM if w[0].isdigit() else canonical(w) for w in re.findall(r"[^\W\d_]+|\d+", text.lower()))


def build(corpus: Path) -> dict:
    docs = {d["id"]: d for d in read_documents(corpus / LEGAL) if d["id"] in {NATIONAL_LIST, *(s[0] for s in SECTOR_LISTS)}}
    missing = [d for d in (NATIONAL_LIST, *(s[0] for s in SECTOR_LISTS)) if d not in docs]
    if missing:
        sys.exit(f"build_catalogue: {', '.join(missing)} not in {corpus / LEGAL}; pass --corpus DIR")
    entries: dict[str, dict] = {}
    for code, group, name, line in parse_national(docs[NATIONAL_LIST]["text"]):
        entries[f"vn.{code}"] = {
            "key": f"vn.{code}", "sector": NATIONAL_GROUPS[group], "family": infer_family(name), "label": name,
            "aliases": [], "source": {"document": NATIONAL_LIST, "line": line, "system": "Luật Thống kê 2015, Phụ lục"},
        }
    for doc_id, prefix, title in SECTOR_LISTS:
        for code, _group, name, line in parse_sector(docs[doc_id]["text"]):
            entries.setdefault(f"{prefix}.{code}", {
                "key": f"{prefix}.{code}", "sector": prefix, "family": infer_family(name), "label": name,
                "aliases": [], "source": {"document": doc_id, "line": line, "system": f"{title}, Phụ lục II"},
            })

    wanted = {_phrase(a) for g in GENERAL for a in (*g["aliases"], g.get("label", ""))} - {()}
    found = found_in_corpus(wanted, corpus)
    dropped: list[str] = []
    for g in GENERAL:
        ok = [a for a in g["aliases"] if _phrase(a) in found]
        dropped += [f"{g['key']}: {a}" for a in g["aliases"] if _phrase(a) not in found]
        if g["key"] in entries:
            entries[g["key"]]["aliases"] += ok
            continue
        if not ok:
            dropped.append(f"{g['key']}: no alias in the corpus, entry left out")
            continue
        entries[g["key"]] = {
            "key": g["key"], "sector": g["sector"], "family": g["family"], "label": g["label"], "aliases": ok,
            "source": {"general_usage": True, "checked_in": [f"text-corpus/{f}" for f in FILES]},
        }
    for line in dropped:
        print(f"build_catalogue: dropped {line}", file=sys.stderr)
    return {
        "version": 2,
        "about": (
            "Indicator keys: official codes of the national statistical indicator list (vn.CODE) and of sector "
            "indicator systems (SECTOR.CODE), plus general-usage indicators they lack. Built by "
            "scripts/build_catalogue.py; see data/README.md. family: count, percent, money, money_rate, rate, "
            "length, area, mass, time, or null when the name states none."
        ),
        "indicators": list(entries.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    for name in FILES:
        if not (args.corpus / name).is_file():
            sys.exit(f"build_catalogue: {args.corpus / name} not found; pass --corpus DIR")
    data = build(args.corpus)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    by_source = Counter(e["source"].get("document", "general usage") for e in data["indicators"])
    for source, n in by_source.most_common():
        print(f"{n:4d}  {source}")
    print(f"{len(data['indicators'])} entries -> {args.out}")


if __name__ == "__main__":
    main()
