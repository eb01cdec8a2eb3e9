"""headers.csp_insecure_sources"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from .._web import csp as _csp
from .._web.page import csp_evidence, enforced_policies, judged


@check(
    id="headers.csp_insecure_sources",
    title="Content-Security-Policy lets scripts load from anywhere (wildcard, http:, https:, "
    "data: or no script directive)",
    severity=Severity.MEDIUM,
    cwe=(693, 829),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        List the script origins the site really uses instead of *, https:, http:
        or data:, and make sure script-src (or default-src) is present:
          script-src 'self' https://cdn.example.go.id; object-src 'none'
        Better still, use nonces with 'strict-dynamic', which makes host lists
        unnecessary. Never allow http:// sources: anyone on the network path can
        replace those scripts.
    """,
    references=(
        "https://www.w3.org/TR/CSP3/#match-url-to-source-list",
        "https://csp-evaluator.withgoogle.com/",
    ),
    tags=("csp",),
)
def csp_insecure_sources(ctx: CheckContext) -> Iterator[Issue]:
    """A script source list of *, https: or data: allows an attacker to load code
    from any server they control (or inline it as data:), so the CSP stops no
    injected <script src>; http: sources can be rewritten in transit."""
    resp = judged(ctx.get(Site))
    policies = enforced_policies(resp)
    if not policies:
        raise Skip("no enforced Content-Security-Policy (see headers.csp_missing)")
    if any(_csp.restricts_scripts(p) and not _csp.insecure_script_sources(p) for p in policies):
        return  # one strict policy is enough: every policy must allow a script
    if not any(_csp.restricts_scripts(p) for p in policies):
        yield Issue(
            location=resp.final_url,
            evidence=csp_evidence(policies) + " (no script-src or default-src: scripts are "
            "not restricted)",
            details={"sources": ["(none: no script-src/default-src)"]},
        )
        return
    bad = sorted({s for p in policies for s in _csp.insecure_script_sources(p)})
    yield Issue(
        location=resp.final_url,
        evidence=csp_evidence(policies) + f" (script sources {', '.join(bad)})",
        details={"sources": bad},
    )
