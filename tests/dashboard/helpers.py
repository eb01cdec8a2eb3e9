"""Two weekly runs of three services in two units, with grades and check results.

Week 1: the portal (Diskominfo) has a missing HSTS and a header grade C; the
clinic booking service (Dinas Kesehatan) exposes a .env file (critical) with a
redacted secret in its evidence. Week 2: HSTS fixed (its check passed), the
.env still open, a new CSP finding on the clinic service, grades improve.
"""

from __future__ import annotations

from pathlib import Path

from egov_audit.history import HistoryStore
from egov_audit.model import Finding, RunReport, Severity, Status

from ..factories import make_finding, make_outcome, make_report, make_target

PORTAL = make_target("https://portal.example.go.id/", name="Portal", opd="Diskominfo")
MAIL = make_target("https://mail.example.go.id/", name="Webmail", opd="Diskominfo")
CLINIC = make_target("https://klinik.example.go.id/", name="Klinik Online", opd="Dinas Kesehatan")

HSTS = make_finding("https.hsts_missing", PORTAL.spec, Severity.MEDIUM,
                    remediation="nginx: add_header Strict-Transport-Security \"max-age=31536000\";")
ENV = make_finding("exposure.env_file", CLINIC.spec, Severity.CRITICAL,
                   location="https://klinik.example.go.id/.env",
                   evidence="DB_PASSWORD=se****** (redacted)")
CSP = make_finding("headers.csp_missing", CLINIC.spec, Severity.HIGH)
RUN_1 = "11111111-0000-4000-8000-000000000001"
RUN_2 = "22222222-0000-4000-8000-000000000002"
OTHER_UNIT_FINDING = ENV.id  # a Dinas Kesehatan finding, for scope tests


def _grade(check: str, target: str, letter: str) -> Finding:
    return make_finding(check, target, Severity.INFO, evidence=f"grade {letter} (score 50)")


def week(number: int) -> RunReport:
    portal = [HSTS] if number == 1 else []
    portal += [_grade("headers.grade", PORTAL.spec, "C" if number == 1 else "A")]
    clinic = [ENV, _grade("tls.grade", CLINIC.spec, "B")] + ([CSP] if number == 2 else [])
    passes = ("https.hsts_missing",) if number == 2 else ()
    return make_report(
        [make_outcome(PORTAL, portal, results=[(f.check, Status.FAIL) for f in portal]
                      + [(c, Status.PASS) for c in passes]),
         make_outcome(MAIL, [], results=[("https.hsts_missing", Status.PASS)]),
         make_outcome(CLINIC, clinic, results=[(f.check, Status.FAIL) for f in clinic])],
        id=RUN_1 if number == 1 else RUN_2,
        started_at=f"2026-11-{number:02d}T01:00:00Z",
        finished_at=f"2026-11-{number:02d}T01:05:00Z",
    )


def seeded_store(path: Path) -> str:
    location = str(path / "history.sqlite")
    with HistoryStore.open(location) as store:
        store.record(week(1))
        store.record(week(2))
    return location
