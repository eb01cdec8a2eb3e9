"""headers.csp_unsafe_eval"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web import csp as _csp
from .._web.page import csp_evidence, enforced_policies, judged


@check(
    id="headers.csp_unsafe_eval",
    title="Content-Security-Policy allows eval() ('unsafe-eval')",
    severity=Severity.LOW,
    cwe=(95, 693),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        Remove 'unsafe-eval' from script-src (and default-src). Replace eval(),
        new Function() and string arguments to setTimeout/setInterval in the
        application or its libraries; for WebAssembly use 'wasm-unsafe-eval',
        which does not allow JavaScript eval.
    """,
    references=("https://www.w3.org/TR/CSP3/#can-compile-strings",),
    tags=("csp",),
)
def csp_unsafe_eval(ctx: CheckContext) -> Iterator[Issue]:
    """'unsafe-eval' turns injected strings into running code (DOM XSS through
    eval, template gadgets in old front-end frameworks)."""
    resp = judged(ctx.get(Site))
    policies = enforced_policies(resp)
    if not policies:
        raise Skip("no enforced Content-Security-Policy (see headers.csp_missing)")
    if not _csp.all_policies(policies, _csp.allows_eval):
        return
    if not any(_csp.is_unsafe_keyword(p, "unsafe-eval") for p in policies):
        return
    yield Issue(location=resp.final_url, evidence=csp_evidence(policies))
