"""The review application through Starlette's test client: pages, actions, the token, CSRF,
escaping of document text, ids that do not exist, and reviews reaching the outputs."""

from __future__ import annotations

import json
import re
import sqlite3
import threading

import pytest
from starlette.testclient import TestClient

from planscan.io.store import Store
from planscan.pipeline import diff_stored, stored_records
from planscan.review.app import create_app
from planscan.review.security import csrf_token

TOKEN = "test-token-0123456789"


@pytest.fixture()
def client(store_path) -> TestClient:
    c = TestClient(create_app(store_path, TOKEN, reviewer="ann"), follow_redirects=False)
    first = c.get(f"/?token={TOKEN}")
    assert first.status_code == 303 and "token" not in first.headers["location"]
    assert "httponly" in first.headers["set-cookie"].lower() and "samesite=strict" in first.headers["set-cookie"].lower()
    return c


def _post(c: TestClient, path: str, body: dict, csrf: str | None = csrf_token(TOKEN)):
    headers = {"X-CSRF-Token": csrf} if csrf else {}
    return c.post(path, content=json.dumps(body), headers={**headers, "Content-Type": "application/json"})


def _payload(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="payload">(.*?)</script>', html, re.S).group(1))


def _scan_doc(store_path) -> int:
    with Store(store_path) as s:
        return s.query("SELECT id FROM documents WHERE input_kind='batch-output'")[0]["id"]


def test_every_request_needs_the_token(store_path):
    c = TestClient(create_app(store_path, TOKEN), follow_redirects=False)
    for path in ("/", "/doc/1", "/doc/1/page/1.png", "/export.csv", "/static/review.js"):
        assert c.get(path).status_code == 403, path
        assert c.get(path + "?token=wrong").status_code == 403, path
        c.cookies.set("planscan_review", "wrong")
        assert c.get(path).status_code == 403, path
        c.cookies.clear()
    assert _post(c, "/doc/1/review", {"figure": 1, "action": "accept"}).status_code == 403


def test_pages_render_with_counts_and_filters(client, store_path):
    r = client.get("/")
    assert r.status_code == 200 and "Tuần Giáo" in r.text
    assert "2 of 2 documents" in r.text
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert "0 of 2 documents" in client.get("/?district=Nowhere").text
    doc = _scan_doc(store_path)
    page = client.get(f"/doc/{doc}")
    assert page.status_code == 200
    data = _payload(page.text)
    assert len(data["pages"]) == 5 and all(p["image"] for p in data["pages"])
    boxed = [f for f in data["figures"] if f["box"]]
    assert boxed and all(0 <= v <= 1 for f in boxed for v in f["box"])
    assert client.get(f"/doc/{doc}/compare").status_code == 200
    text_doc = client.get("/doc/1")
    assert text_doc.status_code == 200 and '<ol class="lines">' in text_doc.text


def test_page_image_needs_no_scan_and_is_cached(client, store_path, batch_output, tmp_path):
    doc = _scan_doc(store_path)
    r = client.get(f"/doc/{doc}/page/2.png")
    assert r.status_code == 200 and r.content[:8] == b"\x89PNG\r\n\x1a\n"
    # the scan and the searchable PDF move away: the page rendered once still shows, another cannot
    with Store(store_path) as s:
        s.conn.execute("UPDATE documents SET source='gone/scan.pdf' WHERE id=?", (doc,))
    moved = batch_output / "scan-harsh.pdf"
    moved.rename(tmp_path / "elsewhere.pdf")
    try:
        assert client.get(f"/doc/{doc}/page/2.png").content == r.content
        assert client.get(f"/doc/{doc}/page/3.png").status_code == 404
    finally:
        (tmp_path / "elsewhere.pdf").rename(moved)


def test_bad_ids_are_404_and_paths_are_never_served(client):
    assert client.get("/doc/999").status_code == 404
    assert client.get("/doc/999/page/1.png").status_code == 404
    assert client.get("/doc/1/page/99.png").status_code == 404
    assert client.get("/doc/abc").status_code == 404
    assert client.get("/doc/1/page/..%2F..%2Fetc%2Fpasswd.png").status_code == 404
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/export.sqlite").status_code == 404
    assert _post(client, "/doc/1/review", {"figure": 10**6, "action": "accept"}).status_code == 404
    assert _post(client, "/doc/1/review", {"figure": "x", "action": "accept"}).status_code == 400


def test_state_changes_need_post_and_csrf(client, store_path):
    fig = _payload(client.get("/doc/1").text)["figures"][0]["id"]
    assert client.get("/doc/1/review").status_code == 405
    assert _post(client, "/doc/1/review", {"figure": fig, "action": "accept"}, csrf=None).status_code == 403
    assert _post(client, "/doc/1/review", {"figure": fig, "action": "accept"}, csrf="forged").status_code == 403
    with Store(store_path) as s:
        assert s.review_history(1) == []
    assert _post(client, "/doc/1/review", {"figure": fig, "action": "accept"}).status_code == 200


def test_accept_reject_correct_undo_and_outputs(client, store_path):
    figs = _payload(client.get("/doc/1").text)["figures"]
    bts = next(f for f in figs if f["key"] == "ict.bts_stations" and f["value"] == 117 and not f["derived"])
    other = next(f for f in figs if f["id"] != bts["id"] and not f["derived"])
    r = _post(client, "/doc/1/review", {"figure": bts["id"], "action": "correct",
                                        "fields": {"value": "118", "period": "6 tháng đầu năm 2019"}})
    assert r.status_code == 200, r.text
    assert r.json()["figure"]["value"] == 118 and r.json()["figure"]["status"] == "corrected"
    assert _post(client, "/doc/1/review", {"figure": other["id"], "action": "reject"}).json()["figure"]["status"] == "rejected"
    assert _post(client, "/doc/1/review", {"figure": bts["id"], "action": "correct",
                                           "fields": {"year": "soon"}}).status_code == 400
    with Store(store_path) as s:
        rows = {(r["field"], r["old_value"], r["new_value"], r["reviewer"]) for r in s.review_history(1)}
        assert ("value", "117.0", "118.0", "ann") in rows
        # the extraction itself is untouched
        assert s.query("SELECT value FROM indicators WHERE id=?", (bts["id"],))[0]["value"] == 117
        reviewed = {r["figure_id"]: r for r in stored_records(s, ["1"], include_rejected=True)}
        assert reviewed[bts["id"]]["value"] == 118 and reviewed[bts["id"]]["review_status"] == "corrected"
        assert reviewed[other["id"]]["review_status"] == "rejected"
        assert other["id"] not in {r["figure_id"] for r in stored_records(s, ["1"])}
        raw = {r["figure_id"]: r for r in stored_records(s, ["1"], reviewed=False)}
        assert raw[bts["id"]]["value"] == 117 and raw[bts["id"]]["review_status"] == "unreviewed"
        cells = [c for row in diff_stored(s, ["1", "2"]).rows if row.key == "ict.bts_stations" for c in row.cells if c]
        assert 118 in {c.value for c in cells}
    export = client.get("/doc/1/export.csv")
    assert export.status_code == 200 and "review_status" in export.text.splitlines()[0] and "corrected" in export.text
    assert client.get("/export.xlsx").content[:2] == b"PK"
    # undo takes back the latest action (the rejection), then the correction
    assert _post(client, "/doc/1/undo", {}).json()["figures"][0]["status"] == "unreviewed"
    assert _post(client, "/doc/1/undo", {}).json()["figures"][0]["value"] == 117
    assert _post(client, "/doc/1/undo", {}).status_code == 400


def test_add_a_figure_by_drawing_its_box(client, store_path):
    doc = _scan_doc(store_path)
    data = _payload(client.get(f"/doc/{doc}").text)
    f = next(f for f in data["figures"] if f["box"] and f["page"] == 1)
    r = _post(client, f"/doc/{doc}/add", {"page": 1, "box": f["box"], "indicator": "Số trạm thêm", "unit": "trạm"})
    assert r.status_code == 200, r.text
    added = r.json()["figure"]
    assert added["status"] == "added" and added["text"] and added["value"] == f["value"]
    with Store(store_path) as s:
        assert added["id"] in {r["id"] for r in s.figures(doc)}
        assert added["id"] not in {r["id"] for r in s.figures(doc, reviewed=False)}
    assert _post(client, f"/doc/{doc}/undo", {"action": r.json()["action"]}).json()["removed"] == [added["id"]]
    assert _post(client, f"/doc/{doc}/add", {"page": 1, "box": [0, 0, 2, 1]}).status_code == 400


def test_document_text_is_escaped(client, store_path):
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    with Store(store_path) as s:
        s.conn.execute("UPDATE indicators SET indicator=?, text=? WHERE document_id=1", (evil, evil))
        s.conn.execute("UPDATE pages SET text=? WHERE document_id=1", (evil + "\nline two",))
        s.conn.execute("UPDATE documents SET district=?, code=? WHERE id=1", (evil, evil))
    for path in ("/", "/doc/1", "/doc/2/compare"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
    html = client.get("/doc/1").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert _payload(html)["figures"][0]["indicator"] == evil  # the data survives, as text


def test_concurrent_reviewers_lose_no_edit(store_path):
    figs = Store(store_path).figures(1)
    targets = [f["id"] for f in figs[:20]]
    errors = []

    def reviewer(name: str, field: str, value):
        c = TestClient(create_app(store_path, TOKEN, reviewer=name))
        c.get(f"/?token={TOKEN}")
        for fid in targets:
            r = _post(c, "/doc/1/review", {"figure": fid, "action": "correct", "fields": {field: value}})
            if r.status_code != 200:
                errors.append(r.text)

    threads = [threading.Thread(target=reviewer, args=a) for a in
               (("ann", "unit", "cái"), ("bob", "period", "năm 2030"), ("cid", "unit", "chiếc"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Store(store_path) as s:
        for row in s.figures(1):
            if row["id"] in targets:
                assert row["period"] == "năm 2030"  # another field's edit never undoes this one
                assert row["unit"] in ("cái", "chiếc")
        history = s.review_history(1)
        # (the derived values that follow these figures have unit rows of their own)
        unit_rows = [r for r in history if r["field"] == "unit" and r["indicator_id"] in targets]
        assert len(unit_rows) == 2 * len(targets)  # both edits of the same field are recorded
        last = {r["indicator_id"]: json.loads(r["new_value"]) for r in unit_rows}
        assert all(s.figures(1, indicator_id=i)[0]["unit"] == v for i, v in last.items())  # the later one wins


def test_store_of_schema_1_is_migrated_and_still_reads(tmp_path, store_path):
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    from planscan.io.store import APPLICATION_ID, SCHEMA

    schema_1 = re.sub(r"CREATE TABLE IF NOT EXISTS reviews.*?\);", "", SCHEMA, flags=re.S)
    schema_1 = re.sub(r"CREATE INDEX IF NOT EXISTS reviews_\w+ ON reviews\(.*?\);", "", schema_1)
    for col in ("image_file    TEXT", "width       INTEGER", "height      INTEGER", "dpi         INTEGER",
                "layout      TEXT", "origin      TEXT NOT NULL DEFAULT 'extract'", "period_first_month INTEGER",
                "period_last_month  INTEGER"):
        schema_1 = re.sub(r",\s*" + re.escape(col), "", schema_1)
    con.executescript(schema_1)
    con.execute("INSERT INTO planscan_info VALUES ('schema_version', '1')")
    con.execute("INSERT INTO documents(sha256, source, input_kind, ingested_at, n_indicators) VALUES ('x', 'a.txt', 'records', 't', 1)")
    con.execute("INSERT INTO indicators(document_id, key, indicator, value, unit, kind, text) VALUES (1, 'k', 'K', 5, 'trạm', 'actual', 't')")
    con.execute(f"PRAGMA application_id={APPLICATION_ID}")
    con.commit()
    con.close()
    with Store(db, create=False) as s:  # read-only use sees the old rows, without reviews
        assert [r["value"] for r in s.figures()] == [5]
    with Store(db) as s:
        s.add_reviews(1, [(1, "value", 6.0)], "ann")
        assert [(r["value"], r["review_status"]) for r in s.figures()] == [(6.0, "corrected")]


def _counts_of(html: str, doc_id: int) -> list[str]:
    """The figures, reviewed, corrected and rejected cells of a document's row in the list."""
    row = re.search(rf"<tr><td>{doc_id}</td>(.*?)</tr>", html, re.S).group(1)
    return re.findall(r"<td>([^<]*)</td>", row)[-4:]


def test_the_list_filters_and_counts_in_sql(client, store_path):
    with Store(store_path) as s:
        n_figures = s.query("SELECT count(*) AS n FROM indicators WHERE document_id=1")[0]["n"]
    assert _counts_of(client.get("/").text, 1) == [str(n_figures), "0", "0", "0"]
    figs = [f for f in _payload(client.get("/doc/1").text)["figures"] if not f["derived"]]
    _post(client, "/doc/1/review", {"figure": figs[0]["id"], "action": "accept"})
    _post(client, "/doc/1/review", {"figure": figs[1]["id"], "action": "reject"})
    _post(client, "/doc/1/review", {"figure": figs[2]["id"], "action": "correct", "fields": {"unit": "cái"}})
    # a correction put back by hand is no correction any more (as the figure's own status says)
    _post(client, "/doc/1/review", {"figure": figs[3]["id"], "action": "correct", "fields": {"unit": "cái"}})
    _post(client, "/doc/1/review", {"figure": figs[3]["id"], "action": "correct", "fields": {"unit": figs[3]["unit"]}})
    with Store(store_path) as s:
        statuses = [r["review_status"] for r in s.figures(1)]
    expected = [str(n_figures), str(sum(st != "unreviewed" for st in statuses)), str(statuses.count("corrected")),
                str(statuses.count("rejected"))]
    page = client.get("/").text
    assert _counts_of(page, 1) == expected and expected[1:] == ["4", "1", "1"]
    assert _counts_of(page, 2)[1:] == ["0", "0", "0"]
    _post(client, "/doc/1/undo", {})
    assert _counts_of(client.get("/").text, 1)[1:] == ["4", "2", "1"]
    # filters: folded search over source, title, code and district; dates; a choice
    assert "2 of 2 documents" in client.get("/?q=tuan giao").text
    assert "1 of 2 documents" in client.get("/?q=699/KH").text
    assert "1 of 2 documents" in client.get("/?date_to=2019-12-31").text
    assert "0 of 2 documents" in client.get("/?date_from=2030-01-01").text
    assert "2 of 2 documents" in client.get("/?district=Tuần Giáo&doc_type=Kế hoạch").text


def test_derived_values_follow_a_correction(client, store_path):
    """A stated change implies a prior value (117 trạm, "tăng 13 trạm so với cùng kỳ năm 2018":
    104 for 2018); correcting the figure or the change re-derives it in the same action, and
    diff and exports show the value that follows."""
    from click.testing import CliRunner

    from planscan.cli import cli

    def derived_bts() -> list[tuple[float, str]]:
        with Store(store_path) as s:
            return [(r["value"], r["review_status"]) for r in stored_records(s, ["1"], include_rejected=True)
                    if r["derived"] and r["key"] == "ict.bts_stations" and r["year"] == 2018]

    def diff_checks(*extra: str) -> str:
        out = CliRunner().invoke(cli, ["diff", "--db", str(store_path), "1", "2", "--format", "csv", *extra])
        assert out.exit_code == 0, out.output
        return " ".join(ln for ln in out.output.splitlines() if ln.startswith("ict.bts_stations,") and "level" in ln)

    figs = _payload(client.get("/doc/1").text)["figures"]
    bts = next(f for f in figs if f["key"] == "ict.bts_stations" and f["value"] == 117 and not f["derived"])
    change = next(f for f in figs if f["kind"] == "change" and "13 trạm" in f["text"])
    assert derived_bts() == [(104.0, "unreviewed")]
    r = _post(client, "/doc/1/review", {"figure": bts["id"], "action": "correct", "fields": {"value": "118"}}).json()
    assert [(f["value"], f["derived"]) for f in r["figures"]] == [(105.0, True)]  # the page updates it too
    assert derived_bts() == [(105.0, "corrected")]
    assert "prior value 105 trạm" in diff_checks() and "prior value 104 trạm" in diff_checks("--unreviewed")
    _post(client, "/doc/1/review", {"figure": change["id"], "action": "correct", "fields": {"value": "10"}})
    assert derived_bts() == [(108.0, "corrected")]
    # no longer a change: nothing is implied, and the value is left out; a change again: back
    _post(client, "/doc/1/review", {"figure": change["id"], "action": "correct", "fields": {"kind": "actual"}})
    assert derived_bts() == [(108.0, "rejected")]
    _post(client, "/doc/1/review", {"figure": change["id"], "action": "correct", "fields": {"kind": "change"}})
    assert derived_bts() == [(108.0, "corrected")]
    # rejecting the statement rejects what it implied; one undo takes both back
    _post(client, "/doc/1/review", {"figure": change["id"], "action": "reject"})
    assert derived_bts() == [(108.0, "rejected")]
    assert {f["id"] for f in _post(client, "/doc/1/undo", {}).json()["figures"]} == {change["id"], r["figures"][0]["id"]}
    assert derived_bts() == [(108.0, "corrected")]
    _post(client, "/doc/1/review", {"figure": change["id"], "action": "reject"})
    _post(client, "/doc/1/review", {"figure": change["id"], "action": "accept"})  # accepted after all
    assert derived_bts() == [(108.0, "corrected")]
    # a derived value a reviewer rejected stays rejected whatever its figures become
    _post(client, "/doc/1/review", {"figure": r["figures"][0]["id"], "action": "reject"})
    _post(client, "/doc/1/review", {"figure": bts["id"], "action": "correct", "fields": {"value": "120"}})
    assert derived_bts() == [(108.0, "rejected")]
    with Store(store_path) as s:  # the extraction itself is untouched
        raw = [r["value"] for r in stored_records(s, ["1"], reviewed=False) if r["derived"] and r["key"] == "ict.bts_stations"]
    assert raw == [104.0]


def test_a_figure_added_as_a_change_derives_its_prior_value(client, store_path):
    figs = [f for f in _payload(client.get("/doc/1").text)["figures"] if not f["derived"]]
    base = next(f for f in figs if f["key"] == "ict.bts_stations" and f["value"] == 117)
    change = next(f for f in figs if f["kind"] == "change" and "13 trạm" in f["text"])
    _post(client, "/doc/1/review", {"figure": change["id"], "action": "reject"})  # its derived value goes too
    # a text page: the figure is added on the line picked, its year read from the period
    r = _post(client, "/doc/1/add", {"page": change["page"], "line": change["line"], "box": [0, 0, 0, 0],
                                     "indicator": base["indicator"], "key": base["key"], "value": "7", "unit": "trạm",
                                     "kind": "change", "period": base["period"]})
    assert r.status_code == 200, r.text
    assert "tăng 13 trạm" in r.json()["figure"]["text"] and r.json()["figure"]["year"] == base["year"]
    derived = [f for f in r.json()["figures"] if f["derived"]]
    assert [(f["value"], f["status"]) for f in derived] == [(110.0, "added")]
    with Store(store_path) as s:
        assert 110.0 in {r["value"] for r in stored_records(s, ["1"]) if r["derived"]}
    undone = _post(client, "/doc/1/undo", {}).json()
    assert set(undone["removed"]) == {r.json()["figure"]["id"], derived[0]["id"]}


def test_year_on_year_links_an_inconsistent_check_to_both_pages(client, store_path):
    doc = _scan_doc(store_path)
    figs = _payload(client.get("/doc/1").text)["figures"]
    bts = next(f for f in figs if f["key"] == "ict.bts_stations" and f["value"] == 117 and not f["derived"])
    # the later plan says "tăng 8 trạm so với cùng kỳ năm 2019" of 125: 117, not the 500 now reviewed
    _post(client, "/doc/1/review", {"figure": bts["id"], "action": "correct", "fields": {"value": "500"}})
    html = client.get(f"/doc/{doc}/compare").text
    checks = re.findall(r'<div class="check inconsistent">(.*?)</div>', html, re.S)
    found = [c for c in checks if "found 500" in c]
    assert found, checks
    links = re.findall(r'href="(/doc/\d+)#page-(\d+)"', found[0])
    assert {d for d, _ in links} == {"/doc/1", f"/doc/{doc}"}
    for path, page in links:  # each link lands on a page the document view has
        assert f'id="page-{page}"' in client.get(path).text


def test_series_shows_reviewed_and_rederived_values(client, store_path):
    from planscan.io.series import load_series

    figs = _payload(client.get("/doc/1").text)["figures"]
    bts = next(f for f in figs if f["key"] == "ict.bts_stations" and f["value"] == 117 and not f["derived"])
    _post(client, "/doc/1/review", {"figure": bts["id"], "action": "correct", "fields": {"value": "118"}})
    with Store(store_path) as s:
        reviewed = {(p.year, p.derived): p.value for p in load_series(s, "ict.bts_stations")[1] if p.document_id == 1}
        raw = {(p.year, p.derived): p.value for p in load_series(s, "ict.bts_stations", reviewed=False)[1]
               if p.document_id == 1}
    assert reviewed[(2019, False)] == 118 and reviewed[(2018, True)] == 105
    assert raw[(2019, False)] == 117 and raw[(2018, True)] == 104
