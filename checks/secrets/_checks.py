"""Turning secret patterns into checks: one finding per distinct secret value."""

from __future__ import annotations

from collections.abc import Iterator

from egov_audit.check import Check, CheckContext, Issue, Sensitive, check, need
from egov_audit.model import Confidence, Judged
from egov_audit.probes.crawl import Crawl
from egov_audit.probes.paths import PathSweep

from ._patterns import SecretRule, jwt_summary
from ._scan import sightings, sources


def make_check(rule: SecretRule) -> Check:
    def run(ctx: CheckContext) -> Iterator[Issue]:
        srcs = list(sources(ctx.get(Crawl), ctx.get(PathSweep)))
        for value, seen in sightings(rule, srcs).items():
            first = seen[0]
            where = [f"{s.source.kind} {s.source.response.final_url} (line {s.line})"
                     for s in seen[:5]]
            label = f"{first.name} = " if first.name else ""
            yield Issue(
                location=first.source.response.final_url,
                key=value,  # hashed by the engine before it reaches the finding id
                evidence=(
                    f"{label}{value} found in {where[0]}: …{first.context}…"
                    + (f"\nalso in: {'; '.join(where[1:])}" if len(where) > 1 else "")
                ),
                details={
                    "locations": [s.source.response.final_url for s in seen],
                    "sources": sorted({s.source.kind for s in seen}),
                    "variable": first.name,
                    **({"claims": jwt_summary(value)} if rule.validate == "jwt" else {}),
                },
                # The engine masks exactly this value everywhere in the finding.
                sensitive=(Sensitive("secret", value),),
            )

    run.__doc__ = rule.description
    return check(
        id=rule.id,
        title=rule.title,
        severity=rule.severity,
        cwe=rule.cwe,
        # The sweep with no items of its own: it contributes the exposed files
        # other selected rules confirmed, and costs nothing when none ran.
        needs=(Crawl, need(PathSweep)),
        judges=Judged.SITE,
        remediation=rule.remediation,
        references=rule.references,
        confidence=Confidence.FIRM,
        tags=("secret",),
        description=rule.description,
    )(run)
