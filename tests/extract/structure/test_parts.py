"""What a document and its parts are, from its type, operative clause and headings (made-up texts)."""

from __future__ import annotations

import pytest

from planscan.extract.structure.metadata import parse_metadata
from planscan.extract.structure.parts import document_part, heading_part
from planscan.pipeline import text_to_document


def part_of(text: str):
    doc = text_to_document(text, source="t.txt")
    return document_part(doc, parse_metadata(doc))


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("A. TÌNH HÌNH KINH TẾ - XÃ HỘI THÁNG 02", "report"),
        ("I. Kết quả thực hiện kế hoạch năm 2030", "report"),
        ("Phần thứ hai: KẾ HOẠCH NĂM 2031", "plan"),
        ("B. NHIỆM VỤ, GIẢI PHÁP THÁNG 03", "plan"),
        ("II. Ước thực hiện năm 2030", "forecast"),
        ("1. Dự toán thu ngân sách", "budget"),
        ("III. TO CHUC THUC HIEN", "plan"),  # lost diacritics read alike
        ("IV. Các dự án khác", None),
    ],
)
def test_heading_part(heading: str, kind: str | None) -> None:
    part = heading_part(heading)
    assert (part.kind if part else None) == kind
    if part:
        assert heading.split()[1][:4] in part.reason


def test_a_decision_that_approves_a_programme_is_an_approved_part() -> None:
    part = part_of(
        "QUYẾT ĐỊNH\nVề việc phê duyệt đề án trồng tre\nQuyết định:\n"
        "Điều 1. Phê duyệt Đề án trồng tre xã Bình An giai đoạn 2031 - 2035 như sau:\n"
        "1. Diện tích trồng mới: 300 ha.\n"
    )
    assert part is not None and part.kind == "approved"
    assert "Điều 1" in part.reason


def test_a_resolution_that_establishes_a_unit_states_facts() -> None:
    part = part_of(
        "Nghị quyết về việc thành lập thị trấn Bình An\nQuyết nghị:\n"
        "Điều 1. Thông qua đề án thành lập thị trấn Bình An như sau:\n- Diện tích tự nhiên 1.200 ha.\n"
    )
    assert part is None


def test_a_budget_resolution_and_a_directive() -> None:
    budget = part_of("Nghị quyết về dự toán ngân sách xã năm 2031\nQuyết nghị:\nĐiều 1. Thông qua dự toán thu 50 tỷ đồng.\n")
    assert budget is not None and budget.kind == "budget"
    directive = part_of("CHỈ THỊ\nVề tăng cường phòng cháy rừng\nCác xã bảo vệ 100% diện tích rừng.\n")
    assert directive is not None and directive.kind == "directive"


def test_a_plain_excerpt_says_nothing() -> None:
    assert part_of("Toàn xã có 120 hộ nuôi ong.\n") is None
