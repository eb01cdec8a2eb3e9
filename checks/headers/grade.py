"""headers.grade"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict

from egov_audit.check import CheckContext, Issue, check
from egov_audit.model import Confidence, Judged, Severity
from egov_audit.probes.cors import Cors
from egov_audit.probes.site import Site

from .._web.page import judged
from ._grade import grade_for, score


@check(
    id="headers.grade",
    title="HTTP security header grade (A+ … F) for the origin",
    severity=Severity.INFO,
    cwe=(693,),
    needs=(Site, Cors),
    judges=Judged.ENTRY_PAGE,
    confidence=Confidence.CERTAIN,
    remediation="""
        The grade summarises the other headers, cookies, CORS and HTTPS findings;
        fix those (each has its own remediation) and the grade follows. The
        details list every test's modifier; docs/headers.md explains the scoring.
    """,
    references=("https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring",),
    tags=("grade",),
)
def grade(ctx: CheckContext) -> Iterator[Issue]:
    """A single letter lets an institution compare its services and follow progress
    over time; always reported (INFO) so that every report carries it."""
    site = ctx.get(Site)
    resp = judged(site)
    total, modifiers = score(site, resp, ctx.target.host, ctx.get(Cors))
    letter = grade_for(total)
    worst = sorted((m for m in modifiers if m.score < 0), key=lambda m: m.score)[:3]
    yield Issue(
        location=resp.final_url,
        evidence=f"grade {letter} (score {total})"
        + (": " + "; ".join(f"{m.test} {m.result} ({m.score:+d})" for m in worst)
           if worst else ""),
        details={"grade": letter, "score": total, "algorithm": 1,
                 "modifiers": [asdict(m) for m in modifiers]},
    )
