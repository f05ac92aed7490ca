"""The shared plumbing: atomic writes, exit codes, text input reading."""

from __future__ import annotations

import os

import pytest

from planscan._util.atomic import atomic_open, atomic_write_text
from planscan.errors import EncodingError, ExitCode, InputFileError, PlanscanError
from planscan.pipeline import input_kind, read_text_file, text_to_document


def test_atomic_write_leaves_no_temp_file_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as fh:
            fh.write("half")
            raise RuntimeError("crash mid-write")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_write_replaces(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    atomic_write_text(target, "new\n")
    assert target.read_text() == "new\n"


def test_exit_codes_are_distinct():
    codes = [c.value for c in ExitCode]
    assert len(codes) == len(set(codes))


def test_error_message_is_one_line():
    e = PlanscanError("a.pdf: broken\n  somewhere")
    assert "\n" not in str(e)


def test_text_pages_split_on_form_feed_keep_line_numbers():
    doc = text_to_document("a\nb\n\n\fc\nd\n")
    assert [p.number for p in doc.pages] == [1, 2]
    assert [line.text for line in doc.pages[0].lines] == ["a", "b", ""]
    assert [line.text for line in doc.pages[1].lines] == ["c", "d"]
    assert doc.text == "a\nb\n\n\fc\nd\n"


def test_non_utf8_text_is_an_encoding_error(tmp_path):
    bad = tmp_path / "cp1258.txt"
    bad.write_bytes("Thu ngân sách".encode("cp1258"))  # UTF-16 with a BOM is read; a legacy 8-bit encoding is not
    with pytest.raises(EncodingError) as info:
        read_text_file(bad)
    assert str(bad) in str(info.value) and "TCVN3" in str(info.value)
    assert info.value.exit_code == ExitCode.encoding_error


@pytest.mark.parametrize(
    "name, kind", [("a.PDF", "pdf"), ("b.tiff", "image"), ("c.jpg", "image"), ("d.txt", "text"), ("e.ocr.json", "ocr-json")]
)
def test_input_kind(name, kind, tmp_path):
    assert input_kind(tmp_path / name) == kind


def test_unknown_input_kind(tmp_path):
    with pytest.raises(InputFileError):
        input_kind(tmp_path / "x.docx")


def test_atomic_write_respects_umask(tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "shared.txt"
        atomic_write_text(target, "x")
        assert target.stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old)
