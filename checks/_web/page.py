"""Which response the header checks judge, and the policies it carries.

The HTTPS entry page when it answered, else the plain-HTTP one; always the
*final* response after redirects, since browsers apply a page's headers to the
page, not to the 301 in front of it (judging redirects is the classic false
positive of header scanners). Error pages other than 401/403 are not judged:
a 404 or 502 at the entry point says nothing about the application's headers.
"""

from __future__ import annotations

from egov_audit.check import Skip
from egov_audit.model import Reason
from egov_audit.probes.http import HttpResponse
from egov_audit.probes.site import Site

from . import csp as _csp
from .markup import markup

JUDGED_STATUSES = frozenset({401, 403})


def judged(site: Site) -> HttpResponse:
    """The response whose headers count for the target; raises Skip when none fits."""
    resp = site.https_ok or next((r for r in (site.http,) if r is not None and r.ok), None)
    if resp is None:
        raise Skip("no entry page answered")
    if resp.left_scope:
        raise Skip(f"the entry page redirects out of the audit scope to {resp.left_scope}",
                   Reason.OUT_OF_SCOPE)
    status = resp.status or 0
    if not (200 <= status < 300 or status in JUDGED_STATUSES):
        raise Skip(f"the entry page answered {status}; headers of error pages are not judged")
    return resp


HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})


def judged_document(site: Site) -> HttpResponse:
    """Like :func:`judged`, for checks that only mean something for an HTML document.

    CSP, framing, Referrer-Policy and Permissions-Policy govern what a rendered
    page may do; demanding them of a JSON API entry point is noise. A response
    without Content-Type is judged, since browsers sniff it as HTML.
    """
    resp = judged(site)
    if resp.content_type not in HTML_TYPES:
        raise Skip(f"the entry point answers {resp.content_type}, not an HTML page")
    return resp


def enforced_policies(resp: HttpResponse) -> list[_csp.Policy]:
    """Every enforced policy: CSP headers plus <meta http-equiv> policies."""
    policies = _csp.parse_header(resp.headers_all("Content-Security-Policy"))
    metas = markup(resp).meta(http_equiv="Content-Security-Policy")
    policies += _csp.parse_header(metas, source="meta")
    return policies


def report_only_policies(resp: HttpResponse) -> list[_csp.Policy]:
    return _csp.parse_header(resp.headers_all("Content-Security-Policy-Report-Only"),
                             source="report-only")


def csp_evidence(policies: list[_csp.Policy]) -> str:
    return " | ".join(
        ("<meta> " if p.source == "meta" else "Content-Security-Policy: ") + p.raw[:300]
        for p in policies
    )
