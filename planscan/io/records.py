"""Read indicator records back from planscan's own JSON / JSON Lines output, or any file of
IndicatorRecord-shaped objects (hand-labelled files carry a few extra fields and no key)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from planscan.errors import EncodingError, InputFileError
from planscan.extract.indicators.keys import indicator_key
from planscan.extract.text.periods import parse_period, period_fields
from planscan.schemas.records import DocumentMeta, IndicatorRecord

_FIELDS = set(IndicatorRecord.model_fields)
_META_FIELDS = set(DocumentMeta.model_fields)
_key_cached = lru_cache(maxsize=65536)(indicator_key)
_period_fields_cached = lru_cache(maxsize=65536)(period_fields)
_validate_json = IndicatorRecord.__pydantic_validator__.validate_json


def _key(indicator: str, unit, kind):
    # a long records file repeats its labels: each is keyed once (a malformed, unhashable unit is
    # left for the schema to reject)
    try:
        return _key_cached(indicator, unit, kind)
    except TypeError:
        return indicator_key(indicator, unit, kind)


def _period_fields(period, year, **kw):
    try:
        return _period_fields_cached(period, year, **kw)
    except TypeError:
        return period_fields(period, year, **kw)


def record_from_dict(obj: dict, document: str = "", meta: DocumentMeta | None = None) -> IndicatorRecord:
    """An IndicatorRecord from a dict; unknown fields are dropped.

    What extract computes once and older or hand-made files lack is computed here, once: the key,
    the year a period names, and the period's type and month bounds (``meta``'s report period
    stands for a figure whose own period does not say)."""
    data = dict(obj) if _FIELDS.issuperset(obj) else {k: v for k, v in obj.items() if k in _FIELDS}
    data.setdefault("text", "")
    if not data.get("key"):
        data["key"] = _key(str(data.get("indicator", "")), data.get("unit"), data.get("kind"))
    if not data.get("document"):
        data["document"] = document
    period = data.get("period") if isinstance(data.get("period"), str) else None
    if data.get("year") is None and period:
        parsed = parse_period(period)
        if parsed is not None:
            data["year"] = parsed.end_year or parsed.year  # the last year it names, as a plan period ends
    if "period_type" not in data:
        ptype, bounds = _period_fields(
            period,
            data.get("year"),
            target=data.get("kind") == "target",
            report_period=meta.report_period if meta else None,
            report_year=meta.report_year if meta else None,
        )
        data["period_type"] = ptype
        data["period_first_month"], data["period_last_month"] = bounds or (None, None)
    return IndicatorRecord.model_validate(data)


def _meta_from(obj) -> DocumentMeta | None:
    if not isinstance(obj, dict):
        return None
    return DocumentMeta.model_validate({k: v for k, v in obj.items() if k in _META_FIELDS})


def _is_meta(obj) -> bool:
    return isinstance(obj, dict) and not ("indicator" in obj and "value" in obj) and ("district" in obj or "issuer" in obj)


def _typed(line: str, document: str) -> IndicatorRecord | None:
    """The record of a JSON line as planscan extract writes it (key, period type and document
    given), validated straight from the JSON text; None for any other line, which the dict path
    reads (a hand-made record, metadata, a malformed line)."""
    try:
        rec = _validate_json(line)
    except ValueError:
        return None
    # what record_from_dict would still compute from the other fields
    if not rec.key or "period_type" not in rec.model_fields_set or (rec.year is None and rec.period):
        return None
    if not rec.document:
        rec.document = document
    return rec


def read_records_file(path: Path) -> tuple[list[IndicatorRecord], DocumentMeta | None]:
    """Records (and metadata, when the file carries it) from a .json or .jsonl file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise EncodingError(f"{path}: not UTF-8; save it as UTF-8 and retry") from e
    except OSError as e:
        raise InputFileError(f"{path}: cannot be read ({e.strerror}); check the path and permissions") from e
    doc_ref = str(path)
    meta = None
    # each item a record already typed (extract output, validated from its JSON text: a file of
    # 100,000 records is read at the speed of pydantic's parser) or a parsed object still to read
    objs: list = []
    parsed: list = []  # the objects not typed: where metadata may be
    try:
        if path.suffix.lower() == ".jsonl":
            typed = True  # until a record is not extract output: a hand-made file is seldom so in part
            # lines end at "\n" only: JSON text may hold U+2028 and the other breaks splitlines cuts at
            for line in text.split("\n"):
                if not line.strip():
                    continue
                rec = _typed(line, doc_ref) if typed else None
                if rec is None:
                    obj = json.loads(line)
                    typed = typed and not (isinstance(obj, dict) and "indicator" in obj)  # a metadata line keeps it
                    objs.append(obj)
                    parsed.append(obj)
                else:
                    objs.append(rec)
        else:
            data = json.loads(text)
            if isinstance(data, dict):
                meta = _meta_from(data.get("meta") or data.get("document_meta"))
                data = data.get("indicators", data.get("records", []))
            objs = parsed = data if isinstance(data, list) else []
    except json.JSONDecodeError as e:
        raise InputFileError(f"{path}: not valid JSON ({e.msg} at line {e.lineno}); give planscan extract output") from e
    records = []
    try:
        if meta is None:  # a JSON Lines file may carry its metadata as one of its lines
            meta = next((_meta_from(o) for o in parsed if _is_meta(o)), None)
        for obj in objs if parsed else ():
            if isinstance(obj, IndicatorRecord):
                records.append(obj)
            elif isinstance(obj, dict) and "indicator" in obj and "value" in obj:
                records.append(record_from_dict(obj, doc_ref, meta))
        records = records if parsed else objs  # every line typed
    except ValidationError as e:
        first = e.errors()[0]
        raise InputFileError(
            f"{path}: a record does not match the indicator schema ({'.'.join(map(str, first['loc']))}: {first['msg']})"
        ) from e
    if objs and not records:
        raise InputFileError(f"{path}: holds no indicator records; give planscan extract output")
    return records, meta


def is_records_file(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".json", ".jsonl")) and not name.endswith(".ocr.json")


BATCH_RECORDS_SUFFIX = ".indicators.jsonl"


def sidecar_document(path: Path) -> Path | None:
    """``x.ocr.json`` beside a batch output ``x.indicators.jsonl``: the pages the records came from."""
    name = path.name
    if not name.endswith(BATCH_RECORDS_SUFFIX):
        return None
    candidate = path.with_name(name[: -len(BATCH_RECORDS_SUFFIX)] + ".ocr.json")
    return candidate if candidate.is_file() else None


def _stem(name: str) -> str:
    for suffix in (".ocr.json", ".jsonl", ".json", ".txt", ".pdf"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def display_names(paths: list[Path]) -> list[str]:
    """Short names that tell the inputs apart: the file stems, or, when the files share a name
    ("2020/indicators.jsonl", "2021/indicators.jsonl"), the folders that differ."""
    parts = [list(Path(p).resolve().parts) for p in paths]
    for p in parts:
        p[-1] = _stem(p[-1])
    depth = 1
    while True:
        names = ["/".join(p[-depth:]) for p in parts]
        if len(set(names)) == len(names) or depth >= max(len(p) for p in parts):
            break
        depth += 1
    tails = [p[-1] for p in parts]
    if depth > 1 and len(set(tails)) == 1 and len(set(n.rsplit("/", 1)[0] for n in names)) == len(names):
        names = [n.rsplit("/", 1)[0] for n in names]  # the shared file name says nothing
    if len(set(names)) < len(names):  # the same file twice
        names = [f"{n}#{i + 1}" for i, n in enumerate(names)]
    return names
