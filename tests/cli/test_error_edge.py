"""The one error edge: an unexpected exception is exit 15, one line naming a log, no traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planscan import cli as cli_mod
from planscan.errors import ExitCode


def _boom(*_a, **_k):
    raise RuntimeError("something nobody planned for\nsecond line")


def _run(argv, capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as e:
        cli_mod.main(argv)
    return e.value.code, capsys.readouterr().err


def test_unexpected_error_is_exit_15_with_one_line_and_a_log(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("planscan.pipeline.read_document", _boom)
    monkeypatch.delenv("PLANSCAN_DEBUG", raising=False)
    doc = tmp_path / "plan.txt"
    doc.write_text("I. MỤC TIÊU\n", encoding="utf-8")
    code, err = _run(["sections", str(doc)], capsys)
    assert code == ExitCode.internal_error == 15
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "RuntimeError" in err and "--debug" in err
    log = Path(re.search(r"traceback is in (\S+?\.log)", err).group(1))
    text = log.read_text(encoding="utf-8")
    log.unlink()
    assert "Traceback (most recent call last)" in text and "something nobody planned for" in text


def test_debug_prints_the_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("planscan.pipeline.read_document", _boom)
    doc = tmp_path / "plan.txt"
    doc.write_text("I. MỤC TIÊU\n", encoding="utf-8")
    code, err = _run(["--debug", "sections", str(doc)], capsys)
    assert code == 15
    assert "Traceback (most recent call last)" in err
    Path(re.search(r"traceback is in (\S+?\.log)", err).group(1)).unlink()


def test_known_errors_keep_their_own_code(tmp_path, capsys):
    code, err = _run(["sections", str(tmp_path / "missing.txt")], capsys)
    assert code not in (0, 1, 15)
    assert err.count("\n") == 1 and "Traceback" not in err
