"""planscan review's start: one line with the URL and its token, 127.0.0.1 unless told, and a
warning for an address other machines reach."""

from __future__ import annotations

import re

import pytest

from planscan.review import server


@pytest.fixture()
def started(monkeypatch, store_path):
    import uvicorn

    runs: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: runs.append({"app": app, **kw}))
    return runs


@pytest.mark.parametrize("host, warned", [("127.0.0.1", False), ("::1", False), ("localhost", False),
                                          ("0.0.0.0", True), ("192.0.2.7", True)])
def test_prints_url_with_token_and_warns_off_loopback(started, store_path, capsys, host, warned):
    server.serve(store_path, host=host, port=8123)
    err = capsys.readouterr().err
    url = re.search(r"planscan review: (http://\S+)", err).group(1)
    shown = f"[{host}]" if ":" in host else host
    assert re.fullmatch(rf"http://{re.escape(shown)}:8123/\?token=[\w-]{{32,}}", url)
    assert ("reachable from other machines" in err) == warned
    assert started[-1]["host"] == host and started[-1]["port"] == 8123


def test_defaults_to_loopback_and_a_new_token_each_time(started, store_path, capsys):
    server.serve(store_path)
    server.serve(store_path)
    urls = re.findall(r"planscan review: (\S+)", capsys.readouterr().err)
    assert all(u.startswith("http://127.0.0.1:") for u in urls) and urls[0] != urls[1]
    assert [r["host"] for r in started] == ["127.0.0.1", "127.0.0.1"]
