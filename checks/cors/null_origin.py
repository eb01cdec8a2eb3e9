"""cors.null_origin"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check, need
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.cors import DISCOVERED_APIS, Cors
from egov_audit.probes.site import Site

from .._web.cors import allow_origin, allows_credentials, remediation_snippets


@check(
    id="cors.null_origin",
    title="CORS accepts the origin \"null\"",
    severity=Severity.MEDIUM,
    cwe=(942, 346),
    # The CORS probe starts from the Site entry page, and adds every API
    # endpoint discovery found.
    needs=(need(Cors, DISCOVERED_APIS), Site),
    judges=Judged.API_RESPONSES,
    confidence=Confidence.CERTAIN,
    remediation=f"""
        Remove "null" from the allowed origins: it is not a real site but what
        sandboxed frames, data: URLs and local files send, so any attacker can
        produce it. Allow only the exact HTTPS origins of your own applications:
        {remediation_snippets()}
    """,
    references=("https://portswigger.net/web-security/cors#whitelisted-null-origin-value",),
    tags=("cors",),
)
def null_origin(ctx: CheckContext) -> Iterator[Issue]:
    """Any page can send Origin: null by putting its request in a sandboxed iframe,
    so allowing null is allowing everyone; HIGH when credentials are allowed too."""
    cors = ctx.get(Cors)
    for ex in cors.everything:
        resp = ex.null
        if not resp.ok or allow_origin(resp) != "null":
            continue
        creds = allows_credentials(resp)
        yield Issue(
            location=ex.url,
            key=ex.url,
            evidence=f"GET {ex.where} with Origin: null → Access-Control-Allow-Origin: null"
            + ("; Access-Control-Allow-Credentials: true" if creds else ""),
            severity=Severity.HIGH if creds else None,
            details={"source": ex.source, "credentials": creds, "status": resp.status},
        )
