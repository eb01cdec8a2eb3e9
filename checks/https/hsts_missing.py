"""https.hsts_missing"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.hsts import https_hsts


@check(
    id="https.hsts_missing",
    judges=Judged.ENTRY_PAGE,
    title="HTTPS responses do not send Strict-Transport-Security (HSTS)",
    severity=Severity.MEDIUM,
    cwe=(319, 523),
    needs=(Site,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Send the header on every HTTPS response of the host:
          nginx:  add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
          Apache: Header always set Strict-Transport-Security "max-age=31536000; includeSubDomains"
          IIS:    <customHeaders><add name="Strict-Transport-Security"
                  value="max-age=31536000; includeSubDomains"/></customHeaders>
        Start with a short max-age if unsure every subdomain serves HTTPS, then raise it.
    """,
    references=(
        "https://www.rfc-editor.org/rfc/rfc6797",
        "https://cyber.dhs.gov/bod/18-01/",
        "https://owasp.org/www-project-secure-headers/",
    ),
)
def hsts_missing(ctx: CheckContext) -> Iterator[Issue]:
    """Without HSTS a browser will still try plain HTTP first (typed addresses, old
    links), so an attacker on the network can strip TLS and serve the site in
    clear text (SSL stripping)."""
    site = ctx.get(Site)
    https = site.https_ok
    if https is None:
        raise Skip("no HTTPS response to judge")
    if https_hsts(https, ctx.target.host) is not None:
        return
    yield Issue(
        location=https.final_url,
        evidence=f"GET {https.url} → {https.status}: no Strict-Transport-Security header",
        details={"chain": list(https.chain)},
    )
