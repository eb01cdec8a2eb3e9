"""Route builders for the tests of the web-page families (headers, cookies, CORS,
disclosure, hygiene): a hardened page and its variants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from egov_audit.demo.server import Request, Response, html, redirect
from egov_audit.model import Target

from ...conftest import ServeFn, pair

STRICT_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
              "connect-src 'self'; object-src 'none'; base-uri 'none'; "
              "frame-ancestors 'none'; form-action 'self'")
HARDENED: list[tuple[str, str]] = [
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload"),
    ("Content-Security-Policy", STRICT_CSP),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
    ("Set-Cookie", "__Host-session=s3cr3t-value-123; Secure; HttpOnly; SameSite=Lax; Path=/"),
]
PAGE = ('<!doctype html><html><head><meta charset="utf-8"><title>Layanan</title>'
        '<script src="/app.js"></script><link rel="stylesheet" href="/app.css"></head>'
        '<body><h1>Layanan</h1><img src="/logo.png"><form action="/cari"><input name="q">'
        '</form></body></html>')


def security_txt(expires: datetime | None = None, contact: bool = True) -> Response:
    expires = expires or datetime.now(UTC) + timedelta(days=180)
    lines = ["# security.txt for the test service"]
    if contact:
        lines.append("Contact: mailto:csirt@example.go.id")
    lines.append("Expires: " + expires.strftime("%Y-%m-%dT%H:%M:%SZ"))
    lines.append("Preferred-Languages: id, en")
    return Response(200, [("Content-Type", "text/plain; charset=utf-8")], "\n".join(lines) + "\n")


def headers_without(*names: str, replace: dict[str, str] | None = None
                    ) -> list[tuple[str, str]]:
    """The hardened header set minus ``names`` (case-insensitive), with replacements."""
    drop = {n.lower() for n in names} | {n.lower() for n in (replace or {})}
    out = [(k, v) for k, v in HARDENED if k.lower() not in drop]
    return out + list((replace or {}).items())


def site(serve: ServeFn, headers: list[tuple[str, str]] | None = None, body: str = PAGE,
         *, security: Response | None = None, with_http: bool = True,
         extra: dict[str, Response] | None = None, **service: str) -> Target:
    """An HTTPS page with ``headers`` (default: hardened), HTTP redirecting to it."""
    https = serve(tls=True)
    page = html(body, headers=list(HARDENED if headers is None else headers))
    https.routes["/"] = page
    https.routes["/.well-known/security.txt"] = security or security_txt()
    for path, resp in (extra or {}).items():
        https.routes[path] = resp
    http = None
    if with_http:
        http = serve({"/": redirect(https.url("/"))})
    return pair(http, https, **service)


def reflect_origin(credentials: bool, headers: list[tuple[str, str]] | None = None
                   ) -> object:
    """A handler that echoes any Origin (the classic CORS misconfiguration)."""

    def handler(request: Request) -> Response:
        extra: list[tuple[str, str]] = []
        origin = request.headers.get("Origin")
        if origin:
            extra.append(("Access-Control-Allow-Origin", origin))
            if credentials:
                extra.append(("Access-Control-Allow-Credentials", "true"))
        return html(PAGE, headers=[*(headers if headers is not None else HARDENED), *extra])

    return handler
