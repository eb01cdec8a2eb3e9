"""tls.mozilla_profile"""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue, Skip, check
from egov_audit.model import Confidence, Severity
from egov_audit.probes.tls_model import TlsScan

from ._common import NGINX_MOZILLA, get_scan

PROFILES = ("modern", "intermediate", "old")


@check(
    id="tls.mozilla_profile",
    title="The TLS configuration deviates from the Mozilla server-side TLS profile",
    severity=Severity.LOW,
    cwe=(327, 16),
    needs=(TlsScan,),
    confidence=Confidence.CERTAIN,
    remediation=f"""
        Generate the configuration for your server and its version with the Mozilla
        SSL Configuration Generator ({NGINX_MOZILLA}), "Intermediate" unless the
        audit configuration selects another profile:
        `[settings."tls.mozilla_profile"] mozilla_profile = "modern"`.
        Each deviation in the evidence names the setting to change.
    """,
    references=("https://wiki.mozilla.org/Security/Server_Side_TLS", NGINX_MOZILLA),
    tags=("profile",),
)
def mozilla_profile(ctx: CheckContext) -> Iterator[Issue]:
    """Mozilla's profiles are a maintained, widely tested baseline; each deviation
    is either an avoidable weakness or a compatibility choice worth recording."""
    scan = get_scan(ctx)
    profile = str(ctx.setting("mozilla_profile", "intermediate")).lower()
    if profile not in PROFILES:
        raise ValueError(f"mozilla_profile must be one of {', '.join(PROFILES)}, not {profile!r}")
    if profile not in scan.mozilla:
        raise Skip(f"the {profile} profile could not be checked: "
                   f"{scan.mozilla_errors.get(profile, 'no result')}")
    deviations = scan.mozilla[profile]
    if not deviations:
        return
    listing = "; ".join(f"{criterion}: {message}" for criterion, message in deviations)
    yield Issue(
        evidence=f"{scan.endpoint} deviates from Mozilla {profile} in {len(deviations)} "
                 f"point(s): {listing}",
        details={"profile": profile,
                 "deviations": [{"criterion": c, "message": m} for c, m in deviations]},
    )
