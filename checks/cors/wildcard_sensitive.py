"""cors.wildcard_sensitive"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check, need
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.cors import DISCOVERED_APIS, Cors
from egov_audit.probes.site import Site

from .._web.cors import allow_origin, allows_credentials, remediation_snippets, sensitivity


@check(
    id="cors.wildcard_sensitive",
    title="A response that sets cookies or carries personal data may be read by any site "
    "(Access-Control-Allow-Origin: * or any origin reflected)",
    severity=Severity.MEDIUM,
    cwe=(942, 359),
    # The CORS probe starts from the Site entry page, and adds every API
    # endpoint discovery found.
    needs=(need(Cors, DISCOVERED_APIS), Site),
    judges=Judged.API_RESPONSES,
    confidence=Confidence.FIRM,
    remediation=f"""
        Serve public data with * only; for anything personal or session-bound,
        allow the exact origins of your own front-ends:
        {remediation_snippets()}
    """,
    references=("https://fetch.spec.whatwg.org/#cors-protocol-and-credentials",),
    tags=("cors",),
)
def wildcard_sensitive(ctx: CheckContext) -> Iterator[Issue]:
    """With * (or an origin echoed back), scripts on any web site can read the
    response. That is right for open data, and wrong for responses that carry
    personal data (e.g. data reachable from inside the office network) or that
    issue session cookies (UU PDP Pasal 39)."""
    cors = ctx.get(Cors)
    for ex in cors.everything:
        resp = ex.foreign
        acao = allow_origin(resp)
        if not resp.ok or acao not in ("*", cors.foreign_origin):
            continue
        if acao == cors.foreign_origin and allows_credentials(resp):
            continue  # cors.reflected_origin_credentials reports the worse case
        reasons = sensitivity(resp)
        if not reasons:
            continue
        yield Issue(
            location=ex.url,
            key=ex.url,
            evidence=f"GET {ex.where} with Origin: {cors.foreign_origin} → "
            f"Access-Control-Allow-Origin: {acao}; the response {' and '.join(reasons)}",
            details={"source": ex.source, "allow_origin": acao, "reasons": reasons},
        )
