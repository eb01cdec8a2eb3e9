"""hygiene.http_methods"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.methods import Methods
from egov_audit.probes.site import Site

# Methods that write, delete or echo; WebDAV verbs betray a writable share.
RISKY = ("TRACE", "TRACK", "PUT", "DELETE", "CONNECT", "PROPFIND", "PROPPATCH", "MKCOL",
         "COPY", "MOVE", "LOCK", "UNLOCK")


def _methods(value: str | None) -> list[str]:
    return [m.strip().upper() for m in (value or "").split(",") if m.strip()]


@check(
    id="hygiene.http_methods",
    title="The server advertises TRACE, PUT, DELETE or WebDAV methods",
    severity=Severity.LOW,
    cwe=(749, 650),
    needs=(Methods, Site),  # the methods probe starts from the Site entry page
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.TENTATIVE,
    remediation="""
        Allow only the methods the application uses:
          nginx:  if ($request_method !~ ^(GET|HEAD|POST)$) { return 405; }
                  (or limit_except GET POST { deny all; } inside the location)
          Apache: TraceEnable Off
                  <Location "/"><LimitExcept GET POST HEAD>Require all denied
                  </LimitExcept></Location>
          IIS:    <security><requestFiltering><verbs allowUnlisted="false">
                  <add verb="GET" allowed="true" /><add verb="POST" allowed="true" />
                  </verbs></requestFiltering></security>   and remove the WebDAV module.
        Also stop advertising them in Allow / Access-Control-Allow-Methods.
    """,
    references=(
        "https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_"
        "Security_Testing/02-Configuration_and_Deployment_Management_Testing/06-Test_HTTP_Methods",
    ),
)
def http_methods(ctx: CheckContext) -> Iterator[Issue]:
    """PUT, DELETE and WebDAV verbs on a public site can let anyone upload or remove
    files (defacements, web shells) when access control is missing; TRACE lets a
    script read headers such as cookies (cross-site tracing). The methods are
    only read from OPTIONS answers, never tried, so this is TENTATIVE."""
    methods = ctx.get(Methods)
    advertised: dict[str, str] = {}
    for resp, header in ((methods.options, "Allow"),
                         (methods.preflight, "Access-Control-Allow-Methods")):
        if not resp.ok:
            continue
        for value in resp.headers_all(header):
            for m in _methods(value):
                if m in RISKY:
                    advertised.setdefault(m, f"{header}: {value}")
    if not advertised:
        return
    listed = ", ".join(sorted(advertised, key=RISKY.index))
    yield Issue(
        location=methods.url,
        evidence=f"OPTIONS {methods.url} advertises {listed} ("
        + "; ".join(dict.fromkeys(advertised.values())) + ")",
        details={"methods": sorted(advertised, key=RISKY.index)},
    )
