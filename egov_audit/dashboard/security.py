"""Response headers and CSRF tokens: the dashboard passes the audit it serves.

No page runs a script, so the policy allows none; styles come only from the
dashboard's own stylesheet (no inline style, so no 'unsafe-inline'). Pages
show findings, so nothing is cached and no referrer leaves the site.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import MutableMapping
from typing import Any

CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
PERMISSIONS = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
               "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": PERMISSIONS,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
}
HSTS = "max-age=31536000; includeSubDomains"
CSRF_FIELD = "csrf_token"


def apply_headers(headers: Any, *, secure: bool, static: bool) -> None:
    """Set the security headers on a response (``headers``: werkzeug Headers)."""
    for name, value in HEADERS.items():
        headers[name] = value
    if secure:  # HSTS means something only over HTTPS (RFC 6797 §7.2)
        headers["Strict-Transport-Security"] = HSTS
    if not static:
        headers["Cache-Control"] = "no-store"
    headers.pop("Server", None)


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """The session's token, created on first use (synchroniser-token pattern)."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def csrf_valid(session: MutableMapping[str, Any], submitted: str | None) -> bool:
    expected = session.get(CSRF_FIELD)
    return (isinstance(expected, str) and isinstance(submitted, str)
            and hmac.compare_digest(expected.encode(), submitted.encode()))
