"""Find the inputs of a batch: every PDF, image and text file under INDIR, in a stable order."""

from __future__ import annotations

import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from planscan.errors import InputFileError, OutputError
from planscan.ocr.inputs import input_kind

BATCH_KINDS = {"pdf", "image", "text"}


@dataclass(frozen=True)
class InputFile:
    path: Path  # absolute path of the input
    rel: str  # path relative to INDIR, POSIX separators; the key outputs mirror
    kind: str  # 'pdf', 'image' or 'text'
    stem: str  # output base name inside the mirrored folder
    problem: str | None = None  # why it cannot be converted at all, found while walking

    @property
    def out_parent(self) -> PurePosixPath:
        return PurePosixPath(self.rel).parent


@dataclass
class WalkResult:
    files: list[InputFile]
    ignored: int  # files of other types (and .ocr.json, which are outputs, not inputs)
    # (path relative to INDIR, why): entries named like inputs that are not regular files (a FIFO
    # would block the reader for ever), dangling links, folder links (not followed), links into OUTDIR
    skipped: list[tuple[str, str]] = field(default_factory=list)
    ignored_files: list[str] = field(default_factory=list)  # the ignored files, relative to INDIR


def _is_inside(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
        return True
    except ValueError:
        return False


def _not_a_file(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file; skipped"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file; skipped"
    if stat.S_ISDIR(mode):
        return "is a folder named like a file; its own files are converted, the folder is not one input"
    return "is a device or other special file, not a file; skipped"


def walk_inputs(indir: Path, outdir: Path | None = None) -> WalkResult:
    """Hidden files and folders are skipped, and so is OUTDIR when it lies inside INDIR, so a batch
    never reads its own outputs. Folder symlinks are not followed, so no link loop can trap the
    walk; file symlinks are (their outputs are named by the link, under OUTDIR like any other).
    Nothing found is opened here: an entry is classified by ``stat`` alone."""
    indir = indir.resolve()
    out_resolved = outdir.resolve() if outdir is not None else None
    found: list[tuple[str, Path, str]] = []
    skipped: list[tuple[str, str]] = []
    ignored: list[str] = []
    for root, dirs, names in os.walk(indir):
        root_path = Path(root)
        keep = []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            path = root_path / d
            if out_resolved is not None and path.resolve() == out_resolved:
                continue
            if path.is_symlink():
                skipped.append((path.relative_to(indir).as_posix(),
                                f"is a link to a folder ({os.readlink(path)}); not followed, give its target"
                                " to a batch of its own"))
                continue
            if _has_input_suffix(d):
                skipped.append((path.relative_to(indir).as_posix(), _not_a_file(stat.S_IFDIR) or ""))
            keep.append(d)
        dirs[:] = keep
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = root_path / name
            try:
                kind = input_kind(path)
            except InputFileError:
                ignored.append(path.relative_to(indir).as_posix())
                continue
            if kind not in BATCH_KINDS:
                ignored.append(path.relative_to(indir).as_posix())
                continue
            rel = path.relative_to(indir).as_posix()
            try:
                mode = os.stat(path).st_mode  # follows a link: what would be read
            except OSError as e:
                skipped.append((rel, f"cannot be looked at ({e.strerror}); a link to nothing?"))
                continue
            why = _not_a_file(mode)
            if why is None and out_resolved is not None and path.is_symlink() and _is_inside(path.resolve(),
                                                                                          out_resolved):
                why = "is a link into the output folder; skipped, a batch never reads its own outputs"
            if why is not None:
                skipped.append((rel, why))
                continue
            found.append((rel, path, kind))
    found.sort(key=lambda t: t[0])
    return WalkResult(files=_assign_stems(found), ignored=len(ignored), skipped=sorted(skipped), ignored_files=ignored)


def _has_input_suffix(name: str) -> bool:
    try:
        return input_kind(Path(name)) in BATCH_KINDS
    except InputFileError:
        return False


def _assign_stems(found: list[tuple[str, Path, str]]) -> list[InputFile]:
    """``plan.pdf`` and ``plan.txt`` in one folder would both write ``plan.txt``; such inputs keep
    their suffix in the output name (``plan.pdf.txt``) so no output overwrites another."""
    key = lambda rel: (PurePosixPath(rel).parent, PurePosixPath(rel).stem.lower())  # noqa: E731
    counts = Counter(key(rel) for rel, _, _ in found)
    files = []
    for rel, path, kind in found:
        p = PurePosixPath(rel)
        stem = p.stem if counts[key(rel)] == 1 else p.name
        problem = None
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:
            # Names from old Windows archives (CP1258) arrive as undecodable bytes; the ledger,
            # summary and outputs all need text, so such a file is reported, not converted.
            rel = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            shown = os.fsencode(path).decode("utf-8", "backslashreplace")
            problem = (
                f"{shown}: the file name is not UTF-8 (an old Windows code page?); rename it,"
                " e.g. convmv -f cp1258 -t utf-8 --notest -r FOLDER, and run again"
            )
        files.append(InputFile(path=path, rel=rel, kind=kind, stem=stem, problem=problem))
    return files


def check_dirs(indir: Path, outdir: Path) -> None:
    """Outputs mirror INDIR under OUTDIR; the two being one folder would overwrite text inputs."""
    if not indir.is_dir():
        raise InputFileError(f"{indir}: is not a folder; give the folder that holds the scans")
    if indir.resolve() == outdir.resolve():
        raise InputFileError(f"{outdir}: is the input folder itself; choose a separate output folder with -o")
    if _is_inside(indir.resolve(), outdir.resolve()):
        # OUTDIR/rel could then land on an input file (INDIR/x/y.txt mirrored onto itself).
        raise InputFileError(
            f"{indir}: lies inside the output folder {outdir}; choose an output folder outside the input folder"
        )


def output_dir(outdir: Path, rel: str) -> Path:
    """The folder under OUTDIR that mirrors ``rel``'s folder. Raises ``OutputError`` when a link
    in OUTDIR (a sub-folder replaced by a symlink) would take the outputs anywhere else."""
    target = Path(outdir) / PurePosixPath(rel).parent
    root = Path(outdir).resolve()
    if not _is_inside(target.resolve(), root):
        raise OutputError(
            f"{target}: leads out of the output folder {outdir} (a symbolic link); remove the link and run again"
        )
    return target
