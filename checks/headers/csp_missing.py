"""headers.csp_missing"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.page import enforced_policies, judged_document, report_only_policies
from ._snippets import NGINX_INHERITANCE, set_header

STARTER = ("default-src 'self'; object-src 'none'; base-uri 'self'; "
           "frame-ancestors 'self'")


@check(
    id="headers.csp_missing",
    title="The page sends no Content-Security-Policy",
    severity=Severity.MEDIUM,
    cwe=(693, 1021),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation=f"""
        Send a Content-Security-Policy header. A starting point for a site that
        loads its scripts from its own origin:
        {set_header("Content-Security-Policy", STARTER)}
        Roll it out first as Content-Security-Policy-Report-Only, watch the reports
        for a few weeks, then switch to the enforcing header.
        {NGINX_INHERITANCE}
    """,
    references=(
        "https://www.w3.org/TR/CSP3/",
        "https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP",
        "https://cheatsheetseries.owasp.org/cheatsheets/Content_Security_Policy_Cheat_Sheet.html",
    ),
    tags=("csp",),
)
def csp_missing(ctx: CheckContext) -> Iterator[Issue]:
    """Without a CSP any injected script (a stored XSS in a complaint form, a
    compromised plugin, a gambling-spam injection) runs with the full authority of
    the government site, and can read what citizens type into its forms."""
    resp = judged_document(ctx.get(Site))
    if enforced_policies(resp) or report_only_policies(resp):
        return
    yield Issue(
        location=resp.final_url,
        evidence=f"GET {resp.final_url} → {resp.status}: no Content-Security-Policy header "
        "and no <meta http-equiv=\"Content-Security-Policy\">",
    )
