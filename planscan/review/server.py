"""Run the review application: print its URL with the access token, serve until Ctrl-C."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import click

from planscan.review.security import new_token

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve(db: Path, host: str = "127.0.0.1", port: int | None = None, open_browser: bool = False,
          reviewer: str | None = None) -> None:
    import uvicorn

    from planscan.review.app import create_app

    token = new_token()
    app = create_app(db, token, reviewer)
    port = port or free_port(host)
    if not is_loopback(host):
        click.echo(f"planscan: warning: serving on {host}, reachable from other machines; anyone with the token "
                   "can read and review this store", err=True)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/?token={token}"
    click.echo(f"planscan review: {url}  (Ctrl-C stops it)", err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)
