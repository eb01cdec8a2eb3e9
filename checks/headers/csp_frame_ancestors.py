"""headers.csp_frame_ancestors"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web import csp as _csp
from .._web.page import judged
from ._framing import frame_ancestors, xfo_value


@check(
    id="headers.csp_frame_ancestors",
    title="Framing is restricted only by the obsolete X-Frame-Options (no CSP frame-ancestors)",
    severity=Severity.INFO,
    cwe=(1021,),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Add frame-ancestors to the Content-Security-Policy header, matching the
        X-Frame-Options value (DENY → 'none', SAMEORIGIN → 'self'), and keep
        X-Frame-Options for old browsers:
          Content-Security-Policy: ...; frame-ancestors 'self'
    """,
    references=("https://www.w3.org/TR/CSP3/#directive-frame-ancestors",),
    tags=("csp",),
)
def csp_frame_ancestors(ctx: CheckContext) -> Iterator[Issue]:
    """X-Frame-Options protects today, but ASVS 5.0 (3.4.6) asks for frame-ancestors,
    which also covers nested frames and allow-lists several origins."""
    resp = judged(ctx.get(Site))
    if frame_ancestors(resp):
        return
    if not xfo_value(resp):
        raise Skip("no framing protection at all (see headers.clickjacking)")
    if not _csp.parse_header(resp.headers_all("Content-Security-Policy")):
        raise Skip("no Content-Security-Policy header (see headers.csp_missing)")
    yield Issue(location=resp.final_url,
                evidence=f"X-Frame-Options: {xfo_value(resp)}; the CSP has no frame-ancestors")
