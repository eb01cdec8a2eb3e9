"""One banner check per header: the same judgement, different metadata."""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import CheckContext, Issue
from egov_audit.model import Severity
from egov_audit.probes.site import Site

from .._web.banners import banners, has_version


def banner_issues(ctx: CheckContext, headers: tuple[str, ...], *,
                  versionless: Severity | None) -> Iterator[Issue]:
    """Issues for every banner; ``versionless`` is the severity without a version
    (None = do not report product names alone)."""
    site = ctx.get(Site)
    for header in headers:
        for url, value in banners(site, ctx.target.host, header):
            versioned = has_version(value)
            if not versioned and versionless is None:
                continue
            yield Issue(
                location=url,
                key=f"{header}:{value}",
                evidence=f"{header}: {value}",
                severity=None if versioned else versionless,
                details={"header": header, "value": value, "version": versioned},
            )
