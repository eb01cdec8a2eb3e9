"""headers.csp_unsafe_inline"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web import csp as _csp
from .._web.page import csp_evidence, enforced_policies, judged


@check(
    id="headers.csp_unsafe_inline",
    title="Content-Security-Policy allows inline scripts ('unsafe-inline' without nonce or hash)",
    severity=Severity.MEDIUM,
    cwe=(79, 693),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Move inline <script> blocks and on*= handlers into files, or give each
        inline script a per-response nonce and list it:
          script-src 'self' 'nonce-<random per response>' 'strict-dynamic'
        With a nonce or hash present browsers ignore 'unsafe-inline', so it may
        stay as a fallback for very old browsers. In nginx a nonce needs the
        application (or ngx_http_sub_module with $request_id) to fill it in; in
        Apache use mod_unique_id's UNIQUE_ID; in IIS set it from the application.
    """,
    references=(
        "https://www.w3.org/TR/CSP3/#allow-all-inline",
        "https://web.dev/articles/strict-csp",
    ),
    tags=("csp",),
)
def csp_unsafe_inline(ctx: CheckContext) -> Iterator[Issue]:
    """'unsafe-inline' lets any script injected into the page's HTML run, which
    removes the protection against cross-site scripting that a CSP exists for."""
    resp = judged(ctx.get(Site))
    policies = enforced_policies(resp)
    if not policies:
        raise Skip("no enforced Content-Security-Policy (see headers.csp_missing)")
    if not _csp.all_policies(policies, _csp.allows_inline_script):
        return
    if not any(_csp.is_unsafe_keyword(p, "unsafe-inline") for p in policies):
        return  # scripts unrestricted altogether: headers.csp_insecure_sources says so
    yield Issue(
        location=resp.final_url,
        evidence=csp_evidence(policies),
        details={"directive": "script-src"},
    )
