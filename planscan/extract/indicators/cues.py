"""Cue patterns for the indicator pipeline: the words that tell what kind of figure a number is.

Patterns match on the token NORM, which the pipeline sets to the accent-folded lower-case form, so
the same pattern finds "ước đạt" in restored text and "uoc dat" in text whose diacritics were lost.
Everything here is general administrative Vietnamese; nothing is taken from a particular document.
"""

from __future__ import annotations


def _seq(phrase: str) -> list[dict]:
    return [{"NORM": w} for w in phrase.split()]


# label -> phrases (folded). The label is what the indicator component reads.
CUE_PHRASES: dict[str, list[str]] = {
    # an estimate of a figure not yet final
    "ESTIMATE": ["uoc dat", "uoc tinh", "uoc thuc hien", "uoc", "du kien dat", "du kien", "du bao dat"],
    # a plan figure
    "TARGET": ["phan dau", "muc tieu", "nhiem vu dat"],
    # a figure the plan assigned, said of one figure only: "kế hoạch giao 500 ha, thực hiện 480 ha"
    "PLAN_GIVEN": ["chi tieu ke hoach", "ke hoach de ra", "ke hoach giao", "chi tieu giao", "duoc giao", "giao chi tieu"],
    # the state at the time of writing, even inside the plan part: "hiện nay toàn huyện có 117 trạm"
    "CURRENT": ["hien nay", "hien tai", "hien co", "den nay", "tinh den nay", "hien van con", "hien con"],
    # a change against an earlier figure: direction only, the comparison is a separate cue
    "UP": ["tang", "tang them", "tang len"],
    "DOWN": ["giam", "giam di", "giam xuong"],
    # the comparison: what the change or ratio is measured against
    "VS_PRIOR": ["so voi cung ky", "so cung ky", "cung ky", "so voi nam truoc", "so voi cung thoi diem"],
    "VS": ["so voi"],
    "VS_PLAN": ["ke hoach", "du toan", "kh", "chi tieu"],
    # a figure that a later one builds on: "tăng từ X lên Y"
    "FROM": ["tu"],
    "TO": ["len", "xuong"],
    # verbs that link a subject to its figure
    "COPULA": ["la", "dat", "bang", "dat ty le", "chiem", "gom", "co"],
    # words before a number that make it a designation, not a quantity
    "DESIGNATOR": [
        "muc do", "muc", "cap", "lan thu", "thu", "loai", "nhom", "dieu", "khoan", "chuong", "phu luc",
        "bieu", "mau", "bieu mau", "so hieu", "ma so", "khoa", "nhiem ky", "giai doan", "tuyen so",
    ],
    # anniversaries: "kỷ niệm 89 năm ngày thành lập"
    "ANNIVERSARY": ["ky niem"],
    # telephone / fax / hotline numbers
    "PHONE": ["sdt", "dt", "dien thoai", "fax", "hotline", "so dien thoai", "duong day nong"],
    # references to other documents
    "DOCREF": [
        "cong van", "quyet dinh", "nghi quyet", "nghi dinh", "thong tu", "chi thi", "ke hoach so", "bao cao so",
        "van ban", "to trinh", "thong bao", "so", "luat",
    ],
}


def matcher_patterns() -> list[tuple[str, list[list[dict]]]]:
    return [(label, [_seq(p) for p in phrases]) for label, phrases in CUE_PHRASES.items()]


# Words stripped from the left of a subject phrase: where and when, not what. Written with diacritics:
# on accented text they match exactly ("đặt" is not "đạt"); on text that lost its marks, folded.
LEAD_FILLERS = [
    "trong đó", "trong số đó", "đồng thời", "ngoài ra", "hiện nay", "hiện tại", "hiện", "hiện vẫn còn",
    "vẫn còn", "còn", "toàn huyện", "toàn tỉnh", "toàn xã", "toàn thành phố", "toàn thị xã", "cả huyện",
    "cả tỉnh", "trên địa bàn huyện", "trên địa bàn tỉnh", "trên địa bàn xã", "trên địa bàn", "địa bàn",
    "tính đến", "đến nay", "đến cuối năm", "đến hết năm", "đến năm", "đến hết", "đến", "tới", "hết", "cuối năm", "cả năm",
    "trong năm", "trong kỳ", "trong", "phấn đấu", "nâng", "đưa", "với", "và", "có", "đã", "được", "đạt",
    "là", "bằng", "tại", "theo đó", "cụ thể", "về", "gồm", "bao gồm", "như", "tiếp tục", "phát triển thêm",
    "sau", "trước", "bên cạnh đó", "của", "cho", "đặc biệt", "so với cùng kỳ", "so với", "cùng kỳ",
]

# Words stripped from the right of a subject phrase: the verb that links it to the number.
TRAIL_FILLERS = [
    "ước đạt", "ước tính", "ước thực hiện", "ước", "dự kiến đạt", "dự kiến", "đạt tỷ lệ", "đạt mức", "đạt",
    "là", "bằng", "có", "lên", "xuống", "từ", "tăng", "giảm", "tăng thêm", "giảm đi", "khoảng", "gần", "hơn",
    "trên", "dưới", "tới", "đến", "chiếm", "gồm", "còn", "được", "đã", "nâng", "thêm", "tổng cộng", "cộng",
    "tất cả", "đạt trên", "đạt dưới", "đạt khoảng", "ở mức", "mức", "vào khoảng", "trong đó", "và", "với",
    "tại", "trở lên", "cho", "của",
]

# Linking words dropped from the end of a descriptive phrase read to the right of a figure
# ("16 xã có báo đọc trong ngày đạt tỷ lệ 88%").
RIGHT_TRAIL = [
    "ước đạt", "ước", "đạt tỷ lệ", "đạt mức", "đạt", "là", "bằng", "chiếm", "lên", "từ", "tăng", "giảm", "và",
    "với", "có", "được", "trong đó", "cho", "của", "tại", "ở", "dưới", "trên", "khoảng", "gần",
]

# Words that end a descriptive phrase read to the right of a figure.
RIGHT_STOPS = [
    "so với", "tăng", "giảm", "đạt tỷ lệ", "đạt mức", "là", "trong đó", "chiếm", "bằng", "với", "nâng", "đồng thời", "nhưng",
    "còn", "ước", "phấn đấu", "trở lên", "theo",
]

# Subject heads that already say what is measured; a bare unit noun gets "Số" in front instead.
MEASURE_HEADS = [
    "số", "tổng số", "số lượng", "tỷ lệ", "tỉ lệ", "mật độ", "tổng", "doanh thu", "chiều dài", "diện tích",
    "sản lượng", "giá trị", "thu nhập", "kinh phí", "vốn", "bán kính", "tốc độ", "bình quân", "trung bình",
    "mức", "chỉ số", "quy mô", "công suất", "thời gian", "thời lượng", "dân số",
]

# Words of a period phrase; anything else inside a matched period span is kept in a label.
PERIOD_WORDS = ["năm", "tháng", "quý", "đầu", "cuối", "giữa", "cả", "đến", "hết", "tính", "trong"]
