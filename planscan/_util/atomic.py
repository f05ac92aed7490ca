"""Write outputs to a temp file in the target folder, then rename: no half-written file is ever left."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from planscan.errors import OutputError

# errnos that mean the place cannot take the file (the disk, not the data, is the problem).
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EACCES, errno.EPERM}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def output_error(path: Path, e: OSError) -> OutputError:
    """One line naming the output that cannot be written, and why in the system's words."""
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        remedy = "free disk space and run again"
    elif e.errno == errno.EROFS:
        remedy = "the disk is read-only; choose another output folder"
    else:
        remedy = "check the folder's permissions or choose another output folder"
    return OutputError(f"{path}: cannot be written ({e.strerror or e}); {remedy}")


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temp file beside ``path``; on success fsync and rename it over ``path``.

    A full, read-only or forbidden target raises ``OutputError`` naming ``path``; the temp file is
    removed, so a failed write leaves the old file (or none), never part of a new one.
    """
    path = Path(path)
    binary = "b" in mode
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise output_error(path, e) from e
    try:
        # mkstemp creates 0600; outputs of an archive run should be as readable as any file the user makes.
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, mode, encoding=None if binary else encoding, newline=None if binary else "") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if e.errno in _NO_ROOM:
            raise output_error(path, e) from e
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_open(path, "w") as fh:
        fh.write(text)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)
