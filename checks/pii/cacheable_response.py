"""pii.cacheable_response"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.content import PersonalData

from ._common import NEEDS, describe_counts, grade, thresholds

# How the evidence names a response, by where the content probe read it.
_KIND = {"api": "API answer ", "document": "document ", "page": "page ", "script": "script ",
         "source_map": "source map "}


@check(
    id="pii.cacheable_response",
    title="Responses carrying personal data may be cached (no Cache-Control: no-store)",
    severity=Severity.MEDIUM,
    cwe=(524, 525),
    needs=NEEDS,
    judges=Judged.SITE,
    confidence=Confidence.FIRM,
    tags=("uu-pdp",),
    remediation="""
        Send `Cache-Control: no-store` on every response that carries personal data, e.g.
        nginx: `location /api/ { add_header Cache-Control "no-store" always; }`;
        Apache: `<Location /api/> Header always set Cache-Control "no-store" </Location>`;
        IIS: `<location path="api"><system.webServer><httpProtocol><customHeaders>
        <add name="Cache-Control" value="no-store" /></customHeaders></httpProtocol>
        </system.webServer></location>`.
    """,
    references=("https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Cache-Control",
                "https://cwe.mitre.org/data/definitions/524.html"),
)
def cacheable_response(ctx: CheckContext) -> Iterator[Issue]:
    """Without ``no-store``, shared proxies, CDNs and the browser's disk cache may keep
    a copy of the personal data, readable by the next user of a shared computer.
    Judged on every response the personal data was seen in: pages, documents and
    the answers of every API endpoint discovery found."""
    bulk, contact = thresholds(ctx)
    for body in ctx.get(PersonalData).bodies:
        scan = body.scan
        if grade(scan, bulk, contact) is None or (scan.strong == 0 and not scan.contacts):
            continue
        cache_control = body.response.header("Cache-Control")
        if cache_control and "no-store" in cache_control.lower():
            continue
        shown = f"Cache-Control: {cache_control}" if cache_control else "no Cache-Control header"
        yield Issue(
            location=scan.url,
            evidence=f"{_KIND.get(scan.source, '')}{scan.url} carries "
            f"{describe_counts(scan.counts)} and is sent with {shown}",
            details={"source": scan.source, "cache_control": cache_control,
                     "counts": dict(scan.counts),
                     "total": scan.total},
        )
