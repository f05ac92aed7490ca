"""Access to the review page: one secret token per server, a cookie after the first visit, CSRF
tokens on every state-changing request, and headers that keep the page's own content the only
content it runs.

It serves government data on a shared machine, so a request without the token gets 403 and the
token never stays in the address bar (the first visit is redirected to the same URL without it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlencode

from starlette.datastructures import URL, QueryParams
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "planscan_review"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
SAFE_METHODS = ("GET", "HEAD")
# Everything the page loads is its own: no inline script, no other origin.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(token: str) -> str:
    """The CSRF token that goes with an access token: derived from it, so it needs no session state,
    yet a page of another origin can read neither."""
    return hmac.new(token.encode(), b"planscan-review-csrf", hashlib.sha256).hexdigest()


def _same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


class TokenGuard:
    """ASGI middleware: the token (query ``?token=`` or the cookie) on every request, CSRF on every
    request that is not GET/HEAD, and the security headers on every response."""

    def __init__(self, app: ASGIApp, token: str):
        self.app = app
        self.token = token
        self.csrf = csrf_token(token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url = URL(scope=scope)
        cookies = _cookies(scope)
        query = QueryParams(url.query)
        given = query.get("token")
        method = scope["method"]
        if _same(given, self.token) and method in SAFE_METHODS:
            # first visit: keep the token in a cookie and take it out of the URL
            rest = [(k, v) for k, v in query.multi_items() if k != "token"]
            target = url.path + ("?" + urlencode(rest) if rest else "")
            response: Response = RedirectResponse(target, status_code=303)
            response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
            await self._send(response, scope, receive, send)
            return
        if not _same(cookies.get(COOKIE), self.token) and not _same(given, self.token):
            await self._send(PlainTextResponse("403: open the URL with the token that planscan review printed",
                                               status_code=403), scope, receive, send)
            return
        if method not in SAFE_METHODS:
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            if not _same(headers.get(CSRF_HEADER), self.csrf):
                await self._send(PlainTextResponse("403: missing or wrong CSRF token; reload the page",
                                                   status_code=403), scope, receive, send)
                return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in _security_headers() if k not in have]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _send(self, response: Response, scope: Scope, receive: Receive, send: Send) -> None:
        response.headers.update({k.decode(): v.decode() for k, v in _security_headers()})
        await response(scope, receive, send)


def _security_headers() -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
        (b"cache-control", b"no-store"),
    ]


def _cookies(scope: Scope) -> dict[str, str]:
    from http.cookies import SimpleCookie

    out: dict[str, str] = {}
    for k, v in scope["headers"]:
        if k == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(v.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header is simply no cookie
                continue
            out.update({name: m.value for name, m in jar.items()})
    return out
