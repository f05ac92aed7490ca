"""What a reviewer's action changes: the fields they edited, and the fields that follow from them
(the value in its base unit, the period's type and months), worked out by the same functions that
extraction uses, so a corrected figure compares like an extracted one."""

from __future__ import annotations

from typing import Any

from planscan.schemas.records import Kind
from planscan.extract.text.numbers import parse_number
from planscan.extract.text.periods import parse_period, period_fields
from planscan.extract.text.units import unit_info

EDITABLE = ("value", "unit", "period", "year", "kind", "key", "indicator")
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]


class EditError(ValueError):
    """A field value that cannot be stored; the message says which and why."""


def parse_field(field: str, raw: Any) -> Any:
    """A typed value of an edited field from what the form sent."""
    if field not in EDITABLE:
        raise EditError(f"{field!r} cannot be edited; edit one of {', '.join(EDITABLE)}")
    text = "" if raw is None else str(raw).strip()
    if field == "value":
        value = raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else parse_number(text)
        if value is None:
            raise EditError(f"value {text!r} is not a number")
        return float(value)
    if field == "year":
        if not text:
            return None
        if not text.isdigit() or not 1900 <= int(text) <= 2200:
            raise EditError(f"year {text!r} is not a year")
        return int(text)
    if field == "kind":
        if text not in KINDS:
            raise EditError(f"kind {text!r} is not one of {', '.join(KINDS)}")
        return text
    if field in ("key", "indicator") and not text:
        raise EditError(f"{field} cannot be empty")
    if field == "period":
        return text or None
    return text


def with_dependents(current: dict, edited: dict[str, Any]) -> dict[str, Any]:
    """``edited`` plus the derived fields whose inputs changed, given the figure ``current``."""
    out = {k: v for k, v in edited.items() if current.get(k) != v}
    new = {**current, **edited}
    if {"value", "unit"} & out.keys():
        info = unit_info(new["unit"] or "")
        base = (new["value"] * info.factor, info.base_unit) if info is not None and info.family != "count" else (None, None)
        for field, v in zip(("value_base", "base_unit"), base):
            if current.get(field) != v:
                out[field] = v
    if {"period", "year", "kind"} & out.keys():
        if "period" in out and "year" not in edited and new["period"]:
            parsed = parse_period(new["period"])
            if parsed is not None and (parsed.end_year or parsed.year):
                new["year"] = out["year"] = parsed.end_year or parsed.year
        ptype, bounds = period_fields(new["period"], new["year"], target=new["kind"] == "target")
        first, last = bounds or (None, None)
        for field, v in (("period_type", ptype), ("period_first_month", first), ("period_last_month", last)):
            if current.get(field) != v:
                out[field] = v
    return out
