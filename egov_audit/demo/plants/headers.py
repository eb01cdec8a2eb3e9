"""Planted problems for the headers, cookies, CORS, disclosure and hygiene checks.

* E-Office (Persuratan): a new service that gets nearly everything wrong: a
  weak CSP ('unsafe-inline', 'unsafe-eval', https: scripts, no object-src or
  base-uri), framable, Referrer-Policy unsafe-url, Apache/PHP/CMS versions in
  headers and markup, a session cookie without Secure/HttpOnly/SameSite on a
  publicly cacheable response, a broken __Host- cookie, CORS that reflects any
  origin with credentials, OPTIONS advertising PUT/DELETE/TRACE, a CDN script
  without SRI, mixed content, and an expired security.txt.
* SIMPEG: hardened (every header, a __Host- session cookie, a valid
  security.txt), so the demo shows an A+ next to the failing services.

Third-party URLs use the reserved .invalid domain: nothing is ever fetched.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ...model import Service
from ..portal import DemoPortal, DemoService, same_host_https_redirect
from ..server import Handler, LocalServer, Request, Response, html

WEAK_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' https:; "
            "style-src 'self' 'unsafe-inline'")
HARDENED = [
    ("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
     "img-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
     "form-action 'self'"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
    ("Set-Cookie", "__Host-simpeg_session=demo; Secure; HttpOnly; SameSite=Strict; Path=/"),
]
EOFFICE_BODY = """
<meta name="generator" content="WordPress 5.8.1">
<script src="https://cdn.example.invalid/jquery/1.12.4/jquery.min.js"></script>
<img src="http://static.example.invalid/banner-kota.png" alt="Banner">
<form method="post" action="/login"><input name="nip" placeholder="NIP">
<input type="password" name="password"><button>Masuk</button></form>
"""


def _security_txt(expires: datetime) -> Response:
    body = (f"Contact: mailto:csirt@example.go.id\n"
            f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}\nPreferred-Languages: id\n")
    return Response(200, [("Content-Type", "text/plain; charset=utf-8")], body)


def _eoffice_home(page: str) -> Handler:
    def handler(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(200, [("Allow", "GET, HEAD, POST, PUT, DELETE, TRACE, OPTIONS")])
        headers = [
            ("Content-Security-Policy", WEAK_CSP),
            ("Referrer-Policy", "unsafe-url"),
            ("X-Powered-By", "PHP/7.4.3"),
            ("Set-Cookie", "PHPSESSID=demo0000session; path=/"),
            ("Set-Cookie", "__Host-csrf=demo; Secure; Path=/app"),
            ("Cache-Control", "public, max-age=300"),
        ]
        origin = request.headers.get("Origin")
        if origin:  # reflects any origin, credentials included
            headers += [("Access-Control-Allow-Origin", origin),
                        ("Access-Control-Allow-Credentials", "true")]
        return html(page, headers=headers)

    return handler


def plant(portal: DemoPortal) -> None:
    http, https = LocalServer(server_header="Apache/2.4.41 (Ubuntu)"), portal.tls_server(
        name="eoffice")
    https.server_header = "Apache/2.4.41 (Ubuntu)"
    svc = portal.add(DemoService(
        "eoffice", Service("E-Office (Persuratan)", "Sekretariat Daerah", "high", "personal",
                           "internet"), http, https,
    ))
    https.routes["/"] = _eoffice_home(svc.page("E-Office Pemerintah Kota Contoh",
                                               EOFFICE_BODY))
    https.routes["/.well-known/security.txt"] = _security_txt(
        datetime.now(UTC) - timedelta(days=40))
    svc.finalizers.append(same_host_https_redirect)

    for simpeg in (s for s in portal.services if s.key == "simpeg"):
        assert simpeg.https is not None
        home = simpeg.https.routes.get("/")
        if isinstance(home, Response):
            home.headers[:] = [(k, v) for k, v in home.headers
                               if k.lower() != "strict-transport-security"]
            home.headers += [("Strict-Transport-Security",
                              "max-age=63072000; includeSubDomains; preload"), *HARDENED]
        simpeg.https.routes["/.well-known/security.txt"] = _security_txt(
            datetime.now(UTC) + timedelta(days=200))
