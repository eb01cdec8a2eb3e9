"""cors.reflected_origin_credentials"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check, need
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.cors import DISCOVERED_APIS, Cors
from egov_audit.probes.site import Site

from .._web.cors import allow_origin, allows_credentials, remediation_snippets


@check(
    id="cors.reflected_origin_credentials",
    title="CORS trusts any origin with credentials (Origin reflected + "
    "Access-Control-Allow-Credentials: true)",
    severity=Severity.HIGH,
    cwe=(942, 346),
    # The CORS probe starts from the Site entry page, and adds every API
    # endpoint discovery found.
    needs=(need(Cors, DISCOVERED_APIS), Site),
    judges=Judged.API_RESPONSES,
    confidence=Confidence.CERTAIN,
    remediation=f"""
        Compare the Origin header with a fixed allow-list and echo it only on a
        match; never copy it back unchecked while allowing credentials:
        {remediation_snippets()}
        In frameworks: Laravel config/cors.php 'allowed_origins' (not ['*'] with
        'supports_credentials' => true); Spring allowedOrigins, not allowedOriginPatterns("*").
    """,
    references=(
        "https://fetch.spec.whatwg.org/#http-cors-protocol",
        "https://portswigger.net/web-security/cors",
    ),
    tags=("cors",),
)
def reflected_origin_credentials(ctx: CheckContext) -> Iterator[Issue]:
    """Any web site a logged-in user visits can read this endpoint's responses with
    the user's cookies: their personal data, CSRF tokens, and everything the session
    can see."""
    cors = ctx.get(Cors)
    for ex in cors.everything:
        resp = ex.foreign
        if not resp.ok or allow_origin(resp) != cors.foreign_origin:
            continue
        if not allows_credentials(resp):
            continue
        yield Issue(
            location=ex.url,
            key=ex.url,
            evidence=f"GET {ex.where} with Origin: {cors.foreign_origin} → "
            f"Access-Control-Allow-Origin: {allow_origin(resp)}; "
            "Access-Control-Allow-Credentials: true",
            details={"source": ex.source, "origin_sent": cors.foreign_origin,
                     "status": resp.status},
        )
