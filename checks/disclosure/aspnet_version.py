"""disclosure.aspnet_version"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.site import Site

from ._factory import banner_issues


@check(
    id="disclosure.aspnet_version",
    title="X-AspNet-Version or X-AspNetMvc-Version reveals the .NET framework version",
    severity=Severity.LOW,
    cwe=(497, 200),
    needs=(Site,),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        IIS / ASP.NET:
          web.config:  <system.web><httpRuntime enableVersionHeader="false" /></system.web>
          Global.asax: MvcHandler.DisableMvcResponseHeader = true;
        nginx/Apache in front: proxy_hide_header X-AspNet-Version; /
          Header always unset X-AspNet-Version
    """,
    references=("https://learn.microsoft.com/en-us/dotnet/api/system.web.configuration."
                "httpruntimesection.enableversionheader",),
    tags=("bssn-k72",),
)
def aspnet_version(ctx: CheckContext) -> Iterator[Issue]:
    """The exact .NET runtime version narrows an attacker's search to the
    vulnerabilities of that release (BSSN K72)."""
    yield from banner_issues(ctx, ("X-AspNet-Version", "X-AspNetMvc-Version"),
                             versionless=Severity.LOW)
