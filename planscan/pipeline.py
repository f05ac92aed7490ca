"""Stage functions that take an input file to a Document, and a Document to records.

Dispatch on what the input is: a PDF or image is OCR'd (or its text layer read), a ``.txt`` file is
read as text with pages split on form feeds, a ``.ocr.json`` is loaded as it was written.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from planscan.errors import InputFileError
from planscan.ocr.inputs import file_sha256, input_kind
from planscan.schemas.records import Document, Line, Page

_BREAK = re.compile("[\n\f]")

# A .txt input is read, restored and extracted this many characters at a time (at page breaks
# where it can): a text of any size in bounded memory, and a text shorter than this as one Document.
TEXT_WINDOW_CHARS = 1_000_000


def _text_lines(chunks: Iterable[str]) -> Iterator[tuple[int, int | None, str]]:
    """(page, line index, line) for every line of a text, and (page, None, "") where each page
    starts; pages split on form feeds, lines on "\n" ("\r\n" read as "\n"), every line kept,
    blank ones too, so line numbers match the file."""
    page, index, pending = 1, 0, ""
    yield page, None, ""
    for chunk in chunks:
        text = pending + chunk
        # a "\r" at the end may be the first half of a "\r\n" the next chunk completes
        text, pending = (text[:-1], "\r") if text.endswith("\r") else (text, "")
        start = 0
        text = text.replace("\r\n", "\n")
        for m in _BREAK.finditer(text):
            line = text[start:m.start()]
            start = m.end()
            if m.group() == "\n":
                yield page, index, line
                index += 1
            else:  # a form feed: a last line without "\n" ends the page
                if line:
                    yield page, index, line
                page, index = page + 1, 0
                yield page, None, ""
        pending = text[start:] + pending
    if pending:
        yield page, index, pending


def _document(source: str, sha256: str, items: list[tuple[int, int | None, str]]) -> Document:
    pages: list[Page] = []
    for number, index, text in items:
        if index is None or not pages or pages[-1].number != number:
            pages.append(Page(number=number, source="text", lines=[]))
        if index is not None:
            pages[-1].lines.append(Line(text=unicodedata.normalize("NFC", text), line=index))
    return Document(source=source, sha256=sha256, pages=pages)


def text_to_document(text: str, source: str = "-", sha256: str = "") -> Document:
    """Pages split on form feeds; every line kept, blank ones too, so line numbers match the file.

    Lines are composed (NFC): every later stage matches and keeps offsets on composed text."""
    return _document(source, sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(), list(_text_lines([text])))


def text_windows(path: Path, window_chars: int = TEXT_WINDOW_CHARS) -> Iterator[Document]:
    """A UTF-8 text file as Documents of about ``window_chars`` each, cut where a page starts (in a
    page longer than that, at a blank line, or at any line past twice the size), every page and
    line numbered as in the whole file; all carry the whole file's hash."""
    from planscan._util.textio import iter_utf8_chunks

    path = Path(path)
    try:
        fh = open(path, "rb")
        sha = hashlib.file_digest(fh, "sha256").hexdigest()
        fh.seek(0)
    except OSError as e:
        raise InputFileError(f"{path}: cannot be read ({e.strerror}); check the path and permissions") from e
    with fh:
        items: list[tuple[int, int | None, str]] = []
        size = 0
        for item in _text_lines(iter_utf8_chunks(fh, str(path))):
            _, index, text = item
            if size >= window_chars and (index is None or (not text.strip() or size >= 2 * window_chars)):
                yield _document(str(path), sha, items)
                items, size = [], 0
            items.append(item)
            size += len(text) + 1
        yield _document(str(path), sha, items)


def read_text_file(path: Path) -> Document:
    """A whole UTF-8 text file as one Document (``text_windows`` reads one of any size in parts)."""
    return next(text_windows(path, window_chars=10**18))


def restore_file(file: str, write, mode: str = "auto", on_change=None) -> tuple[str, int]:
    """Restore the UTF-8 text file ``file`` ("-": stdin), giving ``write`` the restored text block by
    block, so memory stays bounded whatever the file's size. Returns (mode used, tokens changed)."""
    import sys

    from planscan._util.textio import iter_utf8_chunks
    from planscan.extract.restore.stream import restore_stream

    if file == "-":
        stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
        return restore_stream(iter_utf8_chunks(stream, "<stdin>"), write, mode, on_change=on_change)
    try:
        fh = open(file, "rb")
    except OSError as e:
        raise InputFileError(f"{file}: cannot be read ({e.strerror}); check the path and permissions") from e
    with fh:
        return restore_stream(iter_utf8_chunks(fh, file), write, mode, on_change=on_change)


def read_ocr_json(path: Path) -> Document:
    try:
        return Document.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as e:
        raise InputFileError(f"{path}: not a planscan .ocr.json ({e.__class__.__name__}); re-run planscan ocr") from e


def read_document(path: Path, settings=None, progress=None) -> Document:
    """Any supported input as a Document, restored as ``settings.restore`` says (default "auto").

    PDF and images go through OCR (or a PDF's text layer); ``.txt`` is read as text, and restoration
    in "auto" mode itself detects whether the diacritics are missing; ``.ocr.json`` is loaded as
    written (restored only if it was not restored before).
    """
    from planscan.ocr.settings import OcrSettings

    settings = settings or OcrSettings()
    path = Path(path)
    kind = input_kind(path)
    if kind == "text":
        doc = read_text_file(path)
    elif kind == "ocr-json":
        doc = read_ocr_json(path)
    else:
        from planscan.ocr.pipeline import ocr_document

        doc = ocr_document(path, settings, progress)
    return _restored(doc, settings.restore)


def _restored(doc: Document, mode: str) -> Document:
    """``doc`` with its diacritics restored in ``mode``, unless the mode is off or it already was."""
    if mode == "off" or doc.restored not in ("none", "off"):
        return doc
    from planscan.extract.restore.restorer import restore_document

    return restore_document(doc, mode)


def extract_document(doc: Document, tables: list | None = None, skipped: list | None = None):
    """(metadata, section tree, indicator records) of a Document, each stage fed the ones before.

    The figures of its tables are records too (``tables``, else read from the document's source
    file when that is a PDF or image); the prose path reads only the lines outside them.
    ``skipped`` receives the numbers of the prose that are no figures, with the reason."""
    from planscan.extract.indicators.records import extract_indicators
    from planscan.extract.structure.metadata import parse_metadata
    from planscan.extract.structure.sections import parse_sections
    from planscan.extract.tables.figures import tables_records, with_table_figures, without_tables

    meta = parse_metadata(doc)
    sections = parse_sections(doc)
    if tables is None:
        tables = document_tables(doc)
    records = extract_indicators(without_tables(doc, tables), meta, sections, skipped=skipped)
    year = meta.plan_year or meta.report_year
    # A column that names no kind (a cross-tab's measures) states what the document does for its year.
    kind = "target" if meta.plan_year else "actual" if meta.report_year else None
    return meta, sections, with_table_figures(records, tables_records(tables, doc.source or doc.sha256, year, kind))


def extract_path(path: Path, settings=None, skipped: list | None = None, failed: list | None = None,
                 progress=None) -> Iterator:
    """The indicator records of any input, as they are found. A .txt file is read, restored and
    extracted ``TEXT_WINDOW_CHARS`` at a time (each part with the metadata of the first), so a text
    of any size is extracted in bounded memory; ``failed`` receives the pages that could not be read,
    ``progress(done, total)`` the pages OCR'd."""
    from planscan.ocr.settings import OcrSettings

    settings = settings or OcrSettings()
    path = Path(path)
    if input_kind(path) != "text":
        doc = read_document(path, settings, progress)
        if failed is not None:
            failed.extend(p for p in doc.pages if p.status == "failed")
        yield from extract_document(doc, skipped=skipped)[2]
        return
    from planscan.extract.indicators.records import extract_indicators
    from planscan.extract.structure.metadata import parse_metadata
    from planscan.extract.structure.sections import parse_sections

    meta = None
    for doc in text_windows(path, TEXT_WINDOW_CHARS):
        doc = _restored(doc, settings.restore)
        meta = meta or parse_metadata(doc)
        yield from extract_indicators(doc, meta, parse_sections(doc), skipped=skipped)


def read_tables(path: Path, settings=None, pages: set[int] | None = None,
                text_pages: dict[int, Page] | None = None) -> list:
    """Every table of a PDF or image (of ``pages`` only, when given) as Table records, a table
    continued over pages joined.

    A scanned page without rules gives the table reader no words, so its borderless tables are
    looked for among the words of the page OCR'd as text: those of ``text_pages`` (a Document's
    pages by number, when it has been read), else the page is OCR'd as text here, once, unless its
    ink shows no column gaps (``planscan.ocr.column_gaps``)."""
    from planscan.extract.tables.build import build_tables
    from planscan.ocr.borderless import with_borderless
    from planscan.ocr.settings import OcrSettings
    from planscan.ocr.tables import read_page_tables

    settings = settings or OcrSettings()
    path = Path(path)
    found = read_page_tables(path, settings, pages)
    bare = [p.number for p in found if not p.grids and not p.outside]
    if bare and text_pages is None:
        text_pages = _text_pages(path, settings, bare)
    found = [_with_page_words(p, (text_pages or {}).get(p.number)) if p.number in bare else p for p in found]
    return build_tables([with_borderless(p) for p in found])


def _with_page_words(tables, page: Page | None):
    """``tables`` (a page's PageTables) with the words of ``page`` as OCR'd as text, scaled into
    its pixel frame: both come from the same cleaned page, each at its own dpi."""
    import dataclasses

    from planscan.schemas.records import BBox

    if page is None or page.status != "ok" or page.source != "ocr" or not page.dpi:
        return tables
    f = tables.dpi / page.dpi

    def scaled(b: BBox) -> BBox:
        return BBox(x0=round(b.x0 * f), y0=round(b.y0 * f), x1=round(b.x1 * f), y1=round(b.y1 * f))

    words = [w if f == 1 or w.bbox is None else w.model_copy(update={"bbox": scaled(w.bbox)})
             for ln in page.lines for w in ln.words]
    return dataclasses.replace(tables, outside=words)


def _text_pages(path: Path, settings, numbers: list[int]) -> dict[int, Page]:
    """Pages ``numbers`` of a scan OCR'd as text, as ``planscan ocr`` reads them (through its page
    cache, so a page read before is not read again); a page whose ink has no column gaps that
    persist over two lines cannot hold a borderless table and is not read."""
    from planscan.ocr import poppler, rasterize, tesseract
    from planscan.ocr.column_gaps import may_hold_columns
    from planscan.ocr.pipeline import ocr_one_page

    kind = input_kind(path)
    natives = poppler.page_images(path) if kind == "pdf" else {}
    version = tesseract.check_tesseract(settings.lang)
    out = {}
    for n in numbers:
        native_dpi, grey = natives.get(n, (None, False))
        img = rasterize.load_page(path, kind, n, settings.dpi, native_dpi, grey)
        if may_hold_columns(img.image, img.dpi):
            out[n] = ocr_one_page(path, kind, n, settings, native_dpi, grey, version)
    return out


def document_tables(doc: Document) -> list:
    """The tables of the file a Document was read from, at the resolution its pages were OCR'd at;
    none for text input or when that file is gone. A scanned page without rules has its borderless
    tables found among the Document's own words for it (not OCR'd again)."""
    from planscan.ocr.settings import OcrSettings

    path = Path(doc.source) if doc.source else None
    if path is None or not path.is_file() or input_kind(path) not in ("pdf", "image"):
        return []
    dpis = [p.dpi for p in doc.pages if p.source == "ocr" and p.dpi]
    ocred = any(p.source == "ocr" for p in doc.pages)
    settings = OcrSettings(dpi=dpis[0] if dpis else 300, force_ocr=ocred and path.suffix.lower() == ".pdf"
                           and not any(p.source == "text-layer" for p in doc.pages))
    return read_tables(path, settings, pages={p.number for p in doc.pages if p.status == "ok"},
                       text_pages={p.number: p for p in doc.pages})


def convert(path: Path, outdir: Path | None, settings, pdf: bool = False, stem: str | None = None,
            progress=None, pdf_settings=None, pdf_out: Path | None = None) -> tuple[Document, list[Path]]:
    """One scan to its OCR outputs: OCR (or text layer), restoration as ``settings.restore`` says, files.

    With ``outdir``: <stem>.txt, <stem>.ocr.json and, with ``pdf``, <stem>.pdf there. With ``pdf_out``
    (OCRmyPDF's ``IN OUT``): that searchable PDF only. The PDF's metadata (title, issuer, date) is
    read from the restored text."""
    from planscan.extract.restore.restorer import restore_document
    from planscan.ocr.output import write_outputs, write_pdf
    from planscan.ocr.pipeline import ocr_document

    path = Path(path)
    doc = ocr_document(path, settings, progress=progress)
    doc = doc.model_copy(update={"restored": "off"}) if settings.restore == "off" else restore_document(doc, settings.restore)
    meta = None
    if pdf or pdf_out is not None:
        from planscan.extract.structure.metadata import parse_metadata

        meta = parse_metadata(doc)
    written = []
    if outdir is not None:
        written = write_outputs(doc, Path(outdir), stem or path.stem, pdf, path, meta=meta, pdf_settings=pdf_settings,
                                ocr_settings=settings)
    if pdf_out is not None:
        written.append(write_pdf(doc, path, Path(pdf_out), meta, pdf_settings, settings))
    return doc, written


def load_input(path: Path, progress=None, tables: list | None = None,
               warnings: list | None = None) -> tuple[list, object, Document | None, object]:
    """(records, meta, document or None, sections or None) for any input diff and ingest accept.

    A records file is read as it is; a batch output's records get the metadata of their
    ``.ocr.json`` sidecar (district, period), which the records themselves do not carry, and
    ``tables`` receives the tables of the tables file beside them (``_records_tables``; a problem
    with it is a line in ``warnings``). Any other input (PDF, image, text, .ocr.json) is read and
    extracted; ``tables`` receives its tables."""
    from planscan.io.records import is_records_file, read_records_file, sidecar_document

    path = Path(path)
    if not path.exists():
        raise InputFileError(f"{path}: no such file; check the path")
    if is_records_file(path):
        records, meta = read_records_file(path)
        sidecar = sidecar_document(path)
        if meta is None and sidecar is not None:
            from planscan.extract.structure.metadata import parse_metadata

            try:
                meta = parse_metadata(read_ocr_json(sidecar))
            except InputFileError:
                meta = None  # metadata only enriches the comparison
        if tables is not None:
            tables.extend(_records_tables(path, warnings))
        return records, meta, None, None
    doc = read_document(path, progress=progress)
    found = document_tables(doc)
    if tables is not None:
        tables.extend(found)
    meta, sections, records = extract_document(doc, tables=found)
    return records, meta, doc, sections


def _records_tables(path: Path, warnings: list | None) -> list:
    """The tables of the tables file beside the records file ``path`` (``x.tables.json``). A batch
    output always has one, so its absence is a warning, as is a file that cannot be read: the
    records are stored all the same, without tables. Beside other records none is expected."""
    from planscan.io.records import BATCH_RECORDS_SUFFIX
    from planscan.io.tablestore import read_tables_file, tables_file

    found = tables_file(path)
    try:
        if found.is_file():
            return read_tables_file(found)
        if not path.name.endswith(BATCH_RECORDS_SUFFIX):
            return []
        problem = (f"{found}: missing; the records of {path.name} are stored without their tables (run planscan"
                   " batch again to write it)")
    except InputFileError as e:
        problem = f"{e}; the records of {path.name} are stored without their tables"
    if warnings is not None:
        warnings.append(problem)
    return []


def diff_inputs(paths: list[Path], page_bar=None):
    """Load every input (records file, text, PDF ...) and compare them in the given order.

    ``page_bar(name)``, if given, is a context manager yielding a ``progress(done, total)`` callback
    for the pages of one input (a bar on a terminal)."""
    import contextlib

    from planscan.extract.compare import ComparedDocument, compare_documents
    from planscan.io.records import display_names
    from planscan.schemas.comparison import DiffDocument

    docs, sources = [], {}
    for p, name in zip(paths, display_names(paths)):
        with page_bar(p.name) if page_bar else contextlib.nullcontext() as progress:
            records, meta, _doc, _sections = load_input(p, progress)
        docs.append(ComparedDocument(name, list(records), meta))
        sources[name] = DiffDocument(name=name, path=str(p), sha256=file_sha256(p), metadata=meta)
    result = compare_documents(docs)
    result.sources = [sources[n] for n in result.documents]  # compare_documents may put them in date order
    return result


def stored_document_id(store, ref: str) -> int:
    """The id of a stored document named by its id, its source as ingested, or a file whose
    content hash it was stored under."""
    if ref.isdigit() and store.query("SELECT 1 FROM documents WHERE id=?", (int(ref),)):
        return int(ref)
    rows = store.query("SELECT id FROM documents WHERE source=? OR sha256=?", (ref, ref))
    if not rows and Path(ref).is_file():
        rows = store.query("SELECT id FROM documents WHERE sha256=? OR source=?", (file_sha256(Path(ref)), str(Path(ref).resolve())))
    if not rows:
        raise InputFileError(f"{ref}: no such document in {store.path}; give its id, source or file (see planscan review)")
    return rows[0]["id"]


def diff_stored(store, refs: list[str], reviewed: bool = True):
    """Compare stored documents (named as ``stored_document_id`` takes them), with their reviewed
    values unless ``reviewed`` is false; rejected figures are left out, corrected ones flagged."""
    from planscan.extract.compare import ComparedDocument, compare_documents
    from planscan.io.store import record_of
    from planscan.schemas.comparison import DiffDocument

    docs, corrected, sources = [], set(), {}
    for ref in refs:
        doc_id = stored_document_id(store, ref)
        meta = _stored_meta(store, doc_id)
        (stored,) = store.query("SELECT source, sha256 FROM documents WHERE id=?", (doc_id,))
        sources[ref] = DiffDocument(name=ref, path=stored["source"] or ref, sha256=stored["sha256"], metadata=meta)
        rows = [r for r in store.figures(doc_id, reviewed=reviewed) if r["review_status"] != "rejected"]
        corrected |= {(r["key"], r["year"]) for r in rows if r["review_status"] in ("corrected", "added")}
        docs.append(ComparedDocument(ref, [record_of(r) for r in rows], meta))
    result = compare_documents(docs)
    result.sources = [sources[n] for n in result.documents]
    for row in result.rows:
        if any(c is not None and (row.key, c.year) in corrected for c in row.cells):
            row.flags.append("reviewed")
    return result


def stored_records(store, refs: list[str], reviewed: bool = True, include_rejected: bool = False) -> list[dict]:
    """Rows for export of the stored figures of the documents ``refs`` names (all when empty):
    each record's fields, reviewed unless ``reviewed`` is false, with its ``review_status``."""
    from planscan.io.store import record_of

    ids = [stored_document_id(store, r) for r in refs] or [None]
    out = []
    for doc_id in ids:
        for r in store.figures(doc_id, reviewed=reviewed):
            if include_rejected or r["review_status"] != "rejected":
                out.append({**record_of(r).model_dump(mode="json"), "review_status": r["review_status"],
                            "document_id": r["document_id"], "figure_id": r["id"]})
    return out


def _stored_meta(store, doc_id: int):
    from planscan.schemas.records import DocumentMeta

    row = dict(store.query("SELECT * FROM documents WHERE id=?", (doc_id,))[0])
    return DocumentMeta.model_validate({k: row[k] for k in DocumentMeta.model_fields if row.get(k) is not None})


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for what it holds: the batch outputs under it
    (``x.indicators.jsonl``, stored with their ``x.ocr.json``), then every PDF, image and text file
    that has no batch output beside it (converted here). Hidden files and folders are left out."""
    from planscan.io.records import BATCH_RECORDS_SUFFIX

    out: list[Path] = []
    for p in paths:
        if not p.is_dir():
            out.append(p)
            continue
        outputs = sorted(p.rglob("*" + BATCH_RECORDS_SUFFIX))
        covered = {(o.parent, o.name[: -len(BATCH_RECORDS_SUFFIX)]) for o in outputs}
        scans = []
        for f in sorted(p.rglob("*")):
            if any(part.startswith(".") for part in f.relative_to(p).parts) or not f.is_file():
                continue
            try:
                kind = input_kind(f)
            except InputFileError:
                continue
            if kind in ("pdf", "image", "text") and (f.parent, f.stem) not in covered:
                scans.append(f)
        out += outputs + scans
    return out


def ingest_path(store, path: Path, derive: bool = True, progress=None, warnings: list | None = None) -> list:
    """Store one input: a PDF, image, text or .ocr.json (read and extracted here), or a records
    file from planscan extract, which may hold many documents (grouped by their ``document``).
    ``warnings`` receives a line for each part of the input left out (a tables file beside the
    records that cannot be read), the rest being stored."""
    from planscan._util.bulk import collector_paused
    from planscan.io.records import is_records_file

    path = Path(path)
    if not is_records_file(path):
        return _ingest_path(store, path, derive, progress, warnings)
    with collector_paused():  # a records file may hold 100,000 records
        return _ingest_path(store, path, derive, warnings=warnings)


def _ingest_path(store, path: Path, derive: bool, progress=None, warnings: list | None = None) -> list:
    from planscan.io.records import is_records_file, sidecar_document
    from planscan.io.store import records_hash
    from planscan.io.tablestore import tables_file

    if not is_records_file(path) and input_kind(path) in ("pdf", "image", "text") and path.is_file():
        known = store.stored(file_sha256(path))
        if known is not None:  # checked before the file is read: a stored scan is never OCR'd again
            return [known]
    tables: list = []
    records, meta, doc, sections = load_input(path, progress, tables, warnings)
    if doc is not None:
        image = str(path.resolve()) if input_kind(path) in ("pdf", "image") else None
        return [store.add_document(_with_derived(records, derive), meta, doc, sections, source=str(path),
                                   sha256=doc.sha256 or file_sha256(path), input_kind="document", image_file=image,
                                   tables=tables)]
    sidecar = sidecar_document(path)
    if sidecar is not None:
        return [_ingest_with_sidecar(store, path, sidecar, records, meta, derive, tables)]
    groups: dict[str, list] = {}
    for r in records:
        groups.setdefault(r.document or str(path), []).append(r)
    if tables and len(groups) > 1:
        # a tables file is one document's (planscan tables reads one file): whose is not known
        if warnings is not None:
            warnings.append(f"{tables_file(path)}: one document's tables beside the records of {len(groups)}"
                            f" documents in {path.name}; the records are stored without tables, give each"
                            " document's records their own file")
        tables = []
    documents = []
    for ref, recs in groups.items():
        is_sha = len(ref) == 64 and all(ch in "0123456789abcdef" for ch in ref)
        sha = ref if is_sha else records_hash(recs)
        documents.append(dict(records=_with_derived(recs, derive), meta=meta if len(groups) == 1 else None,
                              source=ref if not is_sha else str(path), sha256=sha, input_kind="records",
                              tables=tables))
    return store.add_documents(documents)


def _ingest_with_sidecar(store, path: Path, sidecar: Path, records, meta, derive: bool, tables: list):
    """Batch output: the records plus the pages, metadata, sections and tables of their document,
    stored under the original input's hash, so ingesting the batch output and the original agree."""
    from planscan.extract.structure.metadata import parse_metadata
    from planscan.extract.structure.sections import parse_sections
    from planscan.io.store import records_hash

    doc = read_ocr_json(sidecar)
    meta = meta if meta is not None else parse_metadata(doc)
    # the searchable PDF batch wrote beside it shows the pages even when the scan has moved
    pdf = sidecar.with_name(sidecar.name[: -len(".ocr.json")] + ".pdf")
    image = pdf.resolve() if pdf.is_file() else Path(doc.source) if doc.source and Path(doc.source).is_file() else None
    return store.add_document(_with_derived(records, derive), meta, doc, parse_sections(doc), source=doc.source or str(path),
                              sha256=doc.sha256 or records_hash(records), input_kind="batch-output",
                              image_file=str(Path(image).resolve()) if image else None, tables=tables)


def _with_derived(records: list, derive: bool) -> list:
    """With ``derive``, the records plus the prior-period values their stated changes imply
    (derived=True), unless the input already carries derived values."""
    if not derive or any(r.derived for r in records):
        return list(records)
    from planscan.extract.compare import derive_values

    return list(records) + derive_values(records)
