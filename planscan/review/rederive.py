"""The derived values a review changes: a correction of a figure (its value, unit, period, kind,
key ...) changes the prior values derived from it at ingest ("N trạm, tăng M trạm" gives N - M),
so they are derived again from the reviewed figures, by the same ``derive_from`` ingest uses, and
written as reviews of their own in the same action as the correction: every reader of reviewed
values (diff, series, exports, this page) sees values that agree, and one undo takes back both.

A stored derived value is known by the statement it came from: the extraction is derived again
as ingest did it, and each stored value is the one of the same statement. A derived value the
reviewed figures no longer imply (its statement rejected, or no longer a change) is rejected; one
they newly imply is added. A document whose extraction implies derived values but that holds
none (``ingest --no-derive``) gets none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planscan.extract.compare.derived import derive_from
from planscan.io.store import Store, record_of
from planscan.schemas.records import IndicatorRecord

# the fields of a derived value that follow its figures (REVIEW_FIELDS but status)
FOLLOWING = ("value", "unit", "of", "value_base", "base_unit", "period", "period_type", "period_first_month",
             "period_last_month", "year", "kind", "key", "indicator")


@dataclass
class Rederived:
    changes: list[tuple[int, str, object]] = field(default_factory=list)  # (figure id, field, new value)
    added: list[IndicatorRecord] = field(default_factory=list)  # derived values no stored row holds


def rederive(store: Store, document_id: int, pending: dict[int, dict[str, object]],
             new_rows: list[dict] = ()) -> Rederived:
    """What the derived values of a document become once the reviews ``pending`` (figure id ->
    {field: value}, not yet written) are laid over its figures as reviewed now, with the figures
    ``new_rows`` (indicator rows being added) among them."""
    raw = store.figures(document_id, reviewed=False)
    rows = sorted(store.figures(document_id) + list(new_rows), key=lambda r: r["id"])
    for r in rows:
        fields = pending.get(r["id"], {})
        r.update({k: v for k, v in fields.items() if k != "status"})
        if "status" in fields:
            r["review_status"] = fields["status"]
    stated_raw = [r for r in raw if not r["derived"]]
    before = {stated_raw[i]["id"]: rec for i, rec in derive_from([record_of(r) for r in stated_raw])}
    derived_raw = [r for r in raw if r["derived"]]
    if before and not derived_raw:
        return Rederived()  # stored without its derived values: none are wanted
    reviewed = {r["id"]: r for r in rows}
    holder = {statement: reviewed[i] for statement, i in _stored_by_statement(before, derived_raw, rows).items()
              if i in reviewed}
    stated = [r for r in rows if not r["derived"] and r["review_status"] != "rejected"]
    after = {stated[i]["id"]: rec for i, rec in derive_from([record_of(r) for r in stated])}
    out = Rederived()
    for statement, rec in after.items():
        row = holder.get(statement)
        if row is None:
            # a value the extraction implies too, yet no stored row holds (an input that carried
            # derived values of its own), is left to them: only what the reviews change is added
            if statement not in before or not _same_fields(before[statement], rec):
                out.added.append(rec)
            continue
        if row["review_status"] == "rejected" and not _rejected_with_others(store, row["id"]):
            continue  # a reviewer rejected this value itself: it stays rejected
        new = rec.model_dump(include=set(FOLLOWING))
        out.changes += [(row["id"], k, v) for k, v in new.items() if not _same(row.get(k), v)]
        if row["review_status"] == "rejected":
            out.changes.append((row["id"], "status", "accepted"))
    out.changes += [(row["id"], "status", "rejected") for statement, row in holder.items()
                    if statement not in after and row["review_status"] != "rejected"]
    return out


def _stored_by_statement(before: dict[int, IndicatorRecord], derived_raw: list[dict],
                         rows: list[dict]) -> dict[int, int]:
    """statement id -> the id of the stored derived value that came from it: for an extracted one,
    the value ingest derived from the statement (the same key, place and value); for one a review
    added, the value with the statement's words and place."""
    out: dict[int, int] = {}
    free = list(derived_raw)
    for statement, rec in before.items():
        for r in free:
            if (r["key"], r["page"], r["line"]) == (rec.key, rec.page, rec.line) and _same(r["value"], rec.value):
                out[statement] = r["id"]
                free.remove(r)
                break
    place = {r["id"]: (r["page"], r["line"], r["text"], r["bbox"]) for r in rows if not r["derived"]}
    for r in rows:
        if r["derived"] and r.get("origin", "extract") != "extract":
            statement = next((i for i, p in place.items() if p == (r["page"], r["line"], r["text"], r["bbox"])
                              and i not in out), None)
            if statement is not None:
                out[statement] = r["id"]
    return out


def _rejected_with_others(store: Store, figure_id: int) -> bool:
    """Whether the live rejection of ``figure_id`` came with reviews of other figures (a value
    rejected because its statement changed), not from a reviewer rejecting it alone."""
    rows = store.query(
        "SELECT count(DISTINCT o.indicator_id) AS n FROM reviews r JOIN reviews o ON o.action = r.action"
        " WHERE r.id = (SELECT max(id) FROM reviews WHERE indicator_id=? AND field='status' AND undone_at IS NULL)",
        (figure_id,))
    return bool(rows) and rows[0]["n"] > 1


def _same_fields(a: IndicatorRecord, b: IndicatorRecord) -> bool:
    return all(_same(getattr(a, k), getattr(b, k)) for k in FOLLOWING)


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return a == b
