"""One rule turns the codes of a command's inputs into its exit code (ocr, extract, ingest, batch)."""

from __future__ import annotations

import pytest

from planscan.errors import ExitCode, overall_exit_code

OK, PARTIAL, BAD, ENC = ExitCode.ok, ExitCode.partial, ExitCode.input_file, ExitCode.encrypted_pdf


@pytest.mark.parametrize("codes,expected", [
    ([], OK),
    ([OK, OK], OK),
    ([PARTIAL], PARTIAL),  # one input with failed pages
    ([BAD], BAD),  # one input: its own reason
    ([OK, BAD], PARTIAL),  # the good ones were converted
    ([PARTIAL, ENC], PARTIAL),
    ([BAD, ENC], ExitCode.nothing_ran),  # several inputs, none converted
])
def test_overall_exit_code(codes, expected):
    assert overall_exit_code(codes) == expected
    assert overall_exit_code(int(c) for c in codes) == expected
