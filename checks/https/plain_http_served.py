"""https.plain_http_served"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

_FORM = re.compile(rb"<form\b", re.I)
_INPUT = re.compile(rb"<input\b", re.I)
# One run of spaces on each side of "=" only: two adjacent \s* around the
# optional quote would let a hostile run of spaces be split n ways.
_PASSWORD_TYPE = re.compile(rb"\btype\s*=\s*[\"']?password\b", re.I)
# An input tag longer than this is not one a browser would render usefully;
# cutting each look keeps the scan linear however the page nests its "<input".
_MAX_TAG = 2048


def has_password_field(body: bytes) -> bool:
    """Any <input type=password> on the page, inside a <form> or not: a script
    can read and send it either way, and the browser's own insecure-login
    warning does not depend on the form element."""
    for match in _INPUT.finditer(body):
        tag = body[match.end():match.end() + _MAX_TAG].split(b">", 1)[0]
        if _PASSWORD_TYPE.search(tag):
            return True
    return False


@check(
    id="https.plain_http_served",
    judges=Judged.ENTRY_PAGE,
    title="Plain HTTP serves content instead of redirecting to HTTPS",
    severity=Severity.MEDIUM,
    cwe=(319,),
    needs=(Site,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Answer every plain-HTTP request with a permanent redirect to the same path
        on HTTPS, e.g. in nginx:
          server { listen 80; server_name example.go.id; return 301 https://$host$request_uri; }
        Apache: `Redirect permanent / https://example.go.id/` in the port-80 VirtualHost.
        IIS: an URL Rewrite rule "HTTP to HTTPS" with a 301 redirect.
    """,
    references=(
        "https://cyber.dhs.gov/bod/18-01/",
        "https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/TLS",
    ),
)
def plain_http_served(ctx: CheckContext) -> Iterator[Issue]:
    """A citizen who types the address or follows an old link gets the page over
    clear text, where it can be read or rewritten in transit; a form on it sends
    personal data unprotected. Severity rises when the page has a form or a
    password field (with or without a form around it) or sets cookies."""
    site = ctx.get(Site)
    http = site.http
    if http is None:
        raise Skip("no plain-HTTP entry point is known for this target")
    if not http.ok:
        return  # port 80 closed is fine
    if urlsplit(http.final_url).scheme == "https" or http.left_scope:
        return  # redirected to HTTPS (or away); the redirect checks judge the route
    if http.status is None or http.status >= 400:
        return
    has_form = bool(_FORM.search(http.body))
    password = has_password_field(http.body)
    sets_cookie = bool(http.headers_all("Set-Cookie"))
    severity = Severity.HIGH if has_form or password or sets_cookie else None
    extra = [w for w, on in (("contains a form", has_form),
                             ("has a password field", password),
                             ("sets cookies", sets_cookie)) if on]
    yield Issue(
        location=http.final_url,
        evidence=f"GET {http.url} → {http.status} {http.reason} over plain HTTP, no redirect to "
        "HTTPS" + (f"; the page {' and '.join(extra)}" if extra else ""),
        severity=severity,
        details={"status": http.status, "chain": list(http.chain), "form": has_form,
                 "password_field": password, "sets_cookie": sets_cookie},
    )
