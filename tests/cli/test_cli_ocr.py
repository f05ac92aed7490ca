"""`planscan ocr` on bad inputs: one stderr line naming the file, a distinct exit code, no traceback."""

from __future__ import annotations

import shutil

import pytest
import pytesseract
from PIL import Image
from pypdf import PdfReader, PdfWriter

from planscan.cli import main
from planscan.errors import ExitCode
from planscan.ocr import tesseract
from planscan.schemas.records import Line
from tests.ocr_helpers import text_page

SAMPLE = "samples/tuangiao-2020/scan-harsh.pdf"
needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    err = capsys.readouterr().err
    return exc.value.code, err


def _bad_files(tmp_path):
    files = {}
    files["empty.pdf"] = b""
    files["notpdf.pdf"] = b"just some text, not a PDF\n"
    files["empty.png"] = b""
    files["garbage.png"] = b"this is a text file with an image name\n" * 5
    files["damaged.png"] = b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 10
    data = open(SAMPLE, "rb").read()
    files["truncated.pdf"] = data[: len(data) // 3]
    page = tmp_path / "page.png"
    Image.fromarray(text_page()).save(page)
    files["truncated.png"] = page.read_bytes()[:4000]
    for name, blob in files.items():
        (tmp_path / name).write_bytes(blob)
    return files


@needs_poppler
@pytest.mark.parametrize(
    "name,code,hint",
    [
        ("empty.pdf", ExitCode.input_file, "empty"),
        ("notpdf.pdf", ExitCode.input_file, "not a PDF"),
        ("empty.png", ExitCode.input_file, "empty"),
        ("garbage.png", ExitCode.input_file, "not a PDF or a readable image"),
        ("damaged.png", ExitCode.input_file, "cannot be decoded"),
        ("truncated.pdf", ExitCode.input_file, "truncated"),
        ("truncated.png", ExitCode.input_file, "truncated"),
    ],
)
def test_bad_input_one_line_and_exit_code(tmp_path, capsys, name, code, hint):
    _bad_files(tmp_path)
    rc, err = run(["ocr", str(tmp_path / name), "-o", str(tmp_path / "out")], capsys)
    assert rc == code
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert name in lines[0] and hint in lines[0]
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_unsupported_suffix(tmp_path, capsys):
    (tmp_path / "plan.docx").write_bytes(b"PK\x03\x04")
    rc, err = run(["ocr", str(tmp_path / "plan.docx"), "-o", str(tmp_path / "out")], capsys)
    assert rc == ExitCode.input_file and "plan.docx" in err and "PDF" in err


def test_missing_file(tmp_path, capsys):
    rc, err = run(["ocr", str(tmp_path / "nope.pdf"), "-o", str(tmp_path / "out")], capsys)
    assert rc == ExitCode.input_file and "nope.pdf" in err and len(err.strip().splitlines()) == 1


@needs_poppler
def test_encrypted_pdf(tmp_path, capsys):
    w = PdfWriter()
    w.add_page(PdfReader(SAMPLE).pages[0])
    w.encrypt("secret")
    w.write(tmp_path / "locked.pdf")
    rc, err = run(["ocr", str(tmp_path / "locked.pdf"), "-o", str(tmp_path / "out")], capsys)
    assert rc == ExitCode.encrypted_pdf
    assert "locked.pdf" in err and "decrypt" in err and len(err.strip().splitlines()) == 1


@needs_poppler
def test_zero_page_pdf(tmp_path, capsys):
    PdfWriter().write(tmp_path / "blank.pdf")
    rc, err = run(["ocr", str(tmp_path / "blank.pdf"), "-o", str(tmp_path / "out")], capsys)
    assert rc == ExitCode.input_file and "blank.pdf" in err and "no pages" in err


def _png(tmp_path, name="page.png"):
    p = tmp_path / name
    Image.fromarray(text_page()).save(p, dpi=(150, 150))
    return p


def test_missing_tesseract(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "planscan-test-no-such-tesseract")
    rc, err = run(["ocr", str(_png(tmp_path)), "-o", str(tmp_path / "out")], capsys)
    assert rc == ExitCode.missing_dependency
    assert "page.png" in err and "apt-get install tesseract-ocr tesseract-ocr-vie" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_missing_vie_data(tmp_path, capsys, monkeypatch):
    if shutil.which("tesseract") is None:
        pytest.skip("needs a tesseract binary to find it lacks vie")
    monkeypatch.setattr(tesseract, "_languages", lambda cmd: frozenset({"eng", "osd"}))
    rc, err = run(["ocr", str(_png(tmp_path)), "-o", str(tmp_path / "out")], capsys)
    assert rc == ExitCode.missing_dependency
    assert "no 'vie' language data" in err and "apt-get install tesseract-ocr-vie" in err


@pytest.fixture
def fake_ocr(monkeypatch):
    monkeypatch.setattr(tesseract, "check_tesseract", lambda lang="vie": "5.3.0-fake")
    monkeypatch.setattr(tesseract, "osd", lambda image, dpi, timeout=None: (0, 0.0))
    monkeypatch.setattr(tesseract, "recognize",
                        lambda image, lang, dpi, psm=3, timeout=None, extra="": [Line(text="Kế hoạch năm")])


@needs_poppler
def test_good_inputs_still_converted_and_exit_is_partial(tmp_path, capsys, fake_ocr):
    _bad_files(tmp_path)
    good = _png(tmp_path, "good.png")
    rc, err = run(["ocr", str(tmp_path / "empty.pdf"), str(good), str(tmp_path / "notpdf.pdf"),
                   "-o", str(tmp_path / "out"), "--jobs", "1", "--no-cache", "--restore", "off"], capsys)
    assert rc == ExitCode.partial
    assert len(err.strip().splitlines()) == 2
    assert (tmp_path / "out" / "good.txt").read_text(encoding="utf-8") == "Kế hoạch năm\n"
    assert (tmp_path / "out" / "good.ocr.json").exists()


def test_all_inputs_bad_is_nothing_ran(tmp_path, capsys):
    _bad_files(tmp_path)
    rc, _ = run(["ocr", str(tmp_path / "empty.pdf"), str(tmp_path / "empty.png"), "-o", str(tmp_path / "o")], capsys)
    assert rc == ExitCode.nothing_ran


def test_ok_run_is_quiet_and_writes_pdf(tmp_path, capsys, fake_ocr):
    good = _png(tmp_path, "good.png")
    rc, err = run(["ocr", str(good), "-o", str(tmp_path / "out"), "--jobs", "1", "--pdf", "--no-cache",
                   "--restore", "off"], capsys)
    assert rc == 0 and err == ""
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["good.ocr.json", "good.pdf", "good.txt"]


def test_same_stem_inputs_do_not_overwrite_each_other(tmp_path, capsys, fake_ocr):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one, two = _png(tmp_path / "a", "scan.png"), _png(tmp_path / "b", "scan.png")
    rc, _ = run(["ocr", str(one), str(two), "-o", str(tmp_path / "out"), "--jobs", "1", "--no-cache",
                 "--restore", "off"], capsys)
    assert rc == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir() if p.suffix == ".txt")
    assert names == ["b-scan.txt", "scan.txt"]


def test_skip_step_choices_are_the_clean_up_steps():
    from planscan.cli import ocr_cmd
    from planscan.ocr.clean import DEFAULT_ORDER, STEPS

    option = next(p for p in ocr_cmd.params if p.name == "skip_steps")
    assert tuple(option.type.choices) == DEFAULT_ORDER
    assert set(DEFAULT_ORDER) == set(STEPS)


def test_an_input_is_never_overwritten_by_the_outputs(tmp_path, capsys, fake_ocr):
    (tmp_path / "same").mkdir()
    src = _png(tmp_path / "same", "plan.png")
    Image.open(src).save(tmp_path / "same" / "plan.pdf")
    before = (tmp_path / "same" / "plan.pdf").read_bytes()
    rc, err = run(["ocr", str(tmp_path / "same" / "plan.pdf"), "-o", str(tmp_path / "same"), "--pdf", "--jobs", "1",
                   "--no-cache", "--restore", "off"], capsys)
    assert rc == ExitCode.bad_args
    assert len(err.strip().splitlines()) == 1 and "would overwrite the input" in err and "OUT.pdf" in err
    assert (tmp_path / "same" / "plan.pdf").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "same").iterdir()) == ["plan.pdf", "plan.png"]


@needs_poppler
def test_input_and_output_file_as_ocrmypdf_with_sidecar(tmp_path, capsys, fake_ocr):
    import pikepdf

    src = _png(tmp_path, "plan.png")
    out = tmp_path / "plan-ocr.pdf"
    with pytest.raises(SystemExit) as exc:
        main(["ocr", str(src), str(out), "--sidecar", "-", "--jobs", "1", "--no-cache", "--restore", "off",
              "--output-type", "pdf"])
    captured = capsys.readouterr()
    assert exc.value.code == 0 and captured.err == ""
    assert captured.out == "Kế hoạch năm\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan-ocr.pdf", "plan.png"]  # the PDF only
    with pikepdf.open(out) as pdf:
        assert "pdfaid:part" not in pdf.open_metadata()


@needs_poppler
def test_naming_the_input_as_output_file_replaces_it(tmp_path, capsys, fake_ocr):
    src = _png(tmp_path, "plan.png")
    Image.open(src).save(tmp_path / "plan.pdf")
    rc, err = run(["ocr", str(tmp_path / "plan.pdf"), str(tmp_path / "plan.pdf"), "--jobs", "1", "--no-cache",
                   "--restore", "off"], capsys)
    assert rc == 0, err
    assert b"pdfaid" in (tmp_path / "plan.pdf").read_bytes()


def test_ocr_without_output_folder_needs_an_output_file(tmp_path, capsys):
    rc, err = run(["ocr", str(_png(tmp_path))], capsys)
    assert rc == ExitCode.bad_args and "IN.pdf OUT.pdf" in err


def test_text_page_modes_exclude_each_other(tmp_path, capsys):
    rc, err = run(["ocr", str(_png(tmp_path)), "-o", str(tmp_path / "o"), "--skip-text", "--force-ocr"], capsys)
    assert rc == ExitCode.bad_args and "only one of" in err


def test_ocr_and_batch_share_output_lang_psm_and_skip_step():
    from planscan.cli import batch_cmd, ocr_cmd

    def opts(cmd):
        return {p.name: set(p.opts) for p in cmd.params}

    o, b = opts(ocr_cmd), opts(batch_cmd)
    assert o["outdir"] == b["outdir"] == {"-o", "--output"}
    assert o["lang"] == b["lang"] == {"-l", "--lang"}
    assert "psm" in b and "skip_steps" in b
