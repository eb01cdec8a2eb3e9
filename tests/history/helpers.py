"""Three weekly runs of two services, the shapes the history tests share."""

from __future__ import annotations

from egov_audit.model import Finding, RunReport, Severity, Status

from ..factories import make_finding, make_outcome, make_report, make_target

PORTAL = make_target("https://portal.example.go.id/", name="Portal", opd="Diskominfo")
IZIN = make_target("https://izin.example.go.id/", name="Perizinan", opd="DPMPTSP")

HSTS = make_finding("https.hsts_missing", PORTAL.spec, id="a" * 20)
CSP = make_finding("headers.csp_missing", IZIN.spec, Severity.HIGH, id="b" * 20)
ENV = make_finding("exposure.env_file", PORTAL.spec, Severity.CRITICAL, id="c" * 20)


def weekly(number: int, portal: list[Finding], izin: list[Finding],
           portal_passes: tuple[str, ...] = (), izin_status: Status = Status.FAIL) -> RunReport:
    """Run ``number`` (1-based): the given open findings; the listed checks passed."""
    return make_report(
        [make_outcome(PORTAL, portal, results=[(c, Status.PASS) for c in portal_passes]
                      + [(f.check, Status.FAIL) for f in portal]),
         make_outcome(IZIN, izin, results=[(f.check, izin_status) for f in izin])],
        id=f"run-{number:04d}-0000-4000-8000-000000000000",
        started_at=f"2026-11-{number:02d}T01:00:00Z",
        finished_at=f"2026-11-{number:02d}T01:05:00Z",
    )


def three_weeks() -> list[RunReport]:
    """Week 1: HSTS and CSP open. Week 2: HSTS fixed (its check passed), CSP
    open. Week 3: HSTS back (regressed), CSP still open, a new critical .env."""
    return [
        weekly(1, [HSTS], [CSP]),
        weekly(2, [], [CSP], portal_passes=("https.hsts_missing", "exposure.env_file")),
        weekly(3, [HSTS, ENV], [CSP]),
    ]
