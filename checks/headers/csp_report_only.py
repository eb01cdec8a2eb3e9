"""headers.csp_report_only"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web.page import csp_evidence, enforced_policies, judged_document, report_only_policies


@check(
    id="headers.csp_report_only",
    title="Content-Security-Policy is only sent in report-only mode",
    severity=Severity.LOW,
    cwe=(693,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Once the reports show no legitimate violations, rename the header from
        Content-Security-Policy-Report-Only to Content-Security-Policy (keep a
        report-to/report-uri directive to go on receiving reports):
          nginx:  add_header Content-Security-Policy "<policy>" always;
          Apache: Header always set Content-Security-Policy "<policy>"
          IIS:    <add name="Content-Security-Policy" value="<policy>" />
    """,
    references=("https://www.w3.org/TR/CSP3/#cspro-header",),
    tags=("csp",),
)
def csp_report_only(ctx: CheckContext) -> Iterator[Issue]:
    """A report-only policy blocks nothing: it is a rollout step, and sites often
    stay in it for years, believing they are protected."""
    resp = judged_document(ctx.get(Site))
    report_only = report_only_policies(resp)
    if not report_only or enforced_policies(resp):
        return
    yield Issue(
        location=resp.final_url,
        evidence="Content-Security-Policy-Report-Only: " + report_only[0].raw[:300]
        + " (no enforcing Content-Security-Policy)",
        details={"report_only": csp_evidence(report_only)},
    )
