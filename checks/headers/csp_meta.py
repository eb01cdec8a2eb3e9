"""headers.csp_meta"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web import csp as _csp
from .._web.markup import markup
from .._web.page import judged


@check(
    id="headers.csp_meta",
    title="Content-Security-Policy is delivered in <meta>, where frame-ancestors, "
    "sandbox and reporting are ignored",
    severity=Severity.INFO,
    cwe=(693, 1021),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Send the policy as an HTTP response header instead of (or as well as)
        <meta http-equiv="Content-Security-Policy">:
          nginx:  add_header Content-Security-Policy "<policy>" always;
          Apache: Header always set Content-Security-Policy "<policy>"
          IIS:    <add name="Content-Security-Policy" value="<policy>" />
        A CMS that cannot set headers can usually be fronted by the web server.
    """,
    references=("https://www.w3.org/TR/CSP3/#meta-element",),
    tags=("csp",),
)
def csp_meta(ctx: CheckContext) -> Iterator[Issue]:
    """A <meta> policy applies only to content after the element, and browsers
    ignore its frame-ancestors, report-uri and sandbox directives; a site that
    relies on it for anti-framing is not protected (reported LOW then)."""
    resp = judged(ctx.get(Site))
    metas = markup(resp).meta(http_equiv="Content-Security-Policy")
    if not metas:
        return
    ignored = sorted({name for raw in metas for chunk in raw.split(",")
                      for name in _csp.parse_policy(chunk).directives
                      if name in _csp.META_IGNORED})
    relies = "frame-ancestors" in ignored and not resp.headers_all("Content-Security-Policy")
    yield Issue(
        location=resp.final_url,
        evidence="<meta http-equiv=\"Content-Security-Policy\" content=\"" + metas[0][:300] + "\">"
        + (f" (ignored in <meta>: {', '.join(ignored)})" if ignored else ""),
        severity=Severity.LOW if relies else None,
        details={"ignored_directives": ignored},
    )
