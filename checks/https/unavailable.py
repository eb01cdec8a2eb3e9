"""https.unavailable"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.site import Site


@check(
    id="https.unavailable",
    title="The service is not reachable over HTTPS",
    severity=Severity.HIGH,
    cwe=(319,),
    needs=(Site,),
    confidence=Confidence.CERTAIN,
    remediation="""
        Serve the site over HTTPS with a certificate from a trusted CA (for public
        services, e.g. a free ACME certificate; for intranet services, the
        institution's CA), then redirect all plain-HTTP requests to HTTPS.
    """,
    references=(
        "https://cyber.dhs.gov/bod/18-01/",
        "https://csrc.nist.gov/pubs/sp/800/52/r2/final",
    ),
)
def unavailable(ctx: CheckContext) -> Iterator[Issue]:
    """Without HTTPS every page, form and cookie travels in clear text and can be
    read or altered by anyone on the network path."""
    site = ctx.get(Site)
    if site.https is None:
        raise Skip("no HTTPS entry point is known for this target")
    if site.https.ok:
        return
    if site.https.error and "certificate" in site.https.error:
        # HTTPS is there; trust problems are the TLS family's to judge.
        raise Skip(f"HTTPS answers but could not be verified: {site.https.error}")
    yield Issue(
        location=site.https.url,
        evidence=f"{site.https.url}: {site.https.error}",
        details={"error": site.https.error},
    )
