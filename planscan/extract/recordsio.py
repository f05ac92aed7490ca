"""Read indicator records back from planscan's own JSON / JSON Lines output, or any file of
IndicatorRecord-shaped objects (hand-labelled files carry a few extra fields and no key)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from planscan.errors import EncodingError, InputFileError
from planscan.extract.keys import indicator_key
from planscan.schemas.records import DocumentMeta, IndicatorRecord

_FIELDS = set(IndicatorRecord.model_fields)
_META_FIELDS = set(DocumentMeta.model_fields)


def record_from_dict(obj: dict, document: str = "") -> IndicatorRecord:
    """An IndicatorRecord from a dict; unknown fields are dropped and a missing key is computed."""
    data = {k: v for k, v in obj.items() if k in _FIELDS}
    data.setdefault("text", "")
    if not data.get("key"):
        data["key"] = indicator_key(str(data.get("indicator", "")), data.get("unit"), data.get("kind"))
    if not data.get("document"):
        data["document"] = document
    return IndicatorRecord.model_validate(data)


def _meta_from(obj) -> DocumentMeta | None:
    if not isinstance(obj, dict):
        return None
    return DocumentMeta.model_validate({k: v for k, v in obj.items() if k in _META_FIELDS})


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
    objs: list = []
    try:
        if path.suffix.lower() == ".jsonl":
            for n, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    objs.append(json.loads(line))
        else:
            data = json.loads(text)
            if isinstance(data, dict):
                meta = _meta_from(data.get("meta") or data.get("document_meta"))
                data = data.get("indicators", data.get("records", []))
            objs = data if isinstance(data, list) else []
    except json.JSONDecodeError as e:
        raise InputFileError(f"{path}: not valid JSON ({e.msg} at line {e.lineno}); give planscan extract output") from e
    records = []
    try:
        for obj in objs:
            if isinstance(obj, dict) and "indicator" in obj and "value" in obj:
                records.append(record_from_dict(obj, doc_ref))
            elif isinstance(obj, dict) and meta is None and ("district" in obj or "issuer" in obj):
                meta = _meta_from(obj)
    except ValidationError as e:
        first = e.errors()[0]
        raise InputFileError(
            f"{path}: a record does not match the indicator schema ({'.'.join(map(str, first['loc']))}: {first['msg']})"
        ) from e
    if objs and not records:
        raise InputFileError(f"{path}: holds no indicator records; give planscan extract output")
    return records, meta
