"""The document list in SQL: its filters, and each document's counts of figures reviewed,
corrected and rejected, so a store of thousands of documents lists in milliseconds.

The counts follow ``Store.figures``: a figure's status comes from the latest review of each of its
fields that was not undone (rejected, else added, else corrected when a field differs from the
extraction, else accepted). Only reviewed figures are read, by their ids; the number of figures
is the document's own ``n_indicators``, the rows ingest stored for it (reviews never change them,
and figures a reviewer adds are rows of origin 'review', counted as reviewed).
"""

from __future__ import annotations

from planscan.extract.text.fold import fold_words
from planscan.io.store import REVIEW_FIELDS, Store

FILTERS = ("district", "province", "doc_type", "date_from", "date_to", "q")
CHOICES = ("district", "province", "doc_type")
COUNTS = ("n_figures", "reviewed", "corrected", "rejected")
_SEARCHED = ("source", "title", "code", "district")

_EXTRACTED = " ".join(f'WHEN {f!r} THEN i."{f}"' for f in REVIEW_FIELDS if f != "status")
_STATUS_COUNTS = f"""
WITH live AS (
    SELECT r.indicator_id, r.field, r.new_value FROM reviews r
    WHERE r.undone_at IS NULL AND r.id = (SELECT max(r2.id) FROM reviews r2
        WHERE r2.indicator_id = r.indicator_id AND r2.field = r.field AND r2.undone_at IS NULL)
), figure AS (
    SELECT i.document_id, i.origin,
           max(l.field = 'status' AND l.new_value = '"rejected"') AS rejected,
           max(l.field = 'added' AND l.new_value = 'true') AS added,
           max(l.field NOT IN ('status', 'added')
               AND json_extract(l.new_value, '$') IS NOT (CASE l.field {_EXTRACTED} END)) AS changed
    FROM live l JOIN indicators i ON i.id = l.indicator_id
    GROUP BY l.indicator_id
)
SELECT document_id, count(*) AS reviewed, sum(NOT rejected AND NOT added AND changed) AS corrected,
       sum(rejected) AS rejected
FROM figure WHERE origin = 'extract' OR added GROUP BY document_id
"""


def document_filters(raw: dict[str, str]) -> tuple[str, tuple]:
    """A WHERE clause on ``documents d`` for the list's filters (empty ones ignored) and its
    parameters. A document without a date is outside any date range."""
    where, params = [], []
    for k in CHOICES:
        if raw.get(k):
            where.append(f"d.{k} = ?")
            params.append(raw[k])
    if raw.get("date_from"):
        where.append("coalesce(d.date, '') >= ?")
        params.append(raw["date_from"])
    if raw.get("date_to"):
        where.append("coalesce(d.date, '9999') <= ?")
        params.append(raw["date_to"])
    if raw.get("q") and fold_words(raw["q"]):
        joined = " || ' ' || ".join(f"coalesce(d.{k}, '')" for k in _SEARCHED)
        where.append(f"instr(planscan_fold_words({joined}), ?) > 0")
        params.append(fold_words(raw["q"]))
    return (" WHERE " + " AND ".join(where) if where else ""), tuple(params)


def document_list(store: Store, raw: dict[str, str]) -> tuple[list[dict], int, dict[str, list[str]]]:
    """(the documents the filters select, in district and date order, each with its counts;
    the number of documents in the store; the values each choice filter offers)."""
    store.conn.create_function("planscan_fold_words", 1, fold_words, deterministic=True)
    where, params = document_filters(raw)
    reviews = _STATUS_COUNTS if store.has_reviews() else "SELECT NULL AS document_id, 0 AS reviewed, 0 AS corrected, 0 AS rejected"
    docs = [dict(r) for r in store.query(
        f"WITH counts AS ({reviews})"
        " SELECT d.id, d.source, d.district, d.province, d.doc_type, d.date, d.title, d.code, d.n_pages,"
        " d.plan_year, d.report_year, d.n_indicators AS n_figures, coalesce(c.reviewed, 0) AS reviewed,"
        " coalesce(c.corrected, 0) AS corrected, coalesce(c.rejected, 0) AS rejected"
        f" FROM documents d LEFT JOIN counts c ON c.document_id = d.id{where} ORDER BY d.district, d.date, d.id",
        params)]
    n_all = store.query("SELECT count(*) AS n FROM documents")[0]["n"]
    options = {k: [r["v"] for r in store.query(
        f"SELECT DISTINCT {k} AS v FROM documents WHERE {k} IS NOT NULL AND {k} != '' ORDER BY v")] for k in CHOICES}
    return docs, n_all, options
