"""planscan restore: stdout text, --explain, modes, stdin, and the encoding error."""

from __future__ import annotations

from click.testing import CliRunner

from planscan.cli import cli, main
from planscan.errors import ExitCode

GARBLED = "Téng doanh thu buu chinh 6 thang ddu nam 2019\nUBND huyén ¢6 117 tram BTS\n"


def test_restore_file_to_stdout(tmp_path):
    f = tmp_path / "in.txt"
    f.write_text(GARBLED, encoding="utf-8")
    r = CliRunner().invoke(cli, ["restore", str(f), "--mode", "full"])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[0] == "Tổng doanh thu bưu chính 6 tháng đầu năm 2019"
    assert r.stdout.count("\n") == GARBLED.count("\n")
    assert "UBND" in r.stdout and "117" in r.stdout and "BTS" in r.stdout
    assert f.read_text(encoding="utf-8") == GARBLED  # the input is never modified


def test_restore_explain_lists_changes_on_stderr(tmp_path):
    f = tmp_path / "in.txt"
    f.write_text(GARBLED, encoding="utf-8")
    r = CliRunner().invoke(cli, ["restore", str(f), "--explain"])
    assert r.exit_code == 0
    assert "Téng\t->\tTổng" in r.stderr
    assert r.stderr.startswith("1:1\t")
    assert "mode full" in r.stderr
    assert "Téng" not in r.stdout


def test_restore_stdin_and_off_mode():
    r = CliRunner().invoke(cli, ["restore", "-", "--mode", "off"], input=GARBLED.encode())
    assert r.exit_code == 0 and r.stdout == GARBLED
    r = CliRunner().invoke(cli, ["restore"], input="Ke hoach\n".encode())
    assert r.stdout == "Kế hoạch\n"


def test_non_utf8_file_is_a_one_line_error_with_exit_8(tmp_path, capsys):
    f = tmp_path / "cp1258.txt"
    f.write_bytes("Tổng doanh thu".encode("utf-16-le"))  # UTF-16 without its byte-order mark
    try:
        main(["restore", str(f)])
    except SystemExit as e:
        assert e.code == ExitCode.encoding_error == 12
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(f) in err and "UTF-8" in err


def test_non_utf8_stdin_is_an_encoding_error(capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"T\xf4ng\n")))
    try:
        main(["restore", "-"])
    except SystemExit as e:
        assert e.code == ExitCode.encoding_error
    assert "<stdin>" in capsys.readouterr().err


def test_readme_restore_examples_run(tmp_path):
    """Every `planscan restore` example in the README runs, on the sample OCR text."""
    import re
    import shlex
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Diacritic restoration"):]
    examples = re.findall(r"^planscan (restore[^\n#]*)", section, flags=re.M)
    assert examples
    sample = root / "samples" / "tuangiao-2020" / "ocr-eng.txt"
    for example in examples:
        words = shlex.split(example)
        args, stdin = [], None
        it = iter(words)
        for w in it:
            if w in (">", "2>"):
                next(it)
            elif w == "<":
                next(it)
                stdin = sample.read_bytes()
            else:
                args.append(str(sample) if w.endswith(".txt") else w)
        r = CliRunner().invoke(cli, args, input=stdin)
        assert r.exit_code == 0, (example, r.output)
        assert r.stdout.count("\n") == sample.read_text(encoding="utf-8").count("\n")
