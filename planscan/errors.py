"""One exception per failure cause, each with its exit code and a message that says what to do.

The CLI maps these to exit codes in one place (``cli.main``); library code raises them and never
calls ``sys.exit``. Messages are one line: they name the file and say what the user should do.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Iterable


class ExitCode(IntEnum):
    ok = 0
    # 1 is left to uncaught Python errors, 2 is click's usage error.
    bad_args = 2
    partial = 3  # some inputs (or pages) failed, the rest were converted
    input_file = 4  # not a PDF or image, empty, truncated, zero pages
    encrypted_pdf = 5
    missing_dependency = 6  # tesseract or its language data is not installed
    output_error = 7  # the output cannot be written
    encoding_error = 8  # a text input is not UTF-8
    database_error = 9  # corrupt or foreign database file
    nothing_ran = 10  # a batch in which no file could be processed
    internal_error = 15
    interrupted = 130


class PlanscanError(Exception):
    """Base class. ``exit_code`` tells the CLI what to return."""

    exit_code: ExitCode = ExitCode.internal_error

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # one line, always
        return " ".join(self.message.split())


class InputFileError(PlanscanError):
    """The input is not something we can read: not a PDF/image/text, empty, truncated, no pages."""

    exit_code = ExitCode.input_file


class EncryptedPdfError(InputFileError):
    exit_code = ExitCode.encrypted_pdf


class MissingDependencyError(PlanscanError):
    exit_code = ExitCode.missing_dependency


class OutputError(PlanscanError):
    exit_code = ExitCode.output_error


class EncodingError(PlanscanError):
    exit_code = ExitCode.encoding_error


class DatabaseError(PlanscanError):
    exit_code = ExitCode.database_error


class PageTimeoutError(PlanscanError):
    """One page took longer than --page-timeout; the page is recorded as failed."""

    exit_code = ExitCode.partial


class PageFailedError(PlanscanError):
    """OCR of one page crashed; the page is recorded as failed and left empty."""

    exit_code = ExitCode.partial


class NothingRan(PlanscanError):
    exit_code = ExitCode.nothing_ran


def overall_exit_code(codes: Iterable[int]) -> ExitCode:
    """The exit code of a command run over several inputs, from each input's own code.

    0 when every input succeeded; with a single input, its own code; otherwise 3 (partial) when
    at least one input was converted (its code 0, or 3 for failed pages), else 10 (nothing ran).
    """
    codes = [int(c) for c in codes]
    if all(c == ExitCode.ok for c in codes):
        return ExitCode.ok
    if len(codes) == 1:
        return ExitCode(codes[0])
    if any(c in (ExitCode.ok, ExitCode.partial) for c in codes):
        return ExitCode.partial
    return ExitCode.nothing_ran
