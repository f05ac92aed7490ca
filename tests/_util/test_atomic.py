"""Atomic writes: a disk that cannot take the file raises OutputError naming it and leaves the old
file (or none), never part of a new one and no temp file."""

from __future__ import annotations

import errno
import os

import pytest

from planscan._util import atomic
from planscan._util.atomic import atomic_open, atomic_write_text
from planscan.errors import ExitCode, OutputError


@pytest.mark.parametrize(("code", "remedy"), [(errno.ENOSPC, "free disk space"), (errno.EROFS, "read-only"),
                                              (errno.EDQUOT, "free disk space")])
@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_a_full_or_read_only_disk_is_one_output_error_and_leaves_the_old_file(tmp_path, monkeypatch, code, remedy,
                                                                              where):
    target = tmp_path / "out" / "plan.txt"
    atomic_write_text(target, "the old, complete text\n")

    def fail(*_args, **_kwargs):
        raise OSError(code, os.strerror(code))

    if where == "fsync":
        monkeypatch.setattr(atomic.os, "fsync", fail)
    elif where == "replace":
        monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(OutputError) as info:
        with atomic_open(target) as fh:
            fh.write("a new text that never arrives\n")
            if where == "write":
                fail()  # what a write to a full disk raises
    monkeypatch.undo()
    err = info.value
    assert err.exit_code == ExitCode.file_access
    assert str(err).startswith(f"{target}: cannot be written") and remedy in str(err)
    assert "\n" not in str(err)
    assert target.read_text() == "the old, complete text\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["plan.txt"]


def test_an_error_of_the_callers_own_is_not_taken_for_the_disk(tmp_path):
    target = tmp_path / "x.txt"
    with pytest.raises(ValueError):
        with atomic_open(target) as fh:
            fh.write("half")
            raise ValueError("the caller's bug")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_created_names_the_path(tmp_path):
    (tmp_path / "file").write_text("in the way")
    with pytest.raises(OutputError, match="file/sub/x.txt: cannot be written"):
        atomic_write_text(tmp_path / "file" / "sub" / "x.txt", "text")
