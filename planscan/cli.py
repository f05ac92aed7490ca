"""Command line: parse options, call the library, map errors to exit codes in one place.

Each command is a thin wrapper around one library function. Commands return an ``ExitCode``
(or None for success); exceptions derived from ``PlanscanError`` become one line on stderr.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from planscan._version import __version__
from planscan.errors import ExitCode, PlanscanError, overall_exit_code


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planscan")
@click.option("--debug", is_flag=True, envvar="PLANSCAN_DEBUG",
              help="Print the traceback of an unexpected error instead of only the path of its log file.")
def cli(debug: bool) -> None:
    """Turn scanned Vietnamese plans into correct text and comparable figures."""


# --- commands: each section below is owned by one module of the library ---

# [ocr]


def _ocr_stems(inputs: tuple) -> list[str]:
    """Output stems, unique within one run: a second 'scan.pdf' from folder 'b' becomes 'b-scan'."""
    seen: set[str] = set()
    stems = []
    for raw in inputs:
        p = Path(raw)
        stem = p.stem
        if stem in seen and p.parent.name:
            stem = f"{p.parent.name}-{p.stem}"
        base, n = stem, 2
        while stem in seen:
            stem, n = f"{base}-{n}", n + 1
        seen.add(stem)
        stems.append(stem)
    return stems


_CLEAN_STEPS = ["colour", "background", "orientation", "deskew", "denoise", "bleed", "despeckle", "binarize"]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _overwritten_input(inputs: list[Path], outputs: list[Path]) -> tuple[Path, Path] | None:
    """(input, output) of the first planned output that is one of the inputs."""
    for out in outputs:
        for src in inputs:
            if src.exists() and _same_file(src, out):
                return src, out
    return None


def _check_text_modes(skip_text: bool, redo_ocr: bool, force_ocr: bool) -> None:
    """OCRmyPDF's three answers to a page that has text: read its text layer (--skip-text, the
    default here), OCR it anew replacing an invisible OCR layer (--redo-ocr), or OCR it anyway
    (--force-ocr). One at a time."""
    if skip_text + redo_ocr + force_ocr > 1:
        raise click.UsageError("give only one of --skip-text, --redo-ocr and --force-ocr")


@cli.command("ocr")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", "outdir", default=None, type=click.Path(file_okay=False),
              help="Folder for <stem>.txt, <stem>.ocr.json (and <stem>.pdf with --pdf). Without it: IN.pdf OUT.pdf.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Pages OCR'd in parallel [default: cores].")
@click.option("--dpi", type=click.IntRange(min=72, max=1200), default=300, show_default=True,
              help="Resolution pages are rendered at; lower-resolution scans are upsampled to it.")
@click.option("-l", "--lang", default="vie", show_default=True, help="Tesseract language(s), e.g. vie or vie+eng.")
@click.option("--psm", type=click.IntRange(min=3, max=13), default=6, show_default=True,
              help="Tesseract page segmentation mode: 6 = one block of lines (best on scans), 3 = automatic layout.")
@click.option("--no-clean", is_flag=True, help="Skip all OpenCV clean-up (orientation, deskew, background...).")
@click.option("--skip-step", "skip_steps", multiple=True, type=click.Choice(_CLEAN_STEPS),
              help="Switch off one clean-up step by name (repeatable).")
@click.option("--pdf", "want_pdf", is_flag=True, help="Also write a searchable <stem>.pdf (text over the original image).")
@click.option("--output-type", type=click.Choice(["pdfa", "pdf"]), default="pdfa", show_default=True,
              help="Searchable PDF as PDF/A-2b (validated) or as a plain PDF.")
@click.option("--rotate-pages/--no-rotate-pages", default=True, show_default=True,
              help="Turn sideways and upside-down pages upright in the PDF (lossless /Rotate).")
@click.option("--deskew/--no-deskew", default=True, show_default=True,
              help="Show skewed pages straight in the PDF (the image is placed turned; its data is unchanged).")
@click.option("--clean-final", is_flag=True, help="Put the cleaned image Tesseract read into the PDF instead of the scan.")
@click.option("--sidecar", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Also write the text to this file ('-': stdout); one input only.")
@click.option("--no-cache", is_flag=True, help="OCR every page again instead of using the page cache.")
@click.option("--keep-temp", type=click.Path(file_okay=False), default=None,
              help="Keep the intermediate clean-up images in this folder, for debugging.")
@click.option("--page-timeout", type=click.FloatRange(min=1), default=None,
              help="Seconds after which a page is given up and recorded as failed.")
@click.option("--skip-text", is_flag=True, help="Pages with a text layer: read it, do not OCR them (the default).")
@click.option("--redo-ocr", is_flag=True, help="OCR pages whose text is only an invisible OCR layer, and replace "
                                                "that layer; visible text is kept.")
@click.option("--force-ocr", is_flag=True, help="OCR PDFs even when they already have a text layer; such pages "
                                                 "become their image in the PDF.")
@click.option("--restore", "restore_mode", type=click.Choice(["auto", "full", "off"]), default="auto", show_default=True,
              help="Diacritic restoration of the text: auto decides per document, full always, off never.")
def ocr_cmd(inputs, outdir, jobs, dpi, lang, psm, no_clean, skip_steps, want_pdf, output_type, rotate_pages, deskew,
            clean_final, sidecar, no_cache, keep_temp, page_timeout, skip_text, redo_ocr, force_ocr, restore_mode):
    """OCR scanned PDFs or images (PNG, JPEG, TIFF).

    planscan ocr INPUTS... -o DIR writes <stem>.txt, <stem>.ocr.json (and <stem>.pdf with --pdf) into DIR;
    planscan ocr IN OUT.pdf writes the searchable PDF OUT.pdf only, as OCRmyPDF does.
    An input is never overwritten unless it is named as the output file.
    """
    from planscan.ocr.progress import page_bar
    from planscan.ocr.settings import OcrSettings, PdfSettings
    from planscan.pipeline import convert

    _check_text_modes(skip_text, redo_ocr, force_ocr)
    paths = [Path(p) for p in inputs]
    pdf_out = None
    if outdir is None:
        if len(paths) != 2 or paths[1].suffix.lower() != ".pdf":
            raise click.UsageError("give -o DIR for the outputs, or an input and an output file: IN.pdf OUT.pdf")
        paths, pdf_out = paths[:1], paths[1]
    if sidecar and len(paths) > 1:
        raise click.UsageError("--sidecar takes one input")
    settings = OcrSettings(
        dpi=dpi, lang=lang, psm=psm, clean=not no_clean, disabled_steps=tuple(skip_steps),
        force_ocr=force_ocr, redo_ocr=redo_ocr, restore=restore_mode, jobs=jobs,
        use_cache=not no_cache, keep_temp=Path(keep_temp).resolve() if keep_temp else None, page_timeout=page_timeout,
    )
    pdf_settings = PdfSettings(output_type=output_type, rotate_pages=rotate_pages, deskew=deskew, clean_final=clean_final)
    stems = _ocr_stems(tuple(str(p) for p in paths))
    if outdir is not None:
        planned = [Path(outdir) / f"{stem}{suffix}" for stem in stems
                   for suffix in (".txt", ".ocr.json") + ((".pdf",) if want_pdf else ())]
        clash = _overwritten_input(paths, planned + ([Path(sidecar)] if sidecar and sidecar != "-" else []))
        if clash:
            click.echo(f"planscan: error: {clash[1]} would overwrite the input {clash[0]}; choose another -o "
                       f"folder, or name the output file: planscan ocr {clash[0]} OUT.pdf", err=True)
            return ExitCode.bad_args
    elif sidecar and sidecar != "-" and _overwritten_input(paths, [Path(sidecar)]):
        click.echo(f"planscan: error: --sidecar {sidecar} would overwrite the input; choose another file", err=True)
        return ExitCode.bad_args
    codes: list[int] = []
    show = sys.stderr.isatty()
    for path, stem in zip(paths, stems):
        try:
            with page_bar(path.name, show) as progress:
                doc, _ = convert(path, Path(outdir) if outdir is not None else None, settings, pdf=want_pdf,
                                 stem=stem, progress=progress, pdf_settings=pdf_settings, pdf_out=pdf_out)
            if sidecar:
                _write_sidecar(sidecar, doc.text)
        except PlanscanError as e:
            click.echo(f"planscan: error: {e}", err=True)
            codes.append(int(e.exit_code))
            continue
        failed = [p.number for p in doc.pages if p.status == "failed"]
        for p in doc.pages:
            if p.status == "failed":
                click.echo(f"planscan: warning: {path}: page {p.number} failed: {p.error}", err=True)
        codes.append(int(ExitCode.partial) if failed else 0)
    return overall_exit_code(codes)


def _write_sidecar(target: str, text: str) -> None:
    from planscan._util.atomic import atomic_write_text
    from planscan.errors import OutputError

    if target == "-":
        click.echo(text, nl=False)
        return
    try:
        atomic_write_text(Path(target), text)
    except OSError as e:
        raise OutputError(f"{target}: the sidecar cannot be written ({e.strerror}); check the folder") from e


# [restore]
@cli.command("restore")
@click.argument("file", default="-", metavar="[FILE|-]")
@click.option("--mode", type=click.Choice(["auto", "full", "off"]), default="auto", show_default=True,
              help="full: the text lost its diacritics; auto: fix only invalid words, and switch to full "
                   "when the text has no diacritics; off: pass the text through.")
@click.option("--explain", is_flag=True,
              help="Also list every change on stderr: line, original, restored form and confidence.")
def restore_cmd(file, mode, explain):
    """Restore Vietnamese diacritics in a UTF-8 text FILE (or stdin) and write the text to stdout.

    Example: planscan restore ocr-eng.txt --explain > restored.txt
    """
    from planscan.pipeline import restore_file

    def show(lineno, ch) -> None:
        click.echo(f"{lineno}:{ch.start + 1}\t{ch.original}\t->\t{ch.restored}\t{ch.confidence:.2f}", err=True)

    if file == "-" and sys.stdin.isatty():
        click.echo("planscan restore: reading the text from standard input (end it with Ctrl-D), or give a FILE",
                   err=True)
    # block by block: a text of any size is restored in bounded memory
    used, changed = restore_file(file, lambda text: click.echo(text, nl=False), mode, on_change=show if explain else None)
    if explain:
        click.echo(f"mode {used}: {changed} tokens changed", err=True)



# [extract]


class _WarningsToStderr:
    """Library warnings (a number that cannot be read, with its page and line) as one stderr line each."""

    def __enter__(self):
        import logging

        class _Echo(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                click.echo(f"planscan: warning: {record.getMessage()}", err=True)

        self.logger = logging.getLogger("planscan.extract")
        self.handler = _Echo(level=logging.WARNING)
        self.logger.addHandler(self.handler)
        self.propagate, self.logger.propagate = self.logger.propagate, False
        return self

    def __exit__(self, *exc) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.propagate


def _explain(source: str, records: list, skipped: list) -> None:
    """One line per figure and per number that is none, in page and line order, on stderr."""
    rows = [
        ((r.page, r.line), f"{source}:{r.page}:{r.line}\t{r.value:g} {r.unit}\t{r.kind}: {r.kind_reason or '-'}"
         f"\tperiod {r.period or '-'}: {r.period_reason or '-'}")
        for r in records
    ] + [((s.page, s.line), f"{source}:{s.page}:{s.line}\t{s.text}\tnot a figure: {s.reason}") for s in skipped]
    for _, row in sorted(rows, key=lambda r: r[0]):
        click.echo(row, err=True)


@cli.command("extract")
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "csv", "xlsx"]), default=None,
              help="Output format [default: from the -o suffix, else jsonl].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically) instead of JSON Lines on stdout.")
@click.option("--restore", "restore_mode", type=click.Choice(["auto", "full", "off"]), default="auto", show_default=True,
              help="Diacritic restoration before reading figures: auto detects text that lost its diacritics.")
@click.option("--dpi", type=click.IntRange(min=72, max=1200), default=300, show_default=True,
              help="Resolution scanned pages are rendered at for OCR.")
@click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
              help="Write the figures stored in this database instead, reviewed, with their review status; "
                   "INPUTS then name documents (ids, sources or files), none meaning all.")
@click.option("--unreviewed", is_flag=True, help="With --db: the figures as extracted, without reviews.")
@click.option("--explain", is_flag=True,
              help="On stderr: why each figure has its kind and period, and why each other number is no figure.")
def extract_cmd(inputs, fmt, output, restore_mode, dpi, db, unreviewed, explain):
    """Read the figures of plans into indicator records (value, unit, period, kind, label, provenance).

    INPUT is a scanned PDF or image (OCR'd and restored first), a .txt file (pages split on form
    feeds) or a planscan .ocr.json. Records of all inputs go to one output.

    Example: planscan extract plan.pdf --format csv -o figures.csv
    """
    import itertools

    from planscan.io.export import format_for, model_columns, write_records
    from planscan.ocr.settings import OcrSettings
    from planscan.pipeline import extract_path
    from planscan.schemas.records import IndicatorRecord

    format_for(Path(output) if output not in (None, "-") else None, fmt)  # a bad -o fails before any OCR
    if fmt == "xlsx" and output in (None, "-") and sys.stdout.isatty():
        raise click.UsageError("an Excel workbook is not for a terminal: add -o FILE.xlsx")
    if db:
        from planscan.io.store import Store
        from planscan.pipeline import stored_records

        with Store(Path(db), create=False) as store:
            write_records(stored_records(store, list(inputs), reviewed=not unreviewed), output, fmt,
                          columns=[*model_columns(IndicatorRecord), "review_status"], sheet="figures")
        return None
    if not inputs:
        raise click.UsageError("Missing argument 'INPUTS...' (or give --db).")
    settings = OcrSettings(dpi=dpi, restore=restore_mode)
    codes: list[int] = []

    def found_records():
        """Every input's records as they are found (a .txt of any size in bounded memory)."""
        for raw in inputs:
            skipped: list | None = [] if explain else None
            failed: list = []
            found: list = []
            try:
                with _pages_bar(Path(raw).name) as progress:
                    records = extract_path(Path(raw), settings, skipped=skipped, failed=failed, progress=progress)
                    # a scan is OCR'd and read whole before its first record: the bar is gone before any output
                    first = next(records, None)
                for record in itertools.chain([] if first is None else [first], records):
                    if explain:
                        found.append(record)
                    yield record
            except PlanscanError as e:
                click.echo(f"planscan: error: {e}", err=True)
                codes.append(int(e.exit_code))
                continue
            for p in failed:
                click.echo(f"planscan: warning: {raw}: page {p.number} failed: {p.error}", err=True)
            if explain:
                _explain(raw, found, skipped or [])
            codes.append(int(ExitCode.partial) if failed else 0)
        if not any(c in (ExitCode.ok, ExitCode.partial) for c in codes):
            raise _NothingExtracted  # no input could be read: no output file

    with _WarningsToStderr():
        try:
            write_records(found_records(), output, fmt, model=IndicatorRecord, sheet="figures")
        except _NothingExtracted:
            pass
    return overall_exit_code(codes)


class _NothingExtracted(Exception):
    """Every input failed: the output is not written (raised inside the atomic write, which drops it)."""

# [tables]


@cli.command("tables")
@click.argument("input_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx", "markdown"]), default=None,
              help="Output format [default: from the -o suffix, else json].")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically; CSV: one file per table, XLSX: one sheet per table) instead of stdout.")
@click.option("--dpi", type=click.IntRange(min=72, max=1200), default=300, show_default=True,
              help="Resolution scanned pages are rendered at for OCR.")
def tables_cmd(input_path, fmt, output, dpi):
    """Write every table of a PDF or image as found: pages, box, header rows, and each cell's row,
    column, spans, text and box. A table continued on the next page is one table.

    Example: planscan tables plan.pdf --format csv -o tables.csv
    """
    from planscan.errors import InputFileError
    from planscan.io.tables import tables_format, write_tables
    from planscan.ocr.settings import OcrSettings
    from planscan.pipeline import read_tables

    tables_format(Path(output) if output not in (None, "-") else None, fmt)  # a bad -o fails before any OCR
    if fmt == "xlsx" and output in (None, "-") and sys.stdout.isatty():
        raise click.UsageError("an Excel workbook is not for a terminal: add -o FILE.xlsx")
    path = Path(input_path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file; check the path")
    write_tables(read_tables(path, OcrSettings(dpi=dpi)), output, fmt)


# [sections]


def _pages_bar(name: str):
    """A bar of the pages read, on a terminal only: for commands that may OCR a scan."""
    from planscan.ocr.progress import page_bar

    return page_bar(name, sys.stderr.isatty())


def _read_for_sections(path, restore_mode: str):
    """A Document from any input: .txt and .ocr.json directly, PDFs and images through OCR."""
    from planscan.ocr.settings import OcrSettings
    from planscan.pipeline import read_document

    with _pages_bar(Path(path).name) as progress:
        return read_document(Path(path), OcrSettings(restore=restore_mode), progress)


@cli.command("sections")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=str))
@click.option("--restore", "restore_mode", type=click.Choice(["auto", "full", "off"]), default="auto", show_default=True,
              help="Diacritic restoration before reading headings: auto detects text that lost its diacritics.")
@click.option("--json", "as_json", is_flag=True, help="Print the section tree as JSON (the Section record) instead.")
@click.option("--no-bullets", is_flag=True, help="Leave bullet paragraphs (-, *, +) out of the outline.")
@click.option("--tree/--text", "as_tree", default=None,
              help="Draw a tree, or print indented text [default: a tree on a terminal, text otherwise].")
def sections_cmd(input_path, restore_mode, as_json, no_bullets, as_tree):
    """Print the outline of a plan: parts, roman, arabic and decimal headings, letters and bullets.

    Each heading shows its page:line span; numbering that skips or goes back is flagged. A rich tree
    on a terminal, indented plain text otherwise.

    Example: planscan sections plan.txt
    """
    from planscan.extract.structure.sections import outline, parse_sections

    root = parse_sections(_read_for_sections(input_path, restore_mode))
    if no_bullets:
        root = _without_bullets(root)
    if as_json:
        click.echo(root.model_dump_json(indent=2))
        return None
    if as_tree if as_tree is not None else sys.stdout.isatty():
        from rich.console import Console
        from rich.markup import escape
        from rich.tree import Tree

        tree = Tree(escape(input_path))

        def add(branch, section):
            for child in section.children:
                flags = f" [yellow]\\[{escape(', '.join(child.flags))}][/]" if child.flags else ""
                label = f"{escape(child.heading)} [dim]p{child.page_start}:{child.line_start}[/]{flags}"
                add(branch.add(label), child)

        add(tree, root)
        Console(file=sys.stdout, width=200 if as_tree else None).print(tree)
    else:
        for line in outline(root):
            click.echo(line)
    return None


def _without_bullets(section):
    return section.model_copy(
        update={"children": [_without_bullets(c) for c in section.children if c.style != "bullet"]}
    )

# [diff]


@cli.command("diff")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "csv-long", "json", "markdown", "xlsx"]), default=None,
              help="Output format [default: from the -o suffix; else table on a terminal, json in a pipe]; "
                   "csv-long: one row per indicator and document.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file (atomically) instead of stdout; xlsx needs it.")
@click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
              help="Compare documents of this store instead: inputs are their ids, sources or files, "
                   "with their reviewed values.")
@click.option("--unreviewed", is_flag=True, help="With --db: the figures as extracted, without reviews.")
@click.option("--only-paired", is_flag=True, help="Only indicators found in two documents or more.")
@click.option("--min-confidence", type=click.FloatRange(min=0), default=None, metavar="SCORE",
              help="Leave out pairs whose pairing score (0-100, the row's score) is below SCORE.")
def diff_cmd(inputs, fmt, output, db, unreviewed, only_paired, min_confidence):
    """Compare plans year on year: OLD NEW [MORE...], oldest first.

    Inputs are PDFs, images, .txt, .ocr.json, or records from planscan extract (.json/.jsonl).
    One row per indicator: value per document and period, change, flags, and whether the newer
    document's stated changes ("tăng 8 trạm so với cùng kỳ") agree with the older one.
    """
    from planscan.io.diffformat import format_for, select, write
    from planscan.pipeline import diff_inputs

    if len(inputs) < 2:
        raise click.UsageError("diff needs at least two inputs: OLD NEW [MORE...]")
    out = Path(output) if output else None
    fmt = format_for(out, fmt, sys.stdout.isatty())
    if db:
        from planscan.io.store import Store
        from planscan.pipeline import diff_stored

        with Store(Path(db), create=False) as store:
            result = diff_stored(store, list(inputs), reviewed=not unreviewed)
    else:
        result = diff_inputs([Path(p) for p in inputs], page_bar=_pages_bar)
    for w in result.warnings:
        click.echo(f"planscan: warning: {w}", err=True)
    write(select(result, only_paired, min_confidence), fmt, out)

# [ingest]


@cli.command("ingest")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--db", "db", required=True, type=click.Path(dir_okay=False),
              help="SQLite database to add to; created if missing, never overwritten if it is not planscan's.")
@click.option("--no-derive", is_flag=True, help="Do not store the prior values implied by stated changes.")
def ingest_cmd(inputs, db, no_derive):
    """Store documents, pages, sections and indicators (with provenance) in a SQLite database.

    Inputs are PDFs, images, .txt, .ocr.json, or records from planscan extract (.json/.jsonl,
    which may hold many documents). A folder stands for the planscan batch outputs under it
    (x.indicators.jsonl with its x.ocr.json and x.tables.json). A document already stored (same
    content hash) is skipped; a tables file that cannot be read is a warning and exit 11.
    """
    import contextlib
    import functools
    from planscan.errors import InputFileError
    from planscan.io.store import Store
    from planscan.pipeline import expand_inputs, ingest_path

    for p in map(Path, inputs):
        if p.is_dir() and not expand_inputs([p]):
            raise InputFileError(f"{p}: no batch outputs (x.indicators.jsonl) and no PDF, image or text file in this"
                                 " folder; give the scans' folder, or run planscan batch on it first")
    inputs = [str(p) for p in expand_inputs([Path(p) for p in inputs])]
    added = skipped = records = 0
    codes: list[int] = []
    show = sys.stderr.isatty() and len(inputs) > 1
    with Store(Path(db)) as store, contextlib.ExitStack() as stack:
        advance = None
        if show:
            from rich.progress import Progress

            bar = stack.enter_context(Progress(transient=True))
            task = bar.add_task("ingest", total=len(inputs))
            advance = functools.partial(bar.advance, task)

        for raw in inputs:
            warned: list[str] = []
            try:
                # one bar at a time: the bar over the inputs, or the pages of the one input
                with contextlib.nullcontext() if show else _pages_bar(Path(raw).name) as pages:
                    results = ingest_path(store, Path(raw), derive=not no_derive, progress=pages, warnings=warned)
            except PlanscanError as e:
                if e.exit_code == ExitCode.database_error:
                    raise
                click.echo(f"planscan: error: {e}", err=True)
                codes.append(int(e.exit_code))
                continue
            finally:
                if advance:
                    advance()
            for w in warned:
                click.echo(f"planscan: warning: {w}", err=True)
            codes.append(int(ExitCode.partial) if warned else int(ExitCode.ok))
            for r in results:
                added += r.inserted
                skipped += not r.inserted
                records += r.indicators if r.inserted else 0
    failed = sum(c not in (ExitCode.ok, ExitCode.partial) for c in codes)
    click.echo(f"{db}: {added} document(s) added ({records} indicators), {skipped} already stored, {failed} failed",
               err=True)
    return overall_exit_code(codes)

# [search]


@cli.command("search")
@click.argument("query")
@click.option("--db", "db", required=True, type=click.Path(dir_okay=False), help="SQLite database written by planscan ingest.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Pages shown at most.")
def search_cmd(query, db, limit):
    """Find pages whose text holds every word of QUERY, accents and case ignored ("tu khoa" finds
    "từ khóa"): document, page and a snippet with the words in [brackets].

    Example: planscan search "trạm BTS" --db planscan.db
    """
    from planscan.io.store import Store

    with Store(Path(db), create=False) as store:
        hits = store.search(query, limit)
    if not hits:
        click.echo(f"planscan: no page of {db} holds {query!r}", err=True)
        return None
    for h in hits:
        click.echo(f"{h.source or h.document_id}\tpage {h.page}\t{h.snippet}")
    return None


# [keys]


@cli.command("keys")
@click.option("--db", "db", required=True, type=click.Path(dir_okay=False), help="SQLite database written by planscan ingest.")
def keys_cmd(db):
    """List the indicator keys of a store with their most common label and number of figures,
    most figures first: what planscan series takes.

    Example: planscan keys --db planscan.db
    """
    from planscan.io.store import Store

    with Store(Path(db), create=False) as store:
        rows = store.keys()
    for key, label, n in rows:
        click.echo(f"{key}\t{n}\t{label}")
    return None


# [series]


@cli.command("series")
@click.argument("key")
@click.option("--db", "db", required=True, type=click.Path(dir_okay=False, exists=False),
              help="SQLite database written by planscan ingest.")
@click.option("--district", default=None, help="Only this district (accent-insensitive, part of the name is enough).")
@click.option("--plot", type=click.Path(dir_okay=False), default=None, help="Draw the series into this .png/.svg/.pdf.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="How to print the series.")
@click.option("--unreviewed", is_flag=True, help="The figures as extracted, without the corrections of planscan review.")
def series_cmd(key, db, district, plot, fmt, unreviewed):
    """Print the time series of indicator KEY (a key such as ict.bts_stations, or a label)."""
    import dataclasses
    from planscan.errors import InputFileError
    from planscan.io.series import SeriesPoint, load_series, nearest_keys, plot_series, series_table
    from planscan.io.store import Store

    with Store(Path(db), create=False) as store:
        used, points = load_series(store, key, district, reviewed=not unreviewed)
        near = nearest_keys(store, key) if not points and not district else []
    if not points:
        if district:
            raise InputFileError(f"{db}: no figures for {key!r} for district {district!r}; leave out --district to"
                                 " see every district")
        hint = f"; nearest: {', '.join(near)}" if near else ""
        # exit 2, OCRmyPDF's "input file" code: the key names nothing in this input store
        raise InputFileError(f"{db}: no indicator {key!r}{hint} (planscan keys --db {db} lists them)")
    if fmt == "table":
        from rich.console import Console

        Console().print(series_table(used, points))
    else:
        from planscan.io.export import write_records

        write_records([dataclasses.asdict(p) for p in points], None, fmt,
                      columns=[f.name for f in dataclasses.fields(SeriesPoint)], sheet="series")
    if plot:
        plot_series(used, points, Path(plot))
        click.echo(f"planscan: chart written to {plot}", err=True)
    return None

# [batch]


@cli.command("batch")
@click.argument("indir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder; the input tree is mirrored here, with the ledger, progress.jsonl and summary.csv.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Files converted at once (one per worker process). Default: number of cores.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default=None,
              help="local: worker processes on this machine; dask: a Dask distributed cluster. Default: local.")
@click.option("--scheduler", metavar="ADDR", default=None,
              help="Dask scheduler address, e.g. tcp://host:8786 (implies --executor dask). Without it, "
                   "--executor dask starts a local cluster of --jobs workers.")
@click.option("--pdf/--no-pdf", default=True, show_default=True,
              help="Write a searchable PDF for each PDF and image input.")
@click.option("--retry-failed", is_flag=True,
              help="Convert again files that failed for their input (bad file, failed or timed-out pages) in an "
                   "earlier run; by default those are skipped. Crashes and missing programs are always retried.")
@click.option("--page-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="S",
              help="Give up on a page after S seconds of OCR; the page is recorded as failed and the batch goes on.")
@click.option("--file-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="S",
              help="Stop a file's worker after S seconds in all and record the file as failed (local executor). "
                   "Default with --page-timeout: 60 s + 2 x the page timeout per page; otherwise none.")
@click.option("--dpi", type=click.IntRange(min=50, max=1200), default=300, show_default=True,
              help="Resolution pages are rasterised at for OCR.")
@click.option("-l", "--lang", default="vie", show_default=True, help="Tesseract language(s), e.g. vie or vie+eng.")
@click.option("--force-ocr", is_flag=True, help="OCR PDFs even when they already have a text layer.")
@click.option("--restore", type=click.Choice(["auto", "full", "off"]), default="auto", show_default=True,
              help="Diacritic restoration: auto restores text that lacks diacritics, full always, off never.")
@click.option("--psm", type=click.IntRange(min=3, max=13), default=6, show_default=True,
              help="Tesseract page segmentation mode: 6 = one block of lines (best on scans), 3 = automatic layout.")
@click.option("--no-clean", is_flag=True, help="Skip the OpenCV clean-up before OCR.")
@click.option("--skip-step", "skip_steps", multiple=True, type=click.Choice(_CLEAN_STEPS),
              help="Switch off one clean-up step by name (repeatable).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the OCR page cache.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary table (progress.jsonl is still written).")
def batch_cmd(indir, outdir, jobs, executor, scheduler, pdf, retry_failed, page_timeout, file_timeout, dpi, lang,
              force_ocr, restore, psm, no_clean, skip_steps, no_cache, quiet):
    """Convert every PDF, image and text file under INDIR into OUTDIR; resumable and fault-isolated.

    Example: planscan batch scans/ -o converted/ --jobs 4
    """
    from planscan.batch import BatchSettings, run_batch
    from planscan.ocr.settings import OcrSettings

    if executor == "local" and scheduler:
        raise click.UsageError("--scheduler needs --executor dask")
    ocr = OcrSettings(dpi=dpi, lang=lang, psm=psm, clean=not no_clean, disabled_steps=tuple(skip_steps),
                      force_ocr=force_ocr, restore=restore, jobs=1,
                      use_cache=not no_cache, page_timeout=page_timeout)
    report = run_batch(indir, outdir, BatchSettings(ocr=ocr, pdf=pdf), jobs=jobs,
                       executor=executor or ("dask" if scheduler else "local"), scheduler=scheduler,
                       retry_failed=retry_failed, quiet=quiet, file_timeout=file_timeout)
    return report.exit_code


# [review]


@cli.command("review")
@click.argument("outdir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="SQLite store to review (written by planscan ingest).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but a loopback address is reachable from other machines.")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=0, help="Port [default: a free one].")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default web browser.")
@click.option("--reviewer", default=None, help="Name recorded with each review [default: the login name].")
def review_cmd(outdir, db, host, port, open_browser, reviewer):
    """Review figures against their page images in a local web page, and keep the reviews in the store.

    Give a store (--db FILE) or a planscan batch output folder (OUTDIR: its outputs are ingested into
    OUTDIR/review.db first). It prints a URL with an access token and serves until Ctrl-C.

    Example: planscan review --db planscan.db
    """
    from planscan.io.store import Store
    from planscan.review.server import serve

    if (outdir is None) == (db is None):
        raise click.UsageError("give either --db FILE or a batch output folder OUTDIR")
    if outdir is not None:
        from planscan.pipeline import expand_inputs, ingest_path

        db = outdir / "review.db"
        with Store(db) as store:
            for path in expand_inputs([outdir]):
                ingest_path(store, path)
    elif not db.exists():
        raise click.UsageError(f"{db}: no such store; create it with planscan ingest")
    serve(db, host=host, port=port or None, open_browser=open_browser, reviewer=reviewer)
    return None



def _debug_requested(argv: list[str] | None) -> bool:
    args = sys.argv[1:] if argv is None else argv
    return "--debug" in args or os.environ.get("PLANSCAN_DEBUG", "") not in ("", "0")


def _log_unexpected(exc: BaseException) -> str:
    """Write the traceback to a log file and return its path; the user gets one line, not a dump."""
    import tempfile
    import traceback

    text = "".join(traceback.format_exception(exc))
    try:
        fd, path = tempfile.mkstemp(prefix="planscan-error-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"planscan {__version__}, argv: {sys.argv!r}\n{text}")
    except OSError:
        return ""
    return path


def _terminate(signum: int, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM stops a command as Ctrl-C does: workers ended, ledger and summary written


def main(argv: list[str] | None = None) -> None:
    """The one error edge: every failure becomes one line on stderr and an exit code from ``ExitCode``."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    try:
        rv = cli.main(args=argv, prog_name="planscan", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("planscan: interrupted", err=True)
        sys.exit(ExitCode.interrupted)
    except click.exceptions.Exit as e:  # --help, --version
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(ExitCode.bad_args)
    except PlanscanError as e:
        click.echo(f"planscan: error: {e}", err=True)
        sys.exit(int(e.exit_code))
    except Exception as e:  # noqa: BLE001 - the edge for what nothing else caught
        if _debug_requested(argv):
            import traceback

            traceback.print_exception(e, file=sys.stderr)
        log = _log_unexpected(e)
        where = f"; the traceback is in {log}" if log else ""
        click.echo(f"planscan: internal error: {e.__class__.__name__}: {' '.join(str(e).split())[:200]}{where}"
                   " (re-run with --debug to print it; please report it)", err=True)
        sys.exit(ExitCode.internal_error)
    sys.exit(int(rv or 0))


if __name__ == "__main__":
    main()
