"""One exception per failure cause, each with its exit code and a message that says what to do.

The CLI maps these to exit codes in one place (``cli.main``); library code raises them and never
calls ``sys.exit``. Messages are one line: they name the file and say what the user should do.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Iterable


class ExitCode(IntEnum):
    """Numbered like OCRmyPDF's where the meaning is the same (1-5, 8, 15, 130); planscan's own
    causes take numbers OCRmyPDF leaves free (11-14)."""

    ok = 0
    bad_args = 1  # a bad option or argument (click's usage errors too)
    input_file = 2  # not a PDF or image, empty, truncated, zero pages
    missing_dependency = 3  # tesseract, its language data or poppler is not installed
    invalid_output = 4  # an output was written but fails its own check (e.g. PDF/A validation)
    file_access = 5  # an output cannot be written: permissions, full or read-only disk
    encrypted_pdf = 8
    partial = 11  # some inputs (or pages) failed, the rest were converted
    encoding_error = 12  # a text input is not UTF-8
    database_error = 13  # corrupt or foreign database file
    nothing_ran = 14  # a run over several inputs in which no file could be processed
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


class BadArgumentError(PlanscanError):
    """An argument the command line parser could not judge: e.g. an output suffix that names no format."""

    exit_code = ExitCode.bad_args


class InputFileError(PlanscanError):
    """The input is not something we can read: not a PDF/image/text, empty, truncated, no pages."""

    exit_code = ExitCode.input_file


class EncryptedPdfError(InputFileError):
    exit_code = ExitCode.encrypted_pdf


class MissingDependencyError(PlanscanError):
    exit_code = ExitCode.missing_dependency


class OutputError(PlanscanError):
    """An output cannot be written (permissions, a full or read-only disk, a folder in the way)."""

    exit_code = ExitCode.file_access


class InvalidOutputError(PlanscanError):
    """An output was written but does not pass its own validation."""

    exit_code = ExitCode.invalid_output


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

    0 when every input succeeded; with a single input, its own code; otherwise 11 (partial) when
    at least one input was converted (its code 0, or 11 for failed pages), else 14 (nothing ran).
    """
    codes = [int(c) for c in codes]
    if all(c == ExitCode.ok for c in codes):
        return ExitCode.ok
    if len(codes) == 1:
        return ExitCode(codes[0])
    if any(c in (ExitCode.ok, ExitCode.partial) for c in codes):
        return ExitCode.partial
    return ExitCode.nothing_ran
