"""The review application: routes over one planscan store.

Every request opens the store through ``Store`` (its ownership and schema checks) and closes it,
so concurrent reviewers each get their own connection and transaction. Files are served by
document id and page number only; no path ever comes from the request.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from planscan.errors import DatabaseError
from planscan.io.store import Store, insert_review_figure, record_of
from planscan.review import images
from planscan.review.edits import EDITABLE, KINDS, EditError, parse_field, with_dependents
from planscan.review.queries import COUNTS, FILTERS, document_list
from planscan.review.reasons import kind_reason, period_reason
from planscan.review.security import TokenGuard, csrf_token
from planscan.schemas.records import BBox, IndicatorRecord

MAX_BODY = 64 * 1024  # a review is a few fields; anything bigger is not one


class ReviewApp:
    def __init__(self, db: Path, token: str, reviewer: str | None = None):
        self.db = Path(db)
        self.token = token
        self.csrf = csrf_token(token)
        self.reviewer = reviewer or _user()
        with Store(self.db):  # create or migrate once, with the store's own checks
            pass
        self.env = Environment(loader=PackageLoader("planscan.review", "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True))
        self.env.filters["num"] = _num

    def store(self) -> Store:
        return Store(self.db, create=False)

    def render(self, name: str, status_code: int = 200, **ctx: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(csrf=self.csrf, reviewer=self.reviewer, **ctx)
        return HTMLResponse(html, status_code=status_code)

    # --- pages -------------------------------------------------------------------------------

    def documents(self, request: Request) -> HTMLResponse:
        f = {k: request.query_params.get(k, "").strip() for k in FILTERS}
        with self.store() as s:
            shown, n_all, options = document_list(s, f)
        totals = {k: sum(d[k] for d in shown) for k in COUNTS}
        return self.render("documents.html", docs=shown, n_all=n_all, filters=f, options=options, totals=totals)

    def document(self, request: Request) -> Response:
        doc_id = request.path_params["doc_id"]
        with self.store() as s:
            doc = _document(s, doc_id)
            if doc is None:
                return self._not_found(f"no document {doc_id}")
            pages = [dict(r) for r in s.query("SELECT * FROM pages WHERE document_id=? ORDER BY number", (doc_id,))]
            figures = s.figures(doc_id)
            history = len(s.review_history(doc_id))
        views = [_page_view(doc, p) for p in pages]
        geometry = {v["number"]: v["geometry"] for v in views}
        data = [_figure_json(r, geometry.get(r["page"])) for r in figures]
        if not views:  # a document stored from records only: one empty page per page its figures name
            views = [{"number": n, "image": False, "geometry": None, "lines": [], "aspect": 1.414}
                     for n in sorted({r["page"] or 1 for r in figures})]
        payload = {"document": doc_id, "figures": data, "kinds": list(KINDS), "editable": list(EDITABLE),
                   "pages": [{k: v[k] for k in ("number", "image", "lines", "aspect")} for v in views]}
        return self.render("document.html", doc=doc, pages=views, figures=data, payload=payload, history=history)

    def compare(self, request: Request) -> Response:
        from planscan.pipeline import diff_stored

        doc_id = request.path_params["doc_id"]
        with self.store() as s:
            doc = _document(s, doc_id)
            if doc is None:
                return self._not_found(f"no document {doc_id}")
            earlier = _earlier_plan(s, doc)
            result = diff_stored(s, [str(earlier["id"]), str(doc_id)]) if earlier else None
        return self.render("compare.html", doc=doc, earlier=earlier, result=result)

    def page_image(self, request: Request) -> Response:
        doc_id, number = request.path_params["doc_id"], request.path_params["number"]
        with self.store() as s:
            doc = _document(s, doc_id)
            known = doc is not None and (s.query("SELECT 1 FROM pages WHERE document_id=? AND number=?", (doc_id, number))
                                         or number == 1)
        if not known:
            return self._not_found(f"no page {number} of document {doc_id}")
        png = images.page_png(doc, number)
        if png is None:
            return self._not_found(f"no image of page {number}: neither its PDF nor its scan is where it was")
        return Response(png, media_type="image/png", headers={"cache-control": "private, max-age=86400"})

    def export(self, request: Request) -> Response:
        from planscan.io.export import render
        from planscan.pipeline import stored_records
        from planscan.schemas.records import IndicatorRecord

        fmt = request.path_params["fmt"]
        doc_id = request.path_params.get("doc_id")
        with self.store() as s:
            if doc_id is not None and _document(s, doc_id) is None:
                return self._not_found(f"no document {doc_id}")
            rows = stored_records(s, [str(doc_id)] if doc_id is not None else [], include_rejected=True)
        media = "text/csv; charset=utf-8" if fmt == "csv" else (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = f"planscan-{'document-' + str(doc_id) if doc_id is not None else 'store'}-reviewed.{fmt}"
        return Response(render(rows, fmt, model=IndicatorRecord, columns=["review_status"], sheet="reviewed figures"),
                        media_type=media,
                        headers={"content-disposition": f'attachment; filename="{name}"'})

    # --- actions (POST, CSRF-checked by the guard) -------------------------------------------

    async def review(self, request: Request) -> Response:
        doc_id = request.path_params["doc_id"]
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        try:
            figure_id = int(body.get("figure"))
        except (TypeError, ValueError):
            return _error("give the figure's id")
        action = body.get("action")
        reviewer = self._reviewer(body)
        with self.store() as s:
            (current,) = s.figures(doc_id, indicator_id=figure_id) or (None,)
            if current is None:
                return self._not_found(f"no figure {figure_id} in document {doc_id}", json_=True)
            if action in ("accept", "reject"):
                changes = [(figure_id, "status", "accepted" if action == "accept" else "rejected")]
            elif action == "correct":
                fields = body.get("fields")
                if not isinstance(fields, dict) or not fields:
                    return _error("give the fields to correct")
                try:
                    edited = {k: parse_field(k, v) for k, v in fields.items()}
                except EditError as e:
                    return _error(str(e))
                changed = with_dependents(current, edited)
                if not changed:
                    return _error("nothing changed")
                changes = [(figure_id, k, v) for k, v in changed.items()]
            else:
                return _error("action is one of accept, reject, correct")
            # what a figure implies follows it (an accepted figure changes nothing, unless it was rejected)
            if not current["derived"] and (action != "accept" or current["review_status"] == "rejected"):
                changes += _dependents(s, doc_id, {figure_id: {k: v for _, k, v in changes}})
            done = s.add_reviews(doc_id, changes, reviewer)
            (after,) = s.figures(doc_id, indicator_id=figure_id)
            figure = _figure_json(after, _geometry(s, doc_id, after["page"]))
            following = _figures_json(s, doc_id, {i for i, _, _ in changes} - {figure_id})
        return JSONResponse({"action": done, "figure": figure, "figures": following})

    async def add(self, request: Request) -> Response:
        doc_id = request.path_params["doc_id"]
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        with self.store() as s:
            if _document(s, doc_id) is None:
                return self._not_found(f"no document {doc_id}", json_=True)
            try:
                number = int(body.get("page"))
                frac = [float(v) for v in body.get("box")]
            except (TypeError, ValueError):
                return _error("give the page and the box [left, top, width, height] as fractions of the page")
            if len(frac) != 4 or not all(0 <= v <= 1 for v in frac):
                return _error("the box is four fractions of the page between 0 and 1")
            geometry = _geometry(s, doc_id, number)
            page_row = s.query("SELECT layout, text FROM pages WHERE document_id=? AND number=?", (doc_id, number))
            bbox = BBox(**dict(zip(("x0", "y0", "x1", "y1"), images.box_from_fractions(geometry, frac)))) if geometry else None
            if bbox is not None:
                words, line = _words_in(page_row[0]["layout"] if page_row else None, bbox)
            else:  # a page shown as its lines: the line picked
                words, line = _line_of(page_row[0]["text"] if page_row else "", body.get("line"))
            try:
                value = parse_field("value", body.get("value") or _first_number(words))
                record = IndicatorRecord(
                    indicator=parse_field("indicator", body.get("indicator") or words or "?"),
                    key=parse_field("key", body.get("key") or _key(body.get("indicator") or words, body.get("unit"))),
                    value=value, unit=parse_field("unit", body.get("unit") or ""),
                    kind=parse_field("kind", body.get("kind") or "actual"),
                    period=parse_field("period", body.get("period")), year=parse_field("year", body.get("year")),
                    page=number, line=line, bbox=bbox, text=words, confidence=1.0)
            except (EditError, ValueError) as e:
                return _error(str(e))
            # the fields that follow from the ones given; a year not given follows the period
            given = set(EDITABLE) - ({"year"} if record.year is None else set())
            computed = with_dependents({"value": None, "unit": None, "period": None, "year": None, "kind": None},
                                       record.model_dump(include=given))
            record = IndicatorRecord.model_validate({**record.model_dump(), **computed})
            figure_id = insert_review_figure(s, doc_id, record)
            row = {**dict(s.query("SELECT * FROM indicators WHERE id=?", (figure_id,))[0]), "review_status": "added"}
            changes = [(figure_id, "added", True), *_dependents(s, doc_id, {}, [row])]
            done = s.add_reviews(doc_id, changes, self._reviewer(body))
            (after,) = s.figures(doc_id, indicator_id=figure_id)
            following = _figures_json(s, doc_id, {i for i, _, _ in changes} - {figure_id})
        return JSONResponse({"action": done, "figure": _figure_json(after, geometry), "figures": following})

    async def undo(self, request: Request) -> Response:
        doc_id = request.path_params["doc_id"]
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        action = body.get("action")
        if action is not None and not isinstance(action, int):
            return _error("action is the id an earlier answer gave")
        with self.store() as s:
            undone = s.undo(doc_id, self._reviewer(body), action)
            if undone is None:
                return _error("nothing to undo")
            ids = [r["indicator_id"] for r in s.query("SELECT DISTINCT indicator_id FROM reviews WHERE action=?", (undone,))]
            figures = _figures_json(s, doc_id, ids)
        return JSONResponse({"undone": undone, "figures": figures, "removed": [i for i in ids if i not in
                                                                                 {f["id"] for f in figures}]})

    def _reviewer(self, body: dict) -> str:
        name = body.get("reviewer")
        return " ".join(str(name).split())[:64] if isinstance(name, str) and name.strip() else self.reviewer

    def _not_found(self, message: str, json_: bool = False) -> Response:
        if json_:
            return JSONResponse({"error": message}, status_code=404)
        return self.render("error.html", status_code=404, message=message)


def create_app(db: Path, token: str, reviewer: str | None = None) -> Starlette:
    """The ASGI application over store ``db``, guarded by ``token``."""
    r = ReviewApp(db, token, reviewer)
    routes = [
        Route("/", r.documents),
        Route("/doc/{doc_id:int}", r.document),
        Route("/doc/{doc_id:int}/compare", r.compare),
        Route("/doc/{doc_id:int}/page/{number:int}.png", r.page_image),
        Route("/doc/{doc_id:int}/export.{fmt:str}", _export_route(r)),
        Route("/export.{fmt:str}", _export_route(r)),
        Route("/doc/{doc_id:int}/review", r.review, methods=["POST"]),
        Route("/doc/{doc_id:int}/add", r.add, methods=["POST"]),
        Route("/doc/{doc_id:int}/undo", r.undo, methods=["POST"]),
        Mount("/static", StaticFiles(packages=[("planscan.review", "static")]), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={DatabaseError: _database_error})
    app.state.review = r
    return TokenGuard(app, token)  # type: ignore[return-value]


def _export_route(r: ReviewApp):
    def handler(request: Request) -> Response:
        if request.path_params["fmt"] not in ("csv", "xlsx"):
            return r._not_found("export as .csv or .xlsx")
        return r.export(request)
    return handler


async def _database_error(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=500)


# --- helpers -------------------------------------------------------------------------------------


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def _error(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=400)


async def _json_body(request: Request) -> dict | Response:
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return _error("request too large")
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        return _error("the body is not JSON")
    return body if isinstance(body, dict) else _error("the body is a JSON object")


def _document(s: Store, doc_id: int) -> dict | None:
    rows = s.query("SELECT * FROM documents WHERE id=?", (doc_id,))
    return dict(rows[0]) if rows else None


def _dependents(s: Store, doc_id: int, pending: dict[int, dict], new_rows: list[dict] = ()) -> list[tuple]:
    """The reviews that keep the document's derived values in step with ``pending`` (and figures
    ``new_rows`` being added): changed values, rejected ones, and new ones (stored here, shown once
    the action's 'added' reviews are written)."""
    from planscan.review.rederive import rederive

    follow = rederive(s, doc_id, pending, new_rows)
    return follow.changes + [(insert_review_figure(s, doc_id, rec), "added", True) for rec in follow.added]


def _figures_json(s: Store, doc_id: int, ids) -> list[dict]:
    """The figures ``ids`` (those a read still shows) as the page's script takes them."""
    out, geometry = [], {}
    for fid in sorted(ids):
        for r in s.figures(doc_id, indicator_id=fid):
            if r["page"] not in geometry:
                geometry[r["page"]] = _geometry(s, doc_id, r["page"])
            out.append(_figure_json(r, geometry[r["page"]]))
    return out


def _geometry(s: Store, doc_id: int, number: int | None):
    rows = s.query("SELECT * FROM pages WHERE document_id=? AND number=?", (doc_id, number or 1))
    return images.page_geometry(dict(rows[0])) if rows else None


def _page_view(doc: dict, p: dict) -> dict:
    geometry = images.page_geometry(p)
    has_image = geometry is not None and images.has_image(doc, p["number"])
    layout = json.loads(p["layout"]) if p.get("layout") else None
    lines = [{"text": ln["text"], "original": ln.get("original"),
              "box": images.box_fractions(geometry, ln["bbox"]) if geometry and ln.get("bbox") else None}
             for ln in layout] if layout else [{"text": t, "original": None, "box": None} for t in p["text"].split("\n")]
    aspect = (geometry.height / geometry.width) if geometry and geometry.rotation % 180 == 0 else (
        geometry.width / geometry.height if geometry else 1.414)
    return {"number": p["number"], "image": has_image, "geometry": geometry, "lines": lines, "aspect": aspect}


def _figure_json(r: dict, geometry) -> dict:
    bbox = json.loads(r["bbox"]) if r.get("bbox") else None
    section = json.loads(r["section"]) if r.get("section") else []
    rec = record_of(r)
    return {
        "id": r["id"], "page": r["page"] or 1, "line": r["line"] or 0, "status": r["review_status"],
        "box": images.box_fractions(geometry, [bbox["x0"], bbox["y0"], bbox["x1"], bbox["y1"]]) if geometry and bbox else None,
        "indicator": rec.indicator, "key": rec.key, "value": rec.value, "unit": rec.unit, "period": rec.period,
        "year": rec.year, "kind": rec.kind, "confidence": rec.confidence, "text": rec.text, "derived": rec.derived,
        "origin": r.get("origin", "extract"),
        "kind_reason": kind_reason(rec.kind, rec.text, section), "period_reason": period_reason(rec.period, rec.text, section),
    }


def _words_in(layout: str | None, bbox: BBox | None) -> tuple[str, int]:
    """The words whose centre falls in ``bbox``, in reading order, and the line of the first."""
    if not layout or bbox is None:
        return "", 0
    words, first_line = [], 0
    for n, ln in enumerate(json.loads(layout), start=1):
        for text, box, _orig in ln.get("words", []):
            if box and bbox.x0 <= (box[0] + box[2]) / 2 <= bbox.x1 and bbox.y0 <= (box[1] + box[3]) / 2 <= bbox.y1:
                words.append(text)
                first_line = first_line or n
    return " ".join(words), first_line


def _line_of(text: str, number) -> tuple[str, int]:
    """Line ``number`` (1-based) of a page's text and its number, or nothing when there is none."""
    lines = text.split("\n")
    if isinstance(number, int) and not isinstance(number, bool) and 1 <= number <= len(lines):
        return lines[number - 1].strip(), number
    return "", 0


def _first_number(text: str):
    from planscan.extract.text.numbers import find_quantities

    found = find_quantities(text) if text else []
    return found[0].value if found else None


def _key(label: str | None, unit: str | None) -> str:
    from planscan.extract.indicators.keys import indicator_key

    return indicator_key(label or "?", unit or None, None)


def _earlier_plan(s: Store, doc: dict) -> dict | None:
    """The latest document of the same district dated before this one."""
    rows = s.query("SELECT * FROM documents WHERE id != ? AND district IS ? AND coalesce(date, '') < coalesce(?, '')"
                   " ORDER BY date DESC, id DESC LIMIT 1", (doc["id"], doc["district"], doc["date"]))
    if not rows and not doc["date"]:
        rows = s.query("SELECT * FROM documents WHERE id < ? AND district IS ? ORDER BY id DESC LIMIT 1",
                       (doc["id"], doc["district"]))
    return dict(rows[0]) if rows else None


def _num(x) -> str:
    if x is None:
        return ""
    x = float(x)
    return f"{int(x):,}".replace(",", " ") if x.is_integer() else f"{x:,.2f}".replace(",", " ").rstrip("0").rstrip(".")
